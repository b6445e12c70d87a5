//! The "report a problem" page behind the consumer page: a citizen files a
//! complaint without an account (with a contact) and gets a tracking code.
//! It files through the same action as `POST /v1/complaints`.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::actions::complaints;
use crate::domain::complaint::{CATEGORIES, Filing};
use crate::pages::{is_vi, remember_lang, words};
use crate::problem::ApiError;
use crate::state::{AppState, ClientAddr, limit_anonymous, write};

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
        categories: CATEGORIES
            .iter()
            .map(|c| {
                let (v, e) = words::complaint_category(c);
                (*c, if vi { v } else { e })
            })
            .collect(),
        provinces: words::provinces(vi),
        tracking,
        error,
    };
    page.render().map_err(|e| ApiError::Internal(e.to_string()))
}

/// `GET /report?code=…`: the form behind "Báo cáo vấn đề / Report a problem".
pub async fn form(headers: HeaderMap, Query(q): Query<ReportQuery>) -> Result<Response, ApiError> {
    let vi = is_vi(&headers, q.lang.as_deref());
    let code: String = q.code.unwrap_or_default().chars().take(truyxuat_core::gs1::MAX_INPUT_LEN).collect();
    let mut response = Html(report_page(vi, code, None, None)?).into_response();
    remember_lang(&mut response, q.lang.as_deref());
    Ok(response)
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
pub async fn submit(
    State(state): State<Arc<AppState>>,
    addr: ClientAddr,
    headers: HeaderMap,
    axum::Form(f): axum::Form<ReportForm>,
) -> Result<Response, ApiError> {
    let vi = is_vi(&headers, f.lang.as_deref());
    if !crate::pages::same_origin(&headers) {
        return Err(ApiError::Forbidden("a form from another site".into()));
    }
    limit_anonymous(&state, None, &addr)?;
    let filing = Filing {
        code: f.code.clone(),
        category: f.category,
        description: f.description,
        province: f.province,
        contact: f.contact.filter(|c| !c.trim().is_empty()),
        photos: f.photos.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect(),
    };
    match write(&state, move |s| complaints::file(s, None, filing)).await {
        Ok(c) => Ok((StatusCode::CREATED, Html(report_page(vi, f.code, Some(c.tracking_code), None)?))
            .into_response()),
        Err(ApiError::Unprocessable { detail, .. }) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(report_page(vi, f.code, None, Some(detail))?))
                .into_response())
        }
        Err(e) => Err(e),
    }
}
