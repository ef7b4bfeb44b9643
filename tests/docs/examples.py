#!/usr/bin/env python3
"""Runs every shell example of the README and the book, as CI does.

    python3 tests/docs/examples.py XACCT_BINARY [FILE.md ...]

Each fenced block is checked by its info string (docs/src/doc-examples.md
says the same for writers):

- ``sh``: runnable. The block runs in one bash session in a scratch
  directory that holds ``scenarios/``, ``tests/``, ``mocks/`` and
  ``benches/`` of the checkout, with ``xacct`` (the binary given) and the
  AWS CLI on PATH. Every command must exit 0, or the code its trailing
  comment names (``# ... exit 2``). A command ending in ``&`` starts a
  server: the next command waits until its port (``--port N``, default
  4580) answers, and it is stopped when the block ends.
- ``sh live``: needs real AWS, a browser or tools CI lacks. ``bash -n``
  checks its syntax, and every ``xacct`` command in it is run with
  ``--help`` added, so clap checks that its subcommand and flags exist
  (a block with no ``xacct`` command gets the syntax check alone).
- ``sh synopsis``: a usage form. ``[...]`` brackets are dropped, the first
  of ``a|b`` is kept, ``FILE...`` becomes ``FILE``; then as ``live``.
- ``sh ci``: the two commands CI runs as steps of its own; each must
  appear at the start of a line of ``.ci/run``.
- ``console``: ``$ COMMAND`` lines, each followed by the output it must
  print (stdout and stderr together). A line ``...`` matches any number of
  lines, ``[..]`` any text within a line; ``? N`` says the exit code.

Blocks of other languages (``text``, ``json``, ``yaml``, ``python``) are
not run here (the Python examples are run by tests/python).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs" / "src").glob("*.md")),
                 "scenarios/README.md"]
LINKED = ["scenarios", "tests", "mocks", "benches"]
BLOCK_SECONDS = 300


@dataclass
class Block:
    file: str
    line: int
    kind: str  # sh, sh live, sh synopsis, sh ci, console
    text: str


def blocks(file: str) -> list[Block]:
    found, lines = [], (ROOT / file).read_text().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)```(\S*)\s*(.*)$", lines[i])
        if not m:
            i += 1
            continue
        indent, lang, tags = m.group(1), m.group(2), m.group(3).strip()
        body, start = [], i + 1
        i += 1
        while i < len(lines) and not lines[i].strip().startswith("```"):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        i += 1
        if lang in ("sh", "console"):
            kind = f"{lang} {tags}".strip()
            found.append(Block(file, start, kind, "\n".join(body)))
    return found


def logical(text: str) -> list[tuple[int, str]]:
    """Commands with their line offsets: continuations joined, comments and blank lines dropped."""
    out, current, first = [], "", 0
    for n, line in enumerate(text.split("\n")):
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not current:
            first = n
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        out.append((first, current + line))
        current = ""
    if current:
        out.append((first, current))
    return out


def expected_exit(command: str) -> int:
    m = re.search(r"#.*\bexit (\d+)\b", command)
    return int(m.group(1)) if m else 0


def port_of(command: str) -> int:
    m = re.search(r"--port\s+(\d+)", command)
    return int(m.group(1)) if m else 4580


def wait_line(port: int) -> str:
    return (f"for _i in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && break; "
            f"sleep 0.1; done")


def run_sh(block: Block, env: dict, work: Path) -> str | None:
    script = ["set -u"]
    for offset, command in logical(block.text):
        line = block.line + offset + 1
        if command.rstrip().endswith("&") or re.search(r"&\s+#", command):
            script += [command, wait_line(port_of(command))]
            continue
        want = expected_exit(command)
        quoted = shlex.quote(command.strip()[:200])
        script += [
            command,
            f'_rc=$?; if [ "$_rc" -ne {want} ]; then echo "{block.file}:{line}: exited $_rc, the docs say {want}: "{quoted} >&2; '
            f"kill $(jobs -p) 2>/dev/null; wait; exit 99; fi",
        ]
    script.append("kill $(jobs -p) 2>/dev/null; wait; exit 0")
    return bash(block, "\n".join(script), env, work)


def bash(block: Block, script: str, env: dict, work: Path) -> str | None:
    try:
        done = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True,
                              text=True, timeout=BLOCK_SECONDS, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return f"{block.file}:{block.line}: did not finish in {BLOCK_SECONDS} s"
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().split("\n")[-25:])
        return f"{block.file}:{block.line}: failed (exit {done.returncode})\n{tail}"
    return None


def xacct_commands(text: str) -> list[str]:
    """The `xacct ...` commands in a block, as words, up to a pipe, redirection or `)`."""
    found = []
    for _, command in logical(text):
        command = command.split(" #")[0]
        for m in re.finditer(r"(?:^|[\s(\"$])xacct\s+([^|;&)>]*)", command):
            found.append("xacct " + m.group(1).strip())
    return found


def with_help(command: str) -> str:
    words = shlex.split(command)
    if "--" in words:
        cut = words.index("--")
        words = words[:cut] + ["--help"]
    else:
        words.append("--help")
    return shlex.join(words)


def synopsis(text: str) -> str:
    text = re.sub(r"\[([^\[\]]*)\]", r"\1", text)
    text = re.sub(r"(\S+?)\|\S+", r"\1", text)
    text = text.replace("...", "")
    return text


def run_live(block: Block, env: dict, work: Path) -> str | None:
    text = synopsis(block.text) if block.kind == "sh synopsis" else block.text
    if block.kind != "sh synopsis":
        syntax = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True)
        if syntax.returncode != 0:
            return f"{block.file}:{block.line}: bash -n: {syntax.stderr.strip()}"
    commands = xacct_commands(text)
    if not commands:
        return None  # only tools CI does not run (pip, terraform): the syntax is what can be checked
    script = ["set -e"] + [with_help(c) + " > /dev/null" for c in commands]
    return bash(block, "\n".join(script), env, work)


def run_ci(block: Block) -> str | None:
    ci = (ROOT / ".ci" / "run").read_text().split("\n")
    for _, command in logical(block.text):
        command = command.split(" #")[0].strip()
        if not any(line.startswith(command) for line in ci):
            return f"{block.file}:{block.line}: `{command}` is not a step of .ci/run"
    return None


def matches(expected: list[str], actual: list[str]) -> bool:
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    pattern = "^" + ".*".join(re.escape(part) for part in expected[0].split("[..]")) + "$"
    return bool(re.match(pattern, actual[0].rstrip())) and matches(expected[1:], actual[1:])


def run_console(block: Block, env: dict, work: Path) -> str | None:
    """Runs the block's commands in one bash session (so ``eval`` and
    servers started with ``&`` last for the block), each command's output
    and exit code kept apart, then compares them with the docs."""
    steps: list[list] = []  # [command, expected lines, exit code]
    for line in block.text.split("\n"):
        if line.startswith("$ "):
            steps.append([line[2:], [], 0])
        elif steps and steps[-1][0].endswith("\\") and not steps[-1][1]:
            steps[-1][0] = steps[-1][0][:-1] + " " + line.strip()
        elif steps and re.fullmatch(r"\? \d+", line):
            steps[-1][2] = int(line[2:])
        elif steps:
            steps[-1][1].append(line)
    out = Path(tempfile.mkdtemp(prefix="xacct-doc-out-"))
    script = []
    for n, (command, _, _) in enumerate(steps):
        if command.rstrip().endswith("&"):
            script += [f"{command.rstrip()[:-1]} > /dev/null 2>&1 &", wait_line(port_of(command))]
        else:
            script.append(f"{command} > {out}/{n}.out 2>&1; echo $? > {out}/{n}.rc")
    script.append("kill $(jobs -p) 2>/dev/null; wait; exit 0")
    failure = bash(block, "\n".join(script), env, work)
    if failure:
        return failure
    try:
        for n, (command, expected, want) in enumerate(steps):
            if command.rstrip().endswith("&"):
                continue
            while expected and not expected[-1].strip():
                expected.pop()
            text = (out / f"{n}.out").read_text()
            actual = text.rstrip("\n").split("\n") if text.strip() else []
            got = int((out / f"{n}.rc").read_text())
            if got != want:
                return f"{block.file}:{block.line}: `{command}` exited {got}, the docs say {want}\n{text[-2000:]}"
            if not matches(expected, actual):
                return (f"{block.file}:{block.line}: `{command}` printed something else than the docs show\n"
                        f"--- the docs\n" + "\n".join(expected) + "\n--- the output\n" + "\n".join(actual))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return None


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = Path(sys.argv[1]).resolve()
    files = sys.argv[2:] or DEFAULT_FILES
    bindir = Path(tempfile.mkdtemp(prefix="xacct-doc-bin-"))
    (bindir / "xacct").symlink_to(binary)
    venv = ROOT / ".venv" / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(PATH=os.pathsep.join([str(bindir), str(venv), env.get("PATH", "")]),
               AWS_EC2_METADATA_DISABLED="true", NO_COLOR="1")
    env.pop("COLUMNS", None)  # 80 columns, as a pipe gets
    failures, counts = [], {}
    for file in files:
        for block in blocks(file):
            counts[block.kind] = counts.get(block.kind, 0) + 1
            work = Path(tempfile.mkdtemp(prefix="xacct-doc-"))
            for name in LINKED:
                (work / name).symlink_to(ROOT / name)
            # Each block starts with no AWS config and an empty credential cache.
            env.update(HOME=str(work), XDG_CACHE_HOME=str(work / ".cache"))
            if block.kind == "sh":
                failure = run_sh(block, env, work)
            elif block.kind in ("sh live", "sh synopsis"):
                failure = run_live(block, env, work)
            elif block.kind == "sh ci":
                failure = run_ci(block)
            elif block.kind == "console":
                failure = run_console(block, env, work)
            else:
                failure = f"{block.file}:{block.line}: unknown block kind `{block.kind}` (see the docstring)"
            shutil.rmtree(work, ignore_errors=True)
            status = "ok" if failure is None else "FAILED"
            print(f"{status:6} {block.file}:{block.line} ({block.kind})", flush=True)
            if failure:
                failures.append(failure)
    print(", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + f"; {len(failures)} failed")
    for failure in failures:
        print("\n" + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
