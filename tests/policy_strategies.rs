//! Strategies both soundness properties draw from: conditions of every
//! operator family, policy documents, and concrete request contexts.

use proptest::prelude::*;
use serde_json::{Value, json};

/// Conditions of every family, on request keys (unknown to the analysis)
/// and caller keys (known), some with policy variables.
pub(crate) fn condition() -> impl Strategy<Value = (&'static str, &'static str, Vec<&'static str>)>
{
    prop::sample::select(vec![
        ("StringEquals", "sts:ExternalId", vec!["x-1"]),
        ("StringNotEquals", "sts:ExternalId", vec!["x-1"]),
        ("StringEqualsIfExists", "sts:ExternalId", vec!["x-2"]),
        ("StringLike", "sts:RoleSessionName", vec!["${aws:username}"]),
        ("StringNotLike", "sts:RoleSessionName", vec!["ops-*"]),
        (
            "StringEqualsIgnoreCase",
            "aws:PrincipalTag/team",
            vec!["Data"],
        ),
        ("StringLikeIfExists", "aws:SourceIdentity", vec!["admin-*"]),
        ("NumericLessThan", "aws:MultiFactorAuthAge", vec!["3600"]),
        (
            "NumericGreaterThanEquals",
            "aws:MultiFactorAuthAge",
            vec!["60"],
        ),
        ("NumericEqualsIfExists", "aws:MultiFactorAuthAge", vec!["0"]),
        (
            "DateLessThan",
            "aws:CurrentTime",
            vec!["2026-06-01T00:00:00Z"],
        ),
        (
            "DateGreaterThan",
            "aws:CurrentTime",
            vec!["2026-01-01T00:00:00Z"],
        ),
        ("Bool", "aws:MultiFactorAuthPresent", vec!["true"]),
        ("BoolIfExists", "aws:MultiFactorAuthPresent", vec!["false"]),
        ("Bool", "aws:SecureTransport", vec!["true"]),
        ("BinaryEquals", "aws:SourceVpc", vec!["dnBjLTE="]),
        ("IpAddress", "aws:SourceIp", vec!["203.0.113.0/24"]),
        ("NotIpAddress", "aws:SourceIp", vec!["198.51.100.0/24"]),
        (
            "ArnLike",
            "aws:PrincipalArn",
            vec!["arn:aws:iam::111111111111:role/ops-*"],
        ),
        (
            "ArnEquals",
            "aws:PrincipalArn",
            vec!["arn:aws:iam::111111111111:user/dev"],
        ),
        (
            "ArnNotLike",
            "aws:PrincipalArn",
            vec!["arn:aws:iam::333333333333:*"],
        ),
        ("Null", "sts:ExternalId", vec!["false"]),
        ("Null", "aws:PrincipalTag/team", vec!["true"]),
        ("ForAnyValue:StringEquals", "aws:TagKeys", vec!["env"]),
        (
            "ForAllValues:StringLike",
            "aws:TagKeys",
            vec!["env", "team"],
        ),
        (
            "StringEquals",
            "aws:RequestedRegion",
            vec!["eu-west-1", "us-east-1"],
        ),
        (
            "StringEquals",
            "aws:RequestTag/team",
            vec!["${aws:PrincipalTag/team}"],
        ),
        ("StringEquals", "aws:PrincipalAccount", vec!["111111111111"]),
        ("StringNotEquals", "aws:PrincipalType", vec!["AssumedRole"]),
        ("StringEquals", "aws:username", vec!["dev"]),
        ("StringEquals", "aws:PrincipalIsAWSService", vec!["false"]),
        // Placeholders for values only a deployment knows.
        (
            "StringEquals",
            "aws:PrincipalAccount",
            vec!["UNRESOLVED(parameter Trusted)"],
        ),
        (
            "StringNotEquals",
            "sts:ExternalId",
            vec!["UNRESOLVED(parameter Ext)"],
        ),
    ])
}

pub(crate) fn conditions() -> impl Strategy<Value = Option<Value>> {
    prop::collection::vec(condition(), 0..3).prop_map(|list| {
        if list.is_empty() {
            return None;
        }
        let mut block = serde_json::Map::new();
        for (op, key, values) in list {
            let entry = block.entry(op).or_insert_with(|| json!({}));
            entry[key] = json!(values);
        }
        Some(Value::Object(block))
    })
}

/// A policy document of `statements`.
pub(crate) fn document(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// One concrete request's keys: each request key absent or a value drawn
/// to fall on either side of the policies' values.
pub(crate) fn request_keys() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    let one = |key: &'static str, values: Vec<&'static str>| {
        prop::option::of(prop::sample::select(values)).prop_map(move |v| v.map(|v| (key, v)))
    };
    (
        (
            one("sts:ExternalId", vec!["x-1", "x-2"]),
            one("sts:RoleSessionName", vec!["dev", "ops-x", "ci"]),
            one("aws:SourceIdentity", vec!["admin-1", "bob"]),
            one("aws:MultiFactorAuthAge", vec!["0", "100", "7200"]),
            one("aws:MultiFactorAuthPresent", vec!["true", "false"]),
            one(
                "aws:CurrentTime",
                vec![
                    "2026-03-01T00:00:00Z",
                    "2026-09-01T00:00:00Z",
                    "2025-06-01T00:00:00Z",
                ],
            ),
        ),
        (
            one("aws:SecureTransport", vec!["true", "false"]),
            one(
                "aws:SourceIp",
                vec!["203.0.113.9", "198.51.100.7", "192.0.2.1"],
            ),
            one("aws:SourceVpc", vec!["dnBjLTE=", "dnBjLTI="]),
            one("aws:RequestedRegion", vec!["eu-west-1", "ap-south-1"]),
            one("aws:RequestTag/team", vec!["data", "ops"]),
            prop::option::of(prop::sample::select(vec!["env", "team", "other"]))
                .prop_map(|v| v.map(|v| ("aws:TagKeys", v))),
        ),
        // A role session's tags are the caller's to choose.
        one("aws:PrincipalTag/team", vec!["data", "Data", "ops"]),
    )
        .prop_map(|((a, b, c, d, e, f), (g, h, i, j, k, l), tag)| {
            [a, b, c, d, e, f, g, h, i, j, k, l, tag]
                .into_iter()
                .flatten()
                .collect()
        })
}

/// An identity policy statement about AssumeRole.
pub(crate) fn identity_statement() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.8),
        prop::sample::select(vec!["sts:AssumeRole", "sts:*", "*"]),
        prop::sample::select(vec![
            ("Resource", "*"),
            ("Resource", "arn:aws:iam::222222222222:role/target"),
            ("Resource", "arn:aws:iam::*:role/${aws:PrincipalTag/team}*"),
            ("Resource", "arn:aws:iam::*:role/${aws:username}"),
            ("NotResource", "arn:aws:iam::111111111111:role/*"),
            ("Resource", "UNRESOLVED(parameter RoleArn)"),
            ("NotResource", "UNRESOLVED(parameter Other)"),
        ]),
        conditions(),
    )
        .prop_map(|(allow, action, (element, resource), condition)| {
            let mut s = json!({
                "Effect": if allow { "Allow" } else { "Deny" },
                "Action": action,
            });
            s[element] = json!(resource);
            if let Some(c) = condition {
                s["Condition"] = c;
            }
            s
        })
}
