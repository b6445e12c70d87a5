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

/// Disable or enable an account (which ends its tokens): admins, and not
/// their own (an admin cannot lock the portal out by mistake).
pub fn disable_account(me: &User, target: &User) -> Result<(), Denied> {
    match me.role {
        Role::Admin if me.id == target.id => deny("an admin cannot disable their own account"),
        Role::Admin => Ok(()),
        other => deny(format!("a {other} account cannot disable accounts")),
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
/// place is unknown; `None`: there is no such event, which only those who
/// may decide on events learn).
pub fn decide_event(me: &User, provinces: Option<&[Option<String>]>) -> Result<(), Denied> {
    match (me.role, oversight(me), provinces) {
        (Role::Admin | Role::Authority, Some(Area::Country), _) | (Role::Authority, _, None) => Ok(()),
        (Role::Authority, Some(Area::Province(own)), Some(provinces)) => {
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

/// Correct a stored event (an EPCIS errorDeclaration retracting it):
/// whoever recorded it (captured it, or pushed it from a phone) and the
/// national accounts; nobody else may take a fact out of another's story.
pub fn correct_event(me: &User, recorded_by: i64) -> Result<(), Denied> {
    if recorded_by == me.id || is_national(me) {
        Ok(())
    } else {
        deny("the event it corrects was recorded by another account")
    }
}

/// Capture an event under an eventID that stored events already carry
/// (`holders`: the accounts of those that are not this same event): only
/// when they are all this account's (GS1's own examples give one ID to
/// several events); another's ID would pass for its event.
pub fn claim_event_id(me: &User, holders: &[i64]) -> Result<(), Denied> {
    if holders.iter().all(|h| *h == me.id) {
        Ok(())
    } else {
        deny("another account's event already has this eventID")
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
    /// The stored certifications the write would replace that were issued
    /// (by an authority or a certifier): (subject, scheme, number).
    pub issued: BTreeSet<(String, String, Option<String>)>,
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
        let stored = facts.companies.get(&co.key);
        if stored.is_some() && !mine.contains(&co.key) {
            return deny(format!("company {:?} belongs to another account", co.key));
        }
        // A new company, or a new GLN for one's own: one of the account's GLNs.
        let kept = stored.is_some_and(|s| s.gln == co.gln);
        if !kept && !co.gln.as_deref().is_some_and(|g| glns.contains(g)) {
            return deny(format!("company {:?}: its GLN must be one of this account's", co.key));
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
        if facts.issued.contains(&(cert.subject.clone(), cert.scheme.clone(), cert.number.clone())) {
            return deny(format!(
                "certification {} {} of {} was issued by a certifier: only a certifier or an authority changes it",
                cert.scheme,
                cert.number.as_deref().unwrap_or(""),
                cert.subject
            ));
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

/// The province of a recall `me` declares: the one asked (none: the whole
/// country), or a provincial authority's own when it asks none.
pub fn recall_province(me: &User, asked: Option<&str>) -> Option<String> {
    match (asked.filter(|p| !p.is_empty()), me.role, oversight(me)) {
        (None, Role::Authority, Some(Area::Province(own))) => Some(own),
        (asked, _, _) => asked.map(str::to_owned),
    }
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

/// Name a photo in a complaint (which shows it to the complaint's
/// handlers): only its sender; a photo sent anonymously, only an anonymous
/// filing. Naming another's photo would hand it to whoever handles the
/// complaint. (`filer`, `uploaded_by`: account ids, none for anonymous.)
pub fn attach_photo(filer: Option<i64>, uploaded_by: Option<i64>) -> bool {
    filer == uploaded_by
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
mod tests;
