//! The `truyxuat` command line: argument parsing and the sub-commands
//! `user add` and `import`; `serve`, `device` and the code tools (`decode`,
//! `gs1`) have a file each. The only code in the server that reads argv or
//! stdin or draws progress bars.

mod device;
pub mod serve;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

use std::io::{BufRead, Read};

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use truyxuat_core::decode::Mode;

use crate::actions::import::Kind;
use crate::actions::{accounts, catalog};
use crate::domain::account::AccountRequest;

#[derive(Parser, Debug)]
#[command(name = "truyxuat", version, about = "Truy xuất nguồn gốc sản phẩm — product traceability")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Giải mã mã vạch trong ảnh — decode barcodes in image files (one JSON line per symbol).
    Decode {
        /// fast (one camera frame) or thorough (a still photo).
        #[arg(long, default_value = "thorough")]
        mode: Mode,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// GS1 element strings and Digital Link URIs.
    Gs1 {
        #[command(subcommand)]
        command: Gs1Command,
    },
    /// Chạy máy chủ — run the server (SQLite; prints `listening on http://HOST:PORT`).
    Serve {
        /// The database file (created on first run); the JWT secret is kept beside it.
        #[arg(long, default_value = "truyxuat.db")]
        db: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Create demo accounts (password `demo`) and demo data. Never for real data.
        #[arg(long)]
        demo: bool,
        /// Access-token lifetime in seconds.
        #[arg(long, default_value_t = 86_400)]
        token_ttl: u64,
        /// Requests per second allowed per user.
        #[arg(long, default_value_t = 100.0)]
        user_rate: f64,
        /// Compute every resolution afresh (to measure the uncached path).
        #[arg(long)]
        no_resolve_cache: bool,
        /// Seconds a client has to send a request's headers (and an idle
        /// kept-alive connection stays open).
        #[arg(long, default_value_t = 30)]
        header_timeout: u64,
        /// Connections at most (0: from the open-files limit).
        #[arg(long, default_value_t = 0)]
        max_connections: usize,
        /// Connections at most from one client address.
        #[arg(long, default_value_t = 1024)]
        max_connections_per_address: usize,
        /// A reverse proxy in front (repeatable): its `X-Forwarded-For`
        /// names the client whose sign-ins and filings are counted.
        #[arg(long = "trusted-proxy")]
        trusted_proxies: Vec<std::net::IpAddr>,
    },
    /// Tài khoản — accounts on a server database (the first admin, for instance).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Nhập dữ liệu từ CSV — bulk import into the product database (all lines or none).
    Import {
        #[arg(long, default_value = "truyxuat.db")]
        db: PathBuf,
        /// What the file holds: products, lots, locations, certifications, serials, suppliers or
        /// companies; its header names the columns (the fields of /openapi.json's schemas).
        #[arg(long)]
        kind: Kind,
        file: PathBuf,
    },
    /// Điện thoại dòng lệnh — a command-line phone: journal, login, records, sync.
    Device(device::DeviceArgs),
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account. The password is read from TRUYXUAT_PASSWORD, or else
    /// from the first line of standard input (never from the command line).
    Add {
        #[arg(long, default_value = "truyxuat.db")]
        db: PathBuf,
        #[arg(long)]
        username: String,
        /// consumer, farmer, enterprise, inspector, authority, admin, partner or certifier.
        #[arg(long)]
        role: String,
        /// Province code (an inspector's; an authority's, none for the national authority).
        #[arg(long)]
        province: Option<String>,
        /// A GLN the account writes for (farmers and enterprises); repeatable.
        #[arg(long = "gln")]
        glns: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
enum Gs1Command {
    /// Phân tích một mã — parse and explain one code (bracketed, ^ data, ]C1…, Digital Link, GTIN).
    Parse {
        text: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Conformance contract: JSON Lines {"mode","flags","input"} on stdin, one answer per line.
    Batch,
}

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Decode { mode, files } => tools::decode_files(mode, &files),
        Command::Gs1 { command: Gs1Command::Parse { text, json } } => tools::gs1_parse(&text, json),
        Command::Gs1 { command: Gs1Command::Batch } => tools::gs1_batch(),
        Command::Serve {
            db,
            addr,
            demo,
            token_ttl,
            user_rate,
            no_resolve_cache,
            header_timeout,
            max_connections,
            max_connections_per_address,
            trusted_proxies,
        } => serve::run(serve::ServeOptions {
            db,
            addr,
            demo,
            token_ttl: std::time::Duration::from_secs(token_ttl),
            limits: crate::state::Limits {
                user_rate,
                resolve_cache: !no_resolve_cache,
                trusted_proxies,
                ..Default::default()
            },
            connections: crate::listen::Connections {
                header_timeout: std::time::Duration::from_secs(header_timeout.clamp(1, 3600)),
                max: max_connections,
                per_address: max_connections_per_address.max(1),
            },
        }),
        Command::Device(args) => device::run(args),
        Command::Import { db, kind, file } => import(&db, kind, &file),
        Command::User { command: UserCommand::Add { db, username, role, province, glns } } => {
            add_user(&db, username, role, province, glns)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lỗi / error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn add_user(
    db: &std::path::Path,
    username: String,
    role: String,
    province: Option<String>,
    glns: Vec<String>,
) -> anyhow::Result<ExitCode> {
    let password = match std::env::var("TRUYXUAT_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().lock().take(4096).read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let request = AccountRequest { username, password, role, province, glns };
    let store = crate::store::open(db).with_context(|| format!("opening {}", db.display()))?;
    let user = accounts::create_as_operator(store.as_ref(), request)?.value;
    println!("{}", json!({"id": user.id, "username": user.username, "role": user.role.as_str()}));
    Ok(ExitCode::SUCCESS)
}

fn import(db: &std::path::Path, kind: Kind, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    let store = crate::store::open(db).with_context(|| format!("opening {}", db.display()))?;
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} {human_pos} dòng / lines ({per_sec})")?);
        bar.set_message(format!("đọc / reading {}", file.display()));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    let report = catalog::import(store.as_ref(), None, kind, &bytes, crate::clock::now(), &mut || bar.inc(1));
    bar.finish_and_clear();
    let report = report?.value;
    for e in &report.errors {
        eprintln!("{}: {e}", file.display());
    }
    if report.more_errors > 0 {
        eprintln!("… {} more errors", report.more_errors);
    }
    println!("{}", serde_json::to_string(&report)?);
    Ok(if report.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
