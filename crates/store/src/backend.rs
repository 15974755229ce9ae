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
        $crate::sql_row_glue!($row, on_unavailable = |_: &$crate::StoreError| {});
    };
    // `on_unavailable` sees every error that says the database is out of reach.
    ($row:ty, on_unavailable = $hook:expr) => {
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
            fn opt_uuid(&self, c: &str) -> Result<Option<$crate::__uuid::Uuid>, $crate::StoreError> {
                ::sqlx::Row::try_get(self.0, c).map_err(col)
            }
        }

        /// Binds the arguments of a query built at run time ([`$crate::sql::Arg`]).
        pub fn bind_args<'q, DB: ::sqlx::Database>(
            mut q: ::sqlx::query::Query<'q, DB, <DB as ::sqlx::Database>::Arguments>,
            args: &[$crate::sql::Arg],
        ) -> ::sqlx::query::Query<'q, DB, <DB as ::sqlx::Database>::Arguments>
        where
            $crate::__uuid::Uuid: ::sqlx::Encode<'q, DB> + ::sqlx::Type<DB>,
            i64: ::sqlx::Encode<'q, DB> + ::sqlx::Type<DB>,
            f64: ::sqlx::Encode<'q, DB> + ::sqlx::Type<DB>,
            &'q str: ::sqlx::Encode<'q, DB> + ::sqlx::Type<DB>,
            String: ::sqlx::Encode<'q, DB> + ::sqlx::Type<DB>,
        {
            for a in args {
                q = match a {
                    $crate::sql::Arg::Uuid(u) => q.bind(*u),
                    $crate::sql::Arg::Int(i) => q.bind(*i),
                    $crate::sql::Arg::Float(f) => q.bind(*f),
                    $crate::sql::Arg::Text(t) => q.bind(*t),
                    $crate::sql::Arg::String(t) => q.bind(t.clone()),
                };
            }
            q
        }

        /// Turns a driver error into the store's vocabulary.
        pub fn map_err(e: ::sqlx::Error) -> $crate::StoreError {
            use $crate::StoreError;
            let mapped = match e {
                ::sqlx::Error::RowNotFound => StoreError::NotFound,
                ::sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict("unique"),
                ::sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
                ::sqlx::Error::Database(db) if db.code().is_some_and(|c| $crate::sqlstate_is_unavailable(&c)) => {
                    StoreError::Unavailable(db.to_string())
                }
                ::sqlx::Error::PoolTimedOut
                | ::sqlx::Error::PoolClosed
                | ::sqlx::Error::Io(_)
                | ::sqlx::Error::WorkerCrashed => StoreError::Unavailable(e.to_string()),
                other => StoreError::Internal(other.to_string()),
            };
            if matches!(mapped, StoreError::Unavailable(_)) {
                ($hook)(&mapped);
            }
            mapped
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
                Candidate, Capacity, Channel, ChannelId, ChannelSettings, ContactSource, Dialog, DialogId, Email, Message, Operator,
                OperatorId, Presence, RoutingContext, Site, SiteKey, Timestamp, Visitor, VisitorId, VisitorName,
                Workspace, WorkspaceId, WorkspaceSlug,
            };
            use $crate::{
                AccountStore, ChannelStore, DialogFilter, DialogPage, DialogStore, NewContact, NewSession, NewVisitor, PostMessage,
                Posted, QueueStore, Reassign, Reassigned, Refusal, StoreError, StoreResult, StoredRule, VisitorStore,
            };
            use std::collections::HashMap;

            /// Binds the arguments of a query built at run time.
            use $($row)::+::bind_args;

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
                    let st = &default_channel.settings;
                    sqlx::query($crate::sql::INSERT_CHANNEL)
                        .bind(default_channel.id.0)
                        .bind(ws.id.0)
                        .bind(&default_channel.name)
                        .bind(true)
                        .bind(ws.created_at.0)
                        .bind(st.mode.as_str())
                        .bind(st.greeting.as_str())
                        .bind(st.wait_limit.as_seconds())
                        .bind(st.offline_policy.as_str())
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
                        .bind(i64::from(op.capacity.get()))
                        .bind(op.presence.as_str())
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
                        .bind(s.ip.as_deref())
                        .bind(s.user_agent.as_deref())
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn session_operator(&self, token_hash: &[u8], now: Timestamp, idle_after: Timestamp) -> StoreResult<Operator> {
                    let row = sqlx::query($crate::sql::SELECT_SESSION_OPERATOR)
                        .bind(token_hash)
                        .bind(now.0)
                        .bind(idle_after.0)
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

                async fn touch_session(&self, token_hash: &[u8], now: Timestamp) -> StoreResult<()> {
                    sqlx::query($crate::sql::TOUCH_SESSION)
                        .bind(token_hash)
                        .bind(now.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn operator_sessions(
                    &self,
                    ws: WorkspaceId,
                    op: OperatorId,
                    now: Timestamp,
                    idle_after: Timestamp,
                ) -> StoreResult<Vec<$crate::SessionRow>> {
                    let rows: Vec<(Vec<u8>, i64, i64, i64, Option<String>, Option<String>)> =
                        sqlx::query_as($crate::sql::SELECT_OPERATOR_SESSIONS)
                            .bind(ws.0)
                            .bind(op.0)
                            .bind(now.0)
                            .bind(idle_after.0)
                            .fetch_all(self.reader())
                            .await
                            .map_err(map_err)?;
                    Ok(rows
                        .into_iter()
                        .map(|(token_hash, created, seen, expires, ip, user_agent)| $crate::SessionRow {
                            token_hash,
                            created_at: Timestamp(created),
                            last_seen_at: Timestamp(seen),
                            expires_at: Timestamp(expires),
                            ip,
                            user_agent,
                        })
                        .collect())
                }

                async fn delete_session_of(&self, ws: WorkspaceId, op: OperatorId, token_hash: &[u8]) -> StoreResult<bool> {
                    let done = sqlx::query($crate::sql::DELETE_SESSION_OF)
                        .bind(ws.0)
                        .bind(op.0)
                        .bind(token_hash)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(done.rows_affected() > 0)
                }

                async fn delete_operator_sessions(&self, ws: WorkspaceId, op: OperatorId) -> StoreResult<u64> {
                    let done = sqlx::query($crate::sql::DELETE_OPERATOR_SESSIONS)
                        .bind(ws.0)
                        .bind(op.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(done.rows_affected())
                }

                async fn purge_sessions(&self, now: Timestamp, idle_after: Timestamp) -> StoreResult<u64> {
                    let done = sqlx::query($crate::sql::PURGE_SESSIONS)
                        .bind(now.0)
                        .bind(idle_after.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(done.rows_affected())
                }

                async fn change_operator(
                    &self,
                    ws: WorkspaceId,
                    id: OperatorId,
                    change: &$crate::OperatorChange,
                    actor: $crate::__domain::Actor,
                    now: Timestamp,
                ) -> StoreResult<Operator> {
                    use $crate::OperatorChange as C;
                    let what = match change {
                        C::Role(_) => "role",
                        C::PasswordHash(_) => "password",
                        C::Deactivated(_) => "deactivated",
                        C::Reactivated => "reactivated",
                        C::DisplayName(_) => "display_name",
                    };
                    let q = match change {
                        C::Role(role) => sqlx::query($crate::sql::SET_OPERATOR_ROLE).bind(ws.0).bind(id.0).bind(role.as_str()),
                        C::PasswordHash(h) => sqlx::query($crate::sql::SET_OPERATOR_PASSWORD).bind(ws.0).bind(id.0).bind(h.as_str()),
                        C::Deactivated(at) => sqlx::query($crate::sql::DEACTIVATE_OPERATOR).bind(ws.0).bind(id.0).bind(at.0),
                        C::Reactivated => sqlx::query($crate::sql::REACTIVATE_OPERATOR).bind(ws.0).bind(id.0),
                        C::DisplayName(n) => sqlx::query($crate::sql::SET_OPERATOR_NAME).bind(ws.0).bind(id.0).bind(n.as_str()),
                    };
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let row = q.fetch_one(&mut *tx).await.map_err(map_err)?;
                    let op = $crate::records::operator(&R(&row))?;
                    $crate::write_events!(tx, &[$crate::events::drafts::operator_updated(&op, what, actor, now)])?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(op)
                }

                async fn append_audit(&self, e: &$crate::AuditEntry) -> StoreResult<()> {
                    sqlx::query($crate::sql::INSERT_AUDIT)
                        .bind(e.id)
                        .bind(e.workspace_id.map(|w| w.0))
                        .bind(e.at.0)
                        .bind(e.actor_id.map(|a| a.0))
                        .bind(e.actor_name.as_deref())
                        .bind(e.action.as_str())
                        .bind(e.target_id)
                        .bind(e.target_name.as_deref())
                        .bind(e.ip.as_deref())
                        .bind(e.details.to_string())
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn audit_log(
                    &self,
                    ws: WorkspaceId,
                    before: Option<(Timestamp, $crate::__uuid::Uuid)>,
                    limit: u32,
                ) -> StoreResult<Vec<$crate::AuditEntry>> {
                    let (at, id) = before.map_or((i64::MAX, $crate::__uuid::Uuid::max()), |(t, id)| (t.0, id));
                    let rows = sqlx::query($crate::sql::SELECT_AUDIT)
                        .bind(ws.0)
                        .bind(at)
                        .bind(id)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::audit(&R(r))).collect()
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
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let done = sqlx::query($crate::sql::INSERT_CHANNEL_MEMBER)
                        .bind(channel.0)
                        .bind(operator.0)
                        .bind(workspace.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() > 0 {
                        let event = $crate::events::drafts::member_added(workspace, channel, operator, Timestamp($crate::records::now_ms()));
                        $crate::write_events!(tx, &[event])?;
                    }
                    tx.commit().await.map_err(map_err)?;
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
                    let st = &channel.settings;
                    sqlx::query($crate::sql::INSERT_CHANNEL)
                        .bind(channel.id.0)
                        .bind(channel.workspace_id.0)
                        .bind(&channel.name)
                        .bind(channel.is_default)
                        .bind($crate::records::now_ms())
                        .bind(st.mode.as_str())
                        .bind(st.greeting.as_str())
                        .bind(st.wait_limit.as_seconds())
                        .bind(st.offline_policy.as_str())
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
                    actor: $crate::__domain::Actor,
                    now: Timestamp,
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
                    let members: Vec<OperatorId> = seen.into_iter().collect();
                    $crate::write_events!(tx, &[$crate::events::drafts::membership(workspace, channel, &members, actor, now)])?;
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

                async fn set_site_origins(
                    &self,
                    workspace: WorkspaceId,
                    id: $crate::__domain::SiteId,
                    origins: &[$crate::__domain::Origin],
                ) -> StoreResult<Site> {
                    let joined = origins.iter().map(|o| o.as_str()).collect::<Vec<_>>().join("\n");
                    let row = sqlx::query($crate::sql::UPDATE_SITE_ORIGINS)
                        .bind(workspace.0)
                        .bind(id.0)
                        .bind(joined)
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    $crate::records::site(&R(&row))
                }

                async fn mark_site_seen(
                    &self,
                    id: $crate::__domain::SiteId,
                    at: $crate::__domain::Timestamp,
                    origin: &str,
                ) -> StoreResult<()> {
                    sqlx::query($crate::sql::MARK_SITE_SEEN)
                        .bind(id.0)
                        .bind(at.0)
                        .bind(origin)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn sites_seen(
                    &self,
                    workspace: WorkspaceId,
                ) -> StoreResult<Vec<($crate::__domain::SiteId, $crate::__domain::Timestamp, String)>> {
                    let rows = sqlx::query($crate::sql::SELECT_SITES_SEEN)
                        .bind(workspace.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            let r = R(r);
                            use $crate::records::StoreRow;
                            Ok((
                                $crate::__domain::SiteId(r.uuid("id")?),
                                $crate::__domain::Timestamp(r.int("widget_seen_at")?),
                                r.opt_text("widget_seen_origin")?.unwrap_or_default(),
                            ))
                        })
                        .collect()
                }

                async fn operator_settings(
                    &self,
                    workspace: WorkspaceId,
                    id: OperatorId,
                ) -> StoreResult<$crate::OperatorSettings> {
                    let row = sqlx::query($crate::sql::SELECT_OPERATOR_SETTINGS)
                        .bind(workspace.0)
                        .bind(id.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    $crate::records::operator_settings(&R(&row))
                }

                async fn set_operator_settings(
                    &self,
                    workspace: WorkspaceId,
                    id: OperatorId,
                    settings: &$crate::OperatorSettings,
                ) -> StoreResult<()> {
                    let done = sqlx::query($crate::sql::UPDATE_OPERATOR_SETTINGS)
                        .bind(workspace.0)
                        .bind(id.0)
                        .bind(settings.language.as_deref())
                        .bind($crate::records::json_list(&settings.shortcuts))
                        .bind(settings.notify_by_mail)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Ok(())
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
                        .bind(Some(v.site_id.0))
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

                async fn upsert_contact(&self, c: &NewContact) -> StoreResult<Visitor> {
                    match self.contact(c.workspace_id, c.source, &c.external_id).await {
                        Err(StoreError::NotFound) => {}
                        found => return found,
                    }
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let number: i64 = sqlx::query_scalar($crate::sql::NEXT_VISITOR_NUMBER)
                        .bind(c.workspace_id.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let row = sqlx::query($crate::sql::INSERT_CONTACT)
                        .bind(c.id.0)
                        .bind(c.workspace_id.0)
                        .bind(number)
                        .bind(c.name.as_ref().map(|n| n.as_str()))
                        .bind(c.email.as_ref().map(|e| e.as_str()))
                        .bind(c.source.as_str())
                        .bind(&c.external_id)
                        .bind(c.created_at.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let Some(row) = row else {
                        // Made by a call at the same moment: his is the contact (the number
                        // taken here goes unused).
                        drop(tx);
                        return self.contact(c.workspace_id, c.source, &c.external_id).await;
                    };
                    let visitor = $crate::records::visitor(&R(&row))?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(visitor)
                }

                async fn contact(
                    &self,
                    workspace: WorkspaceId,
                    source: ContactSource,
                    external_id: &str,
                ) -> StoreResult<Visitor> {
                    let row = sqlx::query($crate::sql::SELECT_CONTACT)
                        .bind(workspace.0)
                        .bind(source.as_str())
                        .bind(external_id)
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
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let row = sqlx::query($crate::sql::UPDATE_VISITOR_NAME)
                        .bind(workspace.0)
                        .bind(id.0)
                        .bind(name.as_str())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let v = $crate::records::visitor(&R(&row))?;
                    let event = $crate::events::drafts::visitor_updated(
                        &v,
                        &["name"],
                        $crate::__domain::Actor::visitor(id),
                        Timestamp($crate::records::now_ms()),
                    );
                    $crate::write_events!(tx, &[event])?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(v)
                }

                async fn set_visitor_context(
                    &self,
                    workspace: WorkspaceId,
                    id: VisitorId,
                    context: &RoutingContext,
                ) -> StoreResult<Visitor> {
                    let row = sqlx::query($crate::sql::UPDATE_VISITOR_CONTEXT)
                        .bind(workspace.0)
                        .bind(id.0)
                        .bind(context.page_url.as_deref())
                        .bind(context.language.as_deref())
                        .bind($crate::records::properties_json(context))
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    $crate::records::visitor(&R(&row))
                }

                async fn visitors(&self, workspace: WorkspaceId, ids: &[VisitorId]) -> StoreResult<Vec<Visitor>> {
                    if ids.is_empty() {
                        return Ok(Vec::new());
                    }
                    let (text, args) = $crate::sql::visitors_by_id(workspace.0, ids);
                    let rows = bind_args(::sqlx::query(::sqlx::AssertSqlSafe(text)), &args)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::visitor(&R(r))).collect()
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
                    filter: &DialogFilter,
                    page: DialogPage,
                ) -> StoreResult<Vec<Dialog>> {
                    let segment = match filter.segment {
                        Some((id, _)) => Some($crate::SegmentStore::segment(self, workspace, id).await?.filter),
                        None => None,
                    };
                    let (sql, args) = $crate::sql::dialog_list(
                        workspace.0,
                        filter,
                        Some(&page),
                        $($row)::+::DIALECT,
                        segment.as_ref(),
                    );
                    let rows = bind_args(sqlx::query(sqlx::AssertSqlSafe(sql)), &args)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::dialog(&R(r))).collect()
                }

                async fn count_dialogs(&self, workspace: WorkspaceId, filter: &DialogFilter) -> StoreResult<i64> {
                    let segment = match filter.segment {
                        Some((id, _)) => Some($crate::SegmentStore::segment(self, workspace, id).await?.filter),
                        None => None,
                    };
                    let (sql, args) = $crate::sql::dialog_list(
                        workspace.0,
                        filter,
                        None,
                        $($row)::+::DIALECT,
                        segment.as_ref(),
                    );
                    let row = bind_args(sqlx::query(sqlx::AssertSqlSafe(sql)), &args)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    ::sqlx::Row::try_get::<i64, _>(&row, 0).map_err(map_err)
                }

                async fn latest_dialog_of_visitor(
                    &self,
                    workspace: WorkspaceId,
                    visitor: VisitorId,
                ) -> StoreResult<Option<Dialog>> {
                    // Read for every message a visitor writes: each backend its own way.
                    self.read_latest_dialog(workspace, visitor).await
                }

                async fn messages(
                    &self,
                    workspace: WorkspaceId,
                    dialog: DialogId,
                    after_seq: i64,
                    limit: u32,
                    for_visitor: bool,
                ) -> StoreResult<Vec<Message>> {
                    let rows = sqlx::query($crate::sql::SELECT_MESSAGES)
                        .bind(workspace.0)
                        .bind(dialog.0)
                        .bind(after_seq)
                        .bind(i64::from(limit))
                        .bind(for_visitor)
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
                    actor: $crate::__domain::Actor,
                ) -> StoreResult<(Dialog, bool)> {
                    let q = sqlx::query($crate::sql::CLOSE_DIALOG).bind(workspace.0).bind(dialog.0).bind(now.0);
                    let changed = $crate::dialog_change!(self, q, |d: &Dialog| vec![$crate::events::drafts::closed(d, actor, now)])?;
                    match changed {
                        Some(d) => Ok((d, true)),
                        None => Ok((self.dialog(workspace, dialog).await?, false)),
                    }
                }
            }

            #[$crate::async_trait]
            impl QueueStore for $store {
                async fn reassign(&self, c: &Reassign) -> StoreResult<Reassigned> {
                    let ws = c.workspace_id;
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let row = sqlx::query($crate::sql::SELECT_DIALOG)
                        .bind(ws.0)
                        .bind(c.dialog.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let before = $crate::records::dialog(&R(&row))?;
                    let refuse = |r: Refusal| Err(StoreError::Refused(r));
                    if before.status != $crate::__domain::DialogStatus::Open {
                        return Err(StoreError::DialogClosed);
                    }
                    let current = before.assignee.map(|a| a.operator);
                    if current != c.expect {
                        return refuse(Refusal::AssigneeChanged { now: current });
                    }
                    let channel = c.to_channel.unwrap_or(before.channel_id);
                    if let Some(to_channel) = c.to_channel {
                        sqlx::query($crate::sql::SELECT_CHANNEL)
                            .bind(ws.0)
                            .bind(to_channel.0)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        if c.to.is_none() {
                            let online: i64 = sqlx::query_scalar($crate::sql::COUNT_ONLINE_MEMBERS)
                                .bind(to_channel.0)
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(map_err)?;
                            if online == 0 {
                                return refuse(Refusal::ChannelUnavailable);
                            }
                        }
                    }
                    if let Some(to) = c.to.filter(|to| Some(*to) != current) {
                        // Locks his row: whoever gives him a dialog at the same time waits here
                        // and then counts this one.
                        let row = sqlx::query($crate::sql::LOCK_OPERATOR)
                            .bind(ws.0)
                            .bind(to.0)
                            .bind(c.now.0)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        let capacity: i64 = ::sqlx::Row::try_get(&row, "capacity").map_err(map_err)?;
                        let presence: String = ::sqlx::Row::try_get(&row, "presence").map_err(map_err)?;
                        let active: i64 = sqlx::query_scalar($crate::sql::COUNT_ACTIVE)
                            .bind(to.0)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        let available = match c.checks.presence {
                            $crate::PresenceCheck::Any => true,
                            $crate::PresenceCheck::NotOffline => presence != "offline",
                            $crate::PresenceCheck::Online => presence == "online",
                        };
                        if !available {
                            return refuse(Refusal::OperatorUnavailable);
                        }
                        if c.checks.member {
                            let member: i64 = sqlx::query_scalar($crate::sql::IS_MEMBER)
                                .bind(channel.0)
                                .bind(to.0)
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(map_err)?;
                            if member == 0 {
                                return refuse(Refusal::NotChannelMember);
                            }
                        }
                        if c.checks.capacity && active >= capacity {
                            return refuse(Refusal::CapacityReached { capacity: capacity as u32 });
                        }
                    }
                    let row = sqlx::query($crate::sql::REASSIGN_DIALOG)
                        .bind(ws.0)
                        .bind(c.dialog.0)
                        .bind(c.to.map(|o| o.0))
                        .bind(channel.0)
                        .bind(c.expect.map(|o| o.0))
                        .bind(c.now.0)
                        .bind(before.channel_id.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let Some(row) = row else {
                        // Changed between our read and our write (PostgreSQL): tell what it is now.
                        drop(tx);
                        let now = self.dialog(ws, c.dialog).await?;
                        if now.status != $crate::__domain::DialogStatus::Open {
                            return Err(StoreError::DialogClosed);
                        }
                        return refuse(Refusal::AssigneeChanged { now: now.assignee.map(|a| a.operator) });
                    };
                    let mut dialog = $crate::records::dialog(&R(&row))?;
                    let messages = $crate::append_lines!(tx, &mut dialog, &c.lines)?;
                    let mut events = $crate::events::drafts::reassigned(&before, &dialog, c.actor, c.now);
                    events.extend(messages.iter().map(|m| $crate::events::drafts::message(m, $crate::events::drafts::author(m))));
                    $crate::write_events!(tx, &events)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(Reassigned { before, dialog, messages })
                }

                async fn update_channel_settings(
                    &self,
                    workspace: WorkspaceId,
                    id: ChannelId,
                    st: &ChannelSettings,
                ) -> StoreResult<Channel> {
                    let row = sqlx::query($crate::sql::UPDATE_CHANNEL_SETTINGS)
                        .bind(workspace.0)
                        .bind(id.0)
                        .bind(st.mode.as_str())
                        .bind(st.greeting.as_str())
                        .bind(st.wait_limit.as_seconds())
                        .bind(st.offline_policy.as_str())
                        .bind(st.require_category)
                        .bind(st.reopen_window.as_minutes())
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    $crate::records::channel(&R(&row))
                }

                async fn set_capacity(
                    &self,
                    workspace: WorkspaceId,
                    id: OperatorId,
                    capacity: Capacity,
                    actor: $crate::__domain::Actor,
                    now: Timestamp,
                ) -> StoreResult<Operator> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let row = sqlx::query($crate::sql::UPDATE_CAPACITY)
                        .bind(workspace.0)
                        .bind(id.0)
                        .bind(i64::from(capacity.get()))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let op = $crate::records::operator(&R(&row))?;
                    $crate::write_events!(tx, &[$crate::events::drafts::operator_updated(&op, "capacity", actor, now)])?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(op)
                }

                async fn set_presence(
                    &self,
                    workspace: WorkspaceId,
                    id: OperatorId,
                    presence: Presence,
                    now: Timestamp,
                ) -> StoreResult<(Operator, Presence)> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let before: String = sqlx::query_scalar($crate::sql::SELECT_PRESENCE)
                        .bind(workspace.0)
                        .bind(id.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let row = sqlx::query($crate::sql::UPDATE_PRESENCE)
                        .bind(workspace.0)
                        .bind(id.0)
                        .bind(presence.as_str())
                        .bind(now.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let operator = $crate::records::operator(&R(&row))?;
                    let before = Presence::parse(&before).map_err(|_| StoreError::Internal("stored presence".into()))?;
                    let event = $crate::events::drafts::presence(&operator, before, $crate::__domain::Actor::operator(id), now);
                    $crate::write_events!(tx, event.iter())?;
                    tx.commit().await.map_err(map_err)?;
                    Ok((operator, before))
                }

                async fn touch_operators(&self, ids: &[OperatorId], now: Timestamp) -> StoreResult<()> {
                    if ids.is_empty() {
                        return Ok(());
                    }
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    for id in ids {
                        sqlx::query($crate::sql::TOUCH_OPERATOR)
                            .bind(id.0)
                            .bind(now.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)
                }

                async fn expire_presence(&self, seen_before: Timestamp) -> StoreResult<Vec<Operator>> {
                    let any: Option<$crate::__uuid::Uuid> = sqlx::query_scalar($crate::sql::ANY_STALE_PRESENCE)
                        .bind(seen_before.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(map_err)?;
                    if any.is_none() {
                        return Ok(Vec::new());
                    }
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let rows = sqlx::query($crate::sql::EXPIRE_PRESENCE)
                        .bind(seen_before.0)
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let ops = rows.iter().map(|r| $crate::records::operator(&R(r))).collect::<StoreResult<Vec<_>>>()?;
                    let now = Timestamp($crate::records::now_ms());
                    let events: Vec<_> = ops.iter().map(|op| $crate::events::drafts::presence_lost(op, now)).collect();
                    $crate::write_events!(tx, &events)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(ops)
                }

                async fn active_counts(&self, workspace: WorkspaceId) -> StoreResult<HashMap<OperatorId, u32>> {
                    let rows: Vec<($crate::__uuid::Uuid, i64)> = sqlx::query_as($crate::sql::SELECT_ACTIVE_COUNTS)
                        .bind(workspace.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(rows.into_iter().map(|(id, n)| (OperatorId(id), n as u32)).collect())
                }

                async fn online_counts(&self, workspace: WorkspaceId) -> StoreResult<HashMap<ChannelId, u32>> {
                    let rows: Vec<($crate::__uuid::Uuid, i64)> = sqlx::query_as($crate::sql::SELECT_ONLINE_COUNTS)
                        .bind(workspace.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(rows.into_iter().map(|(id, n)| (ChannelId(id), n as u32)).collect())
                }

                async fn candidates(&self, workspace: WorkspaceId, channel: ChannelId) -> StoreResult<Vec<Candidate>> {
                    let rows: Vec<($crate::__uuid::Uuid, String, i64, i64, i64)> =
                        sqlx::query_as($crate::sql::SELECT_CANDIDATES)
                            .bind(workspace.0)
                            .bind(channel.0)
                            .fetch_all(self.reader())
                            .await
                            .map_err(map_err)?;
                    rows.into_iter()
                        .map(|(id, presence, capacity, idle_since, active)| {
                            let corrupt = |_| StoreError::Internal("stored operator does not parse".into());
                            Ok(Candidate {
                                operator: OperatorId(id),
                                presence: Presence::parse(&presence).map_err(corrupt)?,
                                active: active as u32,
                                capacity: Capacity::new(capacity).map_err(corrupt)?,
                                idle_since: Timestamp(idle_since),
                            })
                        })
                        .collect()
                }

                async fn queued_dialogs(
                    &self,
                    workspace: WorkspaceId,
                    channel: ChannelId,
                    limit: u32,
                ) -> StoreResult<Vec<Dialog>> {
                    let rows = sqlx::query($crate::sql::SELECT_QUEUED)
                        .bind(workspace.0)
                        .bind(channel.0)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::dialog(&R(r))).collect()
                }

                async fn auto_queues(&self) -> StoreResult<Vec<(WorkspaceId, ChannelId)>> {
                    let rows: Vec<($crate::__uuid::Uuid, $crate::__uuid::Uuid)> =
                        sqlx::query_as($crate::sql::SELECT_AUTO_QUEUES).fetch_all(self.reader()).await.map_err(map_err)?;
                    Ok(rows.into_iter().map(|(w, c)| (WorkspaceId(w), ChannelId(c))).collect())
                }

                async fn open_dialogs_of(&self, workspace: WorkspaceId, operator: OperatorId) -> StoreResult<Vec<Dialog>> {
                    let rows = sqlx::query($crate::sql::SELECT_OPEN_OF_OPERATOR)
                        .bind(workspace.0)
                        .bind(operator.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::dialog(&R(r))).collect()
                }

                async fn routing_rules(&self, workspace: WorkspaceId) -> StoreResult<Vec<StoredRule>> {
                    let rows: Vec<($crate::__uuid::Uuid, String, $crate::__uuid::Uuid, String)> =
                        sqlx::query_as($crate::sql::SELECT_RULES)
                            .bind(workspace.0)
                            .fetch_all(self.reader())
                            .await
                            .map_err(map_err)?;
                    Ok(rows
                        .into_iter()
                        .map(|(id, name, channel, conditions)| StoredRule { id, name, channel: ChannelId(channel), conditions })
                        .collect())
                }

                async fn replace_routing_rules(&self, workspace: WorkspaceId, rules: &[StoredRule]) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    sqlx::query($crate::sql::DELETE_RULES).bind(workspace.0).execute(&mut *tx).await.map_err(map_err)?;
                    for (i, r) in rules.iter().enumerate() {
                        let done = sqlx::query($crate::sql::INSERT_RULE)
                            .bind(r.id)
                            .bind(workspace.0)
                            .bind(i as i64)
                            .bind(&r.name)
                            .bind(r.channel.0)
                            .bind(&r.conditions)
                            .bind($crate::records::now_ms())
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        if done.rows_affected() == 0 {
                            // A channel of another workspace, or none: nothing of the change is kept.
                            return Err(StoreError::NotFound);
                        }
                    }
                    tx.commit().await.map_err(map_err)
                }
            }
        };
    };
}

/// Binds `APPEND_TO_DIALOG` for a message of `effect` (an `AuthorKind`) with the timers it may
/// start (`MessageTimers`): `(query, dialog, effect, message, workspace, timers)`.
#[macro_export]
macro_rules! bind_append {
    ($q:expr, $dialog:expr, $effect:expr, $m:expr, $ws:expr, $t:expr $(,)?) => {{
        let m: &$crate::__domain::NewMessage = $m;
        let t: &$crate::__domain::MessageTimers = $t;
        let ac = t.auto_close.as_ref();
        $q.bind(($dialog).0)
            .bind(($effect).as_str())
            .bind($crate::records::preview_of(m))
            .bind(m.created_at.0)
            .bind(($ws).0)
            .bind(t.first_reply_due.map(|x| x.0))
            .bind(t.next_reply_due.map(|x| x.0))
            .bind(ac.map(|a| a.at.0))
            .bind(ac.map(|a| a.action.as_str()))
            .bind(ac.and_then(|a| a.hold_phrase.clone()))
            .bind(i64::from($crate::records::tone_of(m)))
    }};
}

/// Binds `INSERT_MESSAGE` for a new message: `(query, message, workspace, dialog id, seq,
/// author name)`.
#[macro_export]
macro_rules! bind_insert_message {
    ($q:expr, $m:expr, $ws:expr, $dialog:expr, $seq:expr, $name:expr $(,)?) => {{
        let m: &$crate::__domain::NewMessage = $m;
        $q.bind(m.id.0)
            .bind(($ws).0)
            .bind($dialog)
            .bind($seq)
            .bind(m.client_id.as_str())
            .bind(m.author_kind.as_str())
            .bind(m.author_id)
            .bind($name)
            .bind(m.body.as_str())
            .bind(m.created_at.0)
            .bind(m.audience.as_str())
            .bind($crate::records::event_json(m.event.as_ref()))
            .bind($crate::records::json_list(&m.attachments))
            .bind($crate::records::json_list(&m.mentions))
            .bind(m.automatic.map(|a| a.as_str()))
    }};
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
        use $crate::__domain::DialogId;
        use $crate::backend::PostFailure;
        use $crate::records;
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
            Ok(Posted { message, dialog, dialog_created: false, duplicate: true, prelude: None })
        }

        /// Writes one post inside the current transaction: three statements on the common path
        /// (probe, append, insert), two more when it opens the visitor's dialog, then its events.
        pub(crate) async fn post_in(conn: &mut $conn, post: &PostMessage) -> Result<Posted, PostFailure> {
            let (posted, events) = post_in_unlogged(conn, post).await?;
            $crate::write_events!(conn, &events)?;
            Ok(posted)
        }

        /// [`post_in`] without writing the post's events: they are returned, for a caller that
        /// writes a whole batch's at once.
        pub(crate) async fn post_in_unlogged(
            conn: &mut $conn,
            post: &PostMessage,
        ) -> Result<(Posted, Vec<$crate::events::NewEvent>), PostFailure> {
            let ws = post.workspace_id;
            let m = &post.message;
            let mut prelude = None;
            let (dialog_id, dialog_created) = match &post.target {
                PostTarget::Dialog(id) => {
                    let dup: Option<$crate::__uuid::Uuid> = ::sqlx::query_scalar(sql::PROBE_CLIENT_ID)
                        .bind(m.author_id)
                        .bind(m.client_id.as_str())
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    if let Some(dup) = dup {
                        return Ok((duplicate(conn, post, dup).await?, Vec::new()));
                    }
                    (*id, false)
                }
                PostTarget::Visitor { visitor, channel, new_dialog_id, routed_by, previous, expected } => {
                    let opening = post.opening.as_ref();
                    type Probe = (Option<$crate::__uuid::Uuid>, Option<$crate::__uuid::Uuid>, Option<$crate::__uuid::Uuid>);
                    let (dup, open, open_channel): Probe = ::sqlx::query_as(sql::PROBE_VISITOR_POST)
                        .bind(m.author_id)
                        .bind(m.client_id.as_str())
                        .bind(ws.0)
                        .bind(visitor.0)
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    if let Some(dup) = dup {
                        return Ok((duplicate(conn, post, dup).await?, Vec::new()));
                    }
                    if let Some((d, c)) = expected
                        && (open != Some(d.0) || open_channel != Some(c.0))
                    {
                        return Err(PostFailure::Refused(StoreError::Stale));
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
                                .bind(routed_by.as_deref())
                                .bind(previous.map(|p| p.0))
                                .bind(post.timers.resolution_due.map(|t| t.0))
                                .bind(opening.map_or("visitor", |o| o.origin.as_str()))
                                .bind(opening.and_then(|o| o.trigger.as_ref()).map(|t| t.id))
                                .bind(opening.and_then(|o| o.trigger.as_ref()).map(|t| t.name.as_str()))
                                .execute(&mut *conn)
                                .await
                                .map_err(map_err)?;
                            if inserted.rows_affected() == 0 {
                                // Another transaction opened his dialog first (PostgreSQL; SQLite
                                // writes one at a time): the caller retries and appends to it.
                                return Err(PostFailure::Db(StoreError::Conflict("open dialog")));
                            }
                            if let Some(line) = opening.and_then(|o| o.prelude.as_ref()) {
                                prelude = Some(append_line(conn, ws, *new_dialog_id, line).await?);
                            }
                            (*new_dialog_id, true)
                        }
                    }
                }
            };
            let row = $crate::bind_append!(
                ::sqlx::query(sql::APPEND_TO_DIALOG),
                dialog_id,
                records::effect_kind(m),
                m,
                ws,
                &post.timers,
            )
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
            $crate::bind_insert_message!(::sqlx::query(sql::INSERT_MESSAGE), m, ws, dialog_id.0, dialog.last_seq, post.author_name.as_deref())
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            for a in &m.attachments {
                ::sqlx::query(sql::CLAIM_ATTACHMENT)
                    .bind(m.id.0)
                    .bind(dialog_id.0)
                    .bind(ws.0)
                    .bind(a.id.0)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
            }
            let message = records::stored_message(m, ws, dialog_id, dialog.last_seq, post.author_name.clone());
            let events = $crate::events::drafts::posted(&message, &dialog, dialog_created, prelude.as_ref());
            Ok((Posted { message, dialog, dialog_created, duplicate: false, prelude }, events))
        }

        /// Appends a line that changes only `seq` (the proactive message a dialog opens with).
        async fn append_line(
            conn: &mut $conn,
            ws: $crate::__domain::WorkspaceId,
            dialog: DialogId,
            line: &$crate::NewLine,
        ) -> Result<$crate::__domain::Message, PostFailure> {
            let m = &line.message;
            let row = $crate::bind_append!(
                ::sqlx::query(sql::APPEND_TO_DIALOG),
                dialog,
                $crate::__domain::AuthorKind::System,
                m,
                ws,
                &line.timers,
            )
            .fetch_one(&mut *conn)
            .await
            .map_err(map_err)?;
            let seq = records::dialog(&R(&row))?.last_seq;
            $crate::bind_insert_message!(::sqlx::query(sql::INSERT_MESSAGE), m, ws, dialog.0, seq, line.author_name.as_deref())
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            Ok(records::stored_message(m, ws, dialog, seq, line.author_name.clone()))
        }
    };
}
