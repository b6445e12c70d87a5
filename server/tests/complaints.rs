//! Complaints: filed by anyone (signed in, or anonymous with a contact),
//! followed by tracking code, queued for the inspectors of the province,
//! moved through their statuses with an audit trail, and heard of on the
//! filer's next sync; also from the consumer page's "report a problem" form.

mod support;

use serde_json::{Value, json};
use support::{Server, call, device_ok, journal_path, login};

fn filing(province: &str) -> Value {
    json!({"code": "https://id.gs1.org/01/08936675100252/10/TMC500-261004", "category": "quality_safety",
           "description": "Trà có mùi lạ, vị đắng bất thường sau khi pha.", "province": province})
}

#[test]
fn a_complaint_goes_from_citizen_to_inspector_and_back() {
    let server = Server::start(&[]);
    let url = &server.url;

    // Anonymous: a contact is needed.
    let (status, body, _) = call("POST", &format!("{url}/v1/complaints"), None, Some(&filing("01")));
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_complaint")), "{body}");
    let mut anonymous = filing("79");
    anonymous["contact"] = json!("0901234567");
    let (status, filed, _) = call("POST", &format!("{url}/v1/complaints"), None, Some(&anonymous));
    assert_eq!(status, 201, "{filed}");
    assert!(filed.get("contact").is_none(), "the answer does not echo personal data");

    // A signed-in consumer whose phone will hear back.
    let dir = tempfile::tempdir().unwrap();
    let phone = journal_path(&dir, "consumer");
    device_ok(&phone, &["init", "--server", url]);
    device_ok(&phone, &["login", "--user", "consumer", "--password", "demo"]);
    device_ok(&phone, &["sync"]);
    let consumer = login(url, "consumer");
    let (status, mine, _) =
        call("POST", &format!("{url}/v1/complaints"), Some(&consumer), Some(&filing("01")));
    assert_eq!(status, 201, "{mine}");
    let tracking = mine["tracking_code"].as_str().unwrap().to_owned();
    assert!(tracking.starts_with("PA-"));
    assert_eq!(
        (mine["status"].as_str(), mine["gtin"].as_str(), mine["lot"].as_str()),
        (Some("received"), Some("08936675100252"), Some("TMC500-261004"))
    );

    // Anyone with the tracking code sees its status.
    let (status, seen, _) = call("GET", &format!("{url}/v1/complaints/{tracking}"), None, None);
    assert_eq!((status, seen["status"].as_str()), (200, Some("received")));
    let (status, _, _) = call("GET", &format!("{url}/v1/complaints/PA-NOSUCHCODE"), None, None);
    assert_eq!(status, 404);

    // The queue: inspectors of the province only.
    let (status, body, _) = call("GET", &format!("{url}/v1/complaints"), Some(&consumer), None);
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
    let inspector = login(url, "inspector"); // province 01
    let (status, queue, _) =
        call("GET", &format!("{url}/v1/complaints?status=received"), Some(&inspector), None);
    assert_eq!(status, 200, "{queue}");
    let items = queue["items"].as_array().unwrap();
    assert!(items.iter().all(|c| c["province"] == "01"), "only Hà Nội's complaints: {queue}");
    assert!(items.iter().any(|c| c["tracking_code"] == json!(tracking)), "{queue}");
    let (status, _, _) = call("GET", &format!("{url}/v1/complaints?province=79"), Some(&inspector), None);
    assert_eq!(status, 403);
    let hcm = login(url, "inspector2"); // province 79
    let (_, queue, _) = call("GET", &format!("{url}/v1/complaints"), Some(&hcm), None);
    let theirs =
        queue["items"].as_array().unwrap().iter().find(|c| c["tracking_code"] == filed["tracking_code"]);
    assert_eq!(
        theirs.map(|c| &c["contact"]),
        Some(&json!("0901234567")),
        "handlers see the contact: {queue}"
    );

    // Statuses move forward only; someone else's province cannot touch it.
    let move_to = |token: &str, status: &str, note: &str| {
        call(
            "POST",
            &format!("{url}/v1/complaints/{tracking}/status"),
            Some(token),
            Some(&json!({"status": status, "note": note, "assign_to": "inspector"})),
        )
    };
    assert_eq!(move_to(&hcm, "processing", "x").0, 403);
    let (status, body, _) = move_to(&inspector, "resolved", "too early");
    assert_eq!((status, body["code"].as_str()), (409, Some("invalid_transition")), "{body}");
    assert_eq!(move_to(&inspector, "processing", "Đã lấy mẫu tại quầy").0, 200);
    let (status, done, _) = move_to(&inspector, "resolved", "Lô hàng đã bị thu hồi");
    assert_eq!(status, 200, "{done}");
    let trail: Vec<(&str, &str)> = done["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["status"].as_str().unwrap(), h["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(trail[1..], [("processing", "inspector"), ("resolved", "inspector")]);
    let (_, public, _) = call("GET", &format!("{url}/v1/complaints/{tracking}"), None, None);
    assert_eq!(public["history"].as_array().unwrap().len(), 3);
    assert!(public["history"][1].get("actor").is_none(), "the public view names no official");

    // The filer's phone hears of both changes on its next sync.
    let report = device_ok(&phone, &["sync"]);
    assert_eq!(report["pulled"], 2, "{report}");
    assert_eq!(device_ok(&phone, &["status"])["cache"]["complaint"], 1);
}

#[test]
fn the_report_page_files_a_complaint_from_the_consumer_page() {
    let server = Server::start(&[]);
    let url = &server.url;
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let page =
        agent.get(&format!("{url}/01/08936675100252/10/TMC500-261004")).header("Accept", "text/html").call();
    let html = page.unwrap().body_mut().read_to_string().unwrap();
    let start = html.find("href=\"/report?").expect("a report-a-problem link") + 6;
    let href = html[start..].split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
    let form = agent.get(&format!("{url}{href}")).call().unwrap().body_mut().read_to_string().unwrap();
    assert!(
        form.contains("Báo cáo vấn đề") && form.contains("(01)08936675100252(10)TMC500-261004"),
        "{form}"
    );

    let fields = [
        ("code", "(01)08936675100252(10)TMC500-261004"),
        ("category", "counterfeit"),
        ("description", "Bao bì khác hẳn hàng thật, chữ in nhòe."),
        ("province", "01"),
        ("contact", "lan@example.vn"),
        ("lang", "vi"),
    ];
    let mut r = agent.post(&format!("{url}/report")).send_form(fields).unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let done = r.body_mut().read_to_string().unwrap();
    let at = done.find("data-tracking=\"").unwrap() + 15;
    let tracking = &done[at..at + 13];
    let (status, seen, _) = call("GET", &format!("{url}/v1/complaints/{tracking}"), None, None);
    assert_eq!((status, seen["category"].as_str()), (200, Some("counterfeit")));

    // With a photo, sent first as the page's script does.
    assert!(form.contains("id=\"photo\"") && form.contains("/static/report.js"), "the form offers photos");
    let photo = png(24, 24);
    let (status, sent) = upload(url, None, "image/png", &photo);
    assert_eq!(status, 201, "{sent}");
    let hash = sent["hash"].as_str().unwrap();
    let mut with_photo = fields.to_vec();
    with_photo.push(("photos", hash));
    let mut r = agent.post(&format!("{url}/report")).send_form(with_photo).unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let done = r.body_mut().read_to_string().unwrap();
    let at = done.find("data-tracking=\"").unwrap() + 15;
    let (_, seen, _) = call("GET", &format!("{url}/v1/complaints/{}", &done[at..at + 13]), None, None);
    assert_eq!(seen["photos"], json!([hash]));

    let bad =
        [("code", "x"), ("category", "other"), ("description", "short"), ("province", "01"), ("lang", "en")];
    let mut r = agent.post(&format!("{url}/report")).send_form(bad).unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.body_mut().read_to_string().unwrap().contains("role=\"alert\""));
}

#[test]
fn a_complaint_filed_offline_opens_once_when_the_phone_syncs() {
    let server = Server::start(&[]);
    let url = &server.url;
    let dir = tempfile::tempdir().unwrap();
    let phone = journal_path(&dir, "consumer2");
    device_ok(&phone, &["init", "--server", "http://127.0.0.1:9"]);
    let saved = device_ok(
        &phone,
        &[
            "complaint",
            "--code",
            "8936458100240",
            "--category",
            "counterfeit",
            "--description",
            "Nắp chai không có tem chống giả như mọi khi.",
            "--province",
            "79",
            "--contact",
            "0912345678",
        ],
    );
    let tracking = saved["tracking_code"].as_str().unwrap().to_owned();
    let hcm = login(url, "inspector2");
    let queued = || {
        let (_, queue, _) = call("GET", &format!("{url}/v1/complaints"), Some(&hcm), None);
        queue["items"].as_array().unwrap().len()
    };
    let before = queued();
    let bad = device_ok(
        &phone,
        &["complaint", "--code", "x", "--category", "rumour", "--description", "??", "--province", "79"],
    );
    assert!(bad["tracking_code"].is_string(), "the phone keeps whatever was typed");

    device_ok(&phone, &["init", "--server", url]);
    device_ok(&phone, &["login", "--user", "consumer2", "--password", "demo"]);
    let report = device_ok(&phone, &["sync"]);
    assert_eq!((report["pushed"].as_u64(), report["rejected"].as_u64()), (Some(1), Some(1)), "{report}");
    let (status, opened, _) = call("GET", &format!("{url}/v1/complaints/{tracking}"), None, None);
    assert_eq!(
        (status, opened["status"].as_str(), opened["province"].as_str()),
        (200, Some("received"), Some("79"))
    );
    assert_eq!(opened["gtin"], "08936458100240");

    // Its contact is for the handlers of province 79, not for every reader of events.
    let events = support::events_from(url, &[device_ok(&phone, &["status"])["device_id"].as_str().unwrap()]);
    let filed = events.iter().find(|e| e["kind"] == "complaint").unwrap();
    assert!(filed["payload"].get("contact").is_none(), "{filed}");
    assert_eq!(filed["payload"]["province"], "79");

    // The refused filing opened nothing.
    assert_eq!(queued(), before + 1);
}

#[test]
fn anonymous_filings_are_rate_limited_per_address() {
    let server = Server::start(&[]);
    let url = &server.url;
    let mut anonymous = filing("01");
    anonymous["contact"] = json!("0901234567");
    let statuses: Vec<u16> =
        (0..11).map(|_| call("POST", &format!("{url}/v1/complaints"), None, Some(&anonymous)).0).collect();
    assert_eq!(&statuses[..10], &[201; 10]);
    assert_eq!(statuses[10], 429, "{statuses:?}");
    // A signed-in citizen is not held back by it.
    let (status, _, _) =
        call("POST", &format!("{url}/v1/complaints"), Some(&login(url, "consumer")), Some(&filing("01")));
    assert_eq!(status, 201);
}

/// A small real PNG (grey, `w`×`h`).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::GrayImage::from_fn(w, h, |x, y| image::Luma([((x * 7 + y * 3) % 256) as u8]))
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// POST raw bytes; (status, JSON, headers).
fn upload(url: &str, token: Option<&str>, media: &str, bytes: &[u8]) -> (u16, Value) {
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let mut r = agent.post(format!("{url}/v1/photos")).header("Content-Type", media);
    if let Some(t) = token {
        r = r.header("Authorization", format!("Bearer {t}"));
    }
    let mut response = r.send(bytes).unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_str(&response.body_mut().read_to_string().unwrap_or_default())
            .unwrap_or(Value::Null),
    )
}

/// GET a photo: (status, content type, bytes).
fn fetch(url: &str, token: &str, hash: &str) -> (u16, String, Vec<u8>) {
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let mut response = agent
        .get(format!("{url}/v1/photos/{hash}"))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    let ctype =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (response.status().as_u16(), ctype, response.body_mut().read_to_vec().unwrap())
}

#[test]
fn photos_go_with_a_complaint_to_those_who_handle_it() {
    let server = Server::start(&[]);
    let url = &server.url;
    let bytes = png(64, 48);
    let (status, sent) = upload(url, None, "image/png", &bytes);
    assert_eq!(status, 201, "{sent}");
    let hash = sent["hash"].as_str().unwrap().to_owned();
    assert_eq!(hash, sha2_hex(&bytes));
    assert_eq!((sent["width"].as_u64(), sent["media_type"].as_str()), (Some(64), Some("image/png")));
    assert_eq!(upload(url, None, "image/png", &bytes).0, 200, "the same photo again is the same photo");

    // What is not a photo, or too big, is refused for what it is.
    assert_eq!(upload(url, None, "image/png", b"GIF89a not really").1["code"], "invalid_photo");
    assert_eq!(upload(url, None, "text/plain", &bytes).0, 415);
    assert_eq!(upload(url, None, "image/jpeg", &vec![0xFF; 6 * 1024 * 1024]).0, 413);

    // Filed with the photo; a photo never sent is refused.
    let mut filing = filing("01");
    filing["contact"] = json!("0901234567");
    filing["photos"] = json!([hash]);
    let (status, filed, _) = call("POST", &format!("{url}/v1/complaints"), None, Some(&filing));
    assert_eq!(status, 201, "{filed}");
    assert_eq!(filed["photos"], json!([hash]));
    filing["photos"] = json!(["0".repeat(64)]);
    let (status, refused, _) = call("POST", &format!("{url}/v1/complaints"), None, Some(&filing));
    assert_eq!((status, refused["code"].as_str()), (422, Some("invalid_complaint")), "{refused}");

    // The province's inspector sees it; another province's and strangers do not.
    let (status, ctype, got) = fetch(url, &login(url, "inspector"), &hash);
    assert_eq!((status, ctype.as_str(), got == bytes), (200, "image/png", true));
    assert_eq!(fetch(url, &login(url, "inspector2"), &hash).0, 404);
    assert_eq!(fetch(url, &login(url, "consumer"), &hash).0, 404);
    assert_eq!(fetch(url, &login(url, "inspector"), "not-a-hash").0, 404);

    // A phone keeps the photo with its complaint and sends it on the next
    // sync, before the complaint.
    let dir = tempfile::tempdir().unwrap();
    let phone = journal_path(&dir, "consumer2");
    device_ok(&phone, &["init", "--server", url]);
    device_ok(&phone, &["login", "--user", "consumer2", "--password", "demo"]);
    let taken = dir.path().join("taken.png");
    std::fs::write(&taken, png(30, 30)).unwrap();
    let kept = device_ok(&phone, &["photo", taken.to_str().unwrap()]);
    let later_hash = kept["photo"].as_str().unwrap().to_owned();
    assert_eq!(later_hash, sha2_hex(&png(30, 30)));
    let saved = device_ok(
        &phone,
        &[
            "complain", // the short name works too
            "--code",
            "8936458100240",
            "--category",
            "labelling",
            "--description",
            "Nhãn phụ dán đè lên hạn sử dụng.",
            "--province",
            "79",
            "--photo",
            &later_hash,
        ],
    );
    let hcm = login(url, "inspector2");
    let report = device_ok(&phone, &["sync"]);
    assert_eq!((report["photos"].as_u64(), report["pushed"].as_u64()), (Some(1), Some(1)), "{report}");
    let tracking = saved["tracking_code"].as_str().unwrap();
    let (_, opened, _) = call("GET", &format!("{url}/v1/complaints/{tracking}"), None, None);
    assert_eq!(opened["photos"], json!([later_hash]));
    assert_eq!(fetch(url, &hcm, &later_hash).0, 200);
    assert_eq!(device_ok(&phone, &["sync"])["photos"].as_u64(), Some(0), "sent once");
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
