//! Why a use case refused or failed. Each variant has one stable API code (see `frontline-http`).

use frontline_domain::DomainError;
use frontline_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A field named at run time (`items[2].conditions[0].pattern`) is not acceptable.
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("this e-mail is used in several workspaces; choose one")]
    WorkspaceRequired,
    #[error("your role does not allow this")]
    Forbidden,
    #[error("unknown widget key")]
    UnknownSiteKey,
    #[error("this page's origin is not allowed for the widget")]
    OriginNotAllowed,
    #[error("no such dialog")]
    DialogNotFound,
    #[error("no such {0}")]
    NotFound(&'static str),
    /// A well-formed id in the request's body names nothing the caller may use (a tag, an
    /// upload, a channel); `field` is the field as the API names it.
    #[error("{field}: no such {what}")]
    UnknownReference { field: String, what: &'static str },
    #[error("an operator with this e-mail already exists")]
    EmailTaken,
    #[error("a channel with this name already exists")]
    ChannelNameTaken,
    #[error("already taken by {0}")]
    AlreadyAssigned(String),
    #[error("at capacity: {0} active dialogs")]
    CapacityReached(u32),
    #[error("the operator is not online")]
    OperatorUnavailable,
    #[error("the operator is not a member of the dialog's channel")]
    NotChannelMember,
    #[error("no operator of the channel is online")]
    ChannelUnavailable,
    #[error("choose a category before closing")]
    CategoryRequired,
    #[error("this name is taken")]
    NameTaken,
    #[error("the visitor has another open dialog")]
    VisitorHasOpenDialog,
    #[error("no rating was asked for this dialog")]
    RatingNotRequested,
    #[error("this dialog is rated already")]
    AlreadyRated,
    #[error("this form was sent already")]
    FormSentAlready,
    #[error("the visitor saw this proactive message within its period")]
    TriggerAlreadyShown,
    #[error("the file is larger than {0} bytes")]
    FileTooLarge(u64),
    #[error("files of type {detected} are not accepted")]
    FileTypeRefused { detected: String, allowed: Vec<String> },
    /// A send's `client_id` was used before for a message in another dialog: a retry is only
    /// a retry in the same dialog.
    #[error("this client_id was used for a message in another dialog")]
    ClientIdReused { dialog: frontline_domain::DialogId },
    /// A rate limit (named as in the configuration) refused this; come back after the wait.
    #[error("rate limit {limit} reached")]
    RateLimited { limit: &'static str, retry_after_ms: i64 },
    /// An address an outbound call may not reach (loopback, private, link-local).
    #[error("address not allowed: {0}")]
    UrlNotAllowed(String),
    /// The quality guard blocks this message: `rule` the first blocking rule, `hits` all it
    /// found; `allow_override` when every block may be overridden with a reason.
    #[error("the quality guard blocks this message ({rule})")]
    GuardBlocked { rule: String, allow_override: bool, hits: Vec<frontline_domain::quality::Hit>, found: String },
    /// The workspace is suspended by the install's owner.
    #[error("this workspace is suspended")]
    WorkspaceSuspended,
    /// The visitor (or his address) is blocked: his widget does not open, his messages make nothing.
    #[error("this visitor is blocked")]
    VisitorBlocked,
    #[error("this complaint was decided already")]
    ComplaintDecided,
    /// The page's identify of a site's user does not hold (a wrong or missing hash).
    #[error("identify refused: {0}")]
    IdentityRefused(&'static str),
    /// A Web API key without the scope a call needs.
    #[error("this API key lacks the scope {0}")]
    ScopeMissing(&'static str),
    #[error("a workspace has at most {0} live API keys")]
    TooManyKeys(u32),
    #[error("a workspace has at most {0} webhook endpoints")]
    TooManyWebhooks(u32),
    /// A dialog cannot close before these custom fields (key, label) are filled.
    #[error("fill these fields first: {0:?}")]
    FieldsRequired(Vec<(String, String)>),
    #[error("a workspace has at most {0} segments")]
    TooManySegments(u32),
    /// A segment a routing rule or a proactive message uses cannot be deleted.
    #[error("this segment is used by {0}")]
    SegmentInUse(String),
    #[error("the store is unavailable")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => CoreError::NotFound("resource"),
            StoreError::DialogClosed => CoreError::Domain(DomainError::DialogClosed),
            StoreError::Refused(r) => CoreError::Internal(format!("unhandled refusal: {r:?}")),
            StoreError::Conflict(what) => CoreError::Internal(format!("unexpected conflict on {what}")),
            StoreError::Stale => CoreError::Internal("an unhandled stale expectation".into()),
            StoreError::Unavailable(s) => CoreError::Unavailable(s),
            StoreError::Internal(s) => CoreError::Internal(s),
        }
    }
}

/// Maps a store `NotFound` to the error a caller should see for a dialog.
pub(crate) fn dialog_not_found(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::DialogNotFound,
        other => other.into(),
    }
}
