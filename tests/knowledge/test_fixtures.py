"""Every stateful type Lattice knows, through the real checker, in prod.

Each ``<Service>_<Type>/`` folder holds a ``pass.yaml`` (the type protected as prod
requires) and a ``fail.yaml`` (the protection off), or ``na.yaml`` for a type whose data
lives elsewhere (DeletionPolicy Delete reports nothing). A fixture's ``LatticeTest``
metadata lists every finding Lattice must report for its ``Data`` resource; the
fixtures are written by hand from AWS's documentation, not from Lattice's table, so they
judge the table. All of them run through one engine call, as one folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from lattice_cdk.cfn import load, stateful_types
from lattice_cdk.checker import check

HERE = Path(__file__).parent
CASES = sorted(HERE.glob("*/*.yaml"))
TODAY = dt.date(2026, 11, 25)


def _stack(case: Path) -> str:
    return f"{case.parent.name}-{case.stem}"


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str | None], set[str]]:
    """The rule ids reported per (stack, logical id), from one check of every fixture."""
    root = tmp_path_factory.mktemp("knowledge")
    for case in CASES:
        (root / f"{_stack(case)}.yaml").symlink_to(case)
    result = check(load(root), today=TODAY)
    assert {s.name for s in result.assembly.stacks} == {_stack(c) for c in CASES}
    found: dict[tuple[str, str | None], set[str]] = {}
    for finding in result.findings:
        if finding.acknowledged is None:
            found.setdefault((finding.stack, finding.logical_id), set()).add(finding.rule_id)
    return found


@pytest.mark.parametrize("case", CASES, ids=_stack)
def test_fixture_reports_exactly_what_it_expects(
    case: Path, reported: dict[tuple[str, str | None], set[str]]
) -> None:
    template = yaml.safe_load(case.read_text(encoding="utf-8"))
    expect = template["Metadata"]["LatticeTest"]
    got = reported.get((_stack(case), expect["resource"]), set())
    assert got == set(expect["findings"])
    if case.stem == "fail":
        assert {r for r in got if r.startswith("LAT1")}, "a fail fixture reports an error"
    else:
        assert not {r for r in got if r.startswith("LAT1")}


def test_every_stateful_type_has_its_fixtures() -> None:
    by_type: dict[str, set[str]] = {}
    for case in CASES:
        template = yaml.safe_load(case.read_text(encoding="utf-8"))
        resource = template["Resources"][template["Metadata"]["LatticeTest"]["resource"]]
        service, name = resource["Type"].split("::")[1:]
        assert case.parent.name == f"{service}_{name}"
        by_type.setdefault(resource["Type"], set()).add(case.stem)
    assert set(by_type) == set(stateful_types())
    for name, kinds in by_type.items():
        holds_data = stateful_types()[name].holds_data
        assert kinds == ({"pass", "fail"} if holds_data else {"pass", "na"}), name
    assert sum(1 for kinds in by_type.values() if "fail" in kinds) >= 55
