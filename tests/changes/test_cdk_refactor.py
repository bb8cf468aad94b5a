"""The refactor that loses data, on real CDK synth output: moving a bucket under a new
parent changes its logical id; ``lattice diff`` catches it and both documented fixes
(a wrapper whose inner resource is ``Default``, ``override_logical_id``) silence it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lattice_cdk.cfn import load
from lattice_cdk.changes import diff_assemblies
from lattice_cdk.changes._lock import build_lock, lock_findings

from ..helpers import run_lattice

Build = Callable[[object], None]


def _apps(root: Path) -> dict[str, Path]:
    import aws_cdk as cdk
    from aws_cdk import aws_dynamodb as dynamodb
    from aws_cdk import aws_s3 as s3
    from constructs import Construct

    def bucket(scope: Construct, cid: str) -> s3.Bucket:
        return s3.Bucket(scope, cid, versioned=True, removal_policy=cdk.RemovalPolicy.RETAIN)

    def table(scope: Construct) -> None:
        dynamodb.Table(
            scope,
            "Orders",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )

    class DataStore(Construct):
        def __init__(self, scope: Construct, cid: str) -> None:
            super().__init__(scope, cid)
            bucket(self, "Default")

    def v1(stack: cdk.Stack) -> None:
        bucket(stack, "Data")
        table(stack)

    def moved(stack: cdk.Stack) -> None:
        bucket(Construct(stack, "Storage"), "Data")
        table(stack)

    def wrapped(stack: cdk.Stack) -> None:
        DataStore(stack, "Data")
        table(stack)

    def overridden(stack: cdk.Stack) -> None:
        moved_bucket = bucket(Construct(stack, "Storage"), "Data")
        cfn = moved_bucket.node.default_child
        assert isinstance(cfn, s3.CfnBucket)
        cfn.override_logical_id(_V1_BUCKET_ID)
        table(stack)

    def moved_and_edited(stack: cdk.Stack) -> None:
        s3.Bucket(
            Construct(stack, "Storage"),
            "Data",
            versioned=True,
            encryption=s3.BucketEncryption.S3_MANAGED,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        table(stack)

    def rekeyed(stack: cdk.Stack) -> None:
        bucket(stack, "Data")
        dynamodb.Table(
            stack,
            "Orders",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )

    out: dict[str, Path] = {}
    for name, build in {
        "v1": v1, "moved": moved, "wrapped": wrapped, "overridden": overridden, "rekeyed": rekeyed,
        "moved_and_edited": moved_and_edited,
    }.items():  # fmt: skip
        outdir = root / name
        # The context the CDK CLI passes: construct paths in the template metadata.
        app = cdk.App(outdir=str(outdir), context={"aws:cdk:enable-path-metadata": True})
        build(cdk.Stack(app, "DataStack", stack_name="prod-data"))
        app.synth()
        out[name] = outdir
    return out


_V1_BUCKET_ID = "Data666C94C7"


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _apps(tmp_path_factory.mktemp("cdk"))


def test_v1_bucket_id_is_what_cdk_gives(apps: dict[str, Path]) -> None:
    stack = load(apps["v1"]).stack("prod-data")
    assert stack is not None
    buckets = [r.logical_id for r in stack.resources.values() if r.type == "AWS::S3::Bucket"]
    assert buckets == [_V1_BUCKET_ID]


def test_moving_the_bucket_is_reported_as_a_rename(apps: dict[str, Path]) -> None:
    findings = diff_assemblies(load(apps["v1"]), load(apps["moved"]))
    assert [(f.rule_id, f.logical_id) for f in findings] == [("LAT1603", _V1_BUCKET_ID)]
    assert "StorageData" in findings[0].message
    assert findings[0].stack == "DataStack"  # the CDK display name; matched as prod-data
    assert findings[0].construct_path == "DataStack/Data/Resource"


@pytest.mark.parametrize("fixed", ["wrapped", "overridden"])
def test_the_documented_fixes_keep_the_logical_id(apps: dict[str, Path], fixed: str) -> None:
    assert diff_assemblies(load(apps["v1"]), load(apps[fixed])) == []


def test_a_new_partition_key_replaces_the_table(apps: dict[str, Path]) -> None:
    findings = diff_assemblies(load(apps["v1"]), load(apps["rekeyed"]))
    assert [f.rule_id for f in findings] == ["LAT1604"]
    assert findings[0].resource_type == "AWS::DynamoDB::Table"
    assert "KeySchema" in findings[0].message


def test_the_lock_guards_the_same_refactor(apps: dict[str, Path]) -> None:
    lock = build_lock(load(apps["v1"]))
    # Keyed by the stack's identity: its artifact id, as its account and region are
    # not resolved (the files helper's change; stack name 'prod-data').
    assert {e.stack for e in lock.entries} == {"DataStack"}
    moved = lock_findings(load(apps["moved"]), lock)
    assert [(f.rule_id, f.logical_id) for f in moved] == [("LAT1702", _V1_BUCKET_ID)]
    assert lock_findings(load(apps["wrapped"]), lock) == []


def test_a_renamed_stack_in_an_assembly_is_a_removed_stack(
    apps: dict[str, Path], tmp_path: Path
) -> None:
    import json
    import shutil

    renamed = tmp_path / "renamed"
    shutil.copytree(apps["v1"], renamed)
    manifest = json.loads((renamed / "manifest.json").read_text())
    manifest["artifacts"]["DataStack"]["properties"]["stackName"] = "prod-data-v2"
    (renamed / "manifest.json").write_text(json.dumps(manifest))
    findings = diff_assemblies(load(apps["v1"]), load(renamed))
    assert {f.rule_id for f in findings} == {"LAT2607"}  # both resources are retained
    assert {f.resource_type for f in findings} == {"AWS::S3::Bucket", "AWS::DynamoDB::Table"}


# -- the fix, written out: cdk refactor's override file and override_logical_id --------


def _check_documented_override_shape(mapping: Any, old_ids: set[str], new_ids: set[str]) -> None:
    """The shape the CDK CLI documents for 'cdk refactor --override-file' (aws-cdk
    README, "cdk refactor"): {"mappings": [{"account", "region", "resources": {"Stack.
    OldId": "Stack.NewId"}}]}; a source is a deployed location, a destination a free one."""
    assert set(mapping) == {"mappings"}
    assert isinstance(mapping["mappings"], list)
    for group in mapping["mappings"]:
        assert set(group) == {"account", "region", "resources"}
        assert re.fullmatch(r"\d{12}", group["account"])
        assert re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", group["region"])
        for source, destination in group["resources"].items():
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*\.[A-Za-z0-9]+", source)
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*\.[A-Za-z0-9]+", destination)
            assert source in old_ids
            assert destination not in old_ids
            assert destination in new_ids


def _ids(path: Path) -> set[str]:
    return {f"{s.name}.{lid}" for s in load(path).stacks for lid in s.resources}


def test_format_refactor_writes_the_override_file(apps: dict[str, Path]) -> None:
    result = run_lattice(
        "diff", str(apps["v1"]), str(apps["moved"]), "--format", "refactor",
        "--account", "111111111111", "--region", "eu-west-1",
    )  # fmt: skip
    assert result.returncode == 2, result.stderr  # the rename is still an error
    mapping = json.loads(result.stdout)
    _check_documented_override_shape(mapping, _ids(apps["v1"]), _ids(apps["moved"]))
    (group,) = mapping["mappings"]
    (source, destination) = next(iter(group["resources"].items()))
    assert source == f"prod-data.{_V1_BUCKET_ID}"
    assert destination.startswith("prod-data.StorageData")


def test_an_environment_agnostic_stack_needs_account_and_region(apps: dict[str, Path]) -> None:
    result = run_lattice("diff", str(apps["v1"]), str(apps["moved"]), "--format", "refactor")
    assert result.returncode == 1
    assert "[usage]" in result.stderr
    assert "--account and --region" in result.stderr


def test_text_output_shows_the_override_line_and_the_pure_move(apps: dict[str, Path]) -> None:
    result = run_lattice("diff", str(apps["v1"]), str(apps["moved"]))
    assert result.returncode == 2
    assert f"override_logical_id('{_V1_BUCKET_ID}')" in result.stdout
    assert "1 pure move(s) that 'cdk refactor' can apply" in result.stdout


def test_a_rename_mixed_with_edits_is_reported_as_such(apps: dict[str, Path]) -> None:
    findings = diff_assemblies(load(apps["v1"]), load(apps["moved_and_edited"]))
    assert [(f.rule_id, f.logical_id) for f in findings] == [("LAT1603", _V1_BUCKET_ID)]
    result = run_lattice("diff", str(apps["v1"]), str(apps["moved_and_edited"]))
    assert "0 pure move(s)" in result.stdout
    assert "mixed with other edits" in result.stdout
    refactor = run_lattice(
        "diff", str(apps["v1"]), str(apps["moved_and_edited"]), "--format", "refactor",
        "--account", "111111111111", "--region", "eu-west-1",
    )  # fmt: skip
    assert json.loads(refactor.stdout) == {"mappings": []}
    assert "is a rename mixed with other edits" in refactor.stderr
    assert f"override_logical_id('{_V1_BUCKET_ID}')" in refactor.stderr
