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

from enum import StrEnum

from ._records import Record, replace, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
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


class RuleInfo(Record):
    """What a rule is, for documentation and SARIF: id, title, rationale, fix."""

    __slots__ = ("rule_id", "title", "rationale", "fix", "source")  # noqa: RUF023 (field order)
    rule_id: str
    title: str
    rationale: str
    fix: str
    #: Where the rationale comes from (AWS docs, a CDK issue), when there is one.
    source: str | None

    def __init__(
        self, *, rule_id: str, title: str, rationale: str, fix: str, source: str | None = None
    ) -> None:
        set_field(self, "rule_id", rule_id)
        set_field(self, "title", title)
        set_field(self, "rationale", rationale)
        set_field(self, "fix", fix)
        set_field(self, "source", source)

    @property
    def severity(self) -> Severity:
        return severity_of(self.rule_id)


class Finding(Record):
    """One thing that can lose data (or that could not be judged), at one place."""

    __slots__ = (  # noqa: RUF023 (field order)
        "rule_id",
        "severity",
        "title",
        "message",
        "fix",
        "stack",
        "template_path",
        "logical_id",
        "resource_type",
        "construct_path",
        "acknowledged",
    )
    rule_id: str
    severity: Severity
    title: str
    message: str
    fix: str
    stack: str
    template_path: str
    logical_id: str | None
    resource_type: str | None
    construct_path: str | None
    #: The acknowledgement's reason when the finding was acknowledged (it is then
    #: reported but does not fail the run).
    acknowledged: str | None

    def __init__(
        self,
        *,
        rule_id: str,
        severity: Severity,
        title: str,
        message: str,
        fix: str,
        stack: str,
        template_path: str,
        logical_id: str | None = None,
        resource_type: str | None = None,
        construct_path: str | None = None,
        acknowledged: str | None = None,
    ) -> None:
        set_field(self, "rule_id", rule_id)
        set_field(self, "severity", severity)
        set_field(self, "title", title)
        set_field(self, "message", message)
        set_field(self, "fix", fix)
        set_field(self, "stack", stack)
        set_field(self, "template_path", template_path)
        set_field(self, "logical_id", logical_id)
        set_field(self, "resource_type", resource_type)
        set_field(self, "construct_path", construct_path)
        set_field(self, "acknowledged", acknowledged)

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
