"""A running ``xacct serve``: one scenario's world on a free loopback port.

Every answer comes from the simulated world and xacct's IAM engine, checked
as AWS checks it (SigV4, trust and identity policies, SCPs), so a boto3
client pointed at :attr:`World.endpoint` gets AWS's codes and messages.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from ._binary import binary


class XacctError(RuntimeError):
    """xacct refused a request of this package (its message says why)."""


def _run(args: Sequence[str]) -> str:
    """Runs ``xacct ARGS`` and returns its stdout, or raises with its stderr."""
    done = subprocess.run(
        [binary(), *args], capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise XacctError(
            f"`xacct {' '.join(shlex.quote(a) for a in args)}` exited {done.returncode}: "
            f"{done.stderr.strip()}"
        )
    return done.stdout


def parse_env(text: str) -> dict[str, str]:
    """The variables of ``export K=V`` lines (``unset K`` lines name none)."""
    env: dict[str, str] = {}
    for line in text.splitlines():
        words = shlex.split(line)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, value = words[1].split("=", 1)
            env[name] = value
    return env


class World:
    """A served scenario. Start one with :func:`serve` (or the pytest fixture);
    stop it with :meth:`stop` or a ``with`` block."""

    def __init__(
        self,
        scenario: str | os.PathLike[str],
        *,
        scenario_clock: bool = False,
        args: Sequence[str] = (),
        timeout: float = 60.0,
    ) -> None:
        self.scenario = str(scenario)
        if not Path(self.scenario).is_file():
            raise XacctError(
                f"scenario {self.scenario!r} is not a file: name a scenario YAML "
                "(the repository's scenarios/ has one per lesson)"
            )
        self._clock = ["--scenario-clock"] if scenario_clock else []
        # The server's own flags: env() asks with them, as the key seed
        # (`--key-seed`, `--key-seed-file`) decides every long-term secret.
        self._args = list(args)
        # Long-term keys by principal ARN (see env).
        self._long_term: dict[str, dict[str, str]] = {}
        self._dir = tempfile.TemporaryDirectory(prefix="xacct-serve-")
        ready = Path(self._dir.name) / "ready.json"
        self._log_path = Path(self._dir.name) / "serve.log"
        self._log = open(self._log_path, "wb")  # noqa: SIM115 (closed in stop)
        command = [
            binary(), "serve", self.scenario, "--port", "0",
            "--ready-file", str(ready), *self._clock, *args,
        ]
        self._process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log
        )
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if self._process.poll() is not None:
                self._close_files()
                raise XacctError(
                    f"xacct serve {self.scenario} exited {self._process.returncode} "
                    f"before listening:\n{self.log}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise XacctError(
                    f"xacct serve {self.scenario} was not listening after {timeout:.0f} s:\n{self.log}"
                )
            time.sleep(0.02)
        facts = json.loads(ready.read_text())
        #: ``http://127.0.0.1:PORT``: the endpoint every service shares.
        self.endpoint: str = facts["endpoint"]
        #: The port the server chose.
        self.port: int = facts["port"]
        #: The world's region (requests signed for any region are accepted).
        self.region: str = facts["region"]
        #: The server's process id.
        self.pid: int = facts["pid"]
        # Reads every decision the server keeps (see ``why``).
        self._explain_key: str = facts.get("explain_key") or ""

    def __enter__(self) -> "World":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"World({self.scenario!r}, endpoint={getattr(self, 'endpoint', None)!r})"

    @property
    def log(self) -> str:
        """What the server has logged: one line per request, with its decision."""
        try:
            return self._log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def env(self, principal: str) -> dict[str, str]:
        """The environment of ``principal`` on this endpoint, for a subprocess
        (``subprocess.run(cmd, env={**os.environ, **world.env(arn)})``).

        A user (or account root) gets its long-term keys, the same for the
        server's whole life, so they are asked of xacct once and then kept. A
        role gets a fresh session on every call, assumed through the endpoint
        by a user of the world whom its trust policy lets in without
        conditions. The keys are asked with the flags the world was served
        with, so a world given ``--key-seed`` hands out keys that sign; one
        served beyond loopback with no seed picks a random one this cannot
        know (give it a seed).
        """
        kept = self._long_term.get(principal)
        if kept is not None:
            return dict(kept)
        env = parse_env(
            _run(["serve", self.scenario, "--port", str(self.port), *self._clock,
                  *self._args, "--print-env", principal])
        )
        env.setdefault("AWS_SESSION_TOKEN", "")
        if not env["AWS_SESSION_TOKEN"]:
            del env["AWS_SESSION_TOKEN"]
            self._long_term[principal] = dict(env)
        return env

    def session(self, principal: Optional[str] = None, *, region: Optional[str] = None) -> Any:
        """A ``boto3.Session`` whose clients talk to this endpoint, signing as
        ``principal`` (a user or role ARN of the world); with no principal, an
        unsigned one (for ``assume_role_with_web_identity``)."""
        from ._session import EndpointSession

        region = region or self.region
        if principal is None:
            return EndpointSession(self.endpoint, region_name=region, unsigned=True)
        env = self.env(principal)
        return EndpointSession(
            self.endpoint,
            region_name=region,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=env.get("AWS_SESSION_TOKEN"),
        )

    def client(self, service: str, principal: Optional[str] = None, **kwargs: Any) -> Any:
        """``world.session(principal).client(service, **kwargs)``."""
        return self.session(principal).client(service, **kwargs)

    def token(
        self,
        provider: str,
        claims: Optional[Mapping[str, Any]] = None,
        *,
        expires_in: Optional[int] = None,
        forged: bool = False,
    ) -> str:
        """A web identity token (JWT) of the world's OIDC issuer ``provider``
        (``token.actions.githubusercontent.com``) that this endpoint accepts."""
        args = ["token", self.scenario, "--provider", provider, *self._clock]
        for key, value in (claims or {}).items():
            args += ["--claim", f"{key}={value}"]
        if expires_in is not None:
            args += ["--expires-in", str(expires_in)]
        if forged:
            args.append("--forged")
        return _run(args).strip()

    def why(self, request_id: str) -> dict[str, Any]:
        """What decided the answer with this request id (from
        ``response["ResponseMetadata"]["RequestId"]``, or an error's): the
        operation, caller, outcome, a summary and the deciding statements."""
        url = f"{self.endpoint}/_xacct/why/{request_id}"
        # The server tells its decisions to the holder of its explain key
        # (in the ready file, mode 0600) or to each request's own caller.
        request = urllib.request.Request(url, headers={"x-xacct-explain-key": self._explain_key})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            try:
                message = json.loads(body).get("Message", body)
            except ValueError:
                message = body
            raise XacctError(f"no decision for request id {request_id!r}: {message}") from None

    def stop(self) -> None:
        """Stops the server (SIGTERM, then SIGKILL after 10 s). Idempotent."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._close_files()

    def _close_files(self) -> None:
        if not self._log.closed:
            self._log.close()


def serve(
    scenario: str | os.PathLike[str],
    *,
    scenario_clock: bool = False,
    args: Sequence[str] = (),
    timeout: float = 60.0,
) -> World:
    """Serves ``scenario`` on a free loopback port and returns the running
    :class:`World` (stop it, or use it in a ``with`` block).

    ``scenario_clock`` dates everything by the scenario's ``clock`` (clients
    must then sign with that time); ``args`` are more ``xacct serve`` flags.
    """
    return World(scenario, scenario_clock=scenario_clock, args=args, timeout=timeout)
