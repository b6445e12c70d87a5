//! The facts a phone records, each mapped to GS1 CBV 2.0 / EPCIS 2.0 terms.

use serde::{Deserialize, Serialize};

/// What happened. Serialised as `{"kind": "...", "payload": {...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum EventBody {
    /// Someone scanned a code.
    Scan(Scan),
    /// A farmer harvested a lot (EPCIS ObjectEvent, bizStep `commissioning`).
    Harvest(Harvest),
    /// A farm-diary entry: an input applied to a plot.
    FarmDiary(FarmDiary),
    /// An inspector checked a code or lot at a location.
    Inspection(Inspection),
    /// An enterprise shipped goods.
    Shipping(Transfer),
    /// An enterprise received goods.
    Receiving(Transfer),
    /// Input lots became output lots (processing, roasting, packing …): an
    /// EPCIS TransformationEvent.
    Transformation(Transformation),
    /// A citizen's complaint about a scanned code, filed on the phone (also
    /// offline); the server opens it when the event arrives.
    Complaint(ComplaintReport),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    pub raw_text: String,
    pub symbology_id: Option<String>,
    /// Canonical element string when the code is GS1 data.
    pub element_string: Option<String>,
    pub location: Option<GeoPoint>,
    /// What the app showed (e.g. "recalled", "ok", "not_registered").
    pub answer_shown: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Harvest {
    pub product: String,
    pub gtin: Option<String>,
    pub lot: String,
    pub quantity: f64,
    pub unit: String,
    /// `YYYY-MM-DD`.
    pub harvest_date: String,
    /// The farm's or plot's GLN.
    pub gln: Option<String>,
    pub location: Option<GeoPoint>,
    /// VietGAP, organic, … certification note.
    pub certification: Option<String>,
    #[serde(default)]
    pub photos: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FarmDiary {
    /// Fertiliser or pesticide name.
    pub input_name: String,
    pub dose: String,
    /// `YYYY-MM-DD`.
    pub applied_on: String,
    pub pre_harvest_interval_days: Option<u32>,
    pub gln: Option<String>,
    pub lot: Option<String>,
    #[serde(default)]
    pub photos: Vec<String>,
}

#[derive(Clone, Debug, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionResult {
    Conformant,
    NonConformant,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// The code or lot inspected (any text the decoder produces).
    pub code: String,
    pub market_gln: Option<String>,
    pub location: Option<GeoPoint>,
    pub result: InspectionResult,
    #[serde(default)]
    pub reasons: Vec<String>,
    pub sample_taken: bool,
    pub notes: Option<String>,
    #[serde(default)]
    pub photos: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub gtin: String,
    pub lot: Option<String>,
    pub quantity: f64,
    pub unit: String,
    pub from_gln: Option<String>,
    pub to_gln: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComplaintReport {
    /// The scanned text.
    pub code: String,
    /// counterfeit, quality_safety, labelling, expired or other.
    pub category: String,
    pub description: String,
    /// Province code where it happened.
    pub province: String,
    pub contact: Option<String>,
    #[serde(default)]
    pub photos: Vec<String>,
}

/// The tracking code of a complaint filed as event `event_id`: the phone
/// shows it at once, offline, and the server opens the complaint under it.
pub fn complaint_tracking_code(event_id: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let digest = Sha256::digest(event_id.as_bytes());
    let body: String =
        digest[..10].iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    format!("PA-{body}")
}

/// A quantity of one lot of one product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LotRef {
    pub gtin: String,
    pub lot: Option<String>,
    pub quantity: Option<f64>,
    pub unit: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transformation {
    pub inputs: Vec<LotRef>,
    pub outputs: Vec<LotRef>,
    /// Where it happened (a factory's GLN).
    pub gln: Option<String>,
    /// What was done, for people ("rang xay", "đóng gói").
    pub process: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl EventBody {
    /// A scan of `raw_text`, with its canonical element string when the
    /// text (read with the symbology identifier, if given) is GS1 data.
    pub fn scan(
        raw_text: String,
        symbology_id: Option<String>,
        location: Option<GeoPoint>,
        answer_shown: Option<String>,
    ) -> EventBody {
        let opts = crate::gs1::Options::default();
        let parsed = symbology_id
            .as_deref()
            .and_then(|sid| crate::gs1::parse_scan(&format!("{sid}{raw_text}"), &opts).ok())
            .or_else(|| crate::gs1::parse_any(&raw_text, &opts).ok());
        EventBody::Scan(Scan {
            element_string: parsed.and_then(|m| m.element_string()),
            raw_text,
            symbology_id,
            location,
            answer_shown,
        })
    }

    /// The kind's stable name (also the `kind` column).
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Scan(_) => "scan",
            EventBody::Harvest(_) => "harvest",
            EventBody::FarmDiary(_) => "farm_diary",
            EventBody::Inspection(_) => "inspection",
            EventBody::Shipping(_) => "shipping",
            EventBody::Receiving(_) => "receiving",
            EventBody::Transformation(_) => "transformation",
            EventBody::Complaint(_) => "complaint",
        }
    }

    /// The body from its two stored parts, without copying the payload.
    pub fn from_parts(kind: &str, payload: &serde_json::Value) -> Result<EventBody, serde_json::Error> {
        use serde::de::Error;
        Ok(match kind {
            "scan" => EventBody::Scan(Scan::deserialize(payload)?),
            "harvest" => EventBody::Harvest(Harvest::deserialize(payload)?),
            "farm_diary" => EventBody::FarmDiary(FarmDiary::deserialize(payload)?),
            "inspection" => EventBody::Inspection(Inspection::deserialize(payload)?),
            "shipping" => EventBody::Shipping(Transfer::deserialize(payload)?),
            "receiving" => EventBody::Receiving(Transfer::deserialize(payload)?),
            "transformation" => EventBody::Transformation(Transformation::deserialize(payload)?),
            "complaint" => EventBody::Complaint(ComplaintReport::deserialize(payload)?),
            other => return Err(serde_json::Error::custom(format!("unknown event kind {other:?}"))),
        })
    }

    /// The CBV 2.0 business step an EPCIS export uses for this kind (none
    /// for a complaint, which is not a supply-chain event).
    pub fn cbv_biz_step(&self) -> Option<&'static str> {
        Some(match self {
            EventBody::Complaint(_) => return None,
            EventBody::Scan(_) | EventBody::Inspection(_) => "inspecting",
            EventBody::Harvest(_) | EventBody::Transformation(_) => "commissioning",
            EventBody::FarmDiary(_) => "treating",
            EventBody::Shipping(_) => "shipping",
            EventBody::Receiving(_) => "receiving",
        })
    }
}
