//! The HTTP API: routes, the authenticated-user extractor and the OpenAPI
//! description. Handlers are thin: parse, check who is asking, call the
//! store on a blocking thread, answer.
//!
//! Invariant: every answer that is not 2xx is a problem body (`problem.rs`),
//! including unknown routes, wrong methods and oversized or malformed bodies.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use truyxuat_core::sync::wire::{
    self, DeviceRequest, DeviceResponse, EventError, Problem, PullResponse, PushRequest, PushResponse,
    PushStatus, TokenRequest, TokenResponse,
};
use utoipa::OpenApi;

use crate::auth::{self, AuthError};
use crate::domain::account::{NewUser, Role, User};
use crate::domain::ingest;
use crate::problem::ApiError;
use crate::store::{EventQuery, Store, StoredEvent};

use crate::state::{AppState, blocking, check_password, issue_token, user_for_token};

type Shared = State<Arc<AppState>>;

/// `Json` whose rejections are problem bodies.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Ok(ApiJson(Json::<T>::from_request(req, state).await?.0))
    }
}

/// The signed-in user, checked against the store on every request.
pub struct Authed(pub User);

impl FromRequestParts<Arc<AppState>> for Authed {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let token = header
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .ok_or_else(|| ApiError::Unauthorized(AuthError::Missing.to_string()))?;
        Ok(Authed(user_for_token(state, token).await?))
    }
}

fn require(user: &User, roles: &[Role]) -> Result<(), ApiError> {
    if roles.contains(&user.role) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("a {} account cannot do this", user.role)))
    }
}

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

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    version: &'static str,
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "This description")))]
pub async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

#[utoipa::path(post, path = "/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn token(
    State(state): Shared,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let user = check_password(&state, req.username, req.password).await?;
    token_for(&state, &user)
}

fn token_for(state: &AppState, user: &User) -> Result<Json<TokenResponse>, ApiError> {
    let access_token = issue_token(state, user)?;
    Ok(Json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: state.keys.ttl.as_secs(),
        role: user.role.as_str().into(),
    }))
}

/// A fresh token for a valid one: a phone that syncs now and then stays
/// signed in; a disabled account cannot refresh.
#[utoipa::path(post, path = "/v1/auth/refresh",
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn refresh(State(state): Shared, Authed(user): Authed) -> Result<Json<TokenResponse>, ApiError> {
    token_for(&state, &user)
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewUserRequest {
    pub username: String,
    pub password: String,
    /// consumer, farmer, enterprise, inspector, authority or admin.
    pub role: String,
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub glns: Vec<String>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserInfo {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub province: Option<String>,
    pub glns: Vec<String>,
}

impl From<&User> for UserInfo {
    fn from(u: &User) -> UserInfo {
        UserInfo {
            id: u.id,
            username: u.username.clone(),
            role: u.role.as_str().into(),
            province: u.province.clone(),
            glns: u.glns.clone(),
        }
    }
}

#[utoipa::path(post, path = "/v1/users", request_body = NewUserRequest, security(("bearer" = [])),
    responses((status = 201, body = UserInfo), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn create_user(
    State(state): Shared,
    Authed(me): Authed,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<UserInfo>), ApiError> {
    require(&me, &[Role::Admin])?;
    let role: Role =
        req.role.parse().map_err(|e: String| ApiError::Unprocessable { code: "invalid_role", detail: e })?;
    let valid_name = (3..=64).contains(&req.username.chars().count())
        && req.username.chars().all(|c| c.is_alphanumeric() || "._-@".contains(c));
    if !valid_name {
        return Err(ApiError::Unprocessable {
            code: "invalid_username",
            detail: "3 to 64 letters, digits, '.', '_', '-' or '@'".into(),
        });
    }
    if req.password.chars().count() < 8 {
        return Err(ApiError::Unprocessable {
            code: "weak_password",
            detail: "at least 8 characters".into(),
        });
    }
    if let Some(g) = req.glns.iter().find(|g| g.len() != 13 || !truyxuat_core::gs1::has_valid_check_digit(g))
    {
        return Err(ApiError::Unprocessable {
            code: "invalid_gln",
            detail: format!("{g:?} is not a valid GLN"),
        });
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&req.password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let new =
        NewUser { username: req.username, password_hash: hash, role, province: req.province, glns: req.glns };
    let user = blocking(&state, move |s| s.create_user(&new)).await?;
    Ok((StatusCode::CREATED, Json(UserInfo::from(&user))))
}

#[utoipa::path(get, path = "/v1/me", security(("bearer" = [])), responses((status = 200, body = UserInfo)))]
pub async fn me(Authed(me): Authed) -> Json<UserInfo> {
    Json(UserInfo::from(&me))
}

#[utoipa::path(post, path = "/v1/devices", request_body = DeviceRequest, security(("bearer" = [])),
    responses((status = 201, body = DeviceResponse), (status = 409, body = Problem)))]
pub async fn register_device(
    State(state): Shared,
    Authed(me): Authed,
    ApiJson(req): ApiJson<DeviceRequest>,
) -> Result<(StatusCode, Json<DeviceResponse>), ApiError> {
    let device_id = match req.device_id {
        Some(id) => uuid::Uuid::parse_str(&id)
            .map_err(|_| ApiError::Unprocessable {
                code: "invalid_device_id",
                detail: format!("{id:?} is not a UUID"),
            })?
            .hyphenated()
            .to_string(),
        None => uuid::Uuid::now_v7().to_string(),
    };
    let name = req.name.map(|n| n.chars().take(200).collect::<String>());
    let id = device_id.clone();
    blocking(&state, move |s| s.register_device(me.id, &id, name.as_deref())).await?;
    Ok((StatusCode::CREATED, Json(DeviceResponse { device_id })))
}

#[utoipa::path(post, path = "/v1/sync/push", request_body = PushRequest, security(("bearer" = [])),
    responses((status = 200, body = PushResponse),
              (status = 403, description = "Not your device, or every event refused", body = Problem),
              (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn push(
    State(state): Shared,
    headers: HeaderMap,
    Authed(me): Authed,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    check_protocol(&headers)?;
    if req.events.len() > wire::MAX_PUSH_EVENTS {
        return Err(ApiError::TooLarge(format!(
            "{} events in one push; at most {}",
            req.events.len(),
            wire::MAX_PUSH_EVENTS
        )));
    }
    let device = req.device_id.clone();
    let owner = blocking(&state, move |s| s.device_owner(&device)).await?;
    match owner {
        None => return Err(ApiError::Forbidden(format!("device {} is not registered", req.device_id))),
        Some(o) if o != me.id => {
            return Err(ApiError::Forbidden(format!("device {} belongs to another account", req.device_id)));
        }
        Some(_) => {}
    }
    let (results, touched, everything) = blocking(&state, move |s| {
        let candidates: Vec<_> =
            req.events.into_iter().map(|e| ingest::check(&me, &req.device_id, e)).collect();
        let results = s.push(me.id, &req.device_id, &candidates)?;
        let mut touched = std::collections::BTreeSet::new();
        let mut everything = false;
        for (c, r) in candidates.iter().zip(&results) {
            if let (Ok(accepted), PushStatus::Accepted) = (&c.verdict, r.status) {
                everything |= forget(s, &c.event.kind, &accepted.trace, &mut touched)?;
            }
        }
        Ok((results, touched, everything))
    })
    .await?;
    state.cache.touch(touched.iter().map(String::as_str));
    if everything {
        state.cache.touch_all();
    }
    let refused = |r: &&wire::PushResult| r.status == PushStatus::Rejected;
    if !results.is_empty() && results.iter().all(|r| refused(&r)) {
        let first: &EventError =
            results[0].error.as_ref().ok_or_else(|| ApiError::Internal("no reason".into()))?;
        return Err(ApiError::PushRefused {
            status: first.status,
            code: first.code.clone(),
            detail: format!("every event was refused; the first: {}", first.detail),
            results,
        });
    }
    Ok(Json(PushResponse { results }))
}

/// Which cached resolutions an accepted event makes stale: the GTINs it
/// concerns, and for a harvest, shipment or receipt also the GTINs of lots
/// made from its lot (whose story shows it one step up). `true` when it cannot
/// be mapped (a farm diary shows in every lot harvested at that farm).
fn forget(
    store: &dyn Store,
    kind: &str,
    trace: &[crate::domain::catalog::TraceKey],
    touched: &mut std::collections::BTreeSet<String>,
) -> crate::store::Result<bool> {
    use crate::domain::catalog::{TraceKey, TraceRole};
    if kind == "farm_diary" {
        return Ok(true);
    }
    for key in trace {
        let TraceKey::Item { gtin, lot, .. } = key else { continue };
        touched.insert(gtin.clone());
        if matches!(kind, "harvest" | "shipping" | "receiving") && !lot.is_empty() {
            for (role, e) in store.trace(gtin, Some(lot), None, false)? {
                if role == TraceRole::Input && e.kind == "transformation" {
                    let outputs = e.payload["outputs"].as_array().cloned().unwrap_or_default();
                    touched.extend(
                        outputs.iter().filter_map(|o| crate::domain::catalog::gtin14(o["gtin"].as_str()?)),
                    );
                }
            }
        }
    }
    Ok(false)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PullQuery {
    /// Opaque cursor from the previous page; empty for the beginning.
    #[serde(default)]
    cursor: String,
    /// 1 to 1000 (default 500).
    limit: Option<u32>,
    /// The pulling device (one of the caller's): the server notes how far it
    /// has pulled, which tells whom a recall has reached.
    device: Option<String>,
}

fn decode_cursor(cursor: &str) -> Result<i64, ApiError> {
    if cursor.is_empty() {
        return Ok(0);
    }
    let bad = || ApiError::bad_request("invalid_cursor", "the cursor is not one this server gave");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("v1:").and_then(|n| n.parse::<i64>().ok()).filter(|n| *n >= 0).ok_or_else(bad)
}

fn encode_cursor(position: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{position}"))
}

#[utoipa::path(get, path = "/v1/sync/pull", params(PullQuery), security(("bearer" = [])),
    responses((status = 200, body = PullResponse), (status = 400, body = Problem)))]
pub async fn pull(
    State(state): Shared,
    headers: HeaderMap,
    Authed(me): Authed,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    check_protocol(&headers)?;
    let Query(q) = query?;
    let after = decode_cursor(&q.cursor)?;
    let limit = q.limit.unwrap_or(500);
    if !(1..=wire::MAX_PULL_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            format!("limit must be 1 to {}", wire::MAX_PULL_LIMIT),
        ));
    }
    let device = q.device;
    let page = blocking(&state, move |s| {
        let page = s.pull(&me, after, limit)?;
        if let Some(device) = device.filter(|_| page.last > after) {
            s.note_pull(me.id, &device, page.last)?;
        }
        Ok(page)
    })
    .await?;
    Ok(Json(PullResponse {
        changes: page.changes,
        cursor: encode_cursor(page.last),
        has_more: page.has_more,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EventsQuery {
    device_id: Option<String>,
    /// Server sequence to start after.
    #[serde(default)]
    after: i64,
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
    State(state): Shared,
    Authed(me): Authed,
    query: Result<Query<EventsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<EventsPage>, ApiError> {
    let Query(q) = query?;
    let everyone = matches!(me.role, Role::Admin | Role::Authority);
    let query = EventQuery {
        device_id: q.device_id,
        user_id: (!everyone).then_some(me.id),
        after: q.after,
        limit: q.limit.unwrap_or(500).clamp(1, 5000),
    };
    let admin = me.role == Role::Admin;
    let mut items = blocking(&state, move |s| s.events(&query)).await?;
    if !admin {
        // A complaint's contact is for the handlers of its province
        // (`/v1/complaints`), not for every reader of events.
        for e in items.iter_mut().filter(|e| e.kind == "complaint") {
            if let Some(p) = e.payload.as_object_mut() {
                p.remove("contact");
            }
        }
    }
    let next_after = items.last().map(|e| e.server_seq).unwrap_or(q.after);
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
    State(state): Shared,
    Authed(me): Authed,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<StatusRequest>,
) -> Result<StatusCode, ApiError> {
    require(&me, &[Role::Authority, Role::Admin])?;
    let error = match req.status.as_str() {
        "accepted" => None,
        "rejected" => Some(EventError {
            code: "revoked".into(),
            status: 409,
            detail: req.reason.unwrap_or_else(|| format!("revoked by {}", me.username)),
        }),
        other => {
            return Err(ApiError::Unprocessable {
                code: "invalid_status",
                detail: format!("{other:?}: use accepted or rejected"),
            });
        }
    };
    blocking(&state, move |s| s.set_event_status(&id, error.as_ref())).await?;
    state.cache.touch_all();
    Ok(StatusCode::NO_CONTENT)
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "truyxuat", description = "Truy xuất nguồn gốc sản phẩm — product traceability API"),
    paths(healthz, openapi, token, refresh, create_user, me, register_device, push, pull, events, event_status,
          crate::resolver::resolve, crate::resolver::search, crate::resolver::product, crate::resolver::put_catalog, crate::resolver::reach, crate::resolver::provinces, crate::resolver::declare_recall,
          crate::complaints_http::create, crate::complaints_http::queue, crate::complaints_http::status,
          crate::complaints_http::move_status, crate::complaints_http::upload_photo, crate::complaints_http::get_photo,
          crate::stats_http::overview, crate::stats_http::scans, crate::stats_http::complaints,
          crate::stats_http::recalls, crate::stats_http::participation,
          crate::recall_pack::pack, crate::recall_pack::key, crate::recall_pack::revoke,
          crate::epcis_http::capture, crate::epcis_http::events, crate::epcis_http::event,
          crate::epcis_http::epc_events),
    components(schemas(wire::WireEvent, wire::PushResult, wire::PushStatus, wire::EventError, wire::Change)),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;
