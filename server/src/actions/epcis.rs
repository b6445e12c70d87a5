//! EPCIS 2.0 interop: capture (checked whole, stored whole or not at all),
//! capture jobs, and the standard event query.
//!
//! The steps a captured event stands for (harvest, shipment, receipt,
//! transformation, inspection) join the product's story, so they pass the
//! same right as a phone's events (`rights::record`): a document with a
//! step its account may not record is refused whole.

use serde_json::Value;
use truyxuat_core::gs1::epc::canonical_id;

use crate::actions::{EpcisException, Error, Result, Touched, Written};
use crate::domain::account::User;
use crate::domain::epcis::{self, CAPTURE_LIMIT, cbv_word, utc_millis};
use crate::domain::rights::{self, Reading};
use crate::store::{CaptureJob, Comparison, EpcisQuery, Store, StoreError, StoredEpcis};

/// Events per query page: the default and the most.
pub const PER_PAGE: u32 = 30;
pub const MAX_PER_PAGE: u32 = 1000;
/// Values in one `a|b|…` list, and query parameters in one request.
pub const MAX_LIST: usize = 100;
pub const MAX_PARAMS: usize = 50;

fn exception(exception: EpcisException, detail: impl Into<String>) -> Error {
    Error::Epcis { exception, detail: detail.into() }
}

fn validation(detail: impl Into<String>) -> Error {
    exception(EpcisException::Validation, detail)
}

/// The JSON body of a capture, sent as `media_type`, by an account that may capture.
fn capture_body(me: &User, media_type: &str, body: &[u8]) -> Result<Value> {
    rights::capture_epcis(me).map_err(|d| exception(EpcisException::Security, d.0))?;
    if !(media_type.starts_with("application/json") || media_type.starts_with("application/ld+json")) {
        return Err(exception(
            EpcisException::UnsupportedMediaType,
            "send EPCIS 2.0 JSON-LD as application/ld+json or application/json",
        ));
    }
    serde_json::from_slice(body).map_err(|e| validation(format!("not JSON: {e}")))
}

/// Capture a document sent as `media_type`, all of it or nothing.
pub fn capture(store: &dyn Store, me: &User, media_type: &str, body: &[u8]) -> Result<Written<CaptureJob>> {
    let doc = capture_body(me, media_type, body)?;
    capture_document(store, me, &doc).map(|w| w.map(|(job, _)| job))
}

/// Capture one event (`POST /epcis/events`): as a document of that event
/// alone, created `now`; its eventID (ours when it brought none).
pub fn capture_event(
    store: &dyn Store,
    me: &User,
    media_type: &str,
    body: &[u8],
    now: &str,
) -> Result<Written<(CaptureJob, String)>> {
    let mut event = capture_body(me, media_type, body)?;
    let kind = event.get("type").and_then(Value::as_str).unwrap_or("");
    if !EVENT_TYPES.contains(&kind) {
        return Err(validation(format!(
            "POST /events takes one event ({}), not {kind:?}",
            EVENT_TYPES.join(", ")
        )));
    }
    // The event's own @context becomes the document's.
    let context = event
        .as_object_mut()
        .and_then(|e| e.remove("@context"))
        .unwrap_or_else(|| Value::Array(vec![Value::String(epcis::CONTEXT_URL.into())]));
    let doc = serde_json::json!({
        "@context": context, "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": now,
        "epcisBody": {"eventList": [event]},
    });
    capture_document(store, me, &doc).map(|w| w.map(|(job, mut ids)| (job, ids.pop().unwrap_or_default())))
}

/// Capture a parsed document, all of it or nothing; the job and the
/// eventIDs of its events, in order.
fn capture_document(store: &dyn Store, me: &User, doc: &Value) -> Result<Written<(CaptureJob, Vec<String>)>> {
    let doc = doc.clone();
    if let Some(events) = epcis::event_list(&doc)
        && events.len() > CAPTURE_LIMIT
    {
        return Err(exception(
            EpcisException::CaptureLimitExceeded,
            format!("{} events; a capture takes at most {CAPTURE_LIMIT}", events.len()),
        ));
    }
    let kind = doc.get("type").and_then(Value::as_str).unwrap_or("");
    if !matches!(kind, "EPCISDocument" | "EPCISQueryDocument") {
        return Err(validation(format!("capture takes an EPCISDocument, not {kind:?}")));
    }
    let errors = epcis::schema_errors(&doc);
    if !errors.is_empty() {
        return Err(validation(format!("not valid EPCIS 2.0: {}", errors.join("; "))));
    }
    let events = epcis::index_document(&doc).map_err(|e| match e.event {
        Some(i) => validation(format!("/epcisBody/eventList/{i}: {}", e.detail)),
        None => validation(e.detail),
    })?;
    let produced = events.iter().flat_map(|e| e.chain.iter().flat_map(rights::produced_gtins));
    let producers = crate::actions::sync::producers(store, produced.collect::<Vec<_>>())?;
    for (i, e) in events.iter().enumerate() {
        let at = |d: rights::Denied| exception(EpcisException::Security, format!("event {i}: {}", d.0));
        rights::capture_at(me, &epcis::glns(e)).map_err(at)?;
        let claims = store.epcis_claims(&e.event_id, &e.hash)?;
        if e.declared_at.is_some() {
            // A correction records no step; it retracts the events it
            // corrects, which their recorders (or national accounts) may.
            for original in claims.iter().filter(|c| c.same_hash && !c.declared) {
                rights::correct_event(me, original.user_id).map_err(at)?;
            }
        } else {
            for step in &e.chain {
                rights::record(me, step, &producers).map_err(at)?;
            }
        }
        if !e.id_assigned {
            let holders: Vec<i64> = claims.iter().filter(|c| !c.same_hash).map(|c| c.user_id).collect();
            rights::claim_event_id(me, &holders).map_err(at)?;
        }
    }
    let context = doc.get("@context").map(Value::to_string).unwrap_or_else(|| "null".into());
    let id = format!("cap-{}", uuid::Uuid::now_v7());
    let job = store.capture_epcis(&id, me.id, &context, &events).map_err(|e| match e {
        StoreError::Conflict(detail) => validation(detail),
        other => other.into(),
    })?;
    let ids = events.into_iter().map(|e| e.event_id).collect();
    // Captured steps join the chains the resolver answers from.
    Ok(Written::new((job, ids), Touched::everything()))
}

/// Capture jobs on one page of `GET /epcis/capture`: the default and the most.
pub const JOBS_PER_PAGE: u32 = 30;
pub const MAX_JOBS_PER_PAGE: u32 = 1000;

/// The capture jobs an account sees (its own; national accounts every
/// account's), newest first, one page (`perPage`, `nextPageToken`), and
/// the token of the next page when more remain.
pub fn jobs(
    store: &dyn Store,
    me: &User,
    params: &[(String, String)],
) -> Result<(Vec<CaptureJob>, Option<String>)> {
    let (mut per_page, mut before) = (JOBS_PER_PAGE, None);
    for (name, v) in params {
        match name.as_str() {
            "perPage" => {
                per_page = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_JOBS_PER_PAGE).contains(n))
                    .ok_or_else(|| query_error(format!("perPage must be 1 to {MAX_JOBS_PER_PAGE}")))?
            }
            "nextPageToken" if v.starts_with("cap-") && v.len() <= 64 => before = Some(v.clone()),
            "nextPageToken" => return Err(query_error("nextPageToken is not one of ours")),
            other => return Err(query_error(format!("unknown query parameter {other:?}"))),
        }
    }
    let owner = (rights::read_epcis(me) == Reading::Own).then_some(me.id);
    let mut jobs = store.capture_jobs(owner, before.as_deref(), per_page + 1)?;
    let more = jobs.len() > per_page as usize;
    jobs.truncate(per_page as usize);
    let next = if more { jobs.last().map(|j| j.capture_id.clone()) } else { None };
    Ok((jobs, next))
}

/// A capture job, for the account that made it (and national accounts).
pub fn job(store: &dyn Store, me: &User, id: &str) -> Result<CaptureJob> {
    match store.capture_job(id)? {
        Some(job) if rights::see_capture_job(me, job.user_id) => Ok(job),
        _ => Err(exception(EpcisException::NoSuchResource, "no such capture job")),
    }
}

fn query_error(detail: impl Into<String>) -> Error {
    exception(EpcisException::QueryParameter, detail)
}

/// `a|b` lists.
fn list(name: &str, v: &str, f: impl Fn(&str) -> String) -> Result<Vec<String>> {
    let items: Vec<String> = v.split('|').filter(|s| !s.is_empty()).map(f).collect();
    if items.len() > MAX_LIST {
        return Err(query_error(format!("{name}: at most {MAX_LIST} values")));
    }
    Ok(items)
}

/// A `MATCH_` value: an EPC pattern (`…idpat…*`) is a prefix of the
/// class's canonical form; a trailing `*` a prefix; else exact.
fn pattern(v: &str) -> String {
    if v.starts_with("urn:epc:idpat:") {
        return format!("{}/*", canonical_id(v));
    }
    match v.strip_suffix('*') {
        Some(prefix) => format!("{prefix}*"),
        None => canonical_id(v),
    }
}

/// Where a page ends, as the next page's `nextPageToken` carries it: the
/// position (the last event's seq, and its event time in event-time
/// order) and, under `eventCountLimit`, how many events may still come.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    pub seq: i64,
    pub event_time: Option<String>,
    pub left: Option<u64>,
}

/// The paging token of a position.
pub fn token(p: &Position) -> String {
    use base64::Engine;
    let text = format!(
        "v2:{}:{}:{}",
        p.seq,
        p.left.map(|n| n.to_string()).unwrap_or_default(),
        p.event_time.as_deref().unwrap_or("")
    );
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

fn untoken(t: &str) -> Option<Position> {
    use base64::Engine;
    if t.len() > 200 {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(t).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    if let Some(seq) = text.strip_prefix("v1:") {
        return Some(Position { seq: seq.parse().ok()?, event_time: None, left: None });
    }
    let mut parts = text.strip_prefix("v2:")?.splitn(3, ':');
    let seq = parts.next()?.parse().ok()?;
    let left = match parts.next()? {
        "" => None,
        n => Some(n.parse().ok()?),
    };
    let event_time = Some(parts.next()?.to_owned()).filter(|t| !t.is_empty());
    Some(Position { seq, event_time, left })
}

/// The event types of EPCIS 2.0, and the actions.
const EVENT_TYPES: [&str; 5] =
    ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"];
const ACTIONS: [&str; 3] = ["ADD", "OBSERVE", "DELETE"];

/// A query asked: its conditions in stored form, and the limits on how many
/// events it answers.
#[derive(Debug)]
pub struct Asked {
    pub query: EpcisQuery,
    /// `eventCountLimit`: at most this many in all (over every page).
    pub count_limit: Option<u64>,
    /// `maxEventCount`: more than this many is an error.
    pub max_count: Option<u64>,
}

/// The query's parameters in stored form, for `me`; unknown ones are
/// refused (a filter ignored would answer too much).
pub fn parse_query(params: &[(String, String)], me: &User) -> Result<Asked> {
    if params.len() > MAX_PARAMS {
        return Err(query_error(format!("at most {MAX_PARAMS} query parameters")));
    }
    let mut q = EpcisQuery { limit: PER_PAGE, ..Default::default() };
    let (mut count_limit, mut max_count, mut order_by, mut direction, mut position) =
        (None, None, None, None, None);
    let time = |name: &str, v: &str| {
        utc_millis(v)
            .ok_or_else(|| query_error(format!("{name}: {v:?} is not an RFC 3339 time with an offset")))
    };
    let count = |name: &str, v: &str| {
        v.parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| query_error(format!("{name} must be a positive whole number")))
    };
    let known = |name: &str, values: &[String], allowed: &[&str]| match values
        .iter()
        .find(|v| !allowed.contains(&v.as_str()))
    {
        Some(bad) => Err(query_error(format!("{name}: {bad:?} is not one of {}", allowed.join(", ")))),
        None => Ok(()),
    };
    for (name, v) in params {
        let n = name.as_str();
        match n {
            "eventType" => {
                q.event_types = list(n, v, str::to_owned)?;
                known(n, &q.event_types, &EVENT_TYPES)?;
            }
            "EQ_action" => {
                q.actions = list(n, v, str::to_owned)?;
                known(n, &q.actions, &ACTIONS)?;
            }
            "EQ_bizStep" => q.biz_steps = list(n, v, |s| cbv_word(s, "BizStep"))?,
            "EQ_disposition" => q.dispositions = list(n, v, |s| cbv_word(s, "Disp"))?,
            "EQ_readPoint" => q.read_points = list(n, v, canonical_id)?,
            "EQ_bizLocation" => q.biz_locations = list(n, v, canonical_id)?,
            "EQ_eventID" => q.event_ids = list(n, v, str::to_owned)?,
            "MATCH_epc" => q.match_epc = list(n, v, pattern)?,
            "MATCH_anyEPC" => q.match_any_epc = list(n, v, pattern)?,
            "MATCH_epcClass" | "MATCH_anyEPCClass" => q.match_class = list(n, v, pattern)?,
            "GE_eventTime" => q.ge_event_time = Some(time(n, v)?),
            "LT_eventTime" => q.lt_event_time = Some(time(n, v)?),
            "GE_recordTime" => q.ge_record_time = Some(time(n, v)?),
            "LT_recordTime" => q.lt_record_time = Some(time(n, v)?),
            "EQ_quantity" | "GT_quantity" | "GE_quantity" | "LT_quantity" | "LE_quantity" => {
                let op = match &n[..2] {
                    "EQ" => Comparison::Eq,
                    "GT" => Comparison::Gt,
                    "GE" => Comparison::Ge,
                    "LT" => Comparison::Lt,
                    _ => Comparison::Le,
                };
                let value = v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| query_error(format!("{n}: {v:?} is not a number")))?;
                q.quantities.push((op, value));
            }
            "EXISTS_errorDeclaration" => q.error_declared = true,
            "EQ_errorReason" => q.error_reasons = list(n, v, |s| cbv_word(s, "ER"))?,
            "EQ_correctiveEventID" => q.corrective_ids = list(n, v, str::to_owned)?,
            "orderBy" => order_by = Some(v.clone()),
            "orderDirection" => direction = Some(v.clone()),
            "eventCountLimit" => count_limit = Some(count(n, v)?),
            "maxEventCount" => max_count = Some(count(n, v)?),
            "perPage" => {
                q.limit = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                    .ok_or_else(|| query_error(format!("perPage must be 1 to {MAX_PER_PAGE}")))?;
            }
            "nextPageToken" => {
                position = Some(untoken(v).ok_or_else(|| query_error("nextPageToken is not one of ours"))?)
            }
            other => return Err(query_error(format!("unknown query parameter {other:?}"))),
        }
    }
    q.order.by_event_time = match order_by.as_deref() {
        None | Some("recordTime") => false,
        Some("eventTime") => true,
        Some(other) => return Err(query_error(format!("orderBy: {other:?}; use eventTime or recordTime"))),
    };
    q.order.descending = match direction.as_deref() {
        None | Some("ASC") => false,
        Some("DESC") => true,
        Some(other) => return Err(query_error(format!("orderDirection: {other:?}; use ASC or DESC"))),
    };
    if count_limit.is_some() && max_count.is_some() {
        return Err(query_error("eventCountLimit and maxEventCount exclude each other"));
    }
    if count_limit.is_some() && order_by.is_none() {
        return Err(query_error("eventCountLimit needs orderBy (which events come first)"));
    }
    if let Some(p) = position {
        if p.left.is_some() {
            count_limit = p.left;
        }
        q.after = Some((p.seq, p.event_time));
    }
    if rights::read_epcis(me) == Reading::Own {
        q.user_id = Some(me.id);
    }
    Ok(Asked { query: q, count_limit, max_count })
}

/// One page of the query `params` asks (`fixed`: what the resource's path
/// fixes): the events as captured, and the position the next page starts
/// from when more remain.
pub fn query(
    store: &dyn Store,
    me: &User,
    params: &[(String, String)],
    fixed: &[(String, String)],
) -> Result<(Vec<StoredEpcis>, Option<Position>)> {
    let all: Vec<(String, String)> = params.iter().chain(fixed).cloned().collect();
    let Asked { mut query, count_limit, max_count } = parse_query(&all, me)?;
    if let Some(max) = max_count {
        let found = store.epcis_count(&query)?;
        if found > max {
            return Err(exception(
                EpcisException::QueryTooLarge,
                format!("{found} events match; maxEventCount is {max}"),
            ));
        }
    }
    let per_page = match count_limit {
        Some(left) => query.limit.min(left.min(u64::from(MAX_PER_PAGE)) as u32),
        None => query.limit,
    };
    query.limit = per_page + 1;
    let mut rows = store.epcis_events(&query)?;
    let more = rows.len() > per_page as usize;
    rows.truncate(per_page as usize);
    let left = count_limit.map(|n| n.saturating_sub(rows.len() as u64));
    let next = match (more, left, rows.last()) {
        (true, None, Some(last)) | (true, Some(1..), Some(last)) => Some(Position {
            seq: last.seq,
            event_time: query.order.by_event_time.then(|| last.event_time.clone()),
            left,
        }),
        _ => None,
    };
    Ok((rows, next))
}

/// An event as captured, with the `eventID` we gave it when it had none and
/// its document's prefix bindings (event-level `@context`) when it needs any.
pub fn read_back(row: &StoredEpcis) -> Value {
    let mut event: Value = serde_json::from_str(&row.raw).unwrap_or(Value::Null);
    if row.id_assigned {
        event["eventID"] = Value::String(row.event_id.clone());
    }
    let context: Value = serde_json::from_str(&row.context).unwrap_or(Value::Null);
    let prefixes: Vec<Value> = match context {
        Value::Array(items) => items.into_iter().filter(Value::is_object).collect(),
        Value::Object(_) => vec![context],
        _ => Vec::new(),
    };
    if !prefixes.is_empty() && event.get("@context").is_none() {
        event["@context"] = Value::Array(prefixes);
    }
    event
}
