//! truyxuat's server and command-line tool.
//!
//! `api` (HTTP) → `ingest` (checks needing no state) → `store` (SQLite behind
//! a trait). `auth` holds passwords, tokens and rate limits; `problem` is the
//! one place errors become HTTP answers. `cli` and `device` are the
//! command-line shells.

pub mod api;
pub mod auth;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod complaints;
pub mod complaints_http;
mod device;
pub mod epcis;
pub mod import;
pub mod ingest;
pub mod photos;
pub mod portal;
pub mod problem;
pub mod provenance;
pub mod recall_pack;
pub mod resolver;
pub mod serve;
pub mod stats;
pub mod stats_http;
pub mod store;
