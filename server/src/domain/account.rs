//! Accounts: who a user is (role, province, the GLNs they write for).
//!
//! Invariant: pure; the store keeps accounts, `rights` decides what each
//! may do.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Consumer,
    Farmer,
    Enterprise,
    Inspector,
    Authority,
    Admin,
    /// Another traceability system connected to the portal: it captures and
    /// reads EPCIS events, nothing else.
    Partner,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Consumer,
        Role::Farmer,
        Role::Enterprise,
        Role::Inspector,
        Role::Authority,
        Role::Admin,
        Role::Partner,
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
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| format!("unknown role {s:?}"))
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
}

#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub province: Option<String>,
    pub glns: Vec<String>,
}
