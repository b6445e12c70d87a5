//! Recalls in the portal: those the account may see (an enterprise: its
//! own products'), with their reach, and the form to declare one, through
//! the same action as `POST /v1/recalls`.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::dashboard::{RecallRow, recall_rows};
use super::{Nav, PortalUser, error_page, nav, refused, respond, same_origin};
use crate::actions::recalls::{self, RecallRequest};
use crate::actions::registry;
use crate::domain::account::User;
use crate::pages::{is_vi, render, url_encode, words};
use crate::problem::ApiError;
use crate::state::{AppState, read, write};

#[derive(Template)]
#[template(path = "portal_recalls.html")]
struct RecallsPage {
    vi: bool,
    nav: Option<Nav>,
    rows: Vec<RecallRow>,
    /// Products the account may recall (GTIN, name); empty: type a GTIN.
    products: Vec<(String, String)>,
    provinces: Vec<(&'static str, &'static str)>,
    declared: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct RecallsQuery {
    declared: Option<String>,
    lang: Option<String>,
}

/// The recalls of the last year the account may see (an enterprise: its
/// own products'), with their reach, and the form to declare one.
async fn recalls_page(
    state: &Arc<AppState>,
    me: &User,
    vi: bool,
    declared: Option<String>,
    error: Option<String>,
) -> Result<RecallsPage, ApiError> {
    let period = crate::domain::stats::last_year(&state.clock.now().vn_day());
    let who = me.clone();
    let (items, products) = read(state, move |s| registry::recalls(s, &who, period)).await?;
    Ok(RecallsPage {
        vi,
        nav: Some(nav(me, vi, "/portal/recalls")),
        rows: recall_rows(&items, vi),
        products: products.into_iter().map(|p| (p.gtin, p.name_vi)).collect(),
        provinces: words::provinces(vi),
        declared,
        error,
    })
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Query(q): Query<RecallsQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let page = recalls_page(&state, &me, vi, q.declared, None).await.and_then(|p| render(&p));
    respond(vi, &me, page, q.lang.as_deref())
}

#[derive(Deserialize)]
pub struct RecallForm {
    gtin: String,
    /// Lot numbers separated by commas, spaces or lines.
    lots: String,
    severity: String,
    reason_vi: String,
    reason_en: Option<String>,
    /// Empty: the whole country.
    province: Option<String>,
}

pub async fn declare(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    axum::Form(f): axum::Form<RecallForm>,
) -> Response {
    let vi = is_vi(&headers, None);
    if !same_origin(&headers) {
        return error_page(vi, Some(&me), ApiError::Forbidden("a form from another site".into()));
    }
    let request = RecallRequest {
        id: None,
        gtin: f.gtin.trim().to_owned(),
        lots: f
            .lots
            .split([',', ' ', '\n', '\r', ';'])
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        reason_vi: f.reason_vi,
        reason_en: f.reason_en.filter(|r| !r.trim().is_empty()),
        severity: f.severity,
        province: f.province.filter(|p| !p.is_empty()),
    };
    let (who, now) = (me.clone(), state.clock.now());
    match write(&state, move |s| recalls::declare(s, &who, request, now)).await {
        Ok(done) => {
            Redirect::to(&format!("/portal/recalls?declared={}", url_encode(&done.recall.id))).into_response()
        }
        Err(e @ (ApiError::Unprocessable { .. } | ApiError::Forbidden(_))) => {
            refused(vi, &me, e.status(), recalls_page(&state, &me, vi, None, Some(e.to_string())).await)
        }
        Err(e) => error_page(vi, Some(&me), e),
    }
}
