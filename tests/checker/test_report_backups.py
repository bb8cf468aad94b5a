"""``lattice report`` on backups: a resource's verdict counts its backup plan's findings
(LAT2303 says the same thing in check, report and the synth note), and the vaults
section says which vaults are locked and how."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lattice_cdk.cfn._model import Resource
from lattice_cdk.checker._values import UNKNOWN
from lattice_cdk.checker.judge import VaultLock, VaultLockMode, vault_lock, vault_protected
from lattice_cdk.checker.rules.lat2303_cross_region_copy import INFO as LAT2303
from tests.helpers import run_lattice

DR_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:lattice-dr-prod"


def _table() -> dict[str, Any]:
    return {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "DeletionProtectionEnabled": True,
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "Tags": [{"Key": "backup", "Value": "prod"}],
        },
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
    }


def _rule(name: str, schedule: str, days: int, *, copy: bool) -> dict[str, Any]:
    # Always copied to the air-gapped vault (prod's LAT1309); to another region when ``copy``.
    air_gapped = {"Fn::GetAtt": ["AirGapped", "BackupVaultArn"]}
    rule: dict[str, Any] = {
        "RuleName": name,
        "ScheduleExpression": schedule,
        "TargetBackupVault": "Vault",
        "Lifecycle": {"DeleteAfterDays": days},
        "CopyActions": [
            {"DestinationBackupVaultArn": air_gapped, "Lifecycle": {"DeleteAfterDays": days}}
        ],
    }
    if copy:
        rule["CopyActions"].append(
            {"DestinationBackupVaultArn": DR_VAULT, "Lifecycle": {"DeleteAfterDays": days}}
        )
    return rule


#: Prod restore-tests the table (LAT1306) and copies to an air-gapped vault (LAT1309).
_RECOVERY: dict[str, Any] = {
    "AirGapped": {
        "Type": "AWS::Backup::LogicallyAirGappedBackupVault",
        "Properties": {"BackupVaultName": "ag", "MinRetentionDays": 35, "MaxRetentionDays": 2555},
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
    },
    "RestoreTests": {
        "Type": "AWS::Backup::RestoreTestingSelection",
        "Properties": {
            "RestoreTestingPlanName": "monthly",
            "RestoreTestingSelectionName": "orders",
            "ProtectedResourceType": "DynamoDB",
            "IamRoleArn": "arn:aws:iam::123456789012:role/restore",
            "ProtectedResourceArns": ["*"],
            "ProtectedResourceConditions": {
                "StringEquals": [{"Key": "aws:ResourceTag/backup", "Value": "prod"}]
            },
        },
    },
}


def prod_template(*, copy: bool, plan_metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """A prod table in a daily + monthly plan, copied to another region or not."""
    plan: dict[str, Any] = {
        "Type": "AWS::Backup::BackupPlan",
        "Properties": {
            "BackupPlan": {
                "BackupPlanName": "Plan",
                "BackupPlanRule": [
                    _rule("Daily", "cron(0 5 * * ? *)", 35, copy=copy),
                    _rule("Monthly", "cron(0 5 1 * ? *)", 2555, copy=copy),
                ],
            }
        },
    }
    if plan_metadata:
        plan["Metadata"] = plan_metadata
    selection = {
        "Type": "AWS::Backup::BackupSelection",
        "Properties": {
            "BackupPlanId": {"Fn::GetAtt": ["Plan", "BackupPlanId"]},
            "BackupSelection": {
                "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
                "SelectionName": "sel",
                "ListOfTags": [
                    {
                        "ConditionType": "STRINGEQUALS",
                        "ConditionKey": "backup",
                        "ConditionValue": "prod",
                    }
                ],
            },
        },
    }
    return {
        "Metadata": {"lattice:environment": "prod"},
        "Resources": {"Orders": _table(), "Plan": plan, "Sel": selection, **_RECOVERY},
    }


def report_rows(tmp_path: Path, template: dict[str, Any]) -> list[dict[str, Any]]:
    path = tmp_path / "app.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    result = run_lattice("report", str(path), "-f", "json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)["resources"]
    return [r for r in rows if r["logical_id"] != "AirGapped"]  # the copies' vault


# -- LAT2303: one story -------------------------------------------------------------------


def test_lat2303_fix_names_the_lattice_way_and_the_plain_cdk_way() -> None:
    assert "BackupManager.of(stack, environment='<env>').configure(dr_region=" in LAT2303.fix
    assert "CopyActions" in LAT2303.fix
    assert "copy_actions=" in LAT2303.fix


def test_a_resource_whose_plan_copies_nothing_away_is_not_compliant(tmp_path: Path) -> None:
    # GIVEN a prod table backed up by a plan with no cross-region copy
    (row,) = report_rows(tmp_path, prod_template(copy=False))
    # THEN the report shows the plan's LAT2303 on the table, as check does on the plan
    assert row["cross_region"] == "no"
    assert row["findings"] == ["LAT2303"]
    assert row["verdict"] == "review"


def test_check_gives_the_same_fix_the_report_points_to(tmp_path: Path) -> None:
    path = tmp_path / "app.json"
    path.write_text(json.dumps(prod_template(copy=False)), encoding="utf-8")
    findings = json.loads(run_lattice("check", str(path), "-f", "json").stdout)["findings"]
    (finding,) = [f for f in findings if f["rule_id"] == "LAT2303"]
    assert finding["fix"] == LAT2303.fix


def test_a_resource_whose_plan_copies_to_another_region_is_compliant(tmp_path: Path) -> None:
    (row,) = report_rows(tmp_path, prod_template(copy=True))
    assert row["cross_region"] == "yes"
    assert row["findings"] == []
    assert row["verdict"] == "compliant"


def test_an_acknowledged_lat2303_on_the_plan_is_acknowledged_on_the_resource(
    tmp_path: Path,
) -> None:
    ack = {"rule_id": "LAT2303", "reason": "single-region by regulation, see ADR-12"}
    template = prod_template(copy=False, plan_metadata={"lattice:acknowledgements": [ack]})
    (row,) = report_rows(tmp_path, template)
    assert row["verdict"] == "acknowledged"
    assert row["acknowledgements"] == [{"rule_id": "LAT2303", "reason": ack["reason"]}]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_human_formats_show_review_for_the_uncopied_plan(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "app.json"
    path.write_text(json.dumps(prod_template(copy=False)), encoding="utf-8")
    out = run_lattice("report", str(path), "-f", fmt).stdout
    assert "1 review" in out
    (orders,) = [line for line in out.splitlines() if "Orders" in line]
    assert "review" in orders
    assert "compliant" not in orders


# -- vault locks: which vaults are locked, and how ------------------------------------------


def _vault(lock: Any = None, *, path: str | None = None) -> dict[str, Any]:
    vault: dict[str, Any] = {
        "Type": "AWS::Backup::BackupVault",
        "Properties": {"BackupVaultName": "v"},
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
    }
    if lock is not None:
        vault["Properties"]["LockConfiguration"] = lock
    if path is not None:
        vault["Metadata"] = {"aws:cdk:path": path}
    return vault


def _resource(body: dict[str, Any], logical_id: str = "V") -> Resource:
    return Resource(logical_id, body["Type"], body["Properties"])


@pytest.mark.parametrize(
    ("lock", "expected"),
    [
        (None, VaultLock(VaultLockMode.NONE)),
        ({"MinRetentionDays": 30}, VaultLock(VaultLockMode.GOVERNANCE, 30)),
        (
            {"MinRetentionDays": "7", "MaxRetentionDays": 2555, "ChangeableForDays": 3},
            VaultLock(VaultLockMode.COMPLIANCE, 7, 2555, 3),
        ),
        (
            {"MinRetentionDays": 7, "ChangeableForDays": {"Ref": "Grace"}},
            VaultLock(VaultLockMode.UNKNOWN, 7, None, UNKNOWN),
        ),
        ({"Fn::If": ["Locked", {"MinRetentionDays": 7}, {"Ref": "AWS::NoValue"}]}, None),
    ],
)
def test_vault_lock_tells_governance_from_compliance(lock: Any, expected: VaultLock | None) -> None:
    found = vault_lock(_resource(_vault(lock)))
    if expected is None:  # an intrinsic stands for the whole lock
        assert found.mode is VaultLockMode.UNKNOWN
    else:
        assert found == expected
    # vault_protected is the same judgement: any lock (or an unknown one) keeps points
    assert vault_protected(_resource(_vault(lock))) is (lock is not None)


def test_an_air_gapped_vault_is_always_compliance_locked() -> None:
    body = {
        "Type": "AWS::Backup::LogicallyAirGappedBackupVault",
        "Properties": {"BackupVaultName": "ag", "MinRetentionDays": 7, "MaxRetentionDays": 35},
    }
    assert vault_lock(_resource(body)) == VaultLock(VaultLockMode.COMPLIANCE, 7, 35)


def vault_template() -> dict[str, Any]:
    return {
        "Metadata": {"lattice:environment": "prod"},
        "Resources": {
            "Open": _vault(path="App/Open/Resource"),
            "Governed": _vault({"MinRetentionDays": 30}, path="App/Governed/Resource"),
            "Sealed": _vault(
                {"MinRetentionDays": 7, "MaxRetentionDays": 2555, "ChangeableForDays": 3},
                path="App/<b>Sealed</b>|`x`/Resource",
            ),
        },
    }


def test_report_json_lists_each_vault_and_its_lock(tmp_path: Path) -> None:
    path = tmp_path / "vaults.json"
    path.write_text(json.dumps(vault_template()), encoding="utf-8")
    result = run_lattice("report", str(path), "-f", "json")
    assert result.returncode == 0, result.stderr
    vaults = {v["logical_id"]: v for v in json.loads(result.stdout)["vaults"]}
    assert {k: v["lock"] for k, v in vaults.items()} == {
        "Open": "none",
        "Governed": "governance",
        "Sealed": "compliance",
    }
    assert vaults["Sealed"] == {
        "stack": "vaults",
        "environment": "prod",
        "logical_id": "Sealed",
        "construct_path": "App/<b>Sealed</b>|`x`/Resource",
        "type": "AWS::Backup::BackupVault",
        "lock": "compliance",
        "min_retention_days": 7,
        "max_retention_days": 2555,
        "changeable_for_days": 3,
        "policy_denies_delete": "no",
    }
    assert vaults["Governed"]["changeable_for_days"] is None


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_human_format_shows_the_vault_locks_escaped(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "vaults.json"
    path.write_text(json.dumps(vault_template()), encoding="utf-8")
    out = run_lattice("report", str(path), "-f", fmt).stdout
    assert "Backup vaults" in out
    for mode in ("governance", "compliance", "none"):
        assert mode in out
    assert "2555" in out
    if fmt != "text":  # the path is data: no markup of its own reaches the reader
        assert "<b>Sealed</b>" not in out
