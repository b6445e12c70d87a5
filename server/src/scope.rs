//! Who may write which catalog records: authorities and admins anything;
//! an enterprise only its own companies (those whose GLN, or one of whose
//! locations' GLNs, the account holds), their products, lots, serials and
//! recalls, and its own locations.

use std::collections::BTreeSet;

use crate::domain::account::{Role, User};
use crate::domain::catalog::Catalog;
use crate::store::Store;

/// `Err` says which record is outside the caller's scope.
pub fn check(store: &dyn Store, user: &User, c: &Catalog) -> crate::store::Result<Result<(), String>> {
    match user.role {
        Role::Admin | Role::Authority => return Ok(Ok(())),
        Role::Enterprise => {}
        other => return Ok(Err(format!("a {other} account cannot change the product database"))),
    }
    let glns: BTreeSet<&str> = user.glns.iter().map(String::as_str).collect();
    // Companies this user may act for: those stored with one of its GLNs or
    // one of its sites, and new ones in the batch with one of its GLNs.
    let mut mine: BTreeSet<String> = BTreeSet::new();
    for g in &glns {
        mine.extend(store.company_by_gln(g)?.map(|c| c.key));
    }
    for co in &c.companies {
        if !co.gln.as_deref().is_some_and(|g| glns.contains(g)) {
            return Ok(Err(format!("company {:?}: its GLN must be one of this account's", co.key)));
        }
        if store.company(&co.key)?.is_some() && !mine.contains(&co.key) {
            return Ok(Err(format!("company {:?} belongs to another account", co.key)));
        }
        mine.insert(co.key.clone());
    }
    let owns_company = |key: &Option<String>| -> crate::store::Result<bool> {
        Ok(key.as_ref().is_some_and(|k| mine.contains(k)))
    };
    for l in &c.locations {
        if !glns.contains(l.gln.as_str()) || (l.company.is_some() && !owns_company(&l.company)?) {
            return Ok(Err(format!("location {}: not one of this account's GLNs", l.gln)));
        }
    }
    let mut products: BTreeSet<String> = BTreeSet::new();
    for p in &c.products {
        let stored_owner = store.product(&p.gtin)?.map(|s| s.company);
        if !owns_company(&p.company)? || stored_owner.is_some_and(|o| !owns_company(&o).unwrap_or(false)) {
            return Ok(Err(format!("product {}: not a product of this account's company", p.gtin)));
        }
        products.insert(p.gtin.clone());
    }
    let mut owns_product = |gtin: &str| -> crate::store::Result<bool> {
        if products.contains(gtin) {
            return Ok(true);
        }
        let ok = match store.product(gtin)? {
            Some(p) => owns_company(&p.company)?,
            None => false,
        };
        if ok {
            products.insert(gtin.to_owned());
        }
        Ok(ok)
    };
    for l in &c.lots {
        if !owns_product(&l.gtin)? {
            return Ok(Err(format!("lot {}/{}: not a product of this account's company", l.gtin, l.lot)));
        }
    }
    for s in &c.serials {
        if !owns_product(&s.gtin)? {
            return Ok(Err(format!(
                "serial {}/{}: not a product of this account's company",
                s.gtin, s.serial
            )));
        }
    }
    for r in &c.recalls {
        // Replacing a recall (same id) needs the right to the one stored too.
        if let Some(stored) = store.recall(&r.id)?
            && !owns_product(&stored.gtin)?
        {
            return Ok(Err(format!("recall {} belongs to another company", r.id)));
        }
        if !owns_product(&r.gtin)? {
            return Ok(Err(format!("recall {}: not a product of this account's company", r.id)));
        }
    }
    for cert in &c.certifications {
        if !(glns.contains(cert.subject.as_str()) || owns_product(&cert.subject)?) {
            return Ok(Err(format!("certification of {}: not this account's product or site", cert.subject)));
        }
    }
    Ok(Ok(()))
}
