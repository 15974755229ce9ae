//! Trust: sockets that survive their neighbours, rights that follow changes, origins that are
//! checked, idempotency keys that stay in their dialog, one rule for handing dialogs over, and
//! text that cannot disguise itself (issue 11's defects, each of which these tests caught).

use crate::support::{body, general};
use frontline_testkit::TestApp;
use serde_json::{Value, json};

#[tokio::test]
async fn closing_one_console_leaves_the_other_live() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut first = admin.ws().await;
    first.next_of("hello").await;
    let mut second = admin.ws().await;
    second.next_of("hello").await;
    first.close().await;
    // Give the server time to see the close and drop the first socket's subscription.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let visitor = app.visitor().await;
    let (status, _) = body(visitor.send("c1", "Есть кто-нибудь?").await).await;
    assert_eq!(status, 201);
    assert_eq!(second.next_of("message.created").await["message"]["body"], "Есть кто-нибудь?");
    app.stop().await;
}

#[tokio::test]
async fn closing_one_tab_leaves_the_visitors_other_tab_live() {
    let app = TestApp::spawn().await;
    let visitor = app.visitor().await;
    let mut tab1 = visitor.ws().await;
    tab1.next_of("hello").await;
    let mut tab2 = visitor.ws().await;
    tab2.next_of("hello").await;
    let m: Value = visitor.send("c1", "Вопрос").await.json().await.expect("json");
    let dialog = m["dialog_id"].as_str().expect("dialog").to_owned();
    tab1.close().await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let admin = app.admin().await;
    let (status, _) = body(
        admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), json!({"client_id": "o1", "body": "Ответ"})).await,
    )
    .await;
    assert_eq!(status, 201);
    loop {
        let f = tab2.next_of("message.created").await;
        if f["message"]["body"] == "Ответ" {
            break;
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn another_workspace_cannot_read_a_channels_automation_through_the_cache() {
    let app = TestApp::spawn().await;
    let anna = app.admin().await;
    let channel = general(&anna).await;
    let path = format!("/api/v1/channels/{channel}/automation");
    // A's read fills this node's cache.
    assert_eq!(anna.get(&path).await.status(), 200);
    let boris = crate::support::other_workspace_admin(&app).await;
    let (status, err) = body(boris.get(&path).await).await;
    assert_eq!((status, err["code"].as_str()), (404, Some("not_found")), "{err}");
    // And B's refusal did not spoil A's entry.
    assert_eq!(anna.get(&path).await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn origin_null_passes_no_origin_check() {
    let app = TestApp::spawn().await;
    // Widget REST: a session from a page whose origin the browser hides.
    let resp = reqwest::Client::new()
        .post(app.url("/widget/v1/session"))
        .header("origin", "null")
        .json(&json!({ "key": app.site_key }))
        .send()
        .await
        .expect("session");
    let (status, err) = body(resp).await;
    assert_eq!((status, err["code"].as_str()), (403, Some("origin_not_allowed")), "{err}");

    // Widget REST with a real session, then `null`.
    let visitor = app.visitor().await;
    let moved = frontline_testkit::VisitorClient { origin: "null".into(), ..visitor.clone() };
    let (status, _) = body(moved.send("c1", "из песочницы").await).await;
    assert_eq!(status, 403);
    assert!(visitor.history().await.is_empty(), "nothing was written");

    // Both sockets.
    assert!(visitor.ws_from("null").await.is_err(), "widget socket with Origin: null");
    let admin = app.admin().await;
    for origin in [Some("null"), Some("http://evil.example"), None] {
        let url = format!("{}/api/v1/ws", app.base.replacen("http", "ws", 1));
        let mut req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url).expect("req");
        req.headers_mut().insert("cookie", admin.cookie.parse().expect("cookie"));
        if let Some(o) = origin {
            req.headers_mut().insert("origin", o.parse().expect("origin"));
        }
        assert!(tokio_tungstenite::connect_async(req).await.is_err(), "operator socket with Origin {origin:?}");
    }
    // A widget socket without any Origin is not a browser's: refused too.
    let url = format!("{}/widget/v1/ws", app.base.replacen("http", "ws", 1));
    let req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url).expect("req");
    assert!(tokio_tungstenite::connect_async(req).await.is_err(), "widget socket without Origin");
    app.stop().await;
}

#[tokio::test]
async fn a_foreign_page_cannot_change_anything_with_the_operators_cookie() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let m: Value = visitor.send("c1", "Вопрос").await.json().await.expect("json");
    let dialog = m["dialog_id"].as_str().expect("dialog").to_owned();
    let http = reqwest::Client::new();
    let foreign = |req: reqwest::RequestBuilder, origin: &str| {
        req.header("cookie", &admin.cookie).header("origin", origin.to_owned())
    };
    for origin in ["http://evil.example", "null"] {
        let close = foreign(http.post(app.url(&format!("/api/v1/dialogs/{dialog}/close"))).json(&json!({})), origin);
        let (status, err) = body(close.send().await.expect("close")).await;
        assert_eq!((status, err["code"].as_str()), (403, Some("origin_not_allowed")), "close from {origin}");
        let upload = foreign(http.post(app.url("/api/v1/uploads?name=a.txt")).body("hello"), origin);
        assert_eq!(upload.send().await.expect("upload").status(), 403, "upload from {origin}");
        let presence = foreign(http.put(app.url("/api/v1/me/presence")).json(&json!({"presence": "online"})), origin);
        assert_eq!(presence.send().await.expect("presence").status(), 403);
    }
    // Without Origin, a browser's cross-site request still says so in Sec-Fetch-Site.
    let close = http
        .post(app.url(&format!("/api/v1/dialogs/{dialog}/close")))
        .header("cookie", &admin.cookie)
        .header("sec-fetch-site", "cross-site")
        .json(&json!({}));
    assert_eq!(close.send().await.expect("close").status(), 403);
    let d: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!(d["status"], "open", "nothing changed");
    // Reading is not a change: a GET from anywhere is answered (the cookie decides).
    let list =
        http.get(app.url("/api/v1/dialogs")).header("cookie", &admin.cookie).header("origin", "http://evil.example");
    assert_eq!(list.send().await.expect("list").status(), 200);
    // The console's own page closes it.
    let own = http
        .post(app.url(&format!("/api/v1/dialogs/{dialog}/close")))
        .header("cookie", &admin.cookie)
        .header("origin", app.origin())
        .header("sec-fetch-site", "same-origin")
        .json(&json!({}));
    assert_eq!(own.send().await.expect("close").status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn a_client_id_reused_in_another_dialog_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (v1, v2) = (app.visitor().await, app.visitor().await);
    let d1 = v1.write("a", "Первый").await;
    let d2 = v2.write("b", "Второй").await;
    let send = |d: &str, body: &str| {
        let (path, text) = (format!("/api/v1/dialogs/{d}/messages"), body.to_owned());
        let admin = admin.clone();
        async move { admin.post(&path, json!({"client_id": "same", "body": text})).await }
    };
    assert_eq!(send(&d1, "Ответ первому").await.status(), 201);
    // A retry in the same dialog is a duplicate, answered with the first copy.
    let (status, again) = body(send(&d1, "Ответ первому").await).await;
    assert_eq!((status, again["body"].as_str()), (200, Some("Ответ первому")), "{again}");
    // The same id in the other dialog is not a retry.
    let (status, err) = body(send(&d2, "Ответ второму").await).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("client_id_reused")), "{err}");
    assert_eq!(err["details"]["field"], "client_id");
    assert_eq!(err["details"]["dialog_id"], d1.as_str());
    let d: Value = admin.get(&format!("/api/v1/dialogs/{d2}")).await.json().await.expect("json");
    assert!(d["assignee"].is_null(), "the refused reply did not take the dialog: {d}");
    assert_eq!(admin.messages(&d2).await.len(), 1, "nothing was written to the second dialog");
    app.stop().await;
}

#[tokio::test]
async fn an_operator_cannot_hand_a_colleagues_dialog_to_someone_else() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let channel = general(&admin).await;
    let anna = app.operator(&admin, "anna@example.org", "Анна", &[&channel]).await;
    let boris = app.operator(&admin, "boris@example.org", "Борис", &[&channel]).await;
    let vera = app.operator(&admin, "vera@example.org", "Вера", &[&channel]).await;
    for op in [&anna, &boris, &vera] {
        op.presence("online").await;
    }
    let visitor = app.visitor().await;
    let d = visitor.write("a", "Помогите").await;
    assert_eq!(anna.post(&format!("/api/v1/dialogs/{d}/accept"), json!({})).await.status(), 200);

    // Boris may not move Anna's dialog, by transfer or by assign.
    let (status, err) =
        body(boris.post(&format!("/api/v1/dialogs/{d}/transfer"), json!({"operator_id": vera.id()})).await).await;
    assert_eq!((status, err["code"].as_str()), (403, Some("forbidden")), "{err}");
    let (status, _) =
        body(boris.post(&format!("/api/v1/dialogs/{d}/assign"), json!({"operator_id": boris.id()})).await).await;
    assert_eq!(status, 403, "taking a colleague's dialog by assign");
    let dlg: Value = admin.get(&format!("/api/v1/dialogs/{d}")).await.json().await.expect("json");
    assert_eq!(dlg["assignee"]["id"], anna.id().as_str(), "still Anna's");

    // Anna may hand her own over; the admin may move anyone's.
    assert_eq!(
        anna.post(&format!("/api/v1/dialogs/{d}/transfer"), json!({"operator_id": vera.id()})).await.status(),
        200
    );
    assert_eq!(
        admin.post(&format!("/api/v1/dialogs/{d}/transfer"), json!({"operator_id": boris.id()})).await.status(),
        200
    );
    app.stop().await;
}

#[tokio::test]
async fn bidi_controls_and_zero_width_characters_are_stripped() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let resp = visitor
        .call(reqwest::Method::PATCH, "/widget/v1/visitor", Some(json!({"name": "Ад\u{200B}мин\u{202E}"})))
        .await;
    let (status, v) = body(resp).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["name"], "Админ");
    let (status, m) = body(visitor.send("a", "счёт\u{202E}fdp.exe 👩\u{200D}💻").await).await;
    assert_eq!(status, 201);
    assert_eq!(m["body"], "счётfdp.exe 👩\u{200D}💻", "the override is gone, the emoji's joiner stays");
    let (status, file) = body(visitor.upload("invoice\u{202E}fdp.exe", b"plain words".to_vec()).await).await;
    assert_eq!(status, 201, "{file}");
    assert_eq!(file["name"], "invoicefdp.exe");
    // Only invisible characters is no name at all.
    let resp =
        visitor.call(reqwest::Method::PATCH, "/widget/v1/visitor", Some(json!({"name": "\u{200B}\u{202E}"}))).await;
    let (status, err) = body(resp).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("name")), "{err}");
    let _ = admin;
    app.stop().await;
}

#[tokio::test]
async fn logout_closes_that_sessions_sockets_and_refuses_their_sends() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let other_tab = app.admin().await; // a second session of the same person
    let visitor = app.visitor().await;
    let d = visitor.write("a", "Вопрос").await;
    let mut ws = admin.ws().await;
    ws.next_of("hello").await;
    let mut other = other_tab.ws().await;
    other.next_of("hello").await;

    assert_eq!(admin.post("/api/v1/auth/logout", json!({})).await.status(), 204);
    let err = ws.next_of("error").await;
    assert_eq!(err["code"], "unauthenticated");
    assert!(ws.closed().await, "the socket of the ended session closes");

    // His other session is untouched and still live.
    visitor.send("b", "Ещё").await;
    assert_eq!(other.next_of("message.created").await["message"]["body"], "Ещё");
    other.send(json!({"type": "send", "dialog_id": d, "client_id": "o1", "body": "Ответ"})).await;
    assert_eq!(other.next_of("ack").await["message"]["body"], "Ответ");
    app.stop().await;
}

#[tokio::test]
async fn a_send_on_a_socket_whose_session_is_gone_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let d = visitor.write("a", "Вопрос").await;
    let mut ws = admin.ws().await;
    ws.next_of("hello").await;
    // The session row goes away without any event (expiry, or another node's logout whose
    // event was lost): the next send is checked against the store.
    let token = admin.cookie.split_once('=').expect("cookie").1.to_owned();
    app.app.store.delete_session(&frontline_core::tokens::hash(&token)).await.expect("delete session");
    ws.send(json!({"type": "send", "dialog_id": d, "client_id": "late", "body": "после выхода"})).await;
    let err = ws.next_of("error").await;
    assert_eq!((err["client_id"].as_str(), err["code"].as_str()), (Some("late"), Some("unauthenticated")));
    assert_eq!(app.admin().await.messages(&d).await.len(), 1, "nothing was written");
    app.stop().await;
}

#[tokio::test]
async fn an_operator_removed_from_a_channel_stops_seeing_it_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let channel = general(&admin).await;
    let anna = app.operator(&admin, "anna@example.org", "Анна", &[&channel]).await;
    let mut ws = anna.ws().await;
    ws.next_of("hello").await;
    let visitor = app.visitor().await;
    visitor.send("a", "Первый").await;
    assert_eq!(ws.next_of("message.created").await["message"]["body"], "Первый");

    // The admin takes her out of the channel (only the admin stays).
    let resp = admin.put(&format!("/api/v1/channels/{channel}/members"), json!({"operator_ids": [admin.id()]})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(ws.next_of("resync").await["reason"], "access_changed");
    visitor.send("b", "Второй").await;
    let later = ws.drain(500).await;
    assert!(
        later.iter().all(|f| f["type"] != "message.created" && f["type"] != "dialog.updated"),
        "nothing of the channel reaches her now: {later:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_visitor_token_travels_in_the_first_frame_not_the_url() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let app = TestApp::spawn().await;
    let visitor = app.visitor().await;
    // The widget's way: no token in the URL, `auth` first, then `hello`.
    let mut ws = visitor.ws().await;
    assert_eq!(ws.next().await["type"], "hello");
    // Widgets loaded before still come with `?token=`.
    let mut old = visitor.ws_with_token_in_url().await.expect("old widget");
    assert_eq!(old.next_of("hello").await["type"], "hello");

    let open = || async {
        let url = format!("{}/widget/v1/ws", app.base.replacen("http", "ws", 1));
        let mut req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url).expect("req");
        req.headers_mut().insert("origin", app.origin().parse().expect("origin"));
        tokio_tungstenite::connect_async(req).await.expect("handshake").0
    };
    let read_until_close = |mut ws: tokio_tungstenite::WebSocketStream<_>| async move {
        let (mut error, mut code) = (Value::Null, None);
        while let Ok(Some(Ok(m))) = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next()).await {
            match m {
                Message::Text(t) => error = serde_json::from_str(&t).unwrap_or_default(),
                Message::Close(f) => {
                    code = f.map(|f| u16::from(f.code));
                    break;
                }
                _ => {}
            }
        }
        (error, code)
    };
    // A wrong token: unauthenticated, then Close 4001.
    let mut ws = open().await;
    ws.send(Message::Text(json!({"type": "auth", "token": "not-a-token"}).to_string().into())).await.expect("send");
    let (error, code) = read_until_close(ws).await;
    assert_eq!((error["code"].as_str(), code), (Some("unauthenticated"), Some(4001)), "{error}");
    // Anything else first: bad_frame, then Close 1008.
    let mut ws = open().await;
    ws.send(Message::Text(json!({"type": "resume", "after_seq": 0}).to_string().into())).await.expect("send");
    let (error, code) = read_until_close(ws).await;
    assert_eq!((error["code"].as_str(), code), (Some("bad_frame"), Some(1008)), "{error}");
    app.stop().await;
}
