//! A channel's automation: business hours, SLA targets, auto-close with hold phrases, offline
//! mode and the persona of proactive messages.
//!
//! The document ([`AutomationDoc`]) is what admins edit and what the store keeps; it becomes
//! an [`Automation`] only by [`Automation::parse`], which names the field of the first bad
//! value (`business_hours.week[2].close`), so a stored document is always a valid one.

use crate::hours::{BusinessHours, Interval};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A bad value in an automation document: the field as the API spells it, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct SettingsError {
    pub field: String,
    pub reason: String,
}

fn bad(field: impl Into<String>, reason: impl Into<String>) -> SettingsError {
    SettingsError { field: field.into(), reason: reason.into() }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The document as admins edit it and the store keeps it (defaults fill what is left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AutomationDoc {
    pub business_hours: HoursDoc,
    pub sla: SlaDoc,
    pub auto_close: AutoCloseDoc,
    pub offline: OfflineDoc,
    pub persona: PersonaDoc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct HoursDoc {
    pub enabled: bool,
    /// An IANA time zone (`Europe/Moscow`).
    pub time_zone: String,
    /// Open intervals; at least one when `enabled`, none overlapping another of its day.
    #[cfg_attr(feature = "openapi", schema(max_items = 70))]
    pub week: Vec<IntervalDoc>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::Holidays))]
    pub holidays: Vec<String>,
}

impl Default for HoursDoc {
    fn default() -> Self {
        let week = DAYS[..5]
            .iter()
            .map(|d| IntervalDoc { day: (*d).to_owned(), open: "09:00".into(), close: "18:00".into() })
            .collect();
        Self { enabled: false, time_zone: "Europe/Moscow".into(), week, holidays: Vec::new() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IntervalDoc {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::WeekDay))]
    pub day: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::OpensAt))]
    pub open: String,
    /// After `open`.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::ClosesAt))]
    pub close: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SlaDoc {
    pub enabled: bool,
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 604_800))]
    pub first_reply_seconds: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 604_800))]
    pub next_reply_seconds: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 604_800))]
    pub resolution_seconds: i64,
    pub business_hours: bool,
}

impl Default for SlaDoc {
    fn default() -> Self {
        // Off on a fresh install: a team that has not said when it works would see every
        // night-time question "overdue" at once. Once on: the help-desk manual's targets (first
        // reply within a minute, next within five, solved in thirty), counted in the channel's
        // business hours (every hour of the week until those are set).
        Self {
            enabled: false,
            first_reply_seconds: 60,
            next_reply_seconds: 300,
            resolution_seconds: 1800,
            business_hours: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AutoCloseDoc {
    pub enabled: bool,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub silence_minutes: i64,
    /// Each with a letter or a digit.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::HoldPhrases))]
    pub hold_phrases: Vec<String>,
    /// Longer than `silence_minutes`.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10_080))]
    pub hold_minutes: i64,
    pub prompt: PromptDoc,
}

impl Default for AutoCloseDoc {
    fn default() -> Self {
        Self {
            enabled: true,
            silence_minutes: 10,
            hold_phrases: ["минуту", "минуты", "минут", "оформляю"].map(String::from).to_vec(),
            hold_minutes: 30,
            prompt: PromptDoc::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PromptDoc {
    pub enabled: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::LongText))]
    pub text: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub close_after_minutes: i64,
}

impl Default for PromptDoc {
    fn default() -> Self {
        Self { enabled: false, text: "Вопрос ещё актуален?".into(), close_after_minutes: 5 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OfflineDoc {
    pub enabled: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::LongText))]
    pub message: String,
}

impl Default for OfflineDoc {
    fn default() -> Self {
        Self {
            enabled: false,
            message: "Сейчас мы не на связи. Оставьте контакты — мы ответим в рабочее время.".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PersonaDoc {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::ShortText))]
    pub name: String,
}

impl Default for PersonaDoc {
    fn default() -> Self {
        Self { name: "Служба поддержки".into() }
    }
}

/// SLA targets in ms, and whether they count in business hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaPolicy {
    pub first_reply_ms: i64,
    pub next_reply_ms: i64,
    pub resolution_ms: i64,
    pub in_business_hours: bool,
}

/// Which SLA target a due time is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaTarget {
    FirstReply,
    NextReply,
    Resolution,
}

impl SlaTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstReply => "first_reply",
            Self::NextReply => "next_reply",
            Self::Resolution => "resolution",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::FirstReply, Self::NextReply, Self::Resolution].into_iter().find(|t| t.as_str() == s)
    }
}

/// What the auto-close timer does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoCloseAction {
    /// Send the "is the question still relevant?" prompt, then close later.
    Prompt,
    Close,
}

impl AutoCloseAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prompt => "prompt",
            Self::Close => "close",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "prompt" => Some(Self::Prompt),
            "close" => Some(Self::Close),
            _ => None,
        }
    }
}

/// A dialog's auto-close timer: at `at` do `action`; `hold_phrase` is the phrase of the
/// operator's message that made the limit the longer one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoCloseTimer {
    pub at: Timestamp,
    pub action: AutoCloseAction,
    pub hold_phrase: Option<String>,
}

/// Auto-close of dialogs whose visitor went silent after an operator's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoClosePolicy {
    pub silence_ms: i64,
    pub hold_ms: i64,
    /// Each phrase as its words, lower case.
    hold_phrases: Vec<(String, Vec<String>)>,
    /// The prompt's text and how long after it the dialog closes.
    pub prompt: Option<(String, i64)>,
}

/// The words of a text for phrase matching: letters and digits, lower case, `ё` as `е`.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('ё', "е"))
        .collect()
}

impl AutoClosePolicy {
    /// The first hold phrase the message contains as whole words, in any case.
    pub fn hold_phrase_in(&self, body: &str) -> Option<&str> {
        let text = words(body);
        self.hold_phrases
            .iter()
            .find(|(_, phrase)| !phrase.is_empty() && text.windows(phrase.len()).any(|w| w == phrase.as_slice()))
            .map(|(p, _)| p.as_str())
    }

    /// The timer an operator's message starts: the silence limit, or the hold limit when the
    /// message holds the visitor ("минуту, уточняю").
    pub fn after_operator_message(&self, body: &str, now: Timestamp) -> AutoCloseTimer {
        let hold = self.hold_phrase_in(body).map(str::to_owned);
        let wait = if hold.is_some() { self.hold_ms } else { self.silence_ms };
        let action = if self.prompt.is_some() { AutoCloseAction::Prompt } else { AutoCloseAction::Close };
        AutoCloseTimer { at: now.plus_millis(wait), action, hold_phrase: hold }
    }

    /// The timer after the prompt was sent: the close, unless the visitor answers.
    pub fn after_prompt(&self, now: Timestamp) -> AutoCloseTimer {
        let after = self.prompt.as_ref().map_or(self.silence_ms, |(_, ms)| *ms);
        AutoCloseTimer { at: now.plus_millis(after), action: AutoCloseAction::Close, hold_phrase: None }
    }
}

/// A channel's automation, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Automation {
    pub hours: BusinessHours,
    pub sla: Option<SlaPolicy>,
    pub auto_close: Option<AutoClosePolicy>,
    /// The widget's offline text, when offline mode is on.
    pub offline: Option<String>,
    pub persona: String,
    doc: AutomationDoc,
}

impl Default for Automation {
    fn default() -> Self {
        Self::parse(AutomationDoc::default()).unwrap_or_else(|_| unreachable!("the default document is valid"))
    }
}

fn in_range(field: &str, v: i64, lo: i64, hi: i64) -> Result<i64, SettingsError> {
    if (lo..=hi).contains(&v) { Ok(v) } else { Err(bad(field, format!("must be {lo}–{hi}"))) }
}

fn text(field: &str, s: &str, max: usize) -> Result<String, SettingsError> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(bad(field, format!("1–{max} characters")));
    }
    Ok(t.to_owned())
}

/// `"HH:MM"` as minutes after midnight; `24:00` only where `allow_midnight`.
fn clock(field: &str, s: &str, allow_midnight: bool) -> Result<u16, SettingsError> {
    let err = || bad(field, "a time HH:MM");
    let (h, m) = s.trim().split_once(':').ok_or_else(err)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(err());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?);
    match (h, m) {
        (24, 0) if allow_midnight => Ok(1440),
        (0..=23, 0..=59) => Ok(h * 60 + m),
        _ => Err(err()),
    }
}

impl Automation {
    /// Checks a document; the first bad value is named. Every section is checked whether it is
    /// on or off: a switched-off section keeps its values for when it is switched on again,
    /// so they must be as valid as the ones in use.
    pub fn parse(doc: AutomationDoc) -> Result<Self, SettingsError> {
        let hours = Self::parse_hours(&doc.business_hours)?;
        let s = &doc.sla;
        let secs = |f: &str, v: i64| in_range(&format!("sla.{f}"), v, 10, 604_800).map(|v| v * 1000);
        let sla = SlaPolicy {
            first_reply_ms: secs("first_reply_seconds", s.first_reply_seconds)?,
            next_reply_ms: secs("next_reply_seconds", s.next_reply_seconds)?,
            resolution_ms: secs("resolution_seconds", s.resolution_seconds)?,
            in_business_hours: s.business_hours,
        };
        let sla = s.enabled.then_some(sla);
        let a = &doc.auto_close;
        let silence = in_range("auto_close.silence_minutes", a.silence_minutes, 1, 1440)?;
        let hold = in_range("auto_close.hold_minutes", a.hold_minutes, 1, 10_080)?;
        if hold <= silence {
            return Err(bad("auto_close.hold_minutes", "must be longer than silence_minutes"));
        }
        if a.hold_phrases.len() > 50 {
            return Err(bad("auto_close.hold_phrases", "at most 50 phrases"));
        }
        let mut phrases = Vec::new();
        for (i, p) in a.hold_phrases.iter().enumerate() {
            let field = format!("auto_close.hold_phrases[{i}]");
            let p = text(&field, p, 100)?;
            let w = words(&p);
            if w.is_empty() {
                return Err(bad(field, "needs a letter or a digit"));
            }
            phrases.push((p, w));
        }
        let prompt_text = text("auto_close.prompt.text", &a.prompt.text, 1000)?;
        let prompt_after = in_range("auto_close.prompt.close_after_minutes", a.prompt.close_after_minutes, 1, 1440)?;
        let prompt = a.prompt.enabled.then(|| (prompt_text, prompt_after * 60_000));
        let auto_close = a.enabled.then(|| AutoClosePolicy {
            silence_ms: silence * 60_000,
            hold_ms: hold * 60_000,
            hold_phrases: phrases.clone(),
            prompt,
        });
        let offline_text = text("offline.message", &doc.offline.message, 1000)?;
        let offline = doc.offline.enabled.then_some(offline_text);
        let persona = text("persona.name", &doc.persona.name, 100)?;
        let mut doc = doc;
        // Keep what was checked, trimmed.
        doc.persona.name = persona.clone();
        doc.auto_close.hold_phrases = phrases.iter().map(|(p, _)| p.clone()).collect();
        Ok(Self { hours, sla, auto_close, offline, persona, doc })
    }

    fn parse_hours(h: &HoursDoc) -> Result<BusinessHours, SettingsError> {
        let tz = jiff::tz::TimeZone::get(h.time_zone.trim())
            .map_err(|_| bad("business_hours.time_zone", "not a known time zone (e.g. Europe/Moscow)"))?;
        let mut week: [Vec<Interval>; 7] = Default::default();
        if h.week.len() > 70 {
            return Err(bad("business_hours.week", "at most 70 intervals"));
        }
        for (i, iv) in h.week.iter().enumerate() {
            let field = |f: &str| format!("business_hours.week[{i}].{f}");
            let day = DAYS
                .iter()
                .position(|d| *d == iv.day.trim())
                .ok_or_else(|| bad(field("day"), "mon, tue, wed, thu, fri, sat or sun"))?;
            let open = clock(&field("open"), &iv.open, false)?;
            let close = clock(&field("close"), &iv.close, true)?;
            if close <= open {
                return Err(bad(field("close"), "must be after open"));
            }
            let new = Interval { open, close };
            if week[day].iter().any(|o| o.open < new.close && new.open < o.close) {
                return Err(bad(field("open"), "overlaps another interval of the day"));
            }
            week[day].push(new);
        }
        for d in &mut week {
            d.sort();
        }
        if h.holidays.len() > 400 {
            return Err(bad("business_hours.holidays", "at most 400 dates"));
        }
        let mut holidays = BTreeSet::new();
        for (i, d) in h.holidays.iter().enumerate() {
            let date: jiff::civil::Date =
                d.trim().parse().map_err(|_| bad(format!("business_hours.holidays[{i}]"), "a date YYYY-MM-DD"))?;
            holidays.insert(date);
        }
        if !h.enabled {
            return Ok(BusinessHours::always());
        }
        if week.iter().all(Vec::is_empty) {
            return Err(bad("business_hours.week", "at least one open interval"));
        }
        Ok(BusinessHours::weekly(tz, week, holidays))
    }

    /// The document as checked (trimmed), for the store and the API.
    pub fn doc(&self) -> &AutomationDoc {
        &self.doc
    }

    /// When an SLA target of `ms` started at `from` is due (in business hours if asked).
    pub fn due(&self, from: Timestamp, ms: i64) -> Timestamp {
        match self.sla {
            Some(p) if p.in_business_hours => self.hours.add_working(from, ms),
            _ => from.plus_millis(ms),
        }
    }

    /// Due times a visitor's message would start: `(first reply, next reply)`; the store keeps
    /// the one that applies (first until an operator has replied) unless one runs already.
    pub fn reply_dues(&self, now: Timestamp) -> (Option<Timestamp>, Option<Timestamp>) {
        match self.sla {
            Some(p) => (Some(self.due(now, p.first_reply_ms)), Some(self.due(now, p.next_reply_ms))),
            None => (None, None),
        }
    }

    /// When a dialog started at `now` must be resolved.
    pub fn resolution_due(&self, now: Timestamp) -> Option<Timestamp> {
        self.sla.map(|p| self.due(now, p.resolution_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> AutomationDoc {
        serde_json::from_str(json).expect("json")
    }

    #[test]
    fn the_defaults_are_the_manuals() {
        let a = Automation::default();
        assert!(a.sla.is_none(), "SLA off on a fresh install: no false alarms at night");
        let on = Automation::parse(doc(r#"{"sla": {"enabled": true}}"#)).expect("valid");
        let sla = on.sla.expect("sla on");
        assert_eq!((sla.first_reply_ms, sla.next_reply_ms, sla.resolution_ms), (60_000, 300_000, 1_800_000));
        assert!(sla.in_business_hours, "once on, counted in business hours (every hour until they are set)");
        let ac = a.auto_close.as_ref().expect("auto-close on");
        assert_eq!((ac.silence_ms, ac.hold_ms), (600_000, 1_800_000));
        assert!(a.hours.is_always());
        assert!(a.offline.is_none());
    }

    #[test]
    fn hold_phrases_are_whole_words_in_any_case() {
        let a = Automation::default();
        let p = a.auto_close.as_ref().expect("on");
        assert_eq!(p.hold_phrase_in("Минуту, уточняю у склада"), Some("минуту"));
        assert_eq!(p.hold_phrase_in("Подождите пару МИНУТ!"), Some("минут"));
        assert_eq!(p.hold_phrase_in("Оформляю заказ"), Some("оформляю"));
        assert_eq!(p.hold_phrase_in("Минутку"), None, "another word");
        assert_eq!(p.hold_phrase_in("поминутно"), None, "part of a word");
        assert_eq!(p.hold_phrase_in("Спасибо за обращение"), None);
        let t = p.after_operator_message("Минуту", Timestamp(0));
        assert_eq!(
            t,
            AutoCloseTimer {
                at: Timestamp(1_800_000),
                action: AutoCloseAction::Close,
                hold_phrase: Some("минуту".into())
            }
        );
        let t = p.after_operator_message("Готово", Timestamp(0));
        assert_eq!((t.at, t.hold_phrase), (Timestamp(600_000), None));
    }

    #[test]
    fn a_phrase_of_several_words_matches_in_order() {
        let mut d = AutomationDoc::default();
        d.auto_close.hold_phrases = vec!["  Одну секунду ".into()];
        let a = Automation::parse(d).expect("valid");
        let p = a.auto_close.as_ref().expect("on");
        assert_eq!(p.hold_phrase_in("одну   секунду, пожалуйста"), Some("Одну секунду"));
        assert_eq!(p.hold_phrase_in("секунду одну"), None);
        assert_eq!(a.doc().auto_close.hold_phrases, vec!["Одну секунду".to_owned()]);
    }

    #[test]
    fn the_prompt_comes_first_then_the_close() {
        let a = Automation::parse(doc(r#"{"auto_close": {"prompt": {"enabled": true}}}"#)).expect("valid");
        let p = a.auto_close.as_ref().expect("on");
        let t = p.after_operator_message("Готово", Timestamp(0));
        assert_eq!(t.action, AutoCloseAction::Prompt);
        let t = p.after_prompt(Timestamp(600_000));
        assert_eq!((t.at, t.action), (Timestamp(900_000), AutoCloseAction::Close));
    }

    #[test]
    fn bad_values_name_their_field() {
        let err = |json: &str| Automation::parse(doc(json)).expect_err("refused").field;
        assert_eq!(err(r#"{"business_hours": {"time_zone": "Mars/Olympus"}}"#), "business_hours.time_zone");
        assert_eq!(
            err(
                r#"{"business_hours": {"week": [{"day": "mon", "open": "09:00", "close": "18:00"}, {"day": "tue", "open": "19:00", "close": "18:00"}]}}"#
            ),
            "business_hours.week[1].close"
        );
        assert_eq!(
            err(r#"{"business_hours": {"week": [{"day": "sunday", "open": "09:00", "close": "18:00"}]}}"#),
            "business_hours.week[0].day"
        );
        assert_eq!(
            err(
                r#"{"business_hours": {"week": [{"day": "mon", "open": "09:00", "close": "13:00"}, {"day": "mon", "open": "12:00", "close": "18:00"}]}}"#
            ),
            "business_hours.week[1].open"
        );
        assert_eq!(err(r#"{"business_hours": {"enabled": true, "week": []}}"#), "business_hours.week");
        assert_eq!(err(r#"{"business_hours": {"holidays": ["2027-13-01"]}}"#), "business_hours.holidays[0]");
        assert_eq!(err(r#"{"sla": {"first_reply_seconds": 5}}"#), "sla.first_reply_seconds");
        assert_eq!(err(r#"{"auto_close": {"hold_minutes": 5}}"#), "auto_close.hold_minutes");
        assert_eq!(err(r#"{"auto_close": {"hold_phrases": ["минуту", "  "]}}"#), "auto_close.hold_phrases[1]");
        assert_eq!(err(r#"{"auto_close": {"prompt": {"enabled": true, "text": ""}}}"#), "auto_close.prompt.text");
        assert_eq!(err(r#"{"offline": {"enabled": true, "message": ""}}"#), "offline.message");
        assert_eq!(err(r#"{"persona": {"name": ""}}"#), "persona.name");
        // A switched-off section is checked as well: its values come back when it is switched on.
        assert_eq!(err(r#"{"sla": {"enabled": false, "first_reply_seconds": 0}}"#), "sla.first_reply_seconds");
        assert_eq!(
            err(r#"{"auto_close": {"enabled": false, "prompt": {"enabled": false, "close_after_minutes": -5}}}"#),
            "auto_close.prompt.close_after_minutes"
        );
        assert_eq!(err(r#"{"auto_close": {"enabled": false, "silence_minutes": 0}}"#), "auto_close.silence_minutes");
        assert_eq!(err(r#"{"offline": {"enabled": false, "message": " "}}"#), "offline.message");
    }

    #[test]
    fn sla_counts_in_business_hours_when_asked() {
        let a = Automation::parse(doc(
            r#"{"business_hours": {"enabled": true, "time_zone": "UTC", "week": [{"day": "mon", "open": "09:00", "close": "18:00"}]},
                "sla": {"enabled": true, "business_hours": true}}"#,
        ))
        .expect("valid");
        // Monday 4 January 2027, 08:00 UTC: the first reply is due at 09:01.
        let monday_8 = Timestamp(1_799_020_800_000 + 8 * 3_600_000);
        let (first, next) = a.reply_dues(monday_8);
        assert_eq!(first, Some(Timestamp(monday_8.0 + 3_660_000)));
        assert_eq!(next, Some(Timestamp(monday_8.0 + 3_600_000 + 300_000)));
        // Business hours not set: every hour counts.
        let plain = Automation::parse(doc(r#"{"sla": {"enabled": true}}"#)).expect("valid");
        assert_eq!(plain.reply_dues(monday_8).0, Some(Timestamp(monday_8.0 + 60_000)));
        assert_eq!(Automation::default().reply_dues(monday_8), (None, None), "off by default");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn channel(in_hours: bool, first: i64, next: i64, resolution: i64) -> Automation {
            let doc = serde_json::json!({
                "business_hours": {"enabled": true, "time_zone": "Europe/Berlin", "holidays": ["2027-03-10"],
                    "week": [{"day": "mon", "open": "09:00", "close": "13:00"}, {"day": "mon", "open": "14:00", "close": "18:00"},
                             {"day": "wed", "open": "08:30", "close": "20:00"}, {"day": "sat", "open": "10:00", "close": "14:00"}]},
                "sla": {"enabled": true, "first_reply_seconds": first, "next_reply_seconds": next,
                    "resolution_seconds": resolution, "business_hours": in_hours}
            });
            Automation::parse(serde_json::from_value(doc).expect("doc")).expect("valid")
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            /// In business hours a target is exactly its length of working time; otherwise it is
            /// plain time. Either way the first reply never comes due after the next one when it
            /// is the shorter target, and nothing is due before it started.
            #[test]
            fn sla_targets_are_working_time_when_asked(
                t in 1_798_761_600_000i64..1_830_297_600_000,
                first in 10i64..7200, next in 10i64..7200, resolution in 10i64..604_800, in_hours in any::<bool>(),
            ) {
                let a = channel(in_hours, first, next, resolution);
                let now = Timestamp(t);
                let (f, n) = a.reply_dues(now);
                let (f, n) = (f.expect("on"), n.expect("on"));
                let r = a.resolution_due(now).expect("on");
                for (due, secs) in [(f, first), (n, next), (r, resolution)] {
                    prop_assert!(due.0 - t >= secs * 1000);
                    if in_hours {
                        prop_assert_eq!(a.hours.working_between(now, due), secs * 1000);
                    } else {
                        prop_assert_eq!(due.0 - t, secs * 1000);
                    }
                }
                if first <= next {
                    prop_assert!(f <= n);
                }
            }
        }
    }
}
