//! Sync figures: push of N events (default 100,000) from one device's
//! journal to a real server over loopback, and the server's ingest rate next
//! to a raw batched INSERT of the same rows (each event and its trace-index
//! row) into the same schema.
//!
//! `cargo run --release -p truyxuat-server --example sync_bench [-- --events N --batch B]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::params;
use truyxuat_core::journal::{EventBody, Journal, Scan};
use truyxuat_core::sync::wire::WireEvent;
use truyxuat_core::sync::{Client, HttpTransport, Policy};
use truyxuat_server::auth::{self, Keys};
use truyxuat_server::domain::account::{NewUser, Role};
use truyxuat_server::domain::ingest;
use truyxuat_server::state::{AppState, Limits};
use truyxuat_server::store::{SqliteStore, Store};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn new_store(path: &std::path::Path) -> (Arc<SqliteStore>, i64) {
    let store = Arc::new(SqliteStore::open(path).unwrap());
    let user = store
        .create_user(&NewUser {
            username: "bench".into(),
            password_hash: auth::hash_password("bench-password").unwrap(),
            role: Role::Inspector,
            province: Some("01".into()),
            glns: vec![],
        })
        .unwrap();
    (store, user.id)
}

fn main() {
    let n = arg("--events", 100_000);
    let batch = arg("--batch", 1000);
    let dir = tempfile::tempdir().unwrap();

    // A phone's journal with n pending scans.
    let t = Instant::now();
    let mut journal = Journal::open(&dir.path().join("phone.journal")).unwrap();
    for i in 0..n {
        let body = EventBody::Scan(Scan {
            raw_text: format!("(01)08934563138011(21)SN{i:07}"),
            symbology_id: Some("]d2".into()),
            element_string: Some(format!("(01)08934563138011(21)SN{i:07}")),
            location: None,
            answer_shown: Some("ok".into()),
        });
        journal.append(&body).unwrap();
    }
    eprintln!("journal: {n} durable appends in {:.1} s", t.elapsed().as_secs_f64());

    // A real server on loopback.
    let (store, _) = new_store(&dir.path().join("server.db"));
    let keys = Keys::from_secret(b"bench-secret-0123456789abcdef0123456789", Duration::from_secs(3600));
    let limits = Limits { user_rate: 1e9, user_burst: 1_000_000, ..Limits::default() };
    let state = AppState::new(store.clone(), keys, limits, truyxuat_server::auth::PackSigner::generate());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(truyxuat_server::run(listener, state, Default::default(), std::future::pending()));

    let policy = Policy { push_batch: batch as u32, ..Policy::default() };
    let client = Client::new(HttpTransport::new(&url)).with_policy(policy);
    client.login(&mut journal, "bench", "bench-password").unwrap();
    let t = Instant::now();
    let report = client.sync(&mut journal).unwrap();
    let push_s = t.elapsed().as_secs_f64();
    assert_eq!((report.pushed as usize, report.pending), (n, 0));
    assert_eq!(store.event_count().unwrap() as usize, n);
    println!(
        "push: {n} events in {push_s:.2} s over loopback ({:.0} events/s, batches of {batch}, {} requests)",
        n as f64 / push_s,
        report.requests
    );

    // Server ingest alone (checks + store) vs a raw batched INSERT of the same rows.
    let wire: Vec<WireEvent> = journal
        .list(0, n as u32)
        .unwrap()
        .into_iter()
        .map(|e| WireEvent {
            payload: serde_json::to_value(&e.body).unwrap()["payload"].clone(),
            kind: e.body.kind().into(),
            id: e.id,
            seq: e.seq,
            device_time: e.device_time,
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
        .collect();
    let device = journal.device_id().to_owned();

    let (ingest_store, uid) = new_store(&dir.path().join("ingest.db"));
    ingest_store.register_device(uid, &device, None).unwrap();
    let user = ingest_store.user_by_id(uid).unwrap().unwrap();
    let (mut check_s, mut store_s) = (0.0, 0.0);
    for chunk in wire.chunks(batch) {
        let t = Instant::now();
        let candidates: Vec<_> = chunk
            .iter()
            .cloned()
            .map(|e| ingest::check(&user, &device, e, &Default::default(), truyxuat_server::clock::now()))
            .collect();
        check_s += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let results = ingest_store.push(uid, &device, &candidates).unwrap();
        store_s += t.elapsed().as_secs_f64();
        debug_assert!(results.iter().all(|r| r.error.is_none()));
    }
    let ingest_s = check_s + store_s;
    println!(
        "ingest time per event: checks {:.1} µs, store {:.1} µs",
        check_s * 1e6 / n as f64,
        store_s * 1e6 / n as f64
    );
    assert_eq!(ingest_store.event_count().unwrap() as usize, n);

    let (raw_store, uid) = new_store(&dir.path().join("raw.db"));
    raw_store.register_device(uid, &device, None).unwrap();
    drop(raw_store);
    let mut conn = rusqlite::Connection::open(dir.path().join("raw.db")).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let payloads: Vec<String> =
        wire.iter().map(|e| truyxuat_core::journal::canonical_json(&e.payload)).collect();
    // The server also indexes each scan under its GTIN and serial: the same rows here.
    let serials: Vec<String> = (0..n).map(|i| format!("SN{i:07}")).collect();
    let t = Instant::now();
    for ((chunk, texts), serials) in wire.chunks(batch).zip(payloads.chunks(batch)).zip(serials.chunks(batch))
    {
        let tx = conn.transaction().unwrap();
        {
            let mut trace = tx
                .prepare_cached(
                    "INSERT INTO trace (gtin, lot, serial, role, server_seq) VALUES ('08934563138011', '', ?1, 'subject', ?2)",
                )
                .unwrap();
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO events (id, device_id, seq, user_id, kind, payload, device_time, prev_hash, hash,
                                         status, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'accepted', ?10)",
                )
                .unwrap();
            for ((e, text), serial) in chunk.iter().zip(texts).zip(serials) {
                insert
                    .execute(params![
                        e.id,
                        device,
                        e.seq,
                        uid,
                        e.kind,
                        text,
                        e.device_time,
                        e.prev_hash,
                        e.hash,
                        "now"
                    ])
                    .unwrap();
                trace.execute(params![serial, tx.last_insert_rowid()]).unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let raw_s = t.elapsed().as_secs_f64();
    let count = |path: &str| -> i64 {
        rusqlite::Connection::open(dir.path().join(path))
            .unwrap()
            .query_row("SELECT COUNT(*) FROM trace", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count("raw.db"), count("ingest.db"), "both wrote the same index rows");
    println!(
        "ingest: {:.0} events/s (checks + store, batches of {batch}); raw batched INSERT: {:.0} rows/s; ratio {:.2}",
        n as f64 / ingest_s,
        n as f64 / raw_s,
        raw_s / ingest_s
    );
}
