//! Accounts: who a user is (role, province, the GLNs they write for), and
//! what a valid account is. `POST /v1/users` and `truyxuat user add` check
//! a new account with the same [`check_new`].
//!
//! Invariant: pure; the store keeps accounts, `rights` decides what each
//! may do.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::domain::catalog::{provinces, valid_gln};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Consumer,
    Farmer,
    Enterprise,
    Inspector,
    /// Without a province: the national authority (every province); with
    /// one: that province's.
    Authority,
    Admin,
    /// Another traceability system connected to the portal: it captures and
    /// reads EPCIS events, and records the steps an enterprise records at
    /// the GLNs registered for it.
    Partner,
    /// A certification body registered by the authorities: it records
    /// certifications, which the consumer page then shows as issued.
    Certifier,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Consumer,
        Role::Farmer,
        Role::Enterprise,
        Role::Inspector,
        Role::Authority,
        Role::Admin,
        Role::Partner,
        Role::Certifier,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Consumer => "consumer",
            Role::Farmer => "farmer",
            Role::Enterprise => "enterprise",
            Role::Inspector => "inspector",
            Role::Authority => "authority",
            Role::Admin => "admin",
            Role::Partner => "partner",
            Role::Certifier => "certifier",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Role, String> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            format!("unknown role {s:?}: use {}", names.join(", "))
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub province: Option<String>,
    pub glns: Vec<String>,
    pub disabled: bool,
    /// Tokens name it; a password change or disabling moves it on, which
    /// ends every token issued before.
    pub token_generation: i64,
}

/// An account to store (its password already hashed).
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub province: Option<String>,
    pub glns: Vec<String>,
}

/// An account as asked for, before its password is hashed.
#[derive(Clone, Debug)]
pub struct AccountRequest {
    pub username: String,
    pub password: String,
    pub role: String,
    pub province: Option<String>,
    pub glns: Vec<String>,
}

/// The characters and lengths accepted.
pub const USERNAME_CHARS: std::ops::RangeInclusive<usize> = 3..=64;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 1024;
/// GLNs one account writes for.
pub const MAX_GLNS: usize = 1000;

/// Why an account cannot be made; `code()` is the API's stable code.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Role(String),
    #[error("a username has {min} to {max} letters, digits, '.', '_', '-' or '@'", min = USERNAME_CHARS.start(), max = USERNAME_CHARS.end())]
    Username,
    #[error(
        "a password has at least {PASSWORD_MIN} characters other than spaces (and at most {PASSWORD_MAX})"
    )]
    Password,
    #[error("unknown province code {0:?}")]
    Province(String),
    #[error("an inspector account belongs to a province: give its code")]
    ProvinceRequired,
    #[error("{0:?} is not a valid GLN")]
    Gln(String),
    #[error("at most {MAX_GLNS} GLNs per account")]
    TooManyGlns,
}

impl AccountError {
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::Role(_) => "invalid_role",
            AccountError::Username => "invalid_username",
            AccountError::Password => "weak_password",
            AccountError::Province(_) | AccountError::ProvinceRequired => "invalid_province",
            AccountError::Gln(_) | AccountError::TooManyGlns => "invalid_gln",
        }
    }
}

pub fn valid_username(name: &str) -> bool {
    USERNAME_CHARS.contains(&name.chars().count())
        && name.chars().all(|c| c.is_alphanumeric() || "._-@".contains(c))
}

/// Long enough without counting spaces, and bounded (argon2 reads it all).
pub fn valid_password(password: &str) -> bool {
    password.chars().filter(|c| !c.is_whitespace()).count() >= PASSWORD_MIN
        && password.chars().count() <= PASSWORD_MAX
}

/// The one rule set for a new account; the role it names, when valid.
pub fn check_new(a: &AccountRequest) -> Result<Role, AccountError> {
    let role: Role = a.role.parse().map_err(AccountError::Role)?;
    if !valid_username(&a.username) {
        return Err(AccountError::Username);
    }
    if !valid_password(&a.password) {
        return Err(AccountError::Password);
    }
    match &a.province {
        Some(p) if provinces::province(p).is_none() => return Err(AccountError::Province(p.clone())),
        None if role == Role::Inspector => return Err(AccountError::ProvinceRequired),
        _ => {}
    }
    if a.glns.len() > MAX_GLNS {
        return Err(AccountError::TooManyGlns);
    }
    if let Some(g) = a.glns.iter().find(|g| !valid_gln(g)) {
        return Err(AccountError::Gln(g.clone()));
    }
    Ok(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(
        username: &str,
        password: &str,
        role: &str,
        province: Option<&str>,
        glns: &[&str],
    ) -> AccountRequest {
        AccountRequest {
            username: username.into(),
            password: password.into(),
            role: role.into(),
            province: province.map(str::to_owned),
            glns: glns.iter().map(|g| g.to_string()).collect(),
        }
    }

    #[test]
    fn one_rule_set_for_new_accounts() {
        let ok = |r: AccountRequest| check_new(&r);
        let cases: &[(AccountRequest, Result<Role, &str>)] = &[
            (
                request("farmer.hoa", "mật khẩu tốt", "farmer", Some("66"), &["8936120000014"]),
                Ok(Role::Farmer),
            ),
            (request("authority_hn", "12345678", "authority", Some("01"), &[]), Ok(Role::Authority)),
            (request("national", "12345678", "authority", None, &[]), Ok(Role::Authority)),
            (request("tncert", "12345678", "certifier", None, &[]), Ok(Role::Certifier)),
            (request("x", "12345678", "farmer", None, &[]), Err("invalid_username")),
            (request("bad name", "12345678", "farmer", None, &[]), Err("invalid_username")),
            (request("root", "1234567", "admin", None, &[]), Err("weak_password")),
            (request("root", "        ", "admin", None, &[]), Err("weak_password")),
            (request("root", "1234 567", "admin", None, &[]), Err("weak_password")),
            (request("root", &"a".repeat(PASSWORD_MAX + 1), "admin", None, &[]), Err("weak_password")),
            (request("root", "12345678", "superuser", None, &[]), Err("invalid_role")),
            (request("insp", "12345678", "inspector", Some("99"), &[]), Err("invalid_province")),
            (request("insp", "12345678", "inspector", None, &[]), Err("invalid_province")),
            (request("farm", "12345678", "farmer", None, &["8936120000015"]), Err("invalid_gln")),
        ];
        for (r, want) in cases {
            let got = ok(r.clone()).map_err(|e| e.code());
            assert_eq!(&got, want, "{r:?}");
        }
    }
}
