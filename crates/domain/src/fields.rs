//! Custom fields (issue 16, part 7): fields admins define on dialogs («Модель» of a repaired
//! device) or on visitors («Город»), each typed (text, number, choice, date), optionally with a
//! format (upper case, a pattern) and required before a dialog of some channels or categories
//! closes. Operators fill them in; the values filter the list and travel in webhooks.
//!
//! A dialog's values live on the dialog; a visitor's are his attributes under the field's key
//! (a date field's key ends in `_at`, as attributes' dates do), so segments and the Web API see
//! them as they see what the site tells.

use crate::automation::SettingsError;
use crate::leads::{self, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most fields a workspace defines.
pub const MAX_FIELDS: usize = 50;
/// The most options of a choice.
pub const MAX_OPTIONS: usize = 50;
/// The longest text value (characters).
pub const MAX_VALUE: usize = 500;

fn bad(field: impl Into<String>, reason: impl Into<String>) -> SettingsError {
    SettingsError { field: field.into(), reason: reason.into() }
}

/// What a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldTarget {
    Dialog,
    Visitor,
}

impl FieldTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dialog => "dialog",
            Self::Visitor => "visitor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "dialog" => Some(Self::Dialog),
            "visitor" => Some(Self::Visitor),
            _ => None,
        }
    }
}

/// A field's kind of value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Choice,
    Date,
}

/// How a text value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldFormat {
    /// As typed.
    #[default]
    None,
    /// In capitals («IPHONE 15 PRO»): a value is kept upper-cased.
    Upper,
}

/// When a dialog cannot close without the field (dialog fields only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Required {
    /// Before any dialog closes.
    pub always: bool,
    /// Before a dialog of one of these channels closes.
    pub channels: Vec<uuid::Uuid>,
    /// Before a dialog of one of these categories closes.
    pub categories: Vec<uuid::Uuid>,
}

impl Required {
    pub fn is_empty(&self) -> bool {
        !self.always && self.channels.is_empty() && self.categories.is_empty()
    }

    pub fn applies(&self, channel: uuid::Uuid, category: Option<uuid::Uuid>) -> bool {
        self.always || self.channels.contains(&channel) || category.is_some_and(|c| self.categories.contains(&c))
    }
}

/// A field's definition, as checked.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub key: String,
    pub label: String,
    pub target: FieldTarget,
    pub kind: FieldKind,
    /// A choice's options, in order.
    pub options: Vec<String>,
    pub format: FieldFormat,
    /// A text value must match it whole (regex-lite syntax).
    pub pattern: Option<String>,
    pub required: Required,
}

/// A field's key: 1–40 of `a-z`, `0-9` and `_`, starting with a letter. A date field's key ends
/// in `_at` and no other's does (a visitor's dates are told apart by their name).
pub fn parse_key(key: &str, kind: FieldKind) -> Result<String, SettingsError> {
    let k = key.trim();
    let ok = (1..=40).contains(&k.len())
        && k.starts_with(|c: char| c.is_ascii_lowercase())
        && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        return Err(bad("key", "1–40 of a-z, 0-9 and _, starting with a letter"));
    }
    match (kind == FieldKind::Date, leads::is_date_name(k)) {
        (true, false) => Err(bad("key", "a date field's key ends in _at")),
        (false, true) => Err(bad("key", "only a date field's key ends in _at")),
        _ => Ok(k.to_owned()),
    }
}

/// The pattern of a key (the OpenAPI document's).
pub const KEY_PATTERN: &str = "^[a-z][a-z0-9_]{0,39}$";

fn label(s: &str) -> Result<String, SettingsError> {
    let t = crate::text::clean_name(s);
    let t = t.trim();
    if t.is_empty() || t.chars().count() > 100 || t.chars().any(char::is_control) {
        return Err(bad("label", "1–100 characters"));
    }
    Ok(t.to_owned())
}

/// Compiles a value pattern (whole-value match, size-limited); one that matches an empty text
/// is refused (it would not require anything).
pub fn compile_pattern(p: &str) -> Result<regex_lite::Regex, SettingsError> {
    if p.is_empty() || p.chars().count() > 200 {
        return Err(bad("pattern", "1–200 characters"));
    }
    let re = regex_lite::RegexBuilder::new(&format!("^(?:{p})$"))
        .size_limit(100_000)
        .build()
        .map_err(|_| bad("pattern", "a regular expression that compiles"))?;
    Ok(re)
}

impl FieldDef {
    /// Checks a definition as an admin sends it.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        key: &str,
        label_: &str,
        target: FieldTarget,
        kind: FieldKind,
        options: Vec<String>,
        format: FieldFormat,
        pattern: Option<String>,
        required: Required,
    ) -> Result<FieldDef, SettingsError> {
        let key = parse_key(key, kind)?;
        let label = label(label_)?;
        let options = if kind == FieldKind::Choice {
            if options.is_empty() || options.len() > MAX_OPTIONS {
                return Err(bad("options", format!("1–{MAX_OPTIONS} options")));
            }
            let mut out: Vec<String> = Vec::with_capacity(options.len());
            for (i, o) in options.iter().enumerate() {
                let t = o.trim();
                if t.is_empty() || t.chars().count() > 100 || t.chars().any(char::is_control) {
                    return Err(bad(format!("options[{i}]"), "1–100 characters"));
                }
                if out.iter().any(|x| x == t) {
                    return Err(bad(format!("options[{i}]"), "listed twice"));
                }
                out.push(t.to_owned());
            }
            out
        } else if !options.is_empty() {
            return Err(bad("options", "only a choice has options"));
        } else {
            options
        };
        if kind != FieldKind::Text && (format != FieldFormat::None || pattern.is_some()) {
            return Err(bad(if pattern.is_some() { "pattern" } else { "format" }, "only a text field has a format"));
        }
        let pattern = match pattern.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()) {
            Some(p) => {
                if compile_pattern(&p)?.is_match("") {
                    return Err(bad("pattern", "a pattern that an empty value matches requires nothing"));
                }
                Some(p)
            }
            None => None,
        };
        if target == FieldTarget::Visitor && !required.is_empty() {
            return Err(bad("required", "only a dialog's field is required before it closes"));
        }
        Ok(FieldDef { key, label, target, kind, options, format, pattern, required })
    }

    /// Checks and shapes a value an operator sets (`field` names it in a refusal): text trimmed
    /// (upper-cased for `Upper`) and matching the pattern, a finite number, one of a choice's
    /// options, a date as RFC 3339 or `YYYY-MM-DD` kept as RFC 3339 UTC.
    pub fn value(&self, field: &str, v: &Value) -> Result<Value, SettingsError> {
        match (self.kind, v) {
            (FieldKind::Text, Value::Text(s)) => {
                let t = crate::text::without_nul(s.trim()).into_owned();
                if t.is_empty() || t.chars().count() > MAX_VALUE {
                    return Err(bad(field, format!("1–{MAX_VALUE} characters")));
                }
                let t = if self.format == FieldFormat::Upper { t.to_uppercase() } else { t };
                if let Some(p) = &self.pattern {
                    let re = compile_pattern(p)?;
                    if !re.is_match(&t) {
                        return Err(bad(field, format!("must match {p}")));
                    }
                }
                Ok(Value::Text(t))
            }
            (FieldKind::Number, Value::Number(n)) if n.is_finite() => Ok(Value::Number(*n)),
            (FieldKind::Choice, Value::Text(s)) if self.options.iter().any(|o| o == s.trim()) => {
                Ok(Value::Text(s.trim().to_owned()))
            }
            (FieldKind::Choice, _) => Err(bad(field, format!("one of: {}", self.options.join(", ")))),
            (FieldKind::Date, Value::Text(s)) => {
                let s = s.trim();
                let t = s
                    .parse::<jiff::Timestamp>()
                    .ok()
                    .or_else(|| {
                        s.parse::<jiff::civil::Date>()
                            .ok()
                            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
                            .map(|z| z.timestamp())
                    })
                    .ok_or_else(|| bad(field, "a date: YYYY-MM-DD or an RFC 3339 time"))?;
                Ok(Value::Text(t.round(jiff::Unit::Second).unwrap_or(t).to_string()))
            }
            (FieldKind::Text, _) => Err(bad(field, "a string")),
            (FieldKind::Number, _) => Err(bad(field, "a number")),
            (FieldKind::Date, _) => Err(bad(field, "a date: YYYY-MM-DD or an RFC 3339 time")),
        }
    }
}

/// Applies a change of values (`null` clears one) to what is kept, checking each against its
/// definition; a key no live field of the target has is refused. `prefix` names the body's
/// field (`values`).
pub fn apply(
    defs: &[FieldDef],
    kept: &BTreeMap<String, Value>,
    change: &BTreeMap<String, Option<Value>>,
    prefix: &str,
) -> Result<BTreeMap<String, Value>, SettingsError> {
    let mut out = kept.clone();
    for (key, v) in change {
        let f = format!("{prefix}.{key}");
        let def = defs.iter().find(|d| d.key == *key).ok_or_else(|| bad(&f, "no such field"))?;
        match v {
            None => {
                out.remove(key);
            }
            Some(v) => {
                out.insert(key.clone(), def.value(&f, v)?);
            }
        }
    }
    Ok(out)
}

/// The labels of the fields a dialog of this channel and category must have before it closes
/// and does not.
pub fn missing_before_close(
    defs: &[FieldDef],
    values: &BTreeMap<String, Value>,
    channel: uuid::Uuid,
    category: Option<uuid::Uuid>,
) -> Vec<(String, String)> {
    defs.iter()
        .filter(|d| d.target == FieldTarget::Dialog && d.required.applies(channel, category))
        .filter(|d| !values.contains_key(&d.key))
        .map(|d| (d.key.clone(), d.label.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> FieldDef {
        FieldDef::parse(
            "model",
            "Модель",
            FieldTarget::Dialog,
            FieldKind::Text,
            vec![],
            FieldFormat::Upper,
            Some("[A-Z0-9 ]+".into()),
            Required { categories: vec![uuid::Uuid::nil()], ..Default::default() },
        )
        .expect("good")
    }

    #[test]
    fn a_model_is_kept_in_capitals_and_must_match() {
        let m = model();
        assert_eq!(
            m.value("values.model", &Value::Text(" iPhone 15 pro ".into())),
            Ok(Value::Text("IPHONE 15 PRO".into()))
        );
        assert_eq!(m.value("values.model", &Value::Text("iPhone-15".into())).expect_err("dash").field, "values.model");
        assert_eq!(m.value("values.model", &Value::Number(15.0)).expect_err("number").field, "values.model");
    }

    #[test]
    fn kinds_check_their_values() {
        let def = |kind, options: Vec<&str>, key: &str| {
            FieldDef::parse(
                key,
                "Поле",
                FieldTarget::Visitor,
                kind,
                options.into_iter().map(str::to_owned).collect(),
                FieldFormat::None,
                None,
                Required::default(),
            )
            .expect("good")
        };
        let n = def(FieldKind::Number, vec![], "size");
        assert_eq!(n.value("v", &Value::Number(3.5)), Ok(Value::Number(3.5)));
        assert!(n.value("v", &Value::Text("3".into())).is_err());
        let c = def(FieldKind::Choice, vec!["Москва", "Казань"], "city");
        assert_eq!(c.value("v", &Value::Text(" Казань ".into())), Ok(Value::Text("Казань".into())));
        assert!(c.value("v", &Value::Text("казань".into())).is_err());
        let d = def(FieldKind::Date, vec![], "delivered_at");
        assert_eq!(d.value("v", &Value::Text("2026-03-01".into())), Ok(Value::Text("2026-03-01T00:00:00Z".into())));
        assert_eq!(
            d.value("v", &Value::Text("2026-03-01T13:00:00+03:00".into())),
            Ok(Value::Text("2026-03-01T10:00:00Z".into()))
        );
        assert!(d.value("v", &Value::Text("вчера".into())).is_err());
    }

    #[test]
    fn bad_definitions_name_their_field() {
        let err = |key: &str, kind, options: Vec<&str>, format, pattern: Option<&str>, target| {
            FieldDef::parse(
                key,
                "Поле",
                target,
                kind,
                options.into_iter().map(str::to_owned).collect(),
                format,
                pattern.map(str::to_owned),
                Required::default(),
            )
            .expect_err("bad")
            .field
        };
        use FieldKind::*;
        let d = FieldTarget::Dialog;
        assert_eq!(err("Model", Text, vec![], FieldFormat::None, None, d), "key");
        assert_eq!(err("paid", Date, vec![], FieldFormat::None, None, d), "key");
        assert_eq!(err("paid_at", Text, vec![], FieldFormat::None, None, d), "key");
        assert_eq!(err("city", Choice, vec![], FieldFormat::None, None, d), "options");
        assert_eq!(err("city", Choice, vec!["a", "a"], FieldFormat::None, None, d), "options[1]");
        assert_eq!(err("size", Number, vec![], FieldFormat::Upper, None, d), "format");
        assert_eq!(err("model", Text, vec![], FieldFormat::None, Some("("), d), "pattern");
        assert_eq!(err("model", Text, vec![], FieldFormat::None, Some("a*"), d), "pattern");
        let required = FieldDef::parse(
            "city",
            "Город",
            FieldTarget::Visitor,
            Text,
            vec![],
            FieldFormat::None,
            None,
            Required { always: true, ..Default::default() },
        );
        assert_eq!(required.expect_err("visitor").field, "required");
    }

    #[test]
    fn required_fields_are_named_before_close() {
        let defs = [model()];
        let none = BTreeMap::new();
        assert_eq!(missing_before_close(&defs, &none, uuid::Uuid::max(), Some(uuid::Uuid::nil())).len(), 1);
        assert!(missing_before_close(&defs, &none, uuid::Uuid::max(), None).is_empty(), "another category");
        let change = BTreeMap::from([("model".to_owned(), Some(Value::Text("x1".into())))]);
        let kept = apply(&defs, &none, &change, "values").expect("good");
        assert!(missing_before_close(&defs, &kept, uuid::Uuid::max(), Some(uuid::Uuid::nil())).is_empty());
        let unknown = BTreeMap::from([("colour".to_owned(), Some(Value::Text("x".into())))]);
        assert_eq!(apply(&defs, &kept, &unknown, "values").expect_err("unknown").field, "values.colour");
        let clear = BTreeMap::from([("model".to_owned(), None)]);
        assert!(apply(&defs, &kept, &clear, "values").expect("clear").is_empty());
    }
}
