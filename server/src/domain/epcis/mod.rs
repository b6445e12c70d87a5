//! EPCIS 2.0 interop: other traceability systems capture GS1 EPCIS 2.0
//! JSON-LD documents here and read events back with the standard query.
//! Design and sources: `docs/design/epcis.md`.
//!
//! - `mod.rs` (pure): the schema check, and each event's index fields
//!   (identifier, hash, time, step, place, EPCs);
//! - `hash.rs` (pure): the CBV 2.0 canonical event hash, the duplicate key;
//! - `http.rs`: `/epcis/capture`, `/epcis/capture/{id}`, `/epcis/events`.
//!
//! Invariant: a document is checked against the EPCIS 2.0 JSON Schema
//! (`schema.json`, generated from GS1's by `scripts/gen-epcis-schema.py`)
//! and every event indexed before anything is stored; then all its events
//! are stored in one transaction, or none.

pub mod hash;

pub mod map;
pub mod view;

use std::sync::LazyLock;

use serde_json::Value;
use truyxuat_core::gs1::epc::canonical_id;

pub const EPCIS_VERSION: &str = "2.0.0";
pub const CBV_VERSION: &str = "2.0.0";
/// Events per capture.
pub const CAPTURE_LIMIT: usize = truyxuat_core::sync::wire::MAX_PUSH_EVENTS;
/// The standard JSON-LD context every document names first.
pub const CONTEXT_URL: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

const SCHEMA: &str = include_str!("schema.json");

static VALIDATOR: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(SCHEMA).expect("schema.json is generated JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the EPCIS 2.0 schema compiles")
});

/// Where the schema finds `doc` wrong (the first few places, with the JSON
/// pointer of each); empty when it is valid.
pub fn schema_errors(doc: &Value) -> Vec<String> {
    VALIDATOR.iter_errors(doc).take(5).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// Why a document cannot be captured.
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Index of the event in the document's event list, when one is to blame.
    pub event: Option<usize>,
    pub detail: String,
}

fn invalid(event: Option<usize>, detail: impl Into<String>) -> Invalid {
    Invalid { event, detail: detail.into() }
}

/// One event as stored and indexed.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexedEvent {
    pub event_id: String,
    /// The document gave none: `event_id` is the hash.
    pub id_assigned: bool,
    pub hash: String,
    /// `errorDeclaration.declarationTime` (UTC), for a correction.
    pub declared_at: Option<String>,
    pub event_type: String,
    pub action: Option<String>,
    /// The bare CBV word (`shipping`) for standard steps, else the URI.
    pub biz_step: Option<String>,
    pub disposition: Option<String>,
    pub read_point: Option<String>,
    pub biz_location: Option<String>,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.sssZ`.
    pub event_time: String,
    /// Canonical identifiers (Digital Link where possible) and where in the
    /// event each stands: `epc` (epcList, childEPCs), `parent`, `input`,
    /// `output`, `class` (any quantity list).
    pub epcs: Vec<(String, &'static str)>,
    /// The event as sent.
    pub raw: String,
    /// The chain steps it stands for (captured events; see `view`).
    pub chain: Vec<truyxuat_core::journal::EventBody>,
}

/// The event list of a capture document (`EPCISDocument`, or an
/// `EPCISQueryDocument`'s results).
pub fn event_list(doc: &Value) -> Option<&Vec<Value>> {
    let body = doc.get("epcisBody")?;
    body.get("eventList")
        .or_else(|| body.get("queryResults")?.get("resultsBody")?.get("eventList"))
        .and_then(Value::as_array)
}

/// An RFC 3339 time (any offset, any fraction) as UTC with milliseconds.
pub fn utc_millis(t: &str) -> Option<String> {
    let parsed = time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()?;
    let ms = (parsed.unix_timestamp_nanos() / 1_000_000) as i64;
    Some(truyxuat_core::journal::format_unix_ms(ms))
}

/// A CBV word from its forms (`shipping`, `https://ref.gs1.org/cbv/BizStep-shipping`,
/// `urn:epcglobal:cbv:bizstep:shipping`); other URIs as they are.
pub fn cbv_word(value: &str, vocabulary: &str) -> String {
    let web = format!("https://ref.gs1.org/cbv/{vocabulary}-");
    let urn = format!("urn:epcglobal:cbv:{}:", vocabulary.to_ascii_lowercase());
    value.strip_prefix(&web).or_else(|| value.strip_prefix(&urn)).unwrap_or(value).to_owned()
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Index every event of a schema-valid document.
pub fn index_document(doc: &Value) -> Result<Vec<IndexedEvent>, Invalid> {
    let events = event_list(doc).ok_or_else(|| invalid(None, "the document has no event list"))?;
    if events.len() > CAPTURE_LIMIT {
        return Err(invalid(
            None,
            format!("{} events; a capture takes at most {CAPTURE_LIMIT}", events.len()),
        ));
    }
    let context = doc.get("@context").cloned().unwrap_or(Value::Null);
    let index = |(i, e): (usize, &Value)| {
        let mut indexed = index_event(e, &context).map_err(|d| invalid(Some(i), d))?;
        indexed.chain = view::chain_events(e);
        Ok(indexed)
    };
    events.iter().enumerate().map(index).collect()
}

/// Index one event whose document has `context`.
pub fn index_event(e: &Value, context: &Value) -> Result<IndexedEvent, String> {
    let event_type = text(e, "type").ok_or("an event without a type")?.to_owned();
    let time = text(e, "eventTime").ok_or("an event without eventTime")?;
    let event_time = utc_millis(time).ok_or_else(|| format!("eventTime {time:?} is not an RFC 3339 time"))?;
    let declared_at = match e.get("errorDeclaration") {
        Some(d) => {
            let at = text(d, "declarationTime").ok_or("an errorDeclaration without declarationTime")?;
            Some(utc_millis(at).ok_or_else(|| format!("declarationTime {at:?} is not an RFC 3339 time"))?)
        }
        None => None,
    };
    let hash = hash::event_hash(e, context);
    let (event_id, id_assigned) = match text(e, "eventID") {
        Some(id) => (id.to_owned(), false),
        None => (hash.clone(), true),
    };
    let place = |key: &str| e.get(key).and_then(|p| text(p, "id")).map(canonical_id);
    let mut epcs = Vec::new();
    let ids =
        |key: &str| e.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    for (key, field) in
        [("epcList", "epc"), ("childEPCs", "epc"), ("inputEPCList", "input"), ("outputEPCList", "output")]
    {
        epcs.extend(ids(key).map(|id| (canonical_id(id), field)));
    }
    if let Some(parent) = text(e, "parentID") {
        epcs.push((canonical_id(parent), "parent"));
    }
    for key in ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"] {
        let classes = e.get(key).and_then(Value::as_array).into_iter().flatten();
        epcs.extend(classes.filter_map(|q| text(q, "epcClass")).map(|c| (canonical_id(c), "class")));
    }
    epcs.sort();
    epcs.dedup();
    Ok(IndexedEvent {
        event_id,
        id_assigned,
        hash,
        declared_at,
        action: text(e, "action").map(str::to_owned),
        biz_step: text(e, "bizStep").map(|s| cbv_word(s, "BizStep")),
        disposition: text(e, "disposition").map(|s| cbv_word(s, "Disp")),
        read_point: place("readPoint"),
        biz_location: place("bizLocation"),
        event_time,
        epcs,
        raw: serde_json::to_string(e).map_err(|err| err.to_string())?,
        chain: Vec::new(),
        event_type,
    })
}

/// A phone event as an indexed EPCIS event, for the kinds that are exported.
pub fn from_phone(
    id: &str,
    device_time: &str,
    body: &truyxuat_core::journal::EventBody,
) -> Option<IndexedEvent> {
    let event = map::from_phone(id, device_time, body)?;
    index_event(&event, &map::context()).ok()
}

/// The GLNs an event names as places (readPoint, bizLocation, and
/// location-typed sources and destinations), as 13 digits.
pub fn glns(e: &IndexedEvent) -> Vec<String> {
    let raw: Value = serde_json::from_str(&e.raw).unwrap_or(Value::Null);
    let mut places: Vec<String> = e.read_point.iter().chain(&e.biz_location).cloned().collect();
    for key in ["sourceList", "destinationList"] {
        for s in raw.get(key).and_then(Value::as_array).into_iter().flatten() {
            let kind = text(s, "type").map(|t| cbv_word(t, "SDT"));
            let id = text(s, "source").or_else(|| text(s, "destination"));
            if let (Some("location" | "owning_party" | "possessing_party"), Some(id)) = (kind.as_deref(), id)
            {
                places.push(canonical_id(id));
            }
        }
    }
    let mut out: Vec<String> = places
        .iter()
        .filter_map(|p| {
            p.strip_prefix("https://id.gs1.org/414/").or_else(|| p.strip_prefix("https://id.gs1.org/417/"))
        })
        .map(|rest| rest.split('/').next().unwrap_or(rest).to_owned())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_words() {
        assert_eq!(
            utc_millis("2005-04-03T20:33:31.116000-06:00").as_deref(),
            Some("2005-04-04T02:33:31.116Z")
        );
        assert_eq!(utc_millis("2026-11-27T08:00:00+07:00").as_deref(), Some("2026-11-27T01:00:00.000Z"));
        assert_eq!(utc_millis("yesterday"), None);
        assert_eq!(cbv_word("https://ref.gs1.org/cbv/BizStep-shipping", "BizStep"), "shipping");
        assert_eq!(cbv_word("urn:epcglobal:cbv:disp:in_transit", "Disp"), "in_transit");
        assert_eq!(cbv_word("https://example.com/step", "BizStep"), "https://example.com/step");
    }
}
