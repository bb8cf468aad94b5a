"""``lattice diff --deployed`` and ``lattice stack-policy --apply`` against moto's
CloudFormation server on loopback (a real HTTP endpoint, no mock of boto3)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from ..helpers import run_lattice

STACK = "LatticeData"
DEPLOYED: dict[str, Any] = {
    "Resources": {
        "Bucket": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": "lattice-moto-data"},
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
        "Table": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "TableName": "lattice-moto-orders",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
            "DeletionPolicy": "Retain",
        },
    }
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = _free_port()
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
    client.create_stack(StackName=STACK, TemplateBody=json.dumps(DEPLOYED))
    yield url
    server.stop()


@pytest.fixture
def aws_env(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL_CLOUDFORMATION"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    return endpoint


def _template(tmp_path: Path, mutate: Any = None, name: str = STACK) -> Path:
    template = json.loads(json.dumps(DEPLOYED))
    if mutate is not None:
        mutate(template["Resources"])
    path = tmp_path / f"{name}.template.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    return path


def test_unchanged_deployed_stack_is_safe(aws_env: str, tmp_path: Path) -> None:
    result = run_lattice("diff", "--deployed", STACK, str(_template(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "No findings." in result.stdout


def test_replacing_a_deployed_bucket_is_an_error(aws_env: str, tmp_path: Path) -> None:
    def rename_bucket(r: dict[str, Any]) -> None:
        r["Bucket"]["Properties"]["BucketName"] = "lattice-moto-data-v2"

    new = _template(tmp_path, rename_bucket)
    result = run_lattice("diff", "--deployed", STACK, str(new), "--format", "json")
    assert result.returncode == 2, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule_id"] == "LAT1604"
    assert finding["logical_id"] == "Bucket"
    assert finding["stack"] == STACK
    assert finding["template_path"] == str(new)


def test_explicit_flags_override_the_environment(
    aws_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    new = _template(tmp_path, lambda r: r.pop("Table"))
    result = run_lattice(
        "diff", "--deployed", STACK, str(new),
        "--endpoint-url", aws_env, "--region", "us-east-1", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 4, result.stderr  # Retain: orphaned, a warning
    assert [f["rule_id"] for f in json.loads(result.stdout)["findings"]] == ["LAT2602"]


def test_deployed_all_skips_stacks_not_deployed_yet(aws_env: str, tmp_path: Path) -> None:
    _template(tmp_path, lambda r: r["Table"].pop("DeletionPolicy"))
    _template(tmp_path, name="BrandNew")
    result = run_lattice("diff", "--deployed-all", str(tmp_path), "--format", "json")
    assert result.returncode == 4, result.stderr
    report = json.loads(result.stdout)
    assert report["not_deployed"] == "BrandNew"
    assert report["stacks"] == "1 compared, 0 removed, 0 added"
    assert [f["rule_id"] for f in report["findings"]] == ["LAT2610"]


def test_a_stack_that_is_not_deployed_is_unusable_input(aws_env: str, tmp_path: Path) -> None:
    result = run_lattice("diff", "--deployed", "Nope", str(_template(tmp_path, name="Nope")))
    assert result.returncode == 1
    assert "no such stack is deployed" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_endpoint_is_one_line(aws_env: str, tmp_path: Path) -> None:
    result = run_lattice(
        "diff", "--deployed", STACK, str(_template(tmp_path)), "--endpoint-url",
        "http://127.0.0.1:9",
    )  # fmt: skip
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot reach CloudFormation" in result.stderr


def test_stack_policy_apply_sets_the_policy(aws_env: str, tmp_path: Path) -> None:
    _template(tmp_path)
    out = tmp_path / "policies"
    result = run_lattice(
        "stack-policy", str(tmp_path), "--apply", "--output-dir", str(out), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)["stacks"]
    assert entry["applied"] is True
    client = boto3.client("cloudformation", endpoint_url=aws_env, region_name="us-east-1")
    applied = json.loads(client.get_stack_policy(StackName=STACK)["StackPolicyBody"])
    assert applied == json.loads((out / f"{STACK}.stack-policy.json").read_text())
    deny = applied["Statement"][1]
    assert deny["Effect"] == "Deny"
    assert deny["Action"] == ["Update:Replace", "Update:Delete"]
    assert deny["Resource"] == ["LogicalResourceId/Bucket", "LogicalResourceId/Table"]


def test_stack_policy_apply_to_a_missing_stack_fails(aws_env: str, tmp_path: Path) -> None:
    _template(tmp_path, name="NotDeployed")
    result = run_lattice("stack-policy", str(tmp_path), "--apply")
    assert result.returncode == 1
    assert "cannot set the stack policy" in result.stderr


def test_a_yaml_deployed_template_is_read(aws_env: str, tmp_path: Path) -> None:
    yaml_body = (
        "Resources:\n"
        "  Logs:\n"
        "    Type: AWS::S3::Bucket\n"
        "    DeletionPolicy: Retain\n"
        "    Properties:\n"
        "      BucketName: !Sub 'lattice-moto-logs-${AWS::Region}'\n"
    )
    client = boto3.client("cloudformation", endpoint_url=aws_env, region_name="us-east-1")
    client.create_stack(StackName="LatticeYaml", TemplateBody=yaml_body)
    new = tmp_path / "LatticeYaml.template.json"
    new.write_text(
        json.dumps(
            {
                "Resources": {
                    "Logs": {
                        "Type": "AWS::S3::Bucket",
                        "DeletionPolicy": "Retain",
                        "Properties": {
                            "BucketName": {"Fn::Sub": "lattice-moto-logs-v2-${AWS::Region}"}
                        },
                    }
                }
            }
        )
    )
    result = run_lattice("diff", "--deployed", "LatticeYaml", str(new), "--format", "json")
    assert result.returncode == 4, result.stderr  # an intrinsic changed: may replace
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule_id"] == "LAT2605"
    assert "cannot be evaluated" in finding["message"]


def _table(logical_id: str, *, topic: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    resources: dict[str, Any] = {logical_id: {"Type": "AWS::DynamoDB::Table", "Properties": props}}
    if topic:
        resources["Alerts"] = {"Type": "AWS::SNS::Topic"}
    return {"Resources": resources}


def test_what_diff_predicts_is_what_cloudformation_does(aws_env: str, tmp_path: Path) -> None:
    # moto as the independent judge: an added resource keeps the data, a changed
    # logical id loses it, as lattice diff says before each update. (moto cannot update
    # a table's own properties in place, so the safe change is an added topic.)
    cfn = boto3.client("cloudformation", endpoint_url=aws_env, region_name="us-east-1")
    ddb = boto3.client("dynamodb", endpoint_url=aws_env, region_name="us-east-1")
    cfn.create_stack(StackName="LatticeJudge", TemplateBody=json.dumps(_table("Orders")))

    def physical(logical_id: str) -> str:
        detail = cfn.describe_stack_resource(StackName="LatticeJudge", LogicalResourceId=logical_id)
        return str(detail["StackResourceDetail"]["PhysicalResourceId"])

    table = physical("Orders")
    ddb.put_item(TableName=table, Item={"pk": {"S": "order-1"}})

    def diff_then_update(template: dict[str, Any]) -> dict[str, Any]:
        path = tmp_path / "LatticeJudge.template.json"
        path.write_text(json.dumps(template))
        result = run_lattice("diff", "--deployed", "LatticeJudge", str(path), "--format", "json")
        cfn.update_stack(StackName="LatticeJudge", TemplateBody=json.dumps(template))
        return {"code": result.returncode, **json.loads(result.stdout)}

    safe = diff_then_update(_table("Orders", topic=True))
    assert (safe["code"], safe["findings"]) == (0, [])
    assert ddb.scan(TableName=table)["Count"] == 1  # the data survived

    refactor = diff_then_update(_table("StorageOrders"))
    assert refactor["code"] == 2
    (finding,) = refactor["findings"]
    assert (finding["rule_id"], finding["logical_id"]) == ("LAT1603", "Orders")
    assert "StorageOrders" in finding["message"]
    assert "deleted with its data" in finding["message"]
    assert table not in ddb.list_tables()["TableNames"]  # ...and it was
    assert ddb.scan(TableName=physical("StorageOrders"))["Count"] == 0
