//! What a site tells about its users (issue 16): Web API keys and their scopes, the site's own
//! user id, typed attributes, events and visitor tags. Checked here, stored by the store.
//!
//! **Attributes** are a JSON object of strings, numbers and booleans. A name ending in `_at` is
//! a date: given as an RFC 3339 time or as Unix seconds, kept as an RFC 3339 UTC string, so a
//! segment can compare it as a time. `null` removes an attribute.

use crate::automation::SettingsError;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most attributes a visitor has.
pub const MAX_ATTRIBUTES: usize = 100;
/// The longest attribute name, event name, tag and user id (characters).
pub const MAX_NAME: usize = 100;
/// The longest string attribute or event property value (characters).
pub const MAX_TEXT: usize = 1000;
/// The most properties an event carries.
pub const MAX_EVENT_PROPERTIES: usize = 20;
/// The most tags a visitor has.
pub const MAX_TAGS: usize = 50;

fn bad(field: impl Into<String>, reason: impl Into<String>) -> SettingsError {
    SettingsError { field: field.into(), reason: reason.into() }
}

/// What a Web API key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Read visitors, their attributes, events, tags and dialogs.
    VisitorsRead,
    /// Create visitors by user id, set their name, contacts and attributes, tag them.
    VisitorsWrite,
    /// Track events.
    EventsWrite,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::VisitorsRead, Scope::VisitorsWrite, Scope::EventsWrite];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::VisitorsRead => "visitors:read",
            Scope::VisitorsWrite => "visitors:write",
            Scope::EventsWrite => "events:write",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// A list as the API takes it: at least one, each known and named once; sorted.
    pub fn parse_list<S: AsRef<str>>(items: &[S]) -> Result<Vec<Scope>, SettingsError> {
        let mut out = Vec::new();
        for (i, s) in items.iter().enumerate() {
            let scope = Scope::parse(s.as_ref().trim())
                .ok_or_else(|| bad(format!("scopes[{i}]"), "one of visitors:read, visitors:write, events:write"))?;
            if out.contains(&scope) {
                return Err(bad(format!("scopes[{i}]"), "listed twice"));
            }
            out.push(scope);
        }
        if out.is_empty() {
            return Err(bad("scopes", "at least one scope"));
        }
        out.sort();
        Ok(out)
    }

    /// As the store keeps a list: names separated by spaces.
    pub fn join(scopes: &[Scope]) -> String {
        scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// A stored list (unknown names, from a later version, are skipped).
    pub fn split(stored: &str) -> Vec<Scope> {
        stored.split_whitespace().filter_map(Scope::parse).collect()
    }
}

/// A name as [`crate::patterns::Trimmed::name`] describes it: bidi and zero-width characters
/// removed, trimmed, 1..=`max` characters, no control characters.
fn name_of(field: &str, s: &str, max: usize) -> Result<String, SettingsError> {
    let cleaned = crate::text::clean_name(s);
    let t = cleaned.trim();
    if t.is_empty() {
        return Err(bad(field, "required"));
    }
    if t.chars().count() > max {
        return Err(bad(field, format!("at most {max} characters")));
    }
    if t.chars().any(char::is_control) {
        return Err(bad(field, "no control characters"));
    }
    Ok(t.to_owned())
}

fn name(field: &str, s: &str) -> Result<String, SettingsError> {
    name_of(field, s, MAX_NAME)
}

/// The pattern of a user id, an event's name, an attribute's name (the OpenAPI document's).
pub fn name_pattern() -> String {
    crate::patterns::Trimmed::name(MAX_NAME).pattern()
}

/// The pattern of an attribute's name in a segment rule (no double quote).
pub fn segment_name_pattern() -> String {
    use crate::patterns::{CharSet, Trimmed, control};
    Trimmed::name(MAX_NAME).forbid(control().union(&CharSet::chars("\""))).pattern()
}

/// The pattern of a tag as sent.
pub fn tag_pattern() -> String {
    use crate::patterns::{CharSet, Trimmed, control};
    Trimmed::name(MAX_TAG).forbid(control().union(&CharSet::chars(","))).pattern()
}

/// The longest tag (characters, as sent once trimmed).
pub const MAX_TAG: usize = 50;

/// The site's own id of a user (its database id, a UUID, an e-mail…), as the site sends it.
pub fn parse_user_id(s: &str) -> Result<String, SettingsError> {
    name("user_id", s)
}

/// An event's name (`order_paid`, «Оформил заказ»).
pub fn parse_event_name(s: &str) -> Result<String, SettingsError> {
    name("name", s)
}

/// A visitor tag: a name of at most [`MAX_TAG`] characters without commas, then its inner
/// white space folded to single spaces and lower-cased.
pub fn parse_tag(field: &str, s: &str) -> Result<String, SettingsError> {
    let t = name_of(field, s, MAX_TAG)?;
    if t.contains(',') {
        return Err(bad(field, "no commas: one tag per item"));
    }
    Ok(t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
}

/// One attribute's value as the API carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Number(f64),
    Text(String),
}

/// What kind of value an attribute holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Bool,
    Date,
}

impl Kind {
    /// An attribute's kind: a date by its name, the rest by its value.
    pub fn of(name: &str, value: &Value) -> Kind {
        match value {
            _ if is_date_name(name) => Kind::Date,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::Text(_) => Kind::Text,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "number",
            Kind::Bool => "boolean",
            Kind::Date => "date",
        }
    }
}

/// A name ending in `_at` holds a date.
pub fn is_date_name(name: &str) -> bool {
    name.ends_with("_at")
}

/// A date attribute's instant (none for a value that is not one).
pub fn date_of(value: &Value) -> Option<Timestamp> {
    match value {
        Value::Text(s) => s.parse::<jiff::Timestamp>().ok().map(|t| Timestamp(t.as_millisecond())),
        _ => None,
    }
}

fn date_text(t: jiff::Timestamp) -> String {
    // Whole seconds print without a fraction; milliseconds with three digits.
    t.round(jiff::Unit::Millisecond).map(|t| t.to_string()).unwrap_or_else(|_| t.to_string())
}

/// A visitor's attributes as stored.
pub type Attributes = BTreeMap<String, Value>;

/// Applies a change to a visitor's attributes: `None` removes one, a value sets it. Every item
/// is checked before anything changes; the field names the attribute (`attributes.plan`).
pub fn merge_attributes(
    stored: &Attributes,
    patch: &BTreeMap<String, Option<Value>>,
    field: &str,
) -> Result<Attributes, SettingsError> {
    let mut out = stored.clone();
    for (raw, value) in patch {
        let key = name(&format!("{field}.{raw}"), raw)?;
        let f = format!("{field}.{key}");
        let Some(value) = value else {
            out.remove(&key);
            continue;
        };
        let checked = if is_date_name(&key) {
            let t = match value {
                Value::Text(s) => s.trim().parse::<jiff::Timestamp>().map_err(|_| {
                    bad(&f, "a date: an RFC 3339 time (2026-03-01T10:00:00Z) or Unix seconds, as its name ends in _at")
                })?,
                Value::Number(n) if n.is_finite() && n.abs() < 1.0e11 => {
                    jiff::Timestamp::from_millisecond((n * 1000.0).round() as i64)
                        .map_err(|_| bad(&f, "a date within years 1970–5000"))?
                }
                _ => {
                    return Err(bad(
                        &f,
                        "a date: an RFC 3339 time (2026-03-01T10:00:00Z) or Unix seconds, as its name ends in _at",
                    ));
                }
            };
            Value::Text(date_text(t))
        } else {
            match value {
                Value::Text(s) if s.chars().count() > MAX_TEXT => {
                    return Err(bad(&f, format!("at most {MAX_TEXT} characters")));
                }
                Value::Text(s) => Value::Text(crate::text::without_nul(s).into_owned()),
                Value::Number(n) if !n.is_finite() => return Err(bad(&f, "a finite number")),
                other => other.clone(),
            }
        };
        out.insert(key, checked);
    }
    if out.len() > MAX_ATTRIBUTES {
        return Err(bad(field, format!("a visitor has at most {MAX_ATTRIBUTES} attributes")));
    }
    Ok(out)
}

/// An event's properties, checked (no dates by name here: they are kept as sent).
pub fn check_event_properties(props: &BTreeMap<String, Value>) -> Result<BTreeMap<String, Value>, SettingsError> {
    if props.len() > MAX_EVENT_PROPERTIES {
        return Err(bad("properties", format!("at most {MAX_EVENT_PROPERTIES} properties")));
    }
    let mut out = BTreeMap::new();
    for (raw, value) in props {
        let key = name(&format!("properties.{raw}"), raw)?;
        let f = format!("properties.{key}");
        let v = match value {
            Value::Text(s) if s.chars().count() > MAX_TEXT => {
                return Err(bad(&f, format!("at most {MAX_TEXT} characters")));
            }
            Value::Text(s) => Value::Text(crate::text::without_nul(s).into_owned()),
            Value::Number(n) if !n.is_finite() => return Err(bad(&f, "a finite number")),
            other => other.clone(),
        };
        out.insert(key, v);
    }
    Ok(out)
}

/// A change of a visitor's tags: the tags after it, or why not.
pub fn change_tags(stored: &[String], add: &[String], remove: &[String]) -> Result<Vec<String>, SettingsError> {
    // A list longer than a visitor's tags can be is refused whole, even when it repeats itself.
    for (field, list) in [("add", add), ("remove", remove)] {
        if list.len() > MAX_TAGS {
            return Err(bad(field, format!("at most {MAX_TAGS} tags a change")));
        }
    }
    let add: Vec<String> =
        add.iter().enumerate().map(|(i, t)| parse_tag(&format!("add[{i}]"), t)).collect::<Result<_, _>>()?;
    let remove: Vec<String> =
        remove.iter().enumerate().map(|(i, t)| parse_tag(&format!("remove[{i}]"), t)).collect::<Result<_, _>>()?;
    let mut out: Vec<String> = stored.iter().filter(|t| !remove.contains(t)).cloned().collect();
    for t in add {
        if !out.contains(&t) && !remove.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(bad("add", format!("a visitor has at most {MAX_TAGS} tags")));
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> BTreeMap<String, Option<Value>> {
        serde_json::from_str(json).expect("patch")
    }

    #[test]
    fn attributes_keep_their_kinds_and_dates_by_name() {
        let a = merge_attributes(
            &Attributes::new(),
            &patch(r#"{"plan": "pro", "orders": 3, "vip": true, "signed_up_at": "2026-03-01T13:00:00+03:00", "paid_at": 1772359200}"#),
            "attributes",
        )
        .expect("good");
        assert_eq!(a["plan"], Value::Text("pro".into()));
        assert_eq!(a["orders"], Value::Number(3.0));
        assert_eq!(a["vip"], Value::Bool(true));
        assert_eq!(a["signed_up_at"], Value::Text("2026-03-01T10:00:00Z".into()), "kept in UTC");
        assert_eq!(a["paid_at"], Value::Text("2026-03-01T10:00:00Z".into()), "Unix seconds read as a date");
        assert_eq!(Kind::of("paid_at", &a["paid_at"]), Kind::Date);
        assert_eq!(date_of(&a["paid_at"]), Some(Timestamp(1_772_359_200_000)));
        // null removes; the rest stays.
        let b = merge_attributes(&a, &patch(r#"{"vip": null, "orders": 4}"#), "attributes").expect("good");
        assert!(!b.contains_key("vip"));
        assert_eq!((b["orders"].clone(), b.len()), (Value::Number(4.0), 4));
    }

    #[test]
    fn bad_attributes_name_their_field_and_change_nothing() {
        let err = |json: &str| merge_attributes(&Attributes::new(), &patch(json), "attributes").expect_err("bad").field;
        assert_eq!(err(r#"{"signed_up_at": "yesterday"}"#), "attributes.signed_up_at");
        assert_eq!(err(r#"{"paid_at": true}"#), "attributes.paid_at");
        assert_eq!(err(r#"{"": 1}"#), "attributes.");
        assert_eq!(err(&format!(r#"{{"note": "{}"}}"#, "я".repeat(MAX_TEXT + 1))), "attributes.note");
        let many: BTreeMap<String, Option<Value>> =
            (0..=MAX_ATTRIBUTES).map(|i| (format!("a{i}"), Some(Value::Number(1.0)))).collect();
        assert_eq!(merge_attributes(&Attributes::new(), &many, "attributes").expect_err("many").field, "attributes");
        // An object or a list is not an attribute value.
        assert!(serde_json::from_str::<BTreeMap<String, Option<Value>>>(r#"{"x": {"a": 1}}"#).is_err());
        assert!(serde_json::from_str::<BTreeMap<String, Option<Value>>>(r#"{"x": [1]}"#).is_err());
    }

    #[test]
    fn tags_fold_case_and_space() {
        assert_eq!(parse_tag("t", "  VIP   Клиент ").expect("tag"), "vip клиент");
        assert!(parse_tag("t", "a,b").is_err());
        assert!(parse_tag("t", " ").is_err());
        assert!(parse_tag("t", &"x".repeat(51)).is_err());
        let now = change_tags(&["b".into()], &["A".into(), "b".into(), "c".into()], &["c".into()]).expect("ok");
        assert_eq!(now, vec!["a".to_owned(), "b".to_owned()], "removal wins over an add of the same tag");
        let many: Vec<String> = (0..=MAX_TAGS).map(|_| "0".to_owned()).collect();
        assert_eq!(change_tags(&[], &many, &[]).expect_err("51 to add").field, "add");
        assert_eq!(change_tags(&[], &[], &many).expect_err("51 to remove").field, "remove");
        let err = change_tags(&[], &["ok".into(), "a,b".into()], &[]).expect_err("bad");
        assert_eq!(err.field, "add[1]");
    }

    #[test]
    fn scopes_parse_as_a_set() {
        assert_eq!(
            Scope::parse_list(&["events:write", "visitors:read"]).expect("ok"),
            vec![Scope::VisitorsRead, Scope::EventsWrite]
        );
        assert_eq!(Scope::parse_list(&["events:write", "events:write"]).expect_err("twice").field, "scopes[1]");
        assert_eq!(Scope::parse_list::<&str>(&[]).expect_err("empty").field, "scopes");
        assert_eq!(Scope::parse_list(&["visitors:read", "admin"]).expect_err("bad").field, "scopes[1]");
        assert_eq!(Scope::split(&Scope::join(&Scope::ALL)), Scope::ALL.to_vec());
    }

    #[test]
    fn names_refuse_control_characters() {
        assert_eq!(parse_user_id(" 42 ").expect("id"), "42");
        assert!(parse_user_id("a\u{0}b").is_err());
        assert_eq!(parse_event_name("pay\u{202e}").expect("stripped"), "pay", "bidi controls are removed");
        assert!(parse_event_name(&"e".repeat(MAX_NAME + 1)).is_err());
    }
}
