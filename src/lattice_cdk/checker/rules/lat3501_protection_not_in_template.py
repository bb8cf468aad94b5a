"""LAT3501: a bare template cannot say whether its stack is termination-protected."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from .._rule import Hit, StackContext, StackRule
from ._common import env_label, holds_stateful_data

INFO = RuleInfo(
    rule_id="LAT3501",
    title="Termination protection not visible in a bare template",
    rationale="Termination protection is a property of the deployed stack, not of its "
    "template; only a CDK cloud assembly's manifest carries it. Lattice says so rather "
    "than pass it. Like LAT2501, only for a stack that holds stateful resources.",
    fix="Check the cdk.out folder instead of the template, or enable termination "
    "protection when deploying (--enable-termination-protection).",
    severity_reason="Info: not a problem in the template, a limit of what a bare template records.",
)


def check(ctx: StackContext) -> Iterable[Hit]:
    stack = ctx.stack
    if not ctx.policy.termination_protection or stack.parent is not None:
        return ()
    if stack.termination_protection is not None or not holds_stateful_data(stack):
        return ()
    return (
        Hit(
            f"stack {stack.label}: {env_label(ctx)} requires termination protection, which "
            "a bare template does not record.",
        ),
    )


RULE = StackRule(info=INFO, check=check)
