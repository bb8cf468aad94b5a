"""Findings: what every Lattice rule (checker, diff, lock, guard) reports.

Shaped like a CDK policy-validation violation, so the same record feeds the CLI's
formats, the synth-time plugin and the tests.

Rule ids are ``LAT`` + four digits: the first is the severity (1 error, 2 warning,
3 info), the second the area, the last two a sequence number:

    0 removal and replacement policies    5 stack-level protection
    1 deletion protection                 6 destructive changes (diff)
    2 backup coverage                     7 the stateful lock
    3 backup plans and vaults             9 what could not be evaluated
    4 recovery (PITR, versioning)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

__all__ = ["ACKNOWLEDGEMENTS_METADATA_KEY", "Finding", "RuleInfo", "Severity", "severity_of"]

#: Resource Metadata key holding Lattice acknowledgements written by constructs, the
#: guard or by hand: a list of ``{"rule_id": "LAT1001", "reason": "...",
#: "expires": "YYYY-MM-DD"}`` (``expires`` optional).
ACKNOWLEDGEMENTS_METADATA_KEY = "lattice:acknowledgements"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_BY_DIGIT = {"1": Severity.ERROR, "2": Severity.WARNING, "3": Severity.INFO}


def severity_of(rule_id: str) -> Severity:
    """The severity a rule id encodes (``LAT1001`` is an error)."""
    if len(rule_id) != 7 or not rule_id.startswith("LAT") or rule_id[3] not in _BY_DIGIT:
        raise ValueError(f"rule id {rule_id!r} is not LAT + 4 digits with a severity digit")
    return _BY_DIGIT[rule_id[3]]


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleInfo:
    """What a rule is, for documentation and SARIF: id, title, rationale, fix."""

    rule_id: str
    title: str
    rationale: str
    fix: str
    #: Where the rationale comes from (AWS docs, a CDK issue), when there is one.
    source: str | None = None

    @property
    def severity(self) -> Severity:
        return severity_of(self.rule_id)


@dataclass(frozen=True, kw_only=True, slots=True)
class Finding:
    """One thing that can lose data (or that could not be judged), at one place."""

    rule_id: str
    severity: Severity
    title: str
    message: str
    fix: str
    stack: str
    template_path: str
    logical_id: str | None = None
    resource_type: str | None = None
    construct_path: str | None = None
    #: The acknowledgement's reason when the finding was acknowledged (it is then
    #: reported but does not fail the run).
    acknowledged: str | None = None

    def acknowledge(self, reason: str) -> Finding:
        return replace(self, acknowledged=reason)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "title": self.title,
            "message": self.message,
            "fix": self.fix,
            "stack": self.stack,
            "template_path": self.template_path,
            "logical_id": self.logical_id,
            "resource_type": self.resource_type,
            "construct_path": self.construct_path,
            "acknowledged": self.acknowledged,
        }
