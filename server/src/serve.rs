//! `truyxuat serve`: open the store, load keys, optionally seed the demo,
//! bind, and run until Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde::Deserialize;

use crate::api::{self, AppState, Limits};
use crate::auth::{self, Keys};
use crate::store::{NewChange, NewUser, Role, SqliteStore, Store};

/// The demo data, built into the binary so that `serve --demo` works anywhere.
pub const DEMO_CATALOG: &str = include_str!("../../fixtures/demo/catalog.json");
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
struct DemoCatalog {
    users: Vec<DemoUser>,
    products: Vec<serde_json::Value>,
    lots: Vec<serde_json::Value>,
    recalls: Vec<serde_json::Value>,
}

/// Create the demo accounts and publish the demo reference data, once.
pub fn seed_demo(store: &dyn Store) -> anyhow::Result<()> {
    let catalog: DemoCatalog = serde_json::from_str(DEMO_CATALOG).context("demo catalog")?;
    let mut created = 0;
    for u in &catalog.users {
        if store.user_by_name(&u.username)?.is_some() {
            continue;
        }
        let role: Role = u.role.parse().map_err(anyhow::Error::msg)?;
        store.create_user(&NewUser {
            username: u.username.clone(),
            password_hash: auth::hash_password(DEMO_PASSWORD)?,
            role,
            province: u.province.clone(),
            glns: u.glns.clone(),
        })?;
        created += 1;
    }
    if created == catalog.users.len() {
        let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
        for p in &catalog.products {
            let change = NewChange {
                kind: "product".into(),
                key: text(p, "gtin"),
                data: Some(p.clone()),
                province: None,
                user_id: None,
            };
            store.publish(&change)?;
        }
        for l in &catalog.lots {
            let key = format!("{}/{}", text(l, "gtin"), text(l, "lot"));
            store.publish(&NewChange {
                kind: "lot".into(),
                key,
                data: Some(l.clone()),
                province: None,
                user_id: None,
            })?;
        }
        for r in &catalog.recalls {
            let province = r["province"].as_str().map(str::to_owned);
            let change = NewChange {
                kind: "recall".into(),
                key: text(r, "id"),
                data: Some(r.clone()),
                province,
                user_id: None,
            };
            store.publish(&change)?;
        }
    }
    tracing::warn!(
        "DEMO MODE: accounts {} have the password {DEMO_PASSWORD:?}; never use --demo for real data",
        catalog.users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>().join(", ")
    );
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
    let app = api::router(AppState::new(store, keys, options.limits));
    let addr: SocketAddr = options.addr.parse().with_context(|| format!("--addr {:?}", options.addr))?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    let bound = listener.local_addr()?;
    tracing::info!(db = %options.db.display(), "serving");
    println!("listening on http://{bound}");
    std::io::stdout().flush()?;
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}
