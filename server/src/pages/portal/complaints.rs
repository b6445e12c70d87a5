//! The complaint queue of an account's area and the handling of one
//! complaint (its history, photos and contact, and the next statuses),
//! through the same actions as `/v1/complaints`.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{LangQuery, Nav, PortalUser, error_page, nav, refused, respond, same_origin};
use crate::actions::complaints::{self, Move, QueueQuery};
use crate::domain::account::User;
use crate::domain::complaint::{Complaint, STATUSES, can_move};
use crate::pages::{is_vi, render, url_encode, words};
use crate::problem::ApiError;
use crate::state::{AppState, photo_response, read, write};

struct ComplaintRow {
    tracking_code: String,
    filed: String,
    category: String,
    code: String,
    province: String,
    status: String,
    status_name: String,
}

fn complaint_row(c: &Complaint, vi: bool) -> ComplaintRow {
    let (cv, ce) = words::complaint_category(&c.category);
    let (sv, se) = words::complaint_status(&c.status);
    ComplaintRow {
        tracking_code: c.tracking_code.clone(),
        filed: words::date_vn(&c.created_at),
        category: (if vi { cv } else { ce }).to_owned(),
        code: c.code.clone(),
        province: words::province(Some(&c.province), vi),
        status: c.status.clone(),
        status_name: (if vi { sv } else { se }).to_owned(),
    }
}

#[derive(Template)]
#[template(path = "portal_complaints.html")]
struct ComplaintsPage {
    vi: bool,
    nav: Option<Nav>,
    scope_name: String,
    status: String,
    statuses: Vec<(&'static str, String)>,
    rows: Vec<ComplaintRow>,
}

#[derive(Deserialize, Default)]
pub struct ComplaintsQuery {
    status: Option<String>,
    /// A province, for national accounts (others see their own).
    province: Option<String>,
    lang: Option<String>,
}

/// The queue of the account's area, newest first.
pub async fn queue(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Query(q): Query<ComplaintsQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let status = q.status.filter(|s| STATUSES.contains(&s.as_str()));
    let asked = QueueQuery { status: status.clone(), province: q.province, ..QueueQuery::default() };
    let who = me.clone();
    let listed = read(&state, move |s| complaints::queue_listed(s, &who, &asked)).await;
    let page = listed.and_then(|(province, items)| {
        render(&ComplaintsPage {
            vi,
            nav: Some(nav(&me, vi, "/portal/complaints")),
            scope_name: words::area(province.as_deref(), vi),
            status: status.clone().unwrap_or_default(),
            statuses: STATUSES
                .into_iter()
                .map(|s| {
                    let (v, e) = words::complaint_status(s);
                    (s, (if vi { v } else { e }).to_owned())
                })
                .collect(),
            rows: items.iter().map(|c| complaint_row(c, vi)).collect(),
        })
    });
    respond(vi, &me, page, q.lang.as_deref())
}

struct HistoryRow {
    at: String,
    status: String,
    status_name: String,
    actor: String,
    note: String,
}

#[derive(Template)]
#[template(path = "portal_complaint.html")]
struct ComplaintPage {
    vi: bool,
    nav: Option<Nav>,
    row: ComplaintRow,
    description: String,
    contact: String,
    photos: Vec<String>,
    history: Vec<HistoryRow>,
    next: Vec<(&'static str, String)>,
    error: Option<String>,
}

async fn complaint_page(
    state: &Arc<AppState>,
    me: &User,
    vi: bool,
    tracking_code: String,
    error: Option<String>,
) -> Result<ComplaintPage, ApiError> {
    let who = me.clone();
    let complaint = read(state, move |s| complaints::handled(s, &who, &tracking_code)).await?;
    Ok(ComplaintPage {
        vi,
        nav: Some(nav(me, vi, "/portal/complaints")),
        row: complaint_row(&complaint, vi),
        description: complaint.description.clone(),
        contact: complaint.contact.clone().unwrap_or_default(),
        photos: complaint.photos.clone(),
        history: complaint
            .history
            .iter()
            .map(|h| {
                let (v, e) = words::complaint_status(&h.status);
                HistoryRow {
                    at: words::vn_time(&h.at),
                    status: h.status.clone(),
                    status_name: (if vi { v } else { e }).to_owned(),
                    actor: match h.actor.as_deref() {
                        Some(a) if a == "anonymous" || a.starts_with("user:") => {
                            (if vi { "người phản ánh" } else { "the filer" }).to_owned()
                        }
                        other => other.unwrap_or_default().to_owned(),
                    },
                    note: h.note.clone().unwrap_or_default(),
                }
            })
            .collect(),
        next: ["processing", "resolved", "rejected"]
            .into_iter()
            .filter(|s| can_move(&complaint.status, s))
            .map(|s| {
                let (v, e) = words::complaint_status(s);
                (s, (if vi { v } else { e }).to_owned())
            })
            .collect(),
        error,
    })
}

pub async fn detail(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Path(tracking_code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let page = complaint_page(&state, &me, vi, tracking_code, None).await.and_then(|p| render(&p));
    respond(vi, &me, page, q.lang.as_deref())
}

/// A photo of a complaint, for the portal's pages (same rule as the API).
pub async fn photo(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    Path(hash): Path<String>,
) -> Response {
    match read(&state, move |s| complaints::photo(s, &me, &hash)).await {
        Ok(p) => photo_response(p),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    status: String,
    note: Option<String>,
}

pub async fn move_on(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Path(tracking_code): Path<String>,
    axum::Form(f): axum::Form<MoveForm>,
) -> Response {
    let vi = is_vi(&headers, None);
    if !same_origin(&headers) {
        return error_page(vi, Some(&me), ApiError::Forbidden("a form from another site".into()));
    }
    let m = Move { status: f.status, note: f.note.filter(|n| !n.trim().is_empty()), assign_to: None };
    let (who, code) = (me.clone(), tracking_code.clone());
    match write(&state, move |s| complaints::move_on(s, &who, &code, m)).await {
        Ok(_) => Redirect::to(&format!("/portal/complaints/{}", url_encode(&tracking_code))).into_response(),
        Err(e @ (ApiError::Conflict { .. } | ApiError::Unprocessable { .. })) => refused(
            vi,
            &me,
            e.status(),
            complaint_page(&state, &me, vi, tracking_code, Some(e.to_string())).await,
        ),
        Err(e) => error_page(vi, Some(&me), e),
    }
}
