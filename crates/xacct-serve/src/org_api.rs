//! The AWS Organizations read API over its JSON protocol (`X-Amz-Target:
//! AWSOrganizationsV20161128.OPERATION`, `application/x-amz-json-1.1`):
//! DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent,
//! ListAccountsForParent, ListAccounts, ListParents, ListPoliciesForTarget
//! and DescribePolicy, decoded into the world's typed request and its
//! answer shaped as the Organizations API Reference gives each response.
//! Who may read, what is listed and how it is paged are the world's.

use serde_json::{Value, json};

use super::endpoint::Endpoint;
use super::reply;
use super::request::{Incoming, Outgoing};
use xacct_sim::{
    Answer, AwsError, OrgAccountView, OrgEntity, OrgPaging, OrgPolicyView, OrgRequest, OrgResponse,
    Page, Principal, Request, RequestId, Response, Service,
};

/// The target prefix of every operation.
pub(super) const TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";

/// The typed request an operation and its JSON body make, if the
/// endpoint speaks the operation.
fn decode(operation: &str, body: &Value) -> Option<OrgRequest> {
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let paging = OrgPaging {
        // Anything but a whole number is out of range, as Organizations says.
        max_results: body.get("MaxResults").map(|v| v.as_u64().unwrap_or(0)),
        next_token: text("NextToken"),
    };
    Some(match operation {
        "DescribeOrganization" => OrgRequest::DescribeOrganization,
        "ListRoots" => OrgRequest::ListRoots(paging),
        "ListOrganizationalUnitsForParent" => {
            OrgRequest::ListUnitsForParent(text("ParentId"), paging)
        }
        "ListAccountsForParent" => OrgRequest::ListAccountsForParent(text("ParentId"), paging),
        "ListAccounts" => OrgRequest::ListAccounts(paging),
        "ListParents" => OrgRequest::ListParents(text("ChildId"), paging),
        "ListPoliciesForTarget" => OrgRequest::ListPoliciesForTarget {
            target: text("TargetId"),
            filter: text("Filter"),
            paging,
        },
        "DescribePolicy" => OrgRequest::DescribePolicy(text("PolicyId")),
        _ => return None,
    })
}

/// `{KEY: [items], "NextToken"?: ...}`.
fn page<T>(key: &str, page: &Page<T>, item: impl Fn(&T) -> Value) -> Value {
    let items: Vec<Value> = page.items.iter().map(item).collect();
    let mut out = json!({ key: items });
    if let Some(next) = &page.next {
        out["NextToken"] = Value::String(next.clone());
    }
    out
}

fn entity(e: &OrgEntity) -> Value {
    json!({"Id": e.id, "Arn": e.arn, "Name": e.name})
}

fn account(a: &OrgAccountView) -> Value {
    json!({
        "Id": a.entity.id,
        "Arn": a.entity.arn,
        "Email": a.email,
        "Name": a.entity.name,
        "Status": a.status,
        "JoinedMethod": a.joined,
        "JoinedTimestamp": 1_577_836_800,
    })
}

fn summary(p: &OrgPolicyView) -> Value {
    json!({
        "Id": p.entity.id,
        "Arn": p.entity.arn,
        "Name": p.entity.name,
        "Description": "",
        "Type": p.kind,
        "AwsManaged": p.aws_managed,
    })
}

/// An Organizations output as its JSON body.
fn encode(id: RequestId, operation: &str, response: Response) -> Outgoing {
    let Response::Organizations(response) = response else {
        return reply::mismatched(id, Service::Organizations, operation, &response);
    };
    let body = match response {
        OrgResponse::Organization(org) => json!({"Organization": {
            "Id": org.id,
            "Arn": org.arn,
            "FeatureSet": "ALL",
            "MasterAccountArn": org.management_arn,
            "MasterAccountId": org.management,
            "MasterAccountEmail": org.management_email,
            "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}],
        }}),
        OrgResponse::Roots(roots) => page("Roots", &roots, |r| {
            let mut root = entity(r);
            root["PolicyTypes"] = json!([
                {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"},
                {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"}]);
            root
        }),
        OrgResponse::Units(units) => page("OrganizationalUnits", &units, entity),
        OrgResponse::Accounts(accounts) => page("Accounts", &accounts, account),
        OrgResponse::Parents(parents) => {
            page("Parents", &parents, |p| json!({"Id": p.id, "Type": p.kind}))
        }
        OrgResponse::Policies(policies) => page("Policies", &policies, summary),
        OrgResponse::Policy(policy, content) => json!({"Policy": {
            "PolicySummary": summary(&policy),
            "Content": content,
        }}),
    };
    reply::organizations(id, &body)
}

/// The world's answer to an authenticated Organizations request.
pub(super) fn answer(endpoint: &Endpoint, req: &Incoming, who: &Principal) -> Answer<Outgoing> {
    let refuse = |error: AwsError, why: &str| endpoint.refuse(who, error, why);
    let operation = req
        .header("x-amz-target")
        .and_then(|t| t.strip_prefix(TARGET_PREFIX).map(str::to_owned))
        .unwrap_or_default();
    let unknown = || {
        refuse(
            AwsError::new(
                "UnknownOperationException",
                400,
                format!("Operation {operation} is not supported by this endpoint."),
            ),
            "this endpoint speaks the Organizations read API",
        )
    };
    if decode(&operation, &json!({})).is_none() {
        return unknown();
    }
    let body: Value = if req.body.is_empty() {
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
    let Some(request) = decode(&operation, &body) else {
        return unknown();
    };
    let world = &endpoint.world;
    world
        .call(who, Request::Organizations(request))
        .map_with_id(|response, id| encode(id, &operation, response))
}
