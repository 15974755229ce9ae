//! The dialogs export (`/api/v1/reports/dialogs`): one CSV line per dialog begun in a period of
//! the reports' days, with who handled it, its labels, its rating and a column per dialog
//! custom field, for the spreadsheet a supervisor keeps beside the reports.

use crate::App;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use crate::views::csv_cell as cell;
use frontline_domain::fields::FieldTarget;
use frontline_domain::{ChannelId, Timestamp};
use jiff::tz::TimeZone;
use std::collections::HashMap;

/// The most dialogs one export holds (a longer period is refused, naming `to`).
pub const MAX_ROWS: u32 = 50_000;

fn day(field: &str, s: &str) -> Result<jiff::civil::Date, CoreError> {
    s.trim().parse().map_err(|_| CoreError::Invalid { field: field.into(), reason: "a date YYYY-MM-DD".into() })
}

fn start_of(d: jiff::civil::Date, tz: &TimeZone) -> Result<Timestamp, CoreError> {
    let z = d.to_zoned(tz.clone()).map_err(|e| CoreError::Internal(format!("day start: {e}")))?;
    Ok(Timestamp(z.timestamp().as_millisecond()))
}

/// The CSV of the dialogs begun from the first day to the last (included), in the reports'
/// time zone; of one channel if given. Managers only.
pub async fn dialogs_csv(
    app: &App,
    actor: &OperatorActor,
    from: &str,
    to: &str,
    channel: Option<ChannelId>,
) -> Result<String, CoreError> {
    let manager = actor.manager()?;
    let ws = manager.workspace();
    let (first, last) = (day("from", from)?, day("to", to)?);
    if last < first {
        return Err(CoreError::Invalid { field: "to".into(), reason: "on or after from".into() });
    }
    if first.until(last).map(|s| s.get_days()).unwrap_or(i32::MAX) >= crate::reports::MAX_DAYS as i32 {
        return Err(CoreError::Invalid {
            field: "to".into(),
            reason: format!("at most {} days after from", crate::reports::MAX_DAYS),
        });
    }
    let zone_name = crate::reports::zone(app, actor).await?;
    let tz = TimeZone::get(&zone_name).unwrap_or(TimeZone::UTC);
    let next = last.tomorrow().map_err(|e| CoreError::Internal(format!("day after: {e}")))?;
    let (since, until) = (start_of(first, &tz)?, start_of(next, &tz)?);
    let dialogs = app.store.dialogs_created(ws, since, until, channel, MAX_ROWS + 1).await?;
    if dialogs.len() > MAX_ROWS as usize {
        return Err(CoreError::Invalid {
            field: "to".into(),
            reason: format!("more than {MAX_ROWS} dialogs in the period: take a shorter one"),
        });
    }
    let fields: Vec<(String, String)> = app
        .store
        .custom_fields(ws)
        .await?
        .into_iter()
        .filter(|f| f.def.target == FieldTarget::Dialog && f.archived_at.is_none())
        .map(|f| (f.def.key, f.def.label))
        .collect();
    let channels: HashMap<uuid::Uuid, String> =
        app.store.list_channels(ws).await?.into_iter().map(|c| (c.id.0, c.name.as_str().to_owned())).collect();
    let local = |t: Timestamp| {
        jiff::Timestamp::from_millisecond(t.0)
            .map(|x| x.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    };
    let mut out =
        String::from("number,created_at,closed_at,status,close_reason,channel,assignee,category,tags,rating,routed_by");
    for (key, label) in &fields {
        out.push(',');
        out.push_str(&cell(&format!("{label} ({key})")));
    }
    out.push('\n');
    for chunk in dialogs.chunks(500) {
        // The views come in the dialogs' order.
        for (source, d) in chunk.iter().zip(crate::reads::views(app, chunk).await?) {
            let mut line = vec![
                d.number.to_string(),
                local(source.created_at),
                source.closed_at.map(local).unwrap_or_default(),
                d.status.clone(),
                d.close_reason.clone().unwrap_or_default(),
                cell(channels.get(&d.channel_id).map(String::as_str).unwrap_or_default()),
                cell(d.assignee.as_ref().map(|a| a.display_name.as_str()).unwrap_or_default()),
                cell(d.category.as_ref().map(|c| c.name.as_str()).unwrap_or_default()),
                cell(&d.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join("; ")),
                d.rating.as_ref().map(|r| r.score.to_string()).unwrap_or_default(),
                cell(d.routed_by.as_deref().unwrap_or_default()),
            ];
            for (key, _) in &fields {
                let v = match d.fields.get(key) {
                    Some(serde_json::Value::String(s)) => cell(s),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                line.push(v);
            }
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    Ok(out)
}
