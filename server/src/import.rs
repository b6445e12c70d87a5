//! Bulk CSV into the product database (`truyxuat import`, and the portal's
//! import form). Every line is checked first; any error is reported with
//! its line number and nothing is stored. Otherwise the whole file goes in
//! one transaction.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};
use serde::de::DeserializeOwned;

use crate::domain::catalog::{Catalog, Certification, Company, Location, Lot, Product, Serial};
use crate::store::Store;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
    Companies,
    Locations,
    Products,
    Certifications,
    Lots,
    Serials,
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
    bar: &ProgressBar,
    check: impl Fn(T) -> Result<T, String>,
) -> (Vec<T>, Vec<String>, usize) {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(source);
    let (mut items, mut errors, mut lines) = (Vec::new(), Vec::new(), 0);
    for record in reader.deserialize::<T>() {
        lines += 1;
        bar.inc(1);
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

/// The records of a CSV text of `kind`, every line checked: the catalog to
/// store, or nothing and the errors by line (`Report.errors`).
pub fn parse(kind: Kind, source: impl std::io::Read, bar: &ProgressBar) -> (Catalog, Report) {
    let mut catalog = Catalog::default();
    let (errors, lines) = match kind {
        Kind::Companies => {
            let (items, errors, lines) = read(source, bar, |c: Company| c.check().map(|()| c));
            catalog.companies = items;
            (errors, lines)
        }
        Kind::Locations => {
            let (items, errors, lines) = read(source, bar, |l: Location| l.check().map(|()| l));
            catalog.locations = items;
            (errors, lines)
        }
        Kind::Products => {
            let (items, errors, lines) = read(source, bar, Product::normalise);
            catalog.products = items;
            (errors, lines)
        }
        Kind::Certifications => {
            let (items, errors, lines) = read(source, bar, |c: Certification| c.check().map(|()| c));
            catalog.certifications = items;
            (errors, lines)
        }
        Kind::Lots => {
            let (items, errors, lines) = read(source, bar, Lot::normalise);
            catalog.lots = items;
            (errors, lines)
        }
        Kind::Serials => {
            let (items, errors, lines) = read(source, bar, Serial::normalise);
            catalog.serials = items;
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

/// Store a checked catalog; a reference to a missing company and the like
/// refuses the file as a whole, as an error of the report.
pub fn store(store: &dyn Store, catalog: &Catalog, mut report: Report) -> anyhow::Result<Report> {
    if !report.errors.is_empty() {
        return Ok(report);
    }
    match store.apply_catalog(catalog) {
        Ok(()) => report.stored = catalog.len(),
        Err(crate::store::StoreError::Conflict(why)) => report.errors.push(why),
        Err(e) => return Err(e.into()),
    }
    Ok(report)
}

pub fn run(store_to: &dyn Store, kind: Kind, path: &Path, show_progress: bool) -> anyhow::Result<Report> {
    let bar = if show_progress {
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} {human_pos} dòng / lines ({per_sec})")?);
        bar.set_message(format!("đọc / reading {}", path.display()));
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let (catalog, report) = parse(kind, std::io::BufReader::new(file), &bar);
    bar.set_message("ghi / storing");
    let report = store(store_to, &catalog, report);
    bar.finish_and_clear();
    report
}
