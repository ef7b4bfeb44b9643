//! CloudFormation templates written in YAML, short-form intrinsics
//! included: `!Ref X` becomes `{"Ref": "X"}`, `!GetAtt A.B` becomes
//! `{"Fn::GetAtt": ["A", "B"]}`, and any other `!Name v` becomes
//! `{"Fn::Name": v}`, the JSON form the CloudFormation User Guide gives
//! for each (intrinsic function reference, "Short form" of each
//! function). serde-saphyr's `Tagged` wrapper hands each node's tag over.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use serde_saphyr::Tagged;

/// A node with its intrinsic tag turned into the JSON form.
struct Node(Value);
/// A node's value before its tag is applied.
struct Plain(Value);

fn object(key: String, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key, value);
    Value::Object(map)
}

/// The long form of a short-form intrinsic `!name` applied to `value`.
fn intrinsic(name: &str, value: Value) -> Value {
    match (name, value) {
        ("Ref" | "Condition", v) => object(name.to_owned(), v),
        ("GetAtt", Value::String(s)) => {
            let (resource, attribute) = s.split_once('.').unwrap_or((&s, ""));
            object(
                "Fn::GetAtt".to_owned(),
                Value::Array(vec![resource.into(), attribute.into()]),
            )
        }
        (name, v) => object(format!("Fn::{name}"), v),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Tagged(Plain(value), tag) = Tagged::<Plain>::deserialize(d)?;
        Ok(Node(
            match tag.as_deref().and_then(|t| t.strip_prefix('!')) {
                Some(name) if !name.is_empty() && !name.starts_with('!') && !name.contains(':') => {
                    intrinsic(name, value)
                }
                _ => value,
            },
        ))
    }
}

struct PlainVisitor;

impl<'de> Visitor<'de> for PlainVisitor {
    type Value = Plain;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML node")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Plain, E> {
        Ok(Plain(b.into()))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Plain, E> {
        Ok(Plain(n.into()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Plain, E> {
        Ok(Plain(n.into()))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Plain, E> {
        Ok(Plain(n.into()))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Plain, E> {
        Ok(Plain(s.into()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Plain, E> {
        Ok(Plain(s.into()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Plain, E> {
        Ok(Plain(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Plain, E> {
        Ok(Plain(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Plain, D::Error> {
        Node::deserialize(d).map(|Node(v)| Plain(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Plain, A::Error> {
        let mut out = Vec::new();
        while let Some(Node(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Plain(Value::Array(out)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Plain, A::Error> {
        let mut out = Map::new();
        while let Some((k, Node(v))) = map.next_entry::<String, Node>()? {
            out.insert(k, v);
        }
        Ok(Plain(Value::Object(out)))
    }
}

impl<'de> Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PlainVisitor)
    }
}

/// A YAML template as JSON, intrinsics in their long form.
pub(super) fn parse(text: &str) -> Result<Value, String> {
    serde_saphyr::from_str::<Node>(text)
        .map(|Node(v)| v)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_become_long_forms() {
        let v = parse(
            "a: !Ref Role\nb: !GetAtt Role.Arn\nc: !Sub 'arn:${AWS::Partition}:s3:::x'\nd: !Join [',', [!Ref A, b]]\ne: plain\n",
        )
        .unwrap_or_default();
        assert_eq!(v["a"], serde_json::json!({"Ref": "Role"}));
        assert_eq!(v["b"], serde_json::json!({"Fn::GetAtt": ["Role", "Arn"]}));
        assert_eq!(
            v["c"],
            serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::x"})
        );
        assert_eq!(
            v["d"],
            serde_json::json!({"Fn::Join": [",", [{"Ref": "A"}, "b"]]})
        );
        assert_eq!(v["e"], "plain");
    }
}
