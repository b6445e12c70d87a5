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

use crate::actions::provenance::{CodeInfo, Provenance};

/// The longest an entry lives.
pub const TTL: Duration = Duration::from_secs(60);
/// The memory entries may take at most, by default (beyond it the least
/// used go first).
pub const DEFAULT_BYTES: u64 = 64 << 20;

pub struct Entry {
    pub provenance: Arc<Provenance>,
    /// Its JSON, made once.
    pub json: Bytes,
    gtin_generation: u64,
    global_generation: u64,
    made: Instant,
}

impl Entry {
    fn new(provenance: Arc<Provenance>, stamp: Stamp) -> Entry {
        let json = Bytes::from(serde_json::to_vec(&*provenance).unwrap_or_default());
        Entry {
            provenance,
            json,
            gtin_generation: stamp.gtin,
            global_generation: stamp.global,
            made: Instant::now(),
        }
    }

    /// The same answer for another spelling of its code (the code as read
    /// is part of the answer).
    pub fn as_asked(self: &Arc<Entry>, code: &CodeInfo) -> Arc<Entry> {
        if self.provenance.code == *code {
            return self.clone();
        }
        let mut provenance = (*self.provenance).clone();
        provenance.code = code.clone();
        let stamp = Stamp { gtin: self.gtin_generation, global: self.global_generation };
        Arc::new(Entry { made: self.made, ..Entry::new(Arc::new(provenance), stamp) })
    }
}

/// What an entry weighs: its JSON, about as much again for the answer it
/// was made from, and its key.
#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<String, Arc<Entry>> for Weight {
    fn weight(&self, key: &String, entry: &Arc<Entry>) -> u64 {
        (key.len() + 2 * entry.json.len() + 512) as u64
    }
}

/// The generations a computation starts under.
#[derive(Clone, Copy)]
pub struct Stamp {
    gtin: u64,
    global: u64,
}

pub struct ResolveCache {
    enabled: bool,
    entries: quick_cache::sync::Cache<String, Arc<Entry>, Weight>,
    generations: Mutex<HashMap<String, u64>>,
    global: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl ResolveCache {
    /// A cache (`enabled`: else it keeps nothing) of at most `bytes`.
    pub fn new(enabled: bool, bytes: u64) -> ResolveCache {
        ResolveCache {
            enabled,
            entries: quick_cache::sync::Cache::with_weighter(
                (bytes / 16_384).max(16) as usize,
                bytes,
                Weight,
            ),
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
        let entry = self.entries.get(key)?;
        let now = self.stamp(gtin);
        (entry.gtin_generation == now.gtin
            && entry.global_generation == now.global
            && entry.made.elapsed() < TTL)
            .then_some(entry)
    }

    /// Keep an answer under `key` (`None`: answer it without keeping it).
    pub fn put(&self, key: Option<String>, stamp: Stamp, provenance: Arc<Provenance>) -> Arc<Entry> {
        let entry = Arc::new(Entry::new(provenance, stamp));
        if let (true, Some(key)) = (self.enabled, key) {
            self.entries.insert(key, entry.clone());
        }
        entry
    }

    /// The memory the entries take now (as [`Weight`] counts it).
    pub fn weight(&self) -> u64 {
        self.entries.weight()
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
