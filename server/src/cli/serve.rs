//! `truyxuat serve`: open the store, load keys, optionally seed the demo,
//! bind, and run until Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use crate::auth::Keys;
use crate::state::{AppState, Limits};

pub struct ServeOptions {
    pub db: PathBuf,
    pub addr: String,
    pub demo: bool,
    pub token_ttl: Duration,
    pub limits: Limits,
    pub connections: crate::listen::Connections,
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

pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRUYXUAT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    // A log that cannot be written (a full disk, a closed stderr) is lost,
    // never a reason to stop serving: no report of the failure either (it
    // would go to the same stderr, and printing there panics).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .log_internal_errors(false)
        .try_init();
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
        crate::store::open(&options.db).with_context(|| format!("opening {}", options.db.display()))?;
    let keys = load_keys(&options.db, options.token_ttl)?;
    if options.demo {
        let s = store.clone();
        tokio::task::spawn_blocking(move || crate::actions::demo::seed(s.as_ref())).await??;
    }
    let dir = options.db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let pack = crate::auth::PackSigner::load_or_create(&dir.join("recall-pack.key"))
        .with_context(|| format!("the recall pack key in {}", dir.display()))?;
    let state = AppState::new(store, keys, options.limits, pack);
    let addr: SocketAddr = options.addr.parse().with_context(|| format!("--addr {:?}", options.addr))?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    let bound = listener.local_addr()?;
    tracing::info!(db = %options.db.display(), "serving");
    let files = crate::listen::raise_open_files_limit();
    tracing::info!(files, connections = options.connections.cap(), "limits");
    // Tests and scripts read the address from here; a closed stdout is no reason to stop.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on http://{bound}").and_then(|()| stdout.flush());
    crate::run(listener, state, options.connections, shutdown_signal()).await?;
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
