//! A workspace's sites as the installation page shows them: the widget's key, the origins it
//! may run on (admins edit them), and when the widget last opened a session ("check
//! installation").
//!
//! What stays true: a bad origin is refused by its place in the list and nothing changes; the
//! "seen" mark costs the widget's session at most one write per site every few minutes per node.

use crate::App;
use crate::actor::Admin;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use crate::views::{SiteView, rfc3339};
use frontline_domain::{Origin, Site, SiteId, Timestamp};
use frontline_store::StoreError;
use std::collections::HashMap;

/// How often one node writes a site's "seen" mark.
const SEEN_EVERY_MS: i64 = 5 * 60_000;
/// Most origins a site may list.
pub const MAX_ORIGINS: usize = 50;

/// The last "seen" write per site on this node.
pub type SeenMarks = std::sync::Mutex<HashMap<SiteId, i64>>;

/// The workspace's sites, with when their widget was last seen.
pub async fn list(app: &App, actor: &OperatorActor) -> Result<Vec<SiteView>, CoreError> {
    let ws = actor.workspace();
    let sites = app.store.list_sites(ws).await?;
    let seen: HashMap<SiteId, (Timestamp, String)> =
        app.store.sites_seen(ws).await?.into_iter().map(|(id, at, origin)| (id, (at, origin))).collect();
    Ok(sites.iter().map(|s| view(s, seen.get(&s.id))).collect())
}

fn view(site: &Site, seen: Option<&(Timestamp, String)>) -> SiteView {
    let mut v = SiteView::from(site);
    if let Some((at, origin)) = seen {
        v.widget_seen_at = Some(rfc3339(*at));
        v.widget_seen_origin = Some(origin.clone()).filter(|o| !o.is_empty());
    }
    v
}

/// Replaces the origins a site's widget may run on (admins): 1–50 of them, each like
/// `https://shop.example.com`; duplicates are kept once.
pub async fn set_origins(
    app: &App,
    admin: &Admin<'_>,
    id: SiteId,
    origins: &[String],
    ip: Option<&str>,
) -> Result<SiteView, CoreError> {
    if origins.is_empty() || origins.len() > MAX_ORIGINS {
        return Err(CoreError::Invalid {
            field: "allowed_origins".into(), reason: format!("1–{MAX_ORIGINS} origins")
        });
    }
    let mut parsed: Vec<Origin> = Vec::with_capacity(origins.len());
    for (i, o) in origins.iter().enumerate() {
        let origin = Origin::parse(o).map_err(|_| CoreError::Invalid {
            field: format!("allowed_origins[{i}]"),
            reason: "must look like https://shop.example.com".into(),
        })?;
        if !parsed.contains(&origin) {
            parsed.push(origin);
        }
    }
    let ws = admin.workspace();
    let site = app.store.set_site_origins(ws, id, &parsed).await.map_err(|e| match e {
        StoreError::NotFound => CoreError::NotFound("site"),
        other => other.into(),
    })?;
    let details = serde_json::json!({ "allowed_origins": parsed.iter().map(Origin::as_str).collect::<Vec<_>>() });
    let entry = crate::operators::audit_entry(
        app,
        Some(ws),
        Some(&admin.operator),
        "site.origins_changed",
        Some((site.id.0, site.name.as_str())),
        ip,
        details,
    );
    crate::operators::record(app, vec![entry]).await;
    // A widget already open on a removed origin keeps its socket; its next session is refused.
    let seen = app.store.sites_seen(ws).await?.into_iter().find(|(s, _, _)| *s == site.id).map(|(_, at, o)| (at, o));
    Ok(view(&site, seen.as_ref()))
}

/// Notes that the site's widget opened a session on a page of `origin` (at most every few
/// minutes per site on this node; a failed write is only logged).
pub async fn mark_seen(app: &App, site: SiteId, origin: Option<&str>) {
    let now = app.clock.now();
    let due = match app.seen_marks.lock() {
        Ok(mut marks) => {
            let last = marks.get(&site).copied();
            if last.is_some_and(|at| now.0 - at < SEEN_EVERY_MS) {
                false
            } else {
                marks.insert(site, now.0);
                true
            }
        }
        Err(_) => false,
    };
    if !due {
        return;
    }
    let origin: String = origin.unwrap_or("").chars().take(300).collect();
    if let Err(e) = app.store.mark_site_seen(site, now, &origin).await {
        tracing::warn!(error = %e, site.id = %site, "could not note the widget as seen");
    }
}
