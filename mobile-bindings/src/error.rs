//! The one error the apps see, and the one place core errors become it.
//!
//! Reasons are for people (Vietnamese / English where the core has both) and
//! carry no personal data: no passwords, tokens or form contents.

use truyxuat_core::decode::DecodeError;
use truyxuat_core::journal::JournalError;
use truyxuat_core::sync::SyncError;

use crate::bytes::NativeMemoryError;

#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TruyxuatError {
    /// An argument or a form field is wrong (bad frame size, date, GLN …);
    /// nothing was stored.
    #[error("{reason}")]
    InvalidInput { reason: String },
    /// The journal file cannot be read or written (disk full, damaged, newer app).
    #[error("{reason}")]
    Storage { reason: String },
    /// The server cannot be reached; everything recorded stays on the phone.
    #[error("{reason}")]
    Offline { reason: String },
    /// Signing in is needed (no token, or it expired).
    #[error("cần đăng nhập / sign-in required")]
    SignInRequired,
    /// The server refused; `code` is its stable problem code (e.g. `forbidden`).
    #[error("{reason}")]
    Refused { code: String, reason: String },
    /// The server failed or answered something this app does not understand.
    #[error("{reason}")]
    Server { reason: String },
}

impl From<DecodeError> for TruyxuatError {
    fn from(e: DecodeError) -> Self {
        TruyxuatError::InvalidInput { reason: e.to_string() }
    }
}

impl From<NativeMemoryError> for TruyxuatError {
    fn from(e: NativeMemoryError) -> Self {
        TruyxuatError::InvalidInput { reason: e.to_string() }
    }
}

impl From<JournalError> for TruyxuatError {
    fn from(e: JournalError) -> Self {
        match e {
            JournalError::Invalid(reason) => TruyxuatError::InvalidInput { reason },
            other => TruyxuatError::Storage { reason: other.to_string() },
        }
    }
}

impl From<SyncError> for TruyxuatError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Offline { .. } => TruyxuatError::Offline { reason: e.to_string() },
            SyncError::LoginRequired => TruyxuatError::SignInRequired,
            SyncError::Refused(ref p) => {
                TruyxuatError::Refused { code: p.code.clone(), reason: e.to_string() }
            }
            SyncError::Server { .. } | SyncError::Protocol(_) => {
                TruyxuatError::Server { reason: e.to_string() }
            }
            SyncError::Journal(j) => j.into(),
            SyncError::RecallPack(_) => TruyxuatError::Server { reason: e.to_string() },
        }
    }
}

pub type Result<T, E = TruyxuatError> = std::result::Result<T, E>;
