//! The SQLite backend: one writer connection, a small pool of readers (WAL).

mod catalog;
mod complaints;
mod epcis;
mod stats;

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use truyxuat_core::journal::format_unix_ms;
use truyxuat_core::sync::wire::{Change, EventError, PushResult, PushStatus};

use crate::domain::catalog::{
    Catalog, Certification, Company, Location, Lot, Product, Recall, TraceKey, TraceRole,
};
use truyxuat_core::lookup::RevokedCode;

use crate::domain::stats::{ComplaintStats, Participation, RecallStats, ScanStats, Scope};

use super::{EventQuery, NewChange, PullPage, Result, Store, StoreError, StoredEvent};
use crate::domain::account::{NewUser, Role, User};
use crate::domain::complaint::NewComplaint;
use crate::domain::ingest::Candidate;

const MIGRATIONS: &[&str] = &[
    include_str!("sql/001-init.sql"),
    include_str!("sql/002-catalog.sql"),
    include_str!("sql/003-complaints.sql"),
    include_str!("sql/004-stats.sql"),
    include_str!("sql/005-epcis.sql"),
    include_str!("sql/006-photos.sql"),
    include_str!("sql/007-revocations.sql"),
    include_str!("sql/008-partner-role.sql"),
];
const VERSION: i64 = MIGRATIONS.len() as i64;
const READERS: usize = 4;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Backend(e.to_string())
    }
}

struct Readers {
    idle: Vec<Connection>,
    /// Connections that exist, idle or in use.
    open: usize,
}

pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Readers>,
    returned: Condvar,
}

fn now() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    format_unix_ms(ms)
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(64);
    // Plans must not depend on bound values: otherwise SQLite (built with
    // STAT4) re-prepares a cached statement every time it is bound again,
    // which made a cached statement cost more than a fresh one.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    // Reads map the file instead of copying pages (resolutions touch pages all
    // over a large database), with a 32 MB page cache per connection.
    conn.pragma_update(None, "mmap_size", 1i64 << 32)?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    Ok(conn)
}

/// `query_row` through the connection's statement cache.
fn one<T, P: rusqlite::Params>(
    c: &Connection,
    sql: &str,
    params: P,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    c.prepare_cached(sql)?.query_row(params, f)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave SQLite half-written (the
    // transaction rolls back on drop), so the poison flag carries no meaning.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Schema 8: the `users.role` CHECK admits `partner`. Only a constraint
/// changes, so the table's definition is rewritten in place (SQLite's
/// documented way for changes that leave the stored rows as they are),
/// then the schema version is bumped and the database checked.
fn allow_partner_role(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    const OLD: &str = "'authority', 'admin'))";
    const NEW: &str = "'authority', 'admin', 'partner'))";
    let sql: String =
        tx.query_row("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'users'", [], |r| {
            r.get(0)
        })?;
    if sql.contains(NEW) {
        return Ok(());
    }
    if !sql.contains(OLD) {
        return Err(StoreError::Backend("users table: role constraint not as expected".into()));
    }
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    tx.execute(
        "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = 'users'",
        [sql.replace(OLD, NEW)],
    )?;
    tx.pragma_update(None, "schema_version", version + 1)?;
    tx.pragma_update(None, "writable_schema", false)?;
    let check: String = tx.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Backend(format!("after the users schema change: {check}")));
    }
    Ok(())
}

impl SqliteStore {
    /// Open (creating and migrating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let mut conn = connect(path)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > VERSION {
            return Err(StoreError::TooNew { found, known: VERSION });
        }
        for sql in &MIGRATIONS[found as usize..] {
            tx.execute_batch(sql)?;
        }
        if (1..5).contains(&found) {
            // The phones' events already here become queryable as EPCIS events.
            epcis::backfill_phone(&tx)?;
        }
        if found < 8 {
            allow_partner_role(&tx)?;
        }
        tx.pragma_update(None, "user_version", VERSION)?;
        for (code, vi, en) in crate::domain::catalog::provinces::PROVINCES {
            // An upsert, not REPLACE: replacing a parent row would make
            // SQLite look for its children in every table that refers to it.
            tx.execute(
                "INSERT INTO provinces (code, name_vi, name_en) VALUES (?1, ?2, ?3)
                 ON CONFLICT(code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en
                 WHERE name_vi != excluded.name_vi OR name_en != excluded.name_en",
                params![code, vi, en],
            )?;
        }
        tx.commit()?;
        Ok(SqliteStore {
            path: path.to_owned(),
            writer: Mutex::new(conn),
            readers: Mutex::new(Readers { idle: Vec::new(), open: 0 }),
            returned: Condvar::new(),
        })
    }

    /// Run `f` on a reader connection: an idle one, a new one while fewer
    /// than [`READERS`] exist, else wait for one to come back. (Opening a
    /// connection per call costs far more than the queries.)
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = {
            let mut pool = lock(&self.readers);
            loop {
                if let Some(c) = pool.idle.pop() {
                    break Some(c);
                }
                if pool.open < READERS {
                    pool.open += 1;
                    break None;
                }
                pool = self.returned.wait(pool).unwrap_or_else(|p| p.into_inner());
            }
        };
        let conn = match conn {
            Some(c) => c,
            None => match connect(&self.path) {
                Ok(c) => c,
                Err(e) => {
                    lock(&self.readers).open -= 1;
                    self.returned.notify_one();
                    return Err(e);
                }
            },
        };
        let out = f(&conn);
        lock(&self.readers).idle.push(conn);
        self.returned.notify_one();
        out
    }

    fn load_user(conn: &Connection, filter: &str, arg: &dyn rusqlite::ToSql) -> Result<Option<User>> {
        let row = one(
            conn,
            &format!(
                "SELECT id, username, password_hash, role, province, disabled FROM users WHERE {filter} = ?1"
            ),
            [arg],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            },
        )
        .optional()?;
        let Some((id, username, password_hash, role, province, disabled)) = row else { return Ok(None) };
        let mut stmt = conn.prepare_cached("SELECT gln FROM user_glns WHERE user_id = ?1 ORDER BY gln")?;
        let glns = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        let role = role.parse::<Role>().map_err(StoreError::Backend)?;
        Ok(Some(User { id, username, password_hash, role, province, glns, disabled }))
    }
}

/// The columns [`stored_event`] reads, from `events e JOIN users u`.
const EVENT_COLUMNS: &str = "e.server_seq, e.id, e.device_id, e.seq, u.username, e.kind, e.payload, e.device_time, \
     e.hash, e.status, e.error_code, e.error_status, e.error_detail, e.received_at";

fn stored_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
    stored_event_at(r, 0)
}

/// A [`StoredEvent`] from a row whose [`EVENT_COLUMNS`] start at column `at`.
fn stored_event_at(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<StoredEvent> {
    let payload: String = r.get(at + 6)?;
    Ok(StoredEvent {
        server_seq: r.get(at)?,
        id: r.get(at + 1)?,
        device_id: r.get(at + 2)?,
        seq: r.get(at + 3)?,
        username: r.get(at + 4)?,
        kind: r.get(at + 5)?,
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        device_time: r.get(at + 7)?,
        hash: r.get(at + 8)?,
        status: r.get(at + 9)?,
        error: event_error(r.get(at + 10)?, r.get(at + 11)?, r.get(at + 12)?),
        received_at: r.get(at + 13)?,
    })
}

fn event_error(code: Option<String>, status: Option<u16>, detail: Option<String>) -> Option<EventError> {
    code.map(|code| EventError { code, status: status.unwrap_or(422), detail: detail.unwrap_or_default() })
}

fn rejected(id: &str, error: EventError) -> PushResult {
    PushResult { id: id.to_owned(), status: PushStatus::Rejected, error: Some(error) }
}

impl Store for SqliteStore {
    fn create_user(&self, user: &NewUser) -> Result<User> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let taken: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM users WHERE username = ?1)", [&user.username], |r| {
                r.get(0)
            })?;
        if taken {
            return Err(StoreError::Conflict(format!("username {:?} is taken", user.username)));
        }
        tx.execute(
            "INSERT INTO users (username, password_hash, role, province, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![user.username, user.password_hash, user.role.as_str(), user.province, now()],
        )?;
        let id = tx.last_insert_rowid();
        for gln in &user.glns {
            tx.execute("INSERT OR IGNORE INTO user_glns (user_id, gln) VALUES (?1, ?2)", params![id, gln])?;
        }
        let created = Self::load_user(&tx, "id", &id)?;
        tx.commit()?;
        created.ok_or_else(|| StoreError::Backend("user vanished after insert".into()))
    }

    fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        self.read(|c| Self::load_user(c, "username", &username))
    }

    fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        self.read(|c| Self::load_user(c, "id", &id))
    }

    fn register_device(&self, user_id: i64, device_id: &str, name: Option<&str>) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let owner: Option<i64> = tx
            .query_row("SELECT user_id FROM devices WHERE id = ?1", [device_id], |r| r.get(0))
            .optional()?;
        match owner {
            Some(o) if o != user_id => {
                return Err(StoreError::Conflict(format!("device {device_id} belongs to another account")));
            }
            Some(_) => {
                if name.is_some() {
                    tx.execute("UPDATE devices SET name = ?1 WHERE id = ?2", params![name, device_id])?;
                }
            }
            None => {
                tx.execute(
                    "INSERT INTO devices (id, user_id, name, registered_at) VALUES (?1, ?2, ?3, ?4)",
                    params![device_id, user_id, name, now()],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn device_owner(&self, device_id: &str) -> Result<Option<i64>> {
        self.read(|c| {
            Ok(one(c, "SELECT user_id FROM devices WHERE id = ?1", [device_id], |r| r.get(0)).optional()?)
        })
    }

    fn push(&self, user_id: i64, device_id: &str, batch: &[Candidate]) -> Result<Vec<PushResult>> {
        let received = now();
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut results = Vec::with_capacity(batch.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO events (id, device_id, seq, user_id, kind, payload, device_time, prev_hash, hash,
                                     status, error_code, error_status, error_detail, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                 ON CONFLICT DO NOTHING",
            )?;
            let mut by_id = tx.prepare_cached(
                "SELECT device_id, hash, status, error_code, error_status, error_detail FROM events WHERE id = ?1",
            )?;
            let mut by_seq =
                tx.prepare_cached("SELECT id, hash FROM events WHERE device_id = ?1 AND seq = ?2")?;
            let mut trace_item = tx.prepare_cached(
                "INSERT INTO trace (gtin, lot, serial, role, server_seq) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut trace_site =
                tx.prepare_cached("INSERT INTO site_trace (gln, kind, server_seq) VALUES (?1, ?2, ?3)")?;
            // The previous event's (seq, hash), so that a batch of consecutive
            // events needs one lookup, not one per event.
            let mut previous: Option<(i64, String)> = None;
            for c in batch {
                let e = &c.event;
                let prev_hash = match &previous {
                    Some((seq, hash)) if *seq == e.seq - 1 => Some(hash.clone()),
                    _ => by_seq
                        .query_row(params![device_id, e.seq - 1], |r| r.get::<_, String>(1))
                        .optional()?,
                };
                let verdict = match (&c.verdict, prev_hash) {
                    (Err(err), _) => Err(err.clone()),
                    (Ok(_), Some(h)) if h != e.prev_hash => Err(EventError {
                        code: "chain_broken".into(),
                        status: 409,
                        detail: format!(
                            "prev_hash does not match the stored event {} of this device; the journal was altered",
                            e.seq - 1
                        ),
                    }),
                    (Ok(accepted), _) => Ok(accepted),
                };
                let (status, payload, err) = match &verdict {
                    Ok(a) => ("accepted", a.payload.as_str(), None),
                    Err(err) => ("rejected", "null", Some(err)),
                };
                let payload_text;
                let payload = if verdict.is_err() {
                    // Keep what was sent, for the audit trail.
                    payload_text = truyxuat_core::journal::canonical_json(&e.payload);
                    payload_text.as_str()
                } else {
                    payload
                };
                let inserted = insert.execute(params![
                    e.id,
                    device_id,
                    e.seq,
                    user_id,
                    e.kind,
                    payload,
                    e.device_time,
                    e.prev_hash,
                    e.hash,
                    status,
                    err.map(|x| x.code.as_str()),
                    err.map(|x| x.status),
                    err.map(|x| x.detail.as_str()),
                    received,
                ])?;
                let result = if inserted == 1 {
                    match verdict {
                        Ok(accepted) => {
                            let server_seq = tx.last_insert_rowid();
                            for key in &accepted.trace {
                                match key {
                                    TraceKey::Item { gtin, lot, serial, role } => trace_item
                                        .execute(params![gtin, lot, serial, role.as_str(), server_seq])?,
                                    TraceKey::Site { gln } => {
                                        trace_site.execute(params![gln, e.kind, server_seq])?
                                    }
                                };
                            }
                            if let Some(c) = &accepted.complaint {
                                complaints::insert(&tx, c)?;
                            }
                            if let Some(event) = &accepted.epcis {
                                epcis::record_phone(&tx, event, server_seq, user_id)?;
                            }
                            PushResult { id: e.id.clone(), status: PushStatus::Accepted, error: None }
                        }
                        Err(err) => rejected(&e.id, err),
                    }
                } else {
                    // Already here: the same event again, or a clash.
                    let stored = by_id
                        .query_row([&e.id], |r| {
                            Ok((
                                r.get::<_, String>(0)?,
                                r.get::<_, String>(1)?,
                                r.get::<_, String>(2)?,
                                r.get::<_, Option<String>>(3)?,
                                r.get::<_, Option<u16>>(4)?,
                                r.get::<_, Option<String>>(5)?,
                            ))
                        })
                        .optional()?;
                    match stored {
                        Some((dev, hash, status, code, st, detail)) if dev == device_id && hash == e.hash => {
                            match event_error(code, st, detail) {
                                Some(err) if status == "rejected" => rejected(&e.id, err),
                                _ => PushResult {
                                    id: e.id.clone(),
                                    status: PushStatus::Duplicate,
                                    error: None,
                                },
                            }
                        }
                        Some(_) => rejected(
                            &e.id,
                            EventError {
                                code: "id_conflict".into(),
                                status: 409,
                                detail: "another event with this id is stored".into(),
                            },
                        ),
                        None => rejected(
                            &e.id,
                            EventError {
                                code: "sequence_conflict".into(),
                                status: 409,
                                detail: format!("this device already stored a different event {}", e.seq),
                            },
                        ),
                    }
                };
                // The event stored at this seq (this one, unless it clashed)
                // is the link the next one must follow.
                let clashed = matches!(&result.error, Some(x) if x.code == "id_conflict" || x.code == "sequence_conflict");
                previous = (!clashed).then(|| (e.seq, e.hash.clone()));
                results.push(result);
            }
        }
        tx.commit()?;
        Ok(results)
    }

    fn events(&self, q: &EventQuery) -> Result<Vec<StoredEvent>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events e JOIN users u ON u.id = e.user_id
                 WHERE e.server_seq > ?1 AND (?2 IS NULL OR e.device_id = ?2) AND (?3 IS NULL OR e.user_id = ?3)
                 ORDER BY e.server_seq LIMIT ?4"
            ))?;
            let rows = stmt.query_map(params![q.after, q.device_id, q.user_id, q.limit], stored_event)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn event_count(&self) -> Result<u64> {
        self.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))? as u64))
    }

    fn set_event_status(&self, event_id: &str, error: Option<&EventError>) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<(i64, Option<String>)> = tx
            .query_row("SELECT user_id, error_code FROM events WHERE id = ?1", [event_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((owner, code)) = found else {
            return Err(StoreError::NotFound(format!("event {event_id}")));
        };
        // Only a decision can be undone: an event refused at push (bad hash,
        // content, rights) was never checked or indexed, so it stays refused.
        if error.is_none() && code.as_deref().is_some_and(|c| c != "revoked") {
            return Err(StoreError::Conflict(format!(
                "event {event_id} was refused when pushed ({})",
                code.unwrap_or_default()
            )));
        }
        let status = if error.is_some() { "rejected" } else { "accepted" };
        tx.execute(
            "UPDATE events SET status = ?1, error_code = ?2, error_status = ?3, error_detail = ?4 WHERE id = ?5",
            params![
                status,
                error.map(|e| e.code.as_str()),
                error.map(|e| e.status),
                error.map(|e| e.detail.as_str()),
                event_id
            ],
        )?;
        let data = serde_json::json!({ "status": status, "error": error });
        tx.execute(
            "INSERT INTO changes (kind, key, data, user_id, changed_at) VALUES ('event_status', ?1, ?2, ?3, ?4)",
            params![event_id, data.to_string(), owner, now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn publish(&self, change: &NewChange) -> Result<i64> {
        let conn = lock(&self.writer);
        conn.execute(
            "INSERT INTO changes (kind, key, data, province, user_id, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                change.kind,
                change.key,
                change.data.as_ref().map(|d| d.to_string()),
                change.province,
                change.user_id,
                now()
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn apply_catalog(&self, c: &Catalog) -> Result<()> {
        catalog::apply(&mut lock(&self.writer), c)
    }

    fn search_products(&self, query: &str, limit: u32, offset: u32) -> Result<(Vec<Product>, u64)> {
        self.read(|c| catalog::search(c, query, limit, offset))
    }

    fn product(&self, gtin: &str) -> Result<Option<Product>> {
        self.read(|c| catalog::product(c, gtin))
    }

    fn company(&self, key: &str) -> Result<Option<Company>> {
        self.read(|c| catalog::company(c, key))
    }

    fn company_by_gln(&self, gln: &str) -> Result<Option<Company>> {
        self.read(|c| catalog::company_by_gln(c, gln))
    }

    fn location(&self, gln: &str) -> Result<Option<Location>> {
        self.read(|c| catalog::location(c, gln))
    }

    fn lot(&self, gtin: &str, lot: &str) -> Result<Option<Lot>> {
        self.read(|c| catalog::lot(c, gtin, lot))
    }

    fn serial_lot(&self, gtin: &str, serial: &str) -> Result<Option<String>> {
        self.read(|c| catalog::serial_lot(c, gtin, serial))
    }

    fn certifications(&self, subjects: &[String]) -> Result<Vec<Certification>> {
        self.read(|c| catalog::certifications(c, subjects))
    }

    fn recall(&self, id: &str) -> Result<Option<Recall>> {
        self.read(|c| catalog::recall(c, id))
    }

    fn recalls(&self, gtin: &str, lot: Option<&str>) -> Result<Vec<Recall>> {
        self.read(|c| catalog::recalls(c, gtin, lot))
    }

    fn trace(
        &self,
        gtin: &str,
        lot: Option<&str>,
        serial: Option<&str>,
        scans: bool,
    ) -> Result<Vec<(TraceRole, StoredEvent)>> {
        self.read(|c| catalog::trace(c, gtin, lot, serial, scans))
    }

    fn site_events(&self, gln: &str, kind: &str) -> Result<Vec<StoredEvent>> {
        self.read(|c| catalog::site_events(c, gln, kind))
    }

    fn revoke(&self, code: &RevokedCode, by: &str) -> Result<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO revocations (gtin, lot, serial, reason_vi, reason_en, revoked_by, revoked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(gtin, lot, serial) DO UPDATE SET reason_vi = excluded.reason_vi,
                 reason_en = excluded.reason_en, revoked_by = excluded.revoked_by, revoked_at = excluded.revoked_at",
            params![code.gtin, code.lot, code.serial, code.reason_vi, code.reason_en, by, now()],
        )?;
        let data = serde_json::to_string(code).map_err(|e| StoreError::Backend(e.to_string()))?;
        tx.execute(
            "INSERT INTO changes (kind, key, data, province, changed_at) VALUES ('revocation', ?1, ?2, NULL, ?3)",
            params![code.key(), data, now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn revocations(&self, gtin: &str) -> Result<Vec<RevokedCode>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT gtin, lot, serial, reason_vi, reason_en FROM revocations WHERE gtin = ?1 ORDER BY lot, serial",
            )?;
            let rows = stmt.query_map([gtin], |r| {
                Ok(RevokedCode {
                    gtin: r.get(0)?,
                    lot: r.get(1)?,
                    serial: r.get(2)?,
                    reason_vi: r.get(3)?,
                    reason_en: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn recall_changes(&self, province: Option<&str>, after: i64) -> Result<(Vec<super::RecallChange>, i64)> {
        self.read(|c| {
            // Recalls and revocations: the recall pack's feed.
            const SCOPE: &str = "kind IN ('recall', 'revocation') AND user_id IS NULL
                 AND (province IS NULL OR province = ?1)";
            let mut stmt = c.prepare_cached(&format!(
                "SELECT seq, kind, key, data FROM changes WHERE {SCOPE} AND seq > ?2 ORDER BY seq"
            ))?;
            let rows = stmt
                .query_map(params![province, after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let last: i64 = c
                .prepare_cached(&format!("SELECT coalesce(max(seq), 0) FROM changes WHERE {SCOPE}"))?
                .query_row(params![province], |r| r.get(0))?;
            Ok((rows, last))
        })
    }

    fn capture_epcis(
        &self,
        id: &str,
        user_id: i64,
        context: &str,
        events: &[crate::domain::epcis::IndexedEvent],
    ) -> Result<super::CaptureJob> {
        epcis::capture(&mut lock(&self.writer), id, user_id, context, events)
    }

    fn capture_job(&self, id: &str) -> Result<Option<super::CaptureJob>> {
        self.read(|c| epcis::job(c, id))
    }

    fn epcis_events(&self, query: &super::EpcisQuery) -> Result<Vec<super::StoredEpcis>> {
        self.read(|c| epcis::events(c, query))
    }

    fn products_of(&self, company: &str) -> Result<Vec<Product>> {
        self.read(|c| catalog::products_of(c, company))
    }

    fn lots_of(&self, gtin: &str) -> Result<Vec<Lot>> {
        self.read(|c| catalog::lots_of(c, gtin))
    }

    fn locations_of(&self, company: &str) -> Result<Vec<Location>> {
        self.read(|c| catalog::locations_of(c, company))
    }

    fn company_summaries(&self, province: Option<&str>) -> Result<Vec<super::CompanySummary>> {
        self.read(|c| catalog::company_summaries(c, province))
    }

    fn inspections(&self, province: Option<&str>, limit: u32) -> Result<Vec<StoredEvent>> {
        self.read(|c| catalog::inspections(c, province, limit))
    }

    fn latest_scan_day(&self) -> Result<Option<String>> {
        stats::catch_up(&self.writer)?;
        self.read(stats::latest_scan_day)
    }

    fn scan_stats(&self, scope: &Scope) -> Result<ScanStats> {
        stats::catch_up(&self.writer)?;
        self.read(|c| stats::scans(c, scope))
    }

    fn complaint_stats(&self, scope: &Scope) -> Result<ComplaintStats> {
        self.read(|c| stats::complaints(c, scope))
    }

    fn recall_stats(&self, scope: &Scope) -> Result<RecallStats> {
        self.read(|c| stats::recalls(c, scope))
    }

    fn participation(&self, province: Option<&str>) -> Result<Participation> {
        self.read(|c| stats::participation(c, province))
    }

    fn lots_in(&self, province: Option<&str>) -> Result<Vec<(String, String)>> {
        self.read(|c| stats::lots_in(c, province))
    }

    fn recall_received(&self, recall_id: &str, devices: &[String]) -> Result<u64> {
        self.read(|c| stats::recall_received(c, recall_id, devices))
    }

    fn note_pull(&self, user_id: i64, device_id: &str, last_seq: i64) -> Result<()> {
        stats::note_pull(&lock(&self.writer), user_id, device_id, last_seq, &now())
    }

    fn put_photo(
        &self,
        photo: &crate::domain::photo::Photo,
        bytes: &[u8],
        user: Option<i64>,
    ) -> Result<bool> {
        complaints::put_photo(&lock(&self.writer), photo, bytes, user)
    }

    fn photo(&self, hash: &str) -> Result<Option<super::StoredPhoto>> {
        self.read(|c| complaints::photo(c, hash))
    }

    fn photo_provinces(&self, hash: &str) -> Result<Vec<String>> {
        self.read(|c| complaints::photo_provinces(c, hash))
    }

    fn missing_photos(&self, hashes: &[String]) -> Result<Vec<String>> {
        self.read(|c| complaints::missing_photos(c, hashes))
    }

    fn file_complaint(&self, c: &NewComplaint) -> Result<crate::domain::complaint::Complaint> {
        complaints::file(&mut lock(&self.writer), c)
    }

    fn complaint(&self, tracking_code: &str) -> Result<Option<crate::domain::complaint::Complaint>> {
        self.read(|c| complaints::get(c, tracking_code))
    }

    fn complaints(
        &self,
        province: Option<&str>,
        status: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, crate::domain::complaint::Complaint)>> {
        self.read(|c| complaints::queue(c, province, status, after, limit))
    }

    fn move_complaint(
        &self,
        tracking_code: &str,
        actor: &str,
        status: &str,
        note: Option<&str>,
        assign_to: Option<&str>,
    ) -> Result<crate::domain::complaint::Complaint> {
        complaints::update(&mut lock(&self.writer), tracking_code, actor, status, note, assign_to)
    }

    fn pull(&self, user: &User, after: i64, limit: u32) -> Result<PullPage> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, kind, key, data FROM changes
                 WHERE seq > ?1 AND (province IS NULL OR province = ?2) AND (user_id IS NULL OR user_id = ?3)
                 ORDER BY seq LIMIT ?4",
            )?;
            let mut rows = stmt
                .query_map(params![after, user.province, user.id, i64::from(limit) + 1], |r| {
                    let data: Option<String> = r.get(3)?;
                    Ok((
                        r.get::<_, i64>(0)?,
                        Change {
                            kind: r.get(1)?,
                            key: r.get(2)?,
                            data: data
                                .and_then(|d| serde_json::from_str(&d).ok())
                                .unwrap_or(serde_json::Value::Null),
                        },
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let has_more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            let last = rows.last().map(|(s, _)| *s).unwrap_or(after);
            Ok(PullPage { changes: rows.into_iter().map(|(_, c)| c).collect(), last, has_more })
        })
    }
}
