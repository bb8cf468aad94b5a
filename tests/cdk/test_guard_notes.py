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
