"""LAT2003: Snapshot on a type that ignores it."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext

INFO = RuleInfo(
    rule_id="LAT2003",
    title="Snapshot on a type that ignores it",
    rationale="Only some types (RDS, Aurora, DocumentDB, Neptune, Redshift, ElastiCache, "
    "EBS) can snapshot on delete. Elsewhere Snapshot protects nothing: the resource is "
    "deleted, and the template reads as if it were safe.",
    fix="Use Retain for this type (CDK: RemovalPolicy.RETAIN).",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html",
    severity_reason="A warning: the policy protects nothing, and the template reads as safe; "
    "LAT1001/LAT1002 report the loss itself where the environment keeps data.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None or knowledge.snapshot:
        return ()
    deletion = resource.deletion_policy == "Snapshot"
    replacement = resource.update_replace_policy == "Snapshot"
    if not (deletion or replacement):
        return ()
    found = [
        name
        for name, snapshot in (("DeletionPolicy", deletion), ("UpdateReplacePolicy", replacement))
        if snapshot
    ]
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: {' and '.join(found)} "
            f"{'is' if len(found) == 1 else 'are'} Snapshot, which this type does not "
            "support; it protects nothing.",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, stateful=lambda t: not t.snapshot)
