//! Recalls and revoked codes: declaring a recall (shown at once by the
//! resolver, sent to the recall's province and to every account whose
//! devices scanned an affected lot, all in one transaction), revoking a
//! code, and the offline recall pack of a province.
//!
//! Invariant: a pack is made from the published recall changes only (the
//! feed phones pull), so its version is the feed's sequence number and a
//! delta names exactly what changed after it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use truyxuat_core::lookup::{RecallNote, RevokedCode};
use truyxuat_core::recall_pack::{FORMAT, PackBody};

use crate::actions::{Error, Result, Touched, Written, provenance};
use crate::clock::Moment;
use crate::domain::account::User;
use crate::domain::catalog::{Catalog, Recall, provinces};
use crate::domain::rights;
use crate::store::{NewChange, Store};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RecallRequest {
    /// Made by the server when absent; an existing recall's id changes it
    /// (for those who may).
    pub id: Option<String>,
    pub gtin: String,
    pub lots: Vec<String>,
    pub reason_vi: String,
    pub reason_en: Option<String>,
    /// high, medium or low.
    pub severity: String,
    /// A province code for a local recall; none for the whole country (a
    /// provincial authority's recall is of its province).
    pub province: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecallDeclared {
    pub recall: Recall,
    /// Devices that had scanned an affected lot (they get it on their next pull).
    pub devices_notified: usize,
}

/// Lots one recall names at most.
pub const MAX_LOTS: usize = 1000;

/// Declare (or change) a recall as `me`.
pub fn declare(
    store: &dyn Store,
    me: &User,
    req: RecallRequest,
    now: Moment,
) -> Result<Written<RecallDeclared>> {
    if req.lots.len() > MAX_LOTS {
        return Err(Error::TooLarge(format!("{} lots in one recall; at most {MAX_LOTS}", req.lots.len())));
    }
    let province = rights::recall_province(me, req.province.as_deref());
    let id = req
        .id
        .unwrap_or_else(|| format!("R-{}-{:06X}", &now.vn_day()[..4], rand::random::<u32>() & 0xFF_FFFF));
    let recall = Recall {
        id,
        gtin: req.gtin,
        lots: req.lots,
        reason_vi: req.reason_vi,
        reason_en: req.reason_en,
        severity: req.severity,
        declared_by: None,
        declared_at: String::new(),
        province,
    }
    .normalise()
    .map_err(|detail| Error::invalid("invalid_record", detail))?;
    let mut catalog = Catalog { recalls: vec![recall], ..Default::default() };
    let facts = crate::actions::catalog::facts(store, me, &catalog)?;
    let mut recall = catalog.recalls.remove(0);
    match facts.recalls.get(&recall.id) {
        Some((stored, _)) => {
            recall.declared_by = stored.declared_by.clone();
            recall.declared_at = stored.declared_at.clone();
        }
        None => {
            recall.declared_by = Some(me.username.clone());
            recall.declared_at = now.rfc3339();
        }
    }
    let owns =
        |gtin: &str| facts.products.get(gtin).cloned().flatten().is_some_and(|k| facts.mine.contains(&k));
    let stored = facts.recalls.get(&recall.id).map(|(r, role)| (r, *role));
    let owns_product = owns(&recall.gtin) && stored.is_none_or(|(s, _)| owns(&s.gtin));
    rights::declare_recall(me, &recall, stored, owns_product)?;

    let mut devices = BTreeSet::new();
    for lot in &recall.lots {
        devices.extend(provenance::reach(store, &recall.gtin, lot)?.devices);
    }
    let mut notices = Vec::new();
    if recall.province.is_some() {
        // A local recall still reaches those who scanned it elsewhere.
        let mut owners = BTreeSet::new();
        for d in &devices {
            owners.extend(store.device_owner(d)?);
        }
        let data = serde_json::to_value(&recall).map_err(|e| Error::Internal(e.to_string()))?;
        notices = owners
            .into_iter()
            .map(|owner| NewChange {
                kind: "recall".into(),
                key: recall.id.clone(),
                data: Some(data.clone()),
                province: None,
                user_id: Some(owner),
            })
            .collect();
    }
    let catalog = Catalog { recalls: vec![recall.clone()], ..Default::default() };
    store.apply_catalog_with(&catalog, &notices)?;
    Ok(Written::new(RecallDeclared { recall, devices_notified: devices.len() }, Touched::everything()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RevokeRequest {
    /// The code: a GTIN (the product code itself), or with a lot or a serial.
    pub code: String,
    pub reason_vi: String,
    pub reason_en: Option<String>,
}

/// Revoke a code (a forged or withdrawn GTIN, lot or serial): the resolver
/// warns at once, and recall packs carry it to inspectors' phones.
pub fn revoke(store: &dyn Store, me: &User, req: RevokeRequest) -> Result<Written<RevokedCode>> {
    rights::revoke_code(me)?;
    let invalid = |detail: &str| Error::invalid("invalid_record", detail);
    if req.code.len() > truyxuat_core::gs1::MAX_INPUT_LEN {
        return Err(invalid("the code is too long"));
    }
    let info = truyxuat_core::code::parse_code(&req.code);
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
        reason_en: req
            .reason_en
            .map(|r| r.trim().chars().take(2000).collect::<String>())
            .filter(|r| !r.is_empty()),
    };
    store.revoke(&code, &me.username)?;
    Ok(Written::new(code, Touched::everything()))
}

/// The recall pack `me` asks for: of `province` (default: the account's
/// own; none for a national account: nationwide recalls only), whole or
/// the changes since version `since`.
pub fn pack(
    store: &dyn Store,
    me: &User,
    province: Option<&str>,
    since: Option<i64>,
    now: Moment,
) -> Result<PackBody> {
    let province = province.filter(|p| !p.is_empty());
    if since.is_some_and(|v| v < 0) {
        return Err(Error::bad_request("invalid_query", "since is a version: 0 or more"));
    }
    if let Some(p) = province
        && provinces::province(p).is_none()
    {
        return Err(Error::bad_request("invalid_query", format!("unknown province code {p:?}")));
    }
    let province = rights::fetch_recall_pack(me, province)?;
    Ok(build(store, province.as_deref(), since, now.rfc3339())?)
}

/// The pack of `province` (nationwide recalls only: none), whole or since
/// `since` (a version beyond the feed, e.g. after a server reset: whole).
pub fn build(
    store: &dyn Store,
    province: Option<&str>,
    since: Option<i64>,
    issued_at: String,
) -> crate::store::Result<PackBody> {
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
