//! Identifiers as EPCIS events carry them, in one canonical form: EPC URIs
//! (TDS 2.x pure identities, classes and patterns) and GS1 Digital Links on
//! any host (with a path prefix, or the deprecated convenience alphas such
//! as `/gtin/`) become the canonical GS1 Digital Link on `https://id.gs1.org`
//! (primary key and key qualifiers, no data attributes), so that one item
//! written either way is one identifier; the CBV 2.0 event hash and the
//! event index both use it.
//!
//! The EPC direction needs no GS1 Company Prefix length: the URI's first
//! component is the company prefix and the key is rebuilt around it with
//! its check digit. Values escaped in the EPC URI (`%2F` …) are unescaped,
//! then percent-encoded as a Digital Link path segment is.

use percent_encoding::percent_decode_str;

use super::check_digit;

const STEM: &str = "https://id.gs1.org";

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// An EPC URI component as a Digital Link path segment of a canonical
/// identifier (see [`identifier_form`]).
fn segment(escaped: &str) -> Option<String> {
    let raw = percent_decode_str(escaped).decode_utf8().ok()?;
    Some(identifier_form(&super::dl::enc(&raw)))
}

/// A Digital Link path as identifiers are written in EPCIS's canonical
/// form (the CBV 2.0 event hash): percent-encoded as the Digital Link
/// generator does, but with `!`, `'`, `(`, `)` and `*` bare, as RFC 3986
/// allows in a path segment and the reference vectors write them.
fn identifier_form(path: &str) -> String {
    path.replace("%21", "!").replace("%27", "'").replace("%28", "(").replace("%29", ")").replace("%2A", "*")
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

/// `CP.ref` → a 13-digit key with its check digit (GLN, GRAI, GDTI, GCN).
fn key13(company: &str, reference: &str) -> Option<String> {
    key("", company, reference).filter(|k| k.len() == 13)
}

/// The Digital Link URI of an EPC URI, or `None` when it is not one (or
/// names no GS1 key: `gid`, `usdod`, `adi`, `bic`, `imovn`).
pub fn to_digital_link(uri: &str) -> Option<String> {
    let (scheme, value) = uri
        .strip_prefix("urn:epc:id:")
        .map(|rest| ("id", rest))
        .or_else(|| uri.strip_prefix("urn:epc:class:").map(|rest| ("class", rest)))
        .or_else(|| uri.strip_prefix("urn:epc:idpat:").map(|rest| ("idpat", rest)))?;
    let (kind, body) = value.split_once(':')?;
    let parts: Vec<&str> = body.split('.').collect();
    let path = match (scheme, kind, parts.as_slice()) {
        ("id", "sgtin", [cp, ir, serial]) => format!("01/{}/21/{}", gtin(cp, ir)?, segment(serial)?),
        ("class", "lgtin", [cp, ir, lot]) => format!("01/{}/10/{}", gtin(cp, ir)?, segment(lot)?),
        ("idpat", "sgtin", [cp, ir, "*"]) => format!("01/{}", gtin(cp, ir)?),
        ("id", "sscc", [cp, sr]) => {
            let (extension, rest) = sr.split_at_checked(1)?;
            format!("00/{}", key(extension, cp, rest).filter(|k| k.len() == 18)?)
        }
        ("id", "sgln", [cp, loc, ext]) => match *ext {
            "0" | "" => format!("414/{}", key13(cp, loc)?),
            e => format!("414/{}/254/{}", key13(cp, loc)?, segment(e)?),
        },
        ("id", "pgln", [cp, party]) => format!("417/{}", key13(cp, party)?),
        ("id", "grai", [cp, asset, serial]) => format!("8003/0{}{}", key13(cp, asset)?, segment(serial)?),
        ("idpat", "grai", [cp, asset, "*"]) => format!("8003/0{}", key13(cp, asset)?),
        ("id", "giai", [cp, asset]) => format!("8004/{cp}{}", segment(asset)?),
        ("id", "gsrn", [cp, service]) => {
            format!("8018/{}", key("", cp, service).filter(|k| k.len() == 18)?)
        }
        ("id", "gsrnp", [cp, service]) => {
            format!("8017/{}", key("", cp, service).filter(|k| k.len() == 18)?)
        }
        ("id", "gdti", [cp, doc, serial]) => format!("253/{}{}", key13(cp, doc)?, segment(serial)?),
        ("idpat", "gdti", [cp, doc, "*"]) => format!("253/{}", key13(cp, doc)?),
        ("id", "sgcn", [cp, coupon, serial]) => format!("255/{}{}", key13(cp, coupon)?, segment(serial)?),
        ("idpat", "sgcn", [cp, coupon, "*"]) => format!("255/{}", key13(cp, coupon)?),
        ("id", "cpi", [cp, part, serial]) => {
            format!("8010/{cp}{}/8011/{}", segment(part)?, segment(serial)?)
        }
        ("idpat", "cpi", [cp, part, "*"]) => format!("8010/{cp}{}", segment(part)?),
        ("id", "ginc", [cp, consignment]) => format!("401/{cp}{}", segment(consignment)?),
        ("id", "gsin", [cp, shipper]) => format!("402/{}", key("", cp, shipper).filter(|k| k.len() == 17)?),
        ("id", "itip", [cp, ir, piece, total, serial]) => {
            format!("8006/{}{piece}{total}/21/{}", gtin(cp, ir)?, segment(serial)?)
        }
        ("idpat", "itip", [cp, ir, piece, total, "*"]) => format!("8006/{}{piece}{total}", gtin(cp, ir)?),
        ("id", "upui", [cp, ir, tpx]) => format!("01/{}/235/{}", gtin(cp, ir)?, segment(tpx)?),
        _ => return None,
    };
    Some(format!("{STEM}/{path}"))
}

/// The AI of a deprecated convenience alpha (`/gtin/` …) of a Digital Link
/// path, as GS1 Digital Link 1.0 and 1.1 named them.
fn alpha_ai(segment: &str) -> Option<&'static str> {
    Some(match segment {
        "gtin" => "01",
        "itip" => "8006",
        "gmn" => "8013",
        "cpid" => "8010",
        "shipTo" => "410",
        "billTo" => "411",
        "purchasedFrom" => "412",
        "shipFor" => "413",
        "gln" => "414",
        "payTo" => "415",
        "glnProd" => "416",
        "party" => "417",
        "gsrnp" => "8017",
        "gsrn" => "8018",
        "gcn" => "255",
        "sscc" => "00",
        "gdti" => "253",
        "ginc" => "401",
        "gsin" => "402",
        "grai" => "8003",
        "giai" => "8004",
        "cpv" => "22",
        "lot" => "10",
        "ser" => "21",
        "glnx" => "254",
        "cpsn" => "8011",
        "srin" => "8019",
        "tpx" => "235",
        _ => return None,
    })
}

/// A Digital Link on any host (any path prefix, convenience alphas too) as
/// its canonical form on `id.gs1.org`, primary key and key qualifiers only.
fn canonical_digital_link(uri: &str) -> Option<String> {
    if !super::dl::looks_like_uri(uri) {
        return None;
    }
    let without_query = uri.split(['?', '#']).next().unwrap_or(uri);
    let (scheme, rest) = without_query.split_once("://")?;
    let (host, path) = rest.split_once('/')?;
    let path: Vec<String> =
        path.split('/').map(|s| alpha_ai(s).map(str::to_owned).unwrap_or_else(|| s.to_owned())).collect();
    let numeric = format!("{scheme}://{host}/{}", path.join("/"));
    let opts = super::Options { permit_zero_suppressed_gtin: true, ..super::Options::default() };
    let msg = super::dl::parse(&numeric, &opts).ok()?;
    let dl = msg.digital_link(STEM).ok()?;
    Some(identifier_form(dl.split('?').next().unwrap_or(&dl)))
}

/// The identifier events are indexed, matched and hashed by: its canonical
/// Digital Link when it has one (from an EPC URI, or a Digital Link on any
/// host), else the URI as written.
pub fn canonical_id(uri: &str) -> String {
    let uri = lowercase_epc_prefix(uri);
    to_digital_link(&uri).or_else(|| canonical_digital_link(&uri)).unwrap_or_else(|| uri.into_owned())
}

/// `URN:EPC:ID:SGLN:…` as `urn:epc:id:sgln:…`: the URN's scheme and
/// namespace are case-insensitive (RFC 8141), and the EPC scheme names are
/// written in lower case only (TDS); an upper-case spelling of a place
/// must not pass for another place. The identifier's own part keeps its case.
fn lowercase_epc_prefix(uri: &str) -> std::borrow::Cow<'_, str> {
    // (`get`: the text may hold multi-byte characters anywhere.)
    let Some(prefix) = uri.get(..8).filter(|p| p.eq_ignore_ascii_case("urn:epc:")) else {
        return std::borrow::Cow::Borrowed(uri);
    };
    let kind_and_scheme_lower =
        uri[8..].split(':').take(2).all(|p| !p.bytes().any(|b| b.is_ascii_uppercase()));
    if prefix == "urn:epc:" && kind_and_scheme_lower {
        return std::borrow::Cow::Borrowed(uri);
    }
    // urn:epc:<kind>:<scheme>: lower-cased, the rest as written.
    let mut parts = uri.splitn(5, ':');
    let head: Vec<String> = parts.by_ref().take(4).map(str::to_ascii_lowercase).collect();
    match parts.next() {
        Some(rest) => std::borrow::Cow::Owned(format!("{}:{rest}", head.join(":"))),
        None => std::borrow::Cow::Owned(head.join(":")),
    }
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
            ("urn:epc:id:grai:4012345.66666.87", "https://id.gs1.org/8003/0401234566666387"),
            ("urn:epc:id:giai:4012345.AAbb", "https://id.gs1.org/8004/4012345AAbb"),
            ("urn:epc:id:gsrn:4012345.9876540000", "https://id.gs1.org/8018/401234598765400000"),
            ("urn:epc:id:gsrnp:4012345.0000098765", "https://id.gs1.org/8017/401234500000987658"),
            ("urn:epc:id:gdti:4012345.55555.98", "https://id.gs1.org/253/401234555555498"),
            ("urn:epc:id:cpi:4012345.ABC.123", "https://id.gs1.org/8010/4012345ABC/8011/123"),
            ("urn:epc:id:sgcn:4012345.99999.44", "https://id.gs1.org/255/401234599999044"),
            ("urn:epc:id:ginc:4012345.333", "https://id.gs1.org/401/4012345333"),
            ("urn:epc:id:gsin:4012345.999987654", "https://id.gs1.org/402/40123459999876541"),
            ("urn:epc:id:itip:4012345.012345.01.02.999", "https://id.gs1.org/8006/040123451234560102/21/999"),
            ("urn:epc:id:upui:4012345.012345.AB12", "https://id.gs1.org/01/04012345123456/235/AB12"),
            ("urn:epc:idpat:grai:4012345.66666.*", "https://id.gs1.org/8003/04012345666663"),
            ("urn:epc:idpat:itip:4012345.012345.01.02.*", "https://id.gs1.org/8006/040123451234560102"),
            (
                "urn:epc:id:sgtin:0614141.812345.6789%2F%26!()",
                "https://id.gs1.org/01/80614141123458/21/6789%2F%26!()",
            ),
        ] {
            assert_eq!(to_digital_link(uri).as_deref(), Some(dl), "{uri}");
            assert_eq!(canonical_id(uri), dl);
        }
        for other in [
            "urn:epc:id:sgtin:0614141.107346",
            "urn:epc:id:sgtin:061414x.107346.1",
            "urn:epc:id:gid:95100000.12345.400",
            "geo:21.0,105.8",
            "x",
        ] {
            assert_eq!(to_digital_link(other), None, "{other}");
            assert_eq!(canonical_id(other), other);
        }
    }

    #[test]
    fn upper_case_spellings_are_the_same_identifier() {
        for (spelled, canonical) in [
            ("URN:EPC:ID:SGLN:8936120.00001.0", "https://id.gs1.org/414/8936120000014"),
            ("urn:EPC:id:Sgln:8936120.00001.0", "https://id.gs1.org/414/8936120000014"),
            ("HTTPS://ID.GS1.ORG/414/8936120000014", "https://id.gs1.org/414/8936120000014"),
            ("URN:EPC:CLASS:LGTIN:4012345.012345.AbC", "https://id.gs1.org/01/04012345123456/10/AbC"),
        ] {
            assert_eq!(canonical_id(spelled), canonical, "{spelled}");
        }
        assert_eq!(canonical_id("urn:epc:id:giai:4012345.AAbb"), "https://id.gs1.org/8004/4012345AAbb");
        for text in ["Phân bón NPK 16-16-8", "urn:ép", "urn:epc", "", "ệệệệệệệệ"] {
            assert_eq!(canonical_id(text), text, "text that is no identifier stays as it is");
        }
    }

    #[test]
    fn digital_links_on_other_hosts_become_canonical() {
        for (uri, dl) in [
            (
                "https://example.com/01/10614141073464/21/2017?17=261231",
                "https://id.gs1.org/01/10614141073464/21/2017",
            ),
            ("https://id.gs1.de/414/4012345000115", "https://id.gs1.org/414/4012345000115"),
            ("https://id.example.com/253/4012345000054987", "https://id.gs1.org/253/4012345000054987"),
            (
                "https://brand.example/a/b/01/09780345418913/10/L1/21/S1",
                "https://id.gs1.org/01/09780345418913/10/L1/21/S1",
            ),
            ("https://id.gs1.org/gtin/09780345418913", "https://id.gs1.org/01/09780345418913"),
            (
                "https://example.com/gtin/09780345418913/21/765tz?abc=1",
                "https://id.gs1.org/01/09780345418913/21/765tz",
            ),
            (
                "https://id.gs1.org/01/08938617517746/21/SN%219",
                "https://id.gs1.org/01/08938617517746/21/SN!9",
            ),
        ] {
            assert_eq!(canonical_id(uri), dl, "{uri}");
        }
        // Not a Digital Link (no valid primary key): as written.
        for other in ["https://example.com/po/12345678", "https://id.gs1.org/01/10614141073465"] {
            assert_eq!(canonical_id(other), other);
        }
    }
}
