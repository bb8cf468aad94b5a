"""LAT1001: a stateful resource is deleted with its stack."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import env_label, policy_name, removal_keeps_data

INFO = RuleInfo(
    rule_id="LAT1001",
    title="Stateful resource deleted with its stack",
    rationale="Without DeletionPolicy Retain (or Snapshot where the type honours it), "
    "deleting the stack, or removing the resource from the template, deletes the data. "
    "CloudFormation's default for most types is Delete.",
    fix="Set DeletionPolicy: Retain (CDK: removal_policy=RemovalPolicy.RETAIN, or SNAPSHOT "
    "for snapshot-capable types), or use a Lattice construct, which picks it per environment.",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None:
        return ()
    value = resource.deletion_policy
    keeps = removal_keeps_data(
        value if value is not None else knowledge.default_deletion_policy, knowledge
    )
    if keeps is None:
        return (
            Hit(
                f"DeletionPolicy is an intrinsic ({value!r}); whether the data survives a "
                "stack delete is decided only at deploy time.",
                cannot_evaluate=True,
            ),
        )
    if keeps:
        return ()
    if value == "Snapshot":
        why = f"DeletionPolicy is Snapshot, which {resource.type} ignores (it is deleted)"
    elif value is None:
        why = "DeletionPolicy is not set (CloudFormation deletes it)"
    else:
        why = f"DeletionPolicy is {policy_name(value)}"
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: {why}; deleting the stack or removing it "
            f"from the template deletes its data, and {env_label(ctx)} keeps data.",
            fix="Set DeletionPolicy: Retain"
            + (" or Snapshot" if knowledge.snapshot else "")
            + " (CDK: removal_policy=RemovalPolicy.RETAIN).",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, stateful=lambda t: True, when=lambda p: p.retains_data)
