//! Escalation forms, the forms sent into dialogs, and tickets (issue 15).

use crate::StoreError;
use crate::records::StoreRow;
use frontline_domain::{DialogId, Timestamp, VisitorId, WorkspaceId};
use uuid::Uuid;

/// A form as stored: `document` is the checked `FormDoc` as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredForm {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub document: String,
    pub enabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A form sent into a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormRequest {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub dialog_id: DialogId,
    pub form_id: Uuid,
    /// The form as it was when sent (JSON).
    pub form: String,
    /// `sent` or `submitted`.
    pub status: String,
    /// The answers once submitted: JSON `[[key, value], …]`.
    pub answers: Option<String>,
    pub sent_by: Uuid,
    pub created_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
}

/// A ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    /// 1, 2, 3… per workspace.
    pub number: i64,
    pub dialog_id: DialogId,
    pub visitor_id: VisitorId,
    pub request_id: Option<Uuid>,
    /// `department` or `client`.
    pub side: String,
    /// The other ticket of the pair.
    pub linked_id: Option<Uuid>,
    /// `open`, `answered` or `closed`.
    pub status: String,
    pub subject: String,
    /// Whom it is with: the department's address, or the client's.
    pub address: String,
    pub due_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A ticket of a pair about to be made (the store numbers and links them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub id: Uuid,
    pub side: String,
    pub subject: String,
    pub address: String,
    pub due_at: Option<Timestamp>,
}

/// What went or came by mail on a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEntry {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub workspace_id: WorkspaceId,
    /// `out` (mailed) or `in` (an answer).
    pub direction: String,
    pub mail_id: Option<String>,
    pub text: String,
    pub at: Timestamp,
}

/// Which tickets to list (newest first).
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub status: Option<String>,
    /// Due at or before (overdue: now).
    pub due_before: Option<Timestamp>,
    pub dialog: Option<DialogId>,
    pub visitor: Option<VisitorId>,
    pub limit: u32,
}

pub const FORM_COLS: &str = "id, workspace_id, document, enabled, created_at, updated_at";
pub const REQUEST_COLS: &str =
    "id, workspace_id, dialog_id, form_id, form, status, answers, sent_by, created_at, submitted_at";
pub const TICKET_COLS: &str = "id, workspace_id, number, dialog_id, visitor_id, request_id, side, linked_id, status, \
     subject, address, due_at, created_at, updated_at";
pub const ENTRY_COLS: &str = "id, ticket_id, workspace_id, direction, mail_id, text, at";

pub fn form(r: &impl StoreRow) -> Result<StoredForm, StoreError> {
    Ok(StoredForm {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        document: r.text("document")?,
        enabled: r.boolean("enabled")?,
        created_at: Timestamp(r.int("created_at")?),
        updated_at: Timestamp(r.int("updated_at")?),
    })
}

pub fn request(r: &impl StoreRow) -> Result<FormRequest, StoreError> {
    Ok(FormRequest {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        dialog_id: DialogId(r.uuid("dialog_id")?),
        form_id: r.uuid("form_id")?,
        form: r.text("form")?,
        status: r.text("status")?,
        answers: r.opt_text("answers")?,
        sent_by: r.uuid("sent_by")?,
        created_at: Timestamp(r.int("created_at")?),
        submitted_at: r.opt_int("submitted_at")?.map(Timestamp),
    })
}

pub fn ticket(r: &impl StoreRow) -> Result<Ticket, StoreError> {
    Ok(Ticket {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        number: r.int("number")?,
        dialog_id: DialogId(r.uuid("dialog_id")?),
        visitor_id: VisitorId(r.uuid("visitor_id")?),
        request_id: r.opt_uuid("request_id")?,
        side: r.text("side")?,
        linked_id: r.opt_uuid("linked_id")?,
        status: r.text("status")?,
        subject: r.text("subject")?,
        address: r.text("address")?,
        due_at: r.opt_int("due_at")?.map(Timestamp),
        created_at: Timestamp(r.int("created_at")?),
        updated_at: Timestamp(r.int("updated_at")?),
    })
}

pub fn entry(r: &impl StoreRow) -> Result<TicketEntry, StoreError> {
    Ok(TicketEntry {
        id: r.uuid("id")?,
        ticket_id: r.uuid("ticket_id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        direction: r.text("direction")?,
        mail_id: r.opt_text("mail_id")?,
        text: r.text("text")?,
        at: Timestamp(r.int("at")?),
    })
}

/// The event of a ticket made or changed.
pub fn ticket_event(
    t: &Ticket,
    kind: frontline_domain::EventKind,
    actor: frontline_domain::Actor,
    at: Timestamp,
) -> crate::events::NewEvent {
    crate::events::NewEvent::new(t.workspace_id, kind, actor, at).dialog(t.dialog_id).subject(t.id).payload(
        serde_json::json!({
            "number": t.number,
            "side": t.side,
            "status": t.status,
            "due_at": t.due_at.map(|d| d.0),
            "linked_id": t.linked_id,
        }),
    )
}

/// [`FormStore`](crate::FormStore) for a SQL backend, written once for both.
#[macro_export]
macro_rules! sql_form_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{Actor, DialogId, DialogStatus, EventKind, Timestamp, WorkspaceId};
            use $crate::__uuid::Uuid;
            use $crate::forms::{self as fm, FormRequest, NewTicket, StoredForm, Ticket, TicketEntry, TicketFilter};
            use $crate::{Changed, FormStore, NewLine, StoreError, StoreResult};

            #[$crate::async_trait]
            impl FormStore for $store {
                async fn save_form(&self, f: &StoredForm) -> StoreResult<()> {
                    let sql = format!(
                        "INSERT INTO escalation_forms ({}) VALUES ($1, $2, $3, $4, $5, $6) \
                         ON CONFLICT (id) DO UPDATE SET document = excluded.document, enabled = excluded.enabled, \
                         updated_at = excluded.updated_at WHERE escalation_forms.workspace_id = excluded.workspace_id",
                        fm::FORM_COLS
                    );
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(f.id)
                        .bind(f.workspace_id.0)
                        .bind(&f.document)
                        .bind(f.enabled)
                        .bind(f.created_at.0)
                        .bind(f.updated_at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn forms(&self, ws: WorkspaceId) -> StoreResult<Vec<StoredForm>> {
                    let sql = format!("SELECT {} FROM escalation_forms WHERE workspace_id = $1 ORDER BY created_at, id", fm::FORM_COLS);
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(ws.0).fetch_all(self.reader()).await.map_err(map_err)?;
                    rows.iter().map(|r| fm::form(&R(r))).collect()
                }

                async fn form(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<StoredForm> {
                    let sql = format!("SELECT {} FROM escalation_forms WHERE workspace_id = $1 AND id = $2", fm::FORM_COLS);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(ws.0).bind(id).fetch_optional(self.reader()).await.map_err(map_err)?;
                    row.map(|r| fm::form(&R(&r))).transpose()?.ok_or(StoreError::NotFound)
                }

                async fn send_form(&self, req: &FormRequest, line: &NewLine, actor: Actor) -> StoreResult<Changed> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let row = ::sqlx::query($crate::sql::SELECT_DIALOG)
                        .bind(req.workspace_id.0)
                        .bind(req.dialog_id.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .ok_or(StoreError::NotFound)?;
                    let mut d = $crate::records::dialog(&R(&row))?;
                    if d.status != DialogStatus::Open {
                        return Err(StoreError::DialogClosed);
                    }
                    let sql = format!(
                        "INSERT INTO form_requests ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                        fm::REQUEST_COLS
                    );
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(req.id)
                        .bind(req.workspace_id.0)
                        .bind(req.dialog_id.0)
                        .bind(req.form_id)
                        .bind(&req.form)
                        .bind(&req.status)
                        .bind(&req.answers)
                        .bind(req.sent_by)
                        .bind(req.created_at.0)
                        .bind(req.submitted_at.map(|t| t.0))
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let lines = $crate::append_lines!(tx, &mut d, std::slice::from_ref(line))?;
                    let events: Vec<$crate::events::NewEvent> = lines
                        .iter()
                        .map(|m| $crate::events::drafts::message(m, actor))
                        .collect();
                    $crate::write_events!(tx, &events)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(Changed { dialog: d, lines })
                }

                async fn form_request(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<FormRequest> {
                    let sql = format!("SELECT {} FROM form_requests WHERE workspace_id = $1 AND id = $2", fm::REQUEST_COLS);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(ws.0).bind(id).fetch_optional(self.reader()).await.map_err(map_err)?;
                    row.map(|r| fm::request(&R(&r))).transpose()?.ok_or(StoreError::NotFound)
                }

                async fn submit_form(
                    &self,
                    ws: WorkspaceId,
                    id: Uuid,
                    answers: &str,
                    department: &NewTicket,
                    client: &NewTicket,
                    line: &(dyn for<'t> Fn(&'t [Ticket]) -> NewLine + Send + Sync),
                    actor: Actor,
                    now: Timestamp,
                ) -> StoreResult<(Changed, Vec<Ticket>)> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let taken: Option<(Uuid,)> = ::sqlx::query_as(
                        "UPDATE form_requests SET status = 'submitted', answers = $3, submitted_at = $4 \
                         WHERE workspace_id = $1 AND id = $2 AND status = 'sent' RETURNING dialog_id",
                    )
                    .bind(ws.0)
                    .bind(id)
                    .bind(answers)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    let Some((dialog_id,)) = taken else {
                        return Err(StoreError::Conflict("form request"));
                    };
                    let row = ::sqlx::query($crate::sql::SELECT_DIALOG)
                        .bind(ws.0)
                        .bind(dialog_id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let mut d = $crate::records::dialog(&R(&row))?;
                    if d.status != DialogStatus::Open {
                        return Err(StoreError::DialogClosed);
                    }
                    // Numbers count up per workspace; the no-op update holds the workspace's row
                    // (PostgreSQL) so two submits never take the same number.
                    ::sqlx::query("UPDATE workspaces SET name = name WHERE id = $1")
                        .bind(ws.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let next: i64 = ::sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM tickets WHERE workspace_id = $1")
                        .bind(ws.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let make = |t: &NewTicket, number: i64, linked: Uuid| Ticket {
                        id: t.id,
                        workspace_id: ws,
                        number,
                        dialog_id: d.id,
                        visitor_id: d.visitor_id,
                        request_id: Some(id),
                        side: t.side.clone(),
                        linked_id: Some(linked),
                        status: "open".into(),
                        subject: t.subject.clone(),
                        address: t.address.clone(),
                        due_at: t.due_at,
                        created_at: now,
                        updated_at: now,
                    };
                    let tickets = vec![make(department, next, client.id), make(client, next + 1, department.id)];
                    let sql = format!(
                        "INSERT INTO tickets ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                        fm::TICKET_COLS
                    );
                    for t in &tickets {
                        ::sqlx::query(::sqlx::AssertSqlSafe(sql.clone()))
                            .bind(t.id)
                            .bind(ws.0)
                            .bind(t.number)
                            .bind(t.dialog_id.0)
                            .bind(t.visitor_id.0)
                            .bind(t.request_id)
                            .bind(&t.side)
                            .bind(t.linked_id)
                            .bind(&t.status)
                            .bind(&t.subject)
                            .bind(&t.address)
                            .bind(t.due_at.map(|x| x.0))
                            .bind(t.created_at.0)
                            .bind(t.updated_at.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    let said = line(&tickets);
                    let lines = $crate::append_lines!(tx, &mut d, std::slice::from_ref(&said))?;
                    let mut events: Vec<$crate::events::NewEvent> =
                        tickets.iter().map(|t| fm::ticket_event(t, EventKind::TicketCreated, actor, now)).collect();
                    events.extend(lines.iter().map(|m| $crate::events::drafts::message(m, actor)));
                    $crate::write_events!(tx, &events)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok((Changed { dialog: d, lines }, tickets))
                }

                async fn tickets(&self, ws: WorkspaceId, f: &TicketFilter) -> StoreResult<Vec<Ticket>> {
                    let sql = format!(
                        "SELECT {} FROM tickets WHERE workspace_id = $1 AND ($2 IS NULL OR status = $2) \
                         AND ($3 IS NULL OR (due_at IS NOT NULL AND due_at <= $3)) AND ($4 IS NULL OR dialog_id = $4) \
                         AND ($5 IS NULL OR visitor_id = $5) ORDER BY number DESC LIMIT $6",
                        fm::TICKET_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(f.status.as_deref())
                        .bind(f.due_before.map(|t| t.0))
                        .bind(f.dialog.map(|d| d.0))
                        .bind(f.visitor.map(|v| v.0))
                        .bind(i64::from(f.limit.max(1)))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| fm::ticket(&R(r))).collect()
                }

                async fn ticket(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<Ticket> {
                    let sql = format!("SELECT {} FROM tickets WHERE workspace_id = $1 AND id = $2", fm::TICKET_COLS);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(ws.0).bind(id).fetch_optional(self.reader()).await.map_err(map_err)?;
                    row.map(|r| fm::ticket(&R(&r))).transpose()?.ok_or(StoreError::NotFound)
                }

                async fn update_ticket(
                    &self,
                    ws: WorkspaceId,
                    id: Uuid,
                    status: &str,
                    entry: Option<&TicketEntry>,
                    line: Option<&NewLine>,
                    actor: Actor,
                    now: Timestamp,
                ) -> StoreResult<(Ticket, Option<Changed>)> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let sql = format!(
                        "UPDATE tickets SET status = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2 RETURNING {}",
                        fm::TICKET_COLS
                    );
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(id)
                        .bind(status)
                        .bind(now.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .ok_or(StoreError::NotFound)?;
                    let t = fm::ticket(&R(&row))?;
                    if let Some(e) = entry {
                        let sql = format!("INSERT INTO ticket_entries ({}) VALUES ($1, $2, $3, $4, $5, $6, $7)", fm::ENTRY_COLS);
                        ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                            .bind(e.id)
                            .bind(e.ticket_id)
                            .bind(ws.0)
                            .bind(&e.direction)
                            .bind(&e.mail_id)
                            .bind(&e.text)
                            .bind(e.at.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    let mut events = vec![fm::ticket_event(&t, EventKind::TicketUpdated, actor, now)];
                    let mut changed = None;
                    if let Some(line) = line {
                        let row = ::sqlx::query($crate::sql::SELECT_DIALOG)
                            .bind(ws.0)
                            .bind(t.dialog_id.0)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        let mut d = $crate::records::dialog(&R(&row))?;
                        // A closed dialog keeps its timeline: the ticket holds the answer.
                        if d.status == DialogStatus::Open {
                            let lines = $crate::append_lines!(tx, &mut d, std::slice::from_ref(line))?;
                            events.extend(lines.iter().map(|m| $crate::events::drafts::message(m, actor)));
                            changed = Some(Changed { dialog: d, lines });
                        }
                    }
                    $crate::write_events!(tx, &events)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok((t, changed))
                }

                async fn add_ticket_entry(&self, e: &TicketEntry) -> StoreResult<()> {
                    let sql = format!("INSERT INTO ticket_entries ({}) VALUES ($1, $2, $3, $4, $5, $6, $7)", fm::ENTRY_COLS);
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(e.id)
                        .bind(e.ticket_id)
                        .bind(e.workspace_id.0)
                        .bind(&e.direction)
                        .bind(&e.mail_id)
                        .bind(&e.text)
                        .bind(e.at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn ticket_entries(&self, ws: WorkspaceId, ticket: Uuid) -> StoreResult<Vec<TicketEntry>> {
                    let sql = format!(
                        "SELECT {} FROM ticket_entries WHERE workspace_id = $1 AND ticket_id = $2 ORDER BY at, id",
                        fm::ENTRY_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(ws.0).bind(ticket).fetch_all(self.reader()).await.map_err(map_err)?;
                    rows.iter().map(|r| fm::entry(&R(r))).collect()
                }
            }

            #[allow(dead_code)]
            fn _uses(_: DialogId) {}
        };
    };
}
