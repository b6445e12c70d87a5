//! The resolver on the demo data: every scenario of `fixtures/demo` gives the
//! answer a consumer needs, through `/v1/resolve`, the Digital Link routes
//! (JSON, HTML, linkset, redirects), search, catalog writes and CSV import.

mod support;

use serde_json::{Value, json};
use support::{Server, call, demo, login};

fn scenario(name: &str) -> (String, String) {
    let s = &demo()["scenarios"][name];
    let second = s.get("lot").or_else(|| s.get("serial")).unwrap();
    (s["gtin"].as_str().unwrap().to_owned(), second.as_str().unwrap().to_owned())
}

fn resolve(url: &str, code: &str) -> Value {
    let enc: String = code.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, body, _) = call("GET", &format!("{url}/v1/resolve?code={enc}"), None, None);
    assert_eq!(status, 200, "{body}");
    body
}

fn warnings(p: &Value) -> Vec<String> {
    p["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn demo_scenarios_resolve_with_the_right_story_and_warnings() {
    let server = Server::start(&[]);
    let url = &server.url;

    let (gtin, lot) = scenario("complete_chain");
    let p = resolve(url, &format!("(01){gtin}(10){lot}"));
    assert_eq!(p["registered"], true);
    assert_eq!(p["chain"]["complete"], true, "{}", p["chain"]);
    assert!(warnings(&p).is_empty(), "{:?}", warnings(&p));
    let kinds: Vec<&str> =
        p["journey"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    for k in ["harvest", "transformation", "shipping", "receiving"] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    assert!(!p["inputs"].as_array().unwrap().is_empty(), "one step up: the input lots");
    assert!(!p["product"]["name_vi"].as_str().unwrap().is_ascii(), "Vietnamese name");
    assert!(p["company"]["name"].is_string());
    assert!(!p["certifications"].as_array().unwrap().is_empty());
    let dates: Vec<&str> =
        p["journey"].as_array().unwrap().iter().map(|s| s["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "the journey is in time order: {dates:?}");

    let (gtin, lot) = scenario("recalled");
    let p = resolve(url, &format!("https://id.gs1.org/01/{gtin}/10/{lot}"));
    assert_eq!(warnings(&p)[0], "recalled");
    assert!(p["recalls"][0]["lots"].as_array().unwrap().contains(&json!(lot)));

    let (gtin, lot) = scenario("expired");
    assert!(warnings(&resolve(url, &format!("(01){gtin}(10){lot}"))).contains(&"expired".to_owned()));

    let (gtin, lot) = scenario("broken_chain");
    let p = resolve(url, &format!("(01){gtin}(10){lot}"));
    assert_eq!(p["chain"]["complete"], false);
    assert!(!p["chain"]["breaks"].as_array().unwrap().is_empty());

    let (gtin, serial) = scenario("cloned");
    let p = resolve(url, &format!("https://id.gs1.org/01/{gtin}/21/{serial}"));
    assert!(warnings(&p).contains(&"possibly_cloned".to_owned()), "{:?}", warnings(&p));
    assert!(p["serial_scans"]["devices"].as_u64().unwrap() >= 3);
    // Another serial of the same product, scanned once, is fine.
    let other = demo()["serials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["gtin"] == json!(gtin) && s["serial"] != json!(serial))
        .map(|s| s["serial"].as_str().unwrap().to_owned())
        .unwrap();
    assert!(
        !warnings(&resolve(url, &format!("(01){gtin}(21){other}"))).contains(&"possibly_cloned".to_owned())
    );

    // A well-formed GTIN nobody registered, and text that is no code at all.
    let p = resolve(url, "8930000000019");
    assert_eq!((p["registered"].as_bool(), warnings(&p)), (Some(false), vec!["not_registered".to_owned()]));
    assert_eq!(warnings(&resolve(url, "hello")), ["invalid_code"]);
    let sscc = resolve(url, "]C100389345630000000012");
    assert_eq!(
        (sscc["code"]["kind"].as_str(), warnings(&sscc)),
        (Some("sscc"), vec!["not_registered".to_owned()])
    );
    let (status, body, _) = call("GET", &format!("{url}/v1/resolve?code="), None, None);
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_code")));
}

#[test]
fn search_ignores_diacritics_and_case() {
    let server = Server::start(&[]);
    let url = &server.url;
    for (q, needle) in
        [("ca phe", "cà phê"), ("CA PHE", "cà phê"), ("gao st25", "st25"), ("nuoc mam", "nước mắm")]
    {
        let (status, page, _) =
            call("GET", &format!("{url}/v1/products?q={}", q.replace(' ', "%20")), None, None);
        assert_eq!(status, 200);
        let items = page["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{q}");
        assert!(
            items.iter().all(|i| i["name_vi"].as_str().unwrap().to_lowercase().contains(needle)
                || i["brand"].as_str().unwrap_or("").to_lowercase().contains(needle)),
            "{q}: {items:?}"
        );
        assert!(page["total"].as_u64().unwrap() as usize >= items.len());
    }
    let (_, page, _) = call("GET", &format!("{url}/v1/products?q=zzzznothing"), None, None);
    assert_eq!(page["total"], 0);
    let (_, provinces, _) = call("GET", &format!("{url}/v1/provinces"), None, None);
    assert_eq!(provinces.as_array().unwrap().len(), 34);
    assert!(
        provinces
            .as_array()
            .unwrap()
            .contains(&json!({"code": "66", "name_vi": "Tỉnh Đắk Lắk", "name_en": "Dak Lak"}))
    );
}

fn get(url: &str, accept: &str) -> (u16, String, ureq::http::HeaderMap) {
    let agent =
        ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().new_agent();
    let mut r = agent.get(url).header("Accept", accept).call().unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, r.body_mut().read_to_string().unwrap_or_default(), headers)
}

#[test]
fn the_digital_link_resolver_negotiates_content() {
    let server = Server::start(&[]);
    let url = &server.url;
    let (gtin, lot) = scenario("complete_chain");
    let short = gtin.trim_start_matches('0');
    let dl = format!("{url}/01/{short}/10/{lot}");

    let (status, body, headers) = get(&dl, "application/json");
    assert_eq!(status, 200, "{body}");
    let p: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(p["code"]["gtin"], json!(gtin), "13 digits are padded to 14");
    let link = headers.get("link").unwrap().to_str().unwrap();
    assert!(link.contains("rel=\"linkset\""), "{link}");

    let (status, html, _) = get(&dl, "text/html,application/xhtml+xml");
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"vi\""));
    assert!(html.contains(p["product"]["name_vi"].as_str().unwrap()));
    assert!(html.contains("Thu hoạch") && html.contains("Hành trình sản phẩm"));
    let (_, english, _) = get(&format!("{dl}?lang=en"), "text/html");
    assert!(english.contains("<html lang=\"en\"") && english.contains("Journey"));

    let (status, body, headers) = get(&format!("{dl}?linkType=all"), "*/*");
    assert_eq!(status, 200);
    assert_eq!(headers.get("content-type").unwrap(), "application/linkset+json");
    let ls: Value = serde_json::from_str(&body).unwrap();
    assert!(ls["linkset"][0]["https://gs1.org/voc/pip"].is_array());
    let (_, body2, _) = get(&dl, "application/linkset+json");
    assert_eq!(body2, body);

    let (status, _, headers) = get(&format!("{dl}?linkType=gs1:traceability"), "*/*");
    assert_eq!(status, 307);
    assert!(headers.get("location").unwrap().to_str().unwrap().starts_with("/v1/resolve?code="));

    let (gtin, lot) = scenario("recalled");
    let (_, html, _) = get(&format!("{url}/01/{gtin}/10/{lot}"), "text/html");
    assert!(html.contains("data-warning=\"recalled\""), "a red recall banner");

    let (status, body, _) = get(&format!("{url}/01/08930000000019"), "application/json");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((status, problem["code"].as_str()), (404, Some("not_registered")));
    let (status, html, _) = get(&format!("{url}/01/08930000000019"), "text/html");
    assert_eq!(status, 404);
    assert!(html.contains("chưa được đăng ký"));

    let (status, body, _) = get(&format!("{url}/01/123"), "application/json");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("invalid_digital_link"));

    // Keys without qualifiers are Digital Links too (an SSCC: a pallet
    // nobody registered here), and the key is the rightmost one.
    let (status, body, headers) = get(&format!("{url}/00/106141411234567897"), "application/json");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((status, problem["code"].as_str()), (404, Some("not_registered")), "{body}");
    assert!(headers.get("link").unwrap().to_str().unwrap().contains("/00/106141411234567897"));
    let (status, body, _) = get(&format!("{url}/01/faux/01/{gtin}"), "application/json");
    assert_eq!(status, 200, "{body}");
    for bad in [
        "/01/09780345418913/10/A?10=B",
        "/01/09780345418913?17=261231&17=270101",
        "/01/09780345418913?3103=000189+1",
    ] {
        let (status, body, _) = get(&format!("{url}{bad}"), "application/json");
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body.contains("invalid_digital_link"), "{bad}: {body}");
    }

    let farm = demo()["locations"].as_array().unwrap().iter().find(|l| l["kind"] == "farm").unwrap().clone();
    let (status, body, _) = get(&format!("{url}/414/{}", farm["gln"].as_str().unwrap()), "application/json");
    assert_eq!(status, 200, "{body}");
    let p: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(p["location"]["name"], farm["name"]);
}

#[test]
fn enterprises_write_their_own_catalog_records_only() {
    let server = Server::start(&[]);
    let url = &server.url;
    let users = demo()["users"].as_array().unwrap().clone();
    let enterprise = users.iter().find(|u| u["username"] == "enterprise").unwrap();
    let companies = demo()["companies"].as_array().unwrap().clone();
    let sites = demo()["locations"].as_array().unwrap().clone();
    let own_key = sites
        .iter()
        .find(|l| enterprise["glns"].as_array().unwrap().contains(&l["gln"]))
        .map(|l| l["company"].clone())
        .unwrap();
    let own = companies.iter().find(|c| c["key"] == own_key).unwrap();
    let other = companies.iter().find(|c| c["key"] != own["key"]).unwrap();
    let product = |company: &Value, gtin: &str| {
        json!({"products": [{"gtin": gtin, "company": company["key"], "name_vi": "Cà phê hòa tan thử nghiệm",
               "name_en": "Test instant coffee", "brand": null, "category": "coffee", "origin_province": "66",
               "description_vi": null, "description_en": null, "image": null}]})
    };
    let token = login(url, "enterprise");
    let (status, body, _) = call_put(url, &token, &product(own, "8936120999998"));
    assert_eq!((status, body["stored"].as_u64()), (200, Some(1)), "{body}");
    let (_, page, _) = call("GET", &format!("{url}/v1/products?q=hoa%20tan%20thu"), None, None);
    assert_eq!(page["items"][0]["gtin"], "08936120999998");

    let (status, body, _) = call_put(url, &token, &product(other, "8936120999981"));
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, _, _) = call_put(url, &login(url, "consumer"), &product(own, "8936120999981"));
    assert_eq!(status, 403);
    let (status, body, _) = call_put(url, &token, &product(own, "8936120999987"));
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_record")), "{body}");

    // GTIN squatting: a company writes only GTINs inside its own GS1 company
    // prefix, so Phù Sa cannot register one inside Cao Nguyên's (and its
    // owner then still can); nor may an enterprise give itself a prefix.
    let phusa = companies.iter().find(|c| c["key"] == "phusa").unwrap();
    let (status, body, _) = call_put(url, &login(url, "ent_phusa"), &product(phusa, "8936120109991"));
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, body, _) = call_put(url, &token, &product(own, "8936120109991"));
    assert_eq!(status, 200, "{body}");
    let mut grab = own.clone();
    grab["prefixes"] = json!(["8936120", "8936347"]);
    let (status, body, _) = call_put(url, &token, &json!({"companies": [grab]}));
    assert_eq!(status, 200, "{body}");
    let (status, body, _) = call_put(url, &token, &product(own, "8936347999993"));
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("forbidden")),
        "the prefix stays the authority's: {body}"
    );

    // An authority may register anything; a Chinese prefix on a product that
    // claims Vietnamese origin is flagged.
    let (status, _, _) = call_put(url, &login(url, "authority"), &product(own, "6901234567892"));
    assert_eq!(status, 200);
    let p = resolve(url, "6901234567892");
    assert!(warnings(&p).contains(&"foreign_prefix".to_owned()), "{:?}", warnings(&p));
}

fn call_put(url: &str, token: &str, body: &Value) -> (u16, Value, String) {
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let mut r = agent
        .put(&format!("{url}/v1/catalog"))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(body)
        .unwrap();
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null), String::new())
}

#[test]
fn csv_import_is_all_or_nothing_with_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("import.db");
    let companies = dir.path().join("companies.csv");
    std::fs::write(
        &companies,
        "key,name,tax_code,gln,province,address,phone,email,website\n\
        hopthu,Hợp tác xã Hòa Thuận,0101234567,8934563000028,66,\"xã Ea Tu, tỉnh Đắk Lắk\",,,\n",
    )
    .unwrap();
    let products = dir.path().join("products.csv");
    let header =
        "gtin,company,name_vi,name_en,brand,category,origin_province,description_vi,description_en,image\n";
    let good = "8934563111113,hopthu,Cà phê bột Hòa Thuận,Hoa Thuan ground coffee,Hòa Thuận,coffee,66,,,\n";
    std::fs::write(
        &products,
        format!("{header}{good}8934563111112,hopthu,Bad check digit,,,,,,,\n,hopthu,,,,,,,,\n"),
    )
    .unwrap();
    let run = |kind: &str, file: &std::path::Path| {
        std::process::Command::new(support::bin())
            .args(["import", "--db"])
            .arg(&db)
            .args(["--kind", kind])
            .arg(file)
            .output()
            .unwrap()
    };
    let out = run("companies", &companies);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run("products", &products);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 3:") && stderr.contains("line 4:") && !stderr.contains("line 2:"),
        "{stderr}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["stored"], 0);
    let store = truyxuat_server::store::SqliteStore::open(&db).unwrap();
    use truyxuat_server::store::Store;
    assert!(store.product("08934563111113").unwrap().is_none(), "nothing half-imported");
    drop(store);

    std::fs::write(&products, format!("{header}{good}")).unwrap();
    let out = run("products", &products);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = truyxuat_server::store::SqliteStore::open(&db).unwrap();
    assert_eq!(store.product("08934563111113").unwrap().unwrap().company.as_deref(), Some("hopthu"));
    assert_eq!(store.search_products("ca phe hoa thuan", 10, 0).unwrap().1, 1);
}

#[test]
fn a_recalled_lot_is_traced_to_every_site_and_device_it_reached() {
    let server = Server::start(&[]);
    let url = &server.url;
    let (gtin, lot) = scenario("recalled");
    let reach_url = format!("{url}/v1/reach?gtin={gtin}&lot={lot}");
    let (status, reach, _) = call("GET", &reach_url, Some(&login(url, "authority")), None);
    assert_eq!(status, 200, "{reach}");
    // What the demo data says, worked out here from its events.
    let d = demo();
    let events = d["events"].as_array().unwrap();
    let about = |e: &Value| {
        let p = &e["payload"];
        let es = p["element_string"].as_str().unwrap_or("");
        (p["gtin"] == json!(gtin) && p["lot"] == json!(lot))
            || (es.contains(&format!("(01){gtin}")) && es.contains(&format!("(10){lot}")))
    };
    let scanners: std::collections::BTreeSet<&str> = events
        .iter()
        .filter(|e| e["kind"] == "scan" && about(e))
        .map(|e| e["device"].as_str().unwrap())
        .collect();
    let receivers: std::collections::BTreeSet<&str> = events
        .iter()
        .filter(|e| e["kind"] == "receiving" && about(e))
        .map(|e| e["payload"]["to_gln"].as_str().unwrap())
        .collect();
    assert!(scanners.len() >= 3, "the demo has consumers who scanned the recalled lot");
    assert_eq!(reach["devices"].as_array().unwrap().len(), scanners.len(), "{reach}");
    let sites: std::collections::BTreeSet<&str> =
        reach["sites"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(receivers.is_subset(&sites), "{receivers:?} ⊄ {sites:?}");
    let (status, _, _) = call("GET", &reach_url, Some(&login(url, "consumer")), None);
    assert_eq!(status, 403);
}

#[test]
fn a_new_recall_shows_at_once_although_resolutions_are_cached() {
    let server = Server::start(&[]);
    let url = &server.url;
    let (gtin, lot) = scenario("complete_chain");
    let code = format!("(01){gtin}(10){lot}");
    for _ in 0..3 {
        assert!(!warnings(&resolve(url, &code)).contains(&"recalled".to_owned()));
    }
    let (_, before, _) = get(&format!("{url}/01/{gtin}/10/{lot}"), "text/html");
    assert!(!before.contains("data-warning=\"recalled\""));
    let recall = json!({"recalls": [{"id": "R-TEST-1", "gtin": gtin, "lots": [lot], "reason_vi": "Thử nghiệm thu hồi",
        "reason_en": "Test recall", "severity": "high", "declared_by": "authority",
        "declared_at": "2026-11-26T10:00:00Z", "province": null}]});
    let (status, body, _) = call_put(url, &login(url, "authority"), &recall);
    assert_eq!(status, 200, "{body}");
    assert_eq!(warnings(&resolve(url, &code))[0], "recalled");
    let (_, after, _) = get(&format!("{url}/01/{gtin}/10/{lot}"), "text/html");
    assert!(after.contains("data-warning=\"recalled\""));
}

#[test]
fn a_demo_product_photographed_from_the_screen_resolves_to_its_story() {
    let server = Server::start(&[]);
    let (gtin, lot) = scenario("complete_chain");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/codes/demo");
    for kind in ["datamatrix", "qr"] {
        let bytes = std::fs::read(dir.join(format!("{gtin}-{lot}-{kind}.png"))).unwrap();
        let symbols = truyxuat_core::decode::decode_image(&bytes, truyxuat_core::decode::Mode::Fast).unwrap();
        assert_eq!(symbols.len(), 1, "{kind}");
        // What a phone sends: the decoder's text, with its symbology identifier for GS1 data.
        let scanned = if symbols[0].is_gs1 {
            format!("{}{}", symbols[0].symbology_id, symbols[0].text)
        } else {
            symbols[0].text.clone()
        };
        let p = resolve(&server.url, &scanned);
        assert_eq!(
            (p["code"]["gtin"].as_str(), p["code"]["lot"].as_str()),
            (Some(gtin.as_str()), Some(lot.as_str()))
        );
        assert_eq!(p["chain"]["complete"], true, "{kind}");
    }
}

#[test]
fn a_local_recall_reaches_every_phone_that_scanned_the_lot_and_flags_its_scans() {
    let server = Server::start(&[]);
    let url = &server.url;
    let (gtin, lot) = scenario("complete_chain");
    let dir = tempfile::tempdir().unwrap();
    // A consumer (no province) scans the lot offline, then syncs.
    let phone = support::journal_path(&dir, "consumer3");
    support::device_ok(&phone, &["init", "--server", url]);
    support::device_ok(&phone, &["scan", &format!("https://id.gs1.org/01/{gtin}/10/{lot}")]);
    support::device_ok(&phone, &["scan", "8936458100240"]);
    support::device_ok(&phone, &["login", "--user", "consumer3", "--password", "demo"]);
    support::device_ok(&phone, &["sync"]);
    assert_eq!(support::device_ok(&phone, &["status"])["recalled_scans"], 0);

    // A recall for one province only (not the consumer's).
    let body = json!({"gtin": gtin, "lots": [lot], "reason_vi": "Nhiễm khuẩn", "reason_en": "Contamination",
                      "severity": "high", "province": "92"});
    let (status, _, _) =
        call("POST", &format!("{url}/v1/recalls"), Some(&login(url, "consumer")), Some(&body));
    assert_eq!(status, 403);
    let (status, declared, _) =
        call("POST", &format!("{url}/v1/recalls"), Some(&login(url, "authority")), Some(&body));
    assert_eq!(status, 201, "{declared}");
    assert!(declared["devices_notified"].as_u64().unwrap() >= 1);
    assert_eq!(warnings(&resolve(url, &format!("(01){gtin}(10){lot}")))[0], "recalled", "shown at once");

    let pulled = support::device_ok(&phone, &["sync"]);
    assert!(pulled["pulled"].as_u64().unwrap() >= 1, "{pulled}");
    let out = support::device(&phone, &["recalls"]);
    let flagged: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert_eq!(
        (flagged[0]["seq"].as_i64(), flagged[0]["recall_id"].as_str()),
        (Some(1), declared["recall"]["id"].as_str())
    );
    assert_eq!(support::device_ok(&phone, &["status"])["recalled_scans"], 1);
}

#[test]
fn a_pushed_inspection_shows_at_once_although_resolutions_are_cached() {
    let server = Server::start(&[]);
    let url = &server.url;
    let (gtin, lot) = scenario("complete_chain");
    let code = format!("(01){gtin}(10){lot}");
    let before = resolve(url, &code)["inspections"].as_array().unwrap().len();
    resolve(url, &code);
    let dir = tempfile::tempdir().unwrap();
    let phone = support::journal_path(&dir, "inspector");
    support::device_ok(&phone, &["init", "--server", url]);
    support::device_ok(&phone, &["login", "--user", "inspector", "--password", "demo"]);
    support::device_ok(
        &phone,
        &["inspect", "--code", &code, "--result", "non-conformant", "--reason", "bao bì rách"],
    );
    assert_eq!(support::device_ok(&phone, &["sync"])["pushed"], 1);
    let after = resolve(url, &code);
    assert_eq!(after["inspections"].as_array().unwrap().len(), before + 1, "not a stale cached answer");
}

#[test]
fn a_shipment_of_an_input_lot_shows_at_once_in_the_story_of_the_lot_made_from_it() {
    let server = Server::start(&[]);
    let url = &server.url;
    let (gtin, lot) = scenario("complete_chain");
    let code = format!("(01){gtin}(10){lot}");
    let story = resolve(url, &code);
    resolve(url, &code);
    let input = &story["inputs"][0];
    let (raw_gtin, raw_lot) =
        (input["gtin"].as_str().unwrap().to_owned(), input["lot"].as_str().unwrap().to_owned());
    let harvest =
        story["journey"].as_array().unwrap().iter().find(|s| s["kind"] == "harvest").unwrap().clone();
    let farm = harvest["place"]["gln"].as_str().unwrap().to_owned();
    let farmer = harvest["recorded_by"].as_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let phone = support::journal_path(&dir, "farm");
    support::device_ok(&phone, &["init", "--server", url]);
    support::device_ok(&phone, &["login", "--user", &farmer, "--password", "demo"]);
    support::device_ok(
        &phone,
        &[
            "ship",
            "--gtin",
            &raw_gtin,
            "--lot",
            &raw_lot,
            "--quantity",
            "1",
            "--from",
            &farm,
            "--to",
            "8930000000101",
        ],
    );
    assert_eq!(support::device_ok(&phone, &["sync"])["pushed"], 1);
    let after = resolve(url, &code);
    assert_eq!(
        after["journey"].as_array().unwrap().len(),
        story["journey"].as_array().unwrap().len() + 1,
        "the new shipment of the input lot is in the packaged lot's story"
    );
}

/// The phone reads `/v1/resolve` with `truyxuat_core::lookup`: every
/// scenario's answer must parse into the same verdicts the server gave.
#[test]
fn the_phone_reads_every_scenario_answer_as_the_server_meant_it() {
    use truyxuat_core::lookup::{Source, from_server};
    let server = Server::start(&[]);
    for name in ["recalled", "expired", "cloned", "broken_chain", "complete_chain"] {
        let (gtin, second) = scenario(name);
        let ai = if name == "cloned" { "21" } else { "10" };
        let raw = resolve(&server.url, &format!("(01){gtin}({ai}){second}"));
        let phone = from_server(&raw.to_string(), Source::Online).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            phone.warnings.iter().map(|w| w.code.clone()).collect::<Vec<_>>(),
            warnings(&raw),
            "{name}"
        );
        assert_eq!(phone.registered, raw["registered"].as_bool().unwrap(), "{name}");
        assert_eq!(
            phone.product.as_ref().map(|p| p.name_vi.as_str()),
            raw["product"]["name_vi"].as_str(),
            "{name}"
        );
        assert_eq!(phone.chain_complete, raw["chain"]["complete"].as_bool(), "{name}");
        assert_eq!(phone.journey_steps as usize, raw["journey"].as_array().unwrap().len(), "{name}");
        assert_eq!(phone.recalls.len(), raw["recalls"].as_array().unwrap().len(), "{name}");
        assert_eq!(phone.code.gtin.as_deref(), Some(gtin.as_str()), "{name}");
    }
}
