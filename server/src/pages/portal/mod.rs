//! The portal for enterprises, inspectors and authorities: sign-in, then
//! the pages each account's rights open (the statistics dashboard, the
//! complaint queue and the handling of one complaint, recalls, the
//! registry of products, places and companies, inspections).
//!
//! Invariant: no rule of its own. A page calls the action the JSON API
//! calls, and its links and forms follow `domain::rights`, so an account
//! can do on a page exactly what it can do through the API. The session is
//! the API's own token in an `HttpOnly`, `SameSite=Strict` cookie; a form
//! that changes something is refused when the browser says it comes from
//! another origin.

mod complaints;
mod dashboard;
mod recalls;
mod registry;

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::domain::account::User;
use crate::domain::rights;
use crate::pages::same_origin;
use crate::pages::{cookie, is_vi, remember_lang, render, url_encode, words};
use crate::problem::ApiError;
use crate::state::{
    AppState, ClientAddr, check_password, end_session, issue_token, session_for_token, user_for_token,
};

const SESSION: &str = "truyxuat_session";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/portal", get(home))
        .route("/portal/login", get(login_form).post(login_submit))
        .route("/portal/logout", post(logout))
        .route("/portal/dashboard", get(dashboard::dashboard))
        .route("/portal/complaints", get(complaints::queue))
        .route("/portal/complaints/{tracking_code}", get(complaints::detail).post(complaints::move_on))
        .route("/portal/recalls", get(recalls::list).post(recalls::declare))
        .route("/portal/photos/{hash}", get(complaints::photo))
        .route("/portal/catalog", get(registry::catalog))
        .route("/portal/catalog/import", post(registry::catalog_import))
        .route("/portal/companies", get(registry::companies))
        .route("/portal/inspections", get(registry::inspections))
}

fn secure(headers: &HeaderMap) -> &'static str {
    let https = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
    if https { "; Secure" } else { "" }
}

/// The signed-in portal user; without a valid session, the sign-in page.
pub struct PortalUser(pub User);

impl FromRequestParts<Arc<AppState>> for PortalUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Response> {
        let to_login = || {
            let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/portal");
            let next: String = url_encode(next);
            Redirect::to(&format!("/portal/login?next={next}")).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION) else {
            return Err(to_login());
        };
        match user_for_token(state, token).await {
            Ok(user) => Ok(PortalUser(user)),
            Err(ApiError::RateLimited { retry_after }) => {
                Err(ApiError::RateLimited { retry_after }.into_response())
            }
            Err(_) => Err(to_login()),
        }
    }
}

struct NavLink {
    href: &'static str,
    vi: &'static str,
    en: &'static str,
    current: bool,
}

/// The header of every signed-in page.
struct Nav {
    username: String,
    role: &'static str,
    links: Vec<NavLink>,
}

/// The links a signed-in account's pages show: those its rights open.
fn nav(user: &User, vi: bool, current: &str) -> Nav {
    let link = |href, vi, en| NavLink { href, vi, en, current: href == current };
    let mut links = Vec::new();
    if rights::see_statistics(user, None).is_ok() {
        links.push(link("/portal/dashboard", "Thống kê", "Dashboard"));
    }
    if rights::see_complaints(user, None).is_ok() {
        links.push(link("/portal/complaints", "Phản ánh", "Complaints"));
    }
    if rights::see_inspections(user, None).is_ok() {
        links.push(link("/portal/inspections", "Kiểm tra", "Inspections"));
    }
    if rights::list_companies(user, None).is_ok() {
        links.push(link("/portal/companies", "Doanh nghiệp", "Companies"));
    }
    if rights::list_recalls(user).is_ok() {
        links.push(link("/portal/recalls", "Thu hồi", "Recalls"));
    }
    if rights::manage_catalog(user).is_ok() {
        links.push(link("/portal/catalog", "Sản phẩm", "Products"));
    }
    Nav { username: user.username.clone(), role: words::role(user.role, vi), links }
}

pub(super) fn error_page(vi: bool, user: Option<&User>, e: ApiError) -> Response {
    let status = e.status();
    let page = MessagePage {
        vi,
        nav: user.map(|u| nav(u, vi, "")),
        title: status.to_string(),
        message: e.to_string(),
    };
    (status, Html(page.render().unwrap_or_else(|_| e.to_string()))).into_response()
}

/// A page, or its error as a page; a language asked for is remembered.
pub(super) fn respond(
    vi: bool,
    me: &User,
    page: Result<Html<String>, ApiError>,
    lang: Option<&str>,
) -> Response {
    let mut response = match page {
        Ok(page) => page.into_response(),
        Err(e) => error_page(vi, Some(me), e),
    };
    remember_lang(&mut response, lang);
    response
}

/// A refused form: its page again with the reason, under the refusal's status.
pub(super) fn refused<T: Template>(
    vi: bool,
    me: &User,
    status: StatusCode,
    page: Result<T, ApiError>,
) -> Response {
    match page.and_then(|p| render(&p)) {
        Ok(page) => (status, page).into_response(),
        Err(e) => error_page(vi, Some(me), e),
    }
}

#[derive(Template)]
#[template(path = "portal_message.html")]
struct MessagePage {
    vi: bool,
    nav: Option<Nav>,
    title: String,
    message: String,
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_login.html")]
struct LoginPage {
    vi: bool,
    nav: Option<Nav>,
    next: String,
    username: String,
    error: Option<String>,
}

/// Only paths of the portal are followed after signing in.
/// Where to go after signing in: a portal path of this server, at most
/// 2,000 characters of visible ASCII (a CR or LF would break the
/// `Location` header; `//` or `\\` would leave the site); else `/portal`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/portal")
                && !n.starts_with("/portal/login")
                && n.len() <= 2000
                && n.bytes().all(|b| b.is_ascii_graphic())
                && !n.contains("//")
                && !n.contains('\\') =>
        {
            n.to_owned()
        }
        _ => "/portal".to_owned(),
    }
}

pub async fn login_form(headers: HeaderMap, Query(q): Query<LoginQuery>) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let page =
        LoginPage { vi, nav: None, next: safe_next(q.next.as_deref()), username: String::new(), error: None };
    let mut response = render(&page).into_response();
    remember_lang(&mut response, q.lang.as_deref());
    response
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login_submit(
    State(state): State<Arc<AppState>>,
    from: ClientAddr,
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Response {
    let vi = is_vi(&headers, None);
    if !same_origin(&headers) {
        return error_page(vi, None, ApiError::Forbidden("a form from another site".into()));
    }
    let next = safe_next(f.next.as_deref());
    let user = match check_password(&state, &from, f.username.clone(), f.password).await {
        Ok(user) => user,
        Err(ApiError::Unauthorized(_)) => {
            let error = Some(
                (if vi {
                    "Sai tên đăng nhập hoặc mật khẩu."
                } else {
                    "Wrong username or password."
                })
                .to_owned(),
            );
            let page = LoginPage { vi, nav: None, next, username: f.username, error };
            return (StatusCode::UNAUTHORIZED, render(&page)).into_response();
        }
        Err(e) => return error_page(vi, None, e),
    };
    let token = match issue_token(&state, &user) {
        Ok(t) => t,
        Err(e) => return error_page(vi, None, e),
    };
    let cookie = format!(
        "{SESSION}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        state.keys.ttl.as_secs(),
        secure(&headers)
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// Sign out: the cookie's session ends on the server too (a copy of the
/// cookie is refused from now on). A form from another site is refused, as
/// at sign-in.
pub async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let vi = is_vi(&headers, None);
    if !same_origin(&headers) {
        return error_page(vi, None, ApiError::Forbidden("a form from another site".into()));
    }
    if let Some(token) = cookie(&headers, SESSION)
        && let Ok((_, claims)) = session_for_token(&state, token).await
        && let Err(e) = end_session(&state, &claims).await
    {
        return error_page(vi, None, e);
    }
    let mut response = Redirect::to("/portal/login").into_response();
    let clear = format!("{SESSION}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}", secure(&headers));
    if let Ok(v) = HeaderValue::from_str(&clear) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// `/portal`: each account's first page.
pub async fn home(PortalUser(me): PortalUser, headers: HeaderMap) -> Response {
    if rights::see_statistics(&me, None).is_ok() {
        Redirect::to("/portal/dashboard").into_response()
    } else if rights::list_recalls(&me).is_ok() {
        Redirect::to("/portal/recalls").into_response()
    } else if rights::manage_catalog(&me).is_ok() {
        Redirect::to("/portal/catalog").into_response()
    } else {
        let vi = is_vi(&headers, None);
        error_page(
            vi,
            Some(&me),
            ApiError::Forbidden(
                (if vi {
                    "Cổng này dành cho doanh nghiệp, cán bộ kiểm tra và cơ quan quản lý; hãy dùng ứng dụng trên điện thoại."
                } else {
                    "This portal is for enterprises, inspectors and authorities; please use the phone app."
                })
                .to_owned(),
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_next() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; truyxuat_session=tok.en; truyxuat_lang=en"));
        assert_eq!(cookie(&h, SESSION), Some("tok.en"));
        assert!(!is_vi(&h, None));
        assert!(is_vi(&h, Some("vi")));
        assert_eq!(safe_next(Some("https://evil.example/portal")), "/portal");
        assert_eq!(
            safe_next(Some("/portal/complaints?status=received")),
            "/portal/complaints?status=received"
        );
        assert_eq!(safe_next(Some("/portal/login?next=/x")), "/portal");
        assert_eq!(safe_next(Some("/portal/recalls\r\nSet-Cookie: x=1")), "/portal");
        assert_eq!(safe_next(Some("/portal/recalls\n")), "/portal");
        assert_eq!(safe_next(Some("/portal//evil.example")), "/portal");
        assert_eq!(safe_next(Some("/portal/ x")), "/portal");
        assert_eq!(
            safe_next(Some("/portal/complaints?status=received")),
            "/portal/complaints?status=received"
        );
    }
}
