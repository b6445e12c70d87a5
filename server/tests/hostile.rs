//! Hostile input and load: each finding of the red-team pass, reproduced
//! against the app and pinned.

mod support;

use support::inproc::{App, DEMO_NOW};
use tower::ServiceExt;
use truyxuat_server::state::{Limits, resolve_cache_weight};

const COMPLETE: &str = "(01)08936120100110(10)RX500-261105";

#[tokio::test]
async fn every_spelling_of_a_code_is_one_cache_entry_and_the_cache_has_a_byte_bound() {
    let app = App::demo();
    let (status, first) =
        app.call("GET", &format!("/v1/resolve?code={}", support::urlencode(COMPLETE)), None, None).await;
    assert_eq!(status, 200);
    let one = resolve_cache_weight(&app.state);
    assert!(one > 0);
    // 2,000 hosts of one Digital Link: the same entry, each answer naming
    // the code as it was asked.
    for n in 0..2000 {
        let dl = format!("https://h{n}.example/01/08936120100110/10/RX500-261105");
        let (status, answer) =
            app.call("GET", &format!("/v1/resolve?code={}", support::urlencode(&dl)), None, None).await;
        assert_eq!(status, 200);
        assert_eq!(answer["code"]["input"], dl.as_str());
        assert_eq!(answer["journey"], first["journey"]);
    }
    assert_eq!(resolve_cache_weight(&app.state), one, "no entry per spelling");
    // Codes that are no GS1 code are answered, not kept.
    for n in 0..200 {
        let (status, _) = app.call("GET", &format!("/v1/resolve?code=junk{n}"), None, None).await;
        assert_eq!(status, 200);
    }
    assert_eq!(resolve_cache_weight(&app.state), one);

    // Distinct codes fill it only up to its bound.
    let bound = 256 * 1024;
    let small = App::demo_with(
        DEMO_NOW,
        Limits { user_rate: 1e6, user_burst: 1_000_000, resolve_cache_bytes: bound, ..Limits::default() },
    );
    for n in 0..1500 {
        let code = format!("(01)08936120100110(10)LOT{n}");
        let (status, _) =
            small.call("GET", &format!("/v1/resolve?code={}", support::urlencode(&code)), None, None).await;
        assert_eq!(status, 200);
    }
    let weight = resolve_cache_weight(&small.state);
    assert!(weight > bound / 2 && weight <= bound, "{weight} of {bound}");
}

#[tokio::test]
async fn a_pushed_event_beyond_a_field_limit_is_refused_and_the_ones_behind_it_are_kept() {
    use truyxuat_core::journal::{EventBody, Inspection, InspectionResult, Scan};
    let app = App::demo();
    let inspection = |notes: String| {
        EventBody::Inspection(Inspection {
            code: COMPLETE.into(),
            market_gln: None,
            location: None,
            result: InspectionResult::Conformant,
            reasons: Vec::new(),
            sample_taken: false,
            notes: Some(notes),
            photos: Vec::new(),
        })
    };
    let scan = EventBody::Scan(Scan {
        raw_text: "8936120100110".into(),
        symbology_id: None,
        element_string: None,
        location: None,
        answer_shown: None,
    });
    // 3 MB of notes (it made every resolve of the lot weigh 16.8 MB).
    let (status, answer) = app
        .push(
            "inspector",
            &[inspection("x".repeat(3 << 20)), scan, inspection("ổn".into())],
            "2026-11-25T06:00:00.000Z",
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let results = answer["results"].as_array().unwrap();
    let statuses: Vec<&str> = results.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["rejected", "accepted", "accepted"], "{answer}");
    assert_eq!(results[0]["error"]["code"], "invalid_event");
    assert!(
        results[0]["error"]["detail"].as_str().unwrap().contains("notes: 3145728 characters; at most 2000")
    );
}

fn scan(code: &str) -> truyxuat_core::journal::EventBody {
    truyxuat_core::journal::EventBody::Scan(truyxuat_core::journal::Scan {
        raw_text: code.into(),
        symbology_id: None,
        element_string: Some(format!("(01){code}")),
        location: None,
        answer_shown: None,
    })
}

fn complaint(description: &str) -> truyxuat_core::journal::EventBody {
    truyxuat_core::journal::EventBody::Complaint(truyxuat_core::journal::ComplaintReport {
        code: "08936120100110".into(),
        category: "quality_safety".into(),
        description: description.into(),
        province: "01".into(),
        contact: None,
        photos: Vec::new(),
    })
}

fn statuses(answer: &serde_json::Value) -> Vec<String> {
    answer["results"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn one_account_cannot_move_the_figures_or_flood_a_queue() {
    let app = App::demo();
    let figures = || async { app.call("GET", "/v1/stats/scans", Some("authority"), None).await.1 };
    let before = figures().await;
    // A scan dated 2099 is refused: it moved the default period.
    let (_, answer) = app.push("consumer", &[scan("08936120100110")], "2099-01-01T00:00:00.000Z").await;
    assert_eq!(answer["results"][0]["error"]["code"], "device_time_in_future", "{answer}");
    // A phone a few hours ahead is fine.
    let (_, answer) = app.push("consumer", &[scan("08936120100110")], "2026-11-26T12:00:00.000Z").await;
    assert_eq!(statuses(&answer), ["accepted"]);
    let after_one = figures().await;
    let days = |f: &serde_json::Value| {
        let d = f["by_day"].as_array().unwrap();
        (d.first().unwrap()["day"].clone(), d.last().unwrap()["day"].clone())
    };
    assert_eq!(days(&after_one), days(&before), "the default period stays the demo's");

    // 1,000 scans of an unregistered code in one push: all kept, 200 counted.
    let unregistered = "08999999000018";
    let scans = vec![scan(unregistered); 1000];
    // (A day without the demo's own scans of this account.)
    let (status, answer) = app.push("consumer2", &scans, "2026-11-02T04:30:00.000Z").await;
    assert_eq!(status, 200);
    assert!(statuses(&answer).iter().all(|s| s == "accepted"), "the phone sees none of them refused");
    let after = figures().await;
    let counted = after["total"].as_u64().unwrap() - after_one["total"].as_u64().unwrap();
    assert_eq!(counted, truyxuat_server::domain::stats::MAX_COUNTED_SCANS_PER_DAY as u64);
    let events = app.store().event_count().unwrap();
    assert!(events >= 1000);

    // A complaint dated 2000 counts as filed at most 30 days before it came.
    let (_, answer) = app
        .push("farmer2", &[complaint("Sản phẩm có mùi lạ, bao bì bị rách")], "2000-01-01T00:00:00.000Z")
        .await;
    assert_eq!(statuses(&answer), ["accepted"]);
    let (_, queue) = app.call("GET", "/v1/complaints?province=01&limit=100", Some("authority"), None).await;
    let old = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["description"] == "Sản phẩm có mùi lạ, bao bì bị rách")
        .unwrap();
    assert_eq!(old["created_at"], "2026-10-27T05:00:00.000Z", "{old}");

    // 30 complaints in one push: 10 of them (the account's share of a day,
    // the one above included) enter the queue; all are kept and tracked.
    let filings: Vec<_> = (0..30).map(|n| complaint(&format!("Phản ánh số {n:02} về chất lượng"))).collect();
    // (An account without the demo's complaints, which arrived just now.)
    let (_, answer) = app.push("farmer2", &filings, "2026-11-26T04:40:00.000Z").await;
    assert!(statuses(&answer).iter().all(|s| s == "accepted"));
    let mut queued = Vec::new();
    let mut after_id = 0;
    loop {
        let (_, page) = app
            .call(
                "GET",
                &format!("/v1/complaints?province=01&limit=100&after={after_id}"),
                Some("authority"),
                None,
            )
            .await;
        let items = page["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        after_id = page["next_after"].as_i64().unwrap();
        queued.extend(
            items.into_iter().filter(|c| c["description"].as_str().unwrap().starts_with("Phản ánh số")),
        );
    }
    let names: Vec<&str> = queued.iter().map(|c| c["description"].as_str().unwrap()).collect();
    assert_eq!(
        queued.len(),
        truyxuat_server::domain::complaint::MAX_QUEUED_PER_DAY as usize - 1,
        "{names:?}"
    );
    let last = truyxuat_core::journal::complaint_tracking_code(answer["results"][29]["id"].as_str().unwrap());
    let (status, held) = app.call("GET", &format!("/v1/complaints/{last}"), None, None).await;
    assert_eq!((status, held["status"].as_str()), (200, Some("received")), "{held}");
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_address_and_account_and_successes_are_free() {
    let app = App::demo();
    // Someone guesses the authority's password from one address ...
    for _ in 0..10 {
        assert_eq!(app.sign_in_from("198.51.100.7", &[], "authority", "guess").await, 401);
    }
    assert_eq!(app.sign_in_from("198.51.100.7", &[], "authority", "guess").await, 429);
    assert_eq!(app.sign_in_from("198.51.100.7", &[], "authority", "demo").await, 429, "that address waits");
    // ... and the real authority, elsewhere, still signs in, again and again.
    for _ in 0..30 {
        assert_eq!(app.sign_in_from("203.0.113.5", &[], "authority", "demo").await, 200);
    }
    // Spraying: one password over 40 usernames from one address.
    let mut statuses = Vec::new();
    for n in 0..40 {
        statuses.push(app.sign_in_from("198.51.100.8", &[], &format!("user{n}"), "123456").await);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 10);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 30);
    // One account from many addresses: its own (looser) bound holds.
    let mut limited = false;
    for n in 0..60 {
        let status = app.sign_in_from(&format!("192.0.2.{n}"), &[], "farmer", "wrong").await;
        limited |= status == 429;
    }
    assert!(limited, "50 failures to one account from anywhere, then it waits");
}

#[tokio::test]
async fn a_forwarded_address_counts_only_behind_a_trusted_proxy() {
    let proxy = "10.0.0.2";
    let limits = Limits {
        user_rate: 1e6,
        user_burst: 1_000_000,
        trusted_proxies: vec![proxy.parse().unwrap()],
        ..Limits::default()
    };
    let app = App::demo_with(DEMO_NOW, limits);
    // Behind the proxy, each client is its own address.
    for n in 0..10 {
        let xff = format!("198.51.100.{n}");
        assert_eq!(app.sign_in_from(proxy, &[("x-forwarded-for", &xff)], "authority", "guess").await, 401);
    }
    assert_eq!(
        app.sign_in_from(proxy, &[("x-forwarded-for", "198.51.100.1")], "consumer", "demo").await,
        200
    );
    // A client's own X-Forwarded-For is not believed: the peer is counted.
    for n in 0..10 {
        let xff = format!("203.0.113.{n}");
        assert_eq!(app.sign_in_from("192.0.2.9", &[("x-forwarded-for", &xff)], "nobody", "x").await, 401);
    }
    assert_eq!(
        app.sign_in_from("192.0.2.9", &[("x-forwarded-for", "203.0.113.99")], "nobody", "x").await,
        429
    );
    // What a client put before the proxy's own entry is not believed either.
    let spoofed = "203.0.113.200, 198.51.100.50";
    for _ in 0..10 {
        assert_eq!(app.sign_in_from(proxy, &[("x-forwarded-for", spoofed)], "nobody", "x").await, 401);
    }
    assert_eq!(
        app.sign_in_from(proxy, &[("x-forwarded-for", "1.2.3.4, 198.51.100.50")], "nobody", "x").await,
        429
    );
}

#[tokio::test]
async fn an_unknown_username_takes_as_long_to_refuse_as_a_wrong_password() {
    // Not a figure: the unknown name must go through the same hashing (it
    // was 2 ms against 36 ms), so it cannot be many times faster.
    let app = App::demo();
    let time = |username: &'static str, n: usize| {
        let app = &app;
        async move {
            let started = std::time::Instant::now();
            for i in 0..n {
                let status = app.sign_in_from(&format!("192.0.2.{i}"), &[], username, "wrong").await;
                assert_eq!(status, 401);
            }
            started.elapsed()
        }
    };
    time("nobody-here", 1).await; // the dummy hash is made once
    let (known, unknown) = (time("authority", 5).await, time("nobody-here", 5).await);
    assert!(unknown * 3 > known, "unknown {unknown:?}, known {known:?}");
}

#[tokio::test]
async fn pages_tell_browsers_what_they_may_load_and_forms_from_other_sites_are_refused() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = App::demo();
    for uri in
        ["/01/08936120100110/10/RX500-261105", "/report", "/portal/login", "/v1/resolve?code=8936120100110"]
    {
        let req =
            Request::builder().uri(uri).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap();
        let response = truyxuat_server::app(app.state.clone()).oneshot(req).await.unwrap();
        let h = response.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert_eq!(h.get("x-frame-options").unwrap(), "DENY", "{uri}");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{uri}");
    }
    // No page has an inline script left (the policy would stop it).
    for uri in ["/report?code=8936120100110", "/01/08936120100110/10/RX500-261105"] {
        let (_, html) = app.page(uri, None, None).await;
        assert!(!html.contains("<script>"), "{uri}");
    }
    let (_, html) = app.page("/portal/catalog", Some("enterprise"), None).await;
    assert!(html.contains(r#"<script src="/static/catalog.js">"#) && !html.contains("<script>"));
    let (status, js) = app.page("/static/report.js", None, None).await;
    assert!(status == 200 && js.contains("/v1/photos"));

    // A complaint form posted from another site.
    let form =
        "code=8936120100110&category=other&description=Sản+phẩm+có+vấn+đề+lạ&province=01&contact=0901234567";
    let post = |origin: Option<&str>, referer: Option<&str>| {
        let mut req = Request::builder()
            .method("POST")
            .uri("/report")
            .header(header::HOST, "truyxuat.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        if let Some(r) = referer {
            req = req.header(header::REFERER, r);
        }
        req.body(Body::from(form)).unwrap()
    };
    assert_eq!(app.send(post(Some("https://evil.example"), None)).await.0, 403);
    assert_eq!(app.send(post(None, Some("https://evil.example/page"))).await.0, 403);
    assert_eq!(app.send(post(Some("https://truyxuat.example"), None)).await.0, 201);

    // CR/LF in next= after a correct password: the portal, not a 500.
    let login = Request::builder()
        .method("POST")
        .uri("/portal/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            "username=authority&password=demo&next=%2Fportal%2Frecalls%0D%0ASet-Cookie%3A+x%3D1",
        ))
        .unwrap();
    let response = truyxuat_server::app(app.state.clone()).oneshot(login).await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers().get("location").unwrap(), "/portal");
}

fn one_event_doc(place: &str) -> serde_json::Value {
    serde_json::json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-26T01:00:00Z",
        "epcisBody": {"eventList": [{
            "type": "ObjectEvent", "eventTime": "2026-11-26T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
            "epcList": ["urn:epc:id:sgtin:8936120.010011.9"], "action": "OBSERVE", "bizStep": "receiving",
            "readPoint": {"id": place}, "bizLocation": {"id": place},
        }]}
    })
}

#[tokio::test]
async fn an_upper_case_place_is_the_same_place_and_an_oversize_capture_is_a_problem() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = App::demo_with(
        DEMO_NOW,
        Limits { user_rate: 1e6, user_burst: 1_000_000, body_bytes: 64 * 1024, ..Limits::default() },
    );
    // Another company's place, spelled in capitals, is still not the shop's.
    let (status, problem) = app
        .call(
            "POST",
            "/epcis/capture",
            Some("supermarket"),
            Some(one_event_doc("URN:EPC:ID:SGLN:8936120.00010.0")),
        )
        .await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (403, Some("epcisException:SecurityException")),
        "{problem}"
    );
    // Its own, in capitals, is its own, and stored as the one place.
    let at_the_shop = || async {
        let (_, found) = app
            .call(
                "GET",
                "/epcis/events?EQ_bizLocation=urn:epc:id:sgln:8936904.00011.0&perPage=1000",
                Some("supermarket"),
                None,
            )
            .await;
        found["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().len()
    };
    let before = at_the_shop().await;
    let (status, _) = app
        .call(
            "POST",
            "/epcis/capture",
            Some("supermarket"),
            Some(one_event_doc("URN:EPC:ID:SGLN:8936904.00011.0")),
        )
        .await;
    assert_eq!(status, 202);
    assert_eq!(at_the_shop().await, before + 1);

    // Over the size limit: the standard's exception as a problem body.
    let big = "x".repeat(100 * 1024);
    let req = Request::builder()
        .method("POST")
        .uri("/epcis/capture")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token("authority")))
        .header(header::CONTENT_TYPE, "application/ld+json")
        .body(Body::from(big.clone()))
        .unwrap();
    let (status, problem, text) = app.send(req).await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (413, Some("epcisException:CaptureLimitExceededException")),
        "{text}"
    );
    let req = Request::builder()
        .method("POST")
        .uri("/v1/photos")
        .header(header::CONTENT_TYPE, "image/jpeg")
        .body(Body::from(big))
        .unwrap();
    let (status, problem, text) = app.send(req).await;
    assert_eq!((status, problem["code"].as_str()), (413, Some("payload_too_large")), "{text}");
}

fn png(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::GrayImage::from_fn(w, h, |x, y| image::Luma([((x * 7 + y * 3 + seed) % 256) as u8]))
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn upload(app: &App, user: Option<&str>, bytes: Vec<u8>) -> (u16, serde_json::Value) {
    use axum::body::Body;
    use axum::http::{Request, header};
    let mut req =
        Request::builder().method("POST").uri("/v1/photos").header(header::CONTENT_TYPE, "image/png");
    if let Some(u) = user {
        req = req.header(header::AUTHORIZATION, format!("Bearer {}", app.token(u)));
    }
    let (status, json, _) = app.send(req.body(Body::from(bytes)).unwrap()).await;
    (status, json)
}

#[tokio::test]
async fn only_its_sender_may_name_a_photo_in_a_complaint() {
    let app = App::demo();
    let (status, sent) = upload(&app, Some("consumer"), png(32, 32, 1)).await;
    assert_eq!(status, 201, "{sent}");
    let mine = sent["hash"].as_str().unwrap().to_owned();
    let filing = |photo: &str| {
        serde_json::json!({"code": "8936120100110", "category": "other", "description": "Sản phẩm có vấn đề lạ",
                           "province": "01", "contact": "0901234567", "photos": [photo]})
    };
    // Another account naming it, and a hash nobody sent: the same answer.
    let (status, taken) = app.call("POST", "/v1/complaints", Some("consumer2"), Some(filing(&mine))).await;
    let (status2, unknown) =
        app.call("POST", "/v1/complaints", Some("consumer2"), Some(filing(&"0".repeat(64)))).await;
    assert_eq!((status, status2), (422, 422));
    assert_eq!(
        taken["detail"].as_str().unwrap().replace(&mine, "H"),
        unknown["detail"].as_str().unwrap().replace(&"0".repeat(64), "H"),
        "naming another's photo tells nothing of it"
    );
    let (status, _) = app.call("POST", "/v1/complaints", None, Some(filing(&mine))).await;
    assert_eq!(status, 422, "nor may an anonymous filing");
    // A complaint pushed from a phone names it anyway (the phone's photos
    // may come later): the complaint's handlers still do not see it.
    let pushed = truyxuat_core::journal::EventBody::Complaint(truyxuat_core::journal::ComplaintReport {
        code: "8936120100110".into(),
        category: "other".into(),
        description: "Tôi muốn xem ảnh của người khác".into(),
        province: "01".into(),
        contact: None,
        photos: vec![mine.clone()],
    });
    let (status, _) = app.push("inspector", &[pushed], "2026-11-26T04:00:00.000Z").await;
    assert_eq!(status, 200);
    let (status, _) = app.call("GET", &format!("/v1/photos/{mine}"), Some("inspector"), None).await;
    assert_eq!(status, 404, "the pushed complaint's handler");
    // Its sender files with it; the complaint's handlers see it.
    let (status, filed) = app.call("POST", "/v1/complaints", Some("consumer"), Some(filing(&mine))).await;
    assert_eq!(status, 201, "{filed}");
    let (status, _) = app.call("GET", &format!("/v1/photos/{mine}"), Some("inspector"), None).await;
    assert_eq!(status, 200);
    // Anonymous photos go with anonymous filings.
    let (_, anonymous) = upload(&app, None, png(32, 32, 2)).await;
    let hash = anonymous["hash"].as_str().unwrap();
    let (status, _) = app.call("POST", "/v1/complaints", None, Some(filing(hash))).await;
    assert_eq!(status, 201);
}
