//! A channel's automation document, as admins send it: JSON into `AutomationDoc`, then
//! `Automation::parse`; a document that parses then has its due times, business-hours
//! arithmetic and auto-close timers computed at arbitrary instants.
//!
//! Input: one JSON document, optionally followed by raw bytes that choose the instants and
//! the operator's message (so a plain `.json` file is a valid seed).
#![no_main]

use arbitrary::Unstructured;
use frontline_domain::{Automation, AutomationDoc, Timestamp};
use libfuzzer_sys::fuzz_target;

/// Instants that matter whatever the input: the epoch and a Monday of 2027.
const FIXED: [i64; 2] = [0, 1_799_020_800_000 + 8 * 3_600_000];

/// The ends of what a `Timestamp` holds. Tried with always-open hours only: with a schedule,
/// an instant past what the calendar library represents (year 9999) costs a full scan of the
/// century the arithmetic looks ahead (tens of ms), which would starve the fuzzer.
const ENDS: [i64; 2] = [i64::MIN, i64::MAX];

/// Years 1970–2100 in ms, where real instants are.
const REAL: i64 = 4_102_444_800_000;
/// About ±9999 years in ms, the range of the calendar library.
const CALENDAR: i64 = 253_402_300_799_999;

/// An instant chosen from raw bytes: mostly a real one, sometimes anywhere in the calendar,
/// rarely any i64 at all.
fn instant(u: &mut Unstructured<'_>) -> Option<i64> {
    let mode: u8 = u.arbitrary().ok()?;
    let raw: i64 = u.arbitrary().ok()?;
    Some(match mode % 8 {
        0 => raw,
        1 => raw % CALENDAR,
        _ => raw.rem_euclid(REAL),
    })
}

/// Working time to add: up to 30 days mostly, rarely any i64 (negative too).
fn duration(u: &mut Unstructured<'_>) -> Option<i64> {
    let mode: u8 = u.arbitrary().ok()?;
    let raw: i64 = u.arbitrary().ok()?;
    Some(if mode % 8 == 0 { raw } else { raw.rem_euclid(MONTH + 1) })
}

const MONTH: i64 = 30 * 86_400_000;

fuzz_target!(|data: &[u8]| {
    let mut docs = serde_json::Deserializer::from_slice(data).into_iter::<AutomationDoc>();
    let Some(Ok(doc)) = docs.next() else { return };
    let rest = &data[docs.byte_offset().min(data.len())..];
    let Ok(a) = Automation::parse(doc) else { return };

    // A checked document is valid as stored: it parses again, to the same document, also
    // after a JSON round trip (the store keeps it as JSON).
    let again = Automation::parse(a.doc().clone()).expect("a checked document parses again");
    assert_eq!(again.doc(), a.doc(), "parsing a checked document changes it");
    let json = serde_json::to_string(a.doc()).expect("serialize");
    let back: AutomationDoc = serde_json::from_str(&json).expect("the stored JSON reads back");
    assert!(Automation::parse(back).is_ok(), "the stored JSON parses");

    let mut u = Unstructured::new(rest);
    let picked = instant(&mut u).unwrap_or(1_800_000_000_000);
    let later = instant(&mut u).unwrap_or(picked);
    let work = duration(&mut u).unwrap_or(3_600_000);
    let body: &str = u.arbitrary().unwrap_or("Минуту, уточняю");

    let ends = if a.hours.is_always() { &ENDS[..] } else { &[] };
    for t in FIXED.into_iter().chain(ends.iter().copied()).chain([picked]) {
        let now = Timestamp(t);
        let (first, next) = a.reply_dues(now);
        let resolution = a.resolution_due(now);
        if a.sla.is_some() {
            assert!(first.is_some() && next.is_some() && resolution.is_some(), "SLA on, no due time");
        }
        for due in [first, next, resolution].into_iter().flatten() {
            // Time moves forward (saturating at the end of what a Timestamp holds).
            assert!(due >= now, "a due time {due:?} before its start {now:?}");
        }
        let _ = a.hours.is_open(now);
        let open = a.hours.next_open(now);
        assert!(open >= now, "next opening {open:?} before {now:?}");
        let end = a.hours.add_working(now, work);
        let measured = a.hours.working_between(now, end);
        if (0..REAL).contains(&t) && (0..=MONTH).contains(&work) {
            // What hours.rs promises: adding then measuring gives back the time.
            assert!(end.0 - t >= work, "{work} ms of work ended after {} ms", end.0 - t);
            assert_eq!(measured, work, "added {work} ms at {t}, measured {measured} ms");
        }
        let _ = a.hours.working_between(now, Timestamp(later));
        if let Some(p) = &a.auto_close {
            let timer = p.after_operator_message(body, now);
            assert!(timer.at >= now, "auto-close timer in the past");
            let _ = p.after_prompt(now);
            let _ = p.hold_phrase_in(body);
        }
    }
});
