//! truyxuat's server and command-line tool, in layers (each knows only the
//! ones below it; `ARCHITECTURE.md` has the map and the checks):
//!
//! - `cli`: the `truyxuat` command line (serve, user add, import, device, tools);
//! - this file: [`app`], the one route table, and [`run`];
//! - `api` (JSON and EPCIS for machines) and `pages` (HTML for people), the
//!   two faces, which never import each other;
//! - `state` (what requests share), `problem` (errors as answers), `cache`,
//!   `auth` (passwords, tokens, signing keys), `clock`;
//! - `actions`: the use cases, which ask `domain::rights` first;
//! - `store`: the only SQL, behind the `Store` trait;
//! - `domain`: the pure nouns and rules.

pub mod actions;
pub mod api;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod domain;
pub mod listen;
pub mod pages;
pub mod problem;
pub mod state;
pub mod store;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::state::AppState;

/// The whole HTTP face: the API's routes and the pages', the Digital Link
/// resolver for every other path, and the layers (body limit, tracing).
pub fn app(state: Arc<AppState>) -> Router {
    let body_limit = state.limits.body_bytes;
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .fallback(pages::digital_link::digital_link)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::map_response(security_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// [`pages::SECURITY_HEADERS`] on every answer that does not set its own.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    for (name, value) in pages::SECURITY_HEADERS {
        headers.entry(name).or_insert(axum::http::HeaderValue::from_static(value));
    }
    response
}

/// Serve [`app`] on `listener` within the connection `bounds` until
/// `shutdown` completes (in-flight requests finish first).
pub async fn run(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    bounds: listen::Connections,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listen::serve(listener, app(state), &bounds, shutdown).await
}
