//! The install's workspaces from the command line, as an owner runs them: `frontline workspace
//! create` makes a company with its first admin (who signs in), `list` shows it, `rename`
//! renames it, `suspend` shuts its operators out at once (sessions and sign-in) and refuses its
//! widget and Web API keys, `resume` lets them back; a taken slug is refused and makes nothing.

use frontline_testkit::TestApp;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};

/// Runs `frontline workspace …` on the SQLite store in `dir`: (success, stdout, stderr).
async fn cli(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_frontline"))
        .arg("workspace")
        .args(args)
        .arg("--data")
        .arg(dir)
        .env_remove("FRONTLINE_CONFIG")
        .env_remove("FRONTLINE_DATABASE")
        .env_remove("FRONTLINE_BUS")
        .env_remove("FRONTLINE_ADMIN_PASSWORD")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run frontline");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> (u16, Option<String>, Value) {
    let resp = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("login");
    let status = resp.status().as_u16();
    let cookie = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.split(';').next().unwrap_or_default().to_owned());
    (status, cookie, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_owner_creates_renames_suspends_and_resumes_workspaces_from_the_command_line() {
    let dir = frontline_testkit::temp_dir();
    let (ok, out, err) = cli(
        &dir,
        &[
            "create",
            "--slug",
            "kuhni",
            "--name",
            "Кухни Петрова",
            "--admin-email",
            "boss@kuhni.example",
            "--admin-name",
            "Пётр",
        ],
    )
    .await;
    assert!(ok, "{out}{err}");
    let password = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("admin:").map(str::trim))
        .and_then(|l| l.split(" / ").nth(1))
        .expect("the admin's password printed once")
        .to_owned();
    assert!(out.contains("site key: kuhni_"), "{out}");
    // A taken slug is refused and makes nothing; a bad e-mail is named.
    let (ok, _, err) = cli(
        &dir,
        &["create", "--slug", "kuhni", "--name", "Другие", "--admin-email", "x@kuhni.example", "--admin-name", "Икс"],
    )
    .await;
    assert!(!ok && err.contains("taken"), "{err}");
    let (ok, _, err) = cli(
        &dir,
        &["create", "--slug", "mebel", "--name", "Мебель", "--admin-email", "not-an-email", "--admin-name", "Икс"],
    )
    .await;
    assert!(!ok && err.contains("email"), "{err}");
    let (ok, out, _) = cli(
        &dir,
        &[
            "create",
            "--slug",
            "mebel",
            "--name",
            "Мебель",
            "--admin-email",
            "boss@mebel.example",
            "--admin-name",
            "Мария",
            "--admin-password",
            "mebel-password",
        ],
    )
    .await;
    assert!(ok && out.contains("(as given)"), "{out}");
    let (ok, _, err) = cli(&dir, &["rename", "--slug", "kuhni", "--name", "Кухни Петрова и сыновья"]).await;
    assert!(ok, "{err}");
    let (_, list, _) = cli(&dir, &["list"]).await;
    assert!(list.contains("kuhni\tКухни Петрова и сыновья\t1 operators\tactive"), "{list}");
    assert!(list.contains("mebel\tМебель\t1 operators\tactive"), "{list}");

    // The server on the same store: the admins sign in, each in his own company only.
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_frontline"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&dir)
        .env_remove("FRONTLINE_CONFIG")
        .env_remove("FRONTLINE_DATABASE")
        .env_remove("FRONTLINE_BUS")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let base = loop {
        let line = lines.next_line().await.expect("stdout").expect("the banner");
        if let Some(url) = line.trim().strip_prefix("Console:") {
            break url.trim().trim_end_matches("/console/").to_owned();
        }
    };
    let http = reqwest::Client::new();
    let (status, cookie, me) = login(&http, &base, "boss@kuhni.example", &password).await;
    assert_eq!(status, 200, "{me}");
    let cookie = cookie.expect("a session");
    assert_eq!(me["workspace"]["slug"], "kuhni");
    let (status, _, _) = login(&http, &base, "boss@mebel.example", "mebel-password").await;
    assert_eq!(status, 200);
    let me = |cookie: String| {
        let http = http.clone();
        let base = base.clone();
        async move {
            http.get(format!("{base}/api/v1/me")).header("cookie", cookie).send().await.expect("me").status().as_u16()
        }
    };
    assert_eq!(me(cookie.clone()).await, 200);

    // Suspended: his session stops at once and he cannot sign in; the other company works.
    let (ok, _, err) = cli(&dir, &["suspend", "--slug", "kuhni"]).await;
    assert!(ok, "{err}");
    assert_eq!(me(cookie.clone()).await, 401);
    let (status, _, e) = login(&http, &base, "boss@kuhni.example", &password).await;
    assert_eq!((status, e["code"].as_str()), (403, Some("workspace_suspended")), "{e}");
    let (status, _, _) = login(&http, &base, "boss@mebel.example", "mebel-password").await;
    assert_eq!(status, 200);
    let (_, list, _) = cli(&dir, &["list"]).await;
    assert!(list.lines().any(|l| l.starts_with("kuhni\t") && l.contains("suspended since")), "{list}");
    // Resumed: back in.
    let (ok, _, _) = cli(&dir, &["resume", "--slug", "kuhni"]).await;
    assert!(ok);
    let (status, _, _) = login(&http, &base, "boss@kuhni.example", &password).await;
    assert_eq!(status, 200);
    let (ok, _, err) = cli(&dir, &["suspend", "--slug", "nobody"]).await;
    assert!(!ok && err.contains("no such workspace"), "{err}");
    let _ = child.start_kill();
    let _ = child.wait().await;
}

#[tokio::test]
async fn a_suspended_workspace_refuses_its_widget_and_web_api_keys() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created: Value = admin
        .post("/api/v1/api-keys", json!({"name": "CRM", "scopes": ["visitors:read", "visitors:write"]}))
        .await
        .json()
        .await
        .expect("json");
    let key = created["secret"].as_str().expect("secret").to_owned();
    let visitor = app.visitor().await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    let slug = admin.me["workspace"]["slug"].as_str().expect("slug").to_owned();
    frontline_core::workspaces::suspend(&app.app, &slug).await.expect("suspend");
    let http = reqwest::Client::new();
    let web = http.get(app.url("/api/v1/web/users/1")).bearer_auth(&key).send().await.expect("web");
    assert_eq!(web.status(), 403);
    assert_eq!(web.json::<Value>().await.expect("json")["code"], "workspace_suspended");
    assert_eq!(visitor.send("v-1", "Здравствуйте").await.status(), 403);
    assert!(app.visitor_from(&app.origin(), None).await.is_err_and(|e| e.to_string().contains("workspace_suspended")));
    assert_eq!(admin.get("/api/v1/me").await.status(), 401, "the operators' sessions stop");
    // A widget socket opened before hears it at its next ping (20 s) and closes.
    let frames = widget.drain(25_000).await;
    assert!(frames.iter().any(|f| f["type"] == "error" && f["code"] == "workspace_suspended"), "{frames:?}");
    assert!(widget.closed().await, "the widget's socket closed");
    frontline_core::workspaces::resume(&app.app, &slug).await.expect("resume");
    assert_eq!(visitor.send("v-1", "Здравствуйте").await.status(), 201);
    let web = http.put(app.url("/api/v1/web/users/1")).bearer_auth(&key).json(&json!({})).send().await.expect("web");
    assert_eq!(web.status(), 201);
}

#[tokio::test]
async fn the_owner_manages_workspaces_over_his_api_and_a_suspension_ends_consoles() {
    const OWNER: &str = "owner-secret-0123456789abcdef";
    let off = frontline_testkit::TestApp::spawn().await;
    let resp = reqwest::Client::new().get(off.url("/api/v1/owner/workspaces")).bearer_auth(OWNER).send().await;
    assert_eq!(resp.expect("send").status(), 404, "off without an owner token");

    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        tweak: Some(|c| c.owner_token = Some(OWNER.into())),
        ..Default::default()
    })
    .await;
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, token: &str, req: Option<serde_json::Value>| {
        let mut r = http.request(method, app.url(path)).bearer_auth(token);
        if let Some(b) = req {
            r = r.json(&b);
        }
        async move { crate::support::body(r.send().await.expect("send")).await }
    };
    use reqwest::Method;
    let (s, _) = call(Method::GET, "/api/v1/owner/workspaces", "wrong-token-0123456789abcdef", None).await;
    assert_eq!(s, 401);
    let (s, e) = call(
        Method::POST,
        "/api/v1/owner/workspaces",
        OWNER,
        Some(serde_json::json!({"slug": "-bad", "name": "Кухни", "admin_email": "a@example.org", "admin_name": "А"})),
    )
    .await;
    assert_eq!((s, e["details"]["field"].as_str()), (400, Some("slug")), "{e}");
    let (s, made) = call(
        Method::POST,
        "/api/v1/owner/workspaces",
        OWNER,
        Some(serde_json::json!({"slug": "kitchens", "name": "Кухни", "admin_email": "boss@kitchens.example", "admin_name": "Борис"})),
    )
    .await;
    assert_eq!(s, 201, "{made}");
    let password = made["admin_password"].as_str().expect("password shown once").to_owned();
    let (s, e) = call(
        Method::POST,
        "/api/v1/owner/workspaces",
        OWNER,
        Some(serde_json::json!({"slug": "kitchens", "name": "Ещё", "admin_email": "x@kitchens.example", "admin_name": "Х"})),
    )
    .await;
    assert_eq!(s, 409, "a slug is taken once: {e}");
    let (_, listed) = call(Method::GET, "/api/v1/owner/workspaces", OWNER, None).await;
    let slugs: Vec<&str> =
        listed["items"].as_array().expect("items").iter().filter_map(|w| w["slug"].as_str()).collect();
    assert!(slugs.contains(&"kitchens") && slugs.contains(&"demo"), "{slugs:?}");
    let (s, renamed) = call(
        Method::PATCH,
        "/api/v1/owner/workspaces/kitchens",
        OWNER,
        Some(serde_json::json!({"name": "Кухни Бориса"})),
    )
    .await;
    assert_eq!((s, renamed["name"].as_str()), (200, Some("Кухни Бориса")));

    // Suspended: his open console is signed out at once; sign-in is refused; resumed, it works.
    let boris = app.login("boss@kitchens.example", &password).await.expect("the first admin signs in");
    let mut console = boris.ws().await;
    console.next_of("hello").await;
    let (s, w) = call(Method::POST, "/api/v1/owner/workspaces/kitchens/suspend", OWNER, None).await;
    assert_eq!(s, 200, "{w}");
    assert!(w["suspended_at"].is_string());
    assert_eq!(console.next_of("error").await["code"], "unauthenticated");
    assert!(console.closed().await, "his console socket closed");
    assert!(app.login("boss@kitchens.example", &password).await.is_err());
    let (s, _) = call(Method::POST, "/api/v1/owner/workspaces/kitchens/resume", OWNER, None).await;
    assert_eq!(s, 200);
    assert!(app.login("boss@kitchens.example", &password).await.is_ok());
    let (s, _) = call(Method::POST, "/api/v1/owner/workspaces/nothing-here/suspend", OWNER, None).await;
    assert_eq!(s, 404);
    let (s, _) = call(Method::POST, "/api/v1/owner/workspaces/%F0%9F%8F%BB/resume", OWNER, None).await;
    assert_eq!(s, 404, "a path that cannot be a slug names no workspace");
}
