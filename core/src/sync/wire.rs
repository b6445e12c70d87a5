//! The JSON bodies of the sync protocol (`docs/sync-protocol.md`), shared by
//! the client in this crate and the server. Changing a field here changes
//! the protocol: bump [`PROTOCOL_VERSION`] and say so in the document.

use serde::{Deserialize, Serialize};

/// Sent as `Truyxuat-Protocol` on every request; the server answers 400
/// `unsupported_protocol` to versions it does not know.
pub const PROTOCOL_VERSION: u32 = 1;

/// Most events one push may carry.
pub const MAX_PUSH_EVENTS: usize = 1000;

/// Most changes one pull page may carry.
pub const MAX_PULL_LIMIT: u32 = 1000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    /// consumer, farmer, enterprise, inspector, authority or admin.
    pub role: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceRequest {
    /// The id the device's journal made for itself (a UUID). The server
    /// makes one when absent. Registering the same id again is harmless.
    #[serde(default)]
    pub device_id: Option<String>,
    /// A label for people ("Điện thoại chị Lan").
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceResponse {
    pub device_id: String,
}

/// One journal event as pushed. `kind` and `payload` are kept loose so that
/// one malformed event is rejected on its own instead of failing the batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WireEvent {
    pub id: String,
    /// The device's sequence number (1, 2, 3 … without gaps).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub seq: i64,
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: serde_json::Value,
    /// RFC 3339.
    pub device_time: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub device_id: String,
    pub events: Vec<WireEvent>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// Stored now.
    Accepted,
    /// Stored before (same id and content); nothing changed.
    Duplicate,
    /// Not stored as data; `error` says why. Final: retrying gives the same answer.
    Rejected,
}

/// Why an event was rejected: a stable code and a readable reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventError {
    /// Stable, e.g. `forbidden`, `invalid_event`, `hash_mismatch`, `sequence_conflict`.
    pub code: String,
    /// The HTTP status the refusal would have on its own (403, 409, 422).
    pub status: u16,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResult {
    pub id: String,
    pub status: PushStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<EventError>,
}

/// The answer to a push, in the order of the request's events. When every
/// event of a batch is refused, the same `results` come inside a problem
/// body with the status of the first refusal (403, 409 or 422).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

/// One change a pull brings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// `product`, `lot`, `recall`, or `event_status` (the server's verdict on
    /// one of the caller's own events: `data` is `{"status", "error"?}`).
    pub kind: String,
    /// The record's key: GTIN, GTIN + "/" + lot, recall id, event id.
    pub key: String,
    /// The record; `null` when it was removed.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Opaque; send it back to get what came after this page.
    pub cursor: String,
    pub has_more: bool,
}

/// An RFC 9457 problem as this server writes it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type", default)]
    pub type_uri: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable, machine-readable: `unauthorized`, `forbidden`, `not_found`, …
    #[serde(default)]
    pub code: String,
    /// Per-event answers when a whole push was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<PushResult>>,
}
