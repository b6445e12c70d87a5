//! Complaints for machines: filing (signed in, or anonymous with a
//! contact), the filer's view by tracking code, the queue of a province,
//! status changes, and the photos that go with them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use truyxuat_core::sync::wire::Problem;

use crate::actions::complaints::{self, Move, PhotoStored, QueueQuery};
use crate::api::extract::{ApiJson, Authed, MaybeAuthed};
use crate::domain::complaint::{Complaint, Filing};
use crate::problem::ApiError;
use crate::state::{AppState, ClientAddr, limit_anonymous, photo_response, read, write};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/complaints", post(create).get(queue))
        .route("/v1/complaints/{tracking_code}", get(status))
        .route("/v1/complaints/{tracking_code}/status", post(move_status))
        .route("/v1/photos", post(upload_photo))
        .route("/v1/photos/{hash}", get(get_photo))
}

#[utoipa::path(post, path = "/v1/complaints", request_body = Filing,
    responses((status = 201, body = Complaint), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    addr: ClientAddr,
    MaybeAuthed(user): MaybeAuthed,
    ApiJson(filing): ApiJson<Filing>,
) -> Result<(StatusCode, Json<Complaint>), ApiError> {
    limit_anonymous(&state, user.as_ref(), &addr)?;
    let c = write(&state, move |s| complaints::file(s, user.as_ref(), filing)).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

#[utoipa::path(get, path = "/v1/complaints/{tracking_code}", params(("tracking_code" = String, Path, description = "From the filing")),
    responses((status = 200, body = Complaint), (status = 404, body = Problem)))]
pub async fn status(
    State(state): State<Arc<AppState>>,
    MaybeAuthed(user): MaybeAuthed,
    Path(tracking_code): Path<String>,
) -> Result<Json<Complaint>, ApiError> {
    Ok(Json(read(&state, move |s| complaints::status(s, user.as_ref(), &tracking_code)).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct QueuePage {
    items: Vec<Complaint>,
    /// Pass as `after` for the next page.
    next_after: i64,
}

#[utoipa::path(get, path = "/v1/complaints", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, body = QueuePage), (status = 403, body = Problem)))]
pub async fn queue(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: Result<Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<QueuePage>, ApiError> {
    let Query(q) = query?;
    let after = q.after;
    let page = read(&state, move |s| complaints::queue(s, &me, &q)).await?;
    let next_after = page.items.last().map(|(id, _)| *id).unwrap_or(after);
    Ok(Json(QueuePage { items: page.items.into_iter().map(|(_, c)| c).collect(), next_after }))
}

#[utoipa::path(post, path = "/v1/complaints/{tracking_code}/status", request_body = Move, security(("bearer" = [])),
    params(("tracking_code" = String, Path, description = "The complaint")),
    responses((status = 200, body = Complaint), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn move_status(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(tracking_code): Path<String>,
    ApiJson(m): ApiJson<Move>,
) -> Result<Json<Complaint>, ApiError> {
    Ok(Json(write(&state, move |s| complaints::move_on(s, &me, &tracking_code, m)).await?))
}

/// `POST /v1/photos`: a JPEG, PNG or WebP photo (raw bytes, `Content-Type:
/// image/…`), checked by its bytes and kept once by content hash. Anyone may
/// send one for a complaint; anonymous senders are limited per address.
#[utoipa::path(post, path = "/v1/photos",
    responses((status = 201, body = PhotoStored), (status = 200, body = PhotoStored, description = "already here"),
              (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_photo(
    State(state): State<Arc<AppState>>,
    MaybeAuthed(user): MaybeAuthed,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    limit_anonymous(&state, user.as_ref(), &addr)?;
    let body = body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::TooLarge(format!("the photo is over the limit ({})", r.body_text()))
        }
        _ => ApiError::bad_request("invalid_body", r.body_text()),
    })?;
    let media = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !media.starts_with("image/") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let (view, new) = write(&state, move |s| complaints::upload_photo(s, user.as_ref(), &body)).await?;
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, Json(view)).into_response())
}

/// `GET /v1/photos/{hash}`: for the sender and those who handle a
/// complaint that names it.
#[utoipa::path(get, path = "/v1/photos/{hash}", security(("bearer" = [])),
    params(("hash" = String, Path, description = "SHA-256 of the photo")),
    responses((status = 200, description = "the image"), (status = 404, body = Problem)))]
pub async fn get_photo(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    Ok(photo_response(read(&state, move |s| complaints::photo(s, &me, &hash)).await?))
}
