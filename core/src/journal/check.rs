//! Content rules for each kind of event: the phone checks a form before it
//! stores it, and the server checks every pushed event with the same rules.
//!
//! Invariant: pure; the verdict depends on the event alone.

use super::event::{ComplaintReport, EventBody};
use crate::gs1;

/// Complaint categories (phản ánh): the first is the most serious.
pub const COMPLAINT_CATEGORIES: [&str; 5] =
    ["counterfeit", "quality_safety", "labelling", "expired", "other"];

/// `YYYY-MM-DD` with a real month and day.
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The most a field of an event may hold, in characters: the phone's forms
/// and the server hold every event to these (a note of megabytes would
/// weigh on every answer that shows it).
pub mod limits {
    /// A lot number: what GS1's AI (10) holds.
    pub const LOT: usize = 20;
    /// Names: a product, an input, a process, a certification.
    pub const NAME: usize = 200;
    /// A unit of measure.
    pub const UNIT: usize = 20;
    /// A dose as written ("2 kg/sào").
    pub const DOSE: usize = 100;
    /// An inspector's notes.
    pub const NOTES: usize = 2000;
    /// One reason for a finding, and how many.
    pub const REASON: usize = 200;
    pub const REASONS: usize = 20;
    /// A code as scanned or typed (bytes), and its element string.
    pub const CODE_BYTES: usize = 4096;
    /// The verdict a phone showed for a scan.
    pub const ANSWER: usize = 200;
    /// A symbology identifier (`]C1`).
    pub const SYMBOLOGY: usize = 3;
    /// Lots on either side of one transformation.
    pub const LOTS: usize = 100;
    /// The whole payload of an event, as canonical JSON (bytes).
    pub const PAYLOAD_BYTES: usize = 64 * 1024;
}

/// A text field of at most `max` characters.
fn check_text(field: &str, value: &str, max: usize) -> Result<(), String> {
    match value.chars().count() {
        n if n > max => Err(format!("{field}: {n} characters; at most {max}")),
        _ => Ok(()),
    }
}

fn check_optional(field: &str, value: Option<&str>, max: usize) -> Result<(), String> {
    value.map_or(Ok(()), |v| check_text(field, v, max))
}

fn check_code_bytes(field: &str, value: &str) -> Result<(), String> {
    if value.len() > limits::CODE_BYTES {
        return Err(format!("{field}: {} bytes; at most {}", value.len(), limits::CODE_BYTES));
    }
    Ok(())
}

fn check_key(what: &str, digits: &str, len: usize) -> Result<(), String> {
    if digits.len() != len
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !gs1::has_valid_check_digit(digits)
    {
        return Err(format!("{what} {digits:?} is not a valid {len}-digit GS1 key"));
    }
    Ok(())
}

fn check_gtin(gtin: Option<&str>) -> Result<(), String> {
    match gtin {
        Some(g) if matches!(g.len(), 8 | 12 | 13 | 14) => check_key("GTIN", g, g.len()),
        Some(g) => Err(format!("GTIN {g:?} must have 8, 12, 13 or 14 digits")),
        None => Ok(()),
    }
}

fn check_gln(gln: Option<&str>) -> Result<(), String> {
    gln.map_or(Ok(()), |g| check_key("GLN", g, 13))
}

fn check_quantity(q: f64) -> Result<(), String> {
    if q.is_finite() && q > 0.0 { Ok(()) } else { Err("quantity must be a positive number".into()) }
}

/// Photos are referenced by the hex SHA-256 of their bytes.
fn check_photos(photos: &[String]) -> Result<(), String> {
    match photos.iter().find(|p| p.len() != 64 || !p.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
    {
        Some(p) => Err(format!("photo {p:?} is not a lowercase hex SHA-256")),
        None if photos.len() > 20 => Err("at most 20 photos per event".into()),
        None => Ok(()),
    }
}

/// A complaint's fields; `signed_in` filers need no contact.
pub fn check_complaint(c: &ComplaintReport, signed_in: bool) -> Result<(), String> {
    if c.code.trim().is_empty() || c.code.len() > 4096 {
        return Err("code: give the scanned text (1 to 4096 bytes)".into());
    }
    if !COMPLAINT_CATEGORIES.contains(&c.category.as_str()) {
        return Err(format!("category {:?}: use one of {}", c.category, COMPLAINT_CATEGORIES.join(", ")));
    }
    let n = c.description.trim().chars().count();
    if !(10..=4000).contains(&n) {
        return Err("description: 10 to 4000 characters".into());
    }
    if crate::provinces::province(&c.province).is_none() {
        return Err(format!("province {:?} is not a province code", c.province));
    }
    let contact = c.contact.as_deref().map(str::trim).unwrap_or("");
    if !signed_in && contact.chars().count() < 6 {
        return Err("contact: a phone number or e-mail address is needed when not signed in".into());
    }
    if contact.chars().count() > 200 {
        return Err("contact: at most 200 characters".into());
    }
    check_photos(&c.photos)
}

impl EventBody {
    /// The content rules of this kind (a complaint as from a signed-in
    /// filer), and the size of every field ([`limits`]).
    pub fn check(&self) -> Result<(), String> {
        self.check_fields()?;
        let payload = serde_json::to_value(self).map(|v| crate::journal::canonical_json(&v["payload"]));
        let bytes = payload.map(|p| p.len()).unwrap_or(0);
        if bytes > limits::PAYLOAD_BYTES {
            return Err(format!("the event has {bytes} bytes; at most {}", limits::PAYLOAD_BYTES));
        }
        Ok(())
    }

    fn check_fields(&self) -> Result<(), String> {
        match self {
            EventBody::Scan(s) => {
                if s.raw_text.is_empty() || s.raw_text.len() > limits::CODE_BYTES {
                    return Err(format!("raw_text must have 1 to {} bytes", limits::CODE_BYTES));
                }
                check_optional("symbology_id", s.symbology_id.as_deref(), limits::SYMBOLOGY)?;
                if let Some(e) = &s.element_string {
                    check_code_bytes("element_string", e)?;
                }
                check_optional("answer_shown", s.answer_shown.as_deref(), limits::ANSWER)?;
            }
            EventBody::Harvest(h) => {
                if h.product.trim().is_empty() || h.lot.trim().is_empty() {
                    return Err("a harvest needs a product and a lot".into());
                }
                check_text("product", &h.product, limits::NAME)?;
                check_text("lot", &h.lot, limits::LOT)?;
                check_text("unit", &h.unit, limits::UNIT)?;
                check_optional("certification", h.certification.as_deref(), limits::NAME)?;
                if !valid_date(&h.harvest_date) {
                    return Err(format!("harvest_date {:?} is not a YYYY-MM-DD date", h.harvest_date));
                }
                check_quantity(h.quantity)?;
                check_gtin(h.gtin.as_deref())?;
                check_gln(h.gln.as_deref())?;
                check_photos(&h.photos)?;
            }
            EventBody::FarmDiary(d) => {
                if d.input_name.trim().is_empty() {
                    return Err("a farm-diary entry needs the input's name".into());
                }
                check_text("input_name", &d.input_name, limits::NAME)?;
                check_text("dose", &d.dose, limits::DOSE)?;
                check_optional("lot", d.lot.as_deref(), limits::LOT)?;
                if !valid_date(&d.applied_on) {
                    return Err(format!("applied_on {:?} is not a YYYY-MM-DD date", d.applied_on));
                }
                check_gln(d.gln.as_deref())?;
                check_photos(&d.photos)?;
            }
            EventBody::Inspection(i) => {
                if i.code.trim().is_empty() {
                    return Err("an inspection needs the code or lot inspected".into());
                }
                check_code_bytes("code", &i.code)?;
                check_optional("notes", i.notes.as_deref(), limits::NOTES)?;
                if i.reasons.len() > limits::REASONS {
                    return Err(format!("reasons: {}; at most {}", i.reasons.len(), limits::REASONS));
                }
                for r in &i.reasons {
                    check_text("reason", r, limits::REASON)?;
                }
                check_gln(i.market_gln.as_deref())?;
                check_photos(&i.photos)?;
            }
            EventBody::Transformation(t) => {
                if t.inputs.is_empty() || t.outputs.is_empty() {
                    return Err("a transformation needs input and output lots".into());
                }
                if t.inputs.len() > limits::LOTS || t.outputs.len() > limits::LOTS {
                    return Err(format!("at most {} input and {} output lots", limits::LOTS, limits::LOTS));
                }
                check_optional("process", t.process.as_deref(), limits::NAME)?;
                if !valid_date(&t.date) {
                    return Err(format!("date {:?} is not a YYYY-MM-DD date", t.date));
                }
                for l in t.inputs.iter().chain(&t.outputs) {
                    check_gtin(Some(&l.gtin))?;
                    check_optional("lot", l.lot.as_deref(), limits::LOT)?;
                    check_optional("unit", l.unit.as_deref(), limits::UNIT)?;
                    if let Some(q) = l.quantity {
                        check_quantity(q)?;
                    }
                }
                check_gln(t.gln.as_deref())?;
            }
            EventBody::Complaint(c) => check_complaint(c, true)?,
            EventBody::Shipping(t) | EventBody::Receiving(t) => {
                check_gtin(Some(&t.gtin))?;
                check_optional("lot", t.lot.as_deref(), limits::LOT)?;
                check_text("unit", &t.unit, limits::UNIT)?;
                check_quantity(t.quantity)?;
                check_gln(t.from_gln.as_deref())?;
                check_gln(t.to_gln.as_deref())?;
            }
        }
        Ok(())
    }
}
