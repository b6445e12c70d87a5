//! truyxuat's server and command-line tool.
//!
//! `api` (HTTP) → `domain::ingest` (checks needing no state) → `store`
//! (SQLite behind a trait). `auth` holds passwords, tokens and rate limits;
//! `problem` is the one place errors become HTTP answers. `cli` and
//! `device` are the command-line shells.

pub mod actions;
pub mod api;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod complaints_http;
mod device;
pub mod domain;
pub mod epcis_http;
pub mod import;
pub mod portal;
pub mod problem;
pub mod recall_pack;
pub mod resolver;
pub mod scope;
pub mod serve;
pub mod stats_http;
pub mod store;
