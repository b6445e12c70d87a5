//! Resolutions kept in memory. Scans are read far more than written, and
//! the same popular products are scanned again and again, so a resolution is
//! kept until something it depends on changes.
//!
//! Invariant: an entry is served only while the generation of its GTIN and
//! the global generation are those it was computed under. The API bumps the
//! GTIN's generation after every write that touches it (events, catalog
//! records, recalls) and the global one after writes it cannot map to GTINs
//! (companies, locations, farm diaries, status changes). Writes made around
//! the API (another process on the same database) are seen within [`TTL`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;

use crate::actions::provenance::Provenance;

/// The longest an entry lives.
pub const TTL: Duration = Duration::from_secs(60);
/// Entries kept at most; beyond that the cache starts again empty.
const MAX_ENTRIES: usize = 100_000;

pub struct Entry {
    pub provenance: Arc<Provenance>,
    /// Its JSON, made once.
    pub json: Bytes,
    gtin_generation: u64,
    global_generation: u64,
    made: Instant,
}

/// The generations a computation starts under.
#[derive(Clone, Copy)]
pub struct Stamp {
    gtin: u64,
    global: u64,
}

pub struct ResolveCache {
    enabled: bool,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
    generations: Mutex<HashMap<String, u64>>,
    global: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl ResolveCache {
    pub fn new(enabled: bool) -> ResolveCache {
        ResolveCache {
            enabled,
            entries: Mutex::new(HashMap::new()),
            generations: Mutex::new(HashMap::new()),
            global: AtomicU64::new(0),
        }
    }

    /// Take before computing, so that a write during the computation makes
    /// the result stale rather than lost.
    pub fn stamp(&self, gtin: Option<&str>) -> Stamp {
        let global = self.global.load(Ordering::Acquire);
        let gtin = gtin.and_then(|g| lock(&self.generations).get(g).copied()).unwrap_or(0);
        Stamp { gtin, global }
    }

    pub fn get(&self, key: &str, gtin: Option<&str>) -> Option<Arc<Entry>> {
        if !self.enabled {
            return None;
        }
        let entry = lock(&self.entries).get(key).cloned()?;
        let now = self.stamp(gtin);
        (entry.gtin_generation == now.gtin
            && entry.global_generation == now.global
            && entry.made.elapsed() < TTL)
            .then_some(entry)
    }

    pub fn put(&self, key: String, stamp: Stamp, provenance: Arc<Provenance>) -> Arc<Entry> {
        let json = Bytes::from(serde_json::to_vec(&*provenance).unwrap_or_default());
        let entry = Arc::new(Entry {
            provenance,
            json,
            gtin_generation: stamp.gtin,
            global_generation: stamp.global,
            made: Instant::now(),
        });
        if self.enabled {
            let mut entries = lock(&self.entries);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, entry.clone());
        }
        entry
    }

    /// Something about these GTINs changed.
    pub fn touch<'a>(&self, gtins: impl IntoIterator<Item = &'a str>) {
        let mut generations = lock(&self.generations);
        for g in gtins {
            *generations.entry(g.to_owned()).or_default() += 1;
        }
    }

    /// Something changed that any resolution may show.
    pub fn touch_all(&self) {
        self.global.fetch_add(1, Ordering::AcqRel);
    }
}
