//! Complaints from citizens (phản ánh, kiến nghị): what a filing must hold,
//! the statuses a complaint goes through, and who may move it.
//!
//! Invariant: pure; the store keeps complaints and their history, the API
//! asks here first.

use serde::{Deserialize, Serialize};

pub use truyxuat_core::journal::COMPLAINT_CATEGORIES as CATEGORIES;

/// A complaint's statuses, in the order it goes through them.
pub const STATUSES: [&str; 4] = ["received", "processing", "resolved", "rejected"];

/// The complaints one account files in 24 hours that enter the queue (and
/// the figures); the rest are kept and answer to their tracking codes, but
/// are held out (1,000 complaints in one push flooded a province's queue).
pub const MAX_QUEUED_PER_DAY: i64 = 10;

/// A filing as it arrives.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct Filing {
    /// The scanned text (any code the decoder gives).
    pub code: String,
    /// counterfeit, quality_safety, labelling, expired or other.
    pub category: String,
    pub description: String,
    /// Province code where it happened.
    pub province: String,
    /// Phone or e-mail; required when not signed in.
    #[serde(default)]
    pub contact: Option<String>,
    /// Photos sent before (`POST /v1/photos`), by their SHA-256; at most 5.
    #[serde(default)]
    pub photos: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub at: String,
    pub status: String,
    pub note: Option<String>,
    /// Who made the change (left out of the filer's view).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Complaint {
    pub tracking_code: String,
    pub code: String,
    pub gtin: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub category: String,
    pub description: String,
    pub province: String,
    /// Only in the inspectors' queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    pub status: String,
    pub assigned_to: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub history: Vec<HistoryEntry>,
    /// The photos' SHA-256 (`GET /v1/photos/{hash}` for those who handle it).
    #[serde(default)]
    pub photos: Vec<String>,
    #[serde(skip)]
    pub filer_user_id: Option<i64>,
}

impl Complaint {
    /// What the filer (or anyone holding the tracking code) sees.
    pub fn public(mut self) -> Complaint {
        self.contact = None;
        self.assigned_to = None;
        for h in &mut self.history {
            h.actor = None;
        }
        self
    }
}

/// A complaint to file.
#[derive(Clone, Debug)]
pub struct NewComplaint {
    pub tracking_code: String,
    pub filing: Filing,
    pub gtin: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub filer_user_id: Option<i64>,
    /// When the filer filed it, for one recorded on a phone (its clock, as
    /// `YYYY-MM-DDTHH:MM:SS.fffZ`); the store's time when none, unreadable
    /// or later than now.
    pub filed_at: Option<String>,
}

/// Check a filing; `signed_in` filers need no contact.
pub fn check(f: &Filing, signed_in: bool) -> Result<(), String> {
    truyxuat_core::journal::check_complaint(
        &truyxuat_core::journal::ComplaintReport {
            code: f.code.clone(),
            category: f.category.clone(),
            description: f.description.clone(),
            province: f.province.clone(),
            contact: f.contact.clone(),
            photos: f.photos.clone(),
        },
        signed_in,
    )?;
    if f.photos.len() > crate::domain::photo::MAX_PER_COMPLAINT {
        return Err(format!("at most {} photos per complaint", crate::domain::photo::MAX_PER_COMPLAINT));
    }
    Ok(())
}

/// May `from` become `to`? received → processing → resolved | rejected;
/// received → rejected.
pub fn can_move(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("received", "processing")
            | ("received", "rejected")
            | ("processing", "resolved")
            | ("processing", "rejected")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_move_forward_only() {
        assert!(can_move("received", "processing"));
        assert!(can_move("processing", "resolved"));
        assert!(!can_move("received", "resolved"));
        assert!(!can_move("resolved", "processing"));
        assert!(!can_move("rejected", "received"));
    }
}
