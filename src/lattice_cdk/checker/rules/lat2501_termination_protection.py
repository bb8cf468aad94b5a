"""LAT2501: a prod stack has no termination protection (from the assembly manifest)."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from .._rule import Hit, StackContext, StackRule
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT2501",
    title="Prod stack without termination protection",
    rationale="Termination protection makes CloudFormation refuse a stack delete until "
    "someone turns it off on purpose. It guards every resource at once, including those "
    "without a Retain policy.",
    fix="Stack(..., termination_protection=True) in CDK, or "
    "'aws cloudformation update-termination-protection --enable-termination-protection'.",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-protect-stacks.html",
)


def check(ctx: StackContext) -> Iterable[Hit]:
    if not ctx.policy.termination_protection:
        return ()
    stack = ctx.stack
    if stack.parent is not None or stack.termination_protection is None:
        return ()  # nested stacks inherit the root's; bare templates: see LAT3501
    if stack.termination_protection:
        return ()
    return (
        Hit(
            f"stack {stack.label}: termination protection is off in the assembly manifest, "
            f"and {env_label(ctx)} requires it.",
        ),
    )


RULE = StackRule(info=INFO, check=check)
