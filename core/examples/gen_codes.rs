//! Generates `fixtures/codes/`: printable images of realistic codes made with
//! rxing's encoders, and `manifest.json` with what each must decode to.
//!
//!     cargo run -p truyxuat-core --example gen_codes [-- OUT_DIR]

use std::path::PathBuf;

use rxing::{BarcodeFormat, EncodeHints, MultiFormatWriter, Writer, common::BitMatrix};
use serde_json::json;
use truyxuat_core::gs1;

/// A GTIN-13 with a valid check digit from its first 12 digits.
fn gtin13(first12: &str) -> String {
    format!("{first12}{}", gs1::check_digit(first12).expect("digits"))
}

fn render(m: &BitMatrix, scale: u32, bar_height: Option<u32>, quiet: u32) -> image::GrayImage {
    let (w, h) = (m.getWidth(), bar_height.map_or(m.getHeight(), |_| 1));
    let (out_w, out_h) = (
        (w + 2 * quiet) * scale,
        bar_height.unwrap_or((h + 2 * quiet) * scale) + 2 * quiet * scale * u32::from(bar_height.is_some()),
    );
    image::GrayImage::from_fn(out_w, out_h, |x, y| {
        let mx = (x / scale).checked_sub(quiet);
        let my = match bar_height {
            Some(_) => (y >= quiet * scale && y < out_h - quiet * scale).then_some(0),
            None => (y / scale).checked_sub(quiet),
        };
        match (mx, my) {
            (Some(mx), Some(my)) if mx < w && my < h && m.get(mx, my) => image::Luma([0]),
            _ => image::Luma([255]),
        }
    })
}

/// For every demo product (`fixtures/demo/catalog.json`): its EAN-13, and for
/// its first lot a GS1 DataMatrix (GTIN, expiry, lot) and a GS1 Digital Link
/// QR code, so that a person can scan the demo from a screen.
fn demo_codes() -> Vec<(String, BarcodeFormat, String, String, bool)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo/catalog.json");
    let demo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("demo data")).expect("json");
    let lots = demo["lots"].as_array().expect("lots");
    let mut out = Vec::new();
    for p in demo["products"].as_array().expect("products") {
        let gtin = p["gtin"].as_str().expect("gtin");
        let ean = &gtin[1..];
        out.push((
            format!("demo/{gtin}-ean13.png"),
            BarcodeFormat::EAN_13,
            ean.to_owned(),
            ean.to_owned(),
            false,
        ));
        let Some(lot) = lots.iter().find(|l| l["gtin"] == p["gtin"]) else {
            let uri = format!("https://id.gs1.org/01/{gtin}");
            out.push((format!("demo/{gtin}-qr.png"), BarcodeFormat::QR_CODE, uri.clone(), uri, false));
            continue;
        };
        let code = lot["lot"].as_str().expect("lot");
        let expiry = lot["expiry"]
            .as_str()
            .map(|d| format!("17{}{}{}", &d[2..4], &d[5..7], &d[8..10]))
            .unwrap_or_default();
        let data = format!("01{gtin}{expiry}10{code}");
        let file = |kind: &str| format!("demo/{gtin}-{}-{kind}.png", code.replace('/', "_"));
        out.push((file("datamatrix"), BarcodeFormat::DATA_MATRIX, data.clone(), data, true));
        let uri = format!("https://id.gs1.org/01/{gtin}/10/{code}");
        out.push((file("qr"), BarcodeFormat::QR_CODE, uri.clone(), uri, false));
    }
    out
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/codes"), PathBuf::from);
    std::fs::create_dir_all(&out).expect("create output dir");
    let coffee = gtin13("893456313801"); // robusta coffee, GS1 Viet Nam prefix 893
    let rice = gtin13("893604521002"); // ST25 rice
    let fish_sauce = gtin13("893871200450");
    let ean8 = format!("8930123{}", gs1::check_digit("8930123").expect("digits"));
    let gs1_hints =
        EncodeHints { Gs1Format: Some(true), DataMatrixCompact: Some(true), ..EncodeHints::default() };
    let none = EncodeHints::default();
    let gs = '\u{1d}';
    // (file, format, contents to encode, expected decoded text, hints, 1D?)
    let codes: Vec<(&str, BarcodeFormat, String, String, &EncodeHints, bool)> = vec![
        ("ean13-coffee.png", BarcodeFormat::EAN_13, coffee.clone(), coffee.clone(), &none, true),
        ("ean13-rice.png", BarcodeFormat::EAN_13, rice.clone(), rice.clone(), &none, true),
        ("ean8.png", BarcodeFormat::EAN_8, ean8.clone(), ean8.clone(), &none, true),
        (
            "gs1-128-lot-expiry.png",
            BarcodeFormat::CODE_128,
            format!("\u{f1}010{coffee}1727123110CP2026-07"),
            format!("010{coffee}1727123110CP2026-07"),
            &none,
            true,
        ),
        (
            "gs1-datamatrix-serial.png",
            BarcodeFormat::DATA_MATRIX,
            format!("010{fish_sauce}17280630\u{1d}10NM-2611{gs}21PQ000127"),
            format!("010{fish_sauce}17280630{gs}10NM-2611{gs}21PQ000127"),
            &gs1_hints,
            false,
        ),
        (
            "dl-qr-rice-lot.png",
            BarcodeFormat::QR_CODE,
            format!("https://id.gs1.org/01/0{rice}/10/ST25-2611?17=270531"),
            format!("https://id.gs1.org/01/0{rice}/10/ST25-2611?17=270531"),
            &none,
            false,
        ),
    ];
    let mut codes = codes;
    // The lot the phone tests' farmer harvests (not in the demo data): its
    // Digital Link QR, as the consumer then scans it.
    let story_uri = "https://id.gs1.org/01/08936120900017/10/HP07-261126".to_owned();
    codes.push((
        "stories/08936120900017-HP07-261126-qr.png",
        BarcodeFormat::QR_CODE,
        story_uri.clone(),
        story_uri,
        &none,
        false,
    ));
    let demo = demo_codes();
    codes.extend(demo.iter().map(|(file, format, contents, expected, gs1)| {
        (
            file.as_str(),
            *format,
            contents.clone(),
            expected.clone(),
            if *gs1 { &gs1_hints } else { &none },
            *format == BarcodeFormat::EAN_13,
        )
    }));
    std::fs::create_dir_all(out.join("demo")).expect("create demo dir");
    std::fs::create_dir_all(out.join("stories")).expect("create stories dir");
    let mut manifest = Vec::new();
    for (file, format, contents, expected, hints, linear) in codes {
        let matrix = MultiFormatWriter.encode_with_hints(&contents, &format, 0, 0, hints).expect("encode");
        let img = if linear { render(&matrix, 3, Some(120), 10) } else { render(&matrix, 6, None, 4) };
        img.save(out.join(file)).expect("write png");
        manifest.push(json!({"file": file, "format": format!("{format:?}"), "text": expected}));
    }
    let text = serde_json::to_string_pretty(&manifest).expect("json") + "\n";
    std::fs::write(out.join("manifest.json"), text).expect("write manifest");
    println!("wrote {} codes to {}", manifest.len(), out.display());
}
