//! The portal's registry pages: an enterprise's products, lots and places
//! with the CSV import; the companies and the inspections of an area. Same
//! rules as the rest of the portal (see `mod.rs`): what the page does, the
//! account may do through the API or the CLI.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{LangQuery, Nav, PortalUser, error_page, nav, respond, same_origin};
use crate::actions::import::{Kind, Report};
use crate::actions::{catalog, registry};
use crate::domain::account::User;
use crate::domain::catalog::{Location, Lot, Product};
use crate::pages::{is_vi, render, words};
use crate::problem::ApiError;
use crate::state::{AppState, read, write};

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
    let day = |d: &Option<String>| d.as_deref().map(words::date_vn).unwrap_or_default();
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
    Kind::ALL
        .into_iter()
        .map(|k| {
            let (v, e) = match k {
                Kind::Products => ("Sản phẩm", "Products"),
                Kind::Lots => ("Lô hàng", "Lots"),
                Kind::Locations => ("Địa điểm", "Locations"),
                Kind::Certifications => ("Chứng nhận", "Certifications"),
                Kind::Serials => ("Số sê-ri", "Serials"),
                Kind::Suppliers => ("Nhà cung cấp", "Suppliers"),
                Kind::Companies => ("Doanh nghiệp", "Companies"),
            };
            (k.name(), if vi { v } else { e })
        })
        .collect()
}

async fn catalog_page(
    state: &Arc<AppState>,
    me: &User,
    vi: bool,
    form: (String, String),
    report: Option<Report>,
) -> Result<CatalogPage, ApiError> {
    let who = me.clone();
    let mine = read(state, move |s| registry::my_catalog(s, &who)).await?;
    let locations = mine.locations;
    let products = mine
        .products
        .into_iter()
        .map(|(product, lots)| ProductRow { product, lots: lots.into_iter().map(lot_row).collect() })
        .collect();
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
    let Ok(kind) = f.kind.parse::<Kind>() else {
        return error_page(
            vi,
            Some(&me),
            ApiError::bad_request("invalid_kind", format!("unknown kind {:?}", f.kind)),
        );
    };
    let (text, who, now) = (f.csv.clone(), me.clone(), state.clock.now());
    let imported =
        write(&state, move |s| catalog::import(s, Some(&who), kind, text.as_bytes(), now, &mut || {})).await;
    let (status, report) = match imported {
        Ok(report) if report.errors.is_empty() => (StatusCode::OK, report),
        Ok(report) => (StatusCode::UNPROCESSABLE_ENTITY, report),
        Err(ApiError::Forbidden(why)) => {
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
    let (who, asked) = (me.clone(), q.province.clone());
    let page = async {
        let (province, summaries) =
            read(&state, move |s| registry::companies(s, &who, asked.as_deref())).await?;
        render(&CompaniesPage {
            vi,
            nav: Some(nav(&me, vi, "/portal/companies")),
            province: province.unwrap_or_default(),
            provinces: words::provinces(vi),
            rows: summaries
                .into_iter()
                .map(|s| CompanyRow {
                    province: words::province(s.company.province.as_deref(), vi),
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
    let (who, asked) = (me.clone(), q.province.clone());
    let listed = read(&state, move |s| registry::inspections(s, &who, asked.as_deref())).await;
    let page = listed.and_then(|(province, rows)| {
        render(&InspectionsPage {
            vi,
            nav: Some(nav(&me, vi, "/portal/inspections")),
            scope_name: words::area(province.as_deref(), vi),
            rows: rows
                .into_iter()
                .map(|r| InspectionRow {
                    at: words::vn_time(&r.at),
                    place: r.place,
                    code: r.code,
                    result: words::inspection_result(r.conformant, vi).to_owned(),
                    conformant: r.conformant,
                    inspector: r.inspector,
                    notes: r.notes,
                })
                .collect(),
        })
    });
    respond(vi, &me, page, q.lang.as_deref())
}
