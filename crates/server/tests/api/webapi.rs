//! The Web API over HTTP: admins' keys (shown once, scoped, revoked at once), a site's user
//! upserted by its own id with typed attributes, events counted once per id, tags, refusals
//! that name the field and change nothing, and two workspaces that never see each other's.

use crate::support::{body, other_workspace_admin};
use frontline_testkit::{OperatorClient, TestApp, VisitorClient};
use serde_json::{Value, json};

/// A site's backend calling with a key.
struct Backend {
    http: reqwest::Client,
    base: String,
    key: String,
}

impl Backend {
    fn new(app: &TestApp, key: &str) -> Self {
        Self { http: reqwest::Client::new(), base: app.url(""), key: key.to_owned() }
    }

    async fn call(&self, method: reqwest::Method, path: &str, req: Option<Value>) -> (u16, Value) {
        let mut r = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.key);
        if let Some(b) = req {
            r = r.json(&b);
        }
        body(r.send().await.expect("send")).await
    }

    async fn put_user(&self, user: &str, req: Value) -> (u16, Value) {
        self.call(reqwest::Method::PUT, &format!("/api/v1/web/users/{user}"), Some(req)).await
    }

    async fn get_user(&self, user: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, &format!("/api/v1/web/users/{user}"), None).await
    }

    async fn track(&self, user: &str, events: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, &format!("/api/v1/web/users/{user}/events"), Some(json!({ "events": events })))
            .await
    }

    async fn tags(&self, user: &str, add: &[&str], remove: &[&str]) -> (u16, Value) {
        let req = json!({ "add": add, "remove": remove });
        self.call(reqwest::Method::POST, &format!("/api/v1/web/users/{user}/tags"), Some(req)).await
    }
}

async fn new_key(admin: &OperatorClient, name: &str, scopes: &[&str]) -> (String, Value) {
    let (status, created) = body(admin.post("/api/v1/api-keys", json!({ "name": name, "scopes": scopes })).await).await;
    assert_eq!(status, 201, "{created}");
    (created["secret"].as_str().expect("secret").to_owned(), created["key"].clone())
}

#[tokio::test]
async fn keys_are_shown_once_scoped_and_revoked_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (secret, key) = new_key(&admin, "CRM", &["events:write", "visitors:read"]).await;
    assert!(secret.starts_with("flk_") && secret.len() > 40, "{secret}");
    assert_eq!(key["hint"].as_str(), Some(&secret[secret.len() - 4..]));
    assert_eq!(key["scopes"], json!(["visitors:read", "events:write"]), "in a fixed order");
    assert_eq!(key["created_by"], "Администратор");
    let listed: Value = admin.get("/api/v1/api-keys").await.json().await.expect("json");
    assert_eq!(listed["items"][0]["id"], key["id"]);
    assert!(!listed.to_string().contains(&secret), "the secret is never shown again");

    // Refusals name the field and make nothing.
    for (req, field) in [
        (json!({"name": "x", "scopes": []}), "scopes"),
        (json!({"name": "x", "scopes": ["visitors:read", "root"]}), "scopes[1]"),
        (json!({"name": "x", "scopes": ["visitors:read", "visitors:read"]}), "scopes[1]"),
        (json!({"name": "  ", "scopes": ["visitors:read"]}), "name"),
    ] {
        let (status, e) = body(admin.post("/api/v1/api-keys", req).await).await;
        assert_eq!((status, e["details"]["field"].as_str()), (400, Some(field)), "{e}");
    }
    let operator = app.operator(&admin, "olga@example.com", "Ольга", &[]).await;
    let (status, _) =
        body(operator.post("/api/v1/api-keys", json!({"name": "x", "scopes": ["visitors:read"]})).await).await;
    assert_eq!(status, 403);
    assert_eq!(body(operator.get("/api/v1/api-keys").await).await.0, 403);
    let listed: Value = admin.get("/api/v1/api-keys").await.json().await.expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));

    // The key works within its scopes.
    let site = Backend::new(&app, &secret);
    let (status, counted) = site.track("u-1", json!([{"name": "visited_pricing"}])).await;
    assert_eq!((status, &counted["counted"]), (200, &json!([true])), "{counted}");
    let (status, user) = site.get_user("u-1").await;
    assert_eq!(status, 200, "{user}");
    let (status, e) = site.put_user("u-1", json!({"name": "Анна"})).await;
    assert_eq!(
        (status, e["code"].as_str(), e["details"]["scope"].as_str()),
        (403, Some("scope_missing"), Some("visitors:write"))
    );
    let (status, _) = site.tags("u-1", &["vip"], &[]).await;
    assert_eq!(status, 403);
    let used: Value = admin.get("/api/v1/api-keys").await.json().await.expect("json");
    assert!(used["items"][0]["last_used_at"].is_string(), "{used}");

    // No key, a wrong key, a session cookie instead: 401.
    let nobody = reqwest::Client::new();
    let (status, e) = body(nobody.get(app.url("/api/v1/web/users/u-1")).send().await.expect("send")).await;
    assert_eq!((status, e["code"].as_str()), (401, Some("unauthenticated")));
    assert_eq!(Backend::new(&app, "flk_not-a-key").get_user("u-1").await.0, 401);
    assert_eq!(Backend::new(&app, "a-widget-token").get_user("u-1").await.0, 401);
    assert_eq!(body(admin.get("/api/v1/web/users/u-1").await).await.0, 401, "a session is not a key");

    // Revoked: refused on its next call; revoking again keeps the first revocation.
    let id = key["id"].as_str().expect("id");
    let (status, revoked) = body(admin.delete(&format!("/api/v1/api-keys/{id}")).await).await;
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(revoked["revoked_by"], "Администратор");
    assert_eq!(site.get_user("u-1").await.0, 401);
    let (_, again) = body(admin.delete(&format!("/api/v1/api-keys/{id}")).await).await;
    assert_eq!(again["revoked_at"], revoked["revoked_at"]);
    assert_eq!(body(admin.delete(&format!("/api/v1/api-keys/{}", uuid::Uuid::now_v7())).await).await.0, 404);
    let log: Value = admin.get("/api/v1/audit-log").await.json().await.expect("json");
    let actions: Vec<&str> =
        log["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"api_key.created") && actions.contains(&"api_key.revoked"), "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "api_key.revoked").count(), 1);
}

#[tokio::test]
async fn a_sites_user_gets_typed_attributes_events_and_tags() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (secret, _) = new_key(&admin, "Сайт", &["visitors:read", "visitors:write", "events:write"]).await;
    let site = Backend::new(&app, &secret);

    let (status, user) = site
        .put_user(
            "42",
            json!({
                "name": "Анна Петрова",
                "email": "anna@example.com",
                "attributes": {"plan": "pro", "orders": 3, "vip": true, "signed_up_at": "2026-03-01T13:00:00+03:00", "paid_at": 1772359200, "gone": null}
            }),
        )
        .await;
    assert_eq!(status, 201, "{user}");
    assert_eq!((user["user_id"].as_str(), user["name"].as_str()), (Some("42"), Some("Анна Петрова")));
    assert_eq!(
        user["attributes"],
        json!({"plan": "pro", "orders": 3, "vip": true, "signed_up_at": "2026-03-01T10:00:00Z", "paid_at": "2026-03-01T10:00:00Z"})
    );
    // Again: the same visitor, merged; 200.
    let (status, again) = site.put_user("42", json!({"attributes": {"vip": null, "orders": 4.5}})).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["id"], user["id"]);
    assert_eq!(again["attributes"]["orders"], json!(4.5));
    assert!(again["attributes"].get("vip").is_none());
    assert_eq!(again["email"], "anna@example.com", "left out, kept");

    // Refusals name the attribute and change nothing.
    for (attributes, field) in [
        (json!({"signed_up_at": "вчера"}), "attributes.signed_up_at"),
        (json!({"paid_at": true}), "attributes.paid_at"),
        (json!({"nested": {"a": 1}}), "attributes.nested"),
        (json!({"list": [1]}), "attributes.list"),
        (json!({"note": "я".repeat(1001)}), "attributes.note"),
    ] {
        let (status, e) = site.put_user("42", json!({"name": "Другое имя", "attributes": attributes})).await;
        assert_eq!((status, e["details"]["field"].as_str()), (400, Some(field)), "{e}");
    }
    let (status, e) = site.put_user("42", json!({"email": "not-an-email"})).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("email")), "{e}");
    let (_, kept) = site.get_user("42").await;
    assert_eq!(
        (kept["name"].clone(), kept["attributes"].clone()),
        (again["name"].clone(), again["attributes"].clone())
    );
    let (status, e) = site.put_user("%20", json!({})).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("user_id")), "{e}");

    // Events: counted per name, a retried id once; a bad one refuses the whole batch.
    let (status, r) = site
        .track(
            "42",
            json!([
                {"name": "order_paid", "id": "order-1001", "properties": {"sum": 15000, "currency": "RUB"}},
                {"name": "order_paid", "id": "order-1001"},
                {"name": "Открыл каталог"}
            ]),
        )
        .await;
    assert_eq!((status, r["counted"].clone()), (200, json!([true, false, true])), "{r}");
    let (status, _) = site.track("42", json!([{"name": "order_paid", "id": "order-1001"}])).await;
    assert_eq!(status, 200);
    let (status, e) = site.track("42", json!([{"name": "ok"}, {"name": "x", "properties": {"deep": {"a": 1}}}])).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("events[1].properties.deep")), "{e}");
    assert_eq!(site.track("42", json!([])).await.0, 400);
    let many: Vec<Value> = (0..101).map(|i| json!({"name": format!("e{i}")})).collect();
    assert_eq!(site.track("42", json!(many)).await.0, 400);
    let (_, user) = site.get_user("42").await;
    let events = user["events"].as_array().expect("events");
    assert_eq!(events.len(), 2, "{events:?}");
    let paid = events.iter().find(|e| e["name"] == "order_paid").expect("paid");
    assert_eq!(paid["count"], 1);
    assert!(events.iter().all(|e| e["name"] != "ok"), "a refused batch counts nothing");

    // Tags: lower-cased, folded, sorted; removal wins; bad ones named.
    let (status, t) = site.tags("42", &["VIP", "  Оптовый   клиент "], &[]).await;
    assert_eq!((status, t["tags"].clone()), (200, json!(["vip", "оптовый клиент"])), "{t}");
    let (_, t) = site.tags("42", &["b2b"], &["vip"]).await;
    assert_eq!(t["tags"], json!(["b2b", "оптовый клиент"]));
    let (status, e) = site.tags("42", &["a,b"], &[]).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("add[0]")), "{e}");
    // Writes make an unknown user; a read of one is 404.
    assert_eq!(site.tags("new-user", &["lead"], &[]).await.0, 200);
    assert_eq!(site.get_user("new-user").await.0, 200);
    let (status, e) = site.get_user("nobody").await;
    assert_eq!((status, e["code"].as_str()), (404, Some("not_found")), "{e}");

    // A user id with a slash or Cyrillic travels percent-encoded.
    let (status, odd) = site.put_user("crm%2F%D1%8F-7", json!({})).await;
    assert_eq!((status, odd["user_id"].as_str()), (201, Some("crm/я-7")), "{odd}");
}

#[tokio::test]
async fn two_workspaces_never_see_each_others_users_or_keys() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let boris = other_workspace_admin(&app).await;
    let (a, key_a) = new_key(&admin, "A", &["visitors:read", "visitors:write"]).await;
    let (b, _) = new_key(&boris, "B", &["visitors:read", "visitors:write"]).await;
    let (site_a, site_b) = (Backend::new(&app, &a), Backend::new(&app, &b));
    let (_, ua) = site_a.put_user("7", json!({"name": "Клиент A", "attributes": {"plan": "a"}})).await;
    assert_eq!(site_b.get_user("7").await.0, 404, "the same id in another workspace is nobody yet");
    let (status, ub) = site_b.put_user("7", json!({"name": "Клиент B"})).await;
    assert_eq!(status, 201);
    assert_ne!(ua["id"], ub["id"]);
    assert_eq!(site_a.get_user("7").await.1["name"], "Клиент A");
    let listed: Value = boris.get("/api/v1/api-keys").await.json().await.expect("json");
    assert!(listed["items"].as_array().expect("items").iter().all(|k| k["id"] != key_a["id"]));
    let id = key_a["id"].as_str().expect("id");
    assert_eq!(body(boris.delete(&format!("/api/v1/api-keys/{id}")).await).await.0, 404);
    assert_eq!(site_a.get_user("7").await.0, 200, "still live");
}

#[tokio::test]
async fn operators_tag_the_visitor_of_a_dialog_they_see() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let (status, sent) = body(visitor.send("v-1", "Здравствуйте").await).await;
    assert_eq!(status, 201, "{sent}");
    let dialog = sent["dialog_id"].as_str().expect("dialog");
    let (status, t) =
        body(admin.post(&format!("/api/v1/dialogs/{dialog}/visitor/tags"), json!({"add": ["Постоянный"]})).await).await;
    assert_eq!((status, t["tags"].clone()), (200, json!(["постоянный"])), "{t}");
    let card: Value = admin.get(&format!("/api/v1/dialogs/{dialog}/visitor")).await.json().await.expect("json");
    assert_eq!(card["tags"], json!(["постоянный"]));
    assert_eq!((card["user_id"].clone(), card["attributes"].clone()), (Value::Null, json!([])));
    let dialog_tags: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!(dialog_tags["tags"], json!([]), "visitor tags are not the dialog's tags");
    // An admin of another workspace does not see it.
    let outsider = other_workspace_admin(&app).await;
    let (status, _) =
        body(outsider.post(&format!("/api/v1/dialogs/{dialog}/visitor/tags"), json!({"add": ["x"]})).await).await;
    assert_eq!(status, 404);
}

/// A widget session of a site's user (`identify`), from the app's own origin.
async fn identify(
    app: &TestApp,
    token: Option<&str>,
    user: &str,
    hash: Option<&str>,
) -> Result<VisitorClient, (u16, Value)> {
    let http = reqwest::Client::new();
    let req = json!({"key": app.site_key, "token": token, "user_id": user, "user_hash": hash});
    let resp =
        http.post(app.url("/widget/v1/session")).header("origin", app.origin()).json(&req).send().await.expect("send");
    let (status, session) = body(resp).await;
    if status != 200 {
        return Err((status, session));
    }
    let token = session["token"].as_str().expect("token").to_owned();
    Ok(VisitorClient { base: app.url(""), origin: app.origin(), http, token, session })
}

async fn site_identity(admin: &OperatorClient) -> (String, String) {
    let sites: Value = admin.get("/api/v1/sites").await.json().await.expect("sites");
    let site = sites["items"][0]["id"].as_str().expect("site").to_owned();
    let (status, id) = body(admin.get(&format!("/api/v1/sites/{site}/identity")).await).await;
    assert_eq!(status, 200, "{id}");
    assert_eq!(id["required"], true, "a hash is required unless an admin says otherwise");
    (site, id["secret"].as_str().expect("secret").to_owned())
}

#[tokio::test]
async fn an_identified_user_sees_his_own_history_in_every_browser_and_only_his() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (site, secret) = site_identity(&admin).await;
    let again: Value = admin.get(&format!("/api/v1/sites/{site}/identity")).await.json().await.expect("json");
    assert_eq!(again["secret"], secret.as_str(), "made once, then the same");
    let hash = |user: &str| frontline_core::identity::hash(&secret, user);

    // Refused: no hash where one is required, a wrong hash, another user's hash.
    for given in [None, Some("00".repeat(32)), Some(hash("43"))] {
        let (status, e) = identify(&app, None, "42", given.as_deref()).await.err().expect("refused");
        assert_eq!(
            (status, e["code"].as_str(), e["details"]["field"].as_str()),
            (403, Some("identity_refused"), Some("user_hash")),
            "{e}"
        );
    }

    // An anonymous visitor writes, then signs in on the site: he becomes user 42, history kept.
    let anon = app.visitor().await;
    assert_eq!(body(anon.send("m-1", "Где мой заказ?").await).await.0, 201);
    let first = identify(&app, Some(&anon.token), "42", Some(&hash("42").to_uppercase())).await.expect("identified");
    assert_eq!(first.token, anon.token, "the same browser keeps its token");
    assert_eq!(first.session["visitor"]["id"], anon.session["visitor"]["id"]);

    // Another browser of user 42: the same visitor, his history, a token of its own.
    let second = identify(&app, None, "42", Some(&hash("42"))).await.expect("second browser");
    assert_ne!(second.token, first.token);
    assert_eq!(second.session["visitor"]["id"], anon.session["visitor"]["id"]);
    let history = second.history().await;
    assert!(history.iter().any(|m| m["body"] == "Где мой заказ?"), "{history:?}");
    assert_eq!(body(second.send("m-2", "Это я, с телефона").await).await.0, 201);
    assert!(first.history().await.iter().any(|m| m["body"] == "Это я, с телефона"), "one conversation");

    // Someone else on the same browser as user 42 (the site signed 42 out and 77 in): 77 sees nothing of 42's.
    let other = identify(&app, Some(&second.token), "77", Some(&hash("77"))).await.expect("user 77");
    assert_ne!(other.session["visitor"]["id"], anon.session["visitor"]["id"]);
    assert_ne!(other.token, second.token);
    assert!(other.history().await.is_empty());
    assert!(other.session["dialog"].is_null());
    // A token of 42 with a page saying nothing stays 42 (the site calls reset() at sign-out).
    let back = app.visitor_from(&app.origin(), Some(&second.token)).await.expect("back");
    assert_eq!(back.session["visitor"]["id"], anon.session["visitor"]["id"]);

    // The Web API knows him by 42, with his dialog.
    let (key, _) = new_key(&admin, "CRM", &["visitors:read", "visitors:write"]).await;
    let crm = Backend::new(&app, &key);
    let (status, user) = crm.get_user("42").await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["id"], anon.session["visitor"]["id"]);
    assert_eq!(user["dialogs"].as_array().map(Vec::len), Some(1));
    assert_eq!(user["dialogs"][0]["fields"], json!({}), "custom fields travel with his dialogs");

    // Rotating the secret ends the old hashes at once.
    let (status, rotated) =
        body(admin.put(&format!("/api/v1/sites/{site}/identity"), json!({"rotate": true})).await).await;
    assert_eq!(status, 200, "{rotated}");
    assert_ne!(rotated["secret"], secret.as_str());
    assert_eq!(identify(&app, None, "42", Some(&hash("42"))).await.err().expect("old hash").0, 403);
    // Without the requirement an identify needs no hash, but a wrong one is still refused.
    let (status, relaxed) =
        body(admin.put(&format!("/api/v1/sites/{site}/identity"), json!({"required": false})).await).await;
    assert_eq!((status, relaxed["required"].clone()), (200, json!(false)));
    assert_eq!(relaxed["secret"], rotated["secret"], "kept");
    let loose = identify(&app, None, "42", None).await.expect("no hash needed");
    assert_eq!(loose.session["visitor"]["id"], anon.session["visitor"]["id"]);
    assert_eq!(identify(&app, None, "42", Some(&hash("42"))).await.err().expect("wrong").0, 403);
    // Only admins see the secret.
    let operator = app.operator(&admin, "olga@example.com", "Ольга", &[]).await;
    assert_eq!(body(operator.get(&format!("/api/v1/sites/{site}/identity")).await).await.0, 403);
}

#[tokio::test]
async fn the_card_shows_what_the_site_and_the_page_told() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, secret) = site_identity(&admin).await;
    let (key, _) = new_key(&admin, "CRM", &["visitors:write", "events:write"]).await;
    let crm = Backend::new(&app, &key);
    // The backend knew him before he ever opened the chat.
    let (status, _) = crm.put_user("u-5", json!({"name": "Олег", "attributes": {"plan": "pro", "orders": 2}})).await;
    assert_eq!(status, 201);
    assert_eq!(crm.tags("u-5", &["vip"], &[]).await.0, 200);
    assert_eq!(crm.track("u-5", json!([{"name": "order_paid"}, {"name": "order_paid"}])).await.0, 200);
    let v =
        identify(&app, None, "u-5", Some(&frontline_core::identity::hash(&secret, "u-5"))).await.expect("identified");
    assert_eq!(v.session["visitor"]["name"], "Олег");
    // The page adds its own word, and events.
    let resp = v
        .call(
            reqwest::Method::PATCH,
            "/widget/v1/attributes",
            Some(json!({"attributes": {"cart_total": 1500, "plan": "pro+"}})),
        )
        .await;
    let (status, a) = body(resp).await;
    assert_eq!(status, 200, "{a}");
    let resp = v
        .call(
            reqwest::Method::POST,
            "/widget/v1/events",
            Some(json!({"events": [{"name": "Открыл корзину", "properties": {"items": 3}}]})),
        )
        .await;
    assert_eq!(body(resp).await, (200, json!({"counted": [true]})));
    let resp = v
        .call(reqwest::Method::PATCH, "/widget/v1/attributes", Some(json!({"attributes": {"seen_at": "вчера"}})))
        .await;
    let (status, e) = body(resp).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("attributes.seen_at")), "{e}");

    let (status, sent) = body(v.send("c-1", "Здравствуйте").await).await;
    assert_eq!(status, 201, "{sent}");
    let dialog = sent["dialog_id"].as_str().expect("dialog");
    let card: Value = admin.get(&format!("/api/v1/dialogs/{dialog}/visitor")).await.json().await.expect("json");
    assert_eq!(card["user_id"], "u-5");
    assert_eq!(card["tags"], json!(["vip"]));
    let attrs: Vec<(String, String, Value)> = card["attributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .map(|a| {
            (
                a["name"].as_str().expect("name").to_owned(),
                a["kind"].as_str().expect("kind").to_owned(),
                a["value"].clone(),
            )
        })
        .collect();
    assert_eq!(
        attrs,
        vec![
            ("cart_total".into(), "number".into(), json!(1500)),
            ("orders".into(), "number".into(), json!(2)),
            ("plan".into(), "text".into(), json!("pro+")),
        ]
    );
    let events: Vec<(String, i64)> = card["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["name"].as_str().expect("name").to_owned(), e["count"].as_i64().expect("count")))
        .collect();
    assert!(events.contains(&("order_paid".into(), 2)) && events.contains(&("Открыл корзину".into(), 1)), "{events:?}");
    assert_eq!(card["recent_events"][0]["properties"], json!({"items": 3}));
}

/// An anonymous visitor chats, then signs in on the site as a user Frontline knows already: the
/// conversation goes on as the user's (his open dialog moves to him, in every browser of his,
/// and the console shows him), unless the user has an open dialog of his own.
#[tokio::test]
async fn an_anonymous_conversation_goes_on_after_signing_in_as_a_known_user() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, secret) = site_identity(&admin).await;
    let hash = |user: &str| frontline_core::identity::hash(&secret, user);
    // User 42 is known (he used the chat on his phone once) and has no open dialog.
    let phone = identify(&app, None, "42", Some(&hash("42"))).await.expect("42 on his phone");
    let user_id = phone.session["visitor"]["id"].clone();

    // On his laptop, not signed in yet, he asks; then he signs in.
    let laptop = app.visitor().await;
    let (status, sent) = body(laptop.send("l-1", "Нужна кухня на заказ").await).await;
    assert_eq!(status, 201, "{sent}");
    let dialog = sent["dialog_id"].as_str().expect("dialog").to_owned();
    let signed_in = identify(&app, Some(&laptop.token), "42", Some(&hash("42"))).await.expect("signed in");
    assert_eq!(signed_in.session["visitor"]["id"], user_id);
    assert_eq!(signed_in.session["dialog"]["id"], dialog.as_str(), "his conversation is the open one");
    assert!(signed_in.history().await.iter().any(|m| m["body"] == "Нужна кухня на заказ"));
    assert!(phone.history().await.iter().any(|m| m["body"] == "Нужна кухня на заказ"), "on his phone too");
    assert_eq!(body(signed_in.send("l-2", "Это снова я").await).await.0, 201);
    let seen: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("dialog");
    assert_eq!(seen["visitor"]["id"], user_id, "the console shows the user: {seen}");

    // User 42 has that dialog open now: another anonymous conversation signing in as him stays apart.
    let tablet = app.visitor().await;
    let (status, other) = body(tablet.send("t-1", "Вопрос с планшета").await).await;
    assert_eq!(status, 201, "{other}");
    let again = identify(&app, Some(&tablet.token), "42", Some(&hash("42"))).await.expect("signed in");
    assert_eq!(again.session["dialog"]["id"], dialog.as_str(), "the user's own open dialog");
    assert!(!again.history().await.iter().any(|m| m["body"] == "Вопрос с планшета"));
    let apart: Value = admin
        .get(&format!("/api/v1/dialogs/{}", other["dialog_id"].as_str().expect("id")))
        .await
        .json()
        .await
        .expect("dialog");
    assert_eq!(apart["visitor"]["id"], tablet.session["visitor"]["id"], "it stays the anonymous visitor's");
}
