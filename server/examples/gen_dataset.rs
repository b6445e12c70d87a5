//! A large data set for the resolver benchmark: `--lots N` products, each
//! with one packaged lot (default 1,000,000), and ten events per lot
//! (harvest, shipping to the factory, receiving, transformation, shipping to
//! a shop, receiving at the shop, four consumer scans): 10,000,000 events,
//! written through the same checks and store path as real pushes.
//!
//! `cargo run --release -p truyxuat-server --example gen_dataset -- --db PATH [--lots N]`
//! Also writes `PATH.codes.txt`: one `GTIN LOT` line per sampled lot, for the load generator.

use std::io::Write;
use std::time::Instant;

use truyxuat_core::journal::{GENESIS_HASH, event_hash, format_unix_ms};
use truyxuat_core::sync::wire::WireEvent;
use truyxuat_server::auth;
use truyxuat_server::domain::account::{NewUser, Role, User};
use truyxuat_server::domain::catalog::{Catalog, Company, Location, Lot, Product};
use truyxuat_server::store::{SqliteStore, Store};

const LOTS_PER_COMPANY: usize = 1000;

/// When the phones push: after every event time of the data set (its
/// days run through 2026).
fn pushed_at() -> truyxuat_server::clock::Moment {
    truyxuat_server::clock::Moment::parse("2027-01-01T00:00:00Z").unwrap()
}
const CONSUMERS: usize = 1000;
const BATCH: usize = 500;

fn check_digit(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

fn gln(k: usize) -> String {
    let body = format!("893{k:09}");
    format!("{body}{}", check_digit(&body))
}

fn gtin(k: usize) -> String {
    let body = format!("8935{k:08}");
    format!("0{body}{}", check_digit(&body))
}

const KINDS: [(&str, &str, &str); 10] = [
    ("Cà phê", "Coffee", "coffee"),
    ("Gạo", "Rice", "rice"),
    ("Trà", "Tea", "tea"),
    ("Hạt điều", "Cashew", "nuts"),
    ("Hồ tiêu", "Pepper", "spice"),
    ("Nước mắm", "Fish sauce", "condiment"),
    ("Thanh long", "Dragon fruit", "fruit"),
    ("Vải thiều", "Lychee", "fruit"),
    ("Cá tra", "Pangasius", "seafood"),
    ("Mật ong", "Honey", "honey"),
];
const QUALITIES: [&str; 8] =
    ["hữu cơ", "đặc sản", "loại 1", "thượng hạng", "sạch", "truyền thống", "xuất khẩu", "OCOP"];
const PROVINCES: [&str; 8] = ["66", "92", "68", "24", "91", "19", "75", "52"];

struct Device {
    id: String,
    user: User,
    seq: i64,
    prev: String,
    pending: Vec<WireEvent>,
}

struct Writer<'a> {
    store: &'a dyn Store,
    clock: i64,
    written: u64,
}

impl Writer<'_> {
    fn add(&mut self, d: &mut Device, kind: &str, payload: serde_json::Value) {
        self.clock += 1000;
        d.seq += 1;
        let id = uuid::Uuid::now_v7().to_string();
        let time = format_unix_ms(self.clock);
        let hash = event_hash(&d.prev, d.seq, &id, &d.id, kind, &payload, &time);
        let prev = std::mem::replace(&mut d.prev, hash.clone());
        d.pending.push(WireEvent {
            id,
            seq: d.seq,
            kind: kind.into(),
            payload,
            device_time: time,
            prev_hash: prev,
            hash,
        });
        if d.pending.len() >= BATCH {
            self.flush(d);
        }
    }

    fn flush(&mut self, d: &mut Device) {
        let batch: Vec<_> = d.pending.drain(..).collect();
        let n = batch.len() as u64;
        // The same checks and rights as a phone's push.
        for r in truyxuat_server::actions::sync::push(self.store, &d.user, &d.id, batch, pushed_at())
            .unwrap()
            .value
        {
            assert!(r.error.is_none(), "{r:?}");
        }
        self.written += n;
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let db = arg("--db").expect("--db PATH");
    let lots: usize = arg("--lots").and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let started = Instant::now();
    let store = SqliteStore::open(std::path::Path::new(&db)).unwrap();
    let password_hash = auth::hash_password("bench-password").unwrap();
    let companies = lots.div_ceil(LOTS_PER_COMPANY);
    let user = |name: String, role: Role, glns: Vec<String>| -> User {
        store
            .create_user(&NewUser {
                username: name,
                password_hash: password_hash.clone(),
                role,
                province: None,
                glns,
            })
            .unwrap()
    };
    let device = |user: User| Device {
        id: uuid::Uuid::now_v7().to_string(),
        user,
        seq: 0,
        prev: GENESIS_HASH.to_owned(),
        pending: Vec::new(),
    };
    // Per company: a farm, a factory and four shops, GLNs 7c … 7c+5.
    let mut farmers = Vec::new();
    let mut enterprises = Vec::new();
    let mut catalog = Catalog::default();
    for c in 0..companies {
        let site = |k: usize| gln(7 * c + k);
        let province = PROVINCES[c % PROVINCES.len()].to_owned();
        catalog.companies.push(Company {
            key: format!("c{c}"),
            name: format!("Công ty Nông sản số {c}"),
            tax_code: Some(format!("{:010}", 100_000_000 + c)),
            gln: Some(site(0)),
            province: Some(province.clone()),
            address: None,
            phone: None,
            email: None,
            website: None,
            prefixes: Vec::new(),
        });
        for (k, kind) in [(1, "farm"), (2, "factory"), (3, "shop"), (4, "shop"), (5, "shop"), (6, "shop")] {
            catalog.locations.push(Location {
                gln: site(k),
                company: Some(format!("c{c}")),
                kind: kind.into(),
                name: format!("{kind} {k} của công ty {c}"),
                address: None,
                province: Some(province.clone()),
                lat: Some(10.0 + (c % 100) as f64 * 0.1),
                lon: Some(105.0 + (c % 37) as f64 * 0.1),
            });
        }
        let farmer = user(format!("farmer{c}"), Role::Farmer, vec![site(1)]);
        let ent = user(format!("enterprise{c}"), Role::Enterprise, (2..=6).map(site).collect());
        farmers.push(device(farmer));
        enterprises.push(device(ent));
    }
    user("bench-authority".into(), Role::Authority, vec![]);
    let mut consumers: Vec<Device> =
        (0..CONSUMERS).map(|i| device(user(format!("consumer{i}"), Role::Consumer, vec![]))).collect();
    for d in farmers.iter().chain(&enterprises).chain(&consumers) {
        store.register_device(d.user.id, &d.id, None).unwrap();
    }
    eprintln!(
        "{companies} companies, {} accounts in {:.1} s",
        2 * companies + CONSUMERS,
        started.elapsed().as_secs_f64()
    );

    let mut codes = std::io::BufWriter::new(std::fs::File::create(format!("{db}.codes.txt")).unwrap());
    let mut w = Writer { store: &store, clock: 1_780_000_000_000, written: 0 };
    let mut rng: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for j in 0..lots {
        let c = j / LOTS_PER_COMPANY;
        let site = |k: usize| gln(7 * c + k);
        let (vi, en, category) = KINDS[j % KINDS.len()];
        let quality = QUALITIES[(j / KINDS.len()) % QUALITIES.len()];
        let g = gtin(j);
        let (raw, packed) = (format!("R{j}"), format!("P{j}"));
        catalog.products.push(Product {
            gtin: g.clone(),
            company: Some(format!("c{c}")),
            name_vi: format!("{vi} {quality} số {j}"),
            name_en: Some(format!("{en} no. {j}")),
            brand: Some(format!("Thương hiệu {c}")),
            category: Some(category.into()),
            origin_province: Some(PROVINCES[c % PROVINCES.len()].into()),
            description_vi: None,
            description_en: None,
            image: None,
        });
        catalog.lots.push(Lot {
            gtin: g.clone(),
            lot: packed.clone(),
            production_date: Some("2026-10-01".into()),
            expiry: Some("2027-10-01".into()),
            quantity: Some(100.0),
            unit: Some("box".into()),
            origin_gln: Some(site(1)),
        });
        let day = format!("2026-{:02}-{:02}", 1 + j % 12, 1 + j % 28);
        let farmer = &mut farmers[c];
        w.add(
            farmer,
            "harvest",
            serde_json::json!({"product": vi, "gtin": g, "lot": raw, "quantity": 120.0, "unit": "kg",
            "harvest_date": day, "gln": site(1), "location": null, "certification": "VietGAP", "photos": []}),
        );
        w.add(
            farmer,
            "shipping",
            serde_json::json!({"gtin": g, "lot": raw, "quantity": 120.0, "unit": "kg",
            "from_gln": site(1), "to_gln": site(2)}),
        );
        let ent = &mut enterprises[c];
        w.add(
            ent,
            "receiving",
            serde_json::json!({"gtin": g, "lot": raw, "quantity": 120.0, "unit": "kg",
            "from_gln": site(1), "to_gln": site(2)}),
        );
        w.add(ent, "transformation", serde_json::json!({"inputs": [{"gtin": g, "lot": raw, "quantity": 120.0, "unit": "kg"}],
            "outputs": [{"gtin": g, "lot": packed, "quantity": 100.0, "unit": "box"}], "gln": site(2), "process": "đóng gói", "date": day}));
        let shop = site(3 + j % 4);
        w.add(
            ent,
            "shipping",
            serde_json::json!({"gtin": g, "lot": packed, "quantity": 100.0, "unit": "box",
            "from_gln": site(2), "to_gln": shop}),
        );
        w.add(
            ent,
            "receiving",
            serde_json::json!({"gtin": g, "lot": packed, "quantity": 100.0, "unit": "box",
            "from_gln": site(2), "to_gln": shop}),
        );
        for _ in 0..4 {
            let who = (next() % CONSUMERS as u64) as usize;
            let es = format!("(01){g}(10){packed}");
            w.add(
                &mut consumers[who],
                "scan",
                serde_json::json!({"raw_text": es, "symbology_id": "]d2",
                "element_string": es, "location": {"lat": 10.78, "lon": 106.7}, "answer_shown": "ok"}),
            );
        }
        if j % 97 == 0 {
            writeln!(codes, "{g} {packed}").unwrap();
        }
        if catalog.products.len() >= 10_000 || j + 1 == lots {
            store.apply_catalog(&std::mem::take(&mut catalog)).unwrap();
        }
        if (j + 1) % 100_000 == 0 {
            eprintln!("{} lots, {} events, {:.0} s", j + 1, w.written, started.elapsed().as_secs_f64());
        }
    }
    for d in farmers.iter_mut().chain(enterprises.iter_mut()).chain(consumers.iter_mut()) {
        w.flush(d);
    }
    codes.flush().unwrap();
    eprintln!(
        "done: {lots} products and lots, {} events in {:.0} s",
        w.written,
        started.elapsed().as_secs_f64()
    );
}
