"""A plain aws-cdk-lib app (no Lattice constructs) for the StatefulnessGuard tests."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs

PARTITION_KEY = dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING)
ISOLATED = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
#: Construct ids of the resources ``add_plain_data`` creates, by what they are.
PLAIN_IDS = ("Assets", "Uploads", "Orders", "Db", "Aurora", "Files", "Key", "RawBucket", "Jobs")


def add_plain_data(stack: cdk.Stack) -> None:
    """Two buckets, a table, an RDS instance, an Aurora cluster, EFS, a KMS key, an L1
    bucket with no removal policy and an SQS queue, all plain aws-cdk-lib."""
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
    )
    s3.Bucket(stack, "Assets")
    s3.Bucket(stack, "Uploads", encryption=s3.BucketEncryption.S3_MANAGED)
    dynamodb.Table(stack, "Orders", partition_key=PARTITION_KEY)
    rds.DatabaseInstance(
        stack,
        "Db",
        engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16),
        vpc=vpc,
        vpc_subnets=ISOLATED,
    )
    rds.DatabaseCluster(
        stack,
        "Aurora",
        engine=rds.DatabaseClusterEngine.aurora_postgres(
            version=rds.AuroraPostgresEngineVersion.VER_16_4
        ),
        writer=rds.ClusterInstance.provisioned("Writer"),
        vpc=vpc,
        vpc_subnets=ISOLATED,
    )
    efs.FileSystem(stack, "Files", vpc=vpc, vpc_subnets=ISOLATED)
    kms.Key(stack, "Key")
    s3.CfnBucket(stack, "RawBucket")
    sqs.Queue(stack, "Jobs")


def plain_app(**context: Any) -> tuple[cdk.App, cdk.Stack, cdk.Stack]:
    """An app with the plain data stack and a second, small stack in the same account."""
    # Path metadata lets the tests find resources by construct path, as `cdk synth` does.
    app = cdk.App(context={"aws:cdk:enable-path-metadata": True, **context})
    data = cdk.Stack(app, "Data")
    add_plain_data(data)
    other = cdk.Stack(app, "Other")
    s3.Bucket(other, "Logs")
    return app, data, other


def by_type(template: dict[str, Any], cfn_type: str) -> dict[str, dict[str, Any]]:
    """The resources of ``cfn_type`` in a synthesized template, by logical id."""
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == cfn_type
    }


def resource_at(template: dict[str, Any], path: str) -> tuple[str, dict[str, Any]]:
    """The resource whose ``aws:cdk:path`` metadata is ``path``."""
    for logical_id, resource in template["Resources"].items():
        if resource.get("Metadata", {}).get("aws:cdk:path") == path:
            return logical_id, resource
    raise AssertionError(f"no resource at {path}")


def tags_of(resource: dict[str, Any]) -> dict[str, str]:
    """A resource's tags (``Tags`` or EFS's ``FileSystemTags``) as a mapping."""
    props = resource.get("Properties", {})
    tags = props.get("Tags") or props.get("FileSystemTags") or []
    return {t["Key"]: t["Value"] for t in tags}
