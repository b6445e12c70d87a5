//! The contract every storage backend keeps. Each backend gets one test
//! that runs [`contract`] on a fresh instance (SQLite today).

mod support;

use truyxuat_core::journal::{EventBody, Scan, event_hash};
use truyxuat_core::sync::wire::{EventError, PushStatus, WireEvent};
use truyxuat_server::domain::account::{NewUser, Role};
use truyxuat_server::domain::catalog::{
    Catalog, CertSource, Certification, Company, Location, Lot, Product, Recall, Serial, Supplier, TraceKey,
    TraceRole,
};
use truyxuat_server::domain::ingest::{Accepted, Candidate};
use truyxuat_server::store::{EventQuery, NewChange, SqliteStore, Store, StoreError};

fn user(store: &dyn Store, name: &str, role: Role, province: Option<&str>) -> i64 {
    store
        .create_user(&NewUser {
            username: name.into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".into(),
            role,
            province: province.map(str::to_owned),
            glns: vec!["8934563000004".into()],
        })
        .unwrap()
        .id
}

/// A chain of `n` scan events of `device`, starting after `prev`.
fn chain(device: &str, from_seq: i64, n: usize, prev: &str) -> Vec<WireEvent> {
    let mut prev = prev.to_owned();
    (0..n)
        .map(|i| {
            let seq = from_seq + i as i64;
            let body = EventBody::Scan(Scan {
                raw_text: format!("code {seq}"),
                symbology_id: None,
                element_string: None,
                location: None,
                answer_shown: None,
            });
            let payload = serde_json::to_value(&body).unwrap()["payload"].clone();
            let id = uuid::Uuid::now_v7().to_string();
            let time = "2026-11-26T10:00:00.000Z".to_owned();
            let hash = event_hash(&prev, seq, &id, device, "scan", &payload, &time);
            let e = WireEvent {
                id,
                seq,
                kind: "scan".into(),
                payload,
                device_time: time,
                prev_hash: prev.clone(),
                hash,
            };
            prev = e.hash.clone();
            e
        })
        .collect()
}

/// Every event accepted, each indexed under one serial of one GTIN and a site.
fn ok(events: &[WireEvent]) -> Vec<Candidate> {
    events
        .iter()
        .map(|e| Candidate {
            event: e.clone(),
            verdict: Ok(Accepted {
                payload: e.payload.to_string(),
                trace: vec![
                    TraceKey::Item {
                        gtin: GTIN.into(),
                        lot: String::new(),
                        serial: "S1".into(),
                        role: TraceRole::Subject,
                    },
                    TraceKey::Site { gln: "8934563000004".into() },
                ],
                complaint: None,
                epcis: None,
            }),
        })
        .collect()
}

const GTIN: &str = "08934563138011";

fn statuses(r: &[truyxuat_core::sync::wire::PushResult]) -> Vec<(PushStatus, Option<String>)> {
    r.iter().map(|r| (r.status, r.error.as_ref().map(|e| e.code.clone()))).collect()
}

fn contract(store: &dyn Store) {
    // Accounts.
    let alice = user(store, "alice", Role::Farmer, Some("66"));
    let bob = user(store, "bob", Role::Inspector, Some("01"));
    assert!(matches!(
        store.create_user(&NewUser {
            username: "alice".into(),
            password_hash: "x".into(),
            role: Role::Admin,
            province: None,
            glns: vec![]
        }),
        Err(StoreError::Conflict(_))
    ));
    let a = store.user_by_name("alice").unwrap().unwrap();
    assert_eq!(
        (a.id, a.role, a.glns.as_slice()),
        (alice, Role::Farmer, ["8934563000004".to_owned()].as_slice())
    );
    assert_eq!(store.user_by_id(bob).unwrap().unwrap().username, "bob");
    assert!(store.user_by_name("nobody").unwrap().is_none());

    // Devices.
    let (d1, d2) = ("01936f7e-0000-7000-8000-0000000000a1", "01936f7e-0000-7000-8000-0000000000b2");
    store.register_device(alice, d1, Some("phone")).unwrap();
    store.register_device(alice, d1, None).unwrap();
    store.register_device(bob, d2, None).unwrap();
    assert!(matches!(store.register_device(bob, d1, None), Err(StoreError::Conflict(_))));
    assert_eq!(store.device_owner(d1).unwrap(), Some(alice));
    assert_eq!(store.device_owner("01936f7e-0000-7000-8000-00000000ffff").unwrap(), None);

    // Push: accepted, then duplicates on replay, in one answer per event.
    let genesis = "0".repeat(64);
    let events = chain(d1, 1, 5, &genesis);
    let first = store.push(alice, d1, &ok(&events[..3])).unwrap();
    assert_eq!(statuses(&first), vec![(PushStatus::Accepted, None); 3]);
    let replay = store.push(alice, d1, &ok(&events)).unwrap();
    assert_eq!(
        statuses(&replay),
        [vec![(PushStatus::Duplicate, None); 3], vec![(PushStatus::Accepted, None); 2]].concat()
    );

    // A rejected event is kept (for the audit) and answers the same on replay;
    // the next one still links to it and is accepted.
    let more = chain(d1, 6, 2, &events[4].hash);
    let refused = EventError { code: "forbidden".into(), status: 403, detail: "not yours".into() };
    let mut batch = ok(&more);
    batch[0].verdict = Err(refused.clone());
    let r = store.push(alice, d1, &batch).unwrap();
    assert_eq!(
        statuses(&r),
        [(PushStatus::Rejected, Some("forbidden".into())), (PushStatus::Accepted, None)]
    );
    let r = store.push(alice, d1, &batch).unwrap();
    assert_eq!(
        statuses(&r),
        [(PushStatus::Rejected, Some("forbidden".into())), (PushStatus::Duplicate, None)]
    );

    // Clashes: another event at a used sequence number; a chain that does not
    // follow the stored one; a reused id with other content.
    let fork = chain(d1, 8, 1, &genesis);
    assert_eq!(
        statuses(&store.push(alice, d1, &ok(&fork)).unwrap()),
        [(PushStatus::Rejected, Some("chain_broken".into()))]
    );
    let mut clash = chain(d1, 3, 1, &events[1].hash);
    assert_eq!(
        statuses(&store.push(alice, d1, &ok(&clash)).unwrap()),
        [(PushStatus::Rejected, Some("sequence_conflict".into()))]
    );
    clash[0].id = events[0].id.clone();
    assert_eq!(
        statuses(&store.push(alice, d1, &ok(&clash)).unwrap()),
        [(PushStatus::Rejected, Some("id_conflict".into()))]
    );

    // Queries.
    let all = store.events(&EventQuery { limit: 100, ..Default::default() }).unwrap();
    assert_eq!(all.len(), 8, "5 + 2 + the rejected fork");
    assert_eq!(store.event_count().unwrap(), 8);
    assert!(all.windows(2).all(|w| w[0].server_seq < w[1].server_seq));
    let page =
        store.events(&EventQuery { after: all[2].server_seq, limit: 2, ..Default::default() }).unwrap();
    assert_eq!(page.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), [all[3].id.clone(), all[4].id.clone()]);
    assert!(
        store
            .events(&EventQuery { user_id: Some(bob), limit: 100, ..Default::default() })
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .events(&EventQuery { device_id: Some(d1.into()), limit: 100, ..Default::default() })
            .unwrap()
            .len(),
        8
    );
    assert_eq!(all[0].payload["raw_text"], "code 1");

    // The pull feed: scoped by province and by user, paged.
    store
        .publish(&NewChange {
            kind: "product".into(),
            key: "p1".into(),
            data: Some(serde_json::json!({"n": 1})),
            province: None,
            user_id: None,
        })
        .unwrap();
    store
        .publish(&NewChange {
            kind: "recall".into(),
            key: "r66".into(),
            data: Some(serde_json::json!({})),
            province: Some("66".into()),
            user_id: None,
        })
        .unwrap();
    store
        .publish(&NewChange {
            kind: "recall".into(),
            key: "r01".into(),
            data: Some(serde_json::json!({})),
            province: Some("01".into()),
            user_id: None,
        })
        .unwrap();
    store
        .set_event_status(
            &events[0].id,
            Some(&EventError { code: "revoked".into(), status: 409, detail: "fake".into() }),
        )
        .unwrap();
    assert!(matches!(store.set_event_status("no-such-event", None), Err(StoreError::NotFound(_))));
    let a = store.user_by_id(alice).unwrap().unwrap();
    let b = store.user_by_id(bob).unwrap().unwrap();
    let keys = |u, after, limit| {
        let page = store.pull(u, after, limit).unwrap();
        (page.changes.iter().map(|c| c.key.clone()).collect::<Vec<_>>(), page.last, page.has_more)
    };
    let (alice_keys, last, more) = keys(&a, 0, 2);
    assert_eq!((alice_keys, more), (vec!["p1".to_owned(), "r66".to_owned()], true));
    let (rest, end, more) = keys(&a, last, 10);
    assert_eq!((rest, more), (vec![events[0].id.clone()], false));
    assert_eq!(keys(&a, end, 10), (vec![], end, false), "an empty page keeps the position");
    assert_eq!(keys(&b, 0, 10).0, ["p1", "r01"]);
    let revoked = store.pull(&a, last, 10).unwrap().changes.remove(0);
    assert_eq!((revoked.kind.as_str(), revoked.data["status"].as_str()), ("event_status", Some("rejected")));
    let stored = store.events(&EventQuery { limit: 1, ..Default::default() }).unwrap().remove(0);
    assert_eq!((stored.status.as_str(), stored.error.map(|e| e.code)), ("rejected", Some("revoked".into())));

    // The trace index: accepted events only (not the rejected, nor the revoked).
    let traced = store.trace(GTIN, None, Some("S1"), true).unwrap();
    assert_eq!(traced.len(), 5, "6 accepted, one of them revoked since");
    assert!(traced.iter().all(|(role, e)| *role == TraceRole::Subject && e.status == "accepted"));
    assert!(store.trace(GTIN, None, Some("S1"), false).unwrap().is_empty(), "they are all scans");
    assert_eq!(store.trace(GTIN, None, None, true).unwrap().len(), 5);
    assert!(store.trace(GTIN, Some("L1"), None, true).unwrap().is_empty());
    assert_eq!(store.site_events("8934563000004", "scan").unwrap().len(), 5);
    assert!(store.site_events("8934563000004", "harvest").unwrap().is_empty());
    assert_eq!(store.event_provinces(&events[1].id).unwrap(), Some(vec![None]), "a place not in the catalog");
    assert_eq!(store.event_provinces("no-such-event").unwrap(), None);

    catalog_contract(store);
}

fn catalog_contract(store: &dyn Store) {
    let company = Company {
        key: "caonguyen".into(),
        name: "Công ty Cà phê Cao Nguyên".into(),
        tax_code: Some("6000123456".into()),
        gln: Some("8934563000011".into()),
        province: Some("66".into()),
        address: None,
        phone: None,
        email: None,
        website: None,
        prefixes: vec!["8934563".into()],
    };
    let farm = Location {
        gln: "8934563000028".into(),
        company: Some("caonguyen".into()),
        kind: "farm".into(),
        name: "Vườn Ea Tu".into(),
        address: None,
        province: Some("66".into()),
        lat: Some(12.7),
        lon: Some(108.1),
    };
    let product = Product {
        gtin: GTIN.into(),
        company: Some("caonguyen".into()),
        name_vi: "Cà phê Robusta rang xay".into(),
        name_en: Some("Ground robusta coffee".into()),
        brand: Some("Cao Nguyên".into()),
        category: Some("coffee".into()),
        origin_province: Some("66".into()),
        description_vi: None,
        description_en: None,
        image: None,
    };
    let lot = Lot {
        gtin: GTIN.into(),
        lot: "L1".into(),
        production_date: Some("2026-11-01".into()),
        expiry: Some("2027-11-01".into()),
        quantity: Some(100.0),
        unit: Some("box".into()),
        origin_gln: Some(farm.gln.clone()),
    };
    let cert = Certification {
        subject: farm.gln.clone(),
        scheme: "VietGAP".into(),
        issuer: Some("Trung tâm Chứng nhận".into()),
        number: Some("VG-1".into()),
        valid_from: Some("2026-01-01".into()),
        valid_to: Some("2028-01-01".into()),
        source: CertSource::Authority,
    };
    let recall = Recall {
        id: "R1".into(),
        gtin: GTIN.into(),
        lots: vec!["L1".into()],
        reason_vi: "Nấm mốc".into(),
        reason_en: Some("Mould".into()),
        severity: "high".into(),
        declared_by: Some("authority".into()),
        declared_at: "2026-11-20T09:00:00Z".into(),
        province: None,
    };
    // A product of a company that does not exist: nothing of the batch is kept.
    let orphan = Catalog {
        companies: vec![Company { key: "other".into(), gln: None, tax_code: None, ..company.clone() }],
        products: vec![Product { company: Some("nobody".into()), ..product.clone() }],
        ..Catalog::default()
    };
    assert!(matches!(store.apply_catalog(&orphan), Err(StoreError::Conflict(_))));
    assert!(store.company("other").unwrap().is_none());

    let catalog = Catalog {
        companies: vec![company.clone()],
        locations: vec![farm.clone()],
        products: vec![product.clone()],
        certifications: vec![cert.clone()],
        lots: vec![lot.clone()],
        serials: vec![Serial { gtin: GTIN.into(), serial: "S1".into(), lot: Some("L1".into()) }],
        suppliers: vec![Supplier { gtin: GTIN.into(), gln: "8936120000014".into() }],
        recalls: vec![recall.clone()],
    };
    store.apply_catalog(&catalog).unwrap();
    store.apply_catalog(&catalog).unwrap();
    assert_eq!(store.company("caonguyen").unwrap(), Some(company.clone()));
    assert_eq!(store.company_by_gln(&farm.gln).unwrap(), Some(company.clone()));
    assert_eq!(store.company_by_gln("8934563000011").unwrap(), Some(company.clone()));
    let company_again = company;
    assert_eq!(store.location(&farm.gln).unwrap(), Some(farm.clone()));
    assert_eq!(store.product(GTIN).unwrap(), Some(product.clone()));
    assert_eq!(store.lot(GTIN, "L1").unwrap(), Some(lot));
    assert_eq!(store.serial_lot(GTIN, "S1").unwrap().as_deref(), Some("L1"));
    assert_eq!(store.certifications(&[farm.gln.clone(), GTIN.into()]).unwrap(), vec![cert]);
    assert_eq!(store.recalls(GTIN, Some("L1")).unwrap(), vec![recall.clone()]);
    assert_eq!(store.recalls(GTIN, None).unwrap(), vec![recall.clone()]);
    assert!(store.recalls(GTIN, Some("L2")).unwrap().is_empty());
    assert_eq!(store.suppliers(GTIN).unwrap(), ["8936120000014"]);
    let owner = |gtin: &str| store.prefix_owner(gtin).unwrap().map(|c| c.key);
    assert_eq!(owner("08934563999994").as_deref(), Some("caonguyen"), "a GTIN inside the prefix");
    assert_eq!(owner("08934564000003"), None);
    // A prefix belongs to one company.
    let squatter = Company { key: "squatter".into(), gln: None, tax_code: None, ..company_again.clone() };
    let taken = Catalog { companies: vec![squatter], ..Catalog::default() };
    assert!(matches!(store.apply_catalog(&taken), Err(StoreError::Conflict(_))));
    assert!(store.company("squatter").unwrap().is_none());

    // A recall and its notices are one write: a notice that cannot be
    // stored (no such account) leaves no recall behind.
    let second = Recall { id: "R2".into(), lots: vec!["L9".into()], ..recall.clone() };
    let with_notice = Catalog { recalls: vec![second], ..Catalog::default() };
    let notice = NewChange {
        kind: "recall".into(),
        key: "R2".into(),
        data: None,
        province: None,
        user_id: Some(999_999),
    };
    assert!(store.apply_catalog_with(&with_notice, &[notice]).is_err());
    assert!(store.recall("R2").unwrap().is_none(), "the recall was rolled back with its notice");

    for q in ["ca phe", "CÀ PHÊ rang", "robusta", "cao nguyen", "0893456313"] {
        let (items, total) = store.search_products(q, 10, 0).unwrap();
        assert_eq!((items.len(), total), (1, 1), "{q}");
    }
    assert_eq!(store.search_products("ca phe tra", 10, 0).unwrap().1, 0, "every word must match");
    assert_eq!(store.search_products("  ", 10, 0).unwrap().1, 0);
    assert!(store.search_products("ca phe", 10, 1).unwrap().0.is_empty());
}

#[test]
fn sqlite_store_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("contract.db")).unwrap();
    contract(&store);
}

#[test]
fn sqlite_store_refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(SqliteStore::open(&path).unwrap());
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    assert!(matches!(SqliteStore::open(&path), Err(StoreError::TooNew { found: 99, .. })));
}

/// Every table, index, view and trigger with its definition (whitespace
/// folded), as SQLite keeps them.
fn schema_of(path: &std::path::Path) -> Vec<(String, String, String)> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut stmt =
        c.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name").unwrap();
    stmt.query_map([], |r| {
        let sql: String = r.get(2)?;
        Ok((r.get(0)?, r.get(1)?, sql.split_whitespace().collect::<Vec<_>>().join(" ")))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn a_schema_7_database_becomes_what_a_fresh_one_is_and_keeps_its_records() {
    // Made by scripts/make-server-v7-fixture.py with schema version 7.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v7.db");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/server/server-v7.db"),
        &old,
    )
    .unwrap();
    let version = |p: &std::path::Path| -> i64 {
        rusqlite::Connection::open(p).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(version(&old), 7);
    let store = SqliteStore::open(&old).unwrap();
    let fresh = dir.path().join("fresh.db");
    drop(SqliteStore::open(&fresh).unwrap());
    assert_eq!(version(&old), version(&fresh));
    let (upgraded, new) = (schema_of(&old), schema_of(&fresh));
    let differ: Vec<_> = upgraded
        .iter()
        .filter(|e| !new.contains(e))
        .chain(new.iter().filter(|e| !upgraded.contains(e)))
        .collect();
    assert!(differ.is_empty(), "the upgraded schema is not the fresh one: {differ:#?}");

    let farmer = store.user_by_name("farmer").unwrap().unwrap();
    assert_eq!(
        (farmer.role, farmer.province.as_deref(), farmer.glns.clone()),
        (Role::Farmer, Some("66"), vec![FARM_V7.to_owned()])
    );
    assert_eq!(store.event_count().unwrap(), 2);
    let story = store.trace(GTIN_V7, Some("RX-V7"), None, true).unwrap();
    assert_eq!(story.iter().map(|(_, e)| e.kind.as_str()).collect::<Vec<_>>(), ["harvest", "scan"]);
    assert_eq!(store.site_events(FARM_V7, "harvest").unwrap().len(), 1);
    assert_eq!(store.product(GTIN_V7).unwrap().unwrap().company.as_deref(), Some("caonguyen"));
    assert_eq!(store.search_products("ca phe robusta", 10, 0).unwrap().1, 1);
    assert!(store.company("caonguyen").unwrap().unwrap().prefixes.is_empty(), "no prefix recorded yet");
    let certs = store.certifications(&[FARM_V7.to_owned()]).unwrap();
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0].source, CertSource::Company, "a certificate of unknown origin counts as declared");
    assert_eq!(store.recalls(GTIN_V7, Some("RX-V7")).unwrap()[0].id, "R-V7");
    assert_eq!(store.revocations(GTIN_V7).unwrap()[0].serial, "FAKE1");
    let complaint = store.complaint("TX-V7V7V7V7V7").unwrap().unwrap();
    assert_eq!((complaint.status.as_str(), complaint.history.len()), ("received", 1));
    // The widened role check admits the roles added since.
    for (name, role) in [("partner1", Role::Partner), ("tncert", Role::Certifier)] {
        let id = user(&store, name, role, None);
        assert_eq!(store.user_by_id(id).unwrap().unwrap().role, role);
    }
}

const GTIN_V7: &str = "08936120100110";
const FARM_V7: &str = "8936120000014";

#[test]
fn schema_10_computes_the_hashes_and_index_of_captured_events_again() {
    // A database of schema 9 kept hashes (and places and the identifier
    // index) made by the earlier rules; upgrading computes them again from
    // the events as captured, and leaves them immutable.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v9.db");
    let store = SqliteStore::open(&path).unwrap();
    let authority = user(&store, "authority", Role::Authority, None);
    let context = serde_json::json!(["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]);
    let event = serde_json::json!({
        "type": "ObjectEvent", "action": "OBSERVE", "eventID": "ni:///sha-256;keep?ver=CBV2.0",
        "eventTime": "2026-11-20T08:00:00.1415Z", "eventTimeZoneOffset": "+07:00",
        "epcList": ["https://example.com/01/08936120100110/21/S1"],
        "bizStep": "inspecting", "readPoint": {"id": "urn:epc:id:sgln:893612.00001.0"},
        "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:8936120000014:42"}],
    });
    let harvest = serde_json::json!({
        "type": "ObjectEvent", "action": "ADD", "eventTime": "2026-11-01T07:00:00+07:00",
        "eventTimeZoneOffset": "+07:00", "epcList": [], "bizStep": "commissioning",
        "quantityList": [{"epcClass": "https://id.gs1.org/01/08936120900017/10/V9", "quantity": 5, "uom": "KGM"}],
        "bizLocation": {"id": "https://id.gs1.org/414/8936120000014"},
    });
    let doc = serde_json::json!({"@context": context, "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2026-11-20T00:00:00Z", "epcisBody": {"eventList": [event, harvest]}});
    let events = truyxuat_server::domain::epcis::index_document(&doc).unwrap();
    let indexed = events[0].clone();
    assert_eq!(events[1].chain.len(), 1, "a harvest");
    store.capture_epcis("cap-1", authority, &context.to_string(), &events).unwrap();
    drop(store);

    let c = rusqlite::Connection::open(&path).unwrap();
    let trigger: String = c
        .query_row("SELECT sql FROM sqlite_schema WHERE name = 'epcis_events_fixed'", [], |r| r.get(0))
        .unwrap();
    c.execute_batch(
        "DROP TRIGGER epcis_events_fixed;
         UPDATE epcis_events SET hash = 'ni:///sha-256;old?ver=CBV2.0', read_point = 'old' WHERE seq = 1;
         UPDATE epcis_events SET retracted = 1 WHERE seq = 2;
         DELETE FROM epcis_epcs WHERE seq = 1;
         -- What schema 10 added.
         DROP TABLE epcis_steps;
         DROP INDEX scan_facts_user; ALTER TABLE scan_facts DROP COLUMN user_id;",
    )
    .unwrap();
    c.execute_batch(support::UNDO_SCHEMA_10).unwrap();
    c.execute_batch(&trigger).unwrap();
    c.pragma_update(None, "user_version", 9).unwrap();
    drop(c);

    let store = SqliteStore::open(&path).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    let (event_id, hash, read_point): (String, String, String) = c
        .query_row("SELECT event_id, hash, read_point FROM epcis_events WHERE seq = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(event_id, "ni:///sha-256;keep?ver=CBV2.0", "an eventID handed out stays");
    assert_eq!(hash, indexed.hash);
    assert_eq!(read_point, indexed.read_point.clone().unwrap());
    let epcs: i64 = c.query_row("SELECT count(*) FROM epcis_epcs WHERE seq = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(epcs as usize, indexed.epcs.len());
    let found = store
        .epcis_events(&truyxuat_server::store::EpcisQuery {
            match_epc: vec!["https://id.gs1.org/01/08936120100110/21/S1".into()],
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1, "the identifier index is whole again");
    // The harvest's step is found again, and, its event retracted, corrected.
    let step: (i64, String) = c
        .query_row(
            "SELECT s.seq, v.error_code FROM epcis_steps s JOIN events v ON v.server_seq = s.server_seq",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(step, (2, "corrected".to_owned()));
    assert_eq!(store.corrected_trace("08936120900017", "V9").unwrap().len(), 1);
    assert!(store.trace("08936120900017", Some("V9"), None, false).unwrap().is_empty());
    let err = c.execute("UPDATE epcis_events SET hash = 'x'", []).unwrap_err();
    assert!(err.to_string().contains("immutable"), "{err}");
}
