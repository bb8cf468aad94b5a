"""The enforcement verbs are pure Python: ``lattice guard-rules`` and ``lattice
org-backup-policy`` never load jsii or aws_cdk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from lattice_cdk._cli import main
assembly, lock, out = sys.argv[1:]
assert main(["guard-rules", assembly, "--lock-file", lock, "--output-dir", out,
             "--hook-template", out + "/hook.json"]) == 0
assert main(["org-backup-policy", "-e", "prod", "--region", "us-east-1",
             "--dr-region", "us-west-2", "-o", out + "/policy.json"]) == 0
heavy = {"jsii", "aws_cdk", "constructs"}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def test_enforcement_verbs_never_load_jsii(example: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            str(example / "cdk.out"),
            str(example / "lattice.lock.json"),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    assert (tmp_path / "hook.json").is_file()
    assert (tmp_path / "policy.json").is_file()
