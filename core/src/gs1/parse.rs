//! Parsing and validation of AI data in its textual forms.

use super::ai::{self, AiEntry};
use super::lint;
use super::{ContentKind, Element, Gs1Error, Gs1Message, MAX_INPUT_LEN, Options};

const FNC1: u8 = b'^';
const GS: char = '\u{1d}';

fn check_len(input: &str) -> Result<(), Gs1Error> {
    if input.len() > MAX_INPUT_LEN { Err(Gs1Error::TooLong { len: input.len() }) } else { Ok(()) }
}

fn ai_message(elements: Vec<Element>, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    validate_associations(&elements, opts)?;
    let data = data_string(&elements);
    Ok(Gs1Message { kind: ContentKind::AiData, elements, data, dl_ignored_params: Vec::new() })
}

/// `(01)…(10)…` → message. A literal `(` inside a value is written `\(`.
pub(crate) fn bracketed(input: &str, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    check_len(input)?;
    let b = input.as_bytes();
    if b.is_empty() {
        return Err(Gs1Error::MissingFnc1);
    }
    let mut elements = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'(' {
            return Err(Gs1Error::BracketSyntax);
        }
        let close = b[i..].iter().position(|&c| c == b')').ok_or(Gs1Error::BracketSyntax)? + i;
        let ai = &input[i + 1..close];
        if !(2..=4).contains(&ai.len()) || !ai.bytes().all(|c| c.is_ascii_digit()) {
            return Err(Gs1Error::BracketSyntax);
        }
        let entry = ai::lookup(ai);
        // An unknown AI may stand (when permitted) only with the length its
        // first two digits give every AI: `(23)` is no AI, `(235)` is.
        let misfit = ai::length_for_prefix(&ai[..2]).is_some_and(|n| n != ai.len());
        if entry.is_none() && (!opts.permit_unknown_ais || misfit) {
            return Err(Gs1Error::UnknownAi(ai.to_owned()));
        }
        // The value runs to the next unescaped '('.
        let mut value = Vec::new();
        let mut j = close + 1;
        while j < b.len() && b[j] != b'(' {
            if b[j] == b'\\' && b.get(j + 1) == Some(&b'(') {
                j += 1;
            }
            value.push(b[j]);
            j += 1;
        }
        if value.is_empty() {
            return Err(Gs1Error::EmptyValue(ai.to_owned()));
        }
        match entry {
            Some(entry) => {
                if value.len() < entry.min_len() {
                    return Err(Gs1Error::ValueTooShort(ai.to_owned()));
                }
                if value.len() > entry.max_len() {
                    return Err(Gs1Error::ValueTooLong(ai.to_owned()));
                }
                let used = validate_value(entry, &value)?;
                if used != value.len() {
                    return Err(Gs1Error::ValueTooLong(ai.to_owned()));
                }
            }
            None => {
                if value.len() > 90 {
                    return Err(Gs1Error::ValueTooLong(ai.to_owned()));
                }
                lint::cset(super::ai::Cset::Cset82, &value).map_err(|f| content_error(ai, &value, 0, f))?;
            }
        }
        // Values are ASCII once they pass their character-set checks.
        let value = String::from_utf8(value).map_err(|_| Gs1Error::BracketSyntax)?;
        elements.push(Element { ai: ai.to_owned(), value });
        i = j;
    }
    ai_message(elements, opts)
}

/// Reference-engine "data" input: `^` AI data, a Digital Link URI, or plain data.
pub(crate) fn data(input: &str, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    check_len(input)?;
    if input.starts_with('^') {
        return ai_message(data_elements(input.as_bytes())?, opts);
    }
    if super::dl::looks_like_uri(input) {
        return super::dl::parse(input, opts);
    }
    Ok(plain(input))
}

fn plain(input: &str) -> Gs1Message {
    Gs1Message {
        kind: ContentKind::Plain,
        elements: Vec::new(),
        data: input.to_owned(),
        dl_ignored_params: Vec::new(),
    }
}

/// Scanner output: `]` + symbology identifier + data.
pub(crate) fn scan(input: &str, opts: &Options) -> Result<Gs1Message, Gs1Error> {
    check_len(input)?;
    let (sym, rest) = match (input.get(..3), input.get(3..)) {
        (Some(sym), Some(rest)) if sym.starts_with(']') => (sym, rest),
        _ => return Err(Gs1Error::UnsupportedSymbology),
    };
    match sym {
        // GS1-128, GS1 DataBar, GS1 DataMatrix, GS1 QR Code, GS1 DotCode:
        // AI data with GS for FNC1.
        "]C1" | "]e0" | "]d2" | "]Q3" | "]J1" => {
            let data = format!("^{}", rest.replace(GS, "^"));
            ai_message(data_elements(data.as_bytes())?, opts)
        }
        // Non-GS1 modes of the 2D symbologies: a Digital Link URI or plain data.
        "]d1" | "]Q1" | "]J0" => {
            if super::dl::looks_like_uri(rest) {
                super::dl::parse(rest, opts)
            } else {
                Ok(plain(rest))
            }
        }
        "]E0" => primary(rest, 13, &[]),
        "]E3" => primary(rest, 13, &[2, 5]),
        "]E4" => primary(rest, 8, &[]),
        _ => Err(Gs1Error::UnsupportedSymbology),
    }
}

/// EAN/UPC primary data: `len` digits with a check digit, optionally an add-on.
fn primary(digits: &str, len: usize, addons: &[usize]) -> Result<Gs1Message, Gs1Error> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Gs1Error::PrimaryNotNumeric);
    }
    if digits.len() < len {
        return Err(Gs1Error::PrimaryTooShort);
    }
    if digits.len() > len && !addons.contains(&(digits.len() - len)) {
        return Err(Gs1Error::PrimaryTooLong);
    }
    if !lint::has_valid_check_digit(&digits.as_bytes()[..len]) {
        return Err(Gs1Error::PrimaryCheckDigit);
    }
    Ok(Gs1Message {
        kind: ContentKind::EanUpc,
        elements: Vec::new(),
        data: digits.to_owned(),
        dl_ignored_params: Vec::new(),
    })
}

/// Split a `^`-separated data string (starting with `^`) into validated elements.
pub(crate) fn data_elements(b: &[u8]) -> Result<Vec<Element>, Gs1Error> {
    if b.first() != Some(&FNC1) {
        return Err(Gs1Error::MissingFnc1);
    }
    let mut elements = Vec::new();
    let mut p = 1;
    while p < b.len() {
        let entry = ai::lookup_prefix(&b[p..]).ok_or_else(|| {
            Gs1Error::NoAiForPrefix(String::from_utf8_lossy(&b[p..b.len().min(p + 4)]).into_owned())
        })?;
        p += entry.ai.len();
        // The value runs to the next FNC1 or the end, at most the AI's maximum.
        let end = b[p..].iter().position(|&c| c == FNC1).map_or(b.len(), |n| p + n);
        let avail = &b[p..end.min(p + entry.max_len())];
        if avail.is_empty() {
            return Err(Gs1Error::DataTooShort(entry.ai.to_owned()));
        }
        let used = validate_value(entry, avail)?;
        let value = String::from_utf8(avail[..used].to_vec())
            .map_err(|_| Gs1Error::DataTooShort(entry.ai.to_owned()))?;
        p += used;
        if entry.fnc1 && p < b.len() && b[p] != FNC1 {
            return Err(Gs1Error::DataTooLong(entry.ai.to_owned()));
        }
        if p < b.len() && b[p] == FNC1 {
            p += 1;
        }
        elements.push(Element { ai: entry.ai.to_owned(), value });
    }
    Ok(elements)
}

/// Apply an AI's components to the start of `data`; returns how many bytes
/// they consumed.
fn validate_value(entry: &AiEntry, data: &[u8]) -> Result<usize, Gs1Error> {
    let mut pos = 0;
    for comp in entry.components {
        if pos == data.len() && comp.optional {
            break;
        }
        let min = comp.min as usize;
        let take = (data.len() - pos).min(comp.max as usize);
        if take < min {
            return Err(Gs1Error::DataTooShort(entry.ai.to_owned()));
        }
        let part = &data[pos..pos + take];
        lint::cset(comp.cset, part).map_err(|f| content_error(entry.ai, data, pos, f))?;
        for &l in comp.linters {
            lint::lint(l, part).map_err(|f| content_error(entry.ai, data, pos, f))?;
        }
        pos += take;
    }
    Ok(pos)
}

fn content_error(ai: &str, value: &[u8], offset: usize, f: lint::Finding) -> Gs1Error {
    let start = (offset + f.start).min(value.len());
    let end = (start + f.len).min(value.len());
    let mut marked = format!("({ai})").into_bytes();
    marked.extend_from_slice(&value[..start]);
    marked.push(b'|');
    marked.extend_from_slice(&value[start..end]);
    marked.push(b'|');
    marked.extend_from_slice(&value[end..]);
    Gs1Error::Content {
        ai: ai.to_owned(),
        message: f.message,
        markup: String::from_utf8_lossy(&marked).into_owned(),
    }
}

/// Check repeated AIs, invalid pairs (`ex=`) and, unless disabled, mandatory
/// associations (`req=`).
pub(crate) fn validate_associations(elements: &[Element], opts: &Options) -> Result<(), Gs1Error> {
    for (i, a) in elements.iter().enumerate() {
        if elements[..i].iter().any(|b| b.ai == a.ai && b.value != a.value) {
            return Err(Gs1Error::ConflictingDuplicate(a.ai.clone()));
        }
    }
    for a in elements {
        let Some(entry) = ai::lookup(&a.ai) else { continue };
        for pattern in entry.ex {
            if let Some(b) = elements.iter().find(|b| b.ai != a.ai && ai::matches_pattern(&b.ai, pattern)) {
                return Err(Gs1Error::InvalidPair(a.ai.clone(), b.ai.clone()));
            }
        }
    }
    if !opts.check_associations {
        return Ok(());
    }
    let present = |pattern: &str| elements.iter().any(|e| ai::matches_pattern(&e.ai, pattern));
    for a in elements {
        let Some(entry) = ai::lookup(&a.ai) else { continue };
        for &req in entry.req {
            let satisfied = req.split(',').any(|alt| alt.split('+').all(present));
            if !satisfied {
                return Err(Gs1Error::RequirementNotMet { ai: a.ai.clone(), required: req });
            }
        }
    }
    Ok(())
}

/// `^`-separated data string: FNC1 first, and after every value that needs
/// one unless it ends the message.
pub(crate) fn data_string(elements: &[Element]) -> String {
    let mut out = String::from("^");
    for (i, e) in elements.iter().enumerate() {
        out.push_str(&e.ai);
        out.push_str(&e.value);
        let fnc1 = ai::lookup(&e.ai).is_none_or(|entry| entry.fnc1);
        if fnc1 && i + 1 < elements.len() {
            out.push('^');
        }
    }
    out
}
