//! The `truyxuat` binary, driven as a person or a script would.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn truyxuat() -> Command {
    Command::new(env!("CARGO_BIN_EXE_truyxuat"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/codes").join(name)
}

#[test]
fn decode_prints_one_json_line_per_symbol_and_continues_past_bad_files() {
    let missing = fixture("does-not-exist.png");
    let out = truyxuat()
        .args(["decode", "--mode", "fast"])
        .arg(fixture("gs1-128-lot-expiry.png"))
        .arg(&missing)
        .arg(fixture("ean13-coffee.png"))
        .output()
        .unwrap();
    assert!(!out.status.success(), "an unreadable file makes the exit status non-zero");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("does-not-exist.png"), "{stderr}");
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["format"], "Code 128");
    assert_eq!(lines[0]["symbology_id"], "]C1");
    assert_eq!(lines[0]["text"], "01089345631380111727123110CP2026-07");
    assert_eq!(lines[0]["gs1"]["element_string"], "(01)08934563138011(17)271231(10)CP2026-07");
    assert_eq!(lines[1]["format"], "EAN-13");
    assert_eq!(lines[1]["gs1"]["gtin"], "08934563138011");
}

#[test]
fn gs1_parse_explains_in_vietnamese_and_english() {
    let out = truyxuat().args(["gs1", "parse", "]C1010893456313801117271231"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("USE BY or EXPIRY (17) 271231"), "{text}");
    assert!(text.contains("Việt Nam"), "{text}");

    let out = truyxuat().args(["gs1", "parse", "--json", "(01)08934563138011(17)271331"]).output().unwrap();
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["error_markup"], "(17)27|13|31");
}

#[test]
fn gs1_batch_answers_every_line() {
    let mut child =
        truyxuat().args(["gs1", "batch"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let input = concat!(
        r#"{"mode": "ai", "flags": [], "input": "(01)08934563138011(10)L1"}"#,
        "\n",
        "not json\n",
        r#"{"mode": "scan", "flags": [], "input": "]E08934563138011"}"#,
        "\n",
    );
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["dl_uri"], "https://id.gs1.org/01/08934563138011/10/L1");
    assert_eq!(lines[1]["valid"], false);
    assert_eq!(lines[2]["valid"], true);
    assert_eq!(lines[2]["data_str"], "8934563138011");
}
