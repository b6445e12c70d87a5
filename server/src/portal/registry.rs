//! The portal's registry pages: an enterprise's products, lots and places
//! with the CSV import; the authority's companies; the inspections of a
//! province. Same rules as the rest of the portal (see `mod.rs`): what the
//! page does, the account may do through the API or the CLI.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{
    LangQuery, Nav, PortalUser, date_vn, declares_recalls, error_page, is_vi, nav, province_name, render,
    respond, same_origin, sees_stats, vn_time,
};
use crate::domain::account::{Role, User};
use crate::domain::catalog::{Location, Lot, Product};
use crate::import::{Kind, Report};
use crate::problem::ApiError;
use crate::state::{AppState, blocking};

// ---------------------------------------------------------------------------
// An enterprise's products, lots and places; the CSV import

struct LotRow {
    lot: String,
    produced: String,
    expiry: String,
    quantity: String,
}

struct ProductRow {
    product: Product,
    lots: Vec<LotRow>,
}

fn lot_row(l: Lot) -> LotRow {
    let day = |d: &Option<String>| d.as_deref().map(date_vn).unwrap_or_default();
    LotRow {
        produced: day(&l.production_date),
        expiry: day(&l.expiry),
        quantity: match (l.quantity, &l.unit) {
            (Some(q), Some(u)) => format!("{q} {u}"),
            (Some(q), None) => q.to_string(),
            _ => String::new(),
        },
        lot: l.lot,
    }
}

#[derive(Template)]
#[template(path = "portal_catalog.html")]
struct CatalogPage {
    vi: bool,
    nav: Option<Nav>,
    products: Vec<ProductRow>,
    locations: Vec<Location>,
    kinds: Vec<(&'static str, &'static str)>,
    kind: String,
    csv: String,
    report: Option<Report>,
}

/// The kinds an import form offers, with the CLI's names.
fn kinds(vi: bool) -> Vec<(&'static str, &'static str)> {
    [
        ("products", "Sản phẩm", "Products"),
        ("lots", "Lô hàng", "Lots"),
        ("locations", "Địa điểm", "Locations"),
        ("certifications", "Chứng nhận", "Certifications"),
        ("serials", "Số sê-ri", "Serials"),
        ("companies", "Doanh nghiệp", "Companies"),
    ]
    .into_iter()
    .map(|(k, v, e)| (k, if vi { v } else { e }))
    .collect()
}

fn kind_of(name: &str) -> Option<Kind> {
    Some(match name {
        "products" => Kind::Products,
        "lots" => Kind::Lots,
        "locations" => Kind::Locations,
        "certifications" => Kind::Certifications,
        "serials" => Kind::Serials,
        "companies" => Kind::Companies,
        _ => return None,
    })
}

async fn catalog_page(
    state: &Arc<AppState>,
    me: &User,
    vi: bool,
    form: (String, String),
    report: Option<Report>,
) -> Result<CatalogPage, ApiError> {
    if !declares_recalls(me.role) {
        return Err(ApiError::Forbidden(format!("a {} account has no product pages", me.role)));
    }
    let glns = me.glns.clone();
    let (products, locations) = blocking(state, move |s| {
        let mut companies = std::collections::BTreeSet::new();
        for gln in &glns {
            companies.extend(s.company_by_gln(gln)?.map(|c| c.key));
        }
        let (mut products, mut locations) = (Vec::new(), Vec::new());
        for key in &companies {
            for product in s.products_of(key)? {
                let lots = s.lots_of(&product.gtin)?.into_iter().map(lot_row).collect();
                products.push(ProductRow { product, lots });
            }
            locations.extend(s.locations_of(key)?);
        }
        Ok((products, locations))
    })
    .await?;
    let (kind, csv) = form;
    Ok(CatalogPage {
        vi,
        nav: Some(nav(me, vi, "/portal/catalog")),
        products,
        locations,
        kinds: kinds(vi),
        kind,
        csv,
        report,
    })
}

/// `/portal/catalog`: the account's products with their lots, its places,
/// and the CSV import (an authority: the import only).
pub async fn catalog(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let page = catalog_page(&state, &me, vi, ("products".into(), String::new()), None)
        .await
        .and_then(|p| render(&p));
    respond(vi, &me, page, q.lang.as_deref())
}

#[derive(Deserialize)]
pub struct ImportForm {
    kind: String,
    csv: String,
}

/// `POST /portal/catalog/import`: a CSV of one kind, every line checked,
/// the whole file stored or nothing, within what the account may write.
pub async fn catalog_import(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    axum::Form(f): axum::Form<ImportForm>,
) -> Response {
    let vi = is_vi(&headers, None);
    if !same_origin(&headers) {
        return error_page(vi, Some(&me), ApiError::Forbidden("a form from another site".into()));
    }
    let Some(kind) = kind_of(&f.kind) else {
        return error_page(
            vi,
            Some(&me),
            ApiError::bad_request("invalid_kind", format!("unknown kind {:?}", f.kind)),
        );
    };
    let (text, user) = (f.csv.clone(), me.clone());
    let outcome = blocking(&state, move |s| {
        let (catalog, report) =
            crate::import::parse(kind, text.as_bytes(), &indicatif::ProgressBar::hidden());
        if !report.errors.is_empty() {
            return Ok(Ok(report));
        }
        if let Err(why) = crate::scope::check(s, &user, &catalog)? {
            return Ok(Err(why));
        }
        crate::import::store(s, &catalog, report)
            .map(Ok)
            .map_err(|e| crate::store::StoreError::Backend(e.to_string()))
    })
    .await;
    let (status, report) = match outcome {
        Ok(Ok(report)) if report.errors.is_empty() => {
            state.cache.touch_all();
            (StatusCode::OK, report)
        }
        Ok(Ok(report)) => (StatusCode::UNPROCESSABLE_ENTITY, report),
        Ok(Err(why)) => {
            (StatusCode::FORBIDDEN, Report { lines: 0, stored: 0, errors: vec![why], more_errors: 0 })
        }
        Err(e) => return error_page(vi, Some(&me), e),
    };
    match catalog_page(&state, &me, vi, (f.kind, f.csv), Some(report)).await.and_then(|p| render(&p)) {
        Ok(page) => (status, page).into_response(),
        Err(e) => error_page(vi, Some(&me), e),
    }
}

// ---------------------------------------------------------------------------
// The authority's companies

struct CompanyRow {
    name: String,
    key: String,
    province: String,
    tax_code: String,
    gln: String,
    products: u64,
    lots: u64,
    recalls: u64,
}

#[derive(Template)]
#[template(path = "portal_companies.html")]
struct CompaniesPage {
    vi: bool,
    nav: Option<Nav>,
    province: String,
    provinces: Vec<(&'static str, &'static str)>,
    rows: Vec<CompanyRow>,
}

#[derive(Deserialize, Default)]
pub struct ProvinceQuery {
    province: Option<String>,
    lang: Option<String>,
}

/// `/portal/companies`: the registered companies, of a province or all.
pub async fn companies(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Query(q): Query<ProvinceQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let province = q.province.clone().filter(|p| !p.is_empty());
    let page = async {
        if !matches!(me.role, Role::Authority | Role::Admin) {
            return Err(ApiError::Forbidden(format!("a {} account cannot list companies", me.role)));
        }
        let asked = province.clone();
        let summaries = blocking(&state, move |s| s.company_summaries(asked.as_deref())).await?;
        render(&CompaniesPage {
            vi,
            nav: Some(nav(&me, vi, "/portal/companies")),
            province: province.unwrap_or_default(),
            provinces: crate::domain::catalog::provinces::PROVINCES
                .iter()
                .map(|p| (p.0, if vi { p.1 } else { p.2 }))
                .collect(),
            rows: summaries
                .into_iter()
                .map(|s| CompanyRow {
                    province: province_name(s.company.province.as_deref(), vi),
                    name: s.company.name,
                    key: s.company.key,
                    tax_code: s.company.tax_code.unwrap_or_default(),
                    gln: s.company.gln.unwrap_or_default(),
                    products: s.products,
                    lots: s.lots,
                    recalls: s.recalls,
                })
                .collect(),
        })
    }
    .await;
    respond(vi, &me, page, q.lang.as_deref())
}

// ---------------------------------------------------------------------------
// Inspections of a province

struct InspectionRow {
    at: String,
    place: String,
    code: String,
    result: String,
    conformant: bool,
    inspector: String,
    notes: String,
}

#[derive(Template)]
#[template(path = "portal_inspections.html")]
struct InspectionsPage {
    vi: bool,
    nav: Option<Nav>,
    scope_name: String,
    rows: Vec<InspectionRow>,
}

/// `/portal/inspections`: the last inspections at places of the user's
/// province (authorities, admins: `?province=`, or all).
pub async fn inspections(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Query(q): Query<ProvinceQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let page = async {
        if !sees_stats(me.role) {
            return Err(ApiError::Forbidden(format!("a {} account cannot see inspections", me.role)));
        }
        let province = match me.role {
            Role::Inspector => me.province.clone(),
            _ => q.province.clone().filter(|p| !p.is_empty()).or_else(|| me.province.clone()),
        };
        let asked = province.clone();
        let events = blocking(&state, move |s| {
            let events = s.inspections(asked.as_deref(), 500)?;
            let mut rows = Vec::new();
            for e in events {
                let text = |k: &str| e.payload.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
                let gln = text("market_gln");
                let place = match s.location(&gln)? {
                    Some(l) => l.name,
                    None => gln,
                };
                let conformant = text("result") == "conformant";
                rows.push((
                    e.device_time.clone(),
                    place,
                    text("code"),
                    conformant,
                    e.username.clone(),
                    text("notes"),
                ));
            }
            Ok(rows)
        })
        .await?;
        render(&InspectionsPage {
            vi,
            nav: Some(nav(&me, vi, "/portal/inspections")),
            scope_name: match &province {
                Some(p) => province_name(Some(p), vi),
                None => (if vi { "Toàn quốc" } else { "Whole country" }).to_owned(),
            },
            rows: events
                .into_iter()
                .map(|(at, place, code, conformant, inspector, notes)| InspectionRow {
                    at: vn_time(&at),
                    place,
                    code,
                    result: match (conformant, vi) {
                        (true, true) => "Đạt".into(),
                        (true, false) => "Conformant".into(),
                        (false, true) => "Không đạt".into(),
                        (false, false) => "Non-conformant".into(),
                    },
                    conformant,
                    inspector,
                    notes,
                })
                .collect(),
        })
    }
    .await;
    respond(vi, &me, page, q.lang.as_deref())
}
