//! Crash: a phone process writing events is killed with SIGKILL at random
//! points. Every event it reported as saved is there after reopening, the
//! chain verifies, and sync completes.

mod support;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use support::{Server, bin, device_ok, events_from, journal_path};
use truyxuat_core::journal::Journal;

#[test]
fn events_reported_saved_survive_sigkill_and_then_sync() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal_path(&dir, "inspector");
    let mut rng = StdRng::seed_from_u64(99);
    let mut reported: Vec<(i64, String)> = Vec::new();
    for round in 0..6 {
        let mut child = Command::new(bin())
            .args(["device", "--journal"])
            .arg(&journal)
            .args(["scan", "--repeat", "1000000", &format!("(01)08934563138011(10)R{round}")])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.random_range(60..400)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let mut out = String::new();
        child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
        // Only complete lines were reported; a torn last line was not.
        for line in out.lines() {
            if let Ok(v) = serde_json::from_str::<Value>(line) {
                reported.push((v["saved"].as_i64().unwrap(), v["id"].as_str().unwrap().to_owned()));
            }
        }
    }
    assert!(reported.len() > 20, "the writer got some work done: {}", reported.len());

    let j = Journal::open(&journal).unwrap();
    let report = j.verify().unwrap();
    assert!(report.ok(), "{report:?}");
    let stored = j.list(0, 1_000_000).unwrap();
    for (seq, id) in &reported {
        let e =
            stored.get(*seq as usize - 1).unwrap_or_else(|| panic!("event {seq} reported saved is missing"));
        assert_eq!(&e.id, id);
    }
    assert!(stored.len() >= reported.len());
    let total = stored.len();
    let device_id = j.device_id().to_owned();
    drop(j);

    let server = Server::start(&["--user-rate", "10000"]);
    device_ok(&journal, &["init", "--server", &server.url]);
    device_ok(&journal, &["login", "--user", "inspector", "--password", "demo"]);
    let sync = device_ok(&journal, &["sync"]);
    assert_eq!((sync["pushed"].as_u64(), sync["pending"].as_u64()), (Some(total as u64), Some(0)));
    assert_eq!(events_from(&server.url, &[&device_id]).len(), total);
}
