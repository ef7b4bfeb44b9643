"""Every data step of the shipped scenarios (`steps:` of scenarios/data-*.yaml)
through `xacct serve`, once with boto3 and once with the AWS CLI (`aws
s3api`), each against a fresh server, each compared with the expectation
the scenario writes (and cites): a body, a size, an SSE-KMS key, a key
list, `ok`, or AWS's error code, status and message. A run with a
`role_arn` assumes the role first (boto3's STS), as `xacct sim` does.
Called by data_checks.py with conformance.py's helpers."""

import glob
import json
import os
import re
import subprocess
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI_ERROR = re.compile(r"An error occurred \(([^)]*)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: (.*)")


def body_of(spec):
    if "body" in spec:
        return spec["body"].encode()
    return b"\0" * int(spec.get("size", 0))


def session_env(h, server, run):
    """The environment of the run's last identity: its own keys, or the
    role session it assumes."""
    env = server.env(run["as"])
    if not run.get("role_arn"):
        return env
    sts = h.boto3_session(env).client("sts", endpoint_url=server.url)
    creds = sts.assume_role(RoleArn=run["role_arn"],
                            RoleSessionName=run.get("session_name", "steps"))["Credentials"]
    return dict(env, AWS_ACCESS_KEY_ID=creds["AccessKeyId"], AWS_SECRET_ACCESS_KEY=creds["SecretAccessKey"],
                AWS_SESSION_TOKEN=creds["SessionToken"])


def with_boto3(h, server, env, kind, spec):
    import boto3
    import botocore.exceptions
    s3 = boto3.session.Session(aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                               aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                               aws_session_token=env.get("AWS_SESSION_TOKEN"),
                               region_name=env.get("AWS_REGION", "us-east-1")).client("s3", endpoint_url=server.url)
    b, k = spec["bucket"], spec.get("key")
    try:
        if kind == "get_object":
            out = s3.get_object(Bucket=b, Key=k)
            return ("ok", {"body": out["Body"].read(), "size": out["ContentLength"], "kms_key": out.get("SSEKMSKeyId")})
        if kind == "head_object":
            out = s3.head_object(Bucket=b, Key=k)
            return ("ok", {"size": out["ContentLength"], "kms_key": out.get("SSEKMSKeyId")})
        if kind == "list_objects":
            out = s3.list_objects_v2(Bucket=b, Prefix=spec.get("prefix", ""))
            return ("ok", {"keys": [o["Key"] for o in out.get("Contents", [])]})
        if kind == "put_object":
            extra = {}
            if spec.get("acl"):
                extra["ACL"] = spec["acl"]
            if spec.get("kms_key"):
                extra.update(ServerSideEncryption="aws:kms", SSEKMSKeyId=spec["kms_key"])
            s3.put_object(Bucket=b, Key=k, Body=body_of(spec), **extra)
            return ("ok", {})
        if kind == "delete_object":
            s3.delete_object(Bucket=b, Key=k)
            return ("ok", {})
        if kind == "put_bucket_policy":
            s3.put_bucket_policy(Bucket=b, Policy=json.dumps(spec["policy"]))
            return ("ok", {})
    except botocore.exceptions.ClientError as e:
        err = e.response.get("Error", {})
        return ("error", {"code": err.get("Code"), "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                          "message": err.get("Message")})
    return ("unknown step", {})


def with_cli(h, server, env, kind, spec):
    b, k = spec["bucket"], spec.get("key")
    work = tempfile.mkdtemp()
    args = {"get_object": ["get-object", "--bucket", b, "--key", str(k), os.path.join(work, "out")],
            "head_object": ["head-object", "--bucket", b, "--key", str(k)],
            "list_objects": ["list-objects-v2", "--bucket", b, "--prefix", spec.get("prefix", "")],
            "delete_object": ["delete-object", "--bucket", b, "--key", str(k)]}.get(kind)
    if kind == "put_object":
        path = os.path.join(work, "in")
        with open(path, "wb") as f:
            f.write(body_of(spec))
        args = ["put-object", "--bucket", b, "--key", str(k), "--body", path]
        if spec.get("acl"):
            args += ["--acl", spec["acl"]]
        if spec.get("kms_key"):
            args += ["--server-side-encryption", "aws:kms", "--ssekms-key-id", spec["kms_key"]]
    if kind == "put_bucket_policy":
        args = ["put-bucket-policy", "--bucket", b, "--policy", json.dumps(spec["policy"])]
    if args is None:
        return ("unknown step", {})
    # The CLI retries as SDKs do (a scenario may script a throttling fault).
    out = h.aws(server, dict(env, AWS_MAX_ATTEMPTS="3"), "s3api", *args)
    if out.returncode != 0:
        m = CLI_ERROR.search(out.stderr)
        if not m:
            return ("error", {"code": None, "message": out.stderr.strip()})
        code, message = m.group(1), m.group(2).strip()
        # A HEAD answer has no body: the CLI shows the status as the code.
        if code.isdigit():
            return ("error", {"status": int(code), "message": message})
        return ("error", {"code": code, "message": message})
    parsed = json.loads(out.stdout or "{}")
    if kind == "get_object":
        with open(os.path.join(work, "out"), "rb") as f:
            return ("ok", {"body": f.read(), "size": parsed.get("ContentLength"), "kms_key": parsed.get("SSEKMSKeyId")})
    if kind == "head_object":
        return ("ok", {"size": parsed.get("ContentLength"), "kms_key": parsed.get("SSEKMSKeyId")})
    if kind == "list_objects":
        return ("ok", {"keys": [o["Key"] for o in parsed.get("Contents", [])]})
    return ("ok", {})


def matches(expect, got):
    """Whether `got` meets the step's expectation, and what was got."""
    outcome, value = got
    if expect is None or expect == "ok":
        return outcome == "ok", str(got)
    if isinstance(expect, list):
        return outcome == "ok" and value.get("keys") == expect, str(got)
    if "error" in expect:
        if outcome != "error":
            return False, str(got)
        ok = value.get("code") in (None, expect["error"]) or value.get("code") == expect["error"]
        if value.get("code") is None and "status" not in value:
            ok = False
        if "status" in value and "status" in expect:
            ok = ok and value["status"] == expect["status"]
        if "message" in expect and value.get("code") is not None:
            ok = ok and value.get("message") == expect["message"]
        return ok, str(got)
    if outcome != "ok":
        return False, str(got)
    ok = True
    if "body" in expect:
        ok = ok and value.get("body") == expect["body"].encode()
    if "size" in expect:
        ok = ok and value.get("size") == expect["size"]
    if "kms_key" in expect:
        ok = ok and value.get("kms_key") == expect["kms_key"]
    return ok, str(got)


def run(h):
    for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "data-*.yaml"))):
        with open(path) as f:
            doc = yaml.safe_load(f)
        runs = [r for r in doc.get("runs", []) if r.get("steps")]
        for client, step_with in (("boto3", with_boto3), ("aws cli", with_cli)):
            if not runs:
                continue
            server = h.Server(os.path.basename(path))
            try:
                for r in runs:
                    env = session_env(h, server, r)
                    for step in r["steps"]:
                        (kind, spec), = step.items()
                        got = step_with(h, server, env, kind, spec)
                        ok, detail = matches(spec.get("expect", "ok"), got)
                        where = "s3://{}/{}".format(spec["bucket"], spec.get("key", spec.get("prefix", "")))
                        h.check("{}: {}: {}: {} {}".format(client, doc["name"], r.get("name", r["as"]), kind, where),
                                ok, "expected {!r}, got {}".format(spec.get("expect", "ok"), detail))
            finally:
                server.stop()
