//! Use cases: what a signed-in account (or anybody) does, over the store.
//! Each is `fn(store, me, input) -> Result<T>`; no HTTP.

pub mod provenance;
pub mod stats;
