//! Supervision: the quality guard's settings and its check of a draft, reports (JSON and CSV,
//! from one query), their time zone, and the live board.

use crate::console::dialog_id;
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{AdminAuth, JsonBody, OperatorAuth, QueryParams};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use frontline_core::quality::{self, HitView};
use frontline_core::reports::{self, Board, Group, Report, ReportQuery};
use frontline_domain::quality::GuardDoc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The workspace's quality guard (admins).
#[utoipa::path(get, path = "/api/v1/quality", tag = "admin", operation_id = "get_quality_guard",
    responses((status = 200, body = GuardDoc), (status = 403, body = ApiErrorBody)))]
pub async fn get_guard(State(s): State<HttpState>, AdminAuth(admin): AdminAuth) -> ApiResult<Json<GuardDoc>> {
    Ok(Json(quality::settings(&s.app, &admin).await?))
}

/// Saves the quality guard: each rule `off`, `warn` or `block` (a block may allow an override
/// with a reason), the forbidden words and regular expressions. A bad value is named
/// (`forbidden.patterns[1]`) and nothing is kept.
#[utoipa::path(put, path = "/api/v1/quality", tag = "admin", operation_id = "put_quality_guard", request_body = GuardDoc,
    responses((status = 200, body = GuardDoc), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn put_guard(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    JsonBody(doc): JsonBody<GuardDoc>,
) -> ApiResult<Json<GuardDoc>> {
    Ok(Json(quality::save_settings(&s.app, &admin, &doc).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct DraftRequest {
    /// The composer's text as it stands (at most 4000 characters).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct DraftCheck {
    /// What the guard finds, in text order; positions in UTF-16 code units.
    pub hits: Vec<HitView>,
}

/// What the quality guard finds in a draft for this dialog (nothing is kept): the console
/// marks it as the operator types. The same rules refuse a blocked message on send.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/guard", tag = "console", operation_id = "check_draft",
    request_body = DraftRequest, params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DraftCheck), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn check_draft(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<DraftRequest>,
) -> ApiResult<Json<DraftCheck>> {
    if req.body.chars().count() > 4000 {
        return Err(ApiError::field("body", "body: at most 4000 characters"));
    }
    Ok(Json(DraftCheck { hits: quality::check(&s.app, &actor, dialog_id(&id)?, &req.body).await? }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The first day (`YYYY-MM-DD`, in the reports' time zone).
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub from: String,
    /// The last day, included; at most 366 days in all.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub to: String,
    /// Rows per `day` (the default), `week`, `channel` or `operator`.
    #[param(pattern = "^(day|week|channel|operator)$")]
    pub group: Option<String>,
    /// Only this channel's figures.
    #[param(value_type = Option<crate::wire::Id>)]
    pub channel_id: Option<uuid::Uuid>,
    /// Only this operator's figures.
    #[param(value_type = Option<crate::wire::Id>)]
    pub operator_id: Option<uuid::Uuid>,
}

fn query(p: ReportParams) -> ApiResult<ReportQuery> {
    let group = match p.group.as_deref() {
        None => Group::Day,
        Some(g) => Group::parse(g).ok_or_else(|| ApiError::field("group", "group: day, week, channel or operator"))?,
    };
    Ok(ReportQuery { from: p.from, to: p.to, group, channel: p.channel_id, operator: p.operator_id })
}

/// A report for admins and supervisors: dialogs, reply and resolution times (calendar and
/// business hours), SLA, CSAT, operators' online time and load, quality-guard hits, per day,
/// week, channel or operator. `docs/reports.md` defines each figure.
#[utoipa::path(get, path = "/api/v1/reports", tag = "console", operation_id = "get_report", params(ReportParams),
    responses((status = 200, body = Report), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn report(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    QueryParams(p): QueryParams<ReportParams>,
) -> ApiResult<Json<Report>> {
    Ok(Json(reports::report(&s.app, &actor, &query(p)?).await?))
}

/// The same report as CSV (the same query; times in seconds, a `total` line last).
#[utoipa::path(get, path = "/api/v1/reports/export", tag = "console", operation_id = "export_report", params(ReportParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody)))]
pub async fn export(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    QueryParams(p): QueryParams<ReportParams>,
) -> ApiResult<Response> {
    let r = reports::report(&s.app, &actor, &query(p)?).await?;
    let name = format!("attachment; filename=\"frontline-report-{}-{}-{}.csv\"", r.from, r.to, r.group);
    let headers = [
        (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (axum::http::header::CONTENT_DISPOSITION, name),
        (axum::http::header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, reports::csv(&r)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DialogsExportParams {
    /// The first day (`YYYY-MM-DD`, in the reports' time zone).
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub from: String,
    /// The last day, included; at most 366 days in all.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub to: String,
    /// Only this channel's dialogs.
    #[param(value_type = Option<crate::wire::Id>)]
    pub channel_id: Option<uuid::Uuid>,
}

/// The dialogs begun in a period as CSV, a line each (admins and supervisors): number, times
/// in the reports' zone, status, channel, assignee, category, tags, rating, routing rule and a
/// column per dialog custom field. At most 50,000 lines (a longer period is refused on `to`).
#[utoipa::path(get, path = "/api/v1/reports/dialogs", tag = "console", operation_id = "export_dialogs",
    params(DialogsExportParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody)))]
pub async fn export_dialogs(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    QueryParams(p): QueryParams<DialogsExportParams>,
) -> ApiResult<Response> {
    let csv = frontline_core::exports::dialogs_csv(
        &s.app,
        &actor,
        &p.from,
        &p.to,
        p.channel_id.map(frontline_domain::ChannelId),
    )
    .await?;
    let name = format!("attachment; filename=\"frontline-dialogs-{}-{}.csv\"", p.from, p.to);
    let headers = [
        (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (axum::http::header::CONTENT_DISPOSITION, name),
        (axum::http::header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, csv).into_response())
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ReportSettings {
    /// The IANA time zone report days are counted in (`Europe/Moscow`).
    #[schema(min_length = 1, max_length = 64)]
    pub time_zone: String,
}

/// The time zone report days are counted in (managers).
#[utoipa::path(get, path = "/api/v1/reports/settings", tag = "console", operation_id = "get_report_settings",
    responses((status = 200, body = ReportSettings), (status = 403, body = ApiErrorBody)))]
pub async fn get_settings(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
) -> ApiResult<Json<ReportSettings>> {
    Ok(Json(ReportSettings { time_zone: reports::zone(&s.app, &actor).await? }))
}

/// Sets the time zone report days are counted in (admins). The reports are folded again from
/// what the event log holds (`event_retention_days`).
#[utoipa::path(put, path = "/api/v1/reports/settings", tag = "admin", operation_id = "put_report_settings",
    request_body = ReportSettings,
    responses((status = 200, body = ReportSettings), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn put_settings(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    JsonBody(req): JsonBody<ReportSettings>,
) -> ApiResult<Json<ReportSettings>> {
    Ok(Json(ReportSettings { time_zone: reports::set_zone(&s.app, &admin, &req.time_zone).await? }))
}

/// The live board for admins and supervisors: each channel's queue and longest wait, operators
/// with their load against capacity, dialogs due within 5 minutes or overdue on an SLA target.
#[utoipa::path(get, path = "/api/v1/board", tag = "console", operation_id = "get_board",
    responses((status = 200, body = Board), (status = 403, body = ApiErrorBody)))]
pub async fn board(State(s): State<HttpState>, OperatorAuth(actor): OperatorAuth) -> ApiResult<Json<Board>> {
    Ok(Json(reports::board(&s.app, &actor).await?))
}
