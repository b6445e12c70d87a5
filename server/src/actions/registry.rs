//! What the registry shows each account: the companies of an area, the
//! inspections at places of an area, an enterprise's own products (with
//! their lots) and places, and the recalls it may see in the portal.

use std::collections::BTreeSet;

use crate::actions::Result;
use crate::domain::account::User;
use crate::domain::catalog::{Location, Lot, Product};
use crate::domain::rights::{self, RecallList};
use crate::domain::stats::{Period, RecallReach, Scope};
use crate::store::{CompanySummary, Store, StoredEvent};

/// Inspections one list shows at most.
pub const MAX_INSPECTIONS: u32 = 500;

/// The companies of the asked province within `me`'s area, by name; and
/// the province covered (none: all).
pub fn companies(
    store: &dyn Store,
    me: &User,
    asked: Option<&str>,
) -> Result<(Option<String>, Vec<CompanySummary>)> {
    let province = rights::list_companies(me, asked)?;
    let list = store.company_summaries(province.as_deref())?;
    Ok((province, list))
}

/// One inspection as a list shows it, with its place's name.
#[derive(Clone, Debug)]
pub struct InspectionRow {
    pub at: String,
    pub place: String,
    pub code: String,
    pub conformant: bool,
    pub inspector: String,
    pub notes: String,
}

/// The last inspections at places of the asked province within `me`'s
/// area, newest first; and the province covered (none: all).
pub fn inspections(
    store: &dyn Store,
    me: &User,
    asked: Option<&str>,
) -> Result<(Option<String>, Vec<InspectionRow>)> {
    let province = rights::see_inspections(me, asked)?;
    let mut rows = Vec::new();
    for e in store.inspections(province.as_deref(), MAX_INSPECTIONS)? {
        rows.push(inspection_row(store, &e)?);
    }
    Ok((province, rows))
}

fn inspection_row(store: &dyn Store, e: &StoredEvent) -> Result<InspectionRow> {
    let text = |k: &str| e.payload.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    let gln = text("market_gln");
    let place = match store.location(&gln)? {
        Some(l) => l.name,
        None => gln,
    };
    Ok(InspectionRow {
        at: e.device_time.clone(),
        place,
        code: text("code"),
        conformant: text("result") == "conformant",
        inspector: e.username.clone(),
        notes: text("notes"),
    })
}

/// The keys of the companies `me` acts for (by its GLNs).
fn my_companies(store: &dyn Store, me: &User) -> Result<BTreeSet<String>> {
    let mut keys = BTreeSet::new();
    for gln in &me.glns {
        keys.extend(store.company_by_gln(gln)?.map(|c| c.key));
    }
    Ok(keys)
}

/// The products of `me`'s companies.
pub fn my_products(store: &dyn Store, me: &User) -> Result<Vec<Product>> {
    let mut products = Vec::new();
    for key in my_companies(store, me)? {
        products.extend(store.products_of(&key)?);
    }
    Ok(products)
}

/// An enterprise's part of the registry.
pub struct MyCatalog {
    /// Its products, each with its lots (newest first).
    pub products: Vec<(Product, Vec<Lot>)>,
    pub locations: Vec<Location>,
}

/// `me`'s products with their lots, and its places.
pub fn my_catalog(store: &dyn Store, me: &User) -> Result<MyCatalog> {
    rights::manage_catalog(me)?;
    let (mut products, mut locations) = (Vec::new(), Vec::new());
    for key in my_companies(store, me)? {
        for product in store.products_of(&key)? {
            let lots = store.lots_of(&product.gtin)?;
            products.push((product, lots));
        }
        locations.extend(store.locations_of(&key)?);
    }
    Ok(MyCatalog { products, locations })
}

/// The recalls of `period` the portal lists for `me` (an enterprise: its
/// own products'), with their reach; and the products it may recall (an
/// enterprise's own; empty for those who type any GTIN).
pub fn recalls(store: &dyn Store, me: &User, period: Period) -> Result<(Vec<RecallReach>, Vec<Product>)> {
    let listing = rights::list_recalls(me)?;
    let scope = Scope { period, province: None };
    let mut items = crate::actions::stats::recalls(store, &scope)?.items;
    let products = match listing {
        RecallList::All => Vec::new(),
        RecallList::OwnProducts => {
            let products = my_products(store, me)?;
            items.retain(|r| products.iter().any(|p| p.gtin == r.gtin));
            products
        }
    };
    Ok((items, products))
}
