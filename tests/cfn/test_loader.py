"""Loading templates, folders and real CDK cloud assemblies; every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lattice_cdk import InputError
from lattice_cdk.cfn import Assembly, load

YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Data:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      BucketName: !Sub "${AWS::StackName}-data"
      Tags:
        - Key: owner
          Value: !GetAtt Owner.Name
      VersioningConfiguration: !If [IsProd, {Status: Enabled}, !Ref AWS::NoValue]
  Owner:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Join ["-", [a, !Select [0, !Split [",", "x,y"]]]]
"""


def test_yaml_short_tags_become_long_forms(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(YAML)
    stack = load(path).stacks[0]
    data = stack.resources["Data"]
    assert data.deletion_policy == "Retain"
    assert data.properties["BucketName"] == {"Fn::Sub": "${AWS::StackName}-data"}
    assert data.properties["Tags"][0]["Value"] == {"Fn::GetAtt": ["Owner", "Name"]}
    assert data.properties["VersioningConfiguration"] == {
        "Fn::If": ["IsProd", {"Status": "Enabled"}, {"Ref": "AWS::NoValue"}]
    }
    value = stack.resources["Owner"].properties["Value"]
    assert value == {"Fn::Join": ["-", ["a", {"Fn::Select": [0, {"Fn::Split": [",", "x,y"]}]}]]}
    assert stack.template["Conditions"]["IsProd"] == {"Fn::Equals": [{"Ref": "Env"}, "prod"]}


def test_folder_skips_files_that_are_not_templates(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "a.template.json").write_text('{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.yaml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    assembly = load(tmp_path)
    assert [s.name for s in assembly.stacks] == ["a", "b"]
    assert not assembly.is_cloud_assembly


# -- a real cloud assembly: stages, nested stacks, tags, acknowledgements -------------------


@pytest.fixture(scope="module")
def cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import aws_cdk as cdk
    from aws_cdk import aws_dynamodb as dynamodb
    from aws_cdk import aws_s3 as s3

    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    top = cdk.Stack(app, "Shared", termination_protection=True)
    s3.Bucket(top, "Logs", removal_policy=cdk.RemovalPolicy.RETAIN)
    stage = cdk.Stage(app, "Prod", env=cdk.Environment(account="123456789012", region="eu-west-1"))
    data = cdk.Stack(stage, "Data")
    cdk.Tags.of(data).add("lattice:environment", "prod")
    bucket = s3.Bucket(data, "Bucket")
    cdk.Validations.of(bucket).acknowledge(
        cdk.Acknowledgment(id="lattice::LAT1201", reason="backed up by the central account")
    )
    nested = cdk.NestedStack(data, "Tables")
    dynamodb.Table(
        nested,
        "Orders",
        partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
    )
    app.synth()
    return outdir


def test_cloud_assembly_with_stage_and_nested_stack(cdk_out: Path) -> None:
    assembly = load(cdk_out)
    assert assembly.is_cloud_assembly
    labels = sorted(s.label for s in assembly.stacks)
    assert labels == ["Prod/Data", "Prod/Data/Tables", "Shared"]
    shared = assembly.stack("Shared")
    assert shared is not None
    assert shared.termination_protection is True
    data = assembly.stack("Prod/Data")
    assert data is not None
    assert data.termination_protection is False
    assert data.tags["lattice:environment"] == "prod"
    assert (data.account, data.region) == ("123456789012", "eu-west-1")
    assert shared.region is None  # environment-agnostic
    nested = next(s for s in assembly.stacks if s.parent == data.name)
    assert nested.parent_logical_id is not None
    assert nested.tags == data.tags
    table = next(r for r in nested.resources.values() if r.type == "AWS::DynamoDB::Table")
    assert table.construct_path == "Prod/Data/Tables/Orders/Resource"


def test_cdk_acknowledgements_are_read_from_the_manifest(cdk_out: Path) -> None:
    data = load(cdk_out).stack("Prod/Data")
    assert data is not None
    assert data.cdk_acknowledgements["/Prod/Data/Bucket"] == {
        "lattice::LAT1201": "backed up by the central account"
    }


def test_manifest_path_loads_the_assembly(cdk_out: Path) -> None:
    assert isinstance(load(cdk_out / "manifest.json"), Assembly)


def test_single_template_of_an_assembly(cdk_out: Path) -> None:
    template = cdk_out / "Shared.template.json"
    stack = load(template).stacks[0]
    assert stack.termination_protection is None  # a bare template does not say


# -- bad input ------------------------------------------------------------------------------


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load(path)
    return caught.value


def test_missing_path(tmp_path: Path) -> None:
    error = _error(tmp_path / "nope.json")
    assert error.code == "missing-input"
    assert str(tmp_path / "nope.json") in str(error)


@pytest.mark.parametrize(
    ("name", "text", "code", "says"),
    [
        ("bad.json", '{"Resources": {', "malformed-template", "line 1"),
        ("bad.yaml", "Resources:\n  A: [unclosed\n", "malformed-template", "not valid YAML"),
        ("empty.json", "  \n", "malformed-template", "is empty"),
        ("list.json", "[1, 2]", "not-a-template", "not a mapping"),
        ("package.json", '{"name": "x"}', "not-a-template", "no 'Resources'"),
        ("notype.json", '{"Resources": {"A": {"Properties": {}}}}', "malformed-template", "'A'"),
        (
            "props.yaml",
            "Resources:\n  A:\n    Type: X::Y::Z\n    Properties: 3\n",
            "malformed-template",
            "Properties",
        ),
    ],
)
def test_malformed_templates(tmp_path: Path, name: str, text: str, code: str, says: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    error = _error(path)
    assert error.code == code
    assert says in str(error)
    assert str(path) in str(error)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(b"\xff\xfe\x00{")
    assert _error(path).code == "malformed-template"


def test_empty_assembly(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "48.0.0", "artifacts": {}}))
    error = _error(tmp_path)
    assert error.code == "empty-input"
    assert "no stacks" in str(error)


def test_empty_folder(tmp_path: Path) -> None:
    assert _error(tmp_path).code == "empty-input"


def test_assembly_naming_a_missing_template(tmp_path: Path) -> None:
    manifest = {
        "version": "48.0.0",
        "artifacts": {
            "S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.json"}}
        },
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    error = _error(tmp_path)
    assert error.code == "missing-input"
    assert "S.json" in str(error)


def test_project_folder_reads_its_cdk_out_as_an_assembly(tmp_path: Path, cdk_out: Path) -> None:
    import shutil

    shutil.copytree(cdk_out, tmp_path / "cdk.out")
    (tmp_path / "package.json").write_text('{"scripts": {"Resources": "not a template"}}')
    modules = tmp_path / "node_modules" / "lib"
    modules.mkdir(parents=True)
    (modules / "t.json").write_text('{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')
    (tmp_path / "extra.yaml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    assembly = load(tmp_path)
    labels = sorted(s.label for s in assembly.stacks)
    assert labels == ["Prod/Data", "Prod/Data/Tables", "Shared", "extra"]
    data = assembly.stack("Prod/Data")
    assert data is not None
    assert data.tags["lattice:environment"] == "prod"  # read through the manifest


# -- a folder run reads every file it can ---------------------------------------------------


def test_a_broken_assembly_in_a_folder_is_a_problem_and_the_rest_loads(
    tmp_path: Path, cdk_out: Path
) -> None:
    import shutil

    shutil.copytree(cdk_out, tmp_path / "good" / "cdk.out")
    broken = tmp_path / "broken" / "cdk.out"
    shutil.copytree(cdk_out, broken)
    (broken / "Shared.template.json").unlink()
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "manifest.json").write_text('{"name": "app", "icons": []}')
    assembly = load(tmp_path)
    assert "Shared" in {s.label for s in assembly.stacks}
    (problem,) = assembly.problems
    assert problem.path == str(broken / "Shared.template.json")
    assert problem.code == "missing-input"
    assert problem.reason == "no such file."


def test_a_foreign_manifest_is_not_an_assembly(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"name": "app"}')
    error = _error(tmp_path / "manifest.json")
    assert error.code == "not-a-template"
    assert "no 'artifacts' mapping" in str(error)
    (tmp_path / "t.yaml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    folder = load(tmp_path)  # a folder with a web app's manifest.json is a folder
    assert [s.name for s in folder.stacks] == ["t"]
    assert not folder.is_cloud_assembly


def test_a_folder_of_only_unreadable_files_reports_them(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_bytes(b'{"Resources": "\xff"}')
    assembly = load(tmp_path)
    assert assembly.stacks == ()
    assert [p.reason for p in assembly.problems] == ["is not UTF-8 text."]


def test_a_symbolic_link_to_a_template_is_read(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text('{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "t.json").symlink_to(target)
    assembly = load(tmp_path / "in")
    assert [s.name for s in assembly.stacks] == ["t"]
    assert assembly.problems == ()


def test_a_nested_stack_whose_template_is_not_in_the_assembly_is_unevaluated_with_its_fix(
    tmp_path: Path,
) -> None:
    from lattice_cdk.checker import check

    root = tmp_path / "cdk.out"
    root.mkdir()
    child = {
        "Type": "AWS::CloudFormation::Stack",
        "Properties": {"TemplateURL": "https://example.com/elsewhere.json"},
    }
    (root / "S.template.json").write_text(json.dumps({"Resources": {"Child": child}}))
    artifact = {
        "type": "aws:cloudformation:stack",
        "properties": {"templateFile": "S.template.json"},
    }
    (root / "manifest.json").write_text(
        json.dumps({"version": "48.0.0", "artifacts": {"S": artifact}})
    )
    [stack] = load(root).stacks
    assert stack.unevaluated["Child"].reason.startswith(
        "a nested stack whose template is not in the cloud assembly"
    )
    [finding] = [f for f in check(load(root), environment="dev").findings if f.rule_id == "LAT2901"]
    assert finding.logical_id == "Child"
    assert finding.fix == stack.unevaluated["Child"].fix
    assert finding.fix.startswith("run Lattice on the nested stack's own template")
