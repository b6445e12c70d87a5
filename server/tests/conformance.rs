//! Third-party conformance material (`../shared/conformance/`, described in
//! its README), every file of it: the CBV 2.0 event-hash vectors of the
//! reference implementation, OpenEPCIS's valid and invalid capture documents
//! (captured in-process as the national authority, which may record any
//! event) and its standard query, and the GS1 Digital Link cases of GS1's own
//! tools. How many cases of each suite agree is kept in
//! `tests/golden/conformance.txt` (`UPDATE_GOLDEN=1` rewrites it), so a
//! change either way is a visible diff; the disagreeing cases are printed.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::Request;
use serde_json::Value;
use support::inproc::App;
use truyxuat_server::domain::epcis::{event_list, hash};

/// `../shared` beside the checkout; absent: skipped, unless in CI.
fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if dir.join("conformance").is_dir() {
        return Some(dir);
    }
    assert!(std::env::var("CI").is_err(), "../shared/conformance is missing (CI must have it)");
    eprintln!("note: ../shared/conformance is absent; the conformance suites are not run");
    None
}

#[derive(Default)]
struct Tally {
    cases: usize,
    agree: usize,
    disagree: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.cases += 1;
        if ok {
            self.agree += 1;
        } else {
            self.disagree.push(what());
        }
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn event_hashes(shared: &Path, suites: &mut BTreeMap<String, Tally>) {
    let conformance = shared.join("conformance");
    let text = std::fs::read_to_string(conformance.join("epcis-hash/vectors.jsonl")).unwrap();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let vector: Value = serde_json::from_str(line).unwrap();
        let name = vector["doc"].as_str().unwrap();
        let path = match name.split_once('/') {
            Some(("ralphtro", file)) => conformance.join("epcis-hash/ralphtro").join(file),
            Some(("gs1", file)) => shared.join("epcis/JSON").join(file),
            Some(("openepcis", file)) => conformance.join("epcis-capture").join(file),
            _ => panic!("unknown document {name}"),
        };
        let doc = read_json(&path);
        let context = doc.get("@context").cloned().unwrap_or(Value::Null);
        let events = event_list(&doc).unwrap_or_else(|| panic!("{name}: no event list"));
        for v in vector["events"].as_array().unwrap() {
            if v.get("skip").is_some() {
                continue;
            }
            let source = v["source"].as_str().unwrap();
            let suite = if source.starts_with("derived") {
                "epcis-hash/derived"
            } else if source.contains("expected/CBV2.0") {
                "epcis-hash/reference-newest"
            } else {
                "epcis-hash/reference-1.9"
            };
            let i = v["index"].as_u64().unwrap() as usize;
            let got = hash::event_hash(&events[i], &context);
            let want = v["ref"].as_str().unwrap();
            suites.entry(suite.into()).or_default().check(got == want, || {
                let mut why = format!("{name} #{i}: {got}, want {want}");
                if let Some(pre) = v["ref_prehash"].as_str() {
                    why +=
                        &format!("\n      ours: {}\n      want: {pre}", hash::prehash(&events[i], &context));
                }
                why
            });
        }
    }
}

async fn capture(app: &App, body: &[u8]) -> (u16, Value) {
    let req = Request::builder()
        .method("POST")
        .uri("/epcis/capture")
        .header("authorization", format!("Bearer {}", app.token("authority")))
        .header("content-type", "application/ld+json")
        .body(Body::from(body.to_vec()))
        .unwrap();
    let (status, json, _) = app.send(req).await;
    (status, json)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    out.sort();
    out
}

async fn captures(app: &App, shared: &Path, suites: &mut BTreeMap<String, Tally>) {
    let dir = shared.join("conformance/epcis-capture");
    let judged = read_json(&dir.join("judgements.json"));
    for folder in ["valid", "query-documents", "invalid"] {
        for path in files(&dir.join(folder)) {
            let name = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
            let refused = folder == "invalid" || judged.get(&name).is_some_and(|j| j["expect"] == "refused");
            let (status, body) = capture(app, &std::fs::read(&path).unwrap()).await;
            let (suite, ok) = if refused {
                let problem = body["type"].as_str().is_some_and(|t| t.starts_with("epcisException:"));
                ("epcis-capture/refused", (400..500).contains(&status) && problem)
            } else {
                ("epcis-capture/accepted", status == 202 && body["stored"].as_u64().is_some())
            };
            suites.entry(suite.into()).or_default().check(ok, || format!("{name}: {status} {body}"));
        }
    }
}

/// A SimpleEventQuery as the REST binding's query string.
fn query_string(query: &Value) -> String {
    let mut parts = Vec::new();
    for (name, value) in query.as_object().unwrap() {
        if name.starts_with('@') {
            continue;
        }
        let value = match value {
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).unwrap_or(v.to_string()))
                .collect::<Vec<_>>()
                .join("|"),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        parts.push(format!("{name}={}", support::urlencode(&value)));
    }
    parts.join("&")
}

async fn queries(app: &App, shared: &Path, suites: &mut BTreeMap<String, Tally>) {
    let dir = shared.join("conformance/epcis-capture/queries");
    for (folder, suite) in [("valid", "epcis-query/answered"), ("invalid", "epcis-query/refused")] {
        for path in files(&dir.join(folder)) {
            let uri = format!("/epcis/events?{}", query_string(&read_json(&path)));
            let (status, body) = app.call("GET", &uri, Some("authority"), None).await;
            let ok = if folder == "valid" {
                status == 200 && body["type"] == "EPCISQueryDocument"
            } else {
                status == 400 && body["type"] == "epcisException:QueryParameterException"
            };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            suites.entry(suite.into()).or_default().check(ok, || format!("{name}: {status} {body}"));
        }
    }
}

fn digital_link(shared: &Path, suites: &mut BTreeMap<String, Tally>) {
    use truyxuat_core::gs1::batch::{Request, process};
    let text = std::fs::read_to_string(shared.join("conformance/digital-link/cases.jsonl")).unwrap();
    let tally = suites.entry("digital-link".into()).or_default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let req: Request = serde_json::from_value(case.clone()).unwrap();
        let got = serde_json::to_value(process(&req)).unwrap();
        let diffs: Vec<String> = case["expect"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(field, want)| got[field.as_str()] != **want)
            .map(|(field, want)| format!("{field}: got {}, want {want}", got[field.as_str()]))
            .collect();
        tally.check(diffs.is_empty(), || {
            format!("{} {:?} ({}): {}", case["id"], req.input, got["error"], diffs.join("; "))
        });
    }
}

#[tokio::test]
async fn third_party_suites_agree_as_the_golden_file_says() {
    let Some(shared) = shared() else { return };
    let mut suites: BTreeMap<String, Tally> = BTreeMap::new();
    event_hashes(&shared, &mut suites);
    let app = App::demo();
    captures(&app, &shared, &mut suites).await;
    queries(&app, &shared, &mut suites).await;
    digital_link(&shared, &mut suites);

    let mut out = String::from("# suite cases agree   (tests/conformance.rs; UPDATE_GOLDEN=1 rewrites it)\n");
    for (name, t) in &suites {
        out += &format!("{name} {} {}\n", t.cases, t.agree);
        for why in t.disagree.iter().take(40) {
            eprintln!("{name}: {why}");
        }
    }
    eprint!("{out}");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/conformance.txt");
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::write(&golden, &out).unwrap();
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(
        out, want,
        "conformance counts changed; if intended, rerun with UPDATE_GOLDEN=1 and commit the diff"
    );
}
