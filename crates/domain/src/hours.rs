//! Business hours: a weekly schedule of open intervals in a time zone, with holidays, and the
//! arithmetic SLA targets and "we answer within a day" promises are counted in.
//!
//! What stays true (and the property tests check): `working_between(t, add_working(t, d)) ==
//! d`; working time is additive over adjacent spans; adding more working time never lands
//! earlier. Intervals are local wall-clock times converted through the time zone each day, so
//! a 09:00–18:00 day is 9 hours on either side of a daylight-saving change, and a 01:00–04:00
//! interval on the night the clocks jump forward is 2 hours long.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use std::collections::BTreeSet;

use crate::time::Timestamp;

/// Days the arithmetic looks ahead (a century): a checked schedule has an open interval every
/// week, so only a schedule with none at all (which parsing refuses) would reach it.
const HORIZON_DAYS: usize = 36_525;

/// An open interval of a weekday, in minutes after local midnight: `open < close <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interval {
    pub open: u16,
    pub close: u16,
}

/// When a channel works. `always()` is open at every instant.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessHours {
    /// `None`: always open.
    schedule: Option<Schedule>,
}

#[derive(Debug, Clone, PartialEq)]
struct Schedule {
    tz: TimeZone,
    /// Monday first; each day's intervals sorted and not overlapping.
    week: [Vec<Interval>; 7],
    holidays: BTreeSet<Date>,
}

impl BusinessHours {
    pub fn always() -> Self {
        Self { schedule: None }
    }

    /// A schedule; the caller has checked the intervals (sorted, not overlapping, at least
    /// one in the week).
    pub fn weekly(tz: TimeZone, week: [Vec<Interval>; 7], holidays: BTreeSet<Date>) -> Self {
        Self { schedule: Some(Schedule { tz, week, holidays }) }
    }

    pub fn is_always(&self) -> bool {
        self.schedule.is_none()
    }

    /// Whether the channel is open at `t`.
    pub fn is_open(&self, t: Timestamp) -> bool {
        let Some(s) = &self.schedule else { return true };
        s.spans_from(t).next().is_some_and(|(a, _)| a <= t.0)
    }

    /// When the channel is next open at or after `t` (`t` itself when open).
    pub fn next_open(&self, t: Timestamp) -> Timestamp {
        let Some(s) = &self.schedule else { return t };
        s.spans_from(t).next().map_or(t, |(a, _)| Timestamp(a.max(t.0)))
    }

    /// The instant when `ms` of working time has passed after `start`.
    pub fn add_working(&self, start: Timestamp, ms: i64) -> Timestamp {
        let Some(s) = &self.schedule else { return start.plus_millis(ms) };
        let mut left = ms.max(0);
        for (a, b) in s.spans_from(start) {
            let a = a.max(start.0);
            if left <= b - a {
                return Timestamp(a + left);
            }
            left -= b - a;
        }
        // No open interval within the horizon (cannot happen for a checked schedule).
        start.plus_millis(ms)
    }

    /// Working time, in ms, between `a` and `b` (0 when `b <= a`).
    pub fn working_between(&self, a: Timestamp, b: Timestamp) -> i64 {
        if b <= a {
            return 0;
        }
        // Saturating: the span between the ends of what a `Timestamp` holds exceeds an i64.
        let Some(s) = &self.schedule else { return b.0.saturating_sub(a.0) };
        let mut total = 0;
        for (x, y) in s.spans_from(a) {
            if x >= b.0 {
                break;
            }
            total += y.min(b.0) - x.max(a.0);
        }
        total
    }
}

impl Schedule {
    /// The open spans `[a, b)` in UTC ms that end after `t`, in order.
    fn spans_from(&self, t: Timestamp) -> impl Iterator<Item = (i64, i64)> + '_ {
        let start = jiff::Timestamp::from_millisecond(t.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let first = start.to_zoned(self.tz.clone()).date();
        let days = std::iter::successors(Some(first), |d| d.tomorrow().ok()).take(HORIZON_DAYS);
        days.filter(|d| !self.holidays.contains(d))
            .flat_map(move |d| {
                let day = d.weekday().to_monday_zero_offset() as usize;
                self.week[day].iter().filter_map(move |iv| {
                    let a = self.instant(d, iv.open)?;
                    let b = self.instant(d, iv.close)?;
                    (a < b).then_some((a, b))
                })
            })
            .filter(move |(_, b)| *b > t.0)
    }

    /// Local `minutes` after midnight of `day` as UTC ms (a time in a daylight-saving gap moves
    /// forward past it; one that occurs twice is the earlier).
    fn instant(&self, day: Date, minutes: u16) -> Option<i64> {
        let dt: DateTime = if minutes >= 1440 {
            day.tomorrow().ok()?.at(0, 0, 0, 0)
        } else {
            day.at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0)
        };
        let z = self.tz.to_ambiguous_zoned(dt).compatible().ok()?;
        Some(z.timestamp().as_millisecond())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MIN: i64 = 60_000;
    const HOUR: i64 = 3_600_000;

    fn at(tz: &str, s: &str) -> Timestamp {
        let dt: DateTime = s.parse().expect("datetime");
        let z = dt.to_zoned(TimeZone::get(tz).expect("tz")).expect("zoned");
        Timestamp(z.timestamp().as_millisecond())
    }

    fn nine_to_six(tz: &str, days: usize, holidays: &[&str]) -> BusinessHours {
        let mut week: [Vec<Interval>; 7] = Default::default();
        for d in week.iter_mut().take(days) {
            d.push(Interval { open: 9 * 60, close: 18 * 60 });
        }
        let holidays = holidays.iter().map(|h| h.parse().expect("date")).collect();
        BusinessHours::weekly(TimeZone::get(tz).expect("tz"), week, holidays)
    }

    #[test]
    fn a_message_at_night_is_due_after_the_morning_opening() {
        let h = nine_to_six("Europe/Moscow", 5, &[]);
        // Wednesday 23:00 + 1 min of work = Thursday 09:01.
        let due = h.add_working(at("Europe/Moscow", "2027-03-03T23:00"), MIN);
        assert_eq!(due, at("Europe/Moscow", "2027-03-04T09:01"));
        assert!(!h.is_open(at("Europe/Moscow", "2027-03-03T23:00")));
        assert_eq!(h.next_open(at("Europe/Moscow", "2027-03-03T23:00")), at("Europe/Moscow", "2027-03-04T09:00"));
    }

    #[test]
    fn the_weekend_and_holidays_do_not_count() {
        let h = nine_to_six("Europe/Moscow", 5, &["2027-03-08"]);
        // Friday 17:58 + 5 min: 2 min on Friday, 3 on Tuesday (Monday 8 March is a holiday).
        let due = h.add_working(at("Europe/Moscow", "2027-03-05T17:58"), 5 * MIN);
        assert_eq!(due, at("Europe/Moscow", "2027-03-09T09:03"));
        let between =
            h.working_between(at("Europe/Moscow", "2027-03-05T12:00"), at("Europe/Moscow", "2027-03-09T10:00"));
        assert_eq!(between, 7 * HOUR);
    }

    #[test]
    fn daylight_saving_changes_keep_wall_clock_hours() {
        let tz = TimeZone::get("Europe/Berlin").expect("tz");
        let mut week: [Vec<Interval>; 7] = Default::default();
        // Sundays 01:00–04:00: on 28 March 2027 the clocks jump from 02:00 to 03:00.
        week[6].push(Interval { open: 60, close: 240 });
        let h = BusinessHours::weekly(tz, week, BTreeSet::new());
        let spring =
            h.working_between(at("Europe/Berlin", "2027-03-28T00:00"), at("Europe/Berlin", "2027-03-29T00:00"));
        assert_eq!(spring, 2 * HOUR);
        // On 31 October 2027 02:00–03:00 happens twice.
        let autumn =
            h.working_between(at("Europe/Berlin", "2027-10-31T00:00"), at("Europe/Berlin", "2027-11-01T00:00"));
        assert_eq!(autumn, 4 * HOUR);
        // A 9-to-6 day across the change is still 9 hours.
        let h = nine_to_six("America/New_York", 7, &[]);
        let day =
            h.working_between(at("America/New_York", "2027-03-14T00:00"), at("America/New_York", "2027-03-15T00:00"));
        assert_eq!(day, 9 * HOUR);
    }

    #[test]
    fn always_open_is_plain_time() {
        let h = BusinessHours::always();
        assert_eq!(h.add_working(Timestamp(1000), 500), Timestamp(1500));
        assert_eq!(h.working_between(Timestamp(1000), Timestamp(4000)), 3000);
        assert!(h.is_open(Timestamp(0)));
    }

    #[test]
    fn always_open_saturates_at_the_ends_of_time() {
        // Found by the fuzz target automation_doc: the subtraction overflowed.
        let h = BusinessHours::always();
        assert_eq!(h.working_between(Timestamp(i64::MIN), Timestamp(i64::MAX)), i64::MAX);
        assert_eq!(h.working_between(Timestamp(i64::MIN), Timestamp(1_800_000_000_000)), i64::MAX);
        assert_eq!(h.working_between(Timestamp(-1), Timestamp(i64::MAX)), i64::MAX);
        assert_eq!(h.working_between(Timestamp(i64::MAX), Timestamp(i64::MIN)), 0);
    }

    #[test]
    fn an_interval_may_end_at_midnight() {
        let mut week: [Vec<Interval>; 7] = Default::default();
        week[0].push(Interval { open: 22 * 60, close: 1440 });
        let h = BusinessHours::weekly(TimeZone::UTC, week, BTreeSet::new());
        // Monday 4 January 2027.
        let monday_23 = at("UTC", "2027-01-04T23:00");
        assert!(h.is_open(monday_23));
        assert_eq!(h.add_working(monday_23, HOUR), at("UTC", "2027-01-05T00:00"));
        assert_eq!(h.add_working(monday_23, 2 * HOUR), at("UTC", "2027-01-11T23:00"));
    }

    fn schedule() -> impl Strategy<Value = BusinessHours> {
        let zones = prop_oneof![Just("UTC"), Just("Europe/Berlin"), Just("America/New_York"), Just("Asia/Kolkata")];
        // Each weekday: no interval, or one or two, on a 15-minute grid.
        let day = prop::collection::vec((0u16..96, 1u16..48), 0..=2).prop_map(|raw| {
            let mut out: Vec<Interval> = Vec::new();
            let mut from = 0u16;
            for (gap, len) in raw {
                let open = from + gap * 15 % (1440 - from).max(1);
                let close = (open + len * 15).min(1440);
                if open < close && open >= from {
                    out.push(Interval { open, close });
                    from = close;
                }
            }
            out
        });
        (zones, prop::array::uniform7(day), any::<bool>()).prop_map(|(tz, mut week, holiday)| {
            if week.iter().all(Vec::is_empty) {
                week[2].push(Interval { open: 540, close: 1080 });
            }
            let holidays =
                if holiday { ["2027-03-10".parse().expect("date")].into_iter().collect() } else { BTreeSet::new() };
            BusinessHours::weekly(TimeZone::get(tz).expect("tz"), week, holidays)
        })
    }

    /// Instants from 2027 into 2028 (both daylight-saving changes of the zones above).
    fn instant() -> impl Strategy<Value = Timestamp> {
        (1_798_761_600_000i64..1_830_297_600_000).prop_map(Timestamp)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn adding_then_measuring_gives_back_the_time(h in schedule(), t in instant(), d in 0i64..(30 * 24 * HOUR)) {
            let end = h.add_working(t, d);
            prop_assert!(end.0 - t.0 >= d);
            prop_assert_eq!(h.working_between(t, end), d);
        }

        #[test]
        fn working_time_is_additive(h in schedule(), a in instant(), x in 0i64..(20 * 24 * HOUR), y in 0i64..(20 * 24 * HOUR)) {
            let b = Timestamp(a.0 + x);
            let c = Timestamp(b.0 + y);
            prop_assert_eq!(h.working_between(a, b) + h.working_between(b, c), h.working_between(a, c));
        }

        #[test]
        fn more_work_never_ends_earlier(h in schedule(), t in instant(), d1 in 0i64..(10 * 24 * HOUR), d2 in 0i64..(10 * 24 * HOUR)) {
            let (lo, hi) = if d1 <= d2 { (d1, d2) } else { (d2, d1) };
            prop_assert!(h.add_working(t, lo) <= h.add_working(t, hi));
        }

        #[test]
        fn the_next_opening_is_open(h in schedule(), t in instant()) {
            let open = h.next_open(t);
            prop_assert!(open >= t);
            prop_assert!(h.is_open(open));
            // Nothing of the time before it counts.
            prop_assert_eq!(h.working_between(t, open), 0);
        }
    }
}
