"""Templates as CloudFormation deploys them: ``Fn::ForEach`` expanded (the shape of
AWS's samples: nested loops, ``${}`` and ``&{}``, collections from parameters), loops
and transforms that cannot be evaluated reported per resource, never a refused file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lattice_cdk import InputError
from lattice_cdk.cfn import load
from lattice_cdk.checker import check

from ..helpers import run_lattice

TABLES = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  TableNames:
    Type: CommaDelimitedList
    Default: "Points, Score, Name, Leaderboard"
  Unknown:
    Type: CommaDelimitedList
Resources:
  Fn::ForEach::Tables:
    - TableName
    - !Ref TableNames
    - DynamoDB${TableName}:
        Type: AWS::DynamoDB::Table
        Properties:
          TableName: !Ref TableName
          BillingMode: PAY_PER_REQUEST
          KeySchema:
            - AttributeName: id
              KeyType: HASH
          AttributeDefinitions:
            - AttributeName: id
              AttributeType: S
  Fn::ForEach::Buckets:
    - Env
    - [prod-a, dev.b]
    - Fn::ForEach::Kinds:
        - Kind
        - [logs, data]
        - Bucket&{Env}${Kind}:
            Type: AWS::S3::Bucket
            DeletionPolicy: Retain
            UpdateReplacePolicy: Retain
            Properties:
              BucketName: !Sub "${Env}-${Kind}-bucket"
  Fn::ForEach::Queues:
    - Name
    - !Ref Unknown
    - Queue${Name}:
        Type: AWS::SQS::Queue
  Plain:
    Type: AWS::SNS::Topic
Outputs:
  Fn::ForEach::TableArns:
    - TableName
    - !Ref TableNames
    - ${TableName}Arn:
        Value: !GetAtt [!Sub "DynamoDB${TableName}", Arn]
"""


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    path = tmp_path / "tables.yaml"
    path.write_text(TABLES)
    return path


def test_loops_expand_as_cloudformation_expands_them(tables: Path) -> None:
    stack = load(tables).stacks[0]
    assert sorted(stack.resources) == [
        "Bucketdevbdata",
        "Bucketdevblogs",
        "Bucketprodadata",
        "Bucketprodalogs",
        "DynamoDBLeaderboard",
        "DynamoDBName",
        "DynamoDBPoints",
        "DynamoDBScore",
        "Plain",
    ]
    assert stack.resources["DynamoDBScore"].properties["TableName"] == "Score"
    bucket = stack.resources["Bucketprodalogs"]
    assert bucket.properties["BucketName"] == {"Fn::Sub": "prod-a-logs-bucket"}
    assert bucket.deletion_policy == "Retain"
    assert sorted(stack.template["Outputs"]) == [
        "LeaderboardArn",
        "NameArn",
        "PointsArn",
        "ScoreArn",
    ]
    assert list(stack.unevaluated) == ["Fn::ForEach::Queues"]
    unknown = stack.unevaluated["Fn::ForEach::Queues"]
    assert unknown.reason.startswith("its collection is parameter 'Unknown', which has no default")
    assert "a parameter with a Default" in unknown.fix
    assert "--template-stage Processed" in unknown.fix
    assert unknown.type is None  # a loop, not a resource


def test_check_judges_the_generated_resources_and_reports_the_unknown_loop(
    tables: Path,
) -> None:
    result = check(load(tables), environment="prod")
    by_rule: dict[str, set[str | None]] = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule_id, set()).add(finding.logical_id)
    assert {"DynamoDBPoints", "DynamoDBScore", "DynamoDBName", "DynamoDBLeaderboard"} <= (
        by_rule["LAT1001"]
    )
    assert "Fn::ForEach::Queues" in by_rule["LAT2901"]
    [loop] = [f for f in result.findings if f.logical_id == "Fn::ForEach::Queues"]
    assert loop.message.startswith("Fn::ForEach::Queues: its collection is parameter")
    assert loop.fix == load(tables).stacks[0].unevaluated["Fn::ForEach::Queues"].fix
    assert not any(str(i).startswith("Bucket") for i in by_rule["LAT1001"])
    cli = run_lattice("check", str(tables), "--environment", "prod")
    assert cli.returncode & 2, cli.stdout + cli.stderr  # errors found, nothing refused
    assert not cli.returncode & 1
    assert "DynamoDBLeaderboard" in cli.stdout


def test_another_transform_leaves_only_its_own_resources_unevaluated(tmp_path: Path) -> None:
    path = tmp_path / "sam.yaml"
    path.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Sessions:\n"
        "    Type: AWS::Serverless::SimpleTable\n"
        "  Data:\n"
        "    Type: AWS::S3::Bucket\n"
    )
    stack = load(path).stacks[0]
    assert list(stack.resources) == ["Data"]
    assert "AWS::Serverless-2016-10-31" in stack.unevaluated["Sessions"].reason
    findings = check(load(path), environment="prod").findings
    assert {(f.rule_id, f.logical_id) for f in findings} >= {
        ("LAT2901", "Sessions"),
        ("LAT1001", "Data"),
    }
    # The fix is the transform's: check the template CloudFormation processed, not
    # "use literal values" (there is no value to make literal).
    [sessions] = [f for f in findings if f.logical_id == "Sessions"]
    assert "get-template --stack-name <stack> --template-stage Processed" in sessions.fix
    assert "literal" not in sessions.fix


def test_a_loop_over_a_list_default_and_a_ref_to_the_identifier(tmp_path: Path) -> None:
    template = {
        "Transform": ["AWS::LanguageExtensions"],
        "Parameters": {"Names": {"Type": "List<String>", "Default": ["a-1", "b-2"]}},
        "Resources": {
            "Fn::ForEach::Topics": [
                "N",
                {"Ref": "Names"},
                {
                    "Topic&{N}": {
                        "Type": "AWS::SNS::Topic",
                        "Properties": {"TopicName": {"Ref": "N"}},
                    }
                },
            ]
        },
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template))
    stack = load(path).stacks[0]
    assert {k: r.properties["TopicName"] for k, r in stack.resources.items()} == {
        "Topica1": "a-1",
        "Topicb2": "b-2",
    }


@pytest.mark.parametrize(
    ("loop", "says"),
    [
        (["X", ["a"]], "is not [Identifier, Collection"),
        (["X", ["a", "a"], {"T${X}": {"Type": "AWS::SNS::Topic"}}], "generates 'Ta'"),
        (
            [
                "X",
                [str(i) for i in range(200)],
                {
                    "Fn::ForEach::Inner": [
                        "Y",
                        [str(i) for i in range(200)],
                        {"T${X}x${Y}": {"Type": "AWS::SNS::Topic"}},
                    ]
                },
            ],
            "more than 10,000 entries",
        ),
    ],
)
def test_a_loop_cloudformation_would_refuse_is_an_input_error(
    tmp_path: Path, loop: list[object], says: str
) -> None:
    path = tmp_path / "t.json"
    template = {"Transform": "AWS::LanguageExtensions", "Resources": {"Fn::ForEach::L": loop}}
    path.write_text(json.dumps(template))
    with pytest.raises(InputError) as caught:
        load(path)
    assert caught.value.code == "malformed-template"
    assert says in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_loop_without_the_transform_is_refused_as_cloudformation_refuses_it(
    tmp_path: Path,
) -> None:
    loop = ["X", ["a", "b"], {"T${X}": {"Type": "AWS::SNS::Topic"}}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"Resources": {"Fn::ForEach::L": loop}}))
    with pytest.raises(InputError) as caught:
        load(path)
    assert caught.value.code == "malformed-template"
    assert "'Fn::ForEach::L' is an Fn::ForEach loop" in str(caught.value)
    assert caught.value.fix == "declare 'Transform: AWS::LanguageExtensions' in the template."
    # Under the transform, the same loop makes its two topics.
    path.write_text(
        json.dumps({"Transform": "AWS::LanguageExtensions", "Resources": {"Fn::ForEach::L": loop}})
    )
    assert sorted(load(path).stacks[0].resources) == ["Ta", "Tb"]


def test_a_loop_inside_properties_expands_and_an_unknown_one_sets_its_resource_apart(
    tmp_path: Path,
) -> None:
    loop = {"Fn::ForEach::Names": ["N", ["A", "B"], {"Tag${N}": {"Ref": "N"}}]}
    unknown = {"Fn::ForEach::Names": ["N", {"Fn::Split": [",", "a,b"]}, {"T${N}": "x"}]}
    template = {
        "Transform": "AWS::LanguageExtensions",
        "Resources": {
            "Known": {"Type": "AWS::SNS::Topic", "Properties": {"Extra": loop}},
            "Unknown": {"Type": "AWS::SQS::Queue", "Properties": {"Extra": unknown}},
        },
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template))
    stack = load(path).stacks[0]
    assert stack.resources["Known"].properties["Extra"] == {"TagA": "A", "TagB": "B"}
    assert list(stack.resources) == ["Known"]
    assert list(stack.unevaluated) == ["Unknown"]
    # The loop that failed is an inner one: the reason names it.
    assert stack.unevaluated["Unknown"].reason == (
        "Fn::ForEach::Names: its collection is computed at deploy time"
    )
    # The entry is the queue itself, and says so (a destroy plan lists it by type).
    assert stack.unevaluated["Unknown"].type == "AWS::SQS::Queue"
