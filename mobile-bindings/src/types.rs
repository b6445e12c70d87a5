//! The records and enums the apps see, and their conversions from the core's
//! types (field for field; no logic).

use truyxuat_core::{code, decode, journal, lookup, recall, sync};

// ---- decoding -------------------------------------------------------------

#[derive(Clone, Copy, Debug, uniffi::Enum)]
pub enum DecodeMode {
    /// One camera frame, within a budget fit for 30 frames/s.
    Fast,
    /// A still photo: extra passes (inverted, rotated, other binarizer).
    Thorough,
    /// A camera stream, frame after frame through one `Scanner`: fast, and
    /// after 15 frames in a row without a symbol one frame thorough.
    Stream,
}

impl From<DecodeMode> for decode::Mode {
    /// A single image or frame: `Stream` reads as `Fast`.
    fn from(m: DecodeMode) -> Self {
        match m {
            DecodeMode::Fast | DecodeMode::Stream => decode::Mode::Fast,
            DecodeMode::Thorough => decode::Mode::Thorough,
        }
    }
}

/// A rectangle of the frame, in the frame's own (unrotated) pixels.
#[derive(Clone, Copy, Debug, uniffi::Record)]
pub struct Crop {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

impl From<Crop> for decode::Crop {
    fn from(c: Crop) -> Self {
        decode::Crop { left: c.left, top: c.top, width: c.width, height: c.height }
    }
}

#[derive(Clone, Copy, Debug, uniffi::Record)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct Gs1Element {
    pub ai: String,
    pub value: String,
    /// The AI's data title, e.g. `BATCH/LOT`.
    pub title: Option<String>,
}

impl From<truyxuat_core::gs1::Element> for Gs1Element {
    fn from(e: truyxuat_core::gs1::Element) -> Self {
        let title = truyxuat_core::gs1::ai_title(&e.ai).map(str::to_owned);
        Gs1Element { ai: e.ai, value: e.value, title }
    }
}

/// What the GS1 engine made of a symbol's content.
#[derive(Clone, Debug, uniffi::Record)]
pub struct Gs1Parse {
    pub valid: bool,
    pub error: Option<String>,
    pub element_string: Option<String>,
    pub elements: Vec<Gs1Element>,
    pub dl_uri: Option<String>,
    pub gtin: Option<String>,
}

impl From<decode::Gs1Parse> for Gs1Parse {
    fn from(p: decode::Gs1Parse) -> Self {
        Gs1Parse {
            valid: p.valid,
            error: p.error,
            element_string: p.element_string,
            elements: p.ais.into_iter().map(Into::into).collect(),
            dl_uri: p.dl_uri,
            gtin: p.gtin,
        }
    }
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct Symbol {
    /// `EAN-13`, `QR Code`, `Data Matrix` …
    pub format: String,
    /// Decoded text; GS1 separators as U+001D.
    pub text: String,
    /// ISO/IEC 15424 symbology identifier, e.g. `]C1`, `]Q3`.
    pub symbology_id: String,
    pub is_gs1: bool,
    pub gs1: Option<Gs1Parse>,
    /// Corners (or ends, for linear codes) in the rotated, cropped frame.
    pub points: Vec<Point>,
}

impl From<decode::Symbol> for Symbol {
    fn from(s: decode::Symbol) -> Self {
        Symbol {
            format: s.format.name().to_owned(),
            text: s.text,
            symbology_id: s.symbology_id,
            is_gs1: s.is_gs1,
            gs1: s.gs1.map(Into::into),
            points: s.points.into_iter().map(|p| Point { x: p.x, y: p.y }).collect(),
        }
    }
}

// ---- codes ----------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CodeKind {
    Gtin,
    Lot,
    Serial,
    Gln,
    Sscc,
    Gs1,
    Other,
    Invalid,
}

impl From<code::CodeKind> for CodeKind {
    fn from(k: code::CodeKind) -> Self {
        match k {
            code::CodeKind::Gtin => CodeKind::Gtin,
            code::CodeKind::Lot => CodeKind::Lot,
            code::CodeKind::Serial => CodeKind::Serial,
            code::CodeKind::Gln => CodeKind::Gln,
            code::CodeKind::Sscc => CodeKind::Sscc,
            code::CodeKind::Gs1 => CodeKind::Gs1,
            code::CodeKind::Other => CodeKind::Other,
            code::CodeKind::Invalid => CodeKind::Invalid,
        }
    }
}

/// What a code names.
#[derive(Clone, Debug, uniffi::Record)]
pub struct CodeInfo {
    pub input: String,
    pub kind: CodeKind,
    pub gtin: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub gln: Option<String>,
    pub element_string: Option<String>,
    pub dl_uri: Option<String>,
    /// Why the code is invalid, naming the offending part.
    pub error: Option<String>,
    pub prefix_country: Option<String>,
    pub prefix_issuer_vi: Option<String>,
    pub prefix_issuer_en: Option<String>,
}

impl From<code::CodeInfo> for CodeInfo {
    fn from(c: code::CodeInfo) -> Self {
        CodeInfo {
            input: c.input,
            kind: c.kind.into(),
            gtin: c.gtin,
            lot: c.lot,
            serial: c.serial,
            gln: c.gln,
            element_string: c.element_string,
            dl_uri: c.dl_uri,
            error: c.error,
            prefix_country: c.prefix_country,
            prefix_issuer_vi: c.prefix_issuer_vi,
            prefix_issuer_en: c.prefix_issuer_en,
        }
    }
}

/// A parsed code with the validation verdict.
#[derive(Clone, Debug, uniffi::Record)]
pub struct ParsedCode {
    pub info: CodeInfo,
    /// False only when the code looks like GS1 data but breaks its rules.
    pub valid: bool,
    pub elements: Vec<Gs1Element>,
    /// Human-readable lines, e.g. `(10) RX500`.
    pub hri: Vec<String>,
}

impl From<code::CodeDetail> for ParsedCode {
    fn from(d: code::CodeDetail) -> Self {
        ParsedCode {
            valid: d.info.kind != code::CodeKind::Invalid,
            info: d.info.into(),
            elements: d.elements.into_iter().map(Into::into).collect(),
            hri: d.hri,
        }
    }
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct Province {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

// ---- the journal ------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum EventKind {
    Scan,
    Harvest,
    FarmDiary,
    Inspection,
    Shipping,
    Receiving,
    Transformation,
    Complaint,
}

impl From<&journal::EventBody> for EventKind {
    fn from(b: &journal::EventBody) -> Self {
        use journal::EventBody as B;
        match b {
            B::Scan(_) => EventKind::Scan,
            B::Harvest(_) => EventKind::Harvest,
            B::FarmDiary(_) => EventKind::FarmDiary,
            B::Inspection(_) => EventKind::Inspection,
            B::Shipping(_) => EventKind::Shipping,
            B::Receiving(_) => EventKind::Receiving,
            B::Transformation(_) => EventKind::Transformation,
            B::Complaint(_) => EventKind::Complaint,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SyncState {
    /// On the phone only, waiting for the next sync.
    Pending,
    /// The server has it.
    Synced,
    /// The server refused it (see `reason`); it stays on the phone.
    Rejected,
}

impl From<journal::OutboxState> for SyncState {
    fn from(s: journal::OutboxState) -> Self {
        match s {
            journal::OutboxState::Pending => SyncState::Pending,
            journal::OutboxState::Acked => SyncState::Synced,
            journal::OutboxState::Rejected => SyncState::Rejected,
        }
    }
}

/// One recorded event, for the history screen.
#[derive(Clone, Debug, uniffi::Record)]
pub struct JournalEntry {
    pub seq: i64,
    pub id: String,
    pub kind: EventKind,
    /// RFC 3339, UTC.
    pub device_time: String,
    pub state: SyncState,
    pub reason: Option<String>,
    /// The event's fields as JSON (as stored and sent).
    pub payload_json: String,
    /// For complaints: the tracking code to look the complaint up with.
    pub tracking_code: Option<String>,
}

impl From<journal::EventRecord> for JournalEntry {
    fn from(e: journal::EventRecord) -> Self {
        let payload = serde_json::to_value(&e.body).map(|v| v["payload"].to_string()).unwrap_or_default();
        JournalEntry {
            seq: e.seq,
            kind: (&e.body).into(),
            tracking_code: matches!(e.body, journal::EventBody::Complaint(_))
                .then(|| journal::complaint_tracking_code(&e.id)),
            id: e.id,
            device_time: e.device_time,
            state: e.state.into(),
            reason: e.reason,
            payload_json: payload,
        }
    }
}

/// What `record…` stored.
#[derive(Clone, Debug, uniffi::Record)]
pub struct Recorded {
    pub seq: i64,
    pub id: String,
    pub device_time: String,
}

impl From<journal::EventRecord> for Recorded {
    fn from(e: journal::EventRecord) -> Self {
        Recorded { seq: e.seq, id: e.id, device_time: e.device_time }
    }
}

#[derive(Clone, Copy, Debug, uniffi::Record)]
pub struct Counts {
    pub pending: u64,
    pub synced: u64,
    pub rejected: u64,
    pub total: u64,
}

impl From<journal::Counts> for Counts {
    fn from(c: journal::Counts) -> Self {
        Counts { pending: c.pending, synced: c.acked, rejected: c.rejected, total: c.total }
    }
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct VerifyReport {
    pub events: u64,
    pub ok: bool,
    /// The first event that does not check out, and why.
    pub bad_seq: Option<i64>,
    pub problem: Option<String>,
}

impl From<journal::VerifyReport> for VerifyReport {
    fn from(r: journal::VerifyReport) -> Self {
        let ok = r.ok();
        let (bad_seq, problem) = r.first_problem.unzip();
        VerifyReport { events: r.events, ok, bad_seq, problem }
    }
}

#[derive(Clone, Copy, Debug, uniffi::Record)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl From<GeoPoint> for journal::GeoPoint {
    fn from(p: GeoPoint) -> Self {
        journal::GeoPoint { lat: p.lat, lon: p.lon }
    }
}

/// The harvest form.
#[derive(Clone, Debug, uniffi::Record)]
pub struct HarvestForm {
    pub product: String,
    pub lot: String,
    pub quantity: f64,
    pub unit: String,
    /// `YYYY-MM-DD`.
    pub harvest_date: String,
    #[uniffi(default = None)]
    pub gtin: Option<String>,
    /// The farm's or plot's GLN.
    #[uniffi(default = None)]
    pub gln: Option<String>,
    #[uniffi(default = None)]
    pub location: Option<GeoPoint>,
    #[uniffi(default = None)]
    pub certification: Option<String>,
}

impl From<HarvestForm> for journal::EventBody {
    fn from(f: HarvestForm) -> Self {
        journal::EventBody::Harvest(journal::Harvest {
            product: f.product,
            gtin: f.gtin,
            lot: f.lot,
            quantity: f.quantity,
            unit: f.unit,
            harvest_date: f.harvest_date,
            gln: f.gln,
            location: f.location.map(Into::into),
            certification: f.certification,
            photos: Vec::new(),
        })
    }
}

/// A farm-diary entry: an input (fertiliser, pesticide) applied to a plot.
#[derive(Clone, Debug, uniffi::Record)]
pub struct FarmDiaryForm {
    pub input_name: String,
    pub dose: String,
    /// `YYYY-MM-DD`.
    pub applied_on: String,
    #[uniffi(default = None)]
    pub pre_harvest_interval_days: Option<u32>,
    #[uniffi(default = None)]
    pub gln: Option<String>,
    #[uniffi(default = None)]
    pub lot: Option<String>,
}

impl From<FarmDiaryForm> for journal::EventBody {
    fn from(f: FarmDiaryForm) -> Self {
        journal::EventBody::FarmDiary(journal::FarmDiary {
            input_name: f.input_name,
            dose: f.dose,
            applied_on: f.applied_on,
            pre_harvest_interval_days: f.pre_harvest_interval_days,
            gln: f.gln,
            lot: f.lot,
            photos: Vec::new(),
        })
    }
}

#[derive(Clone, Copy, Debug, uniffi::Enum)]
pub enum InspectionResult {
    Conformant,
    NonConformant,
}

/// An inspector's check in a market.
#[derive(Clone, Debug, uniffi::Record)]
pub struct InspectionForm {
    /// The code or lot inspected (any scanned text).
    pub code: String,
    pub result: InspectionResult,
    #[uniffi(default = [])]
    pub reasons: Vec<String>,
    #[uniffi(default = false)]
    pub sample_taken: bool,
    #[uniffi(default = None)]
    pub notes: Option<String>,
    #[uniffi(default = None)]
    pub market_gln: Option<String>,
    #[uniffi(default = None)]
    pub location: Option<GeoPoint>,
}

impl From<InspectionForm> for journal::EventBody {
    fn from(f: InspectionForm) -> Self {
        journal::EventBody::Inspection(journal::Inspection {
            code: f.code,
            market_gln: f.market_gln,
            location: f.location.map(Into::into),
            result: match f.result {
                InspectionResult::Conformant => journal::InspectionResult::Conformant,
                InspectionResult::NonConformant => journal::InspectionResult::NonConformant,
            },
            reasons: f.reasons,
            sample_taken: f.sample_taken,
            notes: f.notes,
            photos: Vec::new(),
        })
    }
}

/// A citizen's complaint about a scanned code.
#[derive(Clone, Debug, uniffi::Record)]
pub struct ComplaintForm {
    pub code: String,
    /// counterfeit, quality_safety, labelling, expired or other.
    pub category: String,
    pub description: String,
    /// Province code (see `provinces()`).
    pub province: String,
    #[uniffi(default = None)]
    pub contact: Option<String>,
}

impl From<ComplaintForm> for journal::EventBody {
    fn from(f: ComplaintForm) -> Self {
        journal::EventBody::Complaint(journal::ComplaintReport {
            code: f.code,
            category: f.category,
            description: f.description,
            province: f.province,
            contact: f.contact,
            photos: Vec::new(),
        })
    }
}

/// A filed complaint: the tracking code is valid at once, also offline.
#[derive(Clone, Debug, uniffi::Record)]
pub struct ComplaintReceipt {
    pub seq: i64,
    pub id: String,
    pub tracking_code: String,
}

impl From<journal::EventRecord> for ComplaintReceipt {
    fn from(e: journal::EventRecord) -> Self {
        ComplaintReceipt { seq: e.seq, tracking_code: journal::complaint_tracking_code(&e.id), id: e.id }
    }
}

/// A past scan of a lot that has since been recalled.
#[derive(Clone, Debug, uniffi::Record)]
pub struct RecalledScan {
    pub seq: i64,
    pub event_id: String,
    pub scanned_at: String,
    pub gtin: String,
    pub lot: String,
    pub recall_id: String,
    pub severity: String,
    pub reason_vi: String,
    pub reason_en: Option<String>,
}

impl From<recall::RecalledScan> for RecalledScan {
    fn from(r: recall::RecalledScan) -> Self {
        RecalledScan {
            seq: r.seq,
            event_id: r.event_id,
            scanned_at: r.scanned_at,
            gtin: r.gtin,
            lot: r.lot,
            recall_id: r.recall_id,
            severity: r.severity,
            reason_vi: r.reason_vi,
            reason_en: r.reason_en,
        }
    }
}

// ---- the session ------------------------------------------------------------

#[derive(Clone, Debug, uniffi::Record)]
pub struct SignedIn {
    pub user: String,
    pub role: String,
    pub device_id: String,
    /// Unix seconds.
    pub expires_at: i64,
}

impl From<sync::Login> for SignedIn {
    fn from(l: sync::Login) -> Self {
        SignedIn { user: l.user, role: l.role, device_id: l.device_id, expires_at: l.expires_at }
    }
}

/// The recall pack the phone holds after an update.
#[derive(Clone, Debug, uniffi::Record)]
pub struct RecallPackReport {
    pub province: Option<String>,
    pub version: i64,
    pub issued_at: String,
    pub recalls: u32,
    pub lots: u32,
    /// A whole pack came (first time, or the delta could not apply).
    pub whole: bool,
}

impl From<sync::PackReport> for RecallPackReport {
    fn from(r: sync::PackReport) -> Self {
        RecallPackReport {
            province: r.province,
            version: r.version,
            issued_at: r.issued_at,
            recalls: r.recalls as u32,
            lots: r.lots as u32,
            whole: r.whole,
        }
    }
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct SyncReport {
    pub pushed: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub pulled: u64,
    pub pending: u64,
    pub photos: u64,
    pub requests: u32,
    pub retries: u32,
}

impl From<sync::SyncReport> for SyncReport {
    fn from(r: sync::SyncReport) -> Self {
        SyncReport {
            pushed: r.pushed,
            duplicate: r.duplicate,
            rejected: r.rejected,
            pulled: r.pulled,
            pending: r.pending,
            photos: r.photos,
            requests: r.requests,
            retries: r.retries,
        }
    }
}

#[derive(Clone, Debug, uniffi::Enum)]
pub enum LookupSource {
    /// The server, just now.
    Online,
    /// An answer the server gave earlier, saved on this phone.
    Saved { saved_at: String, age_secs: u64 },
    /// Built on the phone from the synced catalog (or from the code alone).
    Local,
}

impl From<lookup::Source> for LookupSource {
    fn from(s: lookup::Source) -> Self {
        match s {
            lookup::Source::Online => LookupSource::Online,
            lookup::Source::Saved { saved_at, age_secs } => LookupSource::Saved { saved_at, age_secs },
            lookup::Source::Local => LookupSource::Local,
        }
    }
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct Warning {
    /// Stable: recalled, expired, possibly_cloned, not_registered,
    /// invalid_code, foreign_prefix, unknown_offline …
    pub code: String,
    pub vi: String,
    pub en: String,
}

impl From<lookup::Warning> for Warning {
    fn from(w: lookup::Warning) -> Self {
        Warning { code: w.code, vi: w.vi, en: w.en }
    }
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct Product {
    pub gtin: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub brand: Option<String>,
    pub category: Option<String>,
    pub origin_province: Option<String>,
}

impl From<lookup::ProductView> for Product {
    fn from(p: lookup::ProductView) -> Self {
        Product {
            gtin: p.gtin,
            name_vi: p.name_vi,
            name_en: p.name_en,
            brand: p.brand,
            category: p.category,
            origin_province: p.origin_province,
        }
    }
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct Company {
    pub name: String,
    pub province: Option<String>,
}

impl From<lookup::CompanyView> for Company {
    fn from(c: lookup::CompanyView) -> Self {
        Company { name: c.name, province: c.province }
    }
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct Lot {
    pub lot: String,
    pub production_date: Option<String>,
    pub expiry: Option<String>,
}

impl From<lookup::LotView> for Lot {
    fn from(l: lookup::LotView) -> Self {
        Lot { lot: l.lot, production_date: l.production_date, expiry: l.expiry }
    }
}

#[derive(Clone, Debug, uniffi::Record)]
pub struct Recall {
    pub id: String,
    pub gtin: String,
    pub lots: Vec<String>,
    pub severity: String,
    pub reason_vi: String,
    pub reason_en: Option<String>,
}

impl From<lookup::RecallNote> for Recall {
    fn from(r: lookup::RecallNote) -> Self {
        Recall {
            id: r.id,
            gtin: r.gtin,
            lots: r.lots,
            severity: r.severity,
            reason_vi: r.reason_vi,
            reason_en: r.reason_en,
        }
    }
}

/// The answer for a scanned code.
#[derive(Clone, Debug, uniffi::Record)]
pub struct Lookup {
    pub source: LookupSource,
    pub code: CodeInfo,
    pub registered: bool,
    pub product: Option<Product>,
    pub company: Option<Company>,
    pub lot: Option<Lot>,
    pub recalls: Vec<Recall>,
    /// Most serious first.
    pub warnings: Vec<Warning>,
    pub chain_complete: Option<bool>,
    pub journey_steps: u32,
    /// The server's whole answer, for the detail screen.
    pub detail_json: Option<String>,
}

impl From<lookup::Lookup> for Lookup {
    fn from(l: lookup::Lookup) -> Self {
        Lookup {
            source: l.source.into(),
            code: l.code.into(),
            registered: l.registered,
            product: l.product.map(Into::into),
            company: l.company.map(Into::into),
            lot: l.lot.map(Into::into),
            recalls: l.recalls.into_iter().map(Into::into).collect(),
            warnings: l.warnings.into_iter().map(Into::into).collect(),
            chain_complete: l.chain_complete,
            journey_steps: l.journey_steps,
            detail_json: l.detail_json,
        }
    }
}
