//! Custom fields: admins define them; operators set a dialog's and a visitor's values.

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, JsonBody, OperatorAuth};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::fields::{self, FieldInput, FieldView};
use frontline_core::views::DialogView;
use frontline_core::visitors::VisitorCardView;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

fn field_id(id: &str) -> ApiResult<uuid::Uuid> {
    id.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such field."))
}

#[derive(Serialize, ToSchema)]
pub struct FieldList {
    pub items: Vec<FieldView>,
}

/// The workspace's custom fields, archived ones too (anyone: operators fill them in).
#[utoipa::path(get, path = "/api/v1/fields", tag = "console", operation_id = "list_fields",
    responses((status = 200, body = FieldList), (status = 401, body = ApiErrorBody)))]
pub async fn list(State(s): State<HttpState>, OperatorAuth(actor): OperatorAuth) -> ApiResult<Json<FieldList>> {
    Ok(Json(FieldList { items: fields::list(&s.app, &actor).await? }))
}

/// Defines a field (admins); at most 50 live ones, keys unique per target.
#[utoipa::path(post, path = "/api/v1/fields", tag = "admin", operation_id = "create_field", request_body = FieldInput,
    responses((status = 201, body = FieldView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn create(
    State(s): State<HttpState>,
    AdminAuth(actor): AdminAuth,
    JsonBody(req): JsonBody<FieldInput>,
) -> ApiResult<(StatusCode, Json<FieldView>)> {
    Ok((StatusCode::CREATED, Json(fields::create(&s.app, &actor.admin()?, req).await?)))
}

/// Changes a field's label, options, format, requirement or place, or archives it (admins).
#[utoipa::path(patch, path = "/api/v1/fields/{id}", tag = "admin", operation_id = "update_field", request_body = FieldInput,
    params(("id" = Uuid, Path, description = "field id")),
    responses((status = 200, body = FieldView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update(
    State(s): State<HttpState>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<FieldInput>,
) -> ApiResult<Json<FieldView>> {
    Ok(Json(fields::update(&s.app, &actor.admin()?, field_id(&id)?, req).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ValuesRequest {
    /// By key: a string, number or date (`YYYY-MM-DD` or RFC 3339) as the field takes; `null`
    /// clears one.
    #[schema(value_type = Object)]
    pub values: BTreeMap<String, Option<frontline_domain::leads::Value>>,
}

/// Sets or clears the dialog's custom fields (anyone who sees the dialog).
#[utoipa::path(put, path = "/api/v1/dialogs/{id}/fields", tag = "console", request_body = ValuesRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DialogView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn set_dialog(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ValuesRequest>,
) -> ApiResult<Json<DialogView>> {
    let dialog = crate::console::dialog_id(&id)?;
    Ok(Json(fields::set_dialog_values(&s.app, &actor, dialog, &req.values).await?))
}

/// Sets or clears the dialog's visitor's custom fields (his attributes); answers his card.
#[utoipa::path(put, path = "/api/v1/dialogs/{id}/visitor/fields", tag = "console", request_body = ValuesRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = VisitorCardView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn set_visitor(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ValuesRequest>,
) -> ApiResult<Json<VisitorCardView>> {
    let dialog = crate::console::dialog_id(&id)?;
    Ok(Json(fields::set_visitor_values(&s.app, &actor, dialog, &req.values).await?))
}
