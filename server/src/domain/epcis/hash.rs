//! The CBV 2.0 canonical event hash (`ni:///sha-256;…?ver=CBV2.0`): the key
//! other systems deduplicate events on, our duplicate key for captured
//! events, and the `eventID` of an event that came without one.
//!
//! The pre-hash string (CBV 2.0 §8.9, as the reference implementation's
//! current vectors write it):
//! - `eventType=…`, then the standard fields in the standard order, each as
//!   `name=value`, or `name` and its parts for a structured field, the
//!   entries of a list sorted (`epcListepc=…epc=…`,
//!   `bizTransactionListtype=…bizTransaction=…`, `sensorElement…` per
//!   sensor element, with its metadata and reports in their own orders);
//! - then, sorted, what is not a standard field: user extensions
//!   (`{namespace}name=value`, nested as name then sorted children), `ilmd`,
//!   and the extensions found inside standard fields, under the field's
//!   name (`readPoint{ns}x=…`, `sensorElementsensorReport{ns}y=…`);
//! - values canonical: identifiers as canonical GS1 Digital Links, CBV and
//!   GS1 vocabulary words as their web URIs, times in UTC rounded to the
//!   millisecond, numbers without trailing zeros;
//! - left out: `eventID`, `recordTime`, `errorDeclaration`,
//!   `certificationInfo`, `@context` and `rdfs:comment`.
//!
//! Invariant: pure; the same event always gives the same hash.
//! `tests/conformance.rs` holds it to the reference vectors.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use truyxuat_core::gs1::epc::canonical_id;

/// How a standard field is written.
#[derive(Clone, Copy)]
enum Kind {
    /// `name=value`.
    Plain,
    /// `name=word` with the word's vocabulary (`BizStep`, `Disp`).
    Word(&'static str),
    /// `name` then `entry=id` per entry.
    Ids(&'static str),
    /// `name` then `quantityElementepcClass=…quantity=…uom=…` per entry.
    Quantities,
    /// `persistentDispositionset=…unset=…`.
    Persistent,
    /// `nameid=…`; other properties go to the trailing part.
    Place,
    /// `name` then `type=…entry=…` per entry.
    Typed(&'static str, &'static str),
    /// `sensorElement…` per element.
    Sensors,
    /// `name` and its sorted properties (instance/lot master data).
    Generic,
}

/// The standard fields in hash order.
const ORDER: &[(&str, Kind)] = &[
    ("eventTime", Kind::Plain),
    ("eventTimeZoneOffset", Kind::Plain),
    ("epcList", Kind::Ids("epc")),
    ("parentID", Kind::Plain),
    ("inputEPCList", Kind::Ids("epc")),
    ("childEPCs", Kind::Ids("epc")),
    ("quantityList", Kind::Quantities),
    ("childQuantityList", Kind::Quantities),
    ("inputQuantityList", Kind::Quantities),
    ("outputEPCList", Kind::Ids("epc")),
    ("outputQuantityList", Kind::Quantities),
    ("action", Kind::Plain),
    ("transformationID", Kind::Plain),
    ("bizStep", Kind::Word("BizStep")),
    ("disposition", Kind::Word("Disp")),
    ("persistentDisposition", Kind::Persistent),
    ("readPoint", Kind::Place),
    ("bizLocation", Kind::Place),
    ("bizTransactionList", Kind::Typed("bizTransaction", "BTT")),
    ("sourceList", Kind::Typed("source", "SDT")),
    ("destinationList", Kind::Typed("destination", "SDT")),
    ("sensorElementList", Kind::Sensors),
    ("ilmd", Kind::Generic),
];

/// Left out of the hash (after expanding prefixes).
const EXCLUDED: &[&str] = &[
    "type",
    "@context",
    "eventID",
    "recordTime",
    "errorDeclaration",
    "certificationInfo",
    "{http://www.w3.org/2000/01/rdf-schema#}comment",
];

/// A sensor element's metadata, and each of its reports, in hash order
/// (with the vocabulary of the words among them).
const METADATA: &[(&str, Option<Vocabulary>)] = &[
    ("time", None),
    ("startTime", None),
    ("endTime", None),
    ("deviceID", None),
    ("deviceMetadata", None),
    ("rawData", None),
    ("dataProcessingMethod", None),
    ("bizRules", None),
];
const REPORT: &[(&str, Option<Vocabulary>)] = &[
    ("type", Some(Vocabulary::Gs1Voc)),
    ("exception", Some(Vocabulary::Gs1Voc)),
    ("deviceID", None),
    ("deviceMetadata", None),
    ("rawData", None),
    ("dataProcessingMethod", None),
    ("time", None),
    ("microorganism", None),
    ("chemicalSubstance", None),
    ("value", None),
    ("component", Some(Vocabulary::Cbv("Comp"))),
    ("stringValue", None),
    ("booleanValue", None),
    ("hexBinaryValue", None),
    ("uriValue", None),
    ("minValue", None),
    ("maxValue", None),
    ("meanValue", None),
    ("sDev", None),
    ("percRank", None),
    ("percValue", None),
    ("uom", None),
    ("coordinateReferenceSystem", None),
];

/// Where a bare word of a field is defined.
#[derive(Clone, Copy)]
enum Vocabulary {
    /// `https://ref.gs1.org/cbv/<Vocabulary>-<word>`.
    Cbv(&'static str),
    /// `https://ref.gs1.org/voc/<word>` (measurement types, alarm conditions).
    Gs1Voc,
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
    // The extensions found inside standard fields, in the fields' order.
    let mut inside = Vec::new();
    for (name, kind) in ORDER {
        if let Some(v) = event.get(*name) {
            out += &standard(name, *kind, v, &ns, &mut inside);
        }
    }
    out.extend(inside);
    let mut extensions: Vec<String> = Vec::new();
    for (key, v) in event.as_object().into_iter().flatten() {
        let name = ns.expand(key);
        if !ORDER.iter().any(|(n, _)| n == key) && !EXCLUDED.contains(&name.as_str()) {
            extensions.push(generic(&name, v, &ns));
        }
    }
    extensions.sort();
    out.extend(extensions);
    out
}

fn standard(name: &str, kind: Kind, v: &Value, ns: &Namespaces, trailing: &mut Vec<String>) -> String {
    let list = || v.as_array().into_iter().flatten();
    match kind {
        Kind::Plain => format!("{name}={}", value(name, v)),
        Kind::Word(vocabulary) => format!("{name}={}", word(v, Vocabulary::Cbv(vocabulary))),
        Kind::Ids(entry) => {
            format!("{name}{}", sorted(list().map(|e| format!("{entry}={}", value(entry, e)))))
        }
        Kind::Quantities => {
            let element = |q: &Value| {
                let mut s = String::from("quantityElement");
                for field in ["epcClass", "quantity", "uom"] {
                    if let Some(x) = q.get(field) {
                        s += &format!("{field}={}", value(field, x));
                    }
                }
                extensions_of(
                    &format!("{name}quantityElement"),
                    q,
                    &["epcClass", "quantity", "uom"],
                    ns,
                    trailing,
                );
                s
            };
            format!("{name}{}", sorted(list().map(element)))
        }
        Kind::Persistent => {
            let part = |key: &str| {
                let values = v.get(key).and_then(Value::as_array).into_iter().flatten();
                sorted(values.map(|d| format!("{key}={}", word(d, Vocabulary::Cbv("Disp")))))
            };
            format!("{name}{}{}", part("set"), part("unset"))
        }
        Kind::Place => {
            extensions_of(name, v, &["id"], ns, trailing);
            match v.get("id") {
                Some(id) => format!("{name}id={}", value("id", id)),
                None => String::new(),
            }
        }
        Kind::Typed(entry, vocabulary) => {
            let element = |t: &Value| {
                let mut s = String::new();
                if let Some(k) = t.get("type") {
                    s += &format!("type={}", word(k, Vocabulary::Cbv(vocabulary)));
                }
                if let Some(x) = t.get(entry) {
                    s += &format!("{entry}={}", value(entry, x));
                }
                s
            };
            format!("{name}{}", sorted(list().map(element)))
        }
        Kind::Sensors => {
            let mut inside = Vec::new();
            let elements = sorted(list().map(|element| sensor_element(element, ns, &mut inside)));
            inside.sort();
            trailing.extend(inside);
            elements
        }
        Kind::Generic => generic(name, v, ns),
    }
}

/// `sensorElement`, its metadata and its sorted reports; their extensions
/// go to the trailing part as one `sensorElement…` entry.
fn sensor_element(element: &Value, ns: &Namespaces, trailing: &mut Vec<String>) -> String {
    let mut out = String::from("sensorElement");
    let mut extra = String::new();
    if let Some(meta) = element.get("sensorMetadata") {
        out += "sensorMetadata";
        out += &ordered(meta, METADATA);
        extra += &extensions_string("sensorMetadata", meta, METADATA, ns);
    }
    let reports = element.get("sensorReport").and_then(Value::as_array).into_iter().flatten();
    let (mut parts, mut exts): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for r in reports {
        parts.push(format!("sensorReport{}", ordered(r, REPORT)));
        let e = extensions_string("sensorReport", r, REPORT, ns);
        if !e.is_empty() {
            exts.push(e);
        }
    }
    out += &sorted(parts.into_iter());
    exts.sort();
    extra.extend(exts);
    let own: Vec<String> = element
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !["sensorMetadata", "sensorReport"].contains(&k.as_str()))
        .map(|(k, x)| generic(&ns.expand(k), x, ns))
        .collect();
    extra += &sorted(own.into_iter());
    if !extra.is_empty() {
        trailing.push(format!("sensorElement{extra}"));
    }
    out
}

/// The standard properties of `v` in the order `fields` gives.
fn ordered(v: &Value, fields: &[(&str, Option<Vocabulary>)]) -> String {
    let mut out = String::new();
    for (field, vocabulary) in fields {
        if let Some(x) = v.get(*field) {
            let text = match vocabulary {
                Some(vocabulary) => word(x, *vocabulary),
                None => value(field, x),
            };
            out += &format!("{field}={text}");
        }
    }
    out
}

/// `name` and the sorted properties of `v` that are not among `fields`,
/// or nothing when it has none.
fn extensions_string(
    name: &str,
    v: &Value,
    fields: &[(&str, Option<Vocabulary>)],
    ns: &Namespaces,
) -> String {
    let rest: Vec<String> = v
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !fields.iter().any(|(f, _)| f == k))
        .map(|(k, x)| generic(&ns.expand(k), x, ns))
        .collect();
    if rest.is_empty() { String::new() } else { format!("{name}{}", sorted(rest.into_iter())) }
}

/// The properties of a standard field beyond `known`, to the trailing part.
fn extensions_of(name: &str, v: &Value, known: &[&str], ns: &Namespaces, trailing: &mut Vec<String>) {
    let fields: Vec<(&str, Option<Vocabulary>)> = known.iter().map(|k| (*k, None)).collect();
    let s = extensions_string(name, v, &fields, ns);
    if !s.is_empty() {
        trailing.push(s);
    }
}

fn sorted(parts: impl Iterator<Item = String>) -> String {
    let mut parts: Vec<String> = parts.collect();
    parts.sort();
    parts.concat()
}

/// A property that is no standard field: an object as its name then its
/// sorted children, a list as one entry per item, a value as `name=value`.
fn generic(name: &str, v: &Value, ns: &Namespaces) -> String {
    match v {
        Value::Object(map) => format!("{name}{}", children(map, ns)),
        Value::Array(items) => sorted(items.iter().map(|x| generic(name, x, ns))),
        other => format!("{name}={}", value(name, other)),
    }
}

fn children(map: &Map<String, Value>, ns: &Namespaces) -> String {
    sorted(map.iter().map(|(k, x)| generic(&ns.expand(k), x, ns)))
}

/// A value in canonical form: a time (a property named `…time…`, not an
/// offset) in UTC to the millisecond; a CBV URN as its web URI; a number
/// without trailing zeros; an identifier as its canonical Digital Link.
fn value(name: &str, v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => return number_text(&n.to_string()).unwrap_or_else(|| n.to_string()),
        other => other.to_string(),
    };
    let lower = name.to_ascii_lowercase();
    if lower.contains("time") && !lower.contains("offset") {
        return utc_rounded(&text).unwrap_or(text);
    }
    let text = web_vocabulary(&text);
    if let Some(n) = number_text(&text) {
        return n;
    }
    canonical_id(&text)
}

/// A word of `vocabulary` as its URI; a URI (or a CURIE) as written.
fn word(v: &Value, vocabulary: Vocabulary) -> String {
    let text = match v {
        Value::String(s) => web_vocabulary(s.trim()),
        other => other.to_string(),
    };
    if text.contains(':') {
        return text;
    }
    match vocabulary {
        Vocabulary::Cbv(name) => format!("https://ref.gs1.org/cbv/{name}-{text}"),
        Vocabulary::Gs1Voc => format!("https://ref.gs1.org/voc/{text}"),
    }
}

/// CBV and GS1 vocabulary words as their web URIs: the CBV 1.2 URN forms,
/// the `cbv:` and `gs1:` compact forms, and the `gs1.org/voc` namespace.
fn web_vocabulary(text: &str) -> String {
    const FORMS: &[(&str, &str)] = &[
        ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
        ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
        ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
        ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
        ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
        ("cbv:", "https://ref.gs1.org/cbv/"),
        ("gs1:", "https://ref.gs1.org/voc/"),
        ("https://gs1.org/voc/", "https://ref.gs1.org/voc/"),
    ];
    for (urn, web) in FORMS {
        if let Some(word) = text.strip_prefix(urn) {
            return format!("{web}{word}");
        }
    }
    text.to_owned()
}

/// A decimal number written without a `+`, leading or trailing zeros, or a
/// fraction when it is whole (`200.0` is `200`); `None` when `text` is no
/// finite number.
fn number_text(text: &str) -> Option<String> {
    let ok = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && text.bytes().any(|b| b.is_ascii_digit());
    let n: f64 = if ok { text.parse().ok()? } else { return None };
    if !n.is_finite() {
        return None;
    }
    Some(if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") })
}

/// An RFC 3339 time in UTC, `YYYY-MM-DDTHH:MM:SS.sssZ`, rounded (half up)
/// to the millisecond.
fn utc_rounded(t: &str) -> Option<String> {
    let parsed = time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()?;
    let nanos = parsed.unix_timestamp_nanos();
    let ms = (nanos + 500_000).div_euclid(1_000_000) as i64;
    Some(truyxuat_core::journal::format_unix_ms(ms))
}

/// Prefix bindings of a JSON-LD context (the document's, then the event's).
struct Namespaces(Vec<(String, String)>);

impl Namespaces {
    fn of(document: &Value, event: Option<&Value>) -> Namespaces {
        // The standard context's prefixes, unless a document binds them
        // again (`cbvmda` as the reference vectors write it).
        let mut out: Vec<(String, String)> = [
            ("epcis", "https://ref.gs1.org/epcis/"),
            ("cbv", "https://ref.gs1.org/cbv/"),
            ("cbvmda", "urn:epcglobal:cbv:mda"),
            ("gs1", "https://gs1.org/voc/"),
            ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
            ("owl", "http://www.w3.org/2002/07/owl#"),
            ("xsd", "http://www.w3.org/2001/XMLSchema#"),
            ("dcterms", "http://purl.org/dc/terms/"),
        ]
        .into_iter()
        .map(|(p, iri)| (p.to_owned(), iri.to_owned()))
        .collect();
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
        same["rdfs:comment"] = json!("a remark");
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

    #[test]
    fn times_round_to_the_millisecond() {
        for (t, want) in [
            ("2023-02-02T12:04:03.1415+01:00", "2023-02-02T11:04:03.142Z"),
            ("2023-02-02T12:04:03.1414+01:00", "2023-02-02T11:04:03.141Z"),
            ("2023-02-02T11:04:03.9999Z", "2023-02-02T11:04:04.000Z"),
            ("2023-03-27T11:30:00.0Z", "2023-03-27T11:30:00.000Z"),
        ] {
            assert_eq!(utc_rounded(t).as_deref(), Some(want), "{t}");
        }
        assert_eq!(number_text("200.0").as_deref(), Some("200"));
        assert_eq!(number_text("+12.10").as_deref(), Some("12.1"));
        assert_eq!(number_text("ABC-12"), None);
        assert_eq!(number_text("2023-10-09"), None);
    }

    /// The canonical form of an event of our own with list entries, sensor
    /// data and an extension inside a standard field, as the CBV 2.0 rule
    /// lays them out: sensor elements without a list name, an extension of
    /// a standard field in the trailing block under that field's name, the
    /// comment left out (the third-party vectors in `tests/conformance.rs` hold
    /// the same rule to 101 cases).
    #[test]
    fn the_prehash_string_lays_fields_out_in_the_standard_order() {
        let event = json!({
            "type": "ObjectEvent", "action": "OBSERVE",
            "eventTime": "2026-11-20T08:00:00.1415+07:00", "eventTimeZoneOffset": "+07:00",
            "epcList": ["urn:epc:id:sgtin:8936120.010011.42"],
            "bizStep": "inspecting",
            "readPoint": {"id": "urn:epc:id:sgln:8936120.00001.0", "example:shelf": "B2"},
            "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:8936120000014:77"}],
            "sensorElementList": [{
                "sensorMetadata": {"time": "2026-11-20T01:00:00Z"},
                "sensorReport": [{"type": "Temperature", "value": 4.50, "uom": "CEL"}],
            }],
            "rdfs:comment": "not hashed",
            "example:lot": "L7",
        });
        let expected = "eventType=ObjectEvent\
            eventTime=2026-11-20T01:00:00.142ZeventTimeZoneOffset=+07:00\
            epcList\
            epc=https://id.gs1.org/01/08936120100110/21/42\
            action=OBSERVE\
            bizStep=https://ref.gs1.org/cbv/BizStep-inspecting\
            readPoint\
            id=https://id.gs1.org/414/8936120000014\
            bizTransactionList\
            type=https://ref.gs1.org/cbv/BTT-po\
            bizTransaction=urn:epcglobal:cbv:bt:8936120000014:77\
            sensorElement\
            sensorMetadata\
            time=2026-11-20T01:00:00.000Z\
            sensorReport\
            type=https://ref.gs1.org/voc/Temperature\
            value=4.5\
            uom=CEL\
            readPoint{http://ns.example.com/epcis/}shelf=B2\
            {http://ns.example.com/epcis/}lot=L7";
        assert_eq!(prehash(&event, &ctx()), expected.replace(' ', ""));
    }
}
