"""Random and truncated templates never crash the engine: it either checks them or
raises InputError (a one-line message), nothing else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lattice_cdk import InputError
from lattice_cdk.cfn import load
from lattice_cdk.checker import build_inventory, check
from tests.checker._snapshots import FIXTURES

TYPES = [
    "AWS::S3::Bucket",
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::EFS::FileSystem",
    "AWS::Backup::BackupPlan",
    "AWS::Backup::BackupSelection",
    "AWS::Backup::BackupVault",
    "AWS::Cognito::UserPool",
    "Custom::S3AutoDeleteObjects",
    "AWS::SNS::Topic",
]
KEYS = [
    "BackupPlan",
    "BackupPlanRule",
    "BackupSelection",
    "Resources",
    "ListOfTags",
    "Conditions",
    "StringEquals",
    "ConditionKey",
    "ConditionValue",
    "Lifecycle",
    "DeleteAfterDays",
    "ScheduleExpression",
    "CopyActions",
    "DestinationBackupVaultArn",
    "Tags",
    "Key",
    "Value",
    "DeletionProtection",
    "DeletionProtectionEnabled",
    "PointInTimeRecoverySpecification",
    "PointInTimeRecoveryEnabled",
    "VersioningConfiguration",
    "Status",
    "AccessPolicy",
    "Statement",
    "Effect",
    "Action",
    "BucketName",
    "BackupPlanId",
    "Ref",
    "Fn::GetAtt",
    "Fn::Join",
    "Fn::Sub",
    "Fn::If",
    "Fn::ImportValue",
    "DBClusterIdentifier",
    "LockConfiguration",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5000),
    st.sampled_from(
        [
            "Enabled",
            "Retain",
            "Delete",
            "Snapshot",
            "*",
            "arn:aws:s3:::b",
            "cron(0 5 ? * SAT *)",
            "rate(7 days)",
            "Deny",
            "backup:*",
        ]
    ),
    st.text(max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    ),
    max_leaves=25,
)
resources = st.dictionaries(
    st.sampled_from(["A", "B", "Plan", "Sel", "Vault", "Data"]),
    st.fixed_dictionaries(
        {"Type": st.sampled_from(TYPES)},
        optional={
            "Properties": st.dictionaries(st.sampled_from(KEYS), values, max_size=5),
            "DeletionPolicy": values,
            "UpdateReplacePolicy": values,
            "Metadata": st.one_of(
                values,
                st.dictionaries(
                    st.sampled_from(["lattice:acknowledgements", "aws:cdk:path"]),
                    values,
                    max_size=2,
                ),
            ),
            "Condition": values,
        },
    ),
    max_size=5,
)
templates = st.fixed_dictionaries(
    {"Resources": resources},
    optional={
        "Metadata": st.dictionaries(st.just("lattice:environment"), values, max_size=1),
        "Outputs": values,
    },
)


def _run(path: Path) -> None:
    try:
        result = check(load(path))
    except InputError as error:
        assert "\n" not in str(error)
        return
    build_inventory(result)
    for finding in result.findings:
        assert finding.message
        assert finding.fix


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(template=templates)
def test_random_templates_never_crash(tmp_path: Path, template: dict[str, Any]) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template))
    _run(path)


SOURCES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".json", ".yaml"))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(source=st.sampled_from(SOURCES), cut=st.floats(0, 1))
def test_truncated_templates_never_crash(tmp_path: Path, source: Path, cut: float) -> None:
    text = source.read_text()
    path = tmp_path / source.name
    path.write_text(text[: int(len(text) * cut)])
    _run(path)
