//! The decoding strategy: the project's EAN/UPC reader (`ean.rs`), then
//! rxing's readers in stages, cheapest first; and the normalisation of
//! rxing's results to the module's conventions.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::datamatrix::DataMatrixReader;
use rxing::oned::{MultiFormatOneDReader, OneDReader};
use rxing::qrcode::QRCodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{
    BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source, RXingResult, RXingResultMetadataType,
    RXingResultMetadataValue, Reader,
};

use super::{Format, Gs1Parse, Luma, Mode, Point, Symbol};

/// The linear symbologies rxing reads (EAN/UPC are read by `ean.rs`).
const LINEAR: [BarcodeFormat; 4] =
    [BarcodeFormat::CODE_128, BarcodeFormat::ITF, BarcodeFormat::RSS_14, BarcodeFormat::RSS_EXPANDED];

/// EAN/UPC, for rxing's readers in the last resort.
const EAN_UPC: [BarcodeFormat; 4] =
    [BarcodeFormat::EAN_13, BarcodeFormat::EAN_8, BarcodeFormat::UPC_A, BarcodeFormat::UPC_E];

/// The matrix (2D) symbologies.
const MATRIX: [BarcodeFormat; 2] = [BarcodeFormat::QR_CODE, BarcodeFormat::DATA_MATRIX];

pub(crate) fn is_gs1_symbology(id: &str) -> bool {
    matches!(id, "]C1" | "]e0" | "]d2" | "]Q3" | "]J1")
}

fn hints(formats: &[BarcodeFormat]) -> DecodeHints {
    DecodeHints {
        PossibleFormats: Some(formats.iter().copied().collect::<HashSet<_>>()),
        TryHarder: Some(true),
        AssumeGs1: Some(true),
        ..DecodeHints::default()
    }
}

#[derive(Clone, Copy)]
enum Binarize {
    Hybrid,
    Global,
}

/// The 2D readers on one binarized image; rxing is a large port, so a panic
/// inside it is contained and treated as "nothing found" rather than taking
/// the app down. The readers: rxing's port of zxing-cpp's QR
/// reader, its Data Matrix reader, and (when `older_qr`) its older QR reader,
/// which finds a few the port misses at about the port's cost again.
fn matrix(luma: &Luma, binarize: Binarize, hints: &DecodeHints, older_qr: bool) -> Vec<RXingResult> {
    fn read<B: Binarizer>(
        bitmap: &mut BinaryBitmap<B>,
        hints: &DecodeHints,
        older_qr: bool,
    ) -> Option<RXingResult> {
        QrReader
            .decode_with_hints(bitmap, hints)
            .or_else(|_| DataMatrixReader.decode_with_hints(bitmap, hints))
            .ok()
            .or_else(|| older_qr.then(|| QRCodeReader.decode_with_hints(bitmap, hints).ok()).flatten())
    }
    let run = || -> Option<RXingResult> {
        let source = Luma8Source::new_with_slice(&luma.pixels, luma.width, luma.height).ok()?;
        match binarize {
            Binarize::Hybrid => read(&mut BinaryBitmap::new(HybridBinarizer::new(source)), hints, older_qr),
            Binarize::Global => {
                read(&mut BinaryBitmap::new(GlobalHistogramBinarizer::new(source)), hints, older_qr)
            }
        }
    };
    catch_unwind(AssertUnwindSafe(run)).ok().flatten().into_iter().collect()
}

/// rxing's 1D readers on `lines` rows spread out from the middle, each read
/// both ways, then on as many columns (a symbol turned a quarter). rxing's
/// own "try harder" reads every row of the image; this keeps the cost
/// proportional to `lines`.
fn linear(luma: &Luma, hints: &DecodeHints, lines: u32) -> Vec<RXingResult> {
    linear_agreeing(luma, hints, lines, 1)
}

/// The same, a result accepted only once `agree` rows read the same text.
fn linear_agreeing(luma: &Luma, hints: &DecodeHints, lines: u32, agree: usize) -> Vec<RXingResult> {
    let run = || -> Option<RXingResult> {
        linear_rows(luma, hints, lines, false, agree)
            .or_else(|| linear_rows(&transpose(luma), hints, lines, true, agree))
    };
    catch_unwind(AssertUnwindSafe(run)).ok().flatten().into_iter().collect()
}

fn linear_rows(
    luma: &Luma,
    hints: &DecodeHints,
    lines: u32,
    transposed: bool,
    agree: usize,
) -> Option<RXingResult> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let source = Luma8Source::new_with_slice(&luma.pixels, luma.width, luma.height).ok()?;
    let bitmap = BinaryBitmap::new(GlobalHistogramBinarizer::new(source));
    let mut reader = MultiFormatOneDReader::new(hints);
    let (width, height) = (luma.width as f32, luma.height);
    let step = (height / lines.max(1)).max(1);
    let middle = height / 2;
    for x in 0..lines.min(height) {
        let offset = step * x.div_ceil(2);
        let Some(y) = (if x % 2 == 0 { middle.checked_add(offset) } else { middle.checked_sub(offset) })
            .filter(|&y| y < height)
        else {
            continue;
        };
        let Ok(mut row) = bitmap.get_black_row(y as usize) else { continue };
        for reversed in [false, true] {
            if reversed {
                row.to_mut().reverse();
            }
            let Ok(mut result) = reader.decode_row(y, &row, hints) else { continue };
            // Back to the image's coordinates.
            for p in result.getPointsMut() {
                if reversed {
                    p.x = width - p.x - 1.0;
                }
                if transposed {
                    (p.x, p.y) = (p.y, p.x);
                }
            }
            let count = seen.entry(result.getText().to_owned()).or_insert(0);
            *count += 1;
            if *count >= agree {
                return Some(result);
            }
            // Not yet agreed: the same row read backwards is the same symbol.
            break;
        }
    }
    None
}

fn transpose(luma: &Luma) -> Luma {
    let (w, h) = (luma.width as usize, luma.height as usize);
    let mut pixels = vec![0; w * h];
    for (y, row) in luma.pixels.chunks_exact(w).take(h).enumerate() {
        for (x, &v) in row.iter().enumerate() {
            pixels[x * h + y] = v;
        }
    }
    Luma { width: luma.height, height: luma.width, pixels }
}

/// Nearest-neighbour rescale by `num / den`: cheap, and enough to change what the
/// binarizer's block grid sees.
fn rescale(luma: &Luma, num: u32, den: u32) -> Luma {
    let w = (luma.width * num / den).max(1);
    let h = (luma.height * num / den).max(1);
    let mut pixels = Vec::with_capacity((w * h) as usize);
    for y in 0..h {
        let sy = (y * den / num).min(luma.height - 1) as usize;
        let row = &luma.pixels[sy * luma.width as usize..][..luma.width as usize];
        pixels.extend((0..w).map(|x| row[((x * den / num).min(luma.width - 1)) as usize]));
    }
    Luma { width: w, height: h, pixels }
}

pub(crate) fn decode(luma: &Luma, mode: Mode) -> Vec<Symbol> {
    let area = (luma.width as usize).checked_mul(luma.height as usize);
    if luma.width == 0 || luma.height == 0 || area.is_none_or(|n| luma.pixels.len() != n) {
        return Vec::new();
    }
    // EAN/UPC first: the project's own reader is cheap and reads more of
    // them than rxing (see ean.rs); rxing reads everything else.
    let ean = super::ean::decode(luma);
    if !ean.is_empty() {
        return ean;
    }
    stages(luma, mode).find(|found| !found.is_empty()).unwrap_or_default()
}

/// The stages after `ean.rs`, cheapest first; each runs only when the ones
/// before it found nothing.
///
/// Fast mode (a camera frame):
/// 0. the 2D readers at their quick setting;
/// 1. the linear readers on 64 rows, then 64 columns.
///
/// Thorough mode (a still photo) reads 128 rows and columns in stage 1, then:
/// 2. the 2D readers trying harder;
/// 3. the 2D readers on a global threshold and on the inverted image (light
///    on dark);
/// 4. EAN/UPC along the diagonals (a symbol at an angle);
/// 5. rxing's own EAN/UPC readers, a symbol accepted when two rows agree
///    (they read a few that `ean.rs` misses);
/// 6. the 2D readers on the image at half size (the binarizer's blocks then
///    cover twice the modules).
fn stages(luma: &Luma, mode: Mode) -> impl Iterator<Item = Vec<Symbol>> + '_ {
    let thorough = mode == Mode::Thorough;
    let lines = if thorough { 128 } else { 64 };
    let last = if thorough { 7 } else { 2 };
    (0..last).map(move |stage| match stage {
        0 => finish(matrix(
            luma,
            Binarize::Hybrid,
            &DecodeHints { TryHarder: Some(false), ..hints(&MATRIX) },
            false,
        )),
        1 => finish(linear(luma, &hints(&LINEAR), lines)),
        2 => finish(matrix(luma, Binarize::Hybrid, &hints(&MATRIX), true)),
        3 => {
            let mut found = matrix(luma, Binarize::Global, &hints(&MATRIX), true);
            found.extend(matrix(&inverted(luma), Binarize::Hybrid, &hints(&MATRIX), true));
            finish(found)
        }
        4 => super::ean::decode_diagonal(luma),
        5 => finish(linear_agreeing(luma, &hints(&EAN_UPC), lines, 2)),
        _ => finish(matrix(&rescale(luma, 1, 2), Binarize::Hybrid, &hints(&MATRIX), true)),
    })
}

fn inverted(luma: &Luma) -> Luma {
    Luma { width: luma.width, height: luma.height, pixels: luma.pixels.iter().map(|v| 255 - v).collect() }
}

/// Normalise and drop duplicates.
fn finish(found: Vec<RXingResult>) -> Vec<Symbol> {
    let mut out: Vec<Symbol> = Vec::new();
    for r in &found {
        if let Some(sym) = normalise(r)
            && !out.iter().any(|s| s.format == sym.format && s.text == sym.text)
        {
            out.push(sym);
        }
    }
    out
}

fn symbology_id(r: &RXingResult) -> Option<String> {
    match r.getRXingResultMetadata().get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER) {
        Some(RXingResultMetadataValue::SymbologyIdentifier(s)) => Some(s.clone()),
        _ => None,
    }
}

/// Turn a DataBar Expanded HRI string `(01)…(10)…` into AI data with GS
/// separators after variable-length values.
fn unbracket(hri: &str) -> String {
    let mut out = String::new();
    let mut parts = hri.split('(').filter(|p| !p.is_empty()).peekable();
    while let Some(part) = parts.next() {
        let (ai, value) = part.split_once(')').unwrap_or((part, ""));
        out.push_str(ai);
        out.push_str(value);
        let needs_fnc1 = crate::gs1::ai_needs_separator(ai);
        if needs_fnc1 && parts.peek().is_some() {
            out.push('\u{1d}');
        }
    }
    out
}

fn normalise(r: &RXingResult) -> Option<Symbol> {
    let raw_text = r.getText();
    let sid = symbology_id(r);
    let (format, text, sid) = match r.getBarcodeFormat() {
        BarcodeFormat::EAN_13 => (Format::Ean13, raw_text.to_owned(), "]E0".to_owned()),
        BarcodeFormat::EAN_8 => (Format::Ean8, raw_text.to_owned(), "]E4".to_owned()),
        BarcodeFormat::UPC_A => {
            let digits = if raw_text.len() == 13 { &raw_text[1..] } else { raw_text };
            (Format::UpcA, digits.to_owned(), "]E0".to_owned())
        }
        BarcodeFormat::UPC_E => (Format::UpcE, raw_text.to_owned(), "]E0".to_owned()),
        BarcodeFormat::CODE_128 => {
            let gs1 = raw_text.starts_with("]C1");
            // A trailing FNC1 carries no data.
            let text = raw_text.strip_prefix("]C1").unwrap_or(raw_text).trim_end_matches('\u{1d}').to_owned();
            (
                Format::Code128,
                text,
                if gs1 { "]C1".to_owned() } else { sid.unwrap_or_else(|| "]C0".to_owned()) },
            )
        }
        BarcodeFormat::ITF => (Format::Itf, raw_text.to_owned(), sid.unwrap_or_else(|| "]I0".to_owned())),
        BarcodeFormat::RSS_14 => {
            let digits = if raw_text.len() == 14 { raw_text.to_owned() } else { format!("{raw_text:0>14}") };
            let text =
                if digits.starts_with("01") && digits.len() == 16 { digits } else { format!("01{digits}") };
            (Format::DataBar, text, "]e0".to_owned())
        }
        BarcodeFormat::RSS_EXPANDED => {
            let text = if raw_text.starts_with('(') { unbracket(raw_text) } else { raw_text.to_owned() };
            (Format::DataBarExpanded, text, "]e0".to_owned())
        }
        BarcodeFormat::QR_CODE => {
            (Format::QrCode, raw_text.to_owned(), sid.unwrap_or_else(|| "]Q1".to_owned()))
        }
        BarcodeFormat::DATA_MATRIX => {
            (Format::DataMatrix, raw_text.to_owned(), sid.unwrap_or_else(|| "]d1".to_owned()))
        }
        _ => return None,
    };
    if text.is_empty() {
        return None;
    }
    let points = r.getPoints().iter().map(|p| Point { x: p.x, y: p.y }).collect();
    let addon = match r.getRXingResultMetadata().get(&RXingResultMetadataType::UPC_EAN_EXTENSION) {
        Some(RXingResultMetadataValue::UpcEanExtension(s)) => Some(s.clone()),
        _ => None,
    };
    Some(symbol(format, text, sid, addon, points, r.getRawBytes().to_vec()))
}

/// A symbol read by the project's own EAN/UPC reader.
pub(crate) fn ean_symbol(format: Format, text: String, addon: Option<String>, points: Vec<Point>) -> Symbol {
    let sid = if format == Format::Ean8 { "]E4" } else { "]E0" };
    symbol(format, text, sid.to_owned(), addon, points, Vec::new())
}

fn symbol(
    format: Format,
    text: String,
    sid: String,
    addon: Option<String>,
    points: Vec<Point>,
    raw: Vec<u8>,
) -> Symbol {
    // EAN/UPC add-on: appended to the main digits, identifier ]E3.
    let (text, sid) = match (format, addon) {
        (Format::Ean13 | Format::UpcA | Format::UpcE | Format::Ean8, Some(ext)) if !ext.is_empty() => {
            (format!("{text}{ext}"), if format == Format::Ean8 { sid } else { "]E3".to_owned() })
        }
        _ => (text, sid),
    };
    let is_gs1 = is_gs1_symbology(&sid);
    let gs1 = Gs1Parse::of(&sid, &text).or_else(|| gtin_parse(format, &text));
    Symbol { format, points, raw, symbology_id: sid, is_gs1, gs1, text }
}

/// EAN/UPC symbols carry a GTIN without AIs; give them the same parse as (01).
fn gtin_parse(format: Format, text: &str) -> Option<Gs1Parse> {
    let main = match format {
        Format::Ean13 => text.get(..13)?.to_owned(),
        Format::UpcA => text.get(..12)?.to_owned(),
        Format::Ean8 => text.get(..8)?.to_owned(),
        Format::UpcE => crate::gs1::upce_to_upca(text.get(..8)?)?,
        _ => return None,
    };
    Gs1Parse::of("]C1", &format!("01{main:0>14}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Luma {
        let path = format!("{}/../fixtures/codes/{name}", env!("CARGO_MANIFEST_DIR"));
        super::super::load_luma(&std::fs::read(path).expect("fixture")).expect("image")
    }

    fn texts(luma: &Luma, mode: Mode) -> Vec<String> {
        decode(luma, mode).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn linear_symbols_are_read_along_rows_and_columns_both_ways() {
        let upright = fixture("gs1-128-lot-expiry.png");
        let mut upside_down = upright.clone();
        upside_down.pixels.reverse();
        let turned = transpose(&upright);
        let want = ["01089345631380111727123110CP2026-07".to_owned()];
        for (name, luma) in [("upright", &upright), ("upside down", &upside_down), ("turned", &turned)] {
            for mode in [Mode::Fast, Mode::Thorough] {
                assert_eq!(texts(luma, mode), want, "{name}, {mode:?}");
            }
        }
        // The row loop alone, and its points back in the image's frame.
        let found = linear(&turned, &hints(&LINEAR), 16);
        let points = found[0].getPoints();
        assert!(points.iter().all(|p| p.x < turned.width as f32 && p.y < turned.height as f32));
        assert!((points[0].x - points[1].x).abs() < 2.0, "a turned symbol's ends share a column");
    }

    #[test]
    fn light_on_dark_codes_need_the_thorough_stages() {
        let dark = inverted(&fixture("gs1-datamatrix-serial.png"));
        let want = ["010893871200450917280630\u{1d}10NM-2611\u{1d}21PQ000127".to_owned()];
        assert_eq!(texts(&dark, Mode::Thorough), want);
        assert!(texts(&dark, Mode::Fast).is_empty(), "fast mode stops before the inverted pass");
    }

    #[test]
    fn transpose_and_inverted_keep_every_pixel() {
        let luma = Luma { width: 3, height: 2, pixels: vec![1, 2, 3, 4, 5, 6] };
        let t = transpose(&luma);
        assert_eq!((t.width, t.height, t.pixels.as_slice()), (2, 3, [1, 4, 2, 5, 3, 6].as_slice()));
        assert_eq!(transpose(&t).pixels, luma.pixels);
        assert_eq!(inverted(&luma).pixels, [254, 253, 252, 251, 250, 249]);
    }
}
