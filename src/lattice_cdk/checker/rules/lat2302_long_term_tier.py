"""LAT2302: a prod backup plan has no weekly or monthly tier."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT2302",
    title="Lattice policy: no weekly or monthly backup tier in prod",
    rationale="Daily backups kept 30 days cannot recover from corruption found later. "
    "Production keeps a weekly (365 days) and a monthly (2555 days) tier.",
    fix="Add a weekly and a monthly rule (CDK: BackupPlanRule.weekly(), "
    "BackupPlanRule.monthly7_year()), or use a Lattice backup plan.",
    severity_reason="A warning: Lattice's recommended prod plan. Daily backups already exist; the "
    "long tiers recover from corruption found late.",
)

_LONG_TERM = frozenset({"weekly", "monthly", "yearly"})


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if not (ctx.policy.weekly_backups or ctx.policy.monthly_backups):
        return ()
    plan = ctx.backups.plan(ctx.stack, resource.logical_id)
    if plan is None or plan.unreadable:
        return ()  # LAT1301 reports an unreadable plan once
    cadences = {r.cadence for r in plan.rules}
    if cadences & _LONG_TERM:
        return ()
    if None in cadences:
        return (
            Hit(
                f"backup plan {plan.name}: a rule's schedule is an intrinsic; cannot tell "
                "whether it has a weekly or monthly tier.",
                cannot_evaluate=True,
            ),
        )
    have = ", ".join(sorted(c for c in cadences if c)) or "no rules"
    return (
        Hit(
            f"backup plan {plan.name}: has {have} but no weekly or monthly rule, which "
            f"{env_label(ctx)} requires.",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, types=frozenset({"AWS::Backup::BackupPlan"}))
