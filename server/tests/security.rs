//! Tokens that must not work, roles that must not be escalated, and writes
//! for someone else's locations: all refused with a problem body.

mod support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::{SECRET, Server, call, demo_glns, login};
use truyxuat_core::journal::{EventBody, Harvest, event_hash};

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn kid(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))[..16].to_owned()
}

/// A token for user `uid` with the given claims changed.
fn forge(secret: &str, alg: Algorithm, kid_: Option<String>, patch: Value) -> String {
    let mut claims = json!({"iss": "truyxuat", "aud": "truyxuat-api", "sub": "farmer", "uid": 1,
                            "role": "farmer", "iat": now(), "exp": now() + 600});
    for (k, v) in patch.as_object().unwrap() {
        claims[k] = v.clone();
    }
    let mut header = Header::new(alg);
    header.kid = kid_;
    encode(&header, &claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

fn me(url: &str, token: &str) -> (u16, Value) {
    let (status, body, _) = call("GET", &format!("{url}/v1/me"), Some(token), None);
    (status, body)
}

#[test]
fn bad_tokens_are_refused() {
    let server = Server::start(&[]);
    let url = &server.url;
    let good = forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({}));
    assert_eq!(me(url, &good).0, 200, "the forging recipe is right, so the refusals below mean something");

    let cases = [
        ("expired", forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({"exp": now() - 5}))),
        (
            "wrong signature",
            forge("another-secret-0123456789abcdef0123", Algorithm::HS256, Some(kid(SECRET)), json!({})),
        ),
        (
            "wrong audience",
            forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({"aud": "someone-else"})),
        ),
        ("wrong issuer", forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({"iss": "evil"}))),
        ("unknown key id", forge(SECRET, Algorithm::HS256, Some("0000000000000000".into()), json!({}))),
        ("no key id", forge(SECRET, Algorithm::HS256, None, json!({}))),
        ("HS512", forge(SECRET, Algorithm::HS512, Some(kid(SECRET)), json!({}))),
        (
            "name does not match id",
            forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({"sub": "inspector"})),
        ),
        ("no such user", forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({"uid": 999}))),
        (
            "issued in the future",
            forge(
                SECRET,
                Algorithm::HS256,
                Some(kid(SECRET)),
                json!({"iat": now() + 3600, "exp": now() + 4000}),
            ),
        ),
        (
            "a lifetime beyond the server's (a day)",
            forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({"exp": now() + 30 * 86_400})),
        ),
        (
            "an older generation of the account's tokens",
            forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({"generation": 1})),
        ),
        ("alg none", {
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
            let claims = json!({"iss": "truyxuat", "aud": "truyxuat-api", "sub": "farmer", "uid": 1, "role": "admin", "exp": now() + 600});
            format!("{header}.{}.", URL_SAFE_NO_PAD.encode(claims.to_string()))
        }),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (what, token) in cases {
        let (status, body) = me(url, &token);
        assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")), "{what}: {body}");
    }
}

#[test]
fn roles_cannot_be_escalated() {
    let server = Server::start(&[]);
    let url = &server.url;
    // A token that claims admin, correctly signed, for the farmer account:
    // the role comes from the account, not from the token.
    let claims_admin = forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({"role": "admin"}));
    assert_eq!(me(url, &claims_admin).1["role"], "farmer");
    let new_admin = json!({"username": "mallory", "password": "password123", "role": "admin"});
    for token in [claims_admin, login(url, "farmer"), login(url, "authority")] {
        let (status, body, _) = call("POST", &format!("{url}/v1/users"), Some(&token), Some(&new_admin));
        assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    }
    // Only authorities and admins change an event's status.
    let (status, _, _) = call(
        "POST",
        &format!("{url}/v1/events/0193/status"),
        Some(&login(url, "inspector")),
        Some(&json!({"status": "rejected"})),
    );
    assert_eq!(status, 403);
}

/// A pushed harvest event as a phone would send it.
fn harvest_event(device_id: &str, gln: &str) -> Value {
    let body = EventBody::Harvest(Harvest {
        product: "Gạo ST25".into(),
        gtin: Some("08936045210024".into()),
        lot: "L1".into(),
        quantity: 10.0,
        unit: "kg".into(),
        harvest_date: "2026-11-01".into(),
        gln: Some(gln.into()),
        location: None,
        certification: None,
        photos: vec![],
    });
    let payload = serde_json::to_value(&body).unwrap()["payload"].clone();
    let id = uuid::Uuid::now_v7().to_string();
    let prev = "0".repeat(64);
    let time = "2026-11-01T06:00:00.000Z";
    let hash = event_hash(&prev, 1, &id, device_id, "harvest", &payload, time);
    json!({"id": id, "seq": 1, "kind": "harvest", "payload": payload, "device_time": time, "prev_hash": prev, "hash": hash})
}

fn push_one(url: &str, user: &str, gln: &str) -> (u16, Value) {
    let token = login(url, user);
    let (_, device, _) = call("POST", &format!("{url}/v1/devices"), Some(&token), Some(&json!({})));
    let device_id = device["device_id"].as_str().unwrap();
    let push = json!({"device_id": device_id, "events": [harvest_event(device_id, gln)]});
    let (status, body, _) = call("POST", &format!("{url}/v1/sync/push"), Some(&token), Some(&push));
    (status, body)
}

#[test]
fn writing_for_someone_elses_gln_or_outside_ones_role_is_refused() {
    let server = Server::start(&[]);
    let url = &server.url;
    let farm = &demo_glns("farmer")[0];
    let site = &demo_glns("enterprise")[0];
    let (status, ok) = push_one(url, "farmer", farm);
    assert_eq!((status, ok["results"][0]["status"].as_str()), (200, Some("accepted")), "{ok}");

    // The enterprise's GLN, written by the farmer.
    let (status, body) = push_one(url, "farmer", site);
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    assert_eq!(body["results"][0]["error"]["code"], "forbidden");
    // Consumers only scan; inspectors do not harvest.
    for user in ["consumer", "inspector"] {
        let (status, body) = push_one(url, user, farm);
        assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{user}: {body}");
    }
    // A tampered event: the content no longer matches its hash.
    let token = login(url, "farmer");
    let (_, device, _) = call("POST", &format!("{url}/v1/devices"), Some(&token), Some(&json!({})));
    let device_id = device["device_id"].as_str().unwrap();
    let mut event = harvest_event(device_id, farm);
    event["payload"]["quantity"] = json!(10000.0);
    let (status, body, _) = call(
        "POST",
        &format!("{url}/v1/sync/push"),
        Some(&token),
        Some(&json!({"device_id": device_id, "events": [event]})),
    );
    assert_eq!((status, body["code"].as_str()), (422, Some("hash_mismatch")), "{body}");
}

#[test]
fn login_attempts_are_rate_limited() {
    let server = Server::start(&[]);
    let url = &server.url;
    let wrong = json!({"username": "inspector", "password": "guess"});
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(call("POST", &format!("{url}/v1/auth/token"), None, Some(&wrong)).0);
    }
    assert_eq!(&statuses[..10], &[401; 10]);
    let (status, body, _) = call("POST", &format!("{url}/v1/auth/token"), None, Some(&wrong));
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")), "{statuses:?}");
    // The address waits, whatever the account it tries next (spraying);
    // tests/hostile.rs shows other addresses still sign in.
    let farmer = json!({"username": "farmer", "password": "demo"});
    assert_eq!(call("POST", &format!("{url}/v1/auth/token"), None, Some(&farmer)).0, 429);
}

#[test]
fn leaving_the_gln_out_does_not_skip_the_ownership_check() {
    let server = Server::start(&[]);
    let url = &server.url;
    let token = login(url, "farmer");
    let (_, device, _) = call("POST", &format!("{url}/v1/devices"), Some(&token), Some(&json!({})));
    let device_id = device["device_id"].as_str().unwrap();
    let mut event = harvest_event(device_id, "8934563000004");
    event["payload"]["gln"] = Value::Null;
    // Re-hash the changed content so that only the missing GLN is wrong.
    let p = &event["payload"];
    event["hash"] = json!(event_hash(
        event["prev_hash"].as_str().unwrap(),
        1,
        event["id"].as_str().unwrap(),
        device_id,
        "harvest",
        p,
        event["device_time"].as_str().unwrap()
    ));
    let (status, body, _) = call(
        "POST",
        &format!("{url}/v1/sync/push"),
        Some(&token),
        Some(&json!({"device_id": device_id, "events": [event]})),
    );
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
}

#[test]
fn an_enterprise_cannot_replace_another_companys_recall_and_refused_events_stay_refused() {
    let server = Server::start(&[]);
    let url = &server.url;
    let d = support::demo();
    let theirs = d["recalls"][0].clone();
    // A product of the `enterprise` account's own company.
    let sites: Vec<Value> = d["locations"].as_array().unwrap().clone();
    let glns = support::demo_glns("enterprise");
    let company =
        sites.iter().find(|l| glns.contains(&l["gln"].as_str().unwrap().to_owned())).unwrap()["company"]
            .clone();
    let own =
        d["products"].as_array().unwrap().iter().find(|p| p["company"] == company).unwrap()["gtin"].clone();
    assert_ne!(theirs["gtin"], own);
    let hijack = json!({"id": theirs["id"], "gtin": own, "lots": ["X1"], "reason_vi": "không có gì", "severity": "low"});
    let (status, body, _) =
        call("POST", &format!("{url}/v1/recalls"), Some(&login(url, "enterprise")), Some(&hijack));
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    let (_, p, _) = call(
        "GET",
        &format!(
            "{url}/v1/resolve?code=(01){}(10){}",
            theirs["gtin"].as_str().unwrap(),
            theirs["lots"][0].as_str().unwrap()
        ),
        None,
        None,
    );
    assert_eq!(p["warnings"][0]["code"], "recalled", "the recall still stands");

    // An event refused at push cannot be turned into an accepted one.
    let token = login(url, "farmer");
    let (_, device, _) = call("POST", &format!("{url}/v1/devices"), Some(&token), Some(&json!({})));
    let device_id = device["device_id"].as_str().unwrap();
    let mut event = harvest_event(device_id, &support::demo_glns("farmer")[0]);
    event["payload"]["quantity"] = json!(99999.0);
    let id = event["id"].as_str().unwrap().to_owned();
    call(
        "POST",
        &format!("{url}/v1/sync/push"),
        Some(&token),
        Some(&json!({"device_id": device_id, "events": [event]})),
    );
    let (status, body, _) = call(
        "POST",
        &format!("{url}/v1/events/{id}/status"),
        Some(&login(url, "authority")),
        Some(&json!({"status": "accepted"})),
    );
    assert_eq!((status, body["code"].as_str()), (409, Some("conflict")), "{body}");
}

#[test]
fn a_valid_token_is_exchanged_for_a_fresh_one_and_nothing_else_is() {
    let server = Server::start(&[]);
    let url = &server.url;
    let token = login(url, "farmer");
    let (status, body, _) = call("POST", &format!("{url}/v1/auth/refresh"), Some(&token), None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["role"], "farmer");
    let fresh = body["access_token"].as_str().unwrap();
    let (status, me, _) = call("GET", &format!("{url}/v1/me"), Some(fresh), None);
    assert_eq!((status, me["username"].as_str()), (200, Some("farmer")));
    let (status, body, _) = call("POST", &format!("{url}/v1/auth/refresh"), None, None);
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")), "{body}");
    let expired = forge(SECRET, Algorithm::HS256, Some(kid(SECRET)), json!({"exp": now() - 10}));
    let (status, _, _) = call("POST", &format!("{url}/v1/auth/refresh"), Some(&expired), None);
    assert_eq!(status, 401);
}
