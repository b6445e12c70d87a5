//! Sub-commands. Each one is a thin shell over `truyxuat-core`.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use serde_json::json;
use truyxuat_core::decode::{self, Mode};
use truyxuat_core::gs1::{self, batch};

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
        /// What the file holds; its header names the columns (the fields of /openapi.json's schemas).
        #[arg(long, value_enum)]
        kind: crate::import::Kind,
        file: PathBuf,
    },
    /// Điện thoại dòng lệnh — a command-line phone: journal, login, records, sync.
    Device(crate::device::DeviceArgs),
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
        /// consumer, farmer, enterprise, inspector, authority or admin.
        #[arg(long)]
        role: String,
        /// Province code (inspectors and authorities).
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
        Command::Decode { mode, files } => decode_files(mode, &files),
        Command::Gs1 { command: Gs1Command::Parse { text, json } } => gs1_parse(&text, json),
        Command::Gs1 { command: Gs1Command::Batch } => gs1_batch(),
        Command::Serve { db, addr, demo, token_ttl, user_rate, no_resolve_cache } => {
            serve(crate::serve::ServeOptions {
                db,
                addr,
                demo,
                token_ttl: std::time::Duration::from_secs(token_ttl),
                limits: crate::api::Limits {
                    user_rate,
                    resolve_cache: !no_resolve_cache,
                    ..Default::default()
                },
            })
        }
        Command::Device(args) => crate::device::run(args),
        Command::Import { db, kind, file } => import(&db, kind, &file),
        Command::User { command: UserCommand::Add { db, username, role, province, glns } } => {
            add_user(&db, username, &role, province, glns)
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

fn serve(options: crate::serve::ServeOptions) -> anyhow::Result<ExitCode> {
    crate::serve::init_tracing();
    // Store calls run on the blocking pool; more threads than connections
    // only queue on the store's locks (and cost latency), so keep it small.
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(16).build()?;
    runtime.block_on(crate::serve::serve(options))?;
    Ok(ExitCode::SUCCESS)
}

fn add_user(
    db: &std::path::Path,
    username: String,
    role: &str,
    province: Option<String>,
    glns: Vec<String>,
) -> anyhow::Result<ExitCode> {
    use crate::store::Store;
    let role: crate::domain::account::Role = role.parse().map_err(anyhow::Error::msg)?;
    if let Some(p) = &province {
        anyhow::ensure!(
            crate::domain::catalog::provinces::province(p).is_some(),
            "unknown province code {p:?}"
        );
    }
    if let Some(g) = glns.iter().find(|g| !crate::domain::catalog::valid_gln(g)) {
        anyhow::bail!("{g:?} is not a valid GLN");
    }
    let password = match std::env::var("TRUYXUAT_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    anyhow::ensure!(password.chars().count() >= 8, "the password needs at least 8 characters");
    let store = crate::store::SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?;
    let user = store.create_user(&crate::domain::account::NewUser {
        username,
        password_hash: crate::auth::hash_password(&password)?,
        role,
        province,
        glns,
    })?;
    println!("{}", json!({"id": user.id, "username": user.username, "role": user.role.as_str()}));
    Ok(ExitCode::SUCCESS)
}

fn import(
    db: &std::path::Path,
    kind: crate::import::Kind,
    file: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    let store = crate::store::SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?;
    let report = crate::import::run(&store, kind, file, std::io::stderr().is_terminal())?;
    for e in &report.errors {
        eprintln!("{}: {e}", file.display());
    }
    if report.more_errors > 0 {
        eprintln!("… {} more errors", report.more_errors);
    }
    println!("{}", serde_json::to_string(&report)?);
    Ok(if report.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// One JSON line per symbol; an unreadable file is reported on stderr and
/// the others continue. Exit status 1 if any file could not be read.
fn decode_files(mode: Mode, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in files {
        let symbols = std::fs::read(file)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| decode::decode_image(&bytes, mode).map_err(anyhow::Error::from));
        match symbols {
            Ok(symbols) => {
                for s in symbols {
                    let line = json!({
                        "file": file.display().to_string(),
                        "format": s.format.name(),
                        "text": s.text,
                        "symbology_id": s.symbology_id,
                        "gs1": s.gs1,
                    });
                    writeln!(out, "{line}")?;
                }
            }
            Err(e) => {
                failed = true;
                eprintln!("{}: {e}", file.display());
            }
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn gs1_parse(text: &str, as_json: bool) -> anyhow::Result<ExitCode> {
    let msg = match gs1::parse_any(text, &gs1::Options::default()) {
        Ok(msg) => msg,
        Err(e) => {
            if as_json {
                println!("{}", json!({"valid": false, "error": e.to_string(), "error_markup": e.markup()}));
            } else {
                println!("Không hợp lệ / invalid: {e}");
                if let Some(markup) = e.markup() {
                    println!("  {markup}");
                }
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let gtin = msg.gtin14();
    let issuer = gtin.as_deref().and_then(gs1::prefix_issuer);
    let dl = msg.digital_link(gs1::DL_STEM);
    if as_json {
        let v = json!({
            "valid": true,
            "kind": msg.kind,
            "ais": msg.elements,
            "element_string": msg.element_string(),
            "data_string": msg.data_string(),
            "dl_uri": dl.as_ref().ok(),
            "dl_error": dl.as_ref().err().map(ToString::to_string),
            "hri": msg.hri_with_titles(),
            "gtin": gtin,
            "prefix_issuer": issuer,
        });
        println!("{v}");
        return Ok(ExitCode::SUCCESS);
    }
    println!("Hợp lệ / valid ({:?})", msg.kind);
    for line in msg.hri_with_titles() {
        println!("  {line}");
    }
    if let Some(es) = msg.element_string() {
        println!("Chuỗi phần tử / element string: {es}");
    }
    match dl {
        Ok(uri) => println!("GS1 Digital Link: {uri}"),
        Err(e) => println!("GS1 Digital Link: — ({e})"),
    }
    if let Some(g) = gtin {
        println!("GTIN-14: {g}");
    }
    if let Some(i) = issuer {
        println!("Tiền tố GS1 / GS1 prefix: {} / {}", i.name_vi, i.name_en);
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads JSON Lines on stdin; a line that isn't a valid request gets an
/// answer with `error` set rather than stopping the batch.
fn gs1_batch() -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (n, line) in stdin.lock().split(b'\n').enumerate() {
        let line = line.context("reading stdin")?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let answer = match serde_json::from_slice::<batch::Request>(&line) {
            Ok(req) => serde_json::to_value(batch::process(&req))?,
            Err(e) => json!({"valid": false, "error": format!("line {}: not a valid request: {e}", n + 1)}),
        };
        writeln!(out, "{answer}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
