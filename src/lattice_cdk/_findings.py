"""Findings: what every Lattice rule (checker, diff, lock, guard) reports.

Shaped like a CDK policy-validation violation, so the same record feeds the CLI's
formats, the synth-time plugin and the tests.

Rule ids are ``LAT`` + four digits: the first is the severity (1 error, 2 warning,
3 info), the second the area, the last two a sequence number:

    0 removal and replacement policies    5 stack-level protection
    1 deletion protection                 6 destructive changes (diff)
    2 backup coverage                     7 the stateful lock
    3 backup plans and vaults             8 what CloudFormation's plan does
    4 recovery (PITR, versioning)           (change sets, LAT18xx)
                                          9 what could not be evaluated or read
"""

from __future__ import annotations

from enum import StrEnum

from ._records import Record, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt
    from typing import Any

__all__ = [
    "ACKNOWLEDGEMENTS_METADATA_KEY",
    "MIN_REASON_LENGTH",
    "Acknowledgement",
    "Finding",
    "RuleInfo",
    "Severity",
    "parse_acknowledgement",
    "parse_expiry",
    "severity_of",
]

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
    """What a rule is, for documentation and SARIF: id, title, rationale, fix, and why
    it has its severity (``severity_reason``, shown in ``docs/rules.md``)."""

    rule_id: str
    title: str
    rationale: str
    fix: str
    #: Where the rationale comes from (AWS docs, a CDK issue), when there is one.
    source: str | None = None
    #: Why the rule is an error, a warning or info: a data-loss fact, Lattice's policy,
    #: or something to look at.
    severity_reason: str = ""

    @property
    def severity(self) -> Severity:
        return severity_of(self.rule_id)


class Finding(Record):
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
    #: Where the acknowledgement was written: ``metadata``, ``cdk``, ``config``, or another
    #: tool's suppression of the same fact (``cdk-nag:AwsSolutions-DDB3``).
    acknowledged_by: str | None = None

    def acknowledge(self, reason: str, by: str | None = None) -> Finding:
        return replace(self, acknowledged=reason, acknowledged_by=by)

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
            "acknowledged_by": self.acknowledged_by,
        }


# -- acknowledgements: one validity rule for every source ----------------------------

#: The shortest reason an acknowledgement may give.
MIN_REASON_LENGTH = 10
_RULE_ID_DIGITS = frozenset("0123456789")


class Acknowledgement(Record):
    """A finding a team accepts: the rule, why, until when, and where it was written
    (``metadata``: the resource's or template's ``lattice:acknowledgements``; ``cdk``:
    ``Validations.of(x).acknowledge(...)``; ``config``: ``lattice.toml``; or another
    tool's suppression of a rule stating the same fact, as ``tool:rule``, e.g.
    ``cdk-nag:AwsSolutions-DDB3``)."""

    rule_id: str
    reason: str
    expires: dt.date | None = None
    source: str = "metadata"

    def expired(self, today: dt.date | None = None) -> bool:
        """Whether the expiry date is past (``today`` defaults to the real one, looked
        up only when there is an expiry)."""
        if self.expires is None:
            return False
        if today is None:
            import datetime as dt

            today = dt.date.today()
        return self.expires < today


def parse_acknowledgement(record: object, *, source: str = "metadata") -> Acknowledgement | str:
    """An acknowledgement record (``{"rule_id", "reason", "expires"?}``) as an
    :class:`Acknowledgement`, or why it is invalid: a rule id that is not ``LAT`` + a
    severity digit + three digits, a reason shorter than :data:`MIN_REASON_LENGTH`
    characters, an expiry that is not a date."""
    if not isinstance(record, dict):
        return f"an acknowledgement is {type(record).__name__}, not a mapping"
    rule_id = record.get("rule_id")
    if not isinstance(rule_id, str) or not _is_rule_id(rule_id):
        return f"an acknowledgement has rule_id {rule_id!r}, not a Lattice rule id"
    reason = record.get("reason")
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON_LENGTH:
        return (
            f"the acknowledgement of {rule_id} has reason {reason!r}, shorter than "
            f"{MIN_REASON_LENGTH} characters"
        )
    try:
        expires = parse_expiry(record.get("expires"))
    except ValueError:
        return f"the acknowledgement of {rule_id} has expires {record.get('expires')!r}, not a date"
    return Acknowledgement(rule_id, reason.strip(), expires, source)


def _is_rule_id(text: str) -> bool:
    return (
        len(text) == 7
        and text.startswith("LAT")
        and text[3] in _BY_DIGIT
        and all(c in _RULE_ID_DIGITS for c in text[4:])
    )


def parse_expiry(value: object) -> dt.date | None:
    """An expiry as a date: a TOML date or a ``YYYY-MM-DD`` string; raises ValueError."""
    if value is None:
        return None
    import datetime as dt  # only when an expiry is given; start-up does without

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise ValueError(f"{value!r} is not a date")
