//! Custom fields (issue 16, part 7): admins define fields on dialogs or visitors; operators fill
//! them in the dialog's header or the visitor card; a dialog of the channels or categories a
//! field names cannot close without it (`409 fields_required`); the list filters by a dialog's
//! field; the values travel in the dialog's view (and so in webhooks) and, for a visitor, as his
//! attributes (segments, the Web API).

use crate::App;
use crate::actor::{Admin, OperatorActor};
use crate::error::{CoreError, dialog_not_found};
use crate::reads::visible_dialog;
use crate::views::{DialogView, rfc3339};
use frontline_domain::fields::{FieldDef, FieldFormat, FieldKind, FieldTarget, MAX_FIELDS, Required};
use frontline_domain::leads::Value;
use frontline_domain::{Dialog, DialogId, SettingsError, WorkspaceId};
use frontline_store::events::Stamp;
use frontline_store::fields::StoredField;
use frontline_store::{Dictionary, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A field as the console shows it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldView {
    pub id: Uuid,
    /// Its name in values, filters and webhooks (`model`); a visitor field's is his attribute's.
    pub key: String,
    /// What operators read («Модель»).
    pub label: String,
    pub target: FieldTarget,
    pub kind: FieldKind,
    /// A choice's options, in order.
    pub options: Vec<String>,
    pub format: FieldFormat,
    pub pattern: Option<String>,
    pub required: Required,
    pub position: i64,
    pub archived: bool,
    pub created_at: String,
}

/// A field to define, or what to change of one (`key`, `target` and `kind` are fixed once made).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct FieldInput {
    /// 1–40 of a-z, 0-9 and _, starting with a letter; a date's ends in `_at`, no other's does.
    #[schema(pattern = "^[a-z][a-z0-9_]{0,39}$")]
    pub key: Option<String>,
    /// 1–100 characters once trimmed.
    #[schema(value_type = Option<frontline_domain::patterns::schema::RuleName>)]
    pub label: Option<String>,
    pub target: Option<FieldTarget>,
    pub kind: Option<FieldKind>,
    /// A choice's options: 1–50, each 1–100 characters, each once.
    #[schema(max_items = 50)]
    pub options: Option<Vec<String>>,
    /// A text's: `upper` keeps values in capitals.
    pub format: Option<FieldFormat>,
    /// A text's: a regular expression the whole value must match; empty clears it.
    #[schema(max_length = 200)]
    pub pattern: Option<String>,
    /// A dialog field's: before which dialogs close it must be filled.
    pub required: Option<Required>,
    #[schema(minimum = 0, maximum = 1000)]
    pub position: Option<i64>,
    /// Archived fields are offered nowhere and take no values; their values stay.
    pub archived: Option<bool>,
}

fn view(f: &StoredField) -> FieldView {
    FieldView {
        id: f.id,
        key: f.def.key.clone(),
        label: f.def.label.clone(),
        target: f.def.target,
        kind: f.def.kind,
        options: f.def.options.clone(),
        format: f.def.format,
        pattern: f.def.pattern.clone(),
        required: f.def.required.clone(),
        position: f.position,
        archived: f.archived_at.is_some(),
        created_at: rfc3339(f.created_at),
    }
}

fn invalid(e: SettingsError) -> CoreError {
    CoreError::Invalid { field: e.field, reason: e.reason }
}

fn field_required(name: &str) -> CoreError {
    CoreError::Invalid { field: name.into(), reason: "required".into() }
}

/// The workspace's fields, archived ones too (any operator: he fills them in).
pub async fn list(app: &App, actor: &OperatorActor) -> Result<Vec<FieldView>, CoreError> {
    Ok(app.store.custom_fields(actor.workspace()).await?.iter().map(view).collect())
}

/// The live fields of a target.
async fn live(app: &App, ws: WorkspaceId, target: FieldTarget) -> Result<Vec<FieldDef>, CoreError> {
    Ok(app
        .store
        .custom_fields(ws)
        .await?
        .into_iter()
        .filter(|f| f.archived_at.is_none() && f.def.target == target)
        .map(|f| f.def)
        .collect())
}

/// Checks that the channels and categories a requirement names are the workspace's.
async fn check_required(app: &App, ws: WorkspaceId, r: &Required) -> Result<(), CoreError> {
    if !r.channels.is_empty() {
        let channels = app.store.list_channels(ws).await?;
        if let Some(i) = r.channels.iter().position(|c| !channels.iter().any(|ch| ch.id.0 == *c)) {
            return Err(CoreError::UnknownReference { field: format!("required.channels[{i}]"), what: "channel" });
        }
    }
    for (i, c) in r.categories.iter().enumerate() {
        match app.store.dictionary_entry(ws, Dictionary::Categories, *c).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                return Err(CoreError::UnknownReference {
                    field: format!("required.categories[{i}]"),
                    what: "category",
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

pub async fn create(app: &App, admin: &Admin<'_>, input: FieldInput) -> Result<FieldView, CoreError> {
    let ws = admin.workspace();
    let kind = input.kind.ok_or_else(|| field_required("kind"))?;
    let target = input.target.ok_or_else(|| field_required("target"))?;
    let def = FieldDef::parse(
        input.key.as_deref().ok_or_else(|| field_required("key"))?,
        input.label.as_deref().ok_or_else(|| field_required("label"))?,
        target,
        kind,
        input.options.unwrap_or_default(),
        input.format.unwrap_or_default(),
        input.pattern,
        input.required.unwrap_or_default(),
    )
    .map_err(invalid)?;
    check_required(app, ws, &def.required).await?;
    let all = app.store.custom_fields(ws).await?;
    if all.iter().filter(|f| f.archived_at.is_none()).count() >= MAX_FIELDS {
        return Err(CoreError::Invalid {
            field: "key".into(),
            reason: format!("a workspace has at most {MAX_FIELDS} live fields; archive one first"),
        });
    }
    if all.iter().any(|f| f.def.target == target && f.def.key == def.key) {
        return Err(CoreError::Invalid { field: "key".into(), reason: "taken by another field".into() });
    }
    let position = match input.position {
        Some(p) if !(0..=1000).contains(&p) => {
            return Err(CoreError::Invalid { field: "position".into(), reason: "0–1000".into() });
        }
        Some(p) => p,
        None => all.iter().filter(|f| f.def.target == target).map(|f| f.position + 1).max().unwrap_or(0),
    };
    let f = StoredField {
        id: Uuid::now_v7(),
        workspace_id: ws,
        def,
        position,
        created_at: app.clock.now(),
        archived_at: None,
    };
    match app.store.create_custom_field(&f).await {
        Ok(()) => Ok(view(&f)),
        Err(StoreError::Conflict(_)) => {
            Err(CoreError::Invalid { field: "key".into(), reason: "taken by another field".into() })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update(app: &App, admin: &Admin<'_>, id: Uuid, input: FieldInput) -> Result<FieldView, CoreError> {
    let ws = admin.workspace();
    let mut f =
        app.store.custom_fields(ws).await?.into_iter().find(|f| f.id == id).ok_or(CoreError::NotFound("field"))?;
    let fixed = |name: &str| CoreError::Invalid { field: name.into(), reason: "fixed once the field is made".into() };
    if input.key.as_deref().is_some_and(|k| k.trim() != f.def.key) {
        return Err(fixed("key"));
    }
    if input.target.is_some_and(|t| t != f.def.target) {
        return Err(fixed("target"));
    }
    if input.kind.is_some_and(|k| k != f.def.kind) {
        return Err(fixed("kind"));
    }
    let d = &f.def;
    let def = FieldDef::parse(
        &d.key,
        input.label.as_deref().unwrap_or(&d.label),
        d.target,
        d.kind,
        input.options.unwrap_or_else(|| d.options.clone()),
        input.format.unwrap_or(d.format),
        match input.pattern {
            Some(p) => Some(p),
            None => d.pattern.clone(),
        },
        input.required.unwrap_or_else(|| d.required.clone()),
    )
    .map_err(invalid)?;
    check_required(app, ws, &def.required).await?;
    if let Some(p) = input.position {
        if !(0..=1000).contains(&p) {
            return Err(CoreError::Invalid { field: "position".into(), reason: "0–1000".into() });
        }
        f.position = p;
    }
    f.def = def;
    match input.archived {
        Some(true) if f.archived_at.is_none() => f.archived_at = Some(app.clock.now()),
        Some(false) => f.archived_at = None,
        _ => {}
    }
    app.store.update_custom_field(&f).await.map_err(|e| match e {
        StoreError::NotFound => CoreError::NotFound("field"),
        other => other.into(),
    })?;
    Ok(view(&f))
}

/// Sets or clears (`null`) a dialog's values; each names its place (`values.model`) when
/// refused, and nothing changes.
pub async fn set_dialog_values(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    change: &BTreeMap<String, Option<Value>>,
) -> Result<DialogView, CoreError> {
    let d = visible_dialog(app, actor, id).await?;
    let defs = live(app, actor.workspace(), FieldTarget::Dialog).await?;
    let values = frontline_domain::fields::apply(&defs, &d.fields, change, "values").map_err(invalid)?;
    if values == d.fields {
        return Ok(crate::reads::views(app, std::slice::from_ref(&d)).await?.remove(0));
    }
    let json = frontline_store::fields::json_of(&values);
    let after = app
        .store
        .set_dialog_fields(actor.workspace(), id, &json, app.clock.now(), actor.event_actor())
        .await
        .map_err(dialog_not_found)?;
    crate::labels::updated(app, &after).await
}

/// Sets or clears the visitor's values (his attributes under the fields' keys); answers his card.
pub async fn set_visitor_values(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    change: &BTreeMap<String, Option<Value>>,
) -> Result<crate::visitors::VisitorCardView, CoreError> {
    let d = visible_dialog(app, actor, id).await?;
    let v = app.store.visitor(d.workspace_id, d.visitor_id).await?;
    let defs = live(app, actor.workspace(), FieldTarget::Visitor).await?;
    let kept: BTreeMap<String, Value> =
        defs.iter().filter_map(|f| v.attributes.get(&f.key).map(|x| (f.key.clone(), x.clone()))).collect();
    let values = frontline_domain::fields::apply(&defs, &kept, change, "values").map_err(invalid)?;
    let patch: BTreeMap<String, Option<Value>> = change.keys().map(|k| (k.clone(), values.get(k).cloned())).collect();
    let stamp = Stamp { actor: actor.event_actor(), at: app.clock.now() };
    let after = crate::leads::set_attributes(app, &v, &patch, stamp).await?;
    crate::visitors::card_of(app, actor, &after, id).await
}

/// The fields a dialog must have before an operator closes it and has not: `409
/// fields_required` naming them.
pub async fn check_before_close(app: &App, d: &Dialog) -> Result<(), CoreError> {
    let defs = live(app, d.workspace_id, FieldTarget::Dialog).await?;
    if defs.iter().all(|f| f.required.is_empty()) {
        return Ok(());
    }
    let missing =
        frontline_domain::fields::missing_before_close(&defs, &d.fields, d.channel_id.0, d.category.map(|c| c.0));
    if missing.is_empty() { Ok(()) } else { Err(CoreError::FieldsRequired(missing)) }
}

/// The list's filter on a dialog field: `key:value`, the value read as the field's kind.
pub async fn list_filter(app: &App, ws: WorkspaceId, raw: &str) -> Result<(String, Value), CoreError> {
    let bad = |reason: &str| CoreError::Invalid { field: "field".into(), reason: reason.into() };
    let (key, value) = raw.split_once(':').ok_or_else(|| bad("key:value, e.g. model:IPHONE 15"))?;
    let defs = live(app, ws, FieldTarget::Dialog).await?;
    let def = defs.iter().find(|f| f.key == key).ok_or_else(|| bad("no dialog field has this key"))?;
    let value = match def.kind {
        FieldKind::Number => Value::Number(value.trim().parse::<f64>().map_err(|_| bad("a number for this field"))?),
        _ => def.value("field", &Value::Text(value.to_owned())).map_err(invalid)?,
    };
    Ok((key.to_owned(), value))
}
