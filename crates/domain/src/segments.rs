//! Segments (issue 16): saved filters over what is known of a visitor — his attributes, the
//! events he did, his visitor tags and when he was last seen. A segment is counted and listed by
//! the store (compiled to SQL), and checked for one visitor here (routing rules, proactive
//! messages, the visitor card). Both readings must agree; the store's contract tests compare
//! them on random visitors.
//!
//! **Semantics**, for each rule:
//! - `attribute`: `is`/`is_not` a string, number or boolean (exact, case-sensitive; a missing
//!   attribute "is not" anything); `contains` a substring of a string; `gt`/`lt` a number;
//!   `exists`/`missing`; `within_days`/`older_than_days` N for a date (a name ending in `_at`).
//! - `event`: `did` (or did not) do it at least `at_least` times in all, the last time within
//!   `within_days` days when given.
//! - `tag`: has (or has not) a visitor tag.
//! - `last_seen`: his widget opened within N days, or not (a contact never seen is "older").

use crate::automation::SettingsError;
use crate::leads::{self, Attributes, Value};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The most rules in one segment.
pub const MAX_RULES: usize = 20;
/// The most segments a workspace keeps.
pub const MAX_SEGMENTS: usize = 100;
/// The longest look back, in days.
pub const MAX_DAYS: i64 = 3650;
const DAY_MS: i64 = 86_400_000;

fn bad(field: impl Into<String>, reason: impl Into<String>) -> SettingsError {
    SettingsError { field: field.into(), reason: reason.into() }
}

/// Whether every rule must hold, or any one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Match {
    #[default]
    All,
    Any,
}

/// How an attribute is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttributeOp {
    Is,
    IsNot,
    Contains,
    Gt,
    Lt,
    Exists,
    Missing,
    WithinDays,
    OlderThanDays,
}

/// How long ago he was last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SeenOp {
    WithinDays,
    OlderThanDays,
}

/// One rule of a segment, as the API and the store carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SegmentRule {
    /// An attribute the site set (`plan is "pro"`, `orders gt 3`, `signed_up_at within_days 30`).
    Attribute {
        #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::SegmentName))]
        name: String,
        op: AttributeOp,
        /// A string, number or boolean for `is`/`is_not`; a string for `contains`; a number for
        /// `gt`/`lt`; whole days (1–3650) for `within_days`/`older_than_days`; none for
        /// `exists`/`missing`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<serde_json::Value>))]
        value: Option<Value>,
    },
    /// An event he did (or did not).
    Event {
        #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::SegmentName))]
        name: String,
        #[serde(default = "yes")]
        did: bool,
        /// At least this many times in all (1 when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000))]
        at_least: Option<i64>,
        /// The last time within this many days.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3650))]
        within_days: Option<i64>,
    },
    /// A visitor tag he has (or has not).
    Tag {
        #[cfg_attr(feature = "openapi", schema(value_type = crate::patterns::schema::SegmentTag))]
        tag: String,
        #[serde(default = "yes")]
        has: bool,
    },
    /// When his widget last opened.
    LastSeen {
        op: SeenOp,
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3650))]
        days: i64,
    },
}

fn yes() -> bool {
    true
}

/// A segment's filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentFilter {
    #[serde(default, rename = "match")]
    pub match_: Match,
    /// 1–20 rules.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 20))]
    pub rules: Vec<SegmentRule>,
}

fn days_of(field: &str, n: i64) -> Result<i64, SettingsError> {
    if (1..=MAX_DAYS).contains(&n) { Ok(n) } else { Err(bad(field, format!("whole days, 1–{MAX_DAYS}"))) }
}

fn whole_days(field: &str, v: &Option<Value>) -> Result<Value, SettingsError> {
    match v {
        Some(Value::Number(n)) if n.fract() == 0.0 && (1.0..=MAX_DAYS as f64).contains(n) => Ok(Value::Number(*n)),
        _ => Err(bad(field, format!("whole days, 1–{MAX_DAYS}"))),
    }
}

impl SegmentFilter {
    /// Checks a filter as sent and returns it cleaned (names trimmed, tags folded); a bad rule
    /// is named `rules[i].field`.
    pub fn parse(self) -> Result<SegmentFilter, SettingsError> {
        if self.rules.is_empty() {
            return Err(bad("rules", "at least one rule"));
        }
        if self.rules.len() > MAX_RULES {
            return Err(bad("rules", format!("at most {MAX_RULES} rules")));
        }
        let mut rules = Vec::with_capacity(self.rules.len());
        for (i, r) in self.rules.into_iter().enumerate() {
            let f = |name: &str| format!("rules[{i}].{name}");
            rules.push(match r {
                SegmentRule::Attribute { name, op, value } => {
                    let name = leads::parse_event_name(&name).map_err(|e| bad(f("name"), e.reason))?;
                    if name.contains('"') {
                        return Err(bad(f("name"), "a name with a double quote cannot be used in a segment"));
                    }
                    let date = leads::is_date_name(&name);
                    let value = match op {
                        AttributeOp::Exists | AttributeOp::Missing => None,
                        AttributeOp::WithinDays | AttributeOp::OlderThanDays if !date => {
                            return Err(bad(f("op"), "days apply to dates: attributes whose name ends in _at"));
                        }
                        AttributeOp::WithinDays | AttributeOp::OlderThanDays => Some(whole_days(&f("value"), &value)?),
                        _ if date => {
                            return Err(bad(
                                f("op"),
                                "a date is compared with within_days, older_than_days, exists or missing",
                            ));
                        }
                        AttributeOp::Is | AttributeOp::IsNot => match value {
                            Some(Value::Text(s)) if s.chars().count() <= leads::MAX_TEXT => Some(Value::Text(s)),
                            Some(Value::Number(n)) if n.is_finite() => Some(Value::Number(n)),
                            Some(Value::Bool(b)) => Some(Value::Bool(b)),
                            _ => return Err(bad(f("value"), "a string (up to 1000 characters), number or boolean")),
                        },
                        AttributeOp::Contains => match value {
                            Some(Value::Text(s)) if !s.is_empty() && s.chars().count() <= leads::MAX_TEXT => {
                                Some(Value::Text(s))
                            }
                            _ => return Err(bad(f("value"), "a string of 1–1000 characters")),
                        },
                        AttributeOp::Gt | AttributeOp::Lt => match value {
                            Some(Value::Number(n)) if n.is_finite() => Some(Value::Number(n)),
                            _ => return Err(bad(f("value"), "a number")),
                        },
                    };
                    SegmentRule::Attribute { name, op, value }
                }
                SegmentRule::Event { name, did, at_least, within_days } => {
                    let name = leads::parse_event_name(&name).map_err(|e| bad(f("name"), e.reason))?;
                    if name.contains('"') {
                        return Err(bad(f("name"), "a name with a double quote cannot be used in a segment"));
                    }
                    if let Some(n) = at_least
                        && !(1..=1_000_000).contains(&n)
                    {
                        return Err(bad(f("at_least"), "1–1000000 times"));
                    }
                    let within_days = within_days.map(|d| days_of(&f("within_days"), d)).transpose()?;
                    SegmentRule::Event { name, did, at_least, within_days }
                }
                SegmentRule::Tag { tag, has } => SegmentRule::Tag { tag: leads::parse_tag(&f("tag"), &tag)?, has },
                SegmentRule::LastSeen { op, days } => SegmentRule::LastSeen { op, days: days_of(&f("days"), days)? },
            });
        }
        Ok(SegmentFilter { match_: self.match_, rules })
    }

    /// Whether a visitor is in the segment now.
    pub fn holds(&self, v: &Facts<'_>, now: Timestamp) -> bool {
        let mut each = self.rules.iter().map(|r| r.holds(v, now));
        match self.match_ {
            Match::All => each.all(|x| x),
            Match::Any => each.any(|x| x),
        }
    }

    /// The event names and tags the filter looks at (a caller reads only those).
    pub fn needs_events(&self) -> bool {
        self.rules.iter().any(|r| matches!(r, SegmentRule::Event { .. }))
    }

    pub fn needs_tags(&self) -> bool {
        self.rules.iter().any(|r| matches!(r, SegmentRule::Tag { .. }))
    }
}

/// The cut-off of "within N days": `now` less N days.
pub fn cutoff(now: Timestamp, days: i64) -> Timestamp {
    Timestamp(now.0 - days * DAY_MS)
}

/// One of his event counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFact {
    pub name: String,
    pub count: i64,
    pub last_at: Timestamp,
}

/// What a segment looks at for one visitor.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub attributes: &'a Attributes,
    pub tags: &'a [String],
    pub events: &'a [EventFact],
    pub last_seen_at: Option<Timestamp>,
}

impl SegmentRule {
    pub fn holds(&self, v: &Facts<'_>, now: Timestamp) -> bool {
        match self {
            SegmentRule::Attribute { name, op, value } => {
                let got = v.attributes.get(name);
                match op {
                    AttributeOp::Exists => got.is_some(),
                    AttributeOp::Missing => got.is_none(),
                    AttributeOp::Is => got.is_some_and(|g| Some(g) == value.as_ref()),
                    AttributeOp::IsNot => !got.is_some_and(|g| Some(g) == value.as_ref()),
                    AttributeOp::Contains => match (got, value) {
                        (Some(Value::Text(g)), Some(Value::Text(s))) => g.contains(s.as_str()),
                        _ => false,
                    },
                    AttributeOp::Gt | AttributeOp::Lt => match (got, value) {
                        (Some(Value::Number(g)), Some(Value::Number(n))) => {
                            if *op == AttributeOp::Gt {
                                g > n
                            } else {
                                g < n
                            }
                        }
                        _ => false,
                    },
                    AttributeOp::WithinDays | AttributeOp::OlderThanDays => {
                        let (Some(at), Some(Value::Number(days))) = (got.and_then(leads::date_of), value) else {
                            return false;
                        };
                        let cut = cutoff(now, *days as i64);
                        if *op == AttributeOp::WithinDays { at >= cut } else { at < cut }
                    }
                }
            }
            SegmentRule::Event { name, did, at_least, within_days } => {
                let done = v.events.iter().any(|e| {
                    e.name == *name
                        && e.count >= at_least.unwrap_or(1)
                        && within_days.is_none_or(|d| e.last_at >= cutoff(now, d))
                });
                done == *did
            }
            SegmentRule::Tag { tag, has } => v.tags.iter().any(|t| t == tag) == *has,
            SegmentRule::LastSeen { op, days } => {
                let cut = cutoff(now, *days);
                match op {
                    SeenOp::WithinDays => v.last_seen_at.is_some_and(|t| t >= cut),
                    SeenOp::OlderThanDays => v.last_seen_at.is_none_or(|t| t < cut),
                }
            }
        }
    }
}

/// A segment's name: 1–100 characters.
pub fn parse_name(s: &str) -> Result<String, SettingsError> {
    let t = crate::text::clean_name(s);
    let t = t.trim();
    if t.is_empty() || t.chars().count() > 100 || t.chars().any(char::is_control) {
        return Err(bad("name", "1–100 characters"));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const NOW: Timestamp = Timestamp(1_800_000_000_000);

    fn filter(json: &str) -> Result<SegmentFilter, SettingsError> {
        serde_json::from_str::<SegmentFilter>(json).expect("shape").parse()
    }

    fn attrs(json: &str) -> Attributes {
        let patch: BTreeMap<String, Option<Value>> = serde_json::from_str(json).expect("patch");
        leads::merge_attributes(&Attributes::new(), &patch, "attributes").expect("attributes")
    }

    #[test]
    fn attribute_rules_compare_by_kind() {
        let a = attrs(r#"{"plan": "pro", "orders": 3, "vip": true, "signed_up_at": 1799000000}"#);
        let facts = Facts { attributes: &a, tags: &[], events: &[], last_seen_at: None };
        let holds = |json: &str| filter(json).expect("good").holds(&facts, NOW);
        assert!(holds(r#"{"rules": [{"type": "attribute", "name": "plan", "op": "is", "value": "pro"}]}"#));
        assert!(!holds(r#"{"rules": [{"type": "attribute", "name": "plan", "op": "is", "value": "Pro"}]}"#));
        assert!(holds(r#"{"rules": [{"type": "attribute", "name": "plan", "op": "contains", "value": "r"}]}"#));
        assert!(holds(r#"{"rules": [{"type": "attribute", "name": "orders", "op": "is", "value": 3}]}"#));
        assert!(!holds(r#"{"rules": [{"type": "attribute", "name": "orders", "op": "is", "value": "3"}]}"#));
        assert!(holds(r#"{"rules": [{"type": "attribute", "name": "orders", "op": "gt", "value": 2.5}]}"#));
        assert!(!holds(r#"{"rules": [{"type": "attribute", "name": "orders", "op": "lt", "value": 3}]}"#));
        assert!(holds(r#"{"rules": [{"type": "attribute", "name": "vip", "op": "is", "value": true}]}"#));
        assert!(holds(r#"{"rules": [{"type": "attribute", "name": "city", "op": "is_not", "value": "x"}]}"#));
        assert!(holds(r#"{"rules": [{"type": "attribute", "name": "city", "op": "missing"}]}"#));
        // Signed up 1,000,000 s (11.6 days) before NOW.
        assert!(holds(
            r#"{"rules": [{"type": "attribute", "name": "signed_up_at", "op": "within_days", "value": 12}]}"#
        ));
        assert!(!holds(
            r#"{"rules": [{"type": "attribute", "name": "signed_up_at", "op": "within_days", "value": 11}]}"#
        ));
        assert!(holds(
            r#"{"rules": [{"type": "attribute", "name": "signed_up_at", "op": "older_than_days", "value": 11}]}"#
        ));
    }

    #[test]
    fn events_tags_and_last_seen() {
        let a = Attributes::new();
        let events = [EventFact { name: "order_paid".into(), count: 2, last_at: Timestamp(NOW.0 - 3 * DAY_MS) }];
        let tags = ["vip".to_owned()];
        let facts =
            Facts { attributes: &a, tags: &tags, events: &events, last_seen_at: Some(Timestamp(NOW.0 - DAY_MS)) };
        let holds = |json: &str| filter(json).expect("good").holds(&facts, NOW);
        assert!(holds(r#"{"rules": [{"type": "event", "name": "order_paid"}]}"#));
        assert!(holds(r#"{"rules": [{"type": "event", "name": "order_paid", "at_least": 2, "within_days": 7}]}"#));
        assert!(!holds(r#"{"rules": [{"type": "event", "name": "order_paid", "at_least": 3}]}"#));
        assert!(!holds(r#"{"rules": [{"type": "event", "name": "order_paid", "within_days": 2}]}"#));
        assert!(holds(r#"{"rules": [{"type": "event", "name": "order_paid", "did": false, "within_days": 2}]}"#));
        assert!(holds(r#"{"rules": [{"type": "event", "name": "cart_abandoned", "did": false}]}"#));
        assert!(holds(r#"{"rules": [{"type": "tag", "tag": " VIP "}]}"#));
        assert!(!holds(r#"{"rules": [{"type": "tag", "tag": "vip", "has": false}]}"#));
        assert!(holds(r#"{"rules": [{"type": "last_seen", "op": "within_days", "days": 2}]}"#));
        assert!(!holds(r#"{"rules": [{"type": "last_seen", "op": "older_than_days", "days": 2}]}"#));
        assert!(holds(
            r#"{"match": "any", "rules": [{"type": "tag", "tag": "gold"}, {"type": "last_seen", "op": "within_days", "days": 2}]}"#
        ));
        assert!(!holds(
            r#"{"match": "all", "rules": [{"type": "tag", "tag": "gold"}, {"type": "last_seen", "op": "within_days", "days": 2}]}"#
        ));
        let never = Facts { last_seen_at: None, ..facts };
        let f = filter(r#"{"rules": [{"type": "last_seen", "op": "older_than_days", "days": 30}]}"#).expect("good");
        assert!(f.holds(&never, NOW), "a contact never seen counts as not seen lately");
    }

    #[test]
    fn bad_rules_name_their_field() {
        let field = |json: &str| filter(json).expect_err("bad").field;
        assert_eq!(field(r#"{"rules": []}"#), "rules");
        assert_eq!(field(r#"{"rules": [{"type": "attribute", "name": " ", "op": "exists"}]}"#), "rules[0].name");
        assert_eq!(field(r#"{"rules": [{"type": "attribute", "name": "a\"b", "op": "exists"}]}"#), "rules[0].name");
        assert_eq!(
            field(r#"{"rules": [{"type": "attribute", "name": "plan", "op": "gt", "value": "x"}]}"#),
            "rules[0].value"
        );
        assert_eq!(field(r#"{"rules": [{"type": "attribute", "name": "plan", "op": "is"}]}"#), "rules[0].value");
        assert_eq!(
            field(r#"{"rules": [{"type": "attribute", "name": "plan", "op": "within_days", "value": 3}]}"#),
            "rules[0].op"
        );
        assert_eq!(
            field(r#"{"rules": [{"type": "attribute", "name": "paid_at", "op": "is", "value": "x"}]}"#),
            "rules[0].op"
        );
        assert_eq!(
            field(r#"{"rules": [{"type": "attribute", "name": "paid_at", "op": "within_days", "value": 1.5}]}"#),
            "rules[0].value"
        );
        assert_eq!(
            field(r#"{"rules": [{"type": "tag", "tag": "a"}, {"type": "event", "name": "x", "at_least": 0}]}"#),
            "rules[1].at_least"
        );
        assert_eq!(
            field(r#"{"rules": [{"type": "event", "name": "x", "within_days": 9999}]}"#),
            "rules[0].within_days"
        );
        assert_eq!(field(r#"{"rules": [{"type": "tag", "tag": "a,b"}]}"#), "rules[0].tag");
        assert_eq!(field(r#"{"rules": [{"type": "last_seen", "op": "within_days", "days": 0}]}"#), "rules[0].days");
        let many = format!(r#"{{"rules": [{}]}}"#, vec![r#"{"type": "tag", "tag": "a"}"#; MAX_RULES + 1].join(","));
        assert_eq!(field(&many), "rules");
    }

    #[test]
    fn a_filter_keeps_its_shape_through_the_store() {
        let f = filter(
            r#"{"match": "any", "rules": [{"type": "attribute", "name": "plan", "op": "is", "value": "pro"}, {"type": "event", "name": "x", "did": false, "within_days": 3}]}"#,
        )
        .expect("good");
        let again: SegmentFilter = serde_json::from_str(&serde_json::to_string(&f).expect("json")).expect("back");
        assert_eq!(again, f);
    }
}
