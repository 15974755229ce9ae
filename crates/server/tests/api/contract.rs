//! The API's contract as a generated client sees it: every refusal in the one error shape,
//! fields named by their path (never their value), a body's size and kind checked, conflicts
//! answered as documented, and sockets that end with the right Close code.

use crate::support::body;
use frontline_testkit::TestApp;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

#[tokio::test]
async fn every_refusal_has_the_error_shape_and_names_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let d = visitor.write("a", "Вопрос").await;

    // A query parameter of the wrong type.
    let (status, err) = body(admin.get("/api/v1/dialogs?limit=many").await).await;
    assert_eq!(
        (status, err["code"].as_str(), err["details"]["field"].as_str()),
        (400, Some("validation_failed"), Some("limit")),
        "{err}"
    );
    let (status, err) = body(admin.get("/api/v1/dialogs?status=sleeping").await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("status")), "{err}");

    // A method the route does not take.
    let resp = admin.delete("/api/v1/dialogs").await;
    assert!(resp.headers().get("allow").is_some(), "Allow is kept");
    let (status, err) = body(resp).await;
    assert_eq!((status, err["code"].as_str()), (405, Some("method_not_allowed")), "{err}");

    // A type error names the field, not the value, in our words.
    let (status, err) = body(admin.post(&format!("/api/v1/dialogs/{d}/read"), json!({"seq": 1.5})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("seq")), "{err}");
    assert!(!err["message"].as_str().unwrap_or_default().contains("1.5"), "{err}");
    let (status, err) = body(admin.post(&format!("/api/v1/dialogs/{d}/read"), json!({})).await).await;
    assert_eq!(
        (status, err["details"]["field"].as_str(), err["message"].as_str()),
        (400, Some("seq"), Some("seq: required"))
    );

    // An array in place of the object.
    let (status, err) = body(admin.post(&format!("/api/v1/dialogs/{d}/read"), json!([3])).await).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("bad_json")), "{err}");
    // Not JSON at all, and not said to be JSON.
    let raw = |ct: &'static str, b: &'static str| {
        admin
            .http
            .post(admin.url(&format!("/api/v1/dialogs/{d}/read")))
            .header("cookie", &admin.cookie)
            .header("content-type", ct)
            .body(b)
    };
    let (status, err) = body(raw("application/json", "{\"seq\": ").send().await.expect("send")).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("bad_json")));
    let (status, err) = body(raw("text/plain", "{\"seq\": 1}").send().await.expect("send")).await;
    assert_eq!((status, err["code"].as_str()), (415, Some("unsupported_media_type")));

    // A body over the limit is 413, not 400.
    let big = format!("{{\"seq\": 1, \"pad\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let resp = admin
        .http
        .post(admin.url(&format!("/api/v1/dialogs/{d}/read")))
        .header("cookie", &admin.cookie)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("send");
    let (status, err) = body(resp).await;
    assert_eq!((status, err["code"].as_str()), (413, Some("payload_too_large")), "{err}");

    // The widget API answers the same way.
    let resp = visitor.call(reqwest::Method::PUT, "/widget/v1/messages", Some(json!({}))).await;
    let (status, err) = body(resp).await;
    assert_eq!((status, err["code"].as_str()), (405, Some("method_not_allowed")));
    let resp = visitor.call(reqwest::Method::GET, "/widget/v1/messages?after_seq=x", None).await;
    let (status, err) = body(resp).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("after_seq")), "{err}");
    // Out of range is refused even beside a cursor that would win over it.
    let resp = visitor.call(reqwest::Method::GET, "/widget/v1/messages?after_seq=-7&cursor=2", None).await;
    let (status, err) = body(resp).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("after_seq")), "{err}");
    app.stop().await;
}

#[tokio::test]
async fn accept_and_assign_of_a_closed_dialog_are_refused_even_for_its_owner() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let d = visitor.write("a", "Вопрос").await;
    // Two tabs of his accept at once: both answer 200 with the dialog his.
    let accept = format!("/api/v1/dialogs/{d}/accept");
    let (a, b) = tokio::join!(admin.post(&accept, json!({})), admin.post(&accept, json!({})));
    let ((sa, da), (sb, db)) = (body(a).await, body(b).await);
    assert_eq!((sa, sb), (200, 200), "{da} {db}");
    assert_eq!(db["assignee"]["id"], admin.id().as_str());

    assert_eq!(admin.post(&format!("/api/v1/dialogs/{d}/close"), json!({})).await.status(), 200);
    let (status, err) = body(admin.post(&format!("/api/v1/dialogs/{d}/accept"), json!({})).await).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("dialog_closed")), "{err}");
    let (status, err) =
        body(admin.post(&format!("/api/v1/dialogs/{d}/assign"), json!({"operator_id": admin.id()})).await).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("dialog_closed")), "{err}");
    app.stop().await;
}

async fn visitor_socket(
    app: &TestApp,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let v = app.visitor().await;
    let url = format!("{}/widget/v1/ws?token={}", app.base.replacen("http", "ws", 1), v.token);
    let mut req = url.into_client_request().expect("req");
    req.headers_mut().insert("origin", app.origin().parse().expect("origin"));
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.expect("socket");
    let hello = ws.next().await.expect("hello").expect("frame");
    assert!(hello.to_text().unwrap_or_default().contains("hello"));
    ws
}

/// The Close frame the server ends with (within 5 s), or `None` when it ended without one.
async fn close_code(
    ws: &mut tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
) -> Option<CloseCode> {
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(5), ws.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| f.code),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

#[tokio::test]
async fn sockets_end_with_the_close_code_that_says_why() {
    let app = TestApp::spawn().await;
    // The client's Close(1000) is answered with 1000, not a dropped connection (1006).
    let mut ws = visitor_socket(&app).await;
    ws.send(Message::Close(Some(CloseFrame { code: CloseCode::Normal, reason: "bye".into() }))).await.expect("close");
    assert_eq!(close_code(&mut ws).await, Some(CloseCode::Normal));

    // A frame over 64 KiB: 1009.
    let mut ws = visitor_socket(&app).await;
    let big = json!({"type": "send", "client_id": "big", "body": "я".repeat(40_000)}).to_string();
    ws.send(Message::Text(big.into())).await.expect("send");
    assert_eq!(close_code(&mut ws).await, Some(CloseCode::Size));

    // Text that is not UTF-8: 1007.
    let mut ws = visitor_socket(&app).await;
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
    let frame = Frame::message(vec![0x7b, 0xff, 0xfe, 0x7d], OpCode::Data(Data::Text), true);
    ws.send(Message::Frame(frame)).await.expect("send raw");
    assert_eq!(close_code(&mut ws).await, Some(CloseCode::Invalid));
    app.stop().await;
}

async fn dialog_of(resp: reqwest::Response) -> String {
    resp.json::<Value>().await.expect("json")["dialog_id"].as_str().expect("dialog id").to_owned()
}

#[tokio::test]
async fn a_well_formed_id_in_the_body_that_names_nothing_is_404_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let d = dialog_of(visitor.send("a", "Вопрос").await).await;
    let nothing = "00000000-0000-4000-8000-000000000000";
    let post = reqwest::Method::POST;
    let rule = json!({"name": "r", "channel_id": nothing, "conditions": [{"type": "language", "value": "ru"}]});
    let cases = [
        (admin.put(&format!("/api/v1/dialogs/{d}/tags"), json!({"tag_ids": [nothing]})).await, "tag_ids"),
        (admin.put(&format!("/api/v1/dialogs/{d}/category"), json!({"category_id": nothing})).await, "category_id"),
        (
            admin
                .post(&format!("/api/v1/dialogs/{d}/messages"), json!({"client_id": "o", "attachments": [nothing]}))
                .await,
            "attachments",
        ),
        (
            visitor.call(post, "/widget/v1/messages", Some(json!({"client_id": "v", "attachments": [nothing]}))).await,
            "attachments",
        ),
        (
            admin
                .post(
                    "/api/v1/saved-replies",
                    json!({"scope": "channel", "channel_id": nothing, "title": "t", "body": "b"}),
                )
                .await,
            "channel_id",
        ),
        (admin.put("/api/v1/routing-rules", json!({"items": [rule]})).await, "items[0].channel_id"),
    ];
    for (resp, field) in cases {
        let (status, err) = body(resp).await;
        assert_eq!(
            (status, err["code"].as_str(), err["details"]["field"].as_str()),
            (404, Some("not_found"), Some(field)),
            "{err}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_number_without_a_fraction_is_an_integer_however_it_is_written() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let d = dialog_of(visitor.send("a", "Вопрос").await).await;
    let raw = |b: &'static str| {
        admin
            .http
            .post(admin.url(&format!("/api/v1/dialogs/{d}/read")))
            .header("cookie", &admin.cookie)
            .header("content-type", "application/json")
            .body(b)
            .send()
    };
    // JSON Schema's `integer` takes all three, and so does the server.
    for b in ["{\"seq\": 1}", "{\"seq\": 1.0}", "{\"seq\": 1e0}"] {
        assert_eq!(raw(b).await.expect("send").status(), 204, "{b}");
    }
    let (status, err) = body(raw("{\"seq\": 1.5}").await.expect("send")).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("seq")), "a fraction is not an integer");
    let (status, err) = body(raw("{\"seq\": 1e30}").await.expect("send")).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("seq")), "past i64: {err}");
    let (status, op) =
        body(admin.patch(&format!("/api/v1/operators/{}", admin.id()), json!({"capacity": 3.0})).await).await;
    assert_eq!((status, op["capacity"].as_i64()), (200, Some(3)), "{op}");
    app.stop().await;
}

#[tokio::test]
async fn limits_count_characters_as_sent() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let limit = frontline_domain::MessageBody::DEFAULT_LIMIT;

    // A message's limit counts what was sent, white space included: what a client can check.
    let (status, err) = body(visitor.send("v-1", &format!(" {}", "я".repeat(limit))).await).await;
    assert_eq!((status, err["code"].as_str()), (413, Some("message_too_long")), "{err}");
    assert_eq!(visitor.send("v-2", &"я".repeat(limit)).await.status(), 201);
    let long_reply = json!({"scope": "personal", "title": "t", "body": format!("{} ", "я".repeat(4000))});
    let (status, err) = body(admin.post("/api/v1/saved-replies", long_reply).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("body")), "{err}");

    // So do an e-mail's (254) and a phone's (32), wherever they are given.
    let email = format!("{}@example.com", "a".repeat(254 - "@example.com".len()));
    let patch = |v: Value| visitor.call(reqwest::Method::PATCH, "/widget/v1/visitor", Some(v));
    assert_eq!(patch(json!({"email": &email})).await.status(), 200);
    let (status, err) = body(patch(json!({"email": format!(" {email}")})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("email")), "{err}");
    let phone = "+7 (916) 123-45-67";
    assert_eq!(patch(json!({"phone": format!(" {phone} ")})).await.status(), 200);
    let (status, err) = body(patch(json!({"phone": format!("{}{phone}", " ".repeat(15))})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("phone")), "{err}");
    let form =
        json!({"client_id": "off", "name": "Анна", "phone": format!("{}{phone}", " ".repeat(15)), "question": "?"});
    let (status, err) = body(visitor.call(reqwest::Method::POST, "/widget/v1/offline", Some(form)).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("phone")), "{err}");
    let form = json!({"client_id": "off", "name": "я".repeat(81), "phone": phone, "question": "?"});
    let (status, err) = body(visitor.call(reqwest::Method::POST, "/widget/v1/offline", Some(form)).await).await;
    assert_eq!((status, err["message"].as_str()), (400, Some("name: 1–80 characters")), "{err}");

    // Characters, not bytes: Cyrillic counts one a letter.
    let general = crate::support::general(&admin).await;
    let rule = json!({"name": "r", "channel_id": general,
        "conditions": [{"type": "property", "name": "я".repeat(100), "value": "ю".repeat(500)}]});
    let (status, err) = body(admin.put("/api/v1/routing-rules", json!({"items": [rule]})).await).await;
    assert_eq!(status, 200, "{err}");
    let page = format!("https://shop.example.com/{}", "я".repeat(2000 - 25));
    let opened = visitor
        .http
        .post(visitor.url("/widget/v1/session"))
        .header("origin", &visitor.origin)
        .json(&json!({"key": app.site_key, "token": visitor.token, "page_url": page, "language": "я".repeat(35)}));
    assert_eq!(opened.send().await.expect("session").status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn a_search_without_words_finds_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.visitor().await.send("a", "Оплата заказа").await;
    let (status, found) = body(admin.get("/api/v1/search?q=%21%3F").await).await;
    assert_eq!((status, found["items"].as_array().map(Vec::len)), (200, Some(0)), "{found}");
    let (status, err) = body(admin.get("/api/v1/search?q=%20%21%20").await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("q")), "one character once trimmed: {err}");
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_states_the_limits_of_what_it_takes() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json")).await.expect("get").json().await.expect("json");
    let schemas = &doc["components"]["schemas"];

    // Every reference resolves (query parameters' schemas are registered by hand).
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in &all {
        let name = r.strip_prefix("#/components/schemas/").expect("a schema reference");
        assert!(schemas.get(name).is_some(), "{r} does not resolve");
    }

    // The limits of the parsers, as patterns and lengths.
    assert_eq!(schemas["ClientId"]["pattern"], frontline_domain::patterns::CLIENT_ID);
    assert_eq!(schemas["Name"]["pattern"], frontline_domain::patterns::name());
    assert_eq!(schemas["Email"]["maxLength"], 254);
    assert_eq!(schemas["MessageText"]["maxLength"], frontline_domain::MessageBody::DEFAULT_LIMIT);
    assert_eq!(schemas["Password"]["minLength"], 8);
    // Rules across fields are alternatives of whole bodies.
    assert_eq!(schemas["SendRequest"]["anyOf"].as_array().map(Vec::len), Some(2));
    assert_eq!(schemas["OfflineRequest"]["anyOf"].as_array().map(Vec::len), Some(2));
    assert_eq!(schemas["TransferRequest"]["oneOf"].as_array().map(Vec::len), Some(2));
    assert_eq!(schemas["NewSavedReply"]["oneOf"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        schemas["WidgetSendRequest"]["anyOf"][0]["properties"]["internal"]["$ref"],
        "#/components/schemas/AlwaysFalse"
    );
    let search = &doc["paths"]["/api/v1/search"]["get"]["parameters"][0];
    assert_eq!((search["name"].as_str(), search["required"].as_bool()), (Some("q"), Some(true)));
    // A reference to nothing is documented as 404 where only the body can name one.
    for (path, method) in
        [("/api/v1/saved-replies", "post"), ("/widget/v1/messages", "post"), ("/api/v1/routing-rules", "put")]
    {
        assert!(doc["paths"][path][method]["responses"].get("404").is_some(), "{method} {path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn nul_characters_in_text_taken_as_it_comes_are_stored_as_replacement_characters() {
    // PostgreSQL cannot store NUL in text (it was a 500 there): a page's title, address and
    // language and a proactive message's name and text show it as U+FFFD, on every store.
    nul_case(TestApp::spawn().await).await;
    if let Some(store) = frontline_testkit::postgres_store().await {
        let opts =
            frontline_testkit::Options { backend: frontline_testkit::Backend::Given(store), ..Default::default() };
        nul_case(TestApp::spawn_with(opts).await).await;
    }
}

async fn nul_case(app: TestApp) {
    let resp = reqwest::Client::new()
        .post(app.url("/widget/v1/session"))
        .header("origin", app.origin())
        .json(&json!({ "key": app.site_key, "page_title": "Кухни\u{0}", "page_url": "https://shop.example.com/\u{0}", "language": "ru\u{0}" }))
        .send()
        .await
        .expect("session");
    assert_eq!(resp.status(), 200);
    let admin = app.admin().await;
    let (status, t) = body(
        admin
            .post(
                "/api/v1/triggers",
                json!({"name": "Кух\u{0}ни", "message": "Подобрать\u{0}?", "time_on_site_seconds": 30}),
            )
            .await,
    )
    .await;
    assert_eq!((status, t["name"].as_str()), (201, Some("Кух\u{FFFD}ни")), "{t}");
    assert_eq!(t["message"], "Подобрать\u{FFFD}?");
    app.stop().await;
}
