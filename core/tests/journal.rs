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
