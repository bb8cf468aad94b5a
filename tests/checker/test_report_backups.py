"""``lattice report`` on backups: a resource's verdict counts its backup plan's findings
(LAT2303 says the same thing in check, report and the synth note), and the vaults
section says which vaults are locked and how."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

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
    rule: dict[str, Any] = {
        "RuleName": name,
        "ScheduleExpression": schedule,
        "TargetBackupVault": "Vault",
        "Lifecycle": {"DeleteAfterDays": days},
    }
    if copy:
        rule["CopyActions"] = [
            {"DestinationBackupVaultArn": DR_VAULT, "Lifecycle": {"DeleteAfterDays": days}}
        ]
    return rule


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
        "Resources": {"Orders": _table(), "Plan": plan, "Sel": selection},
    }


def report_rows(tmp_path: Path, template: dict[str, Any]) -> list[dict[str, Any]]:
    path = tmp_path / "app.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    result = run_lattice("report", str(path), "-f", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["resources"]  # type: ignore[no-any-return]


# -- LAT2303: one story -------------------------------------------------------------------


def test_lat2303_fix_names_the_lattice_way_and_the_plain_cdk_way() -> None:
    assert "BackupManager.of(stack).configure(dr_region=" in LAT2303.fix
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
    assert "compliant" not in out.split("prod:")[-1]
