//! The sync client: pushes a journal's pending events and pulls what the
//! device needs offline, over any [`Transport`].
//!
//! Invariants: the client never changes or drops an event; it only records
//! the server's verdicts in the outbox and the pulled data in the cache.
//! Every request it makes is safe to repeat, so it retries transport
//! failures, timeouts, 408, 429 and 5xx with exponential backoff and full
//! jitter. Anything left pending goes out on the next [`Client::sync`].

#[cfg(feature = "http")]
mod http;
pub mod wire;

use std::time::Duration;

use serde::Serialize;

use crate::journal::{CacheUpdate, Journal, JournalError, Mark, OutboxState};
use crate::lookup::{self, Lookup};
#[cfg(feature = "http")]
pub use http::HttpTransport;
use wire::{
    DeviceRequest, DeviceResponse, Problem, PullResponse, PushRequest, PushResponse, PushStatus,
    TokenRequest, TokenResponse, WireEvent,
};

/// Journal `meta` keys the client owns.
pub mod meta_keys {
    pub const SERVER_URL: &str = "sync.server_url";
    pub const TOKEN: &str = "auth.token";
    pub const TOKEN_EXPIRES: &str = "auth.expires_at";
    pub const TOKEN_ISSUED: &str = "auth.issued_at";
    pub const ROLE: &str = "auth.role";
    pub const USER: &str = "auth.user";
    pub const REGISTERED: &str = "sync.device_registered";
    pub const PULL_CURSOR: &str = "sync.pull_cursor";
    pub const LAST_SYNC: &str = "sync.last_success";
    /// The recall pack's signing key, pinned at the first update after a login.
    pub const PACK_KEY: &str = "recall_pack.key";
}

const LOGIN_PATH: &str = "/v1/auth/token";
const REFRESH_PATH: &str = "/v1/auth/refresh";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    /// A JSON body.
    Post,
    /// Raw bytes of this media type (a photo).
    Upload(&'static str),
}

/// One HTTP request, relative to the server's base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    /// Path and query, e.g. `/v1/sync/pull?cursor=…`.
    pub path: String,
    pub bearer: Option<String>,
    /// JSON body.
    pub body: Option<Vec<u8>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// The request may or may not have reached the server.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    #[error("the request timed out")]
    Timeout,
    #[error("the connection broke: {0}")]
    Broken(String),
}

/// Carries requests to the server. Implementations add the
/// `Truyxuat-Protocol` header and set sensible timeouts.
pub trait Transport {
    fn send(&self, request: &Request) -> Result<Response, TransportError>;
}

impl<T: Transport + ?Sized> Transport for &T {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        (**self).send(request)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("không kết nối được máy chủ / server unreachable after {attempts} attempts: {last}")]
    Offline { attempts: u32, last: String },
    #[error("cần đăng nhập / login required")]
    LoginRequired,
    #[error("máy chủ từ chối / refused ({}, {}): {}", .0.status, .0.code, .0.detail.as_deref().unwrap_or(&.0.title))]
    Refused(Box<Problem>),
    #[error("máy chủ gặp lỗi / server error {status} after retries")]
    Server { status: u16 },
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// A recall pack that failed verification; the one kept is unchanged.
    #[error(transparent)]
    RecallPack(#[from] crate::recall_pack::PackError),
}

/// Batch sizes and retry timing.
#[derive(Clone, Debug)]
pub struct Policy {
    pub push_batch: u32,
    pub pull_limit: u32,
    /// Tries per request, the first included.
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            push_batch: 500,
            pull_limit: 500,
            attempts: 5,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
        }
    }
}

/// What an update of the recall pack left on the phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackReport {
    pub province: Option<String>,
    pub version: i64,
    pub issued_at: String,
    pub recalls: usize,
    pub lots: usize,
    /// A whole pack came (first time, or a delta could not apply).
    pub whole: bool,
}

/// What one `sync` did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub pushed: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub pulled: u64,
    /// Events still waiting (0 unless something was left for next time).
    pub pending: u64,
    /// Photos sent (or refused for good) before the events.
    pub photos: u64,
    pub requests: u32,
    pub retries: u32,
}

/// Who logged in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Login {
    pub user: String,
    pub role: String,
    pub device_id: String,
    pub expires_at: i64,
}

pub struct Client<T> {
    transport: T,
    policy: Policy,
    sleep: fn(Duration),
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A cheap pseudo-random number for jitter (xorshift over the clock).
fn jitter_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(1);
    let mut x = nanos ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

fn json<T: serde::de::DeserializeOwned>(response: &Response) -> Result<T, SyncError> {
    serde_json::from_slice(&response.body)
        .map_err(|e| SyncError::Protocol(format!("status {}: {e}", response.status)))
}

fn problem(response: &Response) -> Problem {
    serde_json::from_slice(&response.body).unwrap_or_else(|_| Problem {
        status: response.status,
        title: String::from_utf8_lossy(&response.body).chars().take(200).collect(),
        code: "http_error".into(),
        ..Problem::default()
    })
}

/// Open the journal at `path` for syncing with the server at `server_url`
/// (remembered in the journal), over HTTP.
#[cfg(feature = "http")]
pub fn connect(
    path: &std::path::Path,
    server_url: &str,
) -> Result<(Journal, Client<HttpTransport>), JournalError> {
    let mut journal = Journal::open(path)?;
    let url = server_url.trim().trim_end_matches('/');
    if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 10 {
        return Err(JournalError::Invalid(format!(
            "server address {url:?} must start with https:// or http://"
        )));
    }
    if journal.meta(meta_keys::SERVER_URL)?.as_deref() != Some(url) {
        journal.set_meta(meta_keys::SERVER_URL, url)?;
    }
    Ok((journal, Client::new(HttpTransport::new(url))))
}

/// Who is signed in on this journal, as the last login or refresh left it
/// (the token may have expired since: see `expires_at`).
pub fn signed_in(journal: &Journal) -> Result<Option<Login>, JournalError> {
    let (Some(user), Some(role), Some(token)) =
        (journal.meta(meta_keys::USER)?, journal.meta(meta_keys::ROLE)?, journal.meta(meta_keys::TOKEN)?)
    else {
        return Ok(None);
    };
    if token.is_empty() {
        return Ok(None);
    }
    let expires_at = journal.meta(meta_keys::TOKEN_EXPIRES)?.and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok(Some(Login { user, role, device_id: journal.device_id().to_owned(), expires_at }))
}

/// Forget the token. Recorded events stay and go out after the next login.
pub fn sign_out(journal: &mut Journal) -> Result<(), JournalError> {
    journal.set_meta(meta_keys::TOKEN, "")?;
    journal.set_meta(meta_keys::TOKEN_EXPIRES, "0")
}

/// Keep a new token and its lifetime; returns the expiry time.
fn keep_token(journal: &mut Journal, token: &TokenResponse) -> Result<i64, SyncError> {
    let now = unix_now();
    let expires_at = now + token.expires_in as i64;
    journal.set_meta(meta_keys::TOKEN, &token.access_token)?;
    journal.set_meta(meta_keys::TOKEN_ISSUED, &now.to_string())?;
    journal.set_meta(meta_keys::TOKEN_EXPIRES, &expires_at.to_string())?;
    journal.set_meta(meta_keys::ROLE, &token.role)?;
    Ok(expires_at)
}

fn retryable_status(status: u16) -> bool {
    status == 408 || status == 429 || status >= 500
}

impl<T: Transport> Client<T> {
    pub fn new(transport: T) -> Client<T> {
        Client { transport, policy: Policy::default(), sleep: std::thread::sleep }
    }

    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Replace the sleep between retries (tests use a no-op).
    pub fn with_sleep(mut self, sleep: fn(Duration)) -> Self {
        self.sleep = sleep;
        self
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Send with retries. Returns the first answer that is not worth
    /// retrying (any 2xx or 4xx except 408/429).
    fn call(&self, request: &Request, report: &mut SyncReport) -> Result<Response, SyncError> {
        self.call_tries(request, report, self.policy.attempts)
    }

    fn call_tries(
        &self,
        request: &Request,
        report: &mut SyncReport,
        attempts: u32,
    ) -> Result<Response, SyncError> {
        let mut seed = jitter_seed();
        let mut last = String::new();
        let mut last_status = None;
        for attempt in 0..attempts.max(1) {
            if attempt > 0 {
                report.retries += 1;
                let cap = self
                    .policy
                    .base_delay
                    .saturating_mul(1 << (attempt - 1).min(16))
                    .min(self.policy.max_delay);
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let delay = cap.mul_f64((seed % 1000) as f64 / 1000.0);
                (self.sleep)(delay);
            }
            report.requests += 1;
            match self.transport.send(request) {
                Ok(r) if retryable_status(r.status) => {
                    last_status = Some(r.status);
                    last = format!("HTTP {}", r.status);
                }
                // A 401 to a login is a wrong password, for the caller to show.
                Ok(r) if r.status == 401 && request.path != LOGIN_PATH => {
                    return Err(SyncError::LoginRequired);
                }
                Ok(r) => return Ok(r),
                Err(e) => {
                    last_status = None;
                    last = e.to_string();
                }
            }
        }
        Err(match last_status {
            Some(status) if status >= 500 => SyncError::Server { status },
            _ => SyncError::Offline { attempts: attempts.max(1), last },
        })
    }

    fn post<B: Serialize>(&self, path: &str, bearer: Option<String>, body: &B) -> Request {
        Request {
            method: Method::Post,
            path: path.into(),
            bearer,
            body: Some(serde_json::to_vec(body).unwrap_or_default()),
        }
    }

    /// Log in, keep the token in the journal, and register this journal's
    /// device id for the user.
    pub fn login(&self, journal: &mut Journal, username: &str, password: &str) -> Result<Login, SyncError> {
        let mut report = SyncReport::default();
        let request = self.post(
            LOGIN_PATH,
            None,
            &TokenRequest { username: username.into(), password: password.into() },
        );
        let response = self.call(&request, &mut report)?;
        if response.status != 200 {
            return Err(SyncError::Refused(Box::new(problem(&response))));
        }
        let token: TokenResponse = json(&response)?;
        let expires_at = keep_token(journal, &token)?;
        journal.set_meta(meta_keys::USER, username)?;
        // The recall pack's key is pinned again from this server.
        journal.set_meta(meta_keys::PACK_KEY, "")?;
        let device_id = self.register(journal, &mut report)?;
        Ok(Login { user: username.into(), role: token.role, device_id, expires_at })
    }

    fn register(&self, journal: &mut Journal, report: &mut SyncReport) -> Result<String, SyncError> {
        let request = self.post(
            "/v1/devices",
            self.token(journal)?,
            &DeviceRequest { device_id: Some(journal.device_id().to_owned()), name: None },
        );
        let response = self.call(&request, report)?;
        if !(200..300).contains(&response.status) {
            return Err(SyncError::Refused(Box::new(problem(&response))));
        }
        let device: DeviceResponse = json(&response)?;
        if device.device_id != journal.device_id() {
            return Err(SyncError::Protocol(format!(
                "server registered device {} instead of {}",
                device.device_id,
                journal.device_id()
            )));
        }
        journal.set_meta(meta_keys::REGISTERED, &device.device_id)?;
        Ok(device.device_id)
    }

    /// The stored token, if it has not expired.
    fn token(&self, journal: &Journal) -> Result<Option<String>, SyncError> {
        let expires: i64 = journal.meta(meta_keys::TOKEN_EXPIRES)?.and_then(|s| s.parse().ok()).unwrap_or(0);
        match journal.meta(meta_keys::TOKEN)? {
            Some(token) if expires > unix_now() + 5 => Ok(Some(token)),
            _ => Err(SyncError::LoginRequired),
        }
    }

    /// Exchange the stored token for a fresh one (before it expires; an
    /// expired token needs a new login). Returns the new expiry time.
    pub fn refresh(&self, journal: &mut Journal) -> Result<i64, SyncError> {
        let bearer = self.token(journal)?;
        let request = Request { method: Method::Post, path: REFRESH_PATH.into(), bearer, body: None };
        let response = self.call(&request, &mut SyncReport::default())?;
        if response.status != 200 {
            return Err(SyncError::Refused(Box::new(problem(&response))));
        }
        keep_token(journal, &json(&response)?)
    }

    /// Refresh the token once less than half of its lifetime is left.
    fn fresh_token(&self, journal: &mut Journal) -> Result<Option<String>, SyncError> {
        let token = self.token(journal)?;
        let meta =
            |k| -> Result<i64, SyncError> { Ok(journal.meta(k)?.and_then(|s| s.parse().ok()).unwrap_or(0)) };
        let (issued, expires) = (meta(meta_keys::TOKEN_ISSUED)?, meta(meta_keys::TOKEN_EXPIRES)?);
        // Journals from before the issue time was kept: the last ten minutes.
        let refresh_at = if issued > 0 { expires - (expires - issued).max(0) / 2 } else { expires - 600 };
        if unix_now() < refresh_at {
            return Ok(token);
        }
        match self.refresh(journal) {
            Ok(_) => self.token(journal),
            // Still valid: use it, and try to refresh next time.
            Err(SyncError::Offline { .. } | SyncError::Server { .. }) => Ok(token),
            Err(e) => Err(e),
        }
    }

    /// What the server knows about a code, saved for offline use. Offline
    /// (the server cannot be reached after two tries), the saved answer or
    /// what the synced catalog says, marked as such. Needs no login.
    pub fn resolve(&self, journal: &mut Journal, code: &str) -> Result<Lookup, SyncError> {
        let info = crate::code::parse_code(code);
        let path = format!(
            "/v1/resolve?code={}",
            percent_encoding::utf8_percent_encode(code, percent_encoding::NON_ALPHANUMERIC)
        );
        let request = Request { method: Method::Get, path, bearer: None, body: None };
        match self.call_tries(&request, &mut SyncReport::default(), self.policy.attempts.min(2)) {
            Ok(response) if response.status == 200 => {
                let text = String::from_utf8_lossy(&response.body);
                let answer = lookup::from_server(&text, lookup::Source::Online)
                    .map_err(|e| SyncError::Protocol(format!("resolve answer: {e}")))?;
                if answer.code.kind.is_product() {
                    lookup::save(journal, &info, &text)?;
                }
                Ok(answer)
            }
            Ok(response) => Err(SyncError::Refused(Box::new(problem(&response)))),
            Err(SyncError::Offline { .. } | SyncError::Server { .. }) => {
                let now = unix_now();
                let today = &crate::journal::format_unix_ms(now * 1000)[..10];
                Ok(lookup::offline(journal, code, now, today)?)
            }
            Err(e) => Err(e),
        }
    }

    /// Bring the offline recall pack of `province` (none: the account's) up
    /// to date: a delta on top of the pack kept, or a whole pack the first
    /// time (or when the delta does not apply). Every pack is verified
    /// against the key pinned at the first update after a login; one that
    /// fails is refused and the pack kept stays as it was.
    pub fn update_recall_pack(
        &self,
        journal: &mut Journal,
        province: Option<&str>,
    ) -> Result<PackReport, SyncError> {
        use crate::recall_pack::{self, PackError, PackKey, SignedPack};
        let bearer = self.fresh_token(journal)?;
        let mut report = SyncReport::default();
        let pinned =
            journal.meta(meta_keys::PACK_KEY)?.and_then(|k| serde_json::from_str::<PackKey>(&k).ok());
        let key = match pinned {
            Some(key) => key,
            None => {
                let request = Request {
                    method: Method::Get,
                    path: "/v1/recall-pack/key".into(),
                    bearer: bearer.clone(),
                    body: None,
                };
                let response = self.call(&request, &mut report)?;
                if response.status != 200 {
                    return Err(SyncError::Refused(Box::new(problem(&response))));
                }
                let key: PackKey = json(&response)?;
                journal.set_meta(meta_keys::PACK_KEY, &serde_json::to_string(&key).unwrap_or_default())?;
                key
            }
        };
        let kept =
            lookup::recall_pack(journal)?.filter(|k| province.is_none() || k.province.as_deref() == province);
        let mut since = kept.as_ref().map(|k| k.version);
        loop {
            let mut path = String::from("/v1/recall-pack?");
            if let Some(p) = province {
                path += &format!(
                    "province={}&",
                    percent_encoding::utf8_percent_encode(p, percent_encoding::NON_ALPHANUMERIC)
                );
            }
            if let Some(v) = since {
                path += &format!("since={v}");
            }
            let request = Request { method: Method::Get, path, bearer: bearer.clone(), body: None };
            let response = self.call(&request, &mut report)?;
            if response.status != 200 {
                return Err(SyncError::Refused(Box::new(problem(&response))));
            }
            let pack: SignedPack = json(&response)?;
            let base = since.and(kept.as_ref());
            match recall_pack::apply(base, &pack, &key) {
                Ok(state) => {
                    let data =
                        serde_json::to_string(&state).map_err(|e| SyncError::Protocol(e.to_string()))?;
                    journal.put_cached(lookup::PACK_KIND, lookup::PACK_KEY, &data, 1)?;
                    return Ok(PackReport {
                        province: state.province.clone(),
                        version: state.version,
                        issued_at: state.issued_at.clone(),
                        recalls: state.recalls.len(),
                        lots: state.lot_count(),
                        whole: since.is_none(),
                    });
                }
                // Kept pack too old or of another province: ask for a whole one, once.
                Err(PackError::Gap { .. } | PackError::WrongProvince { .. }) if since.is_some() => {
                    since = None
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Push everything pending, then pull until the server has nothing
    /// more. Stops at the first error; whatever was done stays done.
    pub fn sync(&self, journal: &mut Journal) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        let bearer = self.fresh_token(journal)?;
        if journal.meta(meta_keys::REGISTERED)?.as_deref() != Some(journal.device_id()) {
            self.register(journal, &mut report)?;
        }
        self.send_photos(journal, bearer.clone(), &mut report)?;
        self.push(journal, bearer.clone(), &mut report)?;
        self.pull(journal, bearer, &mut report)?;
        report.pending = journal.counts()?.pending;
        journal.set_meta(meta_keys::LAST_SYNC, &crate::journal::format_unix_ms(unix_now() * 1000))?;
        Ok(report)
    }

    /// Send the photos taken since the last sync, before the events that
    /// name them. A photo the server refuses (type, size) is marked so and
    /// never blocks the events.
    fn send_photos(
        &self,
        journal: &mut Journal,
        bearer: Option<String>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        loop {
            let batch = journal.pending_photos(20)?;
            if batch.is_empty() {
                return Ok(());
            }
            for (hash, media, bytes) in batch {
                let media = match media.as_str() {
                    "image/png" => "image/png",
                    "image/webp" => "image/webp",
                    _ => "image/jpeg",
                };
                let request = Request {
                    method: Method::Upload(media),
                    path: "/v1/photos".into(),
                    bearer: bearer.clone(),
                    body: Some(bytes),
                };
                let response = self.call(&request, report)?;
                match response.status {
                    200 | 201 => journal.mark_photo(&hash, None)?,
                    413 | 415 | 422 => journal.mark_photo(&hash, Some(&problem(&response).code))?,
                    _ => return Err(SyncError::Refused(Box::new(problem(&response)))),
                }
                report.photos += 1;
            }
        }
    }

    fn push(
        &self,
        journal: &mut Journal,
        bearer: Option<String>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let mut size = self.policy.push_batch.clamp(1, wire::MAX_PUSH_EVENTS as u32);
        loop {
            let batch = journal.pending(size)?;
            if batch.is_empty() {
                return Ok(());
            }
            let events = batch
                .iter()
                .map(|e| {
                    let body =
                        serde_json::to_value(&e.body).map_err(|e| SyncError::Protocol(e.to_string()))?;
                    Ok(WireEvent {
                        id: e.id.clone(),
                        seq: e.seq,
                        kind: e.body.kind().to_owned(),
                        payload: body["payload"].clone(),
                        device_time: e.device_time.clone(),
                        prev_hash: e.prev_hash.clone(),
                        hash: e.hash.clone(),
                    })
                })
                .collect::<Result<Vec<_>, SyncError>>()?;
            let request = self.post(
                "/v1/sync/push",
                bearer.clone(),
                &PushRequest { device_id: journal.device_id().to_owned(), events },
            );
            let response = self.call(&request, report)?;
            let results = match response.status {
                200 => json::<PushResponse>(&response)?.results,
                // Too big for the server (large events, photos' references …):
                // send fewer at a time rather than never again.
                413 if size > 1 => {
                    size /= 2;
                    continue;
                }
                // One event alone is too big: it can never be sent, and must
                // not hold back the events behind it.
                413 => {
                    let p = problem(&response);
                    report.rejected += 1;
                    let reason = format!("{}: {}", p.code, p.detail.unwrap_or_default());
                    let mark =
                        Mark { id: batch[0].id.clone(), state: OutboxState::Rejected, reason: Some(reason) };
                    journal.mark_many(&[mark])?;
                    continue;
                }
                _ => {
                    let p = problem(&response);
                    match p.results {
                        Some(results) => results,
                        None => return Err(SyncError::Refused(Box::new(p))),
                    }
                }
            };
            let mut marks = Vec::with_capacity(results.len());
            for r in results {
                if !batch.iter().any(|e| e.id == r.id) {
                    return Err(SyncError::Protocol(format!("answer for an event not sent: {}", r.id)));
                }
                let (state, reason) = match r.status {
                    PushStatus::Accepted => {
                        report.pushed += 1;
                        (OutboxState::Acked, None)
                    }
                    PushStatus::Duplicate => {
                        report.duplicate += 1;
                        (OutboxState::Acked, None)
                    }
                    PushStatus::Rejected => {
                        report.rejected += 1;
                        let reason = r.error.map(|e| format!("{}: {}", e.code, e.detail));
                        (OutboxState::Rejected, reason.or_else(|| Some("rejected".into())))
                    }
                };
                marks.push(Mark { id: r.id, state, reason });
            }
            if marks.len() != batch.len() {
                return Err(SyncError::Protocol(format!(
                    "{} answers for {} events",
                    marks.len(),
                    batch.len()
                )));
            }
            journal.mark_many(&marks)?;
        }
    }

    fn pull(
        &self,
        journal: &mut Journal,
        bearer: Option<String>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        loop {
            let cursor = journal.meta(meta_keys::PULL_CURSOR)?.unwrap_or_default();
            let limit = self.policy.pull_limit.clamp(1, wire::MAX_PULL_LIMIT);
            let path = format!(
                "/v1/sync/pull?limit={limit}&device={}&cursor={}",
                journal.device_id(),
                percent_encoding::utf8_percent_encode(&cursor, percent_encoding::NON_ALPHANUMERIC)
            );
            let request = Request { method: Method::Get, path, bearer: bearer.clone(), body: None };
            let response = self.call(&request, report)?;
            if response.status != 200 {
                return Err(SyncError::Refused(Box::new(problem(&response))));
            }
            let page: PullResponse = json(&response)?;
            let (mut cache, mut marks) = (Vec::new(), Vec::new());
            for change in &page.changes {
                if change.kind == "event_status" {
                    let status = change.data.get("status").and_then(|s| s.as_str()).unwrap_or("");
                    let state = match status {
                        "accepted" | "duplicate" => OutboxState::Acked,
                        "rejected" => OutboxState::Rejected,
                        other => return Err(SyncError::Protocol(format!("unknown event status {other:?}"))),
                    };
                    let reason = change.data.get("error").and_then(|e| {
                        Some(format!("{}: {}", e.get("code")?.as_str()?, e.get("detail")?.as_str()?))
                    });
                    marks.push(Mark { id: change.key.clone(), state, reason });
                } else {
                    let data = (!change.data.is_null()).then(|| crate::journal::canonical_json(&change.data));
                    cache.push(CacheUpdate { kind: change.kind.clone(), key: change.key.clone(), data });
                }
            }
            journal.apply_pull(&cache, &marks, meta_keys::PULL_CURSOR, &page.cursor)?;
            report.pulled += page.changes.len() as u64;
            if !page.has_more {
                return Ok(());
            }
        }
    }
}
