"""LAT1403: the auto-delete-objects custom resource empties a prod/staging bucket."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from .._values import references
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT1403",
    title="Auto-delete-objects on a protected bucket",
    rationale="CloudFormation cannot delete a bucket that holds objects: without help, "
    "a stack delete fails on it and leaves the data. CDK's auto_delete_objects=True adds "
    "a Lambda-backed custom resource (Custom::S3AutoDeleteObjects) that deletes every "
    "object first, when the bucket leaves the stack or is replaced (a rename is enough), "
    "so that the delete succeeds. It turns a failed delete into lost data, which is why "
    "it is an error outside dev. Object Lock still protects locked objects.",
    fix="Remove auto_delete_objects=True (and the DESTROY removal policy that goes with "
    "it); Lattice constructs allow it only in dev.",
    source="https://docs.aws.amazon.com/cdk/api/v2/python/aws_cdk.aws_s3/Bucket.html",
    severity_reason="An error: a data-loss fact. It is the one thing that lets a stack "
    "delete, or a replacement, remove a bucket's objects.",
)

TYPE = "Custom::S3AutoDeleteObjects"


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if ctx.policy.allow_auto_delete_objects:
        return ()
    buckets = sorted(
        r
        for r in references(resource.properties.get("BucketName"))
        if r in ctx.stack.resources and ctx.stack.resources[r].type == "AWS::S3::Bucket"
    )
    target = buckets[0] if buckets else None
    return (
        Hit(
            f"bucket {target or '(unresolved)'}: custom resource {resource.logical_id} "
            f"({TYPE}) deletes every object in it before CloudFormation deletes it "
            "(a stack delete, a removal, a replacement), where CloudFormation alone would "
            f"fail on a non-empty bucket and leave the data; {env_label(ctx)} keeps data.",
            logical_id=target,
        ),
    )


RULE = ResourceRule(info=INFO, check=check, types=frozenset({TYPE}))
