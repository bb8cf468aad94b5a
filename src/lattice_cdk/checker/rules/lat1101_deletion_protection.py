"""LAT1101: deletion protection is off in prod."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import property_protection_hits

INFO = RuleInfo(
    rule_id="LAT1101",
    title="Lattice policy: deletion protection off in prod",
    rationale="Deletion protection makes the service refuse to delete a database, table or "
    "user pool, whatever CloudFormation or a person asks. In production it is the last "
    "guard against a wrong stack delete or a console click.",
    fix="Turn on the type's deletion-protection property (RDS/DocumentDB/Neptune "
    "DeletionProtection, DynamoDB DeletionProtectionEnabled, Cognito DeletionProtection "
    "ACTIVE).",
    severity_reason="An error because Lattice's prod policy requires it: without it, one console "
    "click or wrong stack delete on a Delete-policy resource loses the data. With a "
    "Retain policy the data survives anyway, which is why the guard is policy, not "
    "the loss itself.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None or knowledge.deletion_protection is None:
        return ()
    return property_protection_hits(
        resource,
        knowledge.deletion_protection,
        ctx,
        protection="deletion protection",
        requirement="requires it",
    )


RULE = ResourceRule(
    info=INFO,
    check=check,
    stateful=lambda t: t.deletion_protection is not None,
    when=lambda p: p.deletion_protection,
)
