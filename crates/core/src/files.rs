//! Files sent in dialogs: checked (size, count, a type sniffed from the content against the
//! allow-list), written under the data folder by id, and served only to those who see their
//! dialog. A refused file leaves nothing behind; an upload no message takes within a day is
//! deleted by the scheduler.

use crate::App;
use crate::auth::OperatorActor;
use crate::error::CoreError;
use crate::widget::VisitorActor;
use frontline_domain::sniff;
use frontline_domain::{Attachment, AttachmentId, Audience, DomainError, MessageBody, Timestamp, WorkspaceId};
use frontline_store::{StoreError, StoredFile};
use std::path::PathBuf;

/// What uploads may be.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct UploadLimits {
    /// Largest file, in bytes.
    pub max_bytes: u64,
    /// Most files in one message.
    pub max_files: usize,
    /// Accepted MIME types, as sniffed from the content.
    pub types: Vec<String>,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_files: 5,
            types: sniff::DEFAULT_ALLOWED.iter().map(|t| (*t).to_owned()).collect(),
        }
    }
}

/// How long an upload waits for a message before the scheduler deletes it.
pub const UNSENT_TTL_MS: i64 = 24 * 3600 * 1000;

fn dir(app: &App) -> Result<&PathBuf, CoreError> {
    app.config.files_dir.as_ref().ok_or_else(|| CoreError::Unavailable("file storage is not configured".into()))
}

fn path_of(dir: &std::path::Path, id: AttachmentId) -> PathBuf {
    dir.join(id.0.simple().to_string())
}

/// Who uploads.
#[derive(Debug, Clone, Copy)]
pub enum Uploader<'a> {
    Operator(&'a OperatorActor),
    Visitor(&'a VisitorActor),
}

impl Uploader<'_> {
    fn workspace(&self) -> WorkspaceId {
        match self {
            Self::Operator(a) => a.workspace(),
            Self::Visitor(a) => a.visitor.workspace_id,
        }
    }

    fn kind_and_id(&self) -> (&'static str, uuid::Uuid) {
        match self {
            Self::Operator(a) => ("operator", a.operator.id.0),
            Self::Visitor(a) => ("visitor", a.visitor.id.0),
        }
    }
}

/// Checks a file and stores it; `bytes` is the whole file (the HTTP layer stops reading past
/// the size limit and reports that as [`CoreError::FileTooLarge`]).
pub async fn upload(app: &App, who: Uploader<'_>, name: &str, bytes: &[u8]) -> Result<Attachment, CoreError> {
    let limits = &app.config.uploads;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(CoreError::FileTooLarge(limits.max_bytes));
    }
    if let Uploader::Visitor(a) = &who {
        // Counted whether or not the file is ever sent: unsent uploads take disk all the same.
        let key = a.visitor.id.0.to_string();
        let now = app.clock.now().0;
        let (l, r) = (&app.limiter, &app.config.limits);
        l.check(r, crate::limits::Limit::WidgetUploadBytes, &key, bytes.len() as u64, now)?;
        l.hit(r, crate::limits::Limit::WidgetUploads, &key, 1, now)?;
        l.hit(r, crate::limits::Limit::WidgetUploadBytes, &key, bytes.len() as u64, now)?;
    }
    let name = sniff::clean_name(name)?;
    if bytes.is_empty() {
        return Err(DomainError::invalid("file", "is empty").into());
    }
    let detected = sniff::detect(&bytes[..bytes.len().min(64)], &name);
    if !limits.types.iter().any(|t| t == detected) {
        return Err(CoreError::FileTypeRefused { detected: detected.to_owned(), allowed: limits.types.clone() });
    }
    let file =
        Attachment { id: AttachmentId::new(), name, content_type: detected.to_owned(), size: bytes.len() as i64 };
    let dir = dir(app)?.clone();
    let path = path_of(&dir, file.id);
    let tmp = dir.join(format!("{}.part", file.id.0.simple()));
    let data = bytes.to_vec();
    let (p, t) = (path.clone(), tmp.clone());
    // Written whole and synced before its row exists, so a row never points at half a file.
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        use std::io::Write;
        std::fs::create_dir_all(p.parent().unwrap_or(std::path::Path::new(".")))?;
        let mut f = std::fs::File::create(&t)?;
        f.write_all(&data)?;
        f.sync_all()?;
        std::fs::rename(&t, &p)
    })
    .await
    .map_err(|e| CoreError::Internal(format!("file task: {e}")))?
    .map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CoreError::Unavailable(format!("writing the file: {e}"))
    })?;
    let (kind, uploader) = who.kind_and_id();
    let row = StoredFile {
        file: file.clone(),
        workspace_id: who.workspace(),
        uploader_kind: kind.to_owned(),
        uploader_id: uploader,
        created_at: app.clock.now(),
        dialog_id: None,
        message_id: None,
    };
    if let Err(e) = app.store.create_file(&row).await {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e.into());
    }
    Ok(file)
}

/// The uploads a message takes: the uploader's own, not sent yet, at most `max_files`.
pub(crate) async fn take(
    app: &App,
    ws: WorkspaceId,
    kind: &str,
    uploader: uuid::Uuid,
    ids: &[AttachmentId],
) -> Result<Vec<Attachment>, CoreError> {
    let max = app.config.uploads.max_files;
    if ids.len() > max {
        return Err(CoreError::Invalid { field: "attachments".into(), reason: format!("at most {max} files") });
    }
    let mut out: Vec<Attachment> = Vec::with_capacity(ids.len());
    for id in ids {
        if out.iter().any(|a| a.id == *id) {
            continue;
        }
        let bad =
            || CoreError::Invalid { field: "attachments".into(), reason: format!("{id} is not an upload of yours") };
        let f = match app.store.file(ws, *id).await {
            Ok(f) => f,
            Err(StoreError::NotFound) => return Err(bad()),
            Err(e) => return Err(e.into()),
        };
        if f.uploader_kind != kind || f.uploader_id != uploader {
            return Err(bad());
        }
        if f.message_id.is_some() {
            return Err(CoreError::Invalid { field: "attachments".into(), reason: format!("{id} was sent already") });
        }
        out.push(f.file);
    }
    Ok(out)
}

/// The text of a message: required, unless it carries files.
pub(crate) fn body_with(body: &str, has_files: bool, limit: usize) -> Result<MessageBody, CoreError> {
    if has_files && body.trim().is_empty() {
        return Ok(MessageBody::from_stored(String::new()));
    }
    Ok(MessageBody::parse(body, limit)?)
}

/// A file and its bytes.
pub struct Download {
    pub file: Attachment,
    pub bytes: Vec<u8>,
}

async fn read(app: &App, f: StoredFile) -> Result<Download, CoreError> {
    let path = path_of(dir(app)?, f.file.id);
    let bytes = tokio::fs::read(&path).await.map_err(|e| CoreError::Internal(format!("reading a file: {e}")))?;
    Ok(Download { file: f.file, bytes })
}

fn not_found(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::NotFound("file"),
        other => other.into(),
    }
}

/// A file for an operator: one of a dialog he sees, or his own upload.
pub async fn for_operator(app: &App, actor: &OperatorActor, id: AttachmentId) -> Result<Download, CoreError> {
    let f = app.store.file(actor.workspace(), id).await.map_err(not_found)?;
    match f.dialog_id {
        Some(d) => {
            crate::dialogs::visible_dialog(app, actor, d).await.map_err(|_| CoreError::NotFound("file"))?;
        }
        None if f.uploader_kind == "operator" && f.uploader_id == actor.operator.id.0 => {}
        None => return Err(CoreError::NotFound("file")),
    }
    read(app, f).await
}

/// A file for a visitor: his own upload, or one sent to him (never one of an internal note).
pub async fn for_visitor(app: &App, actor: &VisitorActor, id: AttachmentId) -> Result<Download, CoreError> {
    let v = &actor.visitor;
    let f = app.store.file(v.workspace_id, id).await.map_err(not_found)?;
    let own = f.uploader_kind == "visitor" && f.uploader_id == v.id.0;
    if !own {
        let (Some(dialog), Some(message)) = (f.dialog_id, f.message_id) else {
            return Err(CoreError::NotFound("file"));
        };
        let d = app.store.dialog(v.workspace_id, dialog).await.map_err(not_found)?;
        let m = app.store.message_by_id(v.workspace_id, message).await.map_err(not_found)?;
        if d.visitor_id != v.id || m.audience != Audience::All {
            return Err(CoreError::NotFound("file"));
        }
    }
    read(app, f).await
}

/// Deletes uploads no message took within a day (scheduler).
pub async fn sweep_unsent(app: &App, now: Timestamp) -> Result<usize, CoreError> {
    let Some(dir) = app.config.files_dir.clone() else { return Ok(0) };
    let stale = app.store.stale_uploads(Timestamp(now.0 - UNSENT_TTL_MS), 500).await?;
    let mut n = 0;
    for f in stale {
        if app.store.delete_upload(f.file.id).await? {
            let _ = tokio::fs::remove_file(path_of(&dir, f.file.id)).await;
            n += 1;
        }
    }
    Ok(n)
}
