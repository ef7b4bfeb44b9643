//! CloudFormation templates (JSON, or YAML with the short-form
//! intrinsics): `AWS::IAM::Role`, `AWS::IAM::Policy`,
//! `AWS::IAM::ManagedPolicy`, `AWS::IAM::User`, `AWS::IAM::OIDCProvider`,
//! `AWS::S3::Bucket` (with its data settings), `AWS::S3::BucketPolicy` and
//! `AWS::KMS::Key` ([`super::cfn_data`]), in the account `--account`
//! names, with their
//! properties as the CloudFormation resource reference defines them.
//! A resource whose name CloudFormation would generate is imported under
//! its logical id, and said so.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::auth_details::{AccountImport, Principal};
use super::cfn_budget::Budget;
use super::cfn_resolve::Resolver;

/// The resource types read; others are reported.
const TYPES: [&str; 8] = [
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::User",
    "AWS::IAM::OIDCProvider",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::KMS::Key",
];

/// Whether a file's text is a CloudFormation template: a JSON or YAML map
/// with `Resources` whose entries have a `Type` like `AWS::...`, or an
/// `AWSTemplateFormatVersion`.
pub fn is_template(text: &str) -> bool {
    let parsed = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(text).ok()
    } else {
        // A YAML template that does not parse (too many aliases, say) is
        // still one, so that its reader names what is wrong.
        let top = |key: &str| text.lines().any(|l| l.starts_with(key));
        if top("AWSTemplateFormatVersion:") || top("Resources:") {
            return true;
        }
        super::cfn_yaml::parse(text).ok()
    };
    parsed.is_some_and(|v| {
        v.get("AWSTemplateFormatVersion").is_some()
            || v.get("Resources")
                .and_then(Value::as_object)
                .is_some_and(|r| {
                    r.values().any(|res| {
                        res.get("Type")
                            .and_then(Value::as_str)
                            .is_some_and(|t| t.contains("::"))
                    })
                })
    })
}

/// The physical name a resource gets: its name property, or (generated at
/// deploy) its logical id, with a note.
fn physical(
    logical: &str,
    kind: &str,
    props: &Map<String, Value>,
    r: &mut Resolver<'_>,
    file: &str,
) -> String {
    let key = match kind {
        "AWS::IAM::Role" => "RoleName",
        "AWS::IAM::User" => "UserName",
        "AWS::IAM::ManagedPolicy" => "ManagedPolicyName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::IAM::OIDCProvider" => "Url",
        _ => "PolicyName",
    };
    let at = format!("{file}: Resources.{logical}.Properties.{key}");
    match props.get(key).and_then(|v| r.resolve(v, &at)) {
        Some(Value::String(s)) if kind == "AWS::IAM::OIDCProvider" => {
            s.trim_start_matches("https://").to_owned()
        }
        Some(Value::String(s)) => s,
        _ => {
            r.notes.push(format!(
                "{file}: Resources.{logical}: no {key}, so CloudFormation generates one at deploy; imported as `{logical}`"
            ));
            logical.to_owned()
        }
    }
}

/// The names (resolved) in a property list such as `Roles` or `Users`.
fn names(props: &Map<String, Value>, key: &str, r: &mut Resolver<'_>, at: &str) -> Vec<String> {
    match props
        .get(key)
        .and_then(|v| r.resolve(v, &format!("{at}.{key}")))
    {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// A template as JSON (its YAML short-form intrinsics read as long form).
fn template(text: &str, file: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text)
            .map_err(|e| format!("{file}: not a CloudFormation template in JSON ({e})"))
    } else {
        super::cfn_yaml::parse(text)
            .map_err(|e| format!("{file}: not a CloudFormation template in YAML ({e})"))
    }
}

/// The names of a template's `Parameters` (none when it does not read).
pub(super) fn parameter_names(text: &str) -> Vec<String> {
    template(text, "")
        .ok()
        .and_then(|t| t.get("Parameters").and_then(Value::as_object).cloned())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// Reads one template's text; `file` names it in errors and notes.
pub fn read_cloudformation(
    text: &str,
    file: &str,
    account: Option<&str>,
    given: &BTreeMap<String, String>,
) -> Result<AccountImport, String> {
    let template = template(text, file)?;
    let resources = template
        .get("Resources")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{file}: a CloudFormation template needs a `Resources` map"))?;
    let account = account.ok_or_else(|| {
        format!("{file}: a CloudFormation template does not say which account it deploys to; pass --account ID")
    })?;
    let empty = Map::new();
    let section = |name: &str| {
        template
            .get(name)
            .and_then(Value::as_object)
            .unwrap_or(&empty)
    };
    let mut r = Resolver {
        account: account.to_owned(),
        region: "us-east-1".to_owned(),
        parameters: section("Parameters"),
        given,
        mappings: section("Mappings"),
        conditions: section("Conditions"),
        names: BTreeMap::new(),
        paths: BTreeMap::new(),
        notes: Vec::new(),
        placeholders: BTreeMap::new(),
        evaluating: Vec::new(),
        decided: BTreeMap::new(),
        budget: Budget::default(),
    };
    let mut kept: Vec<(&String, &str, Map<String, Value>)> = Vec::new();
    // Resources a deployment may not create: their condition's name.
    let mut undecided: BTreeMap<&String, &str> = BTreeMap::new();
    for (logical, resource) in resources {
        let at = format!("{file}: Resources.{logical}");
        let kind = resource
            .get("Type")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{at}: a resource needs a `Type`"))?;
        if !TYPES.contains(&kind) {
            if kind.starts_with("AWS::IAM::") && kind != "AWS::IAM::UserToGroupAddition" {
                r.notes
                    .push(format!("{at}: {kind} is not imported yet (left out)"));
            }
            continue;
        }
        if let Some(condition) = resource.get("Condition").and_then(Value::as_str) {
            match r.condition(condition, &at) {
                Some(false) => continue,
                Some(true) => {}
                None => {
                    r.notes.push(format!(
                        "{at}: its condition {condition} is known only once deployed; imported as if true (its Deny statements not counted on)"
                    ));
                    undecided.insert(logical, condition);
                }
            }
        }
        let props = resource
            .get("Properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        kept.push((logical, kind, props));
    }
    // Names first, so that references between resources resolve.
    for (logical, kind, props) in &kept {
        if let Some(Value::String(path)) = props.get("Path") {
            r.paths.insert((*logical).clone(), path.clone());
        }
        // A key's id and a bucket policy's name are always generated.
        let name = if matches!(*kind, "AWS::KMS::Key" | "AWS::S3::BucketPolicy") {
            (*logical).clone()
        } else {
            physical(logical, kind, props, &mut r, file)
        };
        r.names
            .insert((*logical).clone(), ((*kind).to_owned(), name));
    }
    // Users added to groups by AWS::IAM::UserToGroupAddition, by user name.
    let mut added_to: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (logical, resource) in resources {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::IAM::UserToGroupAddition") {
            continue;
        }
        let at = format!("{file}: Resources.{logical}.Properties");
        let Some(props) = resource.get("Properties").and_then(Value::as_object) else {
            continue;
        };
        let group = props
            .get("GroupName")
            .and_then(|g| r.resolve(g, &format!("{at}.GroupName")))
            .and_then(|g| g.as_str().map(str::to_owned))
            .unwrap_or_else(|| "UNRESOLVED(group)".to_owned());
        for user in names(props, "Users", &mut r, &at) {
            added_to.entry(user).or_default().push(group.clone());
        }
    }
    let mut out = AccountImport {
        account: account.to_owned(),
        ..AccountImport::default()
    };
    // Managed policies by ARN: name and document.
    let mut managed: BTreeMap<String, (String, Value)> = BTreeMap::new();
    for (logical, kind, props) in &kept {
        if *kind == "AWS::IAM::ManagedPolicy" {
            let at = format!("{file}: Resources.{logical}.Properties.PolicyDocument");
            let name = r.names[*logical].1.clone();
            let mut doc = props
                .get("PolicyDocument")
                .and_then(|d| r.resolve(d, &at))
                .unwrap_or(Value::Null);
            if let Some(condition) = undecided.get(logical) {
                super::undecided_deny::not_counted_on(&mut doc, condition);
            }
            let arn = format!(
                "arn:aws:iam::{account}:policy{}{name}",
                r.paths.get(*logical).map_or("/", String::as_str)
            );
            if !doc.is_null() {
                // Kept in the account too, so a session's PolicyArns resolve.
                out.managed_policies.insert(name.clone(), doc.clone());
            }
            managed.insert(arn, (name, doc));
        }
    }
    for (logical, kind, props) in &kept {
        let at = format!("{file}: Resources.{logical}.Properties");
        let name = r.names[*logical].1.clone();
        match *kind {
            "AWS::IAM::Role" | "AWS::IAM::User" => {
                let mut p = Principal {
                    path: r
                        .paths
                        .get(*logical)
                        .cloned()
                        .unwrap_or_else(|| "/".to_owned()),
                    ..Principal::default()
                };
                if let Some(Value::Array(tags)) = props
                    .get("Tags")
                    .and_then(|v| r.resolve(v, &format!("{at}.Tags")))
                {
                    p.tags = tags
                        .iter()
                        .filter_map(|t| {
                            Some((
                                t.get("Key")?.as_str()?.to_owned(),
                                t.get("Value")?.as_str()?.to_owned(),
                            ))
                        })
                        .collect();
                }
                if *kind == "AWS::IAM::Role" {
                    let trust = props
                        .get("AssumeRolePolicyDocument")
                        .and_then(|d| r.resolve(d, &format!("{at}.AssumeRolePolicyDocument")));
                    let trust = trust
                        .ok_or_else(|| format!("{at}: a role needs an AssumeRolePolicyDocument"))?;
                    p.trust = Some(trust);
                    p.max_session_duration = props
                        .get("MaxSessionDuration")
                        .and_then(Value::as_u64)
                        .and_then(|d| u32::try_from(d).ok());
                }
                if let Some(Value::Array(inline)) = props
                    .get("Policies")
                    .and_then(|v| r.resolve(v, &format!("{at}.Policies")))
                {
                    for (i, policy) in inline.iter().enumerate() {
                        let policy_name = policy["PolicyName"]
                            .as_str()
                            .map_or_else(|| format!("policy-{i}"), str::to_owned);
                        p.policies
                            .insert(policy_name, policy["PolicyDocument"].clone());
                    }
                }
                for arn in names(props, "ManagedPolicyArns", &mut r, &at) {
                    match managed.get(&arn) {
                        Some((policy_name, doc)) => {
                            p.policies
                                .insert(format!("managed/{policy_name}"), doc.clone());
                        }
                        None => match crate::sim::aws_managed(&arn) {
                            Some(aws) => {
                                r.notes.push(crate::sim::catalogue_note(
                                    &format!("{at}.ManagedPolicyArns"),
                                    aws,
                                ));
                                p.policies
                                    .insert(format!("managed/{}", aws.name), aws.document.clone());
                            }
                            None => {
                                r.notes.push(super::unknown_policy::unknown_managed_note(
                                    &format!("{at}.ManagedPolicyArns"),
                                    &arn,
                                ));
                                let name = arn.rsplit('/').next().unwrap_or(&arn).to_owned();
                                p.policies.insert(
                                    format!("managed/{name}"),
                                    super::unknown_policy::unknown_policy(&format!(
                                        "managed policy {arn}"
                                    )),
                                );
                            }
                        },
                    }
                }
                // A group's policies are not imported from templates: its
                // members may be granted anything by them.
                let mut groups = names(props, "Groups", &mut r, &at);
                groups.extend(added_to.remove(&name).unwrap_or_default());
                for group in groups {
                    r.notes.push(format!(
                        "{at}: the user is in group {group}, whose policies are not imported from templates: taken as a policy that may allow anything, which the analysis takes as unknown"
                    ));
                    p.policies.insert(
                        format!("group/{group}"),
                        super::unknown_policy::unknown_policy(&format!(
                            "policies of group {group}"
                        )),
                    );
                }
                if let Some(Value::String(arn)) = props
                    .get("PermissionsBoundary")
                    .and_then(|v| r.resolve(v, &format!("{at}.PermissionsBoundary")))
                {
                    match managed.get(&arn) {
                        Some((_, doc)) => p.boundary = Some(doc.clone()),
                        None => r.notes.push(format!(
                            "{at}.PermissionsBoundary: {arn} is not defined in {file} (left out)"
                        )),
                    }
                }
                let list = if *kind == "AWS::IAM::Role" {
                    &mut out.roles
                } else {
                    &mut out.users
                };
                list.insert(name, p);
            }
            "AWS::IAM::OIDCProvider" => {
                let ids = names(props, "ClientIdList", &mut r, &at);
                out.oidc_providers.insert(name, ids);
            }
            "AWS::S3::Bucket" => out.buckets.push(crate::cloud::BucketFacts::named(name)),
            _ => {}
        }
    }
    // Policies attached by the policy resources themselves.
    for (logical, kind, props) in &kept {
        let at = format!("{file}: Resources.{logical}.Properties");
        let (label, doc) = match *kind {
            "AWS::IAM::Policy" => {
                let mut doc = props
                    .get("PolicyDocument")
                    .and_then(|d| r.resolve(d, &format!("{at}.PolicyDocument")))
                    .unwrap_or(Value::Null);
                if let Some(condition) = undecided.get(logical) {
                    super::undecided_deny::not_counted_on(&mut doc, condition);
                }
                (r.names[*logical].1.clone(), doc)
            }
            "AWS::IAM::ManagedPolicy" => {
                let name = r.names[*logical].1.clone();
                let doc = managed
                    .values()
                    .find(|(n, _)| *n == name)
                    .map(|(_, d)| d.clone())
                    .unwrap_or(Value::Null);
                (format!("managed/{name}"), doc)
            }
            _ => continue,
        };
        for (key, is_role) in [("Roles", true), ("Users", false)] {
            for target in names(props, key, &mut r, &at) {
                let list = if is_role {
                    &mut out.roles
                } else {
                    &mut out.users
                };
                match list.get_mut(&target) {
                    Some(p) => {
                        p.policies.insert(label.clone(), doc.clone());
                    }
                    None => r.notes.push(format!("{at}.{key}: `{target}` is not defined in {file} (the policy is left off it)")),
                }
            }
        }
        if props.contains_key("Groups") {
            r.notes.push(format!(
                "{at}.Groups: groups are not imported from templates yet (left out)"
            ));
        }
    }
    super::cfn_data::read_data(&kept, &mut r, &mut out, file);
    if let Some(why) = r.budget.overflow.take() {
        return Err(why);
    }
    out.notes = r.into_notes();
    Ok(out)
}
