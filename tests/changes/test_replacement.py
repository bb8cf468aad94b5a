"""Exact replacement facts: the guide's update behaviour, the traps, and the vendored data."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from lattice_cdk.cfn import Resource, Stack
from lattice_cdk.changes import diff_stacks, replacement_info
from lattice_cdk.changes._replacement import judge_replacement
from lattice_cdk.changes._schemas import update_behaviour

ROOT = Path(__file__).resolve().parents[2]

DB: dict[str, Any] = {
    "DBInstanceClass": "db.t3.micro",
    "Engine": "postgres",
    "AllocatedStorage": "20",
    "DBInstanceIdentifier": "orders-db",
    "MasterUsername": "admin",
    "KmsKeyId": "arn:aws:kms:us-east-1:111111111111:key/one",
    "StorageEncrypted": True,
    "BackupRetentionPeriod": 30,
    "MultiAZ": False,
    "AutoMinorVersionUpgrade": False,
}
TABLE: dict[str, Any] = {
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PROVISIONED",
    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
}


def _stack(resource_type: str, props: dict[str, Any]) -> Stack:
    resource = Resource(logical_id="Subject", type=resource_type, properties=props)
    template = {"Resources": {"Subject": {"Type": resource_type, "Properties": props}}}
    return Stack(
        name="s", template_path="s.json", template=template, resources={"Subject": resource}
    )


def _rules(resource_type: str, before: dict[str, Any], **changes: Any) -> list[str]:
    after = copy.deepcopy(before)
    for key, value in changes.items():
        if value is None:
            after.pop(key, None)
        else:
            after[key] = value
    findings = diff_stacks(_stack(resource_type, before), _stack(resource_type, after))
    return [f.rule_id for f in findings]


@pytest.mark.parametrize(
    "changes",
    [
        {"BackupRetentionPeriod": 35},
        {"MultiAZ": True},
        {"AutoMinorVersionUpgrade": True},
        {"DBInstanceClass": "db.r6g.large", "AllocatedStorage": "100"},
    ],
)
def test_routine_rds_changes_give_no_finding(changes: dict[str, Any]) -> None:
    # The guide: "Some interruptions" / "No interruption"; the registry's
    # conditionalCreateOnlyProperties (and cdk diff) would say "may replace".
    assert _rules("AWS::RDS::DBInstance", DB, **changes) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"BillingMode": "PAY_PER_REQUEST", "ProvisionedThroughput": None},
        {"ProvisionedThroughput": {"ReadCapacityUnits": 50, "WriteCapacityUnits": 5}},
        {"SSESpecification": {"SSEEnabled": True}},
        {"StreamSpecification": {"StreamViewType": "NEW_IMAGE"}},
    ],
)
def test_routine_dynamodb_changes_give_no_finding(changes: dict[str, Any]) -> None:
    assert _rules("AWS::DynamoDB::Table", TABLE, **changes) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"MasterUsername": "root"},
        {"DBInstanceIdentifier": "orders-db-2"},
        {"KmsKeyId": "arn:aws:kms:us-east-1:111111111111:key/two"},
    ],
)
def test_real_rds_replacements_are_errors(changes: dict[str, Any]) -> None:
    assert _rules("AWS::RDS::DBInstance", DB, **changes) == ["LAT1604"]


def test_a_new_key_schema_replaces_the_table() -> None:
    rules = _rules(
        "AWS::DynamoDB::Table",
        TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    assert rules == ["LAT1604"]


def test_a_conditional_change_names_the_guides_condition() -> None:
    before = stack = _stack("AWS::DynamoDB::Table", TABLE)
    changed = copy.deepcopy(TABLE)
    changed["AttributeDefinitions"][0]["AttributeType"] = "N"
    (finding,) = diff_stacks(stack, _stack("AWS::DynamoDB::Table", changed))
    assert finding.rule_id == "LAT2605"
    assert "Replacement if you edit an existing AttributeDefinition" in finding.message
    assert before is stack


@pytest.mark.parametrize(
    ("resource_type", "prop"),
    [
        ("AWS::RDS::DBInstance", "DBSnapshotIdentifier"),
        ("AWS::RDS::DBCluster", "SnapshotIdentifier"),
    ],
)
def test_losing_the_snapshot_identifier_is_caught(resource_type: str, prop: str) -> None:
    restored = {"Engine": "postgres", prop: "orders-2026-11-01"}
    findings = diff_stacks(
        _stack(resource_type, restored), _stack(resource_type, {"Engine": "postgres"})
    )
    assert [f.rule_id for f in findings] == ["LAT1620"]
    assert "new, empty database" in findings[0].message
    changed = _rules(resource_type, restored, **{prop: "orders-2026-11-20"})
    assert changed == ["LAT1620"]
    assert _rules(resource_type, restored, Engine="postgres") == []  # kept: no finding


def test_a_literal_that_becomes_a_parameter_or_import() -> None:
    assert _rules("AWS::RDS::DBInstance", DB, MasterUsername={"Ref": "User"}) == ["LAT2621"]
    imported = {"Fn::ImportValue": "shared-key"}
    assert _rules("AWS::RDS::DBInstance", DB, KmsKeyId=imported) == ["LAT2621"]
    # An intrinsic that changes into another one cannot be evaluated: may replace.
    refd = {**DB, "MasterUsername": {"Ref": "User"}}
    assert _rules("AWS::RDS::DBInstance", refd, MasterUsername={"Ref": "Other"}) == ["LAT2605"]


def test_a_resource_referring_to_a_replaced_one() -> None:
    group = {"Type": "AWS::RDS::DBSubnetGroup", "Properties": {"DBSubnetGroupName": "a"}}
    db = {
        "Type": "AWS::RDS::DBInstance",
        "Properties": {**DB, "DBSubnetGroupName": {"Ref": "Group"}},
    }
    old = {"Resources": {"Group": group, "Db": db}}
    new = copy.deepcopy(old)
    new["Resources"]["Group"]["Properties"]["DBSubnetGroupName"] = "b"

    def stack(t: dict[str, Any]) -> Stack:
        res = {
            k: Resource(logical_id=k, type=v["Type"], properties=v["Properties"])
            for k, v in t["Resources"].items()
        }
        return Stack(name="s", template_path="s.json", template=t, resources=res)

    assert [(f.rule_id, f.logical_id) for f in diff_stacks(stack(old), stack(new))] == [
        ("LAT2622", "Db")
    ]


def test_judgement_has_no_verdict_for_an_unknown_type() -> None:
    assert not judge_replacement("Custom::Thing", {"A": 1}, {"A": 2}).any


# -- the vendored data -----------------------------------------------------------------


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen_update_behaviour", ROOT / "scripts" / "gen_update_behaviour.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_vendored_file_is_what_the_generator_builds() -> None:
    gen = _generator()
    committed = (ROOT / "src/lattice_cdk/changes/data/update_behaviour.jsonl").read_text(
        encoding="utf-8"
    )
    assert gen.build() == committed, "run: python scripts/gen_update_behaviour.py build"


def test_the_extract_records_the_guide_commit_and_every_stateful_type() -> None:
    from lattice_cdk.cfn import stateful_types

    data = update_behaviour()
    assert data["guide"]["repository"] == "awsdocs/aws-cloudformation-user-guide"
    assert len(data["guide"]["commit"]) == 40
    assert data["types"] > 1800
    missing = [t for t in stateful_types() if replacement_info(t) is None]
    assert missing == []
    db = replacement_info("AWS::RDS::DBInstance")
    assert db is not None
    assert db.behaviour(("BackupRetentionPeriod",)) == "some-interruptions"
    assert db.behaviour(("MasterUsername",)) == "replacement"
    assert db.behaviour(("DeletionProtection",)) == "no-interruption"


def test_the_extractor_reads_a_guide_page(tmp_path: Path) -> None:
    page = tmp_path / "doc_source" / "aws-resource-example-thing.md"
    page.parent.mkdir()
    page.write_text(
        '# AWS::Example::Thing<a name="aws-resource-example-thing"></a>\n\n'
        '## Properties<a name="p"></a>\n\n'
        '`Name`  <a name="cfn-name"></a>\nThe name\\.  \n*Required*: No  \n'
        "*Update requires*: [Replacement](https://docs.aws.amazon.com/x.html#update-replacement)\n\n"
        '`Size`  <a name="cfn-size"></a>\n*Update requires*: [Some interruptions](https://x)\\. '
        "Replacement if you shrink it\\.  \n\n"
        '## Return values<a name="r"></a>\n\n`Ignored`  <a name="i"></a>\n'
        "*Update requires*: [No interruption](x)\n",
        encoding="utf-8",
    )
    gen = _generator()
    data = gen.extract(tmp_path)
    assert data["types"] == {
        "AWS::Example::Thing": {
            "Name": "Replacement",
            "Size": "Some interruptions. Replacement if you shrink it.",
        }
    }
    assert gen.classify("Some interruptions. Replacement if you shrink it.") == (
        "conditional",
        "Some interruptions. Replacement if you shrink it.",
    )
    committed = json.loads(
        (ROOT / "src/lattice_cdk/changes/data/guide_update_requires.json").read_text(
            encoding="utf-8"
        )
    )
    assert (
        committed["types"]["AWS::RDS::DBInstance"]["BackupRetentionPeriod"] == "Some interruptions"
    )
