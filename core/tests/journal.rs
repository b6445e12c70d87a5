//! The journal on real SQLite files: durability across reopen, the outbox,
//! immutability, tamper detection and schema versioning.

use rusqlite::Connection;
use truyxuat_core::journal::{
    EventBody, FarmDiary, Harvest, Inspection, InspectionResult, Journal, JournalError, OutboxState, Scan,
    format_unix_ms,
};

fn harvest(lot: &str) -> EventBody {
    EventBody::Harvest(Harvest {
        product: "Cà phê Robusta".into(),
        gtin: Some("08934563138011".into()),
        lot: lot.into(),
        quantity: 1250.5,
        unit: "kg".into(),
        harvest_date: "2026-11-20".into(),
        gln: Some("8934563000019".into()),
        location: None,
        certification: Some("VietGAP".into()),
        photos: vec![],
    })
}

fn diary() -> EventBody {
    EventBody::FarmDiary(FarmDiary {
        input_name: "Phân NPK 16-16-8".into(),
        dose: "200 kg/ha".into(),
        applied_on: "2026-10-01".into(),
        pre_harvest_interval_days: Some(14),
        gln: Some("8934563000019".into()),
        lot: None,
        photos: vec![],
    })
}

fn inspection() -> EventBody {
    EventBody::Inspection(Inspection {
        code: "]C1010893456313801110CP2026-07".into(),
        market_gln: Some("8930000000018".into()),
        location: None,
        result: InspectionResult::NonConformant,
        reasons: vec!["nhãn thiếu hạn dùng".into()],
        sample_taken: true,
        notes: None,
        photos: vec![],
    })
}

#[test]
fn events_survive_reopen_in_order_with_a_valid_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    let bodies = vec![
        harvest("L1"),
        diary(),
        inspection(),
        EventBody::Scan(Scan {
            raw_text: "8934563138011".into(),
            symbology_id: Some("]E0".into()),
            element_string: Some("(01)08934563138011".into()),
            location: None,
            answer_shown: Some("ok".into()),
        }),
    ];
    let device_id;
    {
        let mut j = Journal::open(&path).unwrap();
        device_id = j.device_id().to_owned();
        for (i, b) in bodies.iter().enumerate() {
            let rec = j.append(b).unwrap();
            assert_eq!(rec.seq, i as i64 + 1);
        }
        // No clean close: the handle is simply dropped.
    }
    let j = Journal::open(&path).unwrap();
    assert_eq!(j.device_id(), device_id, "the device id is kept in the file");
    let events = j.list(0, 100).unwrap();
    assert_eq!(events.iter().map(|e| e.body.clone()).collect::<Vec<_>>(), bodies);
    assert!(events.windows(2).all(|w| w[1].prev_hash == w[0].hash));
    let report = j.verify().unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.events, 4);
    let c = j.counts().unwrap();
    assert_eq!((c.pending, c.acked, c.rejected, c.total), (4, 0, 0, 4));
}

#[test]
fn outbox_marks_and_paging() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(&dir.path().join("j.db")).unwrap();
    let ids: Vec<String> = (0..5).map(|i| j.append(&harvest(&format!("L{i}"))).unwrap().id).collect();
    j.mark(&ids[0], OutboxState::Acked, None).unwrap();
    j.mark(&ids[2], OutboxState::Rejected, Some("GLN không thuộc quyền của bạn")).unwrap();
    let pending: Vec<i64> = j.pending(10).unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(pending, [2, 4, 5], "a rejected event does not block the ones behind it");
    let c = j.counts().unwrap();
    assert_eq!((c.pending, c.acked, c.rejected), (3, 1, 1));
    let page: Vec<i64> = j.list(2, 2).unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(page, [3, 4]);
    assert_eq!(j.list(2, 1).unwrap()[0].reason.as_deref(), Some("GLN không thuộc quyền của bạn"));
    assert!(j.mark("no-such-id", OutboxState::Acked, None).is_err());
    j.set_meta("pull_cursor", "abc").unwrap();
    assert_eq!(j.meta("pull_cursor").unwrap().as_deref(), Some("abc"));
    assert!(j.verify().unwrap().ok(), "outbox changes don't touch the chain");
}

#[test]
fn events_cannot_be_changed_and_tampering_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    {
        let mut j = Journal::open(&path).unwrap();
        for i in 0..4 {
            j.append(&harvest(&format!("L{i}"))).unwrap();
        }
    }
    let raw = Connection::open(&path).unwrap();
    assert!(raw.execute("UPDATE events SET payload = '{}' WHERE seq = 2", []).is_err());
    assert!(raw.execute("DELETE FROM events WHERE seq = 2", []).is_err());

    // Someone removes the guards and edits the file by hand.
    raw.execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;").unwrap();
    raw.execute("UPDATE events SET payload = replace(payload, '1250.5', '9999.0') WHERE seq = 2", [])
        .unwrap();
    let report = Journal::open(&path).unwrap().verify().unwrap();
    assert_eq!(report.first_problem.as_ref().map(|p| p.0), Some(2), "{report:?}");

    let path2 = dir.path().join("j2.db");
    {
        let mut j = Journal::open(&path2).unwrap();
        for i in 0..4 {
            j.append(&harvest(&format!("L{i}"))).unwrap();
        }
    }
    let raw = Connection::open(&path2).unwrap();
    raw.execute_batch("DROP TRIGGER events_no_delete; PRAGMA foreign_keys = OFF;").unwrap();
    raw.execute("DELETE FROM events WHERE seq = 3", []).unwrap();
    let report = Journal::open(&path2).unwrap().verify().unwrap();
    assert_eq!(report.first_problem.as_ref().map(|p| p.0), Some(4), "{report:?}");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    Journal::open(&path).unwrap();
    Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    match Journal::open(&path) {
        Err(JournalError::TooNew { found: 99, .. }) => {}
        other => panic!("expected TooNew, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn unix_ms_formatting() {
    assert_eq!(format_unix_ms(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(format_unix_ms(951_782_400_123), "2000-02-29T00:00:00.123Z");
    assert_eq!(format_unix_ms(1_795_651_200_000), "2026-11-26T00:00:00.000Z");
}

/// `(type, name, sql)` of every schema object, sorted: what "the same
/// schema" means.
fn schema_of(path: &std::path::Path) -> (i64, Vec<(String, String, String)>) {
    let conn = Connection::open(path).unwrap();
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let mut stmt = conn
        .prepare("SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    (version, rows.map(Result::unwrap).collect())
}

#[test]
fn an_old_schema_journal_is_migrated_in_place_and_matches_a_fresh_one() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    // Made by scripts/make-journal-v1-fixture.py with schema version 1.
    std::fs::copy(support_fixture("journal/journal-v1.db"), &old).unwrap();
    assert_eq!(schema_of(&old).0, 1);

    let mut j = Journal::open(&old).unwrap();
    assert_eq!(j.device_id(), "01936f7e-8a00-7000-8000-00000000d001");
    let report = j.verify().unwrap();
    assert!(report.ok(), "hashes written by schema 1 still verify: {report:?}");
    assert_eq!(report.events, 3);
    let events = j.list(0, 10).unwrap();
    assert!(
        matches!(&events[0].body, EventBody::Harvest(h) if h.product == "Cà phê Robusta" && h.quantity == 250.5)
    );
    assert_eq!(events[0].state, OutboxState::Acked);
    assert_eq!(j.counts().unwrap().pending, 2);
    // New events continue the old chain.
    let next = j.append(&diary()).unwrap();
    assert_eq!((next.seq, next.prev_hash.as_str()), (4, events[2].hash.as_str()));
    assert!(j.verify().unwrap().ok());
    drop(j);

    let fresh = dir.path().join("fresh.db");
    drop(Journal::open(&fresh).unwrap());
    assert_eq!(schema_of(&old), schema_of(&fresh));
}

fn support_fixture(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(rel)
}

#[test]
fn pulled_data_and_verdicts_are_applied_atomically() {
    use truyxuat_core::journal::{CacheUpdate, Mark};
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(&dir.path().join("j.db")).unwrap();
    let a = j.append(&harvest("A")).unwrap();
    let b = j.append(&harvest("B")).unwrap();
    let product = |data: Option<&str>| CacheUpdate {
        kind: "product".into(),
        key: "08934563138011".into(),
        data: data.map(str::to_owned),
    };
    j.apply_pull(
        &[product(Some(r#"{"name_vi":"Cà phê"}"#))],
        &[Mark { id: a.id.clone(), state: OutboxState::Rejected, reason: Some("revoked: test".into()) }],
        "cursor",
        "c1",
    )
    .unwrap();
    assert_eq!(j.cached("product", "08934563138011").unwrap().unwrap().data, r#"{"name_vi":"Cà phê"}"#);
    assert_eq!(j.meta("cursor").unwrap().as_deref(), Some("c1"));
    assert_eq!(j.list(0, 10).unwrap()[0].reason.as_deref(), Some("revoked: test"));
    assert_eq!(j.cache_counts().unwrap(), vec![("product".to_owned(), 1)]);

    // The next page: a removal and verdicts.
    let marks = [
        Mark { id: b.id.clone(), state: OutboxState::Acked, reason: None },
        Mark { id: a.id.clone(), state: OutboxState::Acked, reason: None },
    ];
    j.apply_pull(&[product(None)], &marks, "cursor", "c2").unwrap();
    assert!(j.cached("product", "08934563138011").unwrap().is_none(), "a null record removes it");
    assert_eq!(j.meta("cursor").unwrap().as_deref(), Some("c2"));

    // Replayed push answers never take an acked event back.
    j.mark_many(&[Mark { id: b.id.clone(), state: OutboxState::Pending, reason: None }]).unwrap();
    assert_eq!(j.list(0, 10).unwrap()[1].state, OutboxState::Acked);
}

#[test]
fn canonical_json_sorts_keys_at_every_level() {
    use truyxuat_core::journal::canonical_json;
    let v: serde_json::Value =
        serde_json::from_str(r#"{"b": [ {"z": 1, "a": "x"} ], "a": 1.5, "c": null, "é": "cà phê"}"#).unwrap();
    assert_eq!(canonical_json(&v), r#"{"a":1.5,"b":[{"a":"x","z":1}],"c":null,"é":"cà phê"}"#);
}

#[test]
fn a_complaint_event_has_a_tracking_code_the_phone_and_server_agree_on() {
    use truyxuat_core::journal::complaint_tracking_code;
    let code = complaint_tracking_code("01936f7e-8a01-7000-8000-000000000001");
    assert_eq!(code, complaint_tracking_code("01936f7e-8a01-7000-8000-000000000001"));
    assert_ne!(code, complaint_tracking_code("01936f7e-8a01-7000-8000-000000000002"));
    assert!(code.starts_with("PA-") && code.len() == 13);
    assert!(code[3..].chars().all(|c| "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(c)), "{code}");
}

#[test]
fn record_refuses_a_form_that_breaks_the_rules_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(&dir.path().join("j.db")).unwrap();
    let harvest = |date: &str, gln: Option<&str>, quantity: f64| {
        EventBody::Harvest(Harvest {
            product: "Cà phê".into(),
            gtin: None,
            lot: "L1".into(),
            quantity,
            unit: "kg".into(),
            harvest_date: date.into(),
            gln: gln.map(Into::into),
            location: None,
            certification: None,
            photos: Vec::new(),
        })
    };
    for (body, says) in [
        (harvest("2026-02-30", None, 1.0), "harvest_date \"2026-02-30\" is not a YYYY-MM-DD date"),
        (
            harvest("2026-02-28", Some("8936120000015"), 1.0),
            "GLN \"8936120000015\" is not a valid 13-digit GS1 key",
        ),
        (harvest("2026-02-28", None, -2.0), "quantity must be a positive number"),
    ] {
        match j.record(&body) {
            Err(JournalError::Invalid(reason)) => assert_eq!(reason, says),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(j.counts().unwrap().total, 0);
    j.record(&harvest("2026-02-28", Some("8936120000014"), 1.0)).unwrap();
    assert_eq!(j.counts().unwrap().total, 1);
}

#[test]
fn no_field_of_a_form_is_stored_beyond_the_limit_the_server_holds_it_to() {
    use truyxuat_core::journal::limits;
    use truyxuat_core::journal::{Inspection, InspectionResult};
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(&dir.path().join("j.db")).unwrap();
    let inspection = |notes: String, reasons: Vec<String>| {
        EventBody::Inspection(Inspection {
            code: "(01)08936120100110(10)L1".into(),
            market_gln: None,
            location: None,
            result: InspectionResult::NonConformant,
            reasons,
            sample_taken: false,
            notes: Some(notes),
            photos: Vec::new(),
        })
    };
    let harvest = |product: String, lot: String| {
        EventBody::Harvest(Harvest {
            product,
            gtin: None,
            lot,
            quantity: 1.0,
            unit: "kg".into(),
            harvest_date: "2026-02-28".into(),
            gln: None,
            location: None,
            certification: None,
            photos: Vec::new(),
        })
    };
    let long = |n: usize| "ệ".repeat(n);
    for (body, says) in [
        (inspection(long(limits::NOTES + 1), vec![]), "notes: 2001 characters; at most 2000"),
        (inspection(String::new(), vec!["x".into(); limits::REASONS + 1]), "reasons: 21; at most 20"),
        (inspection(String::new(), vec![long(limits::REASON + 1)]), "reason: 201 characters; at most 200"),
        (harvest(long(limits::NAME + 1), "L1".into()), "product: 201 characters; at most 200"),
        (harvest("Cà phê".into(), "L".repeat(limits::LOT + 1)), "lot: 21 characters; at most 20"),
    ] {
        match j.record(&body) {
            Err(JournalError::Invalid(reason)) => assert_eq!(reason, says),
            other => panic!("{other:?}"),
        }
    }
    // At the limits, every field at once: stored, and within the payload bound.
    j.record(&inspection(long(limits::NOTES), vec![long(limits::REASON); limits::REASONS])).unwrap();
    j.record(&harvest(long(limits::NAME), "L".repeat(limits::LOT))).unwrap();
    assert_eq!(j.counts().unwrap().total, 2);
}

#[test]
fn recent_pages_run_newest_first_and_saved_answers_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(&dir.path().join("j.db")).unwrap();
    for i in 0..7 {
        j.append(&EventBody::scan(format!("893456313801{i}"), None, None, None)).unwrap();
    }
    let first = j.list_recent(None, 3).unwrap();
    let second = j.list_recent(Some(first.last().unwrap().seq), 3).unwrap();
    let third = j.list_recent(Some(second.last().unwrap().seq), 3).unwrap();
    let seqs: Vec<i64> = first.iter().chain(&second).chain(&third).map(|e| e.seq).collect();
    assert_eq!(seqs, [7, 6, 5, 4, 3, 2, 1]);

    for i in 0..5 {
        j.put_cached("resolution", &format!("code{i}"), "{}", 3).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let kept: Vec<String> = j.cached_kind("resolution").unwrap().into_iter().map(|(k, _)| k).collect();
    assert_eq!(kept, ["code2", "code3", "code4"]);
}

#[test]
fn a_scan_keeps_the_canonical_element_string_read_with_its_symbology() {
    let EventBody::Scan(s) = EventBody::scan("0108936120100110".into(), Some("]C1".into()), None, None)
    else {
        unreachable!()
    };
    assert_eq!(s.element_string.as_deref(), Some("(01)08936120100110"));
    let EventBody::Scan(plain) = EventBody::scan("hello".into(), None, None, None) else { unreachable!() };
    assert_eq!(plain.element_string, None);
}

#[test]
fn removing_the_last_events_from_the_file_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut j = Journal::open(&path).unwrap();
    for n in 0..3 {
        j.append(&scan_of(n)).unwrap();
    }
    assert!(j.verify().unwrap().ok());
    drop(j);
    // Someone deletes the last (still pending) event by hand, triggers and all.
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "DROP TRIGGER events_no_delete; DELETE FROM outbox WHERE seq = 3; DELETE FROM events WHERE seq = 3;",
    )
    .unwrap();
    assert!(c.execute("UPDATE head SET seq = 2", []).is_err(), "the head only moves forward");
    assert!(c.execute("DELETE FROM head", []).is_err(), "and is kept");
    drop(c);
    let j = Journal::open(&path).unwrap();
    let report = j.verify().unwrap();
    let (seq, problem) = report.first_problem.unwrap();
    assert_eq!(seq, 3);
    assert!(problem.contains("the last events were removed"), "{problem}");
}

#[test]
fn an_empty_file_is_not_taken_for_a_new_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    std::fs::write(&path, b"").unwrap();
    match Journal::open(&path) {
        Err(JournalError::Damaged(why)) => assert!(why.contains("empty"), "{why}"),
        other => panic!("{:?}", other.map(|j| j.device_id().to_owned())),
    }
    // A new journal is the owner's only.
    let fresh = dir.path().join("new.db");
    let j = Journal::open(&fresh).unwrap();
    drop(j);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

fn scan_of(n: u32) -> EventBody {
    EventBody::Scan(truyxuat_core::journal::Scan {
        raw_text: format!("893456313801{n}"),
        symbology_id: None,
        element_string: None,
        location: None,
        answer_shown: None,
    })
}
