"""Stack policies: what they deny, their size limit, and the command's files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lattice_cdk.cfn import Resource, Stack
from lattice_cdk.changes._stack_policy import (
    MAX_POLICY_BYTES,
    build_stack_policy,
    stack_policies,
)

from ..helpers import run_lattice


def _stack(resources: dict[str, str], **fields: Any) -> Stack:
    records = {
        lid: Resource(logical_id=lid, type=kind, properties={}) for lid, kind in resources.items()
    }
    template = {"Resources": {lid: {"Type": kind} for lid, kind in resources.items()}}
    return Stack(name="S", template_path="S.json", template=template, resources=records, **fields)


def test_denies_replace_and_delete_on_stateful_resources_only() -> None:
    policy = build_stack_policy(
        _stack({"Table": "AWS::DynamoDB::Table", "Role": "AWS::IAM::Role", "Q": "AWS::SQS::Queue"})
    )
    allow, deny = policy["Statement"]
    assert allow == {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}
    assert deny["Effect"] == "Deny"
    assert deny["Action"] == ["Update:Replace", "Update:Delete"]
    assert deny["Resource"] == ["LogicalResourceId/Q", "LogicalResourceId/Table"]


def test_a_stateless_stack_gets_an_allow_only_policy() -> None:
    policy = build_stack_policy(_stack({"Role": "AWS::IAM::Role"}))
    assert [s["Effect"] for s in policy["Statement"]] == ["Allow"]


def test_a_policy_past_the_size_limit_denies_by_resource_type() -> None:
    many = {f"Bucket{i:05d}WithAVeryLongLogicalId": "AWS::S3::Bucket" for i in range(600)}
    many["Table"] = "AWS::DynamoDB::Table"
    policy = build_stack_policy(_stack(many))
    assert len(json.dumps(policy)) <= MAX_POLICY_BYTES
    deny = policy["Statement"][1]
    assert deny["Resource"] == "*"
    assert deny["Condition"] == {
        "StringEquals": {"ResourceType": ["AWS::DynamoDB::Table", "AWS::S3::Bucket"]}
    }


def test_nested_stacks_are_covered_by_their_parent() -> None:
    from lattice_cdk.cfn import Assembly

    parent = _stack({"Nested": "AWS::CloudFormation::Stack"})
    table = _stack({"T": "AWS::DynamoDB::Table"})
    child = Stack(
        name="S/Nested",
        template_path="n.json",
        template=table.template,
        resources=table.resources,
        parent="S",
        parent_logical_id="Nested",
    )
    policies = stack_policies(Assembly(source="x", stacks=(parent, child)))
    assert list(policies) == ["S"]
    assert policies["S"][1]["Statement"][1]["Resource"] == ["LogicalResourceId/Nested"]


def test_command_writes_one_file_per_stack_with_the_apply_command(tmp_path: Path) -> None:
    for name in ("Data", "Api"):
        (tmp_path / f"{name}.template.json").write_text(
            json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}})
        )
    out = tmp_path / "policies"
    result = run_lattice("stack-policy", str(tmp_path), "--output-dir", str(out), "--stack", "Data")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["Data.stack-policy.json"]
    assert (
        f"aws cloudformation set-stack-policy --stack-name Data --stack-policy-body "
        f"file://{out / 'Data.stack-policy.json'}" in result.stdout
    )
    unknown = run_lattice("stack-policy", str(tmp_path), "--stack", "Nope")
    assert unknown.returncode == 1
    assert "no top-level stack named Nope" in unknown.stderr
    assert "Did you mean" not in unknown.stderr
    misspelt = run_lattice("stack-policy", str(tmp_path), "--stack", "Dta")
    assert misspelt.returncode == 1
    assert "Did you mean 'Data'?" in misspelt.stderr
