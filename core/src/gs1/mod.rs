//! The GS1 engine: Application Identifier data in all its spellings.
//!
//! Parses and validates bracketed element strings (`(01)…(10)…`), FNC1 data
//! strings (`^01…`), scanner output with a symbology identifier (`]C1…`,
//! `]d2…`, `]Q3…`, `]E0…`) and GS1 Digital Link URIs; produces the canonical
//! forms (element string, data string, Digital Link URI, HRI lines).
//!
//! Invariant: this module does no I/O and knows nothing of barcodes' pixels,
//! storage or networks. Everything it knows about AIs comes from `table.rs`.

mod ai;
pub mod batch;
mod codes;
mod dl;
pub mod epc;
mod lint;
mod parse;
mod table;

use serde::Serialize;
use std::fmt;

pub use dl::DL_STEM;

/// Longest input the engine accepts. A 2D symbol holds at most a few
/// thousand characters; anything far longer is not a barcode's content.
pub const MAX_INPUT_LEN: usize = 8192;

/// Processing options (the defaults are the strict, recommended ones).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Accept AIs that the dictionary doesn't define (bracketed input only).
    pub permit_unknown_ais: bool,
    /// Check mandatory AI associations (`req=`). Invalid pairs are always checked.
    pub check_associations: bool,
    /// Accept GTIN-8/12/13 in a Digital Link path and pad them to 14 digits.
    pub permit_zero_suppressed_gtin: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { permit_unknown_ais: false, check_associations: true, permit_zero_suppressed_gtin: false }
    }
}

/// One Application Identifier and its value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Element {
    pub ai: String,
    pub value: String,
}

/// What kind of content a message turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentKind {
    /// GS1 AI element strings (from brackets, a data string or a GS1 symbol).
    AiData,
    /// A GS1 Digital Link URI; its AIs are in `elements`.
    DigitalLink,
    /// EAN/UPC primary data (`]E0`, `]E4` …): digits without AIs.
    EanUpc,
    /// Anything else: plain text, a non-GS1 URL.
    Plain,
}

/// A parsed and validated message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Gs1Message {
    pub kind: ContentKind,
    /// The AIs in the order they were given.
    pub elements: Vec<Element>,
    /// The data as the reference engine reports it: `^`-separated AI data,
    /// the URI itself for Digital Link, digits for EAN/UPC, or the text.
    pub data: String,
    /// Digital Link query parameters that are not AIs (e.g. `linkType=…`).
    pub dl_ignored_params: Vec<String>,
}

/// Why input was refused. `Display` gives a message that says what and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Gs1Error {
    #[error("input is too long ({len} bytes; at most {MAX_INPUT_LEN})")]
    TooLong { len: usize },
    #[error("Missing FNC1 in first position")]
    MissingFnc1,
    #[error("Failed to parse AI data")]
    BracketSyntax,
    #[error("Unrecognised AI: {0}")]
    UnknownAi(String),
    #[error("No known AI is a prefix of: {0}")]
    NoAiForPrefix(String),
    #[error("AI ({0}) value is empty")]
    EmptyValue(String),
    #[error("AI ({0}) value is too short")]
    ValueTooShort(String),
    #[error("AI ({0}) value is too long")]
    ValueTooLong(String),
    #[error("AI ({0}) data is too short")]
    DataTooShort(String),
    #[error("AI ({0}) data is too long")]
    DataTooLong(String),
    /// A component failed a content check; `markup` shows the value with the
    /// offending part between `|` marks, e.g. `(13)26|13|27`.
    #[error("AI ({ai}): {message}")]
    Content { ai: String, message: &'static str, markup: String },
    #[error("Multiple instances of AI ({0}) have different values")]
    ConflictingDuplicate(String),
    #[error("It is invalid to pair AI ({0}) with AI ({1})")]
    InvalidPair(String, String),
    #[error("Required AIs for AI ({ai}) are not satisfied: {required}")]
    RequirementNotMet { ai: String, required: &'static str },
    #[error("Unsupported symbology identifier")]
    UnsupportedSymbology,
    #[error("Primary scan data is too short")]
    PrimaryTooShort,
    #[error("Primary scan data is too long")]
    PrimaryTooLong,
    #[error("Primary scan data must be digits")]
    PrimaryNotNumeric,
    #[error("Primary message check digit is incorrect")]
    PrimaryCheckDigit,
    #[error("No GS1 DL keys found in path info")]
    DlNoKey,
    #[error("AI ({0}) value path element is empty")]
    DlEmptyPathValue(String),
    #[error("The AIs in the path are not a valid key-qualifier sequence for the key")]
    DlBadQualifiers,
    #[error("Unknown AI ({0}) in query parameters")]
    DlUnknownQueryAi(String),
    #[error("AI ({0}) is not a valid DL URI data attribute")]
    DlNotAttribute(String),
    #[error("AI ({0}) from query params should be in the path info")]
    DlQualifierInQuery(String),
    #[error("AI ({0}) value is not properly percent-encoded")]
    DlPercentEncoding(String),
    #[error("the URI's host is missing or malformed")]
    DlBadUri,
    #[error("AI ({0}) appears more than once in the URI")]
    DlRepeatedAi(String),
    #[error("AI ({0}) value in the query has a raw '+' (write it %2B)")]
    DlRawPlus(String),
}

impl Gs1Error {
    /// The offending value with the bad part marked, where there is one.
    pub fn markup(&self) -> Option<&str> {
        match self {
            Gs1Error::Content { markup, .. } => Some(markup),
            _ => None,
        }
    }
}

/// Why a message has no Digital Link URI (the message itself may be valid).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DlError {
    #[error("Cannot create a DL URI without a primary key AI")]
    NoPrimaryKey,
    #[error("AI ({0}) is not a valid DL URI data attribute")]
    NotAttribute(String),
}

/// Parse a bracketed element string such as `(01)08934348743997(10)ABC`.
pub fn parse_bracketed(input: &str, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    parse::bracketed(input, opts)
}

/// Parse reference-engine "data" input: a `^`-separated AI data string, a
/// Digital Link URI (`http://` or `https://`), or plain data.
pub fn parse_data(input: &str, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    parse::data(input, opts)
}

/// Parse scanner output that starts with a symbology identifier (`]C1`, …).
pub fn parse_scan(input: &str, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    parse::scan(input, opts)
}

/// Parse whatever a person or a decoder hands over: bracketed, scanner
/// output, a `^` or GS-separated data string, a Digital Link URI, a bare
/// GTIN (8, 12, 13 or 14 digits), or plain text.
pub fn parse_any(input: &str, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    let t = input.trim();
    if t.starts_with('(') {
        parse::bracketed(t, opts)
    } else if t.starts_with(']') {
        parse::scan(t, opts)
    } else if let Some(rest) = t.strip_prefix('\u{1d}') {
        parse::data(&format!("^{}", rest.replace('\u{1d}', "^")), opts)
    } else if matches!(t.len(), 8 | 12 | 13 | 14) && t.bytes().all(|b| b.is_ascii_digit()) {
        parse::bracketed(&format!("(01){t:0>14}"), opts)
    } else {
        parse::data(t, opts)
    }
}

impl Gs1Message {
    /// Is this AI data (directly or through a Digital Link URI)?
    pub fn is_ai_data(&self) -> bool {
        matches!(self.kind, ContentKind::AiData | ContentKind::DigitalLink)
    }

    /// The value of the first instance of `ai`.
    pub fn get(&self, ai: &str) -> Option<&str> {
        self.elements.iter().find(|e| e.ai == ai).map(|e| e.value.as_str())
    }

    /// The canonical bracketed element string, `None` if this is not AI data.
    pub fn element_string(&self) -> Option<String> {
        self.is_ai_data().then(|| {
            self.elements.iter().map(|e| format!("({}){}", e.ai, e.value.replace('(', "\\("))).collect()
        })
    }

    /// The unbracketed data string with `^` for FNC1 (first position too).
    pub fn data_string(&self) -> Option<String> {
        self.is_ai_data().then(|| parse::data_string(&self.elements))
    }

    /// The canonical Digital Link URI on `stem` (e.g. [`DL_STEM`]).
    pub fn digital_link(&self, stem: &str) -> Result<String, DlError> {
        if !self.is_ai_data() {
            return Err(DlError::NoPrimaryKey);
        }
        dl::generate(&self.elements, stem)
    }

    /// Human-readable interpretation lines, `(01) 08934348743997`.
    pub fn hri(&self) -> Vec<String> {
        self.elements.iter().map(|e| format!("({}) {}", e.ai, e.value)).collect()
    }

    /// The same lines with each AI's title, `GTIN (01) 08934348743997`.
    pub fn hri_with_titles(&self) -> Vec<String> {
        self.elements
            .iter()
            .map(|e| {
                let title = ai::lookup(&e.ai).map_or("UNKNOWN", |entry| entry.title);
                format!("{title} ({}) {}", e.ai, e.value)
            })
            .collect()
    }

    /// The trade item's GTIN as 14 digits: from AI (01) or (02), or from EAN/UPC digits.
    pub fn gtin14(&self) -> Option<String> {
        match self.kind {
            // EAN-8, or EAN-13 possibly followed by a 2- or 5-digit add-on.
            ContentKind::EanUpc if self.data.len() == 8 => Some(format!("{:0>14}", self.data)),
            ContentKind::EanUpc => self.data.get(..13).map(|d| format!("0{d}")),
            _ => self.get("01").or_else(|| self.get("02")).map(str::to_owned),
        }
    }
}

/// Who issued a GS1 prefix: a member organisation's country, or a special range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PrefixIssuer {
    /// ISO 3166 alpha-2 code, `None` for non-country ranges (coupons, ISBN …).
    pub country: Option<&'static str>,
    pub name_vi: &'static str,
    pub name_en: &'static str,
}

/// The issuer of the GS1 prefix of a 14-digit GTIN (its digits 2-4), or of
/// an 8-digit GTIN-8 prefix. `893` is Viet Nam.
pub fn prefix_issuer(gtin14: &str) -> Option<PrefixIssuer> {
    let d = gtin14.as_bytes();
    if d.len() != 14 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // GTIN-8 (six leading zeros) carries its prefix in the GTIN-8 itself;
    // GTIN-12 (one leading zero) is a U.P.C. number from GS1 US (prefix 0xx).
    let digits = if d.starts_with(b"000000") { &d[6..] } else { &d[1..] };
    let p: u16 = std::str::from_utf8(&digits[..3]).ok()?.parse().ok()?;
    codes::gs1_prefix(p).map(|g| PrefixIssuer {
        country: (!g.country.is_empty()).then_some(g.country),
        name_vi: g.name_vi,
        name_en: g.name_en,
    })
}

/// Title of an AI from the dictionary (`None` for unknown AIs).
pub fn ai_title(ai: &str) -> Option<&'static str> {
    ai::lookup(ai).map(|e| e.title)
}

/// Release of GS1's Barcode Syntax Dictionary that the AI table was made from.
pub fn dictionary_release() -> &'static str {
    table::DICTIONARY_RELEASE
}

/// Number of AIs the engine knows.
pub fn known_ai_count() -> usize {
    ai::all().len()
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}){}", self.ai, self.value)
    }
}

/// Does a value of `ai` need an FNC1 separator when more data follows?
/// (Unknown AIs do, to be safe.)
pub fn ai_needs_separator(ai: &str) -> bool {
    ai::lookup(ai).is_none_or(|e| e.fnc1)
}

/// Expand an 8-digit UPC-E (number system 0 or 1, with check digit) to its
/// 12-digit UPC-A form.
pub fn upce_to_upca(upce: &str) -> Option<String> {
    let d = upce.as_bytes();
    if d.len() != 8 || !d.iter().all(u8::is_ascii_digit) || !matches!(d[0], b'0' | b'1') {
        return None;
    }
    let s = |r: std::ops::Range<usize>| std::str::from_utf8(&d[r]).unwrap_or_default();
    let body = match d[6] {
        b'0'..=b'2' => format!("{}{}0000{}", s(1..3), s(6..7), s(3..6)),
        b'3' => format!("{}00000{}", s(1..4), s(4..6)),
        b'4' => format!("{}00000{}", s(1..5), s(5..6)),
        _ => format!("{}0000{}", s(1..6), s(6..7)),
    };
    Some(format!("{}{}{}", s(0..1), body, s(7..8)))
}

/// The GS1 mod-10 check digit for `digits` (all but the check digit).
pub fn check_digit(digits: &str) -> Option<char> {
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| char::from(lint::check_digit(digits.as_bytes())))
}

/// True when `key` is all digits and its last digit is the GS1 mod-10 check
/// digit of the others (GTIN, GLN, SSCC …).
pub fn has_valid_check_digit(key: &str) -> bool {
    key.len() >= 2 && key.bytes().all(|b| b.is_ascii_digit()) && lint::has_valid_check_digit(key.as_bytes())
}

/// A `YYMMDD` date (AIs 11–17) as `YYYY-MM-DD`. The century follows the GS1
/// General Specifications' sliding window around `this_year` (from 49 years
/// back to 50 ahead); day `00` means the last day of the month.
pub fn date_yymmdd(value: &str, this_year: i32) -> Option<String> {
    if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| value[r].parse::<i32>().ok();
    let (yy, month, day) = (n(0..2)?, n(2..4)?, n(4..6)?);
    let mut year = this_year - this_year.rem_euclid(100) + yy;
    if year - this_year > 50 {
        year -= 100;
    } else if this_year - year > 49 {
        year += 100;
    }
    if !(1..=12).contains(&month) || year < 0 {
        return None;
    }
    let last = lint::days_in_month(year as u32, month as u32) as i32;
    let day = if day == 0 { last } else { day };
    (day <= last).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::{Options, parse_bracketed};

    #[test]
    fn an_unknown_ai_stands_only_with_the_length_of_its_prefix() {
        let permit = Options { permit_unknown_ais: true, ..Options::default() };
        for (input, ok) in [
            ("(01)12312312312333(23)ABC", false), // the AIs starting 23 have 3 digits: (235)
            ("(01)12312312312333(3989)ABC", true), // 39nn: four digits
            ("(01)12312312312333(398)ABC", false),
            ("(01)12312312312333(89)ABC", true), // no AI starts 89: its length is free
        ] {
            assert_eq!(parse_bracketed(input, &permit).is_ok(), ok, "{input}");
        }
        assert!(
            parse_bracketed("(01)12312312312333(3989)ABC", &Options::default()).is_err(),
            "not permitted"
        );
    }

    #[test]
    fn yymmdd_dates() {
        for (v, year, want) in [
            ("271231", 2026, Some("2027-12-31")),
            ("260200", 2026, Some("2026-02-28")),
            ("280200", 2026, Some("2028-02-29")),
            ("760101", 2026, Some("2076-01-01")),
            ("770101", 2026, Some("1977-01-01")),
            ("990101", 2049, Some("2099-01-01")),
            ("010101", 2099, Some("2101-01-01")),
            ("261301", 2026, None),
            ("260231", 2026, None),
            ("26011", 2026, None),
            ("2601a1", 2026, None),
        ] {
            assert_eq!(super::date_yymmdd(v, year).as_deref(), want, "{v} in {year}");
        }
    }
}
