//! Reading the elements of a statement: principals, actions, resources and
//! conditions, each checked against what IAM allows there.

use serde_json::{Map, Value as Json};

use super::arn::{Arn, is_account_id};
use super::condition::{self, Family, Operator, OperatorError, Value};
use super::pattern::Pattern;
use super::placeholder::is_placeholder;
use super::policy::*;
use super::principal::{PrincipalName, PrincipalType, PrincipalValue};
use super::syntax::{ParseError, fail, strings};

pub(super) fn principal_values(value: &Json, at: &str) -> Result<Vec<PrincipalValue>, ParseError> {
    match value {
        Json::String(s) if s == "*" => Ok(vec![PrincipalValue {
            kind: PrincipalType::Star,
            raw: "*".to_owned(),
            name: PrincipalName::Anyone,
        }]),
        Json::Object(map) => {
            let mut out = Vec::new();
            for (key, values) in map {
                let kind = match key.as_str() {
                    "AWS" => PrincipalType::Aws,
                    "Service" => PrincipalType::Service,
                    "Federated" => PrincipalType::Federated,
                    "CanonicalUser" => PrincipalType::CanonicalUser,
                    _ => {
                        return fail(
                            &format!("{at}.{key}"),
                            "unknown principal type; use AWS, Service, Federated or CanonicalUser",
                        );
                    }
                };
                let path = format!("{at}.{key}");
                let (raws, _) = strings(values, &path, "a principal")?;
                for (i, raw) in raws.into_iter().enumerate() {
                    let item = if matches!(values, Json::Array(_)) {
                        format!("{path}[{i}]")
                    } else {
                        path.clone()
                    };
                    let name = match kind {
                        PrincipalType::Aws => aws_principal(&raw, &item)?,
                        _ if is_placeholder(&raw) => PrincipalName::Unresolved(raw.clone()),
                        _ if raw.contains(['*', '?']) && raw != "*" => {
                            return fail(
                                &item,
                                format!(
                                    "`{raw}`: wildcards cannot match part of a principal; name it in full"
                                ),
                            );
                        }
                        PrincipalType::Federated if super::issuers::is_built_in(&raw) => {
                            PrincipalName::BuiltInProvider(raw.clone())
                        }
                        PrincipalType::Federated => oidc_provider(&raw)
                            .unwrap_or_else(|| PrincipalName::NonIam(raw.clone())),
                        _ => PrincipalName::NonIam(raw.clone()),
                    };
                    out.push(PrincipalValue { kind, raw, name });
                }
            }
            Ok(out)
        }
        _ => fail(
            at,
            "a principal is \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111111111111:user/NAME\"}",
        ),
    }
}

/// `arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER` as a principal name.
fn oidc_provider(raw: &str) -> Option<PrincipalName> {
    let arn: super::arn::Arn = raw.parse().ok()?;
    let issuer = arn.resource.strip_prefix("oidc-provider/")?;
    (arn.service == "iam" && is_account_id(&arn.account) && !issuer.is_empty()).then(|| {
        PrincipalName::OidcProvider {
            account: arn.account.clone(),
            issuer: issuer.to_owned(),
        }
    })
}

/// Whether a value looks like an IAM unique id (`AIDA...`, `AROA...`).
fn is_unique_id(value: &str) -> bool {
    value.len() >= 16
        && value.starts_with('A')
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn aws_principal(raw: &str, at: &str) -> Result<PrincipalName, ParseError> {
    if is_placeholder(raw) {
        return Ok(PrincipalName::Unresolved(raw.to_owned()));
    }
    if raw == "*" {
        return Ok(PrincipalName::Anyone);
    }
    if raw == "arn:aws:iam::*:root" || (raw.starts_with("arn:") && raw.ends_with(":iam::*:root")) {
        return Ok(PrincipalName::AnyAccount);
    }
    if raw.contains(['*', '?']) {
        return fail(
            at,
            format!(
                "`{raw}`: wildcards cannot match part of a principal (only \"*\" alone); name each principal in full, or use \"*\" with an aws:PrincipalArn condition"
            ),
        );
    }
    if is_account_id(raw) {
        return Ok(PrincipalName::Account(raw.to_owned()));
    }
    if is_unique_id(raw) {
        return Ok(PrincipalName::UniqueId(raw.to_owned()));
    }
    let bad = |why: &str| {
        fail(
            at,
            format!(
                "`{raw}` {why}; an AWS principal is \"*\", a 12-digit account id, or the ARN of an account root, user, role, role session or federated user"
            ),
        )
    };
    let Ok(arn) = raw.parse::<Arn>() else {
        return bad("is not an ARN");
    };
    if !is_account_id(&arn.account) {
        return bad("has no 12-digit account");
    }
    let last = |rest: &str| rest.rsplit('/').next().unwrap_or(rest).to_owned();
    let account = arn.account.clone();
    Ok(match (arn.service.as_str(), arn.resource.as_str()) {
        ("iam", "root") => PrincipalName::Account(account),
        ("iam", r) if r.starts_with("user/") && r.len() > 5 => PrincipalName::User {
            account,
            name: last(r),
        },
        ("iam", r) if r.starts_with("role/") && r.len() > 5 => PrincipalName::Role {
            account,
            name: last(r),
        },
        ("sts", r) if r.starts_with("assumed-role/") => {
            match r["assumed-role/".len()..].split_once('/') {
                Some((role, session)) if !role.is_empty() && !session.is_empty() => {
                    PrincipalName::Session {
                        account,
                        role: role.to_owned(),
                        session: session.to_owned(),
                    }
                }
                _ => return bad("is not assumed-role/ROLE/SESSION"),
            }
        }
        ("sts", r) if r.starts_with("federated-user/") && r.len() > 15 => {
            PrincipalName::FederatedUser {
                account,
                name: r["federated-user/".len()..].to_owned(),
            }
        }
        _ => return bad("names no principal"),
    })
}

pub(super) fn action_patterns(value: &Json, at: &str) -> Result<Vec<ActionPattern>, ParseError> {
    let (raws, list) = strings(value, at, "an action")?;
    raws.into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let path = if list { format!("{at}[{i}]") } else { at.to_owned() };
            let valid = raw == "*"
                || raw.split_once(':').is_some_and(|(service, name)| {
                    !service.is_empty()
                        && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        && !name.is_empty()
                        && !name.contains(':')
                });
            if !valid {
                return fail(&path, format!("`{raw}` is not an action; write service:ActionName (e.g. sts:AssumeRole, s3:Get*) or \"*\""));
            }
            Ok(ActionPattern { pattern: Pattern::wildcard(&raw).lowercased(), raw })
        })
        .collect()
}

pub(super) fn resource_patterns(
    value: &Json,
    at: &str,
    variables: bool,
) -> Result<Vec<ResourcePattern>, ParseError> {
    let (raws, list) = strings(value, at, "a resource")?;
    raws.into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let path = if list { format!("{at}[{i}]") } else { at.to_owned() };
            if raw == "*" {
                return Ok(ResourcePattern { pattern: Pattern::wildcard("*"), service: None, raw, placeholder: false });
            }
            if is_placeholder(&raw) {
                // A value only a deployment knows: kept as written, its
                // pattern what it could be once deployed.
                return Ok(ResourcePattern { pattern: Pattern::wildcard(&super::placeholder::widened(&raw)), service: None, raw, placeholder: true });
            }
            let parts: Vec<&str> = raw.splitn(6, ':').collect();
            // Fewer than six parts only when a final `*` runs into the later segments.
            let complete = parts.len() == 6 || (parts.len() >= 3 && raw.ends_with('*'));
            if !complete || parts[0] != "arn" {
                return fail(&path, format!("`{raw}` is not an ARN; a resource is \"*\" or arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"));
            }
            if parts[2].is_empty() || parts[2].contains(['*', '?']) {
                return fail(&path, format!("`{raw}`: the service part `{}` must be written out (no wildcard)", parts[2]));
            }
            if variables && parts.iter().take(5).any(|p| p.contains("${")) {
                return fail(&path, format!("`{raw}`: policy variables may only appear in the resource part, after the fifth colon"));
            }
            let pattern = if variables {
                Pattern::with_variables(&raw).map_err(|e| ParseError { path: path.clone(), message: e.to_string() })?
            } else {
                Pattern::wildcard(&raw)
            };
            Ok(ResourcePattern { pattern, service: Some(parts[2].to_owned()), raw, placeholder: false })
        })
        .collect()
}

pub(super) fn conditions(
    value: &Json,
    at: &str,
    variables: bool,
) -> Result<Vec<Condition>, ParseError> {
    let Some(ops) = value.as_object() else {
        return fail(
            at,
            "`Condition` is an object: {\"Operator\": {\"key\": \"value\"}}",
        );
    };
    let mut out = Vec::new();
    for (name, keys) in ops {
        let path = format!("{at}.{name}");
        let operator = Operator::parse(name).map_err(|e| ParseError {
            path: path.clone(),
            message: match e {
                OperatorError::Unknown(n) => format!(
                    "`{n}` is not a condition operator; use one of {}, optionally with an IfExists suffix or a ForAllValues:/ForAnyValue: prefix",
                    condition::operator_names().collect::<Vec<_>>().join(", ")
                ),
                OperatorError::NullIfExists => "`Null` cannot take IfExists: Null already tests whether the key exists".to_owned(),
            },
        })?;
        let Some(keys) = keys.as_object() else {
            return fail(
                &path,
                "an operator maps condition keys to values: {\"aws:PrincipalArn\": \"arn:...\"}",
            );
        };
        check_key_case(keys, &path)?;
        for (key, values) in keys {
            let key_path = format!("{path}.{key}");
            if !key.contains(':') || key.starts_with(':') {
                return fail(
                    &key_path,
                    format!(
                        "`{key}` is not a condition key; keys are written prefix:name, e.g. aws:PrincipalArn or sts:ExternalId"
                    ),
                );
            }
            let (raw_values, values_as_list) = strings(values, &key_path, "a condition value")?;
            let values = raw_values
                .iter()
                .map(|raw| condition_value(&operator, raw, &key_path, variables))
                .collect::<Result<Vec<_>, _>>()?;
            out.push(Condition {
                operator_name: name.clone(),
                operator: operator.clone(),
                key: key.clone(),
                key_lower: key.to_ascii_lowercase(),
                raw_values,
                values_as_list,
                values,
            });
        }
    }
    Ok(out)
}

fn check_key_case(keys: &Map<String, Json>, at: &str) -> Result<(), ParseError> {
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    for key in keys.keys() {
        if !seen.insert(key.to_ascii_lowercase()) {
            return fail(
                at,
                format!(
                    "the key `{key}` appears twice with different capitalization; key names ignore case, so merge them"
                ),
            );
        }
    }
    Ok(())
}

fn condition_value(
    op: &Operator,
    raw: &str,
    at: &str,
    variables: bool,
) -> Result<Value, ParseError> {
    let no_variables = |family: &str| -> Result<(), ParseError> {
        if variables && raw.contains("${") {
            return fail(
                at,
                format!("`{raw}`: policy variables are not allowed with {family} operators"),
            );
        }
        Ok(())
    };
    let bad = |expected: &str| fail(at, format!("`{raw}` is not {expected}"));
    if is_placeholder(raw) {
        // A value only a deployment knows: kept as text, which matches
        // nothing in a request and is undecided in an analysis.
        return Ok(Value::Text(Pattern::wildcard(
            &raw.replace(['*', '?'], "_"),
        )));
    }
    match op.family {
        Family::String | Family::Arn => {
            if variables {
                Pattern::with_variables(raw)
                    .map(Value::Text)
                    .map_err(|e| ParseError {
                        path: at.to_owned(),
                        message: e.to_string(),
                    })
            } else {
                Ok(Value::Text(Pattern::wildcard(raw)))
            }
        }
        Family::Numeric => {
            no_variables("Numeric")?;
            condition::parse_number(raw)
                .map(Value::Number)
                .map_or_else(|| bad("a number"), Ok)
        }
        Family::Date => {
            no_variables("Date")?;
            condition::parse_date(raw)
                .map(Value::Date)
                .map_or_else(|| bad("a date (2026-01-01T00:00:00Z or epoch seconds)"), Ok)
        }
        Family::Bool | Family::Null => match raw.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => bad("\"true\" or \"false\""),
        },
        Family::Binary => {
            no_variables("Binary")?;
            condition::parse_binary(raw)
                .map(Value::Binary)
                .map_or_else(|| bad("base64"), Ok)
        }
        Family::Ip => {
            no_variables("IP address")?;
            condition::parse_cidr(raw).map(Value::Cidr).map_or_else(
                || bad("an IP address or CIDR block (203.0.113.0/24, 2001:db8::/32)"),
                Ok,
            )
        }
    }
}
