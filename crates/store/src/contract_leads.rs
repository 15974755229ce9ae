//! Contract cases of the Web API's storage (see [`crate::contract`]): keys found by their hash
//! and revoked once, a site's user found by his id, attributes with their event, tags, and
//! events counted once per client id.

use crate::contract::{Fixture, now};
use crate::events::Stamp;
use crate::leads::{ApiKey, TrackedEvent};
use crate::*;
use frontline_domain::*;
use std::sync::Arc;

fn key(ws: WorkspaceId, by: OperatorId, name: &str, at: i64) -> ApiKey {
    ApiKey {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        name: name.into(),
        hint: "ab12".into(),
        scopes: "events:write visitors:read".into(),
        created_by: by.0,
        created_at: Timestamp(at),
        last_used_at: None,
        revoked_at: None,
        revoked_by: None,
    }
}

pub async fn api_keys_are_found_by_hash_touched_and_revoked_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let other = Fixture::new(store.clone()).await;
    let t = now().0;
    let (a, b) = (key(f.workspace.id, f.operator.id, "CRM", t), key(f.workspace.id, f.operator.id, "Сайт", t + 1));
    let hash_a = uuid::Uuid::now_v7().as_bytes().to_vec();
    store.create_api_key(&a, &hash_a).await.expect("a");
    store.create_api_key(&b, uuid::Uuid::now_v7().as_bytes()).await.expect("b");
    // The same secret twice is refused by the database (a random one never repeats).
    assert!(store.create_api_key(&key(f.workspace.id, f.operator.id, "dup", t), &hash_a).await.is_err());
    assert_eq!(store.api_key_by_hash(&hash_a).await.expect("by hash"), a);
    assert!(matches!(store.api_key_by_hash(b"nothing").await, Err(StoreError::NotFound)));
    let listed: Vec<_> = store.api_keys(f.workspace.id).await.expect("list").into_iter().map(|k| k.id).collect();
    assert_eq!(listed, vec![b.id, a.id], "newest first");
    assert!(store.api_keys(other.workspace.id).await.expect("other").is_empty());
    assert!(matches!(store.api_key(other.workspace.id, a.id).await, Err(StoreError::NotFound)));

    // Used: marked, then not again within a minute.
    store.touch_api_key(a.id, Timestamp(t + 10)).await.expect("touch");
    store.touch_api_key(a.id, Timestamp(t + 20)).await.expect("touch");
    assert_eq!(store.api_key(f.workspace.id, a.id).await.expect("read").last_used_at, Some(Timestamp(t + 10)));
    store.touch_api_key(a.id, Timestamp(t + 10 + 60_001)).await.expect("touch");
    assert_eq!(store.api_key(f.workspace.id, a.id).await.expect("read").last_used_at, Some(Timestamp(t + 60_011)));

    // Revoked: the first revocation's time and author stay.
    let r = store.revoke_api_key(f.workspace.id, a.id, f.operator.id.0, Timestamp(t + 100)).await.expect("revoke");
    assert_eq!((r.revoked_at, r.revoked_by), (Some(Timestamp(t + 100)), Some(f.operator.id.0)));
    let again =
        store.revoke_api_key(f.workspace.id, a.id, uuid::Uuid::now_v7(), Timestamp(t + 200)).await.expect("again");
    assert_eq!((again.revoked_at, again.revoked_by), (r.revoked_at, r.revoked_by));
    assert!(matches!(
        store.revoke_api_key(other.workspace.id, b.id, other.operator.id.0, Timestamp(t)).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.api_key(f.workspace.id, b.id).await.expect("b").revoked_at, None);
}

pub async fn a_sites_user_is_one_visitor_with_attributes_tags_and_counted_events(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let other = Fixture::new(store.clone()).await;
    let contact = |ws: WorkspaceId, id: &str| NewContact {
        id: VisitorId::new(),
        workspace_id: ws,
        source: ContactSource::Widget,
        external_id: id.into(),
        name: None,
        email: None,
        created_at: now(),
    };
    let u = store.upsert_contact(&contact(f.workspace.id, "user-42")).await.expect("user");
    assert_eq!((u.source, u.external_id.as_deref(), u.site_id), (ContactSource::Widget, Some("user-42"), None));
    assert_eq!(store.upsert_contact(&contact(f.workspace.id, "user-42")).await.expect("again").id, u.id);
    let there = store.upsert_contact(&contact(other.workspace.id, "user-42")).await.expect("other");
    assert_ne!(there.id, u.id, "the same user id in another workspace is another visitor");
    assert!(u.attributes.is_empty());

    // Attributes replace the column and log visitor.updated.
    let stamp = Stamp { actor: Actor::SYSTEM, at: now() };
    let before = store.latest_event_pos().await.expect("pos");
    let v = store
        .set_visitor_attributes(
            f.workspace.id,
            u.id,
            &serde_json::from_str(r#"{"orders":3,"plan":"pro","vip":true}"#).expect("attributes"),
            stamp,
        )
        .await
        .expect("attributes");
    assert_eq!(v.attributes.get("plan"), Some(&frontline_domain::leads::Value::Text("pro".into())));
    assert_eq!(v.attributes.get("orders"), Some(&frontline_domain::leads::Value::Number(3.0)));
    assert_eq!(store.visitor(f.workspace.id, u.id).await.expect("read").attributes, v.attributes);
    let logged = store.events_after(f.workspace.id, before, 10).await.expect("log");
    assert!(logged.iter().any(|e| e.kind == "visitor.updated" && e.subject_id == Some(u.id.0)), "{logged:?}");
    assert!(matches!(
        store.set_visitor_attributes(other.workspace.id, u.id, &Default::default(), stamp).await,
        Err(StoreError::NotFound)
    ));

    // Tags: removed, then added; the tags after, sorted; no event when nothing changed.
    let tags =
        store.change_visitor_tags(f.workspace.id, &v, &["vip".into(), "опт".into()], &[], stamp).await.expect("tags");
    assert_eq!(tags, vec!["vip".to_owned(), "опт".to_owned()]);
    let tags =
        store.change_visitor_tags(f.workspace.id, &v, &["b2b".into()], &["vip".into()], stamp).await.expect("tags");
    assert_eq!(tags, vec!["b2b".to_owned(), "опт".to_owned()]);
    let pos = store.latest_event_pos().await.expect("pos");
    let same = store.change_visitor_tags(f.workspace.id, &v, &["b2b".into()], &["none".into()], stamp).await;
    assert_eq!(same.expect("same"), tags);
    assert!(store.events_after(f.workspace.id, pos, 10).await.expect("log").is_empty(), "nothing changed");
    assert_eq!(store.visitor_tags(u.id).await.expect("tags"), tags);
    assert!(store.visitor_tags(there.id).await.expect("none").is_empty());

    // Events: counted once per client id; first and last kept.
    let t = now().0;
    let event = |name: &str, client: Option<&str>, at: i64| TrackedEvent {
        id: uuid::Uuid::now_v7(),
        workspace_id: f.workspace.id,
        visitor_id: u.id,
        name: name.into(),
        properties: r#"{"sum":1500}"#.into(),
        client_id: client.map(str::to_owned),
        at: Timestamp(at),
    };
    assert_eq!(store.track_events(&[event("order_paid", Some("o-1"), t)]).await.expect("first"), vec![true]);
    // A batch: a retry of a kept id, and an id twice within it, count once each.
    let batch = [
        event("order_paid", Some("o-1"), t + 5),
        event("order_paid", None, t + 10),
        event("order_paid", None, t - 10),
        event("order_lost", Some("o-1"), t + 15),
        event("Открыл каталог", Some("c-1"), t + 20),
        event("Открыл каталог", Some("c-1"), t + 21),
    ];
    assert_eq!(store.track_events(&batch).await.expect("batch"), vec![false, true, true, false, true, false]);
    let counts = store.event_counts(u.id).await.expect("counts");
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert_eq!(counts[0].name, "Открыл каталог", "the latest first");
    let paid = &counts[1];
    assert_eq!((paid.count, paid.first_at, paid.last_at), (3, Timestamp(t - 10), Timestamp(t + 10)));
    let timeline = store.visitor_events(u.id, 3).await.expect("events");
    let names: Vec<_> = timeline.iter().map(|e| (e.name.as_str(), e.at.0 - t)).collect();
    assert_eq!(names, vec![("Открыл каталог", 20), ("order_paid", 10), ("order_paid", 0)]);
    assert_eq!(timeline[1].properties, r#"{"sum":1500}"#);
    assert!(store.event_counts(there.id).await.expect("other").is_empty());

    // Retention: events that arrived before the cut leave the timeline (their ids are
    // time-ordered); the counters stay.
    let day = 86_400_000;
    let arrived = |ms: i64, n: u8| {
        let mut b = *crate::leads::first_id_at(Timestamp(ms)).as_bytes();
        b[15] = n;
        uuid::Uuid::from_bytes(b)
    };
    let old: Vec<TrackedEvent> = (1..=2)
        .map(|n| TrackedEvent { id: arrived(t - 10 * day, n), ..event("archived", None, t - 10 * day) })
        .collect();
    assert_eq!(store.track_events(&old).await.expect("old"), vec![true, true]);
    assert!(store.visitor_events(u.id, 50).await.expect("events").iter().any(|e| e.name == "archived"));
    assert!(store.purge_visitor_events(Timestamp(t - 5 * day), 1000).await.expect("purge") >= 2);
    let kept = store.visitor_events(u.id, 50).await.expect("events");
    assert!(!kept.iter().any(|e| e.name == "archived") && kept.len() == 4, "{kept:?}");
    let counts = store.event_counts(u.id).await.expect("counts");
    assert!(counts.iter().any(|c| c.name == "archived" && c.count == 2), "{counts:?}");
}

/// Calls that track events at once, racing each other and visitor messages (SQLite commits
/// them together): each client id is kept once, whichever call wins; the counters add up to
/// what was kept; the messages are all there.
pub async fn concurrent_tracking_counts_each_client_id_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = now().0;
    let event = |client: Option<String>, at: i64| TrackedEvent {
        id: uuid::Uuid::now_v7(),
        workspace_id: f.workspace.id,
        visitor_id: f.visitor.id,
        name: "page_viewed".into(),
        properties: "{}".into(),
        client_id: client,
        at: Timestamp(at),
    };
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..60_i64 {
        // Fifteen client ids sent three times each, and fifteen calls with no id at all.
        let client = (i < 45).then(|| format!("view-{}", i % 15));
        let e = event(client.clone(), t + i);
        let store = store.clone();
        calls.spawn(async move { (client, store.track_events(&[e]).await.expect("track")[0]) });
    }
    for i in 0..20 {
        let post = f.visitor_post(&format!("m-{i}"), &format!("Сообщение {i}"));
        let store = store.clone();
        calls.spawn(async move {
            store.post_message(post).await.expect("post");
            (None, false)
        });
    }
    let mut kept: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut anonymous = 0;
    for (client, stored) in calls.join_all().await {
        match (client, stored) {
            (Some(c), true) => *kept.entry(c).or_default() += 1,
            (None, true) => anonymous += 1,
            _ => {}
        }
    }
    assert_eq!(kept.len(), 15, "every client id kept: {kept:?}");
    assert!(kept.values().all(|n| *n == 1), "each client id kept once: {kept:?}");
    assert_eq!(anonymous, 15, "calls with no client id are all kept");
    let counts = store.event_counts(f.visitor.id).await.expect("counts");
    assert_eq!(counts.iter().map(|c| (c.name.as_str(), c.count)).collect::<Vec<_>>(), [("page_viewed", 30)]);
    assert_eq!(store.visitor_events(f.visitor.id, 100).await.expect("events").len(), 30);
    let dialog = store.latest_dialog_of_visitor(f.workspace.id, f.visitor.id).await.expect("dialog").expect("one");
    let page = store.messages(f.workspace.id, dialog.id, 0, 100, false).await.expect("messages");
    assert_eq!(page.iter().filter(|m| m.body.as_str().starts_with("Сообщение")).count(), 20, "every message stored");
}

/// An anonymous visitor's open dialog moves to the user he signed in as, once, and only to a
/// user of the same workspace with no open dialog; the move is logged for the user.
pub async fn an_open_dialog_moves_to_a_user_without_one(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let other = Fixture::new(store.clone()).await;
    let user = crate::contract::visitor(&store, f.workspace.id, f.site.id).await;
    let anonymous = crate::contract::visitor(&store, f.workspace.id, f.site.id).await;
    let stamp = Stamp { actor: Actor::visitor(user.id), at: now() };
    let posted = store.post_message(f.visitor_post_by(&anonymous, "a-1", "Нужна кухня")).await.expect("post");
    assert!(
        store.move_open_dialog(other.workspace.id, anonymous.id, &user, stamp).await.expect("other ws").is_none(),
        "not from another workspace"
    );
    let pos = store.latest_event_pos().await.expect("pos");
    let moved = store.move_open_dialog(f.workspace.id, anonymous.id, &user, stamp).await.expect("move").expect("moved");
    assert_eq!((moved.id, moved.visitor_id), (posted.dialog.id, user.id));
    let latest = store.latest_dialog_of_visitor(f.workspace.id, user.id).await.expect("latest").expect("his");
    assert_eq!(latest.id, posted.dialog.id);
    assert!(store.latest_dialog_of_visitor(f.workspace.id, anonymous.id).await.expect("latest").is_none());
    let logged = store.events_after(f.workspace.id, pos, 10).await.expect("log");
    assert_eq!(logged.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["visitor.updated"], "{logged:?}");
    assert_eq!(logged[0].subject_id, Some(user.id.0));
    // Nothing open any more: nothing moves. The user has one open now: another stays apart.
    assert!(store.move_open_dialog(f.workspace.id, anonymous.id, &user, stamp).await.expect("again").is_none());
    let third = crate::contract::visitor(&store, f.workspace.id, f.site.id).await;
    let apart = store.post_message(f.visitor_post_by(&third, "t-1", "Вопрос")).await.expect("post");
    assert!(store.move_open_dialog(f.workspace.id, third.id, &user, stamp).await.expect("kept").is_none());
    let kept = store.latest_dialog_of_visitor(f.workspace.id, third.id).await.expect("latest").expect("his");
    assert_eq!(kept.id, apart.dialog.id);
}

pub async fn complaints_are_decided_once_and_blocks_live_until_lifted(store: Arc<dyn Store>) {
    use crate::moderation::{Block, Complaint, Decision};
    let f = Fixture::new(store.clone()).await;
    let other = Fixture::new(store.clone()).await;
    let t = now().0;
    let complaint = |reason: &str, at: i64| Complaint {
        id: uuid::Uuid::now_v7(),
        workspace_id: f.workspace.id,
        visitor_id: f.visitor.id,
        dialog_id: uuid::Uuid::now_v7(),
        reason: reason.into(),
        comment: Some("Пишет одно и то же".into()),
        filed_by: f.operator.id.0,
        filed_at: Timestamp(at),
        status: "open".into(),
        decided_by: None,
        decided_at: None,
        note: None,
    };
    let (spam, abuse) = (complaint("spam", t), complaint("abuse", t + 1));
    store.file_complaint(&spam).await.expect("spam");
    store.file_complaint(&abuse).await.expect("abuse");
    let open: Vec<_> =
        store.complaints(f.workspace.id, Some("open"), 10).await.expect("open").into_iter().map(|c| c.id).collect();
    assert_eq!(open, vec![abuse.id, spam.id], "newest first");
    assert!(store.complaints(other.workspace.id, None, 10).await.expect("other").is_empty());

    let block = Block {
        id: uuid::Uuid::now_v7(),
        workspace_id: f.workspace.id,
        visitor_id: Some(f.visitor.id),
        ip_range: Some("203.0.113.0/24".into()),
        reason: "spam".into(),
        complaint_id: Some(spam.id),
        blocked_by: f.operator.id.0,
        blocked_at: Timestamp(t + 5),
        lifted_by: None,
        lifted_at: None,
    };
    let decided = store
        .decide_complaint(
            f.workspace.id,
            spam.id,
            &Decision {
                status: "blocked",
                by: f.operator.id.0,
                at: Timestamp(t + 5),
                note: None,
                block: Some(block.clone()),
            },
        )
        .await
        .expect("decided");
    assert_eq!((decided.status.as_str(), decided.decided_at), ("blocked", Some(Timestamp(t + 5))));
    let again = Decision { status: "dismissed", by: f.operator.id.0, at: Timestamp(t + 6), note: None, block: None };
    assert!(matches!(store.decide_complaint(f.workspace.id, spam.id, &again).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.decide_complaint(other.workspace.id, abuse.id, &again).await, Err(StoreError::NotFound)));
    assert_eq!(
        store.complaint(f.workspace.id, spam.id).await.expect("read").status,
        "blocked",
        "the first decision stays"
    );
    store.decide_complaint(f.workspace.id, abuse.id, &again).await.expect("dismissed");
    assert!(store.complaints(f.workspace.id, Some("open"), 10).await.expect("open").is_empty());

    assert_eq!(store.live_block_of(f.workspace.id, f.visitor.id).await.expect("live"), Some(block.clone()));
    assert!(store.any_live_visitor_block(f.workspace.id).await.expect("any"));
    assert!(!store.any_live_visitor_block(other.workspace.id).await.expect("other"));
    assert_eq!(store.live_block_of(other.workspace.id, f.visitor.id).await.expect("other"), None);
    assert_eq!(store.live_range_blocks(f.workspace.id).await.expect("ranges"), vec![block.clone()]);
    assert!(store.live_range_blocks(other.workspace.id).await.expect("other").is_empty());
    let lifted = store.lift_block(f.workspace.id, block.id, f.operator.id.0, Timestamp(t + 9)).await.expect("lift");
    assert_eq!(lifted.lifted_at, Some(Timestamp(t + 9)));
    let twice =
        store.lift_block(f.workspace.id, block.id, uuid::Uuid::now_v7(), Timestamp(t + 10)).await.expect("again");
    assert_eq!((twice.lifted_at, twice.lifted_by), (lifted.lifted_at, lifted.lifted_by));
    assert_eq!(store.live_block_of(f.workspace.id, f.visitor.id).await.expect("gone"), None);
    assert!(!store.any_live_visitor_block(f.workspace.id).await.expect("none left"));
    assert!(store.live_range_blocks(f.workspace.id).await.expect("ranges").is_empty());
    assert_eq!(store.blocks(f.workspace.id, false, 10).await.expect("all").len(), 1);
    assert!(store.blocks(f.workspace.id, true, 10).await.expect("live").is_empty());
    assert!(matches!(
        store.lift_block(other.workspace.id, block.id, f.operator.id.0, Timestamp(t)).await,
        Err(StoreError::NotFound)
    ));
}

/// A small deterministic generator, so the cases are the same on every run and backend.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

pub async fn segments_count_what_the_domain_reads_and_filter_the_list(store: Arc<dyn Store>) {
    use frontline_domain::segments::{EventFact, Facts, SegmentFilter};
    let f = Fixture::new(store.clone()).await;
    let other = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let t = now();
    let day = 86_400_000;
    let stamp = Stamp { actor: Actor::SYSTEM, at: t };
    let mut rng = Lcg(16);
    // Forty visitors with every kind of fact, some missing; and one of another workspace who
    // has them all.
    let mut people = Vec::new();
    for i in 0..41 {
        let (fx, last) = if i == 40 { (&other, true) } else { (&f, false) };
        let v = crate::contract::visitor(&store, fx.workspace.id, fx.site.id).await;
        let mut attrs = serde_json::Map::new();
        match rng.below(4) {
            0 => {}
            1 => _ = attrs.insert("plan".into(), "pro".into()),
            2 => _ = attrs.insert("plan".into(), "free".into()),
            _ => _ = attrs.insert("plan".into(), 7.into()),
        }
        if last || rng.below(3) > 0 {
            attrs.insert("orders".into(), serde_json::json!(rng.below(6) as f64 / 2.0));
        }
        if rng.below(2) == 0 {
            attrs.insert("vip".into(), (rng.below(2) == 0).into());
        }
        if last || rng.below(3) > 0 {
            // Unix seconds with milliseconds; kept as an RFC 3339 date, as the API keeps them.
            let ms = t.0 - rng.below(60) as i64 * day - rng.below(1000) as i64;
            attrs.insert("signed_up_at".into(), serde_json::json!(ms as f64 / 1000.0));
        }
        let patch: std::collections::BTreeMap<String, Option<frontline_domain::leads::Value>> =
            serde_json::from_value(serde_json::Value::Object(attrs)).expect("patch");
        let kept = frontline_domain::leads::merge_attributes(&Default::default(), &patch, "attributes").expect("merge");
        let v = store.set_visitor_attributes(fx.workspace.id, v.id, &kept, stamp).await.expect("attributes");
        let mut tags = Vec::new();
        for tag in ["vip", "опт"] {
            if last || rng.below(2) == 0 {
                tags.push(tag.to_owned());
            }
        }
        store.change_visitor_tags(fx.workspace.id, &v, &tags, &[], stamp).await.expect("tags");
        let mut events = Vec::new();
        for _ in 0..rng.below(4) {
            let at = Timestamp(t.0 - rng.below(40) as i64 * day);
            events.push(TrackedEvent {
                id: uuid::Uuid::now_v7(),
                workspace_id: fx.workspace.id,
                visitor_id: v.id,
                name: "order_paid".into(),
                properties: "{}".into(),
                client_id: None,
                at,
            });
        }
        store.track_events(&events).await.expect("events");
        if last || rng.below(3) > 0 {
            let at = Timestamp(t.0 - rng.below(20) as i64 * day);
            store
                .record_page(v.id, &PageView { url: "https://shop.example.com/".into(), title: None, at })
                .await
                .expect("seen");
        }
        if !last {
            people.push(store.visitor(ws, v.id).await.expect("read"));
        }
    }
    // Fixture::new's own visitor has nothing.
    people.push(store.visitor(ws, f.visitor.id).await.expect("read"));

    let filters = [
        r#"{"rules": [{"type": "attribute", "name": "plan", "op": "is", "value": "pro"}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "plan", "op": "is", "value": 7}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "plan", "op": "is_not", "value": "pro"}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "plan", "op": "contains", "value": "r"}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "orders", "op": "gt", "value": 1}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "orders", "op": "lt", "value": 1.5}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "orders", "op": "is", "value": 2.5}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "vip", "op": "is", "value": true}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "vip", "op": "is_not", "value": false}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "vip", "op": "exists"}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "orders", "op": "missing"}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "signed_up_at", "op": "within_days", "value": 30}]}"#,
        r#"{"rules": [{"type": "attribute", "name": "signed_up_at", "op": "older_than_days", "value": 30}]}"#,
        r#"{"rules": [{"type": "event", "name": "order_paid"}]}"#,
        r#"{"rules": [{"type": "event", "name": "order_paid", "at_least": 2, "within_days": 20}]}"#,
        r#"{"rules": [{"type": "event", "name": "order_paid", "did": false, "within_days": 10}]}"#,
        r#"{"rules": [{"type": "tag", "tag": "vip"}]}"#,
        r#"{"rules": [{"type": "tag", "tag": "ОПТ", "has": false}]}"#,
        r#"{"rules": [{"type": "last_seen", "op": "within_days", "days": 7}]}"#,
        r#"{"rules": [{"type": "last_seen", "op": "older_than_days", "days": 7}]}"#,
        r#"{"rules": [{"type": "tag", "tag": "vip"}, {"type": "event", "name": "order_paid", "within_days": 30}, {"type": "attribute", "name": "plan", "op": "is_not", "value": "free"}]}"#,
        r#"{"match": "any", "rules": [{"type": "tag", "tag": "vip", "has": false}, {"type": "attribute", "name": "orders", "op": "gt", "value": 2}, {"type": "last_seen", "op": "older_than_days", "days": 3}]}"#,
        // "Everyone but…", with all rules and with any.
        r#"{"rules": [{"type": "attribute", "name": "plan", "op": "is_not", "value": "pro"}, {"type": "tag", "tag": "vip", "has": false}]}"#,
        r#"{"match": "any", "rules": [{"type": "attribute", "name": "plan", "op": "missing"}, {"type": "event", "name": "order_paid", "did": false}]}"#,
        r#"{"match": "any", "rules": [{"type": "attribute", "name": "plan", "op": "is", "value": "free"}, {"type": "last_seen", "op": "within_days", "days": 7}]}"#,
        r#"{"rules": [{"type": "last_seen", "op": "older_than_days", "days": 7}, {"type": "attribute", "name": "orders", "op": "lt", "value": 2}]}"#,
        // Tags and events alone.
        r#"{"rules": [{"type": "tag", "tag": "vip"}, {"type": "event", "name": "order_paid", "at_least": 2}]}"#,
        r#"{"match": "any", "rules": [{"type": "tag", "tag": "vip"}, {"type": "tag", "tag": "опт"}, {"type": "event", "name": "order_paid", "within_days": 5}]}"#,
    ];
    let mut facts = Vec::new();
    for p in &people {
        let tags = store.visitor_tags(p.id).await.expect("tags");
        let events: Vec<EventFact> = store
            .event_counts(p.id)
            .await
            .expect("counts")
            .into_iter()
            .map(|c| EventFact { name: c.name, count: c.count, last_at: c.last_at })
            .collect();
        facts.push((p, tags, events));
    }
    let mut sizes = Vec::new();
    for json in filters {
        let filter = serde_json::from_str::<SegmentFilter>(json).expect("shape").parse().expect("good");
        let mut want: Vec<VisitorId> = facts
            .iter()
            .filter(|(p, tags, events)| {
                filter.holds(&Facts { attributes: &p.attributes, tags, events, last_seen_at: p.last_seen_at }, t)
            })
            .map(|(p, ..)| p.id)
            .collect();
        want.sort_by_key(|v| v.0);
        let count = store.count_segment(ws, &filter, t).await.expect("count");
        assert_eq!(count, want.len() as i64, "{json}");
        let mut got: Vec<VisitorId> =
            store.segment_visitors(ws, &filter, t, 100).await.expect("list").into_iter().map(|v| v.id).collect();
        got.sort_by_key(|v| v.0);
        assert_eq!(got, want, "{json}");
        // A short list holds as many as it can, all of them members.
        let few = store.segment_visitors(ws, &filter, t, 3).await.expect("few");
        assert_eq!(few.len(), want.len().min(3), "{json}");
        assert!(few.iter().all(|v| want.contains(&v.id)), "{json}");
        sizes.push(want.len());
    }
    // Replaced attributes leave no rows behind: a visitor whose plan is removed leaves the
    // segments of plans.
    let exists =
        serde_json::from_str::<SegmentFilter>(r#"{"rules": [{"type": "attribute", "name": "plan", "op": "exists"}]}"#)
            .expect("shape")
            .parse()
            .expect("good");
    let before = store.count_segment(ws, &exists, t).await.expect("count");
    let planned = people.iter().find(|p| p.attributes.contains_key("plan")).expect("someone has a plan");
    let mut kept = planned.attributes.clone();
    kept.remove("plan");
    store.set_visitor_attributes(ws, planned.id, &kept, stamp).await.expect("attributes");
    assert_eq!(store.count_segment(ws, &exists, t).await.expect("count"), before - 1);
    assert!(sizes.iter().all(|&n| n < people.len()) && sizes.iter().filter(|&&n| n > 0).count() >= 20, "{sizes:?}");

    // Saved segments: names unique per workspace, kept per workspace, and a list filter.
    let vip = serde_json::from_str::<SegmentFilter>(filters[16]).expect("shape").parse().expect("good");
    assert!(filters[16].contains("vip"));
    let seg = crate::segments::Segment {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        name: "VIP".into(),
        filter: vip.clone(),
        created_by: f.operator.id.0,
        created_at: t,
        updated_at: t,
    };
    store.create_segment(&seg).await.expect("create");
    let dup = crate::segments::Segment { id: uuid::Uuid::now_v7(), ..seg.clone() };
    assert!(matches!(store.create_segment(&dup).await, Err(StoreError::Conflict(_))));
    assert_eq!(store.segments(ws).await.expect("list"), vec![seg.clone()]);
    assert!(store.segments(other.workspace.id).await.expect("other").is_empty());
    assert!(matches!(store.segment(other.workspace.id, seg.id).await, Err(StoreError::NotFound)));
    let renamed =
        crate::segments::Segment { name: "Постоянные".into(), updated_at: Timestamp(t.0 + 1), ..seg.clone() };
    store.update_segment(&renamed).await.expect("update");
    assert_eq!(store.segment(ws, seg.id).await.expect("read"), renamed);
    let other_seg = crate::segments::Segment { workspace_id: other.workspace.id, ..renamed.clone() };
    assert!(matches!(store.update_segment(&other_seg).await, Err(StoreError::NotFound)));

    // Dialogs of two visitors, one of them in the segment.
    let tagged = facts.iter().find(|(_, tags, _)| tags.contains(&"vip".to_owned())).expect("a vip").0;
    let plain = facts.iter().find(|(_, tags, _)| !tags.contains(&"vip".to_owned())).expect("not a vip").0;
    let a = store.post_message(f.visitor_post_by(tagged, "s-a", "Здравствуйте")).await.expect("a").dialog.id;
    store.post_message(f.visitor_post_by(plain, "s-b", "Здравствуйте")).await.expect("b");
    let filter = DialogFilter { segment: Some((seg.id, t)), ..DialogFilter::default() };
    let listed = store.list_dialogs(ws, &filter, DialogPage { after: None, limit: 50 }).await.expect("list");
    assert_eq!(listed.iter().map(|d| d.id).collect::<Vec<_>>(), vec![a]);
    assert_eq!(store.count_dialogs(ws, &filter).await.expect("count"), 1);
    assert!(matches!(
        store.list_dialogs(other.workspace.id, &filter, DialogPage { after: None, limit: 50 }).await,
        Err(StoreError::NotFound)
    ));

    store.delete_segment(ws, seg.id).await.expect("delete");
    assert!(matches!(store.delete_segment(ws, seg.id).await, Err(StoreError::NotFound)));
}

pub async fn custom_fields_are_kept_per_workspace_and_filter_the_list(store: Arc<dyn Store>) {
    use crate::fields::StoredField;
    use frontline_domain::fields::{FieldDef, FieldFormat, FieldKind, FieldTarget, Required};
    use frontline_domain::leads::Value;
    let f = Fixture::new(store.clone()).await;
    let other = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let def = |key: &str, kind: FieldKind| FieldDef {
        key: key.into(),
        label: key.to_uppercase(),
        target: FieldTarget::Dialog,
        kind,
        options: Vec::new(),
        format: FieldFormat::Upper,
        pattern: Some("[A-Z0-9 ]+".into()),
        required: Required { always: false, channels: vec![f.channel.id.0], categories: Vec::new() },
    };
    let model = StoredField {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        def: def("model", FieldKind::Text),
        position: 0,
        created_at: now(),
        archived_at: None,
    };
    store.create_custom_field(&model).await.expect("create");
    let same_key = StoredField { id: uuid::Uuid::now_v7(), ..model.clone() };
    assert!(matches!(store.create_custom_field(&same_key).await, Err(StoreError::Conflict(_))));
    let as_visitor = StoredField {
        id: uuid::Uuid::now_v7(),
        def: FieldDef { target: FieldTarget::Visitor, required: Required::default(), ..model.def.clone() },
        ..model.clone()
    };
    store.create_custom_field(&as_visitor).await.expect("the same key on visitors");
    assert_eq!(store.custom_fields(ws).await.expect("list"), vec![model.clone(), as_visitor.clone()]);
    assert!(store.custom_fields(other.workspace.id).await.expect("other").is_empty());
    let archived = StoredField { archived_at: Some(now()), position: 3, ..model.clone() };
    store.update_custom_field(&archived).await.expect("update");
    assert_eq!(store.custom_fields(ws).await.expect("list")[0], archived);
    let foreign = StoredField { workspace_id: other.workspace.id, ..model.clone() };
    assert!(matches!(store.update_custom_field(&foreign).await, Err(StoreError::NotFound)));

    // Values: kept on the dialog with its labels event, and a filter of the list.
    let a = store.post_message(f.visitor_post("fa", "Не включается")).await.expect("a").dialog;
    let v2 = crate::contract::visitor(&store, ws, f.site.id).await;
    let b = store.post_message(f.visitor_post_by(&v2, "fb", "Не заряжается")).await.expect("b").dialog;
    let before = store.latest_event_pos().await.expect("pos");
    let d = store
        .set_dialog_fields(ws, a.id, r#"{"model":"IPHONE 15","size":6.1}"#, now(), Actor::SYSTEM)
        .await
        .expect("set");
    assert_eq!(d.fields.get("model"), Some(&Value::Text("IPHONE 15".into())));
    assert_eq!(store.dialog(ws, a.id).await.expect("read").fields, d.fields);
    let logged = store.events_after(ws, before, 10).await.expect("log");
    assert!(logged.iter().any(|e| e.kind == "dialog.labels_changed" && e.payload.contains("IPHONE 15")), "{logged:?}");
    store.set_dialog_fields(ws, b.id, r#"{"model":"PIXEL 8","size":6}"#, now(), Actor::SYSTEM).await.expect("set b");
    assert!(matches!(
        store.set_dialog_fields(other.workspace.id, a.id, "{}", now(), Actor::SYSTEM).await,
        Err(StoreError::NotFound)
    ));
    let listed = |field: (&str, Value)| {
        let store = store.clone();
        let filter = DialogFilter { field: Some((field.0.to_owned(), field.1)), ..DialogFilter::default() };
        async move {
            let page = store.list_dialogs(ws, &filter, DialogPage { after: None, limit: 50 }).await.expect("list");
            assert_eq!(store.count_dialogs(ws, &filter).await.expect("count"), page.len() as i64);
            page.into_iter().map(|d| d.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(("model", Value::Text("IPHONE 15".into()))).await, vec![a.id]);
    assert_eq!(listed(("model", Value::Text("IPHONE".into()))).await, Vec::<DialogId>::new());
    assert_eq!(listed(("size", Value::Number(6.0))).await, vec![b.id]);
    assert_eq!(listed(("size", Value::Number(6.1))).await, vec![a.id]);
    assert_eq!(listed(("size", Value::Text("6".into()))).await, Vec::<DialogId>::new(), "kinds are not mixed");
}
