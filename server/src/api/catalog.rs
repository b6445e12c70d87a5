//! The product database for machines: `/v1/resolve` (a code's provenance,
//! the phones' answer), product search and look-up, catalog writes, a lot's
//! reach, the provinces.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use truyxuat_core::sync::wire::Problem;

use crate::actions::{catalog, provenance};
use crate::api::extract::{ApiJson, Authed};
use crate::domain::catalog::{Catalog, Product, provinces};
use crate::problem::ApiError;
use crate::state::{AppState, add_linkset_header, check_code, dl_path, read, resolution, write};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/resolve", get(resolve))
        .route("/v1/products", get(search))
        .route("/v1/products/{gtin}", get(product))
        .route("/v1/catalog", put(put_catalog))
        .route("/v1/reach", get(reach))
        .route("/v1/provinces", get(provinces))
}

type QueryResult<T> = Result<Query<T>, axum::extract::rejection::QueryRejection>;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResolveQuery {
    /// Any text a scanner gives: GTIN, element string, `]C1…`, Digital Link URI.
    code: String,
}

#[utoipa::path(get, path = "/v1/resolve", params(ResolveQuery),
    responses((status = 200, description = "Provenance of the code (see `warnings`)"), (status = 400, body = Problem)))]
pub async fn resolve(
    State(state): State<Arc<AppState>>,
    query: QueryResult<ResolveQuery>,
) -> Result<Response, ApiError> {
    let Query(q) = query?;
    check_code(&q.code)?;
    let entry = resolution(&state, q.code).await?;
    let mut response = ([(header::CONTENT_TYPE, "application/json")], entry.json.clone()).into_response();
    if let Some(path) = dl_path(&entry.provenance) {
        add_linkset_header(&mut response, &path);
    }
    Ok(response)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to look for; diacritics and case are ignored ("ca phe" finds "Cà phê").
    q: String,
    /// 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// 0 to 10000 (default 0).
    #[param(minimum = 0, maximum = 10000)]
    offset: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    items: Vec<Product>,
    total: u64,
    limit: u32,
    offset: u32,
}

#[utoipa::path(get, path = "/v1/products", params(SearchQuery), responses((status = 200, body = SearchPage)))]
pub async fn search(
    State(state): State<Arc<AppState>>,
    query: QueryResult<SearchQuery>,
) -> Result<Json<SearchPage>, ApiError> {
    let Query(q) = query?;
    let (items, total, limit, offset) =
        read(&state, move |s| catalog::search(s, &q.q, q.limit, q.offset)).await?;
    Ok(Json(SearchPage { items, total, limit, offset }))
}

#[utoipa::path(get, path = "/v1/products/{gtin}", params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14")),
    responses((status = 200, body = Product), (status = 404, body = Problem)))]
pub async fn product(
    State(state): State<Arc<AppState>>,
    Path(gtin): Path<String>,
) -> Result<Json<Product>, ApiError> {
    Ok(Json(read(&state, move |s| catalog::product(s, &gtin)).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CatalogStored {
    stored: usize,
}

/// Create or update catalog records, all or nothing.
#[utoipa::path(put, path = "/v1/catalog", request_body = Catalog, security(("bearer" = [])),
    responses((status = 200, body = CatalogStored), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_catalog(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    ApiJson(records): ApiJson<Catalog>,
) -> Result<Json<CatalogStored>, ApiError> {
    let now = state.clock.now();
    let stored = write(&state, move |s| catalog::write(s, &me, records, now)).await?;
    Ok(Json(CatalogStored { stored }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReachQuery {
    gtin: String,
    lot: String,
}

/// Who a lot reached (for a recall): lots made from it, sites that received
/// them, devices that scanned them. Inspectors, authorities and admins.
#[utoipa::path(get, path = "/v1/reach", params(ReachQuery), security(("bearer" = [])),
    responses((status = 200, description = "lots, sites, devices, scans"), (status = 403, body = Problem)))]
pub async fn reach(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: QueryResult<ReachQuery>,
) -> Result<Json<provenance::Reach>, ApiError> {
    let Query(q) = query?;
    Ok(Json(read(&state, move |s| provenance::reach_for(s, &me, &q.gtin, &q.lot)).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProvinceInfo {
    code: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
}

/// Viet Nam's 34 provincial-level units (since 1 July 2025) and their codes.
#[utoipa::path(get, path = "/v1/provinces", responses((status = 200, body = Vec<ProvinceInfo>)))]
pub async fn provinces() -> Json<Vec<ProvinceInfo>> {
    Json(
        provinces::PROVINCES
            .iter()
            .map(|&(code, name_vi, name_en)| ProvinceInfo { code, name_vi, name_en })
            .collect(),
    )
}
