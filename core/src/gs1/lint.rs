//! Content checks for the components of AI values ("linters").
//!
//! Each check looks at one component's bytes and reports what is wrong and
//! where (a byte range within the component). Messages follow the wording of
//! GS1's syntax tests so that people who know those recognise them.

use super::ai::{Cset, Linter};
use super::codes;

/// What a check found wrong, and where in the component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    pub message: &'static str,
    pub start: usize,
    pub len: usize,
}

type Check = Result<(), Finding>;

fn at(message: &'static str, start: usize, len: usize) -> Check {
    Err(Finding { message, start, len })
}

/// The 82 characters of GS1's CSET 82, in ascending order (their index is
/// their value for the alphanumeric check-character pair).
pub(crate) const CSET82: &[u8] =
    b"!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const CSET39: &[u8] = b"#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const CSUM_ALPHA: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

fn in_cset82(b: u8) -> bool {
    CSET82.contains(&b)
}

/// Check the character set of a component.
pub(crate) fn cset(cset: Cset, data: &[u8]) -> Check {
    let (ok, message): (fn(u8) -> bool, _) = match cset {
        Cset::Numeric => {
            (|b: u8| b.is_ascii_digit(), "A non-digit character was found where a digit is expected.")
        }
        Cset::Cset82 => {
            (in_cset82, "A non-CSET 82 character was found where a CSET 82 character is expected.")
        }
        Cset::Cset39 => (
            |b: u8| CSET39.contains(&b),
            "A non-CSET 39 character was found where a CSET 39 character is expected.",
        ),
        Cset::Cset64 => return cset64(data),
    };
    match data.iter().position(|&b| !ok(b)) {
        Some(i) => at(message, i, 1),
        None => Ok(()),
    }
}

fn cset64(data: &[u8]) -> Check {
    let body_len = data.len() - data.iter().rev().take_while(|&&b| b == b'=').count();
    let pad = data.len() - body_len;
    for (i, &b) in data[..body_len].iter().enumerate() {
        if !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return at("A non-CSET 64 character was found where a CSET 64 character is expected.", i, 1);
        }
    }
    if pad > 2 || (pad > 0 && !data.len().is_multiple_of(3) && !data.len().is_multiple_of(4)) {
        return at("Incorrect number of CSET 64 pad characters.", body_len, pad);
    }
    Ok(())
}

/// Run one linter over a component.
pub(crate) fn lint(linter: Linter, d: &[u8]) -> Check {
    match linter {
        Linter::Csum => csum(d),
        Linter::Csumalpha => csumalpha(d),
        Linter::Gcppos1 => gcp(d, 0),
        Linter::Gcppos2 => gcp(d, 1),
        Linter::Hasnondigit => {
            if d.iter().all(u8::is_ascii_digit) {
                at("A non-digit character is required in this data.", 0, d.len())
            } else {
                Ok(())
            }
        }
        Linter::Yymmd0 => date6(d, true),
        Linter::Yymmdd => date6(d, false),
        Linter::Yyyymmdd => date8(d),
        Linter::Hh => hour(d, 0),
        Linter::Mi => minute(d, 0),
        Linter::Ss => second(d),
        Linter::Hhmi => hour(d, 0).and_then(|()| minute(d, 2)),
        Linter::Hyphen => all_bytes(d, b'-', "A hyphen is required."),
        Linter::Zero => all_bytes(d, b'0', "A zero is required."),
        Linter::Nonzero => {
            if d.iter().all(|&b| b == b'0') {
                at("A non-zero value is required.", 0, d.len())
            } else {
                Ok(())
            }
        }
        Linter::Nozeroprefix => {
            if d.len() > 1 && d[0] == b'0' {
                at("A zero prefix is not permitted.", 0, 1)
            } else {
                Ok(())
            }
        }
        Linter::Yesno => one_of(d, &[b"0", b"1"], "A value of 0 or 1 is required."),
        Linter::Winding => one_of(d, &[b"0", b"1", b"9"], "A winding direction of 0, 1 or 9 is required."),
        Linter::Iso5218 => {
            one_of(d, &[b"0", b"1", b"2", b"9"], "A biological sex code of 0, 1, 2 or 9 is required.")
        }
        Linter::Iso3166 => {
            numeric_code(d, codes::is_iso3166_numeric, "The ISO 3166 country code is unknown.")
        }
        Linter::Iso3166999 => {
            if d == b"999" {
                Ok(())
            } else {
                numeric_code(d, codes::is_iso3166_numeric, "The ISO 3166 country code is unknown.")
            }
        }
        Linter::Iso3166alpha2 => match std::str::from_utf8(d) {
            Ok(s) if codes::is_iso3166_alpha2(s) => Ok(()),
            _ => at("The ISO 3166 alpha-2 country code is unknown.", 0, d.len()),
        },
        Linter::Iso4217 => {
            numeric_code(d, codes::is_iso4217_numeric, "The ISO 4217 currency code is unknown.")
        }
        Linter::Packagetype => match std::str::from_utf8(d) {
            Ok(s) if codes::is_package_type(s) => Ok(()),
            _ => at("The package type is unknown.", 0, d.len()),
        },
        Linter::Mediatype => match number(d) {
            Some(1..=10) | Some(80..=99) => Ok(()),
            _ => at("The AIDC media type is unknown.", 0, d.len()),
        },
        Linter::Importeridx => {
            if d.len() == 1 && (d[0].is_ascii_alphanumeric() || d[0] == b'-' || d[0] == b'_') {
                Ok(())
            } else {
                at("The importer index is invalid.", 0, d.len())
            }
        }
        Linter::Latitude => bounded(d, 1_800_000_000, "The latitude is out of range."),
        Linter::Longitude => bounded(d, 3_600_000_000, "The longitude is out of range."),
        Linter::Pcenc => pcenc(d),
        Linter::Pieceoftotal => pieceoftotal(d),
        Linter::Posinseqslash => posinseqslash(d),
        Linter::Iban => iban(d),
        Linter::Couponcode => coupon_code(d),
        Linter::Couponposoffer => coupon_pos_offer(d),
    }
}

fn number(d: &[u8]) -> Option<u64> {
    if d.is_empty() || d.len() > 18 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(d.iter().fold(0u64, |n, &b| n * 10 + u64::from(b - b'0')))
}

fn all_bytes(d: &[u8], want: u8, message: &'static str) -> Check {
    match d.iter().position(|&b| b != want) {
        Some(i) => at(message, i, 1),
        None => Ok(()),
    }
}

fn one_of(d: &[u8], allowed: &[&[u8]], message: &'static str) -> Check {
    if allowed.contains(&d) { Ok(()) } else { at(message, 0, d.len()) }
}

fn numeric_code(d: &[u8], known: fn(u16) -> bool, message: &'static str) -> Check {
    match number(d) {
        Some(n) if n <= u64::from(u16::MAX) && known(n as u16) => Ok(()),
        _ => at(message, 0, d.len()),
    }
}

fn bounded(d: &[u8], max: u64, message: &'static str) -> Check {
    match number(d) {
        Some(n) if n <= max => Ok(()),
        _ => at(message, 0, d.len()),
    }
}

/// GS1 mod-10 check digit over all but the last digit.
pub(crate) fn check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    b'0' + ((10 - sum % 10) % 10) as u8
}

/// Is the last digit the right GS1 check digit for the others?
pub(crate) fn has_valid_check_digit(d: &[u8]) -> bool {
    d.len() >= 2 && d.iter().all(u8::is_ascii_digit) && check_digit(&d[..d.len() - 1]) == d[d.len() - 1]
}

fn csum(d: &[u8]) -> Check {
    if d.is_empty() {
        return at("The data is too short for a check digit.", 0, 0);
    }
    if has_valid_check_digit(d) {
        Ok(())
    } else {
        at("The numeric check digit is incorrect.", d.len() - 1, 1)
    }
}

fn csumalpha(d: &[u8]) -> Check {
    const PRIMES: [u32; 23] =
        [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83];
    if d.len() < 2 {
        return at("The data is too short for a check character pair.", 0, d.len());
    }
    let body = &d[..d.len() - 2];
    if body.len() > PRIMES.len() {
        return at("The data is too long for a check character pair.", 0, d.len());
    }
    let mut sum = 0u32;
    for (i, &b) in body.iter().enumerate() {
        let Some(v) = CSET82.iter().position(|&c| c == b) else {
            return at("A non-CSET 82 character was found where a CSET 82 character is expected.", i, 1);
        };
        sum += v as u32 * PRIMES[body.len() - 1 - i];
    }
    sum %= 1021;
    let want = [CSUM_ALPHA[(sum >> 5) as usize], CSUM_ALPHA[(sum & 31) as usize]];
    if d[d.len() - 2..] == want {
        Ok(())
    } else {
        at("The alphanumeric check characters are incorrect.", d.len() - 2, 2)
    }
}

/// A GS1 Company Prefix starts at `pos`: it needs at least four digits there.
fn gcp(d: &[u8], pos: usize) -> Check {
    let rest = d.get(pos..).unwrap_or(&[]);
    if let Some(i) = rest.iter().take(4).position(|b| !b.is_ascii_digit()) {
        return at("The GS1 Company Prefix is invalid.", pos + i, 1);
    }
    if rest.len() < 4 {
        return at("The GS1 Company Prefix is too short.", pos, rest.len());
    }
    Ok(())
}

fn two(d: &[u8], at_: usize) -> Option<u32> {
    let pair = d.get(at_..at_ + 2)?;
    number(pair).map(|n| n as u32)
}

pub(super) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn check_date(d: &[u8], year: u32, m_at: usize, day_zero_ok: bool) -> Check {
    let Some(month) = two(d, m_at) else {
        return at("The date is not numeric.", 0, d.len());
    };
    if !(1..=12).contains(&month) {
        return at("The date contains an illegal month of the year.", m_at, 2);
    }
    let Some(day) = two(d, m_at + 2) else {
        return at("The date is not numeric.", 0, d.len());
    };
    if (day == 0 && !day_zero_ok) || day > days_in_month(year, month) {
        return at("The date contains an illegal day of the month.", m_at + 2, 2);
    }
    Ok(())
}

fn date6(d: &[u8], day_zero_ok: bool) -> Check {
    if d.len() != 6 {
        return at("The date must be six digits.", 0, d.len());
    }
    let Some(yy) = two(d, 0) else {
        return at("The date is not numeric.", 0, d.len());
    };
    // YY is within 2000-2099 or 1951-1999 (GS1's sliding window); both agree
    // on leap years except 2000 itself, which is one.
    check_date(d, 2000 + yy, 2, day_zero_ok)
}

fn date8(d: &[u8]) -> Check {
    if d.len() != 8 {
        return at("The date must be eight digits.", 0, d.len());
    }
    let Some(year) = number(&d[..4]) else {
        return at("The date is not numeric.", 0, d.len());
    };
    check_date(d, year as u32, 4, false)
}

fn hour(d: &[u8], pos: usize) -> Check {
    match two(d, pos) {
        Some(h) if h <= 23 => Ok(()),
        _ => at("The time contains an illegal hour.", pos, 2.min(d.len().saturating_sub(pos))),
    }
}

fn minute(d: &[u8], pos: usize) -> Check {
    match two(d, pos) {
        Some(m) if m <= 59 => Ok(()),
        _ => at("The time contains an illegal minute.", pos, 2.min(d.len().saturating_sub(pos))),
    }
}

fn second(d: &[u8]) -> Check {
    match two(d, 0) {
        Some(s) if s <= 59 => Ok(()),
        _ => at("The time contains an illegal second.", 0, d.len().min(2)),
    }
}

fn pcenc(d: &[u8]) -> Check {
    let mut i = 0;
    while i < d.len() {
        if d[i] == b'%' {
            let ok = d.len() >= i + 3 && d[i + 1].is_ascii_hexdigit() && d[i + 2].is_ascii_hexdigit();
            if !ok {
                return at("Invalid percent-encoded sequence.", i, (d.len() - i).min(3));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

fn pieceoftotal(d: &[u8]) -> Check {
    if !d.len().is_multiple_of(2) || d.is_empty() {
        return at("The piece number and total must be the same length.", 0, d.len());
    }
    let half = d.len() / 2;
    let (Some(piece), Some(total)) = (number(&d[..half]), number(&d[half..])) else {
        return at("The piece number or total is not numeric.", 0, d.len());
    };
    if piece == 0 {
        return at("The piece number must not be zero.", 0, half);
    }
    if total == 0 {
        return at("The total number of pieces must not be zero.", half, half);
    }
    if piece > total {
        return at("The piece number exceeds the total number of pieces.", 0, d.len());
    }
    Ok(())
}

fn posinseqslash(d: &[u8]) -> Check {
    let Some(slash) = d.iter().position(|&b| b == b'/') else {
        return at("The position in sequence must have the form N/N.", 0, d.len());
    };
    let (pos, total) = (&d[..slash], &d[slash + 1..]);
    let valid = |part: &[u8]| !part.is_empty() && part[0] != b'0' && part.iter().all(u8::is_ascii_digit);
    if !valid(pos) {
        return at("The position in the sequence is invalid.", 0, slash);
    }
    if !valid(total) {
        return at("The sequence total is invalid.", slash + 1, total.len());
    }
    if number(pos) > number(total) {
        return at("The position exceeds the end of the sequence.", 0, d.len());
    }
    Ok(())
}

fn iban(d: &[u8]) -> Check {
    if d.len() < 5 {
        return at("The IBAN is too short.", 0, d.len());
    }
    if let Some(i) = d[..2].iter().position(|b| !b.is_ascii_uppercase()) {
        return at("The IBAN must start with a country code.", i, 1);
    }
    let country = std::str::from_utf8(&d[..2]).unwrap_or("");
    if !codes::is_iso3166_alpha2(country) {
        return at("The IBAN country code is unknown.", 0, 2);
    }
    if let Some(i) = d[2..4].iter().position(|b| !b.is_ascii_digit()) {
        return at("The IBAN check digits must be numeric.", 2 + i, 1);
    }
    if let Some(i) = d[4..].iter().position(|b| !(b.is_ascii_digit() || b.is_ascii_uppercase())) {
        return at("The IBAN contains an invalid character.", 4 + i, 1);
    }
    // ISO 7064 MOD 97-10 over BBAN + country + check digits, letters as 10..35.
    let mut rem = 0u32;
    for &b in d[4..].iter().chain(&d[..4]) {
        let v = if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    if rem == 1 { Ok(()) } else { at("The IBAN check digits are incorrect.", 2, 2) }
}

/// A cursor over a North American coupon's digit fields.
struct Fields<'a> {
    d: &'a [u8],
    pos: usize,
}

impl Fields<'_> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<u64, Finding> {
        let Some(field) = self.d.get(self.pos..self.pos + n) else {
            return at(what, self.pos, self.d.len() - self.pos).map(|()| 0);
        };
        let Some(v) = number(field).or((n == 0).then_some(0)) else {
            return at("The coupon data must be numeric.", self.pos, n).map(|()| 0);
        };
        self.pos += n;
        Ok(v)
    }

    /// A variable-length-indicator digit in `vli`, then `vli + add` digits.
    fn vli(&mut self, vli: std::ops::RangeInclusive<u64>, add: usize, what: &'static str) -> Check {
        let start = self.pos;
        let n = self.take(1, what)?;
        if !vli.contains(&n) {
            return at(what, start, 1);
        }
        self.take(n as usize + add, what).map(drop)
    }

    fn code(&mut self, allowed: &[u64], what: &'static str) -> Check {
        let start = self.pos;
        let v = self.take(1, what)?;
        if allowed.contains(&v) { Ok(()) } else { at(what, start, 1) }
    }

    fn date(&mut self, what: &'static str) -> Check {
        let start = self.pos;
        self.take(6, what)?;
        date6(&self.d[start..start + 6], false).map_err(|f| Finding { start: start + f.start, ..f })
    }

    fn done(&self) -> bool {
        self.pos >= self.d.len()
    }
}

/// AI (8110): North American coupon code (GS1 US coupon specification).
fn coupon_code(d: &[u8]) -> Check {
    let mut f = Fields { d, pos: 0 };
    f.vli(0..=6, 6, "The coupon's GS1 Company Prefix is invalid.")?;
    f.take(6, "The coupon's offer code is missing.")?;
    f.vli(1..=5, 0, "The coupon's save value is invalid.")?;
    f.vli(1..=5, 0, "The coupon's primary purchase requirement is invalid.")?;
    f.code(&[0, 1, 2, 3, 4, 9], "The coupon's primary purchase requirement code is invalid.")?;
    f.take(3, "The coupon's primary purchase family code is missing.")?;
    let mut last = 0;
    while !f.done() {
        let start = f.pos;
        let id = f.take(1, "The coupon's optional field is missing.")?;
        if id <= last {
            return at("The coupon's optional fields are out of order.", start, 1);
        }
        last = id;
        match id {
            1 => {
                f.code(&[0, 1, 2, 3], "The coupon's additional purchase rules code is invalid.")?;
                f.vli(1..=5, 0, "The coupon's second purchase requirement is invalid.")?;
                f.code(&[0, 1, 2, 3, 4, 9], "The coupon's second purchase requirement code is invalid.")?;
                f.take(3, "The coupon's second purchase family code is missing.")?;
                f.vli(0..=6, 6, "The coupon's second GS1 Company Prefix is invalid.").or_else(|e| {
                    if d.get(e.start) == Some(&b'9') { f.take(1, "").map(drop) } else { Err(e) }
                })?;
            }
            2 => {
                f.vli(1..=5, 0, "The coupon's third purchase requirement is invalid.")?;
                f.code(&[0, 1, 2, 3, 4, 9], "The coupon's third purchase requirement code is invalid.")?;
                f.take(3, "The coupon's third purchase family code is missing.")?;
                f.vli(0..=6, 6, "The coupon's third GS1 Company Prefix is invalid.").or_else(|e| {
                    if d.get(e.start) == Some(&b'9') { f.take(1, "").map(drop) } else { Err(e) }
                })?;
            }
            3 => f.date("The coupon's expiration date is invalid.")?,
            4 => f.date("The coupon's start date is invalid.")?,
            5 => f.vli(0..=9, 6, "The coupon's serial number is invalid.")?,
            6 => f.vli(1..=7, 6, "The coupon's retailer identification is invalid.")?,
            9 => {
                f.code(&[0, 1, 2, 5, 6], "The coupon's save value code is invalid.")?;
                f.code(&[0, 1, 2], "The coupon's save value applies-to-item code is invalid.")?;
                f.take(1, "The coupon's store coupon flag is missing.")?;
                f.code(&[0, 1], "The coupon's don't-multiply flag is invalid.")?;
            }
            _ => return at("The coupon's optional field identifier is unknown.", start, 1),
        }
    }
    Ok(())
}

/// AI (8112): paperless coupon code for point-of-sale offers.
fn coupon_pos_offer(d: &[u8]) -> Check {
    let mut f = Fields { d, pos: 0 };
    f.code(&[0, 1], "The coupon format is invalid.")?;
    f.vli(0..=6, 6, "The coupon funder's identification is invalid.")?;
    f.take(6, "The coupon's offer code is missing.")?;
    f.vli(0..=9, 6, "The coupon's serial number is invalid.")?;
    if f.done() { Ok(()) } else { at("The coupon contains excess data.", f.pos, d.len() - f.pos) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(linter: Linter, data: &str) -> Option<(usize, usize)> {
        lint(linter, data.as_bytes()).err().map(|f| (f.start, f.len))
    }

    #[test]
    fn linters_accept_and_reject() {
        type Case = (Linter, &'static str, Option<(usize, usize)>);
        let cases: &[Case] = &[
            (Linter::Csum, "08934348743997", None),
            (Linter::Csum, "08934348743998", Some((13, 1))),
            (Linter::Yymmd0, "250200", None),
            (Linter::Yymmdd, "250200", Some((4, 2))),
            (Linter::Yymmd0, "261327", Some((2, 2))),
            (Linter::Yymmd0, "250229", Some((4, 2))),
            (Linter::Yymmd0, "240229", None),
            (Linter::Yyyymmdd, "19000229", Some((6, 2))),
            (Linter::Yyyymmdd, "20000229", None),
            (Linter::Hhmi, "2359", None),
            (Linter::Hhmi, "2400", Some((0, 2))),
            (Linter::Hhmi, "2360", Some((2, 2))),
            (Linter::Gcppos1, "8931234AB", None),
            (Linter::Gcppos1, "893ABC", Some((3, 1))),
            (Linter::Gcppos2, "089312", None),
            (Linter::Nozeroprefix, "0123", Some((0, 1))),
            (Linter::Nozeroprefix, "0", None),
            (Linter::Iso3166, "704", None),
            (Linter::Iso3166, "000", Some((0, 3))),
            (Linter::Iso3166999, "999", None),
            (Linter::Iso4217, "704", None),
            (Linter::Pcenc, "A%20B", None),
            (Linter::Pcenc, "A%2", Some((1, 2))),
            (Linter::Pieceoftotal, "0102", None),
            (Linter::Pieceoftotal, "0301", Some((0, 4))),
            (Linter::Posinseqslash, "1/2", None),
            (Linter::Posinseqslash, "3/2", Some((0, 3))),
            (Linter::Iban, "GB82WEST12345698765432", None),
            (Linter::Iban, "GB83WEST12345698765432", Some((2, 2))),
            (Linter::Csumalpha, "1987654Ad4X4bL5ttr2310c2K", None),
            (Linter::Csumalpha, "1987654Ad4X4bL5ttr2310c2L", Some((23, 2))),
            (Linter::Latitude, "1800000000", None),
            (Linter::Latitude, "1800000001", Some((0, 10))),
            (Linter::Couponcode, "006141412345615110123", None),
            (Linter::Couponcode, "0061414123456151101233251231", None),
            (Linter::Couponcode, "0061414123456151101233251331", Some((24, 2))),
            (Linter::Couponposoffer, "106141411234560654321", None),
        ];
        for (linter, data, want) in cases {
            assert_eq!(check(*linter, data), *want, "{linter:?} on {data:?}");
        }
    }

    #[test]
    fn check_digits() {
        assert_eq!(check_digit(b"893434874399"), b'7');
        assert!(has_valid_check_digit(b"8934348743997"));
        assert!(!has_valid_check_digit(b"8934348743998"));
    }

    #[test]
    fn csets() {
        assert!(cset(Cset::Cset82, b"AB-12_/.").is_ok());
        assert_eq!(cset(Cset::Cset82, b"AB#12").unwrap_err().start, 2);
        assert_eq!(cset(Cset::Cset39, b"AB_C").unwrap_err().start, 2);
        assert_eq!(cset(Cset::Numeric, b"12a").unwrap_err().start, 2);
        assert!(cset(Cset::Cset64, b"AbC-_9").is_ok());
    }
}
