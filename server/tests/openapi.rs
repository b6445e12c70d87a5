//! The OpenAPI document and the server agree: what the document calls a
//! query parameter is read from the query, a declared bound is enforced,
//! and a body the document calls an object is refused when it is not one.
//! (`scripts/api-fuzz.sh` fuzzes the same document with schemathesis.)

mod support;

use serde_json::{Value, json};
use support::inproc::App;

async fn document(app: &App) -> Value {
    let (status, doc) = app.call("GET", "/openapi.json", None, None).await;
    assert_eq!(status, 200);
    doc
}

/// Every operation of the document: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    out
}

#[tokio::test]
async fn path_parameters_are_in_the_path_and_the_others_in_the_query() {
    let app = App::demo();
    let doc = document(&app).await;
    for (method, path, op) in operations(&doc) {
        for p in op["parameters"].as_array().into_iter().flatten() {
            let (name, place) = (p["name"].as_str().unwrap(), p["in"].as_str().unwrap());
            let templated = path.contains(&format!("{{{name}}}"));
            assert_eq!(place == "path", templated, "{method} {path}: {name} is declared in {place}");
        }
    }
}

#[tokio::test]
async fn every_declared_page_bound_is_the_one_the_server_enforces() {
    let app = App::demo();
    let doc = document(&app).await;
    let bound = |path: &str, name: &str| -> (u64, u64) {
        let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
        let p = params.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{path} {name}"));
        (p["schema"]["minimum"].as_u64().unwrap(), p["schema"]["maximum"].as_u64().unwrap())
    };
    for (path, fixed, max) in [
        ("/v1/complaints", "", truyxuat_server::actions::complaints::MAX_PAGE),
        ("/v1/events", "", truyxuat_server::actions::sync::MAX_EVENTS_PAGE),
        ("/v1/products", "q=ca+phe&", truyxuat_server::actions::catalog::MAX_PAGE),
        ("/v1/sync/pull", "", truyxuat_core::sync::wire::MAX_PULL_LIMIT),
    ] {
        assert_eq!(bound(path, "limit"), (1, u64::from(max)), "{path}");
        for (limit, want) in [(max, 200), (max + 1, 400), (0, 400)] {
            let (status, body) =
                app.call("GET", &format!("{path}?{fixed}limit={limit}"), Some("authority"), None).await;
            assert_eq!(status, want, "{path} limit={limit}: {body}");
            if want == 400 {
                assert_eq!(body["code"], "invalid_limit", "{path}");
            }
        }
    }
    let max_offset = truyxuat_server::actions::catalog::MAX_OFFSET;
    assert_eq!(bound("/v1/products", "offset"), (0, u64::from(max_offset)));
    let (status, _) =
        app.call("GET", &format!("/v1/products?q=ca&offset={}", max_offset + 1), None, None).await;
    assert_eq!(status, 400);
    let (status, _) = app.call("GET", "/v1/recall-pack?since=-1", Some("inspector"), None).await;
    assert_eq!(status, 400, "a version is 0 or more");
}

#[tokio::test]
async fn a_body_the_document_calls_an_object_must_be_one() {
    let app = App::demo();
    let doc = document(&app).await;
    let mut checked = 0;
    for (method, path, op) in operations(&doc) {
        let Some(schema) = op["requestBody"]["content"]["application/json"]["schema"].as_object() else {
            continue;
        };
        let name = schema["$ref"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default();
        assert_eq!(doc["components"]["schemas"][name]["type"], "object", "{method} {path}");
        let uri = path.replace("{id}", "x").replace("{tracking_code}", "PA-XXXXXXXXXX");
        for body in [json!([null, null]), json!(["authority", "demo"]), json!("text"), json!(7)] {
            let (status, problem) = app.call(&method, &uri, Some("authority"), Some(body.clone())).await;
            assert_eq!(
                (status, problem["code"].as_str()),
                (422, Some("invalid_body")),
                "{method} {path} {body}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 9, "{checked} bodies");
    // The array of a token request's fields signed in before.
    let (status, _) = app.call("POST", "/v1/auth/token", None, Some(json!(["authority", "demo"]))).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn a_push_with_the_lowest_seq_is_refused_not_a_crash() {
    let app = App::demo();
    let (_, device) = app.call("POST", "/v1/devices", Some("farmer"), Some(json!({}))).await;
    let event = json!({"id": "", "seq": i64::MIN, "kind": "", "payload": {}, "device_time": "", "hash": "", "prev_hash": ""});
    let push = json!({"device_id": device["device_id"], "events": [event.clone(), event]});
    let (status, answer) = app.call("POST", "/v1/sync/push", Some("farmer"), Some(push)).await;
    assert_eq!((status, answer["code"].as_str()), (422, Some("invalid_event")), "{answer}");
    assert!(answer["results"].as_array().unwrap().iter().all(|r| r["status"] == "rejected"), "{answer}");
}
