"""LatticeTable: DynamoDB protection by environment, and what it refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from lattice_cdk import StatefulnessError
from lattice_cdk.cdk import LatticeTable, LatticeTableV2
from lattice_cdk.cfn import load
from lattice_cdk.checker import check

from .stacks import PARTITION_KEY, covering_selection, new_stack, only


def table_template(environment: str, **props: Any) -> Template:
    stack = new_stack()
    LatticeTable(
        stack,
        "Orders",
        name="orders",
        environment=environment,
        partition_key=PARTITION_KEY,
        **props,
    )
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def prod() -> Template:
    return table_template("prod")


@pytest.fixture(scope="module")
def staging() -> Template:
    return table_template("staging")


@pytest.fixture(scope="module")
def dev() -> Template:
    return table_template("dev")


def test_prod_table_is_retained_protected_with_pitr(prod: Template) -> None:
    prod.has_resource(
        "AWS::DynamoDB::Table",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "DeletionProtectionEnabled": True,
                    "PointInTimeRecoverySpecification": {
                        "PointInTimeRecoveryEnabled": True,
                        "RecoveryPeriodInDays": 35,
                    },
                    "SSESpecification": {"SSEEnabled": True},
                    "BillingMode": "PAY_PER_REQUEST",
                    "Tags": Match.array_with(
                        [
                            {"Key": "lattice:environment", "Value": "prod"},
                            {"Key": "lattice:protection", "Value": "maximum"},
                        ]
                    ),
                }
            ),
            "Metadata": {"lattice": Match.object_like({"name": "orders", "removal": "RETAIN"})},
        },
    )


def test_prod_table_is_selected_in_the_backup_plan(prod: Template) -> None:
    table_id, _ = only(prod, "AWS::DynamoDB::Table")
    selection = covering_selection(prod, table_id)
    assert selection is not None
    assert selection["Conditions"]["StringEquals"][0]["ConditionValue"] == "prod"


def test_staging_table_is_retained_with_pitr_but_no_deletion_protection(
    staging: Template,
) -> None:
    _, table = only(staging, "AWS::DynamoDB::Table")
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")
    props = table["Properties"]
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props.get("DeletionProtectionEnabled", False) is False
    staging.resource_count_is("AWS::Backup::BackupSelection", 1)


def test_dev_table_is_destroyed_without_pitr_or_backups(dev: Template) -> None:
    _, table = only(dev, "AWS::DynamoDB::Table")
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Delete", "Delete")
    assert table["Properties"]["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": False
    }
    assert table["Properties"].get("DeletionProtectionEnabled", False) is False
    for resource in dev.to_json()["Resources"].values():
        assert not resource["Type"].startswith("AWS::Backup::")


def test_force_retain_keeps_a_dev_table() -> None:
    _, table = only(table_template("dev", force_retain=True), "AWS::DynamoDB::Table")
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_user_table_props_pass_through() -> None:
    template = table_template(
        "prod",
        sort_key=dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.NUMBER),
        time_to_live_attribute="expires",
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True, recovery_period_in_days=10
        ),
    )
    template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "TimeToLiveSpecification": {"AttributeName": "expires", "Enabled": True},
            "PointInTimeRecoverySpecification": {
                "PointInTimeRecoveryEnabled": True,
                "RecoveryPeriodInDays": 10,
            },
        },
    )


@pytest.mark.parametrize("environment", ["prod", "dev"])
def test_adopting_lattice_keeps_the_tables_logical_id(environment: str) -> None:
    plain = new_stack()
    dynamodb.Table(plain, "Orders", partition_key=PARTITION_KEY)
    wrapped = new_stack()
    LatticeTable(
        wrapped, "Orders", name="orders", environment=environment, partition_key=PARTITION_KEY
    )
    (plain_id,) = Template.from_stack(plain).find_resources("AWS::DynamoDB::Table")
    (wrapped_id,) = Template.from_stack(wrapped).find_resources("AWS::DynamoDB::Table")
    assert plain_id == wrapped_id


@pytest.mark.parametrize(
    ("environment", "props", "code"),
    [
        ("prod", {"removal_policy": cdk.RemovalPolicy.DESTROY}, "destroy-not-allowed"),
        ("staging", {"removal_policy": cdk.RemovalPolicy.DESTROY}, "destroy-not-allowed"),
        ("prod", {"deletion_protection": False}, "protection-required"),
        ("prod", {"point_in_time_recovery": False}, "protection-required"),
        (
            "prod",
            {
                "point_in_time_recovery_specification": dynamodb.PointInTimeRecoverySpecification(
                    point_in_time_recovery_enabled=False
                )
            },
            "protection-required",
        ),
        ("dev", {"force_retain": True, "removal_policy": cdk.RemovalPolicy.DESTROY}, None),
    ],
)
def test_unsafe_table_configurations_are_refused(
    environment: str, props: dict[str, Any], code: str | None
) -> None:
    with pytest.raises(StatefulnessError, match=r"Fix:") as info:
        table_template(environment, **props)
    assert info.value.code == (code or "contradictory-overrides")


def test_dev_may_turn_pitr_on() -> None:
    _, table = only(table_template("dev", point_in_time_recovery=True), "AWS::DynamoDB::Table")
    assert table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]


def test_pitr_specification_as_a_dict_keeps_its_period() -> None:
    template = table_template(
        "staging",
        point_in_time_recovery_specification={
            "point_in_time_recovery_enabled": True,
            "recovery_period_in_days": 7,
        },
    )
    _, table = only(template, "AWS::DynamoDB::Table")
    assert table["Properties"]["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": True,
        "RecoveryPeriodInDays": 7,
    }


def test_table_v2_is_a_table_v2_protected_and_enrolled_by_replica_tags(tmp_path: Path) -> None:
    # GIVEN a prod LatticeTableV2 where a plain TableV2 was
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "V2")
    table = LatticeTableV2(
        stack, "Orders", name="orders", environment="prod", partition_key=PARTITION_KEY
    )
    plain = dynamodb.TableV2(new_stack(), "Orders", partition_key=PARTITION_KEY)
    assert isinstance(table, dynamodb.TableV2)
    role = iam.Role(stack, "App", assumed_by=iam.AccountRootPrincipal())
    table.grant_read_data(role)
    app.synth()
    # THEN it keeps TableV2's logical id and carries the protections on its replica
    template = Template.from_stack(stack)
    ((logical_id, resource),) = template.find_resources("AWS::DynamoDB::GlobalTable").items()
    assert logical_id in Template.from_stack(cdk.Stack.of(plain)).find_resources(
        "AWS::DynamoDB::GlobalTable"
    )
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")
    (replica,) = resource["Properties"]["Replicas"]
    assert replica["DeletionProtectionEnabled"] is True
    assert replica["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    tags = {t["Key"]: t["Value"] for t in replica["Tags"]}
    assert tags["lattice:backup"] == "prod"
    assert tags["lattice:backup-plan"].endswith("-Plan")
    # AND lattice check finds it backed up by the stack's tag selection
    result = check(load(tmp_path))
    assert [f.message for f in result.findings if f.rule_id == "LAT1201"] == []
