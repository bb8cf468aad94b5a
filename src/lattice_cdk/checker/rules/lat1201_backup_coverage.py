"""LAT1201: a stateful resource is in no backup selection where backups are required."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT1201",
    title="Lattice policy: not covered by any backup selection",
    rationale="A resource AWS Backup can protect, in an environment that requires backups, "
    "must be selected by some backup plan in the same assembly: by ARN, by a reference to "
    "it, or by tag conditions (ListOfTags OR-ed, Conditions AND-ed, NotResources "
    "excluded, as AWS Backup evaluates them).",
    fix="Add it to a backup selection (CDK: BackupResource.from_construct(...), or tag it "
    "to match a tag selection, e.g. lattice:backup=<environment>), or use a Lattice construct.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources-json.html",
    severity_reason="An error because Lattice's policy requires backups where the "
    "environment does: nothing is lost today, but without a backup there is no recovery from a bad "
    "write, a bad migration or a deleted resource.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None:
        return ()
    coverage = ctx.backups.coverage(ctx.stack, resource, knowledge)
    if coverage.covered is True:
        return ()
    if coverage.covered is None:
        names = ", ".join(
            f"{s.stack.label}/{s.logical_id}"
            + (f" ({s.unreadable})" if s.unreadable else "")
            + ("" if s.plan else " (its plan is not in the assembly)")
            for s in coverage.undecided
        )
        return (
            Hit(
                f"{resource.type} {resource.logical_id}: cannot tell whether a backup "
                f"selection covers it: {names} depend(s) on values known only at deploy "
                "time.",
                cannot_evaluate=True,
            ),
        )
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: no backup selection in the assembly "
            f"covers it, and {env_label(ctx)} requires backups.",
        ),
    )


RULE = ResourceRule(
    info=INFO, check=check, stateful=lambda t: t.aws_backup, when=lambda p: p.enable_backups
)
