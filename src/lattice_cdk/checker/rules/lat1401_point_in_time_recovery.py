"""LAT1401: point-in-time recovery is off in prod/staging."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from .._values import check_property, describe, get_path
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT1401",
    title="Point-in-time recovery off",
    rationale="Point-in-time recovery (DynamoDB PITR, RDS automated backups) restores the "
    "data as it was at any second of the retention window: the recovery from a bad "
    "deploy, a faulty migration or an accidental bulk delete.",
    fix="DynamoDB: PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true; RDS: "
    "BackupRetentionPeriod of at least 1.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None or knowledge.point_in_time_recovery is None:
        return ()
    if not ctx.policy.point_in_time_recovery:
        return ()
    prop = knowledge.point_in_time_recovery
    state = check_property(resource.properties, prop)
    if state is True:
        return ()
    value = describe(get_path(resource.properties, prop.path))
    if state is None:
        return (
            Hit(
                f"{resource.type} {resource.logical_id}: {prop.path} is {value}; whether "
                "point-in-time recovery is on is decided only at deploy time.",
                cannot_evaluate=True,
            ),
        )
    want = f"at least {prop.min}" if prop.min is not None else repr(prop.on)
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: point-in-time recovery is off "
            f"({prop.path} is {value}), and {env_label(ctx)} requires it.",
            fix=f"Set {prop.path} to {want}.",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, stateful=lambda t: t.point_in_time_recovery is not None)
