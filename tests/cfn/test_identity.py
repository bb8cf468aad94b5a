"""A stack's identity is where it is deployed: one stack name in two regions is two
stacks, for load, diff, stack-policy and their labels (a real two-region CDK app)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lattice_cdk.cfn import load
from lattice_cdk.changes import diff_assemblies, match_stacks

from ..helpers import run_lattice

ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import aws_cdk as cdk
    from aws_cdk import aws_dynamodb as dynamodb

    outdir = tmp_path_factory.mktemp("two-regions") / "cdk.out"
    app = cdk.App(outdir=str(outdir))
    for stage_id, region in (("US", "us-east-1"), ("EU", "eu-west-1")):
        stage = cdk.Stage(app, stage_id, env=cdk.Environment(account=ACCOUNT, region=region))
        stack = cdk.Stack(stage, "Data", stack_name="data")
        dynamodb.Table(
            stack,
            "Table",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
    app.synth()
    return outdir


def test_same_named_stacks_in_two_regions_are_two_stacks(two_regions: Path) -> None:
    assembly = load(two_regions)
    assert sorted(s.identity for s in assembly.stacks) == [
        f"{ACCOUNT}/eu-west-1/data",
        f"{ACCOUNT}/us-east-1/data",
    ]
    assert sorted(s.label for s in assembly.stacks) == ["EU/Data", "US/Data"]
    assert [s.name for s in assembly.find("data")] == ["data", "data"]
    (eu,) = assembly.find(f"{ACCOUNT}/eu-west-1/data")
    assert eu.region == "eu-west-1"
    assert assembly.find("EU/Data") == (eu,)


def test_diff_of_an_assembly_with_itself_pairs_each_region(two_regions: Path) -> None:
    old, new = load(two_regions), load(two_regions)
    pairs, removed = match_stacks(old, new)
    assert removed == []
    assert sorted((p.old.region, p.new.region) for p in pairs) == [
        ("eu-west-1", "eu-west-1"),
        ("us-east-1", "us-east-1"),
    ]
    assert diff_assemblies(old, new) == []
    result = run_lattice("diff", str(two_regions), str(two_regions))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_stack_moved_to_another_region_is_removed_there(
    two_regions: Path, tmp_path: Path
) -> None:
    import shutil

    moved = tmp_path / "cdk.out"
    shutil.copytree(two_regions, moved)
    for manifest in moved.rglob("manifest.json"):
        text = manifest.read_text().replace("eu-west-1", "eu-central-1")
        manifest.write_text(text)
    pairs, removed = match_stacks(load(two_regions), load(moved))
    assert [s.identity for s in removed] == [f"{ACCOUNT}/eu-west-1/data"]
    assert [p.old.region for p in pairs] == ["us-east-1"]


def test_stack_policy_writes_one_policy_per_region(two_regions: Path, tmp_path: Path) -> None:
    out = tmp_path / "policies"
    result = run_lattice(
        "stack-policy", str(two_regions), "--output-dir", str(out), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    stacks = json.loads(result.stdout)["stacks"]
    assert sorted(s["region"] for s in stacks) == ["eu-west-1", "us-east-1"]
    assert sorted(p.name for p in out.iterdir()) == [
        f"data.{ACCOUNT}.eu-west-1.stack-policy.json",
        f"data.{ACCOUNT}.us-east-1.stack-policy.json",
    ]
    for entry in stacks:
        policy = json.loads(Path(entry["file"]).read_text())
        assert policy["Statement"][1]["Resource"][0].startswith("LogicalResourceId/Table")
    text = run_lattice("stack-policy", str(two_regions), "--output-dir", str(out))
    assert "--stack-name data --region eu-west-1" in text.stdout
    assert "--stack-name data --region us-east-1" in text.stdout


@pytest.mark.parametrize(
    ("name", "regions"),
    [
        ("EU/Data", ["eu-west-1"]),
        (f"{ACCOUNT}/us-east-1/data", ["us-east-1"]),
        ("data", ["eu-west-1", "us-east-1"]),
    ],
)
def test_stack_option_takes_any_name_users_see(
    two_regions: Path, name: str, regions: list[str]
) -> None:
    result = run_lattice("stack-policy", str(two_regions), "--stack", name, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert sorted(s["region"] for s in json.loads(result.stdout)["stacks"]) == regions


def test_stack_option_takes_the_display_name_of_a_single_stage(tmp_path: Path) -> None:
    import aws_cdk as cdk
    from aws_cdk import aws_s3 as s3

    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    stack = cdk.Stack(cdk.Stage(app, "Prod"), "Data")
    s3.Bucket(stack, "Logs")
    app.synth()
    for name in ("Prod/Data", "Prod-Data"):
        result = run_lattice("stack-policy", str(tmp_path / "cdk.out"), "--stack", name)
        assert result.returncode == 0, result.stderr
        assert "# Prod/Data: protects its stateful resources" in result.stdout


def test_apply_tries_every_stack_and_hides_the_endpoint_password(two_regions: Path) -> None:
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = run_lattice(
            "stack-policy",
            str(two_regions),
            "--apply",
            "--endpoint-url",
            "http://admin:hunter2@127.0.0.1:9",
            "--format",
            "json",
        )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.returncode == 1
    assert "hunter2" not in result.stdout + result.stderr
    stacks = json.loads(result.stdout)["stacks"]
    assert len(stacks) == 2
    for entry in stacks:
        assert entry["applied"] is False
        assert entry["error"].startswith("[aws-error] cloudformation:")
        assert "admin:***@127.0.0.1" in entry["error"]
    assert result.stderr.count("cannot set the stack policy") == 2


def test_file_names_never_collide_and_commands_are_quoted(tmp_path: Path) -> None:
    body = json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}})
    for name in ("x y", "x_y", "X_Y"):
        (tmp_path / f"{name}.json").write_text(body)
    out = tmp_path / "policies"
    result = run_lattice("stack-policy", str(tmp_path), "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "X_Y.stack-policy.json",  # files are read in sorted order: X_Y, x y, x_y
        "x_y-2.stack-policy.json",  # case-insensitive file systems count X_Y too
        "x_y-3.stack-policy.json",
    ]
    assert "--stack-name 'x y'" in result.stdout


def test_output_to_a_json_file_is_json(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text(json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}))
    target = tmp_path / "pd.json"
    result = run_lattice("stack-policy", str(tmp_path / "t.json"), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text())["stacks"][0]["stack"] == "t"


def test_plain_templates_of_one_name_in_two_folders_are_told_apart(tmp_path: Path) -> None:
    body = json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}})
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.json").write_text(body)
    assembly = load(tmp_path)
    assert sorted(s.label for s in assembly.stacks) == ["x (a/x.json)", "x (b/x.json)"]
    assert len({s.identity for s in assembly.stacks}) == 2
    pairs, removed = match_stacks(assembly, load(tmp_path))
    assert len(pairs) == 2
    assert removed == []


def test_stack_policy_on_a_folder_with_an_unreadable_file_still_fails(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text(json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}))
    (tmp_path / "bad.json").write_bytes(b'{"Resources": "\xff"}')
    result = run_lattice("stack-policy", str(tmp_path), "--format", "json")
    assert result.returncode == 1
    assert f"[malformed-template] {tmp_path / 'bad.json'}: is not UTF-8 text." in result.stderr
    assert [s["stack"] for s in json.loads(result.stdout)["stacks"]] == ["t"]
