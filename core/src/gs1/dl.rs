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

fn enc(value: &str) -> String {
    utf8_percent_encode(value, ENCODE).to_string()
}

/// Does the text start like an `http://` or `https://` URI?
pub(crate) fn looks_like_uri(s: &str) -> bool {
    let lower = |n: usize| s.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

pub(crate) fn parse(uri: &str, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    let after_scheme = uri.split_once("://").map(|(_, rest)| rest).ok_or(Gs1Error::DlBadUri)?;
    let without_fragment = after_scheme.split('#').next().unwrap_or_default();
    let (host_path, query) = without_fragment.split_once('?').unwrap_or((without_fragment, ""));
    let (host, path) = host_path.split_once('/').unwrap_or((host_path, ""));
    if host.is_empty() {
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
        let mut value = decode(code, raw)?;
        if code == "01" && opts.permit_zero_suppressed_gtin && matches!(value.len(), 8 | 12 | 13) {
            value = format!("{value:0>14}");
        }
        elements.push(Element { ai: code.to_owned(), value });
    }
    let qualifiers: Vec<&str> = elements[1..].iter().map(|e| e.ai.as_str()).collect();
    if !key_entry.qualifier_sequences().any(|seq| is_subsequence(&qualifiers, &seq)) {
        return Err(Gs1Error::DlBadQualifiers);
    }

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
        if key_entry.is_qualifier(k) {
            return Err(Gs1Error::DlQualifierInQuery(k.to_owned()));
        }
        elements.push(Element { ai: k.to_owned(), value: decode(k, v)? });
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

/// Index of the primary key segment: the leftmost primary-key AI from which
/// the rest of the path is a run of AI/value pairs.
fn find_key(segments: &[&str]) -> Option<usize> {
    (0..segments.len()).find(|&i| {
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
