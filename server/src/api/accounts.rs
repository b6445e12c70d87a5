//! Signing in, tokens, accounts and devices: `/v1/auth/token`,
//! `/v1/auth/refresh`, `/v1/auth/logout`, `/v1/auth/password`,
//! `/v1/users`, `/v1/users/{username}/status`, `/v1/me`, `/v1/devices`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use truyxuat_core::sync::wire::{DeviceRequest, DeviceResponse, Problem, TokenRequest, TokenResponse};

use crate::actions::accounts;
use crate::api::extract::{ApiJson, Authed, AuthedSession};
use crate::domain::account::{AccountRequest, User};
use crate::problem::ApiError;
use crate::state::{AppState, ClientAddr, check_password, end_session, issue_token, issue_token_in, write};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/auth/token", post(token))
        .route("/v1/auth/refresh", post(refresh))
        .route("/v1/auth/logout", post(logout))
        .route("/v1/auth/password", post(change_password))
        .route("/v1/users", post(create_user))
        .route("/v1/users/{username}/status", post(set_status))
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
    answer_token(state, user, issue_token(state, user)?)
}

fn answer_token(
    state: &AppState,
    user: &User,
    access_token: String,
) -> Result<Json<TokenResponse>, ApiError> {
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
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    AuthedSession(user, claims): AuthedSession,
) -> Result<Json<TokenResponse>, ApiError> {
    // The same session: signing out ends its refreshed tokens too.
    answer_token(&state, &user, issue_token_in(&state, &user, &claims.sid)?)
}

/// Sign out: the token's session ends on the server (the token and every
/// token refreshed from it are refused from now on).
#[utoipa::path(post, path = "/v1/auth/logout",
    responses((status = 204, description = "signed out"), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn logout(
    State(state): State<Arc<AppState>>,
    AuthedSession(_, claims): AuthedSession,
) -> Result<StatusCode, ApiError> {
    end_session(&state, &claims).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    pub old_password: String,
    pub new_password: String,
}

/// Change one's password: every token and session issued before ends
/// (other phones and browsers sign in again); the answer is a token of a
/// new session. A wrong old password counts as a failed sign-in.
#[utoipa::path(post, path = "/v1/auth/password", request_body = PasswordChange,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem)),
    security(("bearer" = [])))]
pub async fn change_password(
    State(state): State<Arc<AppState>>,
    from: ClientAddr,
    Authed(me): Authed,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<Json<TokenResponse>, ApiError> {
    let me = check_password(&state, &from, me.username, req.old_password).await?;
    let user = write(&state, move |s| accounts::change_password(s, &me, &req.new_password)).await?;
    token_for(&state, &user)
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountStatus {
    pub disabled: bool,
}

/// Disable (or enable again) an account: admins. Disabling ends every
/// token and session of the account.
#[utoipa::path(post, path = "/v1/users/{username}/status", request_body = AccountStatus,
    params(("username" = String, Path, description = "the account")),
    responses((status = 200, body = UserInfo), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_status(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    axum::extract::Path(username): axum::extract::Path<String>,
    ApiJson(req): ApiJson<AccountStatus>,
) -> Result<Json<UserInfo>, ApiError> {
    let user = write(&state, move |s| accounts::set_disabled(s, &me, &username, req.disabled)).await?;
    Ok(Json(UserInfo::from(&user)))
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
    pub disabled: bool,
}

impl From<&User> for UserInfo {
    fn from(u: &User) -> UserInfo {
        UserInfo {
            id: u.id,
            username: u.username.clone(),
            role: u.role.as_str().into(),
            province: u.province.clone(),
            glns: u.glns.clone(),
            disabled: u.disabled,
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
