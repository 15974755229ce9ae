//! Reports: what the event log's facts add up to, per day, channel and operator.
//!
//! The log's events become [`Fact`]s; a [`Projection`] folds them into what it must remember
//! of each dialog and operator between events, and into [`Figures`] for the day (in the
//! workspace's zone), the channel and the operator each fact counts for. Figures add up: a
//! week is its days, a channel's total its operators'. Times are kept as a count, a sum and a
//! histogram, so averages are exact and medians and p90s are read off the histogram, exact to
//! its step (1 s under a minute, 5 s to ten minutes, 30 s to an hour, 5 min to a day, an hour
//! beyond). `docs/reports.md` defines each figure with a worked example.

use crate::automation::Automation;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

const DAY_MS: i64 = 86_400_000;

/// The histogram bucket of a duration.
pub fn bucket(ms: i64) -> u16 {
    let s = ms.max(0) / 1000;
    let b = match s {
        0..60 => s,
        60..600 => 60 + (s - 60) / 5,
        600..3600 => 168 + (s - 600) / 30,
        3600..86_400 => 268 + (s - 3600) / 300,
        _ => 544 + ((s - 86_400) / 3600).min(24 * 60),
    };
    u16::try_from(b).unwrap_or(u16::MAX)
}

/// The shortest duration in a bucket.
pub fn bucket_floor(b: u16) -> i64 {
    let b = i64::from(b);
    let s = match b {
        0..60 => b,
        60..168 => 60 + (b - 60) * 5,
        168..268 => 600 + (b - 168) * 30,
        268..544 => 3600 + (b - 268) * 300,
        _ => 86_400 + (b - 544) * 3600,
    };
    s * 1000
}

/// Durations: how many, their sum, and how they spread.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Timing {
    pub n: i64,
    pub sum_ms: i64,
    /// `[bucket, count]`, buckets increasing.
    pub hist: Vec<(u16, i64)>,
}

impl Timing {
    pub fn add(&mut self, ms: i64) {
        let ms = ms.max(0);
        self.n += 1;
        self.sum_ms += ms;
        let b = bucket(ms);
        match self.hist.binary_search_by_key(&b, |(k, _)| *k) {
            Ok(i) => self.hist[i].1 += 1,
            Err(i) => self.hist.insert(i, (b, 1)),
        }
    }

    pub fn merge(&mut self, o: &Timing) {
        self.n += o.n;
        self.sum_ms += o.sum_ms;
        let mut m: BTreeMap<u16, i64> = self.hist.iter().copied().collect();
        for (b, c) in &o.hist {
            *m.entry(*b).or_default() += c;
        }
        self.hist = m.into_iter().filter(|(_, c)| *c != 0).collect();
    }

    pub fn average_ms(&self) -> Option<i64> {
        (self.n > 0).then(|| self.sum_ms / self.n)
    }

    /// The nearest-rank percentile (`p` in 0–100): the smallest duration at least `p` % of
    /// them do not exceed, to the histogram's step.
    pub fn percentile_ms(&self, p: u32) -> Option<i64> {
        if self.n <= 0 {
            return None;
        }
        let rank = ((i64::from(p) * self.n) + 99) / 100;
        let rank = rank.max(1);
        let mut seen = 0;
        for (b, c) in &self.hist {
            seen += c;
            if seen >= rank {
                return Some(bucket_floor(*b));
            }
        }
        self.hist.last().map(|(b, _)| bucket_floor(*b))
    }
}

/// SLA results of one target: how many were measured and how many met it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sla {
    pub n: i64,
    pub met: i64,
}

impl Sla {
    fn add(&mut self, met: bool) {
        self.n += 1;
        self.met += i64::from(met);
    }

    fn merge(&mut self, o: &Sla) {
        self.n += o.n;
        self.met += o.met;
    }
}

/// The figures of a day, channel and operator (or of any sum of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Figures {
    pub dialogs_new: i64,
    pub closed_operator: i64,
    pub closed_auto: i64,
    /// Closed without any operator reply.
    pub missed: i64,
    pub first_reply: Timing,
    pub first_reply_work: Timing,
    pub reply: Timing,
    pub reply_work: Timing,
    pub resolution: Timing,
    pub resolution_work: Timing,
    pub sla_first_reply: Sla,
    pub sla_next_reply: Sla,
    pub sla_resolution: Sla,
    pub csat_n: i64,
    pub csat_sum: i64,
    /// Ratings of 4 or 5.
    pub csat_good: i64,
    pub online_ms: i64,
    /// Load × time while online (divide by `online_ms` for the average load).
    pub load_ms: i64,
    /// Capacity × time while online.
    pub capacity_ms: i64,
}

impl Figures {
    pub fn merge(&mut self, o: &Figures) {
        self.dialogs_new += o.dialogs_new;
        self.closed_operator += o.closed_operator;
        self.closed_auto += o.closed_auto;
        self.missed += o.missed;
        self.first_reply.merge(&o.first_reply);
        self.first_reply_work.merge(&o.first_reply_work);
        self.reply.merge(&o.reply);
        self.reply_work.merge(&o.reply_work);
        self.resolution.merge(&o.resolution);
        self.resolution_work.merge(&o.resolution_work);
        self.sla_first_reply.merge(&o.sla_first_reply);
        self.sla_next_reply.merge(&o.sla_next_reply);
        self.sla_resolution.merge(&o.sla_resolution);
        self.csat_n += o.csat_n;
        self.csat_sum += o.csat_sum;
        self.csat_good += o.csat_good;
        self.online_ms += o.online_ms;
        self.load_ms += o.load_ms;
        self.capacity_ms += o.capacity_ms;
    }
}

/// A day in the report's zone: days since 1970-01-01 there.
pub fn day_of(t: i64, tz: &TimeZone) -> i32 {
    let date = jiff::Timestamp::from_millisecond(t).map(|ts| ts.to_zoned(tz.clone()).date()).unwrap_or(Date::ZERO);
    day_number(date)
}

pub fn day_number(date: Date) -> i32 {
    let epoch = jiff::civil::date(1970, 1, 1);
    date.since((jiff::Unit::Day, epoch)).map(|s| s.get_days()).unwrap_or(0)
}

pub fn date_of(day: i32) -> Date {
    jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(i64::from(day))).unwrap_or(Date::ZERO)
}

/// When a day begins, in ms.
pub fn day_start(day: i32, tz: &TimeZone) -> i64 {
    date_of(day).to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).unwrap_or(i64::from(day) * DAY_MS)
}

/// What the log says happened, as reports read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    DialogCreated {
        dialog: Uuid,
        channel: Uuid,
        at: i64,
    },
    /// A visitor's message (not a bot's line, not a note).
    VisitorWrote {
        dialog: Uuid,
        at: i64,
    },
    /// An operator's message to the visitor (not an automatic line, not a note).
    OperatorWrote {
        dialog: Uuid,
        operator: Uuid,
        at: i64,
    },
    /// Assigned, returned to the queue or transferred: who has it now, and where.
    Moved {
        dialog: Uuid,
        channel: Option<Uuid>,
        operator: Option<Uuid>,
        at: i64,
    },
    Closed {
        dialog: Uuid,
        auto: bool,
        at: i64,
    },
    Reopened {
        dialog: Uuid,
        at: i64,
    },
    Rated {
        dialog: Uuid,
        score: u8,
        at: i64,
    },
    Presence {
        operator: Uuid,
        online: bool,
        at: i64,
    },
    Capacity {
        operator: Uuid,
        capacity: i32,
        at: i64,
    },
}

impl Fact {
    /// The dialog it concerns.
    pub fn dialog(&self) -> Option<Uuid> {
        match self {
            Fact::DialogCreated { dialog, .. }
            | Fact::VisitorWrote { dialog, .. }
            | Fact::OperatorWrote { dialog, .. }
            | Fact::Moved { dialog, .. }
            | Fact::Closed { dialog, .. }
            | Fact::Reopened { dialog, .. }
            | Fact::Rated { dialog, .. } => Some(*dialog),
            Fact::Presence { .. } | Fact::Capacity { .. } => None,
        }
    }

    /// The operator it concerns besides a dialog's.
    pub fn operator(&self) -> Option<Uuid> {
        match self {
            Fact::OperatorWrote { operator, .. } => Some(*operator),
            Fact::Moved { operator, .. } => *operator,
            Fact::Presence { operator, .. } | Fact::Capacity { operator, .. } => Some(*operator),
            _ => None,
        }
    }
}

/// What reports remember of a dialog between its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialogFacts {
    pub channel: Uuid,
    pub operator: Option<Uuid>,
    pub created_at: i64,
    pub first_visitor_at: Option<i64>,
    pub first_reply_at: Option<i64>,
    pub waiting_since: Option<i64>,
    pub closed_at: Option<i64>,
}

/// And of an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorFacts {
    pub online_since: Option<i64>,
    pub load: i32,
    pub capacity: i32,
    /// Since when `load` and `capacity` hold.
    pub since: i64,
}

/// A row's key: day, channel, operator (nil for none).
pub type Key = (i32, Uuid, Uuid);

/// A page of the log being folded: the state it started from (loaded by the caller for the
/// dialogs and operators the page names), what changed, and the figures it adds.
#[derive(Debug, Default)]
pub struct Projection {
    pub dialogs: HashMap<Uuid, DialogFacts>,
    pub operators: HashMap<Uuid, OperatorFacts>,
    /// Figures to add, per key.
    pub added: HashMap<Key, Figures>,
}

/// What a projection needs besides the facts: the zone days are counted in, and each
/// channel's automation (business hours and SLA targets; the default for an unknown one).
pub struct Setting<'a> {
    pub zone: &'a TimeZone,
    pub automation: &'a dyn Fn(Uuid) -> Option<&'a Automation>,
}

impl Projection {
    fn figures(&mut self, at: i64, channel: Uuid, operator: Option<Uuid>, s: &Setting) -> &mut Figures {
        self.added.entry((day_of(at, s.zone), channel, operator.unwrap_or(Uuid::nil()))).or_default()
    }

    /// Load, capacity and online time of an operator from his last change up to `at`, split
    /// at midnights.
    fn flush(&mut self, operator: Uuid, at: i64, s: &Setting) {
        let Some(o) = self.operators.get(&operator).cloned() else { return };
        if o.online_since.is_some() {
            let mut from = o.since;
            while from < at {
                let day = day_of(from, s.zone);
                let to = at.min(day_start(day + 1, s.zone)).max(from + 1);
                let dt = to - from;
                let f = self.added.entry((day, Uuid::nil(), operator)).or_default();
                f.online_ms += dt;
                f.load_ms += i64::from(o.load.max(0)) * dt;
                f.capacity_ms += i64::from(o.capacity.max(0)) * dt;
                from = to;
            }
        }
        if let Some(o) = self.operators.get_mut(&operator) {
            o.since = o.since.max(at);
        }
    }

    fn load(&mut self, operator: Option<Uuid>, delta: i32, at: i64, s: &Setting) {
        let Some(op) = operator else { return };
        self.flush(op, at, s);
        let o =
            self.operators.entry(op).or_insert(OperatorFacts { online_since: None, load: 0, capacity: 0, since: at });
        o.load = (o.load + delta).max(0);
    }

    /// Folds one fact in. A fact about a dialog reports never saw begin is passed over.
    pub fn apply(&mut self, fact: &Fact, s: &Setting) {
        let auto = |ch: Uuid| (s.automation)(ch);
        match *fact {
            Fact::DialogCreated { dialog, channel, at } => {
                if self.dialogs.contains_key(&dialog) {
                    return;
                }
                self.dialogs.insert(
                    dialog,
                    DialogFacts {
                        channel,
                        operator: None,
                        created_at: at,
                        first_visitor_at: None,
                        first_reply_at: None,
                        waiting_since: None,
                        closed_at: None,
                    },
                );
                self.figures(at, channel, None, s).dialogs_new += 1;
            }
            Fact::VisitorWrote { dialog, at } => {
                if let Some(d) = self.dialogs.get_mut(&dialog) {
                    d.first_visitor_at.get_or_insert(at);
                    d.waiting_since.get_or_insert(at);
                }
            }
            Fact::OperatorWrote { dialog, operator, at } => {
                let Some(d) = self.dialogs.get(&dialog).cloned() else { return };
                let Some(since) = d.waiting_since else { return };
                let a = auto(d.channel);
                let work = |from: i64| {
                    a.map_or(at - from, |a| a.hours.working_between(crate::Timestamp(from), crate::Timestamp(at)))
                };
                let sla_ms = |from: i64| match a.and_then(|a| a.sla) {
                    Some(p) if p.in_business_hours => Some((work(from), p)),
                    Some(p) => Some((at - from, p)),
                    None => None,
                };
                let first = d.first_reply_at.is_none();
                let start = if first { d.first_visitor_at.unwrap_or(since) } else { since };
                let (wait, wait_work, sla) = (at - since, work(since), sla_ms(since));
                let (fr, fr_work, fr_sla) = (at - start, work(start), sla_ms(start));
                let f = self.figures(at, d.channel, Some(operator), s);
                f.reply.add(wait);
                f.reply_work.add(wait_work);
                if first {
                    f.first_reply.add(fr);
                    f.first_reply_work.add(fr_work);
                    if let Some((ms, p)) = fr_sla {
                        f.sla_first_reply.add(ms <= p.first_reply_ms);
                    }
                } else if let Some((ms, p)) = sla {
                    f.sla_next_reply.add(ms <= p.next_reply_ms);
                }
                if let Some(d) = self.dialogs.get_mut(&dialog) {
                    d.first_reply_at.get_or_insert(at);
                    d.waiting_since = None;
                }
            }
            Fact::Moved { dialog, channel, operator, at } => {
                let Some(d) = self.dialogs.get(&dialog).cloned() else { return };
                if d.closed_at.is_none() && d.operator != operator {
                    self.load(d.operator, -1, at, s);
                    self.load(operator, 1, at, s);
                }
                if let Some(d) = self.dialogs.get_mut(&dialog) {
                    d.operator = operator;
                    if let Some(c) = channel {
                        d.channel = c;
                    }
                }
            }
            Fact::Closed { dialog, auto: by_timer, at } => {
                let Some(d) = self.dialogs.get(&dialog).cloned() else { return };
                if d.closed_at.is_some() {
                    return;
                }
                let a = auto(d.channel);
                let work = a.map_or(at - d.created_at, |a| {
                    a.hours.working_between(crate::Timestamp(d.created_at), crate::Timestamp(at))
                });
                let sla =
                    a.and_then(|a| a.sla).map(|p| (if p.in_business_hours { work } else { at - d.created_at }, p));
                let missed_sla = match (d.first_reply_at, d.first_visitor_at, a.and_then(|a| a.sla)) {
                    (None, Some(from), Some(p)) => {
                        let ms = if p.in_business_hours {
                            a.map_or(at - from, |a| {
                                a.hours.working_between(crate::Timestamp(from), crate::Timestamp(at))
                            })
                        } else {
                            at - from
                        };
                        ms > p.first_reply_ms
                    }
                    _ => false,
                };
                let f = self.figures(at, d.channel, d.operator, s);
                if by_timer {
                    f.closed_auto += 1;
                } else {
                    f.closed_operator += 1;
                }
                if d.first_reply_at.is_none() {
                    f.missed += 1;
                }
                if missed_sla {
                    f.sla_first_reply.add(false);
                }
                f.resolution.add(at - d.created_at);
                f.resolution_work.add(work);
                if let Some((ms, p)) = sla {
                    f.sla_resolution.add(ms <= p.resolution_ms);
                }
                self.load(d.operator, -1, at, s);
                if let Some(d) = self.dialogs.get_mut(&dialog) {
                    d.closed_at = Some(at);
                    d.waiting_since = None;
                }
            }
            Fact::Reopened { dialog, at } => {
                let Some(d) = self.dialogs.get(&dialog).cloned() else { return };
                if d.closed_at.is_none() {
                    return;
                }
                self.load(d.operator, 1, at, s);
                if let Some(d) = self.dialogs.get_mut(&dialog) {
                    d.closed_at = None;
                }
            }
            Fact::Rated { dialog, score, at } => {
                let Some(d) = self.dialogs.get(&dialog).cloned() else { return };
                let f = self.figures(at, d.channel, d.operator, s);
                f.csat_n += 1;
                f.csat_sum += i64::from(score);
                f.csat_good += i64::from(score >= 4);
            }
            Fact::Presence { operator, online, at } => {
                self.flush(operator, at, s);
                let o = self.operators.entry(operator).or_insert(OperatorFacts {
                    online_since: None,
                    load: 0,
                    capacity: 0,
                    since: at,
                });
                o.since = at;
                match (online, o.online_since) {
                    (true, None) => o.online_since = Some(at),
                    (false, Some(_)) => o.online_since = None,
                    _ => {}
                }
            }
            Fact::Capacity { operator, capacity, at } => {
                self.flush(operator, at, s);
                let o = self.operators.entry(operator).or_insert(OperatorFacts {
                    online_since: None,
                    load: 0,
                    capacity: 0,
                    since: at,
                });
                o.capacity = capacity;
            }
        }
    }

    /// The online time, load and capacity an operator has gathered since his last change,
    /// up to `now` (what a report adds for operators online at the moment; nothing is kept).
    pub fn live(o: &OperatorFacts, operator: Uuid, now: i64, zone: &TimeZone) -> HashMap<Key, Figures> {
        let mut p = Projection::default();
        p.operators.insert(operator, o.clone());
        let auto = |_: Uuid| None;
        p.flush(operator, now, &Setting { zone, automation: &auto });
        p.added
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automation::AutomationDoc;

    #[test]
    fn buckets_are_exact_under_a_minute_and_floors_round_trip() {
        for s in 0..60 {
            assert_eq!(bucket_floor(bucket(s * 1000 + 999)), s * 1000);
        }
        for b in 0..1300_u16 {
            assert_eq!(bucket(bucket_floor(b)), b, "bucket {b}");
            assert!(bucket_floor(b + 1) > bucket_floor(b));
        }
        assert_eq!(bucket_floor(bucket(7 * 60_000 + 3_000)), 7 * 60_000);
        assert_eq!(bucket_floor(bucket(2 * 3_600_000 + 100_000)), 2 * 3_600_000);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut t = Timing::default();
        for s in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] {
            t.add(s * 1000);
        }
        assert_eq!(t.percentile_ms(50), Some(50_000));
        assert_eq!(t.percentile_ms(90), Some(90_000));
        assert_eq!(t.average_ms(), Some(55_000));
        let mut u = Timing::default();
        u.add(5_000);
        t.merge(&u);
        assert_eq!((t.n, t.percentile_ms(50)), (11, Some(50_000)));
        assert_eq!(Timing::default().percentile_ms(50), None);
    }

    fn zone() -> TimeZone {
        TimeZone::get("Europe/Moscow").expect("ok")
    }

    #[test]
    fn days_split_at_local_midnight() {
        let tz = zone();
        // 2026-12-01 00:00 MSK is 2026-11-30 21:00 UTC.
        let midnight = 1_796_072_400_000;
        assert_eq!(date_of(day_of(midnight, &tz)), jiff::civil::date(2026, 12, 1));
        assert_eq!(date_of(day_of(midnight - 1, &tz)), jiff::civil::date(2026, 11, 30));
        assert_eq!(day_start(day_of(midnight + 5, &tz), &tz), midnight);
    }

    #[test]
    fn a_dialog_folds_into_the_hand_computed_figures() {
        let tz = zone();
        let a = Automation::parse(
            serde_json::from_str::<AutomationDoc>(r#"{"sla": {"enabled": true, "business_hours": false}}"#)
                .expect("ok"),
        )
        .expect("ok");
        let lookup = |_: Uuid| Some(&a);
        let s = Setting { zone: &tz, automation: &lookup };
        let (d, ch, op) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let t0 = 1_796_072_400_000 + 10 * 3_600_000; // 10:00 MSK
        let mut p = Projection::default();
        for f in [
            Fact::Presence { operator: op, online: true, at: t0 - 3_600_000 },
            Fact::DialogCreated { dialog: d, channel: ch, at: t0 },
            Fact::VisitorWrote { dialog: d, at: t0 },
            Fact::Moved { dialog: d, channel: Some(ch), operator: Some(op), at: t0 + 10_000 },
            Fact::OperatorWrote { dialog: d, operator: op, at: t0 + 45_000 },
            Fact::VisitorWrote { dialog: d, at: t0 + 100_000 },
            Fact::VisitorWrote { dialog: d, at: t0 + 110_000 },
            Fact::OperatorWrote { dialog: d, operator: op, at: t0 + 500_000 },
            Fact::Closed { dialog: d, auto: false, at: t0 + 600_000 },
            Fact::Reopened { dialog: d, at: t0 + 700_000 },
            Fact::VisitorWrote { dialog: d, at: t0 + 700_000 },
            Fact::OperatorWrote { dialog: d, operator: op, at: t0 + 720_000 },
            Fact::Rated { dialog: d, score: 4, at: t0 + 800_000 },
            Fact::Presence { operator: op, online: false, at: t0 + 3_600_000 },
        ] {
            p.apply(&f, &s);
        }
        let day = day_of(t0, &tz);
        let f = &p.added[&(day, ch, op)];
        assert_eq!(p.added[&(day, ch, Uuid::nil())].dialogs_new, 1);
        assert_eq!((f.first_reply.n, f.first_reply.sum_ms), (1, 45_000), "reopen does not restart it");
        assert_eq!((f.reply.n, f.reply.sum_ms), (3, 45_000 + 400_000 + 20_000));
        assert_eq!(f.sla_first_reply, Sla { n: 1, met: 1 }, "45 s against 60 s");
        assert_eq!(f.sla_next_reply, Sla { n: 2, met: 1 }, "400 s against 300 s misses, 20 s meets");
        assert_eq!((f.closed_operator, f.missed, f.resolution.sum_ms), (1, 0, 600_000));
        assert_eq!(f.sla_resolution, Sla { n: 1, met: 1 });
        assert_eq!((f.csat_n, f.csat_sum, f.csat_good), (1, 4, 1));
        let o = &p.added[&(day, Uuid::nil(), op)];
        assert_eq!(o.online_ms, 2 * 3_600_000);
        // Load 1 from t0+10 s to the close at t0+600 s, and from the reopen at t0+700 s on.
        assert_eq!(o.load_ms, 590_000 + (3_600_000 - 700_000));
    }

    #[test]
    fn a_dialog_closed_unanswered_is_missed_and_online_time_splits_at_midnight() {
        let tz = zone();
        let lookup = |_: Uuid| None;
        let s = Setting { zone: &tz, automation: &lookup };
        let (d, ch, op) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let midnight = 1_796_072_400_000;
        let mut p = Projection::default();
        p.apply(&Fact::Capacity { operator: op, capacity: 4, at: midnight - 7_200_000 }, &s);
        p.apply(&Fact::Presence { operator: op, online: true, at: midnight - 3_600_000 }, &s);
        p.apply(&Fact::DialogCreated { dialog: d, channel: ch, at: midnight + 60_000 }, &s);
        p.apply(&Fact::VisitorWrote { dialog: d, at: midnight + 60_000 }, &s);
        p.apply(&Fact::Closed { dialog: d, auto: true, at: midnight + 660_000 }, &s);
        p.apply(&Fact::Closed { dialog: d, auto: true, at: midnight + 670_000 }, &s);
        p.apply(&Fact::Presence { operator: op, online: false, at: midnight + 1_800_000 }, &s);
        let day = day_of(midnight, &tz);
        let f = &p.added[&(day, ch, Uuid::nil())];
        assert_eq!((f.closed_auto, f.missed, f.first_reply.n), (1, 1, 0), "a second close is not counted");
        assert_eq!(p.added[&(day - 1, Uuid::nil(), op)].online_ms, 3_600_000);
        assert_eq!(p.added[&(day, Uuid::nil(), op)].online_ms, 1_800_000);
        assert_eq!(p.added[&(day, Uuid::nil(), op)].capacity_ms, 4 * 1_800_000);
    }
}
