//! What the JSON handlers take from a request: the signed-in account (a
//! bearer token checked against the store on every request), maybe one,
//! and JSON bodies whose rejections are problem bodies.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;

use crate::auth::AuthError;
use crate::domain::account::User;
use crate::problem::ApiError;
use crate::state::{AppState, session_for_token, user_for_token};

/// `Json` whose rejections are problem bodies.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        // Every body is an object: serde would also read a struct from an
        // array of its fields in order (`["authority", "demo"]` signed in).
        let Json(value) = Json::<serde_json::Value>::from_request(req, state).await?;
        if !value.is_object() {
            return Err(ApiError::Unprocessable {
                code: "invalid_body",
                detail: "the body must be a JSON object".into(),
            });
        }
        serde_json::from_value(value)
            .map(ApiJson)
            .map_err(|e| ApiError::Unprocessable { code: "invalid_body", detail: e.to_string() })
    }
}

/// The signed-in user, checked against the store on every request.
pub struct Authed(pub User);

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    header
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .ok_or_else(|| ApiError::Unauthorized(AuthError::Missing.to_string()))
}

impl FromRequestParts<Arc<AppState>> for Authed {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        Ok(Authed(user_for_token(state, bearer(parts)?).await?))
    }
}

/// [`Authed`] and the token's claims: its session, for refreshing or
/// ending it.
pub struct AuthedSession(pub User, pub crate::auth::Claims);

impl FromRequestParts<Arc<AppState>> for AuthedSession {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (user, claims) = session_for_token(state, bearer(parts)?).await?;
        Ok(AuthedSession(user, claims))
    }
}

/// The signed-in user when there is an `Authorization` header (which must
/// then be valid), nobody otherwise.
pub struct MaybeAuthed(pub Option<User>);

impl FromRequestParts<Arc<AppState>> for MaybeAuthed {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        if parts.headers.contains_key(axum::http::header::AUTHORIZATION) {
            Ok(MaybeAuthed(Some(Authed::from_request_parts(parts, state).await?.0)))
        } else {
            Ok(MaybeAuthed(None))
        }
    }
}
