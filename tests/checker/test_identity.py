"""Stacks keyed by where they deploy (issue 13): a real two-region CDK app with a stack
named ``data`` in us-east-1 and in eu-west-1, each with its own environment, backups
and verdict through ``lattice check`` and ``lattice report``."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from aws_cdk import aws_dynamodb as dynamodb

from tests.helpers import run_lattice

ACCOUNT = "111111111111"


def _table(stack: cdk.Stack, *, protected: bool) -> dynamodb.Table:
    table = dynamodb.Table(
        stack,
        "Orders",
        partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
        removal_policy=cdk.RemovalPolicy.RETAIN if protected else cdk.RemovalPolicy.DESTROY,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=protected
        ),
        deletion_protection=protected,
    )
    cdk.Tags.of(table).add("backup", "daily")
    return table


def _two_region_app(tmp_path: Path) -> Path:
    """us-east-1: a dev stack ``data`` with a tag-based backup plan (selecting every
    ``backup=daily`` resource of its account and region) and an unprotected table.
    eu-west-1: a prod stack ``data`` with a protected, ``backup=daily`` tagged table and
    no plan: the us-east-1 plan does not reach it."""
    out = tmp_path / "cdk.out"
    app = cdk.App(outdir=str(out))
    us = cdk.Stack(
        app, "DataUs", stack_name="data", env=cdk.Environment(account=ACCOUNT, region="us-east-1")
    )
    cdk.Tags.of(us).add("lattice:environment", "dev")
    _table(us, protected=False)
    plan = backup.BackupPlan.daily35_day_retention(us, "Plan")
    plan.add_selection("Tagged", resources=[backup.BackupResource.from_tag("backup", "daily")])
    eu = cdk.Stack(
        app, "DataEu", stack_name="data", env=cdk.Environment(account=ACCOUNT, region="eu-west-1")
    )
    cdk.Tags.of(eu).add("lattice:environment", "prod")
    _table(eu, protected=True)
    app.synth()
    return out


def test_same_named_stacks_in_two_regions_each_get_their_own_verdict(tmp_path: Path) -> None:
    # GIVEN a stack "data" in us-east-1 (dev, with a backup plan) and one in eu-west-1
    out = _two_region_app(tmp_path)
    # WHEN lattice check reads the assembly
    result = run_lattice("check", str(out), "--format", "json")
    payload = json.loads(result.stdout)
    # THEN each stack has its own environment
    envs = {s["identity"]: s["environment"] for s in payload["stacks"]}
    assert envs == {f"{ACCOUNT}/us-east-1/data": "dev", f"{ACCOUNT}/eu-west-1/data": "prod"}
    # AND the eu-west-1 table is not covered by the us-east-1 plan (a selection works
    # in its own account and region), while the dev table is judged as dev
    by_stack: dict[str, set[str]] = {}
    for finding in payload["findings"]:
        by_stack.setdefault(finding["stack"], set()).add(finding["rule_id"])
    assert "LAT1201" in by_stack["DataEu"]
    assert "LAT1401" not in by_stack["DataEu"]  # its PITR is on
    assert "LAT1001" not in by_stack.get("DataUs", set())  # Delete is fine in dev
    assert result.returncode & 2, result.stdout


def test_report_gives_each_region_its_own_row_and_backup(tmp_path: Path) -> None:
    out = _two_region_app(tmp_path)
    result = run_lattice("report", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = {
        r["stack"]: r
        for r in json.loads(result.stdout)["resources"]
        if r["type"] == "AWS::DynamoDB::Table"
    }
    assert rows["DataUs"]["environment"] == "dev"
    assert rows["DataUs"]["backup"] == "covered"
    assert rows["DataEu"]["environment"] == "prod"
    assert rows["DataEu"]["backup"] == "none"
    assert rows["DataEu"]["point_in_time_recovery"] == "on"
    assert rows["DataEu"]["verdict"] == "at risk"


def test_a_config_acknowledgement_can_name_one_region_of_a_stack(tmp_path: Path) -> None:
    # GIVEN lattice.toml accepting the missing backup of "data" in eu-west-1 only
    out = _two_region_app(tmp_path)
    config = tmp_path / "lattice.toml"
    config.write_text(
        "[[acknowledgements]]\n"
        'rule_id = "LAT1201"\n'
        f'stack = "{ACCOUNT}/eu-west-1/data"\n'
        'reason = "the eu-west-1 copy is restored from us-east-1 backups"\n',
        encoding="utf-8",
    )
    # WHEN checked THEN the eu-west-1 finding is acknowledged, by the configuration
    result = run_lattice("check", str(out), "--config", str(config), "-f", "json")
    (finding,) = [
        f
        for f in json.loads(result.stdout)["findings"]
        if f["rule_id"] == "LAT1201" and f["stack"] == "DataEu"
    ]
    assert finding["acknowledged_by"] == "config"
