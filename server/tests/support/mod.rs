//! A real `truyxuat serve` on 127.0.0.1:0 with a temporary database, killed
//! when dropped, and small HTTP helpers.
#![allow(dead_code)]

pub mod inproc;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

/// What schema 10 added beside `epcis_steps` (undone to make a database
/// look older than it).
pub const UNDO_SCHEMA_10: &str = "
    DROP INDEX complaints_filer; ALTER TABLE complaints DROP COLUMN held;
    ALTER TABLE complaints DROP COLUMN received_at;
    DROP TABLE ended_sessions; ALTER TABLE users DROP COLUMN token_generation;";

/// The secret every test server signs with, so that tests can forge tokens.
pub const SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_truyxuat")
}

pub struct Server {
    pub url: String,
    pub dir: tempfile::TempDir,
    child: Child,
    extra: Vec<String>,
    env_secret: bool,
}

impl Server {
    /// `serve --demo` plus `extra` arguments, signing with [`SECRET`].
    pub fn start(extra: &[&str]) -> Server {
        Server::start_with(extra, true)
    }

    /// Without `env_secret` the server keeps its own secret beside the database.
    pub fn start_with(extra: &[&str], env_secret: bool) -> Server {
        Server::spawn(tempfile::tempdir().unwrap(), extra, env_secret)
    }

    /// `serve` without `--demo` on an existing database file.
    pub fn start_on(db: &Path) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let (url, child) = launch(&dir, db, &[], true);
        Server { url, child, dir, extra: Vec::new(), env_secret: true }
    }

    /// Stop and start again on the same database and secret.
    pub fn restart(mut self) -> Server {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
        Server::spawn(dir, &self.extra.iter().map(String::as_str).collect::<Vec<_>>(), self.env_secret)
    }

    fn spawn(dir: tempfile::TempDir, extra: &[&str], env_secret: bool) -> Server {
        let mut args = vec!["--demo"];
        args.extend_from_slice(extra);
        let (url, child) = launch(&dir, &dir.path().join("server.db"), &args, env_secret);
        Server { url, dir, child, extra: extra.iter().map(|s| s.to_string()).collect(), env_secret }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

/// Start `serve` on `db`, logging into `dir`; its URL once it listens.
fn launch(dir: &tempfile::TempDir, db: &Path, extra: &[&str], env_secret: bool) -> (String, Child) {
    let log =
        std::fs::OpenOptions::new().create(true).append(true).open(dir.path().join("server.log")).unwrap();
    let mut command = Command::new(bin());
    command
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(extra)
        .env_remove("TRUYXUAT_JWT_SECRET");
    if env_secret {
        command.env("TRUYXUAT_JWT_SECRET", SECRET);
    }
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(log).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("server said {line:?}"))
        .to_owned();
    (url, child)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().new_agent()
}

/// `(status, JSON body or Null, content type)`.
pub fn call(method: &str, url: &str, token: Option<&str>, body: Option<&Value>) -> (u16, Value, String) {
    let agent = agent();
    let auth = token.map(|t| format!("Bearer {t}"));
    let response = match method {
        "GET" => {
            let mut r = agent.get(url);
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            r.call()
        }
        _ => {
            let mut r = agent.post(url);
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            match body {
                Some(b) => r.send_json(b),
                None => r.send_empty(),
            }
        }
    };
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    let ctype = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null), ctype)
}

pub fn login(url: &str, user: &str) -> String {
    let (status, body, _) = call(
        "POST",
        &format!("{url}/v1/auth/token"),
        None,
        Some(&serde_json::json!({"username": user, "password": "demo"})),
    );
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// The events on the server from these devices (the demo's own phones left out).
pub fn events_from(url: &str, devices: &[&str]) -> Vec<Value> {
    all_events(url).into_iter().filter(|e| devices.contains(&e["device_id"].as_str().unwrap_or(""))).collect()
}

/// Every event on the server, as the authority sees them.
pub fn all_events(url: &str) -> Vec<Value> {
    let token = login(url, "authority");
    let (mut after, mut out) = (0, Vec::new());
    loop {
        let (status, page, _) =
            call("GET", &format!("{url}/v1/events?after={after}&limit=5000"), Some(&token), None);
        assert_eq!(status, 200, "{page}");
        let items = page["items"].as_array().unwrap();
        if items.is_empty() {
            return out;
        }
        after = page["next_after"].as_i64().unwrap();
        out.extend(items.iter().cloned());
    }
}

/// Run `truyxuat device --journal J ARGS…`.
pub fn device(journal: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("device")
        .arg("--journal")
        .arg(journal)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// [`device`] that must succeed; its stdout as JSON (the last line).
pub fn device_ok(journal: &Path, args: &[&str]) -> Value {
    let out = device(journal, args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "device {args:?} failed: {}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.lines().last().unwrap_or("null")).unwrap()
}

pub fn journal_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(format!("{name}.journal"))
}

/// `fixtures/demo/catalog.json`, what `serve --demo` loads.
pub fn demo() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo/catalog.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The GLNs of a demo account.
pub fn demo_glns(user: &str) -> Vec<String> {
    let d = demo();
    let u = d["users"].as_array().unwrap().iter().find(|u| u["username"] == user).unwrap().clone();
    u["glns"].as_array().unwrap().iter().map(|g| g.as_str().unwrap().to_owned()).collect()
}

/// How many records a first pull brings a demo account: every product and
/// lot, and the recalls of the whole country or of its province.
pub fn demo_pull_count(user: &str) -> (u64, u64, u64) {
    let d = demo();
    let province =
        d["users"].as_array().unwrap().iter().find(|u| u["username"] == user).unwrap()["province"].clone();
    let recalls = d["recalls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["province"].is_null() || r["province"] == province)
        .count();
    (
        d["products"].as_array().unwrap().len() as u64,
        d["lots"].as_array().unwrap().len() as u64,
        recalls as u64,
    )
}

/// A query value or path segment percent-encoded (all but RFC 3986's unreserved).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
