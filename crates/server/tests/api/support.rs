//! Small helpers the test modules share.

use frontline_testkit::OperatorClient;
use serde_json::Value;

/// The status and JSON body of an answer (`null` for an empty one).
pub async fn body(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("JSON body") })
}

/// The id of the demo workspace's default channel ("Общий").
pub async fn general(admin: &OperatorClient) -> String {
    let chans: Value = admin.get("/api/v1/channels").await.json().await.expect("json");
    chans["items"][0]["id"].as_str().expect("id").to_owned()
}

/// Boris, the admin of a second workspace on the same store, signed in.
pub async fn other_workspace_admin(app: &frontline_testkit::TestApp) -> OperatorClient {
    use frontline_core::auth::{NewOperatorInput, create_operator_in};
    let (other_ws, _) = frontline_store::contract::workspace(&app.app.store).await;
    let input = NewOperatorInput {
        email: "boris@example.org",
        display_name: "Борис",
        password: "password-of-boris",
        role: "admin",
    };
    create_operator_in(&app.app, other_ws.id, input).await.expect("admin of the second workspace");
    app.login("boris@example.org", "password-of-boris").await.expect("login B")
}
