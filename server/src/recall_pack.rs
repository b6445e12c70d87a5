//! The offline recall pack, server side: the recalls in force for a
//! province and the revoked codes, whole or as a delta since a version,
//! signed with the server's Ed25519 key (`core::recall_pack` checks it on
//! the phone). Also the route that revokes a code.
//!
//! Invariant: a pack is made from the published recall changes only (the
//! feed phones pull), so its version is the feed's sequence number and a
//! delta names exactly what changed after it.

use std::path::Path;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::Deserialize;
use truyxuat_core::lookup::{RecallNote, RevokedCode};
use truyxuat_core::recall_pack::{self, FORMAT, PackBody, PackKey, SignedPack};

use crate::api::Authed;
use crate::domain::account::{Role, User};
use crate::problem::ApiError;
use crate::state::{AppState, blocking};
use crate::store::{Result, Store};

/// The server's signing key.
pub struct PackSigner {
    pair: Ed25519KeyPair,
    key: PackKey,
}

impl PackSigner {
    fn from_pkcs8(pkcs8: &[u8]) -> anyhow::Result<PackSigner> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|e| anyhow::anyhow!("recall pack key: {e}"))?;
        let public = pair.public_key().as_ref();
        let key = PackKey { key_id: recall_pack::key_id(public), public_key: recall_pack::hex(public) };
        Ok(PackSigner { pair, key })
    }

    /// A fresh key, kept in memory only (tests, benchmarks).
    pub fn generate() -> PackSigner {
        let pkcs8 =
            Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).expect("system randomness");
        PackSigner::from_pkcs8(pkcs8.as_ref()).expect("a key ring just made")
    }

    /// The key in `path` (PKCS#8), made on first run (mode 0600 on Unix).
    pub fn load_or_create(path: &Path) -> anyhow::Result<PackSigner> {
        if let Ok(bytes) = std::fs::read(path) {
            return PackSigner::from_pkcs8(&bytes);
        }
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
            .map_err(|e| anyhow::anyhow!("making the recall pack key: {e}"))?;
        crate::auth::write_secret_file(path, pkcs8.as_ref())?;
        PackSigner::from_pkcs8(pkcs8.as_ref())
    }

    pub fn key(&self) -> &PackKey {
        &self.key
    }

    pub fn sign(&self, body: &PackBody) -> SignedPack {
        let body = serde_json::to_value(body).unwrap_or_default();
        let signature = recall_pack::hex(self.pair.sign(&recall_pack::signed_bytes(&body)).as_ref());
        SignedPack { body, key_id: self.key.key_id.clone(), signature }
    }
}

/// The pack of `province` (nationwide recalls only: none), whole or since
/// `since` (a version beyond the feed, e.g. after a server reset: whole).
pub fn build(
    store: &dyn Store,
    province: Option<&str>,
    since: Option<i64>,
    issued_at: String,
) -> Result<PackBody> {
    let asked = since;
    let (mut changes, version) = store.recall_changes(province, asked.unwrap_or(0))?;
    let since = asked.filter(|&s| s <= version);
    if asked.is_some() && since.is_none() {
        // A version beyond the feed (the server's data was reset): a whole pack.
        changes = store.recall_changes(province, 0)?.0;
    }
    // The last change of each recall (or revocation) wins.
    let mut last: Vec<(String, String, Option<String>)> = Vec::new();
    for (_, kind, key, data) in changes {
        last.retain(|(k, key2, _)| !(*k == kind && *key2 == key));
        last.push((kind, key, data));
    }
    let (mut recalls, mut withdrawn, mut revoked, mut reinstated) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (kind, key, data) in last {
        if kind == "revocation" {
            match data.and_then(|d| serde_json::from_str::<RevokedCode>(&d).ok()) {
                Some(code) => revoked.push(code),
                None if since.is_some() => reinstated.push(key),
                None => {}
            }
            continue;
        }
        match data.and_then(|d| serde_json::from_str::<RecallNote>(&d).ok()) {
            Some(note) => recalls.push(note),
            None if since.is_some() => withdrawn.push(key),
            None => {}
        }
    }
    recalls.sort_by(|a, b| a.id.cmp(&b.id));
    revoked.sort_by_key(RevokedCode::key);
    Ok(PackBody {
        format: FORMAT,
        province: province.map(str::to_owned),
        version,
        base_version: since,
        issued_at,
        recalls,
        withdrawn,
        revoked,
        reinstated,
    })
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PackQuery {
    /// A province code; default: the account's.
    province: Option<String>,
    /// The version the phone has: the answer is the changes since.
    since: Option<i64>,
}

/// Inspectors their province's; authorities and admins any province's.
fn may_fetch(me: &User, province: Option<&str>) -> std::result::Result<(), ApiError> {
    let allowed = match me.role {
        Role::Authority | Role::Admin => true,
        Role::Inspector => province == me.province.as_deref(),
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "a {} account cannot fetch the recall pack of {}",
            me.role,
            province.unwrap_or("the whole country")
        )))
    }
}

/// The signed recall pack of a province: whole, or the changes since a
/// version. Inspectors (their province), authorities and admins.
#[utoipa::path(get, path = "/v1/recall-pack", params(PackQuery), security(("bearer" = [])),
    responses((status = 200, description = "a signed pack: {body, key_id, signature}"),
              (status = 403, body = truyxuat_core::sync::wire::Problem)))]
pub async fn pack(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    query: std::result::Result<Query<PackQuery>, axum::extract::rejection::QueryRejection>,
) -> std::result::Result<Json<SignedPack>, ApiError> {
    let Query(q) = query?;
    let province = q.province.filter(|p| !p.is_empty()).or_else(|| me.province.clone());
    if let Some(p) = &province
        && crate::domain::catalog::provinces::province(p).is_none()
    {
        return Err(ApiError::bad_request("invalid_query", format!("unknown province code {p:?}")));
    }
    may_fetch(&me, province.as_deref())?;
    let issued_at = truyxuat_core::journal::format_unix_ms(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0),
    );
    let body = blocking(&state, move |s| build(s, province.as_deref(), q.since, issued_at)).await?;
    Ok(Json(state.pack.sign(&body)))
}

/// The key recall packs are signed with (phones pin it).
#[utoipa::path(get, path = "/v1/recall-pack/key", security(("bearer" = [])),
    responses((status = 200, description = "{key_id, public_key} (Ed25519, hex)")))]
pub async fn key(State(state): State<Arc<AppState>>, Authed(_): Authed) -> Json<PackKey> {
    Json(state.pack.key().clone())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RevokeRequest {
    /// The code: a GTIN (the product code itself), or with a lot or a serial.
    code: String,
    reason_vi: String,
    reason_en: Option<String>,
}

/// Revoke a code (a forged or withdrawn GTIN, lot or serial): the resolver
/// warns at once, and recall packs carry it to inspectors' phones.
/// Authorities and admins.
#[utoipa::path(post, path = "/v1/revocations", request_body = RevokeRequest, security(("bearer" = [])),
    responses((status = 201, description = "the revoked code"), (status = 403, body = truyxuat_core::sync::wire::Problem),
              (status = 422, body = truyxuat_core::sync::wire::Problem)))]
pub async fn revoke(
    State(state): State<Arc<AppState>>,
    Authed(me): Authed,
    crate::api::ApiJson(req): crate::api::ApiJson<RevokeRequest>,
) -> std::result::Result<(axum::http::StatusCode, Json<RevokedCode>), ApiError> {
    if !matches!(me.role, Role::Authority | Role::Admin) {
        return Err(ApiError::Forbidden(format!("a {} account cannot revoke codes", me.role)));
    }
    let info = truyxuat_core::code::parse_code(&req.code);
    let invalid = |detail: &str| ApiError::Unprocessable { code: "invalid_record", detail: detail.into() };
    let gtin = info.gtin.ok_or_else(|| invalid("the code names no GTIN"))?;
    let reason_vi = req.reason_vi.trim().to_owned();
    if reason_vi.is_empty() || reason_vi.chars().count() > 2000 {
        return Err(invalid("reason_vi: 1 to 2000 characters"));
    }
    let code = RevokedCode {
        gtin,
        lot: info.lot.unwrap_or_default(),
        serial: info.serial.unwrap_or_default(),
        reason_vi,
        reason_en: req.reason_en.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()),
    };
    let (stored, by) = (code.clone(), me.username.clone());
    blocking(&state, move |s| s.revoke(&stored, &by)).await?;
    state.cache.touch_all();
    Ok((axum::http::StatusCode::CREATED, Json(code)))
}
