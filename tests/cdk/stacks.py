"""Shared builders for the construct tests: real apps, real stacks, real synth."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from lattice_cdk.cdk import LatticeBucket, LatticeDatabase, LatticeTable

PARTITION_KEY = dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING)
ISOLATED = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)


def new_stack(
    name: str = "Stack",
    *,
    context: dict[str, Any] | None = None,
    app: cdk.App | None = None,
    **stack_props: Any,
) -> cdk.Stack:
    """A fresh stack in a fresh app (or in ``app``)."""
    app = app or cdk.App(context=context)
    return cdk.Stack(app, name, **stack_props)


def isolated_vpc(scope: cdk.Stack) -> ec2.Vpc:
    """A small VPC with isolated subnets only (no NAT: fewer resources to synth)."""
    return ec2.Vpc(
        scope,
        "Vpc",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
    )


def add_all(
    stack: cdk.Stack, environment: str | None, *, cluster: bool = False, **common: Any
) -> tuple[LatticeBucket, LatticeTable, LatticeDatabase]:
    """One LatticeBucket ("Data"), LatticeTable ("Orders") and LatticeDatabase ("Db")."""
    bucket = LatticeBucket(stack, "Data", name="app-data", environment=environment, **common)
    table = LatticeTable(
        stack,
        "Orders",
        name="orders",
        environment=environment,
        partition_key=PARTITION_KEY,
        **common,
    )
    database = LatticeDatabase(
        stack,
        "Db",
        name="app-db",
        environment=environment,
        vpc=isolated_vpc(stack),
        vpc_subnets=ISOLATED,
        cluster=cluster,
        **common,
    )
    return bucket, table, database


def resources_of(template: Template, resource_type: str) -> dict[str, Any]:
    """Every resource of ``resource_type`` in ``template``, by logical id."""
    return dict(template.find_resources(resource_type))


def only(template: Template, resource_type: str) -> tuple[str, dict[str, Any]]:
    """The single resource of ``resource_type``: its logical id and definition."""
    found = resources_of(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.items()))


def tags_of(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource's ``Tags`` as a mapping (the list form S3, DynamoDB and RDS use)."""
    return {t["Key"]: t["Value"] for t in resource.get("Properties", {}).get("Tags", [])}


def covering_selection(template: Template, logical_id: str) -> dict[str, Any] | None:
    """The ``BackupSelection`` body that selects ``logical_id``: by a Ref/GetAtt in its
    ``Resources``, or by tag (``Resources: ["*"]`` or any ``ListOfTags``, AND every
    ``Conditions.StringEquals``, as AWS Backup combines them)."""
    resource = template.to_json()["Resources"][logical_id]
    tags = tags_of(resource)
    for selection in template.find_resources("AWS::Backup::BackupSelection").values():
        body = selection["Properties"]["BackupSelection"]
        if f"'{logical_id}'" in str(body.get("Resources", [])):
            return dict(body)
        wanted = body.get("ListOfTags", [])
        conditions = body.get("Conditions", {}).get("StringEquals", [])
        tagged = body.get("Resources") == ["*"] or any(
            tags.get(t["ConditionKey"]) == t["ConditionValue"] for t in wanted
        )
        if tagged and all(
            tags.get(c["ConditionKey"].removeprefix("aws:ResourceTag/")) == c["ConditionValue"]
            for c in conditions
        ):
            return dict(body)
    return None
