"""LAT1307: a restore testing selection picks no protected resource."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext

INFO = RuleInfo(
    rule_id="LAT1307",
    title="Restore testing selection matches no protected resource",
    rationale="A restore testing selection whose type or tag condition matches no stateful "
    "resource of the assembly (a typo in a tag key or value, DynamoDB where RDS was meant) "
    "runs no restore test, yet the plan looks configured.",
    fix="Make ProtectedResourceType and the tag conditions match the resources to test "
    "(Lattice enrols by lattice:backup=<environment>); acknowledge it when the selection "
    "targets resources of another app.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html",
    severity_reason="An error: the restore tests the team counts on do not run, and nothing "
    "says so until a restore is needed.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    recovery = ctx.backups.recovery
    item = recovery.selection(ctx.stack, resource.logical_id)
    if item is None:
        return ()
    if item.protected_type is None:
        return (
            Hit(
                f"restore testing selection {item.name}: ProtectedResourceType is not a "
                "literal; cannot tell which resources it tests.",
                cannot_evaluate=True,
            ),
        )
    matched = recovery.selection_matches(ctx.stack, resource.logical_id)
    if matched is True:
        return ()
    if matched is None:
        return (
            Hit(
                f"restore testing selection {item.name}: the resources it may pick depend on "
                "values known only at deploy time.",
                cannot_evaluate=True,
            ),
        )
    return (
        Hit(
            f"restore testing selection {item.name}: no {item.protected_type} resource of the "
            "assembly matches its ARNs and tag conditions; it tests nothing.",
        ),
    )


RULE = ResourceRule(
    info=INFO,
    check=check,
    types=frozenset({"AWS::Backup::RestoreTestingSelection"}),
    data_holders_only=False,
)
