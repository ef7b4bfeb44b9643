//! The AWS Organizations read API over its JSON protocol (`X-Amz-Target:
//! AWSOrganizationsV20161128.OPERATION`, `application/x-amz-json-1.1`):
//! DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent,
//! ListAccountsForParent, ListAccounts, ListParents, ListPoliciesForTarget
//! and DescribePolicy, paged with `MaxResults` (1 to 20) and `NextToken`,
//! shaped as the Organizations API Reference gives each response.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::endpoint::Endpoint;
use super::reply;
use super::request::{Incoming, Outgoing};
use crate::iam::policy_to_json;
use crate::sim::{Answer, AwsError, OrgNode, OrgPolicyType, Organization, Principal, Why};

/// The target prefix of every operation.
pub(super) const TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";

const OPERATIONS: [&str; 8] = [
    "DescribeOrganization",
    "ListRoots",
    "ListOrganizationalUnitsForParent",
    "ListAccountsForParent",
    "ListAccounts",
    "ListParents",
    "ListPoliciesForTarget",
    "DescribePolicy",
];

fn invalid(message: &str) -> AwsError {
    AwsError::new("InvalidInputException", 400, message)
}

fn text<'a>(body: &'a Value, key: &str) -> Result<&'a str, AwsError> {
    body.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(&format!("You must specify a value for {key}.")))
}

/// `{KEY: [one page], "NextToken"?: ...}`.
fn page(key: &str, items: Vec<Value>, body: &Value) -> Result<Value, AwsError> {
    let max = match body.get("MaxResults") {
        None => 20,
        Some(v) => match v.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n @ 1..=20) => n,
            _ => return Err(invalid("MaxResults must be between 1 and 20.")),
        },
    };
    let start = match body.get("NextToken").and_then(Value::as_str) {
        None => 0,
        Some(token) => STANDARD
            .decode(token)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("xacct:")?.parse::<usize>().ok())
            .ok_or_else(|| invalid("The NextToken is not valid."))?,
    };
    let total = items.len();
    let end = start.saturating_add(max).min(total);
    let taken: Vec<Value> = items.into_iter().skip(start).take(max).collect();
    let mut out = json!({ key: taken });
    if end < total {
        out["NextToken"] = Value::String(STANDARD.encode(format!("xacct:{end}")));
    }
    Ok(out)
}

fn arn(org: &Organization, kind: &str, id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:{kind}/{}/{id}",
        org.management, org.id
    )
}

fn account(org: &Organization, id: &str, name: Option<&str>) -> Value {
    json!({
        "Id": id,
        "Arn": arn(org, "account", id),
        "Email": format!("aws+{id}@example.com"),
        "Name": name.unwrap_or(id),
        "Status": if org.suspended.contains(id) { "SUSPENDED" } else { "ACTIVE" },
        "JoinedMethod": if id == org.management { "CREATED" } else { "INVITED" },
        "JoinedTimestamp": 1_577_836_800,
    })
}

fn unit(org: &Organization, node: &OrgNode) -> Value {
    json!({"Id": node.id, "Arn": arn(org, "ou", &node.id), "Name": node.name})
}

fn summary(org: &Organization, name: &str, kind: OrgPolicyType) -> Value {
    let id = Organization::policy_id(name);
    let folder = kind.as_str().to_ascii_lowercase();
    json!({
        "Id": id,
        // AWS managed: `arn:aws:organizations::aws:policy/TYPE/ID`;
        // customer: `arn:aws:organizations::MGMT:policy/ORG/TYPE/ID`.
        "Arn": if aws_managed(&id) {
            format!("arn:aws:organizations::aws:policy/{folder}/{id}")
        } else {
            format!("arn:aws:organizations::{}:policy/{}/{folder}/{id}", org.management, org.id)
        },
        "Name": name,
        "Description": "",
        "Type": kind.as_str(),
        "AwsManaged": aws_managed(&id),
    })
}

fn aws_managed(id: &str) -> bool {
    id == "p-FullAWSAccess" || id == "p-RCPFullAWSAccess"
}

/// The response body of an allowed call.
fn body(
    org: &Organization,
    operation: &str,
    body: &Value,
    names: &dyn Fn(&str) -> Option<String>,
) -> Result<Value, AwsError> {
    let parent_missing = || {
        AwsError::new(
            "ParentNotFoundException",
            400,
            "We can't find a root or OU with the ParentId that you specified.",
        )
    };
    Ok(match operation {
        "DescribeOrganization" => json!({"Organization": {
            "Id": org.id,
            "Arn": format!("arn:aws:organizations::{}:organization/{}", org.management, org.id),
            "FeatureSet": "ALL",
            "MasterAccountArn": arn(org, "account", &org.management),
            "MasterAccountId": org.management,
            "MasterAccountEmail": format!("aws+{}@example.com", org.management),
            "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}],
        }}),
        "ListRoots" => {
            let roots: Vec<Value> = org
                .root()
                .map(|r| {
                    json!({"Id": r.id, "Arn": arn(org, "root", &r.id), "Name": "Root", "PolicyTypes": [
                        {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"},
                        {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"}]})
                })
                .into_iter()
                .collect();
            page("Roots", roots, body)?
        }
        "ListOrganizationalUnitsForParent" => {
            let parent = text(body, "ParentId")?;
            org.unit(parent).ok_or_else(parent_missing)?;
            let units = org
                .child_units(parent)
                .into_iter()
                .map(|n| unit(org, n))
                .collect();
            page("OrganizationalUnits", units, body)?
        }
        "ListAccountsForParent" => {
            let parent = text(body, "ParentId")?;
            org.unit(parent).ok_or_else(parent_missing)?;
            let accounts = org
                .child_accounts(parent)
                .into_iter()
                .map(|a| account(org, a, names(a).as_deref()))
                .collect();
            page("Accounts", accounts, body)?
        }
        "ListAccounts" => {
            let accounts = org
                .paths
                .keys()
                .map(|a| account(org, a, names(a).as_deref()))
                .collect();
            page("Accounts", accounts, body)?
        }
        "ListParents" => {
            let child = text(body, "ChildId")?;
            let (parent, is_root) = org.parent_of(child).ok_or_else(|| {
                AwsError::new(
                    "ChildNotFoundException",
                    400,
                    "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
                )
            })?;
            let kind = if is_root {
                "ROOT"
            } else {
                "ORGANIZATIONAL_UNIT"
            };
            page("Parents", vec![json!({"Id": parent, "Type": kind})], body)?
        }
        "ListPoliciesForTarget" => {
            let target = org.target(text(body, "TargetId")?).ok_or_else(|| {
                AwsError::new(
                    "TargetNotFoundException",
                    400,
                    "We can't find a root, OU, account, or policy with the TargetId that you specified.",
                )
            })?;
            let kind = OrgPolicyType::parse(text(body, "Filter")?)
                .ok_or_else(|| invalid("This endpoint lists SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY policies."))?;
            let policies = Organization::attached(target, kind)
                .iter()
                .map(|n| summary(org, n, kind))
                .collect();
            page("Policies", policies, body)?
        }
        _ => {
            let id = text(body, "PolicyId")?;
            let (name, kind, policy) = org.policy_by_id(id).ok_or_else(|| {
                AwsError::new(
                    "PolicyNotFoundException",
                    400,
                    "We can't find a policy with the PolicyId that you specified.",
                )
            })?;
            json!({"Policy": {
                "PolicySummary": summary(org, name, kind),
                "Content": policy_to_json(policy).to_string(),
            }})
        }
    })
}

/// The world's answer to an authenticated Organizations request.
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming, who: &Principal) -> Answer<Outgoing> {
    let refuse =
        |error: AwsError, why: &str| Answer::refused(who.who().clone(), error, Why::rule(why));
    let operation = req
        .header("x-amz-target")
        .and_then(|t| t.strip_prefix(TARGET_PREFIX).map(str::to_owned))
        .unwrap_or_default();
    if !OPERATIONS.contains(&operation.as_str()) {
        return refuse(
            AwsError::new(
                "UnknownOperationException",
                400,
                format!("Operation {operation} is not supported by this endpoint."),
            ),
            "this endpoint speaks the Organizations read API",
        );
    }
    let request: Value = if req.body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                return refuse(
                    AwsError::new(
                        "SerializationException",
                        400,
                        "The request body is not a JSON object.",
                    ),
                    "the JSON protocol sends an object",
                );
            }
        }
    };
    if let Some(err) = endpoint.world.fault(&format!("organizations:{operation}")) {
        return refuse(err, "a fault scripted in the scenario");
    }
    let world = &endpoint.world;
    let Answer {
        result,
        caller,
        why,
    } = world.organization_read(who, &format!("organizations:{operation}"));
    let names = |account: &str| world.account_alias(account).map(str::to_owned);
    Answer {
        result: result
            .and_then(|org| body(org, &operation, &request, &names))
            .map(|v| reply::organizations(world, &v)),
        caller,
        why,
    }
}
