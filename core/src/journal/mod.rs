//! The offline journal: one SQLite file per device holding immutable events
//! in a hash chain, their outbox state and the sync metadata.
//!
//! Invariants: only this module writes SQL for the journal; an event, once
//! `append` has returned, is on disk (`synchronous=FULL`) and is never
//! changed or removed by the application; `verify` detects any edit,
//! removal or reordering made behind its back.

mod check;
mod event;
mod schema;

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use check::{COMPLAINT_CATEGORIES, check_complaint, limits, valid_date};
pub use event::{
    ComplaintReport, EventBody, FarmDiary, GeoPoint, Harvest, Inspection, InspectionResult, LotRef, Scan,
    Transfer, Transformation, complaint_tracking_code,
};

/// The hash that precedes the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error(
        "the journal was written by a newer version of truyxuat (schema {found}, this build knows {known})"
    )]
    TooNew { found: i64, known: i64 },
    #[error("journal database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("journal data error: {0}")]
    Data(String),
    /// The event breaks a content rule (bad date, GLN, quantity …); nothing was stored.
    #[error("{0}")]
    Invalid(String),
    /// The file is not a journal this device can go on with (an empty file
    /// where one was: a lost journal must not silently become a new device).
    #[error("{0}")]
    Damaged(String),
}

type Result<T> = std::result::Result<T, JournalError>;

/// An event as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventRecord {
    pub seq: i64,
    pub id: String,
    pub device_id: String,
    pub body: EventBody,
    pub device_time: String,
    pub prev_hash: String,
    pub hash: String,
    pub state: OutboxState,
    pub reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Acked,
    Rejected,
}

impl OutboxState {
    fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Acked => "acked",
            OutboxState::Rejected => "rejected",
        }
    }
    fn parse(s: &str) -> Result<OutboxState> {
        match s {
            "pending" => Ok(OutboxState::Pending),
            "acked" => Ok(OutboxState::Acked),
            "rejected" => Ok(OutboxState::Rejected),
            other => Err(JournalError::Data(format!("unknown outbox state {other:?}"))),
        }
    }
}

/// Outbox counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub pending: u64,
    pub acked: u64,
    pub rejected: u64,
    pub total: u64,
}

/// A server verdict for one event, by event id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub id: String,
    pub state: OutboxState,
    pub reason: Option<String>,
}

/// One cached reference record to store (`data: Some`) or drop (`None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheUpdate {
    pub kind: String,
    pub key: String,
    pub data: Option<String>,
}

/// A cached reference record as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CachedRecord {
    /// JSON text.
    pub data: String,
    /// RFC 3339 time this device received it.
    pub received_at: String,
}

/// What `verify` found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub events: u64,
    /// `None` when the chain is intact; otherwise the first bad sequence
    /// number and what is wrong with it.
    pub first_problem: Option<(i64, String)>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.first_problem.is_none()
    }
}

/// The journal of one device.
pub struct Journal {
    conn: Connection,
    device_id: String,
}

/// JSON with object keys sorted (by UTF-8 bytes), no insignificant
/// whitespace, numbers and strings as serde_json writes them. This does not
/// depend on serde_json's `preserve_order` feature, which another crate in a
/// build could switch on.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = Vec::with_capacity(256);
    write_canonical(value, &mut out);
    // serde_json writes valid UTF-8 and so do the brackets and commas.
    String::from_utf8(out).unwrap_or_default()
}

fn write_canonical(v: &serde_json::Value, out: &mut Vec<u8>) {
    match v {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json_str(k, out);
                out.push(b':');
                write_canonical(v, out);
            }
            out.push(b'}');
        }
        serde_json::Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(v, out);
            }
            out.push(b']');
        }
        scalar => {
            // Writing a scalar into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, scalar);
        }
    }
}

fn write_json_str(s: &str, out: &mut Vec<u8>) {
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The chain hash of one event: hex SHA-256 over the previous event's hash
/// (hex) followed by the canonical JSON of
/// `{seq, id, device_id, kind, payload, device_time}`. The server recomputes
/// it for every pushed event.
pub fn event_hash(
    prev_hash: &str,
    seq: i64,
    id: &str,
    device_id: &str,
    kind: &str,
    payload: &serde_json::Value,
    device_time: &str,
) -> String {
    let mut canonical = Vec::with_capacity(512);
    write_canonical(payload, &mut canonical);
    event_hash_canonical(prev_hash, seq, id, device_id, kind, &canonical, device_time)
}

/// [`event_hash`] with the payload already in canonical JSON. The object's
/// keys are written in their sorted order by hand.
pub fn event_hash_canonical(
    prev_hash: &str,
    seq: i64,
    id: &str,
    device_id: &str,
    kind: &str,
    canonical_payload: &[u8],
    device_time: &str,
) -> String {
    let mut buf = Vec::with_capacity(canonical_payload.len() + 256);
    buf.extend_from_slice(b"{\"device_id\":");
    write_json_str(device_id, &mut buf);
    buf.extend_from_slice(b",\"device_time\":");
    write_json_str(device_time, &mut buf);
    buf.extend_from_slice(b",\"id\":");
    write_json_str(id, &mut buf);
    buf.extend_from_slice(b",\"kind\":");
    write_json_str(kind, &mut buf);
    buf.extend_from_slice(b",\"payload\":");
    buf.extend_from_slice(canonical_payload);
    buf.extend_from_slice(b",\"seq\":");
    buf.extend_from_slice(seq.to_string().as_bytes());
    buf.push(b'}');
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(&buf);
    format!("{:x}", h.finalize())
}

/// [`event_hash`] for a payload stored as JSON text (unparsable text hashes as `null`,
/// which then fails verification).
fn stored_event_hash(
    prev_hash: &str,
    seq: i64,
    id: &str,
    device_id: &str,
    kind: &str,
    payload: &str,
    device_time: &str,
) -> String {
    let payload: serde_json::Value = serde_json::from_str(payload).unwrap_or(serde_json::Value::Null);
    event_hash(prev_hash, seq, id, device_id, kind, &payload, device_time)
}

fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    format_unix_ms(now.as_millis() as i64)
}

/// The largest photo a phone keeps and sends (the server's limit).
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// The media type of a photo, by its signature.
pub fn photo_media(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

/// `1970-01-01T00:00:00.000Z` from Unix milliseconds (proleptic Gregorian, UTC).
pub fn format_unix_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

/// Unix seconds from the RFC 3339 UTC times this module writes
/// (`YYYY-MM-DDTHH:MM:SS[.fff]Z`); `None` for anything else.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !s.ends_with('Z') {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss) = (n(11..13)?, n(14..16)?, n(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days-from-civil (Howard Hinnant's algorithm), the inverse of `format_unix_ms`.
    let y = y - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

impl Journal {
    /// Open (creating if needed, readable by its owner only) the journal
    /// at `path`. An existing empty file is refused: it was a journal once
    /// (SQLite writes a header at once), and opening it would make a new
    /// device whose records start again from nothing.
    pub fn open(path: &Path) -> Result<Journal> {
        let created = crate::files::create_private(path).map_err(|e| JournalError::Data(e.to_string()))?;
        if !created && std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
            return Err(JournalError::Damaged(format!(
                "tệp nhật ký {} rỗng / the journal file {} is empty: it is not a journal (restore it, or move it away to start a new device)",
                path.display(),
                path.display()
            )));
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Plans that do not depend on bound values, so that cached statements
        // are not re-prepared on every bind (SQLite is built with STAT4).
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        schema::init(&mut conn)?;
        let device_id = match conn
            .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| r.get(0))
            .optional()?
        {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?1)", [&id])?;
                id
            }
        };
        Ok(Journal { conn, device_id })
    }

    /// This journal's device id (a UUIDv7 made when the file was created).
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Append an event now; returns it once it is durably stored.
    /// Check the event's content rules, then append it: what the phone's
    /// forms call, so that a mistake is shown at once, not after a sync.
    pub fn record(&mut self, body: &EventBody) -> Result<EventRecord> {
        body.check().map_err(JournalError::Invalid)?;
        self.append(body)
    }

    pub fn append(&mut self, body: &EventBody) -> Result<EventRecord> {
        self.append_at(body, &now_rfc3339())
    }

    /// Append an event with an explicit device time (RFC 3339).
    pub fn append_at(&mut self, body: &EventBody, device_time: &str) -> Result<EventRecord> {
        let value = serde_json::to_value(body).map_err(|e| JournalError::Data(e.to_string()))?;
        let payload = canonical_json(&value["payload"]);
        let kind = body.kind();
        let id = uuid::Uuid::now_v7().to_string();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (last_seq, prev_hash): (i64, String) = tx
            .query_row("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .unwrap_or((0, GENESIS_HASH.to_owned()));
        let seq = last_seq + 1;
        let hash = stored_event_hash(&prev_hash, seq, &id, &self.device_id, kind, &payload, device_time);
        tx.execute(
            "INSERT INTO events (seq, id, device_id, kind, payload, device_time, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![seq, id, self.device_id, kind, payload, device_time, prev_hash, hash],
        )?;
        tx.execute(
            "INSERT INTO outbox (seq, state, updated_at) VALUES (?1, 'pending', ?2)",
            params![seq, now_rfc3339()],
        )?;
        tx.commit()?;
        Ok(EventRecord {
            seq,
            id,
            device_id: self.device_id.clone(),
            body: body.clone(),
            device_time: device_time.to_owned(),
            prev_hash,
            hash,
            state: OutboxState::Pending,
            reason: None,
        })
    }

    /// Events in sequence order, `limit` of them after `after_seq`.
    pub fn list(&self, after_seq: i64, limit: u32) -> Result<Vec<EventRecord>> {
        self.select("e.seq > ?1", params![after_seq, limit])
    }

    /// The newest events first, `limit` of them before `before_seq` (all
    /// when `None`): the history screen's pages.
    pub fn list_recent(&self, before_seq: Option<i64>, limit: u32) -> Result<Vec<EventRecord>> {
        self.select_ordered("e.seq < ?1", "e.seq DESC", params![before_seq.unwrap_or(i64::MAX), limit])
    }

    /// Pending events in sequence order (what the next push sends).
    pub fn pending(&self, limit: u32) -> Result<Vec<EventRecord>> {
        self.select("o.state = ?1", params!["pending", limit])
    }

    /// Events matching `filter` (which uses `?1`), in sequence order, at most `?2`.
    fn select(&self, filter: &str, args: impl rusqlite::Params) -> Result<Vec<EventRecord>> {
        self.select_ordered(filter, "e.seq", args)
    }

    fn select_ordered(
        &self,
        filter: &str,
        order: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<EventRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT e.seq, e.id, e.device_id, e.kind, e.payload, e.device_time, e.prev_hash, e.hash, o.state, o.reason
             FROM events e JOIN outbox o ON o.seq = e.seq WHERE {filter} ORDER BY {order} LIMIT ?2"
        ))?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, id, device_id, kind, payload, device_time, prev_hash, hash, state, reason) = row?;
            let payload: serde_json::Value = serde_json::from_str(&payload)
                .map_err(|e| JournalError::Data(format!("event {seq}: {e}")))?;
            let body = EventBody::from_parts(&kind, &payload)
                .map_err(|e| JournalError::Data(format!("event {seq}: {e}")))?;
            out.push(EventRecord {
                seq,
                id,
                device_id,
                body,
                device_time,
                prev_hash,
                hash,
                state: OutboxState::parse(&state)?,
                reason,
            });
        }
        Ok(out)
    }

    /// Record the server's answer for an event (by id).
    pub fn mark(&mut self, id: &str, state: OutboxState, reason: Option<&str>) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE outbox SET state = ?1, reason = ?2, updated_at = ?3
             WHERE seq = (SELECT seq FROM events WHERE id = ?4)",
            params![state.as_str(), reason, now_rfc3339(), id],
        )?;
        if changed == 0 {
            return Err(JournalError::Data(format!("no event with id {id}")));
        }
        Ok(())
    }

    /// Record many answers in one transaction. An event already acked stays
    /// acked (a late or replayed answer never takes it back to pending).
    pub fn mark_many(&mut self, marks: &[Mark]) -> Result<()> {
        let now = now_rfc3339();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET state = ?1, reason = ?2, updated_at = ?3
                 WHERE seq = (SELECT seq FROM events WHERE id = ?4) AND (state != 'acked' OR ?1 = 'acked')",
            )?;
            for m in marks {
                stmt.execute(params![m.state.as_str(), m.reason, now, m.id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Apply one page of a pull in one transaction: cache upserts and
    /// removals, server verdicts on our own events, and the cursor to resume
    /// from. Either all of it is kept or none (an interrupted pull repeats
    /// the page).
    pub fn apply_pull(
        &mut self,
        cache: &[CacheUpdate],
        marks: &[Mark],
        cursor_key: &str,
        cursor: &str,
    ) -> Result<()> {
        let now = now_rfc3339();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO cache (kind, key, data, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(kind, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            )?;
            let mut remove = tx.prepare_cached("DELETE FROM cache WHERE kind = ?1 AND key = ?2")?;
            for c in cache {
                match &c.data {
                    Some(data) => upsert.execute(params![c.kind, c.key, data, now])?,
                    None => remove.execute(params![c.kind, c.key])?,
                };
            }
            let mut mark = tx.prepare_cached(
                "UPDATE outbox SET state = ?1, reason = ?2, updated_at = ?3
                 WHERE seq = (SELECT seq FROM events WHERE id = ?4)",
            )?;
            for m in marks {
                mark.execute(params![m.state.as_str(), m.reason, now, m.id])?;
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![cursor_key, cursor],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Store one record in the cache (the phone's own, such as a saved
    /// answer), keeping at most `keep` records of its kind: the least
    /// recently stored go first.
    pub fn put_cached(&mut self, kind: &str, key: &str, data: &str, keep: u32) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO cache (kind, key, data, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(kind, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            params![kind, key, data, now_rfc3339()],
        )?;
        tx.execute(
            "DELETE FROM cache WHERE kind = ?1 AND key NOT IN
               (SELECT key FROM cache WHERE kind = ?1 ORDER BY updated_at DESC LIMIT ?2)",
            params![kind, keep],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Keep a photo taken for an event until the server has it; its name
    /// (what the event's `photos` carry) is the SHA-256 of its bytes. A
    /// JPEG, PNG or WebP of at most [`MAX_PHOTO_BYTES`].
    pub fn add_photo(&mut self, bytes: &[u8]) -> Result<String> {
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(JournalError::Invalid(format!(
                "ảnh quá lớn / the photo has {} bytes; at most {MAX_PHOTO_BYTES}",
                bytes.len()
            )));
        }
        let media = photo_media(bytes).ok_or_else(|| {
            JournalError::Invalid("không phải ảnh JPEG, PNG hay WebP / not a JPEG, PNG or WebP image".into())
        })?;
        let hash: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        self.conn.execute(
            "INSERT OR IGNORE INTO photos (hash, media, bytes, added_at) VALUES (?1, ?2, ?3, ?4)",
            params![hash, media, bytes, now_rfc3339()],
        )?;
        Ok(hash)
    }

    /// Photos not yet sent: `(hash, media type, bytes)`, oldest first.
    pub fn pending_photos(&self, limit: u32) -> Result<Vec<(String, String, Vec<u8>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT hash, media, bytes FROM photos WHERE state = 'pending' ORDER BY added_at, hash LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The server has the photo (`error` none), or refused it for good.
    pub fn mark_photo(&mut self, hash: &str, error: Option<&str>) -> Result<()> {
        let state = if error.is_some() { "refused" } else { "sent" };
        self.conn.execute(
            "UPDATE photos SET state = ?2, error = ?3 WHERE hash = ?1",
            params![hash, state, error],
        )?;
        Ok(())
    }

    /// A cached reference record and when it arrived.
    pub fn cached(&self, kind: &str, key: &str) -> Result<Option<CachedRecord>> {
        Ok(self
            .conn
            .query_row("SELECT data, updated_at FROM cache WHERE kind = ?1 AND key = ?2", [kind, key], |r| {
                Ok(CachedRecord { data: r.get(0)?, received_at: r.get(1)? })
            })
            .optional()?)
    }

    /// Every cached record of one kind, `(key, record)`, by key.
    pub fn cached_kind(&self, kind: &str) -> Result<Vec<(String, CachedRecord)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, data, updated_at FROM cache WHERE kind = ?1 ORDER BY key")?;
        let rows = stmt.query_map([kind], |r| {
            Ok((r.get::<_, String>(0)?, CachedRecord { data: r.get(1)?, received_at: r.get(2)? }))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// How many cached records of each kind, sorted by kind.
    pub fn cache_counts(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT kind, COUNT(*) FROM cache GROUP BY kind ORDER BY kind")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    pub fn counts(&self) -> Result<Counts> {
        let mut c = Counts::default();
        let mut stmt = self.conn.prepare_cached("SELECT state, COUNT(*) FROM outbox GROUP BY state")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (state, n) = row?;
            let n = n as u64;
            match OutboxState::parse(&state)? {
                OutboxState::Pending => c.pending = n,
                OutboxState::Acked => c.acked = n,
                OutboxState::Rejected => c.rejected = n,
            }
            c.total += n;
        }
        Ok(c)
    }

    /// Walk the whole chain: sequence numbers without gaps from 1, each
    /// event's `prev_hash` equal to the previous `hash`, each hash recomputed.
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, id, device_id, kind, payload, device_time, prev_hash, hash FROM events ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let (mut expected_seq, mut prev, mut events) = (1i64, GENESIS_HASH.to_owned(), 0u64);
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let (id, device_id, kind, payload, time, prev_hash, hash): (
                String,
                String,
                String,
                String,
                String,
                String,
                String,
            ) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?);
            events += 1;
            let problem = if seq != expected_seq {
                Some(format!("expected event {expected_seq}, found {seq}: events are missing"))
            } else if prev_hash != prev {
                Some("does not follow the previous event (chain broken)".to_owned())
            } else if stored_event_hash(&prev_hash, seq, &id, &device_id, &kind, &payload, &time) != hash {
                Some("content does not match its hash (altered)".to_owned())
            } else {
                None
            };
            if let Some(p) = problem {
                return Ok(VerifyReport { events, first_problem: Some((seq, p)) });
            }
            expected_seq += 1;
            prev = hash;
        }
        // The last event is the head the appends left.
        let head: Option<(i64, String)> = self
            .conn
            .query_row("SELECT seq, hash FROM head WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((seq, hash)) = head {
            let last = expected_seq - 1;
            if seq > last {
                let problem = format!(
                    "the journal ends at event {last} but reached {seq}: the last events were removed"
                );
                return Ok(VerifyReport { events, first_problem: Some((last + 1, problem)) });
            }
            if seq == last && hash != prev {
                let problem = "the last event is not the one appended (replaced)".to_owned();
                return Ok(VerifyReport { events, first_problem: Some((last, problem)) });
            }
        }
        Ok(VerifyReport { events, first_problem: None })
    }

    /// A sync cursor or other metadata value.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}
