"""``lattice destroy-plan``: each stateful resource's fate when its stack is deleted."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from lattice_cdk.cfn import load
from lattice_cdk.changes._destroy import destroy_plan

from ..example_app import synth_example
from ..helpers import run_lattice

RESOURCES: dict[str, Any] = {
    "Deleted": {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {"TableName": "orders", "KeySchema": []},
        "DeletionPolicy": "Delete",
    },
    "Kept": {
        "Type": "AWS::S3::Bucket",
        "Properties": {"BucketName": "kept-data"},
        "DeletionPolicy": "Retain",
    },
    "Snapped": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres"}},
    "Protected": {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {"DeletionProtectionEnabled": True},
        "DeletionPolicy": "Delete",
    },
    "Full": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Delete"},
    "Emptied": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Delete"},
    "AutoDelete": {
        "Type": "Custom::S3AutoDeleteObjects",
        "Properties": {"ServiceToken": "arn", "BucketName": {"Ref": "Emptied"}},
    },
    "Vault": {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": "v"}},
    "Locked": {
        "Type": "AWS::Backup::BackupVault",
        "Properties": {"BackupVaultName": "l", "LockConfiguration": {"MinRetentionDays": 7}},
        "DeletionPolicy": "Delete",
    },
    "Unknown": {
        "Type": "AWS::SQS::Queue",
        "DeletionPolicy": {"Fn::If": ["Prod", "Retain", "Delete"]},
    },
    "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
}


def _template(tmp_path: Path, resources: dict[str, Any] | None = None) -> Path:
    path = tmp_path / "Data.template.json"
    path.write_text(json.dumps({"Resources": resources or RESOURCES}), encoding="utf-8")
    return path


def test_each_fate(tmp_path: Path) -> None:
    (plan,) = destroy_plan(load(_template(tmp_path)).stacks)
    fates = {item.logical_id: item.fate for item in plan.items}
    assert fates == {
        "Deleted": "deleted",
        "Emptied": "deleted",
        "Kept": "retained",
        "Snapped": "snapshot",  # no DeletionPolicy: RDS's own default is Snapshot
        "Protected": "blocked",
        "Full": "blocked",
        "Vault": "blocked",
        "Locked": "blocked",
        "Unknown": "unknown",
    }
    items = {item.logical_id: item for item in plan.items}
    assert "auto-delete-objects empties it first" in items["Emptied"].detail
    assert "unless it is empty" in items["Full"].detail
    assert "recovery points" in items["Vault"].detail
    assert "locked" in items["Locked"].detail
    assert "deletion protection is on" in items["Protected"].detail
    assert items["Kept"].cleanup == (
        "aws cloudcontrol delete-resource --type-name AWS::S3::Bucket --identifier 'kept-data'"
    )
    assert items["Deleted"].cleanup is None
    assert plan.summary() == (
        "Data: 2 deleted, 4 blocked, 1 unknown, 1 snapshot, 1 retained "
        "(termination protection unknown)"
    )


def test_the_cli_writes_text_json_and_markdown(tmp_path: Path) -> None:
    template = str(_template(tmp_path))
    text = run_lattice("destroy-plan", template)
    assert text.returncode == 0, text.stderr
    assert "Data: 2 deleted, 4 blocked" in text.stdout
    assert "later: aws cloudcontrol delete-resource" in text.stdout
    as_json = run_lattice("destroy-plan", template, "--format", "json")
    (stack,) = json.loads(as_json.stdout)["stacks"]
    assert stack["counts"] == {
        "deleted": 2,
        "blocked": 4,
        "unknown": 1,
        "snapshot": 1,
        "retained": 1,
    }
    markdown = run_lattice("destroy-plan", template, "--format", "markdown", "-o", "-")
    assert "| Fate | Resource |" in markdown.stdout
    assert "| retained | Kept | AWS::S3::Bucket |" in markdown.stdout


def test_a_missing_path_is_an_input_error(tmp_path: Path) -> None:
    result = run_lattice("destroy-plan", str(tmp_path / "nope.json"))
    assert result.returncode == 1
    assert result.stderr.startswith("lattice: error: [")


def test_the_example_app_plan(tmp_path: Path) -> None:
    out = synth_example(tmp_path / "cdk.out")
    result = run_lattice("destroy-plan", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    stacks = {s["stack"]: s for s in json.loads(result.stdout)["stacks"]}
    prod = [s for name, s in stacks.items() if "prod" in name.lower()]
    assert prod, sorted(stacks)
    # Prod keeps its data: nothing there is deleted with it.
    for stack in prod:
        assert "deleted" not in stack["counts"], stack
    assert all(s["summary"].startswith(s["stack"] + ":") for s in stacks.values())


# -- --deployed, against moto's CloudFormation server ------------------------------------

DEPLOYED: dict[str, Any] = {
    "Resources": {
        "Bucket": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": "lattice-destroy-plan-kept"},
            "DeletionPolicy": "Retain",
        },
        "Table": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        },
    }
}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "cloudformation",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_stack(
        StackName="Data", TemplateBody=json.dumps(DEPLOYED), EnableTerminationProtection=False
    )
    yield url
    server.stop()


def test_deployed_reads_physical_ids_and_termination_protection(
    endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL_CLOUDFORMATION"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    local = _template(tmp_path, {"Other": {"Type": "AWS::S3::Bucket"}})
    result = run_lattice("destroy-plan", "--deployed", str(local), "--format", "json")
    assert result.returncode == 0, result.stderr
    (stack,) = json.loads(result.stdout)["stacks"]
    assert stack["termination_protection"] is False
    resources = {r["logical_id"]: r for r in stack["resources"]}
    assert set(resources) == {"Bucket", "Table"}  # the deployed template, not the local one
    assert resources["Bucket"]["fate"] == "retained"
    assert resources["Bucket"]["physical_id"] == "lattice-destroy-plan-kept"
    assert resources["Table"]["fate"] == "deleted"
    assert resources["Table"]["physical_id"]  # moto's generated table name
    absent = tmp_path / "Absent.template.json"
    absent.write_text(json.dumps({"Resources": {"X": {"Type": "AWS::S3::Bucket"}}}))
    result = run_lattice("destroy-plan", "--deployed", str(absent))
    assert result.returncode == 1
    assert "[not-deployed]" in result.stderr
