"""LAT1401: point-in-time recovery is off in prod/staging."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import property_protection_hits

INFO = RuleInfo(
    rule_id="LAT1401",
    title="Lattice policy: point-in-time recovery off",
    rationale="Point-in-time recovery (DynamoDB PITR, RDS automated backups) restores the "
    "data as it was at any second of the retention window: the recovery from a bad "
    "deploy, a faulty migration or an accidental bulk delete.",
    fix="DynamoDB: PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true; RDS: "
    "BackupRetentionPeriod of at least 1.",
    severity_reason="An error because Lattice's policy requires it in prod and staging: it is the "
    "only recovery from a bad write between two backups.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None or knowledge.point_in_time_recovery is None:
        return ()
    return property_protection_hits(
        resource,
        knowledge.point_in_time_recovery,
        ctx,
        protection="point-in-time recovery",
        requirement="requires it",
    )


RULE = ResourceRule(
    info=INFO,
    check=check,
    stateful=lambda t: t.point_in_time_recovery is not None,
    when=lambda p: p.point_in_time_recovery,
)
