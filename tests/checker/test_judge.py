"""The judgement core, fact by fact, on templates loaded as every door loads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lattice_cdk.cfn import Stack, load, stateful_type
from lattice_cdk.checker.judge import (
    Fate,
    as_bool,
    as_number,
    deletion_fate,
    object_lock,
    protection_state,
    replacement_fate,
    survives,
    vault_denies_delete,
    vault_protected,
)


def _stack(tmp_path: Path, resources: dict[str, Any]) -> Stack:
    path = tmp_path / "template.json"
    path.write_text(json.dumps({"Resources": resources}), encoding="utf-8")
    (stack,) = load(path).stacks
    return stack


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("yes", None),
        ({"Ref": "Flag"}, None),
        (1, None),
    ],
)
def test_booleans_read_as_cloudformation_reads_them(value: object, expected: bool | None) -> None:
    assert as_bool(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"), [(7, 7.0), ("7", 7.0), ("1.5", 1.5), (True, None), ({"Ref": "N"}, None)]
)
def test_numbers_read_as_cloudformation_reads_them(value: object, expected: float | None) -> None:
    assert as_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("True", True), ("false", False), ({"Ref": "P"}, None)],
)
def test_deletion_protection_of_a_table_as_a_string_or_intrinsic(
    tmp_path: Path, value: object, expected: bool | None
) -> None:
    # GIVEN a table whose DeletionProtectionEnabled is a string, a boolean or a Ref
    stack = _stack(
        tmp_path,
        {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {"DeletionProtectionEnabled": value}}},
    )
    check = stateful_type("AWS::DynamoDB::Table").deletion_protection  # type: ignore[union-attr]
    assert check is not None
    # THEN the core judges it as CloudFormation coerces it
    assert protection_state(stack.resources["T"], check) is expected


@pytest.mark.parametrize(
    ("value", "expected"), [("7", True), (0, False), ("0", False), ({"Ref": "Days"}, None)]
)
def test_rds_backup_retention_as_a_number_string(
    tmp_path: Path, value: object, expected: bool | None
) -> None:
    stack = _stack(
        tmp_path,
        {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"BackupRetentionPeriod": value}}},
    )
    check = stateful_type("AWS::RDS::DBInstance").point_in_time_recovery  # type: ignore[union-attr]
    assert check is not None
    assert protection_state(stack.resources["Db"], check) is expected


def _lock(rule: dict[str, Any] | None, enabled: object = True) -> dict[str, Any]:
    config: dict[str, Any] = {"ObjectLockEnabled": "Enabled"}
    if rule is not None:
        config["Rule"] = {"DefaultRetention": rule}
    return {"ObjectLockEnabled": enabled, "ObjectLockConfiguration": config}


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        ({}, False),
        (_lock({"Mode": "COMPLIANCE", "Days": 30}), True),
        (_lock({"Mode": "COMPLIANCE", "Years": 7}, enabled="true"), True),
        (_lock({"Mode": "GOVERNANCE", "Days": 30}), True),
        (_lock({"Mode": "GOVERNANCE", "Days": 0}), False),
        (_lock(None), False),
        (_lock({"Mode": "COMPLIANCE", "Days": 30}, enabled=False), False),
        (_lock({"Mode": "COMPLIANCE", "Days": 30}, enabled={"Ref": "Lock"}), None),
        (_lock({"Mode": {"Ref": "Mode"}, "Days": 30}), None),
    ],
)
def test_object_lock_is_protection_only_with_a_default_retention(
    tmp_path: Path, properties: dict[str, Any], expected: bool | None
) -> None:
    stack = _stack(tmp_path, {"B": {"Type": "AWS::S3::Bucket", "Properties": properties}})
    assert object_lock(stack.resources["B"]) is expected


_AUTO_DELETE = {
    "Type": "Custom::S3AutoDeleteObjects",
    "Properties": {"ServiceToken": "arn:aws:lambda:::function:x", "BucketName": {"Ref": "B"}},
}


@pytest.mark.parametrize(
    ("bucket", "others", "fate"),
    [
        ({"DeletionPolicy": "Retain"}, {}, Fate.KEPT),
        ({}, {}, Fate.FAILS_IF_NOT_EMPTY),
        ({"DeletionPolicy": "Delete"}, {"Auto": _AUTO_DELETE}, Fate.EMPTIED),
        (
            {"Properties": _lock({"Mode": "COMPLIANCE", "Days": 1})},
            {"Auto": _AUTO_DELETE},
            Fate.LOCKED,
        ),
        ({"DeletionPolicy": "Snapshot"}, {}, Fate.FAILS_IF_NOT_EMPTY),
        ({"DeletionPolicy": {"Fn::If": ["Prod", "Retain", "Delete"]}}, {}, Fate.UNKNOWN),
    ],
)
def test_what_a_stack_delete_does_to_a_bucket(
    tmp_path: Path, bucket: dict[str, Any], others: dict[str, Any], fate: Fate
) -> None:
    stack = _stack(tmp_path, {"B": {"Type": "AWS::S3::Bucket", **bucket}, **others})
    kind = stateful_type("AWS::S3::Bucket")
    assert kind is not None
    assert deletion_fate(stack, stack.resources["B"], kind) is fate


def test_snapshot_keeps_a_database_and_deletes_a_table(tmp_path: Path) -> None:
    stack = _stack(
        tmp_path,
        {
            "Db": {"Type": "AWS::RDS::DBCluster", "UpdateReplacePolicy": "Snapshot"},
            "T": {"Type": "AWS::DynamoDB::Table", "UpdateReplacePolicy": "Snapshot"},
        },
    )
    db, table = stateful_type("AWS::RDS::DBCluster"), stateful_type("AWS::DynamoDB::Table")
    assert db is not None
    assert table is not None
    assert replacement_fate(stack, stack.resources["Db"], db) is Fate.SNAPSHOT
    assert replacement_fate(stack, stack.resources["T"], table) is Fate.DELETED
    # The RDS cluster's default DeletionPolicy is Snapshot.
    assert survives(deletion_fate(stack, stack.resources["Db"], db)) is True
    assert survives(deletion_fate(stack, stack.resources["T"], table)) is False


_DENY = {"Effect": "Deny", "Principal": "*", "Action": "backup:DeleteRecoveryPoint"}


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (None, False),
        ({"Statement": [_DENY]}, True),
        (json.dumps({"Statement": _DENY}), True),
        ({"Statement": [{**_DENY, "Effect": "Allow"}]}, False),
        ({"Statement": [{**_DENY, "Action": "backup:*"}]}, True),
        ({"Statement": [{**_DENY, "Action": {"Ref": "Action"}}]}, None),
        ("not json", None),
        ({"Fn::Sub": "..."}, None),
    ],
)
def test_vault_access_policy_denies_deletes(policy: object, expected: bool | None) -> None:
    assert vault_denies_delete(policy) is expected


def test_a_vault_lock_protects_whatever_the_policy(tmp_path: Path) -> None:
    stack = _stack(
        tmp_path,
        {
            "Locked": {
                "Type": "AWS::Backup::BackupVault",
                "Properties": {
                    "BackupVaultName": "v",
                    "LockConfiguration": {"MinRetentionDays": 7},
                },
            },
            "Open": {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": "w"}},
        },
    )
    assert vault_protected(stack.resources["Locked"]) is True
    assert vault_protected(stack.resources["Open"]) is False
