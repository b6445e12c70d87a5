//! The red-team findings, each over HTTP on the demo (in-process, through
//! `app(state)`): who may write a company's lot story, an authority's
//! recall, an official inspection or a certificate; which scope each
//! account reads, whatever the route; the one rule set for new accounts.
//! `domain/rights/tests.rs` pins the same rules as a table.

mod support;

use serde_json::{Value, json};
use support::inproc::App;
use truyxuat_core::journal::{EventBody, Harvest, LotRef, Transformation};

const COFFEE: &str = "08936120100110";
const COFFEE_LOT: &str = "RX500-261105";
const TEA: &str = "08936675100252";
const TEA_LOT: &str = "TMC500-261004";

fn demo_glns(user: &str) -> Vec<String> {
    support::demo_glns(user)
}

fn warnings(p: &Value) -> Vec<String> {
    p["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect()
}

async fn resolve(app: &App, code: &str) -> Value {
    let (status, body) =
        app.call("GET", &format!("/v1/resolve?code={}", support::urlencode(code)), None, None).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Push one event recorded on a new device of `user`.
async fn push(app: &App, user: &str, body: &EventBody) -> (u16, Value) {
    app.push(user, std::slice::from_ref(body), "2026-11-25T06:00:00.000Z").await
}

fn inspection_doc(gtin: &str, lot: &str, place: &str, disposition: &str) -> Value {
    json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-25T08:00:00+07:00",
        "epcisBody": {"eventList": [{
            "type": "ObjectEvent", "eventTime": "2026-11-25T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
            "action": "OBSERVE", "bizStep": "inspecting", "disposition": disposition,
            "quantityList": [{"epcClass": format!("https://id.gs1.org/01/{gtin}/10/{lot}"), "quantity": 1}],
            "readPoint": {"id": format!("https://id.gs1.org/414/{place}")},
            "bizLocation": {"id": format!("https://id.gs1.org/414/{place}")},
        }]},
    })
}

async fn capture(app: &App, user: &str, doc: &Value) -> (u16, Value) {
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/epcis/capture")
        .header("authorization", format!("Bearer {}", app.token(user)))
        .header("content-type", "application/ld+json")
        .body(axum::body::Body::from(doc.to_string()))
        .unwrap();
    let (status, body, _) = app.send(req).await;
    (status, body)
}

#[tokio::test]
async fn authorities_are_national_or_provincial() {
    let app = App::demo();
    // The national authority handles every province's complaints.
    let (status, all) = app.call("GET", "/v1/complaints?limit=500", Some("authority"), None).await;
    assert_eq!(status, 200, "{all}");
    let provinces: std::collections::BTreeSet<&str> =
        all["items"].as_array().unwrap().iter().map(|c| c["province"].as_str().unwrap()).collect();
    assert!(provinces.len() > 1 && provinces.contains("01") && provinces.contains("79"), "{provinces:?}");
    let (status, _) = app.call("GET", "/v1/complaints?province=79", Some("authority"), None).await;
    assert_eq!(status, 200);
    // Hà Nội's authority, Hà Nội's only: on every route.
    let (status, own) = app.call("GET", "/v1/complaints", Some("authority_hn"), None).await;
    assert_eq!(status, 200);
    assert!(own["items"].as_array().unwrap().iter().all(|c| c["province"] == "01"), "{own}");
    for uri in ["/v1/complaints?province=79", "/v1/stats/overview?province=79", "/v1/recall-pack?province=79"]
    {
        let (status, body) = app.call("GET", uri, Some("authority_hn"), None).await;
        assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{uri}: {body}");
    }
    let (status, overview) = app.call("GET", "/v1/stats/overview", Some("authority_hn"), None).await;
    assert_eq!((status, overview["province"].as_str()), (200, Some("01")), "{overview}");
    let (status, overview) = app.call("GET", "/v1/stats/overview?province=79", Some("authority"), None).await;
    assert_eq!((status, overview["province"].as_str()), (200, Some("79")), "{overview}");
    // The portal agrees: the national queue lists them all, the provincial its own.
    let (_, national) = app.page("/portal/complaints", Some("authority"), None).await;
    let (_, hanoi) = app.page("/portal/complaints", Some("authority_hn"), None).await;
    let rows = |html: &str| html.matches("data-complaint=").count();
    assert_eq!(rows(&national), all["items"].as_array().unwrap().len());
    assert_eq!(rows(&hanoi), own["items"].as_array().unwrap().len());
    assert!(rows(&hanoi) < rows(&national));
}

#[tokio::test]
async fn an_existing_recall_belongs_to_its_declarer_and_the_server_says_who_and_when() {
    let app = App::demo();
    let before = resolve(&app, &format!("(01){TEA}(10){TEA_LOT}")).await;
    assert_eq!(warnings(&before)[0], "recalled");
    // Chè Sương Mai owns the product, but R-2026-0001 is the authority's.
    let rewrite = json!({"id": "R-2026-0001", "gtin": TEA, "lots": ["TMC500-261100"], "severity": "low",
                         "reason_vi": "Nhầm lẫn, đã xử lý xong"});
    let (status, body) = app.call("POST", "/v1/recalls", Some("ent_suongmai"), Some(rewrite.clone())).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    let as_catalog = json!({"recalls": [{"id": "R-2026-0001", "gtin": TEA, "lots": ["TMC500-261100"],
        "reason_vi": "x", "severity": "low", "declared_by": "authority", "declared_at": "2026-11-20T09:00:00Z"}]});
    let (status, body) = app.call("PUT", "/v1/catalog", Some("ent_suongmai"), Some(as_catalog)).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    let after = resolve(&app, &format!("(01){TEA}(10){TEA_LOT}")).await;
    assert_eq!(warnings(&after)[0], "recalled", "the banner stays");
    let (_, pack) = app.call("GET", "/v1/recall-pack?province=19", Some("authority"), None).await;
    let r1 = pack["body"]["recalls"].as_array().unwrap().iter().find(|r| r["id"] == "R-2026-0001").unwrap();
    assert_eq!(r1["lots"], json!([TEA_LOT]), "the signed pack still names the recalled lot");
    // The authority may change it.
    let (status, body) = app.call("POST", "/v1/recalls", Some("authority"), Some(rewrite)).await;
    assert_eq!(status, 201, "{body}");

    // A recall of its own: the server, not the client, says who declared it and when.
    let own = json!({"recalls": [{"id": "R-SM-1", "gtin": TEA, "lots": ["TMC500-261100"], "reason_vi": "Bao bì rách",
        "severity": "low", "declared_by": "authority", "declared_at": "not a date"}]});
    let (status, body) = app.call("PUT", "/v1/catalog", Some("ent_suongmai"), Some(own)).await;
    assert_eq!(status, 200, "{body}");
    let story = resolve(&app, &format!("(01){TEA}(10)TMC500-261100")).await;
    let r = story["recalls"].as_array().unwrap().iter().find(|r| r["id"] == "R-SM-1").unwrap().clone();
    assert_eq!(r["declared_by"], "ent_suongmai");
    assert_eq!(r["declared_at"], "2026-11-26T05:00:00.000Z", "the server's clock");
    // A provincial authority recalls in its province.
    let local =
        json!({"gtin": TEA, "lots": ["TMC500-261101"], "severity": "medium", "reason_vi": "Kiểm tra lại"});
    let (status, body) = app.call("POST", "/v1/recalls", Some("authority_hn"), Some(local.clone())).await;
    assert_eq!((status, body["recall"]["province"].as_str()), (201, Some("01")), "{body}");
    let mut national = local;
    national["province"] = json!("79");
    let (status, _) = app.call("POST", "/v1/recalls", Some("authority_hn"), Some(national)).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn inspections_come_from_inspectors_whatever_the_face() {
    let app = App::demo();
    let market = &demo_glns("market")[0];
    let lot_page = format!("/01/{COFFEE}/10/{COFFEE_LOT}");
    assert!(!app.page(&lot_page, None, None).await.1.contains("Không đạt"));
    // The wholesale market's enterprise account, at its own GLN, about another company's lot.
    let (status, body) =
        capture(&app, "market", &inspection_doc(COFFEE, COFFEE_LOT, market, "non_conformant")).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("epcis_security")), "{body}");
    assert!(!app.page(&lot_page, None, None).await.1.contains("Không đạt"), "no inspection it did not get");
    // A company passing its own recalled lot.
    let factory = &demo_glns("ent_suongmai")[0];
    let (status, body) =
        capture(&app, "ent_suongmai", &inspection_doc(TEA, TEA_LOT, factory, "conformant")).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("epcis_security")), "{body}");
    // The same account's phone is refused too: one answer, two faces.
    let phone = EventBody::Inspection(truyxuat_core::journal::Inspection {
        code: format!("(01){TEA}(10){TEA_LOT}"),
        market_gln: Some(factory.clone()),
        location: None,
        result: truyxuat_core::journal::InspectionResult::Conformant,
        reasons: Vec::new(),
        sample_taken: false,
        notes: None,
        photos: Vec::new(),
    });
    let (status, body) = push(&app, "ent_suongmai", &phone).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    // An inspector's is recorded, whatever the face.
    let (status, body) = push(&app, "inspector", &phone).await;
    assert_eq!((status, body["results"][0]["status"].as_str()), (200, Some("accepted")), "{body}");
}

#[tokio::test]
async fn only_a_products_company_or_its_suppliers_produce_its_lots() {
    let app = App::demo();
    let pepper_farm = demo_glns("farmer2")[0].clone();
    let harvest = |gln: &str| {
        EventBody::Harvest(Harvest {
            product: "Cà phê".into(),
            gtin: Some(COFFEE.into()),
            lot: COFFEE_LOT.into(),
            quantity: 50.0,
            unit: "kg".into(),
            harvest_date: "2026-11-20".into(),
            gln: Some(gln.into()),
            location: None,
            certification: None,
            photos: Vec::new(),
        })
    };
    let (status, body) = push(&app, "farmer2", &harvest(&pepper_farm)).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    let story = resolve(&app, &format!("(01){COFFEE}(10){COFFEE_LOT}")).await;
    assert!(
        !story["journey"].as_array().unwrap().iter().any(|s| s["recorded_by"] == "farmer2"),
        "the coffee lot gained no step of the pepper farm"
    );
    // Phù Sa cannot name Cao Nguyên's lot as what it made.
    let phusa = demo_glns("ent_phusa")[0].clone();
    let made = EventBody::Transformation(Transformation {
        inputs: vec![LotRef {
            gtin: "08936347900036".into(),
            lot: Some("X".into()),
            quantity: None,
            unit: None,
        }],
        outputs: vec![LotRef {
            gtin: COFFEE.into(),
            lot: Some(COFFEE_LOT.into()),
            quantity: None,
            unit: None,
        }],
        gln: Some(phusa),
        process: None,
        date: "2026-11-21".into(),
    });
    let (status, body) = push(&app, "ent_phusa", &made).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    // Once Cao Nguyên registers the pepper farm as a supplier of the product, it may.
    let supplier = json!({"suppliers": [{"gtin": COFFEE, "gln": pepper_farm}]});
    let (status, body) = app.call("PUT", "/v1/catalog", Some("enterprise"), Some(supplier.clone())).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app.call("PUT", "/v1/catalog", Some("ent_phusa"), Some(supplier)).await;
    assert_eq!(status, 403, "a supplier is registered by the product's company only");
    let (status, body) = push(&app, "farmer2", &harvest(&pepper_farm)).await;
    assert_eq!((status, body["results"][0]["status"].as_str()), (200, Some("accepted")), "{body}");
}

#[tokio::test]
async fn one_scope_per_account_whatever_the_route() {
    let app = App::demo();
    // EPCIS data is its owner's and the national accounts'.
    let count = |body: &Value| {
        body["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().len()
    };
    let (_, national) = app.call("GET", "/epcis/events?perPage=1000", Some("authority"), None).await;
    let (_, inspector) = app.call("GET", "/epcis/events?perPage=1000", Some("inspector"), None).await;
    let (_, hanoi) = app.call("GET", "/epcis/events?perPage=1000", Some("authority_hn"), None).await;
    assert!(count(&national) > 100, "{}", count(&national));
    assert!(
        count(&inspector) < count(&national) && count(&hanoi) == 0,
        "{} {}",
        count(&inspector),
        count(&hanoi)
    );
    assert!(
        inspector["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["bizStep"].as_str().is_some_and(|s| s.ends_with("inspecting"))),
        "the inspector reads its own inspections only"
    );
    // The event feed: a provincial authority reads its own, not other provinces' complaints.
    let (status, feed) = app.call("GET", "/v1/events?limit=5000", Some("authority_hn"), None).await;
    assert_eq!(status, 200);
    assert!(feed["items"].as_array().unwrap().is_empty(), "{feed}");
    let (_, all) = app.call("GET", "/v1/events?limit=5000", Some("authority"), None).await;
    let inspections: Vec<Value> =
        all["items"].as_array().unwrap().iter().filter(|e| e["kind"] == "inspection").cloned().collect();
    let by = |who: &str| {
        inspections.iter().find(|e| e["username"] == who).unwrap()["id"].as_str().unwrap().to_owned()
    };
    // Decisions on events: a provincial authority's own province only.
    let reject = json!({"status": "rejected", "reason": "ghi sai"});
    let hcm = by("inspector2");
    let (status, body) = app
        .call("POST", &format!("/v1/events/{hcm}/status"), Some("authority_hn"), Some(reject.clone()))
        .await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    let hanoi_inspection = by("inspector");
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/events/{hanoi_inspection}/status"),
            Some("authority_hn"),
            Some(reject.clone()),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let (status, _) =
        app.call("POST", &format!("/v1/events/{hcm}/status"), Some("authority"), Some(reject)).await;
    assert_eq!(status, 204);
    let (status, _) = app
        .call(
            "POST",
            "/v1/events/no-such-event/status",
            Some("consumer"),
            Some(json!({"status": "accepted"})),
        )
        .await;
    assert_eq!(status, 403, "who may not decide does not learn which events exist");
}

#[tokio::test]
async fn a_certificate_a_company_records_is_shown_as_declared() {
    let app = App::demo();
    let factory = demo_glns("ent_suongmai")[0].clone();
    let cert = json!({"certifications": [{"subject": factory, "scheme": "VietGAP", "issuer": "Tự công bố",
        "number": "SM-2026-1", "valid_from": "2026-01-01", "valid_to": "2030-01-01", "source": "authority"}]});
    let (status, body) = app.call("PUT", "/v1/catalog", Some("ent_suongmai"), Some(cert)).await;
    assert_eq!(status, 200, "{body}");
    let story = resolve(&app, &format!("(01){TEA}(10){TEA_LOT}")).await;
    let own = story["certifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == "SM-2026-1")
        .unwrap()
        .clone();
    assert_eq!((own["source"].as_str(), own["valid_now"].as_bool()), (Some("company"), Some(false)), "{own}");
    let (_, page) = app.page(&format!("/01/{TEA}/10/{TEA_LOT}"), None, None).await;
    assert!(page.contains("doanh nghiệp tự công bố"), "the page says who stands behind it");
    // A certifier's (the demo's certification body) is issued.
    let issued = json!({"certifications": [{"subject": factory, "scheme": "HACCP", "issuer": "TNCert",
        "number": "TN-HACCP-1", "valid_from": "2026-01-01", "valid_to": "2030-01-01"}]});
    let (status, _) = app.call("PUT", "/v1/catalog", Some("certifier"), Some(issued)).await;
    assert_eq!(status, 200);
    let story = resolve(&app, &format!("(01){TEA}(10){TEA_LOT}")).await;
    let haccp = story["certifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == "TN-HACCP-1")
        .unwrap()
        .clone();
    assert_eq!((haccp["source"].as_str(), haccp["valid_now"].as_bool()), (Some("authority"), Some(true)));
    // And the company cannot rewrite the issued one.
    let rewrite = json!({"certifications": [{"subject": factory, "scheme": "HACCP", "issuer": "TNCert",
        "number": "TN-HACCP-1", "valid_from": "2026-01-01", "valid_to": "2040-01-01"}]});
    let (status, _) = app.call("PUT", "/v1/catalog", Some("ent_suongmai"), Some(rewrite)).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn new_accounts_follow_one_rule_set() {
    let app = App::demo();
    let account = |username: &str, password: &str, role: &str, province: Option<&str>| json!({"username": username, "password": password, "role": role, "province": province, "glns": []});
    let admin = json!({"username": "root", "password": "correct horse battery", "role": "admin"});
    let (status, _) = app.call("POST", "/v1/users", Some("authority"), Some(admin.clone())).await;
    assert_eq!(status, 403, "only an admin makes accounts");
    // The first admin, as the operator makes it.
    truyxuat_server::actions::accounts::create_as_operator(
        app.store(),
        truyxuat_server::domain::account::AccountRequest {
            username: "root".into(),
            password: "correct horse battery".into(),
            role: "admin".into(),
            province: None,
            glns: Vec::new(),
        },
    )
    .unwrap();
    for (body, code) in [
        (account("insp_x", "mật khẩu dài", "inspector", Some("99")), "invalid_province"),
        (account("insp_y", "mật khẩu dài", "inspector", None), "invalid_province"),
        (account("spaces", "        ", "farmer", None), "weak_password"),
        (account("a b", "mật khẩu dài", "farmer", None), "invalid_username"),
        (account("boss", "mật khẩu dài", "superuser", None), "invalid_role"),
    ] {
        let (status, answer) = app.call("POST", "/v1/users", Some("root"), Some(body.clone())).await;
        assert_eq!((status, answer["code"].as_str()), (422, Some(code)), "{body}: {answer}");
    }
    let (status, made) = app
        .call(
            "POST",
            "/v1/users",
            Some("root"),
            Some(account("insp_dn", "mật khẩu dài", "inspector", Some("48"))),
        )
        .await;
    assert_eq!((status, made["province"].as_str()), (201, Some("48")), "{made}");
}
