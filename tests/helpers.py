"""Helpers for tests that run the ``lattice`` command as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


def run_lattice(
    *args: str | Path,
    cwd: Path | None = None,
    timeout: float = 120,
    preexec_fn: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m lattice_cdk ARGS`` in a subprocess and capture its output;
    ``preexec_fn`` runs in the child first (resource limits)."""
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    env.pop("LATTICE_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "lattice_cdk", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )
