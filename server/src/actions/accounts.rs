//! Accounts and devices: making an account (an admin through the API, the
//! operator through `truyxuat user add`, both by the same rules), and
//! registering a phone.

use crate::actions::{Error, Result, Written};
use crate::domain::account::{self, AccountRequest, NewUser, User};
use crate::domain::rights;
use crate::store::Store;

/// The longest device name kept.
const DEVICE_NAME_CHARS: usize = 200;

/// An account made by an admin.
pub fn create(store: &dyn Store, me: &User, request: AccountRequest) -> Result<Written<User>> {
    rights::create_account(me)?;
    create_as_operator(store, request)
}

/// An account made by whoever runs the server (`truyxuat user add`: the
/// first admin of a new portal). Same rules as [`create`].
pub fn create_as_operator(store: &dyn Store, request: AccountRequest) -> Result<Written<User>> {
    let role = account::check_new(&request).map_err(|e| Error::invalid(e.code(), e.to_string()))?;
    let password_hash =
        crate::auth::hash_password(&request.password).map_err(|e| Error::Internal(e.to_string()))?;
    let new = NewUser {
        username: request.username,
        password_hash,
        role,
        province: request.province,
        glns: request.glns,
    };
    Ok(Written::untouched(store.create_user(&new)?))
}

/// `me`'s new password (the old one already checked): every token issued
/// before ends. The account as it is now.
pub fn change_password(store: &dyn Store, me: &User, new_password: &str) -> Result<Written<User>> {
    if !account::valid_password(new_password) {
        return Err(Error::invalid("weak_password", account::AccountError::Password.to_string()));
    }
    let hash = crate::auth::hash_password(new_password).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Written::untouched(store.update_account(me.id, Some(&hash), None)?))
}

/// Disable or enable the account `username`; either ends its tokens.
pub fn set_disabled(store: &dyn Store, me: &User, username: &str, disabled: bool) -> Result<Written<User>> {
    let target =
        store.user_by_name(username)?.ok_or_else(|| Error::NotFound(format!("no account {username:?}")))?;
    rights::disable_account(me, &target)?;
    Ok(Written::untouched(store.update_account(target.id, None, Some(disabled))?))
}

/// Register (or name again) one of `me`'s devices; a new id when none is
/// given. Another account's device is a conflict.
pub fn register_device(
    store: &dyn Store,
    me: &User,
    device_id: Option<String>,
    name: Option<String>,
) -> Result<Written<String>> {
    let device_id = match device_id {
        Some(id) => uuid::Uuid::parse_str(&id)
            .map_err(|_| Error::invalid("invalid_device_id", format!("{id:?} is not a UUID")))?
            .hyphenated()
            .to_string(),
        None => uuid::Uuid::now_v7().to_string(),
    };
    let name = name.map(|n| n.chars().take(DEVICE_NAME_CHARS).collect::<String>());
    store.register_device(me.id, &device_id, name.as_deref())?;
    Ok(Written::untouched(device_id))
}
