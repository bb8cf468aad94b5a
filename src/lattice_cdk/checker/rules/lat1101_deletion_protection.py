"""LAT1101: deletion protection is off in prod."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from .._values import check_property, describe, get_path
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT1101",
    title="Deletion protection off in prod",
    rationale="Deletion protection makes the service refuse to delete a database, table or "
    "user pool, whatever CloudFormation or a person asks. In production it is the last "
    "guard against a wrong stack delete or a console click.",
    fix="Turn on the type's deletion-protection property (RDS/DocumentDB/Neptune "
    "DeletionProtection, DynamoDB DeletionProtectionEnabled, Cognito DeletionProtection "
    "ACTIVE).",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None or knowledge.deletion_protection is None:
        return ()
    if not ctx.policy.deletion_protection:
        return ()
    prop = knowledge.deletion_protection
    state = check_property(resource.properties, prop)
    if state is True:
        return ()
    value = describe(get_path(resource.properties, prop.path))
    if state is None:
        return (
            Hit(
                f"{resource.type} {resource.logical_id}: {prop.path} is {value}; whether "
                "deletion protection is on is decided only at deploy time.",
                cannot_evaluate=True,
            ),
        )
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: deletion protection is off "
            f"({prop.path} is {value}), and {env_label(ctx)} requires it.",
            fix=f"Set {prop.path} to {prop.on!r}.",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, stateful=lambda t: t.deletion_protection is not None)
