//! Escalation forms and tickets (issue 15): admins define forms; an operator sends one into a
//! website dialog; the widget shows it as a card to fill; a filled one is checked (the same
//! rules as the card's), makes two linked tickets (the department's and the client's) with a
//! due time counted as the form says, tells the visitor the form's answer, and mails the
//! department every field through the outbox (kind `ticket_mail`). The department's answer
//! by mail lands on its ticket and in the dialog for operators.

use crate::App;
use crate::actor::{Admin, OperatorActor, VisitorActor};
use crate::error::CoreError;
use crate::reads::visible_dialog;
use crate::telegram::outbound::{Failure, Outcome, Sent, report, store_failure};
use crate::views::rfc3339;
use frontline_domain::forms::{
    DepartmentMail, DueCounting, FieldKind, FormDoc, FormField, answer_text, check_answers, department_mail, due_at,
    weekdays,
};
use frontline_domain::mail::{Lang, clock_with_zone};
use frontline_domain::{ContactSource, DialogId, SystemEvent, Timestamp};
use frontline_store::NewLine;
use frontline_store::StoreError;
use frontline_store::events::OutboxJob;
use frontline_store::forms::{FormRequest, NewTicket, StoredForm, Ticket, TicketEntry, TicketFilter};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A field as the API shows and takes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[schema(as = FormFieldView)]
pub struct FieldView {
    /// 1–32 of `a-z`, `0-9` and `_`, unique in the form: the answer's key.
    #[schema(pattern = "^[a-z0-9_]{1,32}$")]
    pub key: String,
    /// What the visitor reads: 1–100 characters once trimmed.
    #[schema(value_type = frontline_domain::patterns::schema::ShortText)]
    pub label: String,
    /// `text`, `contract` (matched whole by `pattern`), `email` or `phone`.
    #[schema(pattern = "^(text|contract|email|phone)$")]
    pub kind: String,
    /// A `contract` field's regular expression (`\d{6}`), 1–200 characters, matched against the
    /// whole value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 200)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub required: bool,
}

/// A form as admins write it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct FormInput {
    /// 1–100 characters once trimmed.
    #[schema(value_type = frontline_domain::patterns::schema::ShortText)]
    pub name: String,
    /// 1–20 fields.
    #[schema(min_items = 1, max_items = 20)]
    pub fields: Vec<FieldView>,
    /// Where a filled form is mailed.
    #[schema(max_length = 254, pattern = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")]
    pub department_email: String,
    /// The department mail's subject: one line, 1–200 characters once trimmed.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub subject: String,
    /// What the visitor is told once he sent it: 1–1000 characters once trimmed; `{number}` is
    /// his request's number, `{due}` the due time.
    #[schema(value_type = frontline_domain::patterns::schema::LongText)]
    pub answer: String,
    /// 1–720.
    #[schema(minimum = 1, maximum = 720)]
    pub due_hours: i64,
    /// `weekdays` (default: Monday–Friday, every hour, in the channel's time zone, without its
    /// holidays), `business_hours` (the channel's) or `calendar`.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(weekdays|business_hours|calendar)$")]
    pub counting: Option<String>,
    /// The department mail's language: `ru` (default) or `en`.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(ru|en)$")]
    pub language: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// A form as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormView {
    pub id: Uuid,
    pub name: String,
    pub fields: Vec<FieldView>,
    pub department_email: String,
    pub subject: String,
    pub answer: String,
    pub due_hours: i64,
    pub counting: String,
    pub language: String,
    pub enabled: bool,
    pub updated_at: String,
}

fn counting_str(c: DueCounting) -> &'static str {
    match c {
        DueCounting::Weekdays => "weekdays",
        DueCounting::BusinessHours => "business_hours",
        DueCounting::Calendar => "calendar",
    }
}

fn field_view(f: &FormField) -> FieldView {
    let (kind, pattern) = match &f.kind {
        FieldKind::Text => ("text", None),
        FieldKind::Contract { pattern } => ("contract", Some(pattern.clone())),
        FieldKind::Email => ("email", None),
        FieldKind::Phone => ("phone", None),
    };
    FieldView { key: f.key.clone(), label: f.label.clone(), kind: kind.into(), pattern, required: f.required }
}

fn doc_of(stored: &str) -> Result<FormDoc, CoreError> {
    serde_json::from_str(stored).map_err(|e| CoreError::Internal(format!("form: {e}")))
}

fn view(f: &StoredForm) -> Result<FormView, CoreError> {
    let d = doc_of(&f.document)?;
    Ok(FormView {
        id: f.id,
        name: d.name.clone(),
        fields: d.fields.iter().map(field_view).collect(),
        department_email: d.department_email.clone(),
        subject: d.subject.clone(),
        answer: d.answer.clone(),
        due_hours: d.due_hours,
        counting: counting_str(d.counting).into(),
        language: d.language.clone(),
        enabled: f.enabled,
        updated_at: rfc3339(f.updated_at),
    })
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> CoreError {
    CoreError::Invalid { field: field.into(), reason: reason.into() }
}

fn doc_from(input: &FormInput) -> Result<FormDoc, CoreError> {
    let mut fields = Vec::with_capacity(input.fields.len());
    for (i, f) in input.fields.iter().enumerate() {
        let kind = match f.kind.as_str() {
            "text" => FieldKind::Text,
            "contract" => FieldKind::Contract { pattern: f.pattern.clone().unwrap_or_default() },
            "email" => FieldKind::Email,
            "phone" => FieldKind::Phone,
            _ => return Err(invalid(format!("fields[{i}].kind"), "text, contract, email or phone")),
        };
        if f.pattern.is_some() && f.kind != "contract" {
            return Err(invalid(format!("fields[{i}].pattern"), "only a contract field has a pattern"));
        }
        fields.push(FormField { key: f.key.clone(), label: f.label.clone(), kind, required: f.required });
    }
    let counting = match input.counting.as_deref().unwrap_or("weekdays") {
        "weekdays" => DueCounting::Weekdays,
        "business_hours" => DueCounting::BusinessHours,
        "calendar" => DueCounting::Calendar,
        _ => return Err(invalid("counting", "weekdays, business_hours or calendar")),
    };
    FormDoc {
        name: input.name.clone(),
        fields,
        department_email: input.department_email.clone(),
        subject: input.subject.clone(),
        answer: input.answer.clone(),
        due_hours: input.due_hours,
        counting,
        language: input.language.clone().unwrap_or_else(|| "ru".into()),
    }
    .check()
    .map_err(|e| invalid(e.field, e.reason))
}

/// The workspace's forms: all for admins, the enabled ones for everyone else (to send).
pub async fn list(app: &App, actor: &OperatorActor) -> Result<Vec<FormView>, CoreError> {
    let all = app.store.forms(actor.workspace()).await?;
    let admin = actor.admin().is_ok();
    all.iter().filter(|f| admin || f.enabled).map(view).collect()
}

/// At most this many forms per workspace.
const MAX_FORMS: usize = 50;

/// An admin writes a form (a new one without `id`); a bad value is named.
pub async fn save(app: &App, admin: &Admin<'_>, id: Option<Uuid>, input: &FormInput) -> Result<FormView, CoreError> {
    let ws = admin.workspace();
    let doc = doc_from(input)?;
    let now = app.clock.now();
    let before = match id {
        Some(id) => Some(app.store.form(ws, id).await.map_err(|_| CoreError::NotFound("form"))?),
        None => {
            if app.store.forms(ws).await?.len() >= MAX_FORMS {
                return Err(CoreError::Invalid { field: "forms".into(), reason: format!("at most {MAX_FORMS} forms") });
            }
            None
        }
    };
    let stored = StoredForm {
        id: id.unwrap_or_else(Uuid::now_v7),
        workspace_id: ws,
        document: serde_json::to_string(&doc).map_err(|e| CoreError::Internal(e.to_string()))?,
        enabled: input.enabled,
        created_at: before.map_or(now, |b| b.created_at),
        updated_at: now,
    };
    app.store.save_form(&stored).await?;
    view(&stored)
}

/// A form sent into a dialog, as operators and the widget see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormRequestView {
    pub id: Uuid,
    pub dialog_id: Uuid,
    pub name: String,
    pub fields: Vec<FieldView>,
    /// `sent` (to fill) or `submitted`.
    pub status: String,
    /// Once submitted: `{key: value}` of what was filled.
    pub answers: Option<BTreeMap<String, String>>,
    pub created_at: String,
    pub submitted_at: Option<String>,
}

fn request_view(r: &FormRequest) -> Result<FormRequestView, CoreError> {
    let doc = doc_of(&r.form)?;
    let answers = r
        .answers
        .as_deref()
        .map(|a| serde_json::from_str::<Vec<(String, String)>>(a).map(|v| v.into_iter().collect()))
        .transpose()
        .map_err(|e| CoreError::Internal(format!("form answers: {e}")))?;
    Ok(FormRequestView {
        id: r.id,
        dialog_id: r.dialog_id.0,
        name: doc.name.clone(),
        fields: doc.fields.iter().map(field_view).collect(),
        status: r.status.clone(),
        answers,
        created_at: rfc3339(r.created_at),
        submitted_at: r.submitted_at.map(rfc3339),
    })
}

/// An operator sends a form into a dialog he sees: the widget shows it as a card to fill.
/// Only a website visitor's dialog (a card needs the widget); only an enabled form.
pub async fn send(
    app: &App,
    actor: &OperatorActor,
    dialog: DialogId,
    form: Uuid,
) -> Result<FormRequestView, CoreError> {
    let ws = actor.workspace();
    let d = visible_dialog(app, actor, dialog).await?;
    let stored = match app.store.form(ws, form).await {
        Ok(f) if f.enabled => f,
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(CoreError::UnknownReference { field: "form_id".into(), what: "form" });
        }
        Err(e) => return Err(e.into()),
    };
    let visitor = app.store.visitor(ws, d.visitor_id).await?;
    if visitor.source != ContactSource::Widget {
        return Err(invalid("form_id", "a form is filled in the website widget; this visitor writes from elsewhere"));
    }
    let doc = doc_of(&stored.document)?;
    let now = app.clock.now();
    let request = FormRequest {
        id: Uuid::now_v7(),
        workspace_id: ws,
        dialog_id: d.id,
        form_id: stored.id,
        form: stored.document.clone(),
        status: "sent".into(),
        answers: None,
        sent_by: actor.operator.id.0,
        created_at: now,
        submitted_at: None,
    };
    let by = actor.operator.display_name.as_str().to_owned();
    let line =
        NewLine::system(SystemEvent::FormSent { request: request.id.to_string(), form: doc.name.clone(), by }, now);
    let changed =
        app.store.send_form(&request, &line, actor.event_actor()).await.map_err(crate::error::dialog_not_found)?;
    let after = crate::conversation::lines_written(app, changed);
    crate::labels::updated(app, &after).await?;
    request_view(&request)
}

/// A form request of a dialog an operator sees.
pub async fn request_for_operator(app: &App, actor: &OperatorActor, id: Uuid) -> Result<FormRequestView, CoreError> {
    let r = app.store.form_request(actor.workspace(), id).await.map_err(|_| CoreError::NotFound("form request"))?;
    visible_dialog(app, actor, r.dialog_id).await.map_err(|_| CoreError::NotFound("form request"))?;
    request_view(&r)
}

/// A form request of one of the visitor's own dialogs (else `NotFound`).
async fn his_request(app: &App, actor: &VisitorActor, id: Uuid) -> Result<FormRequest, CoreError> {
    let ws = actor.visitor.workspace_id;
    let r = app.store.form_request(ws, id).await.map_err(|_| CoreError::NotFound("form request"))?;
    let d = app.store.dialog(ws, r.dialog_id).await.map_err(|_| CoreError::NotFound("form request"))?;
    if d.visitor_id != actor.visitor.id {
        return Err(CoreError::NotFound("form request"));
    }
    Ok(r)
}

pub async fn request_for_visitor(app: &App, actor: &VisitorActor, id: Uuid) -> Result<FormRequestView, CoreError> {
    request_view(&his_request(app, actor, id).await?)
}

/// What the visitor is told once his form went.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmittedView {
    /// His request's number (the client's ticket).
    pub number: i64,
    /// When the answer is due.
    pub due_at: String,
    /// The form's answer, `{number}` and `{due}` filled in, in his language's clock.
    pub answer: String,
}

/// The hours a form's due time is counted in, for a dialog's channel.
async fn hours_for(
    app: &App,
    ws: frontline_domain::WorkspaceId,
    channel: frontline_domain::ChannelId,
    counting: DueCounting,
) -> Result<(frontline_domain::hours::BusinessHours, String), CoreError> {
    let automation = crate::automation::for_channel(app, ws, channel).await?;
    let h = &automation.doc().business_hours;
    let tz_name = h.time_zone.clone();
    let hours = match counting {
        DueCounting::Calendar => frontline_domain::hours::BusinessHours::always(),
        DueCounting::BusinessHours => automation.hours.clone(),
        DueCounting::Weekdays => {
            let tz = jiff::tz::TimeZone::get(&tz_name).unwrap_or(jiff::tz::TimeZone::UTC);
            let holidays = h.holidays.iter().filter_map(|d| d.trim().parse().ok()).collect();
            weekdays(tz, holidays)
        }
    };
    Ok((hours, tz_name))
}

/// The visitor sends the filled form: checked like the card checks it (the first refusal is
/// named by its field's key; the card marks them all); taken once.
pub async fn submit(
    app: &App,
    actor: &VisitorActor,
    id: Uuid,
    answers: &BTreeMap<String, String>,
) -> Result<SubmittedView, CoreError> {
    let r = his_request(app, actor, id).await?;
    if r.status != "sent" {
        return Err(CoreError::FormSentAlready);
    }
    let doc = doc_of(&r.form)?;
    if answers.len() > 40 || answers.values().any(|v| v.chars().count() > 2000) {
        return Err(invalid("answers", "at most 40 answers of 2000 characters"));
    }
    let kept = check_answers(&doc.fields, answers).map_err(|errors| {
        let first = &errors[0];
        invalid(format!("answers.{}", first.field), first.reason.clone())
    })?;
    let ws = actor.visitor.workspace_id;
    let d = app.store.dialog(ws, r.dialog_id).await?;
    let now = app.clock.now();
    let (hours, tz) = hours_for(app, ws, d.channel_id, doc.counting).await?;
    let due = due_at(now, doc.due_hours, &hours);
    // The client's address: a field of the form, else what he left before.
    let client_address = doc
        .fields
        .iter()
        .find(|f| f.kind == FieldKind::Email)
        .and_then(|f| kept.iter().find(|(k, _)| *k == f.key).map(|(_, v)| v.clone()))
        .or_else(|| actor.visitor.email.as_ref().map(|e| e.as_str().to_owned()))
        .unwrap_or_default();
    let department = NewTicket {
        id: Uuid::now_v7(),
        side: "department".into(),
        subject: doc.subject.clone(),
        address: doc.department_email.clone(),
        due_at: Some(due),
    };
    let client = NewTicket {
        id: Uuid::now_v7(),
        side: "client".into(),
        subject: doc.subject.clone(),
        address: client_address,
        due_at: Some(due),
    };
    let lang = Lang::of(actor.visitor.context.language.as_deref());
    let due_text = clock_with_zone(due, &tz, lang);
    let answers_json = serde_json::to_string(&kept).map_err(|e| CoreError::Internal(e.to_string()))?;
    // The line names the numbers the store gives, in the same transaction.
    let (form_name, template) = (doc.name.clone(), doc.answer.clone());
    let line = move |made: &[Ticket]| {
        let number = made.iter().find(|t| t.side == "department").map_or(0, |t| t.number);
        let client_number = made.iter().find(|t| t.side == "client").map_or(0, |t| t.number);
        NewLine::system(
            SystemEvent::FormSubmitted {
                request: id.to_string(),
                form: form_name.clone(),
                number,
                client_number,
                answer: answer_text(&template, client_number, &due_text),
            },
            now,
        )
    };
    let (changed, tickets) =
        match app.store.submit_form(ws, id, &answers_json, &department, &client, &line, actor_of(actor), now).await {
            Ok(done) => done,
            Err(StoreError::Conflict(_)) => return Err(CoreError::FormSentAlready),
            Err(StoreError::DialogClosed) => return Err(frontline_domain::DomainError::DialogClosed.into()),
            Err(e) => return Err(e.into()),
        };
    let client_number = tickets.iter().find(|t| t.side == "client").map_or(0, |t| t.number);
    let due_text = clock_with_zone(due, &tz, lang);
    let after = crate::conversation::lines_written(app, changed);
    crate::labels::updated(app, &after).await?;
    Ok(SubmittedView {
        number: client_number,
        due_at: rfc3339(due),
        answer: answer_text(&doc.answer, client_number, &due_text),
    })
}

fn actor_of(actor: &VisitorActor) -> frontline_domain::Actor {
    frontline_domain::Actor { kind: frontline_domain::ActorKind::Visitor, id: Some(actor.visitor.id.0) }
}

/// A ticket as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketView {
    pub id: Uuid,
    pub number: i64,
    pub dialog_id: Uuid,
    pub visitor_id: Uuid,
    pub request_id: Option<Uuid>,
    /// `department` or `client`.
    pub side: String,
    /// The other ticket of the pair, and its number.
    pub linked_id: Option<Uuid>,
    pub linked_number: Option<i64>,
    /// `open`, `answered` or `closed`.
    pub status: String,
    pub subject: String,
    pub address: String,
    pub due_at: Option<String>,
    /// Past its due time and not closed.
    pub overdue: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A ticket with what went and came by mail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketDetailView {
    pub ticket: TicketView,
    pub entries: Vec<TicketEntryView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketEntryView {
    /// `out` (mailed) or `in` (an answer).
    pub direction: String,
    pub text: String,
    pub at: String,
}

fn ticket_view(t: &Ticket, linked_number: Option<i64>, now: Timestamp) -> TicketView {
    TicketView {
        id: t.id,
        number: t.number,
        dialog_id: t.dialog_id.0,
        visitor_id: t.visitor_id.0,
        request_id: t.request_id,
        side: t.side.clone(),
        linked_id: t.linked_id,
        linked_number,
        status: t.status.clone(),
        subject: t.subject.clone(),
        address: t.address.clone(),
        due_at: t.due_at.map(rfc3339),
        overdue: t.status != "closed" && t.due_at.is_some_and(|d| d.0 < now.0),
        created_at: rfc3339(t.created_at),
        updated_at: rfc3339(t.updated_at),
    }
}

/// Which tickets an operator asks for.
#[derive(Debug, Clone, Default)]
pub struct TicketQuery {
    pub status: Option<String>,
    pub overdue: bool,
    pub dialog: Option<DialogId>,
    pub visitor: Option<frontline_domain::VisitorId>,
}

/// Tickets of the dialogs an operator sees, newest first (at most 200).
pub async fn tickets(app: &App, actor: &OperatorActor, q: &TicketQuery) -> Result<Vec<TicketView>, CoreError> {
    if let Some(s) = q.status.as_deref()
        && !["open", "answered", "closed"].contains(&s)
    {
        return Err(invalid("status", "open, answered or closed"));
    }
    let now = app.clock.now();
    let filter = TicketFilter {
        status: q.status.clone(),
        due_before: q.overdue.then_some(now),
        dialog: q.dialog,
        visitor: q.visitor,
        limit: 200,
    };
    let mut found = app.store.tickets(actor.workspace(), &filter).await?;
    if q.overdue {
        found.retain(|t| t.status != "closed");
    }
    let visible = crate::reads::visible_channels(app, actor).await?;
    let mut out = Vec::with_capacity(found.len());
    let numbers: std::collections::HashMap<Uuid, i64> = found.iter().map(|t| (t.id, t.number)).collect();
    for t in &found {
        if let Some(mine) = &visible {
            let d = app.store.dialog(actor.workspace(), t.dialog_id).await?;
            if !mine.contains(&d.channel_id) {
                continue;
            }
        }
        let linked = t.linked_id.and_then(|l| numbers.get(&l).copied());
        out.push(ticket_view(t, linked, now));
    }
    Ok(out)
}

async fn visible_ticket(app: &App, actor: &OperatorActor, id: Uuid) -> Result<Ticket, CoreError> {
    let t = app.store.ticket(actor.workspace(), id).await.map_err(|_| CoreError::NotFound("ticket"))?;
    visible_dialog(app, actor, t.dialog_id).await.map_err(|_| CoreError::NotFound("ticket"))?;
    Ok(t)
}

async fn linked_number(app: &App, t: &Ticket) -> Option<i64> {
    match t.linked_id {
        Some(l) => app.store.ticket(t.workspace_id, l).await.ok().map(|x| x.number),
        None => None,
    }
}

pub async fn ticket(app: &App, actor: &OperatorActor, id: Uuid) -> Result<TicketDetailView, CoreError> {
    let t = visible_ticket(app, actor, id).await?;
    let entries = app.store.ticket_entries(actor.workspace(), t.id).await?;
    Ok(TicketDetailView {
        ticket: ticket_view(&t, linked_number(app, &t).await, app.clock.now()),
        entries: entries
            .iter()
            .map(|e| TicketEntryView { direction: e.direction.clone(), text: e.text.clone(), at: rfc3339(e.at) })
            .collect(),
    })
}

/// An operator sets a ticket's status (`open`, `answered`, `closed`).
pub async fn set_status(app: &App, actor: &OperatorActor, id: Uuid, status: &str) -> Result<TicketView, CoreError> {
    if !["open", "answered", "closed"].contains(&status) {
        return Err(invalid("status", "open, answered or closed"));
    }
    let t = visible_ticket(app, actor, id).await?;
    let now = app.clock.now();
    let (t, _) = app.store.update_ticket(t.workspace_id, t.id, status, None, None, actor.event_actor(), now).await?;
    Ok(ticket_view(&t, linked_number(app, &t).await, now))
}

/// Mails a department its ticket (outbox kind `ticket_mail`, target the ticket).
pub async fn deliver(app: &App, job: &OutboxJob) -> Sent {
    let started = app.clock.now();
    let result = attempt(app, job).await;
    report(app, job, started, result)
}

async fn attempt(app: &App, job: &OutboxJob) -> Result<Outcome, Failure> {
    let ws = job.workspace_id;
    let stored = match app.store.mail_settings(ws).await.map_err(store_failure)? {
        Some(s) if s.enabled => s,
        _ => return Err(Failure::Later("mail is not set up or switched off".into(), None)),
    };
    let t = match app.store.ticket(ws, job.target_id).await {
        Ok(t) => t,
        Err(StoreError::NotFound) => return Ok(Outcome::Skipped("the ticket is gone")),
        Err(e) => return Err(store_failure(e)),
    };
    let Some(request_id) = t.request_id else { return Ok(Outcome::Skipped("no form")) };
    let request = app.store.form_request(ws, request_id).await.map_err(store_failure)?;
    let doc = doc_of(&request.form).map_err(|e| Failure::Final(e.to_string(), None))?;
    let answers: Vec<(String, String)> =
        request.answers.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
    let dialog = app.store.dialog(ws, t.dialog_id).await.map_err(store_failure)?;
    let lang = doc.lang();
    let (_, tz) =
        hours_for(app, ws, dialog.channel_id, doc.counting).await.map_err(|e| Failure::Later(e.to_string(), None))?;
    let client_number = match t.linked_id {
        Some(l) => app.store.ticket(ws, l).await.map(|x| x.number).unwrap_or(0),
        None => 0,
    };
    let link = app
        .config
        .public_url
        .as_deref()
        .map(|base| format!("{}/console/dialogs/{}", base.trim_end_matches('/'), dialog.id.0));
    let rendered = department_mail(
        &DepartmentMail {
            lang,
            form: doc.name.clone(),
            number: t.number,
            client_number,
            dialog_number: dialog.number,
            link,
            answers: doc
                .fields
                .iter()
                .map(|f| {
                    let v = answers.iter().find(|(k, _)| *k == f.key).map(|(_, v)| v.clone()).unwrap_or_default();
                    (f.label.clone(), v)
                })
                .collect(),
            due: t.due_at.map(|d| clock_with_zone(d, &tz, lang)).unwrap_or_default(),
        },
        &doc.subject,
    );
    let (from, smtp, _imap, _mailbox) =
        crate::mail::settings::servers(app, &stored).map_err(|e| Failure::Final(e.to_string(), None))?;
    let mail_id = format!("ticket-{}@{}", t.id, from.domain());
    let mail = crate::mail::OutgoingMail {
        reply_to: crate::mail::reply::ticket_address(app, ws, &from.email, t.id),
        from,
        to: vec![crate::mail::Address::new(&t.address)],
        subject: rendered.subject,
        text: rendered.text.clone(),
        message_id: mail_id.clone(),
        in_reply_to: None,
        references: Vec::new(),
        auto_submitted: false,
        files: Vec::new(),
    };
    match app.mail.send(&smtp, &mail).await {
        Ok(()) => {
            let entry = TicketEntry {
                id: Uuid::now_v7(),
                ticket_id: t.id,
                workspace_id: ws,
                direction: "out".into(),
                mail_id: Some(mail_id),
                text: rendered.text.clone(),
                at: app.clock.now(),
            };
            app.store.add_ticket_entry(&entry).await.map_err(store_failure)?;
            Ok(Outcome::Sent { text: rendered.text, receipt: format!("accepted for {}", t.address) })
        }
        Err(e) => Err(crate::mail::send_failure(e)),
    }
}

/// The department answered a ticket by mail (its reply address named it and the sender is the
/// department's address): the answer lands on the ticket, which is then `answered`, and in
/// the dialog as a line for operators.
pub async fn department_answered(
    app: &App,
    ticket: Ticket,
    from: &str,
    text: &str,
    mail_id: &str,
) -> Result<(), CoreError> {
    let now = app.clock.now();
    let entry = TicketEntry {
        id: Uuid::now_v7(),
        ticket_id: ticket.id,
        workspace_id: ticket.workspace_id,
        direction: "in".into(),
        mail_id: Some(mail_id.to_owned()),
        text: text.to_owned(),
        at: now,
    };
    let line = NewLine::system(
        SystemEvent::TicketAnswered { number: ticket.number, from: from.to_owned(), text: text.to_owned() },
        now,
    );
    let (_, changed) = app
        .store
        .update_ticket(
            ticket.workspace_id,
            ticket.id,
            "answered",
            Some(&entry),
            Some(&line),
            frontline_domain::Actor::SYSTEM,
            now,
        )
        .await?;
    if let Some(changed) = changed {
        let after = crate::conversation::lines_written(app, changed);
        crate::labels::updated(app, &after).await?;
    }
    Ok(())
}
