//! The product database: search, one product, and writes (`PUT
//! /v1/catalog`, the CSV import of the portal and of `truyxuat import`).
//! A write is checked record by record, then against `rights::write_catalog`
//! with the stored facts it needs, and stored all or nothing. The server
//! alone sets who declared a recall and when, who stands behind a
//! certification, and a company's GS1 prefixes (those the authority
//! recorded).

use std::collections::BTreeSet;

use crate::actions::import::{self, Kind, Report};
use crate::actions::{Error, Result, Touched, Written};
use crate::clock::Moment;
use crate::domain::account::User;
use crate::domain::catalog::{Catalog, CertSource, Product, gtin14};
use crate::domain::rights::{self, CatalogFacts};
use crate::store::{Store, StoreError};

/// Words in a search.
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_PAGE: u32 = 100;
pub const MAX_OFFSET: u32 = 10_000;
/// Records in one write (a CSV import is bounded by the body size too).
pub const MAX_RECORDS: usize = 100_000;

/// One page of a product search, best first, and how many match in all.
pub fn search(
    store: &dyn Store,
    query: &str,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<(Vec<Product>, u64, u32, u32)> {
    let limit = Error::page_limit(limit, 20, MAX_PAGE)?;
    let offset = offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(Error::bad_request("invalid_offset", format!("offset must be 0 to {MAX_OFFSET}")));
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::bad_request(
            "invalid_query",
            format!("a search has at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let (items, total) = store.search_products(query, limit, offset)?;
    Ok((items, total, limit, offset))
}

/// A registered product by its GTIN (8 to 14 digits).
pub fn product(store: &dyn Store, gtin: &str) -> Result<Product> {
    let gtin = gtin14(gtin)
        .ok_or_else(|| Error::bad_request("invalid_gtin", format!("{gtin:?} is not a valid GTIN")))?;
    store.product(&gtin)?.ok_or_else(|| Error::NotFound("no product with this GTIN is registered".into()))
}

/// Store `catalog` for `me`, all or nothing; how many records.
pub fn write(store: &dyn Store, me: &User, catalog: Catalog, now: Moment) -> Result<Written<usize>> {
    let mut catalog = checked(catalog)?;
    let facts = facts(store, me, &catalog)?;
    stamp(me, &mut catalog, &facts, now);
    rights::write_catalog(me, &catalog, &facts)?;
    apply(store, &catalog)
}

/// Store `catalog` for whoever runs the server (`truyxuat import` on the
/// database file, the demo): no account's rights, the records as given.
pub fn write_as_operator(store: &dyn Store, catalog: Catalog) -> Result<Written<usize>> {
    apply(store, &checked(catalog)?)
}

/// A CSV file of `kind` for `me` (none: the operator): every line checked
/// first, then one write. Lines in error, or a reference to a record that
/// does not exist, come back in the report with nothing stored.
pub fn import(
    store: &dyn Store,
    me: Option<&User>,
    kind: Kind,
    csv: &[u8],
    now: Moment,
    on_line: &mut dyn FnMut(),
) -> Result<Written<Report>> {
    let (catalog, mut report) = import::parse(kind, csv, on_line);
    if !report.errors.is_empty() {
        return Ok(Written::untouched(report));
    }
    let written = match me {
        Some(me) => write(store, me, catalog, now),
        None => write_as_operator(store, catalog),
    };
    match written {
        Ok(w) => {
            report.stored = w.value;
            Ok(Written::new(report, w.touched))
        }
        Err(Error::Conflict { detail, .. } | Error::Invalid { detail, .. }) => {
            report.errors.push(detail);
            Ok(Written::untouched(report))
        }
        Err(e) => Err(e),
    }
}

fn checked(catalog: Catalog) -> Result<Catalog> {
    if catalog.len() > MAX_RECORDS {
        return Err(Error::TooLarge(format!(
            "{} records in one write; at most {MAX_RECORDS}",
            catalog.len()
        )));
    }
    catalog.normalise().map_err(|e| Error::invalid("invalid_record", e.join("; ")))
}

fn apply(store: &dyn Store, catalog: &Catalog) -> Result<Written<usize>> {
    store.apply_catalog(catalog).map_err(|e| match e {
        StoreError::Conflict(detail) => Error::Conflict { code: "conflict", detail },
        other => other.into(),
    })?;
    // Names, places, certifications and recalls show in other products'
    // stories too; catalog writes are rare next to reads, so forget them all.
    Ok(Written::new(catalog.len(), Touched::everything()))
}

/// The stored records a write by `me` names, as `rights::write_catalog`
/// needs them.
pub fn facts(store: &dyn Store, me: &User, c: &Catalog) -> Result<CatalogFacts> {
    let mut f = CatalogFacts::default();
    for gln in &me.glns {
        f.mine.extend(store.company_by_gln(gln)?.map(|c| c.key));
    }
    let mut keys: BTreeSet<String> = f.mine.clone();
    keys.extend(c.companies.iter().map(|co| co.key.clone()));
    keys.extend(c.products.iter().filter_map(|p| p.company.clone()));
    keys.extend(c.locations.iter().filter_map(|l| l.company.clone()));
    for key in keys {
        if let Some(company) = store.company(&key)? {
            f.companies.insert(key, company);
        }
    }
    for l in &c.locations {
        if let Some(stored) = store.location(&l.gln)? {
            f.locations.insert(l.gln.clone(), stored.company);
        }
    }
    for r in &c.recalls {
        if let Some(stored) = store.recall(&r.id)? {
            let declarer = match &stored.declared_by {
                Some(name) => store.user_by_name(name)?.map(|u| u.role),
                None => None,
            };
            f.recalls.insert(r.id.clone(), (stored, declarer));
        }
    }
    let mut gtins: BTreeSet<String> = BTreeSet::new();
    gtins.extend(c.products.iter().map(|p| p.gtin.clone()));
    gtins.extend(c.lots.iter().map(|l| l.gtin.clone()));
    gtins.extend(c.serials.iter().map(|s| s.gtin.clone()));
    gtins.extend(c.suppliers.iter().map(|s| s.gtin.clone()));
    gtins.extend(c.certifications.iter().filter_map(|cert| gtin14(&cert.subject)));
    gtins.extend(c.recalls.iter().map(|r| r.gtin.clone()));
    gtins.extend(f.recalls.values().map(|(r, _)| r.gtin.clone()));
    for gtin in gtins {
        if let Some(p) = store.product(&gtin)? {
            f.products.insert(gtin, p.company);
        }
    }
    let subjects: BTreeSet<String> = c.certifications.iter().map(|cert| cert.subject.clone()).collect();
    let subjects: Vec<String> = subjects.into_iter().collect();
    for stored in store.certifications(&subjects)? {
        if stored.source == CertSource::Authority {
            f.issued.insert((stored.subject, stored.scheme, stored.number));
        }
    }
    Ok(f)
}

/// What the server alone sets on records `me` writes: who declared a
/// recall and when (kept from the stored one when it exists), who stands
/// behind a certification, and the GS1 prefixes of a company (kept as
/// stored, unless a national account writes them).
fn stamp(me: &User, c: &mut Catalog, facts: &CatalogFacts, now: Moment) {
    for r in &mut c.recalls {
        match facts.recalls.get(&r.id) {
            Some((stored, _)) => {
                r.declared_by = stored.declared_by.clone();
                r.declared_at = stored.declared_at.clone();
            }
            None => {
                r.declared_by = Some(me.username.clone());
                r.declared_at = now.rfc3339();
            }
        }
    }
    let source = if rights::certifies(me) { CertSource::Authority } else { CertSource::Company };
    for cert in &mut c.certifications {
        cert.source = source;
    }
    if !rights::is_national(me) {
        for co in &mut c.companies {
            co.prefixes = facts.companies.get(&co.key).map(|s| s.prefixes.clone()).unwrap_or_default();
        }
    }
}
