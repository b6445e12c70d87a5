//! Statistics for policy, end to end: a phone's scans, a citizen's complaint
//! and an authority's recall move the figures of `/v1/stats/…` on a real
//! server; inspectors see their province only.

mod support;

use serde_json::{Value, json};
use support::{Server, call, demo, device_ok, journal_path, login};

/// Today in Viet Nam (UTC+7), the day the server files this test's events under.
fn vn_today() -> String {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    truyxuat_core::journal::format_unix_ms(ms + 7 * 3_600_000)[..10].to_owned()
}

/// The count under `key` in a `[{key, count}]` list (0 when absent).
fn count(list: &Value, key: Option<&str>) -> u64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"].as_str() == key)
        .map_or(0, |c| c["count"].as_u64().unwrap())
}

/// A demo location of `kind` in `province`: (lat, lon).
fn place(kind: &str, province: &str) -> (f64, f64) {
    let d = demo();
    let l = d["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == kind && l["province"] == province)
        .unwrap_or_else(|| panic!("no demo {kind} in {province}"));
    (l["lat"].as_f64().unwrap(), l["lon"].as_f64().unwrap())
}

#[test]
fn the_figures_follow_scans_complaints_and_recalls() {
    let server = Server::start(&[]);
    let url = &server.url;
    let authority = login(url, "authority");
    let today = vn_today();
    let overview = |token: &str| {
        let (status, body, _) =
            call("GET", &format!("{url}/v1/stats/overview?from={today}&to={today}"), Some(token), None);
        assert_eq!(status, 200, "{body}");
        body
    };
    let before = overview(&authority);
    assert_eq!(before["period"], json!({"from": today, "to": today}));

    // A consumer's phone scans, near a Hà Nội market and a TP.HCM shop.
    let d = demo();
    let product = &d["products"][0];
    let gtin = product["gtin"].as_str().unwrap();
    let category = product["category"].as_str().unwrap();
    let lot = d["lots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["gtin"] == gtin)
        .map(|l| l["lot"].as_str().unwrap().to_owned())
        .expect("a lot of the first product");
    let (hn_lat, hn_lon) = place("market", "01");
    let (hcm_lat, hcm_lon) = place("shop", "79");
    let dir = tempfile::tempdir().unwrap();
    let phone = journal_path(&dir, "consumer");
    device_ok(&phone, &["init", "--server", url]);
    device_ok(&phone, &["login", "--user", "consumer", "--password", "demo"]);
    let near = |x: f64| format!("{:.4}", x + 0.003);
    device_ok(
        &phone,
        &[
            "scan",
            &format!("https://id.gs1.org/01/{gtin}/10/{lot}"),
            "--lat",
            &near(hn_lat),
            "--lon",
            &near(hn_lon),
        ],
    );
    // An unregistered Vietnamese code (valid check digit, nobody's product).
    device_ok(&phone, &["scan", "8936999000016", "--lat", &near(hcm_lat), "--lon", &near(hcm_lon)]);
    device_ok(&phone, &["sync"]);

    let after = overview(&authority);
    let (b, a) = (&before["scans"], &after["scans"]);
    assert_eq!(a["total"].as_u64().unwrap(), b["total"].as_u64().unwrap() + 2, "{a}");
    assert_eq!(a["unregistered"].as_u64().unwrap(), b["unregistered"].as_u64().unwrap() + 1, "{a}");
    let day = &a["by_day"].as_array().unwrap()[..];
    assert_eq!(day.len(), 1, "one day asked, one day answered (zeros included): {a}");
    assert_eq!(day[0]["day"], json!(today));
    assert_eq!(day[0]["scans"].as_u64().unwrap(), b["by_day"][0]["scans"].as_u64().unwrap() + 2);
    for (key, more) in [(Some("01"), 1), (Some("79"), 1)] {
        assert_eq!(count(&a["by_province"], key), count(&b["by_province"], key) + more, "{key:?}: {a}");
    }
    assert_eq!(count(&a["by_category"], Some(category)), count(&b["by_category"], Some(category)) + 1);
    assert_eq!(count(&a["by_category"], None), count(&b["by_category"], None) + 1);

    // A citizen complains in Hà Nội; the province's inspector resolves it.
    let (status, filed, _) = call(
        "POST",
        &format!("{url}/v1/complaints"),
        None,
        Some(&json!({"code": gtin, "category": "labelling", "province": "01", "contact": "0901234567",
                     "description": "Nhãn phụ tiếng Việt bị dán đè lên hạn sử dụng."})),
    );
    assert_eq!(status, 201, "{filed}");
    let tracking = filed["tracking_code"].as_str().unwrap();
    let inspector = login(url, "inspector"); // province 01
    let open = overview(&authority)["complaints"].clone();
    assert_eq!(open["total"].as_u64().unwrap(), before["complaints"]["total"].as_u64().unwrap() + 1);
    assert_eq!(open["open"].as_u64().unwrap(), before["complaints"]["open"].as_u64().unwrap() + 1);
    for (status, note) in
        [("processing", "Đã giao cán bộ kiểm tra."), ("resolved", "Cửa hàng đã gỡ nhãn phụ.")]
    {
        let (code, moved, _) = call(
            "POST",
            &format!("{url}/v1/complaints/{tracking}/status"),
            Some(&inspector),
            Some(&json!({"status": status, "note": note})),
        );
        assert_eq!(code, 200, "{moved}");
    }
    let closed = overview(&authority)["complaints"].clone();
    assert_eq!(closed["open"].as_u64(), open["open"].as_u64().map(|n| n - 1));
    assert_eq!(closed["closed"].as_u64().unwrap(), before["complaints"]["closed"].as_u64().unwrap() + 1);
    assert_eq!(
        count(&closed["by_status"], Some("resolved")),
        count(&before["complaints"]["by_status"], Some("resolved")) + 1
    );
    assert_eq!(
        count(&closed["by_category"], Some("labelling")),
        count(&before["complaints"]["by_category"], Some("labelling")) + 1
    );
    assert!(closed["median_hours_to_close"].as_f64().unwrap() >= 0.0, "{closed}");

    // A recall of the lot the phone scanned: it reached one device, which
    // has it once the phone has pulled.
    let (status, declared, _) = call(
        "POST",
        &format!("{url}/v1/recalls"),
        Some(&authority),
        Some(&json!({"gtin": gtin, "lots": [lot], "severity": "medium",
                     "reason_vi": "Kiểm tra lại độ ẩm", "reason_en": "Moisture to be checked again"})),
    );
    assert_eq!(status, 201, "{declared}");
    let id = declared["recall"]["id"].as_str().unwrap().to_owned();
    let reach = |token: &str| -> Value {
        let (status, body, _) =
            call("GET", &format!("{url}/v1/stats/recalls?from={today}&to={today}"), Some(token), None);
        assert_eq!(status, 200, "{body}");
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id.as_str())
            .cloned()
            .expect("the recall")
    };
    let item = reach(&authority);
    let (status, traced, _) =
        call("GET", &format!("{url}/v1/reach?gtin={gtin}&lot={lot}"), Some(&authority), None);
    assert_eq!(status, 200, "{traced}");
    let scanned = traced["devices"].as_array().unwrap();
    assert!(scanned.iter().any(|d| d == &device_ok(&phone, &["status"])["device_id"]), "{traced}");
    assert_eq!(item["devices_scanned"].as_u64(), Some(scanned.len() as u64), "{item}");
    // The demo's phones never pull: none has it yet.
    assert_eq!(item["devices_notified"].as_u64(), Some(0), "{item}");
    assert_eq!(item["lots"], json!([lot]));
    device_ok(&phone, &["sync"]);
    assert_eq!(reach(&authority)["devices_notified"].as_u64(), Some(1));

    // Participation: the demo's companies and lots, and chains resolved.
    let (status, p, _) = call("GET", &format!("{url}/v1/stats/participation"), Some(&authority), None);
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["companies"].as_u64(), Some(d["companies"].as_array().unwrap().len() as u64));
    assert_eq!(p["lots"].as_u64(), Some(d["lots"].as_array().unwrap().len() as u64));
    let complete = p["lots_complete_chain"].as_u64().unwrap();
    assert!(complete >= 1 && complete <= p["lots"].as_u64().unwrap(), "{p}");

    // An inspector sees their own province, and only it.
    let mine = overview(&inspector);
    assert_eq!(mine["province"], json!("01"));
    assert_eq!(count(&mine["scans"]["by_province"], Some("79")), 0, "{mine}");
    let (status, body, _) = call("GET", &format!("{url}/v1/stats/scans?province=79"), Some(&inspector), None);
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
    let consumer = login(url, "consumer");
    let (status, body, _) = call("GET", &format!("{url}/v1/stats/overview"), Some(&consumer), None);
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
    let (status, _, _) = call("GET", &format!("{url}/v1/stats/overview"), None, None);
    assert_eq!(status, 401);
    for bad in
        ["from=2026-02-30", "from=2026-11-02&to=2026-11-01", "from=2024-01-01&to=2025-12-31", "province=99"]
    {
        let (status, body, _) = call("GET", &format!("{url}/v1/stats/scans?{bad}"), Some(&authority), None);
        assert_eq!((status, body["code"].as_str()), (400, Some("invalid_query")), "{bad}: {body}");
    }
}

#[test]
fn an_upgraded_database_counts_the_scans_and_exports_the_events_it_already_held() {
    let server = Server::start(&[]);
    let scans = |url: &str| {
        let token = login(url, "authority");
        let (status, body, _) =
            call("GET", &format!("{url}/v1/stats/scans?from=2026-01-01&to=2026-12-31"), Some(&token), None);
        assert_eq!(status, 200, "{body}");
        body
    };
    let now = scans(&server.url);
    assert!(now["total"].as_u64().unwrap() > 0, "the demo's scans are counted: {now}");
    let epcis = |url: &str| {
        let (status, body, _) =
            call("GET", &format!("{url}/epcis/events?perPage=1000"), Some(&login(url, "authority")), None);
        assert_eq!(status, 200, "{body}");
        body["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().len()
    };
    let exported = epcis(&server.url);
    assert!(exported > 100, "the demo phones' events are EPCIS events: {exported}");

    // The same data as a schema-3 database (before the statistics), then
    // served again: the upgrade makes the facts of the scans already there.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v3.db");
    let live = rusqlite::Connection::open(server.dir.path().join("server.db")).unwrap();
    live.execute("VACUUM INTO ?1", [old.to_str().unwrap()]).unwrap();
    let c = rusqlite::Connection::open(&old).unwrap();
    c.execute_batch(support::UNDO_SCHEMA_10).unwrap();
    c.execute_batch(
        "DROP TABLE product_suppliers; DROP TABLE company_prefixes; ALTER TABLE certifications DROP COLUMN source;
         DROP TABLE revocations; DROP TABLE complaint_photos; DROP TABLE photos;
         DROP TABLE epcis_steps; DROP TABLE epcis_epcs; DROP TABLE epcis_events; DROP TABLE epcis_captures;
         DROP TABLE scan_facts; DROP TABLE stats_marks; DROP TABLE device_pulls; DROP INDEX changes_kind_key; PRAGMA user_version = 3;",
    )
    .unwrap();
    drop(c);
    let upgraded = Server::start_on(&old);
    assert_eq!(scans(&upgraded.url), now);
    assert_eq!(epcis(&upgraded.url), exported, "the phones' events stored before are exported too");
}
