//! `truyxuat serve`: open the store, load keys, optionally seed the demo,
//! bind, and run until Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde::Deserialize;

use crate::auth::{self, Keys};
use crate::state::{AppState, Limits};
use truyxuat_core::journal::{GENESIS_HASH, event_hash};
use truyxuat_core::sync::wire::WireEvent;

use crate::domain::account::{NewUser, Role};
use crate::domain::catalog::Catalog;
use crate::domain::ingest;
use crate::store::{SqliteStore, Store};

/// The demo data, built into the binary so that `serve --demo` works anywhere.
pub const DEMO_CATALOG: &str = include_str!("../../../fixtures/demo/catalog.json");
pub const DEMO_PASSWORD: &str = "demo";

pub struct ServeOptions {
    pub db: PathBuf,
    pub addr: String,
    pub demo: bool,
    pub token_ttl: Duration,
    pub limits: Limits,
}

/// The signing secret: `TRUYXUAT_JWT_SECRET` when set, else a file
/// `jwt-secret` beside the database, made on first run.
pub fn load_keys(db: &Path, ttl: Duration) -> anyhow::Result<Keys> {
    if let Ok(secret) = std::env::var("TRUYXUAT_JWT_SECRET") {
        anyhow::ensure!(secret.len() >= 32, "TRUYXUAT_JWT_SECRET must have at least 32 characters");
        return Ok(Keys::from_secret(secret.as_bytes(), ttl));
    }
    let dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(Keys::load_or_create(&dir.join("jwt-secret"), ttl)?)
}

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

/// Load the demo into an empty database; on a database that has it
/// already, do nothing.
pub fn seed_demo(store: &dyn Store) -> anyhow::Result<()> {
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
        let catalog =
            demo.catalog.normalise().map_err(|e| anyhow::anyhow!("demo catalog: {}", e.join("; ")))?;
        store.apply_catalog(&catalog)?;
        replay(store, &demo.events)?;
        tracing::info!(records = catalog.len(), events = demo.events.len(), "demo data loaded");
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
            batch.push(ingest::check(&user, &device_id, wire));
        }
        for (r, c) in store.push(user.id, &device_id, &batch)?.iter().zip(&batch) {
            if let Some(err) = &r.error {
                anyhow::bail!(
                    "demo event {} {} of {label}: {} ({})",
                    c.event.seq,
                    c.event.kind,
                    err.detail,
                    err.code
                );
            }
        }
    }
    Ok(())
}

pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRUYXUAT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}

pub async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let store =
        SqliteStore::open(&options.db).with_context(|| format!("opening {}", options.db.display()))?;
    let store: Arc<dyn Store> = Arc::new(store);
    let keys = load_keys(&options.db, options.token_ttl)?;
    if options.demo {
        let s = store.clone();
        tokio::task::spawn_blocking(move || seed_demo(s.as_ref())).await??;
    }
    let dir = options.db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let pack = crate::recall_pack::PackSigner::load_or_create(&dir.join("recall-pack.key"))
        .with_context(|| format!("the recall pack key in {}", dir.display()))?;
    let state = AppState::new(store, keys, options.limits, pack);
    let addr: SocketAddr = options.addr.parse().with_context(|| format!("--addr {:?}", options.addr))?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    let bound = listener.local_addr()?;
    tracing::info!(db = %options.db.display(), "serving");
    println!("listening on http://{bound}");
    std::io::stdout().flush()?;
    crate::run(listener, state, shutdown_signal()).await?;
    Ok(())
}

/// `truyxuat serve`: a runtime whose blocking pool fits the store, then [`serve`].
pub fn run(options: ServeOptions) -> anyhow::Result<std::process::ExitCode> {
    init_tracing();
    // Store calls run on the blocking pool; more threads than connections
    // only queue on the store's locks (and cost latency), so keep it small.
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(16).build()?;
    runtime.block_on(serve(options))?;
    Ok(std::process::ExitCode::SUCCESS)
}
