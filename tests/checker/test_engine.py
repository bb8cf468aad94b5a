"""The engine in-process: environments and where they come from, acknowledgements,
cross-stack backup coverage, schedules, the extra-checks hook, docs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from lattice_cdk import InputError
from lattice_cdk._config import ConfigAcknowledgement, LatticeConfig
from lattice_cdk._findings import Finding, Severity
from lattice_cdk.cfn import Assembly, load
from lattice_cdk.checker import check
from lattice_cdk.checker._backup import cadence
from lattice_cdk.checker.docs import render_rules_markdown

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 25)


def _template(resources: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"Resources": resources, **top}


def _queue(**extra: Any) -> dict[str, Any]:
    return {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Delete", **extra}


def _assembly(tmp_path: Path, stacks: dict[str, dict[str, Any]], **artifact: Any) -> Path:
    """A cloud assembly of plain templates; ``artifact`` adds manifest properties."""
    artifacts = {}
    for name, template in stacks.items():
        (tmp_path / f"{name}.template.json").write_text(json.dumps(template))
        artifacts[name] = {
            "type": "aws:cloudformation:stack",
            "environment": "aws://123456789012/us-east-1",
            "properties": {"templateFile": f"{name}.template.json", **artifact.get(name, {})},
            "displayName": name,
            **({"metadata": artifact["metadata"]} if "metadata" in artifact else {}),
        }
    (tmp_path / "manifest.json").write_text(
        json.dumps({"version": "48.0.0", "artifacts": artifacts})
    )
    return tmp_path


def _rules(findings: tuple[Finding, ...], *, active: bool = True) -> list[str]:
    return sorted(f.rule_id for f in findings if not active or f.acknowledged is None)


# -- environments -----------------------------------------------------------------------


def test_environment_sources_in_order(tmp_path: Path) -> None:
    root = _assembly(
        tmp_path,
        {
            "Tagged": _template({"Q": _queue()}, Metadata={"lattice:environment": "dev"}),
            "Meta": _template({"Q": _queue()}, Metadata={"lattice:environment": "staging"}),
            "Resources": _template(
                {
                    "Q": _queue(
                        Properties={"Tags": [{"Key": "lattice:environment", "Value": "dev"}]}
                    ),
                    "B": _queue(
                        Properties={"Tags": [{"Key": "lattice:environment", "Value": "prd"}]}
                    ),
                }
            ),
            "Config": _template({"Q": _queue()}),
            "Construct": _template({"Q": _queue(Metadata={"lattice": {"environment": "staging"}})}),
        },
        Tagged={"tags": {"lattice:environment": "production"}},
    )
    result = check(load(root), config=LatticeConfig(environment="stage"))
    envs = {e.stack: (e.environment.name, e.source) for e in result.environments.values()}
    assert envs == {
        "Tagged": ("prod", "manifest stack tags"),
        "Meta": ("staging", "template metadata"),
        "Resources": ("prod", "resource tags (mixed: dev, prod; the strictest)"),
        "Config": ("staging", "config"),
        "Construct": ("staging", "resource metadata"),
    }
    flagged = check(load(root), environment="dev")
    assert {e.source for e in flagged.environments.values()} == {"--environment"}
    assert _rules(flagged.findings) == []


def test_undetermined_environment_is_reported_and_checked_as_prod(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(_template({"Q": _queue()})))
    result = check(load(path))
    env = result.environments["t"]
    assert not env.determined
    assert env.environment.name == "prod"
    assert _rules(result.findings) == ["LAT1001", "LAT1002", "LAT2902", "LAT3501"]


def test_custom_environment_from_config(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(_template({"Q": _queue()}, Metadata={"lattice:environment": "qa"})))
    result = check(load(path), config=LatticeConfig(environments={"qa": "staging"}))
    assert result.environments["t"].environment.name == "qa"
    assert _rules(result.findings) == ["LAT1001", "LAT1002"]
    assert "environment 'qa' (tier staging)" in result.findings[0].message


# -- acknowledgements ---------------------------------------------------------------------


def test_metadata_acknowledgement_with_expiry(tmp_path: Path) -> None:
    acks = [
        {
            "rule_id": "LAT1001",
            "reason": "a scratch queue, rebuilt on deploy",
            "expires": "2027-01-01",
        },
        {
            "rule_id": "LAT1002",
            "reason": "replaced only by hand, reviewed",
            "expires": "2026-01-01",
        },
    ]
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps(
            _template(
                {"Q": _queue(Metadata={"lattice:acknowledgements": acks})},
                Metadata={"lattice:environment": "staging"},
            )
        )
    )
    result = check(load(path), today=TODAY)
    by_rule = {f.rule_id: f for f in result.findings}
    assert by_rule["LAT1001"].acknowledged == "a scratch queue, rebuilt on deploy"
    assert by_rule["LAT1002"].acknowledged is None
    assert "acknowledgement expired on 2026-01-01" in by_rule["LAT1002"].message
    assert result.exit_code == 2
    later = check(load(path), today=dt.date(2027, 2, 1))
    assert _rules(later.findings) == ["LAT1001", "LAT1002"]


def test_cdk_acknowledgement_applies_to_the_subtree(tmp_path: Path) -> None:
    template = _template(
        {
            "Q": _queue(Metadata={"aws:cdk:path": "Data/Jobs/Queue/Resource"}),
            "Other": _queue(Metadata={"aws:cdk:path": "Data/Other/Resource"}),
        }
    )
    root = _assembly(
        tmp_path,
        {"Data": template},
        Data={"tags": {"lattice:environment": "staging"}},
        metadata={
            "/Data/Jobs": [
                {
                    "type": "aws:cdk:acknowledged-rules",
                    "data": {"lattice::LAT1001": "jobs are idempotent"},
                }
            ]
        },
    )
    result = check(load(root))
    acked = {(f.logical_id, f.rule_id): f.acknowledged for f in result.findings}
    assert acked[("Q", "LAT1001")] == "jobs are idempotent"
    assert acked[("Q", "LAT1002")] is None
    assert acked[("Other", "LAT1001")] is None


def test_config_acknowledgement_matches_paths_and_stacks(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps(
            _template(
                {"Q": _queue(Metadata={"aws:cdk:path": "App/Jobs/Queue/Resource"})},
                Metadata={"lattice:environment": "staging"},
            )
        )
    )
    config = LatticeConfig(
        acknowledgements=(
            ConfigAcknowledgement(
                rule_id="LAT1001", reason="jobs are rebuilt", resource="App/Jobs/*"
            ),
            ConfigAcknowledgement(rule_id="LAT1002", reason="other stack only", stack="Other*"),
        )
    )
    result = check(load(path), config=config)
    acked = {f.rule_id: f.acknowledged for f in result.findings}
    assert acked == {"LAT1001": "jobs are rebuilt", "LAT1002": None}


# -- backup coverage across stacks --------------------------------------------------------


def test_selection_in_another_stack_by_import_value(tmp_path: Path) -> None:
    table = {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {"DeletionProtectionEnabled": False},
    }
    data = _template(
        {"Orders": table},
        Outputs={
            "Arn": {
                "Value": {"Fn::GetAtt": ["Orders", "Arn"]},
                "Export": {"Name": "Data:OrdersArn"},
            }
        },
    )
    plan = {
        "Type": "AWS::Backup::BackupPlan",
        "Properties": {
            "BackupPlan": {
                "BackupPlanName": "central",
                "BackupPlanRule": [{"RuleName": "Daily", "TargetBackupVault": "v"}],
            }
        },
    }
    selection = {
        "Type": "AWS::Backup::BackupSelection",
        "Properties": {
            "BackupPlanId": {"Ref": "Plan"},
            "BackupSelection": {
                "SelectionName": "orders",
                "IamRoleArn": "arn:aws:iam::123456789012:role/b",
                "Resources": [{"Fn::ImportValue": "Data:OrdersArn"}],
            },
        },
    }
    root = _assembly(
        tmp_path,
        {"Data": data, "Backup": _template({"Plan": plan, "Sel": selection})},
        Data={"tags": {"lattice:environment": "staging"}},
        Backup={"tags": {"lattice:environment": "staging"}},
    )
    result = check(load(root))
    assert "LAT1201" not in _rules(result.findings)
    stripped = tmp_path / "alone"
    stripped.mkdir()
    alone = _assembly(stripped, {"Data": data}, Data={"tags": {"lattice:environment": "staging"}})
    assert "LAT1201" in _rules(check(load(alone)).findings)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("cron(0 5 * * ? *)", "daily"),
        ("cron(0 5 ? * SAT *)", "weekly"),
        ("cron(0 5 1 * ? *)", "monthly"),
        ("cron(0 5 1 1 ? *)", "yearly"),
        ("cron(0 */4 * * ? *)", "hourly"),
        ("cron(0 5 ? * MON-FRI *)", "daily"),
        ("rate(12 hours)", "hourly"),
        ("rate(1 day)", "daily"),
        ("rate(7 days)", "weekly"),
        ("rate(30 days)", "monthly"),
        ("at(2026-01-01T00:00:00)", None),
        ({"Ref": "Schedule"}, None),
    ],
)
def test_schedule_cadence(expression: object, expected: str | None) -> None:
    assert cadence(expression) == expected


# -- hooks, errors, docs -------------------------------------------------------------------


def test_extra_checks_are_acknowledged_like_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    acks = [{"rule_id": "LAT2701", "reason": "the lock was reviewed today"}]
    path.write_text(
        json.dumps(
            _template(
                {
                    "Q": {
                        **_queue(DeletionPolicy="Retain", UpdateReplacePolicy="Retain"),
                        "Metadata": {"lattice:acknowledgements": acks},
                    }
                },
                Metadata={"lattice:environment": "dev"},
            )
        )
    )

    def lock(assembly: Assembly) -> list[Finding]:
        stack = assembly.stacks[0]
        return [
            Finding(
                rule_id="LAT2701",
                severity=Severity.WARNING,
                title="lock",
                message="m",
                fix="f",
                stack=stack.label,
                template_path=stack.template_path,
                logical_id="Q",
            )
        ]

    result = check(load(path), extra_checks=[lock])
    assert [(f.rule_id, f.acknowledged) for f in result.findings] == [
        ("LAT2701", "the lock was reviewed today")
    ]
    assert result.exit_code == 0


def test_unknown_aws_type_is_unusable_input(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(_template({"T": {"Type": "AWS::DynamoDB::Tabel"}})))
    with pytest.raises(InputError, match="did you mean 'AWS::DynamoDB::Table'") as caught:
        check(load(path))
    assert caught.value.code == "unknown-resource-type"


def test_rules_doc_is_generated_from_the_registry() -> None:
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rules_markdown(), (
        "docs/rules.md is stale: python -m lattice_cdk.checker.docs --write docs/rules.md"
    )


def test_every_rule_says_why_it_has_its_severity() -> None:
    from lattice_cdk.changes import RULES as CHANGE_RULES
    from lattice_cdk.checker import ENGINE_RULES, RULES

    infos = [r.info for r in RULES] + list(ENGINE_RULES) + list(CHANGE_RULES)
    missing = [i.rule_id for i in infos if len(i.severity_reason) < 20]
    assert not missing
    for info in infos:
        # The reason names the severity the id encodes.
        assert info.severity_reason.lower().startswith(
            {"error": "an error", "warning": "a warning", "info": "info"}[info.severity.value]
        ), info.rule_id
    # Policy rules say so in their title; data-loss facts do not.
    titles = {i.rule_id: i.title for i in infos}
    assert titles["LAT1201"].startswith("Lattice policy:")
    assert not titles["LAT1001"].startswith("Lattice policy:")
