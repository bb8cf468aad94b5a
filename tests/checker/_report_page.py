"""A folder of templates a protection report has something to say about: six stacks
in three environments, resources at risk, compliant dev data that is deleted with its
stack, an acknowledgement and construct paths longer than a table cell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LONG = "TransactionsArchiveBucketWithAConstructNameLongerThanAnyTableCellShouldHold"


def _bucket(path: str, *, deletion: str = "Retain", versioned: bool = True) -> dict[str, Any]:
    properties = {"VersioningConfiguration": {"Status": "Enabled"}} if versioned else {}
    return {
        "Type": "AWS::S3::Bucket",
        "Properties": properties,
        "DeletionPolicy": deletion,
        "UpdateReplacePolicy": deletion,
        "Metadata": {"aws:cdk:path": path},
    }


def _table(path: str, *, deletion: str = "Retain", pitr: bool = True) -> dict[str, Any]:
    return {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "DeletionProtectionEnabled": deletion == "Retain",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": pitr},
        },
        "DeletionPolicy": deletion,
        "UpdateReplacePolicy": deletion,
        "Metadata": {"aws:cdk:path": path},
    }


_DR_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:dr"


def _air_gapped_copy(days: int) -> dict[str, Any]:
    return {
        "DestinationBackupVaultArn": {"Fn::GetAtt": ["AirGapped", "BackupVaultArn"]},
        "Lifecycle": {"DeleteAfterDays": days},
    }


_PROTECTED_TYPES = {"AWS::S3::Bucket": "S3", "AWS::DynamoDB::Table": "DynamoDB"}


def _recovery(name: str, resources: dict[str, Any]) -> dict[str, Any]:
    """Prod's air-gapped vault, and a restore testing selection per type the stack holds."""
    added: dict[str, Any] = {
        "AirGapped": {
            "Type": "AWS::Backup::LogicallyAirGappedBackupVault",
            "Properties": {
                "BackupVaultName": f"{name}-ag",
                "MinRetentionDays": 35,
                "MaxRetentionDays": 2555,
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        }
    }
    for kind in sorted({_PROTECTED_TYPES[r["Type"]] for r in resources.values()}):
        added[f"RestoreTests{kind}"] = {
            "Type": "AWS::Backup::RestoreTestingSelection",
            "Properties": {
                "RestoreTestingPlanName": "monthly",
                "RestoreTestingSelectionName": kind,
                "ProtectedResourceType": kind,
                "IamRoleArn": "arn:aws:iam::123456789012:role/restore",
                "ProtectedResourceArns": ["*"],
                "ProtectedResourceConditions": {
                    "StringEquals": [{"Key": "aws:ResourceTag/backup", "Value": name}]
                },
            },
        }
    return added


def _stack(name: str, environment: str, resources: dict[str, Any]) -> dict[str, Any]:
    """The stack, with a daily backup plan that selects resources tagged ``backup``."""
    for resource in resources.values():
        if environment != "dev":
            tags = resource["Properties"].setdefault("Tags", [])
            tags.append({"Key": "backup", "Value": name})
    plan = {
        "BackupPlanName": f"{name}-daily",
        "BackupPlanRule": [
            {
                "RuleName": "Daily",
                "ScheduleExpression": "cron(0 5 * * ? *)",
                "TargetBackupVault": "Vault",
                "Lifecycle": {"DeleteAfterDays": 35},
            }
        ],
    }
    if environment == "prod":
        # Prod's plan has the long-term tiers and a cross-region copy, so its resources'
        # verdicts are their own (LAT2302/LAT2303 on the plan would make them "review").
        # It also restore-tests its types and copies daily and monthly to an air-gapped
        # vault (LAT1306, LAT1309 would make them "at risk").
        copy = {"DestinationBackupVaultArn": _DR_VAULT, "Lifecycle": {"DeleteAfterDays": 35}}
        plan["BackupPlanRule"][0]["CopyActions"] = [copy, _air_gapped_copy(35)]
        plan["BackupPlanRule"] += [
            {
                "RuleName": "Weekly",
                "ScheduleExpression": "cron(0 5 ? * SAT *)",
                "TargetBackupVault": "Vault",
                "Lifecycle": {"DeleteAfterDays": 365},
            },
            {
                "RuleName": "Monthly",
                "ScheduleExpression": "cron(0 5 1 * ? *)",
                "TargetBackupVault": "Vault",
                "Lifecycle": {"DeleteAfterDays": 2555, "MoveToColdStorageAfterDays": 90},
                "CopyActions": [_air_gapped_copy(2555)],
            },
        ]
        resources = {**resources, **_recovery(name, resources)}
    selection = {
        "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
        "SelectionName": "tagged",
        "ListOfTags": [
            {"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": name}
        ],
    }
    return {
        "Metadata": {"lattice:environment": environment},
        "Resources": {
            **resources,
            "Plan": {"Type": "AWS::Backup::BackupPlan", "Properties": {"BackupPlan": plan}},
            "Selection": {
                "Type": "AWS::Backup::BackupSelection",
                "Properties": {
                    "BackupPlanId": {"Fn::GetAtt": ["Plan", "BackupPlanId"]},
                    "BackupSelection": selection,
                },
            },
        },
    }


def write_report_inputs(folder: Path) -> Path:
    """Write the templates into ``folder`` and return it."""
    acknowledged = _bucket("Payments-Prod/Exports/Resource", deletion="Delete")
    acknowledged["UpdateReplacePolicy"] = "Retain"
    acknowledged["Metadata"]["lattice:acknowledgements"] = [
        {"rule_id": "LAT1001", "reason": "exports are rebuilt nightly from the ledger"}
    ]
    stacks = {
        "Payments-Prod": _stack(
            "Payments-Prod",
            "prod",
            {
                "Archive": _bucket(f"Payments-Prod/Ledger/{LONG}/Resource", deletion="Delete"),
                "Ledger": _table("Payments-Prod/LedgerService/Ledger/Resource", pitr=False),
                "Orders": _table("Payments-Prod/Orders/Resource"),
                "Exports": acknowledged,
            },
        ),
        "Identity-Prod": _stack(
            "Identity-Prod",
            "prod",
            {
                "Users": _table("Identity-Prod/Users/Resource"),
                "Sessions": _table("Identity-Prod/Sessions/Resource", deletion="Delete"),
            },
        ),
        "Payments-Staging": _stack(
            "Payments-Staging",
            "staging",
            {
                "Ledger": _table("Payments-Staging/LedgerService/Ledger/Resource"),
                "Archive": _bucket("Payments-Staging/Archive/Resource"),
            },
        ),
        "Search-Staging": _stack(
            "Search-Staging",
            "staging",
            {"Index": _bucket("Search-Staging/Index/Resource", versioned=False)},
        ),
        "Sandbox-Dev": _stack(
            "Sandbox-Dev",
            "dev",
            {
                "Scratch": _bucket(
                    "Sandbox-Dev/Scratch/Resource", deletion="Delete", versioned=False
                ),
                "Table": _table("Sandbox-Dev/Table/Resource", deletion="Delete", pitr=False),
            },
        ),
        "Ml-Experiments-Dev": _stack(
            "Ml-Experiments-Dev",
            "dev",
            {"Models": _bucket("Ml-Experiments-Dev/Models/Resource", deletion="Delete")},
        ),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, template in stacks.items():
        (folder / f"{name}.json").write_text(json.dumps(template, indent=2), encoding="utf-8")
    return folder
