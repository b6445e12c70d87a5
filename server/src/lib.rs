//! truyxuat's server and command-line tool.
//!
//! `api` (HTTP) → `domain::ingest` (checks needing no state) → `store`
//! (SQLite behind a trait). `auth` holds passwords, tokens and rate limits;
//! `problem` is the one place errors become HTTP answers. `cli` and
//! `device` are the command-line shells.

pub mod actions;
pub mod api;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod complaints_http;
pub mod domain;
pub mod epcis_http;
pub mod import;
pub mod portal;
pub mod problem;
pub mod recall_pack;
pub mod resolver;
pub mod scope;
pub mod state;
pub mod stats_http;
pub mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::state::AppState;

/// The whole HTTP face: every route, the Digital Link fallback and the
/// layers (body limit, tracing).
pub fn app(state: Arc<AppState>) -> Router {
    let body_limit = state.limits.body_bytes;
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/openapi.json", get(api::openapi))
        .route("/v1/auth/token", post(api::token))
        .route("/v1/auth/refresh", post(api::refresh))
        .route("/v1/users", post(api::create_user))
        .route("/v1/me", get(api::me))
        .route("/v1/devices", post(api::register_device))
        .route("/v1/sync/push", post(api::push))
        .route("/v1/sync/pull", get(api::pull))
        .route("/v1/events", get(api::events))
        .route("/v1/events/{id}/status", post(api::event_status))
        .route("/v1/resolve", get(resolver::resolve))
        .route("/v1/products", get(resolver::search))
        .route("/v1/products/{gtin}", get(resolver::product))
        .route("/view", get(resolver::view))
        .route("/v1/catalog", axum::routing::put(resolver::put_catalog))
        .route("/v1/reach", get(resolver::reach))
        .route("/v1/provinces", get(resolver::provinces))
        .route("/v1/recalls", post(resolver::declare_recall))
        .route("/v1/complaints", post(complaints_http::create).get(complaints_http::queue))
        .route("/v1/complaints/{tracking_code}", get(complaints_http::status))
        .route("/v1/photos", post(complaints_http::upload_photo))
        .route("/v1/photos/{hash}", get(complaints_http::get_photo))
        .route("/epcis/capture", post(epcis_http::capture).options(epcis_http::capture_options))
        .route("/epcis/capture/{id}", get(epcis_http::capture_job))
        .route("/epcis/events", get(epcis_http::events))
        .route("/epcis/events/{event_id}", get(epcis_http::event))
        .route("/epcis/epcs/{epc}/events", get(epcis_http::epc_events))
        .route("/v1/recall-pack", get(recall_pack::pack))
        .route("/v1/revocations", post(recall_pack::revoke))
        .route("/v1/recall-pack/key", get(recall_pack::key))
        .route("/v1/stats/overview", get(stats_http::overview))
        .route("/v1/stats/scans", get(stats_http::scans))
        .route("/v1/stats/complaints", get(stats_http::complaints))
        .route("/v1/stats/recalls", get(stats_http::recalls))
        .route("/v1/stats/participation", get(stats_http::participation))
        .route("/v1/complaints/{tracking_code}/status", post(complaints_http::move_status))
        .route("/portal", get(portal::home))
        .route("/portal/login", get(portal::login_form).post(portal::login_submit))
        .route("/portal/logout", post(portal::logout))
        .route("/portal/dashboard", get(portal::dashboard))
        .route("/portal/complaints", get(portal::complaint_queue))
        .route(
            "/portal/complaints/{tracking_code}",
            get(portal::complaint_detail).post(portal::complaint_move),
        )
        .route("/portal/recalls", get(portal::recalls).post(portal::recall_declare))
        .route("/portal/photos/{hash}", get(portal::photo))
        .route("/portal/catalog", get(portal::catalog))
        .route("/portal/catalog/import", post(portal::catalog_import))
        .route("/portal/companies", get(portal::companies))
        .route("/portal/inspections", get(portal::inspections))
        .route("/report", get(complaints_http::report_form).post(complaints_http::report_submit))
        .fallback(resolver::digital_link)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Serve [`app`] on `listener` until `shutdown` completes (in-flight
/// requests finish first).
pub async fn run(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
