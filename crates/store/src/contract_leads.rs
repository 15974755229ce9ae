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
        .set_visitor_attributes(f.workspace.id, u.id, r#"{"orders":3,"plan":"pro","vip":true}"#, stamp)
        .await
        .expect("attributes");
    assert_eq!(v.attributes.get("plan"), Some(&frontline_domain::leads::Value::Text("pro".into())));
    assert_eq!(v.attributes.get("orders"), Some(&frontline_domain::leads::Value::Number(3.0)));
    assert_eq!(store.visitor(f.workspace.id, u.id).await.expect("read").attributes, v.attributes);
    let logged = store.events_after(f.workspace.id, before, 10).await.expect("log");
    assert!(logged.iter().any(|e| e.kind == "visitor.updated" && e.subject_id == Some(u.id.0)), "{logged:?}");
    assert!(matches!(
        store.set_visitor_attributes(other.workspace.id, u.id, "{}", stamp).await,
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
