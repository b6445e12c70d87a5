//! `truyxuat decode` and `truyxuat gs1 parse|batch`: thin shells over the
//! core's decoder and GS1 engine.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::json;
use truyxuat_core::decode::{self, Mode};
use truyxuat_core::gs1::{self, batch};

/// One JSON line per symbol; an unreadable file is reported on stderr and
/// the others continue. Exit status 1 if any file could not be read.
pub(super) fn decode_files(mode: Mode, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
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

pub(super) fn gs1_parse(text: &str, as_json: bool) -> anyhow::Result<ExitCode> {
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
pub(super) fn gs1_batch() -> anyhow::Result<ExitCode> {
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
