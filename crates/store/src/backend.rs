//! The parts of a SQL backend that are the same for SQLite and PostgreSQL.
//!
//! Both backends run the same query texts (`sql`) with the same bindings and decode rows
//! through the same readers (`records`), so the trait implementations around them are the
//! same code. [`sql_store_impls!`] writes them for a backend type that provides three
//! inherent methods: `reader()` and `writer()` (its sqlx pools) and
//! `write_post(PostMessage)` (its way of appending messages: group commit on SQLite, one
//! transaction per post on PostgreSQL). [`sql_row_glue!`] writes the row adapter and the
//! error mapping. What differs stays in each backend: connections, migrations, the write
//! path, `Store` itself.

/// Column access and error mapping for a backend's row type: defines `R` (the row seen
/// through [`crate::records::StoreRow`]) and `map_err` in the calling module.
#[macro_export]
macro_rules! sql_row_glue {
    ($row:ty) => {
        /// A row seen through [`StoreRow`]($crate::records::StoreRow).
        pub struct R<'a>(pub &'a $row);

        fn col(e: ::sqlx::Error) -> $crate::StoreError {
            $crate::StoreError::Internal(format!("column: {e}"))
        }

        impl $crate::records::StoreRow for R<'_> {
            fn uuid(&self, c: &str) -> Result<$crate::__uuid::Uuid, $crate::StoreError> {
                ::sqlx::Row::try_get(self.0, c).map_err(col)
            }
            fn int(&self, c: &str) -> Result<i64, $crate::StoreError> {
                ::sqlx::Row::try_get(self.0, c).map_err(col)
            }
            fn opt_int(&self, c: &str) -> Result<Option<i64>, $crate::StoreError> {
                ::sqlx::Row::try_get(self.0, c).map_err(col)
            }
            fn text(&self, c: &str) -> Result<String, $crate::StoreError> {
                ::sqlx::Row::try_get(self.0, c).map_err(col)
            }
            fn opt_text(&self, c: &str) -> Result<Option<String>, $crate::StoreError> {
                ::sqlx::Row::try_get(self.0, c).map_err(col)
            }
            fn boolean(&self, c: &str) -> Result<bool, $crate::StoreError> {
                ::sqlx::Row::try_get(self.0, c).map_err(col)
            }
        }

        /// Turns a driver error into the store's vocabulary.
        pub fn map_err(e: ::sqlx::Error) -> $crate::StoreError {
            use $crate::StoreError;
            match e {
                ::sqlx::Error::RowNotFound => StoreError::NotFound,
                ::sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict("unique"),
                ::sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
                ::sqlx::Error::PoolTimedOut
                | ::sqlx::Error::PoolClosed
                | ::sqlx::Error::Io(_)
                | ::sqlx::Error::WorkerCrashed => StoreError::Unavailable(e.to_string()),
                other => StoreError::Internal(other.to_string()),
            }
        }
    };
}

/// `AccountStore`, `ChannelStore`, `VisitorStore` and `DialogStore` for a SQL backend (see
/// the module documentation for what the backend provides). `row = path::to::module` names
/// the module where [`sql_row_glue!`] put `R` and `map_err`.
#[macro_export]
macro_rules! sql_store_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{
                Channel, ChannelId, Dialog, DialogId, DialogStatus, Email, Message, Operator, OperatorId, Site,
                SiteKey, Timestamp, Visitor, VisitorId, VisitorName, Workspace, WorkspaceId, WorkspaceSlug,
            };
            use $crate::{
                AccountStore, ChannelStore, DialogPage, DialogStore, NewSession, NewVisitor, PostMessage, Posted,
                StoreError, StoreResult, VisitorStore,
            };

            #[$crate::async_trait]
            impl AccountStore for $store {
                async fn create_workspace(&self, ws: &Workspace, default_channel: &Channel) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    sqlx::query($crate::sql::INSERT_WORKSPACE)
                        .bind(ws.id.0)
                        .bind(ws.slug.as_str())
                        .bind(&ws.name)
                        .bind(ws.created_at.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    sqlx::query($crate::sql::INSERT_CHANNEL)
                        .bind(default_channel.id.0)
                        .bind(ws.id.0)
                        .bind(&default_channel.name)
                        .bind(true)
                        .bind(ws.created_at.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)
                }

                async fn workspace(&self, id: WorkspaceId) -> StoreResult<Workspace> {
                    let row = sqlx::query($crate::sql::SELECT_WORKSPACE)
                        .bind(id.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::workspace(&R(&row))
                }

                async fn workspace_by_slug(&self, slug: &WorkspaceSlug) -> StoreResult<Workspace> {
                    let row = sqlx::query($crate::sql::SELECT_WORKSPACE_BY_SLUG)
                        .bind(slug.as_str())
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::workspace(&R(&row))
                }

                async fn list_workspaces(&self) -> StoreResult<Vec<Workspace>> {
                    let rows =
                        sqlx::query($crate::sql::SELECT_WORKSPACES).fetch_all(self.reader()).await.map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::workspace(&R(r))).collect()
                }

                async fn create_operator(&self, op: &Operator) -> StoreResult<()> {
                    sqlx::query($crate::sql::INSERT_OPERATOR)
                        .bind(op.id.0)
                        .bind(op.workspace_id.0)
                        .bind(op.email.as_str())
                        .bind(op.display_name.as_str())
                        .bind(op.role.as_str())
                        .bind(&op.password_hash)
                        .bind(op.created_at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn operator(&self, workspace: WorkspaceId, id: OperatorId) -> StoreResult<Operator> {
                    let row = sqlx::query($crate::sql::SELECT_OPERATOR)
                        .bind(workspace.0)
                        .bind(id.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::operator(&R(&row))
                }

                async fn operators_by_email(&self, email: &Email) -> StoreResult<Vec<Operator>> {
                    let rows = sqlx::query($crate::sql::SELECT_OPERATORS_BY_EMAIL)
                        .bind(email.as_str())
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::operator(&R(r))).collect()
                }

                async fn list_operators(&self, workspace: WorkspaceId) -> StoreResult<Vec<Operator>> {
                    let rows = sqlx::query($crate::sql::SELECT_OPERATORS)
                        .bind(workspace.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::operator(&R(r))).collect()
                }

                async fn create_session(&self, s: &NewSession) -> StoreResult<()> {
                    sqlx::query($crate::sql::INSERT_SESSION)
                        .bind(&s.token_hash)
                        .bind(s.workspace_id.0)
                        .bind(s.operator_id.0)
                        .bind(s.created_at.0)
                        .bind(s.expires_at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn session_operator(&self, token_hash: &[u8], now: Timestamp) -> StoreResult<Operator> {
                    let row = sqlx::query($crate::sql::SELECT_SESSION_OPERATOR)
                        .bind(token_hash)
                        .bind(now.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::operator(&R(&row))
                }

                async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
                    sqlx::query($crate::sql::DELETE_SESSION)
                        .bind(token_hash)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }
            }

            #[$crate::async_trait]
            impl ChannelStore for $store {
                async fn list_channels(&self, workspace: WorkspaceId) -> StoreResult<Vec<Channel>> {
                    let rows = sqlx::query($crate::sql::SELECT_CHANNELS)
                        .bind(workspace.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::channel(&R(r))).collect()
                }

                async fn default_channel(&self, workspace: WorkspaceId) -> StoreResult<Channel> {
                    let row = sqlx::query($crate::sql::SELECT_DEFAULT_CHANNEL)
                        .bind(workspace.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::channel(&R(&row))
                }

                async fn add_channel_member(
                    &self,
                    workspace: WorkspaceId,
                    channel: ChannelId,
                    operator: OperatorId,
                ) -> StoreResult<()> {
                    let done = sqlx::query($crate::sql::INSERT_CHANNEL_MEMBER)
                        .bind(channel.0)
                        .bind(operator.0)
                        .bind(workspace.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 {
                        // Either already a member (fine) or one of them is not in this workspace.
                        let members = self.channel_members(workspace, channel).await?;
                        if !members.contains(&operator) {
                            return Err(StoreError::NotFound);
                        }
                    }
                    Ok(())
                }

                async fn operator_channels(
                    &self,
                    workspace: WorkspaceId,
                    operator: OperatorId,
                ) -> StoreResult<Vec<ChannelId>> {
                    let ids: Vec<$crate::__uuid::Uuid> = sqlx::query_scalar($crate::sql::SELECT_OPERATOR_CHANNELS)
                        .bind(workspace.0)
                        .bind(operator.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(ids.into_iter().map(ChannelId).collect())
                }

                async fn create_channel(&self, channel: &Channel) -> StoreResult<()> {
                    sqlx::query($crate::sql::INSERT_CHANNEL)
                        .bind(channel.id.0)
                        .bind(channel.workspace_id.0)
                        .bind(&channel.name)
                        .bind(channel.is_default)
                        .bind($crate::records::now_ms())
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn channel(&self, workspace: WorkspaceId, id: ChannelId) -> StoreResult<Channel> {
                    let row = sqlx::query($crate::sql::SELECT_CHANNEL)
                        .bind(workspace.0)
                        .bind(id.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::channel(&R(&row))
                }

                async fn rename_channel(&self, workspace: WorkspaceId, id: ChannelId, name: &str) -> StoreResult<Channel> {
                    let row = sqlx::query($crate::sql::RENAME_CHANNEL)
                        .bind(workspace.0)
                        .bind(id.0)
                        .bind(name)
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    $crate::records::channel(&R(&row))
                }

                async fn set_channel_members(
                    &self,
                    workspace: WorkspaceId,
                    channel: ChannelId,
                    operators: &[OperatorId],
                ) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    sqlx::query($crate::sql::SELECT_CHANNEL)
                        .bind(workspace.0)
                        .bind(channel.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    sqlx::query($crate::sql::DELETE_CHANNEL_MEMBERS).bind(channel.0).execute(&mut *tx).await.map_err(map_err)?;
                    let mut seen = std::collections::HashSet::new();
                    for op in operators.iter().filter(|o| seen.insert(**o)) {
                        let done = sqlx::query($crate::sql::INSERT_CHANNEL_MEMBER)
                            .bind(channel.0)
                            .bind(op.0)
                            .bind(workspace.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        if done.rows_affected() == 0 {
                            // Not an operator of this workspace: nothing of the change is kept.
                            return Err(StoreError::NotFound);
                        }
                    }
                    tx.commit().await.map_err(map_err)
                }

                async fn channel_members(
                    &self,
                    workspace: WorkspaceId,
                    channel: ChannelId,
                ) -> StoreResult<Vec<OperatorId>> {
                    let ids: Vec<$crate::__uuid::Uuid> = sqlx::query_scalar($crate::sql::SELECT_CHANNEL_MEMBERS)
                        .bind(workspace.0)
                        .bind(channel.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(ids.into_iter().map(OperatorId).collect())
                }

                async fn create_site(&self, site: &Site) -> StoreResult<()> {
                    sqlx::query($crate::sql::INSERT_SITE)
                        .bind(site.id.0)
                        .bind(site.workspace_id.0)
                        .bind(&site.name)
                        .bind(site.key.as_str())
                        .bind($crate::records::join_origins(site))
                        .bind(site.channel_id.0)
                        .bind($crate::records::now_ms())
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn site_by_key(&self, key: &SiteKey) -> StoreResult<Site> {
                    let row = sqlx::query($crate::sql::SELECT_SITE_BY_KEY)
                        .bind(key.as_str())
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::site(&R(&row))
                }

                async fn list_sites(&self, workspace: WorkspaceId) -> StoreResult<Vec<Site>> {
                    let rows = sqlx::query($crate::sql::SELECT_SITES)
                        .bind(workspace.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::site(&R(r))).collect()
                }
            }

            #[$crate::async_trait]
            impl VisitorStore for $store {
                async fn create_visitor(&self, v: &NewVisitor) -> StoreResult<Visitor> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let number: i64 = sqlx::query_scalar($crate::sql::NEXT_VISITOR_NUMBER)
                        .bind(v.workspace_id.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let row = sqlx::query($crate::sql::INSERT_VISITOR)
                        .bind(v.id.0)
                        .bind(v.workspace_id.0)
                        .bind(v.site_id.0)
                        .bind(number)
                        .bind(&v.token_hash)
                        .bind(v.created_at.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let visitor = $crate::records::visitor(&R(&row))?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(visitor)
                }

                async fn visitor(&self, workspace: WorkspaceId, id: VisitorId) -> StoreResult<Visitor> {
                    let row = sqlx::query($crate::sql::SELECT_VISITOR)
                        .bind(workspace.0)
                        .bind(id.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::visitor(&R(&row))
                }

                async fn visitor_by_token(&self, token_hash: &[u8]) -> StoreResult<Visitor> {
                    let row = sqlx::query($crate::sql::SELECT_VISITOR_BY_TOKEN)
                        .bind(token_hash)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::visitor(&R(&row))
                }

                async fn set_visitor_name(
                    &self,
                    workspace: WorkspaceId,
                    id: VisitorId,
                    name: &VisitorName,
                ) -> StoreResult<Visitor> {
                    let row = sqlx::query($crate::sql::UPDATE_VISITOR_NAME)
                        .bind(workspace.0)
                        .bind(id.0)
                        .bind(name.as_str())
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    $crate::records::visitor(&R(&row))
                }
            }

            #[$crate::async_trait]
            impl DialogStore for $store {
                async fn post_message(&self, post: PostMessage) -> StoreResult<Posted> {
                    self.write_post(post).await
                }

                async fn dialog(&self, workspace: WorkspaceId, id: DialogId) -> StoreResult<Dialog> {
                    let row = sqlx::query($crate::sql::SELECT_DIALOG)
                        .bind(workspace.0)
                        .bind(id.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::dialog(&R(&row))
                }

                async fn list_dialogs(
                    &self,
                    workspace: WorkspaceId,
                    status: Option<DialogStatus>,
                    visible_to: Option<OperatorId>,
                    page: DialogPage,
                ) -> StoreResult<Vec<Dialog>> {
                    let status = status.map(DialogStatus::as_str).unwrap_or("");
                    let sees_all = visible_to.is_none();
                    let member = visible_to.map(|o| o.0).unwrap_or_default();
                    let rows = match page.after {
                        None => {
                            sqlx::query($crate::sql::SELECT_DIALOGS_FIRST)
                                .bind(workspace.0)
                                .bind(status)
                                .bind(i64::from(page.limit))
                                .bind(sees_all)
                                .bind(member)
                                .fetch_all(self.reader())
                                .await
                        }
                        Some((at, id)) => {
                            sqlx::query($crate::sql::SELECT_DIALOGS_AFTER)
                                .bind(workspace.0)
                                .bind(status)
                                .bind(i64::from(page.limit))
                                .bind(at.0)
                                .bind(id.0)
                                .bind(sees_all)
                                .bind(member)
                                .fetch_all(self.reader())
                                .await
                        }
                    }
                    .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::dialog(&R(r))).collect()
                }

                async fn latest_dialog_of_visitor(
                    &self,
                    workspace: WorkspaceId,
                    visitor: VisitorId,
                ) -> StoreResult<Option<Dialog>> {
                    let row = sqlx::query($crate::sql::SELECT_LATEST_DIALOG_OF_VISITOR)
                        .bind(workspace.0)
                        .bind(visitor.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(map_err)?;
                    row.as_ref().map(|r| $crate::records::dialog(&R(r))).transpose()
                }

                async fn messages(
                    &self,
                    workspace: WorkspaceId,
                    dialog: DialogId,
                    after_seq: i64,
                    limit: u32,
                ) -> StoreResult<Vec<Message>> {
                    let rows = sqlx::query($crate::sql::SELECT_MESSAGES)
                        .bind(workspace.0)
                        .bind(dialog.0)
                        .bind(after_seq)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::message(&R(r))).collect()
                }

                async fn mark_read(&self, workspace: WorkspaceId, dialog: DialogId, seq: i64) -> StoreResult<Dialog> {
                    let row = sqlx::query($crate::sql::MARK_READ)
                        .bind(workspace.0)
                        .bind(dialog.0)
                        .bind(seq)
                        .fetch_optional(self.writer())
                        .await
                        .map_err(map_err)?;
                    match row {
                        Some(row) => $crate::records::dialog(&R(&row)),
                        None => self.dialog(workspace, dialog).await,
                    }
                }

                async fn close_dialog(
                    &self,
                    workspace: WorkspaceId,
                    dialog: DialogId,
                    now: Timestamp,
                ) -> StoreResult<(Dialog, bool)> {
                    let row = sqlx::query($crate::sql::CLOSE_DIALOG)
                        .bind(workspace.0)
                        .bind(dialog.0)
                        .bind(now.0)
                        .fetch_optional(self.writer())
                        .await
                        .map_err(map_err)?;
                    match row {
                        Some(row) => Ok(($crate::records::dialog(&R(&row))?, true)),
                        None => Ok((self.dialog(workspace, dialog).await?, false)),
                    }
                }
            }
        };
    };
}

/// Why one post was not written by the one-post path.
pub enum PostFailure {
    /// Decided by reading, before the post wrote anything (a closed or unknown dialog).
    Refused(crate::StoreError),
    /// The database failed a statement (or lost a race): the transaction must be rolled back.
    Db(crate::StoreError),
}

impl From<crate::StoreError> for PostFailure {
    fn from(e: crate::StoreError) -> Self {
        PostFailure::Db(e)
    }
}

impl PostFailure {
    pub fn into_error(self) -> crate::StoreError {
        match self {
            PostFailure::Refused(e) | PostFailure::Db(e) => e,
        }
    }
}

/// The one-post path, `post_in(conn, post)`: writes one post inside the caller's transaction
/// with the rules every backend follows (SQLite's batch path mirrors them). Expects `R` and
/// `map_err` in the named row module.
#[macro_export]
macro_rules! sql_post_one {
    ($conn:ty, row = $($row:ident)::+) => {
        use $crate::__domain::{Author, DialogId, Message};
        use $crate::backend::PostFailure;
        use $crate::records::{self, PREVIEW_CHARS};
        use $crate::{PostMessage, PostTarget, Posted, StoreError, StoreResult, sql};
        use $($row)::+::{R, map_err};

        /// The answer to a retried send: what was stored the first time.
        async fn duplicate(conn: &mut $conn, post: &PostMessage, id: $crate::__uuid::Uuid) -> StoreResult<Posted> {
            let row = ::sqlx::query(sql::SELECT_MESSAGE).bind(id).fetch_one(&mut *conn).await.map_err(map_err)?;
            let message = records::message(&R(&row))?;
            let row = ::sqlx::query(sql::SELECT_DIALOG)
                .bind(post.workspace_id.0)
                .bind(message.dialog_id.0)
                .fetch_one(&mut *conn)
                .await
                .map_err(map_err)?;
            let dialog = records::dialog(&R(&row))?;
            Ok(Posted { message, dialog, dialog_created: false, duplicate: true })
        }

        /// Writes one post inside the current transaction: three statements on the common path
        /// (probe, append, insert), two more when it opens the visitor's dialog.
        pub(crate) async fn post_in(conn: &mut $conn, post: &PostMessage) -> Result<Posted, PostFailure> {
            let ws = post.workspace_id;
            let m = &post.message;
            let (dialog_id, dialog_created) = match &post.target {
                PostTarget::Dialog(id) => {
                    let dup: Option<$crate::__uuid::Uuid> = ::sqlx::query_scalar(sql::PROBE_CLIENT_ID)
                        .bind(m.author_id)
                        .bind(m.client_id.as_str())
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    if let Some(dup) = dup {
                        return Ok(duplicate(conn, post, dup).await?);
                    }
                    (*id, false)
                }
                PostTarget::Visitor { visitor, channel, new_dialog_id } => {
                    let (dup, open): (Option<$crate::__uuid::Uuid>, Option<$crate::__uuid::Uuid>) = ::sqlx::query_as(sql::PROBE_VISITOR_POST)
                        .bind(m.author_id)
                        .bind(m.client_id.as_str())
                        .bind(ws.0)
                        .bind(visitor.0)
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    if let Some(dup) = dup {
                        return Ok(duplicate(conn, post, dup).await?);
                    }
                    match open {
                        Some(id) => (DialogId(id), false),
                        None => {
                            let number: i64 = ::sqlx::query_scalar(sql::NEXT_DIALOG_NUMBER)
                                .bind(ws.0)
                                .fetch_one(&mut *conn)
                                .await
                                .map_err(map_err)?;
                            let inserted = ::sqlx::query(sql::INSERT_DIALOG)
                                .bind(new_dialog_id.0)
                                .bind(ws.0)
                                .bind(number)
                                .bind(channel.0)
                                .bind(visitor.0)
                                .bind(m.created_at.0)
                                .execute(&mut *conn)
                                .await
                                .map_err(map_err)?;
                            if inserted.rows_affected() == 0 {
                                // Another transaction opened his dialog first (PostgreSQL; SQLite
                                // writes one at a time): the caller retries and appends to it.
                                return Err(PostFailure::Db(StoreError::Conflict("open dialog")));
                            }
                            (*new_dialog_id, true)
                        }
                    }
                }
            };
            let row = ::sqlx::query(sql::APPEND_TO_DIALOG)
                .bind(dialog_id.0)
                .bind(m.author_kind.as_str())
                .bind(m.body.preview(PREVIEW_CHARS))
                .bind(m.created_at.0)
                .bind(ws.0)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?;
            let Some(row) = row else {
                // Not open: tell a closed dialog from a missing one. Nothing was written.
                let exists = ::sqlx::query(sql::SELECT_DIALOG)
                    .bind(ws.0)
                    .bind(dialog_id.0)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(map_err)?;
                return Err(PostFailure::Refused(if exists.is_some() { StoreError::DialogClosed } else { StoreError::NotFound }));
            };
            let dialog = records::dialog(&R(&row))?;
            ::sqlx::query(sql::INSERT_MESSAGE)
                .bind(m.id.0)
                .bind(ws.0)
                .bind(dialog_id.0)
                .bind(dialog.last_seq)
                .bind(m.client_id.as_str())
                .bind(m.author_kind.as_str())
                .bind(m.author_id)
                .bind(post.author_name.as_deref())
                .bind(m.body.as_str())
                .bind(m.created_at.0)
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            let message = Message {
                id: m.id,
                workspace_id: ws,
                dialog_id,
                seq: dialog.last_seq,
                client_id: m.client_id.clone(),
                author: Author { kind: m.author_kind, id: m.author_id, name: post.author_name.clone() },
                body: m.body.clone(),
                created_at: m.created_at,
            };
            Ok(Posted { message, dialog, dialog_created, duplicate: false })
        }
    };
}
