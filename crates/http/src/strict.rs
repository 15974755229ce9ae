//! A deserializer over a parsed JSON value that reads a struct only from an object.
//!
//! serde's derived structs also accept a sequence of their fields in order, and a struct whose
//! fields all have defaults accepts `[]`: `{"caps": []}` would read as the default rule. The
//! OpenAPI document promises an object, so a client that sends an array gets a refusal naming
//! the field, everywhere a body or a socket frame is read. Everything else reads as
//! `serde_json::Value` reads it.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A JSON value read strictly (see the module's documentation).
pub struct Strict<'a>(pub &'a Value);

/// The error: serde_json's, so callers see the messages they already sort into refusals.
type Error = serde_json::Error;

impl<'de> Deserializer<'de> for Strict<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(fields) => visit_object(fields, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(fields) => visit_object(fields, visitor),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            // A unit variant written as its name, the only form our bodies use.
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            other => other.deserialize_enum(name, variants, visitor),
        }
    }

    /// A field or variant name is a string: derived identifiers also take a number (the field's
    /// or variant's index), which serde_json refuses too (`{"type": 0}` is no tag).
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            other => Err(de::Error::invalid_type(unexpected(other), &visitor)),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map ignored_any
    }
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

fn visit_array<'de, V: Visitor<'de>>(items: &'de [Value], visitor: V) -> Result<V::Value, Error> {
    let mut seq = Items(items.iter());
    let value = visitor.visit_seq(&mut seq)?;
    match seq.0.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(items.len(), &"fewer items")),
    }
}

fn visit_object<'de, V: Visitor<'de>>(fields: &'de Map<String, Value>, visitor: V) -> Result<V::Value, Error> {
    visitor.visit_map(Fields { iter: fields.iter(), value: None })
}

struct Items<'de>(std::slice::Iter<'de, Value>);

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(Strict(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields<'de> {
    iter: serde_json::map::Iter<'de>,
    value: Option<&'de Value>,
}

impl<'de> MapAccess<'de> for Fields<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.iter.next() else { return Ok(None) };
        self.value = Some(value);
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Strict(value)),
            None => Err(de::Error::custom("a value asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(default)]
    struct Rule {
        mode: String,
        on: bool,
    }

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(default)]
    struct Doc {
        caps: Rule,
        limit: Option<u8>,
        tags: Vec<String>,
        kind: Kind,
    }

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        #[default]
        Plain,
        Loud,
    }

    fn read<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
        let value: Value = serde_json::from_str(json).expect("json");
        T::deserialize(Strict(&value)).map_err(|e| e.to_string())
    }

    #[test]
    fn a_struct_is_read_only_from_an_object() {
        let doc: Doc = read(r#"{"caps": {"mode": "warn", "on": true}, "limit": 3, "tags": ["a"], "kind": "loud"}"#)
            .expect("an object reads");
        assert_eq!(doc.caps, Rule { mode: "warn".into(), on: true });
        assert_eq!((doc.limit, doc.tags, doc.kind), (Some(3), vec!["a".to_owned()], Kind::Loud));
        // The same through serde_json alone takes an array for the struct; we do not.
        let value: Value = serde_json::from_str(r#"{"caps": []}"#).expect("json");
        assert!(Doc::deserialize(&value).is_ok(), "serde_json's own reading is the lenient one");
        let err = read::<Doc>(r#"{"caps": []}"#).expect_err("an array is not a rule");
        assert!(err.starts_with("invalid type: sequence"), "{err}");
        assert!(read::<Doc>(r#"{"caps": ["warn", true]}"#).is_err());
        assert!(read::<Doc>("[]").is_err());
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum Condition {
        Url { pattern: String },
        Idle,
    }

    #[test]
    fn a_tag_is_a_name_not_an_index() {
        assert_eq!(read::<Condition>(r#"{"type": "url", "pattern": "x"}"#), Ok(Condition::Url { pattern: "x".into() }));
        assert_eq!(read::<Condition>(r#"{"type": "idle"}"#), Ok(Condition::Idle));
        assert!(read::<Condition>(r#"{"type": 0, "pattern": "x"}"#).is_err(), "variant 0 by its index");
        assert!(read::<Vec<Condition>>(r#"[{"type": 1}]"#).is_err());
        assert!(read::<Kind>("1").is_err(), "an external tag by its index");
    }

    #[test]
    fn everything_else_reads_as_json_does() {
        assert_eq!(read::<Doc>(r#"{"limit": null}"#).expect("null").limit, None);
        assert!(read::<Doc>(r#"{"limit": 300}"#).expect_err("too big").contains("invalid value"));
        assert!(read::<Doc>(r#"{"limit": -1}"#).is_err());
        assert!(read::<Doc>(r#"{"kind": "quiet"}"#).expect_err("unknown").starts_with("unknown variant"));
        assert_eq!(read::<(u8, String)>(r#"[1, "a"]"#).expect("tuple"), (1, "a".to_owned()));
        assert!(read::<(u8,)>(r#"[1, 2]"#).expect_err("long").starts_with("invalid length"));
        assert_eq!(read::<f64>("1.5").expect("float"), 1.5);
        assert_eq!(read::<i64>("-7").expect("negative"), -7);
        assert_eq!(read::<Value>(r#"{"a": [1, {"b": null}]}"#).expect("any")["a"][1]["b"], Value::Null);
    }
}
