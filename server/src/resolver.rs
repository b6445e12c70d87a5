//! What a scan lands on: `GET /v1/resolve`, product search, and the GS1
//! Digital Link resolver (`/01/{gtin}/10/{lot}` …) with content negotiation,
//! an RFC 9264 linkset, `linkType` redirects and the consumer page.
//!
//! Invariant: read-only; the answers are built by `provenance`, and the page
//! shows nothing the JSON does not hold.

use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use truyxuat_core::gs1;

use crate::actions::provenance::{self, Provenance};
use crate::domain::catalog::Product;
use crate::domain::catalog::provinces::province;
use crate::problem::ApiError;
use crate::state::{AppState, blocking};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ResolveQuery {
    /// Any text a scanner gives: GTIN, element string, `]C1…`, Digital Link URI.
    code: String,
}

#[utoipa::path(get, path = "/v1/resolve", params(ResolveQuery),
    responses((status = 200, description = "Provenance of the code (see `warnings`)"), (status = 400, body = truyxuat_core::sync::wire::Problem)))]
pub async fn resolve(
    State(state): State<Arc<AppState>>,
    query: Result<Query<ResolveQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query?;
    check_code(&q.code)?;
    let entry = resolved(&state, q.code).await?;
    let mut response = json_bytes(entry.json.clone());
    if let Some(path) = dl_path(&entry.provenance) {
        add_link_header(&mut response, &path);
    }
    Ok(response)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// Words to look for; diacritics and case are ignored ("ca phe" finds "Cà phê").
    q: String,
    limit: Option<u32>,
    offset: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    items: Vec<Product>,
    total: u64,
    limit: u32,
    offset: u32,
}

#[utoipa::path(get, path = "/v1/products", params(SearchQuery), responses((status = 200, body = SearchPage)))]
pub async fn search(
    State(state): State<Arc<AppState>>,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SearchPage>, ApiError> {
    let Query(q) = query?;
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let offset = q.offset.unwrap_or(0).min(10_000);
    if q.q.chars().count() > 200 {
        return Err(ApiError::bad_request("invalid_query", "a search has at most 200 characters"));
    }
    let (items, total) = blocking(&state, move |s| s.search_products(&q.q, limit, offset)).await?;
    Ok(Json(SearchPage { items, total, limit, offset }))
}

#[utoipa::path(get, path = "/v1/products/{gtin}", params(("gtin" = String, Path, description = "GTIN-8, -12, -13 or -14")),
    responses((status = 200, body = Product), (status = 404, body = truyxuat_core::sync::wire::Problem)))]
pub async fn product(
    State(state): State<Arc<AppState>>,
    axum::extract::Path(gtin): axum::extract::Path<String>,
) -> Result<Json<Product>, ApiError> {
    let gtin = crate::domain::catalog::gtin14(&gtin)
        .ok_or_else(|| ApiError::bad_request("invalid_gtin", format!("{gtin:?} is not a valid GTIN")))?;
    let p = blocking(&state, move |s| s.product(&gtin)).await?;
    p.map(Json).ok_or_else(|| ApiError::NotFound("no product with this GTIN is registered".into()))
}

/// The resolution of `code`, from the cache when nothing it shows changed.
async fn resolved(state: &Arc<AppState>, code: String) -> Result<Arc<crate::cache::Entry>, ApiError> {
    let today = crate::clock::now().vn_day();
    let gtin = provenance::parse_code(&code).gtin;
    let key = format!("{today}|{code}");
    if let Some(hit) = state.cache.get(&key, gtin.as_deref()) {
        return Ok(hit);
    }
    let stamp = state.cache.stamp(gtin.as_deref());
    let p = blocking(state, move |s| provenance::resolve(s, &code, &today)).await?;
    Ok(state.cache.put(key, stamp, Arc::new(p)))
}

fn json_bytes(bytes: axum::body::Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

fn check_code(code: &str) -> Result<(), ApiError> {
    if code.trim().is_empty() || code.len() > gs1::MAX_INPUT_LEN {
        return Err(ApiError::bad_request(
            "invalid_code",
            "give the scanned text in `code` (1 to 8192 bytes)",
        ));
    }
    Ok(())
}

/// The canonical Digital Link path of what was resolved (`/01/…/10/…`).
fn dl_path(p: &Provenance) -> Option<String> {
    let uri = p.code.dl_uri.as_deref()?;
    uri.strip_prefix(gs1::DL_STEM).map(str::to_owned)
}

fn add_link_header(response: &mut Response, path: &str) {
    let value = format!("<{path}?linkType=all>; rel=\"linkset\"; type=\"application/linkset+json\"");
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::LINK, v);
    }
}

#[derive(Deserialize, Default)]
pub struct DlQuery {
    #[serde(rename = "linkType")]
    link_type: Option<String>,
    lang: Option<String>,
}

/// Link types this resolver serves for a product code, with where they go.
fn links(path: &str, code: &str) -> Vec<(&'static str, String, &'static str, &'static str)> {
    let enc = utf8_percent_encode(code, NON_ALPHANUMERIC).to_string();
    vec![
        (
            "gs1:defaultLink",
            format!("{path}?linkType=gs1:pip"),
            "text/html",
            "Thông tin sản phẩm / Product information",
        ),
        ("gs1:pip", format!("/view?code={enc}"), "text/html", "Thông tin sản phẩm / Product information"),
        (
            "gs1:traceability",
            format!("/v1/resolve?code={enc}"),
            "application/json",
            "Truy xuất nguồn gốc / Traceability",
        ),
        (
            "gs1:recallStatus",
            format!("/v1/resolve?code={enc}#recalls"),
            "application/json",
            "Tình trạng thu hồi / Recall status",
        ),
        (
            "gs1:certificationInfo",
            format!("/v1/resolve?code={enc}#certifications"),
            "application/json",
            "Chứng nhận / Certifications",
        ),
        ("gs1:epcis", format!("/v1/resolve?code={enc}#journey"), "application/json", "Sự kiện / Events"),
    ]
}

fn linkset(path: &str, code: &str) -> serde_json::Value {
    let mut entry = serde_json::Map::new();
    entry.insert("anchor".into(), serde_json::Value::String(path.to_owned()));
    for (rel, href, ty, title) in links(path, code) {
        let rel = rel.replace("gs1:", "https://gs1.org/voc/");
        entry.insert(
            rel,
            serde_json::json!([{"href": href, "type": ty, "title": title, "hreflang": ["vi", "en"]}]),
        );
    }
    serde_json::json!({ "linkset": [entry] })
}

fn wants(headers: &HeaderMap, ty: &str) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains(ty))
}

/// Vietnamese unless `?lang=en` or the browser prefers English.
fn language(query_lang: Option<&str>, headers: &HeaderMap) -> &'static str {
    match query_lang {
        Some(l) if l.starts_with("en") => "en",
        Some(_) => "vi",
        None => {
            let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let first = accept.split(',').next().unwrap_or("").trim();
            if first.starts_with("en") { "en" } else { "vi" }
        }
    }
}

/// The Digital Link resolver: every path the GS1 engine reads as a Digital
/// Link URI (`/01/{gtin}`, `/01/{gtin}/10/{lot}`, `/01/{gtin}/21/{serial}`,
/// `/00/{sscc}`, `/414/{gln}` …). Anything else is a 404 problem.
pub async fn digital_link(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    headers: HeaderMap,
    query: Result<Query<DlQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let path = uri.path();
    let looks_like_dl = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .is_some_and(|s| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()));
    if !looks_like_dl {
        return Err(ApiError::NotFound("no such route".into()));
    }
    let opts = gs1::Options { permit_zero_suppressed_gtin: true, ..gs1::Options::default() };
    let full =
        format!("https://resolver.invalid{}", uri.path_and_query().map(|p| p.as_str()).unwrap_or(path));
    let msg = gs1::parse_any(&full, &opts).map_err(|e| {
        ApiError::bad_request("invalid_digital_link", format!("not a valid GS1 Digital Link: {e}"))
    })?;
    let canonical = msg.digital_link("").map_err(|e| {
        ApiError::bad_request("invalid_digital_link", format!("not a valid GS1 Digital Link: {e}"))
    })?;
    let code = msg.element_string().unwrap_or_default();
    let lang = language(q.lang.as_deref(), &headers);

    let link_type = q.link_type.as_deref();
    if link_type == Some("all") || wants(&headers, "application/linkset+json") {
        let mut r = (
            [(header::CONTENT_TYPE, "application/linkset+json")],
            serde_json::to_vec(&linkset(&canonical, &code)).unwrap_or_default(),
        )
            .into_response();
        add_link_header(&mut r, &canonical);
        return Ok(r);
    }
    if let Some(lt) = link_type {
        let all = links(&canonical, &code);
        let target = all
            .iter()
            .find(|(rel, ..)| *rel == lt)
            .or_else(|| all.iter().find(|(rel, ..)| *rel == "gs1:pip"));
        let href = target.map(|t| t.1.clone()).unwrap_or_else(|| canonical.clone());
        let mut r = Redirect::temporary(&href).into_response();
        add_link_header(&mut r, &canonical);
        return Ok(r);
    }

    let entry = resolved(&state, code.clone()).await?;
    let p = &entry.provenance;
    let html = wants(&headers, "text/html");
    let mut response = if !p.registered {
        if html {
            (StatusCode::NOT_FOUND, Html(render_page(p, lang, &canonical)?)).into_response()
        } else {
            ApiError::NotRegistered(format!("{code} is not registered with this portal")).into_response()
        }
    } else if html {
        Html(render_page(p, lang, &canonical)?).into_response()
    } else {
        json_bytes(entry.json.clone())
    };
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept, Accept-Language"));
    add_link_header(&mut response, &canonical);
    Ok(response)
}

#[derive(Deserialize)]
pub struct ViewQuery {
    code: String,
    lang: Option<String>,
}

/// `GET /view?code=…`: the consumer page for any scanned text.
pub async fn view(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    query: Result<Query<ViewQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query?;
    check_code(&q.code)?;
    let lang = language(q.lang.as_deref(), &headers);
    let entry = resolved(&state, q.code).await?;
    let p = &entry.provenance;
    let canonical = dl_path(p).unwrap_or_default();
    let status = if p.registered { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok((status, Html(render_page(p, lang, &canonical)?)).into_response())
}

/// Texts of the page in one language.
struct Labels {
    lang: &'static str,
    other_lang: &'static str,
    other_lang_name: &'static str,
    other_lang_href: String,
    brand: &'static str,
    code: &'static str,
    company: &'static str,
    certifications: &'static str,
    valid: &'static str,
    not_valid: &'static str,
    journey: &'static str,
    inspections: &'static str,
    conformant: &'static str,
    non_conformant: &'static str,
    chain_complete: &'static str,
    chain_broken: &'static str,
    report: &'static str,
}

fn labels(lang: &'static str, self_href: &str) -> Labels {
    let vi = lang == "vi";
    let sep = if self_href.contains('?') { '&' } else { '?' };
    let pick = |v: &'static str, e: &'static str| if vi { v } else { e };
    Labels {
        lang,
        other_lang: pick("en", "vi"),
        other_lang_name: pick("English", "Tiếng Việt"),
        other_lang_href: format!("{self_href}{sep}lang={}", pick("en", "vi")),
        brand: pick("Thương hiệu", "Brand"),
        code: pick("Mã", "Code"),
        company: pick("Doanh nghiệp", "Company"),
        certifications: pick("Chứng nhận", "Certifications"),
        valid: pick("còn hiệu lực", "valid"),
        not_valid: pick("hết hiệu lực", "expired"),
        journey: pick("Hành trình sản phẩm", "Journey"),
        inspections: pick("Kết quả kiểm tra", "Inspections"),
        conformant: pick("Đạt", "Conformant"),
        non_conformant: pick("Không đạt", "Non-conformant"),
        chain_complete: pick("Chuỗi truy xuất đầy đủ", "The traceability chain is complete"),
        chain_broken: pick("Chuỗi truy xuất bị gián đoạn:", "The traceability chain is broken:"),
        report: pick("Báo cáo vấn đề", "Report a problem"),
    }
}

struct WarningView {
    code: String,
    text: String,
}

struct StepView {
    class: &'static str,
    what: String,
    date: String,
    where_: Option<String>,
    detail: Option<String>,
}

#[derive(Template)]
#[template(path = "consumer.html")]
struct ConsumerPage {
    l: Labels,
    title: String,
    brand: Option<String>,
    description: Option<String>,
    code_text: String,
    warnings: Vec<WarningView>,
    chain_complete: bool,
    /// A red warning is shown: no green tick beside it.
    alarming: bool,
    chain_breaks: Vec<String>,
    facts: Vec<(String, String)>,
    company: Option<crate::domain::catalog::Company>,
    company_facts: Vec<(String, String)>,
    certifications: Vec<(String, String, bool)>,
    journey: Vec<StepView>,
    inspections: Vec<(String, bool, String)>,
    json_href: String,
    linkset_href: String,
    report_href: String,
}

fn step_name(kind: &str, vi: bool) -> &'static str {
    match (kind, vi) {
        ("harvest", true) => "Thu hoạch",
        ("harvest", false) => "Harvest",
        ("farm_diary", true) => "Nhật ký canh tác",
        ("farm_diary", false) => "Farm diary",
        ("transformation", true) => "Chế biến / đóng gói",
        ("transformation", false) => "Processing / packing",
        ("shipping", true) => "Xuất hàng",
        ("shipping", false) => "Shipped",
        ("receiving", true) => "Nhận hàng",
        ("receiving", false) => "Received",
        ("inspection", true) => "Kiểm tra",
        ("inspection", false) => "Inspection",
        (_, true) => "Sự kiện",
        (_, false) => "Event",
    }
}

/// Common units in Vietnamese; others as recorded.
fn unit_vi(unit: &str) -> &str {
    match unit {
        "box" => "hộp",
        "bag" => "bao",
        "bottle" => "chai",
        "pack" => "gói",
        "can" => "lon",
        "jar" => "hũ",
        "tray" => "khay",
        "piece" => "cái",
        "crate" => "thùng",
        other => other,
    }
}

fn place_text(p: &provenance::Place, vi: bool) -> String {
    let name = p.name.clone().unwrap_or_else(|| format!("GLN {}", p.gln));
    match if vi { p.province_vi } else { p.province_en } {
        Some(prov) => format!("{name}, {prov}"),
        None => name,
    }
}

fn render_page(p: &Provenance, lang: &'static str, canonical: &str) -> Result<String, ApiError> {
    let vi = lang == "vi";
    let pick = |v: &str, e: &str| if vi { v.to_owned() } else { e.to_owned() };
    let product = p.product.as_ref();
    let title = match product {
        Some(pr) if vi => pr.name_vi.clone(),
        Some(pr) => pr.name_en.clone().unwrap_or_else(|| pr.name_vi.clone()),
        None => match &p.location {
            Some(l) => l.name.clone().unwrap_or_else(|| l.gln.clone()),
            None => pick("Mã chưa đăng ký", "Code not registered"),
        },
    };
    let mut facts = Vec::new();
    if let Some(g) = &p.code.gtin {
        facts.push(("GTIN".to_owned(), g.clone()));
    }
    if let Some(l) = &p.code.lot {
        facts.push((pick("Số lô", "Lot"), l.clone()));
    }
    if let Some(s) = &p.code.serial {
        facts.push((pick("Số sê-ri", "Serial"), s.clone()));
    }
    if let Some(lot) = &p.lot {
        if let Some(d) = &lot.production_date {
            facts.push((pick("Ngày sản xuất", "Produced"), d.clone()));
        }
        if let Some(d) = &lot.expiry {
            facts.push((pick("Hạn sử dụng", "Best before"), d.clone()));
        }
    }
    if let Some(o) = &p.origin {
        facts.push((pick("Nơi sản xuất", "Origin"), place_text(o, vi)));
    } else if let Some((pv, pe)) = product.and_then(|pr| pr.origin_province.as_deref()).and_then(province) {
        facts.push((pick("Xuất xứ", "Origin"), if vi { pv } else { pe }.to_owned()));
    }
    if let (Some(cv), Some(ce)) = (&p.code.prefix_issuer_vi, &p.code.prefix_issuer_en) {
        facts.push((pick("Mã vạch cấp bởi", "Barcode issued by"), if vi { cv } else { ce }.to_owned()));
    }
    let company_facts = p
        .company
        .as_ref()
        .map(|c| {
            let mut f = Vec::new();
            if let Some(prov) = c.province.as_deref().and_then(province) {
                f.push((pick("Tỉnh/thành", "Province"), if vi { prov.0 } else { prov.1 }.to_owned()));
            }
            if let Some(a) = &c.address {
                f.push((pick("Địa chỉ", "Address"), a.clone()));
            }
            if let Some(t) = &c.tax_code {
                f.push((pick("Mã số thuế", "Tax code"), t.clone()));
            }
            if let Some(ph) = &c.phone {
                f.push((pick("Điện thoại", "Phone"), ph.clone()));
            }
            f
        })
        .unwrap_or_default();
    let journey = p
        .journey
        .iter()
        .map(|s| {
            let where_ = match (&s.from, &s.to, &s.place) {
                (Some(f), Some(t), _) => Some(format!("{} → {}", place_text(f, vi), place_text(t, vi))),
                (_, _, Some(pl)) => Some(place_text(pl, vi)),
                (None, Some(t), None) => Some(place_text(t, vi)),
                (Some(f), None, None) => Some(place_text(f, vi)),
                (None, None, None) => None,
            };
            let mut detail = Vec::new();
            if let Some(pr) = &s.product_vi {
                detail.push(pr.clone());
            }
            if let Some(l) = &s.lot {
                detail.push(format!("{} {l}", pick("lô", "lot")));
            }
            if let (Some(q), Some(u)) = (s.quantity, &s.unit) {
                detail.push(format!("{q} {}", if vi { unit_vi(u) } else { u }));
            }
            if let Some(input) = s.details.get("input_name").and_then(|v| v.as_str()) {
                detail.push(input.to_owned());
            }
            let failed = s.kind == "inspection" && s.details["result"] == "non_conformant";
            StepView {
                class: if failed {
                    "bad"
                } else if s.relation == "this_lot" {
                    "this"
                } else {
                    "input"
                },
                what: step_name(&s.kind, vi).to_owned(),
                date: s.date.get(..10).unwrap_or(&s.date).to_owned(),
                where_,
                detail: (!detail.is_empty()).then(|| detail.join(" · ")),
            }
        })
        .collect();
    let page = ConsumerPage {
        l: labels(lang, if canonical.is_empty() { "?" } else { canonical }),
        title,
        brand: product.and_then(|pr| pr.brand.clone()),
        description: product
            .and_then(|pr| if vi { pr.description_vi.clone() } else { pr.description_en.clone() }),
        code_text: p.code.element_string.clone().unwrap_or_else(|| p.code.input.clone()),
        warnings: p
            .warnings
            .iter()
            .map(|w| WarningView { code: w.code.clone(), text: if vi { w.vi.clone() } else { w.en.clone() } })
            .collect(),
        chain_complete: p.chain.complete,
        alarming: p.warnings.iter().any(|w| {
            matches!(
                w.code.as_str(),
                "revoked" | "recalled" | "possibly_cloned" | "not_registered" | "invalid_code"
            )
        }),
        chain_breaks: p.chain.breaks.iter().map(|b| if vi { b.vi.clone() } else { b.en.clone() }).collect(),
        facts,
        company: p.company.clone(),
        company_facts,
        certifications: p
            .certifications
            .iter()
            .map(|c| {
                let cert = &c.certification;
                let by = cert.issuer.clone().unwrap_or_default();
                let until = cert
                    .valid_to
                    .as_deref()
                    .map(|t| format!(" ({} {t})", pick("đến", "until")))
                    .unwrap_or_default();
                (cert.scheme.clone(), format!("{by}{until}"), c.valid_now)
            })
            .collect(),
        journey,
        inspections: p
            .inspections
            .iter()
            .map(|i| {
                let at = i.place.as_ref().map(|pl| place_text(pl, vi)).unwrap_or_default();
                let reasons = if i.reasons.is_empty() {
                    String::new()
                } else {
                    format!("— {}", i.reasons.join("; "))
                };
                (format!("{} · {at}", i.date.get(..10).unwrap_or(&i.date)), i.result == "conformant", reasons)
            })
            .collect(),
        json_href: format!("/v1/resolve?code={}", utf8_percent_encode(&p.code.input, NON_ALPHANUMERIC)),
        linkset_href: format!("{canonical}?linkType=all"),
        report_href: format!(
            "/report?lang={lang}&code={}",
            utf8_percent_encode(p.code.element_string.as_deref().unwrap_or(&p.code.input), NON_ALPHANUMERIC)
        ),
    };
    page.render().map_err(|e| ApiError::Internal(e.to_string()))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CatalogStored {
    stored: usize,
}

/// Create or update catalog records, all or nothing.
#[utoipa::path(put, path = "/v1/catalog", request_body = crate::domain::catalog::Catalog, security(("bearer" = [])),
    responses((status = 200, body = CatalogStored), (status = 403, body = truyxuat_core::sync::wire::Problem),
              (status = 409, body = truyxuat_core::sync::wire::Problem), (status = 422, body = truyxuat_core::sync::wire::Problem)))]
pub async fn put_catalog(
    State(state): State<Arc<AppState>>,
    crate::api::Authed(me): crate::api::Authed,
    crate::api::ApiJson(catalog): crate::api::ApiJson<crate::domain::catalog::Catalog>,
) -> Result<Json<CatalogStored>, ApiError> {
    let catalog = catalog
        .normalise()
        .map_err(|e| ApiError::Unprocessable { code: "invalid_record", detail: e.join("; ") })?;
    let stored = catalog.len();
    let verdict = blocking(&state, move |s| match crate::scope::check(s, &me, &catalog)? {
        Ok(()) => s.apply_catalog(&catalog).map(|()| Ok(())),
        Err(why) => Ok(Err(why)),
    })
    .await?;
    verdict.map_err(ApiError::Forbidden)?;
    // Names, places, certifications and recalls show in other products'
    // stories too; catalog writes are rare next to reads, so forget them all.
    state.cache.touch_all();
    Ok(Json(CatalogStored { stored }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReachQuery {
    gtin: String,
    lot: String,
}

/// Who a lot reached (for a recall): lots made from it, sites that received
/// them, devices that scanned them. Inspectors, authorities and admins.
#[utoipa::path(get, path = "/v1/reach", params(ReachQuery), security(("bearer" = [])),
    responses((status = 200, description = "lots, sites, devices, scans"), (status = 403, body = truyxuat_core::sync::wire::Problem)))]
pub async fn reach(
    State(state): State<Arc<AppState>>,
    crate::api::Authed(me): crate::api::Authed,
    query: Result<Query<ReachQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<provenance::Reach>, ApiError> {
    use crate::domain::account::Role;
    if !matches!(me.role, Role::Inspector | Role::Authority | Role::Admin) {
        return Err(ApiError::Forbidden(format!("a {} account cannot trace a lot's reach", me.role)));
    }
    let Query(q) = query?;
    let gtin = crate::domain::catalog::gtin14(&q.gtin)
        .ok_or_else(|| ApiError::bad_request("invalid_gtin", format!("{:?} is not a valid GTIN", q.gtin)))?;
    let r = blocking(&state, move |s| provenance::reach(s, &gtin, &q.lot)).await?;
    Ok(Json(r))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProvinceInfo {
    code: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
}

/// Viet Nam's 34 provincial-level units (since 1 July 2025) and their codes.
#[utoipa::path(get, path = "/v1/provinces", responses((status = 200, body = Vec<ProvinceInfo>)))]
pub async fn provinces() -> Json<Vec<ProvinceInfo>> {
    Json(
        crate::domain::catalog::provinces::PROVINCES
            .iter()
            .map(|&(code, name_vi, name_en)| ProvinceInfo { code, name_vi, name_en })
            .collect(),
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RecallRequest {
    /// Made by the server when absent.
    pub id: Option<String>,
    pub gtin: String,
    pub lots: Vec<String>,
    pub reason_vi: String,
    pub reason_en: Option<String>,
    /// high, medium or low.
    pub severity: String,
    /// A province code for a local recall; none for the whole country.
    pub province: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RecallDeclared {
    pub recall: crate::domain::catalog::Recall,
    /// Devices that had scanned an affected lot (they get it on their next pull).
    pub devices_notified: usize,
}

/// Declare a recall: shown at once by the resolver and the consumer page,
/// sent to the devices of the recall's province (or everyone), and to every
/// device that scanned an affected lot, wherever it is.
#[utoipa::path(post, path = "/v1/recalls", request_body = RecallRequest, security(("bearer" = [])),
    responses((status = 201, body = RecallDeclared), (status = 403, body = truyxuat_core::sync::wire::Problem),
              (status = 422, body = truyxuat_core::sync::wire::Problem)))]
pub async fn declare_recall(
    State(state): State<Arc<AppState>>,
    crate::api::Authed(me): crate::api::Authed,
    crate::api::ApiJson(req): crate::api::ApiJson<RecallRequest>,
) -> Result<(StatusCode, Json<RecallDeclared>), ApiError> {
    Ok((StatusCode::CREATED, Json(declare(&state, me, req).await?)))
}

/// Declare a recall for `me` (API and portal); see [`declare_recall`].
pub async fn declare(
    state: &Arc<AppState>,
    me: crate::domain::account::User,
    req: RecallRequest,
) -> Result<RecallDeclared, ApiError> {
    let id = req.id.unwrap_or_else(|| {
        format!("R-{}-{:06X}", &crate::clock::now().vn_day()[..4], rand::random::<u32>() & 0xFF_FFFF)
    });
    let recall = crate::domain::catalog::Recall {
        id,
        gtin: req.gtin,
        lots: req.lots,
        reason_vi: req.reason_vi,
        reason_en: req.reason_en,
        severity: req.severity,
        declared_by: Some(me.username.clone()),
        declared_at: truyxuat_core::journal::format_unix_ms(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
        ),
        province: req.province,
    }
    .normalise()
    .map_err(|detail| ApiError::Unprocessable { code: "invalid_record", detail })?;
    let catalog = crate::domain::catalog::Catalog { recalls: vec![recall.clone()], ..Default::default() };
    let stored = recall.clone();
    let notified = blocking(state, move |s| {
        if let Err(why) = crate::scope::check(s, &me, &catalog)? {
            return Ok(Err(why));
        }
        s.apply_catalog(&catalog)?;
        let mut devices = std::collections::BTreeSet::new();
        for lot in &stored.lots {
            devices.extend(provenance::reach(s, &stored.gtin, lot)?.devices);
        }
        if stored.province.is_some() {
            // A local recall still reaches those who scanned it elsewhere.
            let mut owners = std::collections::BTreeSet::new();
            for d in &devices {
                owners.extend(s.device_owner(d)?);
            }
            for owner in owners {
                s.publish(&crate::store::NewChange {
                    kind: "recall".into(),
                    key: stored.id.clone(),
                    data: Some(serde_json::to_value(&stored).unwrap_or_default()),
                    province: None,
                    user_id: Some(owner),
                })?;
            }
        }
        Ok(Ok(devices.len()))
    })
    .await?;
    let devices_notified = notified.map_err(ApiError::Forbidden)?;
    state.cache.touch_all();
    Ok(RecallDeclared { recall, devices_notified })
}
