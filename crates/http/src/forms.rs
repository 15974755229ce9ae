//! Escalation forms and tickets: `/api/v1/forms` (admins write, everyone lists), a form sent
//! into a dialog, `/api/v1/tickets`, and the widget's `/widget/v1/forms/{id}` card.

use crate::console::dialog_id;
use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, JsonBody, OperatorAuth, QueryParams, WidgetAuth};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::forms::{
    self, FormInput, FormRequestView, FormView, SubmittedView, TicketDetailView, TicketQuery, TicketView,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

fn id_of(raw: &str, what: &'static str) -> ApiResult<uuid::Uuid> {
    raw.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, format!("No such {what}.")))
}

#[derive(Serialize, ToSchema)]
pub struct FormList {
    pub items: Vec<FormView>,
}

/// The workspace's forms: every one for admins, the enabled ones for the others (to send).
#[utoipa::path(get, path = "/api/v1/forms", tag = "console", operation_id = "list_forms",
    responses((status = 200, body = FormList), (status = 401, body = ApiErrorBody)))]
pub async fn list(State(s): State<HttpState>, OperatorAuth(actor): OperatorAuth) -> ApiResult<Json<FormList>> {
    Ok(Json(FormList { items: forms::list(&s.app, &actor).await? }))
}

/// Makes a form (at most 50 per workspace); a bad value is named (`fields[1].pattern`).
#[utoipa::path(post, path = "/api/v1/forms", tag = "admin", operation_id = "create_form", request_body = FormInput,
    responses((status = 201, body = FormView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn create(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    JsonBody(req): JsonBody<FormInput>,
) -> ApiResult<(StatusCode, Json<FormView>)> {
    Ok((StatusCode::CREATED, Json(forms::save(&s.app, &admin.admin()?, None, &req).await?)))
}

/// Writes a form whole (`enabled: false` stops it being sent; what was sent stays as it was).
#[utoipa::path(put, path = "/api/v1/forms/{id}", tag = "admin", operation_id = "update_form", request_body = FormInput,
    params(("id" = Uuid, Path, description = "form id")),
    responses((status = 200, body = FormView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn update(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<FormInput>,
) -> ApiResult<Json<FormView>> {
    let id = id_of(&id, "form")?;
    Ok(Json(forms::save(&s.app, &admin.admin()?, Some(id), &req).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct SendFormRequest {
    /// An enabled form of the workspace (else `404`).
    #[schema(value_type = crate::wire::Id)]
    pub form_id: uuid::Uuid,
}

/// Sends a form into a website visitor's open dialog: his widget shows it as a card to fill.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/forms", tag = "console", request_body = SendFormRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 201, body = FormRequestView), (status = 400, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn send(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SendFormRequest>,
) -> ApiResult<(StatusCode, Json<FormRequestView>)> {
    let sent = forms::send(&s.app, &actor, dialog_id(&id)?, req.form_id).await?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// A form sent into a dialog the operator sees, with the answers once filled.
#[utoipa::path(get, path = "/api/v1/form-requests/{id}", tag = "console",
    params(("id" = Uuid, Path, description = "form request id (a `form_sent` line's `request`)")),
    responses((status = 200, body = FormRequestView), (status = 404, body = ApiErrorBody)))]
pub async fn request(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<FormRequestView>> {
    Ok(Json(forms::request_for_operator(&s.app, &actor, id_of(&id, "form request")?).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketListQuery {
    /// `open`, `answered` or `closed`.
    #[param(pattern = "^(open|answered|closed)$")]
    pub status: Option<String>,
    /// Only those past their due time and not closed.
    pub overdue: Option<bool>,
    #[param(value_type = Option<crate::wire::Id>)]
    pub dialog_id: Option<uuid::Uuid>,
    #[param(value_type = Option<crate::wire::Id>)]
    pub visitor_id: Option<uuid::Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct TicketList {
    pub items: Vec<TicketView>,
}

/// Tickets of the dialogs the operator sees, newest first (at most 200).
#[utoipa::path(get, path = "/api/v1/tickets", tag = "console", params(TicketListQuery),
    responses((status = 200, body = TicketList), (status = 400, body = ApiErrorBody)))]
pub async fn tickets(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    QueryParams(q): QueryParams<TicketListQuery>,
) -> ApiResult<Json<TicketList>> {
    let query = TicketQuery {
        status: q.status,
        overdue: q.overdue.unwrap_or(false),
        dialog: q.dialog_id.map(frontline_domain::DialogId),
        visitor: q.visitor_id.map(frontline_domain::VisitorId),
    };
    Ok(Json(TicketList { items: forms::tickets(&s.app, &actor, &query).await? }))
}

/// A ticket with what went and came by mail.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "console", params(("id" = Uuid, Path, description = "ticket id")),
    responses((status = 200, body = TicketDetailView), (status = 404, body = ApiErrorBody)))]
pub async fn ticket(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<TicketDetailView>> {
    Ok(Json(forms::ticket(&s.app, &actor, id_of(&id, "ticket")?).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct TicketPatch {
    /// `open`, `answered` or `closed`.
    #[schema(pattern = "^(open|answered|closed)$")]
    pub status: String,
}

/// Sets a ticket's status.
#[utoipa::path(patch, path = "/api/v1/tickets/{id}", tag = "console", request_body = TicketPatch,
    params(("id" = Uuid, Path, description = "ticket id")),
    responses((status = 200, body = TicketView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn set_status(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<TicketPatch>,
) -> ApiResult<Json<TicketView>> {
    Ok(Json(forms::set_status(&s.app, &actor, id_of(&id, "ticket")?, &req.status).await?))
}

/// A form sent into one of the visitor's dialogs: the card to fill.
#[utoipa::path(get, path = "/widget/v1/forms/{id}", tag = "widget",
    params(("id" = Uuid, Path, description = "form request id (a `form_sent` line's `request`)")),
    responses((status = 200, body = FormRequestView), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn widget_form(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<FormRequestView>> {
    Ok(Json(forms::request_for_visitor(&s.app, &actor, id_of(&id, "form request")?).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct FormAnswers {
    /// `{key: value}` for the form's fields (at most 40, each at most 2000 characters); a
    /// refused one is named `answers.<key>`.
    #[schema(value_type = BTreeMap<String, String>)]
    pub answers: BTreeMap<String, String>,
}

/// Sends the filled form (once): the department gets it by mail, two linked tickets are made,
/// and the visitor is told the form's answer with the due time.
#[utoipa::path(post, path = "/widget/v1/forms/{id}", tag = "widget", request_body = FormAnswers,
    params(("id" = Uuid, Path, description = "form request id")),
    responses((status = 200, body = SubmittedView), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn widget_submit(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<FormAnswers>,
) -> ApiResult<Json<SubmittedView>> {
    Ok(Json(forms::submit(&s.app, &actor, id_of(&id, "form request")?, &req.answers).await?))
}
