//! Storage behind one trait, so that a PostgreSQL backend can join SQLite.
//! Every backend runs the same contract tests (`tests/store_contract.rs`).
//!
//! Invariants: the store decides only what needs the stored state
//! (duplicates, sequence conflicts, chain links); whether an event is valid
//! and allowed is decided before, in `ingest`. One push batch is one
//! transaction. Stored events are never deleted or changed, except that an
//! accepted event's status may be changed by an authority (and that change is
//! published to its owner's pull feed).

mod sqlite;

use crate::domain::account::{NewUser, User};
use crate::domain::complaint::NewComplaint;
use crate::domain::ingest::Candidate;
use crate::domain::stats::{ComplaintStats, Participation, RecallStats, ScanStats, Scope};

use serde::Serialize;
pub use sqlite::SqliteStore;

/// Open the store `--db` names (a SQLite file), creating and migrating it
/// as needed.
pub fn open(db: &std::path::Path) -> Result<std::sync::Arc<dyn Store>> {
    Ok(std::sync::Arc::new(SqliteStore::open(db)?))
}
use truyxuat_core::sync::wire::{Change, EventError, PushResult};

use crate::domain::catalog::{Catalog, Certification, Company, Location, Lot, Product, Recall, TraceRole};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Conflict(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error(
        "the database was written by a newer version of truyxuat (schema {found}, this build knows {known})"
    )]
    TooNew { found: i64, known: i64 },
    #[error("storage error: {0}")]
    Backend(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The time a write is recorded (`received_at`, `changed_at`, …):
/// `YYYY-MM-DDTHH:MM:SS.sssZ`. A record time is the store's own fact, so the
/// store reads the wall clock for it (with `clock.rs`, the only code that
/// does).
pub fn record_time() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    truyxuat_core::journal::format_unix_ms(ms)
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredEvent {
    pub server_seq: i64,
    pub id: String,
    pub device_id: String,
    pub seq: i64,
    pub username: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub device_time: String,
    pub hash: String,
    pub status: String,
    pub error: Option<EventError>,
    pub received_at: String,
}

#[derive(Clone, Debug, Default)]
pub struct EventQuery {
    pub device_id: Option<String>,
    pub user_id: Option<i64>,
    pub after: i64,
    pub limit: u32,
}

/// A finished EPCIS capture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CaptureJob {
    #[serde(rename = "captureID")]
    pub capture_id: String,
    #[serde(skip)]
    pub user_id: i64,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    /// Events in the document; of those, stored now and already here.
    pub events: u64,
    pub stored: u64,
    pub duplicates: u64,
}

/// The EPCIS event query, with values already in stored form (CBV words
/// bare, identifiers canonical, times UTC). Lists are "any of"; a pattern
/// ending in `*` matches by prefix.
#[derive(Clone, Debug, Default)]
pub struct EpcisQuery {
    pub event_types: Vec<String>,
    pub actions: Vec<String>,
    pub biz_steps: Vec<String>,
    pub dispositions: Vec<String>,
    pub read_points: Vec<String>,
    pub biz_locations: Vec<String>,
    pub event_ids: Vec<String>,
    pub match_epc: Vec<String>,
    pub match_any_epc: Vec<String>,
    pub match_class: Vec<String>,
    pub ge_event_time: Option<String>,
    pub lt_event_time: Option<String>,
    pub ge_record_time: Option<String>,
    pub lt_record_time: Option<String>,
    /// Some quantity element of the event (any quantity list) compares so.
    pub quantities: Vec<(Comparison, f64)>,
    /// Only corrections (`EXISTS_errorDeclaration`).
    pub error_declared: bool,
    /// Corrections for one of these reasons (bare CBV words or URIs).
    pub error_reasons: Vec<String>,
    /// Corrections naming one of these corrective events.
    pub corrective_ids: Vec<String>,
    /// Only events this account captured.
    pub user_id: Option<i64>,
    pub order: EpcisOrder,
    /// The page starts after this position: (seq, and in event-time order
    /// its event time); none: from the start.
    pub after: Option<(i64, Option<String>)>,
    /// At most this many.
    pub limit: u32,
}

/// How the query orders events: by record (arrival) or by event time,
/// either way, the seq breaking ties.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EpcisOrder {
    pub by_event_time: bool,
    pub descending: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Comparison {
    pub fn sql(self) -> &'static str {
        match self {
            Comparison::Eq => "=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
        }
    }
}

/// An event already stored that an incoming one bears on: one with its
/// eventID or its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpcisClaim {
    /// The account that captured it (a phone's event: the phone's owner).
    pub user_id: i64,
    /// The same event (same hash), whatever its eventID.
    pub same_hash: bool,
    /// A correction (it has an errorDeclaration).
    pub declared: bool,
}

/// A captured event as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEpcis {
    pub seq: i64,
    pub event_id: String,
    pub id_assigned: bool,
    pub raw: String,
    pub context: String,
    pub record_time: String,
    pub event_time: String,
}

/// A company with the size of what it registered.
#[derive(Clone, Debug, PartialEq)]
pub struct CompanySummary {
    pub company: Company,
    pub products: u64,
    pub lots: u64,
    pub recalls: u64,
}

/// A stored photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPhoto {
    pub media_type: String,
    pub bytes: Vec<u8>,
    pub uploaded_by: Option<i64>,
}

/// A published recall or revocation change: feed seq, kind, key, the
/// record's JSON (none: withdrawn).
pub type RecallChange = (i64, String, String, Option<String>);

/// A reference-data change to publish to the pull feed.
#[derive(Clone, Debug)]
pub struct NewChange {
    pub kind: String,
    pub key: String,
    /// `None` removes the record on devices.
    pub data: Option<serde_json::Value>,
    /// Only devices of users of this province get it (`None`: everyone).
    pub province: Option<String>,
    /// Only this user's devices get it (`None`: everyone in scope).
    pub user_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PullPage {
    pub changes: Vec<Change>,
    /// The feed position after this page (the position sent when nothing came).
    pub last: i64,
    pub has_more: bool,
}

pub trait Store: Send + Sync + 'static {
    fn create_user(&self, user: &NewUser) -> Result<User>;
    fn user_by_name(&self, username: &str) -> Result<Option<User>>;
    fn user_by_id(&self, id: i64) -> Result<Option<User>>;
    /// A new password hash and/or the account disabled or enabled; either
    /// ends every token issued before (the generation moves on).
    fn update_account(
        &self,
        user_id: i64,
        password_hash: Option<&str>,
        disabled: Option<bool>,
    ) -> Result<User>;
    /// End a session (`sid`) of this account, kept until `until`.
    fn end_session(&self, user_id: i64, sid: &str, until: &str) -> Result<()>;
    fn session_ended(&self, sid: &str) -> Result<bool>;
    /// Register (or re-register) a device for a user; `Conflict` if another user has it.
    fn register_device(&self, user_id: i64, device_id: &str, name: Option<&str>) -> Result<()>;
    fn device_owner(&self, device_id: &str) -> Result<Option<i64>>;
    /// Store a batch for one device in one transaction; one result per candidate, in order.
    fn push(&self, user_id: i64, device_id: &str, batch: &[Candidate]) -> Result<Vec<PushResult>>;
    fn events(&self, query: &EventQuery) -> Result<Vec<StoredEvent>>;
    fn event_count(&self) -> Result<u64>;
    /// Change an accepted event's status (an authority's decision) and tell its owner.
    fn set_event_status(&self, event_id: &str, error: Option<&EventError>) -> Result<()>;
    fn publish(&self, change: &NewChange) -> Result<i64>;
    /// Changes after feed position `after` visible to `user`, at most `limit`.
    fn pull(&self, user: &User, after: i64, limit: u32) -> Result<PullPage>;

    /// Store catalog records (insert or replace), all in one transaction.
    /// Recalls are also published to the pull feed. `Conflict` when a record
    /// names a company, product or location that does not exist.
    fn apply_catalog(&self, catalog: &Catalog) -> Result<()> {
        self.apply_catalog_with(catalog, &[])
    }
    /// [`Store::apply_catalog`] and feed changes (a recall's notices to the
    /// accounts it reached) in the same transaction.
    fn apply_catalog_with(&self, catalog: &Catalog, notices: &[NewChange]) -> Result<()>;
    /// The company whose GS1 company prefix covers this GTIN-14.
    fn prefix_owner(&self, gtin: &str) -> Result<Option<Company>>;
    /// The GLNs of the suppliers registered for a product.
    fn suppliers(&self, gtin: &str) -> Result<Vec<String>>;
    /// Products whose name, brand or GTIN match every word of `query`
    /// (diacritics and case ignored), best first; and how many match in all.
    fn search_products(&self, query: &str, limit: u32, offset: u32) -> Result<(Vec<Product>, u64)>;
    fn product(&self, gtin: &str) -> Result<Option<Product>>;
    fn company(&self, key: &str) -> Result<Option<Company>>;
    /// The company with this GLN, or owning the location with this GLN.
    fn company_by_gln(&self, gln: &str) -> Result<Option<Company>>;
    fn location(&self, gln: &str) -> Result<Option<Location>>;
    fn lot(&self, gtin: &str, lot: &str) -> Result<Option<Lot>>;
    fn serial_lot(&self, gtin: &str, serial: &str) -> Result<Option<String>>;
    fn certifications(&self, subjects: &[String]) -> Result<Vec<Certification>>;
    fn recall(&self, id: &str) -> Result<Option<Recall>>;
    /// Recalls naming this GTIN (and this lot, when given).
    fn recalls(&self, gtin: &str, lot: Option<&str>) -> Result<Vec<Recall>>;
    /// Accepted events that concern this GTIN, restricted to a lot and/or a
    /// serial when given, in arrival order; scans only when asked for (a
    /// popular lot has many).
    fn trace(
        &self,
        gtin: &str,
        lot: Option<&str>,
        serial: Option<&str>,
        scans: bool,
    ) -> Result<Vec<(TraceRole, StoredEvent)>>;
    /// Steps of this lot that their recorder later corrected (an EPCIS
    /// errorDeclaration), in arrival order: shown as corrected, no longer
    /// part of the story.
    fn corrected_trace(&self, gtin: &str, lot: &str) -> Result<Vec<StoredEvent>>;
    /// Revoke a code (or change the reason) and publish it to the feed.
    fn revoke(&self, code: &truyxuat_core::lookup::RevokedCode, by: &str) -> Result<()>;
    /// The revocations under a GTIN.
    fn revocations(&self, gtin: &str) -> Result<Vec<truyxuat_core::lookup::RevokedCode>>;
    /// The recall and revocation changes published to everyone or to
    /// `province` (not those addressed to one user) after `after`, in order,
    /// and the last such seq.
    fn recall_changes(&self, province: Option<&str>, after: i64) -> Result<(Vec<RecallChange>, i64)>;

    /// Store a capture's events, all or none (see `store::sqlite::epcis`).
    fn capture_epcis(
        &self,
        id: &str,
        user_id: i64,
        context: &str,
        events: &[crate::domain::epcis::IndexedEvent],
    ) -> Result<CaptureJob>;
    fn capture_job(&self, id: &str) -> Result<Option<CaptureJob>>;
    /// Capture jobs newest first, of one account (none: every account's),
    /// after the job `before`, at most `limit`.
    fn capture_jobs(&self, user_id: Option<i64>, before: Option<&str>, limit: u32)
    -> Result<Vec<CaptureJob>>;
    fn epcis_events(&self, query: &EpcisQuery) -> Result<Vec<StoredEpcis>>;
    /// How many events match `query` (its position and limit aside).
    fn epcis_count(&self, query: &EpcisQuery) -> Result<u64>;
    /// The stored events with this eventID or this hash.
    fn epcis_claims(&self, event_id: &str, hash: &str) -> Result<Vec<EpcisClaim>>;

    /// The products of a company (by its key), by Vietnamese name.
    fn products_of(&self, company: &str) -> Result<Vec<Product>>;
    /// The lots of a product, newest first.
    fn lots_of(&self, gtin: &str) -> Result<Vec<Lot>>;
    /// The locations of a company (by its key).
    fn locations_of(&self, company: &str) -> Result<Vec<Location>>;
    /// Companies of a province (all: none), by name, with their counts.
    fn company_summaries(&self, province: Option<&str>) -> Result<Vec<CompanySummary>>;
    /// Accepted inspections at places of a province (all: none), newest first.
    fn inspections(&self, province: Option<&str>, limit: u32) -> Result<Vec<StoredEvent>>;

    // Statistics (`crate::domain::stats` decides scope and fills the gaps).
    /// The last Vietnamese day with a scan.
    fn latest_scan_day(&self) -> Result<Option<String>>;
    /// Scan figures; `by_day` holds days with scans only.
    fn scan_stats(&self, scope: &Scope) -> Result<ScanStats>;
    fn complaint_stats(&self, scope: &Scope) -> Result<ComplaintStats>;
    /// Recalls in scope, without their reach.
    fn recall_stats(&self, scope: &Scope) -> Result<RecallStats>;
    /// How many of `devices` have pulled the recall.
    fn recall_received(&self, recall_id: &str, devices: &[String]) -> Result<u64>;
    /// Counts, without chain completeness.
    fn participation(&self, province: Option<&str>) -> Result<Participation>;
    /// (GTIN, lot) of the lots of the province's companies (all: none).
    fn lots_in(&self, province: Option<&str>) -> Result<Vec<(String, String)>>;
    /// The device (if the user's) has pulled up to `last_seq`.
    fn note_pull(&self, user_id: i64, device_id: &str, last_seq: i64) -> Result<()>;

    /// Keep a checked photo (true when it was not there yet).
    fn put_photo(&self, photo: &crate::domain::photo::Photo, bytes: &[u8], user: Option<i64>)
    -> Result<bool>;
    fn photo(&self, hash: &str) -> Result<Option<StoredPhoto>>;
    /// The complaints that name the photo: each one's province and filer.
    fn photo_complaints(&self, hash: &str) -> Result<Vec<(String, Option<i64>)>>;
    /// Who sent each of these photos (`Some(None)`: anonymously); `None`
    /// for a photo not stored.
    fn photo_senders(&self, hashes: &[String]) -> Result<Vec<Option<Option<i64>>>>;

    /// Store a new complaint (status `received`, first history entry).
    /// `Conflict` when the tracking code is taken.
    fn file_complaint(&self, complaint: &NewComplaint) -> Result<crate::domain::complaint::Complaint>;
    fn complaint(&self, tracking_code: &str) -> Result<Option<crate::domain::complaint::Complaint>>;
    /// Complaints after position `after`, of a province and/or status, with
    /// their positions.
    fn complaints(
        &self,
        province: Option<&str>,
        status: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, crate::domain::complaint::Complaint)>>;
    /// Move a complaint to `status` (`Conflict` if it may not go there), note
    /// it in the history, and tell the filer's devices.
    fn move_complaint(
        &self,
        tracking_code: &str,
        actor: &str,
        status: &str,
        note: Option<&str>,
        assign_to: Option<&str>,
    ) -> Result<crate::domain::complaint::Complaint>;
    /// Accepted events of one kind that happened at a site.
    fn site_events(&self, gln: &str, kind: &str) -> Result<Vec<StoredEvent>>;
    /// The province of each place a stored event names (none for a place
    /// not in the catalog); `None` when there is no such event.
    fn event_provinces(&self, event_id: &str) -> Result<Option<Vec<Option<String>>>>;
}
