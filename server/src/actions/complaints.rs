//! Complaints from citizens: filing (signed in, or anonymous with a
//! contact), the filer's view by tracking code, the queue of those who
//! handle a province's complaints, moving a complaint on, and the photos
//! that go with them.

use serde::{Deserialize, Serialize};

use crate::actions::{Error, Result, Written};
use crate::domain::account::User;
use crate::domain::complaint::{self, Complaint, Filing, NewComplaint};
use crate::domain::photo::{self, PhotoError};
use crate::domain::rights;
use crate::store::{Store, StoreError, StoredPhoto};

/// The largest page of a queue.
pub const MAX_PAGE: u32 = 500;
/// What one list of a queue shows at most.
pub const MAX_LISTED: usize = 5_000;
/// The longest note on a status change.
pub const MAX_NOTE_CHARS: usize = 4000;

/// A fresh tracking code for a complaint filed on the web or the API: the
/// same form as a phone's (10 characters without look-alikes such as 0/O,
/// 1/I/L), from random bytes instead of an event id.
fn new_tracking_code() -> String {
    truyxuat_core::journal::complaint_tracking_code(&format!("{:032x}", rand::random::<u128>()))
}

/// File a complaint (its photos sent before); the filer's view of it.
pub fn file(store: &dyn Store, filer: Option<&User>, filing: Filing) -> Result<Written<Complaint>> {
    complaint::check(&filing, filer.is_some()).map_err(|d| Error::invalid("invalid_complaint", d))?;
    // A photo not sent, or sent by someone else: one answer for both (it
    // must not tell whether another's photo exists).
    let senders = store.photo_senders(&filing.photos)?;
    let filer_id = filer.map(|u| u.id);
    if let Some((hash, _)) = filing
        .photos
        .iter()
        .zip(&senders)
        .find(|(_, sent)| !sent.is_some_and(|by| rights::attach_photo(filer_id, by)))
    {
        return Err(Error::invalid(
            "invalid_complaint",
            format!("photo {hash} was not sent first by this filer (POST /v1/photos)"),
        ));
    }
    let info = truyxuat_core::code::parse_code(&filing.code);
    let mut attempt = 0;
    loop {
        let new = NewComplaint {
            tracking_code: new_tracking_code(),
            filing: filing.clone(),
            gtin: info.gtin.clone(),
            lot: info.lot.clone(),
            serial: info.serial.clone(),
            filer_user_id: filer.map(|u| u.id),
            filed_at: None,
        };
        match store.file_complaint(&new) {
            Err(StoreError::Conflict(_)) if attempt < 5 => attempt += 1,
            other => return Ok(Written::untouched(other?.public())),
        }
    }
}

/// A complaint by its tracking code: in full for those who handle its
/// province, else the filer's view (no contact, no officials' names).
pub fn status(store: &dyn Store, me: Option<&User>, tracking_code: &str) -> Result<Complaint> {
    let c = store
        .complaint(tracking_code)?
        .ok_or_else(|| Error::NotFound("no complaint with this tracking code".into()))?;
    Ok(if me.is_some_and(|u| rights::handle_complaint(u, &c.province).is_ok()) { c } else { c.public() })
}

/// A complaint in full, for one who handles it (the portal's page).
pub fn handled(store: &dyn Store, me: &User, tracking_code: &str) -> Result<Complaint> {
    let c = store
        .complaint(tracking_code)?
        .ok_or_else(|| Error::NotFound("no complaint with this tracking code".into()))?;
    rights::handle_complaint(me, &c.province)?;
    Ok(c)
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// received, processing, resolved or rejected.
    pub status: Option<String>,
    /// Province code; defaults to the caller's (national accounts: all).
    pub province: Option<String>,
    #[serde(default)]
    pub after: i64,
    /// 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// One page of a queue.
pub struct QueuePage {
    /// The province it covers (none: every province).
    pub province: Option<String>,
    /// The complaints, each with its position (for `after`).
    pub items: Vec<(i64, Complaint)>,
}

/// One page of the queue `me` may see.
pub fn queue(store: &dyn Store, me: &User, q: &QueueQuery) -> Result<QueuePage> {
    let province = rights::see_complaints(me, q.province.as_deref())?;
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    if let Some(s) = status
        && !complaint::STATUSES.contains(&s)
    {
        return Err(Error::bad_request("invalid_query", format!("unknown status {s:?}")));
    }
    let limit = Error::page_limit(q.limit, 100, MAX_PAGE)?;
    let items = store.complaints(province.as_deref(), status, q.after, limit)?;
    Ok(QueuePage { province, items })
}

/// The whole queue (up to [`MAX_LISTED`]), newest first, for a page; and
/// the province it covers (none: every province).
pub fn queue_listed(
    store: &dyn Store,
    me: &User,
    q: &QueueQuery,
) -> Result<(Option<String>, Vec<Complaint>)> {
    let mut q = QueueQuery { after: 0, limit: Some(MAX_PAGE), ..q.clone() };
    let mut all = Vec::new();
    loop {
        let page = queue(store, me, &q)?;
        let full = page.items.len() == MAX_PAGE as usize;
        if let Some((last, _)) = page.items.last() {
            q.after = *last;
        }
        all.extend(page.items.into_iter().map(|(_, c)| c));
        if !full || all.len() >= MAX_LISTED {
            all.truncate(MAX_LISTED);
            all.reverse();
            return Ok((page.province, all));
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Move {
    /// processing, resolved or rejected.
    pub status: String,
    pub note: Option<String>,
    /// Who handles it from now on.
    pub assign_to: Option<String>,
}

/// Move a complaint `me` handles to its next status, noted in its history;
/// the filer's devices are told.
pub fn move_on(store: &dyn Store, me: &User, tracking_code: &str, m: Move) -> Result<Written<Complaint>> {
    if !["processing", "resolved", "rejected"].contains(&m.status.as_str()) {
        return Err(Error::invalid(
            "invalid_status",
            format!("{:?}: use processing, resolved or rejected", m.status),
        ));
    }
    if m.note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(Error::invalid(
            "invalid_note",
            format!("a note has at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    if m.assign_to.as_ref().is_some_and(|a| a.chars().count() > 64) {
        return Err(Error::invalid("invalid_assignee", "a username has at most 64 characters"));
    }
    handled(store, me, tracking_code)?;
    let moved = store
        .move_complaint(tracking_code, &me.username, &m.status, m.note.as_deref(), m.assign_to.as_deref())
        .map_err(|e| match e {
            StoreError::Conflict(detail) => Error::Conflict { code: "invalid_transition", detail },
            other => other.into(),
        })?;
    Ok(Written::untouched(moved))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PhotoStored {
    /// SHA-256 of the bytes: what a complaint's `photos` names.
    pub hash: String,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    pub size: usize,
}

/// Keep a photo for a complaint, checked by its bytes; `true` when it was
/// not here yet.
pub fn upload_photo(
    store: &dyn Store,
    me: Option<&User>,
    bytes: &[u8],
) -> Result<Written<(PhotoStored, bool)>> {
    let photo = photo::check(bytes).map_err(|e| match e {
        PhotoError::TooLarge(_) => Error::TooLarge(e.to_string()),
        other => Error::invalid("invalid_photo", other.to_string()),
    })?;
    let new = store.put_photo(&photo, bytes, me.map(|u| u.id))?;
    let view = PhotoStored {
        hash: photo.hash,
        media_type: photo.media_type.into(),
        width: photo.width,
        height: photo.height,
        size: bytes.len(),
    };
    Ok(Written::untouched((view, new)))
}

/// A photo, if `me` sent it or handles a complaint that names it; one `me`
/// may not see is "not found", like one that is not there.
pub fn photo(store: &dyn Store, me: &User, hash: &str) -> Result<StoredPhoto> {
    let not_found = || Error::NotFound("no such photo".into());
    if !photo::is_hash(hash) {
        return Err(not_found());
    }
    let found = store.photo(hash)?.ok_or_else(not_found)?;
    // A complaint shows a photo to its handlers only when its filer sent it
    // (one pushed from a phone may name a photo before anyone sent it).
    let provinces: Vec<String> = store
        .photo_complaints(hash)?
        .into_iter()
        .filter(|(_, filer)| rights::attach_photo(*filer, found.uploaded_by))
        .map(|(province, _)| province)
        .collect();
    if rights::see_photo(me, found.uploaded_by, &provinces) { Ok(found) } else { Err(not_found()) }
}
