//! Statistics' SQL for the SQLite backend: the scan facts kept at ingest,
//! the figures grouped from them, and pull marks.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::domain::stats::{
    ComplaintStats, Count, DayCount, Participation, RecallReach, RecallStats, ScanStats, Scope,
};
use crate::store::Result;

/// Record the scan facts of accepted scan events with `server_seq` in
/// `from..=to` (see [`catch_up`]).
/// The GTIN is read from the element string the phone computed; the
/// province is the nearest catalog location's within ~0.45° (≈ 50 km), else
/// the account's.
const RECORD_SCANS: &str = "
WITH s AS (
    SELECT server_seq, device_time, user_id, date(device_time, '+7 hours') AS day,
           json_extract(payload, '$.location.lat') AS lat,
           json_extract(payload, '$.location.lon') AS lon,
           json_extract(payload, '$.element_string') AS es
    FROM events
    WHERE server_seq BETWEEN ?1 AND ?2 AND kind = 'scan' AND status = 'accepted'
), g AS (
    SELECT s.*, CASE WHEN instr(es, '(01)') > 0 THEN substr(es, instr(es, '(01)') + 4, 14) END AS gtin,
           row_number() OVER (PARTITION BY user_id, day ORDER BY server_seq) AS nth
    FROM s
)
INSERT OR IGNORE INTO scan_facts (server_seq, day, user_id, province, gtin, registered, category)
SELECT g.server_seq,
       g.day,
       g.user_id,
       COALESCE(
           (SELECT l.province FROM locations l
             WHERE g.lat IS NOT NULL AND g.lon IS NOT NULL AND l.province IS NOT NULL
               AND l.lat BETWEEN g.lat - 0.45 AND g.lat + 0.45
               AND l.lon BETWEEN g.lon - 0.45 AND g.lon + 0.45
             ORDER BY (l.lat - g.lat) * (l.lat - g.lat) + (l.lon - g.lon) * (l.lon - g.lon)
             LIMIT 1),
           (SELECT u.province FROM users u WHERE u.id = g.user_id)),
       g.gtin,
       p.gtin IS NOT NULL,
       p.category
FROM g LEFT JOIN products p ON p.gtin = g.gtin
-- An account's scans of a day count up to the cap, those counted before
-- included.
WHERE g.nth + (SELECT count(*) FROM scan_facts f WHERE f.user_id = g.user_id AND f.day = g.day) <= ?3";

fn record_scans(tx: &Transaction<'_>, from: i64, to: i64) -> Result<()> {
    tx.prepare_cached(RECORD_SCANS)?.execute(params![
        from,
        to,
        crate::domain::stats::MAX_COUNTED_SCANS_PER_DAY
    ])?;
    Ok(())
}

/// Events per catch-up transaction: the writer is released in between, so
/// a long backlog (an upgraded database) does not stall pushes.
const CATCH_UP_CHUNK: i64 = 20_000;

/// Make the scan facts of the events stored since the last time, before
/// the figures are read: ingest stays as fast as before the statistics.
pub(super) fn catch_up(writer: &std::sync::Mutex<Connection>) -> Result<()> {
    let mark = |c: &Connection| -> Result<(i64, i64)> {
        let last = c.query_row("SELECT coalesce(max(server_seq), 0) FROM events", [], |r| r.get(0))?;
        let done = c
            .query_row("SELECT seq FROM stats_marks WHERE name = 'scan_facts'", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        Ok((last, done))
    };
    loop {
        let mut conn = super::lock(writer);
        // Nothing new (the usual case): no write transaction at all.
        let (last, done) = mark(&conn)?;
        if last <= done {
            return Ok(());
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let to = last.min(done + CATCH_UP_CHUNK);
        record_scans(&tx, done + 1, to)?;
        tx.execute(
            "INSERT INTO stats_marks (name, seq) VALUES ('scan_facts', ?1)
             ON CONFLICT(name) DO UPDATE SET seq = excluded.seq",
            [to],
        )?;
        tx.commit()?;
    }
}

pub(super) fn latest_scan_day(c: &Connection) -> Result<Option<String>> {
    Ok(c.query_row("SELECT max(day) FROM scan_facts", [], |r| r.get(0))?)
}

/// A count column (SQLite integers are signed).
fn n(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0) as u64)
}

fn counts(c: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Count>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(p, |r| Ok(Count { key: r.get(0)?, count: n(r, 1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The scan figures; `by_day` holds only days with scans.
pub(super) fn scans(c: &Connection, scope: &Scope) -> Result<ScanStats> {
    const WHERE: &str = "day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR province = ?3)";
    let p = params![scope.period.from, scope.period.to, scope.province];
    let mut stmt = c.prepare_cached(&format!(
        "SELECT day, count(*), sum(registered = 0) FROM scan_facts WHERE {WHERE} GROUP BY day ORDER BY day"
    ))?;
    let by_day: Vec<DayCount> = stmt
        .query_map(p, |r| Ok(DayCount { day: r.get(0)?, scans: n(r, 1)?, unregistered: n(r, 2)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ScanStats {
        total: by_day.iter().map(|d| d.scans).sum(),
        unregistered: by_day.iter().map(|d| d.unregistered).sum(),
        by_day,
        by_province: counts(
            c,
            &format!(
                "SELECT province, count(*) AS n FROM scan_facts WHERE {WHERE}
                 GROUP BY province ORDER BY n DESC, province"
            ),
            p,
        )?,
        by_category: counts(
            c,
            &format!(
                "SELECT category, count(*) AS n FROM scan_facts WHERE {WHERE}
                 GROUP BY category ORDER BY n DESC, category"
            ),
            p,
        )?,
    })
}

pub(super) fn complaints(c: &Connection, scope: &Scope) -> Result<ComplaintStats> {
    const WHERE: &str =
        "date(created_at, '+7 hours') BETWEEN ?1 AND ?2 AND (?3 IS NULL OR province = ?3) AND held = 0";
    let p = params![scope.period.from, scope.period.to, scope.province];
    let group = |column: &str| {
        counts(
            c,
            &format!(
                "SELECT {column}, count(*) AS n FROM complaints WHERE {WHERE}
                 GROUP BY {column} ORDER BY n DESC, {column}"
            ),
            p,
        )
    };
    let by_status = group("status")?;
    let total = by_status.iter().map(|s| s.count).sum();
    let open = by_status
        .iter()
        .filter(|s| matches!(s.key.as_deref(), Some("received" | "processing")))
        .map(|s| s.count)
        .sum();
    // From filing to the first move to resolved or rejected.
    let mut stmt = c.prepare_cached(&format!(
        "SELECT (julianday(min(h.at)) - julianday(c.created_at)) * 24
         FROM complaints c JOIN complaint_history h ON h.complaint_id = c.id
         WHERE {WHERE} AND h.status IN ('resolved', 'rejected')
         GROUP BY c.id"
    ))?;
    let hours: Vec<f64> = stmt.query_map(p, |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let (median, mean) = crate::domain::stats::median_mean(hours.clone());
    Ok(ComplaintStats {
        total,
        open,
        by_category: group("category")?,
        by_status,
        by_province: group("province")?,
        closed: hours.len() as u64,
        median_hours_to_close: median,
        mean_hours_to_close: mean,
    })
}

/// Recalls in scope; their reach is filled in by `stats::recalls`.
pub(super) fn recalls(c: &Connection, scope: &Scope) -> Result<RecallStats> {
    let mut stmt = c.prepare_cached(
        "SELECT r.id, r.gtin, p.name_vi, r.severity, r.declared_at, r.province,
                (SELECT group_concat(lot, char(31)) FROM (SELECT lot FROM recall_lots WHERE recall_id = r.id ORDER BY lot))
         FROM recalls r LEFT JOIN products p ON p.gtin = r.gtin
         WHERE date(r.declared_at, '+7 hours') BETWEEN ?1 AND ?2
           AND (?3 IS NULL OR r.province IS NULL OR r.province = ?3)
         ORDER BY r.declared_at DESC, r.id",
    )?;
    let items: Vec<RecallReach> = stmt
        .query_map(params![scope.period.from, scope.period.to, scope.province], |r| {
            let lots: Option<String> = r.get(6)?;
            Ok(RecallReach {
                id: r.get(0)?,
                gtin: r.get(1)?,
                product_vi: r.get(2)?,
                severity: r.get(3)?,
                declared_at: r.get(4)?,
                province: r.get(5)?,
                lots: lots.map(|l| l.split('\u{1f}').map(str::to_owned).collect()).unwrap_or_default(),
                devices_scanned: 0,
                devices_notified: 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(RecallStats { total: items.len() as u64, items })
}

pub(super) fn participation(c: &Connection, province: Option<&str>) -> Result<Participation> {
    let one = |sql: &str| -> Result<u64> { Ok(c.prepare_cached(sql)?.query_row([province], |r| n(r, 0))?) };
    Ok(Participation {
        companies: one("SELECT count(*) FROM companies WHERE ?1 IS NULL OR province = ?1")?,
        products: one("SELECT count(*) FROM products p LEFT JOIN companies co ON co.id = p.company_id
             WHERE ?1 IS NULL OR co.province = ?1")?,
        lots: one("SELECT count(*) FROM lots l JOIN products p ON p.gtin = l.gtin
             LEFT JOIN companies co ON co.id = p.company_id WHERE ?1 IS NULL OR co.province = ?1")?,
        lots_complete_chain: None,
        devices: c.query_row("SELECT count(*) FROM devices", [], |r| n(r, 0))?,
        accounts_by_role: counts(
            c,
            "SELECT role, count(*) FROM users WHERE NOT disabled GROUP BY role ORDER BY role",
            [],
        )?,
    })
}

pub(super) fn lots_in(c: &Connection, province: Option<&str>) -> Result<Vec<(String, String)>> {
    let mut stmt = c.prepare_cached(
        "SELECT l.gtin, l.lot FROM lots l JOIN products p ON p.gtin = l.gtin
         LEFT JOIN companies co ON co.id = p.company_id
         WHERE ?1 IS NULL OR co.province = ?1 ORDER BY l.gtin, l.lot",
    )?;
    let rows = stmt.query_map([province], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many of `devices` have pulled past the recall's first change.
pub(super) fn recall_received(c: &Connection, recall_id: &str, devices: &[String]) -> Result<u64> {
    let list = serde_json::to_string(devices).unwrap_or_else(|_| "[]".into());
    Ok(c.prepare_cached(
        "SELECT count(*) FROM device_pulls
         WHERE device_id IN (SELECT value FROM json_each(?2))
           AND last_seq >= (SELECT min(seq) FROM changes WHERE kind = 'recall' AND key = ?1)",
    )?
    .query_row(params![recall_id, list], |r| n(r, 0))?)
}

/// Remember how far a device has pulled (only the owner's pulls count).
pub(super) fn note_pull(
    c: &Connection,
    user_id: i64,
    device_id: &str,
    last_seq: i64,
    at: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO device_pulls (device_id, last_seq, pulled_at)
         SELECT ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM devices WHERE id = ?2 AND user_id = ?1)
         ON CONFLICT(device_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), pulled_at = excluded.pulled_at",
    )?
    .execute(params![user_id, device_id, last_seq, at])?;
    Ok(())
}
