//! The rights table: (account, action and its scope) → allowed or not.
//! One row per case; the red-team findings each have theirs.

use truyxuat_core::journal::{
    ComplaintReport, FarmDiary, Harvest, Inspection, InspectionResult, LotRef, Scan, Transfer, Transformation,
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
        token_generation: 0,
    }
}

/// Coffee products and their producers: Cao Nguyên (farm and factory).
fn producers() -> ProducerFacts {
    let own = |glns: &[&str]| Producers { owned: true, glns: glns.iter().map(|g| g.to_string()).collect() };
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
    f.issued.insert((FACTORY.into(), "VietGAP".into(), Some("ISSUED".into())));
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
    DecideEvent(Option<&'static [Option<&'static str>]>),
    ReadEvents,
    ReadEpcis,
    CaptureEpcis(&'static [&'static str]),
    /// Name in a complaint filed by (account id) a photo sent by (account id).
    AttachPhoto(Option<i64>, Option<i64>),
    /// Disable the account of this name.
    DisableAccount(&'static str),
    /// Correct an event recorded by the account with this id.
    CorrectEvent(i64),
    /// Capture under an eventID events of these accounts carry.
    ClaimEventId(&'static [i64]),
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
    let scope =
        |r: Result<Option<String>, Denied>| r.map(|p| p.unwrap_or_else(|| "country".into())).map_err(drop);
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
            let places: Option<Vec<Option<String>>> =
                places.map(|ps| ps.iter().map(|p| p.map(str::to_owned)).collect());
            unit(decide_event(&me, places.as_deref()))
        }
        Act::ReadEvents => reading(read_events(&me)),
        Act::ReadEpcis => reading(read_epcis(&me)),
        Act::CaptureEpcis(places) => {
            let places: Vec<String> = places.iter().map(|p| p.to_string()).collect();
            unit(capture_epcis(&me).and_then(|()| capture_at(&me, &places)))
        }
        Act::AttachPhoto(filer, sender) => {
            if attach_photo(*filer, *sender) {
                Ok(String::new())
            } else {
                Err(())
            }
        }
        Act::DisableAccount(target) => unit(disable_account(&me, &account(target))),
        Act::CorrectEvent(by) => unit(correct_event(&me, *by)),
        Act::ClaimEventId(holders) => unit(claim_event_id(&me, holders)),
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
        (
            "enterprise",
            Act::WriteCatalog(catalog_with(|c| {
                c.certifications.push(Certification { number: Some("ISSUED".into()), ..cert(FACTORY) })
            })),
            NO,
        ),
        (
            "certifier",
            Act::WriteCatalog(catalog_with(|c| {
                c.certifications.push(Certification { number: Some("ISSUED".into()), ..cert(FACTORY) })
            })),
            OK,
        ),
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
            Act::WriteCatalog(catalog_with(|c| c.companies.push(company("caonguyen", FACTORY, "8936120")))),
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
        ("authority", Act::DecideEvent(Some(&[Some("79")])), OK),
        ("authority_hn", Act::DecideEvent(Some(&[Some("01")])), OK),
        ("authority_hn", Act::DecideEvent(Some(&[Some("79")])), NO),
        ("authority_hn", Act::DecideEvent(Some(&[Some("01"), Some("79")])), NO),
        ("authority_hn", Act::DecideEvent(Some(&[None])), NO),
        ("authority_hn", Act::DecideEvent(Some(&[])), NO),
        ("inspector", Act::DecideEvent(Some(&[Some("01")])), NO),
        ("admin", Act::DecideEvent(Some(&[])), OK),
        ("authority_hn", Act::DecideEvent(None), OK),
        ("consumer", Act::DecideEvent(None), NO),
        ("inspector", Act::DecideEvent(None), NO),
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
        // A photo in a complaint: its sender's filing only (anonymous: anonymous).
        ("consumer", Act::AttachPhoto(Some(8), Some(8)), OK),
        ("consumer", Act::AttachPhoto(Some(8), Some(9)), NO),
        ("consumer", Act::AttachPhoto(Some(8), None), NO),
        ("consumer", Act::AttachPhoto(None, Some(8)), NO),
        ("consumer", Act::AttachPhoto(None, None), OK),
        // Disabling an account: admins, not their own.
        ("admin", Act::DisableAccount("farmer"), OK),
        ("admin", Act::DisableAccount("authority"), OK),
        ("admin", Act::DisableAccount("admin"), NO),
        ("authority", Act::DisableAccount("farmer"), NO),
        ("farmer", Act::DisableAccount("farmer"), NO),
        // Corrections (errorDeclaration): the recorder or a national account
        // (account ids are their names' lengths: enterprise 10, partner 7,
        // farmer 6).
        ("enterprise", Act::CorrectEvent(10), OK),
        ("enterprise", Act::CorrectEvent(7), NO),
        ("partner", Act::CorrectEvent(10), NO),
        ("authority", Act::CorrectEvent(6), OK),
        ("admin", Act::CorrectEvent(6), OK),
        ("authority_hn", Act::CorrectEvent(6), NO),
        // An eventID another account's event carries.
        ("enterprise", Act::ClaimEventId(&[]), OK),
        ("enterprise", Act::ClaimEventId(&[10, 10]), OK),
        ("enterprise", Act::ClaimEventId(&[10, 7]), NO),
        ("partner", Act::ClaimEventId(&[10]), NO),
        ("authority", Act::ClaimEventId(&[10]), NO),
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
