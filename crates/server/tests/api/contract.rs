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
    let d = visitor.send("a", "Вопрос").await.json::<Value>().await.expect("json")["dialog_id"]
        .as_str()
        .expect("id")
        .to_owned();

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
    app.stop().await;
}

#[tokio::test]
async fn accept_and_assign_of_a_closed_dialog_are_refused_even_for_its_owner() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let d = visitor.send("a", "Вопрос").await.json::<Value>().await.expect("json")["dialog_id"]
        .as_str()
        .expect("id")
        .to_owned();
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
