"""LAT1306: a stateful resource restore testing supports is in no restore test."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ..._recovery import RESTORE_TESTABLE
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT1306",
    title="Lattice policy: not covered by any restore testing selection",
    rationale="A backup that was never restored is a hope. Where the policy asks for restore "
    "testing (prod by default), every resource of a type AWS Backup can restore-test must be "
    "picked by a RestoreTestingSelection of its ProtectedResourceType (ARNs, narrowed by "
    "tag conditions, as AWS Backup evaluates them).",
    fix="Add a restore testing selection for the type (Lattice: BackupManager restore "
    "testing, or RestoreTesting(stack, ...)), selecting the lattice:backup=<environment> tag.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html",
    severity_reason="An error because Lattice's policy requires restore tests where the "
    "environment does: nothing is lost today, but a restore that fails is found during the "
    "incident instead of before it.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None:
        return ()
    covered, selections = ctx.backups.recovery.restore_coverage(ctx.stack, resource, knowledge)
    if covered is True:
        return ()
    kind = RESTORE_TESTABLE[resource.type].protected_type
    if covered is None:
        names = ", ".join(
            f"{s.stack.label}/{s.logical_id}"
            + (f" ({s.selection.unreadable})" if s.selection.unreadable else "")
            for s in selections
        )
        return (
            Hit(
                f"{resource.type} {resource.logical_id}: cannot tell whether a restore "
                f"testing selection picks it: {names} depend(s) on values known only at "
                "deploy time.",
                cannot_evaluate=True,
            ),
        )
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: no restore testing selection of type "
            f"{kind} in the assembly picks it, and {env_label(ctx)} requires restore testing.",
        ),
    )


RULE = ResourceRule(
    info=INFO,
    check=check,
    stateful=lambda t: t.type in RESTORE_TESTABLE,
    when=lambda p: p.restore_testing,
)
