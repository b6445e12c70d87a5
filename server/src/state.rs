//! What every request shares: the store, the keys, the limits and rate
//! limiters, the resolution cache and the clock; and what both faces (the
//! JSON API and the pages) do with them: run store work on the blocking
//! pool, resolve a code through the cache, find the account a token names,
//! sign in.

use std::sync::Arc;

use crate::auth::{self, Keys, RateLimiter};
use crate::clock::Clock;
use crate::domain::account::User;
use crate::problem::ApiError;
use crate::store::Store;

/// Request limits.
#[derive(Clone, Debug)]
pub struct Limits {
    pub body_bytes: usize,
    /// Requests per second per user, and the burst allowed.
    pub user_rate: f64,
    pub user_burst: u32,
    /// Login attempts per minute per username and the burst allowed.
    pub login_per_minute: f64,
    pub login_burst: u32,
    /// Keep resolutions in memory (off only to measure the uncached path).
    pub resolve_cache: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 8 * 1024 * 1024,
            user_rate: 100.0,
            user_burst: 400,
            login_per_minute: 10.0,
            login_burst: 10,
            resolve_cache: true,
        }
    }
}

pub struct AppState {
    pub store: Arc<dyn Store>,
    pub keys: Keys,
    pub limits: Limits,
    pub cache: crate::cache::ResolveCache,
    /// Signs the offline recall packs.
    pub pack: crate::recall_pack::PackSigner,
    login_limiter: RateLimiter,
    user_limiter: RateLimiter,
    /// Anonymous complaints per client address.
    pub anonymous_limiter: RateLimiter,
    /// Where "now" comes from (fixed in tests and golden answers).
    pub clock: Clock,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        keys: Keys,
        limits: Limits,
        pack: crate::recall_pack::PackSigner,
    ) -> Arc<AppState> {
        Arc::new(AppState {
            pack,
            login_limiter: RateLimiter::new(limits.login_burst, limits.login_per_minute / 60.0),
            user_limiter: RateLimiter::new(limits.user_burst, limits.user_rate),
            anonymous_limiter: RateLimiter::new(limits.login_burst, limits.login_per_minute / 60.0),
            cache: crate::cache::ResolveCache::new(limits.resolve_cache),
            store,
            keys,
            limits,
            clock: Clock::System,
        })
    }
}

/// Run a store call on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&dyn Store) -> crate::store::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(state.store.as_ref()))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::from)
}

/// The live, enabled account a token was issued to (API header or portal
/// cookie), counted against the account's rate limit.
pub async fn user_for_token(state: &Arc<AppState>, token: &str) -> Result<User, ApiError> {
    let claims = state.keys.verify(token.trim()).map_err(|e| ApiError::Unauthorized(e.to_string()))?;
    let uid = claims.uid;
    let user = blocking(state, move |s| s.user_by_id(uid)).await?;
    let user = match user {
        Some(u) if !u.disabled && u.username == claims.sub => u,
        _ => return Err(ApiError::Unauthorized("the account no longer exists or is disabled".into())),
    };
    state
        .user_limiter
        .check(&format!("u{}", user.id))
        .map_err(|s| ApiError::RateLimited { retry_after: s })?;
    Ok(user)
}

/// The enabled account with this username and password (attempts limited
/// per username), else 401.
pub async fn check_password(
    state: &Arc<AppState>,
    username: String,
    password: String,
) -> Result<User, ApiError> {
    state
        .login_limiter
        .check(&format!("login:{}", username.to_lowercase()))
        .map_err(|s| ApiError::RateLimited { retry_after: s })?;
    let user = blocking(state, move |s| s.user_by_name(&username)).await?;
    tokio::task::spawn_blocking(move || match user {
        Some(u) if !u.disabled && auth::verify_password(&password, &u.password_hash) => Some(u),
        _ => None,
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .ok_or_else(|| {
        ApiError::Unauthorized("sai tên đăng nhập hoặc mật khẩu / wrong username or password".into())
    })
}

/// A signed access token for `user`.
pub fn issue_token(state: &AppState, user: &User) -> Result<String, ApiError> {
    state
        .keys
        .issue(user.id, &user.username, user.role.as_str())
        .map_err(|e| ApiError::Internal(e.to_string()))
}
