"""``lattice guard-rules``: the rules pass on the example's templates and the real
cfn-guard fails them on each destructive edit, naming the Lattice rule."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lattice_cdk.cfn import load
from lattice_cdk.enforce import guard_rules, read_index, write_guard_rules

from .conftest import guard_validate

Edit = Callable[[dict[str, Any]], None]


def _files(example: Path) -> dict[str, tuple[Path, Path]]:
    """Stack name -> (its rules file, its template)."""
    templates = {s.name: Path(s.template_path) for s in load(example / "cdk.out").stacks}
    index = read_index(example / "rules")
    return {
        s["stack"]: (example / "rules" / s["file"], templates[s["stack"]]) for s in index["stacks"]
    }


def _edited(example: Path, stack: str, edit: Edit, tmp_path: Path) -> tuple[Path, Path]:
    rules, template = _files(example)[stack]
    data = json.loads(template.read_text())
    edit(data)
    out = tmp_path / "edited.json"
    out.write_text(json.dumps(data))
    return rules, out


def _logical_id(data: dict[str, Any], prefix: str, rtype: str) -> str:
    return str(
        next(k for k, v in data["Resources"].items() if k.startswith(prefix) and v["Type"] == rtype)
    )


def test_one_file_per_stack_named_by_identity(example: Path) -> None:
    index = read_index(example / "rules")
    stacks = load(example / "cdk.out").stacks
    assert [s["identity"] for s in index["stacks"]] == [s.identity for s in stacks]
    files = [s["file"] for s in index["stacks"]]
    assert len(set(files)) == len(files)
    assert all((example / "rules" / f).is_file() and f.endswith(".guard") for f in files)


def test_rules_pass_on_every_current_template(example: Path) -> None:
    for stack, (rules, template) in _files(example).items():
        result = guard_validate(rules, template)
        assert result.returncode == 0, (stack, result.stdout[-2000:])


def _remove_table(data: dict[str, Any]) -> None:
    del data["Resources"][_logical_id(data, "Sessions", "AWS::DynamoDB::Table")]


def _rename_table(data: dict[str, Any]) -> None:
    old = _logical_id(data, "Sessions", "AWS::DynamoDB::Table")
    data["Resources"]["StorageSessions1234ABCD"] = data["Resources"].pop(old)


def _replace_table(data: dict[str, Any]) -> None:
    table = data["Resources"][_logical_id(data, "Sessions", "AWS::DynamoDB::Table")]
    table["Properties"]["KeySchema"] = [{"AttributeName": "id", "KeyType": "HASH"}]


def _replace_database(data: dict[str, Any]) -> None:
    db = data["Resources"][_logical_id(data, "Orders", "AWS::RDS::DBInstance")]
    db["Properties"]["StorageEncrypted"] = False


def _retype_bucket(data: dict[str, Any]) -> None:
    bucket = data["Resources"][_logical_id(data, "Critical", "AWS::S3::Bucket")]
    bucket["Type"] = "AWS::S3Express::DirectoryBucket"


def _delete_policy(data: dict[str, Any]) -> None:
    bucket = data["Resources"][_logical_id(data, "Critical", "AWS::S3::Bucket")]
    bucket["DeletionPolicy"] = "Delete"


def _no_replace_policy(data: dict[str, Any]) -> None:
    table = data["Resources"][_logical_id(data, "Sessions", "AWS::DynamoDB::Table")]
    del table["UpdateReplacePolicy"]


def _pitr_off(data: dict[str, Any]) -> None:
    table = data["Resources"][_logical_id(data, "Sessions", "AWS::DynamoDB::Table")]
    spec = table["Properties"]["PointInTimeRecoverySpecification"]
    spec["PointInTimeRecoveryEnabled"] = False


def _deletion_protection_off(data: dict[str, Any]) -> None:
    db = data["Resources"][_logical_id(data, "Orders", "AWS::RDS::DBInstance")]
    db["Properties"]["DeletionProtection"] = False


def _unprotected_new_bucket(data: dict[str, Any]) -> None:
    data["Resources"]["Scratch0A1B2C3D"] = {"Type": "AWS::S3::Bucket", "Properties": {}}


def _unversioned_bucket(data: dict[str, Any]) -> None:
    bucket = data["Resources"][_logical_id(data, "Uploads", "AWS::S3::Bucket")]
    del bucket["Properties"]["VersioningConfiguration"]


@pytest.mark.parametrize(
    ("edit", "rule_id"),
    [
        (_remove_table, "LAT1701"),
        (_rename_table, "LAT1701"),
        (_replace_table, "LAT1703"),  # the User Guide: KeySchema "Update requires: Replacement"
        (_replace_database, "LAT1703"),  # and so does an RDS instance's StorageEncrypted
        (_retype_bucket, "LAT1703"),
        (_delete_policy, "LAT1001"),
        (_no_replace_policy, "LAT1002"),
        (_pitr_off, "LAT1401"),
        (_deletion_protection_off, "LAT1101"),
        (_unprotected_new_bucket, "LAT1001"),
        (_unprotected_new_bucket, "LAT1402"),
        (_unversioned_bucket, "LAT1402"),
    ],
)
def test_destructive_edit_in_prod_fails_naming_the_rule(
    example: Path, tmp_path: Path, edit: Edit, rule_id: str
) -> None:
    rules, template = _edited(example, "Prod-Data", edit, tmp_path)
    result = guard_validate(rules, template)
    assert result.returncode == 19, result.stdout[-2000:]
    assert f"[{rule_id}]" in result.stdout or f"{rule_id}_Prod_Data" in result.stdout


def test_dev_may_delete_but_not_lose_a_locked_resource(example: Path, tmp_path: Path) -> None:
    rules, template = _edited(example, "Dev-Data", _delete_policy, tmp_path)
    assert guard_validate(rules, template).returncode == 0  # dev destroys by policy
    rules, template = _edited(example, "Dev-Data", _remove_table, tmp_path)
    result = guard_validate(rules, template)
    assert result.returncode == 19
    assert "[LAT1701]" in result.stdout or "LAT1701_Dev_Data" in result.stdout


def _hook_input(template: Path, stack_id: str, tmp_path: Path) -> Path:
    """What the hook evaluates for a stack operation: the template with HookContext."""
    data = json.loads(template.read_text())
    data["HookContext"] = {"StackId": stack_id, "TargetType": "STACK"}
    out = tmp_path / "hook-input.json"
    out.write_text(json.dumps(data))
    return out


def test_each_file_applies_only_to_its_own_stack(example: Path, tmp_path: Path) -> None:
    rules, template = _edited(example, "Prod-Data", _remove_table, tmp_path)
    own = "arn:aws:cloudformation:us-east-1:111122223333:stack/Prod-Data/0a1b2c3d"
    other = "arn:aws:cloudformation:us-east-1:111122223333:stack/Staging-Data/0a1b2c3d"
    assert guard_validate(rules, _hook_input(template, own, tmp_path)).returncode == 19
    assert guard_validate(rules, _hook_input(template, other, tmp_path)).returncode == 0


def test_an_acknowledgement_in_metadata_is_honoured(example: Path, tmp_path: Path) -> None:
    _, template = _files(example)["Prod-Data"]
    data = json.loads(template.read_text())
    _pitr_off(data)
    table = data["Resources"][_logical_id(data, "Sessions", "AWS::DynamoDB::Table")]
    edited = tmp_path / "Prod-Data.json"
    edited.write_text(json.dumps(data))
    unacknowledged = guard_rules(load(edited), environment="prod")
    write_guard_rules(unacknowledged, tmp_path / "plain")
    assert guard_validate(next((tmp_path / "plain").glob("*.guard")), edited).returncode == 19

    table.setdefault("Metadata", {})["lattice:acknowledgements"] = [
        {"rule_id": "LAT1401", "reason": "sessions are rebuilt from the event log"}
    ]
    edited.write_text(json.dumps(data))
    acknowledged = guard_rules(load(edited), environment="prod")
    write_guard_rules(acknowledged, tmp_path / "acked")
    result = guard_validate(next((tmp_path / "acked").glob("*.guard")), edited)
    assert result.returncode == 0, result.stdout[-2000:]
    # Only that resource leaves only that rule: a second unprotected table still fails.
    second = copy.deepcopy(table)
    del second["Metadata"]
    data["Resources"]["Sessions2B3C4D5E"] = second
    edited.write_text(json.dumps(data))
    assert guard_validate(next((tmp_path / "acked").glob("*.guard")), edited).returncode == 19


def test_a_second_run_removes_rules_of_stacks_that_are_gone(example: Path, tmp_path: Path) -> None:
    stacks = load(example / "cdk.out")
    out = tmp_path / "rules"
    write_guard_rules(guard_rules(stacks), out)
    before = sorted(p.name for p in out.glob("*.guard"))
    fewer = type(stacks)(stacks.source, stacks.stacks[:2], stacks.is_cloud_assembly)
    write_guard_rules(guard_rules(fewer), out)
    after = sorted(p.name for p in out.glob("*.guard"))
    assert len(before) == len(stacks.stacks)
    assert len(after) == 2


def test_missing_lock_is_one_line_error(example: Path, tmp_path: Path, capsys: Any) -> None:
    from lattice_cdk._cli import main

    code = main(
        [
            "guard-rules",
            str(example / "cdk.out"),
            "--output-dir",
            str(tmp_path / "r"),
            "--lock-file",
            str(tmp_path / "none.json"),
        ]
    )
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1
    assert "[missing-input]" in err
    assert not (tmp_path / "r").exists()


def test_a_locked_stack_missing_from_the_assembly_is_reported(
    example: Path, tmp_path: Path, capsys: Any
) -> None:
    from lattice_cdk._cli import main

    lock = json.loads((example / "lattice.lock.json").read_text())
    lock["resources"].append(
        {"stack": "Gone-Data", "logical_id": "Table1", "type": "AWS::DynamoDB::Table"}
    )
    path = tmp_path / "lock.json"
    path.write_text(json.dumps(lock))
    args = ["guard-rules", str(example / "cdk.out"), "--lock-file", str(path)]
    assert main([*args, "--output-dir", str(tmp_path / "r")]) == 0
    err = capsys.readouterr().err
    assert "locked stack Gone-Data is not in" in err
    assert "LAT1701" in err


def test_an_aurora_member_keeps_no_data_of_its_own(tmp_path: Path) -> None:
    from lattice_cdk.changes._lock import build_lock

    template = {
        "Resources": {
            "Cluster": {
                "Type": "AWS::RDS::DBCluster",
                "DeletionPolicy": "Snapshot",
                "UpdateReplacePolicy": "Snapshot",
                "Properties": {
                    "Engine": "aurora-postgresql",
                    "DeletionProtection": True,
                    "BackupRetentionPeriod": 7,
                },
            },
            "Writer": {
                "Type": "AWS::RDS::DBInstance",
                "DeletionPolicy": "Delete",
                "Properties": {
                    "DBClusterIdentifier": {"Ref": "Cluster"},
                    "DBInstanceClass": "db.r6g.large",
                    "Engine": "aurora-postgresql",
                },
            },
        }
    }
    path = tmp_path / "Aurora.json"
    path.write_text(json.dumps(template))
    assembly = load(path)
    write_guard_rules(
        guard_rules(assembly, lock=build_lock(assembly), environment="prod"), tmp_path / "r"
    )
    rules = next((tmp_path / "r").glob("*.guard"))
    result = guard_validate(rules, path)
    assert result.returncode == 0, result.stdout[-2000:]
    template["Resources"]["Cluster"]["DeletionPolicy"] = "Delete"
    path.write_text(json.dumps(template))
    result = guard_validate(rules, path)
    assert result.returncode == 19
    assert "LAT1001" in result.stdout
