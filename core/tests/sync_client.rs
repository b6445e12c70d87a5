//! The sync client against a scripted fake transport: retries and backoff,
//! per-event verdicts, refusals, login, and pull paging with cursors.

use std::cell::RefCell;
use std::time::Duration;

use serde_json::{Value, json};
use truyxuat_core::journal::{EventBody, Journal, OutboxState, Scan};
use truyxuat_core::sync::{
    Client, Method, Policy, Request, Response, SyncError, Transport, TransportError, meta_keys,
};

type Handler = Box<dyn FnMut(&Request) -> Result<Response, TransportError>>;

/// Answers with a closure and remembers every request.
struct Fake {
    handler: RefCell<Handler>,
    log: RefCell<Vec<Request>>,
}

impl Fake {
    fn new(handler: impl FnMut(&Request) -> Result<Response, TransportError> + 'static) -> Fake {
        Fake { handler: RefCell::new(Box::new(handler)), log: RefCell::new(Vec::new()) }
    }
    fn paths(&self) -> Vec<String> {
        self.log.borrow().iter().map(|r| r.path.split('?').next().unwrap().to_owned()).collect()
    }
}

impl Transport for Fake {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        self.log.borrow_mut().push(request.clone());
        (self.handler.borrow_mut())(request)
    }
}

fn ok(v: Value) -> Result<Response, TransportError> {
    Ok(Response { status: 200, body: v.to_string().into_bytes() })
}

fn body(r: &Request) -> Value {
    serde_json::from_slice(r.body.as_deref().unwrap()).unwrap()
}

/// Accept every pushed event; an empty pull.
fn accept_all(r: &Request) -> Result<Response, TransportError> {
    match (r.method, r.path.split('?').next().unwrap()) {
        (Method::Post, "/v1/sync/push") => {
            let results: Vec<Value> = body(r)["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| json!({"id": e["id"], "status": "accepted"}))
                .collect();
            ok(json!({ "results": results }))
        }
        (Method::Get, "/v1/sync/pull") => ok(json!({"changes": [], "cursor": "c", "has_more": false})),
        (Method::Post, "/v1/devices") => ok(json!({"device_id": body(r)["device_id"]})),
        other => panic!("unexpected {other:?}"),
    }
}

fn scan(n: u32) -> EventBody {
    EventBody::Scan(Scan {
        raw_text: format!("893456313801{n}"),
        symbology_id: None,
        element_string: None,
        location: None,
        answer_shown: None,
    })
}

/// A journal that looks logged in (token valid for an hour, device registered).
fn journal(dir: &tempfile::TempDir, events: u32) -> Journal {
    let mut j = Journal::open(&dir.path().join("j.db")).unwrap();
    let exp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 3600;
    j.set_meta(meta_keys::TOKEN, "tok").unwrap();
    j.set_meta(meta_keys::TOKEN_EXPIRES, &exp.to_string()).unwrap();
    let id = j.device_id().to_owned();
    j.set_meta(meta_keys::REGISTERED, &id).unwrap();
    for n in 0..events {
        j.append(&scan(n)).unwrap();
    }
    j
}

fn no_sleep(_: Duration) {}

fn policy(batch: u32) -> Policy {
    Policy { push_batch: batch, pull_limit: 2, attempts: 4, ..Policy::default() }
}

#[test]
fn pushes_in_sequence_order_in_batches_and_marks_every_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 7);
    let fake = Fake::new(accept_all);
    let client = Client::new(&fake).with_policy(policy(3)).with_sleep(no_sleep);
    let report = client.sync(&mut j).unwrap();
    assert_eq!((report.pushed, report.pending, report.retries), (7, 0, 0));
    assert_eq!(fake.paths(), ["/v1/sync/push", "/v1/sync/push", "/v1/sync/push", "/v1/sync/pull"]);
    let seqs: Vec<i64> = fake.log.borrow()[..3]
        .iter()
        .flat_map(|r| {
            body(r)["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["seq"].as_i64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5, 6, 7]);
    assert!(fake.log.borrow().iter().all(|r| r.bearer.as_deref() == Some("tok")));
    assert_eq!(j.counts().unwrap().acked, 7);
}

#[test]
fn transient_failures_are_retried_with_backoff_and_then_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 2);
    let mut n = 0;
    let fake = Fake::new(move |r| {
        n += 1;
        match n {
            1 => Err(TransportError::Unreachable("refused".into())),
            2 => Ok(Response { status: 503, body: b"busy".to_vec() }),
            3 => Err(TransportError::Timeout),
            _ => accept_all(r),
        }
    });
    let report = Client::new(&fake).with_policy(policy(10)).with_sleep(no_sleep).sync(&mut j).unwrap();
    assert_eq!((report.pushed, report.retries, report.requests), (2, 3, 5));
}

#[test]
fn giving_up_leaves_events_pending_for_the_next_sync_without_new_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 3);
    let down = Fake::new(|_| Err(TransportError::Unreachable("no route".into())));
    let err = Client::new(&down).with_policy(policy(10)).with_sleep(no_sleep).sync(&mut j).unwrap_err();
    assert!(matches!(err, SyncError::Offline { attempts: 4, .. }), "{err:?}");
    assert_eq!(down.log.borrow().len(), 4);
    assert_eq!(j.counts().unwrap().pending, 3);

    let up = Fake::new(accept_all);
    let report = Client::new(&up).with_policy(policy(10)).with_sleep(no_sleep).sync(&mut j).unwrap();
    assert_eq!(report.pushed, 3);
}

#[test]
fn a_rejected_event_does_not_block_those_behind_it_and_stays_visible() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 3);
    let fake = Fake::new(|r| match r.path.as_str() {
        "/v1/sync/push" => {
            let events = body(r)["events"].as_array().unwrap().clone();
            let results: Vec<Value> = events
                .iter()
                .map(|e| {
                    if e["seq"] == 2 {
                        json!({"id": e["id"], "status": "rejected",
                               "error": {"code": "forbidden", "status": 403, "detail": "not your GLN"}})
                    } else {
                        json!({"id": e["id"], "status": "accepted"})
                    }
                })
                .collect();
            ok(json!({ "results": results }))
        }
        _ => accept_all(r),
    });
    let report = Client::new(&fake).with_policy(policy(10)).with_sleep(no_sleep).sync(&mut j).unwrap();
    assert_eq!((report.pushed, report.rejected, report.pending), (2, 1, 0));
    let events = j.list(0, 10).unwrap();
    assert_eq!(events[1].state, OutboxState::Rejected);
    assert_eq!(events[1].reason.as_deref(), Some("forbidden: not your GLN"));
    assert_eq!(events[2].state, OutboxState::Acked);
}

#[test]
fn a_batch_refused_whole_carries_its_verdicts_in_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 1);
    let fake = Fake::new(|r| match r.path.as_str() {
        "/v1/sync/push" => {
            let id = body(r)["events"][0]["id"].clone();
            let problem = json!({"type": "urn:truyxuat:problem:forbidden", "title": "Forbidden", "status": 403,
                "code": "forbidden", "results": [{"id": id, "status": "rejected",
                "error": {"code": "forbidden", "status": 403, "detail": "consumers only scan"}}]});
            Ok(Response { status: 403, body: problem.to_string().into_bytes() })
        }
        _ => accept_all(r),
    });
    let report = Client::new(&fake).with_policy(policy(10)).with_sleep(no_sleep).sync(&mut j).unwrap();
    assert_eq!(report.rejected, 1);
    assert_eq!(j.counts().unwrap().rejected, 1);
}

#[test]
fn an_expired_token_or_a_401_asks_for_login() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 1);
    let fake = Fake::new(|_| Ok(Response { status: 401, body: b"{}".to_vec() }));
    let err = Client::new(&fake).with_sleep(no_sleep).sync(&mut j).unwrap_err();
    assert!(matches!(err, SyncError::LoginRequired));
    assert_eq!(fake.log.borrow().len(), 1, "a 401 is not retried");

    j.set_meta(meta_keys::TOKEN_EXPIRES, "1").unwrap();
    let fake = Fake::new(accept_all);
    assert!(matches!(Client::new(&fake).sync(&mut j), Err(SyncError::LoginRequired)));
    assert!(fake.log.borrow().is_empty(), "nothing is sent with an expired token");
}

#[test]
fn login_keeps_the_token_and_registers_the_journal_device() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open(&dir.path().join("j.db")).unwrap();
    let fake = Fake::new(|r| match r.path.as_str() {
        "/v1/auth/token" => {
            assert_eq!(body(r), json!({"username": "farmer", "password": "demo"}));
            ok(json!({"access_token": "abc", "token_type": "Bearer", "expires_in": 3600, "role": "farmer"}))
        }
        _ => accept_all(r),
    });
    let login = Client::new(&fake).login(&mut j, "farmer", "demo").unwrap();
    assert_eq!((login.role.as_str(), login.device_id.as_str()), ("farmer", j.device_id()));
    assert_eq!(j.meta(meta_keys::TOKEN).unwrap().as_deref(), Some("abc"));
    assert_eq!(fake.log.borrow()[1].bearer.as_deref(), Some("abc"));
    assert_eq!(body(&fake.log.borrow()[1])["device_id"], j.device_id());

    let wrong = Fake::new(|_| {
        Ok(Response { status: 401, body: br#"{"status":401,"code":"unauthorized","title":"x"}"#.to_vec() })
    });
    let err = Client::new(&wrong).login(&mut j, "farmer", "nope").unwrap_err();
    assert!(matches!(&err, SyncError::Refused(p) if p.code == "unauthorized"), "{err:?}");
}

#[test]
fn pull_pages_follow_the_cursor_and_fill_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 0);
    let fake = Fake::new(|r| {
        let cursor = r.path.split("cursor=").nth(1).unwrap_or("").to_owned();
        let page = |changes: Value, cursor: &str, more: bool| {
            ok(json!({"changes": changes, "cursor": cursor, "has_more": more}))
        };
        match cursor.as_str() {
            "" => page(
                json!([{"kind": "product", "key": "08934563138011", "data": {"name_vi": "Cà phê"}},
                       {"kind": "lot", "key": "08934563138011/L1", "data": {"lot": "L1"}}]),
                "p1",
                true,
            ),
            "p1" => page(json!([{"kind": "product", "key": "08934563138011", "data": null}]), "p2", false),
            other => panic!("cursor {other}"),
        }
    });
    let report = Client::new(&fake).with_policy(policy(10)).sync(&mut j).unwrap();
    assert_eq!(report.pulled, 3);
    assert!(j.cached("product", "08934563138011").unwrap().is_none());
    assert!(j.cached("lot", "08934563138011/L1").unwrap().is_some());
    assert_eq!(j.meta(meta_keys::PULL_CURSOR).unwrap().as_deref(), Some("p2"));
}

#[test]
fn a_batch_too_large_for_the_server_is_sent_in_smaller_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 5);
    let fake = Fake::new(|r| match r.path.as_str() {
        "/v1/sync/push" if body(r)["events"].as_array().unwrap().len() > 2 => Ok(Response {
            status: 413,
            body: br#"{"status":413,"code":"payload_too_large","title":"x"}"#.to_vec(),
        }),
        _ => accept_all(r),
    });
    let report = Client::new(&fake).with_policy(policy(8)).with_sleep(no_sleep).sync(&mut j).unwrap();
    assert_eq!((report.pushed, report.pending), (5, 0));
    let sizes: Vec<usize> = fake
        .log
        .borrow()
        .iter()
        .filter(|r| r.path == "/v1/sync/push")
        .map(|r| body(r)["events"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [5, 4, 2, 2, 1]);
}

#[test]
fn one_event_too_large_for_the_server_does_not_hold_back_those_behind_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 4);
    let big = j.list(0, 10).unwrap()[1].id.clone();
    let fake = Fake::new(move |r| {
        let sent =
            r.path == "/v1/sync/push" && body(r)["events"].as_array().unwrap().iter().any(|e| e["id"] == big);
        if sent {
            return Ok(Response {
                status: 413,
                body: br#"{"status":413,"code":"payload_too_large","title":"x","detail":"over 8 MB"}"#
                    .to_vec(),
            });
        }
        accept_all(r)
    });
    let report = Client::new(&fake).with_policy(policy(8)).with_sleep(no_sleep).sync(&mut j).unwrap();
    assert_eq!((report.pushed, report.rejected, report.pending), (3, 1, 0), "{report:?}");
    let events = j.list(0, 10).unwrap();
    assert_eq!(events[1].state, OutboxState::Rejected);
    assert!(events[1].reason.as_deref().unwrap().starts_with("payload_too_large"));
    // The next sync sends nothing again.
    let again = Client::new(&fake).with_policy(policy(8)).with_sleep(no_sleep).sync(&mut j).unwrap();
    assert_eq!((again.pushed, again.rejected), (0, 0));
}

/// What the server's `/v1/resolve` answers (the fields the phone reads, and
/// one it does not).
fn server_answer(code: &str) -> Value {
    json!({
        "code": {"input": code, "kind": "lot", "gtin": "08936120900017", "lot": "HP07",
                 "element_string": "(01)08936120900017(10)HP07", "prefix_country": "VN"},
        "registered": true,
        "product": {"gtin": "08936120900017", "name_vi": "Cà phê nhân", "name_en": "Green coffee",
                    "category": "coffee", "origin_province": "66"},
        "company": {"key": "cn", "name": "Cao Nguyên Xanh", "province": "66"},
        "lot": {"gtin": "08936120900017", "lot": "HP07", "expiry": "2027-11-26"},
        "recalls": [],
        "journey": [{"kind": "harvest"}, {"kind": "farm_diary"}],
        "chain": {"complete": true, "breaks": []},
        "warnings": [],
        "inspections": []
    })
}

#[test]
fn resolve_saves_the_answer_and_offline_gives_it_back_with_its_age_and_later_recalls() {
    use truyxuat_core::journal::CacheUpdate;
    use truyxuat_core::lookup::Source;
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 0);
    let online = std::rc::Rc::new(std::cell::Cell::new(true));
    let flag = online.clone();
    let client = Client::new(Fake::new(move |r| {
        assert!(r.path.starts_with("/v1/resolve?code="), "{}", r.path);
        assert_eq!(r.bearer, None, "resolving needs no account");
        if flag.get() {
            let code = "(01)08936120900017(10)HP07";
            ok(server_answer(code))
        } else {
            Err(TransportError::Unreachable("refused".into()))
        }
    }))
    .with_policy(policy(10))
    .with_sleep(no_sleep);
    let code = "(01)08936120900017(10)HP07";
    let first = client.resolve(&mut j, code).unwrap();
    assert_eq!(first.source, Source::Online);
    assert_eq!(first.product.as_ref().unwrap().name_vi, "Cà phê nhân");
    assert_eq!((first.journey_steps, first.chain_complete), (2, Some(true)));
    assert_eq!(first.company.as_ref().unwrap().name, "Cao Nguyên Xanh");

    online.set(false);
    let saved = client.resolve(&mut j, "]Q1https://id.gs1.org/01/08936120900017/10/HP07").unwrap();
    let Source::Saved { age_secs, .. } = saved.source else { panic!("{:?}", saved.source) };
    assert!(age_secs < 60);
    assert_eq!(saved.product, first.product);
    assert!(saved.warnings.is_empty());

    // A recall pulled after the answer was saved shows on it, first.
    let recall = json!({"id": "R1", "gtin": "08936120900017", "lots": ["HP07"], "severity": "high",
                        "reason_vi": "Nấm mốc", "reason_en": "Mould", "declared_at": "2026-11-26T00:00:00Z"});
    let update = CacheUpdate { kind: "recall".into(), key: "R1".into(), data: Some(recall.to_string()) };
    j.apply_pull(&[update], &[], meta_keys::PULL_CURSOR, "c1").unwrap();
    let flagged = client.resolve(&mut j, code).unwrap();
    assert_eq!(flagged.warnings[0].code, "recalled");
    assert_eq!(flagged.warnings[0].en, "This lot has been recalled: Mould");
    assert_eq!(flagged.recalls.len(), 1);
}

#[test]
fn offline_without_a_saved_answer_uses_the_synced_catalog_and_the_code_itself() {
    use truyxuat_core::journal::CacheUpdate;
    use truyxuat_core::lookup::{Source, offline};
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 0);
    let put = |kind: &str, key: &str, v: Value| CacheUpdate {
        kind: kind.into(),
        key: key.into(),
        data: Some(v.to_string()),
    };
    j.apply_pull(
        &[
            put("product", "08936120100110", json!({"gtin": "08936120100110", "name_vi": "Cà phê rang xay"})),
            put(
                "lot",
                "08936120100110/RX1",
                json!({"gtin": "08936120100110", "lot": "RX1", "expiry": "2026-01-31"}),
            ),
        ],
        &[],
        meta_keys::PULL_CURSOR,
        "c",
    )
    .unwrap();
    let now = 1_790_000_000;
    let known = offline(&j, "(01)08936120100110(10)RX1", now, "2026-11-26").unwrap();
    assert_eq!((known.source.clone(), known.registered), (Source::Local, true));
    assert_eq!(known.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(), ["expired"]);
    assert_eq!(known.lot.unwrap().expiry.as_deref(), Some("2026-01-31"));
    // An expiry printed in the code (AI 17, day 00 = end of month) counts too.
    let printed = offline(&j, "(01)08936120100110(17)260900(10)RX9", now, "2026-11-26").unwrap();
    assert_eq!(printed.warnings[0].vi, "Sản phẩm đã hết hạn sử dụng (2026-09-30)");
    let unknown = offline(&j, "(01)08936561100229", now, "2026-11-26").unwrap();
    assert_eq!(unknown.warnings[0].code, "unknown_offline");
    assert!(!unknown.registered);
    assert_eq!(offline(&j, "xin chào", now, "2026-11-26").unwrap().warnings[0].code, "invalid_code");
}

#[test]
fn sync_refreshes_a_token_past_half_its_life_and_keeps_using_it_if_refresh_is_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 1);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    j.set_meta(meta_keys::TOKEN_ISSUED, &(now - 3000).to_string()).unwrap();
    j.set_meta(meta_keys::TOKEN_EXPIRES, &(now + 600).to_string()).unwrap();
    let client = Client::new(Fake::new(|r| match r.path.as_str() {
        "/v1/auth/refresh" => {
            assert_eq!(r.bearer.as_deref(), Some("tok"));
            ok(json!({"access_token": "tok2", "token_type": "Bearer", "expires_in": 86400, "role": "farmer"}))
        }
        _ => {
            if r.path != "/v1/devices" {
                assert_eq!(r.bearer.as_deref(), Some("tok2"), "{}", r.path);
            }
            accept_all(r)
        }
    }))
    .with_policy(policy(10))
    .with_sleep(no_sleep);
    client.sync(&mut j).unwrap();
    assert_eq!(j.meta(meta_keys::TOKEN).unwrap().as_deref(), Some("tok2"));
    assert_eq!(client.transport().paths()[0], "/v1/auth/refresh");

    // Fresh token: no refresh. Half-life passed but the server is down: the
    // old token still works for what follows.
    let mut j2 = journal(&tempfile::tempdir().unwrap(), 1);
    j2.set_meta(meta_keys::TOKEN_ISSUED, &(now - 3000).to_string()).unwrap();
    j2.set_meta(meta_keys::TOKEN_EXPIRES, &(now + 600).to_string()).unwrap();
    let calls = std::rc::Rc::new(std::cell::Cell::new(0));
    let seen = calls.clone();
    let flaky = Client::new(Fake::new(move |r| {
        seen.set(seen.get() + 1);
        if r.path == "/v1/auth/refresh" { Err(TransportError::Timeout) } else { accept_all(r) }
    }))
    .with_policy(policy(10))
    .with_sleep(no_sleep);
    assert_eq!(flaky.sync(&mut j2).unwrap().pushed, 1);
    assert_eq!(j2.meta(meta_keys::TOKEN).unwrap().as_deref(), Some("tok"));
}

/// A signed pack as the server makes it.
fn signed(pair: &ring::signature::Ed25519KeyPair, key_id: &str, body: Value) -> Value {
    use truyxuat_core::recall_pack::{hex, signed_bytes};
    let signature = hex(pair.sign(&signed_bytes(&body)).as_ref());
    json!({"body": body, "key_id": key_id, "signature": signature})
}

#[test]
fn a_recall_pack_is_verified_before_it_replaces_the_kept_one() {
    use ring::signature::{Ed25519KeyPair, KeyPair};
    use truyxuat_core::recall_pack::{hex, key_id};
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let id = key_id(pair.public_key().as_ref());
    let recall = |rid: &str, lot: &str| json!({"id": rid, "gtin": "08936120100110", "lots": [lot], "severity": "high", "reason_vi": "Nấm mốc", "reason_en": null});
    let pack = |base: Option<i64>, version: i64, recalls: Value| {
        json!({"format": 1, "province": "01", "version": version, "base_version": base,
               "issued_at": "2026-11-27T01:00:00.000Z", "recalls": recalls, "withdrawn": []})
    };
    let whole = signed(&pair, &id, pack(None, 5, json!([recall("R1", "L1")])));
    let delta = signed(&pair, &id, pack(Some(5), 7, json!([recall("R2", "L2")])));
    let mut tampered = delta.clone();
    tampered["body"]["recalls"][0]["lots"] = json!(["L3"]);
    let key = json!({"key_id": id, "public_key": hex(pair.public_key().as_ref())});

    let answers = RefCell::new(vec![delta, tampered, whole]);
    let fake = Fake::new(move |r| match r.path.as_str() {
        "/v1/recall-pack/key" => ok(key.clone()),
        p if p.starts_with("/v1/recall-pack?") => ok(answers.borrow_mut().pop().unwrap()),
        other => panic!("unexpected {other}"),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 0);
    let client = Client::new(&fake).with_sleep(no_sleep);

    let first = client.update_recall_pack(&mut j, Some("01")).unwrap();
    assert_eq!((first.version, first.recalls, first.whole), (5, 1, true));
    // A pack altered on the way is refused; the phone keeps version 5.
    let err = client.update_recall_pack(&mut j, Some("01")).unwrap_err();
    assert!(
        matches!(err, SyncError::RecallPack(truyxuat_core::recall_pack::PackError::BadSignature)),
        "{err}"
    );
    assert_eq!(truyxuat_core::lookup::recall_pack(&j).unwrap().unwrap().version, 5);
    let next = client.update_recall_pack(&mut j, Some("01")).unwrap();
    assert_eq!((next.version, next.recalls, next.lots, next.whole), (7, 2, 2, false));
    let asked: Vec<String> = fake.log.borrow().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        asked,
        [
            "/v1/recall-pack/key",
            "/v1/recall-pack?province=01&",
            "/v1/recall-pack?province=01&since=5",
            "/v1/recall-pack?province=01&since=5"
        ],
        "the key is fetched once, then pinned"
    );

    // Offline, a lot in the pack is flagged, whether it was pulled or not.
    let answer = truyxuat_core::lookup::offline(&j, "(01)08936120100110(10)L2", 0, "2026-11-27").unwrap();
    assert_eq!(answer.warnings.first().map(|w| w.code.as_str()), Some("recalled"), "{answer:?}");
    let clean = truyxuat_core::lookup::offline(&j, "(01)08936120100110(10)L3", 0, "2026-11-27").unwrap();
    assert!(clean.warnings.iter().all(|w| w.code != "recalled"), "the tampered lot never got in");
}

#[test]
fn photos_go_before_the_events_that_name_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(&dir, 0);
    let png = {
        let mut out = Vec::new();
        image::GrayImage::new(4, 4)
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    };
    let hash = j.add_photo(&png).unwrap();
    assert_eq!(hash.len(), 64);
    assert_eq!(j.add_photo(&png).unwrap(), hash, "the same photo is kept once");
    let refused = j.add_photo(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).unwrap(); // a JPEG the server will refuse
    assert!(matches!(j.add_photo(b"GIF89a"), Err(truyxuat_core::journal::JournalError::Invalid(_))));
    j.append(&scan(1)).unwrap();

    let fake = Fake::new(move |r| match (r.method, r.path.as_str()) {
        (Method::Upload("image/png"), "/v1/photos") => ok(json!({"hash": "x"})),
        (Method::Upload("image/jpeg"), "/v1/photos") => Ok(Response {
            status: 422,
            body: br#"{"status":422,"title":"x","code":"invalid_photo"}"#.to_vec(),
        }),
        _ => accept_all(r),
    });
    let report = Client::new(&fake).with_sleep(no_sleep).sync(&mut j).unwrap();
    assert_eq!((report.photos, report.pushed), (2, 1));
    let order = fake.paths();
    let push = order.iter().position(|p| p == "/v1/sync/push").unwrap();
    assert!(order.iter().take(push).filter(|p| *p == "/v1/photos").count() == 2, "{order:?}");
    assert!(j.pending_photos(10).unwrap().is_empty(), "sent, or refused for good ({refused})");
    let again = Client::new(&fake).with_sleep(no_sleep).sync(&mut j).unwrap();
    assert_eq!(again.photos, 0, "nothing is sent twice");
}
