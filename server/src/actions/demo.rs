//! The demo: accounts (password [`DEMO_PASSWORD`]), the catalog, and the
//! events of demo phones from `fixtures/demo/catalog.json`, built into the
//! binary so that `serve --demo` works anywhere. The events are pushed
//! through the same checks as any phone's (`sync::push`).

use anyhow::Context;
use serde::Deserialize;
use truyxuat_core::journal::{GENESIS_HASH, event_hash};
use truyxuat_core::sync::wire::WireEvent;

use crate::auth;
use crate::domain::account::{NewUser, Role};
use crate::domain::catalog::Catalog;
use crate::store::Store;

/// The demo data, built into the binary so that `serve --demo` works anywhere.
pub const DEMO_CATALOG: &str = include_str!("../../../fixtures/demo/catalog.json");
pub const DEMO_PASSWORD: &str = "demo";

#[derive(Deserialize)]
struct DemoUser {
    username: String,
    role: String,
    province: Option<String>,
    glns: Vec<String>,
}

#[derive(Deserialize)]
struct DemoEvent {
    user: String,
    device: String,
    device_time: String,
    kind: String,
    payload: serde_json::Value,
}

/// The demo data file: accounts, the catalog, and events recorded on demo
/// phones (replayed through the same checks as any push).
#[derive(Deserialize)]
struct DemoData {
    users: Vec<DemoUser>,
    #[serde(flatten)]
    catalog: Catalog,
    #[serde(default)]
    events: Vec<DemoEvent>,
}

/// The moment the demo's phones pushed their events: the demo's own
/// "now" (its last event is of that morning), whatever the day it is
/// loaded.
pub const RECORDED_AT: &str = "2026-11-26T05:00:00Z";

fn recorded_at() -> crate::clock::Moment {
    crate::clock::Moment::parse(RECORDED_AT).unwrap_or(crate::clock::Moment::from_unix_ms(0))
}

/// Load the demo into an empty database; on a database that has it
/// already, do nothing.
pub fn seed(store: &dyn Store) -> anyhow::Result<()> {
    let demo: DemoData = serde_json::from_str(DEMO_CATALOG).context("demo data")?;
    let names = demo.users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>().join(", ");
    if store.user_by_name(&demo.users[0].username)?.is_none() {
        let password_hash = auth::hash_password(DEMO_PASSWORD)?;
        for u in &demo.users {
            store.create_user(&NewUser {
                username: u.username.clone(),
                password_hash: password_hash.clone(),
                role: u.role.parse::<Role>().map_err(anyhow::Error::msg)?,
                province: u.province.clone(),
                glns: u.glns.clone(),
            })?;
        }
        let records = crate::actions::catalog::write_as_operator(store, demo.catalog)
            .map_err(|e| anyhow::anyhow!("demo catalog: {e}"))?
            .value;
        replay(store, &demo.events)?;
        tracing::info!(records, events = demo.events.len(), "demo data loaded");
    }
    tracing::warn!(
        "DEMO MODE: accounts {names} have the password {DEMO_PASSWORD:?}; never use --demo for real data"
    );
    Ok(())
}

/// Record the demo phones' events as if each phone had pushed its journal.
fn replay(store: &dyn Store, events: &[DemoEvent]) -> anyhow::Result<()> {
    let mut devices: Vec<&str> = Vec::new();
    for e in events {
        if !devices.contains(&e.device.as_str()) {
            devices.push(&e.device);
        }
    }
    for label in devices {
        let mine: Vec<&DemoEvent> = events.iter().filter(|e| e.device == label).collect();
        let user = store
            .user_by_name(&mine[0].user)?
            .with_context(|| format!("demo device {label}: no account {}", mine[0].user))?;
        let device_id =
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("truyxuat:demo:{label}").as_bytes())
                .hyphenated()
                .to_string();
        store.register_device(user.id, &device_id, Some(label))?;
        let mut prev = GENESIS_HASH.to_owned();
        let mut batch = Vec::with_capacity(mine.len());
        for (i, e) in mine.iter().enumerate() {
            anyhow::ensure!(e.user == user.username, "demo device {label} is used by two accounts");
            let seq = i as i64 + 1;
            let id = uuid::Uuid::new_v5(
                &uuid::Uuid::NAMESPACE_URL,
                format!("truyxuat:demo:{label}:{seq}").as_bytes(),
            )
            .hyphenated()
            .to_string();
            let hash = event_hash(&prev, seq, &id, &device_id, &e.kind, &e.payload, &e.device_time);
            let wire = WireEvent {
                id,
                seq,
                kind: e.kind.clone(),
                payload: e.payload.clone(),
                device_time: e.device_time.clone(),
                prev_hash: std::mem::replace(&mut prev, hash.clone()),
                hash,
            };
            batch.push(wire);
        }
        let kinds: Vec<(i64, String)> = batch.iter().map(|e| (e.seq, e.kind.clone())).collect();
        let results = crate::actions::sync::push(store, &user, &device_id, batch, recorded_at())
            .map_err(|e| anyhow::anyhow!("demo device {label}: {e}"))?
            .value;
        for (r, (seq, kind)) in results.iter().zip(&kinds) {
            if let Some(err) = &r.error {
                anyhow::bail!("demo event {seq} {kind} of {label}: {} ({})", err.detail, err.code);
            }
        }
    }
    Ok(())
}
