//! Durable journal appends per second (each append its own transaction,
//! `synchronous=FULL`, WAL), on a temporary file.
//!
//!     cargo run --release -p truyxuat-core --example journal_bench [-- N]

use std::time::Instant;

use truyxuat_core::journal::{EventBody, Journal, Scan};

fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5000);
    let dir = std::env::temp_dir().join(format!("truyxuat-journal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut j = Journal::open(&dir.join("bench.db")).expect("open");
    let body = EventBody::Scan(Scan {
        raw_text: "]C1010893456313801117271231".into(),
        symbology_id: Some("]C1".into()),
        element_string: Some("(01)08934563138011(17)271231".into()),
        location: None,
        answer_shown: Some("ok".into()),
    });
    let t = Instant::now();
    for _ in 0..n {
        j.append(&body).expect("append");
    }
    let secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let report = j.verify().expect("verify");
    let verify_secs = t.elapsed().as_secs_f64();
    println!(
        "{n} durable appends in {secs:.2} s = {:.0}/s; verify of {} events in {:.3} s (chain ok: {})",
        f64::from(n) / secs,
        report.events,
        verify_secs,
        report.ok()
    );
    drop(j);
    let _ = std::fs::remove_dir_all(&dir);
}
