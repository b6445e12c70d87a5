//! Black-box decoding of the shared sample images (`../shared/decode`):
//! per-folder pass counts are kept in `tests/golden/decode-samples.txt`, so
//! any change is a visible diff (`UPDATE_GOLDEN=1` rewrites it). Images
//! without a code must yield nothing, always.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use truyxuat_core::decode::{self, Format, Mode, Symbol};
use truyxuat_core::gs1;

/// Scoring key: EAN/UPC as 13 digits plus any add-on, everything else as is.
fn key(s: &Symbol) -> String {
    match s.format {
        Format::UpcA => format!("0{}", s.text),
        Format::UpcE if s.text.len() >= 8 => {
            let (main, addon) = s.text.split_at(8);
            gs1::upce_to_upca(main).map_or_else(|| s.text.clone(), |a| format!("0{a}{addon}"))
        }
        _ => s.text.clone(),
    }
}

fn expected_keys(text: &str) -> Vec<String> {
    // EAN/UPC texts may separate an add-on with a space; other texts are exact.
    let digits_only = text.chars().all(|c| c.is_ascii_digit() || c.is_whitespace());
    let t: String =
        if digits_only { text.chars().filter(char::is_ascii_digit).collect() } else { text.to_owned() };
    let mut keys = vec![t.clone()];
    if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) {
        keys.push(format!("0{t}"));
    }
    if t.len() == 8
        && let Some(a) = gs1::upce_to_upca(&t)
    {
        keys.push(format!("0{a}"));
    }
    keys
}

#[derive(Default)]
struct Tally {
    images: usize,
    correct: usize,
    wrong: usize,
}

fn score_folder(dir: &Path, mode: Mode, tally: &mut Tally, false_positives: &mut Vec<String>) {
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "png" | "jpg" | "jpeg" | "webp") {
            continue;
        }
        let expected =
            std::fs::read(path.with_extension("txt")).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
        let symbols = decode::decode_image(&std::fs::read(&path).unwrap(), mode).unwrap_or_default();
        match expected.filter(|e| !e.trim().is_empty()) {
            None => {
                // `.bin`-only samples have a code but no text to compare; others are code-free.
                if path.with_extension("bin").exists() {
                    continue;
                }
                tally.images += 1;
                if !symbols.is_empty() {
                    false_positives.push(format!(
                        "{}: {:?}",
                        path.display(),
                        symbols.iter().map(|s| &s.text).collect::<Vec<_>>()
                    ));
                }
            }
            Some(text) => {
                tally.images += 1;
                let keys = expected_keys(&text);
                if symbols.iter().any(|s| keys.contains(&key(s))) {
                    tally.correct += 1;
                } else if !symbols.is_empty() {
                    tally.wrong += 1;
                }
            }
        }
    }
}

#[test]
fn sample_pass_counts_match_golden() {
    let Some(shared) = support::shared_dir("decode") else { return };
    let samples = shared.join("decode/zxing-cpp-samples");
    let mut folders: Vec<_> =
        std::fs::read_dir(&samples).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    folders.sort();
    let mut table: BTreeMap<String, Tally> = BTreeMap::new();
    let mut false_positives = Vec::new();
    for folder in &folders {
        let mut t = Tally::default();
        score_folder(&samples.join(folder), Mode::Thorough, &mut t, &mut false_positives);
        table.insert(folder.clone(), t);
    }
    let mut t = Tally::default();
    score_folder(&shared.join("decode/camera-dev"), Mode::Thorough, &mut t, &mut false_positives);
    table.insert("camera-dev".into(), t);

    let mut out = String::from("# folder images correct misread   (thorough mode, formats not told)\n");
    for (folder, t) in &table {
        out.push_str(&format!("{folder} {} {} {}\n", t.images, t.correct, t.wrong));
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/decode-samples.txt");
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::write(&golden, &out).unwrap();
    }
    // Code-free images yielding a symbol are a failure whatever the golden file says.
    let fps: Vec<_> = false_positives.iter().filter(|f| f.contains("falsepositives-")).collect();
    assert!(fps.is_empty(), "false positives:\n{fps:#?}");
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(
        out, want,
        "decode pass counts changed; if intended, rerun with UPDATE_GOLDEN=1 and commit the diff"
    );
}
