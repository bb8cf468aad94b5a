"""The constructs are the aws-cdk-lib classes: grants, interfaces, logical ids, scale."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from lattice_cdk import LatticeDatabaseCluster
from lattice_cdk.cdk import LatticeBucket, LatticeDatabase, LatticeTable
from lattice_cdk.cfn import load
from lattice_cdk.checker import check

from .stacks import ISOLATED, PARTITION_KEY, add_all, new_stack

#: AWS Backup's and CloudFormation's limits the 250-resource stack must stay within.
MAX_STACK_RESOURCES = 500


def _policy_text(template: Template) -> str:
    return json.dumps(template.find_resources("AWS::IAM::Policy"))


def test_every_construct_is_its_aws_cdk_lib_class_and_grants_work() -> None:
    # GIVEN a prod bucket, table, instance and cluster
    stack = new_stack()
    bucket, table, database = add_all(stack, "prod")
    cluster = LatticeDatabase(
        stack,
        "Aurora",
        name="aurora",
        environment="prod",
        vpc=database.vpc,
        vpc_subnets=ISOLATED,
        cluster=True,
    )
    role = iam.Role(stack, "App", assumed_by=iam.AccountRootPrincipal())
    # WHEN the app uses them as aws-cdk-lib objects
    assert isinstance(bucket, s3.Bucket)
    assert isinstance(table, dynamodb.Table)
    assert isinstance(database, rds.DatabaseInstance)
    assert isinstance(cluster, rds.DatabaseCluster)
    assert isinstance(cluster, LatticeDatabaseCluster)
    bucket.grant_read_write(role)
    table.grant_read_data(role)
    database.grant_connect(role, "app")
    cluster.grant_data_api_access(role)
    assert database.secret is not None
    database.secret.grant_read(role)
    table.metric_consumed_read_capacity_units()
    # THEN the grants reach the template, on the Lattice resources
    text = _policy_text(Template.from_stack(stack))
    for logical_id in (
        stack.get_logical_id(bucket.node.default_child),  # type: ignore[arg-type]
        stack.get_logical_id(table.node.default_child),  # type: ignore[arg-type]
    ):
        assert logical_id in text, logical_id
    assert "rds-db:connect" in text
    assert "dynamodb:GetItem" in text
    assert "secretsmanager:GetSecretValue" in text
    assert database.secret_key is not None  # the secret's own retained key


def test_interfaces_accept_lattice_constructs() -> None:
    stack = new_stack()
    bucket = LatticeBucket(stack, "Data", name="d", environment="dev")
    table = LatticeTable(stack, "T", name="t", environment="dev", partition_key=PARTITION_KEY)
    # Functions typed on the interfaces take them, as aws-cdk-lib's own constructs do.
    s3.Bucket.from_bucket_arn(stack, "Again", bucket.bucket_arn)
    dynamodb.Table.from_table_arn(stack, "TableAgain", table.table_arn)
    assert bucket.bucket is bucket
    assert table.table is table


def test_swapping_in_the_lattice_classes_keeps_every_logical_id() -> None:
    # GIVEN the same ids with plain aws-cdk-lib and with Lattice
    plain, lattice = new_stack("Plain"), new_stack("Lattice")
    s3.Bucket(plain, "Data")
    dynamodb.Table(plain, "Orders", partition_key=PARTITION_KEY)
    LatticeBucket(lattice, "Data", name="d", environment="prod")
    LatticeTable(lattice, "Orders", name="o", environment="prod", partition_key=PARTITION_KEY)
    # THEN buckets and tables have the same logical ids
    for resource_type in ("AWS::S3::Bucket", "AWS::DynamoDB::Table"):
        before = set(Template.from_stack(plain).find_resources(resource_type))
        after = set(Template.from_stack(lattice).find_resources(resource_type))
        assert before <= after, resource_type


def test_250_lattice_resources_fit_in_one_stack_and_aws_backups_quotas(tmp_path: Path) -> None:
    # GIVEN 125 buckets and 125 tables in one prod stack
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Big")
    for i in range(125):
        LatticeBucket(stack, f"Bucket{i}", name=f"bucket-{i}", environment="prod")
        LatticeTable(
            stack, f"Table{i}", name=f"table-{i}", environment="prod", partition_key=PARTITION_KEY
        )
    # WHEN it synthesizes
    app.synth()
    template = json.loads((tmp_path / "Big.template.json").read_text())
    resources = template["Resources"]
    # THEN it stays under CloudFormation's 500 resources with one backup selection
    assert len(resources) < MAX_STACK_RESOURCES
    selections = [r for r in resources.values() if r["Type"] == "AWS::Backup::BackupSelection"]
    assert len(selections) == 1
    # AND lattice check finds every resource backed up and no quota exceeded
    result = check(load(tmp_path))
    assert [f.rule_id for f in result.findings if f.rule_id in ("LAT1201", "LAT1305")] == []
