//! Schema creation and upgrades, versioned by `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use super::JournalError;

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/001-init.sql"),
    include_str!("sql/002-sync.sql"),
    include_str!("sql/003-photos.sql"),
    include_str!("sql/004-head.sql"),
];

/// The schema version this build writes.
pub(crate) const VERSION: i64 = MIGRATIONS.len() as i64;

/// Bring the database to [`VERSION`] in one immediate transaction, refusing
/// a database made by a newer build.
pub(crate) fn init(conn: &mut Connection) -> Result<(), JournalError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > VERSION {
        return Err(JournalError::TooNew { found, known: VERSION });
    }
    for sql in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql)?;
    }
    if found != VERSION {
        tx.pragma_update(None, "user_version", VERSION)?;
    }
    tx.commit()?;
    Ok(())
}
