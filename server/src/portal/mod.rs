//! The portal's web pages for enterprises, inspectors and authorities:
//! sign-in, then by role the statistics dashboard (charts drawn as SVG on
//! the server), the complaint queue and the handling of one complaint, and
//! recalls.
//!
//! Invariant: no rule of its own. A page calls what the JSON API calls
//! (`stats`, `complaints_http::{queue_province, move_complaint}`,
//! `resolver::declare`, `api::check_password`), so an account can do on a
//! page exactly what it can do through the API. The session is the API's own
//! token in an `HttpOnly`, `SameSite=Strict` cookie; a form that changes
//! something is refused when the browser says it comes from another origin.

mod registry;

use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::account::{Role, User};
use crate::domain::complaint::{self as complaints, Complaint};
use crate::domain::stats::{self, Count, Overview, RecallReach, Scope};
use crate::problem::ApiError;
use crate::state::{AppState, blocking, check_password, issue_token, user_for_token};

pub use registry::{catalog, catalog_import, companies, inspections};

const SESSION: &str = "truyxuat_session";
const LANG: &str = "truyxuat_lang";

// ---------------------------------------------------------------------------
// Session, language, origin

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Vietnamese unless asked (`?lang=en`, then remembered in a cookie) or the
/// browser prefers English.
fn is_vi(headers: &HeaderMap, asked: Option<&str>) -> bool {
    match asked.or_else(|| cookie(headers, LANG)) {
        Some(l) => !l.starts_with("en"),
        None => {
            let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
            !accept.split(',').next().unwrap_or("").trim().starts_with("en")
        }
    }
}

/// Remember a language the page was asked in.
fn remember_lang(response: &mut Response, asked: Option<&str>) {
    if let Some(l) = asked {
        let l = if l.starts_with("en") { "en" } else { "vi" };
        if let Ok(v) = HeaderValue::from_str(&format!("{LANG}={l}; Path=/; SameSite=Lax; Max-Age=31536000")) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
}

/// Behind a TLS-terminating proxy the cookie is marked `Secure`.
fn secure(headers: &HeaderMap) -> &'static str {
    let https = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
    if https { "; Secure" } else { "" }
}

/// A form post from a page of this server (or a client that sends no `Origin`).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
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

/// Percent-encoding for a query value or a path segment: all but RFC 3986's
/// unreserved characters.
const COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

fn url_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

// ---------------------------------------------------------------------------
// Pages' shared parts

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

fn role_name(role: Role, vi: bool) -> &'static str {
    match (role, vi) {
        (Role::Authority, true) => "Cơ quan quản lý",
        (Role::Authority, false) => "Authority",
        (Role::Inspector, true) => "Thanh tra, kiểm tra",
        (Role::Inspector, false) => "Inspector",
        (Role::Enterprise, true) => "Doanh nghiệp",
        (Role::Enterprise, false) => "Enterprise",
        (Role::Admin, true) => "Quản trị",
        (Role::Admin, false) => "Administrator",
        (Role::Farmer, true) => "Nông hộ",
        (Role::Farmer, false) => "Farmer",
        (Role::Consumer, true) => "Người tiêu dùng",
        (Role::Consumer, false) => "Consumer",
        (Role::Partner, true) => "Hệ thống đối tác",
        (Role::Partner, false) => "Partner system",
        (Role::Certifier, true) => "Tổ chức chứng nhận",
        (Role::Certifier, false) => "Certification body",
    }
}

fn sees_stats(role: Role) -> bool {
    matches!(role, Role::Authority | Role::Inspector | Role::Admin)
}

fn declares_recalls(role: Role) -> bool {
    matches!(role, Role::Authority | Role::Enterprise | Role::Admin)
}

fn nav(user: &User, vi: bool, current: &str) -> Nav {
    let mut links = Vec::new();
    if sees_stats(user.role) {
        links.push(NavLink { href: "/portal/dashboard", vi: "Thống kê", en: "Dashboard", current: false });
        links.push(NavLink {
            href: "/portal/complaints", vi: "Phản ánh", en: "Complaints", current: false
        });
    }
    if sees_stats(user.role) {
        links.push(NavLink {
            href: "/portal/inspections",
            vi: "Kiểm tra",
            en: "Inspections",
            current: false,
        });
    }
    if matches!(user.role, Role::Authority | Role::Admin) {
        links.push(NavLink {
            href: "/portal/companies",
            vi: "Doanh nghiệp",
            en: "Companies",
            current: false,
        });
    }
    if declares_recalls(user.role) {
        links.push(NavLink { href: "/portal/recalls", vi: "Thu hồi", en: "Recalls", current: false });
        links.push(NavLink { href: "/portal/catalog", vi: "Sản phẩm", en: "Products", current: false });
    }
    for l in &mut links {
        l.current = l.href == current;
    }
    Nav { username: user.username.clone(), role: role_name(user.role, vi), links }
}

/// Thousands grouped the Vietnamese way (1.234) or the English way (1,234).
fn number(n: u64, vi: bool) -> String {
    let digits = n.to_string();
    let sep = if vi { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn province_name(code: Option<&str>, vi: bool) -> String {
    match code.and_then(crate::domain::catalog::provinces::province) {
        Some((name_vi, name_en)) => (if vi { name_vi } else { name_en }).to_owned(),
        None => (if vi { "Chưa rõ" } else { "Unknown" }).to_owned(),
    }
}

/// `YYYY-MM-DD…` as `DD/MM/YYYY`.
fn date_vn(d: &str) -> String {
    match (d.get(0..4), d.get(5..7), d.get(8..10)) {
        (Some(y), Some(m), Some(day)) => format!("{day}/{m}/{y}"),
        _ => d.to_owned(),
    }
}

/// An RFC 3339 UTC time as Viet Nam's wall clock, `DD/MM/YYYY HH:MM`.
fn vn_time(t: &str) -> String {
    match truyxuat_core::journal::parse_rfc3339(t) {
        Some(secs) => {
            let local = truyxuat_core::journal::format_unix_ms((secs + 7 * 3600) * 1000);
            format!("{} {}", date_vn(&local), &local[11..16])
        }
        None => t.to_owned(),
    }
}

/// An API error as a page: its status, and its reason for people.
fn error_page(vi: bool, user: Option<&User>, e: ApiError) -> Response {
    let status = e.status();
    let page = MessagePage {
        vi,
        nav: user.map(|u| nav(u, vi, "")),
        title: status.to_string(),
        message: e.to_string(),
    };
    (status, Html(page.render().unwrap_or_else(|_| e.to_string()))).into_response()
}

fn render(t: &impl Template) -> Result<Html<String>, ApiError> {
    t.render().map(Html).map_err(|e| ApiError::Internal(e.to_string()))
}

/// A page, or its error as a page; a language asked for is remembered.
fn respond(vi: bool, me: &User, page: Result<Html<String>, ApiError>, lang: Option<&str>) -> Response {
    let mut response = match page {
        Ok(page) => page.into_response(),
        Err(e) => error_page(vi, Some(me), e),
    };
    remember_lang(&mut response, lang);
    response
}

/// A refused form: its page again with the reason, under the refusal's status.
fn refused<T: Template>(vi: bool, me: &User, status: StatusCode, page: Result<T, ApiError>) -> Response {
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

// ---------------------------------------------------------------------------
// Sign-in

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
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/portal") && !n.starts_with("/portal/login") => n.to_owned(),
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
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Response {
    let vi = is_vi(&headers, None);
    if !same_origin(&headers) {
        return error_page(vi, None, ApiError::Forbidden("a form from another site".into()));
    }
    let next = safe_next(f.next.as_deref());
    let user = match check_password(&state, f.username.clone(), f.password).await {
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

pub async fn logout(headers: HeaderMap) -> Response {
    let mut response = Redirect::to("/portal/login").into_response();
    let clear = format!("{SESSION}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}", secure(&headers));
    if let Ok(v) = HeaderValue::from_str(&clear) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// `/portal`: each role's first page.
pub async fn home(PortalUser(me): PortalUser, headers: HeaderMap) -> Response {
    if sees_stats(me.role) {
        Redirect::to("/portal/dashboard").into_response()
    } else if declares_recalls(me.role) {
        Redirect::to("/portal/recalls").into_response()
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

// ---------------------------------------------------------------------------
// Dashboard

/// One day's column in the scans chart (SVG units).
struct DayBar {
    day: String,
    scans: u64,
    unregistered: u64,
    x: f64,
    w: f64,
    y: f64,
    h: f64,
    /// The unregistered part, drawn on top in red.
    uy: f64,
    uh: f64,
    title: String,
}

struct Tick {
    y: f64,
    label: String,
}

struct XLabel {
    x: f64,
    text: String,
}

struct DayChart {
    bars: Vec<DayBar>,
    ticks: Vec<Tick>,
    labels: Vec<XLabel>,
}

const DAY_W: f64 = 720.0;
const DAY_H: f64 = 220.0;
const DAY_LEFT: f64 = 40.0;
const DAY_BOTTOM: f64 = 24.0;

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten.
fn nice_max(max: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max.max(1) {
                return m * step;
            }
        }
        step *= 10;
    }
}

fn day_chart(days: &[stats::DayCount], vi: bool) -> DayChart {
    let top = nice_max(days.iter().map(|d| d.scans).max().unwrap_or(0));
    let plot_h = DAY_H - DAY_BOTTOM - 8.0;
    let slot = (DAY_W - DAY_LEFT - 4.0) / days.len().max(1) as f64;
    let scale = |n: u64| n as f64 / top as f64 * plot_h;
    let base = DAY_H - DAY_BOTTOM;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let (h, uh) = (scale(d.scans), scale(d.unregistered));
            let title = if vi {
                format!("{}: {} lượt quét, {} mã chưa đăng ký", date_vn(&d.day), d.scans, d.unregistered)
            } else {
                format!("{}: {} scans, {} unregistered", d.day, d.scans, d.unregistered)
            };
            DayBar {
                day: d.day.clone(),
                scans: d.scans,
                unregistered: d.unregistered,
                x: round2(DAY_LEFT + i as f64 * slot + slot * 0.1),
                w: round2(slot * 0.8),
                y: round2(base - h),
                h: round2(h),
                uy: round2(base - h),
                uh: round2(uh),
                title,
            }
        })
        .collect();
    let ticks = (0..=4)
        .map(|k| {
            let value = top * k / 4;
            Tick { y: round2(base - scale(value)), label: number(value, vi) }
        })
        .collect();
    let every = days.len().div_ceil(6).max(1);
    let labels = days
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, d)| XLabel {
            x: round2(DAY_LEFT + i as f64 * slot + slot / 2.0),
            text: format!("{}/{}", &d.day[8..10], &d.day[5..7]),
        })
        .collect();
    DayChart { bars, ticks, labels }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One row of a horizontal bar chart (HTML, so its labels stay readable on
/// a phone); `pct` is the bar's length against the largest, leaving room
/// for the figure after it.
struct HBar {
    key: String,
    label: String,
    count: u64,
    pct: f64,
}

struct HChart {
    bars: Vec<HBar>,
}

fn h_chart(counts: &[Count], label: impl Fn(Option<&str>) -> String) -> HChart {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let bars = counts
        .iter()
        .map(|c| HBar {
            key: c.key.clone().unwrap_or_default(),
            label: label(c.key.as_deref()),
            count: c.count,
            pct: round2(85.0 * c.count as f64 / max as f64),
        })
        .collect();
    HChart { bars }
}

fn category_name(category: Option<&str>, vi: bool) -> String {
    let (v, e) = match category {
        Some("coffee") => ("Cà phê", "Coffee"),
        Some("tea") => ("Chè, trà", "Tea"),
        Some("rice") => ("Gạo", "Rice"),
        Some("fruit") => ("Trái cây", "Fruit"),
        Some("seafood") => ("Thủy sản", "Seafood"),
        Some("nuts") => ("Hạt", "Nuts"),
        Some("spice") => ("Gia vị", "Spices"),
        Some("condiment") => ("Nước chấm, gia vị lỏng", "Condiments"),
        Some(other) => return other.to_owned(),
        None => ("Mã chưa đăng ký", "Unregistered codes"),
    };
    (if vi { v } else { e }).to_owned()
}

struct ProvinceRow {
    code: String,
    name: String,
    scans: u64,
    complaints: u64,
}

struct RecallRow {
    id: String,
    severity_name: &'static str,
    product: String,
    gtin: String,
    lots: String,
    severity: String,
    declared: String,
    area: String,
    scanned: u64,
    notified: u64,
}

fn recall_rows(items: &[RecallReach], vi: bool) -> Vec<RecallRow> {
    items
        .iter()
        .map(|r| RecallRow {
            id: r.id.clone(),
            severity_name: match (r.severity.as_str(), vi) {
                ("high", true) => "Cao",
                ("high", false) => "High",
                ("medium", true) => "Trung bình",
                ("medium", false) => "Medium",
                (_, true) => "Thấp",
                (_, false) => "Low",
            },
            product: r.product_vi.clone().unwrap_or_default(),
            gtin: r.gtin.clone(),
            lots: r.lots.join(", "),
            severity: r.severity.clone(),
            declared: date_vn(&r.declared_at),
            area: match &r.province {
                Some(p) => province_name(Some(p), vi),
                None => (if vi { "Toàn quốc" } else { "Nationwide" }).to_owned(),
            },
            scanned: r.devices_scanned,
            notified: r.devices_notified,
        })
        .collect()
}

struct Figure {
    key: &'static str,
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "portal_dashboard.html")]
struct DashboardPage {
    vi: bool,
    nav: Option<Nav>,
    from: String,
    to: String,
    period: String,
    province: String,
    scope_name: String,
    pick_province: bool,
    provinces: Vec<(&'static str, &'static str)>,
    figures: Vec<Figure>,
    days: DayChart,
    by_province: HChart,
    by_category: HChart,
    complaint_categories: HChart,
    complaint_statuses: Vec<(String, u64)>,
    resolution: String,
    table: Vec<ProvinceRow>,
    recalls: Vec<RecallRow>,
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    from: Option<String>,
    to: Option<String>,
    province: Option<String>,
    lang: Option<String>,
}

pub async fn dashboard(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let asked = crate::stats_http::StatsQuery { from: q.from, to: q.to, province: q.province };
    let result = async {
        let scope = crate::stats_http::scope_of(&state, &me, &asked).await?;
        let for_page = scope.clone();
        let overview = blocking(&state, move |s| crate::actions::stats::overview(s, &for_page)).await?;
        render(&dashboard_page(&me, vi, &scope, &overview))
    }
    .await;
    respond(vi, &me, result, q.lang.as_deref())
}

fn dashboard_page(me: &User, vi: bool, scope: &Scope, o: &Overview) -> DashboardPage {
    let t = |v: &'static str, e: &'static str| if vi { v } else { e };
    let s = &o.scans;
    let c = &o.complaints;
    let p = &o.participation;
    let mut figures = vec![
        Figure { key: "scans-total", label: t("Lượt quét", "Scans"), value: number(s.total, vi) },
        Figure {
            key: "scans-unregistered",
            label: t("Quét mã chưa đăng ký", "Scans of unregistered codes"),
            value: number(s.unregistered, vi),
        },
        Figure { key: "complaints-total", label: t("Phản ánh", "Complaints"), value: number(c.total, vi) },
        Figure {
            key: "complaints-open",
            label: t("Phản ánh chưa xử lý xong", "Complaints open"),
            value: number(c.open, vi),
        },
        Figure { key: "recalls", label: t("Thu hồi", "Recalls"), value: number(o.recalls.total, vi) },
        Figure { key: "companies", label: t("Doanh nghiệp", "Companies"), value: number(p.companies, vi) },
        Figure { key: "products", label: t("Sản phẩm", "Products"), value: number(p.products, vi) },
        Figure { key: "lots", label: t("Lô hàng", "Lots"), value: number(p.lots, vi) },
    ];
    if let Some(complete) = p.lots_complete_chain {
        figures.push(Figure {
            key: "lots-complete",
            label: t("Lô có chuỗi đầy đủ", "Lots with a complete chain"),
            value: number(complete, vi),
        });
    }
    // The table by province: every province with scans or complaints.
    let mut table: Vec<ProvinceRow> = Vec::new();
    for (counts, is_scan) in [(&s.by_province, true), (&c.by_province, false)] {
        for count in counts.iter() {
            let code = count.key.clone().unwrap_or_default();
            let row = match table.iter_mut().position(|r| r.code == code) {
                Some(i) => &mut table[i],
                None => {
                    table.push(ProvinceRow {
                        name: province_name(count.key.as_deref(), vi),
                        code,
                        scans: 0,
                        complaints: 0,
                    });
                    table.last_mut().expect("just pushed")
                }
            };
            if is_scan { row.scans = count.count } else { row.complaints = count.count }
        }
    }
    table.sort_by(|a, b| {
        b.scans.cmp(&a.scans).then(b.complaints.cmp(&a.complaints)).then(a.name.cmp(&b.name))
    });
    let resolution = match (c.median_hours_to_close, c.mean_hours_to_close) {
        (Some(median), Some(mean)) if vi => {
            format!(
                "{} phản ánh đã đóng; trung vị {median:.1} giờ, trung bình {mean:.1} giờ từ khi nhận",
                c.closed
            )
        }
        (Some(median), Some(mean)) => {
            format!("{} closed; median {median:.1} h, mean {mean:.1} h from filing", c.closed)
        }
        _ => t("Chưa có phản ánh nào được đóng trong kỳ.", "No complaint closed in the period.").to_owned(),
    };
    DashboardPage {
        vi,
        nav: Some(nav(me, vi, "/portal/dashboard")),
        from: scope.period.from.clone(),
        to: scope.period.to.clone(),
        period: format!("{} – {}", date_vn(&scope.period.from), date_vn(&scope.period.to)),
        province: scope.province.clone().unwrap_or_default(),
        scope_name: match &scope.province {
            Some(code) => province_name(Some(code), vi),
            None => t("Toàn quốc", "Whole country").to_owned(),
        },
        pick_province: matches!(me.role, Role::Authority | Role::Admin),
        provinces: crate::domain::catalog::provinces::PROVINCES
            .iter()
            .map(|p| (p.0, if vi { p.1 } else { p.2 }))
            .collect(),
        figures,
        days: day_chart(&s.by_day, vi),
        by_province: h_chart(&s.by_province, |k| province_name(k, vi)),
        by_category: h_chart(&s.by_category, |k| category_name(k, vi)),
        complaint_categories: h_chart(&c.by_category, |k| {
            let (v, e) = complaints::category_name(k.unwrap_or(""));
            (if vi { v } else { e }).to_owned()
        }),
        complaint_statuses: c
            .by_status
            .iter()
            .map(|s| {
                let (v, e) = complaints::status_name(s.key.as_deref().unwrap_or(""));
                ((if vi { v } else { e }).to_owned(), s.count)
            })
            .collect(),
        resolution,
        table,
        recalls: recall_rows(&o.recalls.items, vi),
    }
}

// ---------------------------------------------------------------------------
// Complaints

struct ComplaintRow {
    tracking_code: String,
    filed: String,
    category: String,
    code: String,
    province: String,
    status: String,
    status_name: String,
}

fn complaint_row(c: &Complaint, vi: bool) -> ComplaintRow {
    let (cv, ce) = complaints::category_name(&c.category);
    let (sv, se) = complaints::status_name(&c.status);
    ComplaintRow {
        tracking_code: c.tracking_code.clone(),
        filed: date_vn(&c.created_at),
        category: (if vi { cv } else { ce }).to_owned(),
        code: c.code.clone(),
        province: province_name(Some(&c.province), vi),
        status: c.status.clone(),
        status_name: (if vi { sv } else { se }).to_owned(),
    }
}

#[derive(Template)]
#[template(path = "portal_complaints.html")]
struct ComplaintsPage {
    vi: bool,
    nav: Option<Nav>,
    scope_name: String,
    status: String,
    statuses: Vec<(&'static str, String)>,
    rows: Vec<ComplaintRow>,
}

#[derive(Deserialize, Default)]
pub struct ComplaintsQuery {
    status: Option<String>,
    lang: Option<String>,
}

/// The queue of the user's province (admins: every province), newest first.
pub async fn complaint_queue(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Query(q): Query<ComplaintsQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let status =
        q.status.filter(|s| ["received", "processing", "resolved", "rejected"].contains(&s.as_str()));
    let result = async {
        let province = crate::complaints_http::queue_province(&me, None)?;
        let (p, st) = (province.clone(), status.clone());
        let mut items = blocking(&state, move |s| {
            let mut all = Vec::new();
            let mut after = 0;
            loop {
                let page = s.complaints(p.as_deref(), st.as_deref(), after, 500)?;
                let Some((last, _)) = page.last() else { break };
                after = *last;
                let done = page.len() < 500;
                all.extend(page.into_iter().map(|(_, c)| c));
                if done || all.len() >= 5_000 {
                    break;
                }
            }
            Ok(all)
        })
        .await?;
        items.reverse();
        let page = ComplaintsPage {
            vi,
            nav: Some(nav(&me, vi, "/portal/complaints")),
            scope_name: match &province {
                Some(code) => province_name(Some(code), vi),
                None => (if vi { "Toàn quốc" } else { "Whole country" }).to_owned(),
            },
            status: status.clone().unwrap_or_default(),
            statuses: ["received", "processing", "resolved", "rejected"]
                .into_iter()
                .map(|s| {
                    let (v, e) = complaints::status_name(s);
                    (s, (if vi { v } else { e }).to_owned())
                })
                .collect(),
            rows: items.iter().map(|c| complaint_row(c, vi)).collect(),
        };
        render(&page)
    }
    .await;
    respond(vi, &me, result, q.lang.as_deref())
}

struct HistoryRow {
    at: String,
    status: String,
    status_name: String,
    actor: String,
    note: String,
}

#[derive(Template)]
#[template(path = "portal_complaint.html")]
struct ComplaintPage {
    vi: bool,
    nav: Option<Nav>,
    row: ComplaintRow,
    description: String,
    contact: String,
    photos: Vec<String>,
    history: Vec<HistoryRow>,
    next: Vec<(&'static str, String)>,
    error: Option<String>,
}

async fn complaint_page(
    state: &Arc<AppState>,
    me: &User,
    vi: bool,
    tracking_code: String,
    error: Option<String>,
) -> Result<ComplaintPage, ApiError> {
    let complaint = blocking(state, move |s| s.complaint(&tracking_code))
        .await?
        .ok_or_else(|| ApiError::NotFound("no complaint with this tracking code".into()))?;
    if !complaints::may_handle(me, &complaint.province) {
        return Err(ApiError::Forbidden(format!(
            "a {} account cannot handle complaints of this province",
            me.role
        )));
    }
    Ok(ComplaintPage {
        vi,
        nav: Some(nav(me, vi, "/portal/complaints")),
        row: complaint_row(&complaint, vi),
        description: complaint.description.clone(),
        contact: complaint.contact.clone().unwrap_or_default(),
        photos: complaint.photos.clone(),
        history: complaint
            .history
            .iter()
            .map(|h| {
                let (v, e) = complaints::status_name(&h.status);
                HistoryRow {
                    at: vn_time(&h.at),
                    status: h.status.clone(),
                    status_name: (if vi { v } else { e }).to_owned(),
                    actor: match h.actor.as_deref() {
                        Some(a) if a == "anonymous" || a.starts_with("user:") => {
                            (if vi { "người phản ánh" } else { "the filer" }).to_owned()
                        }
                        other => other.unwrap_or_default().to_owned(),
                    },
                    note: h.note.clone().unwrap_or_default(),
                }
            })
            .collect(),
        next: ["processing", "resolved", "rejected"]
            .into_iter()
            .filter(|s| complaints::can_move(&complaint.status, s))
            .map(|s| {
                let (v, e) = complaints::status_name(s);
                (s, (if vi { v } else { e }).to_owned())
            })
            .collect(),
        error,
    })
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

pub async fn complaint_detail(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Path(tracking_code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let page = complaint_page(&state, &me, vi, tracking_code, None).await.and_then(|p| render(&p));
    respond(vi, &me, page, q.lang.as_deref())
}

/// A photo of a complaint, for the portal's pages (same rule as the API).
pub async fn photo(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    Path(hash): Path<String>,
) -> Response {
    match crate::complaints_http::photo_for(&state, &me, hash).await {
        Ok(p) => crate::complaints_http::photo_response(p),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    status: String,
    note: Option<String>,
}

pub async fn complaint_move(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Path(tracking_code): Path<String>,
    axum::Form(f): axum::Form<MoveForm>,
) -> Response {
    let vi = is_vi(&headers, None);
    if !same_origin(&headers) {
        return error_page(vi, Some(&me), ApiError::Forbidden("a form from another site".into()));
    }
    let m = crate::complaints_http::Move {
        status: f.status,
        note: f.note.filter(|n| !n.trim().is_empty()),
        assign_to: None,
    };
    match crate::complaints_http::move_complaint(&state, &me, tracking_code.clone(), m).await {
        Ok(_) => Redirect::to(&format!("/portal/complaints/{}", url_encode(&tracking_code))).into_response(),
        Err(e @ (ApiError::Conflict { .. } | ApiError::Unprocessable { .. })) => refused(
            vi,
            &me,
            e.status(),
            complaint_page(&state, &me, vi, tracking_code, Some(e.to_string())).await,
        ),
        Err(e) => error_page(vi, Some(&me), e),
    }
}

// ---------------------------------------------------------------------------
// Recalls

#[derive(Template)]
#[template(path = "portal_recalls.html")]
struct RecallsPage {
    vi: bool,
    nav: Option<Nav>,
    rows: Vec<RecallRow>,
    /// Products the account may recall (GTIN, name); empty: type a GTIN.
    products: Vec<(String, String)>,
    provinces: Vec<(&'static str, &'static str)>,
    declared: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct RecallsQuery {
    declared: Option<String>,
    lang: Option<String>,
}

/// The recalls of the last year the account may see (an enterprise: its
/// own products'), with their reach, and the form to declare one.
async fn recalls_page(
    state: &Arc<AppState>,
    me: &User,
    vi: bool,
    declared: Option<String>,
    error: Option<String>,
) -> Result<RecallsPage, ApiError> {
    if !declares_recalls(me.role) {
        return Err(ApiError::Forbidden(format!("a {} account cannot declare recalls", me.role)));
    }
    let scope = Scope { period: stats::last_year(&crate::clock::now().vn_day()), province: None };
    let me2 = me.clone();
    let (items, products) = blocking(state, move |s| {
        let products = if me2.role == Role::Enterprise {
            let mut companies = std::collections::BTreeSet::new();
            for gln in &me2.glns {
                companies.extend(s.company_by_gln(gln)?.map(|c| c.key));
            }
            let mut products = Vec::new();
            for key in companies {
                products.extend(s.products_of(&key)?);
            }
            products
        } else {
            Vec::new()
        };
        let mut recalls = crate::actions::stats::recalls(s, &scope)?.items;
        if me2.role == Role::Enterprise {
            recalls.retain(|r| products.iter().any(|p| p.gtin == r.gtin));
        }
        Ok((recalls, products))
    })
    .await?;
    Ok(RecallsPage {
        vi,
        nav: Some(nav(me, vi, "/portal/recalls")),
        rows: recall_rows(&items, vi),
        products: products.into_iter().map(|p| (p.gtin, p.name_vi)).collect(),
        provinces: crate::domain::catalog::provinces::PROVINCES
            .iter()
            .map(|p| (p.0, if vi { p.1 } else { p.2 }))
            .collect(),
        declared,
        error,
    })
}

pub async fn recalls(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Query(q): Query<RecallsQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let page = recalls_page(&state, &me, vi, q.declared, None).await.and_then(|p| render(&p));
    respond(vi, &me, page, q.lang.as_deref())
}

#[derive(Deserialize)]
pub struct RecallForm {
    gtin: String,
    /// Lot numbers separated by commas, spaces or lines.
    lots: String,
    severity: String,
    reason_vi: String,
    reason_en: Option<String>,
    /// Empty: the whole country.
    province: Option<String>,
}

pub async fn recall_declare(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    axum::Form(f): axum::Form<RecallForm>,
) -> Response {
    let vi = is_vi(&headers, None);
    if !same_origin(&headers) {
        return error_page(vi, Some(&me), ApiError::Forbidden("a form from another site".into()));
    }
    let request = crate::resolver::RecallRequest {
        id: None,
        gtin: f.gtin.trim().to_owned(),
        lots: f
            .lots
            .split([',', ' ', '\n', '\r', ';'])
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        reason_vi: f.reason_vi,
        reason_en: f.reason_en.filter(|r| !r.trim().is_empty()),
        severity: f.severity,
        province: f.province.filter(|p| !p.is_empty()),
    };
    match crate::resolver::declare(&state, me.clone(), request).await {
        Ok(done) => {
            Redirect::to(&format!("/portal/recalls?declared={}", url_encode(&done.recall.id))).into_response()
        }
        Err(e @ (ApiError::Unprocessable { .. } | ApiError::Forbidden(_))) => {
            refused(vi, &me, e.status(), recalls_page(&state, &me, vi, None, Some(e.to_string())).await)
        }
        Err(e) => error_page(vi, Some(&me), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_axes() {
        assert_eq!(number(1234567, true), "1.234.567");
        assert_eq!(number(1234, false), "1,234");
        assert_eq!(number(999, true), "999");
        assert_eq!([0, 1, 3, 7, 20, 21, 480].map(nice_max), [1, 1, 5, 10, 20, 50, 500]);
        assert_eq!(vn_time("2026-11-26T18:30:00.000Z"), "27/11/2026 01:30");
        assert_eq!(vn_time("not a time"), "not a time");
    }

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
    }

    #[test]
    fn origins() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h), "no Origin: a client that is not a browser");
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn a_day_chart_scales_to_its_largest_day() {
        let days = [("2026-11-01", 4, 1), ("2026-11-02", 0, 0), ("2026-11-03", 10, 0)]
            .map(|(d, s, u)| stats::DayCount { day: d.into(), scans: s, unregistered: u });
        let chart = day_chart(&days, true);
        assert_eq!(chart.bars.len(), 3);
        let plot = DAY_H - DAY_BOTTOM - 8.0;
        assert_eq!(chart.bars[2].h, round2(plot), "10 is the top of a 0–10 axis");
        assert_eq!(chart.bars[1].h, 0.0);
        assert_eq!(chart.bars[0].uh, round2(plot / 10.0));
        assert_eq!(chart.ticks.last().map(|t| t.label.as_str()), Some("10"));
        assert_eq!(chart.labels[0].text, "01/11");
    }
}
