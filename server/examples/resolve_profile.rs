//! Time `provenance::resolve` in one thread, without HTTP, on a data set from
//! `gen_dataset`: `resolve_profile DB CODES [N]`.
use std::time::Instant;

use truyxuat_server::actions::provenance;
use truyxuat_server::store::SqliteStore;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let store = SqliteStore::open(std::path::Path::new(&args[1])).unwrap();
    let codes: Vec<String> = std::fs::read_to_string(&args[2])
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(g, l)| format!("(01){g}(10){l}")))
        .collect();
    let n: usize = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(2000);
    let today = truyxuat_server::clock::now().vn_day();
    let t = Instant::now();
    let mut bytes = 0;
    for i in 0..n {
        let p = provenance::resolve(&store, &codes[i % codes.len()], &today).unwrap();
        bytes += serde_json::to_vec(&p).unwrap().len();
    }
    let per = t.elapsed().as_secs_f64() / n as f64;
    println!(
        "{:.0} µs per resolution ({:.0}/s in one thread), {} bytes each",
        per * 1e6,
        1.0 / per,
        bytes / n
    );
}
