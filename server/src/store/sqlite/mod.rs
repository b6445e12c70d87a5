//! The SQLite backend: one writer connection, a small pool of readers (WAL).

mod accounts;
mod catalog;
mod complaints;
mod epcis;
mod events;
mod schema;
mod stats;

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use rusqlite::Connection;
use truyxuat_core::sync::wire::{EventError, PushResult};

use crate::domain::catalog::{Catalog, Certification, Company, Location, Lot, Product, Recall, TraceRole};
use truyxuat_core::lookup::RevokedCode;

use crate::domain::stats::{ComplaintStats, Participation, RecallStats, ScanStats, Scope};

use super::{EventQuery, NewChange, PullPage, Result, Store, StoreError, StoredEvent};
use crate::domain::account::{NewUser, User};
use crate::domain::complaint::NewComplaint;
use crate::domain::ingest::Candidate;

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
    crate::store::record_time()
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

impl SqliteStore {
    /// Open (creating and migrating if needed) the database at `path`.
    /// Open (creating it readable by its owner only) the database at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        truyxuat_core::files::create_private(path)
            .map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))?;
        let mut conn = connect(path)?;
        schema::migrate(&mut conn)?;
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
}

impl Store for SqliteStore {
    fn create_user(&self, user: &NewUser) -> Result<User> {
        accounts::create_user(self, user)
    }

    fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        accounts::user_by_name(self, username)
    }

    fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        accounts::user_by_id(self, id)
    }

    fn update_account(
        &self,
        user_id: i64,
        password_hash: Option<&str>,
        disabled: Option<bool>,
    ) -> Result<User> {
        accounts::update_account(self, user_id, password_hash, disabled)
    }

    fn end_session(&self, user_id: i64, sid: &str, until: &str) -> Result<()> {
        accounts::end_session(self, user_id, sid, until)
    }

    fn session_ended(&self, sid: &str) -> Result<bool> {
        accounts::session_ended(self, sid)
    }

    fn register_device(&self, user_id: i64, device_id: &str, name: Option<&str>) -> Result<()> {
        accounts::register_device(self, user_id, device_id, name)
    }

    fn device_owner(&self, device_id: &str) -> Result<Option<i64>> {
        accounts::device_owner(self, device_id)
    }

    fn push(&self, user_id: i64, device_id: &str, batch: &[Candidate]) -> Result<Vec<PushResult>> {
        events::push(self, user_id, device_id, batch)
    }

    fn events(&self, q: &EventQuery) -> Result<Vec<StoredEvent>> {
        events::events(self, q)
    }

    fn event_count(&self) -> Result<u64> {
        events::event_count(self)
    }

    fn set_event_status(&self, event_id: &str, error: Option<&EventError>) -> Result<()> {
        events::set_event_status(self, event_id, error)
    }

    fn publish(&self, change: &NewChange) -> Result<i64> {
        events::publish(self, change)
    }

    fn apply_catalog_with(&self, c: &Catalog, notices: &[NewChange]) -> Result<()> {
        catalog::apply(&mut lock(&self.writer), c, notices)
    }

    fn prefix_owner(&self, gtin: &str) -> Result<Option<Company>> {
        self.read(|c| catalog::prefix_owner(c, gtin))
    }

    fn suppliers(&self, gtin: &str) -> Result<Vec<String>> {
        self.read(|c| catalog::suppliers(c, gtin))
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

    fn event_provinces(&self, event_id: &str) -> Result<Option<Vec<Option<String>>>> {
        self.read(|c| events::event_provinces(c, event_id))
    }

    fn corrected_trace(&self, gtin: &str, lot: &str) -> Result<Vec<StoredEvent>> {
        self.read(|c| catalog::corrected_trace(c, gtin, lot))
    }

    fn site_events(&self, gln: &str, kind: &str) -> Result<Vec<StoredEvent>> {
        self.read(|c| catalog::site_events(c, gln, kind))
    }

    fn revoke(&self, code: &RevokedCode, by: &str) -> Result<()> {
        events::revoke(self, code, by)
    }

    fn revocations(&self, gtin: &str) -> Result<Vec<RevokedCode>> {
        events::revocations(self, gtin)
    }

    fn recall_changes(&self, province: Option<&str>, after: i64) -> Result<(Vec<super::RecallChange>, i64)> {
        events::recall_changes(self, province, after)
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

    fn capture_jobs(
        &self,
        user_id: Option<i64>,
        before: Option<&str>,
        limit: u32,
    ) -> Result<Vec<super::CaptureJob>> {
        self.read(|c| epcis::jobs(c, user_id, before, limit))
    }

    fn epcis_events(&self, query: &super::EpcisQuery) -> Result<Vec<super::StoredEpcis>> {
        self.read(|c| epcis::events(c, query))
    }

    fn epcis_count(&self, query: &super::EpcisQuery) -> Result<u64> {
        self.read(|c| epcis::count(c, query))
    }

    fn epcis_claims(&self, event_id: &str, hash: &str) -> Result<Vec<super::EpcisClaim>> {
        self.read(|c| epcis::claims(c, event_id, hash))
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

    fn photo_complaints(&self, hash: &str) -> Result<Vec<(String, Option<i64>)>> {
        self.read(|c| complaints::photo_complaints(c, hash))
    }

    fn photo_senders(&self, hashes: &[String]) -> Result<Vec<Option<Option<i64>>>> {
        self.read(|c| complaints::photo_senders(c, hashes))
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
        events::pull(self, user, after, limit)
    }
}
