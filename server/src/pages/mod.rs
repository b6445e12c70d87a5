//! The face for people: HTML pages (askama templates, escaped by default)
//! in Vietnamese or English. The Digital Link resolver and its consumer
//! page (`digital_link.rs`), the "report a problem" form (`report.rs`), and
//! the portal for enterprises, inspectors and authorities (`portal/`).
//!
//! Invariants: a page calls the same action as the JSON route that does the
//! same thing, and decides no right itself (its links and forms follow
//! `domain::rights`); every Vietnamese and English word for a domain value
//! is in `words.rs`; the language is negotiated once, here.

pub mod digital_link;
pub mod portal;
pub mod report;
pub mod words;

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, Response};
use axum::routing::get;

use crate::problem::ApiError;
use crate::state::AppState;

/// Every page's route (the Digital Link fallback is added by `lib::app`).
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/view", get(digital_link::view))
        .route("/report", get(report::form).post(report::submit))
        .route("/static/report.js", get(|| script(include_str!("../../static/report.js"))))
        .route("/static/catalog.js", get(|| script(include_str!("../../static/catalog.js"))))
        .merge(portal::routes())
}

/// The pages' scripts are files of this server (the pages' policy allows
/// no inline script).
async fn script(source: &'static str) -> Response {
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        source,
    )
        .into_response()
}

/// What every answer tells a browser: scripts, frames and forms of this
/// server only (no page of ours inside another site's frame), no guessing
/// of content types.
pub const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    ),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
];

/// The cookie that remembers a language asked for.
const LANG_COOKIE: &str = "truyxuat_lang";

/// The value of one cookie.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The language of a page: asked (`?lang=`), else remembered (the
/// cookie), else the browser's preference between Vietnamese and English
/// (`Accept-Language`, by weight), else Vietnamese.
pub fn is_vi(headers: &HeaderMap, asked: Option<&str>) -> bool {
    if let Some(l) = asked.or_else(|| cookie(headers, LANG_COOKIE)) {
        return !l.starts_with("en");
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let weight = |tag: &str| {
        let mut parts = tag.split(';');
        let lang = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        (lang, q)
    };
    let best = |prefix: &str| {
        accept
            .split(',')
            .take(32)
            .map(weight)
            .filter(|(l, _)| l == prefix || l.starts_with(&format!("{prefix}-")))
            .map(|(_, q)| q)
            .fold(None, |m: Option<f32>, q| Some(m.map_or(q, |m| m.max(q))))
    };
    match (best("vi"), best("en")) {
        (_, None) => true,
        (None, Some(q)) => q <= 0.0,
        (Some(v), Some(e)) => v >= e,
    }
}

/// Remember a language the page was asked in.
pub fn remember_lang(response: &mut Response, asked: Option<&str>) {
    if let Some(l) = asked {
        let l = if l.starts_with("en") { "en" } else { "vi" };
        let cookie = format!("{LANG_COOKIE}={l}; Path=/; SameSite=Lax; Max-Age=31536000");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
}

/// Percent-encoding for a query value or a path segment: all but RFC 3986's
/// unreserved characters.
const COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A form post from a page of this server: its `Origin` (else its
/// `Referer`) names this host. A client that sends neither is no browser
/// (a browser sends `Origin` with every cross-site post), so it passes.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let authority =
        |url: &str| url.split_once("://").map(|(_, rest)| rest.split('/').next().unwrap_or("").to_owned());
    let from = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    match from(header::ORIGIN).or_else(|| from(header::REFERER)) {
        None => true,
        Some(url) => authority(url).is_some_and(|a| a == host),
    }
}

pub fn url_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

pub fn render(t: &impl Template) -> Result<Html<String>, ApiError> {
    t.render().map(Html).map_err(|e| ApiError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h), "neither Origin nor Referer: a client that is not a browser");
        h.insert(header::REFERER, HeaderValue::from_static("http://127.0.0.1:8080/report?code=1"));
        assert!(same_origin(&h));
        h.insert(header::REFERER, HeaderValue::from_static("https://evil.example/127.0.0.1:8080"));
        assert!(!same_origin(&h), "a Referer from another site");
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h), "Origin first");
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h), "a sandboxed or privacy-stripped origin");
    }

    #[test]
    fn one_language_negotiation() {
        let headers = |pairs: &[(header::HeaderName, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(k.clone(), HeaderValue::from_static(v));
            }
            h
        };
        type Case = (&'static [(header::HeaderName, &'static str)], Option<&'static str>, bool);
        let cases: &[Case] = &[
            (&[], None, true),
            (&[], Some("en"), false),
            (&[], Some("vi"), true),
            (&[(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")], None, false),
            (&[(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")], Some("vi"), true),
            (&[(header::ACCEPT_LANGUAGE, "vi-VN,vi;q=0.9,en;q=0.8")], None, true),
            (&[(header::ACCEPT_LANGUAGE, "fr-FR,en;q=0.5,vi;q=0.7")], None, true),
            (&[(header::ACCEPT_LANGUAGE, "fr-FR,vi;q=0.2,en;q=0.5")], None, false),
            (&[(header::ACCEPT_LANGUAGE, "de-DE")], None, true),
            (&[(header::COOKIE, "a=1; truyxuat_lang=en")], None, false),
            (&[(header::COOKIE, "truyxuat_lang=en"), (header::ACCEPT_LANGUAGE, "vi")], None, false),
            (&[(header::COOKIE, "truyxuat_lang=en")], Some("vi"), true),
        ];
        for (h, asked, vi) in cases {
            assert_eq!(is_vi(&headers(h), *asked), *vi, "{h:?} {asked:?}");
        }
        assert_eq!(cookie(&headers(&[(header::COOKIE, "a=1; b=2")]), "b"), Some("2"));
    }
}
