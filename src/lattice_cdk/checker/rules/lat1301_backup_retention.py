"""LAT1301: a backup plan keeps backups for less than the environment's floor."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from .._values import UNKNOWN
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT1301",
    title="Lattice policy: backup retention below the environment's floor",
    rationale="A backup deleted before anyone notices the problem restores nothing. Each "
    "environment has a floor (prod 30 days, staging 7): every daily or rarer rule of a "
    "plan must keep its recovery points at least that long. Rules that run more often "
    "than daily are extra restore points and are not held to the floor.",
    fix="Raise Lifecycle.DeleteAfterDays to at least the floor (CDK: "
    "BackupPlanRule(delete_after=Duration.days(30))).",
    severity_reason="An error because Lattice's policy sets the floor: backups deleted before a "
    "problem is noticed restore nothing.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    plan = ctx.backups.plan(ctx.stack, resource.logical_id)
    if plan is None:
        return ()
    floor = ctx.policy.min_backup_retention_days
    found: list[Hit] = []
    if plan.unreadable:
        found.append(Hit(f"backup plan {plan.name}: {plan.unreadable}.", cannot_evaluate=True))
    for rule in plan.rules:
        if rule.retention is UNKNOWN or rule.cadence is None:
            found.append(
                Hit(
                    f"backup plan {plan.name}, rule {rule.name}: its retention or schedule "
                    "is an intrinsic; cannot compare it with the floor.",
                    cannot_evaluate=True,
                )
            )
        elif rule.cadence != "hourly" and rule.retention is not None and rule.retention < floor:
            found.append(
                Hit(
                    f"backup plan {plan.name}, rule {rule.name}: keeps {rule.cadence} backups "
                    f"{rule.retention} days, below the {floor}-day floor of {env_label(ctx)}.",
                    fix=f"Set Lifecycle.DeleteAfterDays of rule {rule.name} to at least {floor}.",
                )
            )
    return found


RULE = ResourceRule(info=INFO, check=check, types=frozenset({"AWS::Backup::BackupPlan"}))
