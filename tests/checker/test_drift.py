"""The drift test: doors that judge the same fact must agree on every checker fixture.

- ``diff`` half: for every ordered pair of fixtures of a rule that diff's weakened-
  protection rules mirror, ``lattice diff`` reports the weakening on a resource exactly
  when ``lattice check`` would newly fail it: the old template passes the rule there
  (no finding, no "cannot evaluate"), the new one does not.
- ``rules=`` half: a check restricted to one rule (the synth-time guard's door) judges
  every fixture as the full check does for that rule.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from lattice_cdk import Finding
from lattice_cdk.cfn import Stack, load, stateful_type
from lattice_cdk.changes import diff_stacks
from lattice_cdk.checker import check
from tests.checker._snapshots import FIXTURES, TODAY, fixture_cases

#: checker rule -> the diff rule that reports it being weakened.
MIRRORED = {
    "LAT1001": "LAT2610",
    "LAT1002": "LAT2611",
    "LAT1101": "LAT2612",
    "LAT1401": "LAT2613",
    "LAT1402": "LAT2614",
    "LAT1201": "LAT2615",
    "LAT1304": "LAT2617",
}


def _templates(rule_id: str) -> list[Path]:
    return sorted(
        p for p in (FIXTURES / rule_id).iterdir() if p.suffix in (".json", ".yaml", ".yml")
    )


def _failing(path: Path, rule_id: str) -> set[str]:
    """Logical ids ``check`` (as prod) does not pass for ``rule_id``: a finding of the
    rule, or a "cannot evaluate" naming it."""
    result = check(load(path), environment="prod", today=TODAY)
    return {
        f.logical_id
        for f in result.findings
        if f.logical_id is not None
        and (
            f.rule_id == rule_id
            or (f.rule_id == "LAT2901" and f.message.startswith(f"[{rule_id}]"))
        )
    }


def _stack(path: Path) -> Stack:
    (stack,) = load(path).stacks
    return stack


def _pairs() -> list[tuple[str, Path, Path]]:
    return [
        (rule_id, a, b)
        for rule_id in MIRRORED
        for a, b in itertools.permutations(_templates(rule_id), 2)
    ]


@pytest.mark.parametrize(
    ("rule_id", "old", "new"),
    _pairs(),
    ids=lambda v: v.stem if isinstance(v, Path) else v,
)
def test_diff_reports_a_weakening_exactly_when_check_newly_fails(
    rule_id: str, old: Path, new: Path
) -> None:
    before, after = _stack(old), _stack(new)
    shared = {
        lid
        for lid in before.resources.keys() & after.resources.keys()
        if before.resources[lid].type == after.resources[lid].type
        and (
            stateful_type(after.resources[lid].type) is not None
            or after.resources[lid].type == "AWS::Backup::BackupVault"
        )
    }
    newly = (_failing(new, rule_id) - _failing(old, rule_id)) & shared
    reported = {
        f.logical_id
        for f in diff_stacks(before, after)
        if f.rule_id == MIRRORED[rule_id] and f.logical_id in shared
    }
    assert reported == newly


# LAT2903 is judged while acknowledging other rules' findings: alone, it has none.
@pytest.mark.parametrize(
    "case",
    [c for c in fixture_cases() if c.parent.name != "LAT2903"],
    ids=lambda c: f"{c.parent.name}/{c.name}",
)
def test_a_check_restricted_to_one_rule_judges_it_as_the_full_check(case: Path) -> None:
    rule_id = case.parent.name
    assembly = load(case)
    full = check(assembly, today=TODAY)
    alone = check(assembly, today=TODAY, rules=[rule_id])

    def judged(findings: tuple[Finding, ...]) -> list[tuple[str, str | None, str]]:
        return sorted(
            (f.rule_id, f.logical_id, f.message)
            for f in findings
            if f.rule_id == rule_id or f.message.startswith(f"[{rule_id}]")
        )

    assert judged(alone.findings) == judged(full.findings)
    assert set(alone.rules) >= {rule_id}
