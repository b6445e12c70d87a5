//! Every case of GS1's reference corpus (`../shared/gs1/*.jsonl`, produced by
//! GS1's Barcode Syntax Engine) must agree on `valid`, `ais`, `dl_uri`, `hri`.

mod support;

use serde_json::Value;
use truyxuat_core::gs1::batch::{Request, process};

fn run_corpus(file: &str) {
    let Some(shared) = support::shared_dir("gs1") else { return };
    let text = std::fs::read_to_string(shared.join("gs1").join(file)).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let req: Request = serde_json::from_value(case.clone()).unwrap();
        let got = serde_json::to_value(process(&req)).unwrap();
        count += 1;
        let want_valid = case["valid"].as_bool().unwrap();
        let mut diffs = Vec::new();
        if got["valid"] != case["valid"] {
            diffs.push(format!("valid: got {} ({}), want {}", got["valid"], got["error"], case["valid"]));
        }
        if want_valid {
            for field in ["ais", "dl_uri", "hri"] {
                if got[field] != case[field] {
                    diffs.push(format!("{field}: got {}, want {}", got[field], case[field]));
                }
            }
        }
        if !diffs.is_empty() {
            failures.push(format!("{} {:?}\n    {}", case["id"], req.input, diffs.join("\n    ")));
        }
    }
    eprintln!("{file}: {count} cases, {} disagree", failures.len());
    assert!(count > 0, "no cases in {file}");
    assert!(failures.is_empty(), "{} of {count} cases disagree:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn element_strings_agree_with_reference() {
    run_corpus("element-strings.jsonl");
}

#[test]
fn digital_link_agrees_with_reference() {
    run_corpus("digital-link.jsonl");
}
