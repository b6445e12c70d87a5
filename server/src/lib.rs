//! truyxuat's server and command-line tool.
//!
//! `api` (HTTP) → `ingest` (checks needing no state) → `store` (SQLite behind
//! a trait). `auth` holds passwords, tokens and rate limits; `problem` is the
//! one place errors become HTTP answers. `cli` and `device` are the
//! command-line shells.

pub mod api;
pub mod auth;
pub mod cli;
mod device;
pub mod ingest;
pub mod problem;
pub mod serve;
pub mod store;
