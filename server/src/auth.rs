//! Passwords (argon2id), access tokens (JWT, HS256), the recall packs'
//! signing key (Ed25519) and the per-key rate limiter. Tokens name the user;
//! the user's role and scope are read from the store on every request, so a
//! changed or disabled account takes effect at once.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use truyxuat_core::recall_pack::{self, PackBody, PackKey, SignedPack};

use crate::clock::Moment;

pub const ISSUER: &str = "truyxuat";
pub const AUDIENCE: &str = "truyxuat-api";

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the token is missing")]
    Missing,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid: {0}")]
    Invalid(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("cannot keep the signing secret in {path}: {why}")]
    Secret { path: String, why: String },
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// Username.
    pub sub: String,
    /// User id.
    pub uid: i64,
    pub role: String,
    pub iat: i64,
    pub exp: i64,
    /// The account's token generation when issued (see `User::token_generation`).
    #[serde(default)]
    pub generation: i64,
    /// The session: a sign-in's tokens and their refreshes share it, and a
    /// sign-out ends it. Empty in tokens issued before sessions could end.
    #[serde(default)]
    pub sid: String,
}

/// How far ahead of the server's clock a token's issue time may be (the
/// server's own clock moving back a little).
pub const IAT_LEEWAY_SECS: i64 = 60;

/// Whom a token is for.
#[derive(Clone, Copy, Debug)]
pub struct Who<'a> {
    pub uid: i64,
    pub username: &'a str,
    pub role: &'a str,
    pub generation: i64,
}

/// Signs and checks tokens with one HS256 secret, named by a key id.
pub struct Keys {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub ttl: Duration,
}

impl Keys {
    pub fn from_secret(secret: &[u8], ttl: Duration) -> Keys {
        let kid = format!("{:x}", Sha256::digest(secret))[..16].to_owned();
        Keys {
            kid,
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl,
        }
    }

    /// The secret in `path`, made (32 random bytes, hex, mode 0600) on first use.
    pub fn load_or_create(path: &Path, ttl: Duration) -> Result<Keys, AuthError> {
        let err = |why: String| AuthError::Secret { path: path.display().to_string(), why };
        if let Ok(text) = std::fs::read_to_string(path) {
            let secret = text.trim();
            if secret.len() < 32 {
                return Err(err("the secret is shorter than 32 characters".into()));
            }
            return Ok(Keys::from_secret(secret.as_bytes(), ttl));
        }
        let bytes: [u8; 32] = rand::random();
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        write_secret_file(path, secret.as_bytes()).map_err(|e| err(e.to_string()))?;
        Ok(Keys::from_secret(secret.as_bytes(), ttl))
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// A token of session `sid` for the account (at its `generation`)
    /// issued at `now`, valid for the keys' lifetime.
    pub fn issue(&self, who: Who<'_>, sid: &str, now: Moment) -> Result<String, AuthError> {
        let iat = now.unix_secs();
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: who.username.into(),
            uid: who.uid,
            role: who.role.into(),
            iat,
            exp: iat + self.ttl.as_secs() as i64,
            generation: who.generation,
            sid: sid.into(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        encode(&header, &claims, &self.encoding).map_err(|e| AuthError::Invalid(e.to_string()))
    }

    /// Check signature, algorithm (HS256 only), key id, issuer, audience and expiry.
    /// The expiry is judged against `now` (the server's one clock), not the
    /// library's own reading of the system time.
    pub fn verify(&self, token: &str, now: Moment) -> Result<Claims, AuthError> {
        let header = decode_header(token).map_err(|e| AuthError::Invalid(e.to_string()))?;
        if header.alg != Algorithm::HS256 {
            return Err(AuthError::Invalid(format!("algorithm {:?} is not accepted", header.alg)));
        }
        if header.kid.as_deref() != Some(self.kid.as_str()) {
            return Err(AuthError::Invalid("unknown key id".into()));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 0;
        validation.validate_exp = false;
        let claims = decode::<Claims>(token, &self.decoding, &validation)
            .map(|d| d.claims)
            .map_err(|e| AuthError::Invalid(e.to_string()))?;
        if claims.exp <= now.unix_secs() {
            return Err(AuthError::Expired);
        }
        if claims.iat > now.unix_secs() + IAT_LEEWAY_SECS {
            return Err(AuthError::Invalid("the token was issued in the future".into()));
        }
        if claims.exp - claims.iat > self.ttl.as_secs() as i64 {
            return Err(AuthError::Invalid("the token lives longer than this server issues them for".into()));
        }
        Ok(claims)
    }
}

pub fn hash_password(password: &str) -> Result<String, AuthError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

/// A hash no password matches, made once: checked against when there is
/// no such account, so that an unknown username takes as long to refuse
/// as a wrong password (else the time tells which usernames exist).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let random: [u8; 16] = rand::random();
        hash_password(&format!("{random:x?}")).unwrap_or_default()
    })
}

/// True when `password` matches the stored PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A token bucket per key (user id, or username + address for logins).
pub struct RateLimiter {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(burst: u32, per_second: f64) -> RateLimiter {
        RateLimiter { burst: f64::from(burst), per_second, buckets: Mutex::new(HashMap::new()) }
    }

    /// Take one token for `key`; `Err(seconds)` says when to come back.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.take(key, true)
    }

    /// Whether `key` has a token left, without taking it.
    pub fn peek(&self, key: &str) -> Result<(), u64> {
        self.take(key, false)
    }

    fn take(&self, key: &str, take: bool) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 100_000 {
            // Forget full buckets so that the map cannot grow without end.
            let (burst, rate) = (self.burst, self.per_second);
            buckets.retain(|_, (tokens, at)| *tokens + at.elapsed().as_secs_f64() * rate < burst);
        }
        let (tokens, at) = buckets.entry(key.to_owned()).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            if take {
                *tokens -= 1.0;
            }
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

/// Write a new secret file (never over an existing one), readable by the
/// owner only on Unix, and on disk before this returns.
pub fn write_secret_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The server's key for signing recall packs.
pub struct PackSigner {
    pair: Ed25519KeyPair,
    key: PackKey,
}

impl PackSigner {
    fn from_pkcs8(pkcs8: &[u8]) -> anyhow::Result<PackSigner> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|e| anyhow::anyhow!("recall pack key: {e}"))?;
        let public = pair.public_key().as_ref();
        let key = PackKey { key_id: recall_pack::key_id(public), public_key: recall_pack::hex(public) };
        Ok(PackSigner { pair, key })
    }

    /// A fresh key, kept in memory only (tests, benchmarks).
    pub fn generate() -> PackSigner {
        let pkcs8 =
            Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).expect("system randomness");
        PackSigner::from_pkcs8(pkcs8.as_ref()).expect("a key ring just made")
    }

    /// The key in `path` (PKCS#8), made on first run (mode 0600 on Unix).
    pub fn load_or_create(path: &Path) -> anyhow::Result<PackSigner> {
        if let Ok(bytes) = std::fs::read(path) {
            return PackSigner::from_pkcs8(&bytes);
        }
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
            .map_err(|e| anyhow::anyhow!("making the recall pack key: {e}"))?;
        write_secret_file(path, pkcs8.as_ref())?;
        PackSigner::from_pkcs8(pkcs8.as_ref())
    }

    pub fn key(&self) -> &PackKey {
        &self.key
    }

    pub fn sign(&self, body: &PackBody) -> SignedPack {
        let body = serde_json::to_value(body).unwrap_or_default();
        let signature = recall_pack::hex(self.pair.sign(&recall_pack::signed_bytes(&body)).as_ref());
        SignedPack { body, key_id: self.key.key_id.clone(), signature }
    }
}
