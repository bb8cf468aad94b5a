"""``LatticeGuardHook`` and ``lattice guard-rules --hook-template``: the same hooks,
synthesized and cfn-lint clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template
from cfnlint.api import ManualArgs, lint

from lattice_cdk import InputError, LatticeGuardHook
from lattice_cdk.enforce import read_index

HOOK = "AWS::CloudFormation::GuardHook"


def _lint(template: dict[str, Any]) -> list[tuple[str, str]]:
    matches = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
    return [(m.rule.id, m.message) for m in matches]


def _hooks(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"]["Alias"]: r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == HOOK
    }


@pytest.fixture(scope="module")
def synthesized(example: Path) -> dict[str, Any]:
    app = cdk.App()
    stack = cdk.Stack(app, "Hooks", env=cdk.Environment(region="us-east-1"))
    LatticeGuardHook(stack, "Guard", rules_dir=example / "rules")
    return dict(Template.from_stack(stack).to_json())


def test_hook_template_is_cfn_lint_clean(example: Path) -> None:
    template = json.loads((example / "hook.json").read_text())
    assert _lint(template) == []
    assert set(_hooks(template)) == {
        "Lattice::Guard::Dev",
        "Lattice::Guard::Staging",
        "Lattice::Guard::Prod",
    }


def test_construct_is_cfn_lint_clean(synthesized: dict[str, Any]) -> None:
    # W3005 on aws-cdk-lib's own BucketDeployment Lambda (a DependsOn CDK adds beside
    # a GetAtt) is the only thing cfn-lint says; Lattice's resources draw nothing.
    problems = [
        (rule, message)
        for rule, message in _lint(synthesized)
        if not (rule == "W3005" and "CustomCDKBucketDeployment" in message)
    ]
    assert problems == []


def test_one_failing_hook_per_environment_filtered_to_its_stacks(
    example: Path, synthesized: dict[str, Any]
) -> None:
    index = read_index(example / "rules")
    hooks = _hooks(synthesized)
    for environment in ("dev", "staging", "prod"):
        props = hooks[f"Lattice::Guard::{environment.capitalize()}"]
        assert props["FailureMode"] == "FAIL"
        assert props["HookStatus"] == "ENABLED"
        assert props["TargetOperations"] == ["STACK", "CHANGE_SET"]
        names = sorted(s["stack"] for s in index["stacks"] if s["environment"] == environment)
        assert props["StackFilters"]["StackNames"]["Include"] == names


def test_construct_and_template_hooks_are_the_same(
    example: Path, synthesized: dict[str, Any]
) -> None:
    plain = _hooks(json.loads((example / "hook.json").read_text()))
    built = _hooks(synthesized)

    def comparable(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k not in ("RuleLocation", "ExecutionRole")}

    assert {a: comparable(p) for a, p in built.items()} == {
        a: comparable(p) for a, p in plain.items()
    }


def test_rules_bucket_is_versioned_retained_encrypted_and_ssl_only(
    synthesized: dict[str, Any],
) -> None:
    template = Template.from_json(synthesized)
    template.has_resource(
        "AWS::S3::Bucket",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "BucketEncryption": Match.any_value(),
                }
            ),
        },
    )
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": Match.object_like(
                {
                    "Statement": Match.array_with(
                        [
                            Match.object_like(
                                {
                                    "Effect": "Deny",
                                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                                }
                            )
                        ]
                    )
                }
            )
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": Match.object_like(
                {
                    "Statement": [
                        Match.object_like(
                            {"Principal": {"Service": "hooks.cloudformation.amazonaws.com"}}
                        )
                    ]
                }
            )
        },
    )


def test_rule_location_is_the_uploaded_bundle_in_that_bucket(synthesized: dict[str, Any]) -> None:
    bucket = next(k for k, v in synthesized["Resources"].items() if v["Type"] == "AWS::S3::Bucket")
    for props in _hooks(synthesized).values():
        parts = props["RuleLocation"]["Uri"]["Fn::Join"][1]
        assert parts[0] == "s3://"
        assert parts[1] == {"Ref": bucket}
        assert parts[3]["Fn::Select"][1]["Fn::GetAtt"][1] == "SourceObjectKeys"


def test_a_folder_without_rules_is_refused_at_construction(tmp_path: Path) -> None:
    stack = cdk.Stack(cdk.App(), "Hooks")
    with pytest.raises(InputError, match=r"\[missing-input\].*lattice guard-rules"):
        LatticeGuardHook(stack, "Guard", rules_dir=tmp_path)
