//! What a scanned or typed code names: a GTIN, a lot, a serial, a place …
//! The one classification the phone, the server and the consumer page share.
//!
//! Invariant: pure (no I/O); built on the GS1 engine alone.

use serde::{Deserialize, Serialize};

use crate::gs1;

/// What kind of thing a code names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeKind {
    /// A trade item (GTIN only).
    Gtin,
    /// A GTIN with a batch/lot (AI 10).
    Lot,
    /// A GTIN with a serial (AI 21).
    Serial,
    /// A location (AI 414).
    Gln,
    /// A logistic unit (AI 00).
    Sscc,
    /// Well-formed GS1 data naming something else (a returnable asset …).
    Gs1,
    /// Not GS1 at all: a plain URL, a word.
    #[default]
    Other,
    /// Looks like GS1 but is wrong (check digit, date, syntax).
    Invalid,
}

impl CodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeKind::Gtin => "gtin",
            CodeKind::Lot => "lot",
            CodeKind::Serial => "serial",
            CodeKind::Gln => "gln",
            CodeKind::Sscc => "sscc",
            CodeKind::Gs1 => "gs1",
            CodeKind::Other => "other",
            CodeKind::Invalid => "invalid",
        }
    }

    /// Names a product (with or without lot or serial).
    pub fn is_product(self) -> bool {
        matches!(self, CodeKind::Gtin | CodeKind::Lot | CodeKind::Serial)
    }
}

/// A code and what it names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeInfo {
    /// The input as given (at most 4096 characters kept).
    pub input: String,
    pub kind: CodeKind,
    /// GTIN-14.
    pub gtin: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub gln: Option<String>,
    /// Canonical bracketed element string, e.g. `(01)08936…(10)LOT`.
    pub element_string: Option<String>,
    /// Canonical Digital Link URI on `https://id.gs1.org`.
    pub dl_uri: Option<String>,
    /// Why the code is invalid, with the offending part.
    pub error: Option<String>,
    /// The country whose GS1 office issued the GTIN's prefix (ISO alpha-2).
    pub prefix_country: Option<String>,
    pub prefix_issuer_vi: Option<String>,
    pub prefix_issuer_en: Option<String>,
}

impl CodeInfo {
    /// The key this code is known by offline: the element string for GS1
    /// data, the input otherwise.
    pub fn key(&self) -> &str {
        self.element_string.as_deref().unwrap_or(&self.input)
    }
}

/// Classify a code: scanner output (with or without symbology identifier),
/// bracketed or `^` element strings, a Digital Link URI, a bare GTIN.
pub fn parse_code(input: &str) -> CodeInfo {
    classify(input).0
}

/// A code, what it names, and its elements and human-readable lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CodeDetail {
    pub info: CodeInfo,
    pub elements: Vec<gs1::Element>,
    /// HRI lines, e.g. `(01) 08936120100110`.
    pub hri: Vec<String>,
}

/// [`parse_code`] with the AI elements and HRI lines (for a detail screen).
pub fn parse_code_detail(input: &str) -> CodeDetail {
    let (info, message) = classify(input);
    let (elements, hri) = match message {
        Some(m) => (m.elements.clone(), m.hri()),
        None => (Vec::new(), Vec::new()),
    };
    CodeDetail { info, elements, hri }
}

fn classify(input: &str) -> (CodeInfo, Option<gs1::Gs1Message>) {
    let mut info = CodeInfo { input: input.chars().take(4096).collect(), ..CodeInfo::default() };
    let m = match gs1::parse_any(input, &gs1::Options::default()) {
        Ok(m) if m.is_ai_data() || m.gtin14().is_some() => m,
        Ok(_) => return (info, None),
        Err(e) => {
            info.kind = CodeKind::Invalid;
            info.error = Some(e.to_string());
            return (info, None);
        }
    };
    info.gtin = m.gtin14();
    info.lot = m.get("10").map(str::to_owned);
    info.serial = m.get("21").map(str::to_owned);
    info.gln = m.get("414").map(str::to_owned);
    info.element_string = m.element_string();
    info.dl_uri = m.digital_link(gs1::DL_STEM).ok();
    info.kind = match (&info.gtin, &info.serial, &info.lot, &info.gln) {
        (Some(_), Some(_), _, _) => CodeKind::Serial,
        (Some(_), None, Some(_), _) => CodeKind::Lot,
        (Some(_), None, None, _) => CodeKind::Gtin,
        (None, _, _, Some(_)) => CodeKind::Gln,
        _ if m.get("00").is_some() => CodeKind::Sscc,
        _ => CodeKind::Gs1,
    };
    if let Some(issuer) = info.gtin.as_deref().and_then(gs1::prefix_issuer) {
        info.prefix_country = issuer.country.map(str::to_owned);
        info.prefix_issuer_vi = Some(issuer.name_vi.to_owned());
        info.prefix_issuer_en = Some(issuer.name_en.to_owned());
    }
    (info, Some(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let c = parse_code("https://id.gs1.org/01/08934563138011/10/CP-1?17=271231");
        assert_eq!(c.kind, CodeKind::Lot);
        assert_eq!(c.gtin.as_deref(), Some("08934563138011"));
        assert_eq!(c.lot.as_deref(), Some("CP-1"));
        assert_eq!(c.key(), "(01)08934563138011(10)CP-1(17)271231");
        assert_eq!(c.prefix_country.as_deref(), Some("VN"));
        for (input, kind) in [
            ("8934563138011", CodeKind::Gtin),
            ("]C1010893456313801121SN1", CodeKind::Serial),
            ("(414)8934563000004", CodeKind::Gln),
            ("(01)08934563138012", CodeKind::Invalid),
            ("hello", CodeKind::Other),
            ("(00)389345630000000012", CodeKind::Sscc),
            ("(8003)08934563138011SN1", CodeKind::Gs1),
        ] {
            assert_eq!(parse_code(input).kind, kind, "{input}");
        }
        assert_eq!(parse_code("hello").key(), "hello");
        assert!(parse_code("(01)08934563138012").error.is_some());
        let d = parse_code_detail("(01)08936120100110(10)RX500");
        assert_eq!(d.elements.len(), 2);
        assert_eq!(d.hri, ["(01) 08936120100110", "(10) RX500"]);
        assert!(parse_code_detail("hello").elements.is_empty());
    }
}
