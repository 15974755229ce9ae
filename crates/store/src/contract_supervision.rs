//! Contract cases of supervision's storage (see [`crate::contract`]): the visitor's tone on both
//! write paths and the list sorted by it, the guard's document and hits, and the reports'
//! pages saved once with their cursor.

use crate::contract::{Fixture, now, visitor, workspace};
use crate::supervision::{GuardHit, ReportPage};
use crate::*;
use frontline_domain::reports::{DialogFacts, Figures, OperatorFacts, Timing};
use frontline_domain::*;
use std::sync::Arc;

pub async fn a_visitors_tone_rises_and_the_list_sorts_by_it(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let calm = store.post_message(f.visitor_post("c1", "Здравствуйте, когда доставка?")).await.expect("post").dialog;
    assert_eq!(calm.tone, 0);
    let v = visitor(&store, f.workspace.id, f.site.id).await;
    let upset = store.post_message(f.visitor_post_by(&v, "u1", "Где мой заказ!!!")).await.expect("post").dialog;
    assert_eq!(upset.tone, 1);
    // Posts at once (the batch path on SQLite) say the same as one at a time.
    let v2 = visitor(&store, f.workspace.id, f.site.id).await;
    let (w1, w2, u2) = tokio::join!(
        store.post_message(f.visitor_post_by(&v2, "w1", "ВЕРНИТЕ ДЕНЬГИ, СВОЛОЧИ!!!")),
        store.post_message(f.visitor_post_by(&v2, "w2", "ну")),
        store.post_message(f.visitor_post_by(&v, "u2", "ГДЕ МОЙ ЗАКАЗ Я ЖДУ ТРЕТЬЮ НЕДЕЛЮ")),
    );
    let (w1, _, u2) = (w1.expect("post"), w2.expect("post"), u2.expect("post"));
    let furious = store.dialog(f.workspace.id, w1.dialog.id).await.expect("read");
    assert_eq!(furious.tone, 3, "the highest of his messages stays, whatever came after");
    assert_eq!(u2.dialog.tone, 1, "capitals after «!!!»: one sign in each message");
    let reply =
        store.post_message(f.operator_post(furious.id, "o1", "ПРОСТИТЕ ПОЖАЛУЙСТА ЗА ЗАДЕРЖКУ")).await.expect("reply");
    assert_eq!(reply.dialog.tone, 3, "an operator's message never changes it");
    assert_eq!(store.dialog(f.workspace.id, furious.id).await.expect("read").tone, 3);
    let filter = DialogFilter { status: Some(DialogStatus::Open), sort: DialogSort::Tone, ..Default::default() };
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.list_dialogs(f.workspace.id, &filter, DialogPage { after, limit: 1 }).await.expect("page");
        let Some(last) = page.last() else { break };
        seen.push(last.id);
        after = Some(DialogCursor::sorted(last, DialogSort::Tone));
    }
    assert_eq!(seen, vec![furious.id, upset.id, calm.id]);
}

pub async fn guard_documents_and_hits_are_kept_per_workspace(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (other, _) = workspace(&store).await;
    let ws = f.workspace.id;
    assert_eq!(store.guard_doc(ws).await.expect("none yet"), None);
    store.save_guard_doc(ws, r#"{"caps":{"mode":"block"}}"#, now()).await.expect("save");
    store.save_guard_doc(ws, r#"{"caps":{"mode":"warn"}}"#, now()).await.expect("again");
    assert_eq!(store.guard_doc(ws).await.expect("read").as_deref(), Some(r#"{"caps":{"mode":"warn"}}"#));
    assert_eq!(store.guard_doc(other.id).await.expect("other"), None);
    let d = store.post_message(f.visitor_post("v1", "Добрый день")).await.expect("post").dialog;
    assert!(!store.dialog_greeted(ws, d.id).await.expect("greeted"));
    let t = now().0;
    let hit = |rule: &str, action: &str, at: i64| GuardHit {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        operator_id: f.operator.id.0,
        dialog_id: d.id.0,
        channel_id: f.channel.id.0,
        rule: rule.into(),
        action: action.into(),
        reason: (action == "overridden").then(|| "просил клиент".into()),
        at: Timestamp(at),
    };
    store
        .record_guard_hits(&[
            hit("phone_8800", "blocked", t),
            hit("phone_8800", "overridden", t + 10),
            hit("polite", "warned", t + 20),
        ])
        .await
        .expect("record");
    let all = store.guard_hits(ws, Timestamp(t), Timestamp(t + 21), 100).await.expect("read");
    assert_eq!(all.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), ["blocked", "overridden", "warned"]);
    assert_eq!(all[1].reason.as_deref(), Some("просил клиент"));
    assert_eq!(store.guard_hits(ws, Timestamp(t + 1), Timestamp(t + 20), 100).await.expect("range").len(), 1);
    assert!(store.guard_hits(other.id, Timestamp(t), Timestamp(t + 21), 100).await.expect("other").is_empty());
}

pub async fn report_pages_are_saved_once_and_add_up(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (other, _) = workspace(&store).await;
    let ws = f.workspace.id;
    assert_eq!(store.report_state(ws).await.expect("state"), None);
    store.reset_reports(ws, "Europe/Moscow", now()).await.expect("reset");
    assert_eq!(
        store.report_state(ws).await.expect("state").map(|s| (s.time_zone, s.cursor)),
        Some(("Europe/Moscow".into(), 0))
    );
    let (d, op, ch) = (uuid::Uuid::now_v7(), f.operator.id.0, f.channel.id.0);
    let facts = DialogFacts {
        channel: ch,
        operator: Some(op),
        created_at: 1_000,
        first_visitor_at: Some(1_000),
        first_reply_at: None,
        waiting_since: Some(1_000),
        closed_at: None,
    };
    let mut figures = Figures { dialogs_new: 1, ..Figures::default() };
    figures.first_reply.add(45_000);
    let page = ReportPage {
        from: 0,
        to: 10,
        dialogs: vec![(d, facts.clone())],
        operators: vec![(op, OperatorFacts { online_since: Some(500), load: 1, capacity: 4, since: 900 })],
        added: vec![((20_000, ch, op), figures.clone())],
    };
    assert!(store.save_report_page(ws, &page, now()).await.expect("save"));
    // The same page again (another node folded it meanwhile): nothing is written twice.
    assert!(!store.save_report_page(ws, &page, now()).await.expect("again"));
    let next = ReportPage {
        from: 10,
        to: 25,
        dialogs: vec![(d, DialogFacts { first_reply_at: Some(46_000), waiting_since: None, ..facts.clone() })],
        operators: Vec::new(),
        added: vec![
            ((20_000, ch, op), figures.clone()),
            ((20_001, ch, uuid::Uuid::nil()), Figures { missed: 2, ..Figures::default() }),
        ],
    };
    assert!(store.save_report_page(ws, &next, now()).await.expect("next"));
    assert_eq!(store.report_state(ws).await.expect("state").map(|s| s.cursor), Some(25));
    // A page of more dialogs than one statement writes, one of them twice (within a statement's
    // worth): the later row wins.
    let many: Vec<_> =
        (0..250).map(|i| (uuid::Uuid::now_v7(), DialogFacts { created_at: 2_000 + i, ..facts.clone() })).collect();
    let mut rows = many.clone();
    rows.insert(50, (many[7].0, DialogFacts { closed_at: Some(9_000), ..many[7].1.clone() }));
    let big = ReportPage { from: 25, to: 30, dialogs: rows, ..ReportPage::default() };
    assert!(store.save_report_page(ws, &big, now()).await.expect("many dialogs"));
    let ids: Vec<_> = many.iter().map(|(id, _)| *id).collect();
    let mut stored = store.report_dialogs(ws, &ids).await.expect("many");
    stored.sort_by_key(|(_, f)| f.created_at);
    assert_eq!(stored.len(), 250);
    assert_eq!((stored[7].1.closed_at, stored[8].1.closed_at), (Some(9_000), None), "the later row won");
    assert_eq!(stored[249], many[249]);
    let mut days = store.report_days(ws, 20_000, 20_001).await.expect("days");
    days.sort_by_key(|(k, _)| *k);
    let mut two = Timing::default();
    two.add(45_000);
    two.add(45_000);
    assert_eq!(days.len(), 2);
    assert_eq!((days[0].1.dialogs_new, &days[0].1.first_reply), (2, &two), "pages add up");
    assert_eq!(days[1].1.missed, 2);
    assert_eq!(store.report_days(ws, 20_001, 20_005).await.expect("later").len(), 1);
    let kept = store.report_dialogs(ws, &[d, uuid::Uuid::now_v7()]).await.expect("dialogs");
    assert_eq!(kept, vec![(d, DialogFacts { first_reply_at: Some(46_000), waiting_since: None, ..facts })]);
    assert_eq!(store.report_operators(ws).await.expect("operators").len(), 1);
    assert!(store.report_days(other.id, 0, 100_000).await.expect("other").is_empty());
    assert!(store.report_dialogs(other.id, &[d]).await.expect("other").is_empty());
    // The log's retention never takes what the reports have not folded.
    store.reset_reports(ws, "Europe/Moscow", now()).await.expect("reset");
    store.post_message(f.visitor_post("r1", "Вопрос")).await.expect("post");
    let latest = store.events_after(ws, 0, 1000).await.expect("events").last().map(|e| e.pos).expect("an event");
    let later = Timestamp(now().0 + 86_400_000);
    store.purge_events(later, 10_000).await.expect("purge");
    assert!(!store.events_after(ws, 0, 10).await.expect("kept").is_empty(), "not folded yet: kept");
    let folded = ReportPage { from: 0, to: latest, ..ReportPage::default() };
    assert!(store.save_report_page(ws, &folded, now()).await.expect("folded"));
    store.purge_events(later, 10_000).await.expect("purge");
    assert!(store.events_after(ws, 0, 10).await.expect("gone").is_empty(), "folded: purged");
    // A reset starts over: nothing kept, the cursor at the log's start.
    store.reset_reports(ws, "Asia/Vladivostok", now()).await.expect("reset");
    assert!(store.report_days(ws, 0, 100_000).await.expect("days").is_empty());
    assert!(store.report_operators(ws).await.expect("operators").is_empty());
    assert_eq!(store.report_state(ws).await.expect("state").map(|s| s.cursor), Some(0));
}
