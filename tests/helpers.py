"""Helpers for tests that run the ``lattice`` command as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_lattice(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m lattice_cdk ARGS`` in a subprocess and capture its output."""
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    env.pop("LATTICE_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "lattice_cdk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
