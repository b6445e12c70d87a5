//! The nouns and rules of traceability, pure: accounts and what each may do,
//! the product database's records, complaints, pushed events, photos,
//! statistics' periods and figures, EPCIS 2.0 documents.
//!
//! Invariant: no I/O, no clock, no randomness, no HTTP, no SQL. Times and
//! ids are handed in; every function here is a function of its arguments.

pub mod account;
pub mod catalog;
pub mod complaint;
pub mod epcis;
pub mod ingest;
pub mod photo;
pub mod rights;
pub mod stats;
