"""LAT1002: replacing a stateful resource does not keep the old data."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ..judge import Fate, auto_delete_resource, replacement_fate, survives
from ._common import FATE_WORDS, env_label, policy_name

INFO = RuleInfo(
    rule_id="LAT1002",
    title="Replacement does not keep the old data",
    rationale="When an update changes a create-only property (a bucket or table name, an "
    "engine), CloudFormation creates a new resource and deletes the old one unless "
    "UpdateReplacePolicy says Retain or Snapshot. Its default is Delete for every type. "
    "For an S3 bucket the delete of the old bucket fails while it holds objects (it is "
    "left behind) unless auto-delete empties it; Object Lock keeps it from being emptied.",
    fix="Set UpdateReplacePolicy: Retain (CDK's removal_policy sets both policies).",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html",
    severity_reason="An error: a data-loss fact. Renaming a table or bucket in code is "
    "enough to replace it, and the old data goes with no undo.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None:
        return ()
    fate = replacement_fate(ctx.stack, resource, knowledge)
    kept = survives(fate)
    if kept:
        return ()
    value = resource.update_replace_policy
    if kept is None:
        return (
            Hit(
                f"{resource.type} {resource.logical_id}: {_undecided(value)}; "
                "whether a replacement keeps the old data is decided only at deploy time.",
                cannot_evaluate=True,
            ),
        )
    what = (
        f"UpdateReplacePolicy is Snapshot, which {resource.type} ignores"
        if value == "Snapshot"
        else f"UpdateReplacePolicy is {policy_name(value) if value else 'not set (Delete)'}"
    )
    auto = auto_delete_resource(ctx.stack, resource.logical_id) if fate is Fate.EMPTIED else None
    happens = FATE_WORDS[fate].format(auto=auto)
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: {what}; when an update replaces it, "
            f"CloudFormation creates an empty new one and, for the old one, {happens}; "
            f"{env_label(ctx)} keeps data.",
            fix="Set UpdateReplacePolicy: Retain"
            + (" or Snapshot" if knowledge.snapshot else "")
            + " (CDK: removal_policy=RemovalPolicy.RETAIN sets it).",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, stateful=lambda t: True, when=lambda p: p.retains_data)


def _undecided(value: object) -> str:
    if value is not None and not isinstance(value, str):
        return f"UpdateReplacePolicy is an intrinsic ({value!r})"
    return "whether S3 Object Lock is on is an intrinsic"
