//! The product database's SQL for the SQLite backend.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::events::{EVENT_COLUMNS, stored_event, stored_event_at};
use super::{now, one};
use crate::domain::catalog::{
    Catalog, CertSource, Certification, Company, Location, Lot, Product, Recall, TraceRole, fold,
};
use crate::store::{CompanySummary, NewChange, Result, StoreError, StoredEvent};

fn company_id(tx: &Transaction<'_>, key: &Option<String>, what: &str) -> Result<Option<i64>> {
    let Some(key) = key else { return Ok(None) };
    one(tx, "SELECT id FROM companies WHERE key = ?1", [key], |r| r.get(0))
        .optional()?
        .map(Some)
        .ok_or_else(|| StoreError::Conflict(format!("{what} names company {key:?}, which does not exist")))
}

fn publish(
    tx: &Transaction<'_>,
    kind: &str,
    key: &str,
    data: &impl serde::Serialize,
    province: Option<&str>,
) -> Result<()> {
    let data = serde_json::to_string(data).map_err(|e| StoreError::Backend(e.to_string()))?;
    tx.execute(
        "INSERT INTO changes (kind, key, data, province, changed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![kind, key, data, province, now()],
    )?;
    Ok(())
}

/// Store catalog records and `notices` (changes for the feed) in one
/// transaction.
pub(super) fn apply(conn: &mut Connection, c: &Catalog, notices: &[NewChange]) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for co in &c.companies {
        let id: i64 = one(&tx,
            "INSERT INTO companies (key, name, tax_code, gln, province, address, phone, email, website)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(key) DO UPDATE SET name = excluded.name, tax_code = excluded.tax_code, gln = excluded.gln,
               province = excluded.province, address = excluded.address, phone = excluded.phone,
               email = excluded.email, website = excluded.website
             RETURNING id",
            params![co.key, co.name, co.tax_code, co.gln, co.province, co.address, co.phone, co.email, co.website],
            |r| r.get(0),
        )
        .map_err(|e| unique_conflict(e, &format!("company {:?}", co.key)))?;
        tx.execute("DELETE FROM company_prefixes WHERE company_id = ?1", [id])?;
        for prefix in &co.prefixes {
            let taken: Option<i64> =
                one(&tx, "SELECT company_id FROM company_prefixes WHERE prefix = ?1", [prefix], |r| r.get(0))
                    .optional()?;
            if taken.is_some() {
                return Err(StoreError::Conflict(format!(
                    "company {:?}: GS1 company prefix {prefix} belongs to another company",
                    co.key
                )));
            }
            tx.execute(
                "INSERT INTO company_prefixes (prefix, company_id) VALUES (?1, ?2)",
                params![prefix, id],
            )?;
        }
    }
    for l in &c.locations {
        let company = company_id(&tx, &l.company, &format!("location {}", l.gln))?;
        tx.execute(
            "INSERT OR REPLACE INTO locations (gln, company_id, kind, name, address, province, lat, lon)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![l.gln, company, l.kind, l.name, l.address, l.province, l.lat, l.lon],
        )?;
    }
    for p in &c.products {
        let company = company_id(&tx, &p.company, &format!("product {}", p.gtin))?;
        // An update keeps the row (and its rowid, which the search index uses).
        let rowid: i64 = one(
            &tx,
            "INSERT INTO products (gtin, company_id, name_vi, name_en, brand, category, origin_province,
                                   description_vi, description_en, image)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(gtin) DO UPDATE SET company_id = excluded.company_id, name_vi = excluded.name_vi,
               name_en = excluded.name_en, brand = excluded.brand, category = excluded.category,
               origin_province = excluded.origin_province, description_vi = excluded.description_vi,
               description_en = excluded.description_en, image = excluded.image
             RETURNING rowid",
            params![
                p.gtin,
                company,
                p.name_vi,
                p.name_en,
                p.brand,
                p.category,
                p.origin_province,
                p.description_vi,
                p.description_en,
                p.image
            ],
            |r| r.get(0),
        )?;
        let text = fold(&format!(
            "{} {} {} {}",
            p.name_vi,
            p.name_en.as_deref().unwrap_or(""),
            p.brand.as_deref().unwrap_or(""),
            p.gtin
        ));
        tx.execute("DELETE FROM product_search WHERE rowid = ?1", [rowid])?;
        tx.execute(
            "INSERT INTO product_search (rowid, gtin, text) VALUES (?1, ?2, ?3)",
            params![rowid, p.gtin, text],
        )?;
        publish(&tx, "product", &p.gtin, p, None)?;
    }
    for cert in &c.certifications {
        tx.execute(
            "INSERT OR REPLACE INTO certifications (subject, scheme, issuer, number, valid_from, valid_to, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                cert.subject,
                cert.scheme,
                cert.issuer,
                cert.number,
                cert.valid_from,
                cert.valid_to,
                cert.source.as_str()
            ],
        )?;
    }
    for l in &c.lots {
        tx.execute(
            "INSERT OR REPLACE INTO lots (gtin, lot, production_date, expiry, quantity, unit, origin_gln)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![l.gtin, l.lot, l.production_date, l.expiry, l.quantity, l.unit, l.origin_gln],
        )?;
        publish(&tx, "lot", &format!("{}/{}", l.gtin, l.lot), l, None)?;
    }
    for s in &c.serials {
        tx.execute(
            "INSERT OR REPLACE INTO serials (gtin, serial, lot) VALUES (?1, ?2, ?3)",
            params![s.gtin, s.serial, s.lot],
        )?;
    }
    for s in &c.suppliers {
        tx.execute(
            "INSERT OR IGNORE INTO product_suppliers (gtin, gln) VALUES (?1, ?2)",
            params![s.gtin, s.gln],
        )?;
    }
    for r in &c.recalls {
        tx.execute(
            "INSERT OR REPLACE INTO recalls (id, gtin, reason_vi, reason_en, severity, declared_by, declared_at, province)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![r.id, r.gtin, r.reason_vi, r.reason_en, r.severity, r.declared_by, r.declared_at, r.province],
        )?;
        tx.execute("DELETE FROM recall_lots WHERE recall_id = ?1", [&r.id])?;
        for lot in &r.lots {
            tx.execute(
                "INSERT INTO recall_lots (gtin, lot, recall_id) VALUES (?1, ?2, ?3)",
                params![r.gtin, lot, r.id],
            )?;
        }
        publish(&tx, "recall", &r.id, r, r.province.as_deref())?;
    }
    for n in notices {
        super::events::insert_change(&tx, n)?;
    }
    tx.commit()?;
    Ok(())
}

fn unique_conflict(e: rusqlite::Error, what: &str) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Conflict(format!("{what}: its tax code or GLN belongs to another company"))
        }
        other => other.into(),
    }
}

pub(super) const PRODUCT_COLUMNS: &str = "p.gtin, c.key, p.name_vi, p.name_en, p.brand, p.category, p.origin_province, \
     p.description_vi, p.description_en, p.image";

pub(super) fn product_row(r: &Row<'_>) -> rusqlite::Result<Product> {
    Ok(Product {
        gtin: r.get(0)?,
        company: r.get(1)?,
        name_vi: r.get(2)?,
        name_en: r.get(3)?,
        brand: r.get(4)?,
        category: r.get(5)?,
        origin_province: r.get(6)?,
        description_vi: r.get(7)?,
        description_en: r.get(8)?,
        image: r.get(9)?,
    })
}

/// An FTS5 query matching every word of `query` as a prefix, or `None`
/// when it has no words.
fn fts_query(query: &str) -> Option<String> {
    let words: Vec<String> = fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

pub(super) fn search(c: &Connection, query: &str, limit: u32, offset: u32) -> Result<(Vec<Product>, u64)> {
    let Some(fts) = fts_query(query) else { return Ok((Vec::new(), 0)) };
    let total: i64 =
        one(c, "SELECT COUNT(*) FROM product_search WHERE product_search MATCH ?1", [&fts], |r| r.get(0))?;
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM product_search s JOIN products p ON p.gtin = s.gtin
         LEFT JOIN companies c ON c.id = p.company_id
         WHERE product_search MATCH ?1 ORDER BY s.rank, p.gtin LIMIT ?2 OFFSET ?3"
    ))?;
    let items =
        stmt.query_map(params![fts, limit, offset], product_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((items, total as u64))
}

pub(super) fn product(c: &Connection, gtin: &str) -> Result<Option<Product>> {
    Ok(one(c,
        &format!("SELECT {PRODUCT_COLUMNS} FROM products p LEFT JOIN companies c ON c.id = p.company_id WHERE p.gtin = ?1"),
        [gtin],
        product_row,
    )
    .optional()?)
}

pub(super) fn products_of(c: &Connection, company: &str) -> Result<Vec<Product>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products p JOIN companies c ON c.id = p.company_id
         WHERE c.key = ?1 ORDER BY p.name_vi, p.gtin"
    ))?;
    let rows = stmt.query_map([company], product_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const COMPANY_COLUMNS: &str = "c.key, c.name, c.tax_code, c.gln, c.province, c.address, c.phone, c.email, c.website,
     (SELECT group_concat(prefix, ',') FROM (SELECT prefix FROM company_prefixes WHERE company_id = c.id ORDER BY prefix))";

fn company_row(r: &Row<'_>) -> rusqlite::Result<Company> {
    Ok(Company {
        key: r.get(0)?,
        name: r.get(1)?,
        tax_code: r.get(2)?,
        gln: r.get(3)?,
        province: r.get(4)?,
        address: r.get(5)?,
        phone: r.get(6)?,
        email: r.get(7)?,
        website: r.get(8)?,
        prefixes: r
            .get::<_, Option<String>>(9)?
            .map(|p| p.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
    })
}

pub(super) fn company(c: &Connection, key: &str) -> Result<Option<Company>> {
    Ok(one(c, &format!("SELECT {COMPANY_COLUMNS} FROM companies c WHERE c.key = ?1"), [key], company_row)
        .optional()?)
}

pub(super) fn company_by_gln(c: &Connection, gln: &str) -> Result<Option<Company>> {
    Ok(one(c,
        &format!(
            "SELECT {COMPANY_COLUMNS} FROM companies c WHERE c.gln = ?1
             UNION ALL
             SELECT {COMPANY_COLUMNS} FROM locations l JOIN companies c ON c.id = l.company_id WHERE l.gln = ?1
             LIMIT 1"
        ),
        [gln],
        company_row,
    )
    .optional()?)
}

const LOCATION_SELECT: &str = "SELECT l.gln, c.key, l.kind, l.name, l.address, l.province, l.lat, l.lon
     FROM locations l LEFT JOIN companies c ON c.id = l.company_id";

fn location_row(r: &Row<'_>) -> rusqlite::Result<Location> {
    Ok(Location {
        gln: r.get(0)?,
        company: r.get(1)?,
        kind: r.get(2)?,
        name: r.get(3)?,
        address: r.get(4)?,
        province: r.get(5)?,
        lat: r.get(6)?,
        lon: r.get(7)?,
    })
}

pub(super) fn location(c: &Connection, gln: &str) -> Result<Option<Location>> {
    Ok(one(c, &format!("{LOCATION_SELECT} WHERE l.gln = ?1"), [gln], location_row).optional()?)
}

pub(super) fn locations_of(c: &Connection, company: &str) -> Result<Vec<Location>> {
    let mut stmt =
        c.prepare_cached(&format!("{LOCATION_SELECT} WHERE c.key = ?1 ORDER BY l.kind, l.name"))?;
    let rows = stmt.query_map([company], location_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const LOT_SELECT: &str = "SELECT gtin, lot, production_date, expiry, quantity, unit, origin_gln FROM lots";

fn lot_row(r: &Row<'_>) -> rusqlite::Result<Lot> {
    Ok(Lot {
        gtin: r.get(0)?,
        lot: r.get(1)?,
        production_date: r.get(2)?,
        expiry: r.get(3)?,
        quantity: r.get(4)?,
        unit: r.get(5)?,
        origin_gln: r.get(6)?,
    })
}

pub(super) fn lot(c: &Connection, gtin: &str, lot: &str) -> Result<Option<Lot>> {
    Ok(one(c, &format!("{LOT_SELECT} WHERE gtin = ?1 AND lot = ?2"), [gtin, lot], lot_row).optional()?)
}

pub(super) fn lots_of(c: &Connection, gtin: &str) -> Result<Vec<Lot>> {
    let mut stmt =
        c.prepare_cached(&format!("{LOT_SELECT} WHERE gtin = ?1 ORDER BY production_date DESC, lot"))?;
    let rows = stmt.query_map([gtin], lot_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Companies (of a province) with how many products, lots and recalls each has.
pub(super) fn company_summaries(c: &Connection, province: Option<&str>) -> Result<Vec<CompanySummary>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COMPANY_COLUMNS},
            (SELECT count(*) FROM products p WHERE p.company_id = c.id),
            (SELECT count(*) FROM lots l JOIN products p ON p.gtin = l.gtin WHERE p.company_id = c.id),
            (SELECT count(*) FROM recalls r JOIN products p ON p.gtin = r.gtin WHERE p.company_id = c.id)
         FROM companies c WHERE ?1 IS NULL OR c.province = ?1 ORDER BY c.name"
    ))?;
    let rows = stmt.query_map([province], |r| {
        Ok(CompanySummary {
            company: company_row(r)?,
            products: r.get::<_, i64>(10)? as u64,
            lots: r.get::<_, i64>(11)? as u64,
            recalls: r.get::<_, i64>(12)? as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Accepted inspections at places of a province (all: none), newest first.
pub(super) fn inspections(c: &Connection, province: Option<&str>, limit: u32) -> Result<Vec<StoredEvent>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM site_trace s JOIN events e ON e.server_seq = s.server_seq
         JOIN users u ON u.id = e.user_id LEFT JOIN locations l ON l.gln = s.gln
         WHERE s.kind = 'inspection' AND e.status = 'accepted' AND (?1 IS NULL OR l.province = ?1)
         ORDER BY e.device_time DESC, e.server_seq DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![province, limit], stored_event)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The company whose GS1 company prefix covers a GTIN-14.
pub(super) fn prefix_owner(c: &Connection, gtin: &str) -> Result<Option<Company>> {
    // A prefix has 4 to 12 digits from the GTIN-14's second: 9 look-ups on
    // the primary key rather than a scan of every prefix.
    Ok(one(
        c,
        &format!(
            "SELECT {COMPANY_COLUMNS} FROM company_prefixes cp JOIN companies c ON c.id = cp.company_id
             WHERE cp.prefix IN (substr(?1, 2, 4), substr(?1, 2, 5), substr(?1, 2, 6), substr(?1, 2, 7),
                 substr(?1, 2, 8), substr(?1, 2, 9), substr(?1, 2, 10), substr(?1, 2, 11), substr(?1, 2, 12))
             ORDER BY length(cp.prefix) DESC LIMIT 1"
        ),
        [gtin],
        company_row,
    )
    .optional()?)
}

/// The GLNs of the suppliers registered for a product.
pub(super) fn suppliers(c: &Connection, gtin: &str) -> Result<Vec<String>> {
    let mut stmt = c.prepare_cached("SELECT gln FROM product_suppliers WHERE gtin = ?1 ORDER BY gln")?;
    let rows = stmt.query_map([gtin], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn serial_lot(c: &Connection, gtin: &str, serial: &str) -> Result<Option<String>> {
    Ok(one(c, "SELECT lot FROM serials WHERE gtin = ?1 AND serial = ?2", [gtin, serial], |r| r.get(0))
        .optional()?
        .flatten())
}

pub(super) fn certifications(c: &Connection, subjects: &[String]) -> Result<Vec<Certification>> {
    let mut stmt = c.prepare_cached(
        "SELECT subject, scheme, issuer, number, valid_from, valid_to, source FROM certifications WHERE subject = ?1
         ORDER BY scheme, number",
    )?;
    let mut out = Vec::new();
    for s in subjects {
        let rows = stmt.query_map([s], |r| {
            Ok(Certification {
                subject: r.get(0)?,
                scheme: r.get(1)?,
                issuer: r.get(2)?,
                number: r.get(3)?,
                valid_from: r.get(4)?,
                valid_to: r.get(5)?,
                source: match r.get::<_, String>(6)?.as_str() {
                    "authority" => CertSource::Authority,
                    _ => CertSource::Company,
                },
            })
        })?;
        out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    Ok(out)
}

pub(super) fn recall(c: &Connection, id: &str) -> Result<Option<Recall>> {
    let gtin: Option<String> =
        one(c, "SELECT gtin FROM recalls WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    let Some(gtin) = gtin else { return Ok(None) };
    Ok(recalls(c, &gtin, None)?.into_iter().find(|r| r.id == id))
}

pub(super) fn recalls(c: &Connection, gtin: &str, lot: Option<&str>) -> Result<Vec<Recall>> {
    let mut stmt = c.prepare_cached(
        "SELECT DISTINCT r.id, r.gtin, r.reason_vi, r.reason_en, r.severity, r.declared_by, r.declared_at, r.province
         FROM recall_lots rl JOIN recalls r ON r.id = rl.recall_id
         WHERE rl.gtin = ?1 AND (?2 IS NULL OR rl.lot = ?2) ORDER BY r.declared_at",
    )?;
    let mut lots = c.prepare_cached("SELECT lot FROM recall_lots WHERE recall_id = ?1 ORDER BY lot")?;
    let heads = stmt
        .query_map(params![gtin, lot], |r| {
            Ok(Recall {
                id: r.get(0)?,
                gtin: r.get(1)?,
                lots: Vec::new(),
                reason_vi: r.get(2)?,
                reason_en: r.get(3)?,
                severity: r.get(4)?,
                declared_by: r.get(5)?,
                declared_at: r.get(6)?,
                province: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    heads
        .into_iter()
        .map(|mut r| {
            r.lots = lots.query_map([&r.id], |row| row.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(r)
        })
        .collect()
}

fn role(s: &str) -> TraceRole {
    match s {
        "input" => TraceRole::Input,
        "output" => TraceRole::Output,
        _ => TraceRole::Subject,
    }
}

pub(super) fn trace(
    c: &Connection,
    gtin: &str,
    lot: Option<&str>,
    serial: Option<&str>,
    scans: bool,
) -> Result<Vec<(TraceRole, StoredEvent)>> {
    // One shape per case so that each query walks only its index range: by
    // lot (the primary key), by serial (trace_serial), or the whole GTIN.
    let filter = match (lot, serial) {
        (_, Some(_)) => "t.gtin = ?1 AND t.serial = ?3 AND (?2 IS NULL OR t.lot = ?2 OR t.lot = '')",
        (Some(_), None) => "t.gtin = ?1 AND t.lot = ?2 AND ?3 IS NULL",
        (None, None) => "t.gtin = ?1 AND ?2 IS NULL AND ?3 IS NULL",
    };
    let mut stmt = c.prepare_cached(&format!(
        "SELECT t.role, {EVENT_COLUMNS} FROM trace t JOIN events e ON e.server_seq = t.server_seq
         JOIN users u ON u.id = e.user_id
         WHERE {filter} AND e.status = 'accepted' AND (?4 OR e.kind != 'scan')
         ORDER BY e.server_seq"
    ))?;
    let rows = stmt.query_map(params![gtin, lot, serial, scans], |r| {
        let role_text: String = r.get(0)?;
        Ok((role(&role_text), stored_event_at(r, 1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(super) fn corrected_trace(c: &Connection, gtin: &str, lot: &str) -> Result<Vec<StoredEvent>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM trace t JOIN events e ON e.server_seq = t.server_seq
         JOIN users u ON u.id = e.user_id
         WHERE t.gtin = ?1 AND t.lot = ?2 AND e.error_code = '{}' AND e.kind != 'scan'
         ORDER BY e.server_seq",
        super::epcis::CORRECTED
    ))?;
    let rows = stmt.query_map([gtin, lot], stored_event)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn site_events(c: &Connection, gln: &str, kind: &str) -> Result<Vec<StoredEvent>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM site_trace s JOIN events e ON e.server_seq = s.server_seq
         JOIN users u ON u.id = e.user_id
         WHERE s.gln = ?1 AND s.kind = ?2 AND e.status = 'accepted' ORDER BY e.server_seq"
    ))?;
    let rows = stmt.query_map([gln, kind], stored_event)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
