//! The portal's pages over real HTTP, as a browser without JavaScript uses
//! them: a session cookie, form posts, redirects. (The same journeys in a
//! real browser: `scripts/portal-browser-test.mjs`.)

mod support;

use serde_json::Value;
use support::{Server, call, demo, login};

/// A cookie-keeping client that does not follow redirects.
struct Visitor {
    base: String,
    agent: ureq::Agent,
    session: Option<String>,
}

struct Page {
    status: u16,
    location: String,
    body: String,
}

impl Visitor {
    fn new(base: &str) -> Visitor {
        let agent =
            ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().new_agent();
        Visitor { base: base.to_owned(), agent, session: None }
    }

    fn keep(&mut self, mut response: ureq::http::Response<ureq::Body>) -> Page {
        for v in response.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            if let Some(rest) = v.strip_prefix("truyxuat_session=") {
                let token = rest.split(';').next().unwrap();
                self.session = (!token.is_empty()).then(|| token.to_owned());
            }
        }
        let location =
            response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
        let bytes = response.body_mut().read_to_vec().unwrap();
        Page {
            status: response.status().as_u16(),
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn get(&mut self, path: &str) -> Page {
        let mut r = self.agent.get(format!("{}{path}", self.base)).header("Accept", "text/html");
        if let Some(s) = &self.session {
            r = r.header("Cookie", format!("truyxuat_session={s}"));
        }
        let response = r.call().unwrap();
        self.keep(response)
    }

    fn post(&mut self, path: &str, form: &[(&str, &str)], origin: Option<&str>) -> Page {
        let mut r = self.agent.post(format!("{}{path}", self.base));
        if let Some(s) = &self.session {
            r = r.header("Cookie", format!("truyxuat_session={s}"));
        }
        if let Some(o) = origin {
            r = r.header("Origin", o);
        }
        let response = r.send_form(form.iter().copied()).unwrap();
        self.keep(response)
    }

    fn sign_in(&mut self, user: &str) {
        let page =
            self.post("/portal/login", &[("username", user), ("password", "demo")], Some(&self.base.clone()));
        assert_eq!((page.status, self.session.is_some()), (303, true), "{user}: {}", page.body);
    }
}

/// The number after `data-stat="KEY"><b>` (digits only, separators dropped).
fn figure(body: &str, key: &str) -> u64 {
    let at = body.find(&format!("data-stat=\"{key}\"><b>")).unwrap_or_else(|| panic!("no figure {key}"));
    body[at..]
        .split("<b>")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| *c != '<')
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[test]
fn signing_in_keeps_the_session_in_a_strict_cookie() {
    let server = Server::start(&[]);
    let mut v = Visitor::new(&server.url);

    let page = v.get("/portal/dashboard");
    assert_eq!((page.status, page.location.as_str()), (303, "/portal/login?next=%2Fportal%2Fdashboard"));
    let page = v.get("/portal/login?lang=en");
    assert!(page.body.contains("<html lang=\"en\"") && page.body.contains("id=\"login\""), "{}", page.body);

    let wrong = v.post("/portal/login", &[("username", "authority"), ("password", "nope")], None);
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("data-error=\"bad_credentials\""));
    assert!(v.session.is_none());

    // Another site's form is refused before the password is looked at.
    let forged = v.post(
        "/portal/login",
        &[("username", "authority"), ("password", "demo")],
        Some("https://evil.example"),
    );
    assert_eq!((forged.status, v.session.is_none()), (403, true));

    let agent =
        ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().new_agent();
    let response = agent
        .post(format!("{}/portal/login", server.url))
        .send_form([("username", "authority"), ("password", "demo"), ("next", "https://evil.example/")])
        .unwrap();
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert_eq!(
        response.headers().get("location").unwrap(),
        "/portal",
        "only the portal's own pages are followed"
    );

    v.sign_in("authority");
    assert_eq!(v.get("/portal").location, "/portal/dashboard");
    let out = v.post("/portal/logout", &[], None);
    assert_eq!((out.status, out.location.as_str(), v.session.as_deref()), (303, "/portal/login", None));
    assert_eq!(v.get("/portal/dashboard").status, 303);

    // Accounts without portal pages are told so.
    v.sign_in("consumer");
    let page = v.get("/portal");
    assert_eq!(page.status, 403);
    assert!(page.body.contains("ứng dụng trên điện thoại"), "{}", page.body);
    assert_eq!(v.get("/portal/dashboard").status, 403);
}

#[test]
fn the_dashboard_draws_the_figures_of_the_api() {
    let server = Server::start(&[]);
    let mut v = Visitor::new(&server.url);
    v.sign_in("authority");
    let page = v.get("/portal/dashboard");
    assert_eq!(page.status, 200, "{}", page.body);
    let token = login(&server.url, "authority");
    let (_, api, _) = call("GET", &format!("{}/v1/stats/overview", server.url), Some(&token), None);
    let body = &page.body;
    assert_eq!(figure(body, "scans-total"), api["scans"]["total"].as_u64().unwrap());
    assert_eq!(figure(body, "scans-unregistered"), api["scans"]["unregistered"].as_u64().unwrap());
    assert_eq!(figure(body, "complaints-total"), api["complaints"]["total"].as_u64().unwrap());
    assert_eq!(figure(body, "companies"), demo()["companies"].as_array().unwrap().len() as u64);
    // One column per day of the period, each carrying its count.
    let days = api["scans"]["by_day"].as_array().unwrap();
    assert_eq!(body.matches("<g data-day=").count(), days.len());
    for d in days {
        let column = format!("<g data-day=\"{}\" data-count=\"{}\"", d["day"].as_str().unwrap(), d["scans"]);
        assert!(body.contains(&column), "{column}");
    }
    for p in api["scans"]["by_province"].as_array().unwrap() {
        let bar =
            format!("data-province=\"{}\" data-count=\"{}\"", p["key"].as_str().unwrap_or(""), p["count"]);
        assert!(body.contains(&bar), "{bar}");
    }
    assert!(api["scans"]["total"].as_u64().unwrap() > 0, "the demo data fills the default period: {api}");

    // A province and a period asked; a bad date is a page, not a crash.
    let page = v.get("/portal/dashboard?from=2026-11-01&to=2026-11-07&province=79&lang=en");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-scope=\"79\"") && page.body.contains("Ho Chi Minh"), "{}", page.body);
    assert_eq!(page.body.matches("<g data-day=").count(), 7);
    let bad = v.get("/portal/dashboard?from=2026-02-30");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("data-error"));

    // An inspector's dashboard is their province's.
    let mut inspector = Visitor::new(&server.url);
    inspector.sign_in("inspector2");
    let page = inspector.get("/portal/dashboard");
    assert!(page.body.contains("data-scope=\"79\""), "{}", page.body);
    assert!(!page.body.contains("name=\"province\""), "an inspector cannot pick another province");
}

#[test]
fn an_inspector_works_through_the_queue() {
    let server = Server::start(&[]);
    let mut v = Visitor::new(&server.url);
    v.sign_in("inspector"); // province 01
    let queue = v.get("/portal/complaints");
    assert_eq!(queue.status, 200, "{}", queue.body);
    let token = login(&server.url, "inspector");
    let (_, api, _) = call("GET", &format!("{}/v1/complaints", server.url), Some(&token), None);
    let items: &Vec<Value> = api["items"].as_array().unwrap();
    assert!(!items.is_empty(), "the demo has complaints in Hà Nội");
    assert_eq!(queue.body.matches("<tr data-complaint=").count(), items.len());
    let tracking = items[0]["tracking_code"].as_str().unwrap();
    let path = format!("/portal/complaints/{tracking}");

    let page = v.get(&path);
    assert!(page.body.contains("id=\"move\"") && page.body.contains("data-status=\"received\""));
    let received_only = v.get("/portal/complaints?status=resolved");
    assert!(!received_only.body.contains(tracking));

    // Another site cannot move it; a skipped step is explained on the page.
    let forged = v.post(&path, &[("status", "processing")], Some("https://evil.example"));
    assert_eq!(forged.status, 403);
    let early = v.post(&path, &[("status", "resolved"), ("note", "")], None);
    assert_eq!(early.status, 409);
    assert!(early.body.contains("data-error"), "{}", early.body);

    let origin = server.url.clone();
    for (status, note) in
        [("processing", "Đã giao đội quản lý thị trường số 3."), ("resolved", "Đã xử phạt cơ sở bán hàng.")]
    {
        let moved = v.post(&path, &[("status", status), ("note", note)], Some(&origin));
        assert_eq!((moved.status, moved.location.as_str()), (303, path.as_str()), "{}", moved.body);
    }
    let page = v.get(&path);
    assert!(page.body.contains("data-status=\"resolved\""));
    assert!(
        page.body.contains("data-history=\"processing\"") && page.body.contains("Đã xử phạt cơ sở bán hàng.")
    );
    assert!(!page.body.contains("id=\"move\""), "a resolved complaint has nothing left to do");
    let (_, seen, _) = call("GET", &format!("{}/v1/complaints/{tracking}", server.url), None, None);
    assert_eq!(seen["status"], "resolved");

    // A complaint's photo shows on its page, through the portal's session.
    let mut bytes = Vec::new();
    image::GrayImage::from_fn(20, 20, |x, y| image::Luma([(x * 12 + y) as u8]))
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let mut sent = agent
        .post(format!("{}/v1/photos", server.url))
        .header("Content-Type", "image/png")
        .send(&bytes[..])
        .unwrap();
    let hash = serde_json::from_str::<Value>(&sent.body_mut().read_to_string().unwrap()).unwrap()["hash"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, filed, _) = call(
        "POST",
        &format!("{}/v1/complaints", server.url),
        None,
        Some(&serde_json::json!({"code": "8936675100252", "category": "quality_safety", "province": "01",
            "description": "Gói trà bị ẩm mốc, ảnh chụp kèm theo.", "contact": "0901234567", "photos": [hash]})),
    );
    assert_eq!(status, 201, "{filed}");
    let page = v.get(&format!("/portal/complaints/{}", filed["tracking_code"].as_str().unwrap()));
    assert!(page.body.contains(&format!("data-photo=\"{hash}\"")), "{}", page.body);
    let photo = v.get(&format!("/portal/photos/{hash}"));
    assert_eq!((photo.status, photo.body.len() >= bytes.len() / 2), (200, true));
    assert_eq!(hcm_photo_status(&server.url, &hash), 303, "no session: sign in first");

    // Another province's complaint is not theirs.
    let other = v.get("/portal/complaints/PA-NOSUCHCODE");
    assert_eq!(other.status, 404);
    let mut hcm = Visitor::new(&server.url);
    hcm.sign_in("inspector2");
    assert_eq!(hcm.get(&path).status, 403);
}

/// A photo asked for without a session.
fn hcm_photo_status(base: &str, hash: &str) -> u16 {
    Visitor::new(base).get(&format!("/portal/photos/{hash}")).status
}

#[test]
fn an_enterprise_recalls_its_own_lot_and_the_consumer_page_shows_it() {
    let server = Server::start(&[]);
    let d = demo();
    let mut v = Visitor::new(&server.url);
    v.sign_in("enterprise"); // Cao Nguyên Xanh's account
    let page = v.get("/portal/recalls");
    assert_eq!(page.status, 200, "{}", page.body);
    let company = d["companies"].as_array().unwrap().iter().find(|c| c["key"] == "caonguyen").unwrap();
    let own: Vec<&Value> =
        d["products"].as_array().unwrap().iter().filter(|p| p["company"] == company["key"]).collect();
    assert!(!own.is_empty());
    for p in &own {
        assert!(page.body.contains(&format!("<option value=\"{}\"", p["gtin"].as_str().unwrap())));
    }
    let others = d["products"].as_array().unwrap().iter().find(|p| p["company"] != company["key"]).unwrap();
    assert!(!page.body.contains(&format!("<option value=\"{}\"", others["gtin"].as_str().unwrap())));

    let gtin = own[0]["gtin"].as_str().unwrap();
    let lot =
        d["lots"].as_array().unwrap().iter().find(|l| l["gtin"] == gtin).unwrap()["lot"].as_str().unwrap();
    let consumer_page = format!("/01/{gtin}/10/{lot}");
    assert!(!Visitor::new(&server.url).get(&consumer_page).body.contains("data-warning=\"recalled\""));

    let form = [
        ("gtin", gtin),
        ("lots", lot),
        ("severity", "high"),
        ("reason_vi", "Phát hiện dị vật kim loại trong sản phẩm"),
        ("reason_en", "Metal fragments found in the product"),
        ("province", ""),
    ];
    let done = v.post("/portal/recalls", &form, Some(&server.url.clone()));
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(done.location.starts_with("/portal/recalls?declared=R-"), "{}", done.location);
    let listed = v.get(&done.location);
    assert!(listed.body.contains("data-declared=") && listed.body.contains(lot), "{}", listed.body);
    let shown = Visitor::new(&server.url).get(&format!("{consumer_page}?lang=vi"));
    assert!(shown.body.contains("data-warning=\"recalled\""), "{}", shown.body);
    assert!(shown.body.contains("Phát hiện dị vật kim loại"));

    // Someone else's product: refused, shown on the page, nothing recalled.
    let other_gtin = others["gtin"].as_str().unwrap();
    let refused = v.post(
        "/portal/recalls",
        &[("gtin", other_gtin), ("lots", "X1"), ("severity", "low"), ("reason_vi", "Thử"), ("province", "")],
        None,
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("data-error"));
    // An inspector has no recall page.
    let mut inspector = Visitor::new(&server.url);
    inspector.sign_in("inspector");
    assert_eq!(inspector.get("/portal/recalls").status, 403);
}

#[test]
fn registry_pages_show_each_role_its_part() {
    let server = Server::start(&[]);
    let d = demo();

    // An enterprise: its products with their lots, its places, the CSV import.
    let mut v = Visitor::new(&server.url);
    v.sign_in("enterprise");
    let page = v.get("/portal/catalog");
    assert_eq!(page.status, 200, "{}", page.body);
    let own: Vec<&Value> =
        d["products"].as_array().unwrap().iter().filter(|p| p["company"] == "caonguyen").collect();
    assert_eq!(page.body.matches("<tr data-product=").count(), own.len());
    let lot = d["lots"].as_array().unwrap().iter().find(|l| l["gtin"] == own[0]["gtin"]).unwrap();
    assert!(page.body.contains(&format!("data-lot=\"{}\"", lot["lot"].as_str().unwrap())));

    let header =
        "gtin,company,name_vi,name_en,brand,category,origin_province,description_vi,description_en,image\n";
    let body = "0893612010099";
    let gtin = format!("{body}{}", truyxuat_core::gs1::check_digit(body).unwrap());
    let good =
        format!("{header}{gtin},caonguyen,Cà phê hòa tan Cao Nguyên 3in1,,Cao Nguyên Xanh,coffee,66,,,\n");
    let origin = server.url.clone();
    let done = v.post("/portal/catalog/import", &[("kind", "products"), ("csv", &good)], Some(&origin));
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("data-imported=\"1\""), "{}", done.body);
    assert!(done.body.contains(&format!("data-product=\"{gtin}\"")));
    let (status, product, _) = call("GET", &format!("{}/v1/products/{gtin}", server.url), None, None);
    assert_eq!((status, product["name_vi"].as_str()), (200, Some("Cà phê hòa tan Cao Nguyên 3in1")));
    // A bad line: the errors by line, nothing stored.
    let bad =
        format!("{header}{gtin},caonguyen,Đổi tên,,,,,,,\n08936120100999,caonguyen,Sai số kiểm tra,,,,,,,\n");
    let refused = v.post("/portal/catalog/import", &[("kind", "products"), ("csv", &bad)], None);
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("line 3"), "{}", refused.body);
    let (_, unchanged, _) = call("GET", &format!("{}/v1/products/{gtin}", server.url), None, None);
    assert_eq!(unchanged["name_vi"], "Cà phê hòa tan Cao Nguyên 3in1");
    // Another company's product: out of this account's scope.
    let theirs = format!("{header}08936675100252,tancuong,Trà của người khác,,,,,,,\n");
    assert_eq!(v.post("/portal/catalog/import", &[("kind", "products"), ("csv", &theirs)], None).status, 403);

    // The authority: every company, with its counts; by province.
    let mut a = Visitor::new(&server.url);
    a.sign_in("authority");
    let page = a.get("/portal/companies");
    assert_eq!(page.body.matches("<tr data-company=").count(), d["companies"].as_array().unwrap().len());
    let in_66 = d["companies"].as_array().unwrap().iter().filter(|c| c["province"] == "66").count();
    assert_eq!(a.get("/portal/companies?province=66").body.matches("<tr data-company=").count(), in_66);
    assert_eq!(v.get("/portal/companies").status, 403, "not for an enterprise");

    // Inspectors: the inspections of their province's markets only.
    let count = |market: &str| {
        d["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "inspection" && e["payload"]["market_gln"] == market)
            .count()
    };
    let mut hn = Visitor::new(&server.url);
    hn.sign_in("inspector");
    assert_eq!(
        hn.get("/portal/inspections").body.matches("<tr data-inspection").count(),
        count("8936918000011")
    );
    let mut hcm = Visitor::new(&server.url);
    hcm.sign_in("inspector2");
    assert_eq!(
        hcm.get("/portal/inspections").body.matches("<tr data-inspection").count(),
        count("8936918000028")
    );
    assert_eq!(v.get("/portal/inspections").status, 403);
}
