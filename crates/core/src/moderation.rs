//! Complaint → review → block (issue 16). An operator files a complaint about the visitor of a
//! dialog he sees (the dialog stays as it is); admins see the open ones with the dialog at hand
//! and block the visitor or dismiss it. A blocked visitor's widget does not open, his messages
//! are refused (`403 visitor_blocked`) and make nothing, and the Telegram bot and the mail
//! channel pass over him; an address range can be blocked with him. Admins lift a block at any
//! time; every step is in the audit log, and the rows keep who did what and when.

use crate::App;
use crate::actor::{Admin, OperatorActor};
use crate::error::CoreError;
use crate::views::rfc3339;
use frontline_domain::net::IpRange;
use frontline_domain::{DialogId, Visitor, VisitorId, WorkspaceId};
use frontline_store::StoreError;
use frontline_store::moderation::{Block, Complaint, Decision};
use std::collections::HashMap;

/// Per workspace: whether it had a live visitor block when this node last read, and when. The
/// message path reads a visitor's block only in a workspace that has one: a workspace without
/// blocks pays nothing per message. The node that places or lifts a block updates its own hint
/// at once; other nodes read again within [`HINT_FOR`].
pub type BlockHints = std::sync::Mutex<HashMap<WorkspaceId, (bool, std::time::Instant)>>;

/// How long a node trusts its hint.
pub const HINT_FOR: std::time::Duration = std::time::Duration::from_secs(2);

async fn may_have_blocks(app: &App, ws: WorkspaceId) -> Result<bool, CoreError> {
    let known = app.block_hints.lock().ok().and_then(|h| h.get(&ws).copied());
    if let Some((has, at)) = known
        && at.elapsed() < HINT_FOR
    {
        return Ok(has);
    }
    let has = app.store.any_live_visitor_block(ws).await?;
    if let Ok(mut h) = app.block_hints.lock() {
        h.insert(ws, (has, std::time::Instant::now()));
    }
    Ok(has)
}

/// This node placed a block (`true`) or lifted one (`false`: read again next time).
fn hint(app: &App, ws: WorkspaceId, placed: bool) {
    if let Ok(mut h) = app.block_hints.lock() {
        if placed {
            h.insert(ws, (true, std::time::Instant::now()));
        } else {
            h.remove(&ws);
        }
    }
}

/// Ends the blocked visitor's open widget sockets on every node (`visitor_blocked`, then close).
fn close_sockets(app: &App, ws: WorkspaceId, visitor: VisitorId) {
    let event = crate::views::Event::VisitorBlocked { visitor_id: visitor.0 };
    app.bus.publish(
        &crate::audience::topics(&event, ws, visitor),
        std::sync::Arc::new(crate::bus::Delivery::new(None, None, event)),
    );
}

/// Why an operator complains.
pub const REASONS: [&str; 3] = ["spam", "abuse", "other"];
/// The longest comment or note (characters).
pub const MAX_COMMENT: usize = 1000;

/// Who a complaint or block is about, as lists show him.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VisitorRef {
    pub id: uuid::Uuid,
    pub number: i64,
    pub name: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ComplaintView {
    pub id: uuid::Uuid,
    pub dialog_id: uuid::Uuid,
    pub visitor: Option<VisitorRef>,
    /// `spam`, `abuse` or `other`.
    pub reason: String,
    pub comment: Option<String>,
    pub filed_by: Option<String>,
    pub filed_at: String,
    /// `open`, `blocked` or `dismissed`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BlockView {
    pub id: uuid::Uuid,
    pub visitor: Option<VisitorRef>,
    /// An address or CIDR block blocked with him (or alone).
    pub ip_range: Option<String>,
    pub reason: String,
    pub complaint_id: Option<uuid::Uuid>,
    pub blocked_by: Option<String>,
    pub blocked_at: String,
    pub lifted_by: Option<String>,
    pub lifted_at: Option<String>,
}

/// Operators' names and visitors of a page of rows.
struct Names {
    operators: HashMap<uuid::Uuid, String>,
    visitors: HashMap<VisitorId, VisitorRef>,
}

impl Names {
    async fn of(app: &App, ws: WorkspaceId, visitors: Vec<VisitorId>) -> Result<Names, CoreError> {
        let operators = app
            .store
            .list_operators(ws)
            .await?
            .into_iter()
            .map(|o| (o.id.0, o.display_name.as_str().to_owned()))
            .collect();
        let visitors = app
            .store
            .visitors(ws, &visitors)
            .await?
            .into_iter()
            .map(|v| (v.id, VisitorRef { id: v.id.0, number: v.number, name: v.name.map(|n| n.as_str().to_owned()) }))
            .collect();
        Ok(Names { operators, visitors })
    }

    fn op(&self, id: Option<uuid::Uuid>) -> Option<String> {
        id.and_then(|id| self.operators.get(&id).cloned())
    }

    fn complaint(&self, c: Complaint) -> ComplaintView {
        ComplaintView {
            id: c.id,
            dialog_id: c.dialog_id,
            visitor: self.visitors.get(&c.visitor_id).cloned(),
            reason: c.reason,
            comment: c.comment,
            filed_by: self.op(Some(c.filed_by)),
            filed_at: rfc3339(c.filed_at),
            status: c.status,
            decided_by: self.op(c.decided_by),
            decided_at: c.decided_at.map(rfc3339),
            note: c.note,
        }
    }

    fn block(&self, b: Block) -> BlockView {
        BlockView {
            id: b.id,
            visitor: b.visitor_id.and_then(|v| self.visitors.get(&v).cloned()),
            ip_range: b.ip_range,
            reason: b.reason,
            complaint_id: b.complaint_id,
            blocked_by: self.op(Some(b.blocked_by)),
            blocked_at: rfc3339(b.blocked_at),
            lifted_by: self.op(b.lifted_by),
            lifted_at: b.lifted_at.map(rfc3339),
        }
    }
}

/// A comment or note: trimmed, at most [`MAX_COMMENT`] characters, no control characters but
/// line ends; blank is none.
fn text(field: &str, s: Option<&str>) -> Result<Option<String>, CoreError> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let bad = |reason: &str| CoreError::Invalid { field: field.to_owned(), reason: reason.to_owned() };
    if s.chars().count() > MAX_COMMENT {
        return Err(bad("at most 1000 characters"));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(bad("no control characters"));
    }
    Ok(Some(s.to_owned()))
}

fn range(s: Option<&str>) -> Result<Option<String>, CoreError> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(|s| IpRange::parse(s).map(|r| r.to_string())).transpose().map_err(
        |_| CoreError::Invalid {
            field: "ip_range".into(),
            reason: "an address or a CIDR block of /8–/32 (IPv4) or /16–/128 (IPv6)".into(),
        },
    )
}

async fn audit(
    app: &App,
    admin: &OperatorActor,
    action: &str,
    target: (uuid::Uuid, String),
    details: serde_json::Value,
) {
    let entry = crate::operators::audit_entry(
        app,
        Some(admin.workspace()),
        Some(&admin.operator),
        action,
        Some((target.0, &target.1)),
        None,
        details,
    );
    crate::operators::record(app, vec![entry]).await;
}

fn visitor_label(v: &Visitor) -> String {
    v.name.as_ref().map_or_else(|| format!("Посетитель {}", v.number), |n| n.as_str().to_owned())
}

/// An operator complains about the visitor of a dialog he sees; the dialog stays as it is.
pub async fn file(
    app: &App,
    actor: &OperatorActor,
    dialog: DialogId,
    reason: &str,
    comment: Option<&str>,
) -> Result<ComplaintView, CoreError> {
    let reason = reason.trim();
    if !REASONS.contains(&reason) {
        return Err(CoreError::Invalid { field: "reason".into(), reason: "spam, abuse or other".into() });
    }
    let comment = text("comment", comment)?;
    let d = crate::reads::visible_dialog(app, actor, dialog).await?;
    let c = Complaint {
        id: uuid::Uuid::now_v7(),
        workspace_id: d.workspace_id,
        visitor_id: d.visitor_id,
        dialog_id: d.id.0,
        reason: reason.to_owned(),
        comment,
        filed_by: actor.operator.id.0,
        filed_at: app.clock.now(),
        status: "open".into(),
        decided_by: None,
        decided_at: None,
        note: None,
    };
    app.store.file_complaint(&c).await?;
    let names = Names::of(app, d.workspace_id, vec![d.visitor_id]).await?;
    let entry = crate::operators::audit_entry(
        app,
        Some(d.workspace_id),
        Some(&actor.operator),
        "complaint.filed",
        Some((c.id, &format!("#{}", d.number))),
        None,
        serde_json::json!({ "reason": c.reason, "dialog_id": d.id.0 }),
    );
    crate::operators::record(app, vec![entry]).await;
    Ok(names.complaint(c))
}

/// The workspace's complaints, newest first (`status`: open, blocked, dismissed; none: all).
pub async fn complaints(app: &App, admin: &Admin<'_>, status: Option<&str>) -> Result<Vec<ComplaintView>, CoreError> {
    let status = match status {
        None | Some("all") => None,
        Some(s) if ["open", "blocked", "dismissed"].contains(&s) => Some(s),
        Some(_) => {
            return Err(CoreError::Invalid {
                field: "status".into(),
                reason: "open, blocked, dismissed or all".into(),
            });
        }
    };
    let ws = admin.workspace();
    let rows = app.store.complaints(ws, status, 200).await?;
    let names = Names::of(app, ws, rows.iter().map(|c| c.visitor_id).collect()).await?;
    Ok(rows.into_iter().map(|c| names.complaint(c)).collect())
}

/// An admin decides an open complaint: `block` blocks the visitor (with `ip_range` if given),
/// `dismiss` closes it. A decided complaint is `409 complaint_decided`.
pub async fn decide(
    app: &App,
    admin: &Admin<'_>,
    id: uuid::Uuid,
    action: &str,
    note: Option<&str>,
    ip_range: Option<&str>,
) -> Result<ComplaintView, CoreError> {
    let ws = admin.workspace();
    let note = text("note", note)?;
    let ip_range = range(ip_range)?;
    let status = match action.trim() {
        "block" => "blocked",
        "dismiss" if ip_range.is_none() => "dismissed",
        "dismiss" => return Err(CoreError::Invalid { field: "ip_range".into(), reason: "only with block".into() }),
        _ => return Err(CoreError::Invalid { field: "action".into(), reason: "block or dismiss".into() }),
    };
    let c = match app.store.complaint(ws, id).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Err(CoreError::NotFound("complaint")),
        Err(e) => return Err(e.into()),
    };
    let now = app.clock.now();
    // A visitor blocked already (by another complaint) keeps that block; this one is decided.
    let live = app.store.live_block_of(ws, c.visitor_id).await?;
    let block = (status == "blocked" && (live.is_none() || ip_range.is_some())).then(|| Block {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        visitor_id: Some(c.visitor_id),
        ip_range: ip_range.clone(),
        reason: c.reason.clone(),
        complaint_id: Some(c.id),
        blocked_by: admin.operator.id.0,
        blocked_at: now,
        lifted_by: None,
        lifted_at: None,
    });
    let decision = Decision { status, by: admin.operator.id.0, at: now, note, block };
    let decided = match app.store.decide_complaint(ws, id, &decision).await {
        Ok(c) => {
            hint(app, ws, status == "blocked");
            if status == "blocked" {
                close_sockets(app, ws, c.visitor_id);
            }
            c
        }
        Err(StoreError::Conflict(_)) => return Err(CoreError::ComplaintDecided),
        Err(StoreError::NotFound) => return Err(CoreError::NotFound("complaint")),
        Err(e) => return Err(e.into()),
    };
    let names = Names::of(app, ws, vec![c.visitor_id]).await?;
    let who = names
        .visitors
        .get(&c.visitor_id)
        .map_or_else(String::new, |v| v.name.clone().unwrap_or_else(|| format!("Посетитель {}", v.number)));
    let action = if status == "blocked" { "visitor.blocked" } else { "complaint.dismissed" };
    audit(app, admin, action, (c.visitor_id.0, who), serde_json::json!({ "complaint_id": c.id, "ip_range": ip_range }))
        .await;
    Ok(names.complaint(decided))
}

/// An admin blocks the visitor of a dialog directly (no complaint); a visitor blocked already
/// keeps his block, unless a range is added.
pub async fn block_visitor_of(
    app: &App,
    admin: &Admin<'_>,
    dialog: DialogId,
    reason: &str,
    ip_range: Option<&str>,
) -> Result<BlockView, CoreError> {
    let reason = reason.trim();
    if !REASONS.contains(&reason) {
        return Err(CoreError::Invalid { field: "reason".into(), reason: "spam, abuse or other".into() });
    }
    let ip_range = range(ip_range)?;
    let d = crate::reads::visible_dialog(app, admin, dialog).await?;
    let ws = d.workspace_id;
    let names = Names::of(app, ws, vec![d.visitor_id]).await?;
    if ip_range.is_none()
        && let Some(live) = app.store.live_block_of(ws, d.visitor_id).await?
    {
        return Ok(names.block(live));
    }
    let b = Block {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        visitor_id: Some(d.visitor_id),
        ip_range,
        reason: reason.to_owned(),
        complaint_id: None,
        blocked_by: admin.operator.id.0,
        blocked_at: app.clock.now(),
        lifted_by: None,
        lifted_at: None,
    };
    app.store.add_block(&b).await?;
    hint(app, ws, true);
    close_sockets(app, ws, d.visitor_id);
    let v = app.store.visitor(ws, d.visitor_id).await?;
    audit(app, admin, "visitor.blocked", (v.id.0, visitor_label(&v)), serde_json::json!({ "ip_range": b.ip_range }))
        .await;
    Ok(names.block(b))
}

/// The workspace's blocks, newest first (lifted ones too unless `live_only`).
pub async fn blocks(app: &App, admin: &Admin<'_>, live_only: bool) -> Result<Vec<BlockView>, CoreError> {
    let ws = admin.workspace();
    let rows = app.store.blocks(ws, live_only, 500).await?;
    let names = Names::of(app, ws, rows.iter().filter_map(|b| b.visitor_id).collect()).await?;
    Ok(rows.into_iter().map(|b| names.block(b)).collect())
}

/// Lifts a block at once; lifting again changes nothing.
pub async fn lift(app: &App, admin: &Admin<'_>, id: uuid::Uuid) -> Result<BlockView, CoreError> {
    let ws = admin.workspace();
    let b = match app.store.lift_block(ws, id, admin.operator.id.0, app.clock.now()).await {
        Ok(b) => {
            hint(app, ws, false);
            b
        }
        Err(StoreError::NotFound) => return Err(CoreError::NotFound("block")),
        Err(e) => return Err(e.into()),
    };
    let names = Names::of(app, ws, b.visitor_id.into_iter().collect()).await?;
    let view = names.block(b.clone());
    let who = view.visitor.as_ref().map_or_else(
        || b.ip_range.clone().unwrap_or_default(),
        |v| v.name.clone().unwrap_or_else(|| format!("Посетитель {}", v.number)),
    );
    audit(
        app,
        admin,
        "visitor.unblocked",
        (b.visitor_id.map_or(b.id, |v| v.0), who),
        serde_json::json!({ "block_id": b.id }),
    )
    .await;
    Ok(view)
}

/// The visitor's live block, as his card shows it.
pub async fn block_of(app: &App, v: &Visitor) -> Result<Option<BlockView>, CoreError> {
    let Some(b) = app.store.live_block_of(v.workspace_id, v.id).await? else { return Ok(None) };
    let names = Names::of(app, v.workspace_id, vec![v.id]).await?;
    Ok(Some(names.block(b)))
}

/// Refuses a blocked visitor (`403 visitor_blocked`).
pub async fn check_visitor(app: &App, v: &Visitor) -> Result<(), CoreError> {
    if !may_have_blocks(app, v.workspace_id).await? {
        return Ok(());
    }
    match app.store.live_block_of(v.workspace_id, v.id).await? {
        Some(_) => Err(CoreError::VisitorBlocked),
        None => Ok(()),
    }
}

/// Whether the visitor is blocked (for channels that pass over him rather than answer).
pub async fn is_blocked(app: &App, v: &Visitor) -> Result<bool, CoreError> {
    if !may_have_blocks(app, v.workspace_id).await? {
        return Ok(false);
    }
    Ok(app.store.live_block_of(v.workspace_id, v.id).await?.is_some())
}

/// Refuses an address inside a blocked range of the workspace.
pub async fn check_address(app: &App, ws: WorkspaceId, ip: Option<&str>) -> Result<(), CoreError> {
    let Some(ip) = ip.and_then(|ip| ip.parse::<std::net::IpAddr>().ok()) else { return Ok(()) };
    let ranges = app.store.live_range_blocks(ws).await?;
    let hit = ranges
        .iter()
        .filter_map(|b| b.ip_range.as_deref())
        .filter_map(|r| IpRange::parse(r).ok())
        .any(|r| r.contains(ip));
    if hit { Err(CoreError::VisitorBlocked) } else { Ok(()) }
}
