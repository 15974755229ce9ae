//! The conversation's stores ([`LabelStore`](crate::LabelStore), [`LifecycleStore`](crate::LifecycleStore),
//! [`SavedReplyStore`](crate::SavedReplyStore), [`ProfileStore`](crate::ProfileStore), [`FileStore`](crate::FileStore)) for a SQL backend, written once for both
//! (like [`sql_store_impls!`](crate::sql_store_impls)): the backend provides `reader()` and
//! `writer()`, and the row module of [`sql_row_glue!`](crate::sql_row_glue).

#[macro_export]
macro_rules! sql_conversation_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{
                AttachmentId, CategoryId, CloseReason, Dialog, DialogId, Email, Phone, Rating, SavedReply,
                SavedReplyId, TagId, Timestamp, Visitor, VisitorId, VisitorName, WorkspaceId,
            };
            use $crate::{FileStore, LabelStore, LifecycleStore, ProfileStore, SavedReplyStore, Dictionary, Entry, PageView, StoreResult, StoredFile, records, sql};

            fn dict(d: Dictionary) -> &'static sql::DictionarySql {
                match d {
                    Dictionary::Tags => &sql::TAGS_SQL,
                    Dictionary::Categories => &sql::CATEGORIES_SQL,
                }
            }

            #[$crate::async_trait]
            impl LabelStore for $store {
                async fn dictionary(&self, ws: WorkspaceId, d: Dictionary, archived: bool) -> StoreResult<Vec<Entry>> {
                    let rows = ::sqlx::query(dict(d).select)
                        .bind(ws.0)
                        .bind(archived)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| records::entry(&R(r))).collect()
                }

                async fn dictionary_entry(&self, ws: WorkspaceId, d: Dictionary, id: $crate::__uuid::Uuid) -> StoreResult<Entry> {
                    let row = ::sqlx::query(dict(d).select_one)
                        .bind(ws.0)
                        .bind(id)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    records::entry(&R(&row))
                }

                async fn create_entry(
                    &self,
                    ws: WorkspaceId,
                    d: Dictionary,
                    id: $crate::__uuid::Uuid,
                    name: &str,
                    now: Timestamp,
                ) -> StoreResult<Entry> {
                    ::sqlx::query(dict(d).insert)
                        .bind(id)
                        .bind(ws.0)
                        .bind(name)
                        .bind(now.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(Entry { id, name: name.to_owned(), archived: false })
                }

                async fn update_entry(
                    &self,
                    ws: WorkspaceId,
                    d: Dictionary,
                    id: $crate::__uuid::Uuid,
                    name: Option<&str>,
                    archived: Option<bool>,
                ) -> StoreResult<Entry> {
                    let row = ::sqlx::query(dict(d).update)
                        .bind(ws.0)
                        .bind(id)
                        .bind(name)
                        .bind(archived)
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    records::entry(&R(&row))
                }

                async fn set_dialog_tags(
                    &self,
                    ws: WorkspaceId,
                    dialog: DialogId,
                    tags: &[TagId],
                    now: Timestamp,
                    actor: $crate::__domain::Actor,
                ) -> StoreResult<Dialog> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let row = ::sqlx::query(sql::SET_DIALOG_TAGS)
                        .bind(ws.0)
                        .bind(dialog.0)
                        .bind(records::json_list(tags))
                        .bind(now.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    ::sqlx::query(sql::DELETE_DIALOG_TAGS).bind(dialog.0).execute(&mut *tx).await.map_err(map_err)?;
                    for t in tags {
                        ::sqlx::query(sql::INSERT_DIALOG_TAG)
                            .bind(dialog.0)
                            .bind(t.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    let d = records::dialog(&R(&row))?;
                    $crate::write_events!(tx, &[$crate::events::drafts::labels(&d, actor, now)])?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(d)
                }

                async fn set_dialog_category(
                    &self,
                    ws: WorkspaceId,
                    dialog: DialogId,
                    category: Option<CategoryId>,
                    now: Timestamp,
                    actor: $crate::__domain::Actor,
                ) -> StoreResult<Dialog> {
                    let q = ::sqlx::query(sql::SET_DIALOG_CATEGORY)
                        .bind(ws.0)
                        .bind(dialog.0)
                        .bind(category.map(|c| c.0))
                        .bind(now.0);
                    $crate::dialog_change!(self, q, |d: &Dialog| vec![$crate::events::drafts::labels(d, actor, now)])?
                        .ok_or($crate::StoreError::NotFound)
                }
            }

            #[$crate::async_trait]
            impl LifecycleStore for $store {
                async fn set_snooze(
                    &self,
                    ws: WorkspaceId,
                    dialog: DialogId,
                    until: Option<Timestamp>,
                    now: Timestamp,
                    actor: $crate::__domain::Actor,
                    lines: &[$crate::NewLine],
                ) -> StoreResult<$crate::Changed> {
                    let q = ::sqlx::query(sql::SET_SNOOZE).bind(ws.0).bind(dialog.0).bind(until.map(|t| t.0)).bind(now.0);
                    let changed = $crate::dialog_change_with_lines!(
                        self,
                        q,
                        |d: &Dialog| vec![$crate::events::drafts::snoozed(d, actor, now)],
                        lines
                    )?;
                    match changed {
                        Some(d) => Ok(d),
                        None => {
                            // Not open: closed, or not there at all.
                            $crate::DialogStore::dialog(self, ws, dialog).await?;
                            Err($crate::StoreError::DialogClosed)
                        }
                    }
                }

                async fn close_with_reason(
                    &self,
                    ws: WorkspaceId,
                    dialog: DialogId,
                    reason: CloseReason,
                    now: Timestamp,
                    actor: $crate::__domain::Actor,
                ) -> StoreResult<(Dialog, bool)> {
                    let q = ::sqlx::query(sql::CLOSE_DIALOG_WITH_REASON).bind(ws.0).bind(dialog.0).bind(now.0).bind(reason.as_str());
                    let changed = $crate::dialog_change!(self, q, |d: &Dialog| vec![$crate::events::drafts::closed(d, actor, now)])?;
                    match changed {
                        Some(d) => Ok((d, true)),
                        None => Ok(($crate::DialogStore::dialog(self, ws, dialog).await?, false)),
                    }
                }

                async fn reopen_dialog(
                    &self,
                    ws: WorkspaceId,
                    dialog: DialogId,
                    now: Timestamp,
                    resolution_due: Option<Timestamp>,
                    actor: $crate::__domain::Actor,
                    lines: &[$crate::NewLine],
                ) -> StoreResult<Option<$crate::Changed>> {
                    let q = ::sqlx::query(sql::REOPEN_DIALOG).bind(ws.0).bind(dialog.0).bind(now.0).bind(resolution_due.map(|t| t.0));
                    $crate::dialog_change_with_lines!(
                        self,
                        q,
                        |d: &Dialog| vec![$crate::events::drafts::reopened(d, actor, now)],
                        lines
                    )
                }

                async fn rate_dialog(&self, ws: WorkspaceId, dialog: DialogId, rating: &Rating) -> StoreResult<Option<Dialog>> {
                    let q = ::sqlx::query(sql::RATE_DIALOG)
                        .bind(ws.0)
                        .bind(dialog.0)
                        .bind(i64::from(rating.score))
                        .bind(rating.comment.as_deref())
                        .bind(rating.at.0);
                    $crate::dialog_change!(self, q, |d: &Dialog| vec![$crate::events::drafts::rated(d, rating.at)])
                }

                async fn mark_visitor_read(&self, ws: WorkspaceId, dialog: DialogId, seq: i64) -> StoreResult<Option<Dialog>> {
                    let row = ::sqlx::query(sql::MARK_VISITOR_READ)
                        .bind(ws.0)
                        .bind(dialog.0)
                        .bind(seq)
                        .fetch_optional(self.writer())
                        .await
                        .map_err(map_err)?;
                    row.map(|r| records::dialog(&R(&r))).transpose()
                }

                async fn message_by_id(&self, ws: WorkspaceId, id: $crate::__uuid::Uuid) -> StoreResult<$crate::__domain::Message> {
                    let row = ::sqlx::query(sql::SELECT_MESSAGE).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                    let m = records::message(&R(&row))?;
                    if m.workspace_id != ws {
                        return Err($crate::StoreError::NotFound);
                    }
                    Ok(m)
                }

                async fn message_by_client_id(&self, author: $crate::__uuid::Uuid, client_id: &str) -> StoreResult<Option<$crate::__domain::Message>> {
                    let row = ::sqlx::query(sql::SELECT_MESSAGE_BY_CLIENT_ID)
                        .bind(author)
                        .bind(client_id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(map_err)?;
                    row.map(|r| records::message(&R(&r))).transpose()
                }

                async fn edit_message(
                    &self,
                    ws: WorkspaceId,
                    id: $crate::__domain::MessageId,
                    body: &$crate::__domain::MessageBody,
                    actor: $crate::__domain::event::Actor,
                    at: Timestamp,
                ) -> StoreResult<$crate::__domain::Message> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let row = ::sqlx::query(sql::SELECT_MESSAGE).bind(id.0).fetch_optional(&mut *tx).await.map_err(map_err)?;
                    let Some(row) = row else { return Err($crate::StoreError::NotFound) };
                    let mut m = records::message(&R(&row))?;
                    if m.workspace_id != ws {
                        return Err($crate::StoreError::NotFound);
                    }
                    let version: i64 = ::sqlx::query_scalar(sql::NEXT_EDIT_VERSION).bind(id.0).fetch_one(&mut *tx).await.map_err(map_err)?;
                    ::sqlx::query(sql::INSERT_EDIT)
                        .bind(id.0)
                        .bind(ws.0)
                        .bind(version)
                        .bind(m.body.as_str())
                        .bind(at.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    ::sqlx::query(sql::SET_MESSAGE_BODY).bind(id.0).bind(body.as_str()).bind(at.0).execute(&mut *tx).await.map_err(map_err)?;
                    m.body = body.clone();
                    m.edited_at = Some(at);
                    ::sqlx::query(sql::SET_EDITED_PREVIEW)
                        .bind(m.dialog_id.0)
                        .bind(records::preview_of_stored(&m))
                        .bind(m.created_at.0)
                        .bind(m.author.kind.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    $crate::write_events!(tx, &[$crate::events::drafts::message_edited(&m, version, actor, at)])?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(m)
                }

                async fn message_edits(
                    &self,
                    ws: WorkspaceId,
                    id: $crate::__domain::MessageId,
                ) -> StoreResult<Vec<$crate::__domain::MessageEdit>> {
                    let rows = ::sqlx::query(sql::SELECT_EDITS).bind(id.0).bind(ws.0).fetch_all(self.reader()).await.map_err(map_err)?;
                    rows.iter().map(|r| records::message_edit(&R(r))).collect()
                }
            }

            #[$crate::async_trait]
            impl SavedReplyStore for $store {
                async fn saved_replies(&self, ws: WorkspaceId) -> StoreResult<Vec<SavedReply>> {
                    let rows = ::sqlx::query(sql::SELECT_SAVED_REPLIES)
                        .bind(ws.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| records::saved_reply(&R(r))).collect()
                }

                async fn saved_reply(&self, ws: WorkspaceId, id: SavedReplyId) -> StoreResult<SavedReply> {
                    let row = ::sqlx::query(sql::SELECT_SAVED_REPLY)
                        .bind(ws.0)
                        .bind(id.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    records::saved_reply(&R(&row))
                }

                async fn create_saved_reply(&self, r: &SavedReply) -> StoreResult<()> {
                    ::sqlx::query(sql::INSERT_SAVED_REPLY)
                        .bind(r.id.0)
                        .bind(r.workspace_id.0)
                        .bind(r.scope.as_str())
                        .bind(r.owner.map(|o| o.0))
                        .bind(r.channel.map(|c| c.0))
                        .bind(&r.title)
                        .bind(&r.body)
                        .bind(r.created_at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn update_saved_reply(&self, r: &SavedReply) -> StoreResult<SavedReply> {
                    let row = ::sqlx::query(sql::UPDATE_SAVED_REPLY)
                        .bind(r.workspace_id.0)
                        .bind(r.id.0)
                        .bind(&r.title)
                        .bind(&r.body)
                        .bind(r.updated_at.0)
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    records::saved_reply(&R(&row))
                }

                async fn delete_saved_reply(&self, ws: WorkspaceId, id: SavedReplyId) -> StoreResult<()> {
                    let done = ::sqlx::query(sql::DELETE_SAVED_REPLY)
                        .bind(ws.0)
                        .bind(id.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 {
                        return Err($crate::StoreError::NotFound);
                    }
                    Ok(())
                }
            }

            #[$crate::async_trait]
            impl ProfileStore for $store {
                async fn update_visitor_profile(
                    &self,
                    ws: WorkspaceId,
                    id: VisitorId,
                    name: Option<&VisitorName>,
                    email: Option<&Email>,
                    phone: Option<&Phone>,
                    by: $crate::events::Stamp,
                ) -> StoreResult<Visitor> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let row = ::sqlx::query(sql::SELECT_VISITOR).bind(ws.0).bind(id.0).fetch_one(&mut *tx).await.map_err(map_err)?;
                    let before = records::visitor(&R(&row))?;
                    let row = ::sqlx::query(sql::UPDATE_VISITOR_PROFILE)
                        .bind(ws.0)
                        .bind(id.0)
                        .bind(name.map(|n| n.as_str()))
                        .bind(email.map(|e| e.as_str()))
                        .bind(phone.map(|p| p.as_str()))
                        .bind(phone.map(|p| p.digits()))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let after = records::visitor(&R(&row))?;
                    let mut fields = Vec::new();
                    if before.name != after.name {
                        fields.push("name");
                    }
                    if before.email != after.email {
                        fields.push("email");
                    }
                    if before.phone != after.phone {
                        fields.push("phone");
                    }
                    if !fields.is_empty() {
                        $crate::write_events!(tx, &[$crate::events::drafts::visitor_updated(&after, &fields, by.actor, by.at)])?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(after)
                }

                async fn record_page(&self, visitor: VisitorId, page: &PageView) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    ::sqlx::query(sql::INSERT_PAGE_VIEW)
                        .bind(visitor.0)
                        .bind(page.at.0)
                        .bind(&page.url)
                        .bind(page.title.as_deref())
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    ::sqlx::query(sql::TOUCH_VISITOR).bind(visitor.0).bind(page.at.0).execute(&mut *tx).await.map_err(map_err)?;
                    ::sqlx::query(sql::TRIM_PAGE_VIEWS).bind(visitor.0).execute(&mut *tx).await.map_err(map_err)?;
                    tx.commit().await.map_err(map_err)
                }

                async fn pages(&self, visitor: VisitorId, limit: u32) -> StoreResult<Vec<PageView>> {
                    let rows = ::sqlx::query(sql::SELECT_PAGE_VIEWS)
                        .bind(visitor.0)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| records::page_view(&R(r))).collect()
                }

                async fn dialogs_of_visitor(&self, ws: WorkspaceId, visitor: VisitorId, limit: u32) -> StoreResult<Vec<Dialog>> {
                    let rows = ::sqlx::query(sql::SELECT_DIALOGS_OF_VISITOR)
                        .bind(ws.0)
                        .bind(visitor.0)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| records::dialog(&R(r))).collect()
                }
            }

            #[$crate::async_trait]
            impl FileStore for $store {
                async fn create_file(&self, f: &StoredFile) -> StoreResult<()> {
                    ::sqlx::query(sql::INSERT_ATTACHMENT)
                        .bind(f.file.id.0)
                        .bind(f.workspace_id.0)
                        .bind(&f.uploader_kind)
                        .bind(f.uploader_id)
                        .bind(&f.file.name)
                        .bind(&f.file.content_type)
                        .bind(f.file.size)
                        .bind(f.created_at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn file(&self, ws: WorkspaceId, id: AttachmentId) -> StoreResult<StoredFile> {
                    let row = ::sqlx::query(sql::SELECT_ATTACHMENT)
                        .bind(ws.0)
                        .bind(id.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    records::stored_file(&R(&row))
                }

                async fn stale_uploads(&self, before: Timestamp, limit: u32) -> StoreResult<Vec<StoredFile>> {
                    let rows = ::sqlx::query(sql::SELECT_STALE_UPLOADS)
                        .bind(before.0)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| records::stored_file(&R(r))).collect()
                }

                async fn delete_upload(&self, id: AttachmentId) -> StoreResult<bool> {
                    let done = ::sqlx::query(sql::DELETE_UPLOAD).bind(id.0).execute(self.writer()).await.map_err(map_err)?;
                    Ok(done.rows_affected() > 0)
                }
            }
        };
    };
}
