//! Contract cases of Telegram bots, updates and chats (see [`crate::contract`]).

use crate::contract::{Fixture, now, workspace};
use crate::telegram::{ChatStage, TelegramBot, TelegramChat};
use crate::*;
use frontline_domain::*;
use std::sync::Arc;

fn bot(ws: WorkspaceId, channel: ChannelId, telegram_id: i64) -> TelegramBot {
    TelegramBot {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        telegram_id,
        username: "kitchen_help_bot".into(),
        name: "Кухни: помощь".into(),
        token_sealed: "v1.sealed".into(),
        channel_id: channel,
        settings: "{}".into(),
        webhook_secret: None,
        update_offset: 0,
        enabled: true,
        created_at: now(),
    }
}

pub async fn telegram_bots_updates_and_chats(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    // Telegram ids are unique per install; a random one keeps parallel cases apart.
    let tid = i64::from(u32::from_le_bytes(uuid::Uuid::now_v7().as_bytes()[12..16].try_into().expect("4 bytes")));
    let b = bot(ws, f.channel.id, tid);
    store.create_bot(&b).await.expect("create");
    assert_eq!(store.telegram_bots(ws).await.expect("list"), vec![b.clone()]);
    assert_eq!(store.telegram_bot(b.id).await.expect("by id"), b);
    // The same bot cannot be connected twice, in this workspace or another.
    let (other, other_channel) = workspace(&store).await;
    assert!(matches!(
        store.create_bot(&bot(other.id, other_channel.id, tid)).await,
        Err(StoreError::Conflict("telegram bot"))
    ));
    assert!(store.telegram_bots(other.id).await.expect("other").is_empty());

    // One poller at a time; another takes over when the lease runs out.
    let (a, z) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let t = now();
    assert!(store.claim_telegram_poll(b.id, a, Timestamp(t.0 + 30_000), t).await.expect("a"));
    assert!(!store.claim_telegram_poll(b.id, z, Timestamp(t.0 + 30_000), t).await.expect("z"), "held by a");
    assert!(store.claim_telegram_poll(b.id, a, Timestamp(t.0 + 60_000), t).await.expect("a renews"));
    assert!(store.claim_telegram_poll(b.id, z, Timestamp(t.0 + 120_000), Timestamp(t.0 + 60_001)).await.expect("z"));
    assert!(!store.claim_telegram_poll(b.id, a, Timestamp(t.0 + 130_000), Timestamp(t.0 + 60_002)).await.expect("a"));
    // A node that stops lets go: another takes the bot at once; a release by another changes nothing.
    store.release_telegram_poll(b.id, a).await.expect("not a's to release");
    assert!(!store.claim_telegram_poll(b.id, a, Timestamp(t.0 + 130_000), Timestamp(t.0 + 60_003)).await.expect("a"));
    store.release_telegram_poll(b.id, z).await.expect("release");
    assert!(
        store.claim_telegram_poll(b.id, a, Timestamp(t.0 + 130_000), Timestamp(t.0 + 60_004)).await.expect("a now")
    );

    // Updates: recorded once each, the offset only moves forward, handled in order.
    let ups = vec![(101, r#"{"update_id":101}"#.to_owned()), (102, r#"{"update_id":102}"#.to_owned())];
    assert_eq!(store.record_telegram_updates(b.id, &ups, Some(103), now()).await.expect("record"), 2);
    assert_eq!(store.record_telegram_updates(b.id, &ups, Some(103), now()).await.expect("resent"), 0, "a resend");
    assert_eq!(store.record_telegram_updates(b.id, &[], Some(90), now()).await.expect("back"), 0);
    assert_eq!(store.telegram_bot(b.id).await.expect("bot").update_offset, 103, "never backwards");
    let pending = store.pending_telegram_updates(b.id, 10).await.expect("pending");
    assert_eq!(pending.iter().map(|u| u.update_id).collect::<Vec<_>>(), vec![101, 102]);
    assert_eq!(pending[0].body, r#"{"update_id":101}"#);
    store.mark_telegram_updates(b.id, &[101], now()).await.expect("mark");
    let pending = store.pending_telegram_updates(b.id, 10).await.expect("pending");
    assert_eq!(pending.iter().map(|u| u.update_id).collect::<Vec<_>>(), vec![102]);

    // A chat: made, changed whole, found by its contact; idle ones in the bot's stage listed.
    let contact = store
        .upsert_contact(&NewContact {
            id: VisitorId::new(),
            workspace_id: ws,
            source: ContactSource::Telegram,
            external_id: "555001".into(),
            name: Some(VisitorName::parse("Мария").expect("name")),
            email: None,
            created_at: now(),
        })
        .await
        .expect("contact");
    let mut chat = TelegramChat {
        bot_id: b.id,
        chat_id: 555001,
        visitor_id: contact.id,
        stage: ChatStage::Menu,
        topic: None,
        question: 0,
        answers: "[]".into(),
        stage_at: Timestamp(t.0 - 3_600_000),
        username: Some("maria".into()),
        language: Some("ru".into()),
        unreachable_at: None,
    };
    assert_eq!(store.telegram_chat(b.id, 555001).await.expect("none"), None);
    store.save_telegram_chat(&chat).await.expect("save");
    assert_eq!(store.telegram_chat(b.id, 555001).await.expect("get"), Some(chat.clone()));
    let idle = store.idle_telegram_chats(b.id, Timestamp(t.0 - 1_800_000), 10).await.expect("idle");
    assert_eq!(idle, vec![chat.clone()]);
    chat.stage = ChatStage::Live;
    chat.topic = Some("delivery".into());
    chat.answers = r#"[{"question":"Номер заказа","answer":"12345"}]"#.into();
    store.save_telegram_chat(&chat).await.expect("change");
    assert_eq!(store.telegram_chat(b.id, 555001).await.expect("get"), Some(chat.clone()));
    assert!(store.idle_telegram_chats(b.id, now(), 10).await.expect("idle").is_empty(), "live chats are not idle");
    assert_eq!(store.telegram_chats_of_visitor(contact.id).await.expect("of visitor"), vec![chat.clone()]);

    // His own words make no job for the bot; each reply to him makes one (the fan-out's Telegram
    // part, whichever form of the message path writes it).
    let asked = store.post_message(f.visitor_post_by(&contact, "tg-1", "Где мой заказ?")).await.expect("asks");
    for (i, text) in ["Проверяю", "Завтра привезут"].into_iter().enumerate() {
        store.post_message(f.operator_post(asked.dialog.id, &format!("tg-r{i}"), text)).await.expect("reply");
    }
    let jobs = crate::contract::jobs_of(&store, ws, b.id).await;
    assert_eq!(
        jobs.iter().map(|j| (j.kind.as_str(), j.event_kind.as_str())).collect::<Vec<_>>(),
        [("telegram", "message.created"); 2]
    );

    // Served by webhook: the poll is refused and the handling lease works the same way.
    store.release_telegram_poll(b.id, a).await.expect("release");
    let mut hooked = b.clone();
    hooked.webhook_secret = Some("s3cr3t".into());
    store.update_telegram_bot(&hooked).await.expect("webhook");
    let t2 = Timestamp(t.0 + 200_000);
    assert!(!store.claim_telegram_poll(b.id, a, Timestamp(t2.0 + 1), t2).await.expect("no polling"));
    assert!(store.claim_telegram_handling(b.id, a, Timestamp(t2.0 + 60_000), t2).await.expect("a handles"));
    assert!(!store.claim_telegram_handling(b.id, z, Timestamp(t2.0 + 60_000), t2).await.expect("z waits"));
    store.release_telegram_poll(b.id, a).await.expect("release");
    assert!(store.claim_telegram_handling(b.id, z, Timestamp(t2.0 + 60_000), t2).await.expect("z now"));
    store.release_telegram_poll(b.id, z).await.expect("release");

    // Settings and the switch; then the bot goes, with its updates and chats.
    let mut changed = b.clone();
    changed.settings = r#"{"topics":[]}"#.into();
    changed.enabled = false;
    store.update_telegram_bot(&changed).await.expect("update");
    assert_eq!(store.telegram_bot(b.id).await.expect("bot").settings, r#"{"topics":[]}"#);
    assert!(!store.enabled_telegram_bots().await.expect("enabled").iter().any(|x| x.id == b.id));
    assert!(
        !store.claim_telegram_poll(b.id, a, Timestamp(t.0 + 999_999), Timestamp(t.0 + 999_000)).await.expect("off")
    );
    let mut foreign = changed.clone();
    foreign.workspace_id = other.id;
    assert!(matches!(store.update_telegram_bot(&foreign).await, Err(StoreError::NotFound)));
    assert!(matches!(store.delete_telegram_bot(other.id, b.id).await, Err(StoreError::NotFound)));
    store.delete_telegram_bot(ws, b.id).await.expect("delete");
    assert!(matches!(store.telegram_bot(b.id).await, Err(StoreError::NotFound)));
    assert_eq!(store.telegram_chat(b.id, 555001).await.expect("gone"), None);
    // Connected again later, it starts afresh.
    store.create_bot(&bot(ws, f.channel.id, tid)).await.expect("again");
}
