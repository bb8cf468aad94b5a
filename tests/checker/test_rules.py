"""Every rule against its pass, fail, not-applicable and cannot-evaluate fixtures.

A fixture's name says what must happen: ``fail*`` reports the rule, ``pass*`` and
``na*`` do not (nor a LAT2901 for it), ``unknown*`` reports LAT2901 naming the rule
instead of passing. The JSON output of each is snapshot-tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lattice_cdk.cfn import load
from lattice_cdk.checker import RULES, check
from tests.checker._snapshots import TODAY, fixture_cases, render_case, snapshot_path

CASES = fixture_cases()


def _ids(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_fixture_outcome(case: Path) -> None:
    rule_id = case.parent.name
    kind = case.name.split("-")[0].split(".")[0]
    result = check(load(case), today=TODAY)
    active = [f for f in result.findings if f.acknowledged is None]
    reported = [f for f in active if f.rule_id == rule_id]
    not_evaluated = [
        f for f in active if f.rule_id == "LAT2901" and f.message.startswith(f"[{rule_id}]")
    ]
    if kind == "fail":
        assert reported, [f.rule_id for f in active]
        for finding in reported:
            assert finding.fix
            assert finding.message
    elif kind == "unknown":
        assert not reported
        assert not_evaluated, [f.rule_id for f in active]
    else:
        assert kind in ("pass", "na"), case
        assert not reported, [f.message for f in reported]
        assert not not_evaluated, [f.message for f in not_evaluated]


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_json_output_matches_snapshot(case: Path) -> None:
    expected = snapshot_path(case)
    assert expected.is_file(), "no snapshot: run python -m tests.checker.regen_snapshots"
    assert render_case(case) == expected.read_text(encoding="utf-8")


def test_every_rule_has_failing_and_passing_fixtures() -> None:
    kinds: dict[str, set[str]] = {}
    for case in CASES:
        kinds.setdefault(case.parent.name, set()).add(case.name.split("-")[0].split(".")[0])
    for rule in RULES:
        found = kinds.get(rule.info.rule_id, set())
        assert "fail" in found, rule.info.rule_id
        if rule.info.rule_id != "LAT3501":  # only "not applicable" can pass it
            assert found & {"pass", "na"}, rule.info.rule_id


def test_fixtures_have_no_snapshot_orphans() -> None:
    from tests.checker._snapshots import SNAPSHOTS

    wanted = {snapshot_path(c) for c in CASES}
    assert set(SNAPSHOTS.rglob("*.json")) == wanted
