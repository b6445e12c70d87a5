//! The app in-process: `app(state)` on a temporary SQLite file with the
//! demo loaded, driven with `tower::ServiceExt::oneshot` (no socket), for
//! rule checks that need no process. The clock is fixed, so answers that
//! depend on "today" are stable.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::Value;
use tower::ServiceExt;
use truyxuat_core::journal::{EventBody, GENESIS_HASH, event_hash};
use truyxuat_server::auth::{Keys, PackSigner};
use truyxuat_server::clock::{Clock, Moment};
use truyxuat_server::state::{AppState, Limits};
use truyxuat_server::store::Store;

pub struct App {
    pub state: Arc<AppState>,
    _dir: tempfile::TempDir,
}

/// The demo's own "today": 2026-11-26 noon in Viet Nam.
pub const DEMO_NOW: &str = "2026-11-26T05:00:00Z";

impl App {
    /// The demo at [`DEMO_NOW`].
    pub fn demo() -> App {
        App::demo_at(DEMO_NOW)
    }

    /// The demo with the clock fixed at `now` (RFC 3339).
    pub fn demo_at(now: &str) -> App {
        App::demo_with(now, Limits { user_rate: 1e6, user_burst: 1_000_000, ..Limits::default() })
    }

    /// The demo at `now` under these limits.
    pub fn demo_with(now: &str, limits: Limits) -> App {
        let dir = tempfile::tempdir().unwrap();
        let store = truyxuat_server::store::open(&dir.path().join("app.db")).unwrap();
        truyxuat_server::actions::demo::seed(store.as_ref()).unwrap();
        let keys = Keys::from_secret(super::SECRET.as_bytes(), std::time::Duration::from_secs(3600));
        let clock = Clock::Fixed(Moment::parse(now).unwrap());
        let state = AppState::with_clock(store, keys, limits, PackSigner::generate(), clock);
        App { state, _dir: dir }
    }

    pub fn store(&self) -> &dyn Store {
        self.state.store.as_ref()
    }

    /// A token for a demo account (signed directly: no password hashing).
    pub fn token(&self, username: &str) -> String {
        let user = self.store().user_by_name(username).unwrap().unwrap_or_else(|| panic!("no {username}"));
        truyxuat_server::state::issue_token(&self.state, &user).unwrap()
    }

    /// A sign-in (`POST /v1/auth/token`) from the client address `from`,
    /// with extra request headers: its status.
    pub async fn sign_in_from(
        &self,
        from: &str,
        headers: &[(&str, &str)],
        username: &str,
        password: &str,
    ) -> u16 {
        let peer: std::net::SocketAddr = format!("{from}:40000").parse().unwrap();
        let body = serde_json::json!({"username": username, "password": password}).to_string();
        let mut req = Request::builder()
            .method("POST")
            .uri("/v1/auth/token")
            .header(header::CONTENT_TYPE, "application/json");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut req = req.body(Body::from(body)).unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        self.send(req).await.0
    }

    /// Push `bodies`, recorded at `device_time` one after another on a new
    /// device of `user`: the push's status and answer.
    pub async fn push(&self, user: &str, bodies: &[EventBody], device_time: &str) -> (u16, Value) {
        let (status, device) =
            self.call("POST", "/v1/devices", Some(user), Some(serde_json::json!({}))).await;
        assert_eq!(status, 201, "{device}");
        let device_id = device["device_id"].as_str().unwrap();
        let mut prev = GENESIS_HASH.to_owned();
        let mut events = Vec::new();
        for (i, body) in bodies.iter().enumerate() {
            let seq = i as i64 + 1;
            let payload = serde_json::to_value(body).unwrap()["payload"].clone();
            let id = uuid::Uuid::now_v7().to_string();
            let hash = event_hash(&prev, seq, &id, device_id, body.kind(), &payload, device_time);
            events.push(serde_json::json!({"id": id, "seq": seq, "kind": body.kind(), "payload": payload,
                "device_time": device_time, "prev_hash": prev, "hash": hash}));
            prev = hash;
        }
        let push = serde_json::json!({"device_id": device_id, "events": events});
        self.call("POST", "/v1/sync/push", Some(user), Some(push)).await
    }

    /// A JSON request with this bearer token.
    pub async fn call_as(&self, method: &str, uri: &str, token: &str, body: Option<Value>) -> (u16, Value) {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json");
        let body = body.map(|b| Body::from(b.to_string())).unwrap_or_else(Body::empty);
        let (status, json, _) = self.send(req.body(body).unwrap()).await;
        (status, json)
    }

    /// Sign in with a password: a token of a new session.
    pub async fn sign_in(&self, username: &str, password: &str) -> Option<String> {
        let body = serde_json::json!({"username": username, "password": password});
        let (status, answer) = self.call("POST", "/v1/auth/token", None, Some(body)).await;
        (status == 200).then(|| answer["access_token"].as_str().unwrap().to_owned())
    }

    /// `(status, JSON body or Null, body text)` of one request.
    pub async fn send(&self, req: Request<Body>) -> (u16, Value, String) {
        let response = truyxuat_server::app(self.state.clone()).oneshot(req).await.unwrap();
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null), text)
    }

    /// A JSON request as `user` (none: anonymous).
    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        user: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(u) = user {
            req = req.header(header::AUTHORIZATION, format!("Bearer {}", self.token(u)));
        }
        let req = match body {
            Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        };
        let (status, json, _) = self.send(req.unwrap()).await;
        (status, json)
    }

    /// A page as `user` would see it in a browser (the portal's cookie).
    pub async fn page(&self, uri: &str, user: Option<&str>, accept_language: Option<&str>) -> (u16, String) {
        let mut req = Request::builder().uri(uri).header(header::ACCEPT, "text/html");
        if let Some(u) = user {
            req = req.header(header::COOKIE, format!("truyxuat_session={}", self.token(u)));
        }
        if let Some(l) = accept_language {
            req = req.header(header::ACCEPT_LANGUAGE, l);
        }
        let (status, _, text) = self.send(req.body(Body::empty()).unwrap()).await;
        (status, text)
    }
}
