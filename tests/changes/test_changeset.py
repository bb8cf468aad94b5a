"""Change sets judged by CloudFormation's own Replacement and PolicyAction.

moto's change sets report no replacement or policy action, so the live path is tested
with botocore's Stubber on responses in the real API shape (validated by the stubber
against the service model), and the file path through the CLI.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from lattice_cdk import InputError
from lattice_cdk.changes._changeset import fetch_change_set, judge_change_set, read_change_set
from lattice_cdk.changes._lock import Lock, LockEntry

from ..helpers import run_lattice

STACK = "prod-data"
NAME = "release-42"
STACK_ID = f"arn:aws:cloudformation:us-east-1:111111111111:stack/{STACK}/0f1e2d3c"
CHANGE_SET_ID = f"arn:aws:cloudformation:us-east-1:111111111111:changeSet/{NAME}/4b5a6c7d"


def _change(
    logical_id: str,
    action: str,
    *,
    resource_type: str = "AWS::RDS::DBInstance",
    replacement: str | None = None,
    policy: str | None = None,
    details: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    rc: dict[str, Any] = {
        "Action": action,
        "LogicalResourceId": logical_id,
        "ResourceType": resource_type,
        "Scope": ["Properties"] if action == "Modify" else [],
        "Details": details or [],
    }
    if action != "Add":
        rc["PhysicalResourceId"] = logical_id.lower() + "-1a2b3c"
    if replacement is not None:
        rc["Replacement"] = replacement
    if policy is not None:
        rc["PolicyAction"] = policy
    return {"Type": "Resource", "ResourceChange": rc}


def _detail(name: str, when: str, before: str, after: str) -> dict[str, Any]:
    return {
        "Target": {
            "Attribute": "Properties",
            "Name": name,
            "RequiresRecreation": when,
            "Path": f"/Properties/{name}",
            "BeforeValue": before,
            "AfterValue": after,
            "AttributeChangeType": "Modify",
        },
        "Evaluation": "Static",
        "ChangeSource": "DirectModification",
    }


def _response(changes: list[dict[str, Any]], token: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ChangeSetName": NAME,
        "ChangeSetId": CHANGE_SET_ID,
        "StackId": STACK_ID,
        "StackName": STACK,
        "CreationTime": dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC),
        "ExecutionStatus": "AVAILABLE",
        "Status": "CREATE_COMPLETE",
        "Changes": changes,
        "IncludeNestedStacks": False,
    }
    if token:
        body["NextToken"] = token
    return body


KMS = _detail(
    "KmsKeyId", "Always", "arn:aws:kms:us-east-1:1:key/a", "arn:aws:kms:us-east-1:1:key/b"
)
ENGINE = _detail("Engine", "Conditionally", "postgres", "aurora-postgresql")
CASES = [
    # (change, expected rule, words in the message)
    (_change("Gone", "Remove", policy="Delete"), "LAT1801", "deletes it and its data"),
    (_change("Kept", "Remove", policy="Retain"), "LAT3803", "left behind"),
    (_change("Snap", "Remove", policy="Snapshot"), "LAT3803", "final snapshot"),
    (
        _change("Rep", "Modify", replacement="True", policy="ReplaceAndDelete", details=[KMS]),
        "LAT1801",
        "KmsKeyId (Always",
    ),
    (
        _change("RepKept", "Modify", replacement="True", policy="ReplaceAndRetain", details=[KMS]),
        "LAT3803",
        "old one is left behind",
    ),
    (
        _change("RepSnap", "Modify", replacement="True", policy="ReplaceAndSnapshot"),
        "LAT3803",
        "after a final snapshot",
    ),
    (
        _change("Maybe", "Modify", replacement="Conditional", details=[ENGINE]),
        "LAT2802",
        "Engine (Conditionally",
    ),
    (_change("Routine", "Modify", replacement="False"), None, ""),
    (_change("New", "Add"), None, ""),
]


def _client() -> Any:
    return boto3.client(
        "cloudformation",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _expected_params(token: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "ChangeSetName": NAME,
        "StackName": STACK,
        "IncludePropertyValues": True,
    }
    if token:
        params["NextToken"] = token
    return params


@pytest.mark.parametrize(("change", "rule", "words"), CASES, ids=lambda c: str(c)[:40])
def test_each_policy_action_and_replacement_live(
    change: dict[str, Any], rule: str | None, words: str
) -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_response("describe_change_set", _response([change]), _expected_params())
        change_set = fetch_change_set(client, NAME, STACK)
        stub.assert_no_pending_responses()
    findings = judge_change_set(change_set)
    assert [f.rule_id for f in findings] == ([rule] if rule else [])
    if rule:
        assert words in findings[0].message
        assert findings[0].stack == STACK
        assert findings[0].template_path == f"cloudformation:{STACK}/{NAME}"


def test_every_page_is_read() -> None:
    client = _client()
    first = [_change("Gone", "Remove", policy="Delete")]
    second = [_change("Kept", "Remove", policy="Retain")]
    with Stubber(client) as stub:
        stub.add_response("describe_change_set", _response(first, "page-2"), _expected_params())
        stub.add_response("describe_change_set", _response(second), _expected_params("page-2"))
        change_set = fetch_change_set(client, NAME, STACK)
        stub.assert_no_pending_responses()
    assert [f.logical_id for f in judge_change_set(change_set)] == ["Gone", "Kept"]


def test_a_missing_change_set_is_an_input_error() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_client_error(
            "describe_change_set",
            service_error_code="ChangeSetNotFound",
            service_message=f"ChangeSet [{NAME}] does not exist",
            http_status_code=404,
            expected_params=_expected_params(),
        )
        with pytest.raises(InputError, match=r"\[not-deployed\].*ChangeSetNotFound"):
            fetch_change_set(client, NAME, STACK)


def test_stateless_changes_are_not_judged_and_unknown_values_are_reported(
    tmp_path: Path,
) -> None:
    client = _client()
    role = _change("Role", "Remove", resource_type="AWS::IAM::Role", policy="Delete")
    odd = _change("Odd", "Modify", replacement="Sometimes")
    with Stubber(client) as stub:
        stub.add_response("describe_change_set", _response([role]), _expected_params())
        assert judge_change_set(fetch_change_set(client, NAME, STACK)) == []
    # The stubber refuses a value outside the API's enum, so this one comes from a file.
    body = json.loads(json.dumps(_response([odd]), default=str))
    (finding,) = judge_change_set(_from_dict(body, tmp_path))
    assert finding.rule_id == "LAT1804"
    assert "Sometimes" in finding.message


def _from_dict(body: dict[str, Any], folder: Path) -> Any:
    path = folder / "cs.json"
    path.write_text(json.dumps(body, default=str), encoding="utf-8")
    return read_change_set(path)


def test_a_locked_resource_replaced_but_retained_still_breaks_the_lock(tmp_path: Path) -> None:
    lock = Lock(
        entries=(
            LockEntry(
                stack=STACK,
                logical_id="RepKept",
                type="AWS::RDS::DBInstance",
                properties={},
                construct_path=None,
            ),
        )
    )
    change = _change("RepKept", "Modify", replacement="True", policy="ReplaceAndRetain")
    findings = judge_change_set(_from_dict(_response([change]), tmp_path), lock=lock)
    assert [f.rule_id for f in findings] == ["LAT1703", "LAT3803"]


def _write(tmp_path: Path, name: str, changes: list[dict[str, Any]], **extra: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({**_response(changes), **extra}, default=str), encoding="utf-8")
    return path


def test_cli_reads_several_files(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.json", [CASES[0][0]])
    b = _write(tmp_path, "b.json", [CASES[1][0]], StackName="prod-logs")
    result = run_lattice("diff", "--change-set", str(a), str(b), "--format", "json")
    assert result.returncode == 2 | 8, result.stderr
    rows = json.loads(result.stdout)["findings"]
    assert sorted((r["rule_id"], r["stack"]) for r in rows) == [
        ("LAT1801", STACK),
        ("LAT3803", "prod-logs"),
    ]


def test_cli_refuses_a_partial_or_pending_change_set(tmp_path: Path) -> None:
    paged = _write(tmp_path, "paged.json", [], NextToken="more")
    result = run_lattice("diff", "--change-set", str(paged))
    assert result.returncode == 1
    assert "[malformed-change-set]" in result.stderr
    assert "NextToken" in result.stderr
    pending = _write(tmp_path, "pending.json", [], Status="CREATE_IN_PROGRESS")
    result = run_lattice("diff", "--change-set", str(pending))
    assert result.returncode == 1
    assert "not complete" in result.stderr
    text = tmp_path / "text.txt"
    text.write_text("CHANGES  Resource\n", encoding="utf-8")
    result = run_lattice("diff", "--change-set", str(text))
    assert result.returncode == 1
    assert "is not JSON" in result.stderr
