//! A policy document as JSON (or YAML) text reads it, with one rule plain
//! serde does not keep: a key may appear only once in an object. serde_json
//! silently keeps the last of two `Statement` keys, which would let a hidden
//! first statement pass review; IAM refuses such a document, and so does
//! this reader, naming the key.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A JSON value whose objects have no duplicate keys.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document(pub Value);

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let twice = RefCell::new(None);
        Unique { twice: &twice }
            .deserialize(deserializer)
            .map(Document)
    }
}

/// Why bytes are not one JSON value without duplicate keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// A key appears twice in one object (the first found).
    Twice(String),
    /// Not JSON, or more than one value.
    Syntax(String),
}

/// Reads JSON bytes as one value whose objects, at any depth, have no
/// duplicate keys; a duplicate is named, not only described.
pub fn read_unique(bytes: &[u8]) -> Result<Value, JsonError> {
    let twice = RefCell::new(None);
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let read = Unique { twice: &twice }
        .deserialize(&mut reader)
        .and_then(|v| reader.end().map(|()| v));
    if let Some(key) = twice.into_inner() {
        return Err(JsonError::Twice(key));
    }
    read.map_err(|e| JsonError::Syntax(e.to_string()))
}

/// Reads a value, refusing a key twice in any object; the first key found
/// twice is left in `twice`.
struct Unique<'a> {
    twice: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Unique { twice: self.twice })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Unique { twice: self.twice })?;
            if object.contains_key(&key) {
                let err = de::Error::custom(format_args!(
                    "the key `{key}` appears twice in one object; IAM refuses duplicate keys, so keep one"
                ));
                self.twice.replace(Some(key));
                return Err(err);
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A YAML parser's message in the product's words: a duplicate key is
/// refused because a key may appear only once, not for a parser option.
pub fn yaml_message(message: &str) -> String {
    message.replace(
        ", set DuplicateKeyPolicy in Options if acceptable",
        "; a key may appear only once",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        let hidden = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}],"Statement":[]}"#;
        let err = serde_json::from_str::<Document>(hidden)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("`Statement` appears twice"), "{err}");
        let nested = r#"{"Statement":{"Effect":"Deny","Effect":"Allow"}}"#;
        assert!(serde_json::from_str::<Document>(nested).is_err());
        assert_eq!(
            read_unique(br#"{"a":[{"b":1,"b":2}]}"#),
            Err(JsonError::Twice("b".to_owned()))
        );
        let fine = r#"{"Statement":[{"Effect":"Allow"},{"Effect":"Deny"}]}"#;
        assert!(serde_json::from_str::<Document>(fine).is_ok());
    }
}
