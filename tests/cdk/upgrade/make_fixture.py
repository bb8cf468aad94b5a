"""Synthesize ``app.py`` with the Lattice of a past commit into ``base/``.

Usage: ``python tests/cdk/upgrade/make_fixture.py [COMMIT]`` (default: 9ad833a, the last
commit whose constructs wrapped an inner ``Default`` child). The commit's ``src/`` is
exported with ``git archive`` into a temporary folder and put first on ``PYTHONPATH``;
only the templates are kept.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
BASE = HERE / "base"
DEFAULT_COMMIT = "9ad833a"


def main(commit: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "src"],
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        out = Path(tmp) / "cdk.out"
        env = {
            **os.environ,
            "PYTHONPATH": str(Path(tmp) / "src"),
            "CDK_VALIDATION": "false",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        }
        subprocess.run([sys.executable, "-P", str(HERE / "app.py"), str(out)], check=True, env=env)
        shutil.rmtree(BASE, ignore_errors=True)
        BASE.mkdir()
        for template in sorted(out.glob("*.template.json")):
            body = json.loads(template.read_text())
            (BASE / template.name).write_text(json.dumps(body, indent=1, sort_keys=True) + "\n")
        (BASE / "COMMIT").write_text(commit + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_COMMIT)
