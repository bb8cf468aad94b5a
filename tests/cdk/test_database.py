"""LatticeDatabase: RDS instances and Aurora clusters protected by environment."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_rds as rds
from aws_cdk.assertions import Match, Template

from lattice_cdk import StatefulnessError
from lattice_cdk.cdk import LatticeDatabase

from .stacks import ISOLATED, covering_selection, isolated_vpc, new_stack, only


def database(environment: str, **props: Any) -> tuple[LatticeDatabase, Template]:
    stack = new_stack()
    db = LatticeDatabase(
        stack,
        "Db",
        name="app-db",
        environment=environment,
        vpc=isolated_vpc(stack),
        vpc_subnets=ISOLATED,
        **props,
    )
    return db, Template.from_stack(stack)


@pytest.fixture(scope="module")
def prod() -> Template:
    return database("prod")[1]


@pytest.fixture(scope="module")
def staging() -> Template:
    return database("staging")[1]


@pytest.fixture(scope="module")
def dev() -> Template:
    return database("dev")[1]


@pytest.fixture(scope="module")
def prod_cluster() -> Template:
    return database("prod", cluster=True)[1]


def test_prod_instance_is_snapshotted_protected_multi_az_and_encrypted(prod: Template) -> None:
    prod.has_resource(
        "AWS::RDS::DBInstance",
        {
            "DeletionPolicy": "Snapshot",
            "UpdateReplacePolicy": "Snapshot",
            "Properties": Match.object_like(
                {
                    "DeletionProtection": True,
                    "MultiAZ": True,
                    "StorageEncrypted": True,
                    "BackupRetentionPeriod": 30,
                    "DeleteAutomatedBackups": False,
                    "CopyTagsToSnapshot": True,
                    "Tags": Match.array_with(
                        [
                            {"Key": "lattice:environment", "Value": "prod"},
                            {"Key": "lattice:name", "Value": "app-db"},
                            {"Key": "lattice:protection", "Value": "maximum"},
                        ]
                    ),
                }
            ),
            "Metadata": {"lattice": Match.object_like({"removal": "SNAPSHOT"})},
        },
    )


def test_prod_secret_is_retained_and_encrypted_with_a_retained_rotating_key(
    prod: Template,
) -> None:
    key_id, key = only(prod.__class__.from_json(_without_backup(prod)), "AWS::KMS::Key")
    assert key["DeletionPolicy"] == "Retain"
    assert key["Properties"]["EnableKeyRotation"] is True
    prod.has_resource(
        "AWS::SecretsManager::Secret",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": Match.object_like({"KmsKeyId": {"Fn::GetAtt": [key_id, "Arn"]}}),
        },
    )


def test_prod_instance_is_selected_in_the_backup_plan_with_continuous_backup(
    prod: Template,
) -> None:
    instance_id, _ = only(prod, "AWS::RDS::DBInstance")
    assert covering_selection(prod, instance_id) is not None
    prod.has_resource_properties(
        "AWS::Backup::BackupPlan",
        {
            "BackupPlan": Match.object_like(
                {
                    "BackupPlanRule": Match.array_with(
                        [
                            Match.object_like(
                                {"RuleName": "Continuous", "EnableContinuousBackup": True}
                            )
                        ]
                    )
                }
            )
        },
    )


def test_staging_instance_is_snapshotted_without_deletion_protection(staging: Template) -> None:
    _, instance = only(staging, "AWS::RDS::DBInstance")
    assert instance["DeletionPolicy"] == "Snapshot"
    props = instance["Properties"]
    assert props["DeletionProtection"] is False
    assert props["MultiAZ"] is False
    assert props["BackupRetentionPeriod"] == 14
    assert props["DeleteAutomatedBackups"] is False
    staging.has_resource("AWS::SecretsManager::Secret", {"DeletionPolicy": "Retain"})


def test_dev_instance_is_destroyed_with_its_backups(dev: Template) -> None:
    _, instance = only(dev, "AWS::RDS::DBInstance")
    assert (instance["DeletionPolicy"], instance["UpdateReplacePolicy"]) == ("Delete", "Delete")
    props = instance["Properties"]
    assert props["DeletionProtection"] is False
    assert props["DeleteAutomatedBackups"] is True
    assert props["StorageEncrypted"] is True
    dev.has_resource("AWS::SecretsManager::Secret", {"DeletionPolicy": "Delete"})
    dev.resource_count_is("AWS::KMS::Key", 0)
    for resource in dev.to_json()["Resources"].values():
        assert not resource["Type"].startswith("AWS::Backup::")


def test_force_retain_keeps_a_dev_database_and_its_secret() -> None:
    _, template = database("dev", force_retain=True)
    _, instance = only(template, "AWS::RDS::DBInstance")
    assert (instance["DeletionPolicy"], instance["UpdateReplacePolicy"]) == ("Retain", "Retain")
    template.has_resource("AWS::SecretsManager::Secret", {"DeletionPolicy": "Retain"})
    template.resource_count_is("AWS::Backup::BackupPlan", 0)


def test_native_retention_is_capped_at_35_days_while_backups_keep_longer() -> None:
    _, template = database("prod", backup_retention_days=60)
    _, instance = only(template, "AWS::RDS::DBInstance")
    assert instance["Properties"]["BackupRetentionPeriod"] == 35
    template.has_resource_properties(
        "AWS::Backup::BackupPlan",
        {
            "BackupPlan": Match.object_like(
                {
                    "BackupPlanRule": Match.array_with(
                        [
                            Match.object_like(
                                {"RuleName": "Daily", "Lifecycle": {"DeleteAfterDays": 60}}
                            )
                        ]
                    )
                }
            )
        },
    )


def test_prod_aurora_cluster_is_snapshotted_protected_and_has_a_reader(
    prod_cluster: Template,
) -> None:
    prod_cluster.has_resource(
        "AWS::RDS::DBCluster",
        {
            "DeletionPolicy": "Snapshot",
            "UpdateReplacePolicy": "Snapshot",
            "Properties": Match.object_like(
                {
                    "DeletionProtection": True,
                    "StorageEncrypted": True,
                    "BackupRetentionPeriod": 30,
                    "Engine": "aurora-postgresql",
                }
            ),
        },
    )
    members = prod_cluster.find_resources("AWS::RDS::DBInstance")
    assert len(members) == 2, "a writer and a reader in another AZ"
    for member in members.values():
        acks = member["Metadata"]["lattice:acknowledgements"]
        assert {a["rule_id"] for a in acks} >= {"LAT1001", "LAT1002"}
        assert all(len(a["reason"]) >= 10 for a in acks)
    cluster_id, _ = only(prod_cluster, "AWS::RDS::DBCluster")
    assert covering_selection(prod_cluster, cluster_id) is not None
    # Members hold no data of their own: only the cluster is enrolled.
    for member_id in members:
        assert covering_selection(prod_cluster, member_id) is None


def test_dev_aurora_cluster_is_destroyed_with_one_writer() -> None:
    _, template = database("dev", cluster=True)
    _, cluster = only(template, "AWS::RDS::DBCluster")
    assert cluster["DeletionPolicy"] == "Delete"
    assert cluster["Properties"]["DeletionProtection"] is False
    template.resource_count_is("AWS::RDS::DBInstance", 1)


def test_exposes_instance_secret_and_connections() -> None:
    stack = new_stack()
    db = LatticeDatabase(
        stack, "Db", name="app-db", environment="dev", vpc=isolated_vpc(stack), vpc_subnets=ISOLATED
    )
    assert db.instance is not None
    assert db.cluster is None
    assert db.secret is not None
    client = ec2.SecurityGroup(stack, "Client", vpc=db.instance.vpc)
    db.connections.allow_default_port_from(client)
    Template.from_stack(stack).has_resource_properties(
        "AWS::EC2::SecurityGroupIngress", {"FromPort": Match.any_value(), "IpProtocol": "tcp"}
    )


def test_mysql_engine_uses_its_default_user() -> None:
    _, template = database(
        "prod", engine=rds.DatabaseInstanceEngine.mysql(version=rds.MysqlEngineVersion.VER_8_4_10)
    )
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {
            "GenerateSecretString": Match.object_like(
                {"SecretStringTemplate": '{"username":"admin"}'}
            )
        },
    )


@pytest.mark.parametrize("environment", ["prod", "dev"])
def test_adopting_lattice_keeps_the_database_and_secret_logical_ids(environment: str) -> None:
    plain = new_stack()
    rds.DatabaseInstance(
        plain,
        "Db",
        engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_18),
        vpc=isolated_vpc(plain),
        vpc_subnets=ISOLATED,
    )
    _, wrapped = database(environment)
    plain_template = Template.from_stack(plain)
    for resource_type in ("AWS::RDS::DBInstance", "AWS::SecretsManager::Secret"):
        assert set(plain_template.find_resources(resource_type)) == set(
            wrapped.find_resources(resource_type)
        ), resource_type
    # Nothing that would replace or resize the database changes either.
    (before,) = plain_template.find_resources("AWS::RDS::DBInstance").values()
    (after,) = wrapped.find_resources("AWS::RDS::DBInstance").values()
    for prop in ("DBInstanceClass", "Engine", "EngineVersion", "AllocatedStorage", "DBName"):
        assert after["Properties"].get(prop) == before["Properties"].get(prop), prop


def test_adopting_lattice_keeps_the_cluster_logical_id() -> None:
    plain = new_stack()
    rds.DatabaseCluster(
        plain,
        "Db",
        engine=rds.DatabaseClusterEngine.aurora_postgres(
            version=rds.AuroraPostgresEngineVersion.VER_17_6
        ),
        writer=rds.ClusterInstance.serverless_v2("Writer"),
        vpc=isolated_vpc(plain),
        vpc_subnets=ISOLATED,
    )
    _, wrapped = database("dev", cluster=True)
    assert set(Template.from_stack(plain).find_resources("AWS::RDS::DBCluster")) == set(
        wrapped.find_resources("AWS::RDS::DBCluster")
    )


@pytest.mark.parametrize(
    ("environment", "props", "code"),
    [
        ("prod", {"removal_policy": cdk.RemovalPolicy.DESTROY}, "destroy-not-allowed"),
        ("staging", {"removal_policy": cdk.RemovalPolicy.DESTROY}, "destroy-not-allowed"),
        ("prod", {"deletion_protection": False}, "protection-required"),
        ("prod", {"storage_encrypted": False}, "protection-required"),
        ("staging", {"storage_encrypted": False}, "protection-required"),
        ("prod", {"delete_automated_backups": True}, "protection-required"),
        ("prod", {"multi_az": False}, "protection-required"),
        ("prod", {"backup_retention_days": 10}, "retention-below-floor"),
        ("dev", {"force_retain": True, "removal_policy": cdk.RemovalPolicy.DESTROY}, None),
    ],
)
def test_unsafe_database_configurations_are_refused(
    environment: str, props: dict[str, Any], code: str | None
) -> None:
    with pytest.raises(StatefulnessError, match=r"Fix:") as info:
        database(environment, **props)
    assert info.value.code == (code or "contradictory-overrides")


def _without_backup(template: Template) -> dict[str, Any]:
    """The template minus the BackupManager's resources (its vault key is another key)."""
    data = template.to_json()
    return {
        **data,
        "Resources": {
            k: v for k, v in data["Resources"].items() if not k.startswith("LatticeBackup")
        },
    }
