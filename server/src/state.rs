//! What every request shares: the store, the keys, the limits and rate
//! limiters, the resolution cache and the clock; and what both faces (the
//! JSON API and the pages) do with them: run an action on the blocking pool
//! (a write's [`Touched`] applied to the cache here, and only here), resolve
//! a code through the cache, find the account a token names, sign in.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::actions::{self, Touched, Written};
use crate::auth::{self, Keys, PackSigner, RateLimiter};
use crate::cache::{Entry, ResolveCache};
use crate::clock::Clock;
use crate::domain::account::{self, User};
use crate::problem::ApiError;
use crate::store::Store;

/// Request limits.
#[derive(Clone, Debug)]
pub struct Limits {
    pub body_bytes: usize,
    /// Requests per second per user, and the burst allowed.
    pub user_rate: f64,
    pub user_burst: u32,
    /// Failed sign-ins per minute from one client address, and the burst
    /// allowed (successes are not counted).
    pub login_per_minute: f64,
    pub login_burst: u32,
    /// Failed sign-ins per minute to one account from anywhere, and the
    /// burst: higher, so that one address cannot lock the real user out.
    pub account_failures_per_minute: f64,
    pub account_failures_burst: u32,
    /// Proxies whose `X-Forwarded-For` names the client (else the peer is).
    pub trusted_proxies: Vec<IpAddr>,
    /// Keep resolutions in memory (off only to measure the uncached path).
    pub resolve_cache: bool,
    /// The memory kept resolutions may take.
    pub resolve_cache_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 8 * 1024 * 1024,
            user_rate: 100.0,
            user_burst: 400,
            login_per_minute: 10.0,
            login_burst: 10,
            account_failures_per_minute: 20.0,
            account_failures_burst: 50,
            trusted_proxies: Vec::new(),
            resolve_cache: true,
            resolve_cache_bytes: crate::cache::DEFAULT_BYTES,
        }
    }
}

pub struct AppState {
    pub store: Arc<dyn Store>,
    pub keys: Keys,
    pub limits: Limits,
    cache: ResolveCache,
    /// Signs the offline recall packs.
    pub pack: PackSigner,
    /// Failed sign-ins per client address, and per account.
    login_limiter: RateLimiter,
    account_limiter: RateLimiter,
    user_limiter: RateLimiter,
    /// Anonymous complaints and photos per client address.
    anonymous_limiter: RateLimiter,
    /// Where "now" comes from (fixed in tests and golden answers).
    pub clock: Clock,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, keys: Keys, limits: Limits, pack: PackSigner) -> Arc<AppState> {
        AppState::with_clock(store, keys, limits, pack, Clock::System)
    }

    pub fn with_clock(
        store: Arc<dyn Store>,
        keys: Keys,
        limits: Limits,
        pack: PackSigner,
        clock: Clock,
    ) -> Arc<AppState> {
        Arc::new(AppState {
            pack,
            login_limiter: RateLimiter::new(limits.login_burst, limits.login_per_minute / 60.0),
            account_limiter: RateLimiter::new(
                limits.account_failures_burst,
                limits.account_failures_per_minute / 60.0,
            ),
            user_limiter: RateLimiter::new(limits.user_burst, limits.user_rate),
            anonymous_limiter: RateLimiter::new(limits.login_burst, limits.login_per_minute / 60.0),
            cache: ResolveCache::new(limits.resolve_cache, limits.resolve_cache_bytes),
            store,
            keys,
            limits,
            clock,
        })
    }

    /// Make the cached resolutions a write touched stale.
    fn apply(&self, touched: &Touched) {
        self.cache.touch(touched.gtins.iter().map(String::as_str));
        if touched.everything {
            self.cache.touch_all();
        }
    }
}

/// Run store work on the blocking pool (whose size fits the store's
/// connections).
pub async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&dyn Store) -> crate::store::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    read(state, move |s| f(s).map_err(actions::Error::from)).await
}

/// Run a reading action on the blocking pool.
pub async fn read<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&dyn Store) -> actions::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(state.store.as_ref()))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::from)
}

/// Run a writing action on the blocking pool, then forget the cached
/// resolutions it touched.
pub async fn write<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&dyn Store) -> actions::Result<Written<T>> + Send + 'static,
) -> Result<T, ApiError> {
    let written = read(state, f).await?;
    state.apply(&written.touched);
    Ok(written.value)
}

/// The resolution of `code` today (a Viet Nam day), from the cache when
/// nothing it shows changed since it was made.
///
/// Kept by the code's canonical form (every spelling of one code is one
/// entry); a code that is no GS1 code is answered without being kept.
pub async fn resolution(state: &Arc<AppState>, code: String) -> Result<Arc<Entry>, ApiError> {
    let today = state.clock.now().vn_day();
    let info = truyxuat_core::code::parse_code(&code);
    // A bare GTIN (an EAN-13 as the camera reads it) is its (01) form.
    let canonical = info.element_string.clone().or_else(|| info.gtin.as_ref().map(|g| format!("(01){g}")));
    let key = canonical.map(|canonical| format!("{today}|{canonical}"));
    if let Some(hit) = key.as_deref().and_then(|k| state.cache.get(k, info.gtin.as_deref())) {
        return Ok(hit.as_asked(&info));
    }
    let stamp = state.cache.stamp(info.gtin.as_deref());
    let p = blocking(state, move |s| actions::provenance::resolve(s, &code, &today)).await?;
    Ok(state.cache.put(key, stamp, Arc::new(p)))
}

/// The memory kept resolutions take now.
pub fn resolve_cache_weight(state: &AppState) -> u64 {
    state.cache.weight()
}

/// The live, enabled account a token was issued to (API header or portal
/// cookie), counted against the account's rate limit.
pub async fn user_for_token(state: &Arc<AppState>, token: &str) -> Result<User, ApiError> {
    session_for_token(state, token).await.map(|(user, _)| user)
}

/// [`user_for_token`] and the token's claims (its session): a token of an
/// ended session, or issued before the account's password changed or it
/// was disabled, is refused.
pub async fn session_for_token(state: &Arc<AppState>, token: &str) -> Result<(User, auth::Claims), ApiError> {
    let claims = state
        .keys
        .verify(token.trim(), state.clock.now())
        .map_err(|e| ApiError::Unauthorized(e.to_string()))?;
    let (uid, sid) = (claims.uid, claims.sid.clone());
    let (user, ended) = blocking(state, move |s| {
        let ended = !sid.is_empty() && s.session_ended(&sid)?;
        Ok((s.user_by_id(uid)?, ended))
    })
    .await?;
    let user = match user {
        Some(u) if !u.disabled && u.username == claims.sub && u.token_generation == claims.generation => u,
        Some(u) if u.token_generation != claims.generation => {
            return Err(ApiError::Unauthorized(
                "the password changed or the account was disabled since this token was issued; sign in again"
                    .into(),
            ));
        }
        _ => return Err(ApiError::Unauthorized("the account no longer exists or is disabled".into())),
    };
    if ended {
        return Err(ApiError::Unauthorized("this session was signed out; sign in again".into()));
    }
    state
        .user_limiter
        .check(&format!("u{}", user.id))
        .map_err(|s| ApiError::RateLimited { retry_after: s })?;
    Ok((user, claims))
}

/// Sign in from `from`: the enabled account with this username and
/// password, else 401. Failures are limited per client address (password
/// spraying: many usernames from one address) and, more loosely, per
/// account (guessing one account from many addresses); successes are not
/// counted. An unknown username is checked against a dummy hash, so that
/// it takes as long as a wrong password.
pub async fn check_password(
    state: &Arc<AppState>,
    from: &ClientAddr,
    username: String,
    password: String,
) -> Result<User, ApiError> {
    let wrong =
        || ApiError::Unauthorized("sai tên đăng nhập hoặc mật khẩu / wrong username or password".into());
    if username.chars().count() > *account::USERNAME_CHARS.end()
        || password.chars().count() > account::PASSWORD_MAX
    {
        return Err(wrong());
    }
    let address = format!("login-from:{}", from.0.map(|a| a.to_string()).unwrap_or_default());
    let account = format!("login-to:{}", username.to_lowercase());
    let limited = |s| ApiError::RateLimited { retry_after: s };
    state.login_limiter.peek(&address).map_err(limited)?;
    state.account_limiter.peek(&account).map_err(limited)?;
    let user = blocking(state, move |s| s.user_by_name(&username)).await?;
    let user = tokio::task::spawn_blocking(move || match user {
        Some(u) => (auth::verify_password(&password, &u.password_hash) && !u.disabled).then_some(u),
        None => {
            auth::verify_password(&password, auth::dummy_hash());
            None
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    if user.is_none() {
        let _ = state.login_limiter.check(&address);
        let _ = state.account_limiter.check(&account);
    }
    user.ok_or_else(wrong)
}

/// A signed access token for `user`, of a new session.
pub fn issue_token(state: &AppState, user: &User) -> Result<String, ApiError> {
    let sid: [u8; 16] = rand::random();
    issue_token_in(state, user, &sid.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// A signed access token for `user` in session `sid` (a refresh).
pub fn issue_token_in(state: &AppState, user: &User, sid: &str) -> Result<String, ApiError> {
    let who = auth::Who {
        uid: user.id,
        username: &user.username,
        role: user.role.as_str(),
        generation: user.token_generation,
    };
    state.keys.issue(who, sid, state.clock.now()).map_err(|e| ApiError::Internal(e.to_string()))
}

/// End the session of `claims`: none of its tokens is accepted again.
pub async fn end_session(state: &Arc<AppState>, claims: &auth::Claims) -> Result<(), ApiError> {
    if claims.sid.is_empty() {
        return Ok(());
    }
    let (uid, sid) = (claims.uid, claims.sid.clone());
    // Any token of the session was issued by now, so expires by now + lifetime.
    let last = state.clock.now().unix_ms() + state.keys.ttl.as_millis() as i64;
    let until = crate::clock::Moment::from_unix_ms(last).rfc3339();
    blocking(state, move |s| s.end_session(uid, &sid, &until)).await
}

/// The client's address: the connection's peer, or, when the peer is one
/// of the trusted proxies, the nearest address in `X-Forwarded-For` that
/// is not (what a client writes there itself is never believed).
pub struct ClientAddr(pub Option<IpAddr>);

impl ClientAddr {
    pub fn of(peer: Option<IpAddr>, forwarded_for: &[&str], trusted: &[IpAddr]) -> ClientAddr {
        let Some(peer) = peer else { return ClientAddr(None) };
        if !trusted.contains(&peer) {
            return ClientAddr(Some(peer));
        }
        let hops = forwarded_for.iter().rev().flat_map(|h| h.rsplit(',')).map(str::trim);
        let mut client = peer;
        for hop in hops {
            match hop.parse::<IpAddr>() {
                Ok(ip) if trusted.contains(&ip) => client = ip,
                Ok(ip) => return ClientAddr(Some(ip)),
                Err(_) => break,
            }
        }
        ClientAddr(Some(client))
    }
}

impl FromRequestParts<Arc<AppState>> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .take(20)
            .collect();
        Ok(ClientAddr::of(info.map(|c| c.0.ip()), &forwarded, &state.limits.trusted_proxies))
    }
}

/// Anonymous filings and photos are limited per address (signed-in ones
/// per account, by [`user_for_token`]).
pub fn limit_anonymous(state: &AppState, user: Option<&User>, addr: &ClientAddr) -> Result<(), ApiError> {
    if user.is_some() {
        return Ok(());
    }
    let key = format!("complaint:{}", addr.0.map(|a| a.to_string()).unwrap_or_default());
    state.anonymous_limiter.check(&key).map_err(|s| ApiError::RateLimited { retry_after: s })
}

/// The canonical Digital Link path of what was resolved (`/01/…/10/…`).
pub fn dl_path(p: &crate::actions::provenance::Provenance) -> Option<String> {
    let uri = p.code.dl_uri.as_deref()?;
    uri.strip_prefix(truyxuat_core::gs1::DL_STEM).map(str::to_owned)
}

/// `Link: <path?linkType=all>; rel="linkset"`: where the resolver's links
/// for this code are (RFC 9264).
pub fn add_linkset_header(response: &mut axum::response::Response, path: &str) {
    use axum::http::{HeaderValue, header};
    let value = format!("<{path}?linkType=all>; rel=\"linkset\"; type=\"application/linkset+json\"");
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::LINK, v);
    }
}

/// A scanned code given in a request: 1 to `gs1::MAX_INPUT_LEN` bytes.
pub fn check_code(code: &str) -> Result<(), ApiError> {
    if code.trim().is_empty() || code.len() > truyxuat_core::gs1::MAX_INPUT_LEN {
        return Err(ApiError::bad_request(
            "invalid_code",
            format!("give the scanned text in `code` (1 to {} bytes)", truyxuat_core::gs1::MAX_INPUT_LEN),
        ));
    }
    Ok(())
}

/// The bytes of a photo as a response (never sniffed as anything else);
/// the API and the portal's pages answer with it.
pub fn photo_response(photo: crate::store::StoredPhoto) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let mut r = photo.bytes.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&photo.media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400, immutable"));
    r
}
