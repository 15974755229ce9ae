//! Labels: the tags and categories of the dictionary, and a dialog's tags and category.

use crate::App;
use crate::actor::Manager;
use crate::actor::OperatorActor;
use crate::error::{CoreError, dialog_not_found};
use crate::reads::{views, visible_dialog};
use crate::views::{DialogView, Event};
use frontline_domain::{CategoryId, Dialog, DialogId, DomainError, Label, TagId};
use frontline_store::{Dictionary, Entry, StoreError};

/// A tag or category of the dictionary.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct EntryView {
    pub id: uuid::Uuid,
    pub name: String,
    pub archived: bool,
}

impl From<Entry> for EntryView {
    fn from(e: Entry) -> Self {
        Self { id: e.id, name: e.name, archived: e.archived }
    }
}

/// Most tags on one dialog.
pub const MAX_TAGS: usize = 20;

pub async fn dictionary(
    app: &App,
    actor: &OperatorActor,
    d: Dictionary,
    archived: bool,
) -> Result<Vec<EntryView>, CoreError> {
    Ok(app.store.dictionary(actor.workspace(), d, archived).await?.into_iter().map(EntryView::from).collect())
}

fn taken(e: StoreError) -> CoreError {
    match e {
        StoreError::Conflict(_) => CoreError::NameTaken,
        StoreError::NotFound => CoreError::NotFound("entry"),
        other => other.into(),
    }
}

pub async fn create_entry(app: &App, actor: &Manager<'_>, d: Dictionary, name: &str) -> Result<EntryView, CoreError> {
    let name = Label::parse(name, "name")?;
    let entry =
        app.store.create_entry(actor.workspace(), d, uuid::Uuid::now_v7(), name.as_str(), app.clock.now()).await;
    Ok(entry.map_err(taken)?.into())
}

/// Renames, archives or restores; entries are never deleted.
pub async fn update_entry(
    app: &App,
    actor: &Manager<'_>,
    d: Dictionary,
    id: uuid::Uuid,
    name: Option<&str>,
    archived: Option<bool>,
) -> Result<EntryView, CoreError> {
    let name = name.map(|n| Label::parse(n, "name")).transpose()?;
    let entry = app.store.update_entry(actor.workspace(), d, id, name.as_ref().map(Label::as_str), archived).await;
    let entry = entry.map_err(taken)?;
    if let Ok(mut cache) = app.labels.lock() {
        cache.insert(entry.id, entry.name.clone());
    }
    Ok(entry.into())
}

/// Publishes the operators' new view of a dialog and returns it.
pub(crate) async fn updated(app: &App, d: &Dialog) -> Result<DialogView, CoreError> {
    let view = views(app, std::slice::from_ref(d)).await?.remove(0);
    let event = Event::DialogUpdated { dialog: view.clone() };
    crate::publisher::publish(app, event, d.workspace_id, d.channel_id, d.visitor_id);
    Ok(view)
}

/// Replaces a dialog's tags. A tag must be in the dictionary and not archived, unless the
/// dialog has it already (keeping an archived tag is allowed, adding one is not).
pub async fn set_tags(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    ids: &[uuid::Uuid],
) -> Result<DialogView, CoreError> {
    let dialog = visible_dialog(app, actor, id).await?;
    let mut tags: Vec<TagId> = Vec::new();
    for raw in ids {
        let tag = TagId(*raw);
        if tags.contains(&tag) {
            continue;
        }
        if !dialog.tags.contains(&tag) {
            let bad = |reason: &str| CoreError::Invalid { field: "tag_ids".into(), reason: format!("{raw}: {reason}") };
            match app.store.dictionary_entry(actor.workspace(), Dictionary::Tags, *raw).await {
                Ok(e) if e.archived => return Err(bad("the tag is archived")),
                Ok(_) => {}
                Err(StoreError::NotFound) => {
                    return Err(CoreError::UnknownReference { field: "tag_ids".into(), what: "tag" });
                }
                Err(e) => return Err(e.into()),
            }
        }
        tags.push(tag);
    }
    if tags.len() > MAX_TAGS {
        return Err(DomainError::invalid("tag_ids", "at most 20 tags").into());
    }
    let after = app
        .store
        .set_dialog_tags(actor.workspace(), id, &tags, app.clock.now(), actor.event_actor())
        .await
        .map_err(dialog_not_found)?;
    updated(app, &after).await
}

/// Sets or clears a dialog's category (an archived one only if it has it already).
pub async fn set_category(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    category: Option<uuid::Uuid>,
) -> Result<DialogView, CoreError> {
    let dialog = visible_dialog(app, actor, id).await?;
    let category = category.map(CategoryId);
    if let Some(c) = category.filter(|c| dialog.category != Some(*c)) {
        let bad = |reason: &str| CoreError::Invalid { field: "category_id".into(), reason: reason.into() };
        match app.store.dictionary_entry(actor.workspace(), Dictionary::Categories, c.0).await {
            Ok(e) if e.archived => return Err(bad("the category is archived")),
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                return Err(CoreError::UnknownReference { field: "category_id".into(), what: "category" });
            }
            Err(e) => return Err(e.into()),
        }
    }
    let after = app
        .store
        .set_dialog_category(actor.workspace(), id, category, app.clock.now(), actor.event_actor())
        .await
        .map_err(dialog_not_found)?;
    updated(app, &after).await
}
