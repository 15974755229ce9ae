//! `/api/v1/mail`: the workspace's mail setup and its test (admins).

use crate::error::{ApiErrorBody, ApiResult};
use crate::extract::{AdminAuth, JsonBody};
use crate::state::HttpState;
use axum::Json;
use axum::extract::State;
use frontline_core::mail::settings::{self, MailSettingsInput, MailSettingsView, MailTestView};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct MailSettingsAnswer {
    /// `null` until an admin sets mail up.
    pub settings: Option<MailSettingsView>,
}

/// The mail setup (never its passwords).
#[utoipa::path(get, path = "/api/v1/mail/settings", tag = "admin", operation_id = "get_mail_settings",
    responses((status = 200, body = MailSettingsAnswer), (status = 403, body = ApiErrorBody)))]
pub async fn get(State(s): State<HttpState>, AdminAuth(admin): AdminAuth) -> ApiResult<Json<MailSettingsAnswer>> {
    Ok(Json(MailSettingsAnswer { settings: settings::get(&s.app, &admin.admin()?).await? }))
}

/// Writes the mail setup whole: the support address, the SMTP server mail goes out through,
/// the IMAP mailbox mail to the support address is read from, the channel it opens dialogs in.
/// A password left out stays as it was; an empty one is removed. Nothing is tried here: use
/// the test.
#[utoipa::path(put, path = "/api/v1/mail/settings", tag = "admin", operation_id = "put_mail_settings", request_body = MailSettingsInput,
    responses((status = 200, body = MailSettingsView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, description = "`channel_id` names no channel of the workspace.", body = ApiErrorBody)))]
pub async fn put(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    JsonBody(req): JsonBody<MailSettingsInput>,
) -> ApiResult<Json<MailSettingsView>> {
    Ok(Json(settings::put(&s.app, &admin.admin()?, &req).await?))
}

/// Sends a test mail from the support address to itself and reads the mailbox until it
/// arrives (at most 20 s); each leg says whether it worked and, if not, what the server said.
#[utoipa::path(post, path = "/api/v1/mail/test", tag = "admin", operation_id = "test_mail",
    responses((status = 200, body = MailTestView), (status = 400, description = "Mail is not set up yet.", body = ApiErrorBody),
        (status = 403, body = ApiErrorBody)))]
pub async fn test(State(s): State<HttpState>, AdminAuth(admin): AdminAuth) -> ApiResult<Json<MailTestView>> {
    Ok(Json(settings::test(&s.app, &admin.admin()?).await?))
}
