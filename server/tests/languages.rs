//! One language negotiation for every page: `?lang=`, then the remembered
//! cookie, then `Accept-Language`, then Vietnamese.

mod support;

use axum::body::Body;
use axum::http::{Request, header};
use support::inproc::App;

async fn lang_of(app: &App, uri: &str, headers: &[(header::HeaderName, &str)]) -> (String, Vec<String>) {
    let mut req = Request::builder().uri(uri).header(header::ACCEPT, "text/html");
    for (k, v) in headers {
        req = req.header(k.clone(), *v);
    }
    let response =
        tower::ServiceExt::oneshot(truyxuat_server::app(app.state.clone()), req.body(Body::empty()).unwrap())
            .await
            .unwrap();
    let cookies: Vec<String> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let body = axum::body::to_bytes(response.into_body(), 1 << 22).await.unwrap();
    let html = String::from_utf8_lossy(&body);
    let lang = html.split("<html lang=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_owned();
    (lang, cookies)
}

#[tokio::test]
async fn every_page_negotiates_its_language_the_same_way() {
    let app = App::demo();
    let lot = "/01/08936120100110/10/RX500-261105";
    for uri in [lot, "/report?code=8936120100110", "/portal/login"] {
        assert_eq!(lang_of(&app, uri, &[]).await.0, "vi", "{uri}: Vietnamese first");
        let english = [(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")];
        assert_eq!(lang_of(&app, uri, &english).await.0, "en", "{uri}: the browser's English");
        let remembered = [(header::COOKIE, "truyxuat_lang=en"), (header::ACCEPT_LANGUAGE, "vi")];
        assert_eq!(lang_of(&app, uri, &remembered).await.0, "en", "{uri}: the remembered choice");
        let sep = if uri.contains('?') { '&' } else { '?' };
        let (lang, cookies) = lang_of(&app, &format!("{uri}{sep}lang=vi"), &remembered).await;
        assert_eq!(lang, "vi", "{uri}: asked beats remembered");
        assert!(
            cookies.iter().any(|c| c.starts_with("truyxuat_lang=vi")),
            "{uri}: the choice is remembered: {cookies:?}"
        );
    }
}
