//! The product database's records (companies, locations, products,
//! certifications, lots, serials, recalls) as the API, the importer and the
//! demo data exchange them, and the rules on their content.
//!
//! Invariant: no I/O here; the store keeps these records, `provenance`
//! reads them.

pub use truyxuat_core::provinces;

use serde::{Deserialize, Serialize};
use truyxuat_core::gs1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Company {
    /// A short stable handle, e.g. `caonguyen`.
    pub key: String,
    pub name: String,
    pub tax_code: Option<String>,
    pub gln: Option<String>,
    pub province: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// Its GS1 company prefixes (4 to 12 digits), which the authority
    /// records: its enterprise accounts register GTINs inside them only.
    #[serde(default)]
    pub prefixes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Location {
    pub gln: String,
    /// The owning company's key.
    pub company: Option<String>,
    /// farm, plot, factory, warehouse, market or shop.
    pub kind: String,
    pub name: String,
    pub address: Option<String>,
    pub province: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Product {
    /// GTIN-14 (8, 12 and 13 digits are accepted and padded).
    pub gtin: String,
    pub company: Option<String>,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub brand: Option<String>,
    pub category: Option<String>,
    pub origin_province: Option<String>,
    pub description_vi: Option<String>,
    pub description_en: Option<String>,
    pub image: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Certification {
    /// The GTIN-14 or GLN certified.
    pub subject: String,
    /// VietGAP, GlobalGAP, Organic, HACCP, ISO 22000, OCOP …
    pub scheme: String,
    pub issuer: Option<String>,
    pub number: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// Who stands behind it; set by the server from the account that
    /// recorded it.
    #[serde(default)]
    pub source: CertSource,
}

/// Who recorded a certification.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertSource {
    /// An authority, an admin or a registered certification body: shown as
    /// issued (valid or expired by its dates).
    Authority,
    /// The company itself: shown as "declared by the company".
    #[default]
    Company,
}

impl CertSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CertSource::Authority => "authority",
            CertSource::Company => "company",
        }
    }
}

/// A supplier (a farm, a co-packer) a company registered for one of its
/// products: it may produce (harvest, make) the product's lots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Supplier {
    pub gtin: String,
    /// The supplier's site.
    pub gln: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Lot {
    pub gtin: String,
    pub lot: String,
    pub production_date: Option<String>,
    pub expiry: Option<String>,
    pub quantity: Option<f64>,
    pub unit: Option<String>,
    pub origin_gln: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Serial {
    pub gtin: String,
    pub serial: String,
    pub lot: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Recall {
    pub id: String,
    pub gtin: String,
    pub lots: Vec<String>,
    pub reason_vi: String,
    pub reason_en: Option<String>,
    /// high, medium or low.
    pub severity: String,
    pub declared_by: Option<String>,
    /// RFC 3339.
    pub declared_at: String,
    /// Province code when the recall is local; none for the whole country.
    pub province: Option<String>,
}

/// A set of catalog records stored together, all or nothing (an import, a
/// demo load, one API write).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Catalog {
    pub companies: Vec<Company>,
    pub locations: Vec<Location>,
    pub products: Vec<Product>,
    pub certifications: Vec<Certification>,
    pub lots: Vec<Lot>,
    pub serials: Vec<Serial>,
    pub suppliers: Vec<Supplier>,
    pub recalls: Vec<Recall>,
}

impl Catalog {
    /// Check every record (padding GTINs); the errors name the record.
    pub fn normalise(self) -> Result<Catalog, Vec<String>> {
        let mut errors = Vec::new();
        let mut keep = |what: &str, i: usize, r: Result<(), Invalid>| {
            if let Err(e) = r {
                errors.push(format!("{what} {}: {e}", i + 1));
            }
        };
        for (i, c) in self.companies.iter().enumerate() {
            keep("company", i, c.check());
        }
        for (i, l) in self.locations.iter().enumerate() {
            keep("location", i, l.check());
        }
        for (i, c) in self.certifications.iter().enumerate() {
            keep("certification", i, c.check());
        }
        let mut out = Catalog {
            companies: self.companies,
            locations: self.locations,
            certifications: self.certifications,
            ..Catalog::default()
        };
        for (i, p) in self.products.into_iter().enumerate() {
            match p.normalise() {
                Ok(p) => out.products.push(p),
                Err(e) => keep("product", i, Err(e)),
            }
        }
        for (i, l) in self.lots.into_iter().enumerate() {
            match l.normalise() {
                Ok(l) => out.lots.push(l),
                Err(e) => keep("lot", i, Err(e)),
            }
        }
        for (i, s) in self.serials.into_iter().enumerate() {
            match s.normalise() {
                Ok(s) => out.serials.push(s),
                Err(e) => keep("serial", i, Err(e)),
            }
        }
        for (i, s) in self.suppliers.into_iter().enumerate() {
            match s.normalise() {
                Ok(s) => out.suppliers.push(s),
                Err(e) => keep("supplier", i, Err(e)),
            }
        }
        for (i, r) in self.recalls.into_iter().enumerate() {
            match r.normalise() {
                Ok(r) => out.recalls.push(r),
                Err(e) => keep("recall", i, Err(e)),
            }
        }
        if errors.is_empty() { Ok(out) } else { Err(errors) }
    }

    pub fn len(&self) -> usize {
        self.companies.len()
            + self.locations.len()
            + self.products.len()
            + self.certifications.len()
            + self.lots.len()
            + self.serials.len()
            + self.suppliers.len()
            + self.recalls.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How a stored event concerns a product lot or serial.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceRole {
    /// The event is about it (harvested, shipped, received, inspected, scanned).
    Subject,
    /// It went into a transformation.
    Input,
    /// It came out of a transformation.
    Output,
}

impl TraceRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TraceRole::Subject => "subject",
            TraceRole::Input => "input",
            TraceRole::Output => "output",
        }
    }
}

/// One index entry an accepted event gets: a product (and lot or serial)
/// it concerns, or a site (GLN) where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceKey {
    Item { gtin: String, lot: String, serial: String, role: TraceRole },
    Site { gln: String },
}

/// Lowercase, without diacritics: "Cà phê Đắk Lắk" → "ca phe dak lak".
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// A GTIN of 8, 12, 13 or 14 digits with a valid check digit, as GTIN-14.
pub fn gtin14(gtin: &str) -> Option<String> {
    let ok = matches!(gtin.len(), 8 | 12 | 13 | 14) && gs1::has_valid_check_digit(gtin);
    ok.then(|| format!("{gtin:0>14}"))
}

pub fn valid_gln(gln: &str) -> bool {
    gln.len() == 13 && gs1::has_valid_check_digit(gln)
}

/// GS1 company prefixes one company holds.
pub const MAX_PREFIXES: usize = 100;

/// Why a record cannot be stored, for people.
pub type Invalid = String;

fn check_province(p: &Option<String>) -> Result<(), Invalid> {
    match p {
        Some(code) if provinces::province(code).is_none() => Err(format!("unknown province code {code:?}")),
        _ => Ok(()),
    }
}

fn check_gln_opt(g: &Option<String>) -> Result<(), Invalid> {
    match g {
        Some(g) if !valid_gln(g) => Err(format!("{g:?} is not a valid GLN")),
        _ => Ok(()),
    }
}

fn check_date(what: &str, d: &Option<String>) -> Result<(), Invalid> {
    match d {
        Some(d) if !truyxuat_core::journal::valid_date(d) => {
            Err(format!("{what} {d:?} is not a YYYY-MM-DD date"))
        }
        _ => Ok(()),
    }
}

fn non_empty(what: &str, s: &str, max: usize) -> Result<(), Invalid> {
    let n = s.trim().chars().count();
    if n == 0 || n > max {
        return Err(format!("{what} must have 1 to {max} characters"));
    }
    Ok(())
}

impl Company {
    pub fn check(&self) -> Result<(), Invalid> {
        non_empty("key", &self.key, 64)?;
        non_empty("name", &self.name, 300)?;
        if let Some(t) = &self.tax_code
            && (!(t.len() == 10 || t.len() == 14) || !t.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
        {
            return Err(format!("tax code {t:?} must have 10 digits (or 10-3 for a branch)"));
        }
        check_gln_opt(&self.gln)?;
        if self.prefixes.len() > MAX_PREFIXES {
            return Err(format!("at most {MAX_PREFIXES} GS1 company prefixes"));
        }
        if let Some(p) = self
            .prefixes
            .iter()
            .find(|p| !(4..=12).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!("GS1 company prefix {p:?} must have 4 to 12 digits"));
        }
        check_province(&self.province)
    }
}

impl Supplier {
    pub fn normalise(mut self) -> Result<Supplier, Invalid> {
        self.gtin = gtin14(&self.gtin).ok_or_else(|| format!("{:?} is not a valid GTIN", self.gtin))?;
        if !valid_gln(&self.gln) {
            return Err(format!("{:?} is not a valid GLN", self.gln));
        }
        Ok(self)
    }
}

impl Location {
    pub fn check(&self) -> Result<(), Invalid> {
        if !valid_gln(&self.gln) {
            return Err(format!("{:?} is not a valid GLN", self.gln));
        }
        if !["farm", "plot", "factory", "warehouse", "market", "shop"].contains(&self.kind.as_str()) {
            return Err(format!("kind {:?}: use farm, plot, factory, warehouse, market or shop", self.kind));
        }
        non_empty("name", &self.name, 300)?;
        check_province(&self.province)?;
        match (self.lat, self.lon) {
            (Some(lat), Some(lon)) if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) => {
                Err("coordinates out of range".into())
            }
            (Some(_), None) | (None, Some(_)) => Err("give both lat and lon, or neither".into()),
            _ => Ok(()),
        }
    }
}

impl Product {
    /// Checks, and pads the GTIN to 14 digits.
    pub fn normalise(mut self) -> Result<Product, Invalid> {
        self.gtin = gtin14(&self.gtin).ok_or_else(|| format!("{:?} is not a valid GTIN", self.gtin))?;
        non_empty("name_vi", &self.name_vi, 300)?;
        check_province(&self.origin_province)?;
        Ok(self)
    }
}

impl Certification {
    pub fn check(&self) -> Result<(), Invalid> {
        if gtin14(&self.subject).is_none() && !valid_gln(&self.subject) {
            return Err(format!("subject {:?} is neither a GTIN nor a GLN", self.subject));
        }
        non_empty("scheme", &self.scheme, 100)?;
        check_date("valid_from", &self.valid_from)?;
        check_date("valid_to", &self.valid_to)
    }
}

fn check_lot_code(lot: &str) -> Result<(), Invalid> {
    // AI (10): up to 20 characters of GS1's CSET 82.
    if lot.is_empty() || lot.len() > 20 || !lot.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'"') {
        return Err(format!("lot {lot:?} must be 1 to 20 printable ASCII characters"));
    }
    Ok(())
}

impl Lot {
    pub fn normalise(mut self) -> Result<Lot, Invalid> {
        self.gtin = gtin14(&self.gtin).ok_or_else(|| format!("{:?} is not a valid GTIN", self.gtin))?;
        check_lot_code(&self.lot)?;
        check_date("production_date", &self.production_date)?;
        check_date("expiry", &self.expiry)?;
        check_gln_opt(&self.origin_gln)?;
        Ok(self)
    }
}

impl Serial {
    pub fn normalise(mut self) -> Result<Serial, Invalid> {
        self.gtin = gtin14(&self.gtin).ok_or_else(|| format!("{:?} is not a valid GTIN", self.gtin))?;
        if self.serial.is_empty() || self.serial.len() > 20 {
            return Err(format!("serial {:?} must have 1 to 20 characters", self.serial));
        }
        Ok(self)
    }
}

impl Recall {
    pub fn normalise(mut self) -> Result<Recall, Invalid> {
        self.gtin = gtin14(&self.gtin).ok_or_else(|| format!("{:?} is not a valid GTIN", self.gtin))?;
        non_empty("id", &self.id, 64)?;
        non_empty("reason_vi", &self.reason_vi, 2000)?;
        if self.lots.is_empty() {
            return Err("a recall names at least one lot".into());
        }
        for l in &self.lots {
            check_lot_code(l)?;
        }
        if !["high", "medium", "low"].contains(&self.severity.as_str()) {
            return Err(format!("severity {:?}: use high, medium or low", self.severity));
        }
        check_province(&self.province)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_vietnamese_diacritics_and_case() {
        assert_eq!(fold("Cà phê Robusta Đắk Lắk"), "ca phe robusta dak lak");
        assert_eq!(fold("GẠO ST25 Sóc Trăng"), "gao st25 soc trang");
        assert_eq!(fold("nước mắm Phú Quốc"), "nuoc mam phu quoc");
    }

    #[test]
    fn gtins_are_padded_and_checked() {
        assert_eq!(gtin14("8934563138011").as_deref(), Some("08934563138011"));
        assert_eq!(gtin14("8934563138012"), None);
        assert_eq!(gtin14("123"), None);
    }
}
