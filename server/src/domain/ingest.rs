//! Checks on a pushed event that need no stored state: shape, hash, content
//! and who may write it (`rights::record`, with the facts handed in). The
//! store then decides duplicates and chain links.
//!
//! Invariant: a pure function of the event, the user and the facts; no I/O.

use truyxuat_core::gs1;
use truyxuat_core::journal::{
    ComplaintReport, EventBody, LotRef, canonical_json, complaint_tracking_code, event_hash_canonical,
    valid_date,
};
use truyxuat_core::sync::wire::{EventError, WireEvent};

use crate::clock::Moment;
use crate::domain::account::User;
use crate::domain::catalog::{TraceKey, TraceRole, gtin14};
use crate::domain::complaint::NewComplaint;
use crate::domain::rights::{self, ProducerFacts};

/// One pushed event with the verdict of the checks that need no stored
/// state.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub event: WireEvent,
    pub verdict: std::result::Result<Accepted, EventError>,
}

/// What an acceptable event brings to the store.
#[derive(Clone, Debug)]
pub struct Accepted {
    /// The payload in canonical JSON.
    pub payload: String,
    /// The index entries it gets once stored.
    pub trace: Vec<TraceKey>,
    /// The complaint it opens, for a complaint event.
    pub complaint: Option<NewComplaint>,
    /// The event as EPCIS 2.0, for the kinds other systems can query.
    pub epcis: Option<crate::domain::epcis::IndexedEvent>,
}

fn invalid(detail: impl Into<String>) -> EventError {
    EventError { code: "invalid_event".into(), status: 422, detail: detail.into() }
}

fn forbidden(detail: impl Into<String>) -> EventError {
    EventError { code: "forbidden".into(), status: 403, detail: detail.into() }
}

/// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
fn valid_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once('T') else { return false };
    // `get`, not indexing: the text may hold multi-byte characters anywhere.
    let field = |r: std::ops::Range<usize>, max: u32| {
        time.get(r).and_then(|f| f.parse::<u32>().ok()).is_some_and(|v| v < max)
    };
    let b = time.as_bytes();
    valid_date(date)
        && b.len() >= 9
        && b[2] == b':'
        && b[5] == b':'
        && field(0..2, 24)
        && field(3..5, 60)
        && field(6..8, 61)
        && (time.ends_with('Z') || time.len() >= 14)
}

fn item(gtin: &str, lot: Option<&str>, serial: Option<&str>, role: TraceRole) -> Option<TraceKey> {
    Some(TraceKey::Item {
        gtin: gtin14(gtin)?,
        lot: lot.unwrap_or_default().to_owned(),
        serial: serial.unwrap_or_default().to_owned(),
        role,
    })
}

/// The product, lot and serial a scanned or typed code names.
fn coded_item(text: &str) -> Option<TraceKey> {
    let msg = gs1::parse_any(text, &gs1::Options::default()).ok()?;
    let gtin = msg.gtin14()?;
    item(&gtin, msg.get("10"), msg.get("21"), TraceRole::Subject)
}

fn site(gln: &Option<String>) -> Option<TraceKey> {
    gln.as_ref().map(|g| TraceKey::Site { gln: g.clone() })
}

/// The index entries of an accepted event: what it concerns and where.
pub fn trace_keys(body: &EventBody) -> Vec<TraceKey> {
    let lots = |refs: &[LotRef], role| -> Vec<Option<TraceKey>> {
        refs.iter().map(|l| item(&l.gtin, l.lot.as_deref(), None, role)).collect()
    };
    let keys: Vec<Option<TraceKey>> = match body {
        EventBody::Scan(s) => {
            vec![s.element_string.as_deref().and_then(coded_item).or_else(|| coded_item(&s.raw_text))]
        }
        EventBody::Harvest(h) => {
            vec![
                h.gtin.as_deref().and_then(|g| item(g, Some(&h.lot), None, TraceRole::Subject)),
                site(&h.gln),
            ]
        }
        EventBody::FarmDiary(d) => vec![site(&d.gln)],
        // A complaint is not part of the product's story.
        EventBody::Complaint(_) => vec![],
        EventBody::Inspection(i) => vec![coded_item(&i.code), site(&i.market_gln)],
        EventBody::Shipping(t) | EventBody::Receiving(t) => vec![
            item(&t.gtin, t.lot.as_deref(), None, TraceRole::Subject),
            site(&t.from_gln),
            site(&t.to_gln),
        ],
        EventBody::Transformation(t) => {
            let mut keys = lots(&t.inputs, TraceRole::Input);
            keys.extend(lots(&t.outputs, TraceRole::Output));
            keys.push(site(&t.gln));
            keys
        }
    };
    let mut out: Vec<TraceKey> = Vec::with_capacity(keys.len());
    for k in keys.into_iter().flatten() {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

fn filing(c: &ComplaintReport) -> crate::domain::complaint::Filing {
    crate::domain::complaint::Filing {
        code: c.code.clone(),
        category: c.category.clone(),
        description: c.description.clone(),
        province: c.province.clone(),
        contact: c.contact.clone(),
        photos: c.photos.clone(),
    }
}

/// The GTIN-14s whose lots a pushed event produces (see
/// `rights::produced_gtins`); none when it cannot be read.
pub fn produced(e: &WireEvent) -> Vec<String> {
    EventBody::from_parts(&e.kind, &e.payload).map(|b| rights::produced_gtins(&b)).unwrap_or_default()
}

/// How far ahead of the server's clock a phone's clock may run: a later
/// event is refused (a scan dated 2099 would move the latest day of every
/// statistic). Phones' clocks drift; a day also covers a wrong time zone.
pub const FUTURE_TOLERANCE_MS: i64 = 24 * 3_600_000;
/// A complaint counts as filed at its phone's time, but no earlier than
/// this before it arrived (a complaint dated 2000 would head the queue as
/// the most overdue).
pub const FILING_LOOKBACK_MS: i64 = 30 * 24 * 3_600_000;

/// When a complaint recorded at `device_time` counts as filed, arriving `now`.
pub fn filing_time(device_time: &str, now: Moment) -> String {
    let earliest = now.unix_ms() - FILING_LOOKBACK_MS;
    match Moment::parse(device_time) {
        Some(t) if t.unix_ms() >= earliest && t <= now => t.rfc3339(),
        Some(t) if t > now => now.rfc3339(),
        _ => Moment::from_unix_ms(earliest).rfc3339(),
    }
}

/// Check one pushed event of `device_id` written by `user`, arriving `now`:
/// shape, hash, time, content, then the right to record it (`producers`:
/// of what it produces).
pub fn check(
    user: &User,
    device_id: &str,
    e: WireEvent,
    producers: &ProducerFacts,
    now: Moment,
) -> Candidate {
    let verdict = (|| {
        if uuid::Uuid::parse_str(&e.id).is_err() {
            return Err(invalid(format!("id {:?} is not a UUID", e.id)));
        }
        if e.seq < 1 {
            return Err(invalid("seq starts at 1"));
        }
        if !valid_time(&e.device_time) {
            return Err(invalid(format!("device_time {:?} is not an RFC 3339 time", e.device_time)));
        }
        if Moment::parse(&e.device_time).is_some_and(|t| t.unix_ms() > now.unix_ms() + FUTURE_TOLERANCE_MS) {
            return Err(EventError {
                code: "device_time_in_future".into(),
                status: 422,
                detail: format!(
                    "device_time {} is more than a day after the server's time {}; set the phone's clock",
                    e.device_time,
                    now.rfc3339()
                ),
            });
        }
        let canonical = canonical_json(&e.payload);
        let expected = event_hash_canonical(
            &e.prev_hash,
            e.seq,
            &e.id,
            device_id,
            &e.kind,
            canonical.as_bytes(),
            &e.device_time,
        );
        if expected != e.hash {
            return Err(EventError {
                code: "hash_mismatch".into(),
                status: 422,
                detail: "the hash does not match the event's content".into(),
            });
        }
        let body = EventBody::from_parts(&e.kind, &e.payload)
            .map_err(|err| invalid(format!("{} event: {err}", e.kind)))?;
        body.check().map_err(invalid)?;
        rights::record(user, &body, producers).map_err(|d| forbidden(d.0))?;
        let complaint = match &body {
            EventBody::Complaint(c) => {
                let info = truyxuat_core::code::parse_code(&c.code);
                Some(NewComplaint {
                    tracking_code: complaint_tracking_code(&e.id),
                    filing: filing(c),
                    gtin: info.gtin,
                    lot: info.lot,
                    serial: info.serial,
                    filer_user_id: Some(user.id),
                    filed_at: Some(filing_time(&e.device_time, now)),
                })
            }
            _ => None,
        };
        let epcis = crate::domain::epcis::from_phone(&e.id, &e.device_time, &body);
        Ok(Accepted { payload: canonical, trace: trace_keys(&body), complaint, epcis })
    })();
    Candidate { event: e, verdict }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert!(valid_date("2024-02-29"));
        assert!(!valid_date("2023-02-29"));
        assert!(!valid_date("2024-13-01"));
        assert!(!valid_date("2024-1-01"));
        assert!(valid_time("2024-11-20T08:15:00.000Z"));
        assert!(valid_time("2024-11-20T08:15:00+07:00"));
        assert!(!valid_time("2024-11-20 08:15:00Z"));
        assert!(!valid_time("2024-11-20T25:15:00Z"));
        assert!(!valid_time("2024-11-20T00:00:0éZ"), "no panic on a multi-byte character");
        assert!(!valid_date("2024-1é-01"));
    }
}
