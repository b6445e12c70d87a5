//! The decoding strategy over rxing, and the normalisation of its results.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{
    BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source, MultiUseMultiFormatReader, RXingResult,
    RXingResultMetadataType, RXingResultMetadataValue, Reader,
};

use super::{Format, Gs1Parse, Luma, Mode, Point, Symbol};

/// The symbologies a traceability scanner looks for.
const FORMATS: [BarcodeFormat; 10] = [
    BarcodeFormat::EAN_13,
    BarcodeFormat::EAN_8,
    BarcodeFormat::UPC_A,
    BarcodeFormat::UPC_E,
    BarcodeFormat::CODE_128,
    BarcodeFormat::ITF,
    BarcodeFormat::RSS_14,
    BarcodeFormat::RSS_EXPANDED,
    BarcodeFormat::QR_CODE,
    BarcodeFormat::DATA_MATRIX,
];

pub(crate) fn is_gs1_symbology(id: &str) -> bool {
    matches!(id, "]C1" | "]e0" | "]d2" | "]Q3" | "]J1")
}

fn hints(try_harder: bool, inverted: bool) -> DecodeHints {
    DecodeHints {
        PossibleFormats: Some(FORMATS.into_iter().collect::<HashSet<_>>()),
        TryHarder: Some(try_harder),
        AssumeGs1: Some(true),
        AlsoInverted: Some(inverted),
        ..DecodeHints::default()
    }
}

#[derive(Clone, Copy)]
enum Binarize {
    Hybrid,
    Global,
}

/// Run one pass; rxing is a large port, so a panic inside it is contained
/// and treated as "nothing found" rather than taking the app down.
fn pass(luma: &Luma, binarize: Binarize, hints: &DecodeHints, multi: bool) -> Vec<RXingResult> {
    let run = || -> Vec<RXingResult> {
        let Ok(source) = Luma8Source::new_with_slice(&luma.pixels, luma.width, luma.height) else {
            return Vec::new();
        };
        match binarize {
            Binarize::Hybrid => read(&mut BinaryBitmap::new(HybridBinarizer::new(source)), hints, multi),
            Binarize::Global => {
                read(&mut BinaryBitmap::new(GlobalHistogramBinarizer::new(source)), hints, multi)
            }
        }
    };
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_default()
}

fn read<B: Binarizer>(bitmap: &mut BinaryBitmap<B>, hints: &DecodeHints, multi: bool) -> Vec<RXingResult> {
    if multi {
        let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
        reader.decode_multiple_with_hints(bitmap, hints).unwrap_or_default()
    } else {
        let mut reader = MultiUseMultiFormatReader::default();
        reader.decode_with_hints(bitmap, hints).map(|r| vec![r]).unwrap_or_default()
    }
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
    if luma.width == 0 || luma.height == 0 || luma.pixels.len() < (luma.width * luma.height) as usize {
        return Vec::new();
    }
    let mut found = match mode {
        Mode::Fast => pass(luma, Binarize::Hybrid, &hints(true, false), false),
        Mode::Thorough => thorough(luma),
    };
    found.retain(|r| confirmed(luma, r));
    finish(found)
}

/// EAN/UPC symbols are short and self-similar enough that a texture or a
/// line of text can pass their checks on one scan line. Like a cashier's
/// scanner, accept one only when a band of rows beside the line it was read
/// on (not including that line) reads the same text again.
fn confirmed(luma: &Luma, r: &RXingResult) -> bool {
    let format = *r.getBarcodeFormat();
    if !matches!(
        format,
        BarcodeFormat::EAN_13 | BarcodeFormat::EAN_8 | BarcodeFormat::UPC_A | BarcodeFormat::UPC_E
    ) {
        return true;
    }
    let pts = r.getPoints();
    let (Some(a), Some(b)) = (pts.first(), pts.last()) else { return false };
    let horizontal = (b.x - a.x).abs() >= (b.y - a.y).abs();
    // Work in a frame where the scan line is a row.
    let view =
        if horizontal { std::borrow::Cow::Borrowed(luma) } else { std::borrow::Cow::Owned(transpose(luma)) };
    let (x0, x1, y) = if horizontal {
        (a.x.min(b.x), a.x.max(b.x), (a.y + b.y) / 2.0)
    } else {
        (a.y.min(b.y), a.y.max(b.y), (a.x + b.x) / 2.0)
    };
    let len = (x1 - x0).max(1.0);
    let left = (x0 - len * 0.25).max(0.0) as u32;
    let right = ((x1 + len * 0.25) as u32).min(view.width);
    let band = ((len / 12.0) as u32).clamp(3, 40);
    let y = y.max(0.0) as u32;
    let formats: HashSet<BarcodeFormat> = match format {
        BarcodeFormat::UPC_A | BarcodeFormat::EAN_13 => [BarcodeFormat::EAN_13, BarcodeFormat::UPC_A].into(),
        f => [f].into(),
    };
    let hints =
        DecodeHints { PossibleFormats: Some(formats), TryHarder: Some(true), ..DecodeHints::default() };
    let text = |t: &str| t.trim_start_matches('0').to_owned();
    let want = text(r.getText());
    let bands = [
        (y + 2, y + 2 + band),
        (y.saturating_sub(2 + band), y.saturating_sub(2)),
        (y + 2, y + 2 + 3 * band),
        (y.saturating_sub(2 + 3 * band), y.saturating_sub(2)),
    ];
    bands.iter().any(|&(top, bottom)| {
        let bottom = bottom.min(view.height);
        if bottom <= top + 1 || right <= left + 8 {
            return false;
        }
        let strip = crop(&view, left, top, right - left, bottom - top);
        pass(&strip, Binarize::Hybrid, &hints, false).iter().any(|c| text(c.getText()) == want)
    })
}

fn crop(luma: &Luma, left: u32, top: u32, width: u32, height: u32) -> Luma {
    let mut pixels = Vec::with_capacity((width * height) as usize);
    for y in top..top + height {
        let start = (y * luma.width + left) as usize;
        pixels.extend_from_slice(&luma.pixels[start..start + width as usize]);
    }
    Luma { width, height, pixels }
}

fn transpose(luma: &Luma) -> Luma {
    let (w, h) = (luma.width as usize, luma.height as usize);
    let mut pixels = vec![0; w * h];
    for y in 0..h {
        for x in 0..w {
            pixels[x * h + y] = luma.pixels[y * w + x];
        }
    }
    Luma { width: luma.height, height: luma.width, pixels }
}

fn thorough(luma: &Luma) -> Vec<RXingResult> {
    let plain = hints(true, false);
    let inverted = hints(true, true);
    let mut found = pass(luma, Binarize::Hybrid, &plain, true);
    if found.is_empty() {
        found = pass(luma, Binarize::Global, &plain, true);
    }
    if found.is_empty() {
        found = pass(luma, Binarize::Hybrid, &inverted, true);
    }
    if found.is_empty() {
        let side = luma.width.max(luma.height);
        let scaled = if side > 1200 {
            rescale(luma, 1, 2)
        } else if side < 400 {
            rescale(luma, 2, 1)
        } else {
            rescale(luma, 2, 3)
        };
        found = pass(&scaled, Binarize::Hybrid, &inverted, true);
        if found.is_empty() {
            found = pass(&scaled, Binarize::Global, &plain, true);
        }
    }
    found
}

/// Normalise, drop duplicates and drop UPC-E reads that are really part of
/// an EAN-13/UPC-A symbol found at the same time.
fn finish(found: Vec<RXingResult>) -> Vec<Symbol> {
    let mut out: Vec<Symbol> = Vec::new();
    for r in &found {
        if let Some(sym) = normalise(r)
            && !out.iter().any(|s| s.format == sym.format && s.text == sym.text)
        {
            out.push(sym);
        }
    }
    let has_long_ean = out.iter().any(|s| matches!(s.format, Format::Ean13 | Format::UpcA));
    if has_long_ean {
        out.retain(|s| s.format != Format::UpcE);
    }
    out
}

fn symbology_id(r: &RXingResult) -> Option<String> {
    match r.getRXingResultMetadata().get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER) {
        Some(RXingResultMetadataValue::SymbologyIdentifier(s)) => Some(s.clone()),
        _ => None,
    }
}

fn addon(r: &RXingResult) -> Option<String> {
    match r.getRXingResultMetadata().get(&RXingResultMetadataType::UPC_EAN_EXTENSION) {
        Some(RXingResultMetadataValue::UpcEanExtension(s)) => Some(s.clone()),
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
    // EAN/UPC add-on: appended to the main digits, identifier ]E3.
    let (text, sid) = match (format, addon(r)) {
        (Format::Ean13 | Format::UpcA | Format::UpcE | Format::Ean8, Some(ext)) if !ext.is_empty() => {
            (format!("{text}{ext}"), if format == Format::Ean8 { sid } else { "]E3".to_owned() })
        }
        _ => (text, sid),
    };
    let is_gs1 = is_gs1_symbology(&sid);
    let gs1 = Gs1Parse::of(&sid, &text).or_else(|| gtin_parse(format, &text));
    Some(Symbol {
        format,
        points: r.getPoints().iter().map(|p| Point { x: p.x, y: p.y }).collect(),
        raw: r.getRawBytes().to_vec(),
        symbology_id: sid,
        is_gs1,
        gs1,
        text,
    })
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
