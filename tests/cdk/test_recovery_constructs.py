"""RestoreTesting and AirGappedVault on their own stacks: synthesized templates, cfn-lint,
CDK's own CloudFormation validator, and Lattice's recovery rules (LAT1306-LAT1309)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_backup as backup
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk.assertions import Match, Template

from lattice_cdk import StatefulnessError, create_statefulness_policy
from lattice_cdk.cdk._air_gapped import AirGappedVault
from lattice_cdk.cdk._restore_testing import RestoreTesting

PROD = create_statefulness_policy(environment="prod")
RECOVERY_RULES = ("LAT1306", "LAT1307", "LAT1308", "LAT1309")


def _recovery_app(outdir: Path, *, lifecycle_days: int = 35) -> cdk.App:
    """A prod stack with a tagged table, restore tests for it, and a plan whose daily and
    monthly rules copy to an air-gapped vault."""
    app = cdk.App(outdir=str(outdir), context={"@aws-cdk/core:validationReportJson": True})
    stack = cdk.Stack(app, "Recovery", env=cdk.Environment(region="us-east-1"))
    cdk.Tags.of(stack).add("lattice:backup", "prod")
    stack.template_options.metadata = {"lattice:environment": "prod"}
    dynamodb.Table(
        stack,
        "Table",
        partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    tests = RestoreTesting(stack, "RestoreTests", policy=PROD)
    tests.add_resource_type("AWS::DynamoDB::Table")
    vault = AirGappedVault(
        stack,
        "AirGapped",
        policy=PROD,
        copy_retention_days=[35, 2555],
        recovery_accounts=["111122223333"],
    )
    local = backup.BackupVault(stack, "Vault", removal_policy=cdk.RemovalPolicy.RETAIN)
    plan = backup.BackupPlan(stack, "Plan", backup_vault=local)
    for name, cron, days in (
        ("Daily", events.Schedule.cron(hour="5", minute="0"), lifecycle_days),
        ("Monthly", events.Schedule.cron(day="1", hour="5", minute="0"), 2555),
    ):
        plan.add_rule(
            backup.BackupPlanRule(
                rule_name=name,
                schedule_expression=cron,
                delete_after=cdk.Duration.days(days),
                copy_actions=[vault.copy_action(days)] if days >= 35 else None,
            )
        )
    return app


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    outdir = tmp_path_factory.mktemp("recovery")
    assembly = _recovery_app(outdir).synth()
    return assembly.get_stack_by_name("Recovery").template  # type: ignore[no-any-return]


def test_restore_testing_plan_and_selection_follow_the_policy(template: dict[str, Any]) -> None:
    t = Template.from_json(template)
    t.has_resource_properties(
        "AWS::Backup::RestoreTestingPlan",
        {
            "ScheduleExpression": PROD.restore_testing_schedule,
            "RecoveryPointSelection": Match.object_like(
                {"Algorithm": "LATEST_WITHIN_WINDOW", "SelectionWindowDays": 31}
            ),
        },
    )
    t.resource_count_is("AWS::Backup::RestoreTestingSelection", 1)
    t.has_resource_properties(
        "AWS::Backup::RestoreTestingSelection",
        {
            "ProtectedResourceType": "DynamoDB",
            "ProtectedResourceArns": ["*"],
            "ProtectedResourceConditions": {
                "StringEquals": [{"Key": "aws:ResourceTag/lattice:backup", "Value": "prod"}]
            },
            "ValidationWindowHours": 1,
        },
    )


def test_air_gapped_vault_bounds_fit_every_copy(template: dict[str, Any]) -> None:
    t = Template.from_json(template)
    t.has_resource(
        "AWS::Backup::LogicallyAirGappedBackupVault",
        {
            "Properties": {
                "BackupVaultName": "lattice-prod-air-gapped",
                "MinRetentionDays": 35,
                "MaxRetentionDays": 2555,
            },
            "DeletionPolicy": "Retain",
        },
    )
    t.has_resource_properties(
        "AWS::RAM::ResourceShare", {"Principals": ["111122223333"], "AllowExternalPrincipals": True}
    )


def test_recovery_rules_pass_on_the_stack(template: dict[str, Any], tmp_path: Path) -> None:
    from lattice_cdk.cfn import load
    from lattice_cdk.checker import check

    path = tmp_path / "Recovery.template.json"
    path.write_text(json.dumps(template))
    findings = check(load(path)).findings
    assert [f.message for f in findings if f.rule_id in RECOVERY_RULES] == []
    assert not [f for f in findings if f.rule_id == "LAT2901" and "LAT13" in f.message]


def test_recovery_rules_fail_without_restore_tests_or_copies(tmp_path: Path) -> None:
    from lattice_cdk.cfn import load
    from lattice_cdk.checker import check

    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Bare")
    stack.template_options.metadata = {"lattice:environment": "prod"}
    cdk.Tags.of(stack).add("lattice:backup", "prod")
    dynamodb.Table(
        stack,
        "Table",
        partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
    )
    plan = backup.BackupPlan.daily35_day_retention(stack, "Plan")
    plan.add_selection("All", resources=[backup.BackupResource.from_tag("lattice:backup", "prod")])
    app.synth()
    found = {f.rule_id for f in check(load(tmp_path / "Bare.template.json")).findings}
    assert {"LAT1306", "LAT1309"} <= found


def test_cfn_lint_accepts_the_recovery_stack(template: dict[str, Any]) -> None:
    from cfnlint.api import ManualArgs, lint

    matches = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
    assert [(m.rule.id, m.message) for m in matches if m.rule.id.startswith(("E", "W"))] == []


def test_cdk_validator_accepts_the_recovery_stack(tmp_path: Path) -> None:
    app = _recovery_app(tmp_path)
    control = cdk.Stack(app, "Control")
    cdk.CfnResource(
        control,
        "Broken",
        type="AWS::Backup::LogicallyAirGappedBackupVault",
        properties={"BackupVaultName": "x", "MinRetentionDays": "many"},
    )
    cdk.Validations.of(app).add_plugins(cdk.CloudFormationValidatePlugin())
    app.synth()
    report = json.loads((tmp_path / "policy-validation-report.json").read_text())
    paths = {
        r["constructPath"]
        for plugin in report["pluginReports"]
        for v in plugin["violations"]
        for r in v["violatingResources"]
    }
    assert "Control/Broken" in paths, "the validator ran and saw the control"
    assert {p for p in paths if p.startswith("Recovery/")} == set()


def test_copy_outside_the_vault_bounds_raises() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    vault = AirGappedVault(stack, "V", policy=PROD, copy_retention_days=[35, 2555])
    with pytest.raises(StatefulnessError, match=r"delete_after_days.*35 to 2555"):
        vault.copy_action(30)


def test_vault_for_policy_takes_daily_and_monthly_lifecycles() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    vault = AirGappedVault.for_policy(stack, "V", policy=PROD)
    assert (vault.min_retention_days, vault.max_retention_days) == (
        PROD.backup_retention_days,
        PROD.monthly_retention_days,
    )
    staging = create_statefulness_policy(environment="staging")
    with pytest.raises(StatefulnessError, match="air_gapped_copy"):
        AirGappedVault.for_policy(stack, "W", policy=staging)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"recovery_accounts": ["12345"]}, "recovery_accounts"),
        ({"vault_name": "has spaces"}, "vault_name"),
        ({"copy_retention_days": [3]}, "copy_retention_days"),
    ],
)
def test_vault_refuses_bad_input(kwargs: dict[str, Any], field: str) -> None:
    stack = cdk.Stack(cdk.App(), "S")
    args: dict[str, Any] = {"policy": PROD, "copy_retention_days": [35]} | kwargs
    with pytest.raises(StatefulnessError, match=field):
        AirGappedVault(stack, "V", **args)


def test_restore_testing_refuses_dev_and_bad_input() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    dev = create_statefulness_policy(environment="dev")
    with pytest.raises(StatefulnessError, match="restore_testing"):
        RestoreTesting(stack, "Dev", policy=dev)
    with pytest.raises(StatefulnessError, match="validation_window_hours"):
        RestoreTesting(stack, "Long", policy=PROD, validation_window_hours=500)
    with pytest.raises(StatefulnessError, match="metadata_overrides"):
        RestoreTesting(stack, "Odd", policy=PROD, metadata_overrides={"DynamoDB": {"vpcid": "x"}})


def test_database_overrides_and_s3_role() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    tests = RestoreTesting(
        stack,
        "T",
        policy=PROD,
        subnet_group_name="private",
        instance_class="db.t4g.micro",
        resource_types=["AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::S3::Bucket"],
    )
    assert tests.add_resource_type("AWS::SQS::Queue") is None
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::Backup::RestoreTestingSelection", 3)
    t.has_resource_properties(
        "AWS::Backup::RestoreTestingSelection",
        {
            "ProtectedResourceType": "RDS",
            "RestoreMetadataOverrides": {
                "dbsubnetgroupname": "private",
                "dbinstanceclass": "db.t4g.micro",
            },
        },
    )
    t.has_resource_properties(
        "AWS::Backup::RestoreTestingSelection",
        {
            "ProtectedResourceType": "Aurora",
            "RestoreMetadataOverrides": {"dbsubnetgroupname": "private"},
        },
    )
    role = json.dumps(t.find_resources("AWS::IAM::Role"))
    assert "AWSBackupServiceRolePolicyForRestores" in role
    assert "AWSBackupServiceRolePolicyForS3Restore" in role


# -- wired into BackupManager and the guard ----------------------------------------------


def _types(template: Template) -> set[str]:
    return {
        r["Properties"]["ProtectedResourceType"]
        for r in template.find_resources("AWS::Backup::RestoreTestingSelection").values()
    }


def test_prod_manager_tests_each_enrolled_type_and_copies_to_the_air_gapped_vault() -> None:
    from lattice_cdk.cdk import BackupManager, LatticeBucket, LatticeTable

    from .stacks import PARTITION_KEY, new_stack

    stack = new_stack()
    LatticeTable(stack, "Table", name="t", environment="prod", partition_key=PARTITION_KEY)
    LatticeBucket(stack, "Bucket", name="b", environment="prod")
    manager = BackupManager.of(stack)
    assert manager.restore_testing is not None
    assert manager.air_gapped_vault is not None
    t = Template.from_stack(stack)
    assert _types(t) == {"DynamoDB", "S3"}
    vault_id = stack.get_logical_id(manager.air_gapped_vault.resource)
    for rule in t.find_resources("AWS::Backup::BackupPlan").popitem()[1]["Properties"][
        "BackupPlan"
    ]["BackupPlanRule"]:
        to_vault = [
            c
            for c in rule.get("CopyActions", [])
            if c["DestinationBackupVaultArn"] == {"Fn::GetAtt": [vault_id, "BackupVaultArn"]}
        ]
        assert len(to_vault) == (1 if rule["RuleName"] in ("Daily", "Monthly") else 0)
        for copy in to_vault:
            assert copy["Lifecycle"]["DeleteAfterDays"] == rule["Lifecycle"]["DeleteAfterDays"]


def test_staging_builds_neither_unless_it_opts_in() -> None:
    from lattice_cdk.cdk import BackupManager, LatticeTable

    from .stacks import PARTITION_KEY, new_stack

    plain = new_stack()
    LatticeTable(plain, "Table", name="t", environment="staging", partition_key=PARTITION_KEY)
    t = Template.from_stack(plain)
    t.resource_count_is("AWS::Backup::RestoreTestingPlan", 0)
    t.resource_count_is("AWS::Backup::LogicallyAirGappedBackupVault", 0)

    opted = new_stack()
    policy = create_statefulness_policy(environment="staging", restore_testing=True)
    manager = BackupManager.of(opted, policy=policy)
    manager.enrol(
        dynamodb.Table(
            opted,
            "Table",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
        )
    )
    assert _types(Template.from_stack(opted)) == {"DynamoDB"}


def test_the_guard_restore_tests_the_types_it_enrols(tmp_path: Path) -> None:
    from lattice_cdk import StatefulnessGuard
    from lattice_cdk.cfn import load
    from lattice_cdk.checker import check

    app = cdk.App(outdir=str(tmp_path), context={"lattice:environment": "prod"})
    stack = cdk.Stack(app, "Guarded", termination_protection=True)
    dynamodb.Table(
        stack,
        "Plain",
        partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
    )
    StatefulnessGuard.apply(app, environment="prod")
    app.synth()
    template = json.loads((tmp_path / "Guarded.template.json").read_text())
    # The table, and the compliance-report bucket prod's manager backs up.
    assert _types(Template.from_json(template)) == {"DynamoDB", "S3"}
    found = check(load(tmp_path)).findings
    assert [f.message for f in found if f.rule_id in RECOVERY_RULES] == []


def test_override_reaches_a_selection_made_before_it() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    tests = RestoreTesting(stack, "T", policy=PROD, resource_types=["AWS::RDS::DBInstance"])
    tests.override("RDS", "DBSubnetGroupName", "private")
    Template.from_stack(stack).has_resource_properties(
        "AWS::Backup::RestoreTestingSelection",
        {"RestoreMetadataOverrides": {"dbsubnetgroupname": "private"}},
    )
    with pytest.raises(StatefulnessError, match="metadata_overrides"):
        tests.override("S3", "dbsubnetgroupname", "private")


def test_the_managers_vault_is_shared_with_recovery_accounts() -> None:
    from lattice_cdk.cdk import BackupManager, LatticeTable

    from .stacks import PARTITION_KEY, new_stack

    stack = new_stack()
    LatticeTable(stack, "Table", name="t", environment="prod", partition_key=PARTITION_KEY)
    vault = BackupManager.of(stack).air_gapped_vault
    assert vault is not None
    vault.share_with(["111122223333"])
    vault.share_with(["111122223333", "444455556666"])
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::RAM::ResourceShare", 1)
    t.has_resource_properties(
        "AWS::RAM::ResourceShare",
        {"Principals": ["111122223333", "444455556666"], "AllowExternalPrincipals": True},
    )
    with pytest.raises(StatefulnessError, match="recovery_accounts"):
        vault.share_with(["not-an-account"])
