"""A guard opt-out is visible where people look: template Metadata and lattice report."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3

from lattice_cdk import BackupManager, StatefulnessGuard

from ..helpers import run_lattice

REASON = "scratch data, rebuilt nightly from the data lake"


def test_acknowledged_destroy_shows_in_metadata_and_report(tmp_path: Path) -> None:
    # GIVEN a prod app whose scratch bucket is DESTROY on purpose, acknowledged
    out = tmp_path / "cdk.out"
    app = cdk.App(outdir=str(out))
    stack = cdk.Stack(app, "Store", termination_protection=True)
    BackupManager(stack, "Backup", environment="prod", dr_region="us-west-2")
    bucket = s3.Bucket(stack, "Scratch", removal_policy=cdk.RemovalPolicy.DESTROY, versioned=True)
    for rule_id in ("LAT1001", "LAT1002"):
        StatefulnessGuard.acknowledge(bucket, rule_id, REASON)
    StatefulnessGuard.apply(app, environment="prod", enrol_backups=True)
    # WHEN it synthesizes (the guard does not fail it)
    app.synth()
    # THEN the template carries the opt-out
    template = json.loads((out / "Store.template.json").read_text())
    (scratch,) = [
        r
        for lid, r in template["Resources"].items()
        if lid.startswith("Scratch") and r["Type"] == "AWS::S3::Bucket"
    ]
    assert scratch["DeletionPolicy"] == "Delete"
    assert {a["rule_id"] for a in scratch["Metadata"]["lattice:acknowledgements"]} == {
        "LAT1001",
        "LAT1002",
    }
    # AND the report shows it as acknowledged, with the reason
    report = run_lattice("report", str(out), "--format", "json")
    assert report.returncode == 0, report.stderr
    (row,) = [
        r for r in json.loads(report.stdout)["resources"] if r["logical_id"].startswith("Scratch")
    ]
    assert row["verdict"] == "acknowledged"
    assert row["acknowledgements"] == [
        {"rule_id": "LAT1001", "reason": REASON},
        {"rule_id": "LAT1002", "reason": REASON},
    ]
    # AND the check passes, reporting what it let through
    checked = run_lattice("check", str(out), "--format", "json")
    assert checked.returncode == 0, checked.stdout
    assert {
        f["rule_id"] for f in json.loads(checked.stdout)["findings"] if f["acknowledged"] == REASON
    } == {"LAT1001", "LAT1002"}
