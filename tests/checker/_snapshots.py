"""JSON snapshots of ``lattice check`` on the rule fixtures.

Regenerate after an intended change with::

    python -m tests.checker.regen_snapshots
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from lattice_cdk._cli._check_cmd import check_extra
from lattice_cdk._formats import render_findings
from lattice_cdk.cfn import load
from lattice_cdk.checker import check

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SNAPSHOTS = HERE / "snapshots"
#: Fixtures are judged on a fixed day, so expiry dates do not drift.
TODAY = dt.date(2026, 11, 25)


def fixture_cases() -> list[Path]:
    """Every fixture: a template file, or a folder holding a cloud assembly."""
    return sorted(
        p
        for rule in FIXTURES.iterdir()
        for p in rule.iterdir()
        if p.is_dir() or p.suffix in (".json", ".yaml", ".yml")
    )


def snapshot_path(case: Path) -> Path:
    return SNAPSHOTS / case.parent.name / (case.name.split(".")[0] + ".json")


def render_case(case: Path) -> str:
    """The JSON report for ``case``, with paths relative to the fixtures folder."""
    result = check(load(case), today=TODAY)
    text = render_findings(
        result.findings,
        fmt="json",
        rules=result.rules,
        command="check",
        source="FIXTURE",
        extra=check_extra(result, "json"),
    )
    document = json.loads(text)
    document.pop("lattice_version")
    for finding in document["findings"]:
        finding["template_path"] = Path(finding["template_path"]).relative_to(FIXTURES).as_posix()
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
