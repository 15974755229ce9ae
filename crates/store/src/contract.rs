//! The contract every [`Store`] implementation obeys, run unchanged against each backend.
//!
//! Each case makes its own workspace, so cases run in parallel on one database. A backend's
//! tests call [`contract_suite!`] with an async function that returns a fresh store, or
//! `None` when its database is not configured here (never in CI: see `test_database_url`).

use crate::*;
use frontline_domain::*;
use std::sync::Arc;

pub use crate::contract_events::*;
pub use crate::contract_leads::*;
pub use crate::contract_mail::*;
pub use crate::contract_supervision::*;
pub use crate::contract_telegram::*;

/// Generates one `#[tokio::test]` per contract case for a backend.
#[macro_export]
macro_rules! contract_suite {
    ($make:path) => {
        $crate::contract_suite!(@cases $make;
            workspace_has_default_channel, operator_email_unique_per_workspace, sessions_expire_and_end,
            visitor_numbers_count_up, first_visitor_message_opens_a_dialog, retried_send_is_stored_once,
            unread_counts_follow_replies_and_reads, closed_dialog_refuses_operators_and_restarts_for_visitors,
            workspaces_are_isolated, dialog_list_filters_and_pages, sites_by_key, concurrent_posts_get_gapless_seqs,
            channel_members, message_pages, bodies_round_trip_unicode, a_failing_post_does_not_sink_its_batch,
            racing_retries_store_one_message, racing_first_messages_open_one_dialog, refusals_inside_a_busy_batch,
            concurrent_openings_are_numbered_without_gaps,
            channels_are_created_renamed_and_staffed, operators_list_only_their_channels,
            accept_race_has_one_winner, capacity_holds_under_concurrent_assignments, assignment_checks_and_transfers,
            system_lines_and_list_filters, wait_alerts_fire_once_per_stay, presence_expires_without_heartbeats,
            routing_rules_are_replaced_whole, notes_leave_counters_alone_and_keep_files_and_mentions,
            tags_replace_whole_and_filter_the_list, snoozes_wake_once_and_end_when_the_visitor_writes,
            close_reopen_and_rate, search_finds_word_forms_within_visible_channels, search_shows_the_newest_of_many_hits, search_keeps_to_its_workspace,
            latest_dialogs_read_at_once_answer_each_their_own, a_post_for_an_expected_dialog_is_written_only_while_it_stands,
            visitor_profile_and_pages,
            uploads_are_taken_by_messages_or_go_stale, sla_dues_follow_the_conversation_and_breach_once,
            auto_close_timers_are_claimed_once, proactive_openings_triggers_and_automation_documents,
            the_due_sort_puts_the_most_overdue_first, operators_are_deactivated_and_their_sessions_listed_and_ended,
            the_audit_log_pages_newest_first, each_change_writes_its_events_with_it,
            batched_posts_write_their_events_and_a_failed_one_none, webhook_jobs_are_written_with_the_event,
            outbox_claims_are_exclusive_ordered_and_leased, failing_endpoints_retry_then_stop_and_replays_resend,
            retention_keeps_what_pending_jobs_need, contacts_without_a_site_are_found_by_their_source_id,
            telegram_bots_updates_and_chats, an_edited_message_keeps_its_earlier_texts,
            mail_threads_follow_ups_originals_and_the_follow_up_job,
            operator_notices_are_recorded_once_claimed_under_a_lease_and_finished,
            a_form_is_sent_filled_once_and_makes_numbered_linked_tickets,
            a_visitors_tone_rises_and_the_list_sorts_by_it, guard_documents_and_hits_are_kept_per_workspace,
            report_pages_are_saved_once_and_add_up, api_keys_are_found_by_hash_touched_and_revoked_once,
            a_sites_user_is_one_visitor_with_attributes_tags_and_counted_events,
            concurrent_tracking_counts_each_client_id_once,
            an_open_dialog_moves_to_a_user_without_one,
            complaints_are_decided_once_and_blocks_live_until_lifted,
            segments_count_what_the_domain_reads_and_filter_the_list,
            custom_fields_are_kept_per_workspace_and_filter_the_list);
    };
    (@cases $make:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let Some(store) = $make().await else { return };
                $crate::contract::$case(store.clone()).await;
                store.close().await;
            }
        )*
    };
}

/// A workspace with a default channel, a site, an operator and a visitor.
pub struct Fixture {
    pub store: Arc<dyn Store>,
    pub workspace: Workspace,
    pub channel: Channel,
    pub site: Site,
    pub operator: Operator,
    pub visitor: Visitor,
}

pub fn now() -> Timestamp {
    Timestamp(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0),
    )
}

fn unique_slug() -> String {
    format!("ws-{}", &uuid::Uuid::now_v7().simple().to_string()[16..])
}

pub async fn workspace(store: &Arc<dyn Store>) -> (Workspace, Channel) {
    let ws = Workspace {
        id: WorkspaceId::new(),
        slug: WorkspaceSlug::parse(&unique_slug()).expect("slug"),
        name: "Кухни Example".into(),
        created_at: now(),
    };
    let ch = Channel {
        id: ChannelId::new(),
        workspace_id: ws.id,
        name: "Общий".into(),
        is_default: true,
        settings: Default::default(),
    };
    store.create_workspace(&ws, &ch).await.expect("create workspace");
    (ws, ch)
}

pub async fn operator(store: &Arc<dyn Store>, ws: WorkspaceId, email: &str) -> Operator {
    let op = Operator {
        id: OperatorId::new(),
        workspace_id: ws,
        email: Email::parse(email).expect("email"),
        display_name: DisplayName::parse("Анна").expect("name"),
        role: Role::Operator,
        password_hash: "$argon2id$stub".into(),
        created_at: now(),
        capacity: Default::default(),
        presence: frontline_domain::Presence::Offline,
        deactivated_at: None,
    };
    store.create_operator(&op).await.expect("create operator");
    op
}

pub async fn visitor(store: &Arc<dyn Store>, ws: WorkspaceId, site: SiteId) -> Visitor {
    store
        .create_visitor(&NewVisitor {
            id: VisitorId::new(),
            workspace_id: ws,
            site_id: site,
            token_hash: uuid::Uuid::now_v7().as_bytes().to_vec(),
            created_at: now(),
        })
        .await
        .expect("create visitor")
}

impl Fixture {
    pub async fn new(store: Arc<dyn Store>) -> Self {
        let (workspace, channel) = workspace(&store).await;
        let site = Site {
            id: SiteId::new(),
            workspace_id: workspace.id,
            name: "Shop".into(),
            key: SiteKey::parse(&format!("key_{}", uuid::Uuid::now_v7().simple())).expect("key"),
            allowed_origins: vec![
                Origin::parse("https://shop.example.com").expect("origin"),
                Origin::parse("http://127.0.0.1:8080").expect("origin"),
            ],
            channel_id: channel.id,
        };
        store.create_site(&site).await.expect("create site");
        let operator = operator(&store, workspace.id, "anna@example.com").await;
        let visitor = visitor(&store, workspace.id, site.id).await;
        Self { store, workspace, channel, site, operator, visitor }
    }

    pub fn visitor_post(&self, client_id: &str, body: &str) -> PostMessage {
        self.visitor_post_by(&self.visitor, client_id, body)
    }

    pub fn visitor_post_by(&self, v: &Visitor, client_id: &str, body: &str) -> PostMessage {
        PostMessage {
            workspace_id: self.workspace.id,
            target: PostTarget::Visitor {
                visitor: v.id,
                channel: self.channel.id,
                new_dialog_id: DialogId::new(),
                routed_by: None,
                previous: None,
                expected: None,
            },
            message: new_message(AuthorKind::Visitor, v.id.0, client_id, body),
            author_name: None,
            timers: Default::default(),
            opening: None,
        }
    }

    /// A first message of a visitor that does not exist (and so its author is nobody known
    /// either): the database refuses the dialog it would open.
    pub fn nobodys_post(&self, client_id: &str, body: &str) -> PostMessage {
        let nobody = VisitorId::new();
        let mut post = self.visitor_post(client_id, body);
        post.target = PostTarget::Visitor {
            visitor: nobody,
            channel: self.channel.id,
            new_dialog_id: DialogId::new(),
            routed_by: None,
            previous: None,
            expected: None,
        };
        post.message.author_id = nobody.0;
        post
    }

    pub fn operator_post(&self, dialog: DialogId, client_id: &str, body: &str) -> PostMessage {
        PostMessage {
            workspace_id: self.workspace.id,
            target: PostTarget::Dialog(dialog),
            message: new_message(AuthorKind::Operator, self.operator.id.0, client_id, body),
            author_name: Some(self.operator.display_name.as_str().to_owned()),
            timers: Default::default(),
            opening: None,
        }
    }
}

pub fn new_message(kind: AuthorKind, author: uuid::Uuid, client_id: &str, body: &str) -> NewMessage {
    NewMessage {
        id: MessageId::new(),
        client_id: ClientId::parse(client_id).expect("client id"),
        author_kind: kind,
        author_id: author,
        body: MessageBody::parse(body, MessageBody::DEFAULT_LIMIT).expect("body"),
        created_at: now(),
        audience: Audience::All,
        event: None,
        attachments: Vec::new(),
        mentions: Vec::new(),
        automatic: None,
    }
}

/// The list filter of the first cases: optionally one status and one operator's channels,
/// newest activity first.
pub fn activity(status: Option<DialogStatus>, visible_to: Option<OperatorId>) -> DialogFilter {
    DialogFilter { status, visible_to, sort: DialogSort::Activity, ..DialogFilter::default() }
}

pub async fn workspace_has_default_channel(store: Arc<dyn Store>) {
    let (ws, ch) = workspace(&store).await;
    assert_eq!(store.workspace(ws.id).await.expect("by id"), ws);
    assert_eq!(store.workspace_by_slug(&ws.slug).await.expect("by slug"), ws);
    assert_eq!(store.default_channel(ws.id).await.expect("default"), ch);
    assert_eq!(store.list_channels(ws.id).await.expect("list"), vec![ch]);
    assert!(store.list_workspaces().await.expect("all").iter().any(|w| w.id == ws.id));
    let dup = Workspace { id: WorkspaceId::new(), ..ws.clone() };
    let dup_ch = Channel {
        id: ChannelId::new(),
        workspace_id: dup.id,
        name: "x".into(),
        is_default: true,
        settings: Default::default(),
    };
    assert!(matches!(store.create_workspace(&dup, &dup_ch).await, Err(StoreError::Conflict(_))), "slug is unique");
    assert!(matches!(store.workspace(dup.id).await, Err(StoreError::NotFound)), "a refused workspace leaves nothing");
}

pub async fn operator_email_unique_per_workspace(store: Arc<dyn Store>) {
    let (a, _) = workspace(&store).await;
    let (b, _) = workspace(&store).await;
    let email = format!("{}@example.org", unique_slug());
    let first = operator(&store, a.id, &email).await;
    let again = Operator { id: OperatorId::new(), ..first.clone() };
    assert!(matches!(store.create_operator(&again).await, Err(StoreError::Conflict(_))));
    let other = operator(&store, b.id, &email).await;
    let found = store.operators_by_email(&first.email).await.expect("by email");
    assert_eq!(found.iter().map(|o| o.id).collect::<Vec<_>>(), vec![first.id, other.id]);
    assert_eq!(store.operator(a.id, first.id).await.expect("get"), first);
    assert!(matches!(store.operator(b.id, first.id).await, Err(StoreError::NotFound)), "another workspace's operator");
    assert_eq!(store.list_operators(a.id).await.expect("list").len(), 1);
}

fn session_of(f: &Fixture, n: u8, at: Timestamp) -> NewSession {
    NewSession {
        token_hash: vec![n; 32].into_iter().chain(f.operator.id.0.as_bytes().iter().copied()).collect(),
        workspace_id: f.workspace.id,
        operator_id: f.operator.id,
        created_at: at,
        expires_at: at.plus_millis(60_000),
        ip: Some("192.0.2.7".into()),
        user_agent: Some("Firefox".into()),
    }
}

pub async fn sessions_expire_and_end(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = now();
    let never = Timestamp(0);
    let live = session_of(&f, 1, t);
    store.create_session(&live).await.expect("session");
    assert_eq!(store.session_operator(&live.token_hash, t, never).await.expect("live").id, f.operator.id);
    assert!(matches!(
        store.session_operator(&live.token_hash, t.plus_millis(60_000), never).await,
        Err(StoreError::NotFound)
    ));
    // Idle: unused since the idle limit; a touch keeps it.
    assert!(matches!(store.session_operator(&live.token_hash, t, t).await, Err(StoreError::NotFound)), "idle");
    store.touch_session(&live.token_hash, t.plus_millis(10)).await.expect("touch");
    assert!(store.session_operator(&live.token_hash, t.plus_millis(20), t).await.is_ok(), "used since");
    store.delete_session(&live.token_hash).await.expect("logout");
    assert!(matches!(store.session_operator(&live.token_hash, t, never).await, Err(StoreError::NotFound)));
}

pub async fn operators_are_deactivated_and_their_sessions_listed_and_ended(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = now();
    let never = Timestamp(0);
    let (a, b, old) =
        (session_of(&f, 1, t), session_of(&f, 2, t.plus_millis(5)), session_of(&f, 3, t.plus_millis(-120_000)));
    for s in [&a, &b, &old] {
        store.create_session(s).await.expect("session");
    }
    let listed = store.operator_sessions(f.workspace.id, f.operator.id, t.plus_millis(10), never).await.expect("list");
    assert_eq!(
        listed.iter().map(|s| s.token_hash.clone()).collect::<Vec<_>>(),
        vec![b.token_hash.clone(), a.token_hash.clone()],
        "live ones, newest use first"
    );
    assert_eq!((listed[0].ip.as_deref(), listed[0].user_agent.as_deref()), (Some("192.0.2.7"), Some("Firefox")));
    let (other_ws, _) = workspace(&store).await;
    assert!(
        !store.delete_session_of(other_ws.id, f.operator.id, &a.token_hash).await.expect("foreign"),
        "another workspace ends nothing"
    );
    assert!(store.delete_session_of(f.workspace.id, f.operator.id, &a.token_hash).await.expect("end one"));
    assert!(store.session_operator(&b.token_hash, t, never).await.is_ok(), "the other stays");
    // The expired one is purged; a live one is not.
    assert_eq!(store.purge_sessions(t.plus_millis(10), never).await.expect("purge"), 1);
    // Deactivated: his sessions no longer sign him in, whatever they say; reactivated, they do.
    let off = store
        .change_operator(
            f.workspace.id,
            f.operator.id,
            &OperatorChange::Deactivated(t),
            frontline_domain::Actor::SYSTEM,
            frontline_domain::Timestamp(0),
        )
        .await
        .expect("deactivate");
    assert_eq!((off.deactivated_at, off.presence), (Some(t), frontline_domain::Presence::Offline));
    assert!(matches!(store.session_operator(&b.token_hash, t, never).await, Err(StoreError::NotFound)));
    store
        .change_operator(
            f.workspace.id,
            f.operator.id,
            &OperatorChange::Reactivated,
            frontline_domain::Actor::SYSTEM,
            frontline_domain::Timestamp(0),
        )
        .await
        .expect("reactivate");
    assert!(store.session_operator(&b.token_hash, t, never).await.is_ok());
    let admin = store
        .change_operator(
            f.workspace.id,
            f.operator.id,
            &OperatorChange::Role(Role::Admin),
            frontline_domain::Actor::SYSTEM,
            frontline_domain::Timestamp(0),
        )
        .await
        .expect("role");
    assert_eq!(admin.role, Role::Admin);
    let pw = store
        .change_operator(
            f.workspace.id,
            f.operator.id,
            &OperatorChange::PasswordHash("$argon2id$new".into()),
            frontline_domain::Actor::SYSTEM,
            frontline_domain::Timestamp(0),
        )
        .await
        .expect("password");
    assert_eq!(pw.password_hash, "$argon2id$new");
    assert!(matches!(
        store
            .change_operator(
                other_ws.id,
                f.operator.id,
                &OperatorChange::Role(Role::Operator),
                frontline_domain::Actor::SYSTEM,
                frontline_domain::Timestamp(0)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.delete_operator_sessions(f.workspace.id, f.operator.id).await.expect("end all"), 1);
}

pub async fn the_audit_log_pages_newest_first(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = now();
    let entry = |i: i64| AuditEntry {
        id: uuid::Uuid::now_v7(),
        workspace_id: Some(f.workspace.id),
        at: t.plus_millis(i),
        actor_id: Some(f.operator.id),
        actor_name: Some("Анна".into()),
        action: "operator.role_changed".into(),
        target_id: Some(uuid::Uuid::nil()),
        target_name: Some("Борис".into()),
        ip: Some("192.0.2.1".into()),
        details: serde_json::json!({ "role": "supervisor", "n": i }),
    };
    let entries: Vec<_> = (0..5).map(entry).collect();
    for e in &entries {
        store.append_audit(e).await.expect("append");
    }
    let (other, _) = workspace(&store).await;
    store.append_audit(&AuditEntry { workspace_id: Some(other.id), ..entry(9) }).await.expect("other");
    store.append_audit(&AuditEntry { workspace_id: None, ..entry(9) }).await.expect("no workspace");
    let first = store.audit_log(f.workspace.id, None, 3).await.expect("page");
    assert_eq!(first, vec![entries[4].clone(), entries[3].clone(), entries[2].clone()]);
    let last = first.last().expect("last");
    let rest = store.audit_log(f.workspace.id, Some((last.at, last.id)), 3).await.expect("page 2");
    assert_eq!(rest, vec![entries[1].clone(), entries[0].clone()]);
}

pub async fn visitor_numbers_count_up(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let second = visitor(&store, f.workspace.id, f.site.id).await;
    assert_eq!((f.visitor.number, second.number), (1, 2));
    let token = uuid::Uuid::now_v7().as_bytes().to_vec();
    let third = store
        .create_visitor(&NewVisitor {
            id: VisitorId::new(),
            workspace_id: f.workspace.id,
            site_id: f.site.id,
            token_hash: token.clone(),
            created_at: now(),
        })
        .await
        .expect("third");
    assert_eq!(third.number, 3);
    assert_eq!(store.visitor_by_token(&token).await.expect("by token"), third);
    let named = store
        .set_visitor_name(f.workspace.id, third.id, &VisitorName::parse("Ольга").expect("name"))
        .await
        .expect("name");
    assert_eq!(named.name.as_ref().map(VisitorName::as_str), Some("Ольга"));
    assert_eq!(store.visitor(f.workspace.id, third.id).await.expect("get"), named);
    assert!(matches!(store.visitor_by_token(b"nope").await, Err(StoreError::NotFound)));
}

pub async fn contacts_without_a_site_are_found_by_their_source_id(store: Arc<dyn Store>) {
    use frontline_domain::search::SearchQuery;
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let contact = |source: ContactSource, external: &str| NewContact {
        id: VisitorId::new(),
        workspace_id: ws,
        source,
        external_id: external.into(),
        name: Some(VisitorName::parse("Мария Telegram").expect("name")),
        email: None,
        created_at: now(),
    };
    // Two callers at once (two Telegram updates of one new chat): one contact.
    let (first, second) =
        (contact(ContactSource::Telegram, "100200300"), contact(ContactSource::Telegram, "100200300"));
    let (a, b) = tokio::join!(store.upsert_contact(&first), store.upsert_contact(&second));
    let (a, b) = (a.expect("first"), b.expect("second"));
    assert_eq!(a.id, b.id, "one contact per chat");
    assert_eq!((a.site_id, a.source, a.external_id.as_deref()), (None, ContactSource::Telegram, Some("100200300")));
    assert!(a.number > f.visitor.number, "numbers are shared with widget visitors: {}", a.number);
    // Found again later; what a later call brings does not overwrite him.
    let mut later = contact(ContactSource::Telegram, "100200300");
    later.name = Some(VisitorName::parse("Someone else").expect("name"));
    assert_eq!(store.upsert_contact(&later).await.expect("again"), a);
    assert_eq!(store.contact(ws, ContactSource::Telegram, "100200300").await.expect("by id"), a);
    // The same id in another source, or another workspace, is somebody else.
    let mut mail = contact(ContactSource::Email, "100200300");
    mail.email = Some(Email::parse("maria@mail.example").expect("email"));
    let by_mail = store.upsert_contact(&mail).await.expect("mail");
    assert_ne!(by_mail.id, a.id);
    assert_eq!(by_mail.email.as_ref().map(|e| e.as_str()), Some("maria@mail.example"));
    let (other_ws, _) = workspace(&store).await;
    assert!(matches!(
        store.contact(other_ws.id, ContactSource::Telegram, "100200300").await,
        Err(StoreError::NotFound)
    ));
    // A site's user known by the site's own id (the Web API) is a widget contact with no site
    // or token of his own yet.
    let user = store.upsert_contact(&contact(ContactSource::Widget, "100200300")).await.expect("site user");
    assert_ne!(user.id, a.id);
    assert_eq!((user.source, user.site_id), (ContactSource::Widget, None));
    // A contact writes like anybody: a dialog opens, and search finds him by his address.
    let d = store.post_message(f.visitor_post_by(&by_mail, "m1", "Где мой заказ?")).await.expect("post").dialog;
    assert_eq!(d.visitor_id, by_mail.id);
    let q = SearchQuery::parse("maria@mail.example").expect("query");
    let hits = store.search(ws, &q, None, 20).await.expect("search");
    assert_eq!(hits.iter().map(|h| h.dialog.id).collect::<Vec<_>>(), vec![d.id]);
}

pub async fn first_visitor_message_opens_a_dialog(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let first = store.post_message(f.visitor_post("c1", "Здравствуйте")).await.expect("first");
    assert!(first.dialog_created && !first.duplicate);
    assert_eq!((first.message.seq, first.dialog.number, first.dialog.last_seq), (1, 1, 1));
    assert_eq!(first.dialog.status, DialogStatus::Open);
    assert_eq!(first.dialog.channel_id, f.channel.id);
    let second = store.post_message(f.visitor_post("c2", "Нужна кухня")).await.expect("second");
    assert!(!second.dialog_created);
    assert_eq!(second.dialog.id, first.dialog.id);
    assert_eq!(second.message.seq, 2);
    let stored = store.dialog(f.workspace.id, first.dialog.id).await.expect("dialog");
    assert_eq!(stored, second.dialog);
    assert_eq!(stored.last_message.as_ref().map(|m| m.preview.as_str()), Some("Нужна кухня"));
    assert_eq!(
        store.latest_dialog_of_visitor(f.workspace.id, f.visitor.id).await.expect("latest").map(|d| d.id),
        Some(first.dialog.id)
    );
    let msgs = store.messages(f.workspace.id, first.dialog.id, 0, 100, false).await.expect("messages");
    assert_eq!(msgs, vec![first.message, second.message]);
}

/// Many visitors' latest dialogs read at once (SQLite answers the reads waiting together with
/// one statement): each read answers its own visitor's newest dialog in its own workspace, or
/// none; a visitor read in another workspace has none there.
pub async fn latest_dialogs_read_at_once_answer_each_their_own(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let g = Fixture::new(store.clone()).await;
    let base = now().0;
    let mut expected = Vec::new();
    for k in 0..30_i64 {
        let fx = if k % 3 == 0 { &g } else { &f };
        let ws = fx.workspace.id;
        let v = visitor(&store, ws, fx.site.id).await;
        let mut latest = None;
        if k % 5 != 0 {
            let mut post = fx.visitor_post_by(&v, &format!("a{k}"), "Первый вопрос");
            post.message.created_at = Timestamp(base + k);
            let first = store.post_message(post).await.expect("post").dialog;
            latest = Some(first.id);
            if k % 5 == 2 {
                store.close_dialog(ws, first.id, now(), frontline_domain::Actor::SYSTEM).await.expect("close");
                let mut again = fx.visitor_post_by(&v, &format!("b{k}"), "Снова я");
                again.message.created_at = Timestamp(base + 1_000 + k);
                let second = store.post_message(again).await.expect("again").dialog;
                assert_ne!(second.id, first.id);
                latest = Some(second.id);
            }
        }
        expected.push((ws, v.id, latest));
    }
    let mut reads = tokio::task::JoinSet::new();
    for (i, (ws, v, _)) in expected.iter().copied().enumerate() {
        let mine = store.clone();
        reads.spawn(async move {
            let got = mine.latest_dialog_of_visitor(ws, v).await.expect("latest");
            (i, got.map(|d| (d.id, d.workspace_id, d.visitor_id)))
        });
        // And each visitor read in the other workspace, at the same time.
        let theirs = store.clone();
        let other = if ws == f.workspace.id { g.workspace.id } else { f.workspace.id };
        reads.spawn(async move {
            let got = theirs.latest_dialog_of_visitor(other, v).await.expect("latest elsewhere");
            (usize::MAX - i, got.map(|d| (d.id, d.workspace_id, d.visitor_id)))
        });
    }
    let mut answered = 0;
    while let Some(done) = reads.join_next().await {
        let (i, got) = done.expect("read");
        if i >= expected.len() {
            assert_eq!(got, None, "visitor {} read in another workspace", usize::MAX - i);
        } else {
            let (ws, v, want) = expected[i];
            assert_eq!(got, want.map(|d| (d, ws, v)), "visitor {i}");
        }
        answered += 1;
    }
    assert_eq!(answered, 60);
}

/// A visitor's post made for his open dialog without reading it first (`expected`, what his
/// socket remembers): written there while that dialog is his open one in that channel; once
/// it is not, nothing is written and the answer is `Stale`. A resent message is still answered
/// as its duplicate. Posts of several visitors at once (one batch on SQLite) are each decided
/// on their own.
pub async fn a_post_for_an_expected_dialog_is_written_only_while_it_stands(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let expecting = |mut post: PostMessage, d: DialogId, c: ChannelId| {
        if let PostTarget::Visitor { expected, .. } = &mut post.target {
            *expected = Some((d, c));
        }
        post
    };
    let d = store.post_message(f.visitor_post("x1", "Первое")).await.expect("first").dialog;
    let second = store.post_message(expecting(f.visitor_post("x2", "Второе"), d.id, f.channel.id)).await;
    let second = second.expect("second");
    assert_eq!((second.dialog.id, second.message.seq, second.duplicate), (d.id, 2, false));
    // Another channel than his dialog's: nothing written.
    let moved = store.post_message(expecting(f.visitor_post("x3", "Третье"), d.id, ChannelId::new())).await;
    assert!(matches!(moved, Err(StoreError::Stale)), "{moved:?}");
    // The same send again, whatever it expects: its duplicate.
    let again = store.post_message(expecting(f.visitor_post("x2", "Второе"), DialogId::new(), f.channel.id)).await;
    let again = again.expect("resent");
    assert!(again.duplicate && again.message.id == second.message.id);
    let count = |id: DialogId| {
        let store = store.clone();
        async move { store.messages(ws, id, 0, 100, false).await.expect("messages").len() }
    };
    assert_eq!(count(d.id).await, 2);

    // Several visitors at once: each post stands or falls by its own expectation.
    let mut open = Vec::new();
    for k in 0..6 {
        let v = visitor(&store, ws, f.site.id).await;
        let dialog = store.post_message(f.visitor_post_by(&v, &format!("o{k}"), "Здравствуйте")).await.expect("open");
        open.push((v, dialog.dialog.id));
    }
    // The last one's dialog is closed first: his post made for it is refused.
    let (_, closed) = open[5].clone();
    store.close_dialog(ws, closed, now(), frontline_domain::Actor::SYSTEM).await.expect("close");
    let mut posts = tokio::task::JoinSet::new();
    for (k, (v, dialog)) in open.iter().cloned().enumerate() {
        let post = expecting(f.visitor_post_by(&v, &format!("p{k}"), "Ещё вопрос"), dialog, f.channel.id);
        let store = store.clone();
        posts.spawn(async move { (k, store.post_message(post).await) });
    }
    while let Some(done) = posts.join_next().await {
        let (k, answer) = done.expect("post");
        if k == 5 {
            assert!(matches!(answer, Err(StoreError::Stale)), "{answer:?}");
        } else {
            let posted = answer.expect("written");
            assert_eq!((posted.dialog.id, posted.message.seq, posted.dialog_created), (open[k].1, 2, false));
        }
    }
    assert_eq!(count(closed).await, 1, "nothing written into the closed dialog");
    let latest = store.latest_dialog_of_visitor(ws, open[5].0.id).await.expect("latest").expect("his");
    assert_eq!((latest.id, latest.status), (closed, DialogStatus::Closed), "and no dialog opened");
}

pub async fn retried_send_is_stored_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let first = store.post_message(f.visitor_post("same", "Раз")).await.expect("first");
    let retry = store.post_message(f.visitor_post("same", "Раз")).await.expect("retry");
    assert!(retry.duplicate);
    assert_eq!(retry.message, first.message);
    assert_eq!(retry.dialog.last_seq, 1);
    let reply = store.post_message(f.operator_post(first.dialog.id, "same", "Ответ")).await.expect("operator");
    assert!(!reply.duplicate, "client ids are per author");
    let again = store.post_message(f.operator_post(first.dialog.id, "same", "Ответ")).await.expect("again");
    assert!(again.duplicate);
    assert_eq!(store.messages(f.workspace.id, first.dialog.id, 0, 100, false).await.expect("messages").len(), 2);
}

pub async fn unread_counts_follow_replies_and_reads(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let d = store.post_message(f.visitor_post("a", "1")).await.expect("a").dialog;
    let d2 = store.post_message(f.visitor_post("b", "2")).await.expect("b").dialog;
    assert_eq!(d2.unread_count, 2);
    let read = store.mark_read(f.workspace.id, d.id, 1).await.expect("read 1");
    assert_eq!(read.unread_count, 1);
    let stale = store.mark_read(f.workspace.id, d.id, 0).await.expect("read 0");
    assert_eq!(stale.unread_count, 1, "reading backwards changes nothing");
    let replied = store.post_message(f.operator_post(d.id, "r", "Ответ")).await.expect("reply").dialog;
    assert_eq!(replied.unread_count, 0);
    let more = store.post_message(f.visitor_post("c", "3")).await.expect("c").dialog;
    assert_eq!(more.unread_count, 1);
    assert_eq!(store.mark_read(f.workspace.id, d.id, more.last_seq).await.expect("all").unread_count, 0);
}

pub async fn closed_dialog_refuses_operators_and_restarts_for_visitors(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let d = store.post_message(f.visitor_post("a", "Вопрос")).await.expect("a").dialog;
    let (closed, changed) =
        store.close_dialog(f.workspace.id, d.id, now(), frontline_domain::Actor::SYSTEM).await.expect("close");
    assert!(changed);
    assert_eq!(closed.status, DialogStatus::Closed);
    assert!(closed.closed_at.is_some());
    let (_, again) =
        store.close_dialog(f.workspace.id, d.id, now(), frontline_domain::Actor::SYSTEM).await.expect("close twice");
    assert!(!again, "closing twice is a no-op");
    assert!(matches!(store.post_message(f.operator_post(d.id, "late", "Поздно")).await, Err(StoreError::DialogClosed)));
    assert_eq!(store.messages(f.workspace.id, d.id, 0, 100, false).await.expect("messages").len(), 1, "nothing stored");
    let next = store.post_message(f.visitor_post("b", "Ещё вопрос")).await.expect("b");
    assert!(next.dialog_created);
    assert_ne!(next.dialog.id, d.id);
    assert_eq!((next.dialog.number, next.message.seq), (2, 1));
}

pub async fn workspaces_are_isolated(store: Arc<dyn Store>) {
    let a = Fixture::new(store.clone()).await;
    let b = Fixture::new(store.clone()).await;
    let d = store.post_message(a.visitor_post("a", "Секрет")).await.expect("a").dialog;
    assert!(matches!(store.dialog(b.workspace.id, d.id).await, Err(StoreError::NotFound)));
    assert!(store.messages(b.workspace.id, d.id, 0, 100, false).await.expect("messages").is_empty());
    let page = DialogPage { after: None, limit: 50 };
    assert!(store.list_dialogs(b.workspace.id, &DialogFilter::default(), page).await.expect("list").is_empty());
    assert!(matches!(store.post_message(b.operator_post(d.id, "x", "чужой")).await, Err(StoreError::NotFound)));
    assert!(matches!(
        store.close_dialog(b.workspace.id, d.id, now(), frontline_domain::Actor::SYSTEM).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(store.mark_read(b.workspace.id, d.id, 1).await, Err(StoreError::NotFound)));
    assert_eq!(store.dialog(a.workspace.id, d.id).await.expect("still").status, DialogStatus::Open);
    assert_eq!(b.visitor.number, 1, "visitor numbers are per workspace");
}

pub async fn dialog_list_filters_and_pages(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let v = visitor(&store, f.workspace.id, f.site.id).await;
        let p = store.post_message(f.visitor_post_by(&v, &format!("m{i}"), "Привет")).await.expect("post");
        ids.push(p.dialog.id);
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    store.close_dialog(f.workspace.id, ids[1], now(), frontline_domain::Actor::SYSTEM).await.expect("close");
    let ws = f.workspace.id;
    let all = store.list_dialogs(ws, &activity(None, None), DialogPage { after: None, limit: 50 }).await.expect("all");
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|w| (w[0].updated_at, w[0].id) > (w[1].updated_at, w[1].id)), "newest first");
    let open = store
        .list_dialogs(ws, &activity(Some(DialogStatus::Open), None), DialogPage { after: None, limit: 50 })
        .await
        .expect("open");
    assert_eq!(open.len(), 4);
    assert!(!open.iter().any(|d| d.id == ids[1]));
    let closed = store
        .list_dialogs(ws, &activity(Some(DialogStatus::Closed), None), DialogPage { after: None, limit: 50 })
        .await
        .expect("closed");
    assert_eq!(closed.iter().map(|d| d.id).collect::<Vec<_>>(), vec![ids[1]]);
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = store.list_dialogs(ws, &activity(None, None), DialogPage { after, limit: 2 }).await.expect("page");
        let Some(last) = page.last() else { break };
        after = Some(DialogCursor::of(last));
        paged.extend(page);
    }
    assert_eq!(paged, all, "pages join into the whole list");
}

pub async fn sites_by_key(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    assert_eq!(store.site_by_key(&f.site.key).await.expect("by key"), f.site);
    assert_eq!(store.list_sites(f.workspace.id).await.expect("list"), vec![f.site.clone()]);
    let dup = Site { id: SiteId::new(), ..f.site.clone() };
    assert!(matches!(store.create_site(&dup).await, Err(StoreError::Conflict(_))));
    assert!(matches!(
        store.site_by_key(&SiteKey::parse("missing_key_1").expect("key")).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn concurrent_posts_get_gapless_seqs(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let first = store.post_message(f.visitor_post("first", "Начало")).await.expect("first");
    let mut tasks = Vec::new();
    for i in 0..50 {
        let f = f.clone();
        let dialog = first.dialog.id;
        tasks.push(tokio::spawn(async move {
            let post = if i % 2 == 0 {
                f.visitor_post(&format!("v{i}"), "в")
            } else {
                f.operator_post(dialog, &format!("o{i}"), "о")
            };
            f.store.post_message(post).await.expect("post").message.seq
        }));
    }
    let mut seqs = Vec::new();
    for t in tasks {
        seqs.push(t.await.expect("task"));
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (2..=51).collect::<Vec<_>>());
    let stored = store.messages(f.workspace.id, first.dialog.id, 0, 1000, false).await.expect("messages");
    assert_eq!(stored.iter().map(|m| m.seq).collect::<Vec<_>>(), (1..=51).collect::<Vec<_>>());
}

pub async fn channel_members(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let other = Fixture::new(store.clone()).await;
    store.add_channel_member(f.workspace.id, f.channel.id, f.operator.id).await.expect("add");
    store.add_channel_member(f.workspace.id, f.channel.id, f.operator.id).await.expect("add twice");
    assert_eq!(store.channel_members(f.workspace.id, f.channel.id).await.expect("members"), vec![f.operator.id]);
    assert!(matches!(
        store.add_channel_member(f.workspace.id, f.channel.id, other.operator.id).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn message_pages(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut dialog = None;
    for i in 0..7 {
        dialog = Some(store.post_message(f.visitor_post(&format!("p{i}"), "x")).await.expect("post").dialog.id);
    }
    let d = dialog.expect("dialog");
    let page = store.messages(f.workspace.id, d, 2, 3, false).await.expect("page");
    assert_eq!(page.iter().map(|m| m.seq).collect::<Vec<_>>(), vec![3, 4, 5]);
    assert!(store.messages(f.workspace.id, d, 7, 3, false).await.expect("end").is_empty());
}

pub async fn bodies_round_trip_unicode(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let text = "Кухня «Модерн» — 3,5 м 👍\nстрока 2\t<b>не HTML</b> ' \" ; DROP TABLE messages; --";
    let posted = store.post_message(f.visitor_post("u", text)).await.expect("post");
    let back = store.messages(f.workspace.id, posted.dialog.id, 0, 10, false).await.expect("read");
    assert_eq!(back[0].body.as_str(), text);
}

/// The PostgreSQL URL for tests, from `FRONTLINE_TEST_DATABASE_URL`. Without it the
/// PostgreSQL cases are skipped on a developer's machine, but fail under CI (`CI` set), so
/// a missing database can never pass for a green run.
pub fn test_database_url() -> Option<String> {
    match std::env::var("FRONTLINE_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") => {
            panic!("CI is set but FRONTLINE_TEST_DATABASE_URL is not: PostgreSQL tests cannot be skipped in CI")
        }
        _ => {
            eprintln!("FRONTLINE_TEST_DATABASE_URL is not set: skipping a PostgreSQL test");
            None
        }
    }
}

pub async fn a_failing_post_does_not_sink_its_batch(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let mut tasks = Vec::new();
    for i in 0..30 {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            let post = if i == 7 {
                f.nobodys_post(&format!("b{i}"), "в пачке")
            } else {
                f.visitor_post(&format!("b{i}"), "в пачке")
            };
            f.store.post_message(post).await.map(|p| p.message.seq)
        }));
    }
    let mut ok = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        match t.await.expect("task") {
            Ok(seq) => ok.push(seq),
            Err(e) => assert_eq!(i, 7, "only the bad post fails, got {e:?} for {i}"),
        }
    }
    ok.sort_unstable();
    assert_eq!(ok, (1..=29).collect::<Vec<_>>());
    let dialog = store.latest_dialog_of_visitor(f.workspace.id, f.visitor.id).await.expect("latest").expect("dialog");
    assert_eq!(store.messages(f.workspace.id, dialog.id, 0, 100, false).await.expect("messages").len(), 29);
    // Nothing of the failed post remains: it did not even use up a dialog number.
    let next = visitor(&store, f.workspace.id, f.site.id).await;
    let posted = store.post_message(f.visitor_post_by(&next, "n1", "следующий")).await.expect("next");
    assert_eq!(posted.dialog.number, 2);
}

pub async fn racing_retries_store_one_message(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            // Half the tasks retry one send; the others are different sends around it.
            let client_id = if i % 2 == 0 { "the-same-send".to_owned() } else { format!("other-{i}") };
            f.store.post_message(f.visitor_post(&client_id, "текст")).await.expect("post")
        }));
    }
    let mut originals = 0;
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        let p = t.await.expect("task");
        if p.message.client_id.as_str() == "the-same-send" {
            ids.insert(p.message.id);
            originals += usize::from(!p.duplicate);
        }
    }
    assert_eq!((originals, ids.len()), (1, 1), "one stored message, every retry answered with it");
    let d = store.latest_dialog_of_visitor(f.workspace.id, f.visitor.id).await.expect("latest").expect("dialog");
    assert_eq!(d.last_seq, 11);
    assert_eq!(store.messages(f.workspace.id, d.id, 0, 100, false).await.expect("messages").len(), 11);
}

pub async fn racing_first_messages_open_one_dialog(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let mut tasks = Vec::new();
    for i in 0..12 {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            f.store.post_message(f.visitor_post(&format!("first-{i}"), "привет")).await
        }));
    }
    let mut dialogs = std::collections::HashSet::new();
    let mut created = 0;
    let mut seqs = Vec::new();
    for t in tasks {
        let p = t.await.expect("task").expect("post");
        dialogs.insert(p.dialog.id);
        created += usize::from(p.dialog_created);
        seqs.push(p.message.seq);
    }
    seqs.sort_unstable();
    assert_eq!(dialogs.len(), 1, "one dialog");
    assert_eq!(created, 1, "opened once");
    assert_eq!(seqs, (1..=12).collect::<Vec<_>>());
    let d = store.dialog(f.workspace.id, *dialogs.iter().next().expect("one")).await.expect("dialog");
    assert_eq!((d.number, d.unread_count, d.last_seq), (1, 12, 12));
}

/// Many visitors opening dialogs at once: each dialog gets its own number, the numbers run
/// 1, 2, 3… without a gap, and what the post answered is what was stored.
pub async fn concurrent_openings_are_numbered_without_gaps(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let mut visitors = vec![f.visitor.clone()];
    for _ in 1..24 {
        visitors.push(visitor(&store, f.workspace.id, f.site.id).await);
    }
    let mut tasks = Vec::new();
    for (i, v) in visitors.into_iter().enumerate() {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            let post = if i == 5 {
                // One opening fails.
                f.nobodys_post("open", "сломано")
            } else {
                f.visitor_post_by(&v, "open", "здравствуйте")
            };
            f.store.post_message(post).await
        }));
    }
    let mut numbers = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        match t.await.expect("task") {
            Ok(p) => {
                assert!(p.dialog_created, "visitor {i} opened his dialog");
                let stored = store.dialog(f.workspace.id, p.dialog.id).await.expect("stored");
                assert_eq!(stored.number, p.dialog.number, "the answer's number is the stored one");
                numbers.push(p.dialog.number);
            }
            Err(e) => assert_eq!(i, 5, "only the bad opening fails, got {e:?} for {i}"),
        }
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=23).collect::<Vec<_>>());
}

pub async fn refusals_inside_a_busy_batch(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let open = store.post_message(f.visitor_post("o", "открыт")).await.expect("open").dialog.id;
    let other = visitor(&store, f.workspace.id, f.site.id).await;
    let closed = store.post_message(f.visitor_post_by(&other, "c", "закроют")).await.expect("closed").dialog.id;
    store.close_dialog(f.workspace.id, closed, now(), frontline_domain::Actor::SYSTEM).await.expect("close");
    let mut tasks = Vec::new();
    for i in 0..30 {
        let f = f.clone();
        let target = match i % 3 {
            0 => open,
            1 => closed,
            _ => DialogId::new(),
        };
        tasks.push(tokio::spawn(async move {
            (i % 3, f.store.post_message(f.operator_post(target, &format!("r{i}"), "ответ")).await)
        }));
    }
    for t in tasks {
        match t.await.expect("task") {
            (0, r) => assert!(r.is_ok(), "{r:?}"),
            (1, r) => assert!(matches!(r, Err(StoreError::DialogClosed)), "{r:?}"),
            (_, r) => assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}"),
        }
    }
    let d = store.dialog(f.workspace.id, open).await.expect("open");
    assert_eq!((d.last_seq, d.unread_count), (11, 0), "ten replies after one visitor message");
    assert_eq!(store.dialog(f.workspace.id, closed).await.expect("closed").last_seq, 1, "nothing added");
}

pub async fn channels_are_created_renamed_and_staffed(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let msk = Channel {
        id: ChannelId::new(),
        workspace_id: ws,
        name: "Москва".into(),
        is_default: false,
        settings: Default::default(),
    };
    store.create_channel(&msk).await.expect("create");
    assert_eq!(store.channel(ws, msk.id).await.expect("get"), msk);
    let dup = Channel { id: ChannelId::new(), ..msk.clone() };
    assert!(matches!(store.create_channel(&dup).await, Err(StoreError::Conflict(_))), "names are unique per workspace");
    let other = Fixture::new(store.clone()).await;
    let same_name_elsewhere = Channel { id: ChannelId::new(), workspace_id: other.workspace.id, ..msk.clone() };
    store.create_channel(&same_name_elsewhere).await.expect("another workspace may use the name");

    let renamed = store.rename_channel(ws, msk.id, "Москва и область").await.expect("rename");
    assert_eq!(renamed.name, "Москва и область");
    assert!(matches!(store.rename_channel(ws, msk.id, &f.channel.name).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.rename_channel(other.workspace.id, msk.id, "x").await, Err(StoreError::NotFound)));

    let second = operator(&store, ws, "boris@example.com").await;
    store
        .set_channel_members(
            ws,
            msk.id,
            &[f.operator.id, second.id, f.operator.id],
            frontline_domain::Actor::SYSTEM,
            frontline_domain::Timestamp(0),
        )
        .await
        .expect("members");
    let mut members = store.channel_members(ws, msk.id).await.expect("list");
    members.sort();
    let mut expected = vec![f.operator.id, second.id];
    expected.sort();
    assert_eq!(members, expected);
    // One foreign operator refuses the whole change.
    let refused = store
        .set_channel_members(
            ws,
            msk.id,
            &[second.id, other.operator.id],
            frontline_domain::Actor::SYSTEM,
            frontline_domain::Timestamp(0),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)));
    assert_eq!(store.channel_members(ws, msk.id).await.expect("list").len(), 2, "nothing changed");
    store
        .set_channel_members(ws, msk.id, &[second.id], frontline_domain::Actor::SYSTEM, frontline_domain::Timestamp(0))
        .await
        .expect("replace");
    assert_eq!(store.channel_members(ws, msk.id).await.expect("list"), vec![second.id]);
    assert!(matches!(
        store
            .set_channel_members(
                other.workspace.id,
                msk.id,
                &[],
                frontline_domain::Actor::SYSTEM,
                frontline_domain::Timestamp(0)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.list_channels(ws).await.expect("channels").len(), 2);
}

pub async fn operators_list_only_their_channels(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let msk = Channel {
        id: ChannelId::new(),
        workspace_id: ws,
        name: "Москва".into(),
        is_default: false,
        settings: Default::default(),
    };
    store.create_channel(&msk).await.expect("channel");
    let anna = f.operator.id;
    store
        .set_channel_members(ws, msk.id, &[anna], frontline_domain::Actor::SYSTEM, frontline_domain::Timestamp(0))
        .await
        .expect("anna in Moscow");
    let general = store.post_message(f.visitor_post("g", "в общий")).await.expect("general").dialog;
    let moscow_visitor = visitor(&store, ws, f.site.id).await;
    let mut post = f.visitor_post_by(&moscow_visitor, "m", "в Москву");
    post.target = PostTarget::Visitor {
        visitor: moscow_visitor.id,
        channel: msk.id,
        new_dialog_id: DialogId::new(),
        routed_by: None,
        previous: None,
        expected: None,
    };
    let moscow = store.post_message(post).await.expect("moscow").dialog;
    assert_eq!(store.operator_channels(ws, anna).await.expect("channels"), vec![msk.id]);
    let page = DialogPage { after: None, limit: 50 };
    let seen: Vec<DialogId> =
        store.list_dialogs(ws, &activity(None, Some(anna)), page).await.expect("anna").iter().map(|d| d.id).collect();
    assert_eq!(seen, vec![moscow.id], "only her channel's dialogs");
    assert_eq!(store.list_dialogs(ws, &activity(None, None), page).await.expect("all").len(), 2);
    let nobody = operator(&store, ws, "nobody@example.com").await;
    assert!(store.list_dialogs(ws, &activity(None, Some(nobody.id)), page).await.expect("nobody").is_empty());
    assert!(store.operator_channels(ws, nobody.id).await.expect("none").is_empty());
    let after = Some(DialogCursor::of(&moscow));
    assert!(
        store
            .list_dialogs(ws, &activity(None, Some(anna)), DialogPage { after, limit: 10 })
            .await
            .expect("next page")
            .is_empty()
    );
    let _ = general;
}

/// A system line for an assignment change.
pub fn line(event: SystemEvent) -> NewLine {
    let mut message = new_message(AuthorKind::System, uuid::Uuid::nil(), &format!("sys-{}", uuid::Uuid::now_v7()), "x");
    message.body = MessageBody::from_stored(String::new());
    message.audience = event.audience();
    message.event = Some(event);
    NewLine { message, author_name: None, timers: Default::default() }
}

/// Gives `to` the dialog, as accept does: only while nobody has it, within his capacity.
pub fn accept(ws: WorkspaceId, dialog: DialogId, to: OperatorId) -> Reassign {
    Reassign {
        workspace_id: ws,
        dialog,
        expect: None,
        to: Some(to),
        to_channel: None,
        checks: Checks { capacity: true, presence: PresenceCheck::NotOffline, member: false },
        lines: vec![line(SystemEvent::Assigned { operator: "x".into(), by: None })],
        now: now(),
        actor: frontline_domain::Actor::operator(to),
    }
}

async fn online_operator(store: &Arc<dyn Store>, ws: WorkspaceId, email: &str) -> Operator {
    let op = operator(store, ws, email).await;
    store.set_presence(ws, op.id, Presence::Online, now()).await.expect("online").0
}

pub async fn accept_race_has_one_winner(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let d = store.post_message(f.visitor_post("q", "кто-нибудь?")).await.expect("post").dialog;
    assert_eq!(d.assignee, None);
    assert!(d.queued_at.is_some(), "a new dialog waits in the queue");
    let mut ops = Vec::new();
    for i in 0..50 {
        ops.push(online_operator(&store, ws, &format!("op{i}@example.com")).await.id);
    }
    let tasks: Vec<_> = ops
        .iter()
        .map(|op| {
            let store = store.clone();
            let change = accept(ws, d.id, *op);
            tokio::spawn(async move { store.reassign(&change).await })
        })
        .collect();
    let mut winners = Vec::new();
    let mut told = Vec::new();
    for (op, t) in ops.iter().zip(tasks) {
        match t.await.expect("task") {
            Ok(done) => winners.push((*op, done)),
            Err(StoreError::Refused(Refusal::AssigneeChanged { now })) => told.push(now),
            Err(e) => panic!("unexpected answer: {e}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one accept wins");
    let (winner, done) = &winners[0];
    assert_eq!(done.dialog.assignee.map(|a| a.operator), Some(*winner));
    assert_eq!(done.dialog.queued_at, None, "it left the queue");
    assert!(told.iter().all(|now| *now == Some(*winner)), "the others are told who has it");
    let lines = store.messages(ws, d.id, 0, 100, false).await.expect("messages");
    assert_eq!(lines.iter().filter(|m| m.author.kind == AuthorKind::System).count(), 1, "one system line");
    assert_eq!(store.active_counts(ws).await.expect("counts").get(winner), Some(&1));
}

pub async fn capacity_holds_under_concurrent_assignments(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let op = online_operator(&store, ws, "busy@example.com").await;
    store
        .set_capacity(
            ws,
            op.id,
            Capacity::new(2).expect("capacity"),
            frontline_domain::Actor::SYSTEM,
            frontline_domain::Timestamp(0),
        )
        .await
        .expect("set capacity");
    let mut dialogs = Vec::new();
    for i in 0..8 {
        let v = visitor(&store, ws, f.site.id).await;
        dialogs.push(store.post_message(f.visitor_post_by(&v, &format!("c{i}"), "здравствуйте")).await.expect("post"));
    }
    let tasks: Vec<_> = dialogs
        .iter()
        .map(|p| {
            let store = store.clone();
            let change = accept(ws, p.dialog.id, op.id);
            tokio::spawn(async move { store.reassign(&change).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(StoreError::Refused(Refusal::CapacityReached { capacity })) => assert_eq!(capacity, 2),
            Err(e) => panic!("unexpected answer: {e}"),
        }
    }
    assert_eq!(ok, 2, "never more than his capacity");
    let mine = DialogFilter { assignee: AssigneeFilter::Operator(op.id), ..DialogFilter::default() };
    assert_eq!(store.count_dialogs(ws, &mine).await.expect("count"), 2);
}

pub async fn assignment_checks_and_transfers(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let anna = online_operator(&store, ws, "anna2@example.com").await;
    let boris = operator(&store, ws, "boris@example.com").await; // offline
    let spb = Channel {
        id: ChannelId::new(),
        workspace_id: ws,
        name: "Санкт-Петербург".into(),
        is_default: false,
        settings: Default::default(),
    };
    store.create_channel(&spb).await.expect("channel");
    store
        .set_channel_members(ws, spb.id, &[boris.id], frontline_domain::Actor::SYSTEM, frontline_domain::Timestamp(0))
        .await
        .expect("members");
    let mut routed = f.visitor_post("t", "вопрос");
    if let PostTarget::Visitor { routed_by, .. } = &mut routed.target {
        *routed_by = Some("Общий по адресу".into());
    }
    let d = store.post_message(routed).await.expect("post").dialog;
    assert_eq!(d.routed_by.as_deref(), Some("Общий по адресу"));
    let given = store.reassign(&accept(ws, d.id, anna.id)).await.expect("accept");

    // To an offline operator: refused, nothing changes.
    let mut to_boris = accept(ws, d.id, boris.id);
    to_boris.expect = Some(anna.id);
    assert!(matches!(store.reassign(&to_boris).await, Err(StoreError::Refused(Refusal::OperatorUnavailable))));
    // To a channel with nobody online: refused.
    let to_spb = Reassign { to: None, to_channel: Some(spb.id), ..to_boris.clone() };
    assert!(matches!(store.reassign(&to_spb).await, Err(StoreError::Refused(Refusal::ChannelUnavailable))));
    // A stale expectation: refused with who has it now.
    let stale = Reassign { expect: None, ..to_spb.clone() };
    assert_eq!(
        store.reassign(&stale).await.err().map(|e| e.to_string()),
        Some(StoreError::Refused(Refusal::AssigneeChanged { now: Some(anna.id) }).to_string())
    );
    // Membership is checked when asked.
    store.set_presence(ws, boris.id, Presence::Online, now()).await.expect("boris online");
    let mut member_check = to_boris.clone();
    member_check.checks.member = true;
    assert!(matches!(store.reassign(&member_check).await, Err(StoreError::Refused(Refusal::NotChannelMember))));
    let unchanged = store.dialog(ws, d.id).await.expect("dialog");
    assert_eq!(unchanged.assignee, given.dialog.assignee);
    assert_eq!(unchanged.last_seq, given.dialog.last_seq, "refusals write nothing");

    // Now the channel has someone online: the dialog moves there and waits in its queue.
    let moved = store.reassign(&to_spb).await.expect("transfer to channel");
    assert_eq!(moved.dialog.channel_id, spb.id);
    assert_eq!(moved.dialog.routed_by, None, "the rule no longer explains where it is");
    assert_eq!(moved.dialog.assignee, None);
    assert!(moved.dialog.queued_at.is_some());
    assert_eq!(store.queued_dialogs(ws, spb.id, 10).await.expect("queue").len(), 1);
    let cands = store.candidates(ws, spb.id).await.expect("candidates");
    assert_eq!(cands.iter().map(|c| c.operator).collect::<Vec<_>>(), vec![boris.id]);
    assert_eq!(store.online_counts(ws).await.expect("online").get(&spb.id), Some(&1));
}

pub async fn system_lines_and_list_filters(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let anna = online_operator(&store, ws, "anna3@example.com").await;
    let d1 = store.post_message(f.visitor_post("a1", "первый")).await.expect("post").dialog;
    let v2 = visitor(&store, ws, f.site.id).await;
    let d2 = store.post_message(f.visitor_post_by(&v2, "b1", "второй")).await.expect("post").dialog;
    store.post_message(f.visitor_post_by(&v2, "b2", "второй ещё")).await.expect("post");
    let mut change = accept(ws, d1.id, anna.id);
    change.lines.push(line(SystemEvent::TransferNotice { operator: Some("Анна".into()) }));
    let done = store.reassign(&change).await.expect("accept");
    assert_eq!(done.messages.len(), 2);
    assert_eq!(
        done.dialog.last_message.as_ref().map(|m| m.author_kind),
        Some(AuthorKind::Visitor),
        "system lines are not the last message"
    );
    assert_eq!(done.dialog.pending_count, 1, "system lines answer nobody");

    // The visitor reads only what is his.
    let visitor_view = store.messages(ws, d1.id, 0, 100, true).await.expect("visitor view");
    assert_eq!(visitor_view.len(), 2);
    assert!(visitor_view.iter().all(|m| m.audience == Audience::All));
    assert_eq!(store.messages(ws, d1.id, 0, 100, false).await.expect("operator view").len(), 3);
    let stored = visitor_view.last().expect("notice");
    assert_eq!(stored.event, Some(SystemEvent::TransferNotice { operator: Some("Анна".into()) }));

    // d2 has waited longer (two visitor messages, none answered): the waiting sort puts the
    // longest wait first whatever the activity order.
    let d2_now = store.dialog(ws, d2.id).await.expect("d2");
    assert_eq!(d2_now.pending_count, 2);
    assert!(d2_now.waiting_since.is_some());
    let filter = |assignee, unanswered| DialogFilter { assignee, unanswered, ..DialogFilter::default() };
    let page = DialogPage { after: None, limit: 50 };
    let ids = |v: Vec<Dialog>| v.into_iter().map(|d| d.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.list_dialogs(ws, &filter(AssigneeFilter::Unassigned, false), page).await.expect("q")),
        vec![d2.id]
    );
    assert_eq!(
        ids(store.list_dialogs(ws, &filter(AssigneeFilter::Operator(anna.id), false), page).await.expect("m")),
        vec![d1.id]
    );
    assert_eq!(
        store.count_dialogs(ws, &filter(AssigneeFilter::OperatorOrUnassigned(anna.id), false)).await.expect("n"),
        2
    );
    let reply = f.operator_post(d1.id, "r1", "Здравствуйте!");
    store.post_message(reply).await.expect("reply");
    let answered = store.dialog(ws, d1.id).await.expect("d1");
    assert_eq!((answered.pending_count, answered.waiting_since), (0, None));
    assert_eq!(
        ids(store.list_dialogs(ws, &filter(AssigneeFilter::Any, true), page).await.expect("unanswered")),
        vec![d2.id]
    );
    // Waiting sort: d2 (waiting) before d1 (answered, though more recent), and pages join.
    let all = ids(store.list_dialogs(ws, &DialogFilter::default(), page).await.expect("all"));
    assert_eq!(all, vec![d2.id, d1.id]);
    let first =
        store.list_dialogs(ws, &DialogFilter::default(), DialogPage { after: None, limit: 1 }).await.expect("p1");
    let after = first.last().map(DialogCursor::of);
    let second = store.list_dialogs(ws, &DialogFilter::default(), DialogPage { after, limit: 1 }).await.expect("p2");
    assert_eq!(ids(second), vec![d1.id]);
    let by_channel = DialogFilter { channel: Some(ChannelId::new()), ..DialogFilter::default() };
    assert!(store.list_dialogs(ws, &by_channel, page).await.expect("other channel").is_empty());
}

pub async fn wait_alerts_fire_once_per_stay(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let d = store.post_message(f.visitor_post("w", "жду")).await.expect("post").dialog;
    let queued = d.queued_at.expect("queued");
    let limit = f.channel.settings.wait_limit.as_millis();
    let ours = |v: Vec<Dialog>| v.into_iter().filter(|x| x.id == d.id).count();
    assert_eq!(ours(store.claim_wait_alerts(Timestamp(queued.0 + limit - 1), 100).await.expect("early")), 0);
    let at = Timestamp(queued.0 + limit);
    let claimed = store.claim_wait_alerts(at, 100).await.expect("due");
    let mine: Vec<_> = claimed.iter().filter(|x| x.id == d.id).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].wait_alerted_at, Some(at));
    assert_eq!(ours(store.claim_wait_alerts(at, 100).await.expect("again")), 0, "fires once");
    assert_eq!(ours(store.claim_wait_alerts(Timestamp(at.0 + 60_000), 100).await.expect("after")), 0);
    // Taken, then back in the queue: a new stay, a new alert.
    let anna = online_operator(&store, ws, "anna4@example.com").await;
    store.reassign(&accept(ws, d.id, anna.id)).await.expect("accept");
    let back = Reassign { expect: Some(anna.id), to: None, lines: vec![], ..accept(ws, d.id, anna.id) };
    let back = store.reassign(&back).await.expect("back to queue").dialog;
    assert_eq!(back.wait_alerted_at, None);
    let requeued = back.queued_at.expect("queued again");
    assert_eq!(ours(store.claim_wait_alerts(Timestamp(requeued.0 + limit), 100).await.expect("due again")), 1);
}

pub async fn presence_expires_without_heartbeats(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let t0 = now();
    let (anna, before) = store.set_presence(ws, f.operator.id, Presence::Online, t0).await.expect("online");
    assert_eq!((before, anna.presence), (Presence::Offline, Presence::Online));
    let boris = online_operator(&store, ws, "boris5@example.com").await;
    store.touch_operators(&[boris.id], Timestamp(t0.0 + 50_000)).await.expect("heartbeat");
    let gone = store.expire_presence(Timestamp(t0.0 + 30_000)).await.expect("expire");
    let gone: Vec<_> = gone.into_iter().filter(|o| o.workspace_id == ws).map(|o| o.id).collect();
    assert_eq!(gone, vec![anna.id], "only the one without a heartbeat");
    assert_eq!(store.operator(ws, anna.id).await.expect("anna").presence, Presence::Offline);
    assert_eq!(store.operator(ws, boris.id).await.expect("boris").presence, Presence::Online);
}

pub async fn routing_rules_are_replaced_whole(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let other = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let rule = |name: &str, channel| StoredRule {
        id: uuid::Uuid::now_v7(),
        name: name.into(),
        channel,
        conditions: r#"[{"type":"language","value":"ru"}]"#.into(),
    };
    let rules = vec![rule("Первое", f.channel.id), rule("Второе", f.channel.id)];
    store.replace_routing_rules(ws, &rules).await.expect("replace");
    assert_eq!(store.routing_rules(ws).await.expect("rules"), rules);
    let bad = vec![rule("Третье", f.channel.id), rule("Чужое", other.channel.id)];
    assert!(matches!(store.replace_routing_rules(ws, &bad).await, Err(StoreError::NotFound)));
    assert_eq!(store.routing_rules(ws).await.expect("rules"), rules, "nothing changed");
    let reordered = vec![rules[1].clone(), rules[0].clone()];
    store.replace_routing_rules(ws, &reordered).await.expect("reorder");
    assert_eq!(store.routing_rules(ws).await.expect("rules"), reordered);
    assert!(store.routing_rules(other.workspace.id).await.expect("other").is_empty());
}

fn note(f: &Fixture, dialog: DialogId, client_id: &str, body: &str, mentions: Vec<OperatorId>) -> PostMessage {
    let mut post = f.operator_post(dialog, client_id, body);
    post.message.audience = Audience::Operators;
    post.message.mentions = mentions;
    post
}

pub async fn notes_leave_counters_alone_and_keep_files_and_mentions(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let d = store.post_message(f.visitor_post("v1", "Где мой заказ?")).await.expect("visitor").dialog;
    let posted =
        store.post_message(note(&f, d.id, "n1", "@Анна проверь оплату", vec![f.operator.id])).await.expect("note");
    let after = posted.dialog;
    assert_eq!((after.pending_count, after.unread_count), (1, 1), "a note is not a reply");
    assert_eq!(after.last_message.as_ref().map(|m| m.preview.as_str()), Some("Где мой заказ?"));
    assert_eq!(posted.message.mentions, vec![f.operator.id]);
    let for_visitor = store.messages(f.workspace.id, d.id, 0, 100, true).await.expect("visitor history");
    assert_eq!(for_visitor.len(), 1, "the visitor's history has no note");
    let all = store.messages(f.workspace.id, d.id, 0, 100, false).await.expect("operator history");
    assert_eq!(all[1].audience, Audience::Operators);
    assert_eq!(all[1].mentions, vec![f.operator.id]);

    // A message with a file only: the list shows the file's name.
    let file = StoredFile {
        file: Attachment {
            id: AttachmentId::new(),
            name: "смета.pdf".into(),
            content_type: "application/pdf".into(),
            size: 10,
        },
        workspace_id: f.workspace.id,
        uploader_kind: "operator".into(),
        uploader_id: f.operator.id.0,
        created_at: now(),
        dialog_id: None,
        message_id: None,
    };
    store.create_file(&file).await.expect("upload");
    let mut post = f.operator_post(d.id, "f1", "x");
    post.message.body = MessageBody::from_stored(String::new());
    post.message.attachments = vec![file.file.clone()];
    let sent = store.post_message(post).await.expect("file message");
    assert_eq!(sent.dialog.last_message.as_ref().map(|m| m.preview.as_str()), Some("📎 смета.pdf"));
    let stored = store.messages(f.workspace.id, d.id, 2, 10, false).await.expect("read")[0].clone();
    assert_eq!(stored.attachments, vec![file.file.clone()]);
    let taken = store.file(f.workspace.id, file.file.id).await.expect("file");
    assert_eq!((taken.dialog_id, taken.message_id), (Some(d.id), Some(sent.message.id.0)));
}

pub async fn tags_replace_whole_and_filter_the_list(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let pay = store.create_entry(ws, Dictionary::Tags, TagId::new().0, "оплата", now()).await.expect("tag");
    let urgent = store.create_entry(ws, Dictionary::Tags, TagId::new().0, "срочно", now()).await.expect("tag");
    assert!(matches!(
        store.create_entry(ws, Dictionary::Tags, TagId::new().0, "оплата", now()).await,
        Err(StoreError::Conflict(_))
    ));
    let a = store.post_message(f.visitor_post("a", "Оплата не прошла")).await.expect("a").dialog;
    let other = visitor(&store, ws, f.site.id).await;
    let b = store.post_message(f.visitor_post_by(&other, "b", "Доставка")).await.expect("b").dialog;
    let tagged = store
        .set_dialog_tags(ws, a.id, &[TagId(pay.id), TagId(urgent.id)], now(), frontline_domain::Actor::SYSTEM)
        .await
        .expect("tags");
    assert_eq!(tagged.tags, vec![TagId(pay.id), TagId(urgent.id)]);
    let retagged =
        store.set_dialog_tags(ws, a.id, &[TagId(pay.id)], now(), frontline_domain::Actor::SYSTEM).await.expect("retag");
    assert_eq!(retagged.tags, vec![TagId(pay.id)]);
    let by_tag = |tag: uuid::Uuid| DialogFilter { tag: Some(TagId(tag)), ..Default::default() };
    let page = DialogPage { after: None, limit: 10 };
    let ids = |v: Vec<Dialog>| v.into_iter().map(|d| d.id).collect::<Vec<_>>();
    assert_eq!(ids(store.list_dialogs(ws, &by_tag(pay.id), page).await.expect("list")), vec![a.id]);
    assert!(store.list_dialogs(ws, &by_tag(urgent.id), page).await.expect("list").is_empty(), "removed tag");
    assert_eq!(store.count_dialogs(ws, &by_tag(pay.id)).await.expect("count"), 1);
    assert_ne!(a.id, b.id);

    // Archived, never deleted: the dialog keeps it; the default dictionary hides it.
    let archived = store.update_entry(ws, Dictionary::Tags, pay.id, None, Some(true)).await.expect("archive");
    assert!(archived.archived);
    assert_eq!(store.dictionary(ws, Dictionary::Tags, false).await.expect("active").len(), 1);
    assert_eq!(store.dictionary(ws, Dictionary::Tags, true).await.expect("all").len(), 2);
    assert_eq!(store.dialog(ws, a.id).await.expect("dialog").tags, vec![TagId(pay.id)]);
    let renamed = store.update_entry(ws, Dictionary::Tags, urgent.id, Some("важно"), None).await.expect("rename");
    assert_eq!((renamed.name.as_str(), renamed.archived), ("важно", false));

    let cat = store.create_entry(ws, Dictionary::Categories, CategoryId::new().0, "Замер", now()).await.expect("cat");
    let d = store
        .set_dialog_category(ws, b.id, Some(CategoryId(cat.id)), now(), frontline_domain::Actor::SYSTEM)
        .await
        .expect("category");
    assert_eq!(d.category, Some(CategoryId(cat.id)));
}

pub async fn snoozes_wake_once_and_end_when_the_visitor_writes(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let t0 = now();
    let d = store.post_message(f.visitor_post("s1", "Перезвоните завтра")).await.expect("post").dialog;
    let until = Timestamp(t0.0 + 3_600_000);
    // The snooze and the line saying so are one write.
    let said = NewLine::system(SystemEvent::Snoozed { until: "later".into(), by: "Анна".into() }, t0);
    let snoozed =
        store.set_snooze(ws, d.id, Some(until), t0, frontline_domain::Actor::SYSTEM, &[said]).await.expect("snooze");
    assert_eq!(snoozed.lines.iter().map(|m| m.seq).collect::<Vec<_>>(), vec![2]);
    assert_eq!(snoozed.dialog.last_seq, 2);
    assert_eq!(snoozed.dialog.unread_count, 1, "a system line is no message of the visitor");
    let snoozed = snoozed.dialog;
    assert_eq!(snoozed.snoozed_until, Some(until));
    let open = DialogFilter { status: Some(DialogStatus::Open), snoozed: Some(false), ..Default::default() };
    let only = DialogFilter { snoozed: Some(true), ..Default::default() };
    assert_eq!(store.count_dialogs(ws, &open).await.expect("open"), 0, "out of the open list");
    assert_eq!(store.count_dialogs(ws, &only).await.expect("snoozed"), 1);
    let mine = |v: Vec<Changed>| v.into_iter().filter(|x| x.dialog.workspace_id == ws).count();
    assert_eq!(mine(store.claim_snoozes(Timestamp(until.0 - 1), 1000).await.expect("due")), 0);
    let woke = store.claim_snoozes(until, 1000).await.expect("wake");
    let woke: Vec<_> = woke.into_iter().filter(|w| w.dialog.id == d.id).collect();
    assert_eq!(woke.iter().map(|w| w.dialog.snoozed_until).collect::<Vec<_>>(), vec![None]);
    // Its "woke" line came with the claim.
    assert_eq!(woke[0].lines.len(), 1);
    assert!(matches!(woke[0].lines[0].event, Some(SystemEvent::Unsnoozed { ref reason, by: None }) if reason == "due"));
    assert_eq!((woke[0].lines[0].seq, woke[0].dialog.last_seq), (3, 3));
    let stored = store.messages(ws, d.id, 0, 10, false).await.expect("messages");
    assert_eq!(stored.iter().map(|m| m.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(mine(store.claim_snoozes(until, 1000).await.expect("again")), 0, "exactly once");

    store.set_snooze(ws, d.id, Some(until), t0, frontline_domain::Actor::SYSTEM, &[]).await.expect("snooze again");
    let back = store.post_message(f.visitor_post("s2", "Я тут")).await.expect("visitor writes").dialog;
    assert_eq!(back.snoozed_until, None, "the visitor's message ends the snooze");
    assert_eq!(mine(store.claim_snoozes(until, 1000).await.expect("stale")), 0);

    store
        .close_with_reason(ws, d.id, CloseReason::Operator, now(), frontline_domain::Actor::SYSTEM)
        .await
        .expect("close");
    assert!(matches!(
        store.set_snooze(ws, d.id, Some(until), t0, frontline_domain::Actor::SYSTEM, &[]).await,
        Err(StoreError::DialogClosed)
    ));
}

pub async fn close_reopen_and_rate(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let d = store.post_message(f.visitor_post("c1", "Спасибо")).await.expect("post").dialog;
    let cat =
        store.create_entry(ws, Dictionary::Categories, CategoryId::new().0, "Консультация", now()).await.expect("c");
    store
        .set_dialog_category(ws, d.id, Some(CategoryId(cat.id)), now(), frontline_domain::Actor::SYSTEM)
        .await
        .expect("category");
    let (closed, changed) = store
        .close_with_reason(ws, d.id, CloseReason::Auto, now(), frontline_domain::Actor::SYSTEM)
        .await
        .expect("close");
    assert!(changed);
    assert_eq!(closed.close_reason, Some(CloseReason::Auto));
    let rating = Rating::parse(5, Some("Отлично"), now()).expect("rating");
    assert!(store.rate_dialog(ws, d.id, &rating).await.expect("rate").is_none(), "no rating after an automatic close");

    let due = Timestamp(now().0 + 1_800_000);
    let said = NewLine::system(SystemEvent::Reopened { by: None }, now());
    let reopened = store
        .reopen_dialog(ws, d.id, now(), Some(due), frontline_domain::Actor::SYSTEM, &[said])
        .await
        .expect("reopen")
        .expect("was closed");
    assert_eq!(reopened.lines.len(), 1, "the line saying so, in the same write");
    let reopened = reopened.dialog;
    assert_eq!(
        (reopened.sla.resolve_due, reopened.sla.resolve_breached),
        (Some(due), false),
        "a new resolution target"
    );
    assert_eq!((reopened.status, reopened.category, reopened.close_reason), (DialogStatus::Open, None, None));
    assert!(
        store
            .reopen_dialog(ws, d.id, now(), None, frontline_domain::Actor::SYSTEM, &[])
            .await
            .expect("again")
            .is_none()
    );
    store
        .close_with_reason(ws, d.id, CloseReason::Operator, now(), frontline_domain::Actor::SYSTEM)
        .await
        .expect("close by operator");
    let rated = store.rate_dialog(ws, d.id, &rating).await.expect("rate").expect("asked");
    assert_eq!(rated.rating.as_ref().map(|r| (r.score, r.comment.clone())), Some((5, Some("Отлично".into()))));
    assert!(store.rate_dialog(ws, d.id, &rating).await.expect("twice").is_none(), "once");

    // A new dialog links the old one; the old one cannot reopen while the new one is open.
    let mut post = f.visitor_post("c2", "Ещё вопрос");
    if let PostTarget::Visitor { previous, .. } = &mut post.target {
        *previous = Some(d.id);
    }
    let next = store.post_message(post).await.expect("new dialog").dialog;
    assert_eq!(next.previous_dialog, Some(d.id));
    assert!(matches!(
        store.reopen_dialog(ws, d.id, now(), None, frontline_domain::Actor::SYSTEM, &[]).await,
        Err(StoreError::Conflict(_))
    ));

    // Read marks of the visitor only move forward.
    let r = store.post_message(f.operator_post(next.id, "r1", "Слушаю")).await.expect("reply").dialog;
    let read = store.mark_visitor_read(ws, next.id, r.last_seq).await.expect("read").expect("moved");
    assert_eq!(read.visitor_read_seq, r.last_seq);
    assert!(store.mark_visitor_read(ws, next.id, 1).await.expect("back").is_none());
    assert!(store.mark_visitor_read(ws, next.id, r.last_seq + 5).await.expect("ahead").is_none());
}

/// A word many messages hold: the newest hits come first, one row a dialog, whatever the
/// path a backend takes (PostgreSQL reads its newest messages first when they hold enough).
pub async fn search_shows_the_newest_of_many_hits(store: Arc<dyn Store>) {
    use frontline_domain::search::SearchQuery;
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let base = now().0;
    let mut dialogs = Vec::new();
    for k in 0..8_i64 {
        let v = visitor(&store, ws, f.site.id).await;
        for j in 0..3_i64 {
            let mut post = f.visitor_post_by(&v, &format!("k{k}-{j}"), &format!("Кухня на заказ, вопрос {j}"));
            post.message.created_at = Timestamp(base + k * 10 + j);
            let d = store.post_message(post).await.expect("post").dialog;
            if j == 0 {
                dialogs.push(d.id);
            }
        }
    }
    let q = SearchQuery::parse("кухни").expect("query");
    let hits = store.search(ws, &q, None, 5).await.expect("search");
    let newest: Vec<DialogId> = dialogs.iter().rev().take(5).copied().collect();
    assert_eq!(hits.iter().map(|h| h.dialog.id).collect::<Vec<_>>(), newest);
    // Seen by an operator of another channel only: nothing.
    assert!(store.search(ws, &q, Some(f.operator.id), 5).await.expect("search").is_empty());
}

/// Two workspaces hold the same words, one of them many times: each search finds its own
/// workspace's dialogs only, newest first (SQLite filters by workspace inside its index, where a
/// token holds each row's workspace; no word a user types can match that token).
pub async fn search_keeps_to_its_workspace(store: Arc<dyn Store>) {
    use frontline_domain::search::SearchQuery;
    let busy = Fixture::new(store.clone()).await;
    let quiet = Fixture::new(store.clone()).await;
    let base = now().0;
    for k in 0..12_i64 {
        let v = visitor(&store, busy.workspace.id, busy.site.id).await;
        let mut post = busy.visitor_post_by(&v, &format!("b{k}"), "Где мой заказ? Фасады не привезли");
        post.message.created_at = Timestamp(base + k);
        store.post_message(post).await.expect("busy post");
    }
    let mut post = quiet.visitor_post("q1", "Заказ пришёл без ручек");
    post.message.created_at = Timestamp(base - 1_000);
    let mine = store.post_message(post).await.expect("quiet post").dialog;
    let named = store
        .update_visitor_profile(
            busy.workspace.id,
            busy.visitor.id,
            Some(&VisitorName::parse("Заказов Пётр").expect("name")),
            None,
            None,
            crate::events::Stamp { actor: frontline_domain::Actor::SYSTEM, at: now() },
        )
        .await
        .expect("profile");
    assert_eq!(named.workspace_id, busy.workspace.id);
    let search = |ws: WorkspaceId, q: &str| {
        let store = store.clone();
        let q = SearchQuery::parse(q).expect("query");
        async move { store.search(ws, &q, None, 5).await.expect("search") }
    };
    let ids = |hits: Vec<SearchRow>| hits.into_iter().map(|h| h.dialog.id).collect::<Vec<_>>();
    assert_eq!(ids(search(quiet.workspace.id, "заказ").await), vec![mine.id], "the quiet workspace sees its own");
    let hits = search(busy.workspace.id, "заказ").await;
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h.dialog.workspace_id == busy.workspace.id));
    assert!(search(quiet.workspace.id, "фасады").await.is_empty(), "words only the other holds");
    assert!(search(quiet.workspace.id, "Пётр").await.is_empty(), "visitors only the other holds");
    // The workspace's id, typed as a word (whole, and as its first half), finds nothing.
    let hex = quiet.workspace.id.0.simple().to_string();
    assert!(search(quiet.workspace.id, &hex).await.is_empty(), "{hex}");
    assert!(search(quiet.workspace.id, &hex[..16]).await.is_empty(), "{hex}");
}

pub async fn search_finds_word_forms_within_visible_channels(store: Arc<dyn Store>) {
    use frontline_domain::search::SearchQuery;
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let d = store.post_message(f.visitor_post("q1", "Оплата картой не проходит")).await.expect("post").dialog;
    let other = visitor(&store, ws, f.site.id).await;
    let named = store
        .update_visitor_profile(
            ws,
            other.id,
            Some(&VisitorName::parse("Иван Петров").expect("name")),
            Some(&Email::parse("ivan@mail.example").expect("email")),
            Some(&Phone::parse("+7 (916) 123-45-67").expect("phone")),
            crate::events::Stamp { actor: frontline_domain::Actor::SYSTEM, at: now() },
        )
        .await
        .expect("profile");
    let e = store.post_message(f.visitor_post_by(&named, "q2", "Nothing to do with payments")).await.expect("e").dialog;
    store.post_message(note(&f, d.id, "q3", "Delivering orders tomorrow", vec![])).await.expect("note");
    let search = |q: &str, vis: Option<OperatorId>| {
        let store = store.clone();
        let q = SearchQuery::parse(q).expect("query");
        async move { store.search(ws, &q, vis, 20).await.expect("search") }
    };
    let hits = search("оплаты", None).await;
    assert_eq!(hits.iter().map(|h| h.dialog.id).collect::<Vec<_>>(), vec![d.id]);
    let snippet = &hits[0].message.as_ref().expect("message hit").snippet;
    assert!(snippet.contains("[Оплата]"), "{snippet}");
    assert_eq!(search("order", None).await.iter().map(|h| h.dialog.id).collect::<Vec<_>>(), vec![d.id], "notes");
    assert_eq!(search("Петров", None).await.iter().map(|h| h.dialog.id).collect::<Vec<_>>(), vec![e.id]);
    assert_eq!(search("ivan", None).await.iter().map(|h| h.dialog.id).collect::<Vec<_>>(), vec![e.id]);
    assert_eq!(search("79161234567", None).await.iter().map(|h| h.dialog.id).collect::<Vec<_>>(), vec![e.id]);
    assert!(search("холодильник", None).await.is_empty());
    // Word forms whose dictionary stem is shorter than ours (Snowball: "скрип", "deliv").
    let creaks = store.post_message(note(&f, e.id, "q4", "Дверца шкафа скрипит после установки", vec![])).await;
    creaks.expect("creaks");
    assert_eq!(search("скрипит", None).await.iter().map(|h| h.dialog.id).collect::<Vec<_>>(), vec![e.id]);
    assert_eq!(search("delivering", None).await.iter().map(|h| h.dialog.id).collect::<Vec<_>>(), vec![d.id]);
    // An operator in no channel sees nothing; a member sees his channel's dialogs.
    assert!(search("оплата", Some(f.operator.id)).await.is_empty());
    store.add_channel_member(ws, f.channel.id, f.operator.id).await.expect("member");
    assert_eq!(search("оплата", Some(f.operator.id)).await.len(), 1);
    // Another workspace never sees them.
    let g = Fixture::new(store.clone()).await;
    let q = SearchQuery::parse("оплата").expect("query");
    assert!(store.search(g.workspace.id, &q, None, 20).await.expect("search").is_empty());
}

pub async fn an_edited_message_keeps_its_earlier_texts(store: Arc<dyn Store>) {
    use frontline_domain::search::SearchQuery;
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let posted = store.post_message(f.visitor_post("e1", "Заказ номер 100 не пришёл")).await.expect("post");
    let id = posted.message.id;
    assert!(posted.message.edited_at.is_none());
    let edit = |text: &str, at: i64| {
        let store = store.clone();
        let body = MessageBody::parse(text, MessageBody::DEFAULT_LIMIT).expect("body");
        let actor = frontline_domain::Actor::visitor(f.visitor.id);
        async move { store.edit_message(ws, id, &body, actor, Timestamp(at)).await }
    };
    let changed = edit("Заказ номер 200 не пришёл", 2_000_000_000_000).await.expect("edit");
    assert_eq!(
        (changed.body.as_str(), changed.edited_at),
        ("Заказ номер 200 не пришёл", Some(Timestamp(2_000_000_000_000)))
    );
    edit("Заказ 300 пришёл, спасибо", 2_000_000_001_000).await.expect("edit again");
    let read = store.message_by_id(ws, id.0).await.expect("read");
    assert_eq!((read.body.as_str(), read.edited_at), ("Заказ 300 пришёл, спасибо", Some(Timestamp(2_000_000_001_000))));
    let list = store.dialog(ws, posted.dialog.id).await.expect("dialog");
    assert_eq!(list.last_message.map(|l| l.preview), Some("Заказ 300 пришёл, спасибо".to_owned()), "the list follows");
    let earlier = store.message_edits(ws, id).await.expect("edits");
    assert_eq!(
        earlier.iter().map(|e| (e.version, e.body.as_str(), e.replaced_at.0)).collect::<Vec<_>>(),
        vec![(1, "Заказ номер 100 не пришёл", 2_000_000_000_000), (2, "Заказ номер 200 не пришёл", 2_000_000_001_000)]
    );
    // Search follows the text.
    let search = |q: &str| {
        let store = store.clone();
        let q = SearchQuery::parse(q).expect("query");
        async move { store.search(ws, &q, None, 20).await.expect("search").len() }
    };
    assert_eq!(search("спасибо").await, 1, "the new text is found");
    assert_eq!(search("номер").await, 0, "the replaced text is not");
    // The log has the edit (never its text); another workspace reads nothing of it.
    let events = store.dialog_events(ws, posted.dialog.id).await.expect("events");
    let edited: Vec<_> = events.iter().filter(|e| e.kind == "message.edited").collect();
    assert_eq!(edited.len(), 2);
    assert!(!edited[0].payload.contains("номер"), "{}", edited[0].payload);
    let g = Fixture::new(store.clone()).await;
    assert!(store.message_edits(g.workspace.id, id).await.expect("edits").is_empty());
    let body = MessageBody::parse("чужое", MessageBody::DEFAULT_LIMIT).expect("body");
    let foreign = store.edit_message(g.workspace.id, id, &body, frontline_domain::Actor::SYSTEM, now()).await;
    assert!(matches!(foreign, Err(crate::StoreError::NotFound)), "{foreign:?}");
}

pub async fn visitor_profile_and_pages(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let v = store
        .update_visitor_profile(
            ws,
            f.visitor.id,
            None,
            Some(&Email::parse("Olga@Example.com").expect("e")),
            None,
            crate::events::Stamp { actor: frontline_domain::Actor::SYSTEM, at: now() },
        )
        .await
        .expect("profile");
    assert_eq!(v.email.as_ref().map(|e| e.as_str()), Some("olga@example.com"));
    assert_eq!(v.name, None);
    let t = now();
    for i in 0..55 {
        let page = PageView {
            url: format!("https://shop.example.com/p/{i}"),
            title: Some(format!("Страница {i}")),
            at: Timestamp(t.0 + i),
        };
        store.record_page(f.visitor.id, &page).await.expect("page");
    }
    let pages = store.pages(f.visitor.id, 100).await.expect("pages");
    assert_eq!(pages.len(), 50, "the 50 newest are kept");
    assert_eq!(pages[0].url, "https://shop.example.com/p/54");
    assert_eq!(store.visitor(ws, f.visitor.id).await.expect("visitor").last_seen_at, Some(Timestamp(t.0 + 54)));
    let d1 = store.post_message(f.visitor_post("p1", "Первый")).await.expect("d1").dialog;
    store.close_dialog(ws, d1.id, now(), frontline_domain::Actor::SYSTEM).await.expect("close");
    let d2 = store.post_message(f.visitor_post("p2", "Второй")).await.expect("d2").dialog;
    let ids: Vec<DialogId> =
        store.dialogs_of_visitor(ws, f.visitor.id, 10).await.expect("dialogs").iter().map(|d| d.id).collect();
    assert_eq!(ids, vec![d2.id, d1.id]);
}

pub async fn uploads_are_taken_by_messages_or_go_stale(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = now();
    let make = |name: &str| StoredFile {
        file: Attachment { id: AttachmentId::new(), name: name.into(), content_type: "image/png".into(), size: 3 },
        workspace_id: f.workspace.id,
        uploader_kind: "visitor".into(),
        uploader_id: f.visitor.id.0,
        created_at: Timestamp(t.0 - 90_000_000),
        dialog_id: None,
        message_id: None,
    };
    let (kept, stale) = (make("kept.png"), make("stale.png"));
    store.create_file(&kept).await.expect("kept");
    store.create_file(&stale).await.expect("stale");
    let mut post = f.visitor_post("u1", "Фото");
    post.message.attachments = vec![kept.file.clone()];
    store.post_message(post).await.expect("post");
    let old: Vec<AttachmentId> = store
        .stale_uploads(Timestamp(t.0 - 86_400_000), 1000)
        .await
        .expect("stale")
        .into_iter()
        .filter(|s| s.workspace_id == f.workspace.id)
        .map(|s| s.file.id)
        .collect();
    assert_eq!(old, vec![stale.file.id], "a sent file is never stale");
    assert!(store.delete_upload(stale.file.id).await.expect("delete"));
    assert!(!store.delete_upload(kept.file.id).await.expect("kept"), "a sent file is never deleted");
    assert!(matches!(store.file(f.workspace.id, stale.file.id).await, Err(StoreError::NotFound)));
}

// ---- automation (issue 5) -----------------------------------------------------------------

fn timers(first: i64, next: i64, resolution: i64) -> frontline_domain::MessageTimers {
    frontline_domain::MessageTimers {
        first_reply_due: Some(Timestamp(first)),
        next_reply_due: Some(Timestamp(next)),
        auto_close: None,
        resolution_due: Some(Timestamp(resolution)),
    }
}

fn closing(at: i64, action: frontline_domain::AutoCloseAction, hold: Option<&str>) -> frontline_domain::MessageTimers {
    frontline_domain::MessageTimers {
        auto_close: Some(frontline_domain::AutoCloseTimer {
            at: Timestamp(at),
            action,
            hold_phrase: hold.map(str::to_owned),
        }),
        ..Default::default()
    }
}

pub async fn sla_dues_follow_the_conversation_and_breach_once(store: Arc<dyn Store>) {
    use frontline_domain::SlaTarget;
    let f = Fixture::new(store.clone()).await;
    let t = now().0;
    let mut first = f.visitor_post("s1", "Здравствуйте");
    first.timers = timers(t + 60_000, t + 300_000, t + 1_800_000);
    let d = store.post_message(first).await.expect("first").dialog;
    assert_eq!(d.sla.reply_due, Some(Timestamp(t + 60_000)), "the first reply is due");
    assert_eq!(d.sla.resolve_due, Some(Timestamp(t + 1_800_000)));
    assert_eq!(d.sla.reply_target(), SlaTarget::FirstReply);
    // A second message while he waits keeps the due time running.
    let mut again = f.visitor_post("s2", "Алло?");
    again.timers = timers(t + 90_000, t + 390_000, t + 1_900_000);
    let d = store.post_message(again).await.expect("again").dialog;
    assert_eq!(d.sla.reply_due, Some(Timestamp(t + 60_000)));
    assert_eq!(d.sla.resolve_due, Some(Timestamp(t + 1_800_000)), "set once, when the dialog opens");
    let d = store.post_message(f.operator_post(d.id, "o1", "Добрый день")).await.expect("reply").dialog;
    assert_eq!(d.sla.reply_due, None, "answered");
    assert!(d.sla.first_reply_at.is_some());
    let mut next = f.visitor_post("s3", "Ещё вопрос");
    next.timers = timers(t + 120_000, t + 420_000, t + 9_999_999);
    let d = store.post_message(next).await.expect("next").dialog;
    assert_eq!(d.sla.reply_due, Some(Timestamp(t + 420_000)), "after the first reply, the next reply's target");
    assert_eq!(d.sla.reply_target(), SlaTarget::NextReply);
    // Nothing is due yet; then both targets are, and each is claimed once.
    let mine = |b: &Vec<crate::Breach>| b.iter().filter(|x| x.dialog.id == d.id).count();
    assert_eq!(mine(&store.claim_breaches(Timestamp(t + 400_000), 100).await.expect("claim")), 0);
    let claimed = store.claim_breaches(Timestamp(t + 2_000_000), 100).await.expect("claim");
    let ours: Vec<_> = claimed.iter().filter(|b| b.dialog.id == d.id).collect();
    assert_eq!(ours.len(), 2);
    assert!(ours.iter().any(|b| b.target == SlaTarget::NextReply && b.due_at == Timestamp(t + 420_000)));
    assert!(ours.iter().any(|b| b.target == SlaTarget::Resolution && b.due_at == Timestamp(t + 1_800_000)));
    assert!(
        ours.iter()
            .all(|b| b.dialog.sla.reply_breached && b.dialog.sla.resolve_breached || b.target == SlaTarget::NextReply)
    );
    assert_eq!(mine(&store.claim_breaches(Timestamp(t + 3_000_000), 100).await.expect("claim")), 0, "once");
    let recorded = store.breaches(f.workspace.id, d.id).await.expect("breaches");
    assert_eq!(recorded.len(), 2);
    // The reply clears the breach mark with the due time.
    let d = store.post_message(f.operator_post(d.id, "o2", "Отвечаю")).await.expect("reply").dialog;
    assert!(!d.sla.reply_breached && d.sla.reply_due.is_none());
    assert!(d.sla.resolve_breached);
    // A close ends the wait for a reply; the resolution due stays for reports.
    let mut waits = f.visitor_post("s4", "И ещё");
    waits.timers = timers(t + 5_000_000, t + 5_000_000, t + 9_999_999);
    assert!(store.post_message(waits).await.expect("waits").dialog.sla.reply_due.is_some());
    let (closed, _) = store
        .close_with_reason(f.workspace.id, d.id, CloseReason::Operator, now(), frontline_domain::Actor::SYSTEM)
        .await
        .expect("close");
    assert_eq!(closed.sla.reply_due, None);
    assert_eq!(closed.sla.resolve_due, Some(Timestamp(t + 1_800_000)));
}

pub async fn auto_close_timers_are_claimed_once(store: Arc<dyn Store>) {
    use frontline_domain::{AutoCloseAction, CloseReason};
    let f = Fixture::new(store.clone()).await;
    let t = now().0;
    let d = store.post_message(f.visitor_post("a1", "Есть в наличии?")).await.expect("visitor").dialog;
    let mut reply = f.operator_post(d.id, "a2", "Минуту, уточняю");
    reply.timers = closing(t + 1_800_000, AutoCloseAction::Close, Some("минуту"));
    let d = store.post_message(reply).await.expect("reply").dialog;
    let timer = d.auto_close.clone().expect("timer");
    assert_eq!(
        (timer.at, timer.action, timer.hold_phrase.as_deref()),
        (Timestamp(t + 1_800_000), AutoCloseAction::Close, Some("минуту"))
    );
    // A note changes nothing; the visitor's answer stops the timer.
    let d = store.post_message(note(&f, d.id, "a3", "проверяю склад", vec![])).await.expect("note").dialog;
    assert!(d.auto_close.is_some());
    let d = store.post_message(f.visitor_post("a4", "Жду")).await.expect("visitor").dialog;
    assert!(d.auto_close.is_none());
    let mut reply = f.operator_post(d.id, "a5", "Есть");
    reply.timers = closing(t + 600_000, AutoCloseAction::Prompt, None);
    store.post_message(reply).await.expect("reply");
    let ours = |ds: Vec<Dialog>| ds.into_iter().filter(|x| x.id == d.id).count();
    assert_eq!(ours(store.due_prompts(Timestamp(t + 599_999), 100).await.expect("due")), 0);
    assert_eq!(ours(store.due_prompts(Timestamp(t + 600_000), 100).await.expect("due")), 1);
    assert_eq!(
        ours(store.claim_auto_closes(Timestamp(t + 700_000), 100).await.expect("claim")),
        0,
        "a prompt comes first"
    );
    store.settle_prompt(f.workspace.id, d.id, Timestamp(t + 1), true).await.expect("stale timer");
    assert_eq!(
        ours(store.claim_auto_closes(Timestamp(t + 700_000), 100).await.expect("claim")),
        0,
        "only the timer it was"
    );
    store.settle_prompt(f.workspace.id, d.id, Timestamp(t + 600_000), true).await.expect("to close");
    let closed = store.claim_auto_closes(Timestamp(t + 700_000), 100).await.expect("claim");
    let closed: Vec<_> = closed.into_iter().filter(|x| x.id == d.id).collect();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].close_reason, Some(CloseReason::Auto));
    assert!(closed[0].auto_close.is_none());
    assert_eq!(ours(store.claim_auto_closes(Timestamp(t + 800_000), 100).await.expect("claim")), 0, "once");
    // A prompt no longer wanted at all (auto-close switched off) takes its timer away.
    let v3 = visitor(&store, f.workspace.id, f.site.id).await;
    let d3 = store.post_message(f.visitor_post_by(&v3, "c1", "Вопрос")).await.expect("visitor").dialog;
    let mut reply = f.operator_post(d3.id, "c2", "Ответ");
    reply.timers = closing(t + 600_000, AutoCloseAction::Prompt, None);
    store.post_message(reply).await.expect("reply");
    store.settle_prompt(f.workspace.id, d3.id, Timestamp(t + 600_000), false).await.expect("settle");
    assert!(store.dialog(f.workspace.id, d3.id).await.expect("read").auto_close.is_none());
    // Switching auto-close off takes the channel's timers away.
    let v4 = visitor(&store, f.workspace.id, f.site.id).await;
    let d4 = store.post_message(f.visitor_post_by(&v4, "e1", "Вопрос")).await.expect("visitor").dialog;
    let mut reply = f.operator_post(d4.id, "e2", "Ответ");
    reply.timers = closing(t + 600_000, AutoCloseAction::Close, None);
    store.post_message(reply).await.expect("reply");
    store.set_automation(f.workspace.id, f.channel.id, r#"{"auto_close":{"enabled":false}}"#, true).await.expect("off");
    assert!(store.dialog(f.workspace.id, d4.id).await.expect("read").auto_close.is_none());
    // A snooze stops auto-close.
    let v2 = visitor(&store, f.workspace.id, f.site.id).await;
    let d2 = store.post_message(f.visitor_post_by(&v2, "b1", "Вопрос")).await.expect("visitor").dialog;
    let mut reply = f.operator_post(d2.id, "b2", "Ответ");
    reply.timers = closing(t + 600_000, AutoCloseAction::Close, None);
    store.post_message(reply).await.expect("reply");
    let snoozed = store
        .set_snooze(
            f.workspace.id,
            d2.id,
            Some(Timestamp(t + 86_400_000)),
            Timestamp(t),
            frontline_domain::Actor::SYSTEM,
            &[],
        )
        .await
        .expect("snooze")
        .dialog;
    assert!(snoozed.auto_close.is_none());
    assert_eq!(ours(store.claim_auto_closes(Timestamp(t + 700_000), 100).await.expect("claim")), 0);
}

pub async fn proactive_openings_triggers_and_automation_documents(store: Arc<dyn Store>) {
    use frontline_domain::{DialogOrigin, TriggerRef};
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let t = now().0;
    // Triggers.
    let trigger = crate::StoredTrigger {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        name: "Кухни: 25 секунд".into(),
        message: "Подобрать кухню?".into(),
        enabled: true,
        time_on_site_seconds: 25,
        conditions: "[]".into(),
        period_hours: 24,
        created_at: Timestamp(t),
    };
    store.create_trigger(&trigger).await.expect("create");
    assert_eq!(store.triggers(ws).await.expect("list"), vec![trigger.clone()]);
    let other = Fixture::new(store.clone()).await;
    assert!(store.triggers(other.workspace.id).await.expect("other").is_empty());
    assert!(matches!(store.trigger(other.workspace.id, trigger.id).await, Err(StoreError::NotFound)));
    let mut changed = trigger.clone();
    changed.message = "Подобрать кухню? Спросите дизайнера".into();
    changed.enabled = false;
    assert_eq!(store.update_trigger(&changed).await.expect("update"), changed);
    // Shown once per period.
    let v = f.visitor.id;
    assert!(store.show_trigger(v, trigger.id, Timestamp(t), Timestamp(t - 86_400_000)).await.expect("show"));
    assert!(
        !store.show_trigger(v, trigger.id, Timestamp(t + 1000), Timestamp(t + 1000 - 86_400_000)).await.expect("again")
    );
    assert_eq!(store.trigger_views(v).await.expect("views").get(&trigger.id), Some(&Timestamp(t)));
    assert!(store.show_trigger(v, trigger.id, Timestamp(t + 86_400_001), Timestamp(t + 1)).await.expect("next period"));
    // A dialog that opens with the proactive message.
    let mut post = f.visitor_post("p1", "Да, хочу");
    let mut prelude = new_message(AuthorKind::Operator, trigger.id, "p0", "Подобрать кухню?");
    prelude.created_at = Timestamp(post.message.created_at.0 - 1);
    post.opening = Some(crate::Opening {
        origin: DialogOrigin::Proactive,
        trigger: Some(TriggerRef { id: trigger.id, name: trigger.name.clone() }),
        prelude: Some(NewLine {
            message: prelude,
            author_name: Some("Служба поддержки".into()),
            timers: Default::default(),
        }),
    });
    post.timers = timers(t + 60_000, t + 300_000, t + 1_800_000);
    let posted = store.post_message(post).await.expect("opening");
    let d = posted.dialog;
    assert!(posted.dialog_created);
    assert_eq!(d.origin, DialogOrigin::Proactive);
    assert_eq!(d.trigger.as_ref().map(|t| t.name.as_str()), Some("Кухни: 25 секунд"));
    assert_eq!(posted.prelude.as_ref().map(|m| m.seq), Some(1));
    assert_eq!(posted.message.seq, 2);
    assert_eq!(d.sla.first_reply_at, None, "the proactive message is not a reply");
    assert_eq!(d.sla.reply_due, Some(Timestamp(t + 60_000)));
    assert_eq!((d.pending_count, d.unread_count), (1, 1));
    assert_eq!(d.last_message.as_ref().map(|m| m.preview.as_str()), Some("Да, хочу"));
    let msgs = store.messages(ws, d.id, 0, 10, true).await.expect("history");
    assert_eq!(
        msgs.iter().map(|m| m.author.name.clone()).collect::<Vec<_>>(),
        vec![Some("Служба поддержки".to_owned()), None]
    );
    let again = store.dialog(ws, d.id).await.expect("read");
    assert_eq!(again.origin, DialogOrigin::Proactive);
    // Deleting a trigger keeps the dialogs that began with it.
    store.delete_trigger(ws, trigger.id).await.expect("delete");
    assert!(store.triggers(ws).await.expect("list").is_empty());
    assert!(matches!(store.delete_trigger(ws, trigger.id).await, Err(StoreError::NotFound)));
    assert_eq!(store.dialog(ws, d.id).await.expect("read").trigger.map(|t| t.id), Some(trigger.id));
    // Automation documents.
    assert_eq!(store.automation(ws, f.channel.id).await.expect("doc"), "{}");
    store.set_automation(ws, f.channel.id, r#"{"sla":{"enabled":false}}"#, false).await.expect("set");
    assert_eq!(store.automation(ws, f.channel.id).await.expect("doc"), r#"{"sla":{"enabled":false}}"#);
    assert_eq!(store.automations(ws).await.expect("all").len(), 1);
    assert!(matches!(
        store.set_automation(other.workspace.id, f.channel.id, "{}", true).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn the_due_sort_puts_the_most_overdue_first(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = now().0;
    let mut ids = Vec::new();
    for (i, due) in [Some(t + 50_000), None, Some(t + 10_000), Some(t + 30_000)].into_iter().enumerate() {
        let v = visitor(&store, f.workspace.id, f.site.id).await;
        let mut post = f.visitor_post_by(&v, &format!("d{i}"), "?");
        if let Some(due) = due {
            post.timers = timers(due, due, due + 1_000_000);
        }
        ids.push(store.post_message(post).await.expect("post").dialog.id);
    }
    let filter = DialogFilter { status: Some(DialogStatus::Open), sort: crate::DialogSort::Due, ..Default::default() };
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.list_dialogs(f.workspace.id, &filter, DialogPage { after, limit: 1 }).await.expect("page");
        let Some(last) = page.last() else { break };
        seen.push(last.id);
        after = Some(DialogCursor::of(last));
    }
    assert_eq!(seen, vec![ids[2], ids[3], ids[0], ids[1]]);
}
