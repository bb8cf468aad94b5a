"""LAT1402: S3 versioning is off where backups are required."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import property_protection_hits

INFO = RuleInfo(
    rule_id="LAT1402",
    title="Lattice policy: versioning off where backups are required",
    rationale="Without versioning an overwrite or delete of an object is final, and AWS "
    "Backup cannot back up an S3 bucket at all unless versioning is on.",
    fix="Set VersioningConfiguration.Status: Enabled (CDK: versioned=True).",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html",
    severity_reason="An error because Lattice's policy requires it: AWS Backup cannot back up an "
    "unversioned bucket, so the backup policy cannot be met without it.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if knowledge is None or knowledge.versioning is None:
        return ()
    return property_protection_hits(
        resource,
        knowledge.versioning,
        ctx,
        protection="versioning",
        requirement="requires backups and versioning",
        cdk_hint=" (CDK: versioned=True)",
    )


RULE = ResourceRule(
    info=INFO,
    check=check,
    stateful=lambda t: t.versioning is not None,
    when=lambda p: p.enable_backups or p.versioning,
)
