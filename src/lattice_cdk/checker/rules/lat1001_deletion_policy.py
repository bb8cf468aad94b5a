"""LAT1001: a stateful resource's data does not survive a stack delete."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ..judge import Fate, auto_delete_resource, deletion_fate, survives
from ._common import FATE_WORDS, env_label, policy_name

INFO = RuleInfo(
    rule_id="LAT1001",
    title="Stateful resource deleted with its stack",
    rationale="Without DeletionPolicy Retain (or Snapshot where the type honours it), "
    "deleting the stack, or removing the resource from the template, deletes the data. "
    "CloudFormation's default for most types is Delete. An S3 bucket is the exception "
    "in kind, not in risk: CloudFormation cannot delete a bucket that holds objects, so "
    "the delete fails and leaves it behind until it is emptied (by hand, by a lifecycle "
    "rule, or by CDK's auto-delete custom resource, which empties it first). A bucket "
    "whose objects S3 Object Lock keeps (COMPLIANCE, or GOVERNANCE with a default "
    "retention) cannot be emptied, so it passes.",
    fix="Set DeletionPolicy: Retain (CDK: removal_policy=RemovalPolicy.RETAIN, or SNAPSHOT "
    "for snapshot-capable types), or use a Lattice construct, which picks it per environment.",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html",
    severity_reason="An error: a data-loss fact. One stack delete or one removed line "
    "destroys the data, or leaves a bucket one emptying away from it, with no undo.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None:
        return ()
    fate = deletion_fate(ctx.stack, resource, knowledge)
    kept = survives(fate)
    if kept:
        return ()
    value = resource.deletion_policy
    if kept is None:
        return (
            Hit(
                f"{resource.type} {resource.logical_id}: {_undecided(value)}; "
                "whether the data survives a stack delete is decided only at deploy time.",
                cannot_evaluate=True,
            ),
        )
    if value == "Snapshot":
        why = f"DeletionPolicy is Snapshot, which {resource.type} ignores"
    elif value is None:
        why = "DeletionPolicy is not set (CloudFormation's default is Delete)"
    else:
        why = f"DeletionPolicy is {policy_name(value)}"
    auto = auto_delete_resource(ctx.stack, resource.logical_id) if fate is Fate.EMPTIED else None
    happens = FATE_WORDS[fate].format(auto=auto)
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: {why}; when the stack is deleted or "
            f"the resource removed from the template, {happens}; {env_label(ctx)} keeps data.",
            fix="Set DeletionPolicy: Retain"
            + (" or Snapshot" if knowledge.snapshot else "")
            + " (CDK: removal_policy=RemovalPolicy.RETAIN).",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, stateful=lambda t: True, when=lambda p: p.retains_data)


def _undecided(value: object) -> str:
    if value is not None and not isinstance(value, str):
        return f"DeletionPolicy is an intrinsic ({value!r})"
    return "whether S3 Object Lock is on is an intrinsic"
