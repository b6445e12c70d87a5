//! The phones' sync protocol (`docs/sync-protocol.md`): `/v1/sync/push`,
//! `/v1/sync/pull`; the event feed `/v1/events`; and an authority's
//! decision `/v1/events/{id}/status`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use truyxuat_core::sync::wire::{self, Problem, PullResponse, PushRequest, PushResponse, PushStatus};

use crate::actions::sync;
use crate::api::extract::{ApiJson, Authed};
use crate::problem::ApiError;
use crate::state::{AppState, read, write};
use crate::store::StoredEvent;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/sync/push", post(push))
        .route("/v1/sync/pull", get(pull))
        .route("/v1/events", get(events))
        .route("/v1/events/{id}/status", post(event_status))
}

type QueryResult<T> = Result<Query<T>, axum::extract::rejection::QueryRejection>;

fn check_protocol(headers: &HeaderMap) -> Result<(), ApiError> {
    match headers.get("truyxuat-protocol").map(|v| v.to_str().unwrap_or("")) {
        None => Ok(()),
        Some(v) if v == wire::PROTOCOL_VERSION.to_string() => Ok(()),
        Some(v) => Err(ApiError::bad_request(
            "unsupported_protocol",
            format!("protocol version {v:?} is not supported; this server speaks {}", wire::PROTOCOL_VERSION),
        )),
    }
}

#[utoipa::path(post, path = "/v1/sync/push", request_body = PushRequest, security(("bearer" = [])),
    responses((status = 200, body = PushResponse),
              (status = 403, description = "Not your device, or every event refused", body = Problem),
              (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn push(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Authed(me): Authed,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    check_protocol(&headers)?;
    let now = state.clock.now();
    let results = write(&state, move |s| sync::push(s, &me, &req.device_id, req.events, now)).await?;
    // A batch refused whole answers with the first refusal's status.
    if let Some(first) = results.first().and_then(|r| r.error.as_ref())
        && results.iter().all(|r| r.status == PushStatus::Rejected)
    {
        return Err(ApiError::PushRefused {
            status: first.status,
            code: first.code.clone(),
            detail: format!("every event was refused; the first: {}", first.detail),
            results,
        });
    }
    Ok(Json(PushResponse { results }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// Opaque cursor from the previous page; empty for the beginning.
    #[serde(default)]
    cursor: String,
    /// 1 to 1000 (default 500).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// The pulling device (one of the caller's): the server notes how far it
    /// has pulled, which tells whom a recall has reached.
    device: Option<String>,
}

#[utoipa::path(get, path = "/v1/sync/pull", params(PullQuery), security(("bearer" = [])),
    responses((status = 200, body = PullResponse), (status = 400, body = Problem)))]
pub async fn pull(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Authed(me): Authed,
    query: QueryResult<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    check_protocol(&headers)?;
    let Query(q) = query?;
    let limit = q.limit.unwrap_or(500);
    Ok(Json(write(&state, move |s| sync::pull(s, &me, &q.cursor, limit, q.device.as_deref())).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    device_id: Option<String>,
    /// Server sequence to start after.
    #[serde(default)]
    after: i64,
    /// 1 to 5000 (default 500).
    #[param(minimum = 1, maximum = 5000)]
    limit: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EventsPage {
    #[schema(value_type = Vec<Object>)]
    items: Vec<StoredEvent>,
    /// Pass as `after` for the next page.
    next_after: i64,
}

#[utoipa::path(get, path = "/v1/events", params(EventsQuery), security(("bearer" = [])),
    responses((status = 200, body = EventsPage), (status = 403, body = Problem)))]
pub async fn events(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: QueryResult<EventsQuery>,
) -> Result<Json<EventsPage>, ApiError> {
    let Query(q) = query?;
    let after = q.after;
    let items = read(&state, move |s| sync::events(s, &me, q.device_id, q.after, q.limit)).await?;
    let next_after = items.last().map(|e| e.server_seq).unwrap_or(after);
    Ok(Json(EventsPage { items, next_after }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StatusRequest {
    /// `accepted` or `rejected`.
    status: String,
    reason: Option<String>,
}

#[utoipa::path(post, path = "/v1/events/{id}/status", request_body = StatusRequest, security(("bearer" = [])),
    params(("id" = String, Path, description = "Event id")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn event_status(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<StatusRequest>,
) -> Result<StatusCode, ApiError> {
    write(&state, move |s| sync::set_status(s, &me, &id, &req.status, req.reason)).await?;
    Ok(StatusCode::NO_CONTENT)
}
