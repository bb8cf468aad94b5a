"""Typed usage of the public API: mypy --strict must accept this file, and the
``reveal_type`` lines must show real types, not ``Any`` (see test_public_api_types)."""

from __future__ import annotations

from lattice_cdk import CheckResult, Finding, RuleInfo, Severity, StatefulnessGuard, check
from lattice_cdk.cfn import load


def errors(path: str) -> list[Finding]:
    result: CheckResult = check(load(path), environment="prod", rules=["LAT1001"])
    rules: dict[str, RuleInfo] = result.rules
    assert rules
    return [f for f in result.findings if f.severity is Severity.ERROR]


reveal_type(check)  # noqa: F821
reveal_type(StatefulnessGuard)  # noqa: F821
reveal_type(Finding.acknowledge)  # noqa: F821
