//! The phones' sync: push (each event checked, then stored exactly once),
//! pull (the change feed), the event feed for those who may read it, and an
//! authority's decision on a stored event.

use std::collections::BTreeSet;

use truyxuat_core::sync::wire::{self, EventError, PullResponse, PushResult, PushStatus, WireEvent};

use crate::actions::{Error, Result, Touched, Written};
use crate::clock::Moment;
use crate::domain::account::User;
use crate::domain::catalog::{TraceKey, TraceRole, gtin14};
use crate::domain::ingest;
use crate::domain::rights::{self, ProducerFacts, Producers, Reading};
use crate::store::{EventQuery, Store, StoredEvent};

/// Events one feed page holds at most.
pub const MAX_EVENTS_PAGE: u32 = 5000;

/// Who may produce the lots of each of `gtins`: the owner's GLNs (the
/// company of the registered product, else the company whose prefix covers
/// the GTIN) and the suppliers it registered.
pub fn producers(store: &dyn Store, gtins: impl IntoIterator<Item = String>) -> Result<ProducerFacts> {
    let mut facts = ProducerFacts::new();
    for gtin in gtins {
        if facts.contains_key(&gtin) {
            continue;
        }
        let owner = match store.product(&gtin)?.and_then(|p| p.company) {
            Some(key) => store.company(&key)?,
            None => store.prefix_owner(&gtin)?,
        };
        let p = match owner {
            Some(company) => {
                let mut glns: BTreeSet<String> = company.gln.into_iter().collect();
                glns.extend(store.locations_of(&company.key)?.into_iter().map(|l| l.gln));
                glns.extend(store.suppliers(&gtin)?);
                Producers { owned: true, glns }
            }
            None => Producers::default(),
        };
        facts.insert(gtin, p);
    }
    Ok(facts)
}

/// Store a batch pushed from one of `me`'s devices: every event checked
/// (shape, hash, content, right), then stored in one transaction; one
/// result per event, in order.
pub fn push(
    store: &dyn Store,
    me: &User,
    device_id: &str,
    events: Vec<WireEvent>,
    now: Moment,
) -> Result<Written<Vec<PushResult>>> {
    if events.len() > wire::MAX_PUSH_EVENTS {
        return Err(Error::TooLarge(format!(
            "{} events in one push; at most {}",
            events.len(),
            wire::MAX_PUSH_EVENTS
        )));
    }
    rights::use_device(me, device_id, store.device_owner(device_id)?)?;
    let facts = producers(store, events.iter().flat_map(ingest::produced))?;
    let candidates: Vec<_> =
        events.into_iter().map(|e| ingest::check(me, device_id, e, &facts, now)).collect();
    let results = store.push(me.id, device_id, &candidates)?;
    let mut touched = Touched::default();
    for (c, r) in candidates.iter().zip(&results) {
        if let (Ok(accepted), PushStatus::Accepted) = (&c.verdict, r.status) {
            touched.everything |= stale(store, &c.event.kind, &accepted.trace, &mut touched.gtins)?;
        }
    }
    Ok(Written::new(results, touched))
}

/// Which cached resolutions an accepted event makes stale: the GTINs it
/// concerns, and for a harvest, shipment or receipt also the GTINs of lots
/// made from its lot (whose story shows it one step up). `true` when it
/// cannot be mapped (a farm diary shows in every lot harvested at that farm).
fn stale(store: &dyn Store, kind: &str, trace: &[TraceKey], gtins: &mut BTreeSet<String>) -> Result<bool> {
    if kind == "farm_diary" {
        return Ok(true);
    }
    for key in trace {
        let TraceKey::Item { gtin, lot, .. } = key else { continue };
        gtins.insert(gtin.clone());
        if matches!(kind, "harvest" | "shipping" | "receiving") && !lot.is_empty() {
            for (role, e) in store.trace(gtin, Some(lot), None, false)? {
                if role == TraceRole::Input && e.kind == "transformation" {
                    let outputs = e.payload["outputs"].as_array().cloned().unwrap_or_default();
                    gtins.extend(outputs.iter().filter_map(|o| gtin14(o["gtin"].as_str()?)));
                }
            }
        }
    }
    Ok(false)
}

/// A pull cursor as the client holds it.
fn decode_cursor(cursor: &str) -> Result<i64> {
    use base64::Engine;
    if cursor.is_empty() {
        return Ok(0);
    }
    let bad = || Error::bad_request("invalid_cursor", "the cursor is not one this server gave");
    if cursor.len() > 64 {
        return Err(bad());
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("v1:").and_then(|n| n.parse::<i64>().ok()).filter(|n| *n >= 0).ok_or_else(bad)
}

fn encode_cursor(position: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("v1:{position}"))
}

/// The changes after `cursor` that `me` sees, at most `limit` (1 to
/// [`wire::MAX_PULL_LIMIT`]); `device` (one of `me`'s) notes how far it has
/// pulled, which tells whom a recall has reached.
pub fn pull(
    store: &dyn Store,
    me: &User,
    cursor: &str,
    limit: u32,
    device: Option<&str>,
) -> Result<Written<PullResponse>> {
    let after = decode_cursor(cursor)?;
    Error::page_limit(Some(limit), limit, wire::MAX_PULL_LIMIT)?;
    let page = store.pull(me, after, limit)?;
    if let Some(device) = device.filter(|_| page.last > after) {
        store.note_pull(me.id, device, page.last)?;
    }
    Ok(Written::untouched(PullResponse {
        changes: page.changes,
        cursor: encode_cursor(page.last),
        has_more: page.has_more,
    }))
}

/// Stored events after `after` (of one device, when given) that `me` may
/// read: national accounts every event, others their own. A complaint's
/// contact is for the handlers of its province (the complaint queue), so it
/// is left out here but for admins.
pub fn events(
    store: &dyn Store,
    me: &User,
    device_id: Option<String>,
    after: i64,
    limit: Option<u32>,
) -> Result<Vec<StoredEvent>> {
    let query = EventQuery {
        device_id,
        user_id: match rights::read_events(me) {
            Reading::Everything => None,
            Reading::Own => Some(me.id),
        },
        after,
        limit: Error::page_limit(limit, 500, MAX_EVENTS_PAGE)?,
    };
    let mut items = store.events(&query)?;
    if !rights::see_contacts_in_events(me) {
        for e in items.iter_mut().filter(|e| e.kind == "complaint") {
            if let Some(p) = e.payload.as_object_mut() {
                p.remove("contact");
            }
        }
    }
    Ok(items)
}

/// An authority's decision on a stored event: `accepted` again, or
/// `rejected` (revoked) with a reason; its owner's phone is told.
pub fn set_status(
    store: &dyn Store,
    me: &User,
    event_id: &str,
    status: &str,
    reason: Option<String>,
) -> Result<Written<()>> {
    let error = match status {
        "accepted" => None,
        "rejected" => Some(EventError {
            code: "revoked".into(),
            status: 409,
            detail: reason
                .map(|r| r.chars().take(2000).collect())
                .unwrap_or_else(|| format!("revoked by {}", me.username)),
        }),
        other => {
            return Err(Error::invalid("invalid_status", format!("{other:?}: use accepted or rejected")));
        }
    };
    let places = store.event_provinces(event_id)?;
    rights::decide_event(me, places.as_deref())?;
    if places.is_none() {
        return Err(Error::NotFound(format!("event {event_id}")));
    }
    store.set_event_status(event_id, error.as_ref())?;
    Ok(Written::new((), Touched::everything()))
}
