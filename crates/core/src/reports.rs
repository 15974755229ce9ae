//! Reports and the live board (issue 17).
//!
//! Reports are rollups kept from the event log: [`project`] reads each workspace's log from its
//! cursor, turns events into facts, folds them (`frontline_domain::reports`) and saves the page
//! with the cursor in one transaction. The scheduler does it every tick, and a report asks for
//! it before it reads, so a report is at most a moment behind. [`report`] adds up the days,
//! channels and operators asked for; [`csv`] writes the same report as CSV. [`board`] reads
//! the live state: queues, operators' load, dialogs near an SLA breach.

use crate::App;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use crate::views::rfc3339;
use frontline_domain::reports::{
    DialogFacts, Fact, Figures, Key, Projection, Setting, Timing, date_of, day_number, day_of, day_start,
};
use frontline_domain::{Automation, ChannelId, Timestamp, WorkspaceId};
use frontline_store::events::StoredEvent;
use frontline_store::supervision::ReportPage;
use jiff::tz::TimeZone;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use utoipa::ToSchema;
use uuid::Uuid;

/// Events folded per page.
const PAGE: u32 = 2_000;
/// Pages folded per workspace and call (the rest waits for the next tick).
const PAGES: usize = 50;
/// On PostgreSQL, events younger than this are left for the next look: concurrent
/// transactions may commit out of `pos` order, and a cursor must not pass one still in flight.
const SETTLE_MS: i64 = 2_000;
/// The longest period one report covers.
pub const MAX_DAYS: i64 = 366;

/// The zone a workspace's report days are counted in when none was chosen: its default
/// channel's business-hours zone.
async fn default_zone(app: &App, ws: WorkspaceId) -> Result<String, CoreError> {
    let channels = app.store.list_channels(ws).await?;
    let Some(c) = channels.iter().find(|c| c.is_default).or(channels.first()) else { return Ok("UTC".into()) };
    let doc = crate::automation::for_channel(app, ws, c.id).await?;
    Ok(doc.doc().business_hours.time_zone.clone())
}

async fn state(app: &App, ws: WorkspaceId) -> Result<(TimeZone, i64), CoreError> {
    let s = match app.store.report_state(ws).await? {
        Some(s) => s,
        None => {
            let zone = default_zone(app, ws).await?;
            app.store.reset_reports(ws, &zone, app.clock.now()).await?;
            frontline_store::supervision::ReportState { time_zone: zone, cursor: 0 }
        }
    };
    Ok((TimeZone::get(&s.time_zone).unwrap_or(TimeZone::UTC), s.cursor))
}

/// The fact an event tells, if reports count it.
fn fact(e: &StoredEvent) -> Option<Fact> {
    let p: serde_json::Value = serde_json::from_str(&e.payload).ok()?;
    let uuid = |k: &str| p.get(k).and_then(|v| v.as_str()).and_then(|s| s.parse::<Uuid>().ok());
    let text = |k: &str| p.get(k).and_then(|v| v.as_str());
    let at = e.at.0;
    let dialog = e.dialog_id.map(|d| d.0);
    Some(match e.kind.as_str() {
        "dialog.created" => Fact::DialogCreated { dialog: dialog?, channel: uuid("channel_id")?, at },
        "message.created" if text("audience") == Some("all") => match text("author_kind") {
            Some("visitor") => Fact::VisitorWrote { dialog: dialog?, at },
            Some("operator") if p.get("automatic").is_none_or(|a| a.is_null()) => {
                Fact::OperatorWrote { dialog: dialog?, operator: e.actor_id?, at }
            }
            _ => return None,
        },
        "dialog.assigned" | "dialog.unassigned" => {
            Fact::Moved { dialog: dialog?, channel: uuid("channel_id"), operator: uuid("to_operator_id"), at }
        }
        "dialog.transferred" => {
            Fact::Moved { dialog: dialog?, channel: uuid("to_channel_id"), operator: uuid("to_operator_id"), at }
        }
        "dialog.closed" => Fact::Closed { dialog: dialog?, auto: text("reason") == Some("auto"), at },
        "dialog.reopened" => Fact::Reopened { dialog: dialog?, at },
        "rating.created" => {
            Fact::Rated { dialog: dialog?, score: u8::try_from(p.get("score")?.as_i64()?.clamp(1, 5)).ok()?, at }
        }
        "operator.presence_changed" => {
            Fact::Presence { operator: e.subject_id?, online: text("presence") == Some("online"), at }
        }
        "operator.updated" => {
            Fact::Capacity { operator: e.subject_id?, capacity: i32::try_from(p.get("capacity")?.as_i64()?).ok()?, at }
        }
        _ => return None,
    })
}

/// Folds what each workspace's log holds past its cursor; answers how many events were read.
pub async fn project_all(app: &App) -> Result<usize, CoreError> {
    let mut n = 0;
    for w in app.store.list_workspaces().await? {
        n += project(app, w.id).await?;
    }
    Ok(n)
}

fn settle(app: &App) -> i64 {
    if app.store.backend() == "postgres" { SETTLE_MS } else { 0 }
}

/// Whether the workspace's log holds settled events past `cursor`.
async fn behind(app: &App, ws: WorkspaceId, cursor: i64) -> Result<bool, CoreError> {
    let next = app.store.events_after(ws, cursor, 1).await?;
    Ok(next.first().is_some_and(|e| e.at.0 <= app.clock.now().0 - settle(app)))
}

/// Folds the workspace's log past its cursor into its reports, page by page; answers how many
/// events were read.
pub async fn project(app: &App, ws: WorkspaceId) -> Result<usize, CoreError> {
    Ok(fold_log(app, ws).await?.read)
}

/// What a look through the log did: how many events it read, the zone, and where the cursor is.
struct Folded {
    read: usize,
    zone: TimeZone,
    cursor: i64,
}

async fn fold_log(app: &App, ws: WorkspaceId) -> Result<Folded, CoreError> {
    let settle = settle(app);
    let (zone, mut cursor) = state(app, ws).await?;
    let mut read = 0;
    for _ in 0..PAGES {
        let now = app.clock.now().0;
        let mut events = app.store.events_after(ws, cursor, PAGE).await?;
        if let Some(young) = events.iter().position(|e| e.at.0 > now - settle) {
            events.truncate(young);
        }
        let Some(last) = events.last().map(|e| e.pos) else { break };
        read += events.len();
        let facts: Vec<Fact> = events.iter().filter_map(fact).collect();
        let page = fold(app, ws, &zone, &facts).await?;
        let page = ReportPage { from: cursor, to: last, ..page };
        if !app.store.save_report_page(ws, &page, app.clock.now()).await? {
            // Another node folded it, or the reports were reset: start from what is stored.
            let (zone, cursor) = state(app, ws).await?;
            return Ok(Folded { read, zone, cursor });
        }
        cursor = last;
        if events.len() < PAGE as usize {
            break;
        }
    }
    Ok(Folded { read, zone, cursor })
}

async fn automations(
    app: &App,
    ws: WorkspaceId,
    channels: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Arc<Automation>>, CoreError> {
    let mut out = HashMap::new();
    for c in channels.into_iter().collect::<HashSet<_>>() {
        match crate::automation::for_channel(app, ws, ChannelId(c)).await {
            Ok(a) => {
                out.insert(c, a);
            }
            Err(CoreError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

async fn fold(app: &App, ws: WorkspaceId, zone: &TimeZone, facts: &[Fact]) -> Result<ReportPage, CoreError> {
    let ids: Vec<Uuid> = facts.iter().filter_map(Fact::dialog).collect::<HashSet<_>>().into_iter().collect();
    let mut p = Projection {
        dialogs: app.store.report_dialogs(ws, &ids).await?.into_iter().collect(),
        operators: app.store.report_operators(ws).await?.into_iter().collect(),
        ..Projection::default()
    };
    // Operators reports meet for the first time start with the capacity they have now.
    if facts.iter().filter_map(Fact::operator).any(|o| !p.operators.contains_key(&o)) {
        for o in app.store.list_operators(ws).await? {
            p.operators.entry(o.id.0).or_insert(frontline_domain::reports::OperatorFacts {
                online_since: None,
                load: 0,
                capacity: i32::try_from(o.capacity.get()).unwrap_or(0),
                since: 0,
            });
        }
    }
    let channels = p.dialogs.values().map(|d: &DialogFacts| d.channel).chain(facts.iter().filter_map(|f| match f {
        Fact::DialogCreated { channel, .. } | Fact::Moved { channel: Some(channel), .. } => Some(*channel),
        _ => None,
    }));
    let autos = automations(app, ws, channels).await?;
    let lookup = |c: Uuid| autos.get(&c).map(|a| a.as_ref());
    let setting = Setting { zone, automation: &lookup };
    for f in facts {
        if let Fact::Presence { operator, at, .. } | Fact::Capacity { operator, at, .. } = f {
            // An operator first met now: his time counts from here.
            if let Some(o) = p.operators.get_mut(operator).filter(|o| o.since == 0) {
                o.since = *at;
            }
        }
        p.apply(f, &setting);
    }
    Ok(ReportPage {
        from: 0,
        to: 0,
        dialogs: p.dialogs.into_iter().collect(),
        operators: p.operators.into_iter().filter(|(_, o)| o.since != 0).collect(),
        added: p.added.into_iter().collect(),
    })
}

/// How a report's rows are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Day,
    Week,
    Channel,
    Operator,
}

impl Group {
    pub fn parse(s: &str) -> Option<Group> {
        match s {
            "day" => Some(Group::Day),
            "week" => Some(Group::Week),
            "channel" => Some(Group::Channel),
            "operator" => Some(Group::Operator),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Day => "day",
            Group::Week => "week",
            Group::Channel => "channel",
            Group::Operator => "operator",
        }
    }
}

/// What a report covers: days `from..=to` (`YYYY-MM-DD` in the report's zone), cut by `group`,
/// optionally one channel's or one operator's.
#[derive(Debug, Clone)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    pub group: Group,
    pub channel: Option<Uuid>,
    pub operator: Option<Uuid>,
}

/// Durations as a report shows them.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct TimingView {
    pub count: i64,
    pub median_ms: Option<i64>,
    pub p90_ms: Option<i64>,
    pub average_ms: Option<i64>,
}

impl From<&Timing> for TimingView {
    fn from(t: &Timing) -> Self {
        Self { count: t.n, median_ms: t.percentile_ms(50), p90_ms: t.percentile_ms(90), average_ms: t.average_ms() }
    }
}

/// A duration in calendar time and in the channel's business hours.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct ClockedView {
    pub calendar: TimingView,
    pub business: TimingView,
}

/// An SLA target's results.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SlaResultView {
    /// How many were measured against the target.
    pub measured: i64,
    pub met: i64,
    /// `met / measured` in percent, one decimal; none when nothing was measured.
    pub met_percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct CsatView {
    /// How many ratings were given.
    pub answered: i64,
    /// Their average (1–5), two decimals.
    pub average: Option<f64>,
    /// The share of 4s and 5s in percent, one decimal.
    pub good_percent: Option<f64>,
}

/// The figures of a row or of the whole report. `docs/reports.md` defines each.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FiguresView {
    pub dialogs_new: i64,
    pub closed_by_operator: i64,
    pub closed_automatically: i64,
    /// Closed without an operator's reply.
    pub missed: i64,
    pub first_reply: ClockedView,
    pub reply: ClockedView,
    pub resolution: ClockedView,
    pub sla_first_reply: SlaResultView,
    pub sla_next_reply: SlaResultView,
    pub sla_resolution: SlaResultView,
    pub csat: CsatView,
    /// Time operators were online, in ms.
    pub online_ms: i64,
    /// Their average number of open dialogs while online, two decimals.
    pub average_load: Option<f64>,
    /// That load against their capacity, in percent, one decimal.
    pub load_percent: Option<f64>,
    /// Quality-guard hits (each message counts once per rule).
    pub guard_hits: i64,
    /// Hits per rule.
    pub guard_by_rule: BTreeMap<String, i64>,
}

fn ratio(a: i64, b: i64, scale: f64, places: i32) -> Option<f64> {
    let k = 10_f64.powi(places);
    (b > 0).then(|| ((a as f64) * scale / (b as f64) * k).round() / k)
}

fn view(f: &Figures, guard: &BTreeMap<String, i64>) -> FiguresView {
    let clocked = |c: &Timing, b: &Timing| ClockedView { calendar: c.into(), business: b.into() };
    let sla = |s: &frontline_domain::reports::Sla| SlaResultView {
        measured: s.n,
        met: s.met,
        met_percent: ratio(s.met, s.n, 100.0, 1),
    };
    FiguresView {
        dialogs_new: f.dialogs_new,
        closed_by_operator: f.closed_operator,
        closed_automatically: f.closed_auto,
        missed: f.missed,
        first_reply: clocked(&f.first_reply, &f.first_reply_work),
        reply: clocked(&f.reply, &f.reply_work),
        resolution: clocked(&f.resolution, &f.resolution_work),
        sla_first_reply: sla(&f.sla_first_reply),
        sla_next_reply: sla(&f.sla_next_reply),
        sla_resolution: sla(&f.sla_resolution),
        csat: CsatView {
            answered: f.csat_n,
            average: ratio(f.csat_sum, f.csat_n, 1.0, 2),
            good_percent: ratio(f.csat_good, f.csat_n, 100.0, 1),
        },
        online_ms: f.online_ms,
        average_load: ratio(f.load_ms, f.online_ms, 1.0, 2),
        load_percent: ratio(f.load_ms, f.capacity_ms, 100.0, 1),
        guard_hits: guard.values().sum(),
        guard_by_rule: guard.clone(),
    }
}

/// A row of a report.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ReportRow {
    /// The day or the week's Monday (`YYYY-MM-DD`), or the channel's or operator's id (the nil
    /// id for "none": dialogs nobody had, figures of no channel).
    pub key: String,
    /// What the console shows: the date, or the channel's or operator's name.
    pub label: String,
    pub figures: FiguresView,
}

/// A report.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Report {
    /// The zone its days are counted in.
    pub time_zone: String,
    pub from: String,
    pub to: String,
    /// `day`, `week`, `channel` or `operator`.
    pub group: String,
    pub channel_id: Option<Uuid>,
    pub operator_id: Option<Uuid>,
    pub rows: Vec<ReportRow>,
    pub totals: FiguresView,
    /// When it was read.
    pub as_of: String,
    /// The log holds events not folded yet (after a long stop, or a new time zone): the figures
    /// will still grow; ask again shortly.
    pub catching_up: bool,
}

fn parse_day(field: &str, s: &str) -> Result<i32, CoreError> {
    let d: jiff::civil::Date =
        s.trim().parse().map_err(|_| CoreError::Invalid { field: field.into(), reason: "a date YYYY-MM-DD".into() })?;
    Ok(day_number(d))
}

/// A report for managers (admins and supervisors).
pub async fn report(app: &App, actor: &OperatorActor, q: &ReportQuery) -> Result<Report, CoreError> {
    actor.manager()?;
    let ws = actor.workspace();
    let (from, to) = (parse_day("from", &q.from)?, parse_day("to", &q.to)?);
    if to < from {
        return Err(CoreError::Invalid { field: "to".into(), reason: "on or after from".into() });
    }
    if i64::from(to - from) >= MAX_DAYS {
        return Err(CoreError::Invalid { field: "to".into(), reason: format!("at most {MAX_DAYS} days after from") });
    }
    let Folded { zone, cursor, .. } = fold_log(app, ws).await?;
    let catching_up = behind(app, ws, cursor).await?;
    let zone_name = zone.iana_name().unwrap_or("UTC").to_owned();
    let now = app.clock.now().0;
    let mut rows: Vec<(Key, Figures)> = app.store.report_days(ws, from, to).await?;
    // Operators online now: the time since their last change is not kept yet.
    for (id, o) in app.store.report_operators(ws).await? {
        if o.online_since.is_some() {
            rows.extend(
                Projection::live(&o, id, now, &zone).into_iter().filter(|((d, _, _), _)| (from..=to).contains(d)),
            );
        }
    }
    let hits = app
        .store
        .guard_hits(ws, Timestamp(day_start(from, &zone)), Timestamp(day_start(to + 1, &zone)), 200_000)
        .await?;
    let wanted = |(_, c, o): &Key| q.channel.is_none_or(|x| x == *c) && q.operator.is_none_or(|x| x == *o);
    let cut = |(d, c, o): &Key| -> String {
        match q.group {
            Group::Day => date_of(*d).to_string(),
            Group::Week => {
                let date = date_of(*d);
                let back = i64::from(date.weekday().to_monday_zero_offset());
                date.checked_sub(jiff::Span::new().days(back)).unwrap_or(date).to_string()
            }
            Group::Channel => c.to_string(),
            Group::Operator => o.to_string(),
        }
    };
    let mut groups: BTreeMap<String, (Figures, BTreeMap<String, i64>)> = BTreeMap::new();
    let mut totals = (Figures::default(), BTreeMap::new());
    for (k, f) in rows.iter().filter(|(k, _)| wanted(k)) {
        groups.entry(cut(k)).or_default().0.merge(f);
        totals.0.merge(f);
    }
    for h in &hits {
        let k = (day_of(h.at.0, &zone), h.channel_id, h.operator_id);
        if !wanted(&k) {
            continue;
        }
        *groups.entry(cut(&k)).or_default().1.entry(h.rule.clone()).or_default() += 1;
        *totals.1.entry(h.rule.clone()).or_default() += 1;
    }
    let names: HashMap<String, String> = match q.group {
        Group::Channel => {
            app.store.list_channels(ws).await?.into_iter().map(|c| (c.id.0.to_string(), c.name)).collect()
        }
        Group::Operator => app
            .store
            .list_operators(ws)
            .await?
            .into_iter()
            .map(|o| (o.id.0.to_string(), o.display_name.as_str().to_owned()))
            .collect(),
        _ => HashMap::new(),
    };
    let mut out: Vec<ReportRow> = groups
        .into_iter()
        .map(|(key, (f, g))| ReportRow {
            label: names
                .get(&key)
                .cloned()
                .unwrap_or_else(|| if key == Uuid::nil().to_string() { "—".into() } else { key.clone() }),
            key,
            figures: view(&f, &g),
        })
        .collect();
    if matches!(q.group, Group::Channel | Group::Operator) {
        out.sort_by(|a, b| {
            (a.key == Uuid::nil().to_string(), &a.label).cmp(&(b.key == Uuid::nil().to_string(), &b.label))
        });
    }
    Ok(Report {
        time_zone: zone_name,
        from: date_of(from).to_string(),
        to: date_of(to).to_string(),
        group: q.group.as_str().into(),
        channel_id: q.channel,
        operator_id: q.operator,
        rows: out,
        totals: view(&totals.0, &totals.1),
        as_of: rfc3339(Timestamp(now)),
        catching_up,
    })
}

/// The same report as CSV: a header, a line per row, and a `total` line. Times in seconds.
pub fn csv(r: &Report) -> String {
    use crate::views::csv_cell as cell;
    let secs = |ms: Option<i64>| ms.map(|m| format!("{}", m / 1000)).unwrap_or_default();
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let mut out = String::new();
    let mut header = vec!["key", "label", "dialogs_new", "closed_by_operator", "closed_automatically", "missed"];
    let timings = ["first_reply", "reply", "resolution"];
    let mut timing_cols = Vec::new();
    for t in timings {
        for clock in ["calendar", "business"] {
            for s in ["count", "median_s", "p90_s", "average_s"] {
                timing_cols.push(format!("{t}_{clock}_{s}"));
            }
        }
    }
    let tail = [
        "sla_first_reply_percent",
        "sla_next_reply_percent",
        "sla_resolution_percent",
        "csat_answered",
        "csat_average",
        "csat_good_percent",
        "online_hours",
        "average_load",
        "load_percent",
        "guard_hits",
    ];
    let cols: Vec<String> =
        header.drain(..).map(String::from).chain(timing_cols).chain(tail.map(String::from)).collect();
    out.push_str(&cols.join(","));
    out.push('\n');
    let line = |key: &str, label: &str, f: &FiguresView| -> String {
        let mut v = vec![
            cell(key),
            cell(label),
            f.dialogs_new.to_string(),
            f.closed_by_operator.to_string(),
            f.closed_automatically.to_string(),
            f.missed.to_string(),
        ];
        for c in [&f.first_reply, &f.reply, &f.resolution] {
            for t in [&c.calendar, &c.business] {
                v.push(t.count.to_string());
                v.push(secs(t.median_ms));
                v.push(secs(t.p90_ms));
                v.push(secs(t.average_ms));
            }
        }
        v.push(num(f.sla_first_reply.met_percent));
        v.push(num(f.sla_next_reply.met_percent));
        v.push(num(f.sla_resolution.met_percent));
        v.push(f.csat.answered.to_string());
        v.push(num(f.csat.average));
        v.push(num(f.csat.good_percent));
        v.push(format!("{:.2}", f.online_ms as f64 / 3_600_000.0));
        v.push(num(f.average_load));
        v.push(num(f.load_percent));
        v.push(f.guard_hits.to_string());
        v.join(",") + "\n"
    };
    for row in &r.rows {
        out.push_str(&line(&row.key, &row.label, &row.figures));
    }
    out.push_str(&line("total", "", &r.totals));
    out
}

/// The zone report days are counted in (managers).
pub async fn zone(app: &App, actor: &OperatorActor) -> Result<String, CoreError> {
    actor.manager()?;
    let (zone, _) = state(app, actor.workspace()).await?;
    Ok(zone.iana_name().unwrap_or("UTC").to_owned())
}

/// Sets the zone report days are counted in; the reports are then folded again from the
/// start of the log (what the log still holds: `event_retention_days`).
pub async fn set_zone(app: &App, actor: &OperatorActor, zone: &str) -> Result<String, CoreError> {
    actor.admin()?;
    let tz = TimeZone::get(zone.trim()).map_err(|_| CoreError::Invalid {
        field: "time_zone".into(),
        reason: "an IANA time zone (Europe/Moscow)".into(),
    })?;
    let name = tz.iana_name().unwrap_or("UTC").to_owned();
    app.store.reset_reports(actor.workspace(), &name, app.clock.now()).await?;
    Ok(name)
}

/// A channel on the live board.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct BoardChannel {
    pub id: Uuid,
    pub name: String,
    /// Dialogs waiting in its queue, counted up to 1000 (a longer queue shows 1000).
    pub waiting: i64,
    /// How long the oldest has waited, in ms.
    pub longest_wait_ms: i64,
    /// Its members online now.
    pub online: u32,
}

/// An operator on the live board.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct BoardOperator {
    pub id: Uuid,
    pub name: String,
    /// `online`, `away` or `offline`.
    pub presence: String,
    /// His open dialogs, counted up to 1000.
    pub load: u32,
    pub capacity: u32,
}

/// A dialog near (or past) an SLA due time.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct AtRisk {
    pub dialog_id: Uuid,
    pub number: i64,
    pub channel_id: Uuid,
    pub operator_id: Option<Uuid>,
    /// `first_reply`, `next_reply` or `resolution`.
    pub target: String,
    pub due_at: String,
    /// Until the due time, in ms; negative once it passed.
    pub left_ms: i64,
}

/// The live board.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Board {
    pub at: String,
    pub channels: Vec<BoardChannel>,
    pub operators: Vec<BoardOperator>,
    /// Due within 5 minutes or overdue, the soonest first (at most 50).
    pub at_risk: Vec<AtRisk>,
}

/// How far ahead the board looks for SLA due times.
const RISK_AHEAD_MS: i64 = 5 * 60_000;

/// The live board, for managers.
pub async fn board(app: &App, actor: &OperatorActor) -> Result<Board, CoreError> {
    actor.manager()?;
    let ws = actor.workspace();
    let now = app.clock.now();
    let queues: HashMap<ChannelId, (i64, Timestamp)> =
        app.store.queue_board(ws).await?.into_iter().map(|(c, n, at)| (c, (n, at))).collect();
    let online = app.store.online_counts(ws).await?;
    let channels = app
        .store
        .list_channels(ws)
        .await?
        .into_iter()
        .map(|c| {
            let (waiting, since) = queues.get(&c.id).copied().unwrap_or((0, now));
            BoardChannel {
                id: c.id.0,
                name: c.name,
                waiting,
                longest_wait_ms: (now.0 - since.0).max(0),
                online: online.get(&c.id).copied().unwrap_or(0),
            }
        })
        .collect();
    let loads: HashMap<frontline_domain::OperatorId, u32> =
        app.store.operator_loads(ws).await?.into_iter().map(|(o, n)| (o, u32::try_from(n).unwrap_or(0))).collect();
    let mut operators: Vec<BoardOperator> = app
        .store
        .list_operators(ws)
        .await?
        .into_iter()
        .filter(|o| o.deactivated_at.is_none())
        .map(|o| BoardOperator {
            id: o.id.0,
            name: o.display_name.as_str().to_owned(),
            presence: o.presence.as_str().into(),
            load: loads.get(&o.id).copied().unwrap_or(0),
            capacity: o.capacity.get(),
        })
        .collect();
    let rank = |p: &str| match p {
        "online" => 0,
        "away" => 1,
        _ => 2,
    };
    operators.sort_by(|a, b| (rank(&a.presence), &a.name).cmp(&(rank(&b.presence), &b.name)));
    let mut at_risk: Vec<AtRisk> = app
        .store
        .sla_at_risk(ws, Timestamp(now.0 + RISK_AHEAD_MS), 50)
        .await?
        .into_iter()
        .flat_map(|d| {
            let reply = d.sla.reply_due.map(|due| (d.sla.reply_target().as_str(), due));
            let resolve = d.sla.resolve_due.map(|due| ("resolution", due));
            let soonest = [reply, resolve]
                .into_iter()
                .flatten()
                .filter(|(_, due)| due.0 < now.0 + RISK_AHEAD_MS)
                .min_by_key(|(_, due)| due.0);
            soonest.map(|(target, due)| AtRisk {
                dialog_id: d.id.0,
                number: d.number,
                channel_id: d.channel_id.0,
                operator_id: d.assignee.map(|a| a.operator.0),
                target: target.into(),
                due_at: rfc3339(due),
                left_ms: due.0 - now.0,
            })
        })
        .collect();
    at_risk.sort_by_key(|r| r.left_ms);
    Ok(Board { at: rfc3339(now), channels, operators, at_risk })
}

/// Keeps every workspace's reports folded, every 2 seconds, until `stop` fires.
pub async fn run(app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
    let every = std::time::Duration::from_millis(2_000);
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => break,
        }
        if let Err(e) = project_all(&app).await {
            tracing::warn!(error = %e, "folding the event log into reports failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_names_are_never_formulas() {
        let empty = view(&Figures::default(), &BTreeMap::new());
        let row = |label: &str| ReportRow { key: "k".into(), label: label.into(), figures: empty.clone() };
        let r = Report {
            time_zone: "UTC".into(),
            from: "2027-03-03".into(),
            to: "2027-03-03".into(),
            group: "operator".into(),
            channel_id: None,
            operator_id: None,
            rows: vec![row("=HYPERLINK(\"x\")"), row("@SUM(A1)"), row("Иванов, Пётр"), row("-1+2")],
            totals: empty.clone(),
            as_of: String::new(),
            catching_up: false,
        };
        let text = csv(&r);
        let labels: Vec<&str> = text.lines().skip(1).map(|l| l.split(",0").next().unwrap_or_default()).collect();
        assert_eq!(labels[0], "k,\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(labels[1], "k,'@SUM(A1)");
        assert_eq!(labels[2], "k,\"Иванов, Пётр\"");
        assert_eq!(labels[3], "k,'-1+2");
        assert!(text.lines().last().is_some_and(|l| l.starts_with("total,,0,")));
    }
}
