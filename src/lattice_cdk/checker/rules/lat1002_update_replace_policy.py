"""LAT1002: replacing a stateful resource deletes its data."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import env_label, policy_name, removal_keeps_data

INFO = RuleInfo(
    rule_id="LAT1002",
    title="Replacement deletes the data",
    rationale="When an update changes a create-only property (a bucket or table name, an "
    "engine), CloudFormation creates a new resource and deletes the old one unless "
    "UpdateReplacePolicy says Retain or Snapshot. Its default is Delete for every type.",
    fix="Set UpdateReplacePolicy: Retain (CDK's removal_policy sets both policies).",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None:
        return ()
    value = resource.update_replace_policy
    keeps = removal_keeps_data(value if value is not None else "Delete", knowledge)
    if keeps is None:
        return (
            Hit(
                f"UpdateReplacePolicy is an intrinsic ({value!r}); whether a replacement "
                "keeps the old data is decided only at deploy time.",
                cannot_evaluate=True,
            ),
        )
    if keeps:
        return ()
    what = (
        f"UpdateReplacePolicy is Snapshot, which {resource.type} ignores"
        if value == "Snapshot"
        else f"UpdateReplacePolicy is {policy_name(value)}"
    )
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: {what}; an update that replaces it "
            f"deletes the old resource and its data, and {env_label(ctx)} keeps data.",
            fix="Set UpdateReplacePolicy: Retain"
            + (" or Snapshot" if knowledge.snapshot else "")
            + " (CDK: removal_policy=RemovalPolicy.RETAIN sets it).",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, stateful=lambda t: True, when=lambda p: p.retains_data)
