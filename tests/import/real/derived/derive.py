#!/usr/bin/env python3
"""Derives `terraform show -json` plans of terraform-aws-modules/terraform-aws-iam
v5.60.0 `examples/iam-assumable-roles` (../terraform-aws-iam-assumable-roles/),
since no Terraform provider can be downloaded where the tests are written.

Each value is what the module's HCL computes for the example's inputs; the
trust policy JSON follows the AWS provider's rendering of
`aws_iam_policy_document` (internal/service/iam/policy_model.go:
MarshalIndent with two spaces; Sid, Effect, Action, Resource, Principal,
Condition in that order; a one-element list as a string; longer lists of
actions and identifiers in reverse lexicographic order; Principal and
Condition keys sorted). The account Terraform runs in is 111111111111, as
`data.aws_caller_identity.current` reads it during the plan.

    python3 derive.py          # rewrites the two plans beside it
"""
import json
import os

ACCOUNT = "111111111111"
TRUSTED = ["arn:aws:iam::307990089504:root", "arn:aws:iam::835367859851:user/anton"]


def listed(values):
    values = sorted(set(values), reverse=True)
    return values[0] if len(values) == 1 else values


def trust(trusted, mfa, self_roles):
    statements = []
    for sid, role in self_roles:
        statements.append({
            "Sid": sid,
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "*"},
            "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/{role}"}},
        })
    main = {
        "Effect": "Allow",
        "Action": listed(["sts:AssumeRole", "sts:TagSession"]),
        "Principal": {"AWS": listed(trusted), "Service": listed(["codedeploy.amazonaws.com"])},
    }
    if mfa:
        main["Condition"] = {
            "Bool": {"aws:MultiFactorAuthPresent": "true"},
            "NumericLessThan": {"aws:MultiFactorAuthAge": "86400"},
        }
    statements.append(main)
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


def module(name, trusted, roles, self_assume):
    """roles: (resource name, role name, requires MFA, policy ARNs)."""
    self_roles = []
    if self_assume:
        sids = {"admin": "ExplicitSelfAdminRoleAssumption",
                "poweruser": "ExplicitSelfPowerUserRoleAssumption",
                "readonly": "ExplicitSelfReadOnlyRoleAssumption"}
        self_roles = [(sids[r], n) for r, n, _, _ in roles]
    planned, config = [], []
    for resource, role, mfa, arns in roles:
        planned.append({
            "address": f"module.{name}.aws_iam_role.{resource}[0]",
            "mode": "managed", "type": "aws_iam_role", "name": resource, "index": 0,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": {
                "assume_role_policy": trust(trusted, mfa, self_roles),
                "description": None, "force_detach_policies": False,
                "max_session_duration": 3600, "name": role, "path": "/",
                "permissions_boundary": "", "tags": {}, "tags_all": {},
            },
        })
        config.append({"address": f"aws_iam_role.{resource}", "mode": "managed",
                       "type": "aws_iam_role", "name": resource, "provider_config_key": "aws",
                       "expressions": {"name": {"references": [f"var.{resource}_role_name"]}}})
        for i, arn in enumerate(arns):
            planned.append({
                "address": f"module.{name}.aws_iam_role_policy_attachment.{resource}[{i}]",
                "mode": "managed", "type": "aws_iam_role_policy_attachment", "name": resource,
                "index": i, "provider_name": "registry.terraform.io/hashicorp/aws",
                "schema_version": 0, "values": {"policy_arn": arn, "role": role},
            })
        config.append({"address": f"aws_iam_role_policy_attachment.{resource}", "mode": "managed",
                       "type": "aws_iam_role_policy_attachment", "name": resource,
                       "provider_config_key": "aws",
                       "expressions": {"role": {"references": [f"aws_iam_role.{resource}[0].name",
                                                                f"aws_iam_role.{resource}[0]",
                                                                f"aws_iam_role.{resource}"]}}})
    config.append({"address": "data.aws_caller_identity.current", "mode": "data",
                   "type": "aws_caller_identity", "name": "current", "provider_config_key": "aws"})
    prior = [{"address": f"module.{name}.data.aws_caller_identity.current", "mode": "data",
              "type": "aws_caller_identity", "name": "current",
              "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
              "values": {"account_id": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/terraform",
                         "id": ACCOUNT, "user_id": "AIDAEXAMPLETERRAFORM0"}}]
    return planned, config, prior


def plan(extra_trusted):
    trusted = TRUSTED + extra_trusted
    power = ["arn:aws:iam::aws:policy/job-function/Billing", "arn:aws:iam::aws:policy/AWSSupportAccess"]
    first = module("iam_assumable_roles", trusted, [
        ("admin", "admin", True, ["arn:aws:iam::aws:policy/AdministratorAccess"]),
        ("poweruser", "Billing-And-Support-Access", True, power),
        ("readonly", "readonly", False, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    ], self_assume=False)
    second = module("iam_assumable_roles_with_self_assume", TRUSTED, [
        ("admin", "Admin-Role-Name-Self-Assume", True, ["arn:aws:iam::aws:policy/AdministratorAccess"]),
        ("poweruser", "Billing-And-Support-Access-Self-Assume", True, power),
        ("readonly", "Read-Only-Role-Name-Self-Assume", False, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    ], self_assume=True)
    names = ["iam_assumable_roles", "iam_assumable_roles_with_self_assume"]
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"child_modules": [
            {"address": f"module.{n}", "resources": m[0]} for n, m in zip(names, [first, second])]}},
        "prior_state": {"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {
            "child_modules": [{"address": f"module.{n}", "resources": m[2]} for n, m in zip(names, [first, second])]}}},
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                                        "expressions": {"region": {"constant_value": "eu-west-1"}}}},
            "root_module": {"module_calls": {
                n: {"source": "../../modules/iam-assumable-roles", "module": {"resources": m[1]}}
                for n, m in zip(names, [first, second])}},
        },
    }


here = os.path.dirname(os.path.abspath(__file__))
for file, extra in [("iam-assumable-roles.plan.json", []),
                    ("iam-assumable-roles-new-account.plan.json", ["arn:aws:iam::444455556666:root"])]:
    with open(os.path.join(here, file), "w") as f:
        json.dump(plan(extra), f, indent=2)
        f.write("\n")
