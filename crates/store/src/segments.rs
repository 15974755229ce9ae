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

/// How a condition reads rules: probed per visitor row (a list walks visitors in its own order
/// and stops at its limit), or as sets read once from their indexes (a count reads every
/// visitor anyway, and probing each one costs more than building the set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    PerRow,
    Sets,
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

    /// The rule on a `visitors` row named `v`, probed on the table's primary key.
    fn probe(&self) -> String {
        format!(
            "{}EXISTS (SELECT 1 FROM {} WHERE {} = v.id AND {})",
            if self.wanted { "" } else { "NOT " },
            self.from,
            self.visitor,
            self.cond
        )
    }
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
/// `args`).
pub fn condition(
    filter: &SegmentFilter,
    dialect: Dialect,
    now: Timestamp,
    reading: Reading,
    args: &mut Vec<Arg>,
) -> String {
    let parts: Vec<String> = filter
        .rules
        .iter()
        .map(|r| match (reading, r) {
            // The visitor's own column, read on his row.
            (Reading::PerRow, SegmentRule::LastSeen { op, days }) => {
                let cut = arg(args, Arg::Int(cutoff(now, *days).0));
                match op {
                    SeenOp::WithinDays => format!("COALESCE(v.last_seen_at >= {cut}, FALSE)"),
                    SeenOp::OlderThanDays => format!("(v.last_seen_at IS NULL OR v.last_seen_at < {cut})"),
                }
            }
            (Reading::PerRow, _) => set_of(r, dialect, now, args).probe(),
            (Reading::Sets, _) => {
                let set = set_of(r, dialect, now, args);
                format!("v.id {}IN ({})", if set.wanted { "" } else { "NOT " }, set.query())
            }
        })
        .collect();
    let glue = match filter.match_ {
        Match::All => " AND ",
        Match::Any => " OR ",
    };
    format!("({})", parts.join(glue))
}

/// A filter as set operations over its rules' sets: the sets the rules want (`wanted`) and the
/// sets whose visitors they exclude (`unwanted`).
struct Compiled {
    wanted: Vec<String>,
    unwanted: Vec<String>,
}

fn compile(filter: &SegmentFilter, dialect: Dialect, now: Timestamp, args: &mut Vec<Arg>) -> Compiled {
    let mut c = Compiled { wanted: Vec::new(), unwanted: Vec::new() };
    for r in &filter.rules {
        let set = set_of(r, dialect, now, args);
        if set.wanted { c.wanted.push(set.query()) } else { c.unwanted.push(set.query()) }
    }
    c
}

impl Compiled {
    /// The segment's visitors as one compound query, when some wanted set bounds it: all of
    /// the wanted less the unwanted, or any of the wanted when nothing is unwanted. `None` when
    /// the segment is "everyone but…", which a count reads as the workspace's visitors less a
    /// set (see `count_sql`).
    fn members(&self, m: Match) -> Option<String> {
        match m {
            // Equal precedence on both backends for these chains: INTERSECTs bind first on
            // PostgreSQL and come first here.
            Match::All if !self.wanted.is_empty() => {
                let mut q = self.wanted.join(" INTERSECT ");
                for u in &self.unwanted {
                    q.push_str(" EXCEPT ");
                    q.push_str(u);
                }
                Some(q)
            }
            Match::Any if self.unwanted.is_empty() => Some(self.wanted.join(" UNION ")),
            _ => None,
        }
    }

    /// The visitors outside the segment when it is "everyone but…": any unwanted (all rules)
    /// or all unwanted less any wanted (any rule).
    fn outside(&self, m: Match) -> String {
        let mut q = self.unwanted.join(match m {
            Match::All => " UNION ",
            Match::Any => " INTERSECT ",
        });
        if m == Match::Any {
            for w in &self.wanted {
                q.push_str(" EXCEPT ");
                q.push_str(w);
            }
        }
        q
    }
}

/// The count of a workspace's visitors in a segment, as set operations on the indexes of its
/// rules; a segment of "everyone but…" is the workspace's visitors less the others (visitors are
/// never deleted, so every row of the rules' tables is one of the workspace's visitors).
pub fn count_sql(ws: WorkspaceId, filter: &SegmentFilter, dialect: Dialect, now: Timestamp) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Uuid(ws.0)];
    let c = compile(filter, dialect, now, &mut args);
    let sql = match c.members(filter.match_) {
        Some(q) => format!("SELECT COUNT(*) FROM ({q}) s"),
        None => format!(
            "SELECT (SELECT COUNT(*) FROM visitors WHERE workspace_id = $1) - (SELECT COUNT(*) FROM ({}) s)",
            c.outside(filter.match_)
        ),
    };
    (sql, args)
}

/// The newest visitors of a segment, at most `limit`. A segment bounded by a set takes the
/// highest ids of the set (ids are time-ordered: the newest visitors), whatever its size and
/// wherever its members are; "everyone but…" walks visitors from the newest, probing each, and
/// most of them are members.
pub fn visitors_sql(
    ws: WorkspaceId,
    filter: &SegmentFilter,
    dialect: Dialect,
    now: Timestamp,
    limit: u32,
) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Uuid(ws.0)];
    let cols = crate::sql::VISITOR_COLS.split(", ").map(|c| format!("v.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let c = compile(filter, dialect, now, &mut args);
    if let Some(q) = c.members(filter.match_) {
        let l = arg(&mut args, Arg::Int(i64::from(limit)));
        return (
            format!(
                "SELECT {cols} FROM visitors v WHERE v.workspace_id = $1 AND v.id IN \
                 (SELECT visitor_id FROM ({q}) s ORDER BY visitor_id DESC LIMIT {l}) ORDER BY v.id DESC"
            ),
            args,
        );
    }
    let mut args = vec![Arg::Uuid(ws.0)];
    let c = condition(filter, dialect, now, Reading::PerRow, &mut args);
    let l = arg(&mut args, Arg::Int(i64::from(limit)));
    (format!("SELECT {cols} FROM visitors v WHERE v.workspace_id = $1 AND {c} ORDER BY v.number DESC LIMIT {l}"), args)
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
                    let (sql, args) = sg::visitors_sql(ws, filter, Dialect::$dialect, now, limit);
                    let rows = bind_args(::sqlx::query(::sqlx::AssertSqlSafe(sql)), &args)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::visitor(&R(r))).collect()
                }
            }
        };
    };
}
