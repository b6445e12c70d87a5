//! Signing in, tokens, accounts and devices: `/v1/auth/token`,
//! `/v1/auth/refresh`, `/v1/users`, `/v1/me`, `/v1/devices`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use truyxuat_core::sync::wire::{DeviceRequest, DeviceResponse, Problem, TokenRequest, TokenResponse};

use crate::actions::accounts;
use crate::api::extract::{ApiJson, Authed};
use crate::domain::account::{AccountRequest, User};
use crate::problem::ApiError;
use crate::state::{AppState, ClientAddr, check_password, issue_token, write};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/auth/token", post(token))
        .route("/v1/auth/refresh", post(refresh))
        .route("/v1/users", post(create_user))
        .route("/v1/me", get(me))
        .route("/v1/devices", post(register_device))
}

#[utoipa::path(post, path = "/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn token(
    State(state): State<Arc<AppState>>,
    from: ClientAddr,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let user = check_password(&state, &from, req.username, req.password).await?;
    token_for(&state, &user)
}

fn token_for(state: &AppState, user: &User) -> Result<Json<TokenResponse>, ApiError> {
    Ok(Json(TokenResponse {
        access_token: issue_token(state, user)?,
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
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    Authed(user): Authed,
) -> Result<Json<TokenResponse>, ApiError> {
    token_for(&state, &user)
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewUserRequest {
    pub username: String,
    pub password: String,
    /// consumer, farmer, enterprise, inspector, authority, admin, partner or certifier.
    pub role: String,
    /// An inspector's province; an authority's (none: the national authority).
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
    responses((status = 201, body = UserInfo), (status = 403, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)))]
pub async fn create_user(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<UserInfo>), ApiError> {
    let request = AccountRequest {
        username: req.username,
        password: req.password,
        role: req.role,
        province: req.province,
        glns: req.glns,
    };
    let user = write(&state, move |s| accounts::create(s, &me, request)).await?;
    Ok((StatusCode::CREATED, Json(UserInfo::from(&user))))
}

#[utoipa::path(get, path = "/v1/me", security(("bearer" = [])), responses((status = 200, body = UserInfo)))]
pub async fn me(Authed(me): Authed) -> Json<UserInfo> {
    Json(UserInfo::from(&me))
}

#[utoipa::path(post, path = "/v1/devices", request_body = DeviceRequest, security(("bearer" = [])),
    responses((status = 201, body = DeviceResponse), (status = 409, body = Problem)))]
pub async fn register_device(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    ApiJson(req): ApiJson<DeviceRequest>,
) -> Result<(StatusCode, Json<DeviceResponse>), ApiError> {
    let device_id =
        write(&state, move |s| accounts::register_device(s, &me, req.device_id, req.name)).await?;
    Ok((StatusCode::CREATED, Json(DeviceResponse { device_id })))
}
