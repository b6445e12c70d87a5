//! EPCIS captures' SQL for the SQLite backend.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::now;
use truyxuat_core::journal::EventBody;

use crate::domain::catalog::TraceKey;
use crate::domain::epcis::IndexedEvent;
use crate::store::{CaptureJob, EpcisClaim, EpcisQuery, Result, StoredEpcis};

/// Insert one event and its identifiers; `None` when the same event (same
/// hash and declaration) is already here.
fn insert(
    tx: &Connection,
    e: &IndexedEvent,
    origin: (Option<&str>, Option<i64>),
    user_id: i64,
    context: &str,
    at: &str,
) -> Result<Option<i64>> {
    let (capture_id, server_seq) = origin;
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO epcis_events (event_id, id_assigned, hash, declared_at, capture_id, server_seq,
                 user_id, event_type, action, biz_step, disposition, read_point, biz_location, event_time,
                 record_time, raw, context)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?
        .execute(params![
            e.event_id,
            e.id_assigned,
            e.hash,
            e.declared_at.as_deref().unwrap_or(""),
            capture_id,
            server_seq,
            user_id,
            e.event_type,
            e.action,
            e.biz_step,
            e.disposition,
            e.read_point,
            e.biz_location,
            e.event_time,
            at,
            e.raw,
            context,
        ])?;
    if inserted == 0 {
        return Ok(None);
    }
    let seq = tx.last_insert_rowid();
    let mut epc =
        tx.prepare_cached("INSERT OR IGNORE INTO epcis_epcs (uri, field, seq) VALUES (?1, ?2, ?3)")?;
    for (uri, field) in &e.epcs {
        epc.execute(params![uri, field, seq])?;
    }
    Ok(Some(seq))
}

/// Store a capture's events in one transaction: new ones inserted, those
/// already here (same hash and declaration) counted as duplicates. A
/// correction (errorDeclaration) retracts the event it corrects.
pub(super) fn capture(
    conn: &mut Connection,
    id: &str,
    user_id: i64,
    context: &str,
    events: &[IndexedEvent],
) -> Result<CaptureJob> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let at = now();
    tx.execute(
        "INSERT INTO epcis_captures (id, user_id, created_at, events, stored, duplicates) VALUES (?1, ?2, ?3, ?4, 0, 0)",
        params![id, user_id, at, events.len() as i64],
    )?;
    let (mut stored, mut duplicates) = (0i64, 0i64);
    for e in events {
        let Some(seq) = insert(&tx, e, (Some(id), None), user_id, context, &at)? else {
            duplicates += 1;
            continue;
        };
        stored += 1;
        if e.declared_at.is_some() {
            // A correction adds no step; it retracts the event it corrects
            // (whose recorder `rights::correct_event` allowed this).
            let originals: Vec<i64> = tx
                .prepare_cached("SELECT seq FROM epcis_events WHERE hash = ?1 AND declared_at = ''")?
                .query_map([&e.hash], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for original in originals {
                retract(&tx, original, &e.event_id, &at)?;
            }
            continue;
        }
        for (i, step) in e.chain.iter().enumerate() {
            let server_seq = record_step(&tx, user_id, &format!("{}#{i}", e.hash), step, &e.event_time, &at)?;
            tx.prepare_cached("INSERT INTO epcis_steps (seq, server_seq) VALUES (?1, ?2)")?
                .execute([seq, server_seq])?;
        }
        // Corrected before it came: by its own account only (another's
        // declaration was checked against no event).
        let corrected_by: Option<String> = tx
            .prepare_cached(
                "SELECT event_id FROM epcis_events WHERE hash = ?1 AND declared_at != '' AND user_id = ?2 LIMIT 1",
            )?
            .query_row(params![e.hash, user_id], |r| r.get(0))
            .optional()?;
        if let Some(by) = corrected_by {
            retract(&tx, seq, &by, &at)?;
        }
    }
    tx.execute(
        "UPDATE epcis_captures SET stored = ?2, duplicates = ?3 WHERE id = ?1",
        params![id, stored, duplicates],
    )?;
    tx.commit()?;
    Ok(CaptureJob {
        capture_id: id.to_owned(),
        user_id,
        created_at: at,
        events: events.len() as u64,
        stored: stored as u64,
        duplicates: duplicates as u64,
    })
}

/// What `events.error_code` says of a step its recorder corrected.
pub(super) const CORRECTED: &str = "corrected";

/// Mark a stored event retracted (a correction names it), and the steps it
/// stands for (its chain steps, or the phone's event it exports) corrected;
/// their owners' phones are told, as of any decision on their events.
fn retract(tx: &Connection, seq: i64, by: &str, at: &str) -> Result<()> {
    if tx
        .prepare_cached("UPDATE epcis_events SET retracted = 1 WHERE seq = ?1 AND retracted = 0")?
        .execute([seq])?
        == 0
    {
        return Ok(());
    }
    mark_corrected(tx, seq, by, at)
}

/// The steps a retracted event stands for, marked corrected.
fn mark_corrected(tx: &Connection, seq: i64, by: &str, at: &str) -> Result<()> {
    let steps: Vec<(String, i64)> = tx
        .prepare_cached(
            "SELECT v.id, v.user_id FROM events v WHERE v.status = 'accepted'
               AND (v.server_seq IN (SELECT server_seq FROM epcis_steps WHERE seq = ?1)
                    OR v.server_seq = (SELECT server_seq FROM epcis_events WHERE seq = ?1))",
        )?
        .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let error = truyxuat_core::sync::wire::EventError {
        code: CORRECTED.into(),
        status: 409,
        detail: format!("corrected by EPCIS event {by}"),
    };
    for (id, owner) in steps {
        tx.prepare_cached(
            "UPDATE events SET status = 'rejected', error_code = ?1, error_status = ?2, error_detail = ?3 WHERE id = ?4",
        )?
        .execute(params![error.code, error.status, error.detail, id])?;
        let data = serde_json::json!({ "status": "rejected", "error": error });
        tx.prepare_cached(
            "INSERT INTO changes (kind, key, data, user_id, changed_at) VALUES ('event_status', ?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, data.to_string(), owner, at])?;
    }
    Ok(())
}

/// The stored events with this eventID or this hash.
pub(super) fn claims(c: &Connection, event_id: &str, hash: &str) -> Result<Vec<EpcisClaim>> {
    Ok(c.prepare_cached(
        "SELECT user_id, hash = ?2, declared_at != '' FROM epcis_events WHERE event_id = ?1
         UNION ALL
         SELECT user_id, 1, declared_at != '' FROM epcis_events WHERE hash = ?2 AND event_id != ?1",
    )?
    .query_map([event_id, hash], |r| {
        Ok(EpcisClaim { user_id: r.get(0)?, same_hash: r.get(1)?, declared: r.get(2)? })
    })?
    .collect::<rusqlite::Result<_>>()?)
}

/// A chain step of a captured event, stored as the capturing system's
/// event (device `epcis-<account>`, its own hash chain) so that the
/// resolver, reach and statistics read it exactly as a phone's.
fn record_step(
    tx: &Connection,
    user_id: i64,
    name: &str,
    step: &EventBody,
    time: &str,
    at: &str,
) -> Result<i64> {
    let device = format!("epcis-{user_id}");
    tx.prepare_cached(
        "INSERT OR IGNORE INTO devices (id, user_id, name, registered_at) VALUES (?1, ?2, 'EPCIS capture', ?3)",
    )?
    .execute(params![device, user_id, at])?;
    let (seq, prev): (i64, String) = tx
        .prepare_cached("SELECT seq, hash FROM events WHERE device_id = ?1 ORDER BY seq DESC LIMIT 1")?
        .query_row([&device], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, truyxuat_core::journal::GENESIS_HASH.to_owned()));
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes()).to_string();
    let body = serde_json::to_value(step).map_err(|e| crate::store::StoreError::Backend(e.to_string()))?;
    let payload = truyxuat_core::journal::canonical_json(&body["payload"]);
    let kind = step.kind();
    let hash = truyxuat_core::journal::event_hash_canonical(
        &prev,
        seq + 1,
        &id,
        &device,
        kind,
        payload.as_bytes(),
        time,
    );
    tx.prepare_cached(
        "INSERT INTO events (id, device_id, seq, user_id, kind, payload, device_time, prev_hash, hash, status, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'accepted', ?10)",
    )?
    .execute(params![id, device, seq + 1, user_id, kind, payload, time, prev, hash, at])?;
    let server_seq = tx.last_insert_rowid();
    for key in crate::domain::ingest::trace_keys(step) {
        match key {
            TraceKey::Item { gtin, lot, serial, role } => tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO trace (gtin, lot, serial, role, server_seq) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![gtin, lot, serial, role.as_str(), server_seq])?,
            TraceKey::Site { gln } => tx
                .prepare_cached("INSERT OR IGNORE INTO site_trace (gln, kind, server_seq) VALUES (?1, ?2, ?3)")?
                .execute(params![gln, kind, server_seq])?,
        };
    }
    Ok(server_seq)
}

/// A phone's accepted event, exported (its copy, if any, already here is kept).
pub(super) fn record_phone(tx: &Connection, e: &IndexedEvent, server_seq: i64, user_id: i64) -> Result<()> {
    insert(
        tx,
        e,
        (None, Some(server_seq)),
        user_id,
        &crate::domain::epcis::map::context().to_string(),
        &now(),
    )?;
    Ok(())
}

/// Export the accepted phone events stored before EPCIS came.
pub(super) fn backfill_phone(tx: &Connection) -> Result<()> {
    let mut stmt = tx.prepare(
        "SELECT server_seq, id, user_id, kind, payload, device_time FROM events
         WHERE status = 'accepted' AND kind NOT IN ('scan', 'complaint') ORDER BY server_seq",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (seq, id, user, kind, payload, time) in rows {
        let Ok(payload) = serde_json::from_str::<serde_json::Value>(&payload) else { continue };
        let Ok(body) = truyxuat_core::journal::EventBody::from_parts(&kind, &payload) else { continue };
        if let Some(event) = crate::domain::epcis::from_phone(&id, &time, &body) {
            record_phone(tx, &event, seq, user)?;
        }
    }
    Ok(())
}

/// Schema 10: every stored event's hash, places and identifiers computed
/// again from the event as captured (the rules they follow changed). Its
/// `eventID` stays, even one that was its old hash: others hold it. Should
/// two events now hash alike (the same event captured in two spellings
/// the old rules told apart), the later keeps its old hash, so that both
/// stay as they were stored.
pub(super) fn reindex(tx: &Connection) -> Result<()> {
    let trigger: Option<String> = tx
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'epcis_events_fixed'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    tx.execute_batch("DROP TRIGGER IF EXISTS epcis_events_fixed")?;
    link_steps(tx)?;
    let rows: Vec<(i64, String, String, String, String)> = tx
        .prepare("SELECT seq, hash, declared_at, raw, context FROM epcis_events ORDER BY seq")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let indexed: Vec<_> = rows
        .into_iter()
        .map(|(seq, old, declared, raw, context)| {
            let event: serde_json::Value = serde_json::from_str(&raw).unwrap_or_default();
            let context: serde_json::Value = serde_json::from_str(&context).unwrap_or_default();
            (seq, old, declared, crate::domain::epcis::index_event(&event, &context).ok())
        })
        .collect();
    // An event the rules cannot read any more keeps what it had, and its
    // hash stays taken; so does the first holder of each new hash (two
    // events told apart before and alike now: the later keeps its old one).
    let mut taken: std::collections::HashSet<(String, String)> =
        indexed.iter().filter(|r| r.3.is_none()).map(|r| (r.1.clone(), r.2.clone())).collect();
    let mut updates = Vec::with_capacity(indexed.len());
    for (seq, old, declared, e) in indexed {
        let Some(e) = e else {
            updates.push((seq, old, None));
            continue;
        };
        let hash = if taken.contains(&(e.hash.clone(), declared.clone())) { old } else { e.hash.clone() };
        taken.insert((hash.clone(), declared));
        updates.push((seq, hash, Some(e)));
    }
    // Through unique placeholders, so that no update meets a hash another
    // row still holds.
    tx.execute("UPDATE epcis_events SET hash = 'reindex:' || seq", [])?;
    for (seq, hash, e) in updates {
        let Some(e) = e else {
            tx.prepare_cached("UPDATE epcis_events SET hash = ?1 WHERE seq = ?2")?
                .execute(params![hash, seq])?;
            continue;
        };
        tx.prepare_cached(
            "UPDATE epcis_events SET hash = ?1, read_point = ?2, biz_location = ?3 WHERE seq = ?4",
        )?
        .execute(params![hash, e.read_point, e.biz_location, seq])?;
        tx.prepare_cached("DELETE FROM epcis_epcs WHERE seq = ?1")?.execute([seq])?;
        let mut epc =
            tx.prepare_cached("INSERT OR IGNORE INTO epcis_epcs (uri, field, seq) VALUES (?1, ?2, ?3)")?;
        for (uri, field) in &e.epcs {
            epc.execute(params![uri, field, seq])?;
        }
    }
    if let Some(sql) = trigger {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

/// Schema 10: the chain steps of the events captured before, found by the
/// names they were stored under (the event's hash then, and the step's
/// place in the chain); those of events already retracted are marked
/// corrected.
fn link_steps(tx: &Connection) -> Result<()> {
    let stored: Vec<(i64, String, bool, bool)> = tx
        .prepare(
            "SELECT seq, hash, retracted, capture_id IS NOT NULL FROM epcis_events WHERE declared_at = ''",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let at = now();
    for (seq, hash, retracted, captured) in stored {
        if captured {
            for i in 0.. {
                let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("{hash}#{i}").as_bytes())
                    .to_string();
                let step: Option<i64> = tx
                    .prepare_cached("SELECT server_seq FROM events WHERE id = ?1")?
                    .query_row([&id], |r| r.get(0))
                    .optional()?;
                let Some(server_seq) = step else { break };
                tx.prepare_cached("INSERT OR IGNORE INTO epcis_steps (seq, server_seq) VALUES (?1, ?2)")?
                    .execute([seq, server_seq])?;
            }
        }
        if retracted {
            let by: Option<String> = tx
                .prepare_cached(
                    "SELECT event_id FROM epcis_events WHERE hash = ?1 AND declared_at != '' LIMIT 1",
                )?
                .query_row([&hash], |r| r.get(0))
                .optional()?;
            mark_corrected(tx, seq, by.as_deref().unwrap_or("an errorDeclaration"), &at)?;
        }
    }
    Ok(())
}

fn job_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaptureJob> {
    Ok(CaptureJob {
        capture_id: r.get(0)?,
        user_id: r.get(1)?,
        created_at: r.get(2)?,
        events: r.get::<_, i64>(3)? as u64,
        stored: r.get::<_, i64>(4)? as u64,
        duplicates: r.get::<_, i64>(5)? as u64,
    })
}

pub(super) fn job(c: &Connection, id: &str) -> Result<Option<CaptureJob>> {
    Ok(c.prepare_cached(
        "SELECT id, user_id, created_at, events, stored, duplicates FROM epcis_captures WHERE id = ?1",
    )?
    .query_row([id], job_row)
    .optional()?)
}

/// Capture jobs, newest first (their IDs are time-ordered), of one account
/// (none: all), after the job `before`.
pub(super) fn jobs(
    c: &Connection,
    user_id: Option<i64>,
    before: Option<&str>,
    limit: u32,
) -> Result<Vec<CaptureJob>> {
    Ok(c.prepare_cached(
        "SELECT id, user_id, created_at, events, stored, duplicates FROM epcis_captures
         WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3",
    )?
    .query_map(params![user_id, before, limit], job_row)?
    .collect::<rusqlite::Result<_>>()?)
}

/// The `WHERE` conditions of a query (without its position) and their
/// arguments.
fn conditions(q: &EpcisQuery) -> (String, Vec<rusqlite::types::Value>) {
    // A phone's event shows while it stands accepted.
    let mut sql = String::from(
        "(e.server_seq IS NULL
          OR EXISTS (SELECT 1 FROM events v WHERE v.server_seq = e.server_seq
                       AND (v.status = 'accepted' OR v.error_code = 'corrected')))",
    );
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut any = |sql: &mut String, column: &str, values: &[String]| {
        if !values.is_empty() {
            sql.push_str(&format!(" AND {column} IN ({})", vec!["?"; values.len()].join(",")));
            args.extend(values.iter().map(|v| v.clone().into()));
        }
    };
    any(&mut sql, "e.event_type", &q.event_types);
    any(&mut sql, "e.action", &q.actions);
    any(&mut sql, "e.biz_step", &q.biz_steps);
    any(&mut sql, "e.disposition", &q.dispositions);
    any(&mut sql, "e.read_point", &q.read_points);
    any(&mut sql, "e.biz_location", &q.biz_locations);
    any(&mut sql, "e.event_id", &q.event_ids);
    for (fields, patterns) in [
        (&["epc"][..], &q.match_epc),
        (&["epc", "parent", "input", "output"][..], &q.match_any_epc),
        (&["class"][..], &q.match_class),
    ] {
        if patterns.is_empty() {
            continue;
        }
        let mut alternatives = Vec::new();
        for p in patterns {
            match p.strip_suffix('*') {
                Some(prefix) => {
                    alternatives.push("(x.uri >= ? AND x.uri < ?)");
                    args.push(prefix.to_owned().into());
                    args.push(format!("{prefix}\u{10FFFF}").into());
                }
                None => {
                    alternatives.push("x.uri = ?");
                    args.push(p.clone().into());
                }
            }
        }
        let fields = fields.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(",");
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM epcis_epcs x WHERE x.seq = e.seq AND x.field IN ({fields}) AND ({}))",
            alternatives.join(" OR ")
        ));
    }
    for (column, op, value) in [
        ("e.event_time", ">=", &q.ge_event_time),
        ("e.event_time", "<", &q.lt_event_time),
        ("e.record_time", ">=", &q.ge_record_time),
        ("e.record_time", "<", &q.lt_record_time),
    ] {
        if let Some(v) = value {
            sql.push_str(&format!(" AND {column} {op} ?"));
            args.push(v.clone().into());
        }
    }
    // Quantities are read from the event as captured: any element of any
    // of its quantity lists.
    for (op, value) in &q.quantities {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM json_each(e.raw) l, json_each(l.value) qe
                  WHERE l.key IN ('quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList')
                    AND l.type = 'array' AND json_extract(qe.value, '$.quantity') {} ?)",
            op.sql()
        ));
        args.push((*value).into());
    }
    if q.error_declared {
        sql.push_str(" AND e.declared_at != ''");
    }
    if !q.error_reasons.is_empty() {
        // A reason is written as the bare CBV word or either of its URIs.
        let mut spellings = Vec::new();
        for r in &q.error_reasons {
            spellings.push(r.clone());
            if !r.contains(':') {
                spellings.push(format!("https://ref.gs1.org/cbv/ER-{r}"));
                spellings.push(format!("urn:epcglobal:cbv:er:{r}"));
            }
        }
        sql.push_str(&format!(
            " AND json_extract(e.raw, '$.errorDeclaration.reason') IN ({})",
            vec!["?"; spellings.len()].join(",")
        ));
        args.extend(spellings.into_iter().map(Into::into));
    }
    if !q.corrective_ids.is_empty() {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM json_each(e.raw, '$.errorDeclaration.correctiveEventIDs') c
                  WHERE c.value IN ({}))",
            vec!["?"; q.corrective_ids.len()].join(",")
        ));
        args.extend(q.corrective_ids.iter().map(|v| v.clone().into()));
    }
    if let Some(user) = q.user_id {
        sql.push_str(" AND e.user_id = ?");
        args.push(user.into());
    }
    (sql, args)
}

/// How many events match the query.
pub(super) fn count(c: &Connection, q: &EpcisQuery) -> Result<u64> {
    let (conditions, args) = conditions(q);
    let sql = format!("SELECT count(*) FROM epcis_events e WHERE {conditions}");
    let n: i64 = c.prepare(&sql)?.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
    Ok(n as u64)
}

/// Events matching the query in its order, after its position, at most
/// `q.limit` of them.
pub(super) fn events(c: &Connection, q: &EpcisQuery) -> Result<Vec<StoredEpcis>> {
    let (conditions, mut args) = conditions(q);
    let (cmp, dir) = if q.order.descending { ("<", "DESC") } else { (">", "ASC") };
    let position = match (&q.after, q.order.by_event_time) {
        (None, _) => String::new(),
        (Some((seq, _)), false) => {
            args.push((*seq).into());
            format!(" AND e.seq {cmp} ?")
        }
        (Some((seq, time)), true) => {
            let time = time.clone().unwrap_or_default();
            args.extend([time.clone().into(), time.into(), (*seq).into()]);
            format!(" AND (e.event_time {cmp} ? OR (e.event_time = ? AND e.seq {cmp} ?))")
        }
    };
    let order = if q.order.by_event_time {
        format!("e.event_time {dir}, e.seq {dir}")
    } else {
        format!("e.seq {dir}")
    };
    let sql = format!(
        "SELECT e.seq, e.event_id, e.id_assigned, e.raw, e.context, e.record_time, e.event_time
         FROM epcis_events e WHERE {conditions}{position} ORDER BY {order} LIMIT ?"
    );
    args.push(i64::from(q.limit).into());
    let mut stmt = c.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok(StoredEpcis {
            seq: r.get(0)?,
            event_id: r.get(1)?,
            id_assigned: r.get(2)?,
            raw: r.get(3)?,
            context: r.get(4)?,
            record_time: r.get(5)?,
            event_time: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
