#!/usr/bin/env python3
"""The classic flow against `xacct serve` on loopback, timed end to end:
`xacct run` (process start included) beside the AWS CLI and boto3 doing the
same three calls (ListBuckets as A, AssumeRole, ListBuckets as B) on the same
endpoint, and optionally beside another xacct binary (a baseline build).

Usage:
  benches/flow.py XACCT [--baseline OTHER_XACCT] [--aws AWS_CLI] [--python PY] [--runs N]

Prints the median and p90 wall time of each client and its ratio to
`xacct run`. Reaches nothing but 127.0.0.1. Not part of CI (it takes about
a minute, most of it the AWS CLI).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "success.yaml")
ROLE = "arn:aws:iam::222222222222:role/s3-viewer"
HOMES = "arn:aws:iam::111111111111:user/homes"

BOTO3_FLOW = r"""
import os, boto3
url = os.environ["AWS_ENDPOINT_URL"]
s = boto3.session.Session()
s.client("s3", endpoint_url=url).list_buckets()
c = s.client("sts", endpoint_url=url).assume_role(RoleArn=%r, RoleSessionName="bench")["Credentials"]
boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                      aws_session_token=c["SessionToken"]).client("s3", endpoint_url=url).list_buckets()
""" % ROLE


def serve(xacct):
    proc = subprocess.Popen([xacct, "serve", SCENARIO, "--port", "0", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if line.startswith("endpoint: "):
            url = line.split(" ", 1)[1].strip()
            port = url.rsplit(":", 1)[1]
            out = subprocess.run([xacct, "serve", SCENARIO, "--port", port, "--print-env", HOMES],
                                 capture_output=True, text=True, check=True).stdout
            env = {}
            for export in out.splitlines():
                if export.startswith("export "):
                    key, value = export[len("export "):].split("=", 1)
                    env[key] = value
            return proc, url, env
    raise SystemExit("xacct serve printed no endpoint")


def isolated(extra):
    home = tempfile.mkdtemp()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"HOME": home, "AWS_CONFIG_FILE": os.path.join(home, "none"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "none"),
                "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": ""})
    env.update(extra)
    return env


def timed(commands, env, runs):
    """Wall seconds of running `commands` (a list of argv) in sequence, `runs` times."""
    return interleaved([commands], env, runs)[0]


def interleaved(variants, env, runs):
    """Wall seconds of each variant (a list of argv run in sequence), taking
    turns run by run so that a noisy minute weighs on every variant alike."""
    samples = [[] for _ in variants]
    for _ in range(runs):
        for index, commands in enumerate(variants):
            start = time.perf_counter()
            for argv in commands:
                subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            samples[index].append(time.perf_counter() - start)
    return samples


def aws_cli_flow(aws, url, env, runs):
    """The AWS CLI needs the assumed credentials between calls, so each run
    is three processes with the second one's output fed to the third."""
    import json
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([aws, "--endpoint-url", url, "s3api", "list-buckets"], env=env,
                       stdout=subprocess.DEVNULL, check=True)
        out = subprocess.run([aws, "--endpoint-url", url, "sts", "assume-role", "--role-arn", ROLE,
                              "--role-session-name", "bench"], env=env, capture_output=True,
                             text=True, check=True).stdout
        c = json.loads(out)["Credentials"]
        assumed = dict(env, AWS_ACCESS_KEY_ID=c["AccessKeyId"], AWS_SECRET_ACCESS_KEY=c["SecretAccessKey"],
                       AWS_SESSION_TOKEN=c["SessionToken"])
        subprocess.run([aws, "--endpoint-url", url, "s3api", "list-buckets"], env=assumed,
                       stdout=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - start)
    return samples


def show(name, samples, reference):
    samples = sorted(samples)
    median = statistics.median(samples)
    p90 = samples[min(len(samples) - 1, int(len(samples) * 0.9))]
    ratio = "" if reference is None else f"  {median / reference:7.1f}x xacct run"
    print(f"{name:<28} median {median * 1000:8.1f} ms   p90 {p90 * 1000:8.1f} ms   ({len(samples)} runs){ratio}")
    return median


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("xacct")
    parser.add_argument("--baseline")
    parser.add_argument("--aws")
    parser.add_argument("--python")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    proc, url, served = serve(args.xacct)
    try:
        env = isolated(served)
        run = lambda xacct: [[xacct, "run", "--endpoint-url", url, "--role-arn", ROLE,
                              "--session-name", "bench"]]
        variants = [run(args.xacct), [["true"]], [[args.xacct, "--version"]]]
        if args.baseline:
            variants.append(run(args.baseline))
        interleaved(variants, env, 3)  # warm the page cache
        print(f"classic flow against xacct serve at {url}")
        samples = interleaved(variants, env, args.runs)
        reference = show("xacct run", samples[0], None)
        # The floor every row pays: starting a process that does nothing.
        show("process start (true)", samples[1], reference)
        show("xacct --version", samples[2], reference)
        if args.baseline:
            show("xacct run (baseline)", samples[3], reference)
        if args.python:
            show("boto3 (python process)", timed([[args.python, "-c", BOTO3_FLOW]], env, max(5, args.runs // 5)), reference)
        if args.aws:
            show("AWS CLI (3 processes)", aws_cli_flow(args.aws, url, env, max(3, args.runs // 10)), reference)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
