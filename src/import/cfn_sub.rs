//! `Fn::Sub` (CloudFormation User Guide, "Fn::Sub"): `${Name}` for a
//! parameter, pseudo parameter or resource, `${Logical.Attribute}`, and
//! `${!Literal}` for the text `${Literal}`; the result kept within the
//! template's budget as it grows.

use serde_json::{Map, Value};

use super::cfn_resolve::{Resolver, text, unresolved};

impl Resolver<'_> {
    /// `Fn::Sub`: `${Name}`, `${Logical.Attribute}`, `${!Literal}`.
    pub(super) fn sub(&mut self, template: &str, vars: &Map<String, Value>, at: &str) -> Value {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else {
                let value = match vars.get(name) {
                    Some(v) => self.resolve(v, at),
                    None => match name.split_once('.') {
                        Some((logical, attribute)) if !name.starts_with("AWS::") => {
                            Some(self.get_att(logical, attribute, at))
                        }
                        _ => self.reference(name, at),
                    },
                };
                let value = value.as_ref().and_then(text).unwrap_or_default();
                if !self.budget.fits(out.len() + value.len(), "Fn::Sub", at) {
                    return unresolved("a Fn::Sub too large");
                }
                out.push_str(&value);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Value::String(out)
    }
}
