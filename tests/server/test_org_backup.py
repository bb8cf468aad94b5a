"""``lattice org-backup-policy``: an AWS Organizations backup policy in the documented
syntax, equal rule for rule to the plan ``BackupManager`` synthesizes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lattice_cdk._cli import main
from lattice_cdk.cfn import load

SCHEMA = json.loads((Path(__file__).with_name("backup_policy_schema.json")).read_text())
ARGS = ["org-backup-policy", "--region", "us-east-1", "--dr-region", "us-west-2"]


def _policy(capsys: Any, environment: str) -> dict[str, Any]:
    assert main([*ARGS, "--environment", environment]) == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def _leaves(node: Any) -> list[Any]:
    """Every value under the policy's keys that is not a mapping of further keys."""
    if isinstance(node, dict) and "@@assign" not in node:
        return [leaf for value in node.values() for leaf in _leaves(value)]
    return [node]


@pytest.mark.parametrize("environment", ["prod", "staging"])
def test_policy_follows_the_documented_syntax(capsys: Any, environment: str) -> None:
    document = _policy(capsys, environment)
    jsonschema.validate(document, SCHEMA)
    assert all(isinstance(leaf, dict) and set(leaf) == {"@@assign"} for leaf in _leaves(document))
    (plan,) = document["plans"].values()
    selection = plan["selections"]["tags"][f"lattice-backup-{environment}"]
    assert selection["tag_key"] == {"@@assign": "lattice:backup"}
    assert selection["tag_value"] == {"@@assign": [environment]}


def _join(value: Any) -> str:
    """The text of a ``Fn::Join`` with pseudo parameters as ``$`` names."""
    if isinstance(value, str):
        return value
    separator, parts = value["Fn::Join"]
    return str(separator).join(
        p if isinstance(p, str) else "$" + p["Ref"].split("::")[-1] for p in parts
    )


def _synthesized_rules(template: dict[str, Any]) -> list[tuple[Any, ...]]:
    plan = next(
        r["Properties"]["BackupPlan"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Backup::BackupPlan"
        and r["Properties"]["BackupPlan"]["BackupPlanName"].endswith("-Plan")
    )
    rules = []
    for rule in plan["BackupPlanRule"]:
        copies = tuple(
            (
                _join(c["DestinationBackupVaultArn"]).replace("$Partition", "aws"),
                c["Lifecycle"].get("DeleteAfterDays"),
                c["Lifecycle"].get("MoveToColdStorageAfterDays"),
            )
            for c in rule.get("CopyActions", [])
            # The organization policy does not copy to the stack's air-gapped vault (a
            # vault of each account, named by a GetAtt here): docs/recovery.md.
            if "Fn::GetAtt" not in c["DestinationBackupVaultArn"]
        )
        rules.append(
            (
                rule["RuleName"],
                rule["ScheduleExpression"],
                rule["Lifecycle"].get("DeleteAfterDays"),
                rule["Lifecycle"].get("MoveToColdStorageAfterDays"),
                bool(rule.get("EnableContinuousBackup", False)),
                copies,
            )
        )
    return rules


def _policy_rules(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    (plan,) = document["plans"].values()

    def days(lifecycle: dict[str, Any], key: str) -> int | None:
        return int(lifecycle[key]["@@assign"]) if key in lifecycle else None

    rules = []
    for name, rule in plan["rules"].items():
        lifecycle = rule["lifecycle"]
        copies = tuple(
            (
                copy["target_backup_vault_arn"]["@@assign"].replace("$account", "$AccountId"),
                days(copy["lifecycle"], "delete_after_days"),
                days(copy["lifecycle"], "move_to_cold_storage_after_days"),
            )
            for copy in rule.get("copy_actions", {}).values()
        )
        rules.append(
            (
                name,
                rule["schedule_expression"]["@@assign"],
                days(lifecycle, "delete_after_days"),
                days(lifecycle, "move_to_cold_storage_after_days"),
                rule.get("enable_continuous_backup", {"@@assign": False})["@@assign"],
                copies,
            )
        )
    return rules


def test_prod_policy_equals_the_synthesized_prod_plan(capsys: Any, example: Path) -> None:
    stack = next(s for s in load(example / "cdk.out").stacks if s.name == "Prod-Data")
    synthesized = _synthesized_rules(dict(stack.template))
    assert [r[0] for r in synthesized] == ["Daily", "Weekly", "Monthly", "Continuous"]
    assert _policy_rules(_policy(capsys, "prod")) == synthesized


def test_dev_keeps_no_backups_so_has_no_policy(capsys: Any) -> None:
    assert main([*ARGS, "--environment", "dev"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "[no-backups]" in err


def test_prod_without_a_dr_region_is_refused(capsys: Any) -> None:
    assert main(["org-backup-policy", "-e", "prod", "--region", "us-east-1"]) == 1
    assert "[missing-dr-region]" in capsys.readouterr().err


def test_written_to_a_file_whole(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "policy.json"
    assert main([*ARGS, "-e", "prod", "-o", str(out)]) == 0
    jsonschema.validate(json.loads(out.read_text()), SCHEMA)
    assert [p.name for p in tmp_path.iterdir()] == ["policy.json"]
