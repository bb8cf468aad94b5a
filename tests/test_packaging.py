"""The package's dependency floor is what the suite runs on."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _floor() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [spec] = [d for d in project["project"]["dependencies"] if d.startswith("aws-cdk-lib")]
    match = re.search(r">=\s*([0-9.]+)", spec)
    assert match, spec
    return match.group(1)


def test_the_suite_runs_on_the_lowest_aws_cdk_lib_the_package_allows() -> None:
    pinned = re.search(
        r"^aws-cdk-lib==([0-9.]+)$",
        (ROOT / "constraints" / "lowest.txt").read_text(encoding="utf-8"),
        re.M,
    )
    assert pinned, "constraints/lowest.txt pins aws-cdk-lib"
    assert pinned.group(1) == _floor(), "pyproject's floor and constraints/lowest.txt differ"
    assert version("aws-cdk-lib") == _floor(), "make test installs the floor"
