//! Segments (issue 16): saved filters over visitors, and their compilation to SQL for counting
//! and listing. The rules mean what `frontline_domain::segments` says; the contract tests
//! compare this SQL with the domain's reading of the same visitors on both backends.
//!
//! Every rule compiles to a condition that is true or false, never NULL, so `NOT` and `OR`
//! mean what they say. Events and tags are probed per visitor on their primary keys, attributes
//! are read from the visitor's JSON; a count of tags and events alone is counted on their
//! indexes without reading visitors.

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

/// How a condition reads tags and events: probed per visitor row (a list walks visitors in its
/// own order and stops at its limit), or as sets read once from their indexes (a count reads
/// every visitor anyway, and probing each one costs more than building the set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    PerRow,
    Sets,
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
        .map(|r| match reading {
            Reading::Sets => match set_of(r, now, "$1", args) {
                Some((set, true)) => format!("v.id IN ({set})"),
                Some((set, false)) => format!("v.id NOT IN ({set})"),
                None => rule(r, dialect, now, args),
            },
            Reading::PerRow => rule(r, dialect, now, args),
        })
        .collect();
    let glue = match filter.match_ {
        Match::All => " AND ",
        Match::Any => " OR ",
    };
    format!("({})", parts.join(glue))
}

fn rule(r: &SegmentRule, dialect: Dialect, now: Timestamp, args: &mut Vec<Arg>) -> String {
    match r {
        SegmentRule::Attribute { name, op, value } => attribute(name, *op, value.as_ref(), dialect, now, args),
        // Probed per visitor row on the tables' primary keys (visitor, name or tag): a list
        // walks visitors in its own order and stops at its limit; a count of tags and events
        // alone does not come here (`count_sql`).
        SegmentRule::Event { name, did, at_least, within_days } => {
            let n = arg(args, Arg::String(name.clone()));
            let c = arg(args, Arg::Int(at_least.unwrap_or(1)));
            let mut probe = format!(
                "SELECT 1 FROM visitor_event_counts c WHERE c.visitor_id = v.id AND c.name = {n} AND c.count >= {c}"
            );
            if let Some(d) = within_days {
                let cut = arg(args, Arg::Int(cutoff(now, *d).0));
                probe.push_str(&format!(" AND c.last_at >= {cut}"));
            }
            format!("{}EXISTS ({probe})", if *did { "" } else { "NOT " })
        }
        SegmentRule::Tag { tag, has } => {
            let t = arg(args, Arg::String(tag.clone()));
            format!(
                "{}EXISTS (SELECT 1 FROM visitor_tags t WHERE t.visitor_id = v.id AND t.tag = {t})",
                if *has { "" } else { "NOT " }
            )
        }
        SegmentRule::LastSeen { op, days } => {
            let cut = arg(args, Arg::Int(cutoff(now, *days).0));
            match op {
                SeenOp::WithinDays => format!("COALESCE(v.last_seen_at >= {cut}, FALSE)"),
                SeenOp::OlderThanDays => format!("(v.last_seen_at IS NULL OR v.last_seen_at < {cut})"),
            }
        }
    }
}

fn attribute(
    name: &str,
    op: AttributeOp,
    value: Option<&Value>,
    dialect: Dialect,
    now: Timestamp,
    args: &mut Vec<Arg>,
) -> String {
    // The attribute's JSON type ('text', 'number', 'true', 'false' or NULL when missing), its
    // text and its number, as each backend reads them.
    let (typ, text, number, millis) = match dialect {
        Dialect::Sqlite => {
            // Names with a double quote are refused by the domain, so this path is exact.
            let p = arg(args, Arg::String(format!("$.\"{name}\"")));
            (
                format!(
                    "(CASE json_type(v.attributes, {p}) WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number' ELSE json_type(v.attributes, {p}) END)"
                ),
                format!("json_extract(v.attributes, {p})"),
                format!("json_extract(v.attributes, {p})"),
                format!("CAST(round(unixepoch(json_extract(v.attributes, {p}), 'subsec') * 1000) AS INTEGER)"),
            )
        }
        Dialect::Postgres => {
            let k = arg(args, Arg::String(name.to_owned()));
            let j = format!("(v.attributes::jsonb -> {k})");
            (
                format!(
                    "(CASE jsonb_typeof({j}) WHEN 'string' THEN 'text' WHEN 'boolean' THEN {j}::text ELSE jsonb_typeof({j}) END)"
                ),
                format!("(v.attributes::jsonb ->> {k})"),
                format!("(CASE WHEN jsonb_typeof({j}) = 'number' THEN (v.attributes::jsonb ->> {k})::float8 END)"),
                format!(
                    "(CASE WHEN jsonb_typeof({j}) = 'string' THEN round(extract(epoch from (v.attributes::jsonb ->> {k})::timestamptz) * 1000)::bigint END)"
                ),
            )
        }
    };
    let is = |value: Option<&Value>, args: &mut Vec<Arg>| match value {
        Some(Value::Text(s)) => {
            let s = arg(args, Arg::String(s.clone()));
            format!("({typ} = 'text' AND {text} = {s})")
        }
        Some(Value::Number(n)) => {
            let n = arg(args, Arg::Float(*n));
            format!("({typ} = 'number' AND {number} = {n})")
        }
        Some(Value::Bool(b)) => format!("({typ} = '{b}')"),
        None => "FALSE".to_owned(),
    };
    let positive = match op {
        AttributeOp::Exists => format!("{typ} IS NOT NULL"),
        AttributeOp::Missing => format!("{typ} IS NULL"),
        AttributeOp::Is => is(value, args),
        AttributeOp::IsNot => return format!("NOT COALESCE({}, FALSE)", is(value, args)),
        AttributeOp::Contains => match value {
            Some(Value::Text(s)) => {
                let s = arg(args, Arg::String(s.clone()));
                let found = match dialect {
                    Dialect::Sqlite => format!("instr({text}, {s}) > 0"),
                    Dialect::Postgres => format!("strpos({text}, {s}) > 0"),
                };
                format!("({typ} = 'text' AND {found})")
            }
            _ => "FALSE".to_owned(),
        },
        AttributeOp::Gt | AttributeOp::Lt => match value {
            Some(Value::Number(n)) => {
                let n = arg(args, Arg::Float(*n));
                let cmp = if op == AttributeOp::Gt { ">" } else { "<" };
                format!("({typ} = 'number' AND {number} {cmp} {n})")
            }
            _ => "FALSE".to_owned(),
        },
        AttributeOp::WithinDays | AttributeOp::OlderThanDays => match value {
            Some(Value::Number(days)) => {
                let cut = arg(args, Arg::Int(cutoff(now, *days as i64).0));
                let cmp = if op == AttributeOp::WithinDays { ">=" } else { "<" };
                format!("({typ} = 'text' AND {millis} {cmp} {cut})")
            }
            _ => "FALSE".to_owned(),
        },
    };
    format!("COALESCE({positive}, FALSE)")
}

/// The visitors a tag or event rule names as a query of `visitor_id`s, and whether the rule
/// wants them (has, did) or not; `None` for any other rule.
fn set_of(r: &SegmentRule, now: Timestamp, ws: &str, args: &mut Vec<Arg>) -> Option<(String, bool)> {
    match r {
        SegmentRule::Tag { tag, has } => {
            let t = arg(args, Arg::String(tag.clone()));
            Some((format!("SELECT t.visitor_id FROM visitor_tags t WHERE t.workspace_id = {ws} AND t.tag = {t}"), *has))
        }
        SegmentRule::Event { name, did, at_least, within_days } => {
            let n = arg(args, Arg::String(name.clone()));
            let c = arg(args, Arg::Int(at_least.unwrap_or(1)));
            let mut q = format!(
                "SELECT c.visitor_id FROM visitor_event_counts c WHERE c.workspace_id = {ws} AND c.name = {n} AND c.count >= {c}"
            );
            if let Some(d) = within_days {
                let cut = arg(args, Arg::Int(cutoff(now, *d).0));
                q.push_str(&format!(" AND c.last_at >= {cut}"));
            }
            Some((q, *did))
        }
        _ => None,
    }
}

/// The count of a workspace's visitors in a segment. A filter of tags and events alone (each
/// "has" or "did") is counted on their indexes without reading a visitor (visitors are never
/// deleted, so every row there is one of the workspace's); any other reads the visitors.
pub fn count_sql(ws: WorkspaceId, filter: &SegmentFilter, dialect: Dialect, now: Timestamp) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Uuid(ws.0)];
    let sets: Option<Vec<String>> = filter
        .rules
        .iter()
        .map(|r| set_of(r, now, "$1", &mut args).filter(|(_, has)| *has).map(|(set, _)| set))
        .collect();
    if let Some(sets) = sets {
        let glue = match filter.match_ {
            Match::All => " INTERSECT ",
            Match::Any => " UNION ",
        };
        return (format!("SELECT COUNT(*) FROM ({}) s", sets.join(glue)), args);
    }
    let mut args = vec![Arg::Uuid(ws.0)];
    let c = condition(filter, dialect, now, Reading::Sets, &mut args);
    (format!("SELECT COUNT(*) FROM visitors v WHERE v.workspace_id = $1 AND {c}"), args)
}

/// The newest visitors of a segment (by number), at most `limit`.
pub fn visitors_sql(
    ws: WorkspaceId,
    filter: &SegmentFilter,
    dialect: Dialect,
    now: Timestamp,
    limit: u32,
) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Uuid(ws.0)];
    let c = condition(filter, dialect, now, Reading::PerRow, &mut args);
    let l = arg(&mut args, Arg::Int(i64::from(limit)));
    let cols = crate::sql::VISITOR_COLS.split(", ").map(|c| format!("v.{}", c.trim())).collect::<Vec<_>>().join(", ");
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
