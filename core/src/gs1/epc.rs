//! EPC URIs (TDS 2.x pure identities, classes and patterns, as EPCIS events
//! carry them) into GS1 Digital Link form on `https://id.gs1.org`, so that
//! one item written either way is one identifier.
//!
//! This direction needs no GS1 Company Prefix length: the URI's first
//! component is the company prefix and the key is rebuilt around it with its
//! check digit. Only the schemes traceability uses are converted (sgtin,
//! lgtin, sscc, sgln, pgln, grai, giai, gdti, and sgtin/lgtin patterns);
//! anything else is kept as written.

use super::check_digit;

const STEM: &str = "https://id.gs1.org";

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A key from an indicator/extension digit, the company prefix and the
/// rest, with its check digit appended.
fn key(first: &str, company: &str, rest: &str) -> Option<String> {
    let body = format!("{first}{company}{rest}");
    digits(&body).then(|| check_digit(&body).map(|c| format!("{body}{c}")))?
}

/// `CP.IR` → GTIN-14 (the indicator is the item reference's first digit).
fn gtin(company: &str, item: &str) -> Option<String> {
    let (indicator, rest) = item.split_at_checked(1)?;
    key(indicator, company, rest).filter(|g| g.len() == 14)
}

/// The Digital Link URI of an EPC URI, or `None` when it is not one this
/// module converts. Serials and lots are percent-encoded as Digital Link
/// wants (they are already URI-safe in an EPC URI, `%` escapes kept).
pub fn to_digital_link(uri: &str) -> Option<String> {
    let (scheme, value) = uri
        .strip_prefix("urn:epc:id:")
        .map(|rest| ("id", rest))
        .or_else(|| uri.strip_prefix("urn:epc:class:").map(|rest| ("class", rest)))
        .or_else(|| uri.strip_prefix("urn:epc:idpat:").map(|rest| ("idpat", rest)))?;
    let (kind, body) = value.split_once(':')?;
    let parts: Vec<&str> = body.split('.').collect();
    let dl = match (scheme, kind, parts.as_slice()) {
        ("id", "sgtin", [cp, ir, serial]) => format!("{STEM}/01/{}/21/{serial}", gtin(cp, ir)?),
        ("class", "lgtin", [cp, ir, lot]) => format!("{STEM}/01/{}/10/{lot}", gtin(cp, ir)?),
        ("idpat", "sgtin" | "lgtin", [cp, ir, "*"]) => format!("{STEM}/01/{}", gtin(cp, ir)?),
        ("id", "sscc", [cp, sr]) => {
            let (extension, rest) = sr.split_at_checked(1)?;
            format!("{STEM}/00/{}", key(extension, cp, rest).filter(|k| k.len() == 18)?)
        }
        ("id", "sgln", [cp, loc, ext]) => {
            let gln = key("", cp, loc).filter(|k| k.len() == 13)?;
            match *ext {
                "0" | "" => format!("{STEM}/414/{gln}"),
                e => format!("{STEM}/414/{gln}/254/{e}"),
            }
        }
        ("id", "pgln", [cp, party]) => {
            format!("{STEM}/417/{}", key("", cp, party).filter(|k| k.len() == 13)?)
        }
        ("id", "grai", [cp, asset, serial]) => {
            format!("{STEM}/8003/0{}{serial}", key("", cp, asset).filter(|k| k.len() == 13)?)
        }
        ("id", "giai", [cp, asset]) => format!("{STEM}/8004/{cp}{asset}"),
        ("id", "gdti", [cp, doc, serial]) => {
            format!("{STEM}/253/{}{serial}", key("", cp, doc).filter(|k| k.len() == 13)?)
        }
        _ => return None,
    };
    Some(dl)
}

/// The identifier events are indexed and matched by: its Digital Link form
/// when it has one, the Digital Link on `id.gs1.org` when it is one on
/// another host, else the URI as written.
pub fn canonical_id(uri: &str) -> String {
    if let Some(dl) = to_digital_link(uri) {
        return dl;
    }
    if let Some(rest) = uri.strip_prefix("https://").or_else(|| uri.strip_prefix("http://"))
        && let Some((_, path)) = rest.split_once('/')
        && ["01", "00", "414", "417", "8003", "8004", "253"].contains(&path.split('/').next().unwrap_or(""))
    {
        return format!("{STEM}/{}", path.split(['?', '#']).next().unwrap_or(path));
    }
    uri.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epc_uris_become_digital_links() {
        for (uri, dl) in [
            // TDS examples' shapes; the check digits computed.
            ("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"),
            ("urn:epc:id:sgtin:8936120.010011.A%2F7", "https://id.gs1.org/01/08936120100110/21/A%2F7"),
            ("urn:epc:class:lgtin:4012345.012345.998877", "https://id.gs1.org/01/04012345123456/10/998877"),
            ("urn:epc:idpat:sgtin:4012345.098765.*", "https://id.gs1.org/01/04012345987652"),
            ("urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908"),
            ("urn:epc:id:sgln:0614141.07346.1234", "https://id.gs1.org/414/0614141073467/254/1234"),
            ("urn:epc:id:sgln:8936120.00001.0", "https://id.gs1.org/414/8936120000014"),
            ("urn:epc:id:pgln:0614141.00002", "https://id.gs1.org/417/0614141000029"),
        ] {
            assert_eq!(to_digital_link(uri).as_deref(), Some(dl), "{uri}");
            assert_eq!(canonical_id(uri), dl);
        }
        for other in
            ["urn:epc:id:sgtin:0614141.107346", "urn:epc:id:sgtin:061414x.107346.1", "geo:21.0,105.8", "x"]
        {
            assert_eq!(to_digital_link(other), None, "{other}");
            assert_eq!(canonical_id(other), other);
        }
        assert_eq!(
            canonical_id("https://example.com/01/10614141073464/21/2017?17=261231"),
            "https://id.gs1.org/01/10614141073464/21/2017"
        );
    }
}
