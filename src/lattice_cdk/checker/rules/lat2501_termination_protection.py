"""LAT2501: a prod stack holding stateful data has no termination protection (from the
assembly manifest)."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from .._rule import Hit, StackContext, StackRule
from ._common import env_label, holds_stateful_data

INFO = RuleInfo(
    rule_id="LAT2501",
    title="Lattice policy: prod stack with stateful data lacks termination protection",
    rationale="Termination protection makes CloudFormation refuse a stack delete until "
    "someone turns it off on purpose. It guards every resource at once, including those "
    "without a Retain policy. A stack that holds no stateful resource loses no data "
    "when deleted, so the rule does not apply to it.",
    fix="Stack(..., termination_protection=True) in CDK, or "
    "'aws cloudformation update-termination-protection --enable-termination-protection'.",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-protect-stacks.html",
    severity_reason="A warning: Lattice policy, not a data-loss fact. Each resource's "
    "own policy (LAT1001) decides what a delete loses; termination protection is a second "
    "lock on the door.",
)


def check(ctx: StackContext) -> Iterable[Hit]:
    if not ctx.policy.termination_protection:
        return ()
    stack = ctx.stack
    if stack.parent is not None or stack.termination_protection is None:
        return ()  # nested stacks inherit the root's; bare templates: see LAT3501
    if stack.termination_protection or not holds_stateful_data(stack):
        return ()
    return (
        Hit(
            f"stack {stack.label}: termination protection is off in the assembly manifest, "
            f"and {env_label(ctx)} requires it.",
        ),
    )


RULE = StackRule(info=INFO, check=check)
