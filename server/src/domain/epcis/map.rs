//! The phones' events as EPCIS 2.0 events, so that other systems read a
//! farmer's harvest or an inspector's check with the standard query.
//!
//! Identifiers are GS1 Digital Links (`https://id.gs1.org/…`): EPC URNs
//! would need each company prefix's length, which the portal does not keep.
//! What EPCIS has no field for goes into extensions under the prefix `tx`
//! (`urn:truyxuat:epcis:`). Scans and complaints are not exported.
//!
//! Invariant: pure; every event it makes is valid against the EPCIS 2.0
//! schema (tested for every kind).

use serde_json::{Map, Value, json};
use truyxuat_core::journal::{EventBody, InspectionResult, LotRef};

use super::CONTEXT_URL;

/// Where the `tx` extension names live.
pub const TX_NAMESPACE: &str = "urn:truyxuat:epcis:";
/// Farm treatments (fertiliser, pesticide) are not a CBV business step.
pub const TREATING: &str = "urn:truyxuat:epcis:bizstep:treating";

/// The JSON-LD context of exported events.
pub fn context() -> Value {
    json!([CONTEXT_URL, {"tx": TX_NAMESPACE}])
}

const UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, UNRESERVED).to_string()
}

fn class(gtin: &str, lot: Option<&str>) -> String {
    match lot {
        Some(l) => format!("https://id.gs1.org/01/{gtin}/10/{}", enc(l)),
        None => format!("https://id.gs1.org/01/{gtin}"),
    }
}

fn place(gln: &str) -> Value {
    json!({"id": format!("https://id.gs1.org/414/{gln}")})
}

/// UN/ECE Rec 20 codes of the units phones record by weight or volume;
/// other units are counts (no `uom`, the unit kept in `tx:unit`).
fn uom(unit: &str) -> Option<&'static str> {
    match unit.to_ascii_lowercase().as_str() {
        "kg" => Some("KGM"),
        "g" => Some("GRM"),
        "t" | "tấn" => Some("TNE"),
        "l" | "lít" => Some("LTR"),
        _ => None,
    }
}

fn quantity(gtin: &str, lot: Option<&str>, qty: Option<f64>, unit: Option<&str>) -> Value {
    let mut q = Map::new();
    q.insert("epcClass".into(), json!(class(gtin, lot)));
    if let Some(n) = qty {
        q.insert("quantity".into(), json!(n));
        if let Some(code) = unit.and_then(uom) {
            q.insert("uom".into(), json!(code));
        }
    }
    Value::Object(q)
}

fn lot_quantity(l: &LotRef) -> Value {
    quantity(&l.gtin, l.lot.as_deref(), l.quantity, l.unit.as_deref())
}

/// The EPCIS event of a stored phone event, or `None` for kinds not exported.
pub fn from_phone(id: &str, device_time: &str, body: &EventBody) -> Option<Value> {
    let mut e = Map::new();
    let mut set = |k: &str, v: Value| {
        if !v.is_null() {
            e.insert(k.to_owned(), v);
        }
    };
    set("eventID", json!(format!("urn:uuid:{id}")));
    set("eventTime", json!(device_time));
    set("eventTimeZoneOffset", json!("+07:00"));
    match body {
        EventBody::Harvest(h) => {
            set("type", json!("ObjectEvent"));
            match &h.gtin {
                Some(g) => {
                    set("epcList", json!([]));
                    set("quantityList", json!([quantity(g, Some(&h.lot), Some(h.quantity), Some(&h.unit))]));
                }
                None => set("epcList", json!([])),
            }
            set("action", json!("ADD"));
            set("bizStep", json!("commissioning"));
            set("disposition", json!("active"));
            if let Some(g) = &h.gln {
                set("readPoint", place(g));
                set("bizLocation", place(g));
            }
            set("tx:product", json!(h.product));
            set("tx:lot", json!(h.lot));
            set("tx:harvestDate", json!(h.harvest_date));
            set("tx:quantity", json!(h.quantity));
            set("tx:unit", json!(h.unit));
            set("tx:certification", json!(h.certification));
            set("tx:location", json!(h.location.map(|p| format!("geo:{},{}", p.lat, p.lon))));
        }
        EventBody::FarmDiary(d) => {
            set("type", json!("ObjectEvent"));
            set("epcList", json!([]));
            set("action", json!("OBSERVE"));
            set("bizStep", json!(TREATING));
            if let Some(g) = &d.gln {
                set("bizLocation", place(g));
            }
            set("tx:inputName", json!(d.input_name));
            set("tx:dose", json!(d.dose));
            set("tx:appliedOn", json!(d.applied_on));
            set("tx:preHarvestIntervalDays", json!(d.pre_harvest_interval_days));
            set("tx:lot", json!(d.lot));
        }
        EventBody::Inspection(i) => {
            set("type", json!("ObjectEvent"));
            let code = truyxuat_core::code::parse_code(&i.code);
            match (&code.gtin, &code.lot, &code.serial) {
                (Some(_), _, Some(_)) => set("epcList", json!([code.dl_uri])),
                (Some(g), lot, None) => {
                    set("epcList", json!([]));
                    set("quantityList", json!([quantity(g, lot.as_deref(), None, None)]));
                }
                _ => set("epcList", json!([])),
            }
            set("action", json!("OBSERVE"));
            set("bizStep", json!("inspecting"));
            set(
                "disposition",
                json!(match i.result {
                    InspectionResult::Conformant => "conformant",
                    InspectionResult::NonConformant => "non_conformant",
                }),
            );
            if let Some(g) = &i.market_gln {
                set("readPoint", place(g));
                set("bizLocation", place(g));
            }
            set("tx:code", json!(i.code));
            set("tx:reasons", json!(i.reasons));
            set("tx:sampleTaken", json!(i.sample_taken));
            set("tx:notes", json!(i.notes));
        }
        EventBody::Shipping(t) | EventBody::Receiving(t) => {
            let shipping = matches!(body, EventBody::Shipping(_));
            set("type", json!("ObjectEvent"));
            set("epcList", json!([]));
            set(
                "quantityList",
                json!([quantity(&t.gtin, t.lot.as_deref(), Some(t.quantity), Some(&t.unit))]),
            );
            set("action", json!("OBSERVE"));
            set("bizStep", json!(if shipping { "shipping" } else { "receiving" }));
            set("disposition", json!(if shipping { "in_transit" } else { "in_progress" }));
            let here = if shipping { &t.from_gln } else { &t.to_gln };
            if let Some(g) = here {
                set("readPoint", place(g));
                if !shipping {
                    set("bizLocation", place(g));
                }
            }
            if let Some(g) = &t.from_gln {
                set(
                    "sourceList",
                    json!([{"type": "location", "source": format!("https://id.gs1.org/414/{g}")}]),
                );
            }
            if let Some(g) = &t.to_gln {
                set(
                    "destinationList",
                    json!([{"type": "location", "destination": format!("https://id.gs1.org/414/{g}")}]),
                );
            }
            set("tx:unit", json!(t.unit));
        }
        EventBody::Transformation(t) => {
            set("type", json!("TransformationEvent"));
            set("inputQuantityList", Value::Array(t.inputs.iter().map(lot_quantity).collect()));
            set("outputQuantityList", Value::Array(t.outputs.iter().map(lot_quantity).collect()));
            set("bizStep", json!("commissioning"));
            set("disposition", json!("in_progress"));
            if let Some(g) = &t.gln {
                set("bizLocation", place(g));
            }
            set("tx:process", json!(t.process));
            set("tx:date", json!(t.date));
        }
        EventBody::Scan(_) | EventBody::Complaint(_) => return None,
    }
    Some(Value::Object(e))
}

/// A document holding exported events (what a test validates, and what a
/// partner would get in one capture).
pub fn document(events: Vec<Value>) -> Value {
    json!({
        "@context": context(),
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-01T00:00:00Z",
        "epcisBody": {"eventList": events},
    })
}
