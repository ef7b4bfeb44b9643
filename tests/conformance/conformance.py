#!/usr/bin/env python3
"""Conformance of `xacct serve` with clients nobody here wrote: the AWS CLI
and boto3 run the classic flow and AssumeRoleWithWebIdentity (unsigned, with
tokens from `xacct token`) against it, and every refusal is compared
with AWS's exact error code and message.

Usage: conformance.py PATH_TO_XACCT [AWS_CLI]
Prints one line per check and a closing "N passed, M failed"; exits 1 on
any failure. Reaches nothing but 127.0.0.1.
"""

import json
import os
import subprocess
import sys
import tempfile

XACCT = sys.argv[1]
AWS = sys.argv[2] if len(sys.argv) > 2 else "aws"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLE = "arn:aws:iam::222222222222:role/s3-viewer"
HOMES = "arn:aws:iam::111111111111:user/homes"
INTERN = "arn:aws:iam::111111111111:user/intern"

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


class Server:
    """`xacct serve SCENARIO --port 0`, stopped with SIGTERM."""

    def __init__(self, scenario):
        self.scenario = scenario if os.path.isabs(scenario) else os.path.join(ROOT, "scenarios", scenario)
        self.proc = subprocess.Popen(
            [XACCT, "serve", self.scenario, "--port", "0", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = None
        for line in self.proc.stdout:
            if line.startswith("endpoint: "):
                self.url = line.split(" ", 1)[1].strip()
                break
        if not self.url:
            raise SystemExit("xacct serve printed no endpoint: " + self.proc.stderr.read())
        self.port = self.url.rsplit(":", 1)[1]

    def env(self, arn):
        """The exports of `--print-env` for a long-term principal."""
        out = subprocess.run([XACCT, "serve", self.scenario, "--port", self.port, "--print-env", arn],
                             capture_output=True, text=True, check=True).stdout
        env = {}
        for line in out.splitlines():
            if line.startswith("export "):
                key, value = line[len("export "):].split("=", 1)
                env[key] = value
        return env

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def isolated(extra):
    """An environment with no real AWS configuration and no metadata endpoint."""
    home = tempfile.mkdtemp()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "HOME": home,
        "AWS_CONFIG_FILE": os.path.join(home, "none"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    })
    env.update(extra)
    return env


def aws(server, env, *args):
    cmd = [AWS, "--endpoint-url", server.url, "--output", "json"] + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, env=isolated(env))


def session_env(creds, region):
    """The environment of temporary credentials (an STS answer's
    `Credentials`) in `region`."""
    return {"AWS_ACCESS_KEY_ID": creds.get("AccessKeyId", ""), "AWS_SECRET_ACCESS_KEY": creds.get("SecretAccessKey", ""),
            "AWS_SESSION_TOKEN": creds.get("SessionToken", ""), "AWS_REGION": region, "AWS_DEFAULT_REGION": region}


def expect_error(name, result, code, operation, message):
    wanted = "An error occurred ({}) when calling the {} operation: {}".format(code, operation, message)
    check(name, result.returncode != 0 and wanted in result.stderr,
          "wanted {!r}, got exit {} and {!r}".format(wanted, result.returncode, result.stderr.strip()))


def cli_checks():
    server = Server("root-principal-overreach.yaml")
    try:
        homes = server.env(HOMES)
        out = aws(server, homes, "sts", "get-caller-identity")
        ident = json.loads(out.stdout or "{}")
        check("aws sts get-caller-identity", ident.get("Arn") == HOMES and ident.get("Account") == "111111111111", out.stdout + out.stderr)

        out = aws(server, homes, "s3api", "list-buckets")
        names = [b["Name"] for b in json.loads(out.stdout or "{}").get("Buckets", [])]
        check("aws s3api list-buckets (account A)", names == ["account-a-bucket"], out.stdout + out.stderr)

        out = aws(server, homes, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "conformance")
        assumed = json.loads(out.stdout or "{}")
        creds = assumed.get("Credentials", {})
        check("aws sts assume-role",
              assumed.get("AssumedRoleUser", {}).get("Arn") == "arn:aws:sts::222222222222:assumed-role/s3-viewer/conformance"
              and creds.get("AccessKeyId", "").startswith("ASIA"), out.stderr)

        temp = {"AWS_ACCESS_KEY_ID": creds.get("AccessKeyId", ""), "AWS_SECRET_ACCESS_KEY": creds.get("SecretAccessKey", ""),
                "AWS_SESSION_TOKEN": creds.get("SessionToken", ""), "AWS_REGION": homes["AWS_REGION"],
                "AWS_DEFAULT_REGION": homes["AWS_REGION"]}
        out = aws(server, temp, "s3api", "list-buckets")
        names = [b["Name"] for b in json.loads(out.stdout or "{}").get("Buckets", [])]
        check("aws s3api list-buckets with the assumed credentials (account B)", names == ["account-b-bucket"], out.stdout + out.stderr)

        intern = server.env(INTERN)
        out = aws(server, intern, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "intern")
        check("root-principal overreach: the intern gets in", out.returncode == 0, out.stderr)

        out = aws(server, homes, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "bad name")
        expect_error("a bad session name is a ValidationError", out, "ValidationError", "AssumeRole",
                     "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy constraint: "
                     "Member must satisfy regular expression pattern: [\\w+=,.@-]*")

        wrong = dict(homes, AWS_SECRET_ACCESS_KEY="wrong" + homes["AWS_SECRET_ACCESS_KEY"][5:])
        out = aws(server, wrong, "sts", "get-caller-identity")
        expect_error("a wrong secret is SignatureDoesNotMatch (STS)", out, "SignatureDoesNotMatch", "GetCallerIdentity",
                     "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                     "Access Key and signing method. Consult the service documentation for details.")
        out = aws(server, wrong, "s3api", "list-buckets")
        expect_error("a wrong secret is SignatureDoesNotMatch (S3)", out, "SignatureDoesNotMatch", "ListBuckets",
                     "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
    finally:
        server.stop()

    server = Server("root-principal-fixed.yaml")
    try:
        intern = server.env(INTERN)
        out = aws(server, intern, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "intern")
        expect_error("root-principal fixed: the intern is refused", out, "AccessDenied", "AssumeRole",
                     "User: arn:aws:iam::111111111111:user/intern is not authorized to perform: sts:AssumeRole on resource: " + ROLE)
        homes = server.env(HOMES)
        out = aws(server, homes, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "homes")
        check("root-principal fixed: homes still gets in", out.returncode == 0, out.stderr)
    finally:
        server.stop()


def boto3_checks():
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    server = Server("success.yaml")
    try:
        homes = server.env(HOMES)
        config = Config(retries={"max_attempts": 1, "mode": "standard"})
        session = boto3.session.Session(aws_access_key_id=homes["AWS_ACCESS_KEY_ID"],
                                        aws_secret_access_key=homes["AWS_SECRET_ACCESS_KEY"],
                                        region_name=homes["AWS_REGION"])
        s3 = session.client("s3", endpoint_url=server.url, config=config)
        sts = session.client("sts", endpoint_url=server.url, config=config)
        check("boto3 get_caller_identity", sts.get_caller_identity()["Arn"] == HOMES)
        check("boto3 list_buckets (account A)", [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["account-a-bucket"])
        page = s3.list_buckets(MaxBuckets=1)
        check("boto3 list_buckets with MaxBuckets returns BucketRegion", page["Buckets"][0].get("BucketRegion") == homes["AWS_REGION"], str(page))
        assumed = sts.assume_role(RoleArn=ROLE, RoleSessionName="homess3viewersession")
        creds = assumed["Credentials"]
        check("boto3 assume_role", assumed["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/s3-viewer/homess3viewersession")
        b = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                                  aws_session_token=creds["SessionToken"], region_name=homes["AWS_REGION"])
        s3b = b.client("s3", endpoint_url=server.url, config=config)
        check("boto3 list_buckets with the assumed credentials (account B)", [x["Name"] for x in s3b.list_buckets()["Buckets"]] == ["account-b-bucket"])
        try:
            sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/missing", RoleSessionName="x1")
            check("boto3 AccessDenied for a missing role", False, "no error")
        except ClientError as e:
            err = e.response["Error"]
            check("boto3 AccessDenied for a missing role",
                  err["Code"] == "AccessDenied" and e.response["ResponseMetadata"]["HTTPStatusCode"] == 403
                  and err["Message"] == "User: {} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/missing".format(HOMES),
                  str(e.response))
        try:
            sts.assume_role(RoleArn=ROLE, RoleSessionName="x1", DurationSeconds=7200)
            check("boto3 MaxSessionDuration", False, "no error")
        except ClientError as e:
            err = e.response["Error"]
            check("boto3 MaxSessionDuration", err["Code"] == "ValidationError"
                  and err["Message"] == "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", str(e.response))
    finally:
        server.stop()

    server = Server("throttled-then-ok.yaml")
    try:
        homes = server.env(HOMES)
        session = boto3.session.Session(aws_access_key_id=homes["AWS_ACCESS_KEY_ID"],
                                        aws_secret_access_key=homes["AWS_SECRET_ACCESS_KEY"], region_name=homes["AWS_REGION"])
        sts = session.client("sts", endpoint_url=server.url, config=Config(retries={"max_attempts": 3, "mode": "standard"}))
        ok = sts.assume_role(RoleArn=ROLE, RoleSessionName="retried")
        check("boto3 retries two Throttling answers and succeeds", ok["Credentials"]["AccessKeyId"].startswith("ASIA"))
    finally:
        server.stop()


GITHUB = "token.actions.githubusercontent.com"
DEPLOYER = "arn:aws:iam::222222222222:role/deployer"


def mint(server, *extra):
    """A token of the scenario's GitHub issuer from `xacct token`."""
    return subprocess.run([XACCT, "token", server.scenario, "--provider", GITHUB] + list(extra),
                          capture_output=True, text=True, check=True).stdout.strip()


def web_identity_checks():
    """AssumeRoleWithWebIdentity, unsigned, from the AWS CLI and boto3 (STS API
    Reference; errors as observed from AWS, see scenarios/web-identity-token-errors.yaml)."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    server = Server("github-actions-deploy.yaml")
    try:
        region = {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
        out = aws(server, region, "sts", "assume-role-with-web-identity", "--role-arn", DEPLOYER,
                  "--role-session-name", "cli", "--web-identity-token", mint(server))
        answer = json.loads(out.stdout or "{}")
        creds = answer.get("Credentials", {})
        check("aws sts assume-role-with-web-identity",
              answer.get("AssumedRoleUser", {}).get("Arn") == "arn:aws:sts::222222222222:assumed-role/deployer/cli"
              and answer.get("SubjectFromWebIdentityToken") == "repo:acme/app:ref:refs/heads/main"
              and answer.get("Audience") == "sts.amazonaws.com"
              and answer.get("Provider") == "arn:aws:iam::222222222222:oidc-provider/" + GITHUB,
              out.stdout + out.stderr)
        temp = dict(region, AWS_ACCESS_KEY_ID=creds.get("AccessKeyId", ""), AWS_SECRET_ACCESS_KEY=creds.get("SecretAccessKey", ""),
                    AWS_SESSION_TOKEN=creds.get("SessionToken", ""))
        out = aws(server, temp, "s3api", "list-buckets")
        names = [b["Name"] for b in json.loads(out.stdout or "{}").get("Buckets", [])]
        check("aws s3api list-buckets with the web identity session", names == ["deploy-artifacts"], out.stdout + out.stderr)

        # The AWS CLI's own web identity provider, from a token file and env vars.
        token_file = os.path.join(tempfile.mkdtemp(), "token")
        with open(token_file, "w") as f:
            f.write(mint(server))
        provider_env = dict(region, AWS_WEB_IDENTITY_TOKEN_FILE=token_file, AWS_ROLE_ARN=DEPLOYER,
                            AWS_ROLE_SESSION_NAME="cli-provider", AWS_ENDPOINT_URL=server.url)
        out = aws(server, provider_env, "sts", "get-caller-identity")
        check("the AWS CLI's web identity provider (AWS_WEB_IDENTITY_TOKEN_FILE)",
              json.loads(out.stdout or "{}").get("Arn") == "arn:aws:sts::222222222222:assumed-role/deployer/cli-provider",
              out.stdout + out.stderr)

        cases = [
            ("a wrong audience", ["--claim", "aud=https://github.com/acme"], "InvalidIdentityToken", "Incorrect token audience"),
            ("an expired token", ["--expires-in", "-3600"], "ExpiredTokenException", "Token expired: current date/time "),
            ("a bad signature", ["--forged"], "InvalidIdentityToken",
             "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"),
            ("a denied sub", ["--claim", "sub=repo:acme/app:pull_request"], "AccessDenied",
             "Not authorized to perform sts:AssumeRoleWithWebIdentity"),
        ]
        # A pull request's token with main's claims pasted in: the issuer's
        # key, a signature that no longer verifies.
        main, pr = mint(server).split("."), mint(server, "--claim", "sub=repo:acme/app:pull_request").split(".")
        altered = ".".join([pr[0], main[1], pr[2]])
        out = aws(server, region, "sts", "assume-role-with-web-identity", "--role-arn", DEPLOYER,
                  "--role-session-name", "cli", "--web-identity-token", altered)
        expect_error("aws cli: altered claims are InvalidIdentityToken", out, "InvalidIdentityToken",
                     "AssumeRoleWithWebIdentity", "The web identity token provided could not be validated")
        for name, extra, code, message in cases:
            out = aws(server, region, "sts", "assume-role-with-web-identity", "--role-arn", DEPLOYER,
                      "--role-session-name", "cli", "--web-identity-token", mint(server, *extra))
            expect_error("aws cli: " + name + " is " + code, out, code, "AssumeRoleWithWebIdentity", message)

        sts = boto3.session.Session(region_name="us-east-1").client(
            "sts", endpoint_url=server.url, config=Config(retries={"max_attempts": 1, "mode": "standard"}))
        answer = sts.assume_role_with_web_identity(RoleArn=DEPLOYER, RoleSessionName="boto3", WebIdentityToken=mint(server))
        check("boto3 assume_role_with_web_identity",
              answer["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/deployer/boto3"
              and answer["SubjectFromWebIdentityToken"] == "repo:acme/app:ref:refs/heads/main")
        c = answer["Credentials"]
        s3 = boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                   aws_session_token=c["SessionToken"], region_name="us-east-1").client("s3", endpoint_url=server.url)
        check("boto3 list_buckets with the web identity session",
              [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["deploy-artifacts"])
        for name, extra, code, message in cases:
            try:
                sts.assume_role_with_web_identity(RoleArn=DEPLOYER, RoleSessionName="boto3", WebIdentityToken=mint(server, *extra))
                check("boto3: " + name, False, "no error")
            except ClientError as e:
                err = e.response["Error"]
                status = e.response["ResponseMetadata"]["HTTPStatusCode"]
                check("boto3: " + name + " is " + code,
                      err["Code"] == code and err["Message"].startswith(message)
                      and status == (403 if code == "AccessDenied" else 400), str(e.response))
    finally:
        server.stop()


def iam_checks():
    """The IAM read API as the AWS CLI and boto3 parse it (botocore decodes
    the URL-encoded policy documents), and IAM's refusal."""
    server = Server("role-chaining.yaml")
    try:
        root = server.env("arn:aws:iam::222222222222:root")
        out = aws(server, root, "iam", "get-account-authorization-details")
        details = json.loads(out.stdout or "{}")
        roles = {r["RoleName"]: r for r in details.get("RoleDetailList", [])}
        viewer = roles.get("s3-viewer", {})
        trust = viewer.get("AssumeRolePolicyDocument", {})
        # The world keeps the parsed policy, so single values come back as
        # one-element lists (IAM itself returns the text as written).
        principal = trust.get("Statement", [{}])[0].get("Principal", {}).get("AWS") if isinstance(trust, dict) else None
        check("aws iam get-account-authorization-details (documents decoded by the CLI)",
              principal in ("arn:aws:iam::111111111111:role/jump", ["arn:aws:iam::111111111111:role/jump"]),
              out.stdout + out.stderr)
        out = aws(server, root, "iam", "list-roles")
        listed = {r["RoleName"]: r for r in json.loads(out.stdout or "{}").get("Roles", [])}
        check("aws iam list-roles (MaxSessionDuration)",
              listed.get("s3-viewer", {}).get("MaxSessionDuration") == 43200, out.stdout + out.stderr)
        out = aws(server, root, "iam", "get-role", "--role-name", "nope")
        expect_error("aws iam get-role for a missing role", out, "NoSuchEntity", "GetRole",
                     "The role with name nope cannot be found.")
    finally:
        server.stop()
    import boto3
    server = Server("github-oidc-overreach.yaml")
    try:
        root = server.env("arn:aws:iam::222222222222:root")
        session = boto3.Session(aws_access_key_id=root["AWS_ACCESS_KEY_ID"],
                                aws_secret_access_key=root["AWS_SECRET_ACCESS_KEY"], region_name="us-east-1")
        iam = session.client("iam", endpoint_url=server.url)
        pages = list(iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 1}))
        names = [r["RoleName"] for p in pages for r in p["Roles"]]
        check("boto3 list_roles pages with Marker", len(pages) == 2 and names == ["deployer", "org-reader"], str(pages))
        providers = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
        provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=providers[0]["Arn"])
        check("boto3 get_open_id_connect_provider", provider["Url"] == "token.actions.githubusercontent.com"
              and provider["ClientIDList"] == ["sts.amazonaws.com"], str(provider))
    finally:
        server.stop()


def organizations_checks():
    """The Organizations read API (JSON protocol) as the AWS CLI and boto3
    call it, and its refusal of a member account."""
    import boto3
    server = Server("org-scp-deny-assume.yaml")
    try:
        mgmt = server.env("arn:aws:iam::111111111111:root")
        out = aws(server, mgmt, "organizations", "list-accounts")
        ids = sorted(a["Id"] for a in json.loads(out.stdout or "{}").get("Accounts", []))
        check("aws organizations list-accounts", ids == ["111111111111", "222222222222", "333333333333", "444444444444"],
              out.stdout + out.stderr)
        member = server.env("arn:aws:iam::222222222222:root")
        out = aws(server, member, "organizations", "list-accounts")
        expect_error("aws organizations list-accounts from a member account", out, "AccessDeniedException",
                     "ListAccounts", "You don't have permissions to access this resource.")
        session = boto3.Session(aws_access_key_id=mgmt["AWS_ACCESS_KEY_ID"],
                                aws_secret_access_key=mgmt["AWS_SECRET_ACCESS_KEY"], region_name="us-east-1")
        org = session.client("organizations", endpoint_url=server.url)
        root = org.list_roots()["Roots"][0]["Id"]
        pages = list(org.get_paginator("list_organizational_units_for_parent").paginate(
            ParentId=root, PaginationConfig={"PageSize": 1}))
        names = [u["Name"] for p in pages for u in p["OrganizationalUnits"]]
        check("boto3 list_organizational_units_for_parent pages with NextToken",
              len(pages) == 2 and names == ["Production", "Sandbox"], str(pages))
        policies = org.list_policies_for_target(TargetId=root, Filter="SERVICE_CONTROL_POLICY")["Policies"]
        custom = [p for p in policies if not p["AwsManaged"]]
        content = json.loads(org.describe_policy(PolicyId=custom[0]["Id"])["Policy"]["Content"])
        check("boto3 describe_policy returns the SCP's document",
              content["Statement"][0]["Sid"] == "AssumeOnlyFromProduction", str(content))
    finally:
        server.stop()


def rcp_s3_checks():
    """org-rcp-s3.yaml through the AWS CLI: a role session of an account
    outside the organization is refused ListObjectsV2 on a member's bucket by
    the RCP, though the bucket policy names it; a member's session lists it."""
    server = Server("org-rcp-s3.yaml")
    try:
        for user, role, wanted in [
                ("arn:aws:iam::999999999999:user/support", "arn:aws:iam::999999999999:role/vendor-reader", None),
                ("arn:aws:iam::333333333333:user/ana", "arn:aws:iam::333333333333:role/analyst",
                 ["reports/2026-01.csv", "reports/2026-02.csv"])]:
            out = aws(server, server.env(user), "sts", "assume-role", "--role-arn", role, "--role-session-name", "s3")
            creds = json.loads(out.stdout or "{}").get("Credentials", {})
            session = {"AWS_ACCESS_KEY_ID": creds.get("AccessKeyId", ""),
                       "AWS_SECRET_ACCESS_KEY": creds.get("SecretAccessKey", ""),
                       "AWS_SESSION_TOKEN": creds.get("SessionToken", "")}
            out = aws(server, session, "s3api", "list-objects-v2", "--bucket", "member-data")
            if wanted is None:
                expect_error("aws s3api list-objects-v2 from outside the organization (RCP)", out,
                             "AccessDenied", "ListObjectsV2", "Access Denied")
            else:
                keys = [o["Key"] for o in json.loads(out.stdout or "{}").get("Contents", [])]
                check("aws s3api list-objects-v2 from a member account", keys == wanted, out.stdout + out.stderr)
    finally:
        server.stop()


def fanout_checks():
    """`xacct run --org` across the 50-account organization of
    tests/fanout/org-fanout-50.yaml (its throttling bursts included), with
    `--exec` running the AWS CLI's get-caller-identity in each account: the
    identity it reports is that account's role session."""
    world = os.path.join(ROOT, "tests", "fanout", "org-fanout-50.yaml")
    server = Server(world)
    try:
        env = isolated(server.env("arn:aws:iam::100000000000:user/operator"))
        del env["AWS_MAX_ATTEMPTS"]
        cmd = [XACCT, "run", "--org", "--endpoint-url", server.url, "--role-name", "OrganizationAccountAccessRole",
               "--output", "json", "--exec", "--", AWS, "sts", "get-caller-identity", "--endpoint-url", server.url,
               "--output", "json"]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env)
        report = json.loads(out.stdout or "{}")
        summary = report.get("summary", {})
        split = [summary.get(k) for k in ("ok", "assume_denied", "failed", "not_attempted")]
        # The two roles that may not list buckets may still call
        # GetCallerIdentity (it needs no permission), so they are ok here.
        check("xacct run --org --exec: the split and exit code 2", out.returncode == 2 and split == [35, 13, 0, 2],
              "exit {}, split {}: {}".format(out.returncode, split, out.stderr[-2000:]))
        wrong = []
        entered = [a for a in report.get("accounts", []) if a["status"] == "ok"]
        for account in entered:
            identity = json.loads(account["exec"]["stdout"] or "{}")
            want = "arn:aws:sts::{}:assumed-role/OrganizationAccountAccessRole/".format(account["account_id"])
            if identity.get("Account") != account["account_id"] or not identity.get("Arn", "").startswith(want):
                wrong.append((account["account_id"], identity, account["exec"]["stderr"][-300:]))
        check("aws sts get-caller-identity under --exec is each account's role session ({} accounts)".format(len(entered)),
              len(entered) == 35 and not wrong, str(wrong[:3]))
    finally:
        server.stop()


def daily_checks():
    """Issue 12's checks with the AWS CLI: a profile whose
    `credential_process` is `xacct creds ... --format credential-process`
    lists the target account's buckets (two hops away), and `xacct exec --
    aws sts get-caller-identity` prints the assumed role. xacct's stderr
    under the AWS CLI, and the process arguments, carry no secret."""
    server = Server("daily-chain.yaml")
    hub, deploy = "arn:aws:iam::222222222222:role/hub", "arn:aws:iam::333333333333:role/deploy"
    try:
        alice = server.env("arn:aws:iam::111111111111:user/alice")
        env = isolated(alice)
        cache = tempfile.mkdtemp()
        env["XDG_CACHE_HOME"] = cache
        wrapper = os.path.join(cache, "xacct-logged")
        stderr_log = os.path.join(cache, "stderr.log")
        # The wrapper keeps xacct's stderr (-vv) to look for secrets in it.
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec {} -vv \"$@\" 2>>{}\n".format(XACCT, stderr_log))
        os.chmod(wrapper, 0o700)
        config = os.path.join(env["HOME"], "config")
        with open(config, "w") as f:
            f.write("[profile prod]\nregion = us-east-1\ncredential_process = {} creds --endpoint-url {} "
                    "--role-arn {} --role-arn {} --session-name alice --format credential-process\n"
                    .format(wrapper, server.url, hub, deploy))
        # --profile (not AWS_PROFILE) makes the AWS CLI ignore the keys in
        # the environment, which credential_process hands on to xacct as
        # its base credentials.
        profile_env = dict(env, AWS_CONFIG_FILE=config)
        out = subprocess.run([AWS, "--profile", "prod", "--endpoint-url", server.url, "--output", "json", "s3api", "list-buckets"],
                             capture_output=True, text=True, env=profile_env)
        names = [b["Name"] for b in json.loads(out.stdout or "{}").get("Buckets", [])]
        check("aws s3api list-buckets with credential_process = xacct creds (two hops)",
              names == ["prod-artifacts", "prod-releases"], out.stdout + out.stderr)
        out = subprocess.run([AWS, "--profile", "prod", "--endpoint-url", server.url, "--output", "json", "sts",
                              "get-caller-identity"], capture_output=True, text=True, env=profile_env)
        ident = json.loads(out.stdout or "{}")
        check("aws sts get-caller-identity with credential_process is the deploy session",
              ident.get("Arn") == "arn:aws:sts::333333333333:assumed-role/deploy/alice", out.stdout + out.stderr)

        out = subprocess.run([XACCT, "exec", "--endpoint-url", server.url, "--role-arn", hub, "--role-arn", deploy,
                              "--session-name", "alice", "--", AWS, "sts", "get-caller-identity", "--output", "json"],
                             capture_output=True, text=True, env=env)
        ident = json.loads(out.stdout or "{}")
        check("xacct exec -- aws sts get-caller-identity prints the assumed role",
              out.returncode == 0 and ident.get("Arn") == "arn:aws:sts::333333333333:assumed-role/deploy/alice",
              out.stdout + out.stderr)

        out = subprocess.run([XACCT, "creds", "--endpoint-url", server.url, "--role-arn", hub, "--role-arn", deploy,
                              "--session-name", "alice", "--format", "json"], capture_output=True, text=True, env=env)
        session = json.loads(out.stdout or "{}")
        secrets = [session.get("SecretAccessKey", "-"), session.get("SessionToken", "-"), alice["AWS_SECRET_ACCESS_KEY"]]
        with open(stderr_log) as f:
            logged = f.read()
        check("xacct -vv under credential_process logs no secret",
              "sts" in logged and not any(s in logged for s in secrets), logged[-500:])
        check("the cached session is the one credential_process used (no secret in argv: it is all flags)",
              session.get("FromCache") is True, out.stdout[-300:] + out.stderr)
    finally:
        server.stop()


def session_context_checks():
    """Issue 13 with the AWS CLI and boto3: assume-role --tags,
    --transitive-tag-keys, --source-identity and --policy-arns; what a
    chained session keeps and may not change; ABAC on a session tag; and
    get-access-key-info for every key of a world, which `xacct whose-key`
    must agree with."""
    import boto3
    import botocore.exceptions

    hub, deploy = "arn:aws:iam::222222222222:role/hub", "arn:aws:iam::333333333333:role/deploy"
    server = Server("session-chain-context.yaml")
    try:
        alice = server.env("arn:aws:iam::111111111111:user/alice")
        out = aws(server, alice, "sts", "assume-role", "--role-arn", hub, "--role-session-name", "alice",
                  "--tags", "Key=project,Value=apollo", "Key=team,Value=data", "--transitive-tag-keys", "project",
                  "--source-identity", "alice")
        first = json.loads(out.stdout or "{}")
        check("aws sts assume-role --tags --transitive-tag-keys --source-identity",
              first.get("SourceIdentity") == "alice" and first.get("PackedPolicySize", 0) > 0, out.stdout + out.stderr)
        creds = first.get("Credentials", {})
        hub_env = session_env(creds, alice["AWS_REGION"])
        out = aws(server, hub_env, "sts", "assume-role", "--role-arn", deploy, "--role-session-name", "alice")
        second = json.loads(out.stdout or "{}")
        check("a chained assume-role keeps the source identity", second.get("SourceIdentity") == "alice",
              out.stdout + out.stderr)
        c2 = second.get("Credentials", {})
        deploy_env = session_env(c2, alice["AWS_REGION"])
        out = aws(server, deploy_env, "s3api", "list-buckets")
        names = [b["Name"] for b in json.loads(out.stdout or "{}").get("Buckets", [])]
        check("the transitive tag and source identity decide the chained session's listing",
              names == ["prod-releases"], out.stdout + out.stderr)
        out = aws(server, hub_env, "sts", "assume-role", "--role-arn", deploy, "--role-session-name", "alice",
                  "--tags", "Key=Project,Value=hermes")
        expect_error("overriding an inherited transitive tag", out, "InvalidParameterValue", "AssumeRole",
                     "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key "
                     "from the calling session.")
        out = aws(server, hub_env, "sts", "assume-role", "--role-arn", deploy, "--role-session-name", "alice",
                  "--source-identity", "bob")
        expect_error("changing the source identity in a chain", out, "ValidationError", "AssumeRole",
                     "The source identity is already set for this assume role session")
        out = aws(server, hub_env, "sts", "assume-role", "--role-arn", "arn:aws:iam::333333333333:role/no-source-identity",
                  "--role-session-name", "alice")
        expect_error("the kept source identity needs sts:SetSourceIdentity", out, "AccessDenied", "AssumeRole",
                     "User: arn:aws:sts::222222222222:assumed-role/hub/alice is not authorized to perform: "
                     "sts:SetSourceIdentity on resource: arn:aws:iam::333333333333:role/no-source-identity")
    finally:
        server.stop()

    server = Server("session-tags-chain.yaml")
    try:
        region = {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
        token = subprocess.run([XACCT, "token", server.scenario, "--provider", GITHUB, "--claim",
                                "sub=repo:example/app:ref:refs/heads/main"], capture_output=True, text=True,
                               check=True).stdout.strip()
        out = aws(server, region, "sts", "assume-role-with-web-identity", "--role-arn",
                  "arn:aws:iam::111111111111:role/github-oidc", "--role-session-name", "GitHubActions",
                  "--web-identity-token", token)
        c = json.loads(out.stdout or "{}").get("Credentials", {})
        oidc = session_env(c, "us-east-1")
        job = ["Key=GitHub,Value=Actions", "Key=Repository,Value=example/app", "Key=Workflow,Value=deploy",
               "Key=Action,Value=run1", "Key=Actor,Value=octocat", "Key=Commit,Value=0123456789abcdef",
               "Key=Branch,Value=refs/heads/main"]
        out = aws(server, oidc, "sts", "assume-role", "--role-arn", "arn:aws:iam::222222222222:role/deploy",
                  "--role-session-name", "GitHubActions", "--tags", *job)
        expect_error("the configure-aws-credentials chain without sts:TagSession", out, "AccessDenied", "AssumeRole",
                     "User: arn:aws:sts::111111111111:assumed-role/github-oidc/GitHubActions is not authorized to perform: "
                     "sts:TagSession on resource: arn:aws:iam::222222222222:role/deploy")
        out = aws(server, oidc, "sts", "assume-role", "--role-arn", "arn:aws:iam::222222222222:role/deploy-fixed",
                  "--role-session-name", "GitHubActions", "--tags", *job)
        fixed = json.loads(out.stdout or "{}")
        check("the same chain with sts:TagSession in the trust policy",
              fixed.get("AssumedRoleUser", {}).get("Arn") == "arn:aws:sts::222222222222:assumed-role/deploy-fixed/GitHubActions",
              out.stdout + out.stderr)
    finally:
        server.stop()

    server = Server("session-abac.yaml")
    try:
        alice = server.env("arn:aws:iam::111111111111:user/alice")
        session = boto3.session.Session(aws_access_key_id=alice["AWS_ACCESS_KEY_ID"],
                                        aws_secret_access_key=alice["AWS_SECRET_ACCESS_KEY"], region_name=alice["AWS_REGION"])
        sts = session.client("sts", endpoint_url=server.url)
        got = sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/analyst", RoleSessionName="alice",
                              Tags=[{"Key": "team", "Value": "data"}])["Credentials"]
        s3 = boto3.session.Session(aws_access_key_id=got["AccessKeyId"], aws_secret_access_key=got["SecretAccessKey"],
                                   aws_session_token=got["SessionToken"], region_name=alice["AWS_REGION"]).client(
            "s3", endpoint_url=server.url)
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="data-lake").get("Contents", [])]
        check("boto3: a team=data session lists its team's bucket", keys == ["raw/2026-01.parquet"], str(keys))
        try:
            s3.list_objects_v2(Bucket="audit-logs")
            check("boto3: the team=data session is refused audit-logs", False, "listed")
        except botocore.exceptions.ClientError as e:
            check("boto3: the team=data session is refused audit-logs", e.response["Error"]["Code"] == "AccessDenied",
                  str(e.response["Error"]))
        try:
            sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/analyst", RoleSessionName="alice",
                            Tags=[{"Key": "team", "Value": "audit"}])
            check("boto3: alice may not tag herself team=audit", False, "allowed")
        except botocore.exceptions.ClientError as e:
            check("boto3: alice may not tag herself team=audit",
                  e.response["Error"]["Message"] == "User: arn:aws:iam::111111111111:user/alice is not authorized to "
                  "perform: sts:TagSession on resource: arn:aws:iam::222222222222:role/analyst", str(e.response["Error"]))
        broker = server.env("arn:aws:iam::222222222222:user/broker")
        everything = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
        out = aws(server, broker, "sts", "get-federation-token", "--name", "visitor", "--policy", everything,
                  "--tags", "Key=team,Value=audit")
        fed = json.loads(out.stdout or "{}").get("Credentials", {})
        fed_env = session_env(fed, broker["AWS_REGION"])
        out = aws(server, fed_env, "s3api", "list-objects-v2", "--bucket", "audit-logs")
        check("aws sts get-federation-token --tags: the session tag overrides the user's",
              out.returncode == 0 and "trail/2026-01.json" in out.stdout, out.stdout + out.stderr)
        out = aws(server, fed_env, "s3api", "list-objects-v2", "--bucket", "data-lake")
        expect_error("the federated session no longer has the user's team", out, "AccessDenied", "ListObjectsV2",
                     "Access Denied")
    finally:
        server.stop()

    server = Server("session-policy-arns.yaml")
    try:
        bob = server.env("arn:aws:iam::111111111111:user/bob")
        out = aws(server, bob, "sts", "assume-role", "--role-arn", "arn:aws:iam::222222222222:role/ops",
                  "--role-session-name", "bob", "--policy-arns", "arn=arn:aws:iam::222222222222:policy/releases-only")
        narrowed = json.loads(out.stdout or "{}").get("Credentials", {})
        env = session_env(narrowed, bob["AWS_REGION"])
        out = aws(server, env, "s3api", "list-objects-v2", "--bucket", "prod-secrets")
        expect_error("aws sts assume-role --policy-arns narrows the session", out, "AccessDenied", "ListObjectsV2",
                     "Access Denied")
        out = aws(server, env, "s3api", "list-objects-v2", "--bucket", "prod-releases")
        check("the narrowed session still lists what the managed session policy allows",
              out.returncode == 0 and "app-1.0.tgz" in out.stdout, out.stdout + out.stderr)

        auditor = server.env("arn:aws:iam::111111111111:user/auditor")
        principals = ["arn:aws:iam::111111111111:user/bob", "arn:aws:iam::111111111111:user/auditor"] + [
            "arn:aws:iam::{}:root".format(a) for a in ("111111111111", "222222222222", "333333333333")]
        keys = [(server.env(p)["AWS_ACCESS_KEY_ID"], p.split(":")[4]) for p in principals]
        keys.append((narrowed.get("AccessKeyId", ""), "222222222222"))
        for key, account in keys:
            out = aws(server, auditor, "sts", "get-access-key-info", "--access-key-id", key)
            got = json.loads(out.stdout or "{}").get("Account")
            decoded = subprocess.run([XACCT, "whose-key", key, "--output", "json"], capture_output=True, text=True)
            offline = json.loads(decoded.stdout or "{}").get("Account")
            check("get-access-key-info {} is {} and whose-key agrees".format(key[:4] + "...", account),
                  got == account and offline == account, out.stdout + out.stderr + decoded.stdout)
        out = aws(server, bob, "sts", "get-access-key-info", "--access-key-id", keys[0][0])
        expect_error("get-access-key-info needs sts:GetAccessKeyInfo", out, "AccessDenied", "GetAccessKeyInfo",
                     "User: arn:aws:iam::111111111111:user/bob is not authorized to perform: sts:GetAccessKeyInfo on resource: *")
    finally:
        server.stop()


cli_checks()
boto3_checks()
web_identity_checks()
iam_checks()
organizations_checks()
rcp_s3_checks()
fanout_checks()
daily_checks()
session_context_checks()


def boto3_session(env):
    import boto3
    return boto3.session.Session(aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                                 aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                                 region_name=env.get("AWS_REGION", "us-east-1"))


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data_checks  # noqa: E402
import types  # noqa: E402

data_checks.run(types.SimpleNamespace(Server=Server, aws=aws, check=check, expect_error=expect_error,
                                      boto3_session=boto3_session, isolated=isolated))
passed = sum(1 for r in results if r)
failed = len(results) - passed
print("{} passed, {} failed".format(passed, failed))
sys.exit(1 if failed else 0)
