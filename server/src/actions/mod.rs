//! Use cases: what an account (or anybody) does, over the store. Each is a
//! function `(store, me, input) -> Result<T>` that asks `domain::rights`
//! first, then reads and writes through the [`Store`](crate::store::Store)
//! trait; the JSON API, the pages and the command line call the same ones.
//! A write returns what it [`Touched`], and the caller (`state::write`)
//! makes the cached resolutions that showed it stale.
//!
//! Invariant: no HTTP, no HTML, no argv; errors are [`Error`], turned into
//! answers once (`problem.rs`).

pub mod accounts;
pub mod catalog;
pub mod complaints;
pub mod demo;
pub mod epcis;
pub mod import;
pub mod provenance;
pub mod recalls;
pub mod registry;
pub mod stats;
pub mod sync;

use std::collections::BTreeSet;

use crate::domain::rights::Denied;
use crate::store::StoreError;

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A right the account does not have.
    #[error("{0}")]
    Forbidden(String),
    /// A request that cannot be read (a bad query value, an unknown cursor).
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// Content that breaks a rule of the domain.
    #[error("{detail}")]
    Invalid { code: &'static str, detail: String },
    #[error("{0}")]
    NotFound(String),
    /// A well-formed code nobody registered.
    #[error("{0}")]
    NotRegistered(String),
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// More than a bound allows (events in a push, bytes in a photo).
    #[error("{0}")]
    TooLarge(String),
    /// An EPCIS 2.0 exception, named as the standard names it.
    #[error("{detail}")]
    Epcis { exception: EpcisException, detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something that should not happen (a hash that fails, a pool gone).
    #[error("{0}")]
    Internal(String),
}

/// The EPCIS 2.0 exceptions this server answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EpcisException {
    Validation,
    CaptureLimitExceeded,
    Security,
    UnsupportedMediaType,
    QueryParameter,
    QueryTooLarge,
    NoSuchResource,
}

impl EpcisException {
    /// The name in the standard (`epcisException:<name>`).
    pub fn name(self) -> &'static str {
        match self {
            EpcisException::Validation => "ValidationException",
            EpcisException::CaptureLimitExceeded => "CaptureLimitExceededException",
            EpcisException::Security => "SecurityException",
            EpcisException::UnsupportedMediaType => "UnsupportedMediaTypeException",
            EpcisException::QueryParameter => "QueryParameterException",
            EpcisException::QueryTooLarge => "QueryTooLargeException",
            EpcisException::NoSuchResource => "NoSuchResourceException",
        }
    }
}

impl From<Denied> for Error {
    fn from(d: Denied) -> Error {
        Error::Forbidden(d.0)
    }
}

impl Error {
    /// A page size asked for (`default` when none), which must lie in
    /// `1..=max`: the document says so, and a silent clamp would hide a
    /// client's mistake.
    pub fn page_limit(asked: Option<u32>, default: u32, max: u32) -> Result<u32> {
        match asked.unwrap_or(default) {
            n if (1..=max).contains(&n) => Ok(n),
            _ => Err(Error::bad_request("invalid_limit", format!("limit must be 1 to {max}"))),
        }
    }

    pub fn invalid(code: &'static str, detail: impl Into<String>) -> Error {
        Error::Invalid { code, detail: detail.into() }
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Error {
        Error::BadRequest { code, detail: detail.into() }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// What a write changed that cached resolutions may show: the GTINs it
/// concerns, or everything (a company, a place, a farm diary, a recall).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    pub gtins: BTreeSet<String>,
    pub everything: bool,
}

impl Touched {
    pub const NOTHING: Touched = Touched { gtins: BTreeSet::new(), everything: false };

    pub fn everything() -> Touched {
        Touched { gtins: BTreeSet::new(), everything: true }
    }
}

/// A write's answer and what it touched.
#[derive(Debug)]
pub struct Written<T> {
    pub value: T,
    pub touched: Touched,
}

impl<T> Written<T> {
    pub fn new(value: T, touched: Touched) -> Written<T> {
        Written { value, touched }
    }

    /// A write no resolution shows (a complaint's status, a device).
    pub fn untouched(value: T) -> Written<T> {
        Written { value, touched: Touched::NOTHING }
    }

    /// The same write with its answer changed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Written<U> {
        Written { value: f(self.value), touched: self.touched }
    }
}
