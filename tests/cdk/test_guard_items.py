"""The guard's one line is check-clean, its errors name the real cause, its arguments
are validated, and what it cannot see through public API it leaves to the user."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3

from lattice_cdk import LatticeBucket, StatefulnessError, StatefulnessGuard

from ..helpers import run_lattice
from .guard_app import by_type, plain_app


def test_the_one_line_guard_leaves_nothing_for_lattice_check_to_fail() -> None:
    # GIVEN a plain aws-cdk-lib app and the guard with nothing but its environment
    app, _, _ = plain_app()
    StatefulnessGuard.apply(app, environment="prod")
    # WHEN it is synthesized and checked
    assembly = app.synth()
    checked = run_lattice("check", assembly.directory, "--format", "json")
    # THEN backups are enrolled by default, and no finding is an error
    findings = json.loads(checked.stdout)["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert errors == [], errors
    assert checked.returncode != 2, checked.stderr


def test_a_string_true_deletion_protection_passes_as_it_does_in_lattice_check() -> None:
    # CloudFormation coerces "true" to true, and the checker says so: the guard agrees.
    app = cdk.App()
    stack = cdk.Stack(app, "Data")
    table = dynamodb.CfnTable(
        stack,
        "Orders",
        key_schema=[dynamodb.CfnTable.KeySchemaProperty(attribute_name="pk", key_type="HASH")],
        attribute_definitions=[
            dynamodb.CfnTable.AttributeDefinitionProperty(attribute_name="pk", attribute_type="S")
        ],
        billing_mode="PAY_PER_REQUEST",
    )
    table.add_property_override("DeletionProtectionEnabled", "true")
    StatefulnessGuard.apply(app, environment="prod")
    template = app.synth().get_stack_by_name("Data").template
    (orders,) = by_type(template, "AWS::DynamoDB::Table").values()
    assert orders["Properties"]["DeletionProtectionEnabled"] == "true"


def test_a_construct_of_another_environment_is_reported_as_a_mismatch() -> None:
    # GIVEN a LatticeBucket built for dev in an app guarded for prod
    app = cdk.App()
    stack = cdk.Stack(app, "Data")
    LatticeBucket(stack, "Scratch", name="scratch", environment="dev")
    StatefulnessGuard.apply(app, environment="prod")
    # THEN the synth fails naming the mismatch, not choices the user never wrote
    with pytest.raises(RuntimeError, match="environment mismatch") as raised:
        app.synth()
    message = str(raised.value)
    assert "Data/Scratch" in message
    assert "built for environment 'dev'" in message
    assert "StatefulnessGuard for 'prod'" in message
    assert "environment='prod'" in message


def test_an_override_the_guard_cannot_see_still_wins() -> None:
    # The guard fills through the L1 property; CDK merges the user's override after it.
    app = cdk.App()
    stack = cdk.Stack(app, "Data")
    bucket = s3.Bucket(stack, "Assets")
    cfn = bucket.node.default_child
    assert isinstance(cfn, s3.CfnBucket)
    cfn.add_property_override("VersioningConfiguration.Status", "Suspended")
    StatefulnessGuard.apply(app, environment="staging")
    template = app.synth().get_stack_by_name("Data").template
    (props,) = [r["Properties"] for r in by_type(template, "AWS::S3::Bucket").values()]
    assert props["VersioningConfiguration"] == {"Status": "Suspended"}


def _scope() -> cdk.App:
    return cdk.App()


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"scope": None}, "scope"),
        ({"fail_synth": None}, "fail_synth"),
        ({"enrol_backups": "yes"}, "enrol_backups"),
        ({"termination_protection": "on"}, "termination_protection"),
        ({"environment": 1}, "environment"),
        ({"policy": "prod"}, "policy"),
    ],
)
def test_arguments_are_refused_with_a_one_line_fix(arguments: dict[str, Any], field: str) -> None:
    given: dict[str, Any] = {"scope": _scope(), "environment": "prod", **arguments}
    if field == "policy":
        given.pop("environment")
    scope = given.pop("scope")
    with pytest.raises(StatefulnessError) as raised:
        StatefulnessGuard.apply(scope, **given)
    message = str(raised.value)
    assert message.startswith(f"[invalid-value] {field}=")
    assert "Fix: " in message
    assert "\n" not in message


def test_no_stray_state_between_a_refused_and_an_accepted_apply(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path))
    cdk.Stack(app, "Data")
    with pytest.raises(StatefulnessError):
        StatefulnessGuard.apply(app, environment="prod", fail_synth=None)  # type: ignore[arg-type]
    guard = StatefulnessGuard.apply(app, environment="prod")
    assert guard.fail_synth is True
    assert guard.enrol_backups is True
