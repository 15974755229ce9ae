//! The authorisation matrix: every operation of `/api/openapi.json` × every role (admin,
//! supervisor, operator, nobody signed in) × every kind of target (in the operator's own
//! channel, in a channel he is not in, in another workspace), each asserting the documented
//! answer: a role that may never do the operation gets `403`; a target one may not see is `404`
//! (as if it did not exist); everything else gets past authorisation (any other status). The
//! test fails when the OpenAPI document has an operation without a row here, or a row names an
//! operation the document does not have.

use crate::support::{body, general};
use frontline_testkit::{OperatorClient, TestApp, VisitorClient};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Who may do an operation.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    /// Every signed-in operator; a dialog of a channel he is not in is hidden from an operator.
    Any,
    /// Every signed-in operator for his own ones; a shared one (the fixture's target) needs a
    /// manager: the role is checked once the target is found.
    ManagerOnTarget,
    /// Admins and supervisors; operators get 403.
    Manager,
    /// Admins only.
    Admin,
    /// Nobody signed in may call it (sign-in).
    Public,
    /// The widget's visitor token.
    Widget,
    /// A Web API key with the scope named: none (or a session) is 401, a key without the
    /// scope 403.
    Key(&'static str),
    /// Not called here, with the reason (the row still has to exist).
    Skip(&'static str),
}

/// Where a request's `{id}` points.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scope {
    /// In the operator's own channel (or the workspace's own resource).
    Own,
    /// In a channel the operator is not a member of.
    Other,
    /// In another workspace.
    Foreign,
}

/// What the matrix says the answer is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Passes,
    Forbidden,
    Hidden,
    Unauthenticated,
}

struct Row {
    method: &'static str,
    path: &'static str,
    rule: Rule,
    /// The body, from the fixture (`Value::Null` for none).
    body: fn(&Fixture, Scope) -> Value,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

fn none(_: &Fixture, _: Scope) -> Value {
    Value::Null
}

fn empty(_: &Fixture, _: Scope) -> Value {
    json!({})
}

const ROWS: &[Row] = &[
    Row {
        method: "post",
        path: "/api/v1/auth/login",
        rule: Rule::Public,
        body: |_, _| json!({"email": "nobody@example.com", "password": "wrong-password"}),
    },
    Row {
        method: "post",
        path: "/api/v1/auth/logout",
        rule: Rule::Skip("ends the caller's session; trust.rs and lifecycle.rs test it"),
        body: none,
    },
    Row { method: "get", path: "/api/v1/me", rule: Rule::Any, body: none },
    Row { method: "patch", path: "/api/v1/me", rule: Rule::Any, body: |_, _| json!({"language": "ru"}) },
    Row { method: "put", path: "/api/v1/me/presence", rule: Rule::Any, body: |_, _| json!({"presence": "online"}) },
    Row {
        method: "put",
        path: "/api/v1/me/password",
        rule: Rule::Any,
        body: |_, _| json!({"current_password": "not-the-password", "new_password": "another-password"}),
    },
    Row { method: "get", path: "/api/v1/me/sessions", rule: Rule::Any, body: none },
    Row { method: "post", path: "/api/v1/me/sessions/end-others", rule: Rule::Any, body: empty },
    Row {
        method: "delete",
        path: "/api/v1/me/sessions/{id}",
        rule: Rule::Skip("a session is only ever one's own; lifecycle.rs tests ending one"),
        body: none,
    },
    Row { method: "get", path: "/api/v1/dialogs", rule: Rule::Any, body: none },
    Row { method: "get", path: "/api/v1/dialogs/counts", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/api/v1/dialogs/close",
        rule: Rule::Any,
        body: |f, _| json!({"ids": [f.spare_dialog]}),
    },
    Row { method: "get", path: "/api/v1/dialogs/{id}", rule: Rule::Any, body: none },
    Row { method: "get", path: "/api/v1/dialogs/{id}/messages", rule: Rule::Any, body: none },
    Row { method: "get", path: "/api/v1/dialogs/{id}/messages/{message_id}/edits", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/api/v1/dialogs/{id}/messages",
        rule: Rule::Any,
        body: |_, _| json!({"client_id": uuid::Uuid::now_v7().to_string(), "body": "Ответ", "internal": true}),
    },
    Row { method: "post", path: "/api/v1/dialogs/{id}/read", rule: Rule::Any, body: |_, _| json!({"seq": 1}) },
    Row { method: "post", path: "/api/v1/dialogs/{id}/accept", rule: Rule::Any, body: empty },
    Row {
        method: "post",
        path: "/api/v1/dialogs/{id}/assign",
        rule: Rule::Any,
        body: |_, _| json!({"operator_id": null}),
    },
    Row {
        method: "post",
        path: "/api/v1/dialogs/{id}/transfer",
        rule: Rule::Any,
        body: |f, scope| {
            // Within its own scope's channel, so the "other" dialog stays out of the operator's.
            let channel = if scope == Scope::Other { &f.other.channel } else { &f.own_channel };
            json!({"channel_id": channel, "comment": "Передаю"})
        },
    },
    Row {
        method: "post",
        path: "/api/v1/dialogs/{id}/snooze",
        rule: Rule::Any,
        body: |_, _| json!({"until": frontline_core::views::rfc3339(frontline_domain::Timestamp(now_ms() + 86_400_000))}),
    },
    Row { method: "post", path: "/api/v1/dialogs/{id}/unsnooze", rule: Rule::Any, body: empty },
    Row { method: "put", path: "/api/v1/dialogs/{id}/tags", rule: Rule::Any, body: |_, _| json!({"tag_ids": []}) },
    Row {
        method: "put",
        path: "/api/v1/dialogs/{id}/category",
        rule: Rule::Any,
        body: |_, _| json!({"category_id": null}),
    },
    Row { method: "post", path: "/api/v1/dialogs/{id}/close", rule: Rule::Any, body: empty },
    Row { method: "post", path: "/api/v1/dialogs/{id}/reopen", rule: Rule::Any, body: empty },
    Row { method: "get", path: "/api/v1/dialogs/{id}/visitor", rule: Rule::Any, body: none },
    Row {
        method: "patch",
        path: "/api/v1/dialogs/{id}/visitor",
        rule: Rule::Any,
        body: |_, _| json!({"name": "Ирина"}),
    },
    Row { method: "get", path: "/api/v1/operators", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/api/v1/operators",
        rule: Rule::Admin,
        body: |_, _| json!({"email": format!("new-{}@example.org", uuid::Uuid::now_v7().simple()), "display_name": "Новый", "password": "new-password", "role": "operator"}),
    },
    Row { method: "patch", path: "/api/v1/operators/{id}", rule: Rule::Admin, body: |_, _| json!({"capacity": 4}) },
    Row { method: "post", path: "/api/v1/operators/{id}/deactivate", rule: Rule::Admin, body: empty },
    Row { method: "post", path: "/api/v1/operators/{id}/reactivate", rule: Rule::Admin, body: empty },
    Row {
        method: "put",
        path: "/api/v1/operators/{id}/role",
        rule: Rule::Admin,
        body: |_, _| json!({"role": "operator"}),
    },
    Row { method: "post", path: "/api/v1/operators/{id}/password-reset", rule: Rule::Admin, body: empty },
    Row { method: "get", path: "/api/v1/audit-log", rule: Rule::Admin, body: none },
    Row { method: "get", path: "/api/v1/routing-rules", rule: Rule::Any, body: none },
    Row { method: "put", path: "/api/v1/routing-rules", rule: Rule::Admin, body: |_, _| json!({"items": []}) },
    Row { method: "get", path: "/api/v1/channels", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/api/v1/channels",
        rule: Rule::Admin,
        body: |_, _| json!({"name": format!("Канал {}", uuid::Uuid::now_v7().simple())}),
    },
    Row {
        method: "patch",
        path: "/api/v1/channels/{id}",
        rule: Rule::Admin,
        body: |_, _| json!({"greeting": "Здравствуйте!"}),
    },
    Row { method: "get", path: "/api/v1/channels/{id}/members", rule: Rule::Any, body: none },
    Row {
        method: "put",
        path: "/api/v1/channels/{id}/members",
        rule: Rule::Admin,
        // Each channel keeps its members: the operator stays out of the other one.
        body: |f, scope| json!({"operator_ids": if scope == Scope::Other { &f.other_members } else { &f.members }}),
    },
    Row { method: "get", path: "/api/v1/channels/{id}/automation", rule: Rule::Any, body: none },
    Row { method: "put", path: "/api/v1/channels/{id}/automation", rule: Rule::Admin, body: empty },
    Row { method: "get", path: "/api/v1/triggers", rule: Rule::Manager, body: none },
    Row {
        method: "post",
        path: "/api/v1/triggers",
        rule: Rule::Admin,
        body: |_, _| json!({"name": "Кухни", "message": "Подобрать кухню?", "time_on_site_seconds": 30}),
    },
    Row { method: "patch", path: "/api/v1/triggers/{id}", rule: Rule::Admin, body: |_, _| json!({"enabled": true}) },
    Row { method: "delete", path: "/api/v1/triggers/{id}", rule: Rule::Admin, body: none },
    Row { method: "get", path: "/api/v1/sites", rule: Rule::Any, body: none },
    Row {
        method: "patch",
        path: "/api/v1/sites/{id}",
        rule: Rule::Admin,
        body: |_, _| json!({"allowed_origins": ["https://shop.example.com"]}),
    },
    Row { method: "get", path: "/api/v1/tags", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/api/v1/tags",
        rule: Rule::Manager,
        body: |_, _| json!({"name": format!("т{}", &uuid::Uuid::now_v7().simple().to_string()[20..])}),
    },
    Row { method: "patch", path: "/api/v1/tags/{id}", rule: Rule::Manager, body: |_, _| json!({"archived": false}) },
    Row { method: "get", path: "/api/v1/categories", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/api/v1/categories",
        rule: Rule::Manager,
        body: |_, _| json!({"name": format!("к{}", &uuid::Uuid::now_v7().simple().to_string()[20..])}),
    },
    Row {
        method: "patch",
        path: "/api/v1/categories/{id}",
        rule: Rule::Manager,
        body: |_, _| json!({"archived": false}),
    },
    Row { method: "get", path: "/api/v1/saved-replies", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/api/v1/saved-replies",
        rule: Rule::Any,
        body: |_, _| json!({"scope": "personal", "title": "Моё", "body": "Минуту, уточняю."}),
    },
    Row {
        method: "patch",
        path: "/api/v1/saved-replies/{id}",
        rule: Rule::ManagerOnTarget,
        body: |_, _| json!({"title": "Общий ответ"}),
    },
    Row { method: "delete", path: "/api/v1/saved-replies/{id}", rule: Rule::ManagerOnTarget, body: none },
    Row { method: "post", path: "/api/v1/uploads", rule: Rule::Any, body: none },
    Row { method: "get", path: "/api/v1/attachments/{id}", rule: Rule::Any, body: none },
    Row { method: "get", path: "/api/v1/search", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/widget/v1/session",
        rule: Rule::Skip("opens a session by site key; refusals.rs tests its doors"),
        body: none,
    },
    Row { method: "get", path: "/widget/v1/messages", rule: Rule::Widget, body: none },
    Row {
        method: "post",
        path: "/widget/v1/messages",
        rule: Rule::Widget,
        body: |_, _| json!({"client_id": uuid::Uuid::now_v7().to_string(), "body": "Вопрос"}),
    },
    Row { method: "patch", path: "/widget/v1/visitor", rule: Rule::Widget, body: |_, _| json!({"name": "Ирина"}) },
    Row { method: "post", path: "/widget/v1/uploads", rule: Rule::Widget, body: none },
    Row { method: "get", path: "/widget/v1/attachments/{id}", rule: Rule::Widget, body: none },
    Row { method: "post", path: "/widget/v1/read", rule: Rule::Widget, body: |_, _| json!({"seq": 1}) },
    Row {
        method: "post",
        path: "/widget/v1/rating",
        rule: Rule::Widget,
        body: |f, _| json!({"dialog_id": f.visitor_dialog, "score": 5}),
    },
    Row { method: "post", path: "/widget/v1/triggers/{id}/shown", rule: Rule::Widget, body: empty },
    Row {
        method: "post",
        path: "/widget/v1/offline",
        rule: Rule::Widget,
        body: |_, _| json!({"client_id": uuid::Uuid::now_v7().to_string(), "name": "Ирина", "email": "irina@example.com", "question": "Когда откроетесь?"}),
    },
    Row { method: "get", path: "/widget/v1/availability", rule: Rule::Widget, body: none },
    Row { method: "get", path: "/api/v1/telegram/bots", rule: Rule::Admin, body: none },
    Row {
        method: "post",
        path: "/api/v1/telegram/bots",
        rule: Rule::Admin,
        // A token the fake Bot API does not know: a refusal of the token, once the role passes.
        body: |_, _| json!({"token": "42:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}),
    },
    Row {
        method: "patch",
        path: "/api/v1/telegram/bots/{id}",
        rule: Rule::Admin,
        body: |_, _| json!({"enabled": true}),
    },
    Row { method: "delete", path: "/api/v1/telegram/bots/{id}", rule: Rule::Admin, body: none },
    Row { method: "get", path: "/api/v1/webhooks", rule: Rule::Admin, body: none },
    Row { method: "get", path: "/api/v1/webhooks/catalogue", rule: Rule::Admin, body: none },
    Row {
        method: "post",
        path: "/api/v1/webhooks",
        rule: Rule::Admin,
        body: |_, _| json!({"url": "http://127.0.0.1:9/hook", "events": ["dialog.created"]}),
    },
    Row {
        method: "patch",
        path: "/api/v1/webhooks/{id}",
        rule: Rule::Admin,
        body: |_, _| json!({"description": "CRM"}),
    },
    Row { method: "get", path: "/api/v1/webhooks/{id}/secret", rule: Rule::Admin, body: none },
    Row { method: "post", path: "/api/v1/webhooks/{id}/rotate", rule: Rule::Admin, body: empty },
    Row { method: "post", path: "/api/v1/webhooks/{id}/test", rule: Rule::Admin, body: empty },
    Row { method: "get", path: "/api/v1/webhooks/{id}/deliveries", rule: Rule::Admin, body: none },
    Row { method: "get", path: "/api/v1/webhooks/{id}/deliveries/{delivery}", rule: Rule::Admin, body: none },
    Row { method: "post", path: "/api/v1/webhooks/{id}/deliveries/{delivery}/replay", rule: Rule::Admin, body: empty },
    // Last of the webhook rows: the others use the endpoint it deletes.
    Row { method: "delete", path: "/api/v1/webhooks/{id}", rule: Rule::Admin, body: none },
    Row { method: "get", path: "/api/v1/mail/settings", rule: Rule::Admin, body: none },
    Row {
        method: "put",
        path: "/api/v1/mail/settings",
        rule: Rule::Admin,
        body: |_, _| {
            json!({"address": "support@mail.test",
        "smtp": {"host": "127.0.0.1", "port": 9, "security": "none"}, "imap": {"host": "127.0.0.1", "port": 9, "security": "none"}})
        },
    },
    Row { method: "get", path: "/api/v1/forms", rule: Rule::Any, body: none },
    Row { method: "post", path: "/api/v1/forms", rule: Rule::Admin, body: |_, _| form_body() },
    Row { method: "put", path: "/api/v1/forms/{id}", rule: Rule::Admin, body: |_, _| form_body() },
    Row {
        method: "post",
        path: "/api/v1/dialogs/{id}/forms",
        rule: Rule::Any,
        body: |f, _| json!({"form_id": f.own.form}),
    },
    Row { method: "get", path: "/api/v1/form-requests/{id}", rule: Rule::Any, body: none },
    Row { method: "get", path: "/api/v1/tickets", rule: Rule::Any, body: none },
    Row { method: "get", path: "/api/v1/tickets/{id}", rule: Rule::Any, body: none },
    Row { method: "patch", path: "/api/v1/tickets/{id}", rule: Rule::Any, body: |_, _| json!({"status": "open"}) },
    Row { method: "get", path: "/api/v1/quality", rule: Rule::Admin, body: none },
    Row { method: "put", path: "/api/v1/quality", rule: Rule::Admin, body: empty },
    Row {
        method: "post",
        path: "/api/v1/dialogs/{id}/guard",
        rule: Rule::Any,
        body: |_, _| json!({"body": "вам ответят"}),
    },
    Row { method: "get", path: "/api/v1/reports", rule: Rule::Manager, body: none },
    Row { method: "get", path: "/api/v1/reports/export", rule: Rule::Manager, body: none },
    Row { method: "get", path: "/api/v1/reports/dialogs", rule: Rule::Manager, body: none },
    Row { method: "get", path: "/api/v1/reports/settings", rule: Rule::Manager, body: none },
    Row {
        method: "put",
        path: "/api/v1/reports/settings",
        rule: Rule::Admin,
        body: |_, _| json!({"time_zone": "Europe/Moscow"}),
    },
    Row { method: "get", path: "/api/v1/board", rule: Rule::Manager, body: none },
    Row {
        method: "post",
        path: "/api/v1/dialogs/{id}/visitor/tags",
        rule: Rule::Any,
        body: |_, _| json!({"add": ["матрица"]}),
    },
    Row { method: "get", path: "/api/v1/sites/{id}/identity", rule: Rule::Admin, body: none },
    Row {
        method: "put",
        path: "/api/v1/sites/{id}/identity",
        rule: Rule::Admin,
        body: |_, _| json!({"required": true}),
    },
    Row {
        method: "patch",
        path: "/widget/v1/attributes",
        rule: Rule::Widget,
        body: |_, _| json!({"attributes": {"plan": "pro"}}),
    },
    Row {
        method: "post",
        path: "/widget/v1/events",
        rule: Rule::Widget,
        body: |_, _| json!({"events": [{"name": "matrix"}]}),
    },
    Row {
        method: "post",
        path: "/api/v1/dialogs/{id}/complaints",
        rule: Rule::Any,
        body: |_, _| json!({"reason": "other", "comment": "Матрица"}),
    },
    Row {
        method: "post",
        path: "/api/v1/dialogs/{id}/block",
        rule: Rule::Admin,
        body: |_, _| json!({"reason": "spam"}),
    },
    Row { method: "get", path: "/api/v1/complaints", rule: Rule::Admin, body: none },
    Row {
        method: "post",
        path: "/api/v1/complaints/{id}/decision",
        rule: Rule::Admin,
        body: |_, _| json!({"action": "dismiss"}),
    },
    Row { method: "get", path: "/api/v1/blocks", rule: Rule::Admin, body: none },
    Row { method: "post", path: "/api/v1/blocks/{id}/lift", rule: Rule::Admin, body: empty },
    Row {
        method: "get",
        path: "/api/v1/owner/workspaces",
        rule: Rule::Skip("the install owner's token, not a role; workspaces.rs tests it"),
        body: none,
    },
    Row {
        method: "post",
        path: "/api/v1/owner/workspaces",
        rule: Rule::Skip("the install owner's token, not a role; workspaces.rs tests it"),
        body: none,
    },
    Row {
        method: "patch",
        path: "/api/v1/owner/workspaces/{slug}",
        rule: Rule::Skip("the install owner's token, not a role; workspaces.rs tests it"),
        body: none,
    },
    Row {
        method: "post",
        path: "/api/v1/owner/workspaces/{slug}/suspend",
        rule: Rule::Skip("the install owner's token, not a role; workspaces.rs tests it"),
        body: none,
    },
    Row {
        method: "post",
        path: "/api/v1/owner/workspaces/{slug}/resume",
        rule: Rule::Skip("the install owner's token, not a role; workspaces.rs tests it"),
        body: none,
    },
    Row { method: "get", path: "/api/v1/invitations", rule: Rule::Admin, body: none },
    Row {
        method: "post",
        path: "/api/v1/invitations",
        rule: Rule::Admin,
        body: |_, _| {
            json!({"email": format!("i{}@example.com", &uuid::Uuid::now_v7().simple().to_string()[20..]),
                   "display_name": "Приглашённый", "role": "operator"})
        },
    },
    Row { method: "post", path: "/api/v1/invitations/{id}/revoke", rule: Rule::Admin, body: empty },
    Row {
        method: "post",
        path: "/api/v1/invitations/preview",
        rule: Rule::Skip("public: the link's secret is the proof; invitations.rs tests it"),
        body: none,
    },
    Row {
        method: "post",
        path: "/api/v1/invitations/accept",
        rule: Rule::Skip("public: the link's secret is the proof; invitations.rs tests it"),
        body: none,
    },
    Row { method: "get", path: "/api/v1/fields", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/api/v1/fields",
        rule: Rule::Admin,
        body: |_, _| {
            json!({"key": format!("k{}", &uuid::Uuid::now_v7().simple().to_string()[20..]), "label": "Поле",
                   "target": "dialog", "kind": "text"})
        },
    },
    Row { method: "patch", path: "/api/v1/fields/{id}", rule: Rule::Admin, body: |_, _| json!({"label": "Поле"}) },
    Row { method: "put", path: "/api/v1/dialogs/{id}/fields", rule: Rule::Any, body: |_, _| json!({"values": {}}) },
    Row {
        method: "put",
        path: "/api/v1/dialogs/{id}/visitor/fields",
        rule: Rule::Any,
        body: |_, _| json!({"values": {}}),
    },
    Row { method: "get", path: "/api/v1/segments", rule: Rule::Any, body: none },
    Row {
        method: "post",
        path: "/api/v1/segments",
        rule: Rule::Admin,
        body: |_, _| json!({"name": format!("С{}", uuid::Uuid::now_v7().simple()), "filter": segment_filter()}),
    },
    Row {
        method: "post",
        path: "/api/v1/segments/preview",
        rule: Rule::Manager,
        body: |_, _| json!({"filter": segment_filter()}),
    },
    Row { method: "get", path: "/api/v1/segments/{id}", rule: Rule::Any, body: none },
    Row { method: "get", path: "/api/v1/segments/{id}/preview", rule: Rule::Manager, body: none },
    Row {
        method: "patch",
        path: "/api/v1/segments/{id}",
        rule: Rule::Admin,
        body: |_, _| json!({"name": format!("С{}", uuid::Uuid::now_v7().simple())}),
    },
    Row { method: "delete", path: "/api/v1/segments/{id}", rule: Rule::Admin, body: none },
    Row { method: "get", path: "/api/v1/api-keys", rule: Rule::Admin, body: none },
    Row {
        method: "post",
        path: "/api/v1/api-keys",
        rule: Rule::Admin,
        body: |_, _| json!({"name": "CRM", "scopes": ["visitors:read"]}),
    },
    Row { method: "delete", path: "/api/v1/api-keys/{id}", rule: Rule::Admin, body: none },
    Row { method: "get", path: "/api/v1/web/users/{user_id}", rule: Rule::Key("visitors:read"), body: none },
    Row {
        method: "put",
        path: "/api/v1/web/users/{user_id}",
        rule: Rule::Key("visitors:write"),
        body: |_, _| json!({"attributes": {"plan": "pro"}}),
    },
    Row {
        method: "post",
        path: "/api/v1/web/users/{user_id}/events",
        rule: Rule::Key("events:write"),
        body: |_, _| json!({"events": [{"name": "matrix"}]}),
    },
    Row {
        method: "post",
        path: "/api/v1/web/users/{user_id}/tags",
        rule: Rule::Key("visitors:write"),
        body: |_, _| json!({"add": ["матрица"]}),
    },
    Row { method: "get", path: "/widget/v1/forms/{id}", rule: Rule::Widget, body: none },
    // Blank answers: refused at the required field, once past authorisation.
    Row { method: "post", path: "/widget/v1/forms/{id}", rule: Rule::Widget, body: |_, _| json!({"answers": {}}) },
    Row {
        method: "get",
        path: "/api/v1/dialogs/{id}/messages/{message_id}/mail",
        rule: Rule::Skip(
            "needs a message made of a mail (the mail servers): mail.rs reads one; its check is the dialog's visibility, as for …/edits",
        ),
        body: none,
    },
    Row {
        method: "post",
        path: "/api/v1/mail/test",
        rule: Rule::Skip(
            "talks to mail servers: crates/server/tests/api/mail.rs checks it as an admin and the role check is the same AdminAuth",
        ),
        body: none,
    },
];

/// A form of one required text field (the department is never mailed: no mail is set up).
fn form_body() -> Value {
    json!({"name": "Рекламация", "fields": [{"key": "name", "label": "Имя", "kind": "text", "required": true}],
        "department_email": "service@mail.test", "subject": "Рекламация", "answer": "Заявка №{number}, до {due}",
        "due_hours": 24})
}

/// Ids of one workspace's resources.
#[derive(Clone, Default)]
struct Ids {
    dialog: String,
    channel: String,
    operator: String,
    tag: String,
    category: String,
    reply: String,
    trigger: String,
    file: String,
    site: String,
    webhook: String,
    /// A delivery of `webhook` (its test send), for `{delivery}`.
    delivery: String,
    /// A Telegram bot of the workspace.
    bot: String,
    /// A message of `dialog`, for `{message_id}`.
    message: String,
    /// An escalation form, the form sent into `dialog`, and a ticket of it.
    form: String,
    request: String,
    ticket: String,
    /// A Web API key of the workspace (revoked by its row last).
    api_key: String,
    /// A complaint about the visitor of `dialog`, and a block of him.
    complaint: String,
    block: String,
    /// A segment (deleted by its row last).
    segment: String,
    /// A custom field.
    field: String,
    /// An invitation.
    invitation: String,
}

fn segment_filter() -> Value {
    json!({"rules": [{"type": "tag", "tag": "vip"}]})
}

/// The fake Bot API the matrix's bots are connected through.
static TELEGRAM: tokio::sync::OnceCell<frontline_testkit::telegram::FakeTelegram> = tokio::sync::OnceCell::const_new();

/// Connects a new bot for `admin`'s workspace (each with a token of its own).
async fn bot(admin: &OperatorClient) -> String {
    static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(700_000);
    let tg = TELEGRAM.get().expect("the fake Bot API");
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let token = format!("{id}:AAE-matrix-token-0123456789abcdef");
    tg.add_bot(&token, id, &format!("matrix_{id}_bot"), "Matrix");
    created(admin.post("/api/v1/telegram/bots", json!({"token": token})).await, "bot").await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

struct Fixture {
    own: Ids,
    other: Ids,
    foreign: Ids,
    own_channel: String,
    spare_dialog: String,
    members: Vec<String>,
    other_members: Vec<String>,
    visitor_dialog: String,
    /// An enabled trigger the widget rows may mark shown (the admin rows delete theirs).
    widget_trigger: String,
    /// A form sent into the widget visitor's own dialog.
    widget_request: String,
}

async fn created(resp: reqwest::Response, what: &str) -> Value {
    let (status, v) = body(resp).await;
    assert!(status == 200 || status == 201, "{what}: {status} {v}");
    v
}

/// The workspace's first channel ("Общий"), where new dialogs are routed.
static GENERAL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// A dialog with a file in `channel`'s queue, from a fresh visitor; the visitor comes back too.
async fn dialog_in(
    app: &TestApp,
    admin: &OperatorClient,
    channel: &str,
    text: &str,
) -> (String, String, VisitorClient) {
    let v = app.visitor().await;
    let upload = created(v.upload("plan.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).await, "upload").await;
    let file = upload["id"].as_str().expect("file").to_owned();
    let sent = v
        .call(
            reqwest::Method::POST,
            "/widget/v1/messages",
            Some(json!({"client_id": "m1", "body": text, "attachments": [file]})),
        )
        .await;
    let d = created(sent, "message").await["dialog_id"].as_str().expect("dialog").to_owned();
    let general_ch = GENERAL.get().expect("general channel").clone();
    if channel != general_ch {
        created(admin.post(&format!("/api/v1/dialogs/{d}/transfer"), json!({"channel_id": channel})).await, "move")
            .await;
    }
    (d, file, v)
}

async fn resources(app: &TestApp, admin: &OperatorClient, channel: &str, victim: &str) -> Ids {
    let (dialog, file, visitor) = dialog_in(app, admin, channel, "Вопрос").await;
    let form =
        created(admin.post("/api/v1/forms", form_body()).await, "form").await["id"].as_str().expect("id").to_owned();
    let request = created(
        admin.post(&format!("/api/v1/dialogs/{dialog}/forms"), json!({"form_id": form})).await,
        "sent",
    )
    .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let filled = visitor
        .call(
            reqwest::Method::POST,
            &format!("/widget/v1/forms/{request}"),
            Some(json!({"answers": {"name": "Ирина"}})),
        )
        .await;
    created(filled, "filled").await;
    let tickets = created(admin.get(&format!("/api/v1/tickets?dialog_id={dialog}")).await, "tickets").await;
    let ticket = tickets["items"][0]["id"].as_str().expect("a ticket").to_owned();
    let (status, page) = body(admin.get(&format!("/api/v1/dialogs/{dialog}/messages")).await).await;
    assert_eq!(status, 200, "{page}");
    let message = page["items"][0]["id"].as_str().expect("a message").to_owned();
    let tag = created(
        admin
            .post("/api/v1/tags", json!({"name": format!("тег{}", &uuid::Uuid::now_v7().simple().to_string()[24..])}))
            .await,
        "tag",
    )
    .await;
    let category = created(
        admin
            .post(
                "/api/v1/categories",
                json!({"name": format!("кат{}", &uuid::Uuid::now_v7().simple().to_string()[24..])}),
            )
            .await,
        "category",
    )
    .await;
    let reply = created(
        admin
            .post("/api/v1/saved-replies", json!({"scope": "workspace", "title": "Общий", "body": "Здравствуйте!"}))
            .await,
        "reply",
    )
    .await;
    let trigger = created(
        admin
            .post("/api/v1/triggers", json!({"name": "Т", "message": "Подсказать?", "time_on_site_seconds": 30}))
            .await,
        "trigger",
    )
    .await;
    let sites: Value = admin.get("/api/v1/sites").await.json().await.expect("sites");
    let site = sites["items"][0]["id"].as_str().expect("the workspace's site").to_owned();
    let (webhook, delivery) = webhook_with_delivery(admin).await;
    let key =
        created(admin.post("/api/v1/api-keys", json!({"name": "Матрица", "scopes": ["visitors:read"]})).await, "key")
            .await;
    let complaint = created(
        admin.post(&format!("/api/v1/dialogs/{dialog}/complaints"), json!({"reason": "spam"})).await,
        "complaint",
    )
    .await;
    let block =
        created(admin.post(&format!("/api/v1/dialogs/{dialog}/block"), json!({"reason": "spam"})).await, "block").await;
    let segment = created(
        admin
            .post(
                "/api/v1/segments",
                json!({"name": format!("Матрица {}", uuid::Uuid::now_v7().simple()), "filter": segment_filter()}),
            )
            .await,
        "segment",
    )
    .await;
    let field = created(
        admin
            .post(
                "/api/v1/fields",
                json!({"key": format!("m{}", &uuid::Uuid::now_v7().simple().to_string()[20..]), "label": "Матрица",
                       "target": "dialog", "kind": "text"}),
            )
            .await,
        "field",
    )
    .await;
    let invitation = created(
        admin
            .post(
                "/api/v1/invitations",
                json!({"email": format!("m{}@example.com", &uuid::Uuid::now_v7().simple().to_string()[20..]),
                       "display_name": "Матрица", "role": "operator"}),
            )
            .await,
        "invitation",
    )
    .await;
    Ids {
        invitation: invitation["invitation"]["id"].as_str().expect("id").to_owned(),
        field: field["id"].as_str().expect("id").to_owned(),
        segment: segment["id"].as_str().expect("id").to_owned(),
        complaint: complaint["id"].as_str().expect("id").to_owned(),
        block: block["id"].as_str().expect("id").to_owned(),
        api_key: key["key"]["id"].as_str().expect("id").to_owned(),
        bot: bot(admin).await,
        message,
        webhook,
        delivery,
        site,
        dialog,
        channel: channel.to_owned(),
        operator: victim.to_owned(),
        tag: tag["id"].as_str().expect("id").to_owned(),
        category: category["id"].as_str().expect("id").to_owned(),
        reply: reply["id"].as_str().expect("id").to_owned(),
        trigger: trigger["id"].as_str().expect("id").to_owned(),
        file,
        form,
        request,
        ticket,
    }
}

/// A webhook endpoint (to a closed port) and its test delivery.
async fn webhook_with_delivery(admin: &OperatorClient) -> (String, String) {
    let hook = created(
        admin.post("/api/v1/webhooks", json!({"url": "http://127.0.0.1:9/hook", "events": ["message.created"]})).await,
        "webhook",
    )
    .await;
    let id = hook["endpoint"]["id"].as_str().expect("id").to_owned();
    let (status, test) = body(admin.post(&format!("/api/v1/webhooks/{id}/test"), json!({})).await).await;
    assert_eq!(status, 202, "test send: {test}");
    (id, test["delivery"]["id"].as_str().expect("delivery").to_owned())
}

/// The id a path's `{id}` takes for a scope.
fn id_for(path: &str, ids: &Ids) -> String {
    let kind = path.split('/').rev().skip_while(|s| *s != "{id}").nth(1).unwrap_or_default();
    match kind {
        "dialogs" => ids.dialog.clone(),
        "channels" => ids.channel.clone(),
        "operators" => ids.operator.clone(),
        "tags" => ids.tag.clone(),
        "categories" => ids.category.clone(),
        "saved-replies" => ids.reply.clone(),
        "triggers" => ids.trigger.clone(),
        "attachments" => ids.file.clone(),
        "sites" => ids.site.clone(),
        "webhooks" => ids.webhook.clone(),
        "bots" => ids.bot.clone(),
        "forms" => ids.form.clone(),
        "form-requests" => ids.request.clone(),
        "tickets" => ids.ticket.clone(),
        "api-keys" => ids.api_key.clone(),
        "complaints" => ids.complaint.clone(),
        "blocks" => ids.block.clone(),
        "segments" => ids.segment.clone(),
        "fields" => ids.field.clone(),
        "invitations" => ids.invitation.clone(),
        other => panic!("no fixture for {{id}} of {other:?} ({path})"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Admin,
    Supervisor,
    Operator,
    Nobody,
}

fn expected(rule: Rule, role: Role, scope: Scope, has_id: bool) -> Expect {
    if rule == Rule::Public {
        // Sign-in answers 401 for a wrong password: it is the answer, not a refusal to call.
        return Expect::Unauthenticated;
    }
    if role == Role::Nobody {
        return Expect::Unauthenticated;
    }
    let lead = matches!(role, Role::Admin | Role::Supervisor);
    let may = match rule {
        Rule::Any => true,
        Rule::ManagerOnTarget if scope == Scope::Foreign => return Expect::Hidden,
        Rule::ManagerOnTarget => lead,
        Rule::Manager => lead,
        Rule::Admin => role == Role::Admin,
        Rule::Public | Rule::Widget | Rule::Key(_) | Rule::Skip(_) => true,
    };
    if !may {
        return Expect::Forbidden;
    }
    if !has_id {
        return Expect::Passes;
    }
    match scope {
        Scope::Own => Expect::Passes,
        Scope::Foreign => Expect::Hidden,
        // Only dialogs (and their files) belong to a channel an operator may not see.
        Scope::Other => Expect::Passes,
    }
}

/// Whether a path's target is hidden from an operator outside its channel.
fn channel_bound(path: &str) -> bool {
    ["/api/v1/dialogs/{id}", "/api/v1/attachments/", "/api/v1/tickets/", "/api/v1/form-requests/"]
        .iter()
        .any(|p| path.starts_with(p))
}

fn classify(status: u16) -> Expect {
    match status {
        401 => Expect::Unauthenticated,
        403 => Expect::Forbidden,
        404 => Expect::Hidden,
        _ => Expect::Passes,
    }
}

async fn call(
    http: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: &Value,
) -> (u16, String) {
    let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
    let mut req = http.request(m, format!("{base}{path}"));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if path.ends_with("/uploads") {
        req = req.query(&[("name", "a.txt")]).body("plain words");
    } else if path.starts_with("/api/v1/search") {
        req = req.query(&[("q", "вопрос")]);
    } else if ["/api/v1/reports", "/api/v1/reports/export", "/api/v1/reports/dialogs"].contains(&path) {
        req = req.query(&[("from", "2026-12-01"), ("to", "2026-12-06")]);
    } else if !body.is_null() {
        req = req.json(body);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

#[tokio::test]
async fn every_operation_answers_every_role_as_documented() {
    let limits = frontline_core::limits::RateLimits {
        widget_messages: frontline_core::limits::Rate::per_minute(1000),
        widget_dialogs: frontline_core::limits::Rate::per_minute(1000),
        widget_uploads: frontline_core::limits::Rate::per_minute(1000),
        ..Default::default()
    };
    let tg = TELEGRAM.get_or_init(frontline_testkit::telegram::FakeTelegram::start).await;
    let app = TestApp::spawn_with(frontline_testkit::Options {
        limits: Some(limits),
        telegram_api: Some(tg.url.clone()),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;

    // Every operation of the document has a row, and every row an operation.
    let doc: Value = reqwest::get(app.url("/api/openapi.json")).await.expect("doc").json().await.expect("json");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                documented.insert((method.to_owned(), path.clone()));
            }
        }
    }
    let rows: BTreeSet<(String, String)> = ROWS.iter().map(|r| (r.method.to_owned(), r.path.to_owned())).collect();
    let missing: Vec<_> = documented.difference(&rows).collect();
    let extra: Vec<_> = rows.difference(&documented).collect();
    assert!(missing.is_empty(), "operations without a row in the authorisation matrix: {missing:?}");
    assert!(extra.is_empty(), "rows for operations the document does not have: {extra:?}");

    // Workspace A: the general channel (the operator's), another channel, a supervisor, an
    // operator, a victim for the admin's operator actions; workspace B with its own admin.
    let own_channel = general(&admin).await;
    GENERAL.get_or_init(|| own_channel.clone());
    let other_channel = created(admin.post("/api/v1/channels", json!({"name": "Другой"})).await, "channel").await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // The admin answers there, so dialogs can be moved in.
    created(
        admin.put(&format!("/api/v1/channels/{other_channel}/members"), json!({"operator_ids": [admin.id()]})).await,
        "members",
    )
    .await;
    admin.presence("online").await;
    let sup = {
        let s = app.operator(&admin, "sup@example.org", "Света", &[]).await;
        created(admin.put(&format!("/api/v1/operators/{}/role", s.id()), json!({"role": "supervisor"})).await, "role")
            .await;
        s
    };
    let op = app.operator(&admin, "op@example.org", "Олег", &[&own_channel]).await;
    let victim = app.operator(&admin, "victim@example.org", "Виктор", &[&own_channel]).await;
    let members = vec![admin.id(), op.id(), victim.id(), sup.id()];
    let own = resources(&app, &admin, &own_channel, &victim.id()).await;
    let other = Ids { channel: other_channel.clone(), ..resources(&app, &admin, &other_channel, &victim.id()).await };
    let boris = crate::support::other_workspace_admin(&app).await;
    let foreign_channel = boris.get("/api/v1/channels").await.json::<Value>().await.expect("json")["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let b_op = created(
        boris.post("/api/v1/operators", json!({"email": "b-op@example.org", "display_name": "Бета", "password": "b-op-password", "role": "operator"})).await,
        "operator B",
    )
    .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // B has no widget site of its own here: its dialog and file are made in its store directly
    // by the contract fixture helpers would be heavier; a foreign dialog id is any id A cannot
    // see, so A's ids under B's names stand in for the kinds B lacks.
    let foreign = Ids {
        site: uuid::Uuid::now_v7().to_string(),
        dialog: uuid::Uuid::now_v7().to_string(),
        channel: foreign_channel,
        operator: b_op,
        tag: created(boris.post("/api/v1/tags", json!({"name": "чужой"})).await, "tag B").await["id"]
            .as_str()
            .expect("id")
            .to_owned(),
        category: created(boris.post("/api/v1/categories", json!({"name": "чужая"})).await, "category B").await["id"]
            .as_str()
            .expect("id")
            .to_owned(),
        reply: created(
            boris.post("/api/v1/saved-replies", json!({"scope": "workspace", "title": "Чужой", "body": "Текст"})).await,
            "reply B",
        )
        .await["id"]
            .as_str()
            .expect("id")
            .to_owned(),
        trigger: created(
            boris
                .post("/api/v1/triggers", json!({"name": "Чужой", "message": "Текст", "time_on_site_seconds": 30}))
                .await,
            "trigger B",
        )
        .await["id"]
            .as_str()
            .expect("id")
            .to_owned(),
        file: uuid::Uuid::now_v7().to_string(),
        webhook: String::new(),
        delivery: String::new(),
        bot: bot(&boris).await,
        message: uuid::Uuid::now_v7().to_string(),
        form: created(boris.post("/api/v1/forms", form_body()).await, "form B").await["id"]
            .as_str()
            .expect("id")
            .to_owned(),
        request: uuid::Uuid::now_v7().to_string(),
        ticket: uuid::Uuid::now_v7().to_string(),
        complaint: uuid::Uuid::now_v7().to_string(),
        block: uuid::Uuid::now_v7().to_string(),
        invitation: created(
            boris
                .post(
                    "/api/v1/invitations",
                    json!({"email": "b-invite@example.com", "display_name": "B", "role": "operator"}),
                )
                .await,
            "invitation B",
        )
        .await["invitation"]["id"]
            .as_str()
            .expect("id")
            .to_owned(),
        field: created(
            boris
                .post("/api/v1/fields", json!({"key": "b_field", "label": "B", "target": "dialog", "kind": "text"}))
                .await,
            "field B",
        )
        .await["id"]
            .as_str()
            .expect("id")
            .to_owned(),
        segment: created(
            boris.post("/api/v1/segments", json!({"name": "B", "filter": segment_filter()})).await,
            "segment B",
        )
        .await["id"]
            .as_str()
            .expect("id")
            .to_owned(),
        api_key: created(
            boris.post("/api/v1/api-keys", json!({"name": "B", "scopes": ["visitors:read"]})).await,
            "key B",
        )
        .await["key"]["id"]
            .as_str()
            .expect("id")
            .to_owned(),
    };
    let (webhook, delivery) = webhook_with_delivery(&boris).await;
    let foreign = Ids { webhook, delivery, ..foreign };
    let (spare_dialog, _, _) = dialog_in(&app, &admin, &own_channel, "Ещё вопрос").await;
    let (visitor_dialog, _, visitor) = dialog_in(&app, &admin, &own_channel, "Вопрос посетителя").await;
    let other_members = vec![admin.id()];
    let widget_trigger = created(
        admin
            .post(
                "/api/v1/triggers",
                json!({"name": "Виджет", "message": "Подсказать?", "time_on_site_seconds": 30, "enabled": true}),
            )
            .await,
        "widget trigger",
    )
    .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let widget_request = created(
        admin.post(&format!("/api/v1/dialogs/{visitor_dialog}/forms"), json!({"form_id": own.form})).await,
        "widget form",
    )
    .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let f = Fixture {
        widget_request,
        own,
        other,
        foreign,
        own_channel,
        spare_dialog,
        members,
        other_members,
        visitor_dialog,
        widget_trigger,
    };

    // Keys for the Web API rows: one with every scope, and one for each single scope.
    let mut keys = std::collections::HashMap::new();
    for scopes in [
        vec!["visitors:read", "visitors:write", "events:write"],
        vec!["visitors:read"],
        vec!["visitors:write"],
        vec!["events:write"],
    ] {
        let made =
            created(admin.post("/api/v1/api-keys", json!({"name": "Ключ", "scopes": scopes})).await, "key").await;
        keys.insert(scopes.join(" "), made["secret"].as_str().expect("secret").to_owned());
    }

    let http = reqwest::Client::new();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for row in ROWS {
        match row.rule {
            Rule::Skip(_) => continue,
            Rule::Key(scope) => {
                let path = row.path.replace("{user_id}", "matrix-user");
                let b = (row.body)(&f, Scope::Own);
                let m = reqwest::Method::from_bytes(row.method.to_uppercase().as_bytes()).expect("method");
                let send = |key: Option<&str>, cookie: Option<&str>| {
                    let mut req = http.request(m.clone(), format!("{}{path}", app.base));
                    if let Some(k) = key {
                        req = req.bearer_auth(k);
                    }
                    if let Some(c) = cookie {
                        req = req.header("cookie", c);
                    }
                    if !b.is_null() {
                        req = req.json(&b);
                    }
                    req.send()
                };
                let all = &keys["visitors:read visitors:write events:write"];
                for (who, key, cookie, want) in [
                    ("without a key", None, None, Expect::Unauthenticated),
                    ("with an admin's session", None, Some(admin.cookie.as_str()), Expect::Unauthenticated),
                    ("with a key of every scope", Some(all.as_str()), None, Expect::Passes),
                    ("with a key of that scope", Some(keys[scope].as_str()), None, Expect::Passes),
                ] {
                    let resp = send(key, cookie).await.expect("request");
                    let status = resp.status().as_u16();
                    checked += 1;
                    // A read of a user no write has made yet is 404: past authorisation.
                    let got = if status == 404 && row.method == "get" { Expect::Passes } else { classify(status) };
                    if got != want {
                        wrong.push(format!(
                            "{} {} {who}: {status} {}",
                            row.method,
                            row.path,
                            resp.text().await.unwrap_or_default()
                        ));
                    }
                }
                for (other, key) in keys.iter().filter(|(s, _)| !s.contains(' ') && *s != scope) {
                    let resp = send(Some(key), None).await.expect("request");
                    let status = resp.status().as_u16();
                    checked += 1;
                    if status != 403 {
                        wrong.push(format!("{} {} with a key of {other} only: {status}", row.method, row.path));
                    }
                }
            }
            Rule::Widget => {
                // Without a token: 401; with the visitor's: past authorisation; another
                // workspace's file or trigger: 404.
                let b = (row.body)(&f, Scope::Own);
                let path_own = row.path.replace(
                    "{id}",
                    &match row.path {
                        p if p.contains("attachments") => dialog_file(&app, &visitor).await,
                        p if p.contains("/forms/") => f.widget_request.clone(),
                        _ => f.widget_trigger.clone(),
                    },
                );
                let (status, text) = call(&http, &app.base, row.method, &path_own, None, &b).await;
                checked += 1;
                if status != 401 {
                    wrong.push(format!("{} {} without a token: {status} {text}", row.method, row.path));
                }
                let (status, text) = widget_call(&visitor, row.method, &path_own, &b).await;
                checked += 1;
                if classify(status) != Expect::Passes {
                    wrong.push(format!("{} {} as the visitor: {status} {text}", row.method, row.path));
                }
                if row.path.contains("{id}") {
                    let path_foreign = row.path.replace(
                        "{id}",
                        if row.path.contains("attachments") { &f.own.file } else { &f.foreign.trigger },
                    );
                    let (status, text) = widget_call(&visitor, row.method, &path_foreign, &b).await;
                    checked += 1;
                    if status != 404 {
                        wrong.push(format!("{} {} for what he may not see: {status} {text}", row.method, row.path));
                    }
                }
            }
            rule => {
                let has_id = row.path.contains("{id}");
                let scopes: &[Scope] = if has_id { &[Scope::Own, Scope::Other, Scope::Foreign] } else { &[Scope::Own] };
                for &scope in scopes {
                    let ids = match scope {
                        Scope::Own => &f.own,
                        Scope::Other => &f.other,
                        Scope::Foreign => &f.foreign,
                    };
                    let path = if has_id {
                        row.path
                            .replace("{id}", &id_for(row.path, ids))
                            .replace("{delivery}", &ids.delivery)
                            .replace("{message_id}", &ids.message)
                    } else {
                        row.path.to_owned()
                    };
                    for (role, client) in [
                        (Role::Operator, Some(&op)),
                        (Role::Supervisor, Some(&sup)),
                        (Role::Admin, Some(&admin)),
                        (Role::Nobody, None),
                    ] {
                        let mut want = expected(rule, role, scope, has_id);
                        if role == Role::Operator
                            && scope == Scope::Other
                            && channel_bound(row.path)
                            && want == Expect::Passes
                        {
                            want = Expect::Hidden;
                        }
                        // Deleting is once: the later callers meet what the first one deleted.
                        let b = (row.body)(&f, scope);
                        let (status, text) =
                            call(&http, &app.base, row.method, &path, client.map(|c| c.cookie.as_str()), &b).await;
                        checked += 1;
                        let got = classify(status);
                        let deleted_already = row.method == "delete" && got == Expect::Hidden && want == Expect::Passes;
                        if got != want && !deleted_already {
                            wrong.push(format!(
                                "{} {} as {role:?} on {scope:?}: want {want:?}, got {status} {text}",
                                row.method, row.path
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {checked} answers are not as documented:\n{}", wrong.len(), wrong.join("\n"));
    app.stop().await;
}

/// A file of the visitor's own dialog.
async fn dialog_file(_app: &TestApp, visitor: &VisitorClient) -> String {
    let history = visitor.history().await;
    history
        .iter()
        .find_map(|m| {
            m["attachments"].as_array().and_then(|a| a.first()).and_then(|a| a["id"].as_str()).map(str::to_owned)
        })
        .expect("a file in his dialog")
}

async fn widget_call(v: &VisitorClient, method: &str, path: &str, body: &Value) -> (u16, String) {
    let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
    let resp = if path.ends_with("/uploads") {
        v.upload("a.txt", b"plain words".to_vec()).await
    } else {
        v.call(m, path, (!body.is_null()).then(|| body.clone())).await
    };
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}
