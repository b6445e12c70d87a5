//! Captured EPCIS events as the product's story: the steps the resolver
//! already follows for phone events (harvest, shipment, receipt,
//! transformation, inspection), so that a lot recorded by another system
//! has the same journey and chain checks as one recorded on a phone.
//!
//! Invariant: pure. Only what the chain needs is read (lots by Digital Link
//! or EPC class, places by GLN); an event that names no lot, or a step the
//! chain does not know, gives nothing here and stays query-only.

use serde_json::Value;
use truyxuat_core::gs1::epc::canonical_id;
use truyxuat_core::journal::{
    EventBody, Harvest, Inspection, InspectionResult, LotRef, Transfer, Transformation,
};

use super::cbv_word;

/// (GTIN-14, lot) of a class or instance identifier with a lot.
fn gtin_lot(id: &str) -> Option<(String, Option<String>)> {
    let dl = canonical_id(id);
    let rest = dl.strip_prefix("https://id.gs1.org/01/")?;
    let mut parts = rest.split('/');
    let gtin = parts.next()?.to_owned();
    let mut lot = None;
    while let (Some(ai), Some(value)) = (parts.next(), parts.next()) {
        if ai == "10" {
            lot = percent_encoding::percent_decode_str(value).decode_utf8().ok().map(|l| l.into_owned());
        }
    }
    Some((gtin, lot))
}

/// The GLN of a place (`414` Digital Link or SGLN), without its extension.
fn gln(id: &str) -> Option<String> {
    let dl = canonical_id(id);
    let rest = dl.strip_prefix("https://id.gs1.org/414/")?;
    Some(rest.split('/').next()?.to_owned())
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn place(e: &Value, key: &str) -> Option<String> {
    e.get(key).and_then(|p| text(p, "id")).and_then(gln)
}

/// The first `location`-typed source or destination.
fn party(e: &Value, list: &str, field: &str) -> Option<String> {
    e.get(list)?.as_array()?.iter().find_map(|s| {
        let typed = text(s, "type").map(|t| cbv_word(t, "SDT"));
        (typed.as_deref() == Some("location")).then(|| text(s, field).and_then(gln)).flatten()
    })
}

fn unit(q: &Value, e: &Value) -> String {
    match text(q, "uom") {
        Some("KGM") => "kg".into(),
        Some("GRM") => "g".into(),
        Some("TNE") => "t".into(),
        Some("LTR") => "l".into(),
        Some(other) => other.into(),
        None => text(e, "tx:unit").unwrap_or("").into(),
    }
}

/// (GTIN, lot, quantity, unit) of every lot-level quantity element of `key`.
fn lots(e: &Value, key: &str) -> Vec<(String, String, Option<f64>, String)> {
    e.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|q| {
            let (gtin, lot) = gtin_lot(text(q, "epcClass")?)?;
            Some((gtin, lot?, q.get("quantity").and_then(Value::as_f64), unit(q, e)))
        })
        .collect()
}

/// The chain steps an EPCIS event stands for (usually one; a shipment of
/// several lots gives one per lot).
pub fn chain_events(e: &Value) -> Vec<EventBody> {
    let kind = text(e, "type").unwrap_or("");
    let step = text(e, "bizStep").map(|s| cbv_word(s, "BizStep")).unwrap_or_default();
    let date =
        text(e, "eventTime").and_then(super::utc_millis).map(|t| t[..10].to_owned()).unwrap_or_default();
    let here = place(e, "bizLocation").or_else(|| place(e, "readPoint"));
    if kind == "TransformationEvent" {
        let refs = |key: &str| -> Vec<LotRef> {
            lots(e, key)
                .into_iter()
                .map(|(gtin, lot, quantity, unit)| LotRef {
                    gtin,
                    lot: Some(lot),
                    quantity,
                    unit: Some(unit).filter(|u| !u.is_empty()),
                })
                .collect()
        };
        let (inputs, outputs) = (refs("inputQuantityList"), refs("outputQuantityList"));
        if inputs.is_empty() && outputs.is_empty() {
            return Vec::new();
        }
        let process = text(e, "tx:process").map(str::to_owned);
        return vec![EventBody::Transformation(Transformation { inputs, outputs, gln: here, process, date })];
    }
    if kind != "ObjectEvent" {
        return Vec::new();
    }
    let action = text(e, "action").unwrap_or("");
    let quantities = lots(e, "quantityList");
    match step.as_str() {
        "commissioning" if action == "ADD" => quantities
            .into_iter()
            .map(|(gtin, lot, quantity, unit)| {
                EventBody::Harvest(Harvest {
                    product: text(e, "tx:product").unwrap_or(&gtin).to_owned(),
                    gtin: Some(gtin),
                    lot,
                    quantity: quantity.unwrap_or(0.0),
                    unit,
                    harvest_date: text(e, "tx:harvestDate")
                        .map(str::to_owned)
                        .unwrap_or_else(|| date.clone()),
                    gln: here.clone(),
                    location: None,
                    certification: None,
                    photos: Vec::new(),
                })
            })
            .collect(),
        "shipping" | "departing" | "receiving" | "arriving" => {
            let shipping = matches!(step.as_str(), "shipping" | "departing");
            let from =
                party(e, "sourceList", "source").or_else(|| if shipping { here.clone() } else { None });
            let to = party(e, "destinationList", "destination")
                .or_else(|| if shipping { None } else { here.clone() });
            quantities
                .into_iter()
                .map(|(gtin, lot, quantity, unit)| {
                    let t = Transfer {
                        gtin,
                        lot: Some(lot),
                        quantity: quantity.unwrap_or(0.0),
                        unit,
                        from_gln: from.clone(),
                        to_gln: to.clone(),
                    };
                    if shipping { EventBody::Shipping(t) } else { EventBody::Receiving(t) }
                })
                .collect()
        }
        "inspecting" => {
            let result = match text(e, "disposition").map(|d| cbv_word(d, "Disp")).as_deref() {
                Some("conformant") => InspectionResult::Conformant,
                Some("non_conformant") => InspectionResult::NonConformant,
                _ => return Vec::new(),
            };
            quantities
                .into_iter()
                .map(|(gtin, lot, _, _)| {
                    EventBody::Inspection(Inspection {
                        code: format!("(01){gtin}(10){lot}"),
                        market_gln: here.clone(),
                        location: None,
                        result,
                        reasons: Vec::new(),
                        sample_taken: false,
                        notes: None,
                        photos: Vec::new(),
                    })
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn steps_the_chain_knows() {
        let shipment = json!({
            "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "https://ref.gs1.org/cbv/BizStep-shipping",
            "eventTime": "2026-11-20T23:30:00+07:00",
            "quantityList": [{"epcClass": "urn:epc:class:lgtin:8936120.090001.HP%2F09", "quantity": 12.5, "uom": "KGM"},
                             {"epcClass": "urn:epc:idpat:sgtin:8936120.090001.*", "quantity": 3}],
            "readPoint": {"id": "urn:epc:id:sgln:8936120.00001.0"},
            "destinationList": [{"type": "location", "destination": "https://id.gs1.org/414/8936120000106"}],
        });
        let steps = chain_events(&shipment);
        assert_eq!(steps.len(), 1, "only the element with a lot");
        let EventBody::Shipping(t) = &steps[0] else { panic!("{steps:?}") };
        assert_eq!(
            (t.gtin.as_str(), t.lot.as_deref(), t.quantity, t.unit.as_str()),
            ("08936120900017", Some("HP/09"), 12.5, "kg")
        );
        assert_eq!(
            (t.from_gln.as_deref(), t.to_gln.as_deref()),
            (Some("8936120000014"), Some("8936120000106"))
        );

        let made = json!({
            "type": "TransformationEvent", "eventTime": "2026-11-22T08:00:00Z",
            "inputQuantityList": [{"epcClass": "https://id.gs1.org/01/08936120900017/10/HP%2F09", "quantity": 12.5, "uom": "KGM"}],
            "outputQuantityList": [{"epcClass": "https://id.gs1.org/01/08936120100110/10/RX-1", "quantity": 20}],
            "bizLocation": {"id": "https://id.gs1.org/414/8936120000106"},
        });
        let EventBody::Transformation(t) = &chain_events(&made)[0] else { panic!() };
        assert_eq!(
            (t.inputs[0].lot.as_deref(), t.outputs[0].lot.as_deref(), t.date.as_str()),
            (Some("HP/09"), Some("RX-1"), "2026-11-22")
        );

        for other in [
            json!({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "storing", "eventTime": "2026-11-22T08:00:00Z",
                   "quantityList": [{"epcClass": "https://id.gs1.org/01/08936120100110/10/RX-1"}]}),
            json!({"type": "AggregationEvent", "action": "ADD", "eventTime": "2026-11-22T08:00:00Z"}),
            json!({"type": "ObjectEvent", "action": "ADD", "bizStep": "commissioning", "eventTime": "2026-11-22T08:00:00Z",
                   "epcList": ["urn:epc:id:sgtin:8936120.010011.7"]}),
        ] {
            assert!(chain_events(&other).is_empty(), "{other}");
        }
    }
}
