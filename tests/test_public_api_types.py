"""The public API is typed: mypy --strict accepts a usage file, and the lazily loaded
names (``check``, ``StatefulnessGuard``...) are their real types, not ``Any``. It
shares mypy's cache with ``make typecheck``, which runs first in ``make test``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
USAGE = REPO / "tests" / "typing" / "public_api_usage.py"


def test_public_names_are_typed_for_mypy() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(USAGE)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    notes = [line for line in done.stdout.splitlines() if "Revealed type" in line]
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert not errors, done.stdout
    assert len(notes) == 3, done.stdout
    assert not any('"Any"' in line for line in notes), notes
    assert "def (assembly: lattice_cdk.cfn._model.Assembly" in notes[0]
    assert "lattice_cdk.cdk._guard.StatefulnessGuard" in notes[1]
    assert "lattice_cdk._findings.Finding" in notes[2]
