//! The EPCIS 2.0 REST binding under `/epcis`: capture (synchronous, all or
//! nothing), capture jobs, the event query with paging, one event by its
//! ID, and the events of one EPC. Every answer carries the standard's
//! version headers.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::actions::{EpcisException, Error, epcis};
use crate::api::extract::Authed;
use crate::domain::account::User;
use crate::domain::epcis::{CAPTURE_LIMIT, CBV_VERSION, CONTEXT_URL, EPCIS_VERSION};
use crate::problem::ApiError;
use crate::state::{AppState, read, write};
use crate::store::CaptureJob;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/epcis/capture", get(capture_jobs).post(capture).options(capture_options))
        .route("/epcis/capture/{id}", get(capture_job))
        .route("/epcis/events", get(events).post(capture_event))
        .route("/epcis/events/{event_id}", get(event))
        .route("/epcis/epcs/{epc}/events", get(epc_events))
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

fn answer(r: Result<Response, ApiError>, limits: Option<usize>) -> Response {
    with_headers(r.unwrap_or_else(IntoResponse::into_response), limits)
}

/// `OPTIONS /epcis/capture`: what capture accepts.
pub async fn capture_options(State(state): State<Arc<AppState>>) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("OPTIONS, GET, POST"));
    with_headers(r, Some(state.limits.body_bytes))
}

fn job_view(job: &CaptureJob) -> Value {
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

/// `POST /epcis/capture`: an EPCISDocument (or an EPCISQueryDocument's
/// results), checked whole and stored whole, or refused with nothing stored.
#[utoipa::path(post, path = "/epcis/capture", security(("bearer" = [])),
    responses((status = 202, description = "captured: Location of the capture job"),
              (status = 400, description = "epcisException:ValidationException, nothing stored"),
              (status = 403, description = "epcisException:SecurityException, nothing stored"),
              (status = 413, description = "epcisException:CaptureLimitExceededException")))]
pub async fn capture(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let limit = state.limits.body_bytes;
    let body = match document(body, limit) {
        Ok(body) => body,
        Err(e) => return answer(Err(e), Some(limit)),
    };
    let media = media_type(&headers);
    let job = write(&state, move |s| epcis::capture(s, &me, &media, &body)).await;
    let answered =
        job.map(|job| created(StatusCode::ACCEPTED, &job, format!("/epcis/capture/{}", job.capture_id)));
    answer(answered, Some(limit))
}

/// The body sent for capture; one over the size limit is the standard's
/// CaptureLimitExceededException (a problem body, as every EPCIS error).
fn document(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        let too_large = rejection.status() == StatusCode::PAYLOAD_TOO_LARGE;
        let error = match too_large {
            true => Error::Epcis {
                exception: EpcisException::CaptureLimitExceeded,
                detail: format!("a capture takes at most {limit} bytes"),
            },
            false => Error::Epcis { exception: EpcisException::Validation, detail: rejection.body_text() },
        };
        ApiError::from(error)
    })
}

fn media_type(headers: &HeaderMap) -> String {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

/// A capture's answer: its job, and where to find what it made.
fn created(status: StatusCode, job: &CaptureJob, location: String) -> Response {
    let mut r = (status, Json(job_view(job))).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// `POST /epcis/events`: one event, captured as a document of that event
/// alone; `201 Created` at the event's resource.
#[utoipa::path(post, path = "/epcis/events", security(("bearer" = [])),
    responses((status = 201, description = "captured: Location of the event"),
              (status = 400, description = "epcisException:ValidationException, nothing stored"),
              (status = 403, description = "epcisException:SecurityException, nothing stored")))]
pub async fn capture_event(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (limit, media, now) = (state.limits.body_bytes, media_type(&headers), state.clock.now().rfc3339());
    let body = match document(body, limit) {
        Ok(body) => body,
        Err(e) => return answer(Err(e), Some(limit)),
    };
    let captured = write(&state, move |s| epcis::capture_event(s, &me, &media, &body, &now)).await;
    let answered = captured.map(|(job, event_id)| {
        created(StatusCode::CREATED, &job, format!("/epcis/events/{}", path_segment(&event_id)))
    });
    answer(answered, Some(limit))
}

/// `GET /epcis/capture`: the capture jobs of this account (a national
/// account: every account's), newest first; `Link: rel="next"` while
/// more remain.
#[utoipa::path(get, path = "/epcis/capture", security(("bearer" = [])),
    params(("perPage" = Option<u32>, Query, description = "jobs per page, 1 to 1000 (30)", minimum = 1, maximum = 1000),
           ("nextPageToken" = Option<String>, Query, description = "from the previous page's Link")),
    responses((status = 200, description = "capture jobs"),
              (status = 400, description = "epcisException:QueryParameterException")))]
pub async fn capture_jobs(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let asked = params.clone();
    let page = read(&state, move |s| epcis::jobs(s, &me, &asked)).await.map(|(jobs, next)| {
        let mut r = Json(jobs.iter().map(job_view).collect::<Vec<_>>()).into_response();
        if let Some(token) = next {
            let mut query: Vec<String> = params
                .iter()
                .filter(|(k, _)| k != "nextPageToken")
                .map(|(k, v)| format!("{k}={}", path_segment(v)))
                .collect();
            query.push(format!("nextPageToken={}", path_segment(&token)));
            if let Ok(v) =
                HeaderValue::from_str(&format!("</epcis/capture?{}>; rel=\"next\"", query.join("&")))
            {
                r.headers_mut().insert(header::LINK, v);
            }
        }
        r
    });
    answer(page, None)
}

/// `GET /epcis/capture/{id}`: a capture job, for the account that made it
/// (and national accounts).
pub async fn capture_job(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(id): Path<String>,
) -> Response {
    let job = read(&state, move |s| epcis::job(s, &me, &id)).await;
    answer(job.map(|job| Json(job_view(&job)).into_response()), None)
}

/// `GET /epcis/events`: the events matching the standard query parameters,
/// in record order, as an EPCISQueryDocument; `Link: rel="next"` while more remain.
#[utoipa::path(get, path = "/epcis/events", security(("bearer" = [])),
    responses((status = 200, description = "EPCISQueryDocument"),
              (status = 400, description = "epcisException:QueryParameterException"),
              (status = 413, description = "epcisException:QueryTooLargeException: more events than maxEventCount")))]
pub async fn events(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let page = page(&state, me, params, Vec::new(), "/epcis/events".to_owned()).await;
    answer(page.map(|(r, _)| r), None)
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
    let page = page(&state, me, Vec::new(), vec![("EQ_eventID".to_owned(), id)], path).await;
    let found = page.and_then(|(r, found)| {
        if found == 0 {
            Err(Error::Epcis { exception: EpcisException::NoSuchResource, detail: "no such event".into() }
                .into())
        } else {
            Ok(r)
        }
    });
    answer(found, None)
}

/// `GET /epcis/epcs/{epc}/events`: the events that name an EPC (as a URN or
/// a Digital Link, an EPC pattern too), with the standard query parameters.
#[utoipa::path(get, path = "/epcis/epcs/{epc}/events", security(("bearer" = [])),
    params(("epc" = String, Path, description = "an EPC URN or GS1 Digital Link, percent-encoded")),
    responses((status = 200, description = "EPCISQueryDocument"),
              (status = 400, description = "epcisException:QueryParameterException"),
              (status = 413, description = "epcisException:QueryTooLargeException: more events than maxEventCount")))]
pub async fn epc_events(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(epc): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let path = format!("/epcis/epcs/{}/events", path_segment(&epc));
    let page = page(&state, me, params, vec![("MATCH_anyEPC".to_owned(), epc)], path).await;
    answer(page.map(|(r, _)| r), None)
}

fn path_segment(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// One page of a query: `params` from the query string (repeated in the
/// next page's link), `fixed` from the resource's path. Returns the
/// EPCISQueryDocument and how many events it holds.
async fn page(
    state: &Arc<AppState>,
    me: User,
    params: Vec<(String, String)>,
    fixed: Vec<(String, String)>,
    path: String,
) -> Result<(Response, usize), ApiError> {
    let asked = params.clone();
    let (rows, next_page) = read(state, move |s| epcis::query(s, &me, &asked, &fixed)).await?;
    let events: Vec<Value> = rows.iter().map(epcis::read_back).collect();
    let found = events.len();
    let doc = json!({
        "@context": [CONTEXT_URL],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": state.clock.now().rfc3339(),
        "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": events}}},
    });
    let mut r = Json(doc).into_response();
    if let Some(position) = next_page {
        let mut next: Vec<String> = params
            .iter()
            .filter(|(k, _)| k != "nextPageToken")
            .map(|(k, v)| format!("{k}={}", path_segment(v)))
            .collect();
        next.push(format!("nextPageToken={}", epcis::token(&position)));
        if let Ok(v) = HeaderValue::from_str(&format!("<{path}?{}>; rel=\"next\"", next.join("&"))) {
            r.headers_mut().insert(header::LINK, v);
        }
    }
    Ok((r, found))
}
