//! Segments (issue 16): saved filters over visitors, and their compilation to SQL for counting
//! and listing. The rules mean what `frontline_domain::segments` says; the contract tests
//! compare this SQL with the domain's reading of the same visitors on both backends.
//!
//! Every rule is a set of visitors read from one index: attributes from `visitor_attributes`
//! (the attributes as rows), events, tags, and the last visit. A count is set operations on
//! those sets, never reading a visitor's row; a list takes the newest of the set, or probes
//! each visitor on the tables' primary keys when it walks visitors in its own order (the
//! dialog list's filter). A rule is true or false, never NULL, so `NOT` and `OR` mean what
//! they say.

use crate::StoreError;
use crate::records::StoreRow;
use crate::sql::Arg;
use frontline_domain::segments::{AttributeOp, Match, SeenOp, SegmentFilter, SegmentRule, cutoff};
use frontline_domain::{Timestamp, WorkspaceId, leads::Value};
use uuid::Uuid;

/// The SQL spoken by a backend, where the two differ (JSON, dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A saved segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub filter: SegmentFilter,
    pub created_by: Uuid,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

pub const SEGMENT_COLS: &str = "id, workspace_id, name, filter, created_by, created_at, updated_at";

pub fn segment(r: &impl StoreRow) -> Result<Segment, StoreError> {
    let filter = r.text("filter")?;
    Ok(Segment {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        name: r.text("name")?,
        filter: serde_json::from_str(&filter).map_err(|e| StoreError::Internal(format!("segment filter: {e}")))?,
        created_by: r.uuid("created_by")?,
        created_at: Timestamp(r.int("created_at")?),
        updated_at: Timestamp(r.int("updated_at")?),
    })
}

pub fn filter_json(f: &SegmentFilter) -> String {
    serde_json::to_string(f).unwrap_or_else(|_| "{}".into())
}

/// Adds an argument and returns its placeholder.
fn arg(args: &mut Vec<Arg>, a: Arg) -> String {
    args.push(a);
    format!("${}", args.len())
}

/// A rule as the rows of one table that name its visitors, and whether the rule wants the
/// visitors those rows name (has, did, is) or the others (has not, did not, is not, missing).
struct RuleSet {
    /// `table alias`.
    from: &'static str,
    /// The alias's visitor column.
    visitor: &'static str,
    /// The alias's workspace column.
    workspace: &'static str,
    /// What else the rows must hold (never NULL: every comparison is on a column the
    /// condition's kind makes present).
    cond: String,
    wanted: bool,
}

impl RuleSet {
    /// The set as a query of `visitor_id`s of the workspace `$1`. Each set names a visitor at
    /// most once (the tables' keys start with the visitor and the rule's name).
    fn query(&self) -> String {
        format!(
            "SELECT {} AS visitor_id FROM {} WHERE {} = $1 AND {}",
            self.visitor, self.from, self.workspace, self.cond
        )
    }

    /// Whether the visitor `on` (a column) is (`yes`) or is not in the set, probed on the
    /// table's primary key.
    fn exists(&self, on: &str, yes: bool) -> String {
        format!(
            "{}EXISTS (SELECT 1 FROM {} WHERE {} = {on} AND {})",
            if yes { "" } else { "NOT " },
            self.from,
            self.visitor,
            self.cond
        )
    }

    /// The count of the set's visitors who are in every set of `inside` and in none of
    /// `outside`: the set's index is read once and each visitor probed in the others.
    fn count_where(&self, inside: &[&RuleSet], outside: &[&RuleSet]) -> String {
        format!("(SELECT COUNT(*) FROM ({}) d{})", self.query(), probes(inside, outside))
    }
}

/// ` WHERE` and the probes of `d.visitor_id` in every set of `inside` and in none of `outside`.
fn probes(inside: &[&RuleSet], outside: &[&RuleSet]) -> String {
    let all: Vec<String> = inside
        .iter()
        .map(|s| s.exists("d.visitor_id", true))
        .chain(outside.iter().map(|s| s.exists("d.visitor_id", false)))
        .collect();
    if all.is_empty() { String::new() } else { format!(" WHERE {}", all.join(" AND ")) }
}

/// The rows that name a rule's visitors. Attributes are read from `visitor_attributes` (the
/// attributes as rows, kept with the visitor's JSON), tags and events from their tables, the
/// last visit from `visitors` on its index.
fn set_of(r: &SegmentRule, dialect: Dialect, now: Timestamp, args: &mut Vec<Arg>) -> RuleSet {
    match r {
        SegmentRule::Attribute { name, op, value } => {
            let n = arg(args, Arg::String(name.clone()));
            let (cond, wanted) = attribute(*op, value.as_ref(), dialect, now, args);
            RuleSet {
                from: "visitor_attributes a",
                visitor: "a.visitor_id",
                workspace: "a.workspace_id",
                cond: format!("a.name = {n}{cond}"),
                wanted,
            }
        }
        SegmentRule::Event { name, did, at_least, within_days } => {
            let n = arg(args, Arg::String(name.clone()));
            let c = arg(args, Arg::Int(at_least.unwrap_or(1)));
            let mut cond = format!("c.name = {n} AND c.count >= {c}");
            if let Some(d) = within_days {
                let cut = arg(args, Arg::Int(cutoff(now, *d).0));
                cond.push_str(&format!(" AND c.last_at >= {cut}"));
            }
            RuleSet {
                from: "visitor_event_counts c",
                visitor: "c.visitor_id",
                workspace: "c.workspace_id",
                cond,
                wanted: *did,
            }
        }
        SegmentRule::Tag { tag, has } => {
            let t = arg(args, Arg::String(tag.clone()));
            RuleSet {
                from: "visitor_tags t",
                visitor: "t.visitor_id",
                workspace: "t.workspace_id",
                cond: format!("t.tag = {t}"),
                wanted: *has,
            }
        }
        SegmentRule::LastSeen { op, days } => {
            // Never seen is not seen lately: older-than is the complement of within.
            let cut = arg(args, Arg::Int(cutoff(now, *days).0));
            RuleSet {
                from: "visitors s",
                visitor: "s.id",
                workspace: "s.workspace_id",
                cond: format!("s.last_seen_at >= {cut}"),
                wanted: *op == SeenOp::WithinDays,
            }
        }
    }
}

/// What an attribute rule asks of the attribute's row (after its name), and whether the rule
/// wants the visitors with such a row.
fn attribute(
    op: AttributeOp,
    value: Option<&Value>,
    dialect: Dialect,
    now: Timestamp,
    args: &mut Vec<Arg>,
) -> (String, bool) {
    const NONE: &str = " AND 1 = 0";
    let is = |args: &mut Vec<Arg>| match value {
        Some(Value::Text(s)) => format!(" AND a.kind = 'text' AND a.text = {}", arg(args, Arg::String(s.clone()))),
        Some(Value::Number(n)) => format!(" AND a.kind = 'number' AND a.number = {}", arg(args, Arg::Float(*n))),
        Some(Value::Bool(b)) => format!(" AND a.kind = '{b}'"),
        None => NONE.to_owned(),
    };
    match op {
        AttributeOp::Exists => (String::new(), true),
        AttributeOp::Missing => (String::new(), false),
        AttributeOp::Is => (is(args), true),
        AttributeOp::IsNot => (is(args), false),
        AttributeOp::Contains => match value {
            Some(Value::Text(s)) => {
                let s = arg(args, Arg::String(s.clone()));
                let found = match dialect {
                    Dialect::Sqlite => format!("instr(a.text, {s}) > 0"),
                    Dialect::Postgres => format!("strpos(a.text, {s}) > 0"),
                };
                (format!(" AND a.kind = 'text' AND {found}"), true)
            }
            _ => (NONE.to_owned(), true),
        },
        AttributeOp::Gt | AttributeOp::Lt => match value {
            Some(Value::Number(n)) => {
                let n = arg(args, Arg::Float(*n));
                let cmp = if op == AttributeOp::Gt { ">" } else { "<" };
                (format!(" AND a.kind = 'number' AND a.number {cmp} {n}"), true)
            }
            _ => (NONE.to_owned(), true),
        },
        // A text's number is the instant it reads as; a text that is no date has none.
        AttributeOp::WithinDays | AttributeOp::OlderThanDays => match value {
            Some(Value::Number(days)) => {
                let cut = arg(args, Arg::Float(cutoff(now, *days as i64).0 as f64));
                let cmp = if op == AttributeOp::WithinDays { ">=" } else { "<" };
                (format!(" AND a.kind = 'text' AND a.number {cmp} {cut}"), true)
            }
            _ => (NONE.to_owned(), true),
        },
    }
}

/// The condition a filter puts on `visitors` rows named `v` (whose workspace is `$1` among
/// `args`), each rule probed on its table's primary key: for lists that walk visitors (or
/// dialogs) in their own order and stop at a page.
pub fn condition(filter: &SegmentFilter, dialect: Dialect, now: Timestamp, args: &mut Vec<Arg>) -> String {
    let parts: Vec<String> = filter
        .rules
        .iter()
        .map(|r| match r {
            // The visitor's own column, read on his row.
            SegmentRule::LastSeen { op, days } => {
                let cut = arg(args, Arg::Int(cutoff(now, *days).0));
                match op {
                    SeenOp::WithinDays => format!("COALESCE(v.last_seen_at >= {cut}, FALSE)"),
                    SeenOp::OlderThanDays => format!("(v.last_seen_at IS NULL OR v.last_seen_at < {cut})"),
                }
            }
            _ => {
                let set = set_of(r, dialect, now, args);
                set.exists("v.id", set.wanted)
            }
        })
        .collect();
    let glue = match filter.match_ {
        Match::All => " AND ",
        Match::Any => " OR ",
    };
    format!("({})", parts.join(glue))
}

/// The rules' sets, split into those whose visitors the rules want and those whose visitors
/// they exclude, each in the filter's order.
fn sets(filter: &SegmentFilter, dialect: Dialect, now: Timestamp, args: &mut Vec<Arg>) -> (Vec<RuleSet>, Vec<RuleSet>) {
    filter.rules.iter().map(|r| set_of(r, dialect, now, args)).partition(|s| s.wanted)
}

const EVERYONE: &str = "(SELECT COUNT(*) FROM visitors WHERE workspace_id = $1)";

/// The count of a workspace's visitors in a segment. No set is built in memory: one rule's
/// index is read and its visitors probed in the other rules' tables on their primary keys.
/// - all rules, some wanted: the first wanted set, probed in the other wanted and the unwanted;
/// - any rule, none unwanted: each wanted set less the ones before it, added up;
/// - "everyone but…": the workspace's visitors (counted on an index) less the visitors outside.
///
/// Visitors are never deleted, so every row of the rules' tables is one of the workspace's.
pub fn count_sql(ws: WorkspaceId, filter: &SegmentFilter, dialect: Dialect, now: Timestamp) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Uuid(ws.0)];
    let (wanted, unwanted) = sets(filter, dialect, now, &mut args);
    let wanted: Vec<&RuleSet> = wanted.iter().collect();
    let unwanted: Vec<&RuleSet> = unwanted.iter().collect();
    // Each set less the ones before it, added up: the count of their union.
    let union = |sets: &[&RuleSet]| -> String {
        (0..sets.len()).map(|i| sets[i].count_where(&[], &sets[..i])).collect::<Vec<_>>().join(" + ")
    };
    let sql = match filter.match_ {
        Match::All => match wanted.split_first() {
            Some((first, rest)) => format!("SELECT {}", first.count_where(rest, &unwanted)),
            None => format!("SELECT {EVERYONE} - ({})", union(&unwanted)),
        },
        Match::Any => match unwanted.split_first() {
            None => format!("SELECT {}", union(&wanted)),
            // Outside: in every unwanted set and in no wanted one.
            Some((first, rest)) => format!("SELECT {EVERYONE} - {}", first.count_where(rest, &wanted)),
        },
    };
    (sql, args)
}

/// How to list the newest visitors of a segment: `walk` first, and `full` when the walk found
/// fewer than asked.
pub struct ListPlan {
    pub walk: (String, Vec<Arg>),
    pub full: (String, Vec<Arg>),
}

/// Visitors a list's walk looks at, from the newest: a segment of one visitor in 200 or more
/// finds its ten among them.
const WALK: i64 = 2000;

/// The newest visitors of a segment, at most `limit`.
/// - `walk` probes the workspace's newest visitors (by number) one by one: a segment of many
///   visitors finds its newest among them at once;
/// - `full` reads the highest ids of the segment's sets (ids are time-ordered: the newest
///   visitors): all rules, the first wanted set probed in the others; any rule, the newest of
///   each set merged. "Everyone but…" walks all visitors from the newest instead.
pub fn visitors_sql(ws: WorkspaceId, filter: &SegmentFilter, dialect: Dialect, now: Timestamp, limit: u32) -> ListPlan {
    let cols = crate::sql::VISITOR_COLS.split(", ").map(|c| format!("v.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let walk = {
        let mut args = vec![Arg::Uuid(ws.0)];
        let c = condition(filter, dialect, now, &mut args);
        let w = arg(&mut args, Arg::Int(WALK));
        let l = arg(&mut args, Arg::Int(i64::from(limit)));
        let sql = format!(
            "SELECT {cols} FROM visitors v WHERE v.workspace_id = $1 AND v.number > \
             (SELECT COALESCE(MAX(number), 0) FROM visitors WHERE workspace_id = $1) - {w} AND {c} \
             ORDER BY v.number DESC LIMIT {l}"
        );
        (sql, args)
    };
    let mut args = vec![Arg::Uuid(ws.0)];
    let (wanted, unwanted) = sets(filter, dialect, now, &mut args);
    let wanted: Vec<&RuleSet> = wanted.iter().collect();
    let unwanted: Vec<&RuleSet> = unwanted.iter().collect();
    let l = arg(&mut args, Arg::Int(i64::from(limit)));
    let newest = |set: &RuleSet, inside: &[&RuleSet], outside: &[&RuleSet]| {
        format!(
            "SELECT visitor_id FROM (SELECT d.visitor_id FROM ({}) d{} ORDER BY d.visitor_id DESC LIMIT {l}) n",
            set.query(),
            probes(inside, outside)
        )
    };
    let ids = match filter.match_ {
        Match::All => wanted.split_first().map(|(first, rest)| newest(first, rest, &unwanted)),
        Match::Any if unwanted.is_empty() => {
            Some(wanted.iter().map(|s| newest(s, &[], &[])).collect::<Vec<_>>().join(" UNION "))
        }
        Match::Any => None,
    };
    let full = match ids {
        Some(ids) => (
            format!(
                "SELECT {cols} FROM visitors v WHERE v.workspace_id = $1 AND v.id IN \
                 (SELECT visitor_id FROM ({ids}) u ORDER BY visitor_id DESC LIMIT {l}) ORDER BY v.number DESC"
            ),
            args,
        ),
        None => {
            let mut args = vec![Arg::Uuid(ws.0)];
            let c = condition(filter, dialect, now, &mut args);
            let l = arg(&mut args, Arg::Int(i64::from(limit)));
            (
                format!(
                    "SELECT {cols} FROM visitors v WHERE v.workspace_id = $1 AND {c} ORDER BY v.number DESC LIMIT {l}"
                ),
                args,
            )
        }
    };
    ListPlan { walk, full }
}

/// The segments' store methods in shared SQL:
/// `sql_segment_impls!(Store, row = crate::row, dialect = Sqlite)`.
#[macro_export]
macro_rules! sql_segment_impls {
    ($store:ty, row = $($row:ident)::+, dialect = $dialect:ident) => {
        const _: () = {
            use $($row)::+::{R, bind_args, map_err};
            use $crate::__domain::{Timestamp, Visitor, WorkspaceId};
            use $crate::__domain::segments::SegmentFilter;
            use $crate::__uuid::Uuid;
            use $crate::segments::{self as sg, Dialect, Segment};
            use $crate::{SegmentStore, StoreResult};

            #[$crate::async_trait]
            impl SegmentStore for $store {
                async fn segments(&self, ws: WorkspaceId) -> StoreResult<Vec<Segment>> {
                    let sql = format!("SELECT {} FROM segments WHERE workspace_id = $1 ORDER BY name", sg::SEGMENT_COLS);
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| sg::segment(&R(r))).collect()
                }

                async fn segment(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<Segment> {
                    let sql = format!("SELECT {} FROM segments WHERE workspace_id = $1 AND id = $2", sg::SEGMENT_COLS);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(id)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    sg::segment(&R(&row))
                }

                async fn create_segment(&self, s: &Segment) -> StoreResult<()> {
                    let sql = format!("INSERT INTO segments ({}) VALUES ($1, $2, $3, $4, $5, $6, $7)", sg::SEGMENT_COLS);
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(s.id)
                        .bind(s.workspace_id.0)
                        .bind(&s.name)
                        .bind(sg::filter_json(&s.filter))
                        .bind(s.created_by)
                        .bind(s.created_at.0)
                        .bind(s.updated_at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn update_segment(&self, s: &Segment) -> StoreResult<()> {
                    let done = ::sqlx::query(
                        "UPDATE segments SET name = $3, filter = $4, updated_at = $5 WHERE workspace_id = $1 AND id = $2",
                    )
                    .bind(s.workspace_id.0)
                    .bind(s.id)
                    .bind(&s.name)
                    .bind(sg::filter_json(&s.filter))
                    .bind(s.updated_at.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    if done.rows_affected() == 0 { Err($crate::StoreError::NotFound) } else { Ok(()) }
                }

                async fn delete_segment(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<()> {
                    let done = ::sqlx::query("DELETE FROM segments WHERE workspace_id = $1 AND id = $2")
                        .bind(ws.0)
                        .bind(id)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 { Err($crate::StoreError::NotFound) } else { Ok(()) }
                }

                async fn count_segment(&self, ws: WorkspaceId, filter: &SegmentFilter, now: Timestamp) -> StoreResult<i64> {
                    let (sql, args) = sg::count_sql(ws, filter, Dialect::$dialect, now);
                    let row = bind_args(::sqlx::query(::sqlx::AssertSqlSafe(sql)), &args)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    ::sqlx::Row::try_get::<i64, _>(&row, 0).map_err(map_err)
                }

                async fn segment_visitors(
                    &self,
                    ws: WorkspaceId,
                    filter: &SegmentFilter,
                    now: Timestamp,
                    limit: u32,
                ) -> StoreResult<Vec<Visitor>> {
                    let plan = sg::visitors_sql(ws, filter, Dialect::$dialect, now, limit);
                    let (sql, args) = plan.walk;
                    let mut rows = bind_args(::sqlx::query(::sqlx::AssertSqlSafe(sql)), &args)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    if rows.len() < limit as usize {
                        let (sql, args) = plan.full;
                        rows = bind_args(::sqlx::query(::sqlx::AssertSqlSafe(sql)), &args)
                            .fetch_all(self.reader())
                            .await
                            .map_err(map_err)?;
                    }
                    rows.iter().map(|r| $crate::records::visitor(&R(r))).collect()
                }
            }
        };
    };
}
