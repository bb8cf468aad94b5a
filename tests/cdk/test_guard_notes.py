"""The guard's open notes: a LAT2501 acknowledgement holds against BackupManager,
CfnInclude of a template that names its environment, and an empty stack."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import cloudformation_include as cfn_inc
from aws_cdk.cx_api import CloudAssembly

from lattice_cdk.cdk import LatticeBucket
from lattice_cdk.cdk._guard import StatefulnessGuard
from tests.helpers import run_lattice

REASON = "a sandbox torn down by the nightly job"


def _synth(app: cdk.App) -> CloudAssembly:
    return app.synth()


# -- (a) BackupManager respects a LAT2501 acknowledgement ---------------------------------


@pytest.mark.parametrize("ack_first", [True, False])
def test_a_lattice_construct_leaves_an_acknowledged_stack_unprotected(ack_first: bool) -> None:
    # GIVEN a prod stack that acknowledges LAT2501, before or after its first construct
    app = cdk.App()
    stack = cdk.Stack(app, "Sandbox")
    if ack_first:
        StatefulnessGuard.acknowledge(stack, "LAT2501", REASON)
    LatticeBucket(stack, "Data", name="data", environment="prod")
    if not ack_first:
        StatefulnessGuard.acknowledge(stack, "LAT2501", REASON)
    # THEN the BackupManager did not turn termination protection on
    assert _synth(app).get_stack_by_name("Sandbox").termination_protection is False


def test_without_an_acknowledgement_a_prod_stack_is_protected() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Prod")
    LatticeBucket(stack, "Data", name="data", environment="prod")
    assert _synth(app).get_stack_by_name("Prod").termination_protection is True


def test_an_expired_acknowledgement_does_not_count() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Sandbox")
    LatticeBucket(stack, "Data", name="data", environment="prod")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    StatefulnessGuard.acknowledge(stack, "LAT2501", REASON, expires=yesterday)
    assert _synth(app).get_stack_by_name("Sandbox").termination_protection is True


def test_the_apps_own_protection_is_never_undone() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Sandbox", termination_protection=True)
    LatticeBucket(stack, "Data", name="data", environment="prod")
    StatefulnessGuard.acknowledge(stack, "LAT2501", REASON)
    assert _synth(app).get_stack_by_name("Sandbox").termination_protection is True


def test_a_guarded_app_that_enrols_backups_respects_the_acknowledgement() -> None:
    # GIVEN a guarded prod app whose plain bucket the guard enrols (a BackupManager)
    app = cdk.App()
    stack = cdk.Stack(app, "Sandbox")
    s3.Bucket(stack, "Data")
    StatefulnessGuard.acknowledge(stack, "LAT2501", REASON)
    StatefulnessGuard.apply(app, environment="prod")
    artifact = _synth(app).get_stack_by_name("Sandbox")
    # THEN it is backed up, and the stack stays unprotected as acknowledged
    assert any(
        r["Type"] == "AWS::Backup::BackupSelection" for r in artifact.template["Resources"].values()
    )
    assert artifact.termination_protection is False


# -- (b) CfnInclude of a template that names its environment ------------------------------


def _included_template(tmp_path: Path, environment: str) -> Path:
    template = {
        "Metadata": {"lattice:environment": environment, "Team": "data"},
        "Resources": {
            "Legacy": {
                "Type": "AWS::S3::Bucket",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {"VersioningConfiguration": {"Status": "Enabled"}},
            }
        },
    }
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    return path


@pytest.mark.parametrize("named", ["prod", "dev"])
def test_a_guarded_stack_can_include_a_template_that_names_its_environment(
    tmp_path: Path, named: str
) -> None:
    # GIVEN a template whose Metadata names an environment, included in a guarded stack
    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    stack = cdk.Stack(app, "Legacy")
    cfn_inc.CfnInclude(stack, "Included", template_file=str(_included_template(tmp_path, named)))
    StatefulnessGuard.apply(app, environment="prod", enrol_backups=False)
    # WHEN it synthesizes THEN it does (no SectionAlreadyContains), the included
    # Metadata is kept, and the manifest's stack tag names the guard's environment
    artifact = _synth(app).get_stack_by_name("Legacy")
    assert artifact.template["Metadata"]["Team"] == "data"
    assert artifact.tags["lattice:environment"] == "prod"
    report = run_lattice("check", str(tmp_path / "cdk.out"), "-f", "json")
    (entry,) = json.loads(report.stdout)["stacks"]
    assert (entry["environment"], entry["source"]) == ("prod", "manifest stack tags")


def test_a_guarded_stack_without_an_include_keeps_the_environment_in_metadata() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Plain")
    s3.Bucket(stack, "Data")
    StatefulnessGuard.apply(app, environment="prod", enrol_backups=False)
    artifact = _synth(app).get_stack_by_name("Plain")
    assert artifact.template["Metadata"]["lattice:environment"] == "prod"
    assert "lattice:environment" not in artifact.tags


# -- (c) an empty stack in a guarded app --------------------------------------------------


def test_a_guarded_app_with_an_empty_stack_synthesizes(tmp_path: Path) -> None:
    # GIVEN a guarded prod app with an empty stack beside one with data
    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    cdk.Stack(app, "Empty")
    s3.Bucket(cdk.Stack(app, "Data"), "Bucket")
    StatefulnessGuard.apply(app, environment="prod")
    # WHEN it synthesizes THEN the empty stack is an empty stack, not "not a template"
    assembly = _synth(app)
    assert "Resources" not in assembly.get_stack_by_name("Empty").template
    result = run_lattice("check", str(tmp_path / "cdk.out"), "-f", "json")
    assert result.returncode in (0, 4, 8, 12), result.stderr
    stacks = {s["stack"]: s["environment"] for s in json.loads(result.stdout)["stacks"]}
    assert stacks == {"Empty": "prod", "Data": "prod"}


def test_a_loose_template_without_resources_is_still_not_a_template(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"Parameters": {}}), encoding="utf-8")
    result = run_lattice("check", str(path))
    assert result.returncode == 1
    assert "[not-a-template]" in result.stderr
