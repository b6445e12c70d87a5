//! The SQLite schema: `sql/NNN-*.sql`, one file per version, applied in one
//! immediate transaction by `PRAGMA user_version`; a newer database is
//! refused. Changes SQLite cannot express in SQL (a CHECK constraint)
//! rewrite the table's definition in place.

use rusqlite::{Connection, TransactionBehavior, params};

use super::epcis;
use crate::store::{Result, StoreError};

const MIGRATIONS: &[&str] = &[
    include_str!("sql/001-init.sql"),
    include_str!("sql/002-catalog.sql"),
    include_str!("sql/003-complaints.sql"),
    include_str!("sql/004-stats.sql"),
    include_str!("sql/005-epcis.sql"),
    include_str!("sql/006-photos.sql"),
    include_str!("sql/007-revocations.sql"),
    include_str!("sql/008-partner-role.sql"),
    include_str!("sql/009-rights-facts.sql"),
    include_str!("sql/010-epcis-corrections.sql"),
];
pub(super) const VERSION: i64 = MIGRATIONS.len() as i64;

/// Bring a database to [`VERSION`] (a new one from nothing), and the
/// province names up to date.
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
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
    if found < 9 {
        widen_role_check(&tx)?;
    }
    if (5..10).contains(&found) {
        epcis::reindex(&tx)?;
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
    Ok(())
}

/// The roles the `users.role` CHECK admits, in order of the schema
/// versions that added them (8: partner, 9: certifier).
const ROLE_CHECKS: &[(i64, &str)] =
    &[(8, "'authority', 'admin', 'partner'))"), (9, "'authority', 'admin', 'partner', 'certifier'))")];

/// Schemas 8 and 9: the `users.role` CHECK admits new roles. Only a
/// constraint changes, so the table's definition is rewritten in place
/// (SQLite's documented way for changes that leave the stored rows as they
/// are), then the schema version is bumped and the database checked.
fn widen_role_check(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    const FIRST: &str = "'authority', 'admin'))";
    let sql: String =
        tx.query_row("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'users'", [], |r| {
            r.get(0)
        })?;
    let newest = ROLE_CHECKS[ROLE_CHECKS.len() - 1].1;
    if sql.contains(newest) {
        return Ok(());
    }
    let old = ROLE_CHECKS.iter().rev().map(|(_, c)| *c).chain([FIRST]).find(|c| sql.contains(c));
    let Some(old) = old else {
        return Err(StoreError::Backend("users table: role constraint not as expected".into()));
    };
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    tx.execute(
        "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = 'users'",
        [sql.replace(old, newest)],
    )?;
    tx.pragma_update(None, "schema_version", version + 1)?;
    tx.pragma_update(None, "writable_schema", false)?;
    let check: String = tx.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Backend(format!("after the users schema change: {check}")));
    }
    Ok(())
}
