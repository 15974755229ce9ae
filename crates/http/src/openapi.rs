//! The OpenAPI document served at `/api/openapi.json`, generated from the handlers and wire
//! types themselves, so it cannot drift from the code.

use crate::error::{ApiErrorBody, ErrorCode};
use crate::wire::Limits;
use crate::{
    automation, channels, console, fields, forms, invitations, mail, moderation, operators, owner, queue, segments,
    supervision, telegram, tools, webapi, webhooks, widget,
};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "Frontline API", description = "Console, admin and widget API of Frontline. Errors: `ApiErrorBody` with a stable `code` (see `ErrorCode`). Real-time protocol: docs/protocol.md (WebSockets at /api/v1/ws and /widget/v1/ws)."),
    paths(
        console::login, console::logout, console::me, console::list_dialogs, console::get_dialog,
        console::list_messages, console::message_edits, console::message_mail, console::send_message, console::mark_read, console::close_dialog,
        console::list_operators, console::create_operator, console::list_sites, console::update_site, console::update_me,
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
        operators::deactivate, operators::reactivate, operators::set_role, operators::reset_password,
        operators::change_password, operators::list_sessions, operators::end_session, operators::end_other_sessions,
        operators::audit_log,
        telegram::list, telegram::connect, telegram::update, telegram::delete,
        mail::get, mail::put, mail::test,
        forms::list, forms::create, forms::update, forms::send, forms::request, forms::tickets, forms::ticket,
        forms::set_status, forms::widget_form, forms::widget_submit,
        supervision::get_guard, supervision::put_guard, supervision::check_draft, supervision::report,
        supervision::export, supervision::export_dialogs, supervision::get_settings, supervision::put_settings, supervision::board,
        webhooks::list, webhooks::catalogue, webhooks::create, webhooks::update, webhooks::delete, webhooks::secret,
        webhooks::rotate, webhooks::test, webhooks::deliveries, webhooks::delivery, webhooks::replay,
        webapi::list_keys, webapi::create_key, webapi::revoke_key, webapi::put_user, webapi::get_user, webapi::track,
        webapi::tag_user, webapi::tag_visitor, webapi::get_identity, webapi::put_identity,
        widget::set_attributes, widget::track,
        moderation::file, moderation::complaints, moderation::decide, moderation::block, moderation::blocks,
        moderation::lift,
        segments::list, segments::create, segments::get, segments::update, segments::delete, segments::preview,
        segments::preview_saved,
        invitations::list, invitations::create, invitations::revoke, invitations::preview, invitations::accept,
        owner::list, owner::create, owner::rename, owner::suspend, owner::resume,
        fields::list, fields::create, fields::update, fields::set_dialog, fields::set_visitor,
    ),
    components(schemas(ApiErrorBody, ErrorCode, console::StatusParam, console::SortParam)),
    modifiers(&Security, &Refusals, &Limits),
    tags((name = "console", description = "Operators (session cookie)"), (name = "admin", description = "Workspace administration"),
        (name = "widget", description = "The public widget API (site key, then visitor token)"),
        (name = "web", description = "The Web API for a site's backend (a secret API key in `Authorization: Bearer`)"),
        (name = "owner", description = "The install owner's API (`owner_token` in `Authorization: Bearer`; off without one)")),
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
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("flk_…").build()),
        );
        components.add_security_scheme(
            "owner_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "visitor_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// What every operation may answer besides its own documented answers, so a generated client
/// knows every status the server sends: the refusals that come from shared layers (sign-in,
/// origin, body parsing, the store), each with the one error body; plus the security each
/// operation takes and the binary body of uploads.
struct Refusals;

impl utoipa::Modify for Refusals {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::Operation;
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        use utoipa::openapi::security::SecurityRequirement;
        use utoipa::openapi::{Content, Ref, ResponseBuilder};

        let error = |what: &str| {
            ResponseBuilder::new()
                .description(what)
                .content("application/json", Content::new(Some(Ref::from_schema_name("ApiErrorBody"))))
                .build()
        };
        for (path, item) in doc.paths.paths.iter_mut() {
            let console = path.starts_with("/api/v1/");
            let public = matches!(
                path.as_str(),
                "/api/v1/auth/login"
                    | "/widget/v1/session"
                    | "/api/v1/invitations/preview"
                    | "/api/v1/invitations/accept"
            );
            let has_id = path.contains('{');
            let ops: [(&str, &mut Option<Operation>); 5] = [
                ("get", &mut item.get),
                ("post", &mut item.post),
                ("put", &mut item.put),
                ("patch", &mut item.patch),
                ("delete", &mut item.delete),
            ];
            for (method, op) in ops {
                let Some(op) = op.as_mut() else { continue };
                if !public && op.security.is_none() {
                    let scheme = if console { "session_cookie" } else { "visitor_token" };
                    op.security = Some(vec![SecurityRequirement::new(scheme, Vec::<String>::new())]);
                }
                let has_body = op.request_body.is_some();
                let mut add = |code: &str, what: &str| {
                    op.responses.responses.entry(code.to_owned()).or_insert_with(|| error(what).into());
                };
                add("400", "A parameter or the body is not valid (`validation_failed`, `bad_json`), naming the field.");
                if !public {
                    add("401", "Not signed in, or the session or visitor token ended (`unauthenticated`).");
                }
                add(
                    "403",
                    "The role does not allow it (`forbidden`), or the page's origin is not allowed (`origin_not_allowed`).",
                );
                if has_id {
                    add("404", "No such resource, or not one the caller may see.");
                }
                if has_body {
                    add("413", "The body is over its size limit (`payload_too_large`, `file_too_large`).");
                    add("415", "The body is not of the accepted type (`unsupported_media_type`, `file_type_refused`).");
                }
                add("503", "The store is unavailable for a moment (`unavailable`); retry.");
                let limited = matches!(
                    (path.as_str(), method),
                    ("/api/v1/auth/login", "post")
                        | ("/widget/v1/session", "post")
                        | ("/widget/v1/messages", "post")
                        | ("/widget/v1/uploads", "post")
                        | ("/widget/v1/offline", "post")
                );
                if limited {
                    add(
                        "429",
                        "A rate limit refused it (`rate_limited`, `details.limit` and `retry_after`, `Retry-After`).",
                    );
                }
                if path.ends_with("/uploads") && method == "post" {
                    let binary = ObjectBuilder::new()
                        .schema_type(Type::String)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                        // An empty file is refused (`400`).
                        .min_length(Some(1));
                    if let Some(body) = op.request_body.as_mut() {
                        let content = Content::new(Some(binary.build()));
                        if let utoipa::openapi::RefOr::T(b) = body {
                            b.content.clear();
                            b.content.insert("application/octet-stream".into(), content.into());
                        }
                    }
                }
            }
        }
    }
}

pub fn json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_else(|_| "{}".into())
}
