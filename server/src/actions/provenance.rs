//! From a scanned code to the story a consumer sees: product, company, the
//! lot's journey one step up and one step down, inspections, certifications,
//! recalls, whether the chain is complete, and the warnings.
//!
//! Invariant: reads the store only; the verdicts (chain breaks, warnings) are
//! pure functions of what was read and `today` (a Viet Nam day).

use std::collections::BTreeSet;

use serde::Serialize;
pub use truyxuat_core::code::{CodeInfo, CodeKind, parse_code};

use crate::domain::account::User;
use crate::domain::catalog::gtin14;
use crate::domain::catalog::provinces::province;
use crate::domain::catalog::{CertSource, Certification, Company, Location, Lot, Product, Recall, TraceRole};
use crate::domain::rights;
use crate::store::{Result, Store, StoredEvent};

/// Scans of one serial this far apart …
const CLONE_DISTANCE_KM: f64 = 100.0;
/// … within this many hours suggest a cloned code.
const CLONE_WINDOW_HOURS: f64 = 6.0;
/// So do this many distinct devices scanning one serial.
const CLONE_DEVICES: usize = 5;

#[derive(Clone, Debug, Serialize)]
pub struct Place {
    pub gln: String,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub address: Option<String>,
    pub province: Option<String>,
    pub province_vi: Option<&'static str>,
    pub province_en: Option<&'static str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// harvest, farm_diary, transformation, shipping, receiving, inspection.
    pub kind: String,
    /// `YYYY-MM-DD` (or a full time when the event has no business date).
    pub date: String,
    /// this_lot, input (one step up) or output (one step down).
    pub relation: &'static str,
    pub gtin: Option<String>,
    pub lot: Option<String>,
    pub product_vi: Option<String>,
    pub quantity: Option<f64>,
    pub unit: Option<String>,
    pub place: Option<Place>,
    pub from: Option<Place>,
    pub to: Option<Place>,
    /// Who recorded it (account name).
    pub recorded_by: String,
    pub event_id: String,
    pub details: serde_json::Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct LotLink {
    pub gtin: String,
    pub lot: Option<String>,
    pub product_vi: Option<String>,
    pub product_en: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct InspectionView {
    pub date: String,
    pub result: String,
    pub reasons: Vec<String>,
    pub sample_taken: bool,
    pub notes: Option<String>,
    pub place: Option<Place>,
    pub inspector: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CertificationView {
    #[serde(flatten)]
    pub certification: Certification,
    pub valid_now: bool,
}

/// A warning or a chain break (the phone shows the same ones offline).
pub use truyxuat_core::lookup::Warning as Message;

#[derive(Clone, Debug, Serialize)]
pub struct Chain {
    pub complete: bool,
    pub breaks: Vec<Message>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Provenance {
    pub code: CodeInfo,
    pub registered: bool,
    pub product: Option<Product>,
    pub company: Option<Company>,
    pub lot: Option<Lot>,
    pub origin: Option<Place>,
    /// For a GLN: the place itself.
    pub location: Option<Place>,
    pub certifications: Vec<CertificationView>,
    pub recalls: Vec<Recall>,
    pub journey: Vec<Step>,
    /// Steps of this lot their recorder later corrected (an EPCIS
    /// errorDeclaration): shown as corrected, left out of the journey and
    /// of the chain's verdict.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<Step>,
    pub inputs: Vec<LotLink>,
    pub outputs: Vec<LotLink>,
    pub inspections: Vec<InspectionView>,
    pub chain: Chain,
    pub warnings: Vec<Message>,
    /// How many times this serial was scanned, by how many devices.
    pub serial_scans: Option<SerialScans>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SerialScans {
    pub scans: usize,
    pub devices: usize,
}

fn msg(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Message {
    Message::new(code, vi, en)
}

/// Reads places and product names once each per resolution.
struct Places<'a> {
    store: &'a dyn Store,
    seen: std::collections::BTreeMap<String, Option<Place>>,
    names: std::collections::BTreeMap<String, Option<String>>,
}

impl Places<'_> {
    fn product_vi(&mut self, gtin: &str) -> Result<Option<String>> {
        if let Some(n) = self.names.get(gtin) {
            return Ok(n.clone());
        }
        let name = self.store.product(gtin)?.map(|p| p.name_vi);
        self.names.insert(gtin.to_owned(), name.clone());
        Ok(name)
    }

    fn get(&mut self, gln: Option<&str>) -> Result<Option<Place>> {
        let Some(gln) = gln else { return Ok(None) };
        if let Some(p) = self.seen.get(gln) {
            return Ok(p.clone());
        }
        let place = self.store.location(gln)?.map(place_of).or_else(|| {
            Some(Place {
                gln: gln.to_owned(),
                name: None,
                kind: None,
                address: None,
                province: None,
                province_vi: None,
                province_en: None,
                lat: None,
                lon: None,
            })
        });
        self.seen.insert(gln.to_owned(), place.clone());
        Ok(place)
    }
}

fn place_of(l: Location) -> Place {
    let names = l.province.as_deref().and_then(province);
    Place {
        gln: l.gln,
        name: Some(l.name),
        kind: Some(l.kind),
        address: l.address,
        province_vi: names.map(|n| n.0),
        province_en: names.map(|n| n.1),
        province: l.province,
        lat: l.lat,
        lon: l.lon,
    }
}

fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_owned)
}

/// The business date of an event: its own date field, else the device time.
fn event_date(e: &StoredEvent) -> String {
    ["harvest_date", "applied_on", "date"]
        .iter()
        .find_map(|k| text(&e.payload, k))
        .unwrap_or_else(|| e.device_time.clone())
}

fn step(e: &StoredEvent, relation: &'static str, places: &mut Places<'_>) -> Result<Step> {
    let p = &e.payload;
    let (gtin, lot) = match e.kind.as_str() {
        "transformation" => {
            let out = p["outputs"].get(0);
            (out.and_then(|o| text(o, "gtin")), out.and_then(|o| text(o, "lot")))
        }
        _ => (text(p, "gtin"), text(p, "lot")),
    };
    let gtin = gtin.map(|g| crate::domain::catalog::gtin14(&g).unwrap_or(g));
    let product_vi = match &gtin {
        Some(g) => places.product_vi(g)?.or_else(|| text(p, "product")),
        None => text(p, "product"),
    };
    let quantity = p.get("quantity").and_then(|q| q.as_f64());
    Ok(Step {
        kind: e.kind.clone(),
        date: event_date(e),
        relation,
        gtin,
        lot,
        product_vi,
        quantity,
        unit: text(p, "unit"),
        place: places.get(text(p, "gln").or_else(|| text(p, "market_gln")).as_deref())?,
        from: places.get(text(p, "from_gln").as_deref())?,
        to: places.get(text(p, "to_gln").as_deref())?,
        recorded_by: e.username.clone(),
        event_id: e.id.clone(),
        details: p.clone(),
    })
}

/// The `(GTIN-14, lot)` pairs of a transformation's inputs or outputs (the
/// payload keeps GTINs as written: 8, 12, 13 or 14 digits).
fn lots_of(v: &serde_json::Value) -> Vec<(String, Option<String>)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|l| Some((crate::domain::catalog::gtin14(&text(l, "gtin")?)?, text(l, "lot"))))
                .collect()
        })
        .unwrap_or_default()
}

fn link(store: &dyn Store, gtin: String, lot: Option<String>) -> Result<LotLink> {
    let p = store.product(&gtin)?;
    Ok(LotLink {
        product_vi: p.as_ref().map(|p| p.name_vi.clone()),
        product_en: p.and_then(|p| p.name_en),
        gtin,
        lot,
    })
}

/// Seconds since the Unix epoch of an RFC 3339 time.
fn unix_time(t: &str) -> Option<f64> {
    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|d| d.unix_timestamp() as f64)
}

fn km_between(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Does this serial's scan history look like a cloned code?
pub fn looks_cloned(scans: &[&StoredEvent]) -> bool {
    let devices: BTreeSet<&str> = scans.iter().map(|e| e.device_id.as_str()).collect();
    if devices.len() >= CLONE_DEVICES {
        return true;
    }
    let points: Vec<(&str, f64, (f64, f64))> = scans
        .iter()
        .filter_map(|e| {
            let loc = e.payload.get("location")?;
            Some((
                e.device_id.as_str(),
                unix_time(&e.device_time)?,
                (loc["lat"].as_f64()?, loc["lon"].as_f64()?),
            ))
        })
        .collect();
    points.iter().enumerate().any(|(i, a)| {
        points[i + 1..].iter().any(|b| {
            a.0 != b.0
                && (a.1 - b.1).abs() <= CLONE_WINDOW_HOURS * 3600.0
                && km_between(a.2, b.2) >= CLONE_DISTANCE_KM
        })
    })
}

/// Where the chain of this lot breaks, looking at its own events and one
/// step up.
fn chain_breaks(
    events: &[(TraceRole, StoredEvent)],
    upstream: &[(String, Option<String>, Vec<StoredEvent>)],
    places: &mut Places<'_>,
) -> Result<Vec<Message>> {
    let mut breaks = Vec::new();
    let has = |kind: &str, role: TraceRole| events.iter().any(|(r, e)| *r == role && e.kind == kind);
    let produced = has("harvest", TraceRole::Subject) || has("transformation", TraceRole::Output);
    if events.is_empty() {
        breaks.push(msg(
            "no_events",
            "Chưa có sự kiện truy xuất nào được ghi nhận cho lô này",
            "No traceability events have been recorded for this lot",
        ));
        return Ok(breaks);
    }
    if !produced {
        breaks.push(msg(
            "unknown_origin",
            "Không có ghi nhận thu hoạch hay chế biến: không rõ lô hàng đến từ đâu",
            "No harvest or processing record: where this lot came from is unknown",
        ));
    }
    for (gtin, lot, evs) in upstream {
        let origin = evs.iter().any(|e| e.kind == "harvest" || e.kind == "transformation");
        if !origin {
            let l = lot.as_deref().unwrap_or("?");
            breaks.push(msg(
                "input_without_origin",
                format!("Nguyên liệu {gtin} lô {l} không có ghi nhận thu hoạch"),
                format!("Input {gtin} lot {l} has no harvest record"),
            ));
        }
    }
    let payload_gln = |e: &StoredEvent, k: &str| text(&e.payload, k);
    let name = |p: Option<Place>, gln: &str| p.and_then(|p| p.name).unwrap_or_else(|| gln.to_owned());
    for (_, e) in events.iter().filter(|(r, _)| *r == TraceRole::Subject) {
        if e.kind == "shipping"
            && let Some(to) = payload_gln(e, "to_gln")
        {
            let received = events.iter().any(|(_, r)| {
                r.kind == "receiving" && payload_gln(r, "to_gln").as_deref() == Some(to.as_str())
            });
            if !received {
                let n = name(places.get(Some(&to))?, &to);
                breaks.push(msg(
                    "not_received",
                    format!("Đã xuất đến {n} nhưng chưa có ghi nhận nhận hàng"),
                    format!("Shipped to {n} but its receipt was not recorded"),
                ));
            }
        }
        if e.kind == "receiving" {
            let at = payload_gln(e, "to_gln").unwrap_or_default();
            let from = payload_gln(e, "from_gln");
            let shipped = events.iter().any(|(_, s)| {
                s.kind == "shipping"
                    && payload_gln(s, "to_gln").as_deref() == Some(at.as_str())
                    && (from.is_none() || payload_gln(s, "from_gln") == from)
            });
            if !shipped {
                let n = name(places.get(Some(&at))?, &at);
                breaks.push(msg(
                    "received_without_shipment",
                    format!("{n} nhận hàng nhưng không có ghi nhận xuất hàng tương ứng"),
                    format!("Received at {n} with no matching shipment recorded"),
                ));
            }
        }
    }
    Ok(breaks)
}

/// The whole answer for one code. `today` is `YYYY-MM-DD`.
pub fn resolve(store: &dyn Store, input: &str, today: &str) -> Result<Provenance> {
    let code = parse_code(input);
    let mut places = Places { store, seen: Default::default(), names: Default::default() };
    let mut out = Provenance {
        code,
        registered: false,
        product: None,
        company: None,
        lot: None,
        origin: None,
        location: None,
        certifications: Vec::new(),
        recalls: Vec::new(),
        journey: Vec::new(),
        corrected: Vec::new(),
        inputs: Vec::new(),
        outputs: Vec::new(),
        inspections: Vec::new(),
        chain: Chain { complete: false, breaks: Vec::new() },
        warnings: Vec::new(),
        serial_scans: None,
    };
    if matches!(out.code.kind, CodeKind::Invalid | CodeKind::Other) {
        out.warnings.push(Message::invalid_code());
        return Ok(out);
    }
    if let (None, Some(gln)) = (&out.code.gtin, out.code.gln.clone()) {
        out.location = store.location(&gln)?.map(place_of);
        out.company = store.company_by_gln(&gln)?;
        out.registered = out.location.is_some() || out.company.is_some();
        out.certifications = certs(store, std::slice::from_ref(&gln), today)?;
        if !out.registered {
            out.warnings.push(not_registered());
        }
        return Ok(out);
    }
    let Some(gtin) = out.code.gtin.clone() else {
        out.warnings.push(not_registered());
        return Ok(out);
    };
    out.product = store.product(&gtin)?;
    out.registered = out.product.is_some();
    if let Some(key) = out.product.as_ref().and_then(|p| p.company.clone()) {
        out.company = store.company(&key)?;
    }
    if let Some(serial) = out.code.serial.clone() {
        if out.code.lot.is_none() {
            out.code.lot = store.serial_lot(&gtin, &serial)?;
        }
        let scans = store.trace(&gtin, None, Some(&serial), true)?;
        let scans: Vec<&StoredEvent> =
            scans.iter().filter(|(_, e)| e.kind == "scan").map(|(_, e)| e).collect();
        let devices: BTreeSet<&str> = scans.iter().map(|e| e.device_id.as_str()).collect();
        out.serial_scans = Some(SerialScans { scans: scans.len(), devices: devices.len() });
        if looks_cloned(&scans) {
            out.warnings.push(msg(
                "possibly_cloned",
                "Mã này có dấu hiệu bị sao chép: cùng một mã được quét ở những nơi cách xa nhau trong thời gian ngắn",
                "This code may be cloned: the same serial was scanned far apart within a short time",
            ));
        }
    }
    let lot_code = out.code.lot.clone();
    out.recalls = store.recalls(&gtin, lot_code.as_deref())?;
    if let Some(lot_code) = &lot_code {
        out.lot = store.lot(&gtin, lot_code)?;
        out.origin = places.get(out.lot.as_ref().and_then(|l| l.origin_gln.as_deref()))?;
        let events = store.trace(&gtin, Some(lot_code), None, false)?;
        let mut upstream = Vec::new();
        for (role, e) in &events {
            match (role, e.kind.as_str()) {
                (TraceRole::Output, "transformation") => {
                    out.journey.push(step(e, "this_lot", &mut places)?);
                    for (g, l) in lots_of(&e.payload["inputs"]) {
                        let evs: Vec<StoredEvent> = match &l {
                            Some(l) => {
                                store.trace(&g, Some(l), None, false)?.into_iter().map(|(_, e)| e).collect()
                            }
                            None => Vec::new(),
                        };
                        for u in evs
                            .iter()
                            .filter(|u| matches!(u.kind.as_str(), "harvest" | "shipping" | "receiving"))
                        {
                            out.journey.push(step(u, "input", &mut places)?);
                            if u.kind == "harvest" {
                                let gln = text(&u.payload, "gln");
                                for d in store.site_events(gln.as_deref().unwrap_or(""), "farm_diary")? {
                                    if event_date(&d) <= event_date(u) {
                                        out.journey.push(step(&d, "input", &mut places)?);
                                    }
                                }
                            }
                        }
                        out.inputs.push(link(store, g.clone(), l.clone())?);
                        upstream.push((g, l, evs));
                    }
                }
                (TraceRole::Input, "transformation") => {
                    out.journey.push(step(e, "output", &mut places)?);
                    for (g, l) in lots_of(&e.payload["outputs"]) {
                        out.outputs.push(link(store, g, l)?);
                    }
                }
                (TraceRole::Subject, "inspection") => {
                    let p = &e.payload;
                    out.inspections.push(InspectionView {
                        date: e.device_time.clone(),
                        result: text(p, "result").unwrap_or_default(),
                        reasons: p["reasons"]
                            .as_array()
                            .map(|a| a.iter().filter_map(|r| r.as_str().map(str::to_owned)).collect())
                            .unwrap_or_default(),
                        sample_taken: p["sample_taken"].as_bool().unwrap_or(false),
                        notes: text(p, "notes"),
                        place: places.get(text(p, "market_gln").as_deref())?,
                        inspector: e.username.clone(),
                    });
                    out.journey.push(step(e, "this_lot", &mut places)?);
                }
                (TraceRole::Subject, "harvest") => {
                    out.journey.push(step(e, "this_lot", &mut places)?);
                    if let Some(gln) = text(&e.payload, "gln") {
                        for d in store.site_events(&gln, "farm_diary")? {
                            if event_date(&d) <= event_date(e) {
                                out.journey.push(step(&d, "this_lot", &mut places)?);
                            }
                        }
                    }
                }
                (TraceRole::Subject, "shipping" | "receiving") => {
                    out.journey.push(step(e, "this_lot", &mut places)?);
                }
                _ => {}
            }
        }
        out.journey.sort_by(|a, b| a.date.cmp(&b.date).then(a.event_id.cmp(&b.event_id)));
        out.journey.dedup_by(|a, b| a.event_id == b.event_id);
        for e in store.corrected_trace(&gtin, lot_code)? {
            out.corrected.push(step(&e, "this_lot", &mut places)?);
        }
        out.corrected.sort_by(|a, b| a.date.cmp(&b.date).then(a.event_id.cmp(&b.event_id)));
        out.chain.breaks = chain_breaks(&events, &upstream, &mut places)?;
        out.chain.complete = out.chain.breaks.is_empty();
    } else if out.registered {
        out.chain.breaks.push(msg(
            "no_lot",
            "Mã không có số lô: chỉ xem được thông tin sản phẩm",
            "The code has no lot number: only the product can be shown",
        ));
    }

    let mut subjects = vec![gtin.clone()];
    subjects.extend(out.company.as_ref().and_then(|c| c.gln.clone()));
    subjects.extend(out.lot.as_ref().and_then(|l| l.origin_gln.clone()));
    for s in &out.journey {
        if s.kind == "harvest" || s.kind == "transformation" {
            subjects.extend(s.place.as_ref().map(|p| p.gln.clone()));
        }
    }
    for i in &out.inputs {
        subjects.push(i.gtin.clone());
    }
    subjects.sort();
    subjects.dedup();
    out.certifications = certs(store, &subjects, today)?;

    // Warnings, most serious first.
    if let Some(l) = &lot_code
        && let Some(r) = out.recalls.iter().find(|r| r.lots.contains(l))
    {
        let note = truyxuat_core::lookup::RecallNote {
            id: r.id.clone(),
            gtin: r.gtin.clone(),
            lots: r.lots.clone(),
            severity: r.severity.clone(),
            reason_vi: r.reason_vi.clone(),
            reason_en: r.reason_en.clone(),
        };
        out.warnings.insert(0, Message::recalled(&note));
    }
    // A revoked code before anything else.
    let revoked = store.revocations(&gtin)?;
    if let Some(r) = revoked.iter().find(|r| r.covers(&gtin, lot_code.as_deref(), out.code.serial.as_deref()))
    {
        out.warnings.insert(0, Message::revoked(r));
    }
    if let Some(expiry) = out.lot.as_ref().and_then(|l| l.expiry.clone())
        && expiry.as_str() < today
    {
        out.warnings.push(Message::expired(&expiry));
    }
    if !out.registered {
        out.warnings.push(not_registered());
    }
    let claims_vn = out.product.as_ref().is_some_and(|p| p.origin_province.is_some())
        || out.company.as_ref().is_some_and(|c| c.province.is_some());
    if claims_vn && out.code.prefix_country.as_deref().is_some_and(|c| c != "VN") {
        let country = out.code.prefix_issuer_vi.as_deref().unwrap_or("nước khác");
        out.warnings.push(msg(
            "foreign_prefix",
            format!("Sản phẩm ghi xuất xứ Việt Nam nhưng mã vạch do {country} cấp"),
            format!(
                "The product claims Vietnamese origin but its barcode prefix was issued by {}",
                out.code.prefix_issuer_en.as_deref().unwrap_or("another country")
            ),
        ));
    }
    Ok(out)
}

fn not_registered() -> Message {
    msg(
        "not_registered",
        "Mã này chưa được đăng ký trên Cổng truy xuất nguồn gốc: hãy cẩn trọng",
        "This code is not registered with the traceability portal: be careful",
    )
}

fn certs(store: &dyn Store, subjects: &[String], today: &str) -> Result<Vec<CertificationView>> {
    Ok(store
        .certifications(subjects)?
        .into_iter()
        .map(|c| {
            // Only an issued certificate is "valid"; one the company declared
            // itself is shown as declared, whatever its dates say.
            let valid_now = c.source == CertSource::Authority
                && c.valid_from.as_deref().is_none_or(|f| f <= today)
                && c.valid_to.as_deref().is_none_or(|t| t >= today);
            CertificationView { certification: c, valid_now }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let hanoi = (21.03, 105.85);
        let saigon = (10.78, 106.70);
        assert!((km_between(hanoi, saigon) - 1140.0).abs() < 30.0);
    }
}

/// Everyone a recalled lot reached: the lots made from it (all the way
/// down), the sites that received any of them, and the devices that scanned
/// any of them.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Reach {
    pub lots: Vec<LotKey>,
    /// GLNs of the sites that received the lot or a lot made from it.
    pub sites: Vec<String>,
    /// Ids of the devices that scanned it.
    pub devices: Vec<String>,
    pub scans: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LotKey {
    pub gtin: String,
    pub lot: String,
}

/// [`reach`] for an account that may trace it (inspectors, authorities,
/// admins); `gtin` as given (8 to 14 digits).
pub fn reach_for(store: &dyn Store, me: &User, gtin: &str, lot: &str) -> crate::actions::Result<Reach> {
    rights::trace_reach(me)?;
    let gtin = gtin14(gtin).ok_or_else(|| {
        crate::actions::Error::bad_request("invalid_gtin", format!("{gtin:?} is not a valid GTIN"))
    })?;
    Ok(reach(store, &gtin, lot)?)
}

pub fn reach(store: &dyn Store, gtin: &str, lot: &str) -> Result<Reach> {
    let mut seen: BTreeSet<LotKey> = BTreeSet::new();
    let mut frontier = vec![LotKey { gtin: gtin.to_owned(), lot: lot.to_owned() }];
    let (mut sites, mut devices) = (BTreeSet::new(), BTreeSet::new());
    let mut scans = 0;
    while let Some(key) = frontier.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        for (role, e) in store.trace(&key.gtin, Some(&key.lot), None, true)? {
            match (role, e.kind.as_str()) {
                (TraceRole::Input, "transformation") => {
                    for (g, l) in lots_of(&e.payload["outputs"]) {
                        if let Some(l) = l {
                            frontier.push(LotKey { gtin: g, lot: l });
                        }
                    }
                }
                (TraceRole::Subject, "receiving") => {
                    sites.extend(text(&e.payload, "to_gln"));
                }
                (TraceRole::Subject, "scan") => {
                    scans += 1;
                    devices.insert(e.device_id.clone());
                }
                _ => {}
            }
        }
    }
    Ok(Reach {
        lots: seen.into_iter().collect(),
        sites: sites.into_iter().collect(),
        devices: devices.into_iter().collect(),
        scans,
    })
}
