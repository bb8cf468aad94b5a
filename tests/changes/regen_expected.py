"""Regenerate ``corpus/<case>/expected.json`` from what ``lattice diff`` reports now.

    python tests/changes/regen_expected.py

Review the git diff of the expected files before committing: they are the contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lattice_cdk.cfn import load
from lattice_cdk.changes import diff_assemblies

CORPUS = Path(__file__).with_name("corpus")


def side(case: Path, name: str) -> Path:
    folder = case / name
    return folder if folder.is_dir() else case / f"{name}.json"


def observed(case: Path) -> list[dict[str, Any]]:
    findings = diff_assemblies(load(side(case, "old")), load(side(case, "new")))
    rows = [
        {
            "rule_id": f.rule_id,
            "severity": f.severity.value,
            "stack": f.stack,
            "logical_id": f.logical_id,
            "resource_type": f.resource_type,
            "acknowledged": f.acknowledged is not None,
        }
        for f in findings
    ]
    return sorted(rows, key=lambda r: (r["stack"], r["logical_id"] or "", r["rule_id"]))


def main() -> None:
    for case in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        text = json.dumps(observed(case), indent=1) + "\n"
        (case / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
