"""The vendored knowledge: generated from its sources byte for byte, valid against its
schema, and the only thing Lattice reads at run time."""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from cfnlint.helpers import valid_snapshot_types

from lattice_cdk.cfn import stateful_type, stateful_types
from lattice_cdk.cfn._knowledge import (
    KNOWLEDGE,
    is_known_resource_type,
    known_resource_types,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = KNOWLEDGE.with_name("knowledge.schema.json")

#: The types issue 12 names as missed or newer data stores.
ISSUE_TYPES = {
    "AWS::CodeCommit::Repository",
    "AWS::DirectoryService::MicrosoftAD",
    "AWS::DirectoryService::SimpleAD",
    "AWS::IoTAnalytics::Datastore",
    "AWS::IoTAnalytics::Channel",
    "AWS::IoTAnalytics::Dataset",
    "AWS::OpenSearchServerless::Collection",
    "AWS::AmazonMQ::Broker",
    "AWS::RedshiftServerless::Namespace",
    "AWS::DSQL::Cluster",
    "AWS::NeptuneGraph::Graph",
    "AWS::S3Tables::TableBucket",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::CloudTrail::EventDataStore",
    "AWS::Backup::LogicallyAirGappedBackupVault",
    "AWS::Timestream::Database",
    "AWS::FSx::Volume",
    "AWS::KMS::ReplicaKey",
    "AWS::CodeArtifact::Repository",
    "AWS::ACMPCA::CertificateAuthority",
}


def _generator() -> ModuleType:
    path = ROOT / "scripts" / "gen_knowledge.py"
    spec = importlib.util.spec_from_file_location("gen_knowledge", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _generator()


@pytest.fixture(scope="module")
def sources(gen: ModuleType) -> Any:
    return gen.Sources()


def test_vendored_knowledge_regenerates_byte_identically(gen: ModuleType, sources: Any) -> None:
    committed = KNOWLEDGE.read_bytes()
    assert gen.build(sources).encode("utf-8") == committed, (
        "cfn/data/knowledge.json differs from its sources: run 'make knowledge'"
    )


def test_the_header_names_the_installed_sources(sources: Any) -> None:
    header = json.loads(KNOWLEDGE.read_text(encoding="utf-8"))["sources"]
    assert header == {
        "@aws-cdk/aws-service-spec": sources.spec_version,
        "cfn-lint": sources.cfn_lint_version,
        "stateful_facts.json": sources.facts_digest,
    }
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    assert pinned["@aws-cdk/aws-service-spec"] == header["@aws-cdk/aws-service-spec"]


def test_knowledge_follows_its_json_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(
        json.loads(KNOWLEDGE.read_text(encoding="utf-8"))
    )


def test_the_schema_rejects_a_broken_entry() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(KNOWLEDGE.read_text(encoding="utf-8"))
    bucket = data["stateful_types"]["AWS::S3::Bucket"]
    bucket["versioning"] = {"path": "VersioningConfiguration.Status"}  # neither on nor min
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_generation_fails_on_a_property_the_schema_lacks(gen: ModuleType, sources: Any) -> None:
    broken = copy.copy(sources)
    broken.facts = copy.deepcopy(sources.facts)
    broken.facts["types"]["AWS::DSQL::Cluster"]["deletion_protection"]["path"] = (
        "DeletionProtection"
    )
    broken.facts["types"]["AWS::Nope::Thing"] = {}
    broken.facts["types"]["AWS::SQS::Queue"] = {"snapshot": True}
    with pytest.raises(gen.SourceError) as caught:
        gen.build(broken)
    lines = str(caught.value).splitlines()
    assert lines == [
        "[knowledge-unknown-property] AWS::DSQL::Cluster: DeletionProtection is not in its "
        "CloudFormation schema",
        "[knowledge-unknown-type] AWS::Nope::Thing has no CloudFormation schema",
        "[knowledge-facts] AWS::SQS::Queue: 'snapshot' comes from cfn-lint's "
        "valid_snapshot_types; remove it from stateful_facts.json",
    ]


def test_generation_fails_on_an_arn_the_service_spec_disputes(
    gen: ModuleType, sources: Any
) -> None:
    broken = copy.copy(sources)
    broken.facts = copy.deepcopy(sources.facts)
    broken.facts["types"]["AWS::S3::Bucket"]["arn"] = "s3|bucket/{BucketName}"
    with pytest.raises(gen.SourceError, match=r"\[knowledge-arn\] AWS::S3::Bucket"):
        gen.build(broken)


def test_check_mode_reports_drift(gen: ModuleType, tmp_path: Path, monkeypatch: Any) -> None:
    stale = tmp_path / "knowledge.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(gen, "OUTPUT", stale)
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "{}\n"  # --check never writes


def test_run_time_reads_only_the_vendored_file() -> None:
    # An audit hook records every file opened while the knowledge loads.
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda e, a: opened.append(str(a[0])) if e == 'open' else None)\n"
        "from lattice_cdk.cfn import _knowledge as k\n"
        "k.stateful_types(); k.known_resource_types()\n"
        "print('\\n'.join(p for p in opened if p.endswith('.json')))\n"
        "print('cfnlint' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert out == [str(KNOWLEDGE), "False"]


def test_snapshot_capable_types_are_exactly_cfn_lints() -> None:
    ours = {name for name, t in stateful_types().items() if t.snapshot}
    assert ours == set(valid_snapshot_types)


def test_every_cfn_lint_stateful_type_is_known(sources: Any) -> None:
    assert set(sources.cfn_lint_stateful) <= set(stateful_types())
    spec = {name for name, e in sources.spec.items() if e.get("isStateful")}
    assert spec <= set(stateful_types())
    bucket = stateful_type("AWS::S3::Bucket")
    assert bucket is not None
    assert bucket.delete_requires_empty  # cfn-lint's DeleteRequiresEmptyResource
    assert set(bucket.sources) == {"aws-service-spec", "cfn-lint", "lattice"}


def test_breadth_includes_the_missed_and_newer_types() -> None:
    assert set(stateful_types()) >= ISSUE_TYPES
    assert len(stateful_types()) >= 55


def test_protection_facts() -> None:
    table = stateful_type("AWS::DynamoDB::Table")
    assert table is not None
    assert table.deletion_protection is not None
    assert table.deletion_protection.path == "DeletionProtectionEnabled"
    assert table.aws_backup
    assert not table.snapshot
    rds = stateful_type("AWS::RDS::DBInstance")
    assert rds is not None
    assert rds.default_deletion_policy == "Snapshot"
    assert rds.cluster_member_property == "DBClusterIdentifier"
    efs = stateful_type("AWS::EFS::FileSystem")
    assert efs is not None
    assert efs.tags_property == "FileSystemTags"  # from its CloudFormation schema
    pool = stateful_type("AWS::Cognito::UserPool")
    assert pool is not None
    assert pool.tags_property == "UserPoolTags"
    dsql = stateful_type("AWS::DSQL::Cluster")
    assert dsql is not None
    assert dsql.deletion_protection is not None
    assert (dsql.deletion_protection.path, dsql.deletion_protection.on) == (
        "DeletionProtectionEnabled",
        True,
    )
    assert dsql.aws_backup
    graph = stateful_type("AWS::NeptuneGraph::Graph")
    assert graph is not None
    assert graph.deletion_protection is not None
    assert graph.deletion_protection.default is True
    for name in ("AWS::S3Tables::TableBucket", "AWS::ECR::Repository", "AWS::Timestream::Database"):
        known = stateful_type(name)
        assert known is not None
        assert known.delete_requires_empty, name
    assert stateful_type("AWS::SNS::Topic") is None


def test_every_stateful_type_exists_in_cloudformation() -> None:
    known = known_resource_types()
    assert not [t for t in stateful_types() if t not in known]
    assert len(known) > 1000


def test_known_resource_types() -> None:
    assert is_known_resource_type("AWS::S3::Bucket")
    assert is_known_resource_type("AWS::DSQL::Cluster")
    assert is_known_resource_type("Custom::Anything")
    assert is_known_resource_type("MyOrg::Service::Thing")
    assert is_known_resource_type("AWS::Serverless::Function")
    assert not is_known_resource_type("AWS::S3::Buckets")
