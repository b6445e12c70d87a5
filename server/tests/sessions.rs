//! Sessions that end: signing out ends a session on the server, a password
//! change or a disabled account ends every token issued before, and a
//! token that claims more than the server gives is refused.

mod support;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::json;
use support::inproc::App;

async fn me(app: &App, token: &str) -> u16 {
    app.call_as("GET", "/v1/me", token, None).await.0
}

#[tokio::test]
async fn signing_out_ends_the_session_and_its_refreshed_tokens() {
    let app = App::demo();
    let first = app.sign_in("farmer", "demo").await.unwrap();
    let other = app.sign_in("farmer", "demo").await.unwrap();
    let (status, refreshed) = app.call_as("POST", "/v1/auth/refresh", &first, None).await;
    assert_eq!(status, 200);
    let refreshed = refreshed["access_token"].as_str().unwrap().to_owned();
    assert_eq!(me(&app, &refreshed).await, 200);
    assert_eq!(app.call_as("POST", "/v1/auth/logout", &first, None).await.0, 204);
    // That session is over, refreshed tokens included; another stays.
    assert_eq!(me(&app, &first).await, 401);
    assert_eq!(me(&app, &refreshed).await, 401);
    assert_eq!(app.call_as("POST", "/v1/auth/refresh", &refreshed, None).await.0, 401);
    assert_eq!(me(&app, &other).await, 200);
}

#[tokio::test]
async fn a_new_password_ends_every_token_issued_before() {
    let app = App::demo();
    let phone = app.sign_in("inspector", "demo").await.unwrap();
    let laptop = app.sign_in("inspector", "demo").await.unwrap();
    let change = |old: &str, new: &str| json!({"old_password": old, "new_password": new});
    let (status, problem) =
        app.call_as("POST", "/v1/auth/password", &phone, Some(change("wrong", "a-new-secret"))).await;
    assert_eq!(status, 401, "{problem}");
    let (status, problem) =
        app.call_as("POST", "/v1/auth/password", &phone, Some(change("demo", "short"))).await;
    assert_eq!((status, problem["code"].as_str()), (422, Some("weak_password")), "{problem}");
    assert_eq!(me(&app, &laptop).await, 200, "refusals change nothing");
    let (status, answer) =
        app.call_as("POST", "/v1/auth/password", &phone, Some(change("demo", "a-new-secret"))).await;
    assert_eq!(status, 200, "{answer}");
    let fresh = answer["access_token"].as_str().unwrap();
    assert_eq!(me(&app, fresh).await, 200);
    assert_eq!(me(&app, &phone).await, 401);
    assert_eq!(me(&app, &laptop).await, 401);
    assert!(app.sign_in("inspector", "demo").await.is_none());
    assert!(app.sign_in("inspector", "a-new-secret").await.is_some());
}

#[tokio::test]
async fn a_disabled_account_keeps_none_of_its_tokens() {
    let app = App::demo();
    let farmer = app.sign_in("farmer", "demo").await.unwrap();
    let admin = app.sign_in("admin", "demo").await;
    // The demo has no admin account; make one the way an operator does.
    let admin = match admin {
        Some(t) => t,
        None => {
            let request = truyxuat_server::domain::account::AccountRequest {
                username: "root".into(),
                password: "root-password".into(),
                role: "admin".into(),
                province: None,
                glns: Vec::new(),
            };
            truyxuat_server::actions::accounts::create_as_operator(app.store(), request).unwrap();
            app.sign_in("root", "root-password").await.unwrap()
        }
    };
    let status = |disabled: bool| json!({"disabled": disabled});
    let (code, _) = app.call_as("POST", "/v1/users/farmer/status", &farmer, Some(status(true))).await;
    assert_eq!(code, 403, "a farmer disables nobody");
    let (code, user) = app.call_as("POST", "/v1/users/farmer/status", &admin, Some(status(true))).await;
    assert_eq!((code, user["disabled"].as_bool()), (200, Some(true)), "{user}");
    assert_eq!(me(&app, &farmer).await, 401);
    assert!(app.sign_in("farmer", "demo").await.is_none());
    // Enabled again, the old token stays dead; a new sign-in works.
    let (code, _) = app.call_as("POST", "/v1/users/farmer/status", &admin, Some(status(false))).await;
    assert_eq!(code, 200);
    assert_eq!(me(&app, &farmer).await, 401);
    assert!(app.sign_in("farmer", "demo").await.is_some());
    let (code, _) = app.call_as("POST", "/v1/users/nobody/status", &admin, Some(status(true))).await;
    assert_eq!(code, 404);
    let (code, _) = app.call_as("POST", "/v1/users/root/status", &admin, Some(status(true))).await;
    assert_eq!(code, 403, "not one's own");
}

#[tokio::test]
async fn the_portal_sign_out_ends_the_cookie_and_refuses_other_sites() {
    let app = App::demo();
    let token = app.sign_in("authority", "demo").await.unwrap();
    let cookie = format!("truyxuat_session={token}");
    let post = |origin: &str| {
        Request::builder()
            .method("POST")
            .uri("/portal/logout")
            .header(header::HOST, "portal.example")
            .header(header::ORIGIN, origin)
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap()
    };
    let (status, _, _) = app.send(post("https://evil.example")).await;
    assert_eq!(status, 403, "a sign-out posted from another site");
    assert_eq!(me(&app, &token).await, 200);
    let (status, _, _) = app.send(post("https://portal.example")).await;
    assert_eq!(status, 303);
    assert_eq!(me(&app, &token).await, 401, "a copy of the cookie no longer works");
}
