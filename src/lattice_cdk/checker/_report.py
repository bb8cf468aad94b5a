"""The protection inventory: every stateful resource, how it is protected, a verdict.

Built from a :class:`CheckResult`, so the verdict is the checker's own findings: those
on the resource and those on each backup plan that covers it (a plan without a
cross-region copy, LAT2303, makes its resources "review", not "compliant").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from .._findings import Finding, Severity
from .._records import Record
from ..cfn._knowledge import PropertyCheck, StatefulType, stateful_types
from ..cfn._model import Resource, Stack
from ._engine import CheckResult
from ._environment import StackEnvironment
from ._recovery_report import recovery_columns
from .judge import protection_state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "VERDICTS",
    "InventoryRow",
    "assumed_environment_note",
    "build_inventory",
    "inventory_totals",
]

#: Verdicts, worst first.
VERDICTS = ("at risk", "unknown", "review", "acknowledged", "compliant")


class InventoryRow(Record):
    stack: str
    environment: str
    environment_source: str
    logical_id: str
    construct_path: str | None
    type: str
    deletion_policy: str
    update_replace_policy: str
    deletion_protection: str
    backup: str
    backup_plans: tuple[str, ...]
    backup_tiers: tuple[str, ...]
    cross_region: str
    point_in_time_recovery: str
    versioning: str
    verdict: str
    findings: tuple[str, ...]
    #: ``(rule_id, reason)`` of each acknowledged finding: the opt-outs, with why.
    acknowledgements: tuple[tuple[str, str], ...] = ()
    #: True when nothing named the stack's environment and it was judged as prod (the
    #: strictest): every format says so, as ``check`` does with LAT2902.
    environment_assumed: bool = False
    #: Restore testing and copy destinations (``_recovery_report``).
    restore_test: str = "n/a"
    copies_to: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "environment": self.environment,
            "environment_source": self.environment_source,
            "environment_assumed": self.environment_assumed,
            "logical_id": self.logical_id,
            "construct_path": self.construct_path,
            "type": self.type,
            "deletion_policy": self.deletion_policy,
            "update_replace_policy": self.update_replace_policy,
            "deletion_protection": self.deletion_protection,
            "backup": self.backup,
            "backup_plans": list(self.backup_plans),
            "backup_tiers": list(self.backup_tiers),
            "cross_region": self.cross_region,
            "restore_test": self.restore_test,
            "copies_to": list(self.copies_to),
            "point_in_time_recovery": self.point_in_time_recovery,
            "versioning": self.versioning,
            "verdict": self.verdict,
            "findings": list(self.findings),
            "acknowledgements": [
                {"rule_id": rule_id, "reason": reason} for rule_id, reason in self.acknowledgements
            ],
        }


def _state(resource: Resource, check: PropertyCheck | None) -> str:
    if check is None:
        return "n/a"
    state = protection_state(resource, check)
    return "unknown" if state is None else "on" if state else "off"


def _policy(value: Any, default: str) -> str:
    if value is None:
        return f"{default} (default)"
    return value if isinstance(value, str) else "intrinsic"


def _verdict(findings: list[Finding]) -> str:
    active = [f for f in findings if f.acknowledged is None]
    if any(f.severity is Severity.ERROR for f in active):
        return "at risk"
    if any(f.rule_id == "LAT2901" for f in active):
        return "unknown"
    if active:
        return "review"
    return "acknowledged" if findings else "compliant"


def build_inventory(result: CheckResult) -> list[InventoryRow]:
    """One row per stateful resource that holds data, in stack then logical-id order."""
    by_place: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in result.findings:
        if finding.logical_id is not None:
            by_place[(finding.stack, finding.logical_id)].append(finding)
    known = stateful_types()
    rows: list[InventoryRow] = []
    for stack in result.assembly.stacks:
        env = result.environments[stack.identity]
        stateful = {
            lid for rtype, ids in stack.resources_by_type().items() if rtype in known for lid in ids
        }
        for logical_id, rtype in stack.resource_types():
            if logical_id not in stateful:
                continue
            kind = known[rtype]
            resource = stack.resources[logical_id]
            if not _holds_data(resource, kind):
                continue
            rows.append(_row(result, stack, resource, kind, env, by_place))
    return rows


def _holds_data(resource: Resource, kind: StatefulType) -> bool:
    if not kind.holds_data:
        return False
    member = kind.cluster_member_property
    return member is None or resource.properties.get(member) is None


def _row(
    result: CheckResult,
    stack: Stack,
    resource: Resource,
    kind: StatefulType,
    env: StackEnvironment,
    by_place: Mapping[tuple[str, str], list[Finding]],
) -> InventoryRow:
    findings = by_place.get((stack.label, resource.logical_id), [])
    if kind.aws_backup:
        coverage = result.backups.coverage(stack, resource, kind)
        backup = {True: "covered", False: "none", None: "unknown"}[coverage.covered]
        # What is wrong with a plan is wrong with the backups of what it covers: a
        # resource whose plan copies nothing to another region (LAT2303) is not compliant.
        findings = findings + [
            f for p in coverage.plans for f in by_place.get((p.stack.label, p.logical_id), [])
        ]
        plans = tuple(p.name for p in coverage.plans)
        tiers = tuple(coverage.tiers)
        cross = coverage.cross_region if coverage.covered else False
        cross_region = "unknown" if cross is None else "yes" if cross else "no"
    else:
        backup, plans, tiers, cross_region = "n/a", (), (), "n/a"
    restore_test, copies_to = recovery_columns(
        result.backups, stack, resource, kind, coverage.plans if kind.aws_backup else ()
    )
    return InventoryRow(
        stack=stack.label,
        environment=env.environment.name,
        environment_source=env.source,
        environment_assumed=not env.determined,
        logical_id=resource.logical_id,
        construct_path=resource.construct_path,
        type=resource.type,
        deletion_policy=_policy(resource.deletion_policy, kind.default_deletion_policy),
        update_replace_policy=_policy(resource.update_replace_policy, "Delete"),
        deletion_protection=_state(resource, kind.deletion_protection),
        backup=backup,
        backup_plans=plans,
        backup_tiers=tiers,
        cross_region=cross_region,
        point_in_time_recovery=_state(resource, kind.point_in_time_recovery),
        versioning=_state(resource, kind.versioning),
        verdict=_verdict(findings),
        findings=tuple(sorted({f.rule_id for f in findings if f.acknowledged is None})),
        acknowledgements=tuple(
            sorted({(f.rule_id, f.acknowledged) for f in findings if f.acknowledged is not None})
        ),
        restore_test=restore_test,
        copies_to=copies_to,
    )


def assumed_environment_note(stacks: Sequence[Mapping[str, Any]]) -> str | None:
    """The line every human format shows when some stack's environment was assumed
    (``stacks``: :meth:`StackEnvironment.to_dict` of each stack), else None."""
    assumed = [s for s in stacks if not s.get("determined", True)]
    if not assumed:
        return None
    names = ", ".join(str(s["stack"]) for s in assumed[:5])
    if len(assumed) > 5:
        names += f" and {len(assumed) - 5} more"
    envs = sorted({str(s["environment"]) for s in assumed})
    return (
        f"Environment assumed: {len(assumed)} stack{'s' if len(assumed) != 1 else ''} "
        f"({names}) judged as {', '.join(envs)}, the strictest: nothing names a known "
        "environment for them; name it with a lattice:environment tag or --environment."
    )


def inventory_totals(rows: list[InventoryRow]) -> dict[str, dict[str, int]]:
    """Per environment: resources, and how many have each verdict."""
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        entry = totals.setdefault(row.environment, {"resources": 0, **dict.fromkeys(VERDICTS, 0)})
        entry["resources"] += 1
        entry[row.verdict] += 1
    return dict(sorted(totals.items()))
