//! Health, metrics, OpenAPI, the demo page and the web files' headers.

use frontline_testkit::{Options, TestApp, temp_dir};
use serde_json::Value;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    let get = |p: &str| reqwest::get(app.url(p));
    assert_eq!(get("/healthz").await.expect("healthz").text().await.expect("text"), "ok");
    assert_eq!(get("/readyz").await.expect("readyz").status(), 200);
    let v = app.visitor().await;
    v.send("m", "x").await;
    let metrics = get("/metrics").await.expect("metrics");
    assert!(metrics.headers()["content-type"].to_str().expect("ct").starts_with("text/plain"));
    let text = metrics.text().await.expect("text");
    assert!(text.contains("frontline_messages_total{author=\"visitor\"} 1"), "{text}");
    assert!(text.contains("frontline_store_info{backend=\"sqlite\"} 1"));
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint_and_error_code() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json")).await.expect("get").json().await.expect("json");
    for path in [
        "/api/v1/auth/login",
        "/api/v1/dialogs",
        "/api/v1/dialogs/{id}/messages",
        "/widget/v1/session",
        "/widget/v1/messages",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    let codes = doc["components"]["schemas"]["ErrorCode"]["enum"].as_array().cloned().unwrap_or_default();
    for code in [
        "validation_failed",
        "empty_message",
        "message_too_long",
        "unknown_site_key",
        "origin_not_allowed",
        "dialog_not_found",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code} missing from {codes:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn unknown_api_paths_answer_json_and_every_answer_is_nosniff() {
    let app = TestApp::spawn().await;
    let resp = reqwest::get(app.url("/api/v1/nothing-here")).await.expect("get");
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.json::<Value>().await.expect("json")["code"], "not_found");
    app.stop().await;
}

#[tokio::test]
async fn the_demo_page_carries_the_widget_and_the_frame_limits_who_embeds_it() {
    let web = temp_dir();
    std::fs::create_dir_all(web.join("widget")).expect("dir");
    std::fs::create_dir_all(web.join("console/assets")).expect("dir");
    std::fs::write(web.join("widget/frame.html"), "<!doctype html><title>frame</title>").expect("write");
    std::fs::write(web.join("console/index.html"), "<!doctype html><title>console</title>").expect("write");
    std::fs::write(web.join("console/assets/app.js"), "console.log(1)").expect("write");
    std::fs::write(web.join("widget.js"), "/* loader */").expect("write");
    let app = TestApp::spawn_with(Options { web_dir: Some(web), ..Options::default() }).await;
    let client = reqwest::Client::new();
    let demo = client.get(app.url("/demo")).header("accept-language", "ru-RU,ru;q=0.9").send().await.expect("demo");
    let html = demo.text().await.expect("html");
    assert!(html.contains(&format!("data-key=\"{}\"", app.site_key)) && html.contains("Кухни"), "{html}");
    let en = client
        .get(app.url("/demo"))
        .header("accept-language", "en-GB")
        .send()
        .await
        .expect("demo")
        .text()
        .await
        .expect("html");
    assert!(en.contains("Example Kitchens"));

    let frame = client.get(app.url(&format!("/widget/frame?key={}", app.site_key))).send().await.expect("frame");
    let csp = frame.headers()["content-security-policy"].to_str().expect("csp").to_owned();
    assert!(csp.contains("; frame-ancestors 'self' http://127.0.0.1:") && csp.contains("script-src 'self';"), "{csp}");
    let console = client.get(app.url("/console/dialogs/123")).send().await.expect("console");
    let csp = console.headers()["content-security-policy"].to_str().expect("csp").to_owned();
    assert!(csp.contains("script-src 'self';") && csp.ends_with("frame-ancestors 'none'"), "{csp}");
    assert!(console.text().await.expect("html").contains("<title>console</title>"), "deep links get the app");
    let asset = client.get(app.url("/console/assets/app.js")).send().await.expect("asset");
    assert!(asset.headers()["content-type"].to_str().expect("ct").starts_with("text/javascript"));
    let sneaky = client.get(app.url("/console/assets/..%2F..%2Findex.html")).send().await.expect("sneaky");
    assert_eq!(sneaky.status(), 404);
    let loader = client.get(app.url("/widget.js")).send().await.expect("loader");
    assert_eq!(loader.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn readiness_fails_when_the_store_is_gone_and_health_does_not() {
    let app = TestApp::spawn().await;
    assert_eq!(reqwest::get(app.url("/readyz")).await.expect("readyz").status(), 200);
    app.app.store.close().await;
    let ready = reqwest::get(app.url("/readyz")).await.expect("readyz");
    assert_eq!(ready.status(), 503);
    assert_eq!(reqwest::get(app.url("/healthz")).await.expect("healthz").status(), 200);
    // A request that needs the store says "unavailable", with nothing of the cause.
    let v = app.visitor_from(&app.origin(), None).await.err().expect("refused").to_string();
    assert!(v.contains("503") && v.contains("\"code\":\"unavailable\""), "{v}");
    app.stop().await;
}

#[tokio::test]
async fn production_posture_metrics_token_no_demo_hsts_and_a_strict_console_policy() {
    let app = TestApp::spawn_with(Options {
        tweak: Some(|c| {
            c.metrics_token = Some("scrape-secret".into());
            c.demo = false;
            c.secure_cookies = true;
        }),
        ..Options::default()
    })
    .await;
    let http = reqwest::Client::new();
    assert_eq!(http.get(app.url("/metrics")).send().await.expect("metrics").status(), 401);
    let wrong = http.get(app.url("/metrics")).bearer_auth("guess").send().await.expect("metrics");
    assert_eq!(wrong.status(), 401);
    let ok = http.get(app.url("/metrics")).bearer_auth("scrape-secret").send().await.expect("metrics");
    assert_eq!(ok.status(), 200);
    assert!(ok.headers().get("strict-transport-security").is_some(), "HSTS behind TLS");
    assert_eq!(http.get(app.url("/demo")).send().await.expect("demo").status(), 404, "no demo page");
    let console = http.get(app.url("/console/")).send().await.expect("console");
    if console.status() == 200 {
        let csp = console.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    }
    app.stop().await;

    let app = TestApp::spawn_with(Options { tweak: Some(|c| c.metrics = false), ..Options::default() }).await;
    assert_eq!(http.get(app.url("/metrics")).send().await.expect("metrics").status(), 404);
    app.stop().await;
}
