#!/usr/bin/env python3
"""The run across an organization, timed: an organization of N accounts
(default 5,000) in nested OUs, served by `xacct serve`, entered by
`xacct run --org` and, in the same run, by botocove (boto3 driving the same
endpoint), plus the in-process simulation of the same run.

    cargo build --release
    python3 -m venv .venv && .venv/bin/pip install awscli boto3 botocove
    .venv/bin/python benches/fanout/bench.py [N] [--binary target/release/xacct] [--without-botocove]

Prints wall time and peak memory (client and server) for each, and the ratio.
Not part of the tests: a timing is not a pass/fail check on a shared machine.
"""

import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OPERATOR = "arn:aws:iam::100000000000:user/operator"
ROLE = "OrganizationAccountAccessRole"

BOTOCOVE = r"""
import sys
from botocove import cove

@cove(rolename=sys.argv[1], thread_workers=int(sys.argv[2]))
def buckets(session):
    s3 = session.client("s3")
    return [b["Name"] for b in s3.list_buckets()["Buckets"]]

out = buckets()
print(len(out["Results"]), len(out["Exceptions"]), len(out["FailedAssumeRole"]))
"""


def peak_kib(pid):
    """A running process's peak resident memory (VmHWM), KiB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measured(argv, env):
    """Runs argv; returns (wall seconds, its peak RSS in KiB from wait4, stdout)."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=err)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        if proc.returncode not in (0, 1, 2) or not out.strip():
            sys.exit(f"{argv[:3]} failed ({proc.returncode}): {err.read().decode()[-3000:]}")
    return elapsed, usage.ru_maxrss, out.decode()


class Server:
    def __init__(self, binary, world):
        self.proc = subprocess.Popen(
            [binary, "serve", world, "--port", "0", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = None
        for line in self.proc.stdout:
            m = re.search(r"endpoint: (http://\S+)", line)
            if m:
                self.url = m.group(1)
                break
        if not self.url:
            sys.exit("xacct serve did not start")

    def peak_kib(self):
        return peak_kib(self.proc.pid)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def main():
    args = sys.argv[1:]
    binary = os.path.join(ROOT, "target/release/xacct")
    if "--binary" in args:
        binary = args[args.index("--binary") + 1]
    n = int(next((a for a in args if a.isdigit()), "5000"))
    work = tempfile.mkdtemp(prefix="xacct-fanout-")
    world = os.path.join(work, f"org-fanout-{n}.yaml")
    with open(world, "w") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "make_org.py"), str(n)], stdout=f, check=True)
    keys = subprocess.run([binary, "serve", world, "--print-env", OPERATOR],
                          capture_output=True, text=True, check=True).stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    for line in keys.splitlines():
        if line.startswith("export AWS_ACCESS_KEY_ID=") or line.startswith("export AWS_SECRET_ACCESS_KEY="):
            k, v = line[len("export "):].split("=", 1)
            env[k] = v
    env.update({"AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull})

    rows = []
    # Each client gets a fresh server, so neither warms the other's.
    server = Server(binary, world)
    try:
        secs, kib, out = measured([binary, "run", "--org", "--role-name", ROLE, "--endpoint-url",
                                   server.url, "--output", "jsonl"], env)
        ok = out.count('"status":"ok"')
        rows.append(("xacct run --org (serve)", secs, kib, server.peak_kib(), ok))
    finally:
        server.stop()

    if "--without-botocove" in args:
        rows.append(None)
    else:
        rows.append(botocove(binary, world, env))

    secs, kib, out = measured([binary, "run", "--org", "--scenario", world, "--as", OPERATOR,
                               "--role-name", ROLE, "--output", "jsonl"], env)
    rows.append(("xacct run --org --scenario", secs, kib, None, out.count('"status":"ok"')))
    report(n, world, rows)


def botocove(binary, world, env):
    """botocove's run (boto3 sessions in 20 threads) against a fresh server."""
    server = Server(binary, world)
    try:
        secs, kib, out = measured([sys.executable, "-c", BOTOCOVE, ROLE, "20"],
                                  dict(env, AWS_ENDPOINT_URL=server.url))
        return ("botocove 1.7, 20 threads (serve)", secs, kib, server.peak_kib(), int(out.split()[0]))
    finally:
        server.stop()


def report(n, world, rows):
    print(f"{n} accounts ({world})")
    print(f"{'':30} {'wall s':>8} {'client MiB':>11} {'server MiB':>11} {'ok':>6}")
    for row in rows:
        if row is None:
            continue
        name, secs, ckib, skib, ok = row
        c = f"{ckib / 1024:.0f}" if ckib else "-"
        s = f"{skib / 1024:.0f}" if skib else "-"
        print(f"{name:30} {secs:8.2f} {c:>11} {s:>11} {ok:>6}")
    if rows[1] is not None:
        print(f"botocove / xacct wall time: {rows[1][1] / rows[0][1]:.1f}x")


if __name__ == "__main__":
    main()
