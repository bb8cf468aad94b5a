"""End to end on a real CloudFormation engine: does production data survive?

The example app's prod and dev stacks are deployed to moto's CloudFormation (a
ThreadedMotoServer on loopback), filled with objects and items, and deleted.

What moto cannot show, and where it is asserted instead (never pretended):
- moto treats DeletionPolicy Snapshot as Delete and ignores RDS deletion protection on
  stack delete, so the prod database's Snapshot policy and deletion protection are
  asserted on the template;
- moto ignores UpdateReplacePolicy and AWS::Backup::* (it skips them with a warning):
  both are asserted on the template;
- moto never deletes a non-empty bucket (real CloudFormation fails such a delete), so
  dev buckets are left empty to show which ones the stack delete removes;
- moto cannot run Lambda-backed custom resources without Docker: the dev bucket's
  ``Custom::S3AutoDeleteObjects`` resource and its provider are removed before deploying
  (and asserted present on the template), and moto's KMS model only accepts tags as
  ``TagKey``/``TagValue``, so KMS key tags are rewritten for moto.
"""

from __future__ import annotations

import copy
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from lattice_cdk.cfn import load

from ..example_app import synth_example
from ..helpers import run_lattice

pytestmark = pytest.mark.filterwarnings(
    "ignore:Tried to parse .* but it's not supported by moto's CloudFormation:UserWarning"
)

REGION = "us-east-1"
AUTO_DELETE = "Custom::S3AutoDeleteObjects"
AUTO_DELETE_PROVIDER = "CustomS3AutoDeleteObjectsCustomResourceProvider"


def for_moto(template: dict[str, Any]) -> dict[str, Any]:
    """The template with the two moto limitations above worked around (see docstring)."""
    result = copy.deepcopy(template)
    resources = result["Resources"]
    for logical_id in [
        lid
        for lid, body in resources.items()
        if body["Type"] == AUTO_DELETE or lid.startswith(AUTO_DELETE_PROVIDER)
    ]:
        del resources[logical_id]
    for body in resources.values():
        props = body.get("Properties", {})
        if body["Type"] == "AWS::KMS::Key" and "Tags" in props:
            props["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in props["Tags"]]
        depends = body.get("DependsOn")
        if isinstance(depends, list):
            body["DependsOn"] = [d for d in depends if d in resources]
        elif isinstance(depends, str) and depends not in resources:
            del body["DependsOn"]
    return result


@dataclass
class Moto:
    endpoint: str
    assembly: Path

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def template(self, stack_name: str) -> dict[str, Any]:
        stack = load(self.assembly).stack(stack_name)
        assert stack is not None, stack_name
        return dict(stack.template)

    def deploy(self, stack_name: str, *, as_name: str | None = None) -> dict[str, str]:
        """Deploy ``stack_name`` of the assembly; return logical id -> physical id."""
        cf = self.client("cloudformation")
        name = as_name or stack_name
        cf.create_stack(
            StackName=name,
            TemplateBody=json.dumps(for_moto(self.template(stack_name))),
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        )
        (stack,) = cf.describe_stacks(StackName=name)["Stacks"]
        assert stack["StackStatus"] == "CREATE_COMPLETE", stack
        return {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in cf.describe_stack_resources(StackName=name)["StackResources"]
            # moto lists the types it skipped (Backup, bucket policies...) without ids
            if "PhysicalResourceId" in r
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moto]:
    assembly = synth_example(tmp_path_factory.mktemp("example") / "cdk.out")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = Moto(endpoint=f"http://127.0.0.1:{port}", assembly=assembly)
    # The VPCs hold no data; deploy them once, both Data stacks import from them.
    env.deploy("Prod-Network")
    env.deploy("Dev-Network")
    yield env
    server.stop()


def _ids_of(template: dict[str, Any], resource_type: str) -> list[str]:
    return [lid for lid, r in template["Resources"].items() if r["Type"] == resource_type]


def test_prod_data_survives_stack_deletion(moto: Moto) -> None:
    template = moto.template("Prod-Data")
    physical = moto.deploy("Prod-Data", as_name="Lifecycle-Prod-Data")
    s3, dynamodb, kms = moto.client("s3"), moto.client("dynamodb"), moto.client("kms")
    buckets = [physical[lid] for lid in _ids_of(template, "AWS::S3::Bucket")]
    tables = [physical[lid] for lid in _ids_of(template, "AWS::DynamoDB::Table")]
    keys = [physical[lid] for lid in _ids_of(template, "AWS::KMS::Key")]
    assert len(buckets) >= 4  # critical, compliance, uploads (guarded), backup reports
    assert tables
    assert keys
    for bucket in buckets:
        s3.put_object(Bucket=bucket, Key="orders/2026-11-25.json", Body=b'{"id": 1}')
    for table in tables:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "customer#1"}})

    moto.client("cloudformation").delete_stack(StackName="Lifecycle-Prod-Data")

    remaining = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    for bucket in buckets:
        assert bucket in remaining
        assert s3.get_object(Bucket=bucket, Key="orders/2026-11-25.json")["Body"].read()
    for table in tables:
        assert dynamodb.scan(TableName=table)["Count"] == 1
    key_ids = {k["KeyId"] for k in kms.list_keys()["Keys"]}
    assert set(keys) <= key_ids


def test_prod_protection_moto_cannot_show_is_on_the_template(moto: Moto) -> None:
    resources = moto.template("Prod-Data")["Resources"]
    (db_id,) = _ids_of({"Resources": resources}, "AWS::RDS::DBInstance")
    database = resources[db_id]
    assert database["DeletionPolicy"] == "Snapshot"
    assert database["UpdateReplacePolicy"] == "Snapshot"
    assert database["Properties"]["DeletionProtection"] is True
    for lid in _ids_of({"Resources": resources}, "AWS::S3::Bucket"):
        assert resources[lid]["UpdateReplacePolicy"] == "Retain", lid
    types = {r["Type"] for r in resources.values()}
    assert {"AWS::Backup::BackupPlan", "AWS::Backup::BackupSelection"} <= types
    assert AUTO_DELETE not in types


def test_dev_tables_and_disposable_buckets_are_gone(moto: Moto) -> None:
    template = moto.template("Dev-Data")
    assert AUTO_DELETE in {r["Type"] for r in template["Resources"].values()}
    physical = moto.deploy("Dev-Data", as_name="Lifecycle-Dev-Data")
    s3, dynamodb = moto.client("s3"), moto.client("dynamodb")
    resources = template["Resources"]
    tables = [physical[lid] for lid in _ids_of(template, "AWS::DynamoDB::Table")]
    for table in tables:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "session#1"}})
    by_policy: dict[str, set[str]] = {"Delete": set(), "Retain": set()}
    for lid in _ids_of(template, "AWS::S3::Bucket"):
        by_policy[resources[lid]["DeletionPolicy"]].add(physical[lid])
    assert by_policy["Delete"]  # the critical bucket: disposable in dev
    assert by_policy["Retain"]  # the force_retain compliance bucket, kept even in dev

    moto.client("cloudformation").delete_stack(StackName="Lifecycle-Dev-Data")

    remaining_tables = set(dynamodb.list_tables()["TableNames"])
    assert not remaining_tables & set(tables)
    remaining_buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert not remaining_buckets & by_policy["Delete"]
    assert by_policy["Retain"] <= remaining_buckets


@pytest.fixture
def aws_env(moto: Moto, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL_CLOUDFORMATION"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.endpoint)


@pytest.fixture(scope="module")
def deployed_prod(moto: Moto) -> str:
    moto.deploy("Prod-Data")
    return "Prod-Data"


def test_diff_against_the_deployed_stack_is_clean(
    moto: Moto, deployed_prod: str, aws_env: None
) -> None:
    result = run_lattice("diff", "--deployed", deployed_prod, str(moto.assembly))
    assert result.returncode == 0, result.stdout + result.stderr


def test_diff_against_the_deployed_stack_catches_the_refactor(
    moto: Moto, deployed_prod: str, aws_env: None, tmp_path: Path
) -> None:
    refactored = synth_example(tmp_path / "cdk.out", refactored=True)
    result = run_lattice("diff", "--deployed", deployed_prod, str(refactored), "--format", "json")
    assert result.returncode != 0
    findings = json.loads(result.stdout)["findings"]
    renamed = [f for f in findings if "Critical" in (f["logical_id"] or "")]
    assert renamed, findings
    assert all(f["resource_type"] == "AWS::S3::Bucket" for f in renamed)
