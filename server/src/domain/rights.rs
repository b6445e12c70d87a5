//! Who may do what: every right of the portal, one named function each,
//! answering [`Denied`] with the reason. The JSON API, the pages, the EPCIS
//! binding and the phones' sync all ask here, so one account gets one
//! answer whatever the face. Facts a rule needs from the store (who owns a
//! product, who declared a recall) are read by the action and handed in.
//!
//! The shape of the rules:
//! - An account **oversees** an area: admins and the national authority
//!   (an authority without a province) the whole country; a provincial
//!   authority and an inspector their province. Statistics, complaints,
//!   inspections, companies and recall packs are read, and complaints
//!   handled, within it.
//! - A company's records (products inside its GS1 company prefixes, lots,
//!   serials, suppliers, its own recalls and certificates it declares) are
//!   written by the enterprise accounts holding its GLNs; the national
//!   authority and admins write any record.
//! - A step of a product's story (phone event or captured EPCIS event) is
//!   recorded at a place the account holds; lots are produced only by the
//!   product's company or a supplier it registered; inspections come only
//!   from inspectors, authorities and admins.
//!
//! Invariant: pure. Outside `domain/`, no code decides on a role.

use std::collections::{BTreeMap, BTreeSet};

use truyxuat_core::journal::EventBody;

use crate::domain::account::{Role, User};
use crate::domain::catalog::{Catalog, Company, Recall};

/// A right the account does not have, and why (for people).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub String);

fn deny<T>(why: impl Into<String>) -> Result<T, Denied> {
    Err(Denied(why.into()))
}

/// The area an account oversees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Area {
    Country,
    Province(String),
}

/// What an account oversees, if anything.
pub fn oversight(me: &User) -> Option<Area> {
    match (me.role, &me.province) {
        (Role::Admin, _) | (Role::Authority, None) => Some(Area::Country),
        (Role::Authority | Role::Inspector, Some(p)) => Some(Area::Province(p.clone())),
        _ => None,
    }
}

/// A national account: an admin or an authority without a province.
pub fn is_national(me: &User) -> bool {
    oversight(me) == Some(Area::Country)
}

/// The province a request covers, given the one asked for (none: the
/// whole country): any for a national account; a provincial account its
/// own (asking for none gives it; asking for another is refused).
fn within(me: &User, asked: Option<&str>, what: &str) -> Result<Option<String>, Denied> {
    let asked = asked.filter(|p| !p.is_empty());
    match oversight(me) {
        Some(Area::Country) => Ok(asked.map(str::to_owned)),
        Some(Area::Province(own)) => match asked {
            Some(p) if p != own => {
                deny(format!("a {} account of province {own} cannot see {what} of {p}", me.role))
            }
            _ => Ok(Some(own)),
        },
        None => deny(format!("a {} account cannot see {what}", me.role)),
    }
}

/// Does `me` oversee `province`?
fn covers(me: &User, province: &str) -> bool {
    match oversight(me) {
        Some(Area::Country) => true,
        Some(Area::Province(p)) => p == province,
        None => false,
    }
}

// ---------------------------------------------------------------------------
// Accounts and devices

/// Make accounts (`POST /v1/users`).
pub fn create_account(me: &User) -> Result<(), Denied> {
    if me.role == Role::Admin {
        Ok(())
    } else {
        deny(format!("a {} account cannot create accounts", me.role))
    }
}

/// Push for a device: only its owner (`owner` is none for a device nobody
/// registered).
pub fn use_device(me: &User, device: &str, owner: Option<i64>) -> Result<(), Denied> {
    match owner {
        None => deny(format!("device {device} is not registered")),
        Some(o) if o != me.id => deny(format!("device {device} belongs to another account")),
        Some(_) => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// Steps of a product's story

/// Who may produce the lots of one product.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Producers {
    /// A company owns the product (registered, or its GTIN inside a
    /// registered company's prefix). A product nobody owns may be produced
    /// by anyone with the place.
    pub owned: bool,
    /// The owner's GLNs (its own and its locations') and the suppliers it
    /// registered for the product.
    pub glns: BTreeSet<String>,
}

/// Producers of each GTIN-14 a step produces (see [`produced_gtins`]).
pub type ProducerFacts = BTreeMap<String, Producers>;

/// The GTIN-14s whose lots a step produces: a harvest's product, a
/// transformation's outputs. The action reads their [`Producers`].
pub fn produced_gtins(body: &EventBody) -> Vec<String> {
    let mut out: Vec<String> = match body {
        EventBody::Harvest(h) => h.gtin.iter().filter_map(|g| crate::domain::catalog::gtin14(g)).collect(),
        EventBody::Transformation(t) => {
            t.outputs.iter().filter_map(|o| crate::domain::catalog::gtin14(&o.gtin)).collect()
        }
        _ => Vec::new(),
    };
    out.sort();
    out.dedup();
    out
}

/// Record a step (a phone's event, or one a captured EPCIS event stands
/// for). Farmers and enterprises (and partner systems) record at the GLNs
/// they hold: farmers harvest, keep farm diaries and ship; enterprises and
/// partners also receive and transform. Lots of a product are produced
/// only by its company or a registered supplier. Inspections come from
/// inspectors, authorities and admins only; authorities and admins record
/// any step anywhere. Anybody records scans and complaints.
pub fn record(me: &User, body: &EventBody, producers: &ProducerFacts) -> Result<(), Denied> {
    let role = me.role;
    let kind = body.kind();
    let allowed = match body {
        EventBody::Scan(_) | EventBody::Complaint(_) => true,
        EventBody::Inspection(_) => matches!(role, Role::Inspector | Role::Authority | Role::Admin),
        EventBody::Harvest(_) | EventBody::FarmDiary(_) | EventBody::Shipping(_) => {
            matches!(role, Role::Farmer | Role::Enterprise | Role::Partner | Role::Authority | Role::Admin)
        }
        // Only enterprises receive and process.
        EventBody::Receiving(_) | EventBody::Transformation(_) => {
            matches!(role, Role::Enterprise | Role::Partner | Role::Authority | Role::Admin)
        }
    };
    if !allowed {
        return deny(format!("a {role} account cannot record {kind} events"));
    }
    if matches!(role, Role::Authority | Role::Admin) {
        return Ok(());
    }
    let place = match body {
        EventBody::Harvest(h) => Some(&h.gln),
        EventBody::FarmDiary(d) => Some(&d.gln),
        EventBody::Shipping(t) => Some(&t.from_gln),
        EventBody::Receiving(t) => Some(&t.to_gln),
        EventBody::Transformation(t) => Some(&t.gln),
        EventBody::Scan(_) | EventBody::Inspection(_) | EventBody::Complaint(_) => None,
    };
    let Some(place) = place else { return Ok(()) };
    let Some(gln) = place else {
        return deny(format!(
            "a {role} account must say at which of its locations (GLN) this {kind} happened"
        ));
    };
    if !me.glns.contains(gln) {
        return deny(format!("GLN {gln} is not one of this account's locations"));
    }
    for gtin in produced_gtins(body) {
        let p = producers.get(&gtin).cloned().unwrap_or(Producers { owned: true, glns: BTreeSet::new() });
        if p.owned && !p.glns.contains(gln) {
            return deny(format!(
                "{gtin} is another company's product: only its company, or a supplier it registered, produces its lots"
            ));
        }
    }
    Ok(())
}

/// Which events `/v1/events` (and the EPCIS query) show an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    Everything,
    /// Its own (what it pushed, what it captured).
    Own,
}

/// Read stored events: national accounts all, others their own.
pub fn read_events(me: &User) -> Reading {
    if is_national(me) { Reading::Everything } else { Reading::Own }
}

/// Read captured EPCIS events: commercially sensitive, so their owner
/// (who captured them) and the national accounts.
pub fn read_epcis(me: &User) -> Reading {
    read_events(me)
}

/// A complaint's contact in the event feed (the queue shows it to the
/// complaint's handlers).
pub fn see_contacts_in_events(me: &User) -> bool {
    me.role == Role::Admin
}

/// Accept or reject a stored event (an authority's decision): national
/// accounts any; a provincial authority the events whose places all lie
/// in its province (`provinces`: the province of each place, none when the
/// place is unknown).
pub fn decide_event(me: &User, provinces: &[Option<String>]) -> Result<(), Denied> {
    match (me.role, oversight(me)) {
        (Role::Admin | Role::Authority, Some(Area::Country)) => Ok(()),
        (Role::Authority, Some(Area::Province(own))) => {
            if !provinces.is_empty() && provinces.iter().all(|p| p.as_deref() == Some(own.as_str())) {
                Ok(())
            } else {
                deny(format!("the event did not happen in province {own}"))
            }
        }
        _ => deny(format!("a {} account cannot decide on events", me.role)),
    }
}

/// Capture EPCIS documents: authorities, admins, partner systems, and
/// enterprises (at their own places, [`capture_at`]).
pub fn capture_epcis(me: &User) -> Result<(), Denied> {
    match me.role {
        Role::Authority | Role::Admin | Role::Partner | Role::Enterprise => Ok(()),
        other => deny(format!("a {other} account cannot capture EPCIS events")),
    }
}

/// The places (GLNs) a captured event names: an enterprise captures only
/// events at its own places.
pub fn capture_at(me: &User, places: &[String]) -> Result<(), Denied> {
    if me.role != Role::Enterprise {
        return Ok(());
    }
    if places.is_empty() {
        return deny("the event names no place of this account");
    }
    match places.iter().find(|g| !me.glns.contains(g)) {
        Some(other) => deny(format!("GLN {other} is not one of this account's")),
        None => Ok(()),
    }
}

/// A capture job: its owner and the national accounts.
pub fn see_capture_job(me: &User, owner: i64) -> bool {
    owner == me.id || read_epcis(me) == Reading::Everything
}

// ---------------------------------------------------------------------------
// The product database

/// Facts about stored records a catalog write needs.
#[derive(Clone, Debug, Default)]
pub struct CatalogFacts {
    /// The stored companies the write names, by key.
    pub companies: BTreeMap<String, Company>,
    /// Keys of the stored companies the account acts for: those whose GLN,
    /// or one of whose locations' GLNs, the account holds.
    pub mine: BTreeSet<String>,
    /// The stored products the write names: GTIN-14 → owner company key.
    pub products: BTreeMap<String, Option<String>>,
    /// The stored locations the write names: GLN → owner company key.
    pub locations: BTreeMap<String, Option<String>>,
    /// The stored recalls the write names, with their declarer's role (none:
    /// unknown, treated as an authority's).
    pub recalls: BTreeMap<String, (Recall, Option<Role>)>,
}

/// Is `gtin` (GTIN-14) inside one of `prefixes` (GS1 company prefixes,
/// which start at the GTIN-14's second digit)?
pub fn inside_prefix(gtin: &str, prefixes: &[String]) -> bool {
    gtin.get(1..).is_some_and(|rest| prefixes.iter().any(|p| !p.is_empty() && rest.starts_with(p.as_str())))
}

/// Write catalog records (`PUT /v1/catalog`, the import). National
/// accounts write anything; certifiers certifications only; an enterprise
/// the records of its companies: new companies with one of its GLNs, its
/// locations, products inside its company's GS1 prefixes (or already its
/// own: an authority registered an exception), their lots, serials,
/// suppliers and recalls ([`declare_recall`]), and certifications of its
/// products and sites (shown as declared by the company). A provincial
/// authority writes recalls of its province only.
pub fn write_catalog(me: &User, c: &Catalog, facts: &CatalogFacts) -> Result<(), Denied> {
    if is_national(me) {
        return Ok(());
    }
    let only_certs = Catalog { certifications: Vec::new(), ..c.clone() }.is_empty();
    let only_recalls = Catalog { recalls: Vec::new(), ..c.clone() }.is_empty();
    match me.role {
        Role::Certifier if only_certs => return Ok(()),
        Role::Certifier => return deny("a certifier account records certifications only"),
        Role::Authority if only_recalls => {
            for r in &c.recalls {
                let stored = facts.recalls.get(&r.id).map(|(r, role)| (r, *role));
                declare_recall(me, r, stored, false)?;
            }
            return Ok(());
        }
        Role::Authority => return deny("the national authority keeps the product database"),
        Role::Enterprise => {}
        other => return deny(format!("a {other} account cannot change the product database")),
    }
    let glns: BTreeSet<&str> = me.glns.iter().map(String::as_str).collect();
    let mut mine = facts.mine.clone();
    let mut prefixes: BTreeMap<&str, &[String]> =
        facts.companies.iter().map(|(k, co)| (k.as_str(), co.prefixes.as_slice())).collect();
    for co in &c.companies {
        if !co.gln.as_deref().is_some_and(|g| glns.contains(g)) {
            return deny(format!("company {:?}: its GLN must be one of this account's", co.key));
        }
        if facts.companies.contains_key(&co.key) && !mine.contains(&co.key) {
            return deny(format!("company {:?} belongs to another account", co.key));
        }
        mine.insert(co.key.clone());
        prefixes.entry(&co.key).or_insert(&[]);
    }
    let is_mine = |key: &Option<String>| key.as_ref().is_some_and(|k| mine.contains(k));
    for l in &c.locations {
        let stored_owner = facts.locations.get(&l.gln).cloned().flatten();
        if !glns.contains(l.gln.as_str())
            || (l.company.is_some() && !is_mine(&l.company))
            || (stored_owner.is_some() && !is_mine(&stored_owner))
        {
            return deny(format!("location {}: not one of this account's GLNs", l.gln));
        }
    }
    let mut own_products: BTreeSet<String> = BTreeSet::new();
    for p in &c.products {
        let stored = facts.products.get(&p.gtin);
        if !is_mine(&p.company) || stored.is_some_and(|owner| !is_mine(owner)) {
            return deny(format!("product {}: not a product of this account's company", p.gtin));
        }
        let in_prefix =
            p.company.as_deref().and_then(|k| prefixes.get(k)).is_some_and(|ps| inside_prefix(&p.gtin, ps));
        if stored.is_none() && !in_prefix {
            return deny(format!(
                "product {}: outside the GS1 company prefixes recorded for company {:?} (the authority records them, and registers exceptions)",
                p.gtin,
                p.company.as_deref().unwrap_or("")
            ));
        }
        own_products.insert(p.gtin.clone());
    }
    let owns = |gtin: &str| own_products.contains(gtin) || facts.products.get(gtin).is_some_and(&is_mine);
    for l in &c.lots {
        if !owns(&l.gtin) {
            return deny(format!("lot {}/{}: not a product of this account's company", l.gtin, l.lot));
        }
    }
    for s in &c.serials {
        if !owns(&s.gtin) {
            return deny(format!("serial {}/{}: not a product of this account's company", s.gtin, s.serial));
        }
    }
    for s in &c.suppliers {
        if !owns(&s.gtin) {
            return deny(format!("supplier of {}: not a product of this account's company", s.gtin));
        }
    }
    for cert in &c.certifications {
        if !(glns.contains(cert.subject.as_str()) || owns(&cert.subject)) {
            return deny(format!("certification of {}: not this account's product or site", cert.subject));
        }
    }
    for r in &c.recalls {
        let stored = facts.recalls.get(&r.id).map(|(r, role)| (r, *role));
        declare_recall(me, r, stored, owns(&r.gtin) && stored.is_none_or(|(s, _)| owns(&s.gtin)))?;
    }
    Ok(())
}

/// Whether a certification `me` records counts as issued (by an
/// authority, an admin or a registered certifier) or only as declared by
/// the company.
pub fn certifies(me: &User) -> bool {
    matches!(me.role, Role::Authority | Role::Admin | Role::Certifier)
}

/// Declare or change a recall. A new id may be proposed by anyone who may
/// recall the product; an existing one belongs to its declarer: an
/// enterprise's recall is changed by that company or an authority, an
/// authority's only by an authority (provincial: of its province) or an
/// admin. An enterprise recalls its own products (`owns_product`: the new
/// and the stored one); a provincial authority recalls in its province.
pub fn declare_recall(
    me: &User,
    recall: &Recall,
    stored: Option<(&Recall, Option<Role>)>,
    owns_product: bool,
) -> Result<(), Denied> {
    let by_authority =
        |s: &(&Recall, Option<Role>)| !matches!(s.1, Some(Role::Enterprise | Role::Farmer | Role::Partner));
    match oversight(me) {
        Some(Area::Country) if matches!(me.role, Role::Admin | Role::Authority) => return Ok(()),
        Some(Area::Province(own)) if me.role == Role::Authority => {
            if recall.province.as_deref() != Some(own.as_str()) {
                return deny(format!("an authority of province {own} declares recalls of its province"));
            }
            if let Some((s, _)) = stored
                && s.province.as_deref() != Some(own.as_str())
            {
                return deny(format!("recall {} is not a recall of province {own}", s.id));
            }
            return Ok(());
        }
        _ => {}
    }
    if me.role != Role::Enterprise {
        return deny(format!("a {} account cannot declare recalls", me.role));
    }
    if let Some(s) = stored
        && by_authority(&s)
    {
        return deny(format!(
            "recall {} was declared by an authority: only an authority changes it",
            recall.id
        ));
    }
    if !owns_product {
        return deny(match stored {
            Some(_) => format!("recall {} belongs to another company", recall.id),
            None => format!("recall {}: not a product of this account's company", recall.id),
        });
    }
    Ok(())
}

/// Revoke a code (a forged or withdrawn GTIN, lot or serial): the whole
/// country sees it, so national accounts.
pub fn revoke_code(me: &User) -> Result<(), Denied> {
    if is_national(me) { Ok(()) } else { deny(format!("a {} account cannot revoke codes", me.role)) }
}

/// Follow where a lot went (sites, devices): inspectors, authorities, admins.
pub fn trace_reach(me: &User) -> Result<(), Denied> {
    match me.role {
        Role::Inspector | Role::Authority | Role::Admin => Ok(()),
        other => deny(format!("a {other} account cannot trace a lot's reach")),
    }
}

/// The recall pack of a province (none: nationwide recalls only), within
/// the account's area.
pub fn fetch_recall_pack(me: &User, asked: Option<&str>) -> Result<Option<String>, Denied> {
    within(me, asked, "the recall pack")
}

/// Which recalls the portal lists for an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecallList {
    All,
    /// Those of the products of its companies.
    OwnProducts,
}

/// The portal's recall page: enterprises, authorities and admins (who may
/// declare), each with its list.
pub fn list_recalls(me: &User) -> Result<RecallList, Denied> {
    match me.role {
        Role::Enterprise => Ok(RecallList::OwnProducts),
        Role::Authority | Role::Admin => Ok(RecallList::All),
        other => deny(format!("a {other} account cannot declare recalls")),
    }
}

/// The portal's product pages and import: accounts that may write some
/// catalog records.
pub fn manage_catalog(me: &User) -> Result<(), Denied> {
    match me.role {
        Role::Enterprise | Role::Certifier => Ok(()),
        _ if is_national(me) => Ok(()),
        other => deny(format!("a {other} account has no product pages")),
    }
}

/// The registered companies of a province (none: all), within the area of
/// an authority or admin.
pub fn list_companies(me: &User, asked: Option<&str>) -> Result<Option<String>, Denied> {
    match me.role {
        Role::Authority | Role::Admin => within(me, asked, "the companies"),
        other => deny(format!("a {other} account cannot list companies")),
    }
}

// ---------------------------------------------------------------------------
// Complaints, statistics, inspections

/// A complaint queue: the asked province within the account's area (none:
/// every province, for national accounts).
pub fn see_complaints(me: &User, asked: Option<&str>) -> Result<Option<String>, Denied> {
    within(me, asked, "the complaints")
}

/// Handle (read in full, move on) a complaint filed in `province`.
pub fn handle_complaint(me: &User, province: &str) -> Result<(), Denied> {
    if covers(me, province) {
        Ok(())
    } else {
        deny(format!("a {} account cannot handle complaints of province {province}", me.role))
    }
}

/// A complaint's photo: its sender, and those who handle a complaint that
/// names it (`provinces`: theirs).
pub fn see_photo(me: &User, uploaded_by: Option<i64>, provinces: &[String]) -> bool {
    uploaded_by == Some(me.id) || me.role == Role::Admin || provinces.iter().any(|p| covers(me, p))
}

/// Statistics of a province (none: the whole country), within the area.
pub fn see_statistics(me: &User, asked: Option<&str>) -> Result<Option<String>, Denied> {
    within(me, asked, "statistics")
}

/// The inspections at places of a province (none: all), within the area.
pub fn see_inspections(me: &User, asked: Option<&str>) -> Result<Option<String>, Denied> {
    within(me, asked, "inspections")
}

#[cfg(test)]
mod tests {
    //! The rights table: (account, action and its scope) → allowed or not.
    //! One row per case; the red-team findings each have theirs.

    use truyxuat_core::journal::{
        ComplaintReport, FarmDiary, Harvest, Inspection, InspectionResult, LotRef, Scan, Transfer,
        Transformation,
    };

    use super::*;
    use crate::domain::catalog::{Certification, Location, Lot, Product, Serial, Supplier};

    const COFFEE: &str = "08936120100110";
    const GREEN: &str = "08936120900017";
    const PEPPER: &str = "08936782100121";
    const NOBODYS: &str = "08999999000018";
    const FARM: &str = "8936120000014";
    const FACTORY: &str = "8936120000106";
    const PEPPER_FARM: &str = "8936782000018";
    const PHUSA: &str = "8936347000101";

    fn account(name: &str) -> User {
        let (role, province, glns): (Role, Option<&str>, &[&str]) = match name {
            "admin" => (Role::Admin, None, &[]),
            "authority" => (Role::Authority, None, &[]),
            "authority_hn" => (Role::Authority, Some("01"), &[]),
            "inspector" => (Role::Inspector, Some("01"), &[]),
            "farmer" => (Role::Farmer, Some("66"), &[FARM]),
            "farmer2" => (Role::Farmer, Some("52"), &[PEPPER_FARM]),
            "enterprise" => (Role::Enterprise, Some("66"), &[FACTORY]),
            "ent_phusa" => (Role::Enterprise, Some("82"), &[PHUSA]),
            "partner" => (Role::Partner, None, &[FACTORY]),
            "certifier" => (Role::Certifier, None, &[]),
            "consumer" => (Role::Consumer, None, &[]),
            other => panic!("no account {other}"),
        };
        User {
            id: name.len() as i64,
            username: name.into(),
            password_hash: String::new(),
            role,
            province: province.map(str::to_owned),
            glns: glns.iter().map(|g| g.to_string()).collect(),
            disabled: false,
        }
    }

    /// Coffee products and their producers: Cao Nguyên (farm and factory).
    fn producers() -> ProducerFacts {
        let own =
            |glns: &[&str]| Producers { owned: true, glns: glns.iter().map(|g| g.to_string()).collect() };
        [(COFFEE, own(&[FARM, FACTORY])), (GREEN, own(&[FARM, FACTORY])), (PEPPER, own(&[PEPPER_FARM]))]
            .into_iter()
            .map(|(g, p)| (g.to_owned(), p))
            .chain([(NOBODYS.to_owned(), Producers::default())])
            .collect()
    }

    fn company(key: &str, gln: &str, prefix: &str) -> Company {
        Company {
            key: key.into(),
            name: key.into(),
            tax_code: None,
            gln: Some(gln.into()),
            province: Some("66".into()),
            address: None,
            phone: None,
            email: None,
            website: None,
            prefixes: vec![prefix.into()],
        }
    }

    fn recall(id: &str, gtin: &str, province: Option<&str>) -> Recall {
        Recall {
            id: id.into(),
            gtin: gtin.into(),
            lots: vec!["L1".into()],
            reason_vi: "lý do".into(),
            reason_en: None,
            severity: "high".into(),
            declared_by: None,
            declared_at: String::new(),
            province: province.map(str::to_owned),
        }
    }

    /// What is stored: Cao Nguyên (its product and recall R-ENT) and an
    /// authority's recall R-AUTH of its product; the account acts for
    /// Cao Nguyên when it holds one of its GLNs.
    fn facts(me: &User) -> CatalogFacts {
        let caonguyen = company("caonguyen", "8936120000007", "8936120");
        let mut f = CatalogFacts::default();
        if me.glns.iter().any(|g| g == FACTORY) {
            f.mine.insert("caonguyen".into());
        }
        f.companies.insert("caonguyen".into(), caonguyen);
        f.products.insert(COFFEE.into(), Some("caonguyen".into()));
        f.products.insert(PEPPER.into(), Some("datdo".into()));
        f.recalls.insert("R-AUTH".into(), (recall("R-AUTH", COFFEE, None), Some(Role::Authority)));
        f.recalls.insert("R-ENT".into(), (recall("R-ENT", COFFEE, None), Some(Role::Enterprise)));
        f.recalls.insert("R-HN".into(), (recall("R-HN", COFFEE, Some("01")), Some(Role::Authority)));
        f
    }

    fn harvest(gtin: Option<&str>, gln: Option<&str>) -> EventBody {
        EventBody::Harvest(Harvest {
            product: "Cà phê".into(),
            gtin: gtin.map(str::to_owned),
            lot: "RX-1".into(),
            quantity: 10.0,
            unit: "kg".into(),
            harvest_date: "2026-11-20".into(),
            gln: gln.map(str::to_owned),
            location: None,
            certification: None,
            photos: Vec::new(),
        })
    }

    fn transfer(from: Option<&str>, to: Option<&str>) -> Transfer {
        Transfer {
            gtin: COFFEE.into(),
            lot: Some("RX-1".into()),
            quantity: 1.0,
            unit: "box".into(),
            from_gln: from.map(str::to_owned),
            to_gln: to.map(str::to_owned),
        }
    }

    fn transformation(output: &str, gln: &str) -> EventBody {
        let lot = |g: &str| LotRef { gtin: g.into(), lot: Some("L".into()), quantity: None, unit: None };
        EventBody::Transformation(Transformation {
            inputs: vec![lot(PEPPER)],
            outputs: vec![lot(output)],
            gln: Some(gln.into()),
            process: None,
            date: "2026-11-21".into(),
        })
    }

    fn inspection() -> EventBody {
        EventBody::Inspection(Inspection {
            code: format!("(01){COFFEE}(10)RX-1"),
            market_gln: None,
            location: None,
            result: InspectionResult::NonConformant,
            reasons: Vec::new(),
            sample_taken: false,
            notes: None,
            photos: Vec::new(),
        })
    }

    fn catalog_with(f: impl FnOnce(&mut Catalog)) -> Catalog {
        let mut c = Catalog::default();
        f(&mut c);
        c
    }

    fn product(gtin: &str, company: &str) -> Product {
        Product {
            gtin: gtin.into(),
            company: Some(company.into()),
            name_vi: "x".into(),
            name_en: None,
            brand: None,
            category: None,
            origin_province: None,
            description_vi: None,
            description_en: None,
            image: None,
        }
    }

    fn cert(subject: &str) -> Certification {
        Certification {
            subject: subject.into(),
            scheme: "VietGAP".into(),
            issuer: None,
            number: Some("1".into()),
            valid_from: None,
            valid_to: None,
            source: Default::default(),
        }
    }

    /// One right asked, with its scope.
    enum Act {
        Record(EventBody),
        WriteCatalog(Catalog),
        DeclareRecall(Recall),
        SeeStatistics(Option<&'static str>),
        SeeComplaints(Option<&'static str>),
        HandleComplaint(&'static str),
        SeeInspections(Option<&'static str>),
        ListCompanies(Option<&'static str>),
        RecallPack(Option<&'static str>),
        DecideEvent(&'static [Option<&'static str>]),
        ReadEvents,
        ReadEpcis,
        CaptureEpcis(&'static [&'static str]),
        Revoke,
        Reach,
        CreateAccount,
        ManageCatalog,
        ListRecalls,
        Photo(Option<i64>, &'static [&'static str]),
        UseDevice(Option<i64>),
    }

    /// Allowed (with the province the request then covers, or what is
    /// read), or denied.
    fn check(who: &str, act: &Act) -> Result<String, ()> {
        let me = account(who);
        let scope = |r: Result<Option<String>, Denied>| {
            r.map(|p| p.unwrap_or_else(|| "country".into())).map_err(drop)
        };
        let unit = |r: Result<(), Denied>| r.map(|()| String::new()).map_err(drop);
        let reading = |r: Reading| Ok(format!("{r:?}"));
        match act {
            Act::Record(body) => unit(record(&me, body, &producers())),
            Act::WriteCatalog(c) => unit(write_catalog(&me, c, &facts(&me))),
            Act::DeclareRecall(r) => {
                let f = facts(&me);
                let stored = f.recalls.get(&r.id).map(|(r, role)| (r, *role));
                let owns = f.mine.contains("caonguyen") && r.gtin == COFFEE;
                unit(declare_recall(&me, r, stored, owns))
            }
            Act::SeeStatistics(p) => scope(see_statistics(&me, *p)),
            Act::SeeComplaints(p) => scope(see_complaints(&me, *p)),
            Act::HandleComplaint(p) => unit(handle_complaint(&me, p)),
            Act::SeeInspections(p) => scope(see_inspections(&me, *p)),
            Act::ListCompanies(p) => scope(list_companies(&me, *p)),
            Act::RecallPack(p) => scope(fetch_recall_pack(&me, *p)),
            Act::DecideEvent(places) => {
                let places: Vec<Option<String>> = places.iter().map(|p| p.map(str::to_owned)).collect();
                unit(decide_event(&me, &places))
            }
            Act::ReadEvents => reading(read_events(&me)),
            Act::ReadEpcis => reading(read_epcis(&me)),
            Act::CaptureEpcis(places) => {
                let places: Vec<String> = places.iter().map(|p| p.to_string()).collect();
                unit(capture_epcis(&me).and_then(|()| capture_at(&me, &places)))
            }
            Act::Revoke => unit(revoke_code(&me)),
            Act::Reach => unit(trace_reach(&me)),
            Act::CreateAccount => unit(create_account(&me)),
            Act::ManageCatalog => unit(manage_catalog(&me)),
            Act::ListRecalls => list_recalls(&me).map(|l| format!("{l:?}")).map_err(drop),
            Act::Photo(by, provinces) => {
                let provinces: Vec<String> = provinces.iter().map(|p| p.to_string()).collect();
                if see_photo(&me, *by, &provinces) { Ok(String::new()) } else { Err(()) }
            }
            Act::UseDevice(owner) => unit(use_device(&me, "d1", *owner)),
        }
    }

    const OK: Result<&str, ()> = Ok("");
    const NO: Result<&str, ()> = Err(());

    #[test]
    fn rights_table() {
        let scan = EventBody::Scan(Scan {
            raw_text: COFFEE.into(),
            symbology_id: None,
            element_string: None,
            location: None,
            answer_shown: None,
        });
        let complaint = EventBody::Complaint(ComplaintReport {
            code: COFFEE.into(),
            category: "other".into(),
            description: "mô tả".into(),
            province: "01".into(),
            contact: None,
            photos: Vec::new(),
        });
        let diary = EventBody::FarmDiary(FarmDiary {
            input_name: "phân".into(),
            dose: "2 kg".into(),
            applied_on: "2026-11-01".into(),
            pre_harvest_interval_days: None,
            gln: Some(FARM.into()),
            lot: None,
            photos: Vec::new(),
        });
        let a_lot = |gtin: &str| Lot {
            gtin: gtin.into(),
            lot: "L1".into(),
            production_date: None,
            expiry: None,
            quantity: None,
            unit: None,
            origin_gln: None,
        };
        let cases: Vec<(&str, Act, Result<&str, ()>)> = vec![
            // Steps: by role and place.
            ("consumer", Act::Record(scan.clone()), OK),
            ("consumer", Act::Record(complaint.clone()), OK),
            ("certifier", Act::Record(scan), OK),
            ("consumer", Act::Record(harvest(None, None)), NO),
            ("farmer", Act::Record(harvest(Some(GREEN), Some(FARM))), OK),
            ("farmer", Act::Record(harvest(None, Some(FARM))), OK),
            ("farmer", Act::Record(harvest(Some(GREEN), None)), NO),
            ("farmer", Act::Record(harvest(Some(GREEN), Some(PEPPER_FARM))), NO),
            ("farmer", Act::Record(diary.clone()), OK),
            ("farmer2", Act::Record(diary), NO),
            ("farmer", Act::Record(EventBody::Shipping(transfer(Some(FARM), Some(FACTORY)))), OK),
            ("farmer", Act::Record(EventBody::Receiving(transfer(Some(FARM), Some(FARM)))), NO),
            ("enterprise", Act::Record(EventBody::Receiving(transfer(Some(FARM), Some(FACTORY)))), OK),
            ("enterprise", Act::Record(EventBody::Receiving(transfer(Some(FACTORY), Some(PHUSA)))), NO),
            ("enterprise", Act::Record(transformation(COFFEE, FACTORY)), OK),
            // Red team: another company's lot story is not one's own to write.
            ("farmer2", Act::Record(harvest(Some(COFFEE), Some(PEPPER_FARM))), NO),
            ("ent_phusa", Act::Record(transformation(COFFEE, PHUSA)), NO),
            ("ent_phusa", Act::Record(transformation(NOBODYS, PHUSA)), OK),
            ("farmer2", Act::Record(harvest(Some(PEPPER), Some(PEPPER_FARM))), OK),
            ("partner", Act::Record(transformation(COFFEE, FACTORY)), OK),
            ("partner", Act::Record(transformation(COFFEE, PHUSA)), NO),
            ("authority", Act::Record(harvest(Some(COFFEE), None)), OK),
            ("admin", Act::Record(transformation(COFFEE, PHUSA)), OK),
            // Red team: inspections come from inspectors, authorities and admins, whatever the face.
            ("inspector", Act::Record(inspection()), OK),
            ("authority_hn", Act::Record(inspection()), OK),
            ("enterprise", Act::Record(inspection()), NO),
            ("partner", Act::Record(inspection()), NO),
            ("farmer", Act::Record(inspection()), NO),
            // The product database.
            (
                "enterprise",
                Act::WriteCatalog(catalog_with(|c| c.products.push(product("08936120999995", "caonguyen")))),
                OK,
            ),
            (
                "enterprise",
                Act::WriteCatalog(catalog_with(|c| c.products.push(product(COFFEE, "caonguyen")))),
                OK,
            ),
            // Red team: GTIN squatting outside one's own company prefix.
            (
                "ent_phusa",
                Act::WriteCatalog(catalog_with(|c| c.products.push(product("08936120999995", "caonguyen")))),
                NO,
            ),
            (
                "enterprise",
                Act::WriteCatalog(catalog_with(|c| c.products.push(product("08936347999994", "caonguyen")))),
                NO,
            ),
            (
                "authority",
                Act::WriteCatalog(catalog_with(|c| c.products.push(product("08936347999994", "caonguyen")))),
                OK,
            ),
            (
                "authority_hn",
                Act::WriteCatalog(catalog_with(|c| c.products.push(product(COFFEE, "caonguyen")))),
                NO,
            ),
            ("enterprise", Act::WriteCatalog(catalog_with(|c| c.lots.push(a_lot(COFFEE)))), OK),
            ("enterprise", Act::WriteCatalog(catalog_with(|c| c.lots.push(a_lot(PEPPER)))), NO),
            (
                "enterprise",
                Act::WriteCatalog(catalog_with(|c| {
                    c.serials.push(Serial { gtin: PEPPER.into(), serial: "S".into(), lot: None })
                })),
                NO,
            ),
            (
                "enterprise",
                Act::WriteCatalog(catalog_with(|c| {
                    c.suppliers.push(Supplier { gtin: COFFEE.into(), gln: PEPPER_FARM.into() })
                })),
                OK,
            ),
            (
                "ent_phusa",
                Act::WriteCatalog(catalog_with(|c| {
                    c.suppliers.push(Supplier { gtin: COFFEE.into(), gln: PHUSA.into() })
                })),
                NO,
            ),
            ("enterprise", Act::WriteCatalog(catalog_with(|c| c.certifications.push(cert(FACTORY)))), OK),
            ("enterprise", Act::WriteCatalog(catalog_with(|c| c.certifications.push(cert(PHUSA)))), NO),
            ("certifier", Act::WriteCatalog(catalog_with(|c| c.certifications.push(cert(PHUSA)))), OK),
            ("certifier", Act::WriteCatalog(catalog_with(|c| c.lots.push(a_lot(COFFEE)))), NO),
            ("farmer", Act::WriteCatalog(catalog_with(|c| c.lots.push(a_lot(COFFEE)))), NO),
            (
                "enterprise",
                Act::WriteCatalog(catalog_with(|c| {
                    c.locations.push(Location {
                        gln: PHUSA.into(),
                        company: Some("caonguyen".into()),
                        kind: "shop".into(),
                        name: "x".into(),
                        address: None,
                        province: None,
                        lat: None,
                        lon: None,
                    })
                })),
                NO,
            ),
            (
                "enterprise",
                Act::WriteCatalog(catalog_with(|c| {
                    c.companies.push(company("caonguyen", FACTORY, "8936120"))
                })),
                OK,
            ),
            (
                "ent_phusa",
                Act::WriteCatalog(catalog_with(|c| c.companies.push(company("caonguyen", PHUSA, "8936120")))),
                NO,
            ),
            // Recalls: an existing id belongs to its declarer.
            ("enterprise", Act::DeclareRecall(recall("R-NEW", COFFEE, None)), OK),
            ("enterprise", Act::DeclareRecall(recall("R-ENT", COFFEE, None)), OK),
            ("enterprise", Act::DeclareRecall(recall("R-AUTH", COFFEE, None)), NO),
            (
                "enterprise",
                Act::WriteCatalog(catalog_with(|c| c.recalls.push(recall("R-AUTH", COFFEE, None)))),
                NO,
            ),
            ("ent_phusa", Act::DeclareRecall(recall("R-ENT", COFFEE, None)), NO),
            ("ent_phusa", Act::DeclareRecall(recall("R-NEW", COFFEE, None)), NO),
            ("authority", Act::DeclareRecall(recall("R-ENT", COFFEE, None)), OK),
            ("authority", Act::DeclareRecall(recall("R-AUTH", COFFEE, None)), OK),
            ("authority_hn", Act::DeclareRecall(recall("R-NEW", COFFEE, Some("01"))), OK),
            ("authority_hn", Act::DeclareRecall(recall("R-NEW", COFFEE, None)), NO),
            ("authority_hn", Act::DeclareRecall(recall("R-HN", COFFEE, Some("01"))), OK),
            ("authority_hn", Act::DeclareRecall(recall("R-AUTH", COFFEE, Some("01"))), NO),
            (
                "authority_hn",
                Act::WriteCatalog(catalog_with(|c| c.recalls.push(recall("R-NEW", COFFEE, Some("01"))))),
                OK,
            ),
            ("inspector", Act::DeclareRecall(recall("R-NEW", COFFEE, Some("01"))), NO),
            ("admin", Act::DeclareRecall(recall("R-AUTH", COFFEE, None)), OK),
            // Areas: national and provincial.
            ("authority", Act::SeeStatistics(None), Ok("country")),
            ("authority", Act::SeeStatistics(Some("79")), Ok("79")),
            ("admin", Act::SeeStatistics(Some("79")), Ok("79")),
            ("authority_hn", Act::SeeStatistics(None), Ok("01")),
            ("authority_hn", Act::SeeStatistics(Some("79")), NO),
            ("inspector", Act::SeeStatistics(None), Ok("01")),
            ("inspector", Act::SeeStatistics(Some("01")), Ok("01")),
            ("inspector", Act::SeeStatistics(Some("79")), NO),
            ("enterprise", Act::SeeStatistics(None), NO),
            ("authority", Act::SeeComplaints(None), Ok("country")),
            ("authority", Act::SeeComplaints(Some("79")), Ok("79")),
            ("authority_hn", Act::SeeComplaints(Some("19")), NO),
            ("inspector", Act::SeeComplaints(None), Ok("01")),
            ("farmer", Act::SeeComplaints(None), NO),
            ("authority", Act::HandleComplaint("79"), OK),
            ("authority_hn", Act::HandleComplaint("01"), OK),
            ("authority_hn", Act::HandleComplaint("79"), NO),
            ("inspector", Act::HandleComplaint("79"), NO),
            ("enterprise", Act::HandleComplaint("66"), NO),
            ("authority", Act::SeeInspections(Some("79")), Ok("79")),
            ("authority_hn", Act::SeeInspections(None), Ok("01")),
            ("inspector", Act::SeeInspections(Some("79")), NO),
            ("consumer", Act::SeeInspections(None), NO),
            ("authority", Act::ListCompanies(None), Ok("country")),
            ("authority_hn", Act::ListCompanies(Some("79")), NO),
            ("authority_hn", Act::ListCompanies(None), Ok("01")),
            ("inspector", Act::ListCompanies(None), NO),
            ("inspector", Act::RecallPack(None), Ok("01")),
            ("inspector", Act::RecallPack(Some("79")), NO),
            ("authority", Act::RecallPack(Some("79")), Ok("79")),
            ("authority", Act::RecallPack(None), Ok("country")),
            ("farmer", Act::RecallPack(None), NO),
            // Red team: one answer per scope, whatever the route.
            ("authority", Act::DecideEvent(&[Some("79")]), OK),
            ("authority_hn", Act::DecideEvent(&[Some("01")]), OK),
            ("authority_hn", Act::DecideEvent(&[Some("79")]), NO),
            ("authority_hn", Act::DecideEvent(&[Some("01"), Some("79")]), NO),
            ("authority_hn", Act::DecideEvent(&[None]), NO),
            ("authority_hn", Act::DecideEvent(&[]), NO),
            ("inspector", Act::DecideEvent(&[Some("01")]), NO),
            ("admin", Act::DecideEvent(&[]), OK),
            ("authority", Act::ReadEvents, Ok("Everything")),
            ("admin", Act::ReadEvents, Ok("Everything")),
            ("authority_hn", Act::ReadEvents, Ok("Own")),
            ("inspector", Act::ReadEvents, Ok("Own")),
            ("inspector", Act::ReadEpcis, Ok("Own")),
            ("partner", Act::ReadEpcis, Ok("Own")),
            ("authority", Act::ReadEpcis, Ok("Everything")),
            ("authority_hn", Act::ReadEpcis, Ok("Own")),
            ("partner", Act::CaptureEpcis(&[]), OK),
            ("enterprise", Act::CaptureEpcis(&[FACTORY]), OK),
            ("enterprise", Act::CaptureEpcis(&[FACTORY, PHUSA]), NO),
            ("enterprise", Act::CaptureEpcis(&[]), NO),
            ("consumer", Act::CaptureEpcis(&[]), NO),
            ("inspector", Act::CaptureEpcis(&[]), NO),
            ("authority", Act::Revoke, OK),
            ("admin", Act::Revoke, OK),
            ("authority_hn", Act::Revoke, NO),
            ("enterprise", Act::Revoke, NO),
            ("inspector", Act::Reach, OK),
            ("authority_hn", Act::Reach, OK),
            ("enterprise", Act::Reach, NO),
            ("admin", Act::CreateAccount, OK),
            ("authority", Act::CreateAccount, NO),
            ("enterprise", Act::ManageCatalog, OK),
            ("certifier", Act::ManageCatalog, OK),
            ("authority", Act::ManageCatalog, OK),
            ("authority_hn", Act::ManageCatalog, NO),
            ("inspector", Act::ManageCatalog, NO),
            ("enterprise", Act::ListRecalls, Ok("OwnProducts")),
            ("authority_hn", Act::ListRecalls, Ok("All")),
            ("farmer", Act::ListRecalls, NO),
            ("consumer", Act::Photo(Some(8), &["01"]), OK),
            ("consumer", Act::Photo(Some(1), &["01"]), NO),
            ("inspector", Act::Photo(None, &["01"]), OK),
            ("inspector", Act::Photo(None, &["79"]), NO),
            ("authority", Act::Photo(None, &["79"]), OK),
            ("farmer", Act::UseDevice(Some(6)), OK),
            ("farmer", Act::UseDevice(Some(7)), NO),
            ("farmer", Act::UseDevice(None), NO),
        ];
        let mut wrong = Vec::new();
        for (i, (who, act, want)) in cases.iter().enumerate() {
            let got = check(who, act);
            if got.as_deref().map_err(|_| ()) != *want {
                wrong.push(format!("case {i}: {who}: got {got:?}, want {want:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn prefixes_start_after_the_indicator_digit() {
        let p = vec!["8936120".to_owned()];
        assert!(inside_prefix("08936120100110", &p));
        assert!(inside_prefix("18936120100117", &p), "a case of the same item");
        assert!(!inside_prefix("08936121000010", &p));
        assert!(!inside_prefix("0", &p));
        assert!(!inside_prefix("08936120100110", &[String::new()]), "an empty prefix covers nothing");
    }
}
