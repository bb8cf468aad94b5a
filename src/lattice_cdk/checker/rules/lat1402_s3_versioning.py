"""LAT1402: S3 versioning is off where backups are required."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from .._values import check_property, describe, get_path
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT1402",
    title="Versioning off where backups are required",
    rationale="Without versioning an overwrite or delete of an object is final, and AWS "
    "Backup cannot back up an S3 bucket at all unless versioning is on.",
    fix="Set VersioningConfiguration.Status: Enabled (CDK: versioned=True).",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None or knowledge.versioning is None:
        return ()
    if not (ctx.policy.enable_backups or ctx.policy.versioning):
        return ()
    prop = knowledge.versioning
    state = check_property(resource.properties, prop)
    if state is True:
        return ()
    value = describe(get_path(resource.properties, prop.path))
    if state is None:
        return (
            Hit(
                f"{resource.type} {resource.logical_id}: {prop.path} is {value}; whether "
                "versioning is on is decided only at deploy time.",
                cannot_evaluate=True,
            ),
        )
    return (
        Hit(
            f"{resource.type} {resource.logical_id}: versioning is off ({prop.path} is "
            f"{value}), and {env_label(ctx)} requires backups and versioning.",
            fix=f"Set {prop.path} to {prop.on!r} (CDK: versioned=True).",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, stateful=lambda t: t.versioning is not None)
