"""The rules of what a deployment would do, as CloudFormation itself states it
(area 8): change sets judged by their own ``Replacement`` and ``PolicyAction``.

The area digit 8 is new: ``lattice diff`` predicts from two templates (area 6); these
rules read CloudFormation's plan.
"""

from __future__ import annotations

from .._findings import RuleInfo

__all__ = [
    "CHANGE_SET_DELETES",
    "CHANGE_SET_KEEPS",
    "CHANGE_SET_MAY_REPLACE",
    "CHANGE_SET_UNJUDGED",
    "DEPLOY_RULES",
]

_CHANGE_SETS = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets.html"

CHANGE_SET_DELETES = RuleInfo(
    rule_id="LAT1801",
    title="Change set deletes a stateful resource with its data",
    rationale="The change set removes the resource with PolicyAction Delete, or replaces "
    "it with ReplaceAndDelete (or with no policy action: UpdateReplacePolicy Delete is the "
    "default): CloudFormation deletes the resource and its data.",
    fix="do not execute the change set; keep the resource, or set DeletionPolicy / "
    "UpdateReplacePolicy Retain, deploy that first and create the change set again.",
    source=_CHANGE_SETS,
    severity_reason="An error: the change set itself says CloudFormation deletes the resource "
    "(or its "
    "replaced original) with its data.",
)
CHANGE_SET_MAY_REPLACE = RuleInfo(
    rule_id="LAT2802",
    title="Change set may replace a stateful resource",
    rationale="Replacement: Conditional (or Action: Dynamic): whether the resource is "
    "replaced depends on a value CloudFormation only learns during the update; if it is, "
    "the old resource is deleted.",
    fix="look at the details with RequiresRecreation Conditionally/Always and make those "
    "values static, or set UpdateReplacePolicy Retain first.",
    source=_CHANGE_SETS,
    severity_reason="A warning: the change set says the replacement is conditional, so data may be "
    "lost; CloudFormation decides at execution.",
)
CHANGE_SET_KEEPS = RuleInfo(
    rule_id="LAT3803",
    title="Change set retains or snapshots a stateful resource",
    rationale="PolicyAction Retain, Snapshot, ReplaceAndRetain or ReplaceAndSnapshot: "
    "the data survives, left behind or as a final snapshot, outside the stack.",
    fix="note what is left behind; delete it, or import it into a stack, once it is "
    "no longer needed.",
    source=_CHANGE_SETS,
    severity_reason="Info: the data survives (retained or snapshotted); what is left "
    "behind needs a "
    "decision, not a fix.",
)
CHANGE_SET_UNJUDGED = RuleInfo(
    rule_id="LAT1804",
    title="Change set change cannot be judged",
    rationale="A change of a stateful resource carries an Action, Replacement or "
    "PolicyAction Lattice does not know, or lacks one it needs: it is reported, never "
    "passed.",
    fix="read the change with 'aws cloudformation describe-change-set "
    "--include-property-values'; upgrade Lattice if CloudFormation added a value.",
    source=_CHANGE_SETS,
    severity_reason="An error: a change that cannot be read is never passed; the gate fails closed "
    "until it is judged by hand.",
)

#: The rules of this module, in documentation order.
DEPLOY_RULES: tuple[RuleInfo, ...] = (
    CHANGE_SET_DELETES,
    CHANGE_SET_MAY_REPLACE,
    CHANGE_SET_KEEPS,
    CHANGE_SET_UNJUDGED,
)
