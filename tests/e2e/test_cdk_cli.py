"""The example app through the real CDK CLI: ``npx aws-cdk synth`` with its cdk.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ..helpers import run_lattice

ROOT = Path(__file__).resolve().parents[2]
CDK = ROOT / "node_modules" / ".bin" / "cdk"


def test_cdk_cli_synthesizes_the_example_and_lattice_checks_it(tmp_path: Path) -> None:
    assert CDK.exists(), "run 'make setup' (npm install) to get the CDK CLI"
    env = {
        **os.environ,
        # cdk.json runs "python3 app.py": the project's interpreter must come first.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "CDK_DISABLE_VERSION_CHECK": "1",
    }
    out = tmp_path / "cdk.out"
    result = subprocess.run(
        [str(CDK), "synth", "--quiet", "--no-notices", "--output", str(out)],
        cwd=ROOT / "examples",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    stages = {
        a["properties"]["directoryName"]
        for a in manifest["artifacts"].values()
        if a["type"] == "cdk:cloud-assembly"
    }
    assert stages == {"assembly-Dev", "assembly-Staging", "assembly-Prod"}

    checked = run_lattice("check", str(out), "--format", "json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
