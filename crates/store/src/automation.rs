//! [`AutomationStore`](crate::AutomationStore) for a SQL backend, written once for both. The
//! backend says how rows are claimed: `lock = " FOR UPDATE SKIP LOCKED"` on PostgreSQL, so that
//! nodes claiming at once take different rows; `lock = ""` on SQLite, whose one writer makes
//! every claim whole by itself.

#[macro_export]
macro_rules! sql_automation_impls {
    ($store:ty, row = $($row:ident)::+, lock = $lock:expr) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{ChannelId, Dialog, DialogId, SlaTarget, Timestamp, VisitorId, WorkspaceId};
            use $crate::{AutomationStore, Breach, StoreError, StoreResult, StoredTrigger, records, sql};
            use std::collections::HashMap;

            fn trigger(r: &R<'_>) -> StoreResult<StoredTrigger> {
                use $crate::records::StoreRow;
                Ok(StoredTrigger {
                    id: r.uuid("id")?,
                    workspace_id: WorkspaceId(r.uuid("workspace_id")?),
                    name: r.text("name")?,
                    message: r.text("message")?,
                    enabled: r.boolean("enabled")?,
                    time_on_site_seconds: r.int("time_on_site_seconds")?,
                    conditions: r.text("conditions")?,
                    period_hours: r.int("period_hours")?,
                    created_at: Timestamp(r.int("created_at")?),
                })
            }

            impl $store {
                /// Whether anything is due for a claim (read first, so an idle pass takes no write lock).
                async fn due(&self, c: &sql::Claim, now: Timestamp) -> StoreResult<bool> {
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(c.probe()))
                        .bind(now.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(row.is_some())
                }

                /// One claim (`$1` now, `$2` the most rows), answering the rows it changed, with the
                /// events `events` makes of each in the same transaction.
                async fn claim(
                    &self,
                    c: &sql::Claim,
                    now: Timestamp,
                    limit: u32,
                    events: fn(&Dialog, Timestamp) -> Option<$crate::events::NewEvent>,
                    line: Option<fn(Timestamp) -> $crate::NewLine>,
                ) -> StoreResult<Vec<$crate::Changed>> {
                    if !self.due(c, now).await? {
                        return Ok(Vec::new());
                    }
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(c.claim($lock)))
                        .bind(now.0)
                        .bind(i64::from(limit))
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let dialogs = rows.iter().map(|r| records::dialog(&R(r))).collect::<StoreResult<Vec<_>>>()?;
                    let mut evs: Vec<_> = dialogs.iter().filter_map(|d| events(d, now)).collect();
                    let mut out = Vec::with_capacity(dialogs.len());
                    for mut dialog in dialogs {
                        let lines = match line {
                            Some(make) => $crate::append_lines!(tx, &mut dialog, &[make(now)])?,
                            None => Vec::new(),
                        };
                        evs.extend(lines.iter().map(|m| $crate::events::drafts::message(m, $crate::events::drafts::author(m))));
                        out.push($crate::Changed { dialog, lines });
                    }
                    $crate::write_events!(tx, &evs)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(out)
                }
            }

            #[$crate::async_trait]
            impl AutomationStore for $store {
                async fn automation(&self, ws: WorkspaceId, channel: ChannelId) -> StoreResult<String> {
                    ::sqlx::query_scalar(sql::SELECT_AUTOMATION)
                        .bind(ws.0)
                        .bind(channel.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)
                }

                async fn automations(&self, ws: WorkspaceId) -> StoreResult<Vec<(ChannelId, String)>> {
                    let rows: Vec<($crate::__uuid::Uuid, String)> = ::sqlx::query_as(sql::SELECT_ALL_AUTOMATION)
                        .bind(ws.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(rows.into_iter().map(|(id, doc)| (ChannelId(id), doc)).collect())
                }

                async fn set_automation(
                    &self,
                    ws: WorkspaceId,
                    channel: ChannelId,
                    doc: &str,
                    stop_auto_close: bool,
                ) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let done = ::sqlx::query(sql::UPDATE_AUTOMATION)
                        .bind(ws.0)
                        .bind(channel.0)
                        .bind(doc)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    if stop_auto_close {
                        ::sqlx::query(sql::CLEAR_AUTO_CLOSE).bind(ws.0).bind(channel.0).execute(&mut *tx).await.map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)
                }

                async fn claim_breaches(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Breach>> {
                    let reply = self.due(&sql::CLAIM_REPLY_BREACHES, now).await?;
                    let resolve = self.due(&sql::CLAIM_RESOLVE_BREACHES, now).await?;
                    let mut out = Vec::new();
                    if !reply && !resolve {
                        return Ok(out);
                    }
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    for (claim, target) in [
                        (&sql::CLAIM_REPLY_BREACHES, None),
                        (&sql::CLAIM_RESOLVE_BREACHES, Some(SlaTarget::Resolution)),
                    ] {
                        let rows = ::sqlx::query(::sqlx::AssertSqlSafe(claim.claim($lock)))
                            .bind(now.0)
                            .bind(i64::from(limit))
                            .fetch_all(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        for row in &rows {
                            let dialog = records::dialog(&R(row))?;
                            let (target, due) = match target {
                                Some(t) => (t, dialog.sla.resolve_due),
                                None => (dialog.sla.reply_target(), dialog.sla.reply_due),
                            };
                            let due_at = due.unwrap_or(now);
                            ::sqlx::query(sql::INSERT_BREACH)
                                .bind(dialog.id.0)
                                .bind(target.as_str())
                                .bind(due_at.0)
                                .bind(now.0)
                                .bind(dialog.workspace_id.0)
                                .bind(dialog.channel_id.0)
                                .bind(dialog.assignee.map(|a| a.operator.0))
                                .execute(&mut *tx)
                                .await
                                .map_err(map_err)?;
                            $crate::write_events!(tx, &[$crate::events::drafts::breached(&dialog, target.as_str(), due_at, now)])?;
                            out.push(Breach { dialog, target, due_at });
                        }
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(out)
                }

                async fn claim_snoozes(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<$crate::Changed>> {
                    self.claim(
                        &sql::CLAIM_SNOOZE_WAKES,
                        now,
                        limit,
                        |d, now| Some($crate::events::drafts::snoozed(d, $crate::__domain::Actor::SYSTEM, now)),
                        Some(|now| {
                            let woke = $crate::__domain::SystemEvent::Unsnoozed { reason: "due".into(), by: None };
                            $crate::NewLine::system(woke, now)
                        }),
                    )
                    .await
                }

                async fn claim_wait_alerts(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Dialog>> {
                    Ok(self.claim(&sql::CLAIM_WAIT_ALERTS, now, limit, |_, _| None, None).await?.into_iter().map(|c| c.dialog).collect())
                }

                async fn breaches(&self, ws: WorkspaceId, dialog: DialogId) -> StoreResult<Vec<(String, Timestamp)>> {
                    let rows: Vec<(String, i64)> = ::sqlx::query_as(sql::SELECT_BREACHES)
                        .bind(ws.0)
                        .bind(dialog.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(rows.into_iter().map(|(t, at)| (t, Timestamp(at))).collect())
                }

                async fn claim_auto_closes(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Dialog>> {
                    let claimed = self
                        .claim(
                            &sql::CLAIM_AUTO_CLOSES,
                            now,
                            limit,
                            |d, now| Some($crate::events::drafts::closed(d, $crate::__domain::Actor::SYSTEM, now)),
                            None,
                        )
                        .await?;
                    Ok(claimed.into_iter().map(|c| c.dialog).collect())
                }

                async fn due_prompts(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Dialog>> {
                    let rows = ::sqlx::query(sql::DUE_AUTO_CLOSE_PROMPTS)
                        .bind(now.0)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| records::dialog(&R(r))).collect()
                }

                async fn settle_prompt(
                    &self,
                    ws: WorkspaceId,
                    dialog: DialogId,
                    at: Timestamp,
                    close: bool,
                ) -> StoreResult<()> {
                    ::sqlx::query(sql::SETTLE_PROMPT)
                        .bind(ws.0)
                        .bind(dialog.0)
                        .bind(at.0)
                        .bind(close)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn triggers(&self, ws: WorkspaceId) -> StoreResult<Vec<StoredTrigger>> {
                    let rows = ::sqlx::query(sql::SELECT_TRIGGERS)
                        .bind(ws.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| trigger(&R(r))).collect()
                }

                async fn trigger(&self, ws: WorkspaceId, id: $crate::__uuid::Uuid) -> StoreResult<StoredTrigger> {
                    let row = ::sqlx::query(sql::SELECT_TRIGGER)
                        .bind(ws.0)
                        .bind(id)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    trigger(&R(&row))
                }

                async fn create_trigger(&self, t: &StoredTrigger) -> StoreResult<()> {
                    ::sqlx::query(sql::INSERT_TRIGGER)
                        .bind(t.id)
                        .bind(t.workspace_id.0)
                        .bind(&t.name)
                        .bind(&t.message)
                        .bind(t.enabled)
                        .bind(t.time_on_site_seconds)
                        .bind(&t.conditions)
                        .bind(t.period_hours)
                        .bind(t.created_at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn update_trigger(&self, t: &StoredTrigger) -> StoreResult<StoredTrigger> {
                    let row = ::sqlx::query(sql::UPDATE_TRIGGER)
                        .bind(t.workspace_id.0)
                        .bind(t.id)
                        .bind(&t.name)
                        .bind(&t.message)
                        .bind(t.enabled)
                        .bind(t.time_on_site_seconds)
                        .bind(&t.conditions)
                        .bind(t.period_hours)
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    trigger(&R(&row))
                }

                async fn delete_trigger(&self, ws: WorkspaceId, id: $crate::__uuid::Uuid) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    ::sqlx::query(sql::SELECT_TRIGGER).bind(ws.0).bind(id).fetch_one(&mut *tx).await.map_err(map_err)?;
                    ::sqlx::query(sql::DELETE_TRIGGER_VIEWS).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    ::sqlx::query(sql::DELETE_TRIGGER).bind(ws.0).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    tx.commit().await.map_err(map_err)
                }

                async fn show_trigger(
                    &self,
                    visitor: VisitorId,
                    trigger: $crate::__uuid::Uuid,
                    now: Timestamp,
                    seen_after: Timestamp,
                ) -> StoreResult<bool> {
                    let done = ::sqlx::query(sql::SHOW_TRIGGER)
                        .bind(visitor.0)
                        .bind(trigger)
                        .bind(now.0)
                        .bind(seen_after.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(done.rows_affected() > 0)
                }

                async fn trigger_views(&self, visitor: VisitorId) -> StoreResult<HashMap<$crate::__uuid::Uuid, Timestamp>> {
                    let rows: Vec<($crate::__uuid::Uuid, i64)> = ::sqlx::query_as(sql::SELECT_TRIGGER_VIEWS)
                        .bind(visitor.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(rows.into_iter().map(|(id, at)| (id, Timestamp(at))).collect())
                }
            }
        };
    };
}
