//! The offline recall pack end to end: an inspector's phone (the `device`
//! command over the core client) fetches its province's signed pack, keeps
//! it current by deltas, and checks a lot against it with no network.

mod support;

use serde_json::{Value, json};
use support::{Server, call, demo, device_ok, journal_path, login};
use truyxuat_core::recall_pack::{PackError, PackKey, SignedPack, verify};

fn declare(url: &str, token: &str, gtin: &str, lot: &str, province: Option<&str>) -> String {
    let (status, body, _) = call(
        "POST",
        &format!("{url}/v1/recalls"),
        Some(token),
        Some(&json!({"gtin": gtin, "lots": [lot], "severity": "high", "province": province,
                     "reason_vi": "Vượt ngưỡng aflatoxin", "reason_en": "Aflatoxin above the limit"})),
    );
    assert_eq!(status, 201, "{body}");
    body["recall"]["id"].as_str().unwrap().to_owned()
}

/// Demo lots that no demo recall names: (GTIN, lot).
fn unrecalled_lots() -> Vec<(String, String)> {
    let d = demo();
    let recalled: Vec<(String, String)> = d["recalls"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["lots"].as_array().unwrap().iter().map(|l| (r["gtin"].to_string(), l.to_string())))
        .collect();
    d["lots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["gtin"].to_string(), l["lot"].to_string()))
        .filter(|k| !recalled.contains(k))
        .map(|(g, l)| (g.trim_matches('"').to_owned(), l.trim_matches('"').to_owned()))
        .collect()
}

#[test]
fn an_inspector_keeps_a_signed_pack_current_and_checks_lots_offline() {
    let server = Server::start(&[]);
    let url = &server.url;
    let nationwide = demo()["recalls"].as_array().unwrap().iter().filter(|r| r["province"].is_null()).count();
    let dir = tempfile::tempdir().unwrap();
    let phone = journal_path(&dir, "inspector");
    device_ok(&phone, &["init", "--server", url]);
    device_ok(&phone, &["login", "--user", "inspector", "--password", "demo"]); // province 01

    let first = device_ok(&phone, &["recall-pack"]);
    assert_eq!((first["province"].as_str(), first["whole"].as_bool()), (Some("01"), Some(true)), "{first}");
    assert_eq!(first["recalls"].as_u64(), Some(nationwide as u64));
    let again = device_ok(&phone, &["recall-pack"]);
    assert_eq!(
        (again["whole"].as_bool(), &again["version"]),
        (Some(false), &first["version"]),
        "nothing new"
    );

    // A nationwide recall and one of Hà Nội reach the pack; one of TP.HCM does not.
    let authority = login(url, "authority");
    let lots = unrecalled_lots();
    let (g1, l1) = &lots[0];
    let (g2, l2) = &lots[1];
    let (g3, l3) = &lots[2];
    declare(url, &authority, g1, l1, None);
    declare(url, &authority, g2, l2, Some("01"));
    declare(url, &authority, g3, l3, Some("79"));
    let next = device_ok(&phone, &["recall-pack"]);
    assert_eq!(next["whole"].as_bool(), Some(false), "a delta: {next}");
    assert_eq!(next["recalls"].as_u64(), Some(nationwide as u64 + 2), "{next}");
    assert!(next["version"].as_i64() > first["version"].as_i64());

    // No network: the lots in the pack are flagged, the other province's is not.
    device_ok(&phone, &["init", "--server", "http://127.0.0.1:9"]);
    let offline = |g: &str, l: &str| -> Value { device_ok(&phone, &["resolve", &format!("(01){g}(10){l}")]) };
    for (g, l) in [(g1, l1), (g2, l2)] {
        let answer = offline(g, l);
        assert_eq!(
            answer["source"]["kind"].as_str().or(answer["source"].as_str()),
            Some("local"),
            "{answer}"
        );
        assert_eq!(answer["warnings"][0]["code"], "recalled", "{answer}");
    }
    let elsewhere = offline(g3, l3);
    assert!(elsewhere["warnings"].as_array().unwrap().iter().all(|w| w["code"] != "recalled"), "{elsewhere}");
}

#[test]
fn packs_are_signed_with_a_stable_key_and_scoped_by_role() {
    let server = Server::start(&[]);
    let url = server.url.clone();
    let inspector = login(&url, "inspector");
    let (status, key, _) = call("GET", &format!("{url}/v1/recall-pack/key"), Some(&inspector), None);
    assert_eq!(status, 200, "{key}");
    let key: PackKey = serde_json::from_value(key).unwrap();
    let (status, pack, _) = call("GET", &format!("{url}/v1/recall-pack"), Some(&inspector), None);
    assert_eq!(status, 200, "{pack}");
    let pack: SignedPack = serde_json::from_value(pack).unwrap();
    let body = verify(&pack, &key).expect("the server's pack verifies");
    assert_eq!((body.province.as_deref(), body.base_version), (Some("01"), None));

    // One changed byte and it no longer verifies.
    let mut tampered = pack.clone();
    tampered.body["issued_at"] = json!("2099-01-01T00:00:00.000Z");
    assert_eq!(verify(&tampered, &key), Err(PackError::BadSignature));

    // A delta from a version beyond the feed (a reset server) is a whole pack.
    let (_, far, _) = call("GET", &format!("{url}/v1/recall-pack?since=999999"), Some(&inspector), None);
    let far: SignedPack = serde_json::from_value(far).unwrap();
    let far = verify(&far, &key).unwrap();
    assert_eq!((far.base_version, far.recalls.len()), (None, body.recalls.len()));

    // Who may fetch which pack.
    let (status, _, _) = call("GET", &format!("{url}/v1/recall-pack?province=79"), Some(&inspector), None);
    assert_eq!(status, 403, "an inspector fetches their own province's");
    let (status, _, _) =
        call("GET", &format!("{url}/v1/recall-pack?province=79"), Some(&login(&url, "authority")), None);
    assert_eq!(status, 200);
    let (status, _, _) = call("GET", &format!("{url}/v1/recall-pack"), Some(&login(&url, "consumer")), None);
    assert_eq!(status, 403);
    let (status, body, _) = call("GET", &format!("{url}/v1/recall-pack?province=99"), Some(&inspector), None);
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_query")));

    // The key is kept beside the database: the same after a restart.
    let server = server.restart();
    let (_, again, _) = call(
        "GET",
        &format!("{}/v1/recall-pack/key", server.url),
        Some(&login(&server.url, "inspector")),
        None,
    );
    assert_eq!(again["key_id"].as_str(), Some(key.key_id.as_str()));
}

#[test]
fn a_revoked_code_is_flagged_online_and_in_the_pack_offline() {
    let server = Server::start(&[]);
    let url = &server.url;
    let d = demo();
    let serial = &d["serials"][0];
    let (gtin, serial) = (serial["gtin"].as_str().unwrap(), serial["serial"].as_str().unwrap());
    let code = format!("(01){gtin}(21){serial}");
    let dir = tempfile::tempdir().unwrap();
    let phone = journal_path(&dir, "inspector");
    device_ok(&phone, &["init", "--server", url]);
    device_ok(&phone, &["login", "--user", "inspector", "--password", "demo"]);
    let first = device_ok(&phone, &["recall-pack"]);

    // Only an authority revokes; a code without a GTIN is refused.
    let body = json!({"code": code, "reason_vi": "Tem truy xuất bị làm giả hàng loạt", "reason_en": "Traceability stamp forged in bulk"});
    let (status, _, _) =
        call("POST", &format!("{url}/v1/revocations"), Some(&login(url, "inspector")), Some(&body));
    assert_eq!(status, 403);
    let authority = login(url, "authority");
    let (status, refused, _) = call(
        "POST",
        &format!("{url}/v1/revocations"),
        Some(&authority),
        Some(&json!({"code": "hello", "reason_vi": "x"})),
    );
    assert_eq!((status, refused["code"].as_str()), (422, Some("invalid_record")));
    let (status, revoked, _) = call("POST", &format!("{url}/v1/revocations"), Some(&authority), Some(&body));
    assert_eq!(status, 201, "{revoked}");

    // Online: the resolver says so first.
    let (_, answer, _) =
        call("GET", &format!("{url}/v1/resolve?code={}", support::urlencode(&code)), None, None);
    assert_eq!(answer["warnings"][0]["code"], "revoked", "{answer}");
    // Another serial of the same GTIN is not revoked.
    let (_, other, _) = call(
        "GET",
        &format!("{url}/v1/resolve?code={}", support::urlencode(&format!("(01){gtin}(21)X-OTHER"))),
        None,
        None,
    );
    assert!(other["warnings"].as_array().unwrap().iter().all(|w| w["code"] != "revoked"), "{other}");

    // The pack's delta brings it; offline, the phone flags the code.
    let next = device_ok(&phone, &["recall-pack"]);
    assert_eq!(next["whole"].as_bool(), Some(false));
    assert!(next["version"].as_i64() > first["version"].as_i64());
    device_ok(&phone, &["init", "--server", "http://127.0.0.1:9"]);
    let offline = device_ok(&phone, &["resolve", &code]);
    assert_eq!(offline["warnings"][0]["code"], "revoked", "{offline}");
}
