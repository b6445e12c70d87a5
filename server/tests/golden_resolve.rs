//! The `/v1/resolve` answer of each demo scenario, as golden files under
//! `tests/golden/resolve/`: the phones read this JSON, so any change to it
//! is a visible diff (`UPDATE_GOLDEN=1` rewrites them). The demo is served
//! in-process with the clock fixed on the demo's day; and "today" is a Viet
//! Nam day, so a lot expires at midnight in Viet Nam, not in London.

mod support;

use std::path::Path;

use serde_json::Value;
use support::inproc::App;

/// (golden file, code scanned): the demo's scenarios and two plain cases.
fn scenarios() -> Vec<(String, String)> {
    let demo = support::demo();
    let s = &demo["scenarios"];
    let code = |name: &str| {
        let gtin = s[name]["gtin"].as_str().unwrap();
        match (s[name].get("lot"), s[name].get("serial")) {
            (Some(lot), _) => format!("(01){gtin}(10){}", lot.as_str().unwrap()),
            (None, Some(serial)) => format!("(01){gtin}(21){}", serial.as_str().unwrap()),
            (None, None) => panic!("scenario {name}"),
        }
    };
    let mut out: Vec<(String, String)> = ["complete_chain", "recalled", "expired", "cloned", "broken_chain"]
        .into_iter()
        .map(|name| (name.to_owned(), code(name)))
        .collect();
    // A Vietnamese-prefixed GTIN nobody registered, and the plain EAN-13 on
    // the pack of the recalled product (no lot).
    out.push(("unregistered".into(), "8939999000017".into()));
    out.push(("no_lot".into(), s["recalled"]["gtin"].as_str().unwrap()[1..].to_owned()));
    out
}

#[tokio::test]
async fn each_demo_scenario_answers_as_its_golden_file() {
    let app = App::demo();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/resolve");
    let update = std::env::var("UPDATE_GOLDEN").is_ok();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut changed = Vec::new();
    for (name, code) in scenarios() {
        let (status, body) =
            app.call("GET", &format!("/v1/resolve?code={}", support::urlencode(&code)), None, None).await;
        assert_eq!(status, 200, "{name}: {body}");
        let text = serde_json::to_string_pretty(&body).unwrap() + "\n";
        let path = dir.join(format!("{name}.json"));
        if update {
            std::fs::write(&path, &text).unwrap();
        }
        if std::fs::read_to_string(&path).unwrap_or_default() != text {
            changed.push(name);
        }
    }
    assert!(
        changed.is_empty(),
        "the answers of {changed:?} changed; if intended, rerun with UPDATE_GOLDEN=1 and commit the diff"
    );
}

#[tokio::test]
async fn each_scenario_says_what_its_name_says() {
    let app = App::demo();
    let codes: Vec<String> = scenarios().into_iter().map(|(_, c)| c).collect();
    let mut firsts = Vec::new();
    for code in &codes {
        let (_, p) =
            app.call("GET", &format!("/v1/resolve?code={}", support::urlencode(code)), None, None).await;
        let warnings: Vec<String> = p["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap().to_owned())
            .collect();
        firsts.push((p["chain"]["complete"].as_bool().unwrap(), warnings.first().cloned()));
    }
    // (chain complete, first warning): a recalled or cloned code's chain can
    // be whole; the warning comes first.
    let want = [
        (true, None),
        (true, Some("recalled".to_owned())),
        (false, Some("expired".to_owned())),
        (true, Some("possibly_cloned".to_owned())),
        (false, None),
        (false, Some("not_registered".to_owned())),
        (false, None),
    ];
    assert_eq!(firsts, want);
}

/// The answer for `code` with the clock at `now`.
async fn warnings_at(now: &str, code: &str) -> Vec<String> {
    let app = App::demo_at(now);
    let (_, p): (u16, Value) =
        app.call("GET", &format!("/v1/resolve?code={}", support::urlencode(code)), None, None).await;
    p["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_lot_expires_on_the_viet_nam_day() {
    // A demo lot whose expiry is known: the day after it, in Viet Nam, it
    // is expired, though London is still on its last day.
    let demo = support::demo();
    let lot = demo["lots"].as_array().unwrap().iter().find(|l| l["expiry"].as_str() == Some("2027-01-31"));
    let lot =
        lot.or_else(|| demo["lots"].as_array().unwrap().iter().find(|l| l["expiry"].is_string())).unwrap();
    let expiry = lot["expiry"].as_str().unwrap();
    let code = format!("(01){}(10){}", lot["gtin"].as_str().unwrap(), lot["lot"].as_str().unwrap());
    // 17:30 UTC on the expiry day is 00:30 the next day in Viet Nam.
    let after = format!("{expiry}T17:30:00Z");
    let before = format!("{expiry}T16:30:00Z");
    assert!(warnings_at(&after, &code).await.contains(&"expired".to_owned()), "{code} at {after}");
    assert!(!warnings_at(&before, &code).await.contains(&"expired".to_owned()), "{code} at {before}");
}
