"""Where the ``xacct`` executable is.

The wheel installs the binary into the scripts directory of the environment
it is installed in (``bin/`` of a venv), the way ruff and uv ship theirs.
``XACCT_BIN`` overrides it, for a binary built from a checkout.
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from pathlib import Path


class BinaryNotFound(RuntimeError):
    """No ``xacct`` executable could be found."""


def binary() -> str:
    """The path of the ``xacct`` executable this package runs.

    In order: ``$XACCT_BIN``; the scripts directory of the running
    interpreter's environment (where ``pip install xacct`` put it); ``PATH``.
    """
    named = os.environ.get("XACCT_BIN")
    if named:
        if not Path(named).is_file():
            raise BinaryNotFound(
                f"XACCT_BIN={named!r} is not a file: point it at a built xacct "
                "(target/release/xacct) or unset it to use the installed one"
            )
        return named
    exe = "xacct.exe" if os.name == "nt" else "xacct"
    for scheme in (None, f"{os.name}_user"):
        try:
            scripts = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        candidate = Path(scripts) / exe
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("xacct")
    if found:
        return found
    raise BinaryNotFound(
        "no xacct executable: `pip install xacct` puts one next to this interpreter; "
        "or set XACCT_BIN to a built one (cargo build --release; target/release/xacct)"
    )
