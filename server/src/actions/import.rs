//! Bulk CSV into the product database (`truyxuat import`, and the portal's
//! import form): every line is read and checked first; any error is
//! reported with its line number and nothing is stored. The records then go
//! through the same write as `PUT /v1/catalog` (`catalog::write`), all in
//! one transaction.

use std::str::FromStr;

use serde::de::DeserializeOwned;

use crate::domain::catalog::{Catalog, Certification, Company, Location, Lot, Product, Serial, Supplier};

/// What a CSV file holds; its header names the columns (the fields of the
/// record, as in `/openapi.json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Companies,
    Locations,
    Products,
    Certifications,
    Lots,
    Serials,
    Suppliers,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Products,
        Kind::Lots,
        Kind::Locations,
        Kind::Certifications,
        Kind::Serials,
        Kind::Suppliers,
        Kind::Companies,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Companies => "companies",
            Kind::Locations => "locations",
            Kind::Products => "products",
            Kind::Certifications => "certifications",
            Kind::Lots => "lots",
            Kind::Serials => "serials",
            Kind::Suppliers => "suppliers",
        }
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        Kind::ALL.into_iter().find(|k| k.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            format!("unknown kind {s:?}: use {}", names.join(", "))
        })
    }
}

/// What an import did, or why it did nothing.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    pub lines: usize,
    pub stored: usize,
    /// `line N: what is wrong`, at most 100 of them.
    pub errors: Vec<String>,
    pub more_errors: usize,
}

const MAX_REPORTED: usize = 100;

fn read<T: DeserializeOwned>(
    source: impl std::io::Read,
    on_line: &mut dyn FnMut(),
    check: impl Fn(T) -> Result<T, String>,
) -> (Vec<T>, Vec<String>, usize) {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(source);
    let (mut items, mut errors, mut lines) = (Vec::new(), Vec::new(), 0);
    for record in reader.deserialize::<T>() {
        lines += 1;
        on_line();
        // Line 1 is the header.
        let line = lines + 1;
        match record.map_err(|e| csv_error(&e)).and_then(&check) {
            Ok(item) => items.push(item),
            Err(e) => errors.push(format!("line {line}: {e}")),
        }
    }
    (items, errors, lines)
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => match err.field() {
            Some(f) => format!("column {}: {}", f + 1, err.kind()),
            None => err.kind().to_string(),
        },
        other => format!("{other:?}"),
    }
}

/// The records of a CSV text of `kind`, every line checked (`on_line` is
/// called for each, to show progress): the catalog to store, or nothing and
/// the errors by line (`Report.errors`).
pub fn parse(kind: Kind, source: impl std::io::Read, on_line: &mut dyn FnMut()) -> (Catalog, Report) {
    let mut catalog = Catalog::default();
    let (errors, lines) = match kind {
        Kind::Companies => {
            let (items, errors, lines) = read(source, on_line, |c: Company| c.check().map(|()| c));
            catalog.companies = items;
            (errors, lines)
        }
        Kind::Locations => {
            let (items, errors, lines) = read(source, on_line, |l: Location| l.check().map(|()| l));
            catalog.locations = items;
            (errors, lines)
        }
        Kind::Products => {
            let (items, errors, lines) = read(source, on_line, Product::normalise);
            catalog.products = items;
            (errors, lines)
        }
        Kind::Certifications => {
            let (items, errors, lines) = read(source, on_line, |c: Certification| c.check().map(|()| c));
            catalog.certifications = items;
            (errors, lines)
        }
        Kind::Lots => {
            let (items, errors, lines) = read(source, on_line, Lot::normalise);
            catalog.lots = items;
            (errors, lines)
        }
        Kind::Serials => {
            let (items, errors, lines) = read(source, on_line, Serial::normalise);
            catalog.serials = items;
            (errors, lines)
        }
        Kind::Suppliers => {
            let (items, errors, lines) = read(source, on_line, Supplier::normalise);
            catalog.suppliers = items;
            (errors, lines)
        }
    };
    let more_errors = errors.len().saturating_sub(MAX_REPORTED);
    let report =
        Report { lines, stored: 0, errors: errors.into_iter().take(MAX_REPORTED).collect(), more_errors };
    if !report.errors.is_empty() {
        catalog = Catalog::default();
    }
    (catalog, report)
}
