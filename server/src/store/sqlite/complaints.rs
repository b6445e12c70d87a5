//! Complaints' SQL for the SQLite backend.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{now, one};
use crate::domain::complaint::NewComplaint;
use crate::domain::complaint::{Complaint, HistoryEntry, can_move};
use crate::domain::photo::Photo;
use crate::store::{Result, StoreError, StoredPhoto};

const COLUMNS: &str = "id, tracking_code, code, gtin, lot, serial, category, description, province, contact, \
     status, assigned_to, created_at, updated_at, filer_user_id";

fn row(r: &Row<'_>) -> rusqlite::Result<(i64, Complaint)> {
    Ok((
        r.get(0)?,
        Complaint {
            tracking_code: r.get(1)?,
            code: r.get(2)?,
            gtin: r.get(3)?,
            lot: r.get(4)?,
            serial: r.get(5)?,
            category: r.get(6)?,
            description: r.get(7)?,
            province: r.get(8)?,
            contact: r.get(9)?,
            status: r.get(10)?,
            assigned_to: r.get(11)?,
            created_at: r.get(12)?,
            updated_at: r.get(13)?,
            filer_user_id: r.get(14)?,
            history: Vec::new(),
            photos: Vec::new(),
        },
    ))
}

fn with_history(c: &Connection, (id, mut complaint): (i64, Complaint)) -> Result<(i64, Complaint)> {
    let mut stmt = c.prepare_cached(
        "SELECT at, status, note, actor FROM complaint_history WHERE complaint_id = ?1 ORDER BY rowid",
    )?;
    complaint.history = stmt
        .query_map([id], |r| {
            Ok(HistoryEntry { at: r.get(0)?, status: r.get(1)?, note: r.get(2)?, actor: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    complaint.photos = c
        .prepare_cached("SELECT hash FROM complaint_photos WHERE complaint_id = ?1 ORDER BY rowid")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((id, complaint))
}

fn by_code(c: &Connection, tracking_code: &str) -> Result<Option<(i64, Complaint)>> {
    let found =
        one(c, &format!("SELECT {COLUMNS} FROM complaints WHERE tracking_code = ?1"), [tracking_code], row)
            .optional()?;
    found.map(|f| with_history(c, f)).transpose()
}

pub(super) fn file(conn: &mut Connection, n: &NewComplaint) -> Result<Complaint> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    insert(&tx, n)?;
    let stored =
        by_code(&tx, &n.tracking_code)?.ok_or_else(|| StoreError::Backend("complaint vanished".into()))?;
    tx.commit()?;
    Ok(stored.1)
}

/// Open a complaint (status `received`, first history entry) inside the
/// caller's transaction. `Conflict` when its tracking code is taken.
pub(super) fn insert(tx: &Connection, n: &NewComplaint) -> Result<()> {
    let now = now();
    let at = match n.filed_at.as_deref() {
        Some(t) if truyxuat_core::journal::parse_rfc3339(t).is_some() && t < now.as_str() => t,
        _ => now.as_str(),
    };
    let f = &n.filing;
    // Past its filer's share of the day, a complaint is kept but held out
    // of the queue and the figures.
    let day_before = truyxuat_core::journal::parse_rfc3339(&now)
        .map(|s| truyxuat_core::journal::format_unix_ms((s - 86_400) * 1000))
        .unwrap_or_default();
    let filed_today: i64 = match n.filer_user_id {
        Some(filer) => tx
            .prepare_cached("SELECT count(*) FROM complaints WHERE filer_user_id = ?1 AND received_at > ?2")?
            .query_row(params![filer, day_before], |r| r.get(0))?,
        None => 0,
    };
    let held = filed_today >= crate::domain::complaint::MAX_QUEUED_PER_DAY;
    let inserted = tx.execute(
        "INSERT INTO complaints (tracking_code, code, gtin, lot, serial, category, description, province, contact,
                                 filer_user_id, status, created_at, updated_at, received_at, held)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'received', ?11, ?11, ?12, ?13)
         ON CONFLICT(tracking_code) DO NOTHING",
        params![
            n.tracking_code,
            f.code,
            n.gtin,
            n.lot,
            n.serial,
            f.category,
            f.description.trim(),
            f.province,
            f.contact.as_deref().map(str::trim),
            n.filer_user_id,
            at,
            now,
            held
        ],
    )?;
    if inserted == 0 {
        return Err(StoreError::Conflict(format!("tracking code {} is taken", n.tracking_code)));
    }
    let id = tx.last_insert_rowid();
    for hash in &f.photos {
        tx.execute(
            "INSERT OR IGNORE INTO complaint_photos (complaint_id, hash) VALUES (?1, ?2)",
            params![id, hash],
        )?;
    }
    tx.execute(
        "INSERT INTO complaint_history (complaint_id, at, actor, status, note) VALUES (?1, ?2, ?3, 'received', NULL)",
        params![id, at, n.filer_user_id.map_or("anonymous".to_owned(), |u| format!("user:{u}"))],
    )?;
    Ok(())
}

pub(super) fn get(c: &Connection, tracking_code: &str) -> Result<Option<Complaint>> {
    Ok(by_code(c, tracking_code)?.map(|(_, c)| c))
}

pub(super) fn queue(
    c: &Connection,
    province: Option<&str>,
    status: Option<&str>,
    after: i64,
    limit: u32,
) -> Result<Vec<(i64, Complaint)>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM complaints WHERE id > ?1 AND (?2 IS NULL OR province = ?2)
         AND (?3 IS NULL OR status = ?3) AND held = 0 ORDER BY id LIMIT ?4"
    ))?;
    let rows = stmt
        .query_map(params![after, province, status, limit], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|r| with_history(c, r)).collect()
}

pub(super) fn update(
    conn: &mut Connection,
    tracking_code: &str,
    actor: &str,
    status: &str,
    note: Option<&str>,
    assign_to: Option<&str>,
) -> Result<Complaint> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let (id, current) = by_code(&tx, tracking_code)?
        .ok_or_else(|| StoreError::NotFound(format!("complaint {tracking_code}")))?;
    if !can_move(&current.status, status) {
        return Err(StoreError::Conflict(format!("a {} complaint cannot become {status}", current.status)));
    }
    let at = now();
    tx.execute(
        "UPDATE complaints SET status = ?1, assigned_to = COALESCE(?2, assigned_to), updated_at = ?3 WHERE id = ?4",
        params![status, assign_to, at, id],
    )?;
    tx.execute(
        "INSERT INTO complaint_history (complaint_id, at, actor, status, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, at, actor, status, note],
    )?;
    let (_, updated) =
        by_code(&tx, tracking_code)?.ok_or_else(|| StoreError::Backend("complaint vanished".into()))?;
    // The filer's phone hears of it on its next pull.
    if let Some(filer) = updated.filer_user_id {
        let data = serde_json::to_string(&updated.clone().public())
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        tx.execute(
            "INSERT INTO changes (kind, key, data, user_id, changed_at) VALUES ('complaint', ?1, ?2, ?3, ?4)",
            params![tracking_code, data, filer, at],
        )?;
    }
    tx.commit()?;
    Ok(updated)
}

pub(super) fn put_photo(c: &Connection, p: &Photo, bytes: &[u8], user: Option<i64>) -> Result<bool> {
    let inserted = c.execute(
        "INSERT OR IGNORE INTO photos (hash, media_type, size, width, height, bytes, uploaded_by, uploaded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![p.hash, p.media_type, bytes.len() as i64, p.width, p.height, bytes, user, now()],
    )?;
    Ok(inserted == 1)
}

pub(super) fn photo(c: &Connection, hash: &str) -> Result<Option<StoredPhoto>> {
    Ok(one(c, "SELECT media_type, bytes, uploaded_by FROM photos WHERE hash = ?1", [hash], |r| {
        Ok(StoredPhoto { media_type: r.get(0)?, bytes: r.get(1)?, uploaded_by: r.get(2)? })
    })
    .optional()?)
}

/// Provinces of the complaints that name the photo.
pub(super) fn photo_complaints(c: &Connection, hash: &str) -> Result<Vec<(String, Option<i64>)>> {
    let mut stmt = c.prepare_cached(
        "SELECT DISTINCT c.province, c.filer_user_id FROM complaint_photos p JOIN complaints c ON c.id = p.complaint_id
         WHERE p.hash = ?1",
    )?;
    let rows = stmt.query_map([hash], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who sent each of these photos (`None` inside: anonymously); `None` for
/// a photo not stored.
pub(super) fn photo_senders(c: &Connection, hashes: &[String]) -> Result<Vec<Option<Option<i64>>>> {
    let mut stmt = c.prepare_cached("SELECT uploaded_by FROM photos WHERE hash = ?1")?;
    hashes.iter().map(|h| Ok(stmt.query_row([h], |r| r.get::<_, Option<i64>>(0)).optional()?)).collect()
}
