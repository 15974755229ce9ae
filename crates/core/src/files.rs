//! Files sent in dialogs: checked (size, count, a type sniffed from the content against the
//! allow-list), written under the data folder by id, and served only to those who see their
//! dialog. A refused file leaves nothing behind; an upload no message takes within a day is
//! deleted by the scheduler.

use crate::App;
use crate::actor::OperatorActor;
use crate::actor::VisitorActor;
use crate::error::CoreError;
use frontline_domain::sniff;
use frontline_domain::{Attachment, AttachmentId, Audience, DomainError, MessageBody, Timestamp, WorkspaceId};
use frontline_store::{StoreError, StoredFile};
use sha2::Digest;
use std::path::{Path, PathBuf};

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

/// The folder uploads are received into (and, without object storage, kept in).
fn dir(app: &App) -> Result<&PathBuf, CoreError> {
    app.config.files_dir.as_ref().ok_or_else(|| CoreError::Unavailable("file storage is not configured".into()))
}

fn path_of(dir: &Path, id: AttachmentId) -> PathBuf {
    dir.join(id.0.simple().to_string())
}

/// A finished upload, handed to the storage: a local file, complete, its SHA-256 known.
pub struct Received<'a> {
    pub id: AttachmentId,
    pub path: &'a Path,
    pub size: u64,
    /// The SHA-256 of the bytes, lowercase hex.
    pub sha256: &'a str,
    pub content_type: &'a str,
}

/// Where the bytes of files are kept: a folder ([`Folder`], the default) or an S3-compatible
/// bucket (`frontline-integrations`). Every node of an install must see the same bytes.
#[async_trait::async_trait]
pub trait FileStorage: Send + Sync {
    /// Keeps a received file for good. The local file is gone afterwards, kept or not.
    async fn keep(&self, file: Received<'_>) -> Result<(), String>;
    /// The bytes of a kept file.
    async fn read(&self, id: AttachmentId) -> Result<Vec<u8>, String>;
    /// Forgets a kept file (one already gone is not an error).
    async fn delete(&self, id: AttachmentId) -> Result<(), String>;
}

/// Files kept in a folder, one per file, named by its id.
pub struct Folder {
    dir: PathBuf,
}

impl Folder {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }
}

#[async_trait::async_trait]
impl FileStorage for Folder {
    async fn keep(&self, file: Received<'_>) -> Result<(), String> {
        let written = async {
            // Synced before it takes its name, so a name never points at half a file.
            tokio::fs::File::open(file.path).await?.sync_all().await?;
            tokio::fs::rename(file.path, path_of(&self.dir, file.id)).await
        };
        match written.await {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = tokio::fs::remove_file(file.path).await;
                Err(e.to_string())
            }
        }
    }

    async fn read(&self, id: AttachmentId) -> Result<Vec<u8>, String> {
        tokio::fs::read(path_of(&self.dir, id)).await.map_err(|e| e.to_string())
    }

    async fn delete(&self, id: AttachmentId) -> Result<(), String> {
        match tokio::fs::remove_file(path_of(&self.dir, id)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.to_string()),
            _ => Ok(()),
        }
    }
}

/// Who uploads.
#[derive(Debug, Clone, Copy)]
pub enum Uploader<'a> {
    Operator(&'a OperatorActor),
    Visitor(&'a VisitorActor),
    /// A contact writing from elsewhere (a Telegram chat): the same limits as a visitor's.
    Contact(&'a frontline_domain::Visitor),
}

impl Uploader<'_> {
    fn workspace(&self) -> WorkspaceId {
        match self {
            Self::Operator(a) => a.workspace(),
            Self::Visitor(a) => a.visitor.workspace_id,
            Self::Contact(v) => v.workspace_id,
        }
    }

    fn kind_and_id(&self) -> (&'static str, uuid::Uuid) {
        match self {
            Self::Operator(a) => ("operator", a.operator.id.0),
            Self::Visitor(a) => ("visitor", a.visitor.id.0),
            Self::Contact(v) => ("visitor", v.id.0),
        }
    }

    /// The visitor whose uploads are counted.
    fn counted(&self) -> Option<frontline_domain::VisitorId> {
        match self {
            Self::Operator(_) => None,
            Self::Visitor(a) => Some(a.visitor.id),
            Self::Contact(v) => Some(v.id),
        }
    }
}

/// An upload on its way in: its bytes go to a temporary file as they arrive (never held whole
/// in memory), with the first bytes kept for sniffing. Dropped unfinished, the file goes.
pub struct Incoming {
    tmp: PathBuf,
    file: Option<tokio::fs::File>,
    size: u64,
    head: Vec<u8>,
    max: u64,
    sha256: sha2::Sha256,
}

impl Incoming {
    /// Appends a chunk; past the size limit the upload is refused (and its file removed).
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), CoreError> {
        use tokio::io::AsyncWriteExt;
        self.size += chunk.len() as u64;
        if self.size > self.max {
            return Err(CoreError::FileTooLarge(self.max));
        }
        if self.head.len() < 64 {
            let take = (64 - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.sha256.update(chunk);
        let file = self.file.as_mut().ok_or_else(|| CoreError::Internal("upload already finished".into()))?;
        file.write_all(chunk).await.map_err(|e| CoreError::Unavailable(format!("writing the file: {e}")))
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Starts receiving a file. A visitor's uploads are counted here, before a byte is stored.
pub async fn begin_upload(app: &App, who: Uploader<'_>) -> Result<Incoming, CoreError> {
    if let Some(v) = who.counted() {
        // Counted whether or not the file is ever sent: unsent uploads take disk all the same.
        app.limit(crate::limits::Limit::WidgetUploads, &v.0.to_string(), 1)?;
    }
    let dir = dir(app)?.clone();
    tokio::fs::create_dir_all(&dir).await.map_err(|e| CoreError::Unavailable(format!("files folder: {e}")))?;
    let tmp = dir.join(format!("{}.part", uuid::Uuid::now_v7().simple()));
    let file =
        tokio::fs::File::create(&tmp).await.map_err(|e| CoreError::Unavailable(format!("creating the file: {e}")))?;
    Ok(Incoming {
        tmp,
        file: Some(file),
        size: 0,
        head: Vec::new(),
        max: app.config.uploads.max_bytes,
        sha256: sha2::Sha256::new(),
    })
}

/// Checks a received file (name, not empty, type sniffed from its first bytes, a visitor's
/// bytes per hour) and stores it: kept whole (synced, or in the bucket) before its row exists,
/// so a row never points at half a file and a refused file leaves nothing.
pub async fn finish_upload(
    app: &App,
    who: Uploader<'_>,
    name: &str,
    mut inc: Incoming,
) -> Result<Attachment, CoreError> {
    use tokio::io::AsyncWriteExt;
    let limits = &app.config.uploads;
    let name = sniff::clean_name(name)?;
    if inc.size == 0 {
        return Err(DomainError::invalid("file", "is empty").into());
    }
    let detected = sniff::detect(&inc.head, &name);
    if !limits.types.iter().any(|t| t == detected) {
        return Err(CoreError::FileTypeRefused { detected: detected.to_owned(), allowed: limits.types.clone() });
    }
    if let Some(v) = who.counted() {
        app.limit(crate::limits::Limit::WidgetUploadBytes, &v.0.to_string(), inc.size)?;
    }
    let file = Attachment { id: AttachmentId::new(), name, content_type: detected.to_owned(), size: inc.size as i64 };
    if let Some(mut f) = inc.file.take() {
        if let Err(e) = f.flush().await {
            let _ = tokio::fs::remove_file(&inc.tmp).await;
            return Err(CoreError::Unavailable(format!("writing the file: {e}")));
        }
        drop(f);
        let sha256: String = std::mem::take(&mut inc.sha256).finalize().iter().map(|b| format!("{b:02x}")).collect();
        let received =
            Received { id: file.id, path: &inc.tmp, size: inc.size, sha256: &sha256, content_type: &file.content_type };
        if let Err(e) = app.file_storage.keep(received).await {
            tracing::warn!(error = %e, "a received file could not be kept");
            return Err(CoreError::Unavailable(format!("keeping the file: {e}")));
        }
    }
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
        let _ = app.file_storage.delete(file.id).await;
        return Err(e.into());
    }
    Ok(file)
}

/// Checks a file held in memory and stores it (tests, and callers that have the bytes).
pub async fn upload(app: &App, who: Uploader<'_>, name: &str, bytes: &[u8]) -> Result<Attachment, CoreError> {
    if bytes.len() as u64 > app.config.uploads.max_bytes {
        return Err(CoreError::FileTooLarge(app.config.uploads.max_bytes));
    }
    let mut inc = begin_upload(app, who).await?;
    inc.write(bytes).await?;
    finish_upload(app, who, name, inc).await
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
        let bad = || CoreError::UnknownReference { field: "attachments".into(), what: "upload" };
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
    let bytes = bytes_of(app, &f.file).await?;
    Ok(Download { file: f.file, bytes })
}

/// The bytes of a message's file (an outbound channel sends them on).
pub async fn bytes_of(app: &App, file: &Attachment) -> Result<Vec<u8>, CoreError> {
    app.file_storage.read(file.id).await.map_err(|e| {
        tracing::warn!(file = %file.id.0, error = %e, "a file could not be read");
        CoreError::Unavailable(format!("reading a file: {e}"))
    })
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
            crate::reads::visible_dialog(app, actor, d).await.map_err(|_| CoreError::NotFound("file"))?;
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
    if app.config.files_dir.is_none() {
        return Ok(0);
    }
    let stale = app.store.stale_uploads(Timestamp(now.0 - UNSENT_TTL_MS), 500).await?;
    let mut n = 0;
    for f in stale {
        if app.store.delete_upload(f.file.id).await? {
            if let Err(e) = app.file_storage.delete(f.file.id).await {
                tracing::warn!(file = %f.file.id.0, error = %e, "an unsent upload's bytes could not be deleted");
            }
            n += 1;
        }
    }
    Ok(n)
}
