//! Which of this phone's past scans are of recalled lots, from the recalls
//! its last pull brought (so it works offline).
//!
//! Invariant: reads the journal only; a recall is matched on GTIN-14 and
//! lot, as the server declared them.

use serde::Serialize;

use crate::gs1;
use crate::journal::{EventBody, Journal, JournalError};

/// One past scan of a recalled lot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecalledScan {
    pub seq: i64,
    pub event_id: String,
    pub scanned_at: String,
    pub gtin: String,
    pub lot: String,
    pub recall_id: String,
    pub severity: String,
    pub reason_vi: String,
    pub reason_en: Option<String>,
}

/// GTIN-14 and lot of a scanned text, when it names both.
fn gtin_lot(text: &str) -> Option<(String, String)> {
    let m = gs1::parse_any(text, &gs1::Options::default()).ok()?;
    Some((m.gtin14()?, m.get("10")?.to_owned()))
}

/// This journal's scans of lots that a cached recall names, oldest first.
pub fn recalled_scans(journal: &Journal) -> Result<Vec<RecalledScan>, JournalError> {
    let recalls = crate::lookup::pulled_recalls(journal)?;
    if recalls.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = journal.list(after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            let EventBody::Scan(s) = &e.body else { continue };
            let named = s.element_string.as_deref().and_then(gtin_lot).or_else(|| gtin_lot(&s.raw_text));
            let Some((gtin, lot)) = named else { continue };
            for r in recalls.iter().filter(|r| r.covers(&gtin, &lot)) {
                out.push(RecalledScan {
                    seq: e.seq,
                    event_id: e.id.clone(),
                    scanned_at: e.device_time.clone(),
                    gtin: gtin.clone(),
                    lot: lot.clone(),
                    recall_id: r.id.clone(),
                    severity: r.severity.clone(),
                    reason_vi: r.reason_vi.clone(),
                    reason_en: r.reason_en.clone(),
                });
            }
        }
    }
    Ok(out)
}
