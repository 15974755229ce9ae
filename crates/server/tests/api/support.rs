//! Small helpers the test modules share.

use frontline_core::FakeClock;
use frontline_domain::Timestamp;
use frontline_testkit::{Backend, OperatorClient, Options, TestApp, postgres_store};
use serde_json::Value;
use std::sync::Arc;

/// Wednesday 3 March 2027, 12:00 UTC (15:00 in Moscow, the demo's zone): the fake clock's start.
pub const WEDNESDAY_NOON: i64 = 1_804_075_200_000;

/// A fake clock at [`WEDNESDAY_NOON`].
pub fn clock() -> Arc<FakeClock> {
    Arc::new(FakeClock::at(Timestamp(WEDNESDAY_NOON)))
}

/// An app on SQLite that tells time by `clock`.
pub async fn sqlite(clock: &Arc<FakeClock>) -> TestApp {
    TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await
}

/// The same on PostgreSQL, when its database is configured.
pub async fn postgres(clock: &Arc<FakeClock>) -> Option<TestApp> {
    let store = postgres_store().await?;
    Some(
        TestApp::spawn_with(Options { backend: Backend::Given(store), clock: clock.clone(), ..Options::default() })
            .await,
    )
}

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

/// Boris, the admin of a second workspace on the same store (made as `frontline workspace
/// create` makes it), signed in.
pub async fn other_workspace_admin(app: &frontline_testkit::TestApp) -> OperatorClient {
    let new = frontline_core::workspaces::NewWorkspace {
        slug: &format!("b-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]),
        name: "Кухни Бориса",
        admin_email: "boris@example.org",
        admin_name: "Борис",
        admin_password: Some("password-of-boris"),
    };
    frontline_core::workspaces::create(&app.app, &new).await.expect("the second workspace");
    app.login("boris@example.org", "password-of-boris").await.expect("login B")
}
