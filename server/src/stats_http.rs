//! The statistics routes (`/v1/stats/…`), for inspectors (their province)
//! and authorities. The figures and the scoping are in `stats`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::api::Authed;
use crate::domain::account::User;
use crate::domain::stats::{
    self, ComplaintStats, Overview, Participation, RecallStats, ScanStats, Scope, StatsError,
};
use crate::problem::ApiError;
use crate::state::{AppState, blocking};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    /// First day, `YYYY-MM-DD` (Viet Nam time); default: 29 days before `to`.
    pub from: Option<String>,
    /// Last day; default: the last day with scans (today when none).
    pub to: Option<String>,
    /// A province code; default: the whole country (an inspector: their province).
    pub province: Option<String>,
}

impl From<StatsError> for ApiError {
    fn from(e: StatsError) -> ApiError {
        match e {
            StatsError::Forbidden(why) => ApiError::Forbidden(why),
            StatsError::Invalid(why) => ApiError::bad_request("invalid_query", why),
        }
    }
}

/// The request's scope for `user` (refusals before any figure is computed).
pub async fn scope_of(state: &Arc<AppState>, user: &User, q: &StatsQuery) -> Result<Scope, ApiError> {
    // Refuse the wrong role before touching the store; the last day with
    // scans is needed only when no end day is asked for.
    stats::province_for(user, q.province.as_deref())?;
    let latest = match q.to.as_deref().filter(|t| !t.is_empty()) {
        Some(_) => None,
        None => blocking(state, |s| s.latest_scan_day()).await?,
    };
    Ok(stats::scope(
        user,
        q.from.as_deref(),
        q.to.as_deref(),
        q.province.as_deref(),
        latest,
        &crate::clock::now().vn_day(),
    )?)
}

type StatsResult<T> = Result<Json<T>, ApiError>;

async fn figures<T: Send + 'static>(
    state: Arc<AppState>,
    me: User,
    query: Result<Query<StatsQuery>, axum::extract::rejection::QueryRejection>,
    f: fn(&dyn crate::store::Store, &Scope) -> crate::store::Result<T>,
) -> StatsResult<T> {
    let Query(q) = query?;
    let scope = scope_of(&state, &me, &q).await?;
    Ok(Json(blocking(&state, move |s| f(s, &scope)).await?))
}

/// Everything the dashboard shows, for a period and a province.
#[utoipa::path(get, path = "/v1/stats/overview", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = Overview), (status = 400, body = truyxuat_core::sync::wire::Problem),
              (status = 403, body = truyxuat_core::sync::wire::Problem)))]
pub async fn overview(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: Result<Query<StatsQuery>, axum::extract::rejection::QueryRejection>,
) -> StatsResult<Overview> {
    figures(state, me, query, crate::actions::stats::overview).await
}

/// Scans per day, province and category; scans of unregistered codes.
#[utoipa::path(get, path = "/v1/stats/scans", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = ScanStats), (status = 403, body = truyxuat_core::sync::wire::Problem)))]
pub async fn scans(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: Result<Query<StatsQuery>, axum::extract::rejection::QueryRejection>,
) -> StatsResult<ScanStats> {
    figures(state, me, query, crate::actions::stats::scans).await
}

/// Complaints by category, status and province, and time to resolution.
#[utoipa::path(get, path = "/v1/stats/complaints", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = ComplaintStats), (status = 403, body = truyxuat_core::sync::wire::Problem)))]
pub async fn complaints(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: Result<Query<StatsQuery>, axum::extract::rejection::QueryRejection>,
) -> StatsResult<ComplaintStats> {
    figures(state, me, query, |s, scope| s.complaint_stats(scope)).await
}

/// Recalls declared in the period and their reach.
#[utoipa::path(get, path = "/v1/stats/recalls", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = RecallStats), (status = 403, body = truyxuat_core::sync::wire::Problem)))]
pub async fn recalls(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: Result<Query<StatsQuery>, axum::extract::rejection::QueryRejection>,
) -> StatsResult<RecallStats> {
    figures(state, me, query, crate::actions::stats::recalls).await
}

/// Companies, products, lots with a complete chain, devices, accounts.
#[utoipa::path(get, path = "/v1/stats/participation", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = Participation), (status = 403, body = truyxuat_core::sync::wire::Problem)))]
pub async fn participation(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: Result<Query<StatsQuery>, axum::extract::rejection::QueryRejection>,
) -> StatsResult<Participation> {
    figures(state, me, query, crate::actions::stats::participation).await
}
