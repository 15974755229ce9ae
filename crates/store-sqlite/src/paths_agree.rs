//! The two write paths of a post agree: the same posts written one by one (`post_in`, the
//! path that states the rules) and in batches of any size (`batch::write`) leave the same
//! dialogs, messages and events behind, and answer the same.

use crate::{SqliteStore, batch, post};
use frontline_domain::*;
use frontline_store::contract::{Fixture, new_message};
use frontline_store::*;
use proptest::prelude::*;
use std::sync::Arc;

/// One post of a generated sequence.
#[derive(Debug, Clone)]
enum Step {
    /// Visitor `v` writes (opening his dialog if he has none).
    Visitor { v: usize, client: u8, timers: bool },
    /// The operator answers visitor `v`'s dialog (maybe one that does not exist yet).
    Operator { v: usize, client: u8, auto_close: bool },
    /// An internal note in visitor `v`'s dialog.
    Note { v: usize, client: u8 },
    /// A system line only operators see, or the automatic greeting.
    Line { v: usize, greeting: bool },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..3usize, 0..6u8, any::<bool>()).prop_map(|(v, client, timers)| Step::Visitor { v, client, timers }),
        3 => (0..3usize, 0..6u8, any::<bool>()).prop_map(|(v, client, auto_close)| Step::Operator { v, client, auto_close }),
        1 => (0..3usize, 0..6u8).prop_map(|(v, client)| Step::Note { v, client }),
        1 => (0..3usize, any::<bool>()).prop_map(|(v, greeting)| Step::Line { v, greeting }),
    ]
}

/// The posts of a sequence, the same values for both stores (ids and times fixed here).
fn posts(f: &Fixture, visitors: &[Visitor], dialogs: &[DialogId], steps: &[Step]) -> Vec<PostMessage> {
    let base = 1_800_000_000_000_i64;
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let at = Timestamp(base + i as i64 * 1_000);
            let to_dialog = |v: usize| PostTarget::Dialog(dialogs[v]);
            let (target, mut m, timers) = match *s {
                Step::Visitor { v, client, timers } => (
                    PostTarget::Visitor {
                        visitor: visitors[v].id,
                        channel: f.channel.id,
                        new_dialog_id: dialogs[v],
                        routed_by: None,
                        previous: None,
                        expected: None,
                    },
                    new_message(AuthorKind::Visitor, visitors[v].id.0, &format!("v{client}"), "Вопрос"),
                    MessageTimers {
                        first_reply_due: timers.then_some(Timestamp(at.0 + 60_000)),
                        next_reply_due: timers.then_some(Timestamp(at.0 + 300_000)),
                        auto_close: None,
                        resolution_due: timers.then_some(Timestamp(at.0 + 1_800_000)),
                    },
                ),
                Step::Operator { v, client, auto_close } => (
                    to_dialog(v),
                    new_message(AuthorKind::Operator, f.operator.id.0, &format!("o{client}"), "Ответ"),
                    MessageTimers {
                        auto_close: auto_close.then(|| AutoCloseTimer {
                            at: Timestamp(at.0 + 600_000),
                            action: AutoCloseAction::Prompt,
                            hold_phrase: None,
                        }),
                        ..MessageTimers::default()
                    },
                ),
                Step::Note { v, client } => {
                    let mut m = new_message(AuthorKind::Operator, f.operator.id.0, &format!("n{client}"), "Заметка");
                    m.audience = Audience::Operators;
                    (to_dialog(v), m, MessageTimers::default())
                }
                Step::Line { v, greeting } => {
                    let mut m =
                        new_message(AuthorKind::System, uuid::Uuid::nil(), &format!("line-{i}"), "Здравствуйте!");
                    if greeting {
                        m.author_kind = AuthorKind::Operator;
                        m.author_id = f.operator.id.0;
                        m.automatic = Some(Automatic::Greeting);
                    } else {
                        m.body = MessageBody::from_stored(String::new());
                        m.event = Some(SystemEvent::Reopened { by: None });
                        m.audience = SystemEvent::Reopened { by: None }.audience();
                    }
                    (to_dialog(v), m, MessageTimers::default())
                }
            };
            m.id = MessageId(uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + i as u128));
            m.created_at = at;
            PostMessage { workspace_id: f.workspace.id, target, message: m, author_name: None, timers, opening: None }
        })
        .collect()
}

/// Every row of a table as text (`quote()` of each column), in a stable order.
async fn rows(store: &SqliteStore, table: &str, skip: &[&str], order: &str) -> Vec<String> {
    let cols: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
        .bind(table)
        .fetch_all(&store.write)
        .await
        .expect("columns");
    let cols: Vec<String> = cols.into_iter().filter(|c| !skip.contains(&c.as_str())).collect();
    let expr = cols.iter().map(|c| format!("'{c}=' || quote({c})")).collect::<Vec<_>>().join(" || ' ' || ");
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {expr} FROM {table} ORDER BY {order}")))
        .fetch_all(&store.write)
        .await
        .expect("rows")
}

fn answer(r: &StoreResult<Posted>) -> String {
    match r {
        // A retry is answered with the stored message and the dialog as it is when the answer
        // is made: in a batch, after the whole batch.
        Ok(p) if p.duplicate => format!("duplicate of seq={} id={:?}", p.message.seq, p.message.id),
        Ok(p) => {
            format!("ok seq={} created={} dup={} dialog={:?}", p.message.seq, p.dialog_created, p.duplicate, p.dialog)
        }
        Err(e) => format!("err {e:?}"),
    }
}

async fn compare(steps: Vec<Step>, cuts: Vec<usize>) {
    let dir = std::env::temp_dir().join(format!("fl-paths-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = |name: &str| format!("sqlite://{}", dir.join(name).display());
    // One fixture, copied: both stores start from the same rows and ids.
    let (f, visitors) = {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url("a.db")).await.expect("store"));
        let f = Fixture::new(store.clone()).await;
        let hook = frontline_store::events::WebhookEndpoint {
            id: uuid::Uuid::now_v7(),
            workspace_id: f.workspace.id,
            url: "https://hooks.example.com/".into(),
            description: String::new(),
            events: vec![EventKind::DialogCreated, EventKind::MessageCreated, EventKind::NoteCreated],
            secret: "whsec_eA==".into(),
            previous_secret: None,
            previous_until: None,
            enabled: true,
            disabled_reason: None,
            failing_since: None,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        };
        store.create_webhook(&hook, 10).await.expect("webhook");
        let mut vs = vec![f.visitor.clone()];
        for _ in 0..2 {
            vs.push(frontline_store::contract::visitor(&store, f.workspace.id, f.site.id).await);
        }
        store.close().await;
        (f, vs)
    };
    std::fs::copy(dir.join("a.db"), dir.join("b.db")).expect("copy");
    let dialogs: Vec<DialogId> =
        (0..3).map(|i| DialogId(uuid::Uuid::from_u128(0x0190_0000_0000_7000_9000_0000_0000_0000 + i))).collect();
    let posts = posts(&f, &visitors, &dialogs, &steps);

    let one = SqliteStore::connect(&url("a.db")).await.expect("a");
    let many = SqliteStore::connect(&url("b.db")).await.expect("b");
    let mut one_answers = Vec::new();
    {
        let mut conn = one.write.acquire().await.expect("conn");
        for p in &posts {
            one_answers.push(answer(&post::alone(&mut conn, p).await));
        }
    }
    let mut many_answers = Vec::new();
    {
        let mut conn = many.write.acquire().await.expect("conn");
        let mut rest: &[PostMessage] = &posts;
        let mut cuts = cuts.into_iter().cycle();
        while !rest.is_empty() {
            let n = cuts.next().unwrap_or(1).clamp(1, rest.len());
            let (now, later) = rest.split_at(n);
            rest = later;
            sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.expect("begin");
            let refs: Vec<&PostMessage> = now.iter().collect();
            let results = batch::write(&mut conn, &refs).await.expect("the batch path wrote");
            sqlx::query("COMMIT").execute(&mut *conn).await.expect("commit");
            many_answers.extend(results.iter().map(answer));
        }
    }
    if let Some(i) = (0..posts.len()).find(|&i| one_answers[i] != many_answers[i]) {
        panic!(
            "post {i} ({:?}) was answered\n  one by one: {}\n  in batches: {}\nafter {:?}",
            steps[i],
            one_answers[i],
            many_answers[i],
            &steps[..=i]
        );
    }
    for (table, skip, order) in [
        ("dialogs", &[][..], "id"),
        ("messages", &[][..], "id"),
        // Event ids are made when the event is written; what they say must agree.
        ("events", &["pos", "id"][..], "at, kind, subject_id"),
        ("outbox", &["pos", "event_id"][..], "order_key, created_at, event_kind"),
    ] {
        let (a, b) = (rows(&one, table, skip, order).await, rows(&many, table, skip, order).await);
        if let Some(i) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
            panic!(
                "{table} row {i} differs\n  one by one: {:?}\n  in batches: {:?}\nsteps {steps:?}",
                a.get(i),
                b.get(i)
            );
        }
    }
    one.close().await;
    many.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn one_by_one_and_in_batches_leave_the_same_rows(
        steps in proptest::collection::vec(step(), 1..40),
        cuts in proptest::collection::vec(1..12usize, 1..6),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(compare(steps, cuts));
    }
}
