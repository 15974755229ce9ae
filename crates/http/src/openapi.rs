//! The OpenAPI document served at `/api/openapi.json`, generated from the handlers and wire
//! types themselves, so it cannot drift from the code.

use crate::error::{ApiErrorBody, ErrorCode};
use crate::{automation, channels, console, queue, tools, widget};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "Frontline API", description = "Console, admin and widget API of Frontline. Errors: `ApiErrorBody` with a stable `code` (see `ErrorCode`). Real-time protocol: docs/protocol.md (WebSockets at /api/v1/ws and /widget/v1/ws)."),
    paths(
        console::login, console::logout, console::me, console::list_dialogs, console::get_dialog,
        console::list_messages, console::send_message, console::mark_read, console::close_dialog,
        console::list_operators, console::create_operator, console::list_sites,
        channels::list_channels, channels::create_channel, channels::update_channel, channels::list_members, channels::set_members,
        queue::counts, queue::accept, queue::assign, queue::transfer, queue::set_presence, queue::update_operator,
        queue::list_rules, queue::replace_rules,
        widget::open_session, widget::list_messages, widget::send_message, widget::update_visitor,
        tools::upload, tools::widget_upload, tools::attachment, tools::widget_attachment,
        tools::list_tags, tools::create_tag, tools::update_tag, tools::list_categories, tools::create_category,
        tools::update_category, tools::set_tags, tools::set_category, tools::snooze, tools::unsnooze, tools::reopen,
        tools::close_many, tools::list_replies, tools::create_reply, tools::update_reply, tools::delete_reply,
        tools::visitor_card, tools::update_visitor_card, tools::search, tools::widget_read, tools::widget_rate,
        automation::get_automation, automation::put_automation, automation::list_triggers, automation::create_trigger,
        automation::update_trigger, automation::delete_trigger, widget::trigger_shown, widget::offline_request, widget::availability,
    ),
    components(schemas(ApiErrorBody, ErrorCode)),
    modifiers(&Security),
    tags((name = "console", description = "Operators (session cookie)"), (name = "admin", description = "Workspace administration"),
        (name = "widget", description = "The public widget API (site key, then visitor token)")),
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::extract::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "visitor_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_else(|_| "{}".into())
}
