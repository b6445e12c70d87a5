//! The EPCIS 2.0 REST binding under `/epcis`: capture (synchronous, all or
//! nothing), capture jobs, the event query with paging, one event by its
//! ID, and the events of one EPC.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};
use truyxuat_core::gs1::epc::canonical_id;

use crate::api::Authed;
use crate::domain::account::{Role, User};
use crate::domain::epcis::{CAPTURE_LIMIT, CBV_VERSION, CONTEXT_URL, EPCIS_VERSION, cbv_word, utc_millis};
use crate::problem::ApiError;
use crate::state::{AppState, blocking};
use crate::store::EpcisQuery;

const PER_PAGE: u32 = 30;
const MAX_PER_PAGE: u32 = 1000;

fn epcis_error(status: StatusCode, exception: &'static str, detail: impl Into<String>) -> ApiError {
    ApiError::Epcis { status, exception, detail: detail.into() }
}

fn validation(detail: impl Into<String>) -> ApiError {
    epcis_error(StatusCode::BAD_REQUEST, "ValidationException", detail)
}

/// The version headers every EPCIS answer carries, and the capture limits.
fn with_headers(mut response: Response, limits: Option<usize>) -> Response {
    let h = response.headers_mut();
    h.insert("GS1-EPCIS-Version", HeaderValue::from_static(EPCIS_VERSION));
    h.insert("GS1-CBV-Version", HeaderValue::from_static(CBV_VERSION));
    if let Some(bytes) = limits {
        h.insert("GS1-EPCIS-Capture-Limit", HeaderValue::from(CAPTURE_LIMIT));
        h.insert("GS1-EPCIS-Capture-File-Size-Limit", HeaderValue::from(bytes));
        h.insert("GS1-Capture-Error-Behaviour", HeaderValue::from_static("rollback"));
    }
    response
}

/// `OPTIONS /epcis/capture`: what capture accepts.
pub async fn capture_options(State(state): State<Arc<AppState>>) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("OPTIONS, POST"));
    with_headers(r, Some(state.limits.body_bytes))
}

/// Accounts that may capture: authorities and admins anything; an
/// enterprise events at its own places only.
fn may_capture(me: &User, events: &[crate::domain::epcis::IndexedEvent]) -> Result<(), ApiError> {
    let refuse = |why: String| epcis_error(StatusCode::FORBIDDEN, "SecurityException", why);
    match me.role {
        Role::Authority | Role::Admin | Role::Partner => Ok(()),
        Role::Enterprise => {
            for (i, e) in events.iter().enumerate() {
                let places = crate::domain::epcis::glns(e);
                if places.is_empty() {
                    return Err(refuse(format!("event {i} names no place of this account")));
                }
                if let Some(other) = places.iter().find(|g| !me.glns.contains(g)) {
                    return Err(refuse(format!("event {i}: GLN {other} is not one of this account's")));
                }
            }
            Ok(())
        }
        other => Err(refuse(format!("a {other} account cannot capture EPCIS events"))),
    }
}

/// `POST /epcis/capture`: an EPCISDocument (or an EPCISQueryDocument's
/// results), checked whole and stored whole, or refused with nothing stored.
#[utoipa::path(post, path = "/epcis/capture", security(("bearer" = [])),
    responses((status = 202, description = "captured: Location of the capture job"),
              (status = 400, description = "epcisException:ValidationException, nothing stored"),
              (status = 413, description = "epcisException:CaptureLimitExceededException")))]
pub async fn capture(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let limit = state.limits.body_bytes;
    let answer = async {
        let media = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !(media.starts_with("application/json") || media.starts_with("application/ld+json")) {
            return Err(epcis_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaTypeException",
                "send EPCIS 2.0 JSON-LD as application/ld+json or application/json",
            ));
        }
        let doc: Value = serde_json::from_slice(&body).map_err(|e| validation(format!("not JSON: {e}")))?;
        if let Some(events) = crate::domain::epcis::event_list(&doc)
            && events.len() > CAPTURE_LIMIT
        {
            return Err(epcis_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "CaptureLimitExceededException",
                format!("{} events; a capture takes at most {CAPTURE_LIMIT}", events.len()),
            ));
        }
        let kind = doc.get("type").and_then(Value::as_str).unwrap_or("");
        if !matches!(kind, "EPCISDocument" | "EPCISQueryDocument") {
            return Err(validation(format!("capture takes an EPCISDocument, not {kind:?}")));
        }
        let errors = crate::domain::epcis::schema_errors(&doc);
        if !errors.is_empty() {
            return Err(validation(format!("not valid EPCIS 2.0: {}", errors.join("; "))));
        }
        let events = crate::domain::epcis::index_document(&doc).map_err(|e| match e.event {
            Some(i) => validation(format!("/epcisBody/eventList/{i}: {}", e.detail)),
            None => validation(e.detail),
        })?;
        may_capture(&me, &events)?;
        let context = doc.get("@context").map(Value::to_string).unwrap_or_else(|| "null".into());
        let id = format!("cap-{}", uuid::Uuid::now_v7());
        let user = me.id;
        let job =
            blocking(&state, move |s| s.capture_epcis(&id, user, &context, &events)).await.map_err(|e| {
                match e {
                    ApiError::Conflict { detail, .. } => validation(detail),
                    other => other,
                }
            })?;
        // Captured steps join the chains the resolver answers from.
        state.cache.touch_all();
        let location = format!("/epcis/capture/{}", job.capture_id);
        let mut r = (StatusCode::ACCEPTED, axum::Json(job_view(&job))).into_response();
        if let Ok(v) = HeaderValue::from_str(&location) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        Ok(r)
    }
    .await;
    with_headers(answer.unwrap_or_else(IntoResponse::into_response), Some(limit))
}

fn job_view(job: &crate::store::CaptureJob) -> Value {
    json!({
        "captureID": job.capture_id,
        "createdAt": job.created_at,
        "finishedAt": job.created_at,
        "running": false,
        "success": true,
        "captureErrorBehaviour": "rollback",
        "errors": [],
        "events": job.events,
        "stored": job.stored,
        "duplicates": job.duplicates,
    })
}

/// `GET /epcis/capture/{id}`: a capture job, for the account that made it
/// (and authorities, admins).
pub async fn capture_job(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(id): Path<String>,
) -> Response {
    let answer = async {
        let job = blocking(&state, move |s| s.capture_job(&id)).await?;
        match job {
            Some(job) if job.user_id == me.id || matches!(me.role, Role::Authority | Role::Admin) => {
                Ok(axum::Json(job_view(&job)).into_response())
            }
            _ => Err(epcis_error(StatusCode::NOT_FOUND, "NoSuchResourceException", "no such capture job")),
        }
    }
    .await;
    with_headers(answer.unwrap_or_else(IntoResponse::into_response), None)
}

fn query_error(detail: impl Into<String>) -> ApiError {
    epcis_error(StatusCode::BAD_REQUEST, "QueryParameterException", detail)
}

/// `a|b` lists.
fn list(v: &str, f: impl Fn(&str) -> String) -> Vec<String> {
    v.split('|').filter(|s| !s.is_empty()).map(f).collect()
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

fn token(seq: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("v1:{seq}"))
}

fn untoken(t: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(t).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix("v1:")?.parse().ok()
}

/// The query's parameters in stored form; unknown ones are refused (a
/// filter ignored would answer too much).
fn parse_query(params: &[(String, String)], me: &User) -> Result<EpcisQuery, ApiError> {
    let mut q = EpcisQuery { limit: PER_PAGE, ..Default::default() };
    let time = |name: &str, v: &str| {
        utc_millis(v)
            .ok_or_else(|| query_error(format!("{name}: {v:?} is not an RFC 3339 time with an offset")))
    };
    for (name, v) in params {
        match name.as_str() {
            "eventType" => q.event_types = list(v, str::to_owned),
            "EQ_action" => q.actions = list(v, str::to_owned),
            "EQ_bizStep" => q.biz_steps = list(v, |s| cbv_word(s, "BizStep")),
            "EQ_disposition" => q.dispositions = list(v, |s| cbv_word(s, "Disp")),
            "EQ_readPoint" => q.read_points = list(v, canonical_id),
            "EQ_bizLocation" => q.biz_locations = list(v, canonical_id),
            "EQ_eventID" => q.event_ids = list(v, str::to_owned),
            "MATCH_epc" => q.match_epc = list(v, pattern),
            "MATCH_anyEPC" => q.match_any_epc = list(v, pattern),
            "MATCH_epcClass" | "MATCH_anyEPCClass" => q.match_class = list(v, pattern),
            "GE_eventTime" => q.ge_event_time = Some(time(name, v)?),
            "LT_eventTime" => q.lt_event_time = Some(time(name, v)?),
            "GE_recordTime" => q.ge_record_time = Some(time(name, v)?),
            "LT_recordTime" => q.lt_record_time = Some(time(name, v)?),
            "perPage" => {
                q.limit = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                    .ok_or_else(|| query_error(format!("perPage must be 1 to {MAX_PER_PAGE}")))?;
            }
            "nextPageToken" => {
                q.after = untoken(v).ok_or_else(|| query_error("nextPageToken is not one of ours"))?
            }
            other => return Err(query_error(format!("unknown query parameter {other:?}"))),
        }
    }
    if !matches!(me.role, Role::Admin | Role::Authority | Role::Inspector) {
        q.user_id = Some(me.id);
    }
    Ok(q)
}

/// `GET /epcis/events`: the events matching the standard query parameters,
/// in record order, as an EPCISQueryDocument; `Link: rel="next"` while more remain.
#[utoipa::path(get, path = "/epcis/events", security(("bearer" = [])),
    responses((status = 200, description = "EPCISQueryDocument"),
              (status = 400, description = "epcisException:QueryParameterException")))]
pub async fn events(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let answer = page(&state, &me, params, Vec::new(), "/epcis/events".to_owned()).await;
    with_headers(answer.map(|(r, _)| r).unwrap_or_else(IntoResponse::into_response), None)
}

/// `GET /epcis/events/{eventID}`: the event with that ID (several, when
/// captures reused an ID), or `NoSuchResourceException`.
#[utoipa::path(get, path = "/epcis/events/{eventID}", security(("bearer" = [])),
    params(("eventID" = String, Path, description = "the event's ID, e.g. ni:///sha-256;…?ver=CBV2.0")),
    responses((status = 200, description = "EPCISQueryDocument"),
              (status = 404, description = "epcisException:NoSuchResourceException")))]
pub async fn event(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(id): Path<String>,
) -> Response {
    let path = format!("/epcis/events/{}", path_segment(&id));
    let answer = page(&state, &me, Vec::new(), vec![("EQ_eventID".to_owned(), id)], path).await.and_then(
        |(r, found)| {
            if found == 0 {
                Err(epcis_error(StatusCode::NOT_FOUND, "NoSuchResourceException", "no such event"))
            } else {
                Ok(r)
            }
        },
    );
    with_headers(answer.unwrap_or_else(IntoResponse::into_response), None)
}

/// `GET /epcis/epcs/{epc}/events`: the events that name an EPC (as a URN or
/// a Digital Link, an EPC pattern too), with the standard query parameters.
#[utoipa::path(get, path = "/epcis/epcs/{epc}/events", security(("bearer" = [])),
    params(("epc" = String, Path, description = "an EPC URN or GS1 Digital Link, percent-encoded")),
    responses((status = 200, description = "EPCISQueryDocument"),
              (status = 400, description = "epcisException:QueryParameterException")))]
pub async fn epc_events(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(epc): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let path = format!("/epcis/epcs/{}/events", path_segment(&epc));
    let answer = page(&state, &me, params, vec![("MATCH_anyEPC".to_owned(), epc)], path).await;
    with_headers(answer.map(|(r, _)| r).unwrap_or_else(IntoResponse::into_response), None)
}

fn path_segment(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// One page of a query: `params` from the query string (repeated in the
/// next page's link), `fixed` from the resource's path. Returns the
/// EPCISQueryDocument and how many events it holds.
async fn page(
    state: &Arc<AppState>,
    me: &User,
    params: Vec<(String, String)>,
    fixed: Vec<(String, String)>,
    path: String,
) -> Result<(Response, usize), ApiError> {
    let all: Vec<(String, String)> = params.iter().cloned().chain(fixed).collect();
    let mut q = parse_query(&all, me)?;
    let per_page = q.limit;
    q.limit = per_page + 1;
    let mut rows = blocking(state, move |s| s.epcis_events(&q)).await?;
    let more = rows.len() > per_page as usize;
    rows.truncate(per_page as usize);
    let events: Vec<Value> = rows.iter().map(read_back).collect();
    let found = events.len();
    let doc = json!({
        "@context": [CONTEXT_URL],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": truyxuat_core::journal::format_unix_ms(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)),
        "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": events}}},
    });
    let mut r = axum::Json(doc).into_response();
    if more && let Some(last) = rows.last() {
        let mut next: Vec<String> = params
            .iter()
            .filter(|(k, _)| k != "nextPageToken")
            .map(|(k, v)| format!("{k}={}", path_segment(v)))
            .collect();
        next.push(format!("nextPageToken={}", token(last.seq)));
        if let Ok(v) = HeaderValue::from_str(&format!("<{path}?{}>; rel=\"next\"", next.join("&"))) {
            r.headers_mut().insert(header::LINK, v);
        }
    }
    Ok((r, found))
}

/// An event as captured, with the `eventID` we gave it when it had none and
/// its document's prefix bindings (event-level `@context`) when it needs any.
fn read_back(row: &crate::store::StoredEpcis) -> Value {
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
