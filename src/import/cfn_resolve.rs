//! CloudFormation intrinsic functions, resolved as far as a template alone
//! allows (CloudFormation User Guide, "Intrinsic function reference" and
//! "Pseudo parameters reference"): `Ref` to parameters (their `Default`),
//! pseudo parameters and the template's own IAM and S3 resources;
//! `Fn::GetAtt` for their `Arn`s; `Fn::Sub`, `Fn::Join`, `Fn::Select`,
//! `Fn::Split`, `Fn::FindInMap`, `Fn::If` with the template's conditions.
//! Parameters take the values given on the command line first, then their
//! `Default` (an SSM parameter type's default is the name of the SSM
//! parameter CloudFormation reads at deploy, not its value). What only a
//! deployment knows (`Fn::ImportValue`, `AWS::StackName`, a parameter
//! without a value, a generated name) becomes the placeholder
//! `UNRESOLVED(...)` (see [`crate::iam::is_placeholder`]): it matches
//! nothing in a run, and the analysis takes it as unknown, so it never
//! hides access. A note says where.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::cfn_budget::Budget;

/// What the resolver knows of the template and its account.
pub(super) struct Resolver<'t> {
    /// The account the template deploys to.
    pub account: String,
    /// The region, for `AWS::Region`.
    pub region: String,
    /// `Parameters`.
    pub parameters: &'t Map<String, Value>,
    /// Parameter values given for the deployment (`--parameter`,
    /// `--parameters`), which win over defaults.
    pub given: &'t BTreeMap<String, String>,
    /// `Mappings`.
    pub mappings: &'t Map<String, Value>,
    /// `Conditions`.
    pub conditions: &'t Map<String, Value>,
    /// Each resource's logical id: its type and physical name.
    pub names: BTreeMap<String, (String, String)>,
    /// Each IAM resource's path (roles, users, managed policies).
    pub paths: BTreeMap<String, String>,
    /// What could not be resolved or carried over, one sentence each.
    pub notes: Vec<String>,
    /// Each value only a deployment knows, and the places it is used.
    pub placeholders: BTreeMap<String, Vec<String>>,
    /// The conditions being evaluated, innermost last (to stop cycles).
    pub evaluating: Vec<String>,
    /// Conditions already decided (each is evaluated once).
    pub decided: BTreeMap<String, Option<bool>>,
    /// What the functions have made, and why resolving stopped.
    pub budget: Budget,
}

/// `UNRESOLVED(what)`.
pub(super) fn unresolved(what: &str) -> Value {
    Value::String(format!("UNRESOLVED({what})"))
}

pub(super) fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Resolver<'_> {
    fn note(&mut self, at: &str, what: &str) -> Value {
        self.placeholders
            .entry(what.to_owned())
            .or_default()
            .push(at.to_owned());
        unresolved(what)
    }

    /// The notes, with one for each value only a deployment knows (where
    /// it is used, and how to give it).
    pub(super) fn into_notes(self) -> Vec<String> {
        let mut notes = self.notes;
        for (what, places) in self.placeholders {
            let hint = match what.strip_prefix("parameter ") {
                Some(rest) => format!(
                    "; pass --parameter {}=VALUE",
                    rest.split(' ').next().unwrap_or(rest)
                ),
                None => String::new(),
            };
            let shown = match places.as_slice() {
                [one] => one.clone(),
                [first, rest @ ..] => format!("{first} and {} more place(s)", rest.len()),
                [] => String::new(),
            };
            notes.push(format!(
                "{shown}: {what} is known only once deployed: imported as the placeholder `UNRESOLVED({what})`, which matches nothing in a run and which the analysis takes as unknown (as a principal: a caller outside the organization){hint}"
            ));
        }
        notes
    }

    /// `Ref NAME`; `None` for `AWS::NoValue` (the property disappears).
    pub(super) fn reference(&mut self, name: &str, at: &str) -> Option<Value> {
        Some(match name {
            "AWS::NoValue" => return None,
            "AWS::AccountId" => Value::String(self.account.clone()),
            "AWS::Partition" => Value::String("aws".to_owned()),
            "AWS::Region" => Value::String(self.region.clone()),
            "AWS::URLSuffix" => Value::String("amazonaws.com".to_owned()),
            _ if self.parameters.contains_key(name) => {
                let parameter = &self.parameters[name];
                let kind = parameter["Type"].as_str().unwrap_or_default();
                // An SSM parameter type's default names the SSM parameter
                // read at deploy, not the value.
                let default = if kind.starts_with("AWS::SSM::Parameter") {
                    None
                } else {
                    parameter.get("Default").and_then(text)
                };
                let value = self.given.get(name).cloned().or(default);
                match value {
                    Some(value) if kind.contains("List") => Value::Array(
                        value
                            .split(',')
                            .map(|s| Value::String(s.trim().to_owned()))
                            .collect(),
                    ),
                    Some(value) => Value::String(value),
                    None if kind.starts_with("AWS::SSM::Parameter") => {
                        self.note(at, &format!("parameter {name} (read from SSM at deploy)"))
                    }
                    None => self.note(at, &format!("parameter {name} (no Default)")),
                }
            }
            _ => match self.names.get(name).cloned() {
                Some((kind, physical)) => match kind.as_str() {
                    "AWS::IAM::ManagedPolicy" | "AWS::IAM::OIDCProvider" => {
                        Value::String(self.arn(name, &kind, &physical))
                    }
                    "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::S3::Bucket" | "AWS::KMS::Key" => {
                        Value::String(physical)
                    }
                    _ => self.note(at, &format!("Ref {name} ({kind})")),
                },
                None => self.note(at, &format!("Ref {name}")),
            },
        })
    }

    fn arn(&self, logical: &str, kind: &str, physical: &str) -> String {
        let path = self.paths.get(logical).map_or("/", String::as_str);
        let account = &self.account;
        match kind {
            "AWS::IAM::Role" => format!("arn:aws:iam::{account}:role{path}{physical}"),
            "AWS::IAM::User" => format!("arn:aws:iam::{account}:user{path}{physical}"),
            "AWS::IAM::ManagedPolicy" => format!("arn:aws:iam::{account}:policy{path}{physical}"),
            "AWS::IAM::OIDCProvider" => format!("arn:aws:iam::{account}:oidc-provider/{physical}"),
            "AWS::KMS::Key" => format!("arn:aws:kms:{}:{account}:key/{physical}", self.region),
            _ => format!("arn:aws:s3:::{physical}"),
        }
    }

    pub(super) fn get_att(&mut self, logical: &str, attribute: &str, at: &str) -> Value {
        let Some((kind, physical)) = self.names.get(logical).cloned() else {
            return self.note(at, &format!("Fn::GetAtt {logical}.{attribute}"));
        };
        match (kind.as_str(), attribute) {
            ("AWS::IAM::ManagedPolicy", "PolicyArn") | (_, "Arn") => {
                Value::String(self.arn(logical, &kind, &physical))
            }
            ("AWS::KMS::Key", "KeyId") => Value::String(physical),
            ("AWS::S3::Bucket", "DomainName") => {
                Value::String(format!("{physical}.s3.amazonaws.com"))
            }
            _ => self.note(at, &format!("Fn::GetAtt {logical}.{attribute}")),
        }
    }

    /// A condition's truth, when the template alone decides it (a
    /// condition that refers back to itself decides nothing).
    pub(super) fn condition(&mut self, name: &str, at: &str) -> Option<bool> {
        if let Some(known) = self.decided.get(name) {
            return *known;
        }
        if self.evaluating.len() >= 64 {
            self.notes.push(format!(
                "{at}: conditions nest more than 64 deep at {name}; taken as unknown"
            ));
            return None;
        }
        if self.evaluating.iter().any(|n| n == name) {
            self.notes.push(format!(
                "{at}: condition {name} refers to itself through {}; taken as unknown",
                self.evaluating.join(" -> ")
            ));
            return None;
        }
        let body = self.conditions.get(name)?.clone();
        self.evaluating.push(name.to_owned());
        let truth = self.truth(&body, at);
        self.evaluating.pop();
        self.decided.insert(name.to_owned(), truth);
        truth
    }

    fn truth(&mut self, v: &Value, at: &str) -> Option<bool> {
        let (key, args) = v.as_object()?.iter().next()?;
        match key.as_str() {
            "Condition" => self.condition(args.as_str()?, at),
            "Fn::Equals" => {
                let pair = args.as_array()?;
                let a = self.resolve(pair.first()?, at)?;
                let b = self.resolve(pair.get(1)?, at)?;
                let known = |v: &Value| !v.to_string().contains("UNRESOLVED(");
                (known(&a) && known(&b)).then(|| text(&a) == text(&b))
            }
            "Fn::Not" => self.truth(args.as_array()?.first()?, at).map(|b| !b),
            "Fn::And" | "Fn::Or" => {
                let values: Option<Vec<bool>> =
                    args.as_array()?.iter().map(|c| self.truth(c, at)).collect();
                let values = values?;
                Some(if key == "Fn::And" {
                    values.iter().all(|b| *b)
                } else {
                    values.iter().any(|b| *b)
                })
            }
            _ => None,
        }
    }

    /// `v` with every intrinsic resolved; `None` when it is `AWS::NoValue`.
    pub(super) fn resolve(&mut self, v: &Value, at: &str) -> Option<Value> {
        match v {
            Value::Array(items) => Some(Value::Array(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(n, i)| self.resolve(i, &format!("{at}[{n}]")))
                    .collect(),
            )),
            Value::Object(map) if map.len() == 1 => {
                let (key, args) = map.iter().next()?;
                self.function(key, args, at)
                    .unwrap_or_else(|| self.object(map, at))
            }
            Value::Object(map) => self.object(map, at),
            // A literal is charged too: a variable or branch resolved again
            // and again copies it each time.
            other => {
                self.budget.charge(other, at);
                Some(other.clone())
            }
        }
    }

    fn object(&mut self, map: &Map<String, Value>, at: &str) -> Option<Value> {
        let mut out = Map::new();
        for (k, v) in map {
            if let Some(v) = self.resolve(v, &format!("{at}.{k}")) {
                out.insert(k.clone(), v);
            }
        }
        Some(Value::Object(out))
    }

    /// An intrinsic function call; `None` when `key` is not one.
    fn function(&mut self, key: &str, args: &Value, at: &str) -> Option<Option<Value>> {
        if !key.starts_with("Fn::") && key != "Ref" {
            return None;
        }
        if self.budget.exhausted() {
            return Some(Some(unresolved("a template too large")));
        }
        let made = self.call(key, args, at)?;
        if key != "Fn::If"
            && let Some(value) = &made
        {
            self.budget.charge(value, at);
        }
        Some(made)
    }

    /// An intrinsic function call's result; `None` when `key` is not one.
    fn call(&mut self, key: &str, args: &Value, at: &str) -> Option<Option<Value>> {
        let list = args.as_array();
        Some(match key {
            "Ref" => self.reference(args.as_str().unwrap_or_default(), at),
            "Fn::GetAtt" => {
                let (logical, attribute) = match (list, args.as_str()) {
                    (Some(l), _) => (
                        l.first()
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        l.get(1)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                    ),
                    (None, Some(s)) => {
                        let (a, b) = s.split_once('.').unwrap_or((s, ""));
                        (a.to_owned(), b.to_owned())
                    }
                    _ => (String::new(), String::new()),
                };
                Some(self.get_att(&logical, &attribute, at))
            }
            "Fn::Sub" => Some(match (args, list) {
                (Value::String(s), _) => self.sub(s, &Map::new(), at),
                (_, Some(l)) => {
                    let template = l.first().and_then(Value::as_str).unwrap_or_default();
                    let vars = l
                        .get(1)
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    self.sub(template, &vars, at)
                }
                _ => self.note(at, "a malformed Fn::Sub"),
            }),
            "Fn::Join" => {
                let delimiter = list
                    .and_then(|l| l.first())
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let parts = list
                    .and_then(|l| l.get(1))
                    .and_then(|p| self.resolve(p, at));
                Some(match parts {
                    Some(Value::Array(parts)) => {
                        let parts: Vec<String> =
                            parts.iter().map(|p| text(p).unwrap_or_default()).collect();
                        let len = parts.iter().map(|p| p.len() + delimiter.len()).sum();
                        if self.budget.fits(len, "Fn::Join", at) {
                            Value::String(parts.join(delimiter))
                        } else {
                            unresolved("a Fn::Join too large")
                        }
                    }
                    _ => self.note(at, "a Fn::Join whose list is not known"),
                })
            }
            "Fn::Split" => {
                let delimiter = list
                    .and_then(|l| l.first())
                    .and_then(Value::as_str)
                    .unwrap_or(",");
                let source = list
                    .and_then(|l| l.get(1))
                    .and_then(|s| self.resolve(s, at));
                Some(match source.as_ref().and_then(text) {
                    Some(s) => Value::Array(
                        s.split(delimiter)
                            .map(|p| Value::String(p.to_owned()))
                            .collect(),
                    ),
                    None => self.note(at, "a Fn::Split of an unknown value"),
                })
            }
            "Fn::Select" => {
                let index = list
                    .and_then(|l| l.first())
                    .and_then(|i| self.resolve(i, at));
                let index = index
                    .as_ref()
                    .and_then(text)
                    .and_then(|i| i.parse::<usize>().ok());
                let items = list
                    .and_then(|l| l.get(1))
                    .and_then(|s| self.resolve(s, at));
                match (index, items) {
                    (Some(i), Some(Value::Array(items))) if i < items.len() => {
                        Some(items[i].clone())
                    }
                    (Some(i), Some(Value::Array(items))) => Some(self.note(
                        at,
                        &format!("a Fn::Select of index {i} beyond a list of {}", items.len()),
                    )),
                    _ => Some(self.note(at, "a Fn::Select out of an unknown list")),
                }
            }
            "Fn::FindInMap" => {
                let keys: Vec<Option<String>> = list
                    .map(|l| {
                        l.iter()
                            .map(|k| self.resolve(k, at).as_ref().and_then(text))
                            .collect()
                    })
                    .unwrap_or_default();
                let found = match keys.as_slice() {
                    [Some(map), Some(top), Some(second)] => self
                        .mappings
                        .get(map)
                        .and_then(|m| m.get(top))
                        .and_then(|t| t.get(second))
                        .cloned(),
                    _ => None,
                };
                Some(found.unwrap_or_else(|| self.note(at, "a Fn::FindInMap key")))
            }
            "Fn::If" => {
                let name = list
                    .and_then(|l| l.first())
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                match self.condition(&name, at) {
                    Some(choice) => {
                        let branch = list.and_then(|l| l.get(if choice { 1 } else { 2 }))?;
                        self.resolve(branch, at)
                    }
                    None => Some(self.note(at, &format!("Fn::If on condition {name}"))),
                }
            }
            "Fn::ImportValue" | "Fn::GetAZs" | "Fn::Base64" | "Fn::Cidr" | "Fn::Transform"
            | "Fn::GetStackOutput" => Some(self.note(at, key)),
            _ => return None,
        })
    }
}
