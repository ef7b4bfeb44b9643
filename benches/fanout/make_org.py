#!/usr/bin/env python3
"""Writes a scenario world: an organization of N accounts in nested OUs, for
`xacct run --org` against `xacct serve` (the 50-account check in .ci/run and
the 5,000-account benchmark).

    python3 benches/fanout/make_org.py N [--faults] > world.yaml

The management account 100000000000 has the user `operator`, who may assume
roles, list buckets and read the organization. Member account i
(2000000000 followed by i in 2 digits up to 10 digits) has the role
OrganizationAccountAccessRole trusting the management account, one bucket,
and, by i, one of these on purpose (the expected split follows from them):

    i % 10 == 3   no role at all                        -> assume-denied
    i % 10 == 7   the role trusts another account only  -> assume-denied
    i % 17 == 5   an RCP on the account denies AssumeRole
                  by the operator                       -> assume-denied
    i % 25 == 11  the role may not list buckets         -> failed
    i == 1        SUSPENDED                             -> not attempted

--faults scripts a TooManyRequestsException burst on the organization's
listing and a Throttling burst on AssumeRole.
"""

import sys

MANAGEMENT = "100000000000"
LEAVES = [
    ("Security",),
    ("Workloads", "Prod", "EU"),
    ("Workloads", "Prod", "US"),
    ("Workloads", "NonProd", "Dev"),
    ("Workloads", "NonProd", "Test"),
    ("Sandbox",),
]


def account_id(i):
    return f"2{i:011d}"


def fate(i):
    if i == 1:
        return "suspended"
    if i % 10 == 3:
        return "missing-role"
    if i % 10 == 7:
        return "untrusted"
    if i % 17 == 5:
        return "rcp"
    if i % 25 == 11:
        return "no-list"
    return "ok"


def main():
    args = sys.argv[1:]
    faults = "--faults" in args
    n = int([a for a in args if not a.startswith("--")][0])
    members = list(range(1, n))
    tree = {}
    placed = {}
    for i in members:
        leaf = LEAVES[i % len(LEAVES)]
        placed.setdefault(leaf, []).append(account_id(i))
    for leaf in LEAVES:
        node = tree
        for name in leaf:
            node = node.setdefault(name, {})
        node["__accounts__"] = placed.get(leaf, [])
    out = []
    w = out.append
    w(f"name: org-fanout-{n}")
    w("description: |")
    w(f"  An organization of {n} accounts in nested OUs, written by")
    w(f"  benches/fanout/make_org.py {n}{' --faults' if faults else ''}.")
    w('clock: "2026-01-01T00:00:00Z"')
    w("organization:")
    w("  id: o-fanout0001")
    w(f'  management_account: "{MANAGEMENT}"')
    w("  policies:")
    w("    deny-operator-assume:")
    w('      Version: "2012-10-17"')
    w("      Statement:")
    w("        - Sid: NoOperatorSessionsHere")
    w("          Effect: Deny")
    w('          Principal: "*"')
    w("          Action: sts:AssumeRole")
    w('          Resource: "*"')
    w("          Condition:")
    w(f'            ArnEquals: {{ "aws:PrincipalArn": "arn:aws:iam::{MANAGEMENT}:user/operator" }}')
    w("  root:")
    w(f'    accounts: ["{MANAGEMENT}"]')

    def units(node, indent):
        names = [k for k in node if k != "__accounts__"]
        if not names:
            return
        w(" " * indent + "units:")
        for name in names:
            child = node[name]
            w(" " * (indent + 2) + f"{name}:")
            accounts = child.get("__accounts__", [])
            if accounts:
                w(" " * (indent + 4) + "accounts: [" + ", ".join(f'"{a}"' for a in accounts) + "]")
            units(child, indent + 4)

    units(tree, 4)
    rcp = [i for i in members if fate(i) == "rcp"]
    if rcp:
        w("  account_policies:")
        for i in rcp:
            w(f'    "{account_id(i)}": {{ rcps: [RCPFullAWSAccess, deny-operator-assume] }}')
    suspended = [account_id(i) for i in members if fate(i) == "suspended"]
    if suspended:
        w("  suspended: [" + ", ".join(f'"{a}"' for a in suspended) + "]")
    w("accounts:")
    w(f'  "{MANAGEMENT}":')
    w("    alias: management")
    w("    users:")
    w("      operator:")
    w("        policies:")
    w("          fan-out:")
    w('            Version: "2012-10-17"')
    w("            Statement:")
    w('              - { Effect: Allow, Action: ["sts:AssumeRole", "s3:ListAllMyBuckets", "organizations:List*", "organizations:Describe*"], Resource: "*" }')
    w("    buckets: [management-logs]")
    for i in members:
        a = account_id(i)
        f = fate(i)
        w(f'  "{a}":')
        w(f"    alias: acct-{i:04d}")
        if f != "missing-role":
            trusted = "999999999999" if f == "untrusted" else MANAGEMENT
            actions = '["s3:GetObject"]' if f == "no-list" else '["s3:ListAllMyBuckets"]'
            w("    roles:")
            w("      OrganizationAccountAccessRole:")
            w("        trust_policy:")
            w('          Version: "2012-10-17"')
            w("          Statement:")
            w(f'            - {{ Effect: Allow, Principal: {{ AWS: "arn:aws:iam::{trusted}:root" }}, Action: sts:AssumeRole }}')
            w("        policies:")
            w("          read:")
            w('            Version: "2012-10-17"')
            w("            Statement:")
            w(f'              - {{ Effect: Allow, Action: {actions}, Resource: "*" }}')
        w(f"    buckets: [bucket-{i:04d}]")
    w("assert:")
    w("  # The role of account 7 trusts another account only.")
    w(f"  - cannot_reach: {{ from: arn:aws:iam::{MANAGEMENT}:user/operator, role: arn:aws:iam::{account_id(7)}:role/OrganizationAccountAccessRole }}")
    if faults:
        w("faults:")
        w("  # Organizations API Reference, TooManyRequestsException.")
        w("  # (in-process, the whole listing is one organizations:ListAccounts call)")
        w("  - call: organizations:ListAccountsForParent")
        w("    times: 5")
        w("    error: { code: TooManyRequestsException, status: 400, message: \"You have sent too many requests in too short a period of time. The quota helps protect against denial-of-service attacks. Try again later.\" }")
        w("  # STS API Reference, common errors: Throttling, \"Rate exceeded\".")
        w("  - call: sts:AssumeRole")
        w("    times: 12")
        w("    error: { code: Throttling, status: 400, message: Rate exceeded }")
    print("\n".join(out))


if __name__ == "__main__":
    main()
