"""BackupManager: vault, plan, selections, DR copies and the Audit Manager framework."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_backup as backup
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Annotations, Match, Template

from lattice_cdk import LatticeError, StatefulnessError, create_statefulness_policy
from lattice_cdk.cdk import BackupManager, BackupRules, DisasterRecoveryVault, LatticeBucket
from lattice_cdk.cdk._backup_selection import selection_name
from lattice_cdk.cfn import load
from lattice_cdk.checker import check
from lattice_cdk.checker.rules.lat2303_cross_region_copy import INFO as LAT2303_INFO

from .stacks import PARTITION_KEY, add_all, covering_selection, new_stack, only

DR_ARN = "arn:aws:backup:us-west-2:111122223333:backup-vault:lattice-dr-prod"
BACKUP_TYPES = ("AWS::Backup::BackupVault", "AWS::Backup::BackupPlan", "AWS::Backup::Framework")


def rules_of(template: Template) -> dict[str, dict[str, Any]]:
    """The default plan's rules by name."""
    plans = template.find_resources("AWS::Backup::BackupPlan")
    plan = next(v for k, v in plans.items() if "PlanDays" not in k)
    return {r["RuleName"]: r for r in plan["Properties"]["BackupPlan"]["BackupPlanRule"]}


def selections(template: Template) -> dict[str, dict[str, Any]]:
    """Every backup selection's body, by selection name."""
    return {
        v["Properties"]["BackupSelection"]["SelectionName"]: v["Properties"]["BackupSelection"]
        for v in template.find_resources("AWS::Backup::BackupSelection").values()
    }


@pytest.fixture(scope="module")
def prod_stack() -> cdk.Stack:
    stack = new_stack("Prod")
    add_all(stack, "prod")
    return stack


@pytest.fixture(scope="module")
def prod(prod_stack: cdk.Stack) -> Template:
    return Template.from_stack(prod_stack)


@pytest.fixture(scope="module")
def prod_dr() -> Template:
    stack = new_stack("ProdDr")
    BackupManager(stack, "Backup", environment="prod", dr_vault_arn=DR_ARN)
    add_all(stack, "prod")
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def staging() -> Template:
    stack = new_stack("Staging")
    add_all(stack, "staging")
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def dev() -> Template:
    stack = new_stack("Dev")
    add_all(stack, "dev")
    return Template.from_stack(stack)


# -- the "done when" -----------------------------------------------------------


def test_prod_stack_with_all_three_constructs_is_fully_protected(prod: Template) -> None:
    bucket_id = next(k for k in prod.find_resources("AWS::S3::Bucket") if k.startswith("Data"))
    table_id, table = only(prod, "AWS::DynamoDB::Table")
    db_id, db = only(prod, "AWS::RDS::DBInstance")
    bucket = prod.find_resources("AWS::S3::Bucket")[bucket_id]

    assert (bucket["DeletionPolicy"], bucket["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert (db["DeletionPolicy"], db["UpdateReplacePolicy"]) == ("Snapshot", "Snapshot")
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    assert db["Properties"]["DeletionProtection"] is True
    assert table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]

    rules = rules_of(prod)
    assert rules["Daily"]["Lifecycle"]["DeleteAfterDays"] >= 30
    assert rules["Weekly"]["Lifecycle"] == {"DeleteAfterDays": 365}
    assert rules["Monthly"]["Lifecycle"] == {
        "DeleteAfterDays": 2555,
        "MoveToColdStorageAfterDays": 90,
    }
    assert rules["Continuous"]["EnableContinuousBackup"] is True
    assert rules["Continuous"]["Lifecycle"]["DeleteAfterDays"] <= 35

    for logical_id in (bucket_id, table_id, db_id):
        assert covering_selection(prod, logical_id) is not None, logical_id

    prod.has_resource(
        "AWS::Backup::BackupVault",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    # Governance mode: no ChangeableForDays, so never permanent by default.
                    "LockConfiguration": {"MinRetentionDays": 30},
                    "EncryptionKeyArn": Match.any_value(),
                }
            ),
        },
    )
    prod.resource_count_is("AWS::Backup::Framework", 1)


def test_one_manager_is_shared_by_every_construct_in_the_stack(prod: Template) -> None:
    for resource_type in (*BACKUP_TYPES, "AWS::IAM::Role"):
        prod.resource_count_is(resource_type, 1)
    # One tag-condition selection covers the three constructs and the reports bucket.
    (selection,) = selections(prod).values()
    assert selection["Resources"] == ["*"]
    assert [c["ConditionKey"] for c in selection["Conditions"]["StringEquals"]] == [
        "aws:ResourceTag/lattice:backup",
        "aws:ResourceTag/lattice:backup-plan",
    ]


def test_prod_vault_is_encrypted_with_a_retained_rotating_key_and_denies_deletes(
    prod: Template,
) -> None:
    _, vault = only(prod, "AWS::Backup::BackupVault")
    key_id = vault["Properties"]["EncryptionKeyArn"]["Fn::GetAtt"][0]
    key = prod.find_resources("AWS::KMS::Key")[key_id]
    assert key["DeletionPolicy"] == "Retain"
    assert key["Properties"]["EnableKeyRotation"] is True
    statement = vault["Properties"]["AccessPolicy"]["Statement"][0]
    assert statement["Effect"] == "Deny"
    assert "backup:DeleteRecoveryPoint" in statement["Action"]


def test_staging_has_a_daily_plan_and_deny_policy_but_no_lock_or_framework(
    staging: Template,
) -> None:
    rules = rules_of(staging)
    assert set(rules) == {"Daily"}
    assert rules["Daily"]["Lifecycle"] == {"DeleteAfterDays": 14}
    _, vault = only(staging, "AWS::Backup::BackupVault")
    assert "LockConfiguration" not in vault["Properties"]
    assert vault["Properties"]["AccessPolicy"]["Statement"][0]["Effect"] == "Deny"
    staging.resource_count_is("AWS::Backup::Framework", 0)
    staging.resource_count_is("AWS::Backup::ReportPlan", 0)
    assert len(staging.find_resources("AWS::Backup::BackupSelection")) == 1


def test_dev_synthesizes_no_backup_resources(dev: Template) -> None:
    for name, resource in dev.to_json()["Resources"].items():
        assert not resource["Type"].startswith("AWS::Backup::"), name
    dev.resource_count_is("AWS::KMS::Key", 0)
    for resource_type in ("AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::RDS::DBInstance"):
        (resource,) = dev.find_resources(resource_type).values()
        assert resource["DeletionPolicy"] == "Delete"


# -- disaster recovery -----------------------------------------------------------------


def test_prod_without_a_dr_target_warns_at_synth_with_the_checkers_fix(
    prod_stack: cdk.Stack,
) -> None:
    # The synth note and lattice check/report give LAT2303 the same fix: one text.
    (warning,) = Annotations.from_stack(prod_stack).find_warning(
        "/Prod/LatticeBackup", Match.string_like_regexp(r"LAT2303")
    )
    assert f"Fix: {LAT2303_INFO.fix}" in warning.entry.data


def test_prod_with_a_dr_vault_arn_copies_every_tier_and_does_not_warn(prod_dr: Template) -> None:
    rules = rules_of(prod_dr)
    for name in ("Daily", "Weekly", "Monthly"):
        # The DR copy first; the daily and monthly rules also copy to the air-gapped vault.
        copy, *air_gapped = rules[name]["CopyActions"]
        assert copy["DestinationBackupVaultArn"] == DR_ARN
        assert copy["Lifecycle"]["DeleteAfterDays"] == rules[name]["Lifecycle"]["DeleteAfterDays"]
        assert len(air_gapped) == (0 if name == "Weekly" else 1)
    assert "CopyActions" not in rules["Continuous"]
    prod_dr.resource_count_is("AWS::Backup::BackupPlan", 1)


def test_dr_region_names_the_conventional_vault_in_that_region() -> None:
    stack = new_stack(env=cdk.Environment(account="111122223333", region="eu-west-1"))
    manager = BackupManager(stack, "Backup", environment="prod", dr_region="eu-central-1")
    manager.add_resource("arn:aws:dynamodb:eu-west-1:111122223333:table/legacy")
    template = Template.from_stack(stack)
    assert rules_of(template)["Daily"]["CopyActions"][0]["DestinationBackupVaultArn"] == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":backup:eu-central-1:111122223333:backup-vault:lattice-dr-prod",
            ],
        ]
    }
    assert "'ParameterValue': 'eu-central-1'" in str(
        template.find_resources("AWS::Backup::Framework")
    )
    assert not Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("LAT2303"))


def test_disaster_recovery_vault_has_the_name_dr_region_expects() -> None:
    stack = new_stack("Dr")
    DisasterRecoveryVault(stack, "DrVault", environment="prod")
    Template.from_stack(stack).has_resource(
        "AWS::Backup::BackupVault",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "BackupVaultName": "lattice-dr-prod",
                    "LockConfiguration": {"MinRetentionDays": 30},
                    "AccessPolicy": Match.any_value(),
                }
            ),
        },
    )


def test_dr_vault_from_a_stack_in_another_region_with_cross_region_references() -> None:
    app = cdk.App()
    account = "111122223333"
    dr_stack = cdk.Stack(
        app,
        "Dr",
        env=cdk.Environment(account=account, region="us-west-2"),
        cross_region_references=True,
    )
    dr = DisasterRecoveryVault(dr_stack, "DrVault", environment="prod")
    main = cdk.Stack(
        app,
        "Main",
        env=cdk.Environment(account=account, region="us-east-1"),
        cross_region_references=True,
    )
    BackupManager(main, "Backup", environment="prod", dr_vault=dr.vault)
    LatticeBucket(main, "Data", name="app-data", environment="prod")
    template = Template.from_stack(main)
    rules = rules_of(template)
    assert rules["Daily"]["CopyActions"][0]["DestinationBackupVaultArn"]
    template.has_resource_properties(
        "AWS::Backup::Framework",
        {
            "FrameworkControls": Match.array_with(
                [
                    Match.object_like(
                        {
                            "ControlName": "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
                            "ControlInputParameters": [
                                {"ParameterName": "crossRegionList", "ParameterValue": "us-west-2"}
                            ],
                        }
                    )
                ]
            )
        },
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"dr_vault_arn": "arn:aws:s3:::not-a-vault"}, "dr_vault_arn"),
        ({"dr_vault_arn": DR_ARN, "dr_region": "us-west-2"}, "dr_vault"),
        ({"dr_region": "us-east-1"}, "dr_region"),
        ({"vault_lock_cooling_off_days": 2}, "vault_lock_cooling_off_days"),
        ({"dr_region": "not a region"}, "dr_region"),
        ({"vault_lock_mode": "permanent"}, "vault_lock_mode"),
    ],
)
def test_bad_manager_options_are_refused(kwargs: dict[str, Any], field: str) -> None:
    stack = new_stack(env=cdk.Environment(account="111122223333", region="us-east-1"))
    with pytest.raises(StatefulnessError, match=r"Fix:") as info:
        BackupManager(stack, "Backup", environment="prod", **kwargs)
    assert info.value.field == field


def test_compliance_mode_is_explicit_with_a_configurable_cooling_off_period() -> None:
    stack = new_stack()
    manager = BackupManager.of(stack, environment="prod").configure(
        vault_lock_mode="compliance", vault_lock_cooling_off_days=14
    )
    LatticeBucket(stack, "Data", name="app-data", environment="prod")
    assert manager.vault_lock_mode == "compliance"
    Template.from_stack(stack).has_resource_properties(
        "AWS::Backup::BackupVault",
        {"LockConfiguration": {"MinRetentionDays": 30, "ChangeableForDays": 14}},
    )


@pytest.mark.parametrize(("environment", "mode"), [("prod", "governance"), ("staging", None)])
def test_the_default_lock_is_governance_in_prod_and_none_elsewhere(
    environment: str, mode: str | None
) -> None:
    stack = new_stack()
    LatticeBucket(stack, "Data", name="app-data", environment=environment)
    assert BackupManager.of(stack).vault_lock_mode == mode
    assert "ChangeableForDays" not in str(Template.from_stack(stack).to_json())


# -- compliance --------------------------------------------------------------------------


def test_framework_controls_mirror_the_policy(prod_dr: Template) -> None:
    _, framework = only(prod_dr, "AWS::Backup::Framework")
    controls = {
        c["ControlName"]: {
            p["ParameterName"]: p["ParameterValue"] for p in c.get("ControlInputParameters", [])
        }
        for c in framework["Properties"]["FrameworkControls"]
    }
    assert controls == {
        "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN": {},
        "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK": {
            "requiredFrequencyUnit": "hours",
            "requiredFrequencyValue": "24",
            "requiredRetentionDays": "30",
        },
        "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK": {"requiredRetentionDays": "30"},
        "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED": {},
        "BACKUP_RECOVERY_POINT_ENCRYPTED": {},
        "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION": {"crossRegionList": "us-west-2"},
        "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK": {"minRetentionDays": "30"},
        "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET": {"maxRestoreTime": "720"},
    }
    for control in framework["Properties"]["FrameworkControls"]:
        assert control["ControlScope"] == {
            "Tags": [{"Key": "lattice:environment", "Value": "prod"}]
        }


def test_report_plans_deliver_to_a_protected_report_bucket(prod: Template) -> None:
    plans = prod.find_resources("AWS::Backup::ReportPlan")
    templates = {p["Properties"]["ReportSetting"]["ReportTemplate"] for p in plans.values()}
    assert templates == {"RESOURCE_COMPLIANCE_REPORT", "CONTROL_COMPLIANCE_REPORT"}
    bucket_ref = next(iter(plans.values()))["Properties"]["ReportDeliveryChannel"]["S3BucketName"]
    reports_id = bucket_ref["Ref"]
    reports = prod.find_resources("AWS::S3::Bucket")[reports_id]
    assert reports["DeletionPolicy"] == "Retain"
    assert reports["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    assert covering_selection(prod, reports_id) is not None
    prod.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": reports_id},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "s3:PutObject",
                                "Principal": {"AWS": Match.any_value()},
                            }
                        )
                    ]
                )
            },
        },
    )
    assert "AWSServiceRoleForBackupReports" in str(prod.find_resources("AWS::S3::BucketPolicy"))


@pytest.mark.parametrize(("environment", "on", "count"), [("staging", True, 1), ("prod", False, 0)])
def test_compliance_reporting_is_optional(environment: str, on: bool, count: int) -> None:
    stack = new_stack()
    BackupManager(stack, "Backup", environment=environment, compliance_reporting=on)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Backup::Framework", count)
    template.resource_count_is("AWS::Backup::ReportPlan", 2 * count)


# -- selections --------------------------------------------------------------------------


def test_tag_selection_is_idempotent_and_uses_string_equals() -> None:
    stack = new_stack()
    manager = BackupManager.of(stack, environment="staging")
    first = manager.add_tag_selection("lattice:backup", "true")
    assert manager.add_tag_selection("lattice:backup", "true") is first
    template = Template.from_stack(stack)
    (selection,) = template.find_resources("AWS::Backup::BackupSelection").values()
    assert selection["Properties"]["BackupSelection"]["ListOfTags"] == [
        {
            "ConditionKey": "lattice:backup",
            "ConditionType": "STRINGEQUALS",
            "ConditionValue": "true",
        }
    ]
    # A tag selection can pick up buckets: AWS Backup for S3 needs its own policies.
    roles = str(template.find_resources("AWS::IAM::Role"))
    assert "AWSBackupServiceRolePolicyForS3Backup" in roles
    assert "AWSBackupServiceRolePolicyForS3Restore" in roles


def test_add_resource_by_arn_and_by_construct() -> None:
    stack = new_stack()
    manager = BackupManager(stack, "Backup", environment="staging")
    arn = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-12345678"
    manager.add_resource(arn, name="shared-files")
    table = dynamodb.Table(stack, "Other", partition_key=PARTITION_KEY)
    manager.add_resource(table)
    assert manager.plan is not None
    plan = manager.plan.node.default_child.backup_plan.backup_plan_name  # type: ignore[union-attr]
    assert manager.selection_names == [f"{plan}-arns-1", f"{plan}-tagged"]
    template = Template.from_stack(stack)
    by_name = selections(template)
    assert by_name[f"{plan}-arns-1"]["Resources"] == [arn]
    (table_id,) = template.find_resources("AWS::DynamoDB::Table")
    assert covering_selection(template, table_id) == by_name[f"{plan}-tagged"]


def test_dev_manager_is_disabled_and_records_nothing() -> None:
    stack = new_stack()
    manager = BackupManager.of(stack, environment="dev")
    bucket = s3.Bucket(stack, "Plain")
    assert manager.enabled is False
    assert manager.add_bucket(bucket) is None
    assert manager.add_resource(bucket) is None
    assert manager.add_tag_selection("lattice:backup", "true") is None
    assert manager.selection_names == []
    assert manager.vault is None
    assert manager.plan is None
    template = Template.from_stack(stack)
    assert set(template.to_json()["Resources"]) == set(template.find_resources("AWS::S3::Bucket"))


def test_of_returns_the_stacks_manager_whatever_its_id() -> None:
    stack = new_stack()
    mine = BackupManager(stack, "MyBackups", environment="prod", dr_vault_arn=DR_ARN)
    assert BackupManager.of(stack) is mine
    LatticeBucket(stack, "Data", name="app-data", environment="prod")
    assert stack.node.try_find_child("LatticeBackup") is None
    (name,) = mine.selection_names
    assert name.startswith("StackMyBackups")
    assert name.endswith("-Plan-tagged")


def test_of_refuses_another_environment() -> None:
    stack = new_stack()
    BackupManager.of(stack, environment="prod")
    with pytest.raises(StatefulnessError, match=r"BackupManager") as info:
        BackupManager.of(stack, environment="staging")
    assert info.value.code == "environment-mismatch"
    with pytest.raises(StatefulnessError) as info:
        LatticeBucket(stack, "Data", name="d", environment="staging")
    assert info.value.code == "environment-mismatch"


def test_explicit_manager_of_another_environment_is_refused() -> None:
    stack = new_stack()
    manager = BackupManager(stack, "Backup", environment="staging")
    with pytest.raises(StatefulnessError, match=r"backup_manager=") as info:
        LatticeBucket(stack, "Data", name="d", environment="prod", backup_manager=manager)
    assert info.value.code == "environment-mismatch"


def test_policy_and_overrides_together_are_refused() -> None:
    policy = create_statefulness_policy(environment="prod")
    with pytest.raises(StatefulnessError) as info:
        BackupManager(new_stack(), "B", policy=policy, backup_retention_days=60)
    assert info.value.code == "contradictory-overrides"
    with pytest.raises(StatefulnessError) as info:
        BackupManager(new_stack(), "B", policy=policy, environment="dev")
    assert info.value.code == "contradictory-overrides"


def test_manager_from_a_policy_uses_its_retention() -> None:
    stack = new_stack()
    policy = create_statefulness_policy(environment="staging", backup_retention_days=21)
    BackupManager(stack, "Backup", policy=policy)
    assert rules_of(Template.from_stack(stack))["Daily"]["Lifecycle"] == {"DeleteAfterDays": 21}


# -- S3 needs versioning -----------------------------------------------------------------


def test_unversioned_plain_bucket_fails_synth_with_lat1402() -> None:
    stack = new_stack()
    manager = BackupManager(stack, "Backup", environment="staging")
    manager.add_bucket(s3.Bucket(stack, "Plain"))
    with pytest.raises(RuntimeError, match=r"LAT1402.*versioned=True"):
        cdk.Stage.of(stack).synth()  # type: ignore[union-attr]


def test_versioned_plain_bucket_is_backed_up_by_tag() -> None:
    stack = new_stack()
    manager = BackupManager(stack, "Backup", environment="staging")
    bucket = s3.Bucket(stack, "Plain", versioned=True)
    manager.add_bucket(bucket)
    template = Template.from_stack(stack)
    (bucket_id,) = template.find_resources("AWS::S3::Bucket")
    assert covering_selection(template, bucket_id) is not None


def test_imported_resources_are_selected_by_arn_in_batches_within_the_quotas(
    tmp_path: Path,
) -> None:
    # GIVEN 1,200 ARNs, 40 of them with a wildcard
    stack = new_stack()
    manager = BackupManager(stack, "Backup", environment="staging")
    for i in range(1160):
        manager.add_resource(f"arn:aws:dynamodb:us-east-1:111122223333:table/t{i}")
    for i in range(40):
        manager.add_resource(f"arn:aws:s3:::legacy-{i}-*")
    # THEN they fill selections of 500 and, with a wildcard, of 30
    sizes = sorted(len(s["Resources"]) for s in selections(Template.from_stack(stack)).values())
    assert sizes == [10, 30, 160, 500, 500]
    # AND lattice check's quota rule finds nothing to report
    path = tmp_path / "Stack.template.json"
    path.write_text(json.dumps(Template.from_stack(stack).to_json()))
    result = check(load(path))
    assert [f for f in result.findings if f.rule_id == "LAT1305"] == []


def test_imported_bucket_warns_that_versioning_cannot_be_seen() -> None:
    stack = new_stack()
    manager = BackupManager(stack, "Backup", environment="staging")
    manager.add_bucket(s3.Bucket.from_bucket_name(stack, "Imported", "legacy-bucket"))
    Annotations.from_stack(stack).has_warning("*", Match.string_like_regexp("LAT2902"))


# -- presets -----------------------------------------------------------------------------


def test_rule_presets_render_as_documented() -> None:
    stack = new_stack()
    backup.BackupPlan(
        stack,
        "Plan",
        backup_plan_rules=[
            BackupRules.daily(35),
            BackupRules.weekly(),
            BackupRules.monthly(),
            BackupRules.continuous(),
        ],
    )
    rules = rules_of(Template.from_stack(stack))
    assert rules["Daily"]["ScheduleExpression"] == "cron(0 5 * * ? *)"
    assert rules["Weekly"]["ScheduleExpression"] == "cron(0 5 ? * SAT *)"
    assert rules["Monthly"]["ScheduleExpression"] == "cron(0 5 1 * ? *)"
    assert rules["Monthly"]["Lifecycle"]["MoveToColdStorageAfterDays"] == 90
    assert rules["Continuous"]["Lifecycle"] == {"DeleteAfterDays": 35}


@pytest.mark.parametrize("days", [0, 36])
def test_continuous_backup_beyond_35_days_is_refused(days: int) -> None:
    with pytest.raises(StatefulnessError, match=r"1 to 35") as info:
        BackupRules.continuous(days)
    assert info.value.code == "invalid-retention"


def test_named_presets_build_the_environments_manager() -> None:
    stack = new_stack()
    manager = BackupManager.production(stack, dr_vault_arn=DR_ARN)
    assert manager.node.id == "LatticeBackup"
    assert BackupManager.of(stack) is manager
    assert manager.policy.environment == "prod"
    assert manager.dr_vault is not None
    staging_manager = BackupManager.staging(new_stack(), "Backup")
    assert staging_manager.policy.environment == "staging"
    assert staging_manager.enabled


# -- stack termination protection --------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "protected"), [("prod", True), ("staging", False), ("dev", False)]
)
def test_prod_turns_on_stack_termination_protection(environment: str, protected: bool) -> None:
    stack = new_stack()
    LatticeBucket(stack, "Data", name="app-data", environment=environment)
    assembly = cdk.Stage.of(stack).synth()  # type: ignore[union-attr]
    assert assembly.get_stack_by_name(stack.stack_name).termination_protection is protected


def test_termination_protection_is_only_ever_turned_on() -> None:
    stack = new_stack(termination_protection=True)
    LatticeBucket(stack, "Data", name="app-data", environment="dev")
    assert stack.termination_protection is True


def test_plan_names_are_unique_across_stacks() -> None:
    # aws-cdk-lib would name both "Plan" and the second deploy would fail (aws/aws-cdk#38318).
    names = set()
    for stack_name in ("Orders", "Billing"):
        stack = new_stack(stack_name)
        manager = BackupManager(stack, "Backup", environment="staging")
        manager.add_resource("arn:aws:dynamodb:us-east-1:111122223333:table/t", retention_days=20)
        for plan in Template.from_stack(stack).find_resources("AWS::Backup::BackupPlan").values():
            name = plan["Properties"]["BackupPlan"]["BackupPlanName"]
            assert len(name) <= 50
            assert stack_name in name
            names.add(name)
    assert len(names) == 4


def test_selection_names_are_made_valid_for_aws_backup() -> None:
    assert selection_name("my app/data: files") == "my-app-data-files"
    assert selection_name("x" * 80) == "x" * 50
    assert selection_name("///") == "selection"


def test_add_resource_routes_a_bucket_through_add_bucket() -> None:
    stack = new_stack()
    manager = BackupManager(stack, "Backup", environment="staging")
    manager.add_resource(s3.Bucket(stack, "Plain", versioned=True), name="plain")
    template = Template.from_stack(stack)
    (bucket_id,) = template.find_resources("AWS::S3::Bucket")
    assert covering_selection(template, bucket_id) is not None
    assert "AWSBackupServiceRolePolicyForS3Backup" in str(template.find_resources("AWS::IAM::Role"))


def test_a_second_manager_in_a_stack_is_refused_with_the_one_way_to_configure() -> None:
    stack = new_stack()
    LatticeBucket(stack, "Data", name="app-data", environment="staging")
    with pytest.raises(LatticeError, match=r"BackupManager.of\(stack\).configure") as info:
        BackupManager(stack, "Backup", environment="staging", dr_region="us-west-2")
    assert info.value.code == "second-backup-manager"
    assert "Stack/LatticeBackup" in str(info.value)
    assert stack.node.try_find_child("Backup") is None


def test_configure_comes_before_the_first_construct() -> None:
    stack = new_stack(env=cdk.Environment(account="111122223333", region="us-east-1"))
    BackupManager.of(stack, environment="prod").configure(dr_region="us-west-2")
    LatticeBucket(stack, "Data", name="app-data", environment="prod")
    assert rules_of(Template.from_stack(stack))["Daily"]["CopyActions"]
    with pytest.raises(LatticeError, match=r"before creating") as info:
        BackupManager.of(stack).configure(vault_lock_mode="compliance")
    assert info.value.code == "manager-already-built"


def test_the_managers_id_stays_lattice_backup_so_deployed_vaults_keep_theirs() -> None:
    stack = new_stack()
    BackupManager.of(stack, environment="prod").configure(dr_region="us-west-2")
    LatticeBucket(stack, "Data", name="app-data", environment="prod")
    (vault_id,) = Template.from_stack(stack).find_resources("AWS::Backup::BackupVault")
    assert vault_id.startswith("LatticeBackupVault")


def test_a_construct_with_nothing_to_back_up_fails_synth() -> None:
    stack = new_stack()
    manager = BackupManager(stack, "Backup", environment="staging")
    manager.add_resource(iam.Role(stack, "NotData", assumed_by=iam.AccountRootPrincipal()))
    with pytest.raises(RuntimeError, match=r"LAT1201.*Stack/NotData.*selects nothing"):
        cdk.Stage.of(stack).synth()  # type: ignore[union-attr]
