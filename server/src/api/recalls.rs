//! Recalls and revoked codes: `POST /v1/recalls`, `POST /v1/revocations`,
//! and the signed offline recall pack `GET /v1/recall-pack` (with its key).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use truyxuat_core::lookup::RevokedCode;
use truyxuat_core::recall_pack::{PackKey, SignedPack};
use truyxuat_core::sync::wire::Problem;

use crate::actions::recalls::{self, RecallDeclared, RecallRequest, RevokeRequest};
use crate::api::extract::{ApiJson, Authed};
use crate::problem::ApiError;
use crate::state::{AppState, read, write};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/recalls", post(declare_recall))
        .route("/v1/revocations", post(revoke))
        .route("/v1/recall-pack", get(pack))
        .route("/v1/recall-pack/key", get(key))
}

/// Declare a recall: shown at once by the resolver and the consumer page,
/// sent to the devices of the recall's province (or everyone), and to every
/// device that scanned an affected lot, wherever it is.
#[utoipa::path(post, path = "/v1/recalls", request_body = RecallRequest, security(("bearer" = [])),
    responses((status = 201, body = RecallDeclared), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn declare_recall(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    ApiJson(req): ApiJson<RecallRequest>,
) -> Result<(StatusCode, Json<RecallDeclared>), ApiError> {
    let now = state.clock.now();
    Ok((StatusCode::CREATED, Json(write(&state, move |s| recalls::declare(s, &me, req, now)).await?)))
}

/// Revoke a code (a forged or withdrawn GTIN, lot or serial): the resolver
/// warns at once, and recall packs carry it to inspectors' phones.
/// National authorities and admins.
#[utoipa::path(post, path = "/v1/revocations", request_body = RevokeRequest, security(("bearer" = [])),
    responses((status = 201, description = "the revoked code"), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub async fn revoke(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    ApiJson(req): ApiJson<RevokeRequest>,
) -> Result<(StatusCode, Json<RevokedCode>), ApiError> {
    Ok((StatusCode::CREATED, Json(write(&state, move |s| recalls::revoke(s, &me, req)).await?)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PackQuery {
    /// A province code; default: the account's.
    province: Option<String>,
    /// The version the phone has: the answer is the changes since.
    #[param(minimum = 0)]
    since: Option<i64>,
}

/// The signed recall pack of a province: whole, or the changes since a
/// version. Inspectors and provincial authorities their province's,
/// national accounts any.
#[utoipa::path(get, path = "/v1/recall-pack", params(PackQuery), security(("bearer" = [])),
    responses((status = 200, description = "a signed pack: {body, key_id, signature}"), (status = 403, body = Problem)))]
pub async fn pack(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: Result<Query<PackQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SignedPack>, ApiError> {
    let Query(q) = query?;
    let now = state.clock.now();
    let body = read(&state, move |s| recalls::pack(s, &me, q.province.as_deref(), q.since, now)).await?;
    Ok(Json(state.pack.sign(&body)))
}

/// The key recall packs are signed with (phones pin it).
#[utoipa::path(get, path = "/v1/recall-pack/key", security(("bearer" = [])),
    responses((status = 200, description = "{key_id, public_key} (Ed25519, hex)")))]
pub async fn key(State(state): State<Arc<AppState>>, Authed(_): Authed) -> Json<PackKey> {
    Json(state.pack.key().clone())
}
