"""The stateful-type table: cfn-lint's data plus Lattice's, never retyped."""

from __future__ import annotations

import json

from cfnlint.helpers import valid_snapshot_types

from lattice_cdk.cfn import stateful_type, stateful_types
from lattice_cdk.cfn._knowledge import (
    cfn_lint_data_dir,
    is_known_resource_type,
    known_resource_types,
)


def test_snapshot_capable_types_are_exactly_cfn_lints() -> None:
    ours = {name for name, t in stateful_types().items() if t.snapshot}
    assert ours == set(valid_snapshot_types)


def test_every_cfn_lint_stateful_type_is_known() -> None:
    path = cfn_lint_data_dir() / "AdditionalSpecs" / "StatefulResources.json"
    theirs = set(json.loads(path.read_text(encoding="utf-8"))["ResourceTypes"])
    assert theirs <= set(stateful_types())
    # and the ones cfn-lint misses are added, not dropped
    assert {"AWS::ECR::Repository", "AWS::MemoryDB::Cluster"} <= set(stateful_types())


def test_delete_requires_empty_comes_from_cfn_lint() -> None:
    bucket = stateful_type("AWS::S3::Bucket")
    assert bucket is not None
    assert bucket.delete_requires_empty


def test_protection_properties() -> None:
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
    assert efs.tags_property == "FileSystemTags"
    assert stateful_type("AWS::SNS::Topic") is None


def test_every_stateful_type_exists_in_cloudformation() -> None:
    known = known_resource_types()
    missing = [t for t in stateful_types() if t not in known]
    assert not missing
    providers = json.loads(
        (cfn_lint_data_dir() / "schemas" / "providers" / "us-east-1.json").read_text()
    )
    assert set(stateful_types()) <= set(providers) | {"AWS::Lightsail::Database"}


def test_known_resource_types() -> None:
    assert is_known_resource_type("AWS::S3::Bucket")
    assert is_known_resource_type("Custom::Anything")
    assert is_known_resource_type("MyOrg::Service::Thing")
    assert is_known_resource_type("AWS::Serverless::Function")
    assert not is_known_resource_type("AWS::S3::Buckets")
