//! Custom fields (issue 16): their definitions, a dialog's values, and the list's filter on one.

use crate::StoreError;
use crate::records::StoreRow;
use crate::segments::Dialect;
use crate::sql::Arg;
use frontline_domain::fields::{FieldDef, FieldFormat, FieldKind, FieldTarget, Required};
use frontline_domain::leads::Value;
use frontline_domain::{Timestamp, WorkspaceId};
use uuid::Uuid;

/// A field as kept.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredField {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub def: FieldDef,
    /// Its place among its target's fields.
    pub position: i64,
    pub created_at: Timestamp,
    /// Archived fields take no new values and are offered nowhere; their values stay.
    pub archived_at: Option<Timestamp>,
}

pub const FIELD_COLS: &str =
    "id, workspace_id, key, label, target, kind, options, format, pattern, required, position, created_at, archived_at";

fn corrupt(what: &str) -> StoreError {
    StoreError::Internal(format!("stored custom field: {what}"))
}

pub fn kind_str(k: FieldKind) -> &'static str {
    match k {
        FieldKind::Text => "text",
        FieldKind::Number => "number",
        FieldKind::Choice => "choice",
        FieldKind::Date => "date",
    }
}

fn kind_of(s: &str) -> Option<FieldKind> {
    [FieldKind::Text, FieldKind::Number, FieldKind::Choice, FieldKind::Date].into_iter().find(|k| kind_str(*k) == s)
}

pub fn format_str(f: FieldFormat) -> &'static str {
    match f {
        FieldFormat::None => "none",
        FieldFormat::Upper => "upper",
    }
}

pub fn field(r: &impl StoreRow) -> Result<StoredField, StoreError> {
    let def = FieldDef {
        key: r.text("key")?,
        label: r.text("label")?,
        target: FieldTarget::parse(&r.text("target")?).ok_or_else(|| corrupt("target"))?,
        kind: kind_of(&r.text("kind")?).ok_or_else(|| corrupt("kind"))?,
        options: serde_json::from_str(&r.text("options")?).map_err(|_| corrupt("options"))?,
        format: if r.text("format")? == "upper" { FieldFormat::Upper } else { FieldFormat::None },
        pattern: r.opt_text("pattern")?,
        required: serde_json::from_str::<Required>(&r.text("required")?).map_err(|_| corrupt("required"))?,
    };
    Ok(StoredField {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        def,
        position: r.int("position")?,
        created_at: Timestamp(r.int("created_at")?),
        archived_at: r.opt_int("archived_at")?.map(Timestamp),
    })
}

/// A value as a JSON column keeps it.
pub fn json_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn arg(args: &mut Vec<Arg>, a: Arg) -> String {
    args.push(a);
    format!("${}", args.len())
}

/// The condition "the dialog's field `key` holds `value`" on `dialogs` rows.
pub fn dialog_field_is(key: &str, value: &Value, dialect: Dialect, args: &mut Vec<Arg>) -> String {
    match dialect {
        Dialect::Sqlite => {
            // Keys are a-z, 0-9 and _: the path needs no quoting beyond this.
            let p = arg(args, Arg::String(format!("$.\"{key}\"")));
            match value {
                Value::Text(s) => {
                    let v = arg(args, Arg::String(s.clone()));
                    format!("(json_type(fields, {p}) = 'text' AND json_extract(fields, {p}) = {v})")
                }
                Value::Number(n) => {
                    let v = arg(args, Arg::Float(*n));
                    format!("(json_type(fields, {p}) IN ('integer', 'real') AND json_extract(fields, {p}) = {v})")
                }
                Value::Bool(b) => format!("json_type(fields, {p}) = '{b}'"),
            }
        }
        Dialect::Postgres => {
            let k = arg(args, Arg::String(key.to_owned()));
            let j = format!("(fields::jsonb -> {k})");
            match value {
                Value::Text(s) => {
                    let v = arg(args, Arg::String(s.clone()));
                    format!("(jsonb_typeof({j}) = 'string' AND (fields::jsonb ->> {k}) = {v})")
                }
                Value::Number(n) => {
                    let v = arg(args, Arg::Float(*n));
                    format!("(CASE WHEN jsonb_typeof({j}) = 'number' THEN (fields::jsonb ->> {k})::float8 END = {v})")
                }
                Value::Bool(b) => format!("({j} = '{b}'::jsonb)"),
            }
        }
    }
}

/// The custom fields' store methods in shared SQL: `sql_field_impls!(Store, row = crate::row)`.
#[macro_export]
macro_rules! sql_field_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{Actor, ChannelId, Dialog, DialogId, Timestamp, WorkspaceId};
            use $crate::fields::{self as fd, StoredField, json_of as json};
            use $crate::{FieldStore, StoreResult};

            #[$crate::async_trait]
            impl FieldStore for $store {
                async fn custom_fields(&self, ws: WorkspaceId) -> StoreResult<Vec<StoredField>> {
                    let sql = format!(
                        "SELECT {} FROM custom_fields WHERE workspace_id = $1 ORDER BY target, position, created_at",
                        fd::FIELD_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| fd::field(&R(r))).collect()
                }

                async fn create_custom_field(&self, f: &StoredField) -> StoreResult<()> {
                    let sql = format!(
                        "INSERT INTO custom_fields ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                        fd::FIELD_COLS
                    );
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(f.id)
                        .bind(f.workspace_id.0)
                        .bind(&f.def.key)
                        .bind(&f.def.label)
                        .bind(f.def.target.as_str())
                        .bind(fd::kind_str(f.def.kind))
                        .bind(json(&f.def.options))
                        .bind(fd::format_str(f.def.format))
                        .bind(f.def.pattern.as_deref())
                        .bind(json(&f.def.required))
                        .bind(f.position)
                        .bind(f.created_at.0)
                        .bind(f.archived_at.map(|t| t.0))
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn update_custom_field(&self, f: &StoredField) -> StoreResult<()> {
                    let done = ::sqlx::query(
                        "UPDATE custom_fields SET label = $3, options = $4, format = $5, pattern = $6, required = $7, \
                         position = $8, archived_at = $9 WHERE workspace_id = $1 AND id = $2",
                    )
                    .bind(f.workspace_id.0)
                    .bind(f.id)
                    .bind(&f.def.label)
                    .bind(json(&f.def.options))
                    .bind(fd::format_str(f.def.format))
                    .bind(f.def.pattern.as_deref())
                    .bind(json(&f.def.required))
                    .bind(f.position)
                    .bind(f.archived_at.map(|t| t.0))
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    if done.rows_affected() == 0 { Err($crate::StoreError::NotFound) } else { Ok(()) }
                }

                async fn dialogs_created(
                    &self,
                    ws: WorkspaceId,
                    from: Timestamp,
                    to: Timestamp,
                    channel: Option<ChannelId>,
                    limit: u32,
                ) -> StoreResult<Vec<Dialog>> {
                    let sql = format!(
                        "SELECT {} FROM dialogs WHERE workspace_id = $1 AND created_at >= $2 AND created_at < $3 \
                         AND ($4 IS NULL OR channel_id = $4) ORDER BY created_at, id LIMIT $5",
                        $crate::sql::DIALOG_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(from.0)
                        .bind(to.0)
                        .bind(channel.map(|c| c.0))
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| $crate::records::dialog(&R(r))).collect()
                }

                async fn set_dialog_fields(
                    &self,
                    ws: WorkspaceId,
                    dialog: DialogId,
                    fields: &str,
                    now: Timestamp,
                    actor: Actor,
                ) -> StoreResult<Dialog> {
                    let sql = format!(
                        "UPDATE dialogs SET fields = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2 RETURNING {}",
                        $crate::sql::DIALOG_COLS
                    );
                    let q = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(ws.0).bind(dialog.0).bind(fields).bind(now.0);
                    $crate::dialog_change!(self, q, |d: &Dialog| vec![$crate::events::drafts::labels(d, actor, now)])?
                        .ok_or($crate::StoreError::NotFound)
                }
            }
        };
    };
}
