//! The face for machines: JSON (and the EPCIS 2.0 binding) for phones,
//! partner systems and scripts. Each file has its `routes()` and thin
//! handlers: parse the request, run one action on the blocking pool, answer.
//! `/openapi.json` describes it all.
//!
//! Invariants: every answer that is not 2xx is a problem body
//! (`problem.rs`), including unknown routes, wrong methods and oversized or
//! malformed bodies; no handler decides a right or touches the cache.

pub mod accounts;
pub mod catalog;
pub mod complaints;
pub mod epcis;
pub mod extract;
pub mod recalls;
pub mod stats;
pub mod sync;

use std::sync::Arc;

use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use truyxuat_core::sync::wire;
use utoipa::OpenApi;

use crate::problem::ApiError;
use crate::state::AppState;

/// Every JSON route.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
        .merge(accounts::routes())
        .merge(sync::routes())
        .merge(catalog::routes())
        .merge(recalls::routes())
        .merge(complaints::routes())
        .merge(stats::routes())
        .merge(epcis::routes())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    version: &'static str,
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "This description")))]
pub async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// A route that exists, asked with another method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "truyxuat", description = "Truy xuất nguồn gốc sản phẩm — product traceability API"),
    paths(healthz, openapi,
          accounts::token, accounts::refresh, accounts::logout, accounts::change_password,
          accounts::create_user, accounts::set_status, accounts::me, accounts::register_device,
          sync::push, sync::pull, sync::events, sync::event_status,
          catalog::resolve, catalog::search, catalog::product, catalog::put_catalog, catalog::reach,
          catalog::provinces,
          recalls::declare_recall, recalls::revoke, recalls::pack, recalls::key,
          complaints::create, complaints::queue, complaints::status, complaints::move_status,
          complaints::upload_photo, complaints::get_photo,
          stats::overview, stats::scans, stats::complaints, stats::recalls, stats::participation,
          epcis::capture, epcis::capture_event, epcis::capture_jobs, epcis::events, epcis::event, epcis::epc_events),
    components(schemas(wire::WireEvent, wire::PushResult, wire::PushStatus, wire::EventError, wire::Change)),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;
