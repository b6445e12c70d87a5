//! The complaint routes: filing (signed in or anonymous with a contact), the
//! filer's view by tracking code, the inspectors' queue for their province,
//! status changes, and the "report a problem" page behind the consumer page.

use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, Authed};
use crate::domain::account::User;
use crate::domain::complaint::NewComplaint;
use crate::domain::complaint::{self as complaints, Complaint, Filing};
use crate::problem::ApiError;
use crate::state::{AppState, blocking};
use crate::store::StoreError;

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

/// The client's address, when the server was started with connection info.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddr(info.map(|c| c.0.ip())))
    }
}

/// Anonymous filings are limited per address (signed-in ones per account).
fn limit_anonymous(state: &AppState, user: Option<&User>, addr: &ClientAddr) -> Result<(), ApiError> {
    if user.is_some() {
        return Ok(());
    }
    let key = format!("complaint:{}", addr.0.map(|a| a.to_string()).unwrap_or_default());
    state.anonymous_limiter.check(&key).map_err(|s| ApiError::RateLimited { retry_after: s })
}

/// Check, attach what the code names, store (retrying a taken tracking code).
async fn file(state: &Arc<AppState>, filing: Filing, filer: Option<&User>) -> Result<Complaint, ApiError> {
    complaints::check(&filing, filer.is_some())
        .map_err(|detail| ApiError::Unprocessable { code: "invalid_complaint", detail })?;
    let photos = filing.photos.clone();
    let missing = blocking(state, move |s| s.missing_photos(&photos)).await?;
    if let Some(first) = missing.first() {
        return Err(ApiError::Unprocessable {
            code: "invalid_complaint",
            detail: format!("photo {first} was not sent first (POST /v1/photos)"),
        });
    }
    let info = crate::actions::provenance::parse_code(&filing.code);
    let filer_user_id = filer.map(|u| u.id);
    blocking(state, move |s| {
        let mut attempt = 0;
        loop {
            let new = NewComplaint {
                tracking_code: complaints::new_tracking_code(),
                filing: filing.clone(),
                gtin: info.gtin.clone(),
                lot: info.lot.clone(),
                serial: info.serial.clone(),
                filer_user_id,
                filed_at: None,
            };
            match s.file_complaint(&new) {
                Err(StoreError::Conflict(_)) if attempt < 5 => attempt += 1,
                other => return other,
            }
        }
    })
    .await
}

#[utoipa::path(post, path = "/v1/complaints", request_body = Filing,
    responses((status = 201, body = Complaint), (status = 422, body = truyxuat_core::sync::wire::Problem)))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    addr: ClientAddr,
    MaybeAuthed(user): MaybeAuthed,
    ApiJson(filing): ApiJson<Filing>,
) -> Result<(StatusCode, Json<Complaint>), ApiError> {
    limit_anonymous(&state, user.as_ref(), &addr)?;
    let c = file(&state, filing, user.as_ref()).await?;
    Ok((StatusCode::CREATED, Json(c.public())))
}

#[utoipa::path(get, path = "/v1/complaints/{tracking_code}", params(("tracking_code" = String, Path, description = "From the filing")),
    responses((status = 200, body = Complaint), (status = 404, body = truyxuat_core::sync::wire::Problem)))]
pub async fn status(
    State(state): State<Arc<AppState>>,
    MaybeAuthed(user): MaybeAuthed,
    Path(tracking_code): Path<String>,
) -> Result<Json<Complaint>, ApiError> {
    let c = blocking(&state, move |s| s.complaint(&tracking_code)).await?;
    let c = c.ok_or_else(|| ApiError::NotFound("no complaint with this tracking code".into()))?;
    // Handlers of its province see everything; anyone with the code, the filer's view.
    Ok(Json(if user.as_ref().is_some_and(|u| complaints::may_handle(u, &c.province)) {
        c
    } else {
        c.public()
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// received, processing, resolved or rejected.
    status: Option<String>,
    /// Province code; defaults to the caller's (admins: all).
    province: Option<String>,
    #[serde(default)]
    after: i64,
    limit: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct QueuePage {
    items: Vec<Complaint>,
    /// Pass as `after` for the next page.
    next_after: i64,
}

#[utoipa::path(get, path = "/v1/complaints", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, body = QueuePage), (status = 403, body = truyxuat_core::sync::wire::Problem)))]
pub async fn queue(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: Result<Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<QueuePage>, ApiError> {
    let Query(q) = query?;
    let province = queue_province(&me, q.province)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let items =
        blocking(&state, move |s| s.complaints(province.as_deref(), q.status.as_deref(), q.after, limit))
            .await?;
    let next_after = items.last().map(|(id, _)| *id).unwrap_or(q.after);
    Ok(Json(QueuePage { items: items.into_iter().map(|(_, c)| c).collect(), next_after }))
}

/// Whose queue `me` asks for: the given province or their own (admins:
/// every province, as `None`); refused outside their scope.
pub fn queue_province(me: &User, asked: Option<String>) -> Result<Option<String>, ApiError> {
    let province = asked.or_else(|| me.province.clone());
    let allowed = match &province {
        Some(p) => complaints::may_handle(me, p),
        None => me.role == crate::domain::account::Role::Admin,
    };
    if !allowed {
        return Err(ApiError::Forbidden(format!(
            "a {} account cannot see the complaints of {}",
            me.role,
            province.as_deref().unwrap_or("every province")
        )));
    }
    Ok(province)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Move {
    /// processing, resolved or rejected.
    pub status: String,
    pub note: Option<String>,
    /// Who handles it from now on.
    pub assign_to: Option<String>,
}

#[utoipa::path(post, path = "/v1/complaints/{tracking_code}/status", request_body = Move, security(("bearer" = [])),
    params(("tracking_code" = String, Path, description = "The complaint")),
    responses((status = 200, body = Complaint), (status = 403, body = truyxuat_core::sync::wire::Problem),
              (status = 409, body = truyxuat_core::sync::wire::Problem)))]
pub async fn move_status(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(tracking_code): Path<String>,
    ApiJson(m): ApiJson<Move>,
) -> Result<Json<Complaint>, ApiError> {
    Ok(Json(move_complaint(&state, &me, tracking_code, m).await?))
}

/// Move a complaint `me` may handle to its next status (API and portal).
pub async fn move_complaint(
    state: &Arc<AppState>,
    me: &User,
    tracking_code: String,
    m: Move,
) -> Result<Complaint, ApiError> {
    if !["processing", "resolved", "rejected"].contains(&m.status.as_str()) {
        return Err(ApiError::Unprocessable {
            code: "invalid_status",
            detail: format!("{:?}: use processing, resolved or rejected", m.status),
        });
    }
    if m.note.as_ref().is_some_and(|n| n.chars().count() > 4000) {
        return Err(ApiError::Unprocessable {
            code: "invalid_note",
            detail: "a note has at most 4000 characters".into(),
        });
    }
    let code = tracking_code.clone();
    let current = blocking(state, move |s| s.complaint(&code)).await?;
    let current = current.ok_or_else(|| ApiError::NotFound("no complaint with this tracking code".into()))?;
    if !complaints::may_handle(me, &current.province) {
        return Err(ApiError::Forbidden(format!(
            "a {} account cannot handle complaints of this province",
            me.role
        )));
    }
    let actor = me.username.clone();
    blocking(state, move |s| {
        s.move_complaint(&tracking_code, &actor, &m.status, m.note.as_deref(), m.assign_to.as_deref())
    })
    .await
    .map_err(|e| match e {
        ApiError::Conflict { detail, .. } => ApiError::Conflict { code: "invalid_transition", detail },
        other => other,
    })
}

#[derive(Deserialize)]
pub struct ReportQuery {
    code: Option<String>,
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    vi: bool,
    code: String,
    categories: Vec<(&'static str, &'static str)>,
    provinces: Vec<(&'static str, &'static str)>,
    tracking: Option<String>,
    error: Option<String>,
}

fn report_page(
    vi: bool,
    code: String,
    tracking: Option<String>,
    error: Option<String>,
) -> Result<String, ApiError> {
    let page = ReportPage {
        vi,
        code,
        categories: complaints::CATEGORIES
            .iter()
            .map(|c| {
                let (v, e) = complaints::category_name(c);
                (*c, if vi { v } else { e })
            })
            .collect(),
        provinces: crate::domain::catalog::provinces::PROVINCES
            .iter()
            .map(|p| (p.0, if vi { p.1 } else { p.2 }))
            .collect(),
        tracking,
        error,
    };
    page.render().map_err(|e| ApiError::Internal(e.to_string()))
}

/// `GET /report?code=…`: the form behind "Báo cáo vấn đề / Report a problem".
pub async fn report_form(Query(q): Query<ReportQuery>) -> Result<Html<String>, ApiError> {
    let vi = !q.lang.as_deref().is_some_and(|l| l.starts_with("en"));
    Ok(Html(report_page(vi, q.code.unwrap_or_default(), None, None)?))
}

#[derive(Deserialize)]
pub struct ReportForm {
    code: String,
    category: String,
    description: String,
    province: String,
    contact: Option<String>,
    lang: Option<String>,
    /// The photos' SHA-256, comma-separated (the page's script sends each
    /// photo to `POST /v1/photos` first).
    #[serde(default)]
    photos: String,
}

/// `POST /report`: file from the page, show the tracking code (or what to fix).
pub async fn report_submit(
    State(state): State<Arc<AppState>>,
    addr: ClientAddr,
    axum::Form(f): axum::Form<ReportForm>,
) -> Result<Response, ApiError> {
    limit_anonymous(&state, None, &addr)?;
    let vi = !f.lang.as_deref().is_some_and(|l| l.starts_with("en"));
    let filing = Filing {
        code: f.code.clone(),
        category: f.category,
        description: f.description,
        province: f.province,
        contact: f.contact.filter(|c| !c.trim().is_empty()),
        photos: f.photos.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect(),
    };
    match file(&state, filing, None).await {
        Ok(c) => Ok((StatusCode::CREATED, Html(report_page(vi, f.code, Some(c.tracking_code), None)?))
            .into_response()),
        Err(ApiError::Unprocessable { detail, .. }) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(report_page(vi, f.code, None, Some(detail))?))
                .into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PhotoStored {
    /// SHA-256 of the bytes: what a complaint's `photos` names.
    hash: String,
    media_type: String,
    width: u32,
    height: u32,
    size: usize,
}

/// `POST /v1/photos`: a JPEG, PNG or WebP photo (raw bytes, `Content-Type:
/// image/…`), checked by its bytes and kept once by content hash. Anyone may
/// send one for a complaint; anonymous senders are limited per address.
#[utoipa::path(post, path = "/v1/photos",
    responses((status = 201, body = PhotoStored), (status = 200, body = PhotoStored, description = "already here"),
              (status = 415, body = truyxuat_core::sync::wire::Problem), (status = 422, body = truyxuat_core::sync::wire::Problem)))]
pub async fn upload_photo(
    State(state): State<Arc<AppState>>,
    MaybeAuthed(user): MaybeAuthed,
    addr: ClientAddr,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    limit_anonymous(&state, user.as_ref(), &addr)?;
    let media = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !media.starts_with("image/") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let photo = crate::domain::photo::check(&body).map_err(|e| match e {
        crate::domain::photo::PhotoError::TooLarge(_) => ApiError::TooLarge(e.to_string()),
        other => ApiError::Unprocessable { code: "invalid_photo", detail: other.to_string() },
    })?;
    let size = body.len();
    let (stored, uploader) = (photo.clone(), user.map(|u| u.id));
    let new = blocking(&state, move |s| s.put_photo(&stored, &body, uploader)).await?;
    let view = PhotoStored {
        hash: photo.hash,
        media_type: photo.media_type.into(),
        width: photo.width,
        height: photo.height,
        size,
    };
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, Json(view)).into_response())
}

/// The photo, if `me` sent it or handles a complaint that names it (admins
/// all); a photo one may not see is "not found", like one that is not there.
pub async fn photo_for(
    state: &Arc<AppState>,
    me: &User,
    hash: String,
) -> Result<crate::store::StoredPhoto, ApiError> {
    let not_found = || ApiError::NotFound("no such photo".into());
    if !crate::domain::photo::is_hash(&hash) {
        return Err(not_found());
    }
    let (photo, provinces) =
        blocking(state, move |s| Ok((s.photo(&hash)?, s.photo_provinces(&hash)?))).await?;
    let photo = photo.ok_or_else(not_found)?;
    let allowed = photo.uploaded_by == Some(me.id)
        || me.role == crate::domain::account::Role::Admin
        || provinces.iter().any(|p| complaints::may_handle(me, p));
    if allowed { Ok(photo) } else { Err(not_found()) }
}

/// The bytes of a photo as a response (never sniffed as anything else).
pub fn photo_response(photo: crate::store::StoredPhoto) -> Response {
    use axum::http::{HeaderValue, header};
    let mut r = photo.bytes.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&photo.media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400, immutable"));
    r
}

/// `GET /v1/photos/{hash}`: for the sender and those who handle a
/// complaint that names it.
#[utoipa::path(get, path = "/v1/photos/{hash}", security(("bearer" = [])),
    params(("hash" = String, Path, description = "SHA-256 of the photo")),
    responses((status = 200, description = "the image"), (status = 404, body = truyxuat_core::sync::wire::Problem)))]
pub async fn get_photo(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    Ok(photo_response(photo_for(&state, &me, hash).await?))
}
