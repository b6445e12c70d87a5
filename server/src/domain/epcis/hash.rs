//! The CBV 2.0 canonical event hash (`ni:///sha-256;…?ver=CBV2.0`), used as
//! the duplicate key of captured events and as the `eventID` of an event
//! that came without one.
//!
//! The pre-hash string follows the CBV 2.0 rules as summarised in
//! `docs/design/epcis.md` §3: fields in the standard order, each list's
//! entries sorted, identifiers as canonical Digital Links, CBV words as
//! their `https://ref.gs1.org/cbv/` URIs, times in UTC with milliseconds,
//! extensions as `{namespace}name=value`, and `eventID`, `recordTime`,
//! `errorDeclaration` and `certificationInfo` left out. GS1's reference
//! test vectors are not in `../shared`, so equality with other systems'
//! hashes is not checked here; what the tests hold is that the hash ignores
//! what must not count (order, whitespace, identifier spelling, record
//! time) and changes with everything else.
//!
//! Invariant: pure; the same event always gives the same hash.

use serde_json::Value;
use sha2::{Digest, Sha256};
use truyxuat_core::gs1::epc::canonical_id;

use super::utc_millis;

/// The standard fields in hash order, with how each is written.
const ORDER: &[(&str, Kind)] = &[
    ("eventTime", Kind::Time),
    ("eventTimeZoneOffset", Kind::Plain),
    ("epcList", Kind::Ids("epc")),
    ("parentID", Kind::Id),
    ("inputEPCList", Kind::Ids("epc")),
    ("childEPCs", Kind::Ids("epc")),
    ("quantityList", Kind::Quantities),
    ("childQuantityList", Kind::Quantities),
    ("inputQuantityList", Kind::Quantities),
    ("outputEPCList", Kind::Ids("epc")),
    ("outputQuantityList", Kind::Quantities),
    ("action", Kind::Plain),
    ("transformationID", Kind::Id),
    ("bizStep", Kind::Word("BizStep")),
    ("disposition", Kind::Word("Disp")),
    ("persistentDisposition", Kind::Persistent),
    ("readPoint", Kind::Place),
    ("bizLocation", Kind::Place),
    ("bizTransactionList", Kind::Typed("bizTransaction", "BTT")),
    ("sourceList", Kind::Typed("source", "SDT")),
    ("destinationList", Kind::Typed("destination", "SDT")),
    ("sensorElementList", Kind::Nested),
    ("ilmd", Kind::Nested),
];

/// Left out of the hash.
const EXCLUDED: &[&str] =
    &["type", "@context", "eventID", "recordTime", "errorDeclaration", "certificationInfo"];

#[derive(Clone, Copy)]
enum Kind {
    Plain,
    Time,
    Id,
    Ids(&'static str),
    Quantities,
    Word(&'static str),
    Persistent,
    Place,
    Typed(&'static str, &'static str),
    Nested,
}

/// `ni:///sha-256;<hex>?ver=CBV2.0` of `event`, whose document's JSON-LD
/// context is `context` (for extension namespaces).
pub fn event_hash(event: &Value, context: &Value) -> String {
    let digest = Sha256::digest(prehash(event, context).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("ni:///sha-256;{hex}?ver=CBV2.0")
}

/// The string the hash is taken of.
pub fn prehash(event: &Value, context: &Value) -> String {
    let ns = Namespaces::of(context, event.get("@context"));
    let mut out = format!("eventType={}", event.get("type").and_then(Value::as_str).unwrap_or(""));
    for (name, kind) in ORDER {
        if let Some(v) = event.get(*name) {
            out += &field(name, *kind, v, &ns);
        }
    }
    let mut extensions: Vec<String> = event
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !EXCLUDED.contains(&k.as_str()) && !ORDER.iter().any(|(n, _)| n == k))
        .map(|(k, v)| nested(&ns.expand(k), v, &ns))
        .collect();
    extensions.sort();
    out.extend(extensions);
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => number(n),
        other => other.to_string(),
    }
}

/// Numbers without trailing zeros: `200.0` is `200`.
fn number(n: &serde_json::Number) -> String {
    match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => i.to_string(),
        (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        (None, Some(f)) => format!("{f}"),
        _ => n.to_string(),
    }
}

fn id(v: &Value) -> String {
    canonical_id(&scalar(v))
}

fn sorted(mut parts: Vec<String>) -> String {
    parts.sort();
    parts.concat()
}

fn field(name: &str, kind: Kind, v: &Value, ns: &Namespaces) -> String {
    let list = || v.as_array().into_iter().flatten();
    match kind {
        Kind::Plain => format!("{name}={}", scalar(v)),
        Kind::Time => format!("{name}={}", utc_millis(&scalar(v)).unwrap_or_else(|| scalar(v))),
        Kind::Id => format!("{name}={}", id(v)),
        Kind::Ids(entry) => {
            format!("{name}{}", sorted(list().map(|e| format!("{entry}={}", id(e))).collect()))
        }
        Kind::Quantities => {
            let element = |q: &Value| {
                let mut s =
                    format!("quantityElementepcClass={}", q.get("epcClass").map(id).unwrap_or_default());
                if let Some(n) = q.get("quantity") {
                    s += &format!("quantity={}", scalar(n));
                }
                if let Some(u) = q.get("uom") {
                    s += &format!("uom={}", scalar(u));
                }
                s
            };
            format!("{name}{}", sorted(list().map(element).collect()))
        }
        Kind::Word(vocabulary) => format!("{name}={}", word(&scalar(v), vocabulary)),
        Kind::Persistent => {
            let part = |key: &str| -> Vec<String> {
                let values = v.get(key).and_then(Value::as_array).into_iter().flatten();
                values.map(|d| format!("{key}={}", word(&scalar(d), "Disp"))).collect()
            };
            format!("{name}{}{}", sorted(part("set")), sorted(part("unset")))
        }
        Kind::Place => {
            let mut s = format!("{name}id={}", v.get("id").map(id).unwrap_or_default());
            let extensions: Vec<String> = v
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| k.as_str() != "id")
                .map(|(k, x)| nested(&ns.expand(k), x, ns))
                .collect();
            s += &sorted(extensions);
            s
        }
        Kind::Typed(entry, vocabulary) => {
            let element = |t: &Value| {
                let kind = t.get("type").map(|k| format!("type={}", word(&scalar(k), vocabulary)));
                let value = t.get(entry).map(|x| {
                    // Business transactions are URIs or plain references; places are IDs.
                    if entry == "bizTransaction" { scalar(x) } else { id(x) }
                });
                format!("{entry}{}={}", kind.unwrap_or_default(), value.unwrap_or_default())
            };
            format!("{name}{}", sorted(list().map(element).collect()))
        }
        Kind::Nested => nested(name, v, ns),
    }
}

/// A CBV word as its web URI; other values (URIs, extensions) as written.
fn word(value: &str, vocabulary: &str) -> String {
    let bare = super::cbv_word(value, vocabulary);
    if bare.contains(':') { bare } else { format!("https://ref.gs1.org/cbv/{vocabulary}-{bare}") }
}

/// An object as its name then its sorted children; an array as one entry
/// per item; a scalar as `name=value` (times normalised).
fn nested(name: &str, v: &Value, ns: &Namespaces) -> String {
    match v {
        Value::Object(map) => {
            format!("{name}{}", sorted(map.iter().map(|(k, x)| nested(&ns.expand(k), x, ns)).collect()))
        }
        Value::Array(items) => sorted(items.iter().map(|x| nested(name, x, ns)).collect()),
        other => {
            let s = scalar(other);
            let s = if name.to_ascii_lowercase().contains("time") { utc_millis(&s).unwrap_or(s) } else { s };
            format!("{name}={s}")
        }
    }
}

/// Prefix bindings of a JSON-LD context (the document's, then the event's).
struct Namespaces(Vec<(String, String)>);

impl Namespaces {
    fn of(document: &Value, event: Option<&Value>) -> Namespaces {
        let mut out = Vec::new();
        for ctx in [Some(document), event].into_iter().flatten() {
            let items: Vec<&Value> = match ctx {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for item in items {
                for (prefix, iri) in item.as_object().into_iter().flatten() {
                    let iri = iri.as_str().or_else(|| iri.get("@id").and_then(Value::as_str));
                    if let Some(iri) = iri {
                        out.retain(|(p, _): &(String, String)| p != prefix);
                        out.push((prefix.clone(), iri.to_owned()));
                    }
                }
            }
        }
        Namespaces(out)
    }

    /// `prefix:local` as `{namespace}local`; other names as they are.
    fn expand(&self, key: &str) -> String {
        if let Some((prefix, local)) = key.split_once(':')
            && let Some((_, iri)) = self.0.iter().find(|(p, _)| p == prefix)
        {
            return format!("{{{iri}}}{local}");
        }
        key.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn shipping() -> Value {
        json!({
            "type": "ObjectEvent",
            "eventTime": "2026-11-20T08:00:00+07:00",
            "eventTimeZoneOffset": "+07:00",
            "epcList": ["urn:epc:id:sgtin:8936120.010011.42", "https://id.gs1.org/01/08936120100110/21/41"],
            "action": "OBSERVE",
            "bizStep": "shipping",
            "disposition": "in_transit",
            "readPoint": {"id": "urn:epc:id:sgln:8936120.00001.0"},
            "example:temperature": 4.0,
        })
    }

    fn ctx() -> Value {
        json!([super::super::CONTEXT_URL, {"example": "http://ns.example.com/epcis/"}])
    }

    #[test]
    fn what_does_not_count_does_not_change_the_hash() {
        let base = event_hash(&shipping(), &ctx());
        assert!(base.starts_with("ni:///sha-256;") && base.ends_with("?ver=CBV2.0"), "{base}");
        let mut same = shipping();
        same["epcList"] = json!([
            "https://id.gs1.org/01/08936120100110/21/41",
            "https://id.gs1.org/01/08936120100110/21/42"
        ]);
        same["bizStep"] = json!("https://ref.gs1.org/cbv/BizStep-shipping");
        same["disposition"] = json!("urn:epcglobal:cbv:disp:in_transit");
        same["readPoint"] = json!({"id": "https://id.gs1.org/414/8936120000014"});
        same["eventTime"] = json!("2026-11-20T01:00:00.000Z");
        same["example:temperature"] = json!(4);
        same["eventID"] = json!("urn:uuid:6f0d5c4e-0000-4000-8000-000000000000");
        same["recordTime"] = json!("2026-11-21T00:00:00Z");
        same["errorDeclaration"] = json!({"declarationTime": "2026-11-22T00:00:00Z"});
        assert_eq!(event_hash(&same, &ctx()), base);
        // The same extension under another prefix for the same namespace.
        let mut renamed = shipping();
        let t = renamed.as_object_mut().unwrap().remove("example:temperature").unwrap();
        renamed["ex:temperature"] = t;
        assert_eq!(event_hash(&renamed, &json!([{"ex": "http://ns.example.com/epcis/"}])), base);
    }

    #[test]
    fn everything_else_does() {
        let base = event_hash(&shipping(), &ctx());
        for (key, value) in [
            ("eventTime", json!("2026-11-20T08:00:01+07:00")),
            ("epcList", json!(["urn:epc:id:sgtin:8936120.010011.42"])),
            ("action", json!("ADD")),
            ("bizStep", json!("receiving")),
            ("disposition", json!("in_progress")),
            ("readPoint", json!({"id": "urn:epc:id:sgln:8936120.00002.0"})),
            ("example:temperature", json!(4.5)),
            ("example:humidity", json!(80)),
        ] {
            let mut changed = shipping();
            changed[key] = value;
            assert_ne!(event_hash(&changed, &ctx()), base, "{key}");
        }
        let other_namespace = json!([{"example": "https://ns.example.com/epcis"}]);
        assert_ne!(event_hash(&shipping(), &other_namespace), base, "an extension is its namespace's");
    }
}
