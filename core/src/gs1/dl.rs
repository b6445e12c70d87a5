//! GS1 Digital Link URIs: parsing (any host, any path prefix) and the
//! canonical form.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::ai;
use super::parse::{data_elements, validate_associations};
use super::{ContentKind, DlError, Element, Gs1Error, Gs1Message, Options};

/// The canonical stem for GS1 Digital Link URIs.
pub const DL_STEM: &str = "https://id.gs1.org";

/// Everything but RFC 3986's unreserved characters is percent-encoded.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

pub(crate) fn enc(value: &str) -> String {
    utf8_percent_encode(value, ENCODE).to_string()
}

/// Does the text start like a Digital Link URI? The scheme in lower or in
/// upper case (QR codes write it upper case to use the alphanumeric mode);
/// mixed case is plain data, as GS1's engine reads it.
pub(crate) fn looks_like_uri(s: &str) -> bool {
    ["http://", "https://", "HTTP://", "HTTPS://"].iter().any(|scheme| s.starts_with(scheme))
}

pub(crate) fn parse(uri: &str, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    let after_scheme = uri.split_once("://").map(|(_, rest)| rest).ok_or(Gs1Error::DlBadUri)?;
    let without_fragment = after_scheme.split('#').next().unwrap_or_default();
    let (host_path, query) = without_fragment.split_once('?').unwrap_or((without_fragment, ""));
    let (host, path) = host_path.split_once('/').unwrap_or((host_path, ""));
    if host.is_empty() || host.contains('%') {
        return Err(Gs1Error::DlBadUri);
    }
    let segments: Vec<&str> = path.split('/').collect();
    let start = find_key(&segments).ok_or(Gs1Error::DlNoKey)?;
    let key_entry = ai::lookup(segments[start]).ok_or(Gs1Error::DlNoKey)?;

    let mut elements = Vec::new();
    for pair in segments[start..].chunks(2) {
        let (code, raw) = (pair[0], pair[1]);
        if raw.is_empty() {
            return Err(Gs1Error::DlEmptyPathValue(code.to_owned()));
        }
        let value = zero_padded(code, decode(code, raw)?, opts);
        push_once(&mut elements, code, value)?;
    }
    // The path's qualifiers follow one of the key's qualifier sequences; a
    // qualifier of a sequence they fit belongs in the path, not the query
    // (a GTIN with (235) in the path may carry (10) as an attribute).
    let qualifiers: Vec<&str> = elements[1..].iter().map(|e| e.ai.as_str()).collect();
    let fitting: Vec<Vec<&str>> =
        key_entry.qualifier_sequences().filter(|seq| is_subsequence(&qualifiers, seq)).collect();
    if !qualifiers.is_empty() && fitting.is_empty() {
        return Err(Gs1Error::DlBadQualifiers);
    }
    let in_path_sequence = |ai: &str| fitting.iter().any(|seq| seq.contains(&ai));

    let mut ignored = Vec::new();
    for param in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = param.split_once('=').unwrap_or((param, ""));
        if k.is_empty() || !k.bytes().all(|b| b.is_ascii_digit()) {
            ignored.push(param.to_owned());
            continue;
        }
        let entry = ai::lookup(k).ok_or_else(|| Gs1Error::DlUnknownQueryAi(k.to_owned()))?;
        if !entry.dl_attr {
            return Err(Gs1Error::DlNotAttribute(k.to_owned()));
        }
        if in_path_sequence(k) {
            return Err(Gs1Error::DlQualifierInQuery(k.to_owned()));
        }
        if v.contains('+') {
            return Err(Gs1Error::DlRawPlus(k.to_owned()));
        }
        let value = zero_padded(k, decode(k, v)?, opts);
        push_once(&mut elements, k, value)?;
    }

    // Validate every value exactly as AI data: lengths, character sets, linters.
    for e in &elements {
        validate_one(e)?;
    }
    validate_associations(&elements, opts)?;
    Ok(Gs1Message {
        kind: ContentKind::DigitalLink,
        elements,
        data: uri.to_owned(),
        dl_ignored_params: ignored,
    })
}

/// A zero-suppressed GTIN (8, 12 or 13 digits) as 14, when allowed.
fn zero_padded(code: &str, value: String, opts: &Options) -> String {
    if code == "01" && opts.permit_zero_suppressed_gtin && matches!(value.len(), 8 | 12 | 13) {
        format!("{value:0>14}")
    } else {
        value
    }
}

/// An AI appears once in a URI, in the path or in the query.
fn push_once(elements: &mut Vec<Element>, code: &str, value: String) -> Result<(), Gs1Error> {
    if elements.iter().any(|e| e.ai == code) {
        return Err(Gs1Error::DlRepeatedAi(code.to_owned()));
    }
    elements.push(Element { ai: code.to_owned(), value });
    Ok(())
}

fn decode(code: &str, raw: &str) -> Result<String, Gs1Error> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| Gs1Error::DlPercentEncoding(code.to_owned()))
}

/// One element's value checked exactly as a bracketed value would be.
fn validate_one(e: &Element) -> Result<(), Gs1Error> {
    let entry = ai::lookup(&e.ai).ok_or_else(|| Gs1Error::UnknownAi(e.ai.clone()))?;
    if e.value.len() < entry.min_len() {
        return Err(Gs1Error::ValueTooShort(e.ai.clone()));
    }
    if e.value.len() > entry.max_len() {
        return Err(Gs1Error::ValueTooLong(e.ai.clone()));
    }
    let mut data = format!("^{}", e.ai).into_bytes();
    data.extend_from_slice(e.value.as_bytes());
    match data_elements(&data) {
        Ok(parsed) if parsed.len() == 1 => Ok(()),
        Ok(_) => Err(Gs1Error::ValueTooLong(e.ai.clone())),
        Err(err) => Err(err),
    }
}

/// Index of the primary key segment: the rightmost primary-key AI from
/// which the rest of the path is a run of AI/value pairs (what comes before
/// is the path prefix, which may hold anything, digits too).
fn find_key(segments: &[&str]) -> Option<usize> {
    (0..segments.len()).rev().find(|&i| {
        let rest = &segments[i..];
        rest.len() >= 2
            && rest.len().is_multiple_of(2)
            && ai::lookup(rest[0]).is_some_and(|e| e.dl_pkey.is_some())
            && rest.iter().step_by(2).all(|s| s.len() >= 2 && ai::lookup(s).is_some())
    })
}

fn is_subsequence(items: &[&str], seq: &[&str]) -> bool {
    let mut it = seq.iter();
    items.iter().all(|item| it.any(|s| s == item))
}

/// The canonical Digital Link URI for `elements` on `stem`.
pub(crate) fn generate(elements: &[Element], stem: &str) -> Result<String, DlError> {
    let (key_idx, key_entry) = elements
        .iter()
        .enumerate()
        .find_map(|(i, e)| ai::lookup(&e.ai).filter(|entry| entry.dl_pkey.is_some()).map(|entry| (i, entry)))
        .ok_or(DlError::NoPrimaryKey)?;
    let present = |code: &str| elements.iter().any(|e| e.ai == code);
    let best = key_entry
        .qualifier_sequences()
        .enumerate()
        .max_by_key(|(i, seq)| (seq.iter().filter(|q| present(q)).count(), std::cmp::Reverse(*i)))
        .map(|(_, seq)| seq)
        .unwrap_or_default();

    let key = &elements[key_idx];
    let mut uri = format!("{}/{}/{}", stem.trim_end_matches('/'), key.ai, enc(&key.value));
    let mut used = vec![key.ai.as_str()];
    for q in &best {
        if let Some(e) = elements.iter().find(|e| e.ai == *q) {
            uri.push_str(&format!("/{}/{}", e.ai, enc(&e.value)));
            used.push(q);
        }
    }
    let mut attrs: Vec<(&Element, bool)> = Vec::new();
    for e in elements {
        if used.contains(&e.ai.as_str()) || attrs.iter().any(|(a, _)| a.ai == e.ai) {
            continue;
        }
        let entry = ai::lookup(&e.ai).filter(|entry| entry.dl_attr);
        let entry = entry.ok_or_else(|| DlError::NotAttribute(e.ai.clone()))?;
        attrs.push((e, entry.fnc1));
    }
    // Predefined-length attributes first, then the others, each in message order.
    let ordered = attrs.iter().filter(|(_, f)| !f).chain(attrs.iter().filter(|(_, f)| *f));
    for (n, (e, _)) in ordered.enumerate() {
        uri.push(if n == 0 { '?' } else { '&' });
        uri.push_str(&format!("{}={}", e.ai, enc(&e.value)));
    }
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(uri: &str) -> Result<String, Gs1Error> {
        let opts = Options { permit_zero_suppressed_gtin: true, ..Options::default() };
        parse(uri, &opts).map(|m| m.element_string().unwrap_or_default())
    }

    #[test]
    fn keys_qualifiers_and_the_query_as_the_standard_reads_them() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            // Keys that take no qualifiers stand alone.
            ("https://id.gs1.org/00/106141411234567897", Ok("(00)106141411234567897")),
            ("https://id.gs1.org/253/4012345000016123", Ok("(253)4012345000016123")),
            // The key is the rightmost one; what stands before it is the stem.
            ("https://a.example/01/faux/01/12312312312333", Ok("(01)12312312312333")),
            // A qualifier of another sequence of the same key, in the query.
            (
                "https://a.example/01/09780345418913/235/XYZ?10=ABC123",
                Ok("(01)09780345418913(235)XYZ(10)ABC123"),
            ),
            ("https://a.example/01/09780345418913/10/ABC?235=XYZ", Err("(235)")),
            ("https://a.example/01/09780345418913/10/A?10=B", Err("(10)")),
            ("https://a.example/01/09780345418913?17=261231&17=270101", Err("more than once")),
            ("https://a.example/01/09780345418913?3103=000189+1", Err("+")),
            ("https://a%2e.example/01/09780345418913", Err("")),
        ];
        for (uri, want) in cases {
            match (elements(uri), want) {
                (Ok(got), Ok(want)) => assert_eq!(&got, want, "{uri}"),
                (Err(e), Err(part)) => assert!(e.to_string().contains(part), "{uri}: {e}"),
                (got, want) => panic!("{uri}: {got:?}, wanted {want:?}"),
            }
        }
        for uri in ["https://a/01/1", "HTTP://A/01/1"] {
            assert!(looks_like_uri(uri), "{uri}");
        }
        for text in ["ftp://a/01/1", "Https://a/01/1", "https:/a/01/1"] {
            assert!(!looks_like_uri(text), "{text}");
        }
    }
}
