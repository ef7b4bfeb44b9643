//! JSON values written with every object's keys sorted, whatever order
//! they were read in, so an imported world is the same text every time.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// A JSON value that serializes with sorted object keys.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Sorted(pub Value);

impl Serialize for Sorted {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut out = serializer.serialize_map(Some(keys.len()))?;
                for key in keys {
                    out.serialize_entry(key, &Sorted(map[key].clone()))?;
                }
                out.end()
            }
            Value::Array(list) => {
                let mut out = serializer.serialize_seq(Some(list.len()))?;
                for item in list {
                    out.serialize_element(&Sorted(item.clone()))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}
