//! Custom fields over HTTP: the repair desk's «Модель» in capitals, required before a dialog of
//! its category closes, filtering the list and travelling in the dialog's view; a visitor's
//! field kept as his attribute (and so in segments); refusals that name the field.

use crate::support::{body, other_workspace_admin};
use frontline_testkit::TestApp;
use serde_json::{Value, json};

#[tokio::test]
async fn a_model_in_capitals_is_required_before_close_and_filters_the_list() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[]).await;
    let (_, cat) = body(admin.post("/api/v1/categories", json!({"name": "Цифровая техника"})).await).await;
    let cat = cat["id"].as_str().expect("category").to_owned();

    // Refusals name the field and define nothing.
    for (req, status, field) in [
        (json!({"key": "Model", "label": "Модель", "target": "dialog", "kind": "text"}), 400, "key"),
        (json!({"key": "paid", "label": "Оплачено", "target": "dialog", "kind": "date"}), 400, "key"),
        (json!({"key": "city", "label": "Город", "target": "visitor", "kind": "choice"}), 400, "options"),
        (
            json!({"key": "model", "label": "Модель", "target": "dialog", "kind": "text", "pattern": "("}),
            400,
            "pattern",
        ),
        (json!({"key": "model", "label": "", "target": "dialog", "kind": "text"}), 400, "label"),
        (json!({"key": "model", "label": "Модель", "kind": "text"}), 400, "target"),
        (
            json!({"key": "model", "label": "Модель", "target": "dialog", "kind": "text",
                   "required": {"categories": [uuid::Uuid::now_v7()]}}),
            404,
            "required.categories[0]",
        ),
        (
            json!({"key": "city", "label": "Город", "target": "visitor", "kind": "text", "required": {"always": true}}),
            400,
            "required",
        ),
    ] {
        let (s, e) = body(admin.post("/api/v1/fields", req).await).await;
        assert_eq!((s, e["details"]["field"].as_str()), (status, Some(field)), "{e}");
    }
    assert_eq!(
        anna.post("/api/v1/fields", json!({"key": "x", "label": "X", "target": "dialog", "kind": "text"}))
            .await
            .status(),
        403
    );
    let listed: Value = anna.get("/api/v1/fields").await.json().await.expect("json");
    assert_eq!(listed["items"], json!([]));

    let (s, model) = body(
        admin
            .post(
                "/api/v1/fields",
                json!({"key": "model", "label": "Модель", "target": "dialog", "kind": "text", "format": "upper",
                       "pattern": "[A-Z0-9 ]+", "required": {"categories": [cat]}}),
            )
            .await,
    )
    .await;
    assert_eq!(s, 201, "{model}");
    let (s, e) = body(
        admin.post("/api/v1/fields", json!({"key": "model", "label": "2", "target": "dialog", "kind": "text"})).await,
    )
    .await;
    assert_eq!((s, e["details"]["field"].as_str()), (400, Some("key")), "{e}");
    let (s, city) = body(
        admin
            .post(
                "/api/v1/fields",
                json!({"key": "city", "label": "Город", "target": "visitor", "kind": "choice", "options": ["Москва", "Казань"]}),
            )
            .await,
    )
    .await;
    assert_eq!(s, 201, "{city}");

    let visitor = app.visitor().await;
    let d = visitor.write("m-1", "Телефон не включается").await;
    let other = app.visitor().await;
    let d2 = other.write("m-2", "Ноутбук греется").await;
    let put = |id: &str, values: Value| {
        let admin = admin.clone();
        let path = format!("/api/v1/dialogs/{id}/fields");
        async move { body(admin.put(&path, json!({ "values": values })).await).await }
    };
    // The category requires the model before close.
    assert_eq!(admin.put(&format!("/api/v1/dialogs/{d}/category"), json!({"category_id": cat})).await.status(), 200);
    let (s, e) = body(admin.post(&format!("/api/v1/dialogs/{d}/close"), json!({})).await).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("fields_required")), "{e}");
    assert_eq!(e["details"]["fields"], json!([{"key": "model", "label": "Модель"}]));
    // Refused values name their place and change nothing.
    let (s, e) = put(&d, json!({"model": "iPhone-15"})).await;
    assert_eq!((s, e["details"]["field"].as_str()), (400, Some("values.model")), "{e}");
    let (s, e) = put(&d, json!({"colour": "red"})).await;
    assert_eq!((s, e["details"]["field"].as_str()), (400, Some("values.colour")), "{e}");
    let (s, e) = put(&d, json!({"city": "Москва"})).await;
    assert_eq!(
        (s, e["details"]["field"].as_str()),
        (400, Some("values.city")),
        "a visitor's field is not the dialog's: {e}"
    );
    // Written as typed, kept in capitals.
    let (s, view) = put(&d, json!({"model": " iPhone 15 pro "})).await;
    assert_eq!((s, view["fields"].clone()), (200, json!({"model": "IPHONE 15 PRO"})), "{view}");
    assert_eq!(put(&d2, json!({"model": "macbook air"})).await.0, 200);
    let (s, page) = body(admin.get("/api/v1/dialogs?status=all&field=model:iphone 15 pro").await).await;
    assert_eq!(s, 200, "{page}");
    let ids: Vec<&str> = page["items"].as_array().expect("items").iter().filter_map(|x| x["id"].as_str()).collect();
    assert_eq!(ids, vec![d.as_str()], "the filter's value is read as the field keeps it");
    let (s, e) = body(admin.get("/api/v1/dialogs?field=colour:red").await).await;
    assert_eq!((s, e["details"]["field"].as_str()), (400, Some("field")), "{e}");
    let (s, closed) = body(admin.post(&format!("/api/v1/dialogs/{d}/close"), json!({})).await).await;
    assert_eq!((s, closed["status"].as_str()), (200, Some("closed")), "{closed}");
    // Another category's dialog closes without it.
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{d2}/close"), json!({})).await.status(), 200);

    // The dialogs export has a column per dialog field, with the values as kept.
    // Days around today, whatever the reports' time zone.
    let today = jiff::Zoned::now().date();
    let (from, to) = (today.yesterday().expect("day"), today.tomorrow().expect("day"));
    let (s, csv) = {
        let resp = admin.get(&format!("/api/v1/reports/dialogs?from={from}&to={to}")).await;
        (resp.status().as_u16(), resp.text().await.expect("csv"))
    };
    assert_eq!(s, 200, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].ends_with(",Модель (model)"), "{}", lines[0]);
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines.iter().any(|l| l.contains("Цифровая техника") && l.ends_with(",IPHONE 15 PRO")), "{csv}");
    assert!(lines.iter().any(|l| l.ends_with(",MACBOOK AIR")), "{csv}");
    assert_eq!(anna.get(&format!("/api/v1/reports/dialogs?from={from}&to={to}")).await.status(), 403);

    // A visitor's field is his attribute: on the card, and in segments.
    let (s, card) =
        body(admin.put(&format!("/api/v1/dialogs/{d}/visitor/fields"), json!({"values": {"city": "Казань"}})).await)
            .await;
    assert_eq!(s, 200, "{card}");
    assert!(
        card["attributes"]
            .as_array()
            .expect("attributes")
            .iter()
            .any(|a| a["name"] == "city" && a["value"] == "Казань"),
        "{card}"
    );
    let (s, e) =
        body(admin.put(&format!("/api/v1/dialogs/{d}/visitor/fields"), json!({"values": {"city": "Тверь"}})).await)
            .await;
    assert_eq!((s, e["details"]["field"].as_str()), (400, Some("values.city")), "{e}");
    let seg = json!({"filter": {"rules": [{"type": "attribute", "name": "city", "op": "is", "value": "Казань"}]}});
    let (_, p) = body(admin.post("/api/v1/segments/preview", seg).await).await;
    assert_eq!(p["count"], 1, "{p}");

    // Archived: offered nowhere, takes no values, its values stay.
    let mid = model["id"].as_str().expect("id");
    let (s, f) = body(admin.patch(&format!("/api/v1/fields/{mid}"), json!({"archived": true})).await).await;
    assert_eq!((s, f["archived"].as_bool()), (200, Some(true)), "{f}");
    let (s, e) = body(admin.patch(&format!("/api/v1/fields/{mid}"), json!({"kind": "number"})).await).await;
    assert_eq!((s, e["details"]["field"].as_str()), (400, Some("kind")), "{e}");
    let (s, _) = put(&d2, json!({"model": "X"})).await;
    assert_eq!(s, 400);
    let (_, view) = body(admin.get(&format!("/api/v1/dialogs/{d}")).await).await;
    assert_eq!(view["fields"]["model"], "IPHONE 15 PRO");

    // Another workspace neither sees nor changes them.
    let boris = other_workspace_admin(&app).await;
    let listed: Value = boris.get("/api/v1/fields").await.json().await.expect("json");
    assert_eq!(listed["items"], json!([]));
    assert_eq!(boris.patch(&format!("/api/v1/fields/{mid}"), json!({"label": "x"})).await.status(), 404);
}
