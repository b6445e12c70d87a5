//! What a scan lands on in a browser: the GS1 Digital Link resolver (any
//! path the GS1 engine reads as a Digital Link: `/01/{gtin}/10/{lot}` …)
//! with content negotiation (the consumer page, the provenance JSON, an RFC
//! 9264 linkset), `linkType` redirects, and `/view?code=` for any scanned
//! text.
//!
//! Invariant: read-only; the page shows nothing the JSON does not hold
//! (both come from one `Provenance`).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use truyxuat_core::gs1;

use crate::actions::provenance::{self, Provenance};
use crate::domain::catalog::CertSource;
use crate::domain::catalog::provinces::province;
use crate::pages::{is_vi, remember_lang, words};
use crate::problem::ApiError;
use crate::state::{AppState, add_linkset_header, check_code, dl_path, resolution};

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
    let lang = if is_vi(&headers, q.lang.as_deref()) { "vi" } else { "en" };

    let link_type = q.link_type.as_deref();
    if link_type == Some("all") || wants(&headers, "application/linkset+json") {
        let mut r = (
            [(header::CONTENT_TYPE, "application/linkset+json")],
            serde_json::to_vec(&linkset(&canonical, &code)).unwrap_or_default(),
        )
            .into_response();
        add_linkset_header(&mut r, &canonical);
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
        add_linkset_header(&mut r, &canonical);
        return Ok(r);
    }

    let entry = resolution(&state, code.clone()).await?;
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
        ([(header::CONTENT_TYPE, "application/json")], entry.json.clone()).into_response()
    };
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept, Accept-Language, Cookie"));
    if html {
        remember_lang(&mut response, q.lang.as_deref());
    }
    add_linkset_header(&mut response, &canonical);
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
    let lang = if is_vi(&headers, q.lang.as_deref()) { "vi" } else { "en" };
    let entry = resolution(&state, q.code).await?;
    let p = &entry.provenance;
    let canonical = dl_path(p).unwrap_or_default();
    let status = if p.registered { StatusCode::OK } else { StatusCode::NOT_FOUND };
    let mut response = (status, Html(render_page(p, lang, &canonical)?)).into_response();
    remember_lang(&mut response, q.lang.as_deref());
    Ok(response)
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
        journey: pick("Hành trình sản phẩm", "Journey"),
        inspections: pick("Kết quả kiểm tra", "Inspections"),
        conformant: pick("Đạt", "Conformant"),
        non_conformant: pick("Không đạt", "Non-conformant"),
        chain_complete: pick("Chuỗi truy xuất đầy đủ", "The traceability chain is complete"),
        chain_broken: pick("Chuỗi truy xuất bị gián đoạn:", "The traceability chain is broken:"),
        report: pick("Báo cáo vấn đề", "Report a problem"),
    }
}

/// A certification as the page shows it: issued and in date, issued and
/// out of date, or declared by the company itself (never "valid").
struct CertView {
    scheme: String,
    detail: String,
    /// valid, expired or declared.
    state: &'static str,
    label: &'static str,
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
    certifications: Vec<CertView>,
    journey: Vec<StepView>,
    inspections: Vec<(String, bool, String)>,
    json_href: String,
    linkset_href: String,
    report_href: String,
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
        .map(|s| (s, false))
        .chain(p.corrected.iter().map(|s| (s, true)))
        .map(|(s, corrected)| {
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
                detail.push(format!("{q} {}", if vi { words::unit_vi(u) } else { u }));
            }
            if let Some(input) = s.details.get("input_name").and_then(|v| v.as_str()) {
                detail.push(input.to_owned());
            }
            let failed = s.kind == "inspection" && s.details["result"] == "non_conformant";
            let what = words::step(&s.kind, vi);
            StepView {
                class: if corrected {
                    "corrected"
                } else if failed {
                    "bad"
                } else if s.relation == "this_lot" {
                    "this"
                } else {
                    "input"
                },
                what: if corrected {
                    format!(
                        "{what} ({})",
                        pick("đã được người ghi đính chính", "corrected by whoever recorded it")
                    )
                } else {
                    what.to_owned()
                },
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
                let (state, label) = match (cert.source, c.valid_now) {
                    (CertSource::Company, _) => {
                        ("declared", if vi { "doanh nghiệp tự công bố" } else { "declared by the company" })
                    }
                    (_, true) => ("valid", if vi { "còn hiệu lực" } else { "valid" }),
                    (_, false) => ("expired", if vi { "hết hiệu lực" } else { "expired" }),
                };
                CertView { scheme: cert.scheme.clone(), detail: format!("{by}{until}"), state, label }
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
