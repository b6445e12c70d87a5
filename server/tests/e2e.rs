//! End to end: a real server on 127.0.0.1:0, several command-line phones
//! with their own journals, offline writes, sync, and the server's contents
//! checked through the API.

mod support;

use serde_json::{Value, json};
use support::{
    Server, call, demo_glns, demo_pull_count, device, device_ok, events_from, journal_path, login,
};

#[test]
fn phones_work_offline_then_sync_exactly_once() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let farmer = journal_path(&dir, "farmer");
    let inspector = journal_path(&dir, "inspector");
    let consumer = journal_path(&dir, "consumer");
    let enterprise = journal_path(&dir, "enterprise");
    let farm = demo_glns("farmer")[0].clone();
    let site = demo_glns("enterprise")[0].clone();
    let (products, lots, recalls) = demo_pull_count("farmer");

    // The farmer works with no network: the server address is unreachable.
    device_ok(&farmer, &["init", "--server", "http://127.0.0.1:9"]);
    let harvest = device_ok(
        &farmer,
        &[
            "harvest",
            "--product",
            "Cà phê Robusta",
            "--lot",
            "CP-2026-11",
            "--quantity",
            "320.5",
            "--date",
            "2026-11-20",
            "--gtin",
            "08934563138011",
            "--gln",
            &farm,
            "--certification",
            "VietGAP",
        ],
    );
    assert_eq!(harvest["saved"], 1);
    device_ok(
        &farmer,
        &["diary", "--input", "Phân hữu cơ", "--dose", "2 kg/gốc", "--date", "2026-10-01", "--gln", &farm],
    );
    device_ok(
        &farmer,
        &[
            "diary",
            "--input",
            "Abamectin",
            "--dose",
            "10 ml/bình",
            "--date",
            "2026-10-20",
            "--phi",
            "14",
            "--gln",
            &farm,
        ],
    );
    let offline = device(&farmer, &["login", "--user", "farmer", "--password", "demo"]);
    assert!(!offline.status.success());
    assert!(String::from_utf8_lossy(&offline.stderr).contains("server unreachable"), "{offline:?}");
    assert_eq!(device_ok(&farmer, &["status"])["pending"], 3);

    // The network comes back.
    device_ok(&farmer, &["init", "--server", &server.url]);
    let who = device_ok(&farmer, &["login", "--user", "farmer", "--password", "demo"]);
    assert_eq!(who["role"], "farmer");
    let report = device_ok(&farmer, &["sync"]);
    assert_eq!(
        (report["pushed"].as_u64(), report["rejected"].as_u64(), report["pending"].as_u64()),
        (Some(3), Some(0), Some(0))
    );
    assert_eq!(report["pulled"], products + lots + recalls, "products, lots and recalls");
    let again = device_ok(&farmer, &["sync"]);
    assert_eq!((again["pushed"].as_u64(), again["pulled"].as_u64()), (Some(0), Some(0)));
    let status = device_ok(&farmer, &["status"]);
    assert_eq!((status["acked"].as_u64(), status["total"].as_u64()), (Some(3), Some(3)));
    assert_eq!(status["cache"], json!({"lot": lots, "product": products, "recall": recalls}));

    // An inspector and a consumer, each on their own phone.
    device_ok(&inspector, &["init", "--server", &server.url]);
    device_ok(&inspector, &["login", "--user", "inspector", "--password", "demo"]);
    device_ok(
        &inspector,
        &[
            "inspect",
            "--code",
            "(01)08934563138011(10)CP-2026-11",
            "--result",
            "non-conformant",
            "--reason",
            "thiếu nhãn",
            "--sample",
        ],
    );
    device_ok(&consumer, &["init", "--server", &server.url]);
    device_ok(&consumer, &["login", "--user", "consumer", "--password", "demo"]);
    device_ok(&consumer, &["scan", "https://id.gs1.org/01/08934563138011/10/CP-2026-11"]);
    device_ok(
        &consumer,
        &["harvest", "--product", "x", "--lot", "y", "--quantity", "1", "--date", "2026-11-01"],
    );
    assert_eq!(device_ok(&inspector, &["sync"])["pushed"], 1);
    let consumer_report = device_ok(&consumer, &["sync"]);
    assert_eq!(
        (consumer_report["pushed"].as_u64(), consumer_report["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    let listed: Vec<Value> = String::from_utf8(device(&consumer, &["list"]).stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(listed[1]["state"], "rejected");
    assert!(listed[1]["reason"].as_str().unwrap().starts_with("forbidden:"), "{}", listed[1]);

    // An enterprise ships from its own site.
    device_ok(&enterprise, &["init", "--server", &server.url]);
    device_ok(&enterprise, &["login", "--user", "enterprise", "--password", "demo"]);
    device_ok(
        &enterprise,
        &[
            "ship",
            "--gtin",
            "08936045210024",
            "--lot",
            "ST25-2411A",
            "--quantity",
            "40",
            "--unit",
            "bag",
            "--from",
            &site,
            "--to",
            "8930000000101",
        ],
    );
    assert_eq!(device_ok(&enterprise, &["sync"])["pushed"], 1);

    // The server holds each event once, with its content as recorded.
    let ids: Vec<String> = [&farmer, &inspector, &consumer, &enterprise]
        .iter()
        .map(|j| device_ok(j, &["status"])["device_id"].as_str().unwrap().to_owned())
        .collect();
    let events = events_from(&server.url, &ids.iter().map(String::as_str).collect::<Vec<_>>());
    let by_kind =
        |kind: &str| events.iter().filter(|e| e["kind"] == kind && e["status"] == "accepted").count();
    assert_eq!(events.len(), 7);
    assert_eq!(
        (
            by_kind("harvest"),
            by_kind("farm_diary"),
            by_kind("inspection"),
            by_kind("scan"),
            by_kind("shipping")
        ),
        (1, 2, 1, 1, 1)
    );
    let h = events.iter().find(|e| e["kind"] == "harvest").unwrap();
    assert_eq!((h["username"].as_str(), h["payload"]["quantity"].as_f64()), (Some("farmer"), Some(320.5)));
    assert_eq!(h["payload"]["product"], "Cà phê Robusta");
    let rejected: Vec<&Value> = events.iter().filter(|e| e["status"] == "rejected").collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["error"]["code"], "forbidden");

    // A farmer sees only their own events.
    let token = login(&server.url, "farmer");
    let (_, mine, _) = call("GET", &format!("{}/v1/events", server.url), Some(&token), None);
    let mine = mine["items"].as_array().unwrap();
    assert!(mine.iter().all(|e| e["username"] == "farmer"));
    assert_eq!(mine.iter().filter(|e| e["device_id"] == json!(ids[0])).count(), 3);

    // An authority revokes the harvest; the farmer's phone learns it on the next pull.
    let authority = login(&server.url, "authority");
    let id = h["id"].as_str().unwrap();
    let (status, body, _) = call(
        "POST",
        &format!("{}/v1/events/{id}/status", server.url),
        Some(&authority),
        Some(&json!({"status": "rejected", "reason": "lô hàng không có thật"})),
    );
    assert_eq!(status, 204, "{body}");
    let pulled = device_ok(&farmer, &["sync"]);
    assert_eq!(pulled["pulled"], 1);
    let status = device_ok(&farmer, &["status"]);
    assert_eq!((status["acked"].as_u64(), status["rejected"].as_u64()), (Some(2), Some(1)));
    assert!(device_ok(&farmer, &["verify"])["ok"].as_bool().unwrap());
}

#[test]
fn api_answers_are_problems_with_stable_codes() {
    let server = Server::start(&[]);
    let url = &server.url;
    let (status, health, _) = call("GET", &format!("{url}/healthz"), None, None);
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));

    let (status, body, ctype) = call("GET", &format!("{url}/v1/nowhere"), None, None);
    assert_eq!(
        (status, body["code"].as_str(), ctype.as_str()),
        (404, Some("not_found"), "application/problem+json")
    );
    let (status, body, _) = call("GET", &format!("{url}/v1/sync/push"), None, None);
    assert_eq!((status, body["code"].as_str()), (405, Some("method_not_allowed")));
    let (status, body, _) = call("GET", &format!("{url}/v1/sync/pull"), None, None);
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")));
    let (status, body, _) = call(
        "POST",
        &format!("{url}/v1/auth/token"),
        None,
        Some(&json!({"username": "farmer", "password": "x"})),
    );
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")));
    let (status, body, _) =
        call("POST", &format!("{url}/v1/auth/token"), None, Some(&json!({"username": "farmer"})));
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_body")));

    let token = login(url, "farmer");
    let (status, body, _) = call("GET", &format!("{url}/v1/sync/pull?cursor=bogus"), Some(&token), None);
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_cursor")));
    let (status, body, _) = call("GET", &format!("{url}/v1/sync/pull?limit=0"), Some(&token), None);
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_limit")));
    let (status, body, _) = call("GET", &format!("{url}/v1/sync/pull?limit=abc"), Some(&token), None);
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_query")));

    // Pull pages resume from their cursor.
    let (products, lots, recalls) = demo_pull_count("farmer");
    let (mut cursor, mut seen, mut pages) = (String::new(), 0, 0);
    loop {
        let page_url = format!("{url}/v1/sync/pull?limit=4&cursor={cursor}");
        let (status, page, _) = call("GET", &page_url, Some(&token), None);
        assert_eq!(status, 200, "{page}");
        let (_, again, _) = call("GET", &page_url, Some(&token), None);
        assert_eq!(again, page, "a page asked for again is the same page");
        let n = page["changes"].as_array().unwrap().len();
        assert!(n <= 4);
        seen += n as u64;
        pages += 1;
        cursor = page["cursor"].as_str().unwrap().to_owned();
        if !page["has_more"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(seen, products + lots + recalls);
    assert_eq!(pages, seen.div_ceil(4));

    // Devices: a bad id, and someone else's device.
    let (status, body, _) =
        call("POST", &format!("{url}/v1/devices"), Some(&token), Some(&json!({"device_id": "phone"})));
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_device_id")));
    let (status, made, _) = call("POST", &format!("{url}/v1/devices"), Some(&token), Some(&json!({})));
    assert_eq!(status, 201);
    let other = login(url, "inspector");
    let (status, body, _) = call("POST", &format!("{url}/v1/devices"), Some(&other), Some(&made));
    assert_eq!((status, body["code"].as_str()), (409, Some("conflict")));
    let push = json!({"device_id": made["device_id"], "events": []});
    let (status, body, _) = call("POST", &format!("{url}/v1/sync/push"), Some(&other), Some(&push));
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));

    // Limits: too many events in one push, and a body over the size limit.
    let event = json!({"id": "x", "seq": 1, "kind": "scan", "payload": {}, "device_time": "", "prev_hash": "", "hash": ""});
    let many = json!({"device_id": made["device_id"], "events": vec![event; 1001]});
    let (status, body, _) = call("POST", &format!("{url}/v1/sync/push"), Some(&token), Some(&many));
    assert_eq!((status, body["code"].as_str()), (413, Some("payload_too_large")));
    let huge = json!({"device_id": made["device_id"], "events": [], "pad": "x".repeat(9 * 1024 * 1024)});
    // The server answers 413 as soon as the body passes the limit and closes
    // the connection, so the sender may see the pipe break instead of the
    // answer; either way the body was refused, never accepted.
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let sent = agent
        .post(&format!("{url}/v1/sync/push"))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(&huge);
    match sent {
        Ok(mut r) => {
            let body: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
            assert_eq!((r.status().as_u16(), body["code"].as_str()), (413, Some("payload_too_large")));
        }
        Err(ureq::Error::Io(e)) => {
            assert!(
                matches!(e.kind(), std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset),
                "{e}"
            )
        }
        Err(e) => panic!("{e}"),
    }

    // Every route is described in the OpenAPI document.
    let (status, doc, _) = call("GET", &format!("{url}/openapi.json"), None, None);
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().unwrap();
    for route in [
        "/healthz",
        "/openapi.json",
        "/v1/auth/token",
        "/v1/users",
        "/v1/me",
        "/v1/devices",
        "/v1/sync/push",
        "/v1/sync/pull",
        "/v1/events",
        "/v1/events/{id}/status",
    ] {
        assert!(paths.contains_key(route), "{route} is missing from /openapi.json");
    }
    assert!(doc["components"]["schemas"]["PushRequest"].is_object());
}

#[test]
fn the_database_and_the_signing_secret_survive_a_restart() {
    let server = Server::start_with(&[], false);
    let secret = server.dir.path().join("jwt-secret");
    assert!(secret.exists(), "the secret is made beside the database on first run");
    // The database, its WAL and the keys are the owner's only.
    #[cfg(unix)]
    for name in ["server.db", "server.db-wal", "jwt-secret", "recall-pack.key"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(server.dir.path().join(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name}");
    }
    let dir = tempfile::tempdir().unwrap();
    let j = journal_path(&dir, "farmer");
    device_ok(&j, &["init", "--server", &server.url]);
    device_ok(&j, &["login", "--user", "farmer", "--password", "demo"]);
    device_ok(&j, &["scan", "8934563138011"]);
    assert_eq!(device_ok(&j, &["sync"])["pushed"], 1);
    let token = login(&server.url, "farmer");

    let server = server.restart();
    device_ok(&j, &["init", "--server", &server.url]);
    device_ok(&j, &["scan", "8934563138011"]);
    let report = device_ok(&j, &["sync"]);
    assert_eq!(
        (report["pushed"].as_u64(), report["pulled"].as_u64()),
        (Some(1), Some(0)),
        "same token, same data"
    );
    let (status, me, _) = call("GET", &format!("{}/v1/me", server.url), Some(&token), None);
    assert_eq!((status, me["username"].as_str()), (200, Some("farmer")));
    let id = device_ok(&j, &["status"])["device_id"].as_str().unwrap().to_owned();
    assert_eq!(events_from(&server.url, &[&id]).len(), 2);
}

#[test]
fn without_demo_there_are_no_default_accounts_and_the_first_admin_comes_from_the_cli() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("real.db");
    let mut child = std::process::Command::new(support::bin())
        .args(["user", "add", "--role", "admin", "--username", "root", "--db"])
        .arg(&db)
        .env_remove("TRUYXUAT_PASSWORD")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a long admin password\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    // The command line keeps the API's account rules.
    for (args, password, why) in [
        (&["--role", "admin", "--username", "bad name"][..], "a long admin password", "username"),
        (&["--role", "admin", "--username", "root2"][..], "        ", "password"),
        (&["--role", "inspector", "--username", "insp"][..], "a long password", "province"),
        (
            &["--role", "inspector", "--username", "insp", "--province", "99"][..],
            "a long password",
            "province",
        ),
    ] {
        let out = std::process::Command::new(support::bin())
            .args(["user", "add", "--db"])
            .arg(&db)
            .args(args)
            .env("TRUYXUAT_PASSWORD", password)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && stderr.contains(why), "{args:?}: {stderr}");
    }

    let server = support::Server::start_on(&db);
    let url = &server.url;
    let demo = json!({"username": "farmer", "password": "demo"});
    let (status, _, _) = call("POST", &format!("{url}/v1/auth/token"), None, Some(&demo));
    assert_eq!(status, 401, "no demo accounts without --demo");
    let (status, token, _) = call(
        "POST",
        &format!("{url}/v1/auth/token"),
        None,
        Some(&json!({"username": "root", "password": "a long admin password"})),
    );
    assert_eq!(status, 200);
    let admin = token["access_token"].as_str().unwrap();
    let new = json!({"username": "nong_dan_1", "password": "mat khau dai", "role": "farmer", "glns": ["8934563000004"]});
    let (status, made, _) = call("POST", &format!("{url}/v1/users"), Some(admin), Some(&new));
    assert_eq!((status, made["role"].as_str()), (201, Some("farmer")), "{made}");

    // Another traceability system, registered as a partner: it captures and
    // reads EPCIS events, and nothing else.
    let partner = json!({"username": "he_thong_tinh", "password": "mat khau doi tac", "role": "partner"});
    let (status, made, _) = call("POST", &format!("{url}/v1/users"), Some(admin), Some(&partner));
    assert_eq!((status, made["role"].as_str()), (201, Some("partner")), "{made}");
    let (_, token, _) = call(
        "POST",
        &format!("{url}/v1/auth/token"),
        None,
        Some(&json!({"username": "he_thong_tinh", "password": "mat khau doi tac"})),
    );
    let partner = token["access_token"].as_str().unwrap();
    let doc = json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-27T00:00:00Z",
        "epcisBody": {"eventList": [{"type": "ObjectEvent", "eventTime": "2026-11-26T08:00:00+07:00",
            "eventTimeZoneOffset": "+07:00", "epcList": ["urn:epc:id:sgtin:8934563.013801.9"], "action": "OBSERVE",
            "bizStep": "shipping", "readPoint": {"id": "urn:epc:id:sgln:8934563.00000.0"}}]}
    });
    let (status, job, _) = call("POST", &format!("{url}/epcis/capture"), Some(partner), Some(&doc));
    assert_eq!((status, job["stored"].as_u64()), (202, Some(1)), "{job}");
    let (status, back, _) = call("GET", &format!("{url}/epcis/events"), Some(partner), None);
    assert_eq!(status, 200);
    assert_eq!(back["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().len(), 1);
    let (status, _, _) = call("GET", &format!("{url}/v1/stats/overview"), Some(partner), None);
    assert_eq!(status, 403, "a partner system sees no statistics");
    let (status, _, _) = call(
        "POST",
        &format!("{url}/v1/auth/token"),
        None,
        Some(&json!({"username": "nong_dan_1", "password": "mat khau dai"})),
    );
    assert_eq!(status, 200);
}
