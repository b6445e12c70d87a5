//! Pushed events and the pull feed: the SQL of `events`, `trace`,
//! `site_trace`, `changes` and `revocations`.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use truyxuat_core::lookup::RevokedCode;
use truyxuat_core::sync::wire::{Change, EventError, PushResult, PushStatus};

use super::{SqliteStore, complaints, epcis, lock, now, one};
use crate::domain::account::User;
use crate::domain::catalog::TraceKey;
use crate::domain::ingest::Candidate;
use crate::store::{EventQuery, NewChange, PullPage, RecallChange, Result, StoreError, StoredEvent};

/// The columns [`stored_event`] reads, from `events e JOIN users u`.
pub(super) const EVENT_COLUMNS: &str = "e.server_seq, e.id, e.device_id, e.seq, u.username, e.kind, e.payload, e.device_time, \
     e.hash, e.status, e.error_code, e.error_status, e.error_detail, e.received_at";

pub(super) fn stored_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
    stored_event_at(r, 0)
}

/// A [`StoredEvent`] from a row whose [`EVENT_COLUMNS`] start at column `at`.
pub(super) fn stored_event_at(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<StoredEvent> {
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

pub(super) fn event_error(
    code: Option<String>,
    status: Option<u16>,
    detail: Option<String>,
) -> Option<EventError> {
    code.map(|code| EventError { code, status: status.unwrap_or(422), detail: detail.unwrap_or_default() })
}

fn rejected(id: &str, error: EventError) -> PushResult {
    PushResult { id: id.to_owned(), status: PushStatus::Rejected, error: Some(error) }
}

pub(super) fn push(
    s: &SqliteStore,
    user_id: i64,
    device_id: &str,
    batch: &[Candidate],
) -> Result<Vec<PushResult>> {
    let received = now();
    let mut conn = lock(&s.writer);
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
                // (A seq below 1 was refused; `saturating_sub` keeps i64::MIN from overflowing.)
                Some((seq, hash)) if *seq == e.seq.saturating_sub(1) => Some(hash.clone()),
                _ => by_seq
                    .query_row(params![device_id, e.seq.saturating_sub(1)], |r| r.get::<_, String>(1))
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
                                TraceKey::Item { gtin, lot, serial, role } => trace_item.execute(params![
                                    gtin,
                                    lot,
                                    serial,
                                    role.as_str(),
                                    server_seq
                                ])?,
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
                            _ => PushResult { id: e.id.clone(), status: PushStatus::Duplicate, error: None },
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
            let clashed =
                matches!(&result.error, Some(x) if x.code == "id_conflict" || x.code == "sequence_conflict");
            previous = (!clashed).then(|| (e.seq, e.hash.clone()));
            results.push(result);
        }
    }
    tx.commit()?;
    Ok(results)
}

pub(super) fn events(s: &SqliteStore, q: &EventQuery) -> Result<Vec<StoredEvent>> {
    s.read(|c| {
        let mut stmt = c.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events e JOIN users u ON u.id = e.user_id
             WHERE e.server_seq > ?1 AND (?2 IS NULL OR e.device_id = ?2) AND (?3 IS NULL OR e.user_id = ?3)
             ORDER BY e.server_seq LIMIT ?4"
        ))?;
        let rows = stmt.query_map(params![q.after, q.device_id, q.user_id, q.limit], stored_event)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

pub(super) fn event_count(s: &SqliteStore) -> Result<u64> {
    s.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))? as u64))
}

pub(super) fn set_event_status(s: &SqliteStore, event_id: &str, error: Option<&EventError>) -> Result<()> {
    let mut conn = lock(&s.writer);
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

pub(super) fn publish(s: &SqliteStore, change: &NewChange) -> Result<i64> {
    insert_change(&lock(&s.writer), change)
}

/// Add a change to the pull feed; its feed position.
pub(super) fn insert_change(conn: &rusqlite::Connection, change: &NewChange) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO changes (kind, key, data, province, user_id, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        change.kind,
        change.key,
        change.data.as_ref().map(|d| d.to_string()),
        change.province,
        change.user_id,
        now()
    ])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn pull(s: &SqliteStore, user: &User, after: i64, limit: u32) -> Result<PullPage> {
    s.read(|c| {
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

pub(super) fn revoke(s: &SqliteStore, code: &RevokedCode, by: &str) -> Result<()> {
    let mut conn = lock(&s.writer);
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

pub(super) fn revocations(s: &SqliteStore, gtin: &str) -> Result<Vec<RevokedCode>> {
    s.read(|c| {
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

pub(super) fn recall_changes(
    s: &SqliteStore,
    province: Option<&str>,
    after: i64,
) -> Result<(Vec<RecallChange>, i64)> {
    s.read(|c| {
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

pub(super) fn event_provinces(
    c: &rusqlite::Connection,
    event_id: &str,
) -> Result<Option<Vec<Option<String>>>> {
    let seq: Option<i64> =
        one(c, "SELECT server_seq FROM events WHERE id = ?1", [event_id], |r| r.get(0)).optional()?;
    let Some(seq) = seq else { return Ok(None) };
    let mut stmt = c.prepare_cached(
        "SELECT l.province FROM site_trace s LEFT JOIN locations l ON l.gln = s.gln WHERE s.server_seq = ?1 ORDER BY s.gln",
    )?;
    let rows = stmt.query_map([seq], |r| r.get(0))?;
    Ok(Some(rows.collect::<rusqlite::Result<_>>()?))
}
