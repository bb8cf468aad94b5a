"""StatefulnessGuard on plain aws-cdk-lib apps: real synth, assertions on the templates."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from lattice_cdk import StatefulnessError, UnknownEnvironmentError
from lattice_cdk._findings import ACKNOWLEDGEMENTS_METADATA_KEY
from lattice_cdk.cdk import BackupManager
from lattice_cdk.cdk._guard import MARKER_ID, StatefulnessGuard

from ..helpers import run_lattice
from .guard_app import PARTITION_KEY, by_type, plain_app, resource_at, tags_of

ENVIRONMENTS = ("prod", "staging", "dev")
STATEFUL_L2 = {
    "AWS::S3::Bucket": ("Data/Assets/Resource", "Data/Uploads/Resource", "Data/RawBucket"),
    "AWS::DynamoDB::Table": ("Data/Orders/Resource",),
    "AWS::RDS::DBInstance": ("Data/Db/Resource",),
    "AWS::RDS::DBCluster": ("Data/Aurora/Resource",),
    "AWS::EFS::FileSystem": ("Data/Files/Resource",),
    "AWS::KMS::Key": ("Data/Key/Resource",),
}


@pytest.fixture(scope="module")
def synthesized() -> dict[str, dict[str, Any]]:
    """The plain app synthesized under the guard (with backup enrolment) in each
    environment, plus once without any guard: stack name -> template, and the manifest's
    termination protection."""
    out: dict[str, dict[str, Any]] = {}
    for environment in (*ENVIRONMENTS, None):
        app, _, _ = plain_app()
        if environment is not None:
            StatefulnessGuard.apply(app, environment=environment, enrol_backups=True)
        assembly = app.synth()
        out[environment or "unguarded"] = {
            "templates": {s.stack_name: s.template for s in assembly.stacks},
            "termination": {s.stack_name: s.termination_protection for s in assembly.stacks},
        }
    return out


def template(synthesized: dict[str, dict[str, Any]], env: str, stack: str = "Data") -> Any:
    return synthesized[env]["templates"][stack]


# -- removal policies ------------------------------------------------------------------


@pytest.mark.parametrize("env", ["prod", "staging"])
def test_protected_environments_retain_or_snapshot_every_stateful_resource(
    synthesized: dict[str, dict[str, Any]], env: str
) -> None:
    t = template(synthesized, env)
    for cfn_type, paths in STATEFUL_L2.items():
        wanted = "Snapshot" if cfn_type.startswith("AWS::RDS::") else "Retain"
        for path in paths:
            _, resource = resource_at(t, path)
            assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == (
                wanted,
                wanted,
            ), path


@pytest.mark.parametrize("env", ["prod", "staging"])
def test_cdk_destroy_defaults_are_raised_to_retain_in_protected_environments(
    synthesized: dict[str, dict[str, Any]], env: str
) -> None:
    # sqs.Queue and the secret an RDS instance generates default to DESTROY in CDK.
    t = template(synthesized, env)
    for cfn_type in ("AWS::SQS::Queue", "AWS::SecretsManager::Secret"):
        for resource in by_type(t, cfn_type).values():
            assert resource["DeletionPolicy"] == "Retain", cfn_type
    unguarded = template(synthesized, "unguarded")
    assert {r["DeletionPolicy"] for r in by_type(unguarded, "AWS::SQS::Queue").values()} == {
        "Delete"
    }


def test_dev_destroys_what_nobody_set_and_keeps_what_cdk_set(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    t = template(synthesized, "dev")
    _, raw = resource_at(t, "Data/RawBucket")
    assert (raw["DeletionPolicy"], raw["UpdateReplacePolicy"]) == ("Delete", "Delete")
    # An L2's RETAIN default counts as set (aws-cdk-lib's MissingRemovalPolicies rule):
    # the guard never weakens a policy it finds.
    _, assets = resource_at(t, "Data/Assets/Resource")
    assert assets["DeletionPolicy"] == "Retain"
    _, db = resource_at(t, "Data/Db/Resource")
    assert db["DeletionPolicy"] == "Snapshot"


def test_aurora_member_instances_keep_cdks_policy(synthesized: dict[str, dict[str, Any]]) -> None:
    for env in ENVIRONMENTS:
        _, writer = resource_at(template(synthesized, env), "Data/Aurora/Writer/Resource")
        # A retained member would block deleting the snapshotted cluster.
        assert writer["DeletionPolicy"] == "Delete", env
        assert "DeletionProtection" not in writer["Properties"], env
        assert "lattice:backup" not in tags_of(writer), env


def test_an_unguarded_app_lacks_all_of_it(synthesized: dict[str, dict[str, Any]]) -> None:
    # The judge of the other tests: what they assert is the guard's doing.
    t = template(synthesized, "unguarded")
    _, raw = resource_at(t, "Data/RawBucket")
    assert "DeletionPolicy" not in raw
    _, table = resource_at(t, "Data/Orders/Resource")
    assert "DeletionProtectionEnabled" not in table["Properties"]
    assert "PointInTimeRecoverySpecification" not in table["Properties"]
    assert by_type(t, "AWS::Backup::BackupSelection") == {}


# -- protections -----------------------------------------------------------------------


def test_prod_fills_deletion_protection_pitr_and_versioning(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    t = template(synthesized, "prod")
    _, table = resource_at(t, "Data/Orders/Resource")
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    assert table["Properties"]["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": True
    }
    for path in ("Data/Db/Resource", "Data/Aurora/Resource"):
        assert resource_at(t, path)[1]["Properties"]["DeletionProtection"] is True, path
    for path in STATEFUL_L2["AWS::S3::Bucket"]:
        props = resource_at(t, path)[1]["Properties"]
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}, path


def test_staging_fills_pitr_and_versioning_but_not_deletion_protection(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    t = template(synthesized, "staging")
    _, table = resource_at(t, "Data/Orders/Resource")
    assert "DeletionProtectionEnabled" not in table["Properties"]
    assert table["Properties"]["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": True
    }
    assert "DeletionProtection" not in resource_at(t, "Data/Db/Resource")[1]["Properties"]
    props = resource_at(t, "Data/Assets/Resource")[1]["Properties"]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}


def test_dev_adds_no_protection(synthesized: dict[str, dict[str, Any]]) -> None:
    guarded, unguarded = template(synthesized, "dev"), template(synthesized, "unguarded")
    for logical_id, resource in guarded["Resources"].items():
        # Same properties as without the guard, resource by resource.
        if logical_id in unguarded["Resources"]:
            before = unguarded["Resources"][logical_id].get("Properties")
            assert resource.get("Properties") == before, logical_id


def test_termination_protection_only_on_prod_stacks(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    assert synthesized["prod"]["termination"] == {"Data": True, "Other": True}
    assert synthesized["staging"]["termination"] == {"Data": False, "Other": False}
    assert synthesized["dev"]["termination"] == {"Data": False, "Other": False}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_stack_names_its_environment_in_metadata(
    synthesized: dict[str, dict[str, Any]], env: str
) -> None:
    for stack in ("Data", "Other"):
        assert template(synthesized, env, stack)["Metadata"]["lattice:environment"] == env


# -- backups ---------------------------------------------------------------------------


@pytest.mark.parametrize("env", ["prod", "staging"])
def test_backup_enrolment_tags_and_one_selection_per_account_region(
    synthesized: dict[str, dict[str, Any]], env: str
) -> None:
    t = template(synthesized, env)
    for cfn_type in ("AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::EFS::FileSystem"):
        for path in STATEFUL_L2[cfn_type]:
            assert tags_of(resource_at(t, path)[1]).get("lattice:backup") == env, path
    for path in ("Data/Db/Resource", "Data/Aurora/Resource"):
        assert tags_of(resource_at(t, path)[1]).get("lattice:backup") == env, path
    # AWS Backup cannot back up a KMS key: not tagged.
    assert "lattice:backup" not in tags_of(resource_at(t, "Data/Key/Resource")[1])
    other = template(synthesized, env, "Other")
    assert tags_of(resource_at(other, "Other/Logs/Resource")[1]).get("lattice:backup") == env
    selections = [
        s["Properties"]["BackupSelection"]
        for stack in ("Data", "Other")
        for s in by_type(template(synthesized, env, stack), "AWS::Backup::BackupSelection").values()
    ]
    by_tag = [s for s in selections if "ListOfTags" in s]
    # A tag selection covers the whole account/region: one, in the first stack.
    assert [s["ListOfTags"] for s in by_tag] == [
        [
            {
                "ConditionKey": "lattice:backup",
                "ConditionType": "STRINGEQUALS",
                "ConditionValue": env,
            }
        ]
    ]
    assert by_type(other, "AWS::Backup::BackupSelection") == {}


def test_dev_enrols_nothing(synthesized: dict[str, dict[str, Any]]) -> None:
    t = template(synthesized, "dev")
    assert by_type(t, "AWS::Backup::BackupPlan") == {}
    assert all("lattice:backup" not in tags_of(r) for r in t["Resources"].values())


# -- logical ids and idempotence -------------------------------------------------------


def test_logical_ids_never_change(synthesized: dict[str, dict[str, Any]]) -> None:
    before = set(template(synthesized, "unguarded")["Resources"])
    assert set(template(synthesized, "dev")["Resources"]) == before
    for env in ("prod", "staging"):
        added = set(template(synthesized, env)["Resources"]) - before
        assert before <= set(template(synthesized, env)["Resources"]), env
        # What the guard adds is the BackupManager's, under its own construct id.
        assert all(logical_id.startswith("LatticeBackup") for logical_id in added), added


def test_apply_before_the_stacks_exist_guards_them_too() -> None:
    app = cdk.App()
    StatefulnessGuard.apply(app, environment="prod")  # the one line, at the top
    stack = cdk.Stack(app, "Later")
    dynamodb.Table(stack, "Orders", partition_key=PARTITION_KEY)
    s3.CfnBucket(stack, "Raw")
    t = app.synth().get_stack_by_name("Later").template
    table = next(iter(by_type(t, "AWS::DynamoDB::Table").values()))
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    assert t["Resources"]["Raw"]["DeletionPolicy"] == "Retain"


def test_fail_synth_off_leaves_judging_to_the_plugin() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Prod")
    s3.Bucket(stack, "Danger", removal_policy=cdk.RemovalPolicy.DESTROY)
    StatefulnessGuard.apply(app, environment="prod", fail_synth=False)
    bucket = next(iter(by_type(app.synth().get_stack_by_name("Prod").template, "AWS::S3::Bucket")))
    assert bucket.startswith("Danger")


def test_applying_twice_is_a_no_op() -> None:
    app, _, _ = plain_app()
    first = StatefulnessGuard.apply(app, environment="prod", enrol_backups=True)
    assert StatefulnessGuard.apply(app, environment="production") is first
    assert len([c for c in app.node.children if c.node.id == MARKER_ID]) == 1
    once = app.synth().get_stack_by_name("Data").template
    again = app.synth(force=True).get_stack_by_name("Data").template
    assert again == once


def test_a_guard_in_another_environment_is_refused() -> None:
    app, data, _ = plain_app()
    StatefulnessGuard.apply(app, environment="prod")
    with pytest.raises(StatefulnessError, match="environment-mismatch") as caught:
        StatefulnessGuard.apply(data, environment="dev")
    assert caught.value.field == "environment"


def test_environment_comes_from_context_and_is_never_guessed() -> None:
    app = cdk.App()
    with pytest.raises(UnknownEnvironmentError, match="missing-environment"):
        StatefulnessGuard.apply(app)
    app = cdk.App(context={"lattice:environment": "prd"})
    assert StatefulnessGuard.apply(app).policy.environment == "prod"


# -- synth-time failures and acknowledgements ---------------------------------------------


def danger_app(env: str = "prod") -> tuple[cdk.App, cdk.Stack, s3.Bucket]:
    app = cdk.App()
    stack = cdk.Stack(app, "Prod")
    bucket = s3.Bucket(
        stack, "Danger", removal_policy=cdk.RemovalPolicy.DESTROY, auto_delete_objects=True
    )
    StatefulnessGuard.apply(app, environment=env)
    return app, stack, bucket


def test_explicit_destroy_and_auto_delete_fail_the_prod_synth() -> None:
    app, _, _ = danger_app()
    with pytest.raises(RuntimeError, match=r"\[LAT1001\] Prod/Danger/Resource") as raised:
        app.synth()
    # The exception itself names each construct path, rule and fix (CDK puts its report
    # in the exception in-memory, as under pytest), not only a report file.
    message = str(raised.value)
    for rule_id in ("LAT1001", "LAT1002", "LAT1403"):
        assert f"[{rule_id}] Prod/Danger/Resource" in message
    assert message.count("Suggested fix: ") == 3
    report = json.loads((Path(app.outdir) / "validation-report.json").read_text())
    found = {
        (rule["ruleName"], resource["constructPath"])
        for plugin in report["pluginReports"]
        for rule in plugin["violations"]
        for resource in rule["violatingConstructs"]
    }
    assert found == {
        ("LAT1001", "Prod/Danger/Resource"),
        ("LAT1002", "Prod/Danger/Resource"),
        ("LAT1403", "Prod/Danger/Resource"),
    }
    fixes = {
        rule["ruleName"]: rule["suggestedFix"]
        for plugin in report["pluginReports"]
        for rule in plugin["violations"]
    }
    # The checker's own fixes: the guard has no second copy of the rules.
    assert "removal_policy=RemovalPolicy.RETAIN" in fixes["LAT1001"]
    assert "auto_delete_objects" in fixes["LAT1403"]


def test_staging_refuses_destroy_too_and_dev_allows_it() -> None:
    app, _, _ = danger_app("staging")
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    app, _, _ = danger_app("dev")
    bucket = app.synth().get_stack_by_name("Prod").template["Resources"]["Danger4D3A196B"]
    assert bucket["DeletionPolicy"] == "Delete"


def test_acknowledged_destroy_synthesizes_and_leaves_the_reason_in_the_template() -> None:
    app, _, bucket = danger_app()
    for rule_id in ("LAT1001", "LAT1002", "LAT1403"):
        StatefulnessGuard.acknowledge(bucket, rule_id, "scratch data, rebuilt every night")
    resource = app.synth().get_stack_by_name("Prod").template["Resources"]["Danger4D3A196B"]
    assert resource["DeletionPolicy"] == "Delete"  # the explicit choice is respected
    assert [a["rule_id"] for a in resource["Metadata"][ACKNOWLEDGEMENTS_METADATA_KEY]] == [
        "LAT1001",
        "LAT1002",
        "LAT1403",
    ]


def test_lattice_check_shows_the_guards_acknowledgement(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    bucket = s3.Bucket(cdk.Stack(app, "Prod"), "Scratch", removal_policy=cdk.RemovalPolicy.DESTROY)
    for rule_id in ("LAT1001", "LAT1002"):
        StatefulnessGuard.acknowledge(bucket, rule_id, "rebuilt from the raw zone nightly")
    StatefulnessGuard.apply(app, environment="prod", enrol_backups=True)
    app.synth()
    checked = run_lattice("check", str(tmp_path / "cdk.out"), "--format", "json")
    findings = json.loads(checked.stdout)["findings"]
    by_rule = {f["rule_id"]: f for f in findings if f["logical_id"].startswith("Scratch")}
    assert by_rule["LAT1001"]["acknowledged"] == "rebuilt from the raw zone nightly"
    assert by_rule["LAT1002"]["acknowledged"] == "rebuilt from the raw zone nightly"


def test_cdk_acknowledgements_count_too() -> None:
    app, _, bucket = danger_app()
    cdk.Validations.of(bucket).acknowledge(
        cdk.Acknowledgment(id="lattice::LAT1001", reason="scratch data"),
        cdk.Acknowledgment(id="lattice::LAT1002", reason="scratch data"),
        cdk.Acknowledgment(id="lattice::LAT1403", reason="scratch data"),
    )
    app.synth()


def test_an_expired_acknowledgement_no_longer_counts() -> None:
    app, _, bucket = danger_app()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    for rule_id in ("LAT1002", "LAT1403"):
        StatefulnessGuard.acknowledge(bucket, rule_id, "scratch data, rebuilt every night")
    StatefulnessGuard.acknowledge(bucket, "LAT1001", "scratch data for now", expires=yesterday)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = (Path(app.outdir) / "validation-report.json").read_text()
    assert "LAT1001" in report
    assert "LAT1403" not in report


def test_deletion_protection_turned_off_fails_in_prod_only() -> None:
    for env, fails in (("prod", True), ("staging", False)):
        app = cdk.App()
        stack = cdk.Stack(app, "Tables")
        dynamodb.Table(stack, "Orders", partition_key=PARTITION_KEY, deletion_protection=False)
        StatefulnessGuard.apply(app, environment=env)
        if fails:
            with pytest.raises(RuntimeError, match="ValidationFailed"):
                app.synth()
            report = (Path(app.outdir) / "validation-report.json").read_text()
            assert "LAT1101" in report
            assert "Tables/Orders/Resource" in report
        else:
            table = by_type(
                app.synth().get_stack_by_name("Tables").template, "AWS::DynamoDB::Table"
            )
            assert next(iter(table.values()))["Properties"]["DeletionProtectionEnabled"] is False


def table_v2_app(env: str) -> cdk.App:
    app = cdk.App()
    region = cdk.Environment(account="111122223333", region="us-east-1")
    stack = cdk.Stack(app, "Global", env=region)
    dynamodb.TableV2(
        stack,
        "Orders",
        partition_key=PARTITION_KEY,
        replicas=[dynamodb.ReplicaTableProps(region="eu-west-1", deletion_protection=False)],
    )
    StatefulnessGuard.apply(app, environment=env)
    return app


def test_table_v2_replicas_are_filled_one_by_one() -> None:
    # Replicas are rendered lazily by TableV2: the guard resolves the list, fills each
    # replica that sets nothing, and keeps the explicit False on eu-west-1.
    t = table_v2_app("staging").synth().get_stack_by_name("Global").template
    table = next(iter(by_type(t, "AWS::DynamoDB::GlobalTable").values()))
    replicas = {r["Region"]: r for r in table["Properties"]["Replicas"]}
    assert replicas["eu-west-1"]["DeletionProtectionEnabled"] is False
    for replica in replicas.values():
        assert replica["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    app = table_v2_app("prod")
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((Path(app.outdir) / "validation-report.json").read_text("utf-8"))
    (violation,) = [v for p in report["pluginReports"] for v in p["violations"]]
    assert violation["ruleName"] == "LAT1101"
    assert "Replicas.*.DeletionProtectionEnabled" in violation["description"]


def test_an_enrolled_table_v2_is_covered_by_its_regions_replica_tags(tmp_path: Path) -> None:
    # A global table carries tags per replica (Replicas.*.Tags): the checker must read
    # the tags of the replica in the stack's region, where the guard's tag selects it.
    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    stack = cdk.Stack(
        app, "Global", env=cdk.Environment(account="111122223333", region="us-east-1")
    )
    dynamodb.TableV2(
        stack,
        "Orders",
        partition_key=PARTITION_KEY,
        replicas=[dynamodb.ReplicaTableProps(region="eu-west-1")],
    )
    BackupManager(stack, "Backup", environment="prod", dr_region="us-west-2")
    StatefulnessGuard.apply(app, environment="prod", enrol_backups=True)
    app.synth()
    checked = run_lattice("check", str(tmp_path / "cdk.out"), "--format", "json")
    findings = json.loads(checked.stdout)["findings"]
    on_table = [f for f in findings if f["resource_type"] == "AWS::DynamoDB::GlobalTable"]
    assert on_table == [], on_table


def test_explicit_choices_are_kept() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Kept")
    dynamodb.Table(
        stack,
        "Orders",
        partition_key=PARTITION_KEY,
        removal_policy=cdk.RemovalPolicy.RETAIN,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=False
        ),
    )
    s3.Bucket(stack, "Keep", removal_policy=cdk.RemovalPolicy.RETAIN)
    StatefulnessGuard.apply(app, environment="dev")
    t = app.synth().get_stack_by_name("Kept").template
    table = next(iter(by_type(t, "AWS::DynamoDB::Table").values()))
    assert table["DeletionPolicy"] == "Retain"  # RETAIN in dev stays RETAIN
    assert table["Properties"]["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": False
    }


def test_explicit_choices_in_a_protected_environment_are_kept_and_the_rest_filled() -> None:
    # Staging requires PITR and versioning (and no deletion protection, so nothing here
    # fails the synth). An explicit False, a token and the user's own property override
    # all count as set; only what nobody set is filled in.
    app = cdk.App()
    stack = cdk.Stack(app, "Kept")
    dynamodb.Table(
        stack,
        "Off",
        partition_key=PARTITION_KEY,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=False
        ),
    )
    token = dynamodb.CfnTable(
        stack,
        "Token",
        key_schema=[dynamodb.CfnTable.KeySchemaProperty(attribute_name="pk", key_type="HASH")],
        attribute_definitions=[
            dynamodb.CfnTable.AttributeDefinitionProperty(attribute_name="pk", attribute_type="S")
        ],
        billing_mode="PAY_PER_REQUEST",
        point_in_time_recovery_specification=dynamodb.CfnTable.PointInTimeRecoverySpecificationProperty(
            point_in_time_recovery_enabled=cdk.Token.as_any(
                cdk.CfnParameter(stack, "Pitr", type="String", default="true").value_as_string
            )
        ),
    )
    overridden = s3.Bucket(stack, "Overridden")
    assert isinstance(overridden.node.default_child, s3.CfnBucket)
    overridden.node.default_child.add_property_override(
        "VersioningConfiguration.Status", "Suspended"
    )
    dynamodb.Table(stack, "Unset", partition_key=PARTITION_KEY)
    s3.Bucket(stack, "Plain")
    StatefulnessGuard.apply(app, environment="staging")
    t = app.synth().get_stack_by_name("Kept").template
    by_path = {
        name: next(r for lid, r in t["Resources"].items() if lid.startswith(name))["Properties"]
        for name in ("Off", "Token", "Overridden", "Unset", "Plain")
    }
    pitr = "PointInTimeRecoverySpecification"
    assert by_path["Off"][pitr] == {"PointInTimeRecoveryEnabled": False}
    assert by_path["Token"][pitr] == {"PointInTimeRecoveryEnabled": {"Ref": "Pitr"}}
    assert by_path["Overridden"]["VersioningConfiguration"] == {"Status": "Suspended"}
    assert by_path["Unset"][pitr] == {"PointInTimeRecoveryEnabled": True}
    assert by_path["Plain"]["VersioningConfiguration"] == {"Status": "Enabled"}
    assert token.node.path == "Kept/Token"


def test_an_expired_termination_protection_acknowledgement_no_longer_counts() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Sandbox")
    sns.Topic(stack, "Scratch")  # the checker refuses a template with no resources
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    StatefulnessGuard.acknowledge(
        stack, "LAT2501", "torn down by the nightly job", expires=yesterday
    )
    StatefulnessGuard.apply(app, environment="prod")
    assert app.synth().get_stack_by_name("Sandbox").termination_protection is True


def test_prod_stack_termination_protection_can_be_acknowledged() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Sandbox")
    sns.Topic(stack, "Scratch")  # the checker refuses a template with no resources
    StatefulnessGuard.acknowledge(stack, "LAT2501", "torn down by the nightly job")
    StatefulnessGuard.apply(app, environment="prod")
    artifact = app.synth().get_stack_by_name("Sandbox")
    assert artifact.termination_protection is False
    assert artifact.template["Metadata"][ACKNOWLEDGEMENTS_METADATA_KEY][0]["rule_id"] == "LAT2501"


@pytest.mark.parametrize(
    ("rule_id", "reason", "expires", "field"),
    [
        ("LAT101", "a long enough reason", None, "rule_id"),
        ("LAT1001", "short", None, "reason"),
        ("LAT1001", "a long enough reason", "next tuesday", "expires"),
    ],
)
def test_acknowledge_refuses_bad_input(
    rule_id: str, reason: str, expires: str | None, field: str
) -> None:
    stack = cdk.Stack(cdk.App(), "S")
    bucket = s3.Bucket(stack, "B")
    with pytest.raises(StatefulnessError) as caught:
        StatefulnessGuard.acknowledge(bucket, rule_id, reason, expires=expires)
    assert caught.value.field == field


def test_acknowledge_needs_a_resource() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    with pytest.raises(StatefulnessError, match="no CloudFormation resource"):
        StatefulnessGuard.acknowledge(Construct(stack, "Plain"), "LAT1001", "a long enough reason")


# -- stages and nested stacks ------------------------------------------------------------


def test_stages_and_nested_stacks_are_guarded() -> None:
    app = cdk.App()
    stage = cdk.Stage(app, "Eu")
    stack = cdk.Stack(stage, "Service")
    s3.CfnBucket(stack, "Raw")
    nested = cdk.NestedStack(stack, "Inner")
    dynamodb.Table(nested, "Orders", partition_key=PARTITION_KEY)
    StatefulnessGuard.apply(app, environment="prod")
    app.synth()
    service = stage.synth().get_stack_by_name("Eu-Service")
    raw = service.template["Resources"]["Raw"]
    assert raw["DeletionPolicy"] == "Retain"
    assert raw["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    assert service.termination_protection is True
    nested_file = nested.template_file
    inner = json.loads(Path(service.assembly.directory, nested_file).read_text(encoding="utf-8"))
    table = next(iter(by_type(inner, "AWS::DynamoDB::Table").values()))
    assert table["DeletionPolicy"] == "Retain"
    assert table["Properties"]["DeletionProtectionEnabled"] is True


def test_destroy_inside_a_stage_fails_and_generic_resources_are_covered_by_type() -> None:
    app = cdk.App()
    stack = cdk.Stack(cdk.Stage(app, "Beta"), "Service")
    s3.Bucket(stack, "Danger", removal_policy=cdk.RemovalPolicy.DESTROY)
    generic = cdk.CfnResource(stack, "Generic", type="AWS::DynamoDB::Table")
    StatefulnessGuard.apply(app, environment="staging")
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = (Path(app.outdir) / "validation-report.json").read_text(encoding="utf-8")
    assert "Beta/Service/Danger/Resource" in report
    # Decided by type alone (no Python class to read), in aws-cdk-lib's own aspect.
    assert generic.cfn_options.deletion_policy == cdk.CfnDeletionPolicy.RETAIN


def test_a_stage_created_after_apply_fails_the_synth() -> None:
    app = cdk.App()
    StatefulnessGuard.apply(app, environment="prod")
    s3.Bucket(cdk.Stack(cdk.Stage(app, "Late"), "Service"), "Data")
    with pytest.raises(RuntimeError, match=r"Stage\(s\) Late were created after"):
        app.synth()


# -- independent judges -----------------------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_cfn_lint_finds_no_error(synthesized: dict[str, dict[str, Any]], env: str) -> None:
    from cfnlint.api import ManualArgs, lint

    for stack in ("Data", "Other"):
        matches = lint(
            json.dumps(template(synthesized, env, stack)),
            config=ManualArgs(regions=["us-east-1"]),
        )
        assert [(m.rule.id, m.message) for m in matches if m.rule.id.startswith("E")] == []


@pytest.fixture
def cdk_validation_on() -> Iterator[None]:
    before = os.environ.get("CDK_VALIDATION")
    os.environ["CDK_VALIDATION"] = "true"
    yield
    if before is None:
        del os.environ["CDK_VALIDATION"]
    else:
        os.environ["CDK_VALIDATION"] = before


@pytest.mark.usefixtures("cdk_validation_on")
def test_aws_cdk_lib_validator_accepts_the_guarded_app() -> None:
    # aws-cdk-lib's own CloudFormation validator, with its errors failing the synth.
    app = cdk.App(context={"@aws-cdk/core:validateAgainstDefaultRules": True})
    stack = cdk.Stack(app, "Judged")
    dynamodb.Table(stack, "Orders", partition_key=PARTITION_KEY)
    s3.Bucket(stack, "Assets")
    StatefulnessGuard.apply(app, environment="prod")
    report_file = Path(app.synth().directory) / "validation-report.json"
    report = json.loads(report_file.read_text(encoding="utf-8"))
    errors = [
        v for p in report["pluginReports"] for v in p["violations"] if v.get("severity") == "error"
    ]
    assert errors == []


# -- the template check alone (pure Python) ----------------------------------------------


def test_rds_instances_and_clusters_in_the_plain_app_are_real_l2s() -> None:
    # Guards the fixture itself: the app uses aws-cdk-lib's L2s, not Lattice constructs.
    app, data, _ = plain_app()
    kinds = {type(c) for c in data.node.children}
    assert rds.DatabaseInstance in kinds
    assert rds.DatabaseCluster in kinds
    assert not any(k.__module__.startswith("lattice_cdk") for k in kinds)
    assert app.node.try_find_child(MARKER_ID) is None
