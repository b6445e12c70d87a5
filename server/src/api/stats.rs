//! Statistics for policy, `/v1/stats/…`: inspectors and provincial
//! authorities their province, national accounts any or the whole country.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use truyxuat_core::sync::wire::Problem;

use crate::actions::stats::{self, StatsQuery};
use crate::api::extract::Authed;
use crate::domain::account::User;
use crate::domain::stats::{ComplaintStats, Overview, Participation, RecallStats, ScanStats, Scope};
use crate::problem::ApiError;
use crate::state::{AppState, read};
use crate::store::Store;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/stats/overview", get(overview))
        .route("/v1/stats/scans", get(scans))
        .route("/v1/stats/complaints", get(complaints))
        .route("/v1/stats/recalls", get(recalls))
        .route("/v1/stats/participation", get(participation))
}

type StatsQueryResult = Result<Query<StatsQuery>, axum::extract::rejection::QueryRejection>;
type StatsResult<T> = Result<Json<T>, ApiError>;

async fn figures<T: Send + 'static>(
    state: Arc<AppState>,
    me: User,
    query: StatsQueryResult,
    f: fn(&dyn Store, &Scope) -> crate::store::Result<T>,
) -> StatsResult<T> {
    let Query(q) = query?;
    let today = state.clock.now().vn_day();
    Ok(Json(read(&state, move |s| Ok(f(s, &stats::scope(s, &me, &q, &today)?)?)).await?))
}

/// Everything the dashboard shows, for a period and a province.
#[utoipa::path(get, path = "/v1/stats/overview", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = Overview), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn overview(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: StatsQueryResult,
) -> StatsResult<Overview> {
    figures(state, me, query, stats::overview).await
}

/// Scans per day, province and category; scans of unregistered codes.
#[utoipa::path(get, path = "/v1/stats/scans", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = ScanStats), (status = 403, body = Problem)))]
pub async fn scans(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: StatsQueryResult,
) -> StatsResult<ScanStats> {
    figures(state, me, query, stats::scans).await
}

/// Complaints by category, status and province, and time to resolution.
#[utoipa::path(get, path = "/v1/stats/complaints", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = ComplaintStats), (status = 403, body = Problem)))]
pub async fn complaints(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: StatsQueryResult,
) -> StatsResult<ComplaintStats> {
    figures(state, me, query, stats::complaints).await
}

/// Recalls declared in the period and their reach.
#[utoipa::path(get, path = "/v1/stats/recalls", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = RecallStats), (status = 403, body = Problem)))]
pub async fn recalls(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: StatsQueryResult,
) -> StatsResult<RecallStats> {
    figures(state, me, query, stats::recalls).await
}

/// Companies, products, lots with a complete chain, devices, accounts.
#[utoipa::path(get, path = "/v1/stats/participation", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, body = Participation), (status = 403, body = Problem)))]
pub async fn participation(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: StatsQueryResult,
) -> StatsResult<Participation> {
    figures(state, me, query, stats::participation).await
}
