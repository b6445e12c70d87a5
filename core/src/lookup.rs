//! What the phone shows for a scanned code: the server's answer when online,
//! and offline the last answer it saved or what its synced catalog says.
//!
//! Invariants: reads the journal only (the sync client saves answers); an
//! offline answer always says where it came from and how old it is, and a
//! recall the phone has pulled is shown even on an answer saved before it.

use serde::{Deserialize, Serialize};

use crate::code::{CodeInfo, parse_code};
use crate::journal::{Journal, JournalError};

/// Cache kind of saved online answers, keyed by [`CodeInfo::key`].
pub const SAVED_KIND: &str = "resolution";
/// Saved answers kept; the oldest go first.
pub const SAVED_KEEP: u32 = 500;

/// A warning or a chain break: a stable code and the text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: String,
    pub vi: String,
    pub en: String,
}

impl Warning {
    pub fn new(code: &str, vi: impl Into<String>, en: impl Into<String>) -> Warning {
        Warning { code: code.into(), vi: vi.into(), en: en.into() }
    }

    pub fn revoked(code: &RevokedCode) -> Warning {
        Warning::new(
            "revoked",
            format!("Mã này đã bị thu hồi, không còn giá trị: {}", code.reason_vi),
            format!("This code has been revoked: {}", code.reason_en.as_deref().unwrap_or(&code.reason_vi)),
        )
    }

    pub fn recalled(recall: &RecallNote) -> Warning {
        Warning::new(
            "recalled",
            format!("Lô hàng này đã bị thu hồi: {}", recall.reason_vi),
            format!(
                "This lot has been recalled: {}",
                recall.reason_en.as_deref().unwrap_or(&recall.reason_vi)
            ),
        )
    }

    /// `expiry` is `YYYY-MM-DD`.
    pub fn expired(expiry: &str) -> Warning {
        Warning::new(
            "expired",
            format!("Sản phẩm đã hết hạn sử dụng ({expiry})"),
            format!("This product expired on {expiry}"),
        )
    }

    pub fn invalid_code() -> Warning {
        Warning::new(
            "invalid_code",
            "Mã không phải mã sản phẩm GS1 hợp lệ",
            "This is not a valid GS1 product code",
        )
    }

    /// Offline, with nothing synced about this product.
    pub fn unknown_offline() -> Warning {
        Warning::new(
            "unknown_offline",
            "Chưa có thông tin về mã này trên máy; hãy kết nối mạng để tra cứu",
            "Nothing about this code is stored on this phone; connect to look it up",
        )
    }
}

/// Where an answer came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// The server, just now.
    Online,
    /// An answer the server gave earlier, saved on the phone.
    Saved { saved_at: String, age_secs: u64 },
    /// Built on the phone from the synced catalog (or from the code alone).
    Local,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductView {
    pub gtin: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub brand: Option<String>,
    pub category: Option<String>,
    /// Province code (two digits).
    pub origin_province: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyView {
    pub name: String,
    pub province: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotView {
    pub lot: String,
    pub production_date: Option<String>,
    pub expiry: Option<String>,
}

/// A recall as the server declares it (pulled or in an answer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallNote {
    pub id: String,
    pub gtin: String,
    pub lots: Vec<String>,
    pub severity: String,
    pub reason_vi: String,
    pub reason_en: Option<String>,
}

impl RecallNote {
    pub fn covers(&self, gtin: &str, lot: &str) -> bool {
        self.gtin == gtin && self.lots.iter().any(|l| l == lot)
    }
}

/// A code the authority revoked (a forged or withdrawn GTIN, lot or serial):
/// `lot` and `serial` empty means the GTIN itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedCode {
    pub gtin: String,
    #[serde(default)]
    pub lot: String,
    #[serde(default)]
    pub serial: String,
    pub reason_vi: String,
    pub reason_en: Option<String>,
}

impl RevokedCode {
    /// The feed's key: `gtin/lot/serial`.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.gtin, self.lot, self.serial)
    }

    /// Does it name this code (the GTIN alone, or its lot or serial)?
    pub fn covers(&self, gtin: &str, lot: Option<&str>, serial: Option<&str>) -> bool {
        self.gtin == gtin
            && (self.lot.is_empty() || lot == Some(self.lot.as_str()))
            && (self.serial.is_empty() || serial == Some(self.serial.as_str()))
    }
}

/// The answer for one code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lookup {
    pub source: Source,
    pub code: CodeInfo,
    pub registered: bool,
    pub product: Option<ProductView>,
    pub company: Option<CompanyView>,
    pub lot: Option<LotView>,
    pub recalls: Vec<RecallNote>,
    /// Most serious first.
    pub warnings: Vec<Warning>,
    /// Whether the lot's chain is complete; `None` when not known offline.
    pub chain_complete: Option<bool>,
    /// Steps of the journey the server knows (0 offline from the catalog).
    pub journey_steps: u32,
    /// The server's whole answer (journey, inspections, certifications …)
    /// for detail screens; `None` when built on the phone.
    pub detail_json: Option<String>,
}

impl Lookup {
    pub fn has_warning(&self, code: &str) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }
}

/// The part of the server's `/v1/resolve` answer the phone reads.
#[derive(Deserialize)]
struct ServerAnswer {
    code: CodeInfo,
    registered: bool,
    product: Option<ProductView>,
    company: Option<CompanyView>,
    lot: Option<LotView>,
    #[serde(default)]
    recalls: Vec<RecallNote>,
    #[serde(default)]
    journey: Vec<serde::de::IgnoredAny>,
    chain: ServerChain,
    #[serde(default)]
    warnings: Vec<Warning>,
}

#[derive(Deserialize)]
struct ServerChain {
    complete: bool,
}

/// Read the server's answer (JSON text).
pub fn from_server(json: &str, source: Source) -> Result<Lookup, serde_json::Error> {
    let a: ServerAnswer = serde_json::from_str(json)?;
    Ok(Lookup {
        source,
        code: a.code,
        registered: a.registered,
        product: a.product,
        company: a.company,
        lot: a.lot,
        recalls: a.recalls,
        warnings: a.warnings,
        chain_complete: Some(a.chain.complete),
        journey_steps: a.journey.len() as u32,
        detail_json: Some(json.to_owned()),
    })
}

/// Remember an online answer for offline use.
pub fn save(journal: &mut Journal, code: &CodeInfo, json: &str) -> Result<(), JournalError> {
    journal.put_cached(SAVED_KIND, code.key(), json, SAVED_KEEP)
}

/// The recalls the last pulls brought, and those of the verified recall
/// pack (an inspector's province-wide list), each once.
pub(crate) fn pulled_recalls(journal: &Journal) -> Result<Vec<RecallNote>, JournalError> {
    let mut recalls: Vec<RecallNote> = journal
        .cached_kind("recall")?
        .into_iter()
        .filter_map(|(_, r)| serde_json::from_str(&r.data).ok())
        .collect();
    if let Some(pack) = recall_pack(journal)? {
        for r in pack.recalls {
            if !recalls.iter().any(|known| known.id == r.id) {
                recalls.push(r);
            }
        }
    }
    Ok(recalls)
}

/// Where the verified recall pack is kept (journal cache kind and key).
pub(crate) const PACK_KIND: &str = "recall_pack";
pub(crate) const PACK_KEY: &str = "state";

/// The recall pack the phone verified last, if any.
pub fn recall_pack(journal: &Journal) -> Result<Option<crate::recall_pack::PackState>, JournalError> {
    cached(journal, PACK_KIND, PACK_KEY)
}

fn cached<T: serde::de::DeserializeOwned>(
    journal: &Journal,
    kind: &str,
    key: &str,
) -> Result<Option<T>, JournalError> {
    Ok(journal.cached(kind, key)?.and_then(|r| serde_json::from_str(&r.data).ok()))
}

/// The answer without the network. `now_unix` is the current time in
/// seconds, `today` the local date `YYYY-MM-DD`.
pub fn offline(journal: &Journal, input: &str, now_unix: i64, today: &str) -> Result<Lookup, JournalError> {
    let code = parse_code(input);
    let mut out = match journal.cached(SAVED_KIND, code.key())? {
        Some(saved) => match from_server(&saved.data, Source::Local) {
            Ok(mut l) => {
                let at = crate::journal::parse_rfc3339(&saved.received_at).unwrap_or(now_unix);
                l.source =
                    Source::Saved { saved_at: saved.received_at, age_secs: (now_unix - at).max(0) as u64 };
                l
            }
            // Saved by an older version in another shape: build it afresh.
            Err(_) => local(journal, code, today)?,
        },
        None => local(journal, code, today)?,
    };
    // Revoked codes in the verified recall pack.
    if let (Some(gtin), Some(pack)) = (out.code.gtin.clone(), recall_pack(journal)?)
        && !out.has_warning("revoked")
        && let Some(r) =
            pack.revoked.iter().find(|r| r.covers(&gtin, out.code.lot.as_deref(), out.code.serial.as_deref()))
    {
        out.warnings.insert(0, Warning::revoked(r));
    }
    // Recalls pulled since the answer was saved.
    if let (Some(gtin), Some(lot)) = (out.code.gtin.clone(), out.code.lot.clone()) {
        for r in pulled_recalls(journal)?.into_iter().filter(|r| r.covers(&gtin, &lot)) {
            if !out.recalls.iter().any(|known| known.id == r.id) {
                if !out.has_warning("recalled") {
                    out.warnings.insert(0, Warning::recalled(&r));
                }
                out.recalls.push(r);
            }
        }
    }
    Ok(out)
}

/// Built from the synced catalog and the code itself.
fn local(journal: &Journal, code: CodeInfo, today: &str) -> Result<Lookup, JournalError> {
    let mut out = Lookup {
        source: Source::Local,
        code,
        registered: false,
        product: None,
        company: None,
        lot: None,
        recalls: Vec::new(),
        warnings: Vec::new(),
        chain_complete: None,
        journey_steps: 0,
        detail_json: None,
    };
    if !out.code.kind.is_product() {
        if matches!(out.code.kind, crate::code::CodeKind::Invalid | crate::code::CodeKind::Other) {
            out.warnings.push(Warning::invalid_code());
        }
        return Ok(out);
    }
    let gtin = out.code.gtin.clone().unwrap_or_default();
    out.product = cached(journal, "product", &gtin)?;
    out.registered = out.product.is_some();
    if let Some(lot) = &out.code.lot {
        out.lot = cached(journal, "lot", &format!("{gtin}/{lot}"))?;
    }
    // The lot's expiry, or the one printed in the code (AI 17).
    let expiry = out.lot.as_ref().and_then(|l| l.expiry.clone()).or_else(|| {
        let m = crate::gs1::parse_any(&out.code.input, &crate::gs1::Options::default()).ok()?;
        crate::gs1::date_yymmdd(m.get("17")?, today.get(..4)?.parse().ok()?)
    });
    if let Some(expiry) = expiry.filter(|e| e.as_str() < today) {
        out.warnings.push(Warning::expired(&expiry));
    }
    if !out.registered {
        out.warnings.push(Warning::unknown_offline());
    }
    Ok(out)
}
