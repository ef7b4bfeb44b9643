"""The pytest plugin ``pip install xacct`` registers (entry point ``pytest11``).

Fixtures:

- ``xacct``: a factory; ``xacct.serve(SCENARIO)`` starts a world on a free
  port and stops it after the test; ``xacct.run(*args)`` runs any command.
- ``xacct_world``: the world of the test's ``@pytest.mark.xacct_scenario(PATH)``
  marker (on the test, its class or module), or of the ``xacct_scenario``
  ini option, already served.

A relative scenario path is looked up next to the test file, then under the
rootdir. Each served world's request log is attached to a failing test's
report ("xacct serve" section), so a refusal can be read where it failed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Iterator, List

import pytest

from ._binary import binary
from ._world import World, XacctError, serve

MARKER = "xacct_scenario"
HANDLE = pytest.StashKey["Xacct"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(MARKER, "scenario file the xacct_world fixture serves when no marker names one", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(path, scenario_clock=False, args=()): the scenario the xacct_world fixture serves",
    )


class Xacct:
    """What the ``xacct`` fixture gives a test."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request
        self._worlds: List[World] = []

    def path(self, scenario: str) -> Path:
        """``scenario`` as a file: as given, next to the test file, or under the rootdir."""
        given = Path(scenario)
        places = [given] if given.is_absolute() else [
            Path(self._request.path).parent / given,
            Path(self._request.config.rootpath) / given,
        ]
        for place in places:
            if place.is_file():
                return place.resolve()
        raise XacctError(
            f"scenario {scenario!r} not found (looked at {', '.join(str(p) for p in places)}): "
            "name it relative to the test file or the rootdir"
        )

    def serve(self, scenario: str, **options: Any) -> World:
        """Serves ``scenario`` for this test (stopped at its end); see :func:`xacct.serve`."""
        world = serve(self.path(scenario), **options)
        self._worlds.append(world)
        return world

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Runs ``xacct ARGS`` (``xacct.run("sim", "scenarios/success.yaml")``)."""
        return subprocess.run([binary(), *args], capture_output=True, text=True, check=check, timeout=300)

    def logs(self) -> List[tuple]:
        """``(scenario, log)`` of each world served so far."""
        return [(world.scenario, world.log) for world in self._worlds]

    def close(self) -> None:
        for world in self._worlds:
            world.stop()


@pytest.fixture
def xacct(request: pytest.FixtureRequest) -> Iterator[Xacct]:
    """Serves scenarios for one test and stops them after it."""
    handle = Xacct(request)
    request.node.stash[HANDLE] = handle
    try:
        yield handle
    finally:
        handle.close()


@pytest.fixture
def xacct_world(xacct: Xacct, request: pytest.FixtureRequest) -> World:
    """The world of the ``xacct_scenario`` marker (or ini option), served."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        if not marker.args:
            raise pytest.UsageError(f"@pytest.mark.{MARKER}() needs a scenario path")
        return xacct.serve(marker.args[0], **marker.kwargs)
    scenario = request.config.getini(MARKER)
    if not scenario:
        raise pytest.UsageError(
            f"xacct_world needs a scenario: mark the test @pytest.mark.{MARKER}('scenarios/x.yaml') "
            f"or set `{MARKER} = ...` in the pytest ini"
        )
    return xacct.serve(scenario)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """A failing test's report carries each of its worlds' request logs."""
    report = yield
    handle = item.stash.get(HANDLE, None)
    if handle is not None and report.failed:
        for scenario, log in handle.logs():
            report.sections.append((f"xacct serve {scenario}", log))
    return report
