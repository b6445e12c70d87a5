//! Accounts and devices: the SQL of `users`, `user_glns` and `devices`.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{SqliteStore, lock, now, one};
use crate::domain::account::{NewUser, Role, User};
use crate::store::{Result, StoreError};

pub(super) fn create_user(s: &SqliteStore, user: &NewUser) -> Result<User> {
    let mut conn = lock(&s.writer);
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
    let created = load_user(&tx, "id", &id)?;
    tx.commit()?;
    created.ok_or_else(|| StoreError::Backend("user vanished after insert".into()))
}

pub(super) fn user_by_name(s: &SqliteStore, username: &str) -> Result<Option<User>> {
    s.read(|c| load_user(c, "username", &username))
}

pub(super) fn user_by_id(s: &SqliteStore, id: i64) -> Result<Option<User>> {
    s.read(|c| load_user(c, "id", &id))
}

/// A new password hash, or the account disabled or enabled: either way
/// every token issued before ends (its generation moves on).
pub(super) fn update_account(
    s: &SqliteStore,
    user_id: i64,
    password_hash: Option<&str>,
    disabled: Option<bool>,
) -> Result<User> {
    let mut conn = lock(&s.writer);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let changed = tx.execute(
        "UPDATE users SET password_hash = coalesce(?2, password_hash), disabled = coalesce(?3, disabled),
                          token_generation = token_generation + 1
         WHERE id = ?1",
        params![user_id, password_hash, disabled],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("account {user_id}")));
    }
    let user = load_user(&tx, "id", &user_id)?;
    tx.commit()?;
    user.ok_or_else(|| StoreError::Backend("account vanished".into()))
}

/// End a session: no token of it is accepted again (the row is kept until
/// `until`, when its last token would have expired anyway).
pub(super) fn end_session(s: &SqliteStore, user_id: i64, sid: &str, until: &str) -> Result<()> {
    let conn = lock(&s.writer);
    conn.prepare_cached("DELETE FROM ended_sessions WHERE until < ?1")?.execute([now()])?;
    conn.prepare_cached("INSERT OR IGNORE INTO ended_sessions (sid, user_id, until) VALUES (?1, ?2, ?3)")?
        .execute(params![sid, user_id, until])?;
    Ok(())
}

pub(super) fn session_ended(s: &SqliteStore, sid: &str) -> Result<bool> {
    s.read(|c| {
        Ok(c.prepare_cached("SELECT EXISTS(SELECT 1 FROM ended_sessions WHERE sid = ?1)")?
            .query_row([sid], |r| r.get(0))?)
    })
}

pub(super) fn register_device(
    s: &SqliteStore,
    user_id: i64,
    device_id: &str,
    name: Option<&str>,
) -> Result<()> {
    let mut conn = lock(&s.writer);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let owner: Option<i64> =
        tx.query_row("SELECT user_id FROM devices WHERE id = ?1", [device_id], |r| r.get(0)).optional()?;
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

pub(super) fn device_owner(s: &SqliteStore, device_id: &str) -> Result<Option<i64>> {
    s.read(|c| Ok(one(c, "SELECT user_id FROM devices WHERE id = ?1", [device_id], |r| r.get(0)).optional()?))
}

pub(super) fn load_user(conn: &Connection, filter: &str, arg: &dyn rusqlite::ToSql) -> Result<Option<User>> {
    let row = one(
        conn,
        &format!(
            "SELECT id, username, password_hash, role, province, disabled, token_generation FROM users WHERE {filter} = ?1"
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
                r.get::<_, i64>(6)?,
            ))
        },
    )
    .optional()?;
    let Some((id, username, password_hash, role, province, disabled, token_generation)) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached("SELECT gln FROM user_glns WHERE user_id = ?1 ORDER BY gln")?;
    let glns = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    let role = role.parse::<Role>().map_err(StoreError::Backend)?;
    Ok(Some(User { id, username, password_hash, role, province, glns, disabled, token_generation }))
}
