"""The environment in the CDK layer: argument, CDK context, custom environments."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

import lattice_cdk
from lattice_cdk import Removal, StatefulnessError, UnknownEnvironmentError
from lattice_cdk.cdk import (
    LatticeBucket,
    LatticeTable,
    policy_for,
    register_context_environments,
    resolve_construct_environment,
    to_removal_policy,
)

from .stacks import PARTITION_KEY, new_stack


def test_argument_wins_over_context() -> None:
    stack = new_stack(context={"lattice:environment": "dev"})
    assert resolve_construct_environment(stack, "PROD") == "prod"
    assert resolve_construct_environment(stack, None) == "dev"


def test_missing_environment_names_the_context_key_and_valid_names() -> None:
    with pytest.raises(UnknownEnvironmentError, match=r"cdk synth -c lattice:environment=prod"):
        resolve_construct_environment(new_stack(), None)


def test_unknown_environment_is_an_error() -> None:
    with pytest.raises(UnknownEnvironmentError, match=r"'qa'.*register") as info:
        resolve_construct_environment(new_stack(), "qa")
    assert info.value.code == "unknown-environment"


@pytest.mark.parametrize("environments", [{"qa": "staging"}, '{"qa": "staging"}'])
def test_custom_environments_come_from_context(environments: object) -> None:
    stack = new_stack(context={"lattice:environment": "qa", "lattice:environments": environments})
    LatticeTable(stack, "Orders", name="orders", partition_key=PARTITION_KEY)
    template = Template.from_stack(stack)
    template.has_resource(
        "AWS::DynamoDB::Table",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "Tags": Match.array_with(
                        [
                            {"Key": "lattice:environment", "Value": "qa"},
                            {"Key": "lattice:protection", "Value": "moderate"},
                        ]
                    )
                }
            ),
        },
    )
    template.resource_count_is("AWS::Backup::BackupVault", 1)


@pytest.mark.parametrize("value", ["{not json", '["qa"]', {"qa": 3}])
def test_bad_environments_context_is_refused(value: object) -> None:
    stack = new_stack(context={"lattice:environments": value})
    with pytest.raises(StatefulnessError, match=r"lattice:environments") as info:
        register_context_environments(stack)
    assert info.value.code == "invalid-value"


def test_context_cannot_move_a_builtin_environment() -> None:
    stack = new_stack(context={"lattice:environments": {"prod": "dev"}})
    with pytest.raises(UnknownEnvironmentError) as info:
        LatticeBucket(stack, "Data", name="d", environment="prod")
    assert info.value.code == "environment-already-defined"


def test_policy_for_refuses_a_policy_of_another_environment() -> None:
    policy = lattice_cdk.create_statefulness_policy(environment="prod")
    stack = new_stack()
    assert policy_for(stack, environment="production", policy=policy) is policy
    with pytest.raises(StatefulnessError) as info:
        policy_for(stack, environment="dev", policy=policy)
    assert info.value.code == "contradictory-overrides"


def test_a_construct_takes_a_ready_policy() -> None:
    stack = new_stack()
    policy = lattice_cdk.StatefulnessPolicy.staging(backup_retention_days=20)
    bucket = LatticeBucket(stack, "Data", name="d", policy=policy)
    assert bucket.statefulness_policy is policy
    Template.from_stack(stack).has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LifecycleConfiguration": {
                "Rules": [
                    Match.object_like({"NoncurrentVersionExpiration": {"NoncurrentDays": 20}})
                ]
            }
        },
    )


def test_removal_translates_by_name() -> None:
    assert {r: to_removal_policy(r) for r in Removal} == {
        Removal.RETAIN: cdk.RemovalPolicy.RETAIN,
        Removal.SNAPSHOT: cdk.RemovalPolicy.SNAPSHOT,
        Removal.DESTROY: cdk.RemovalPolicy.DESTROY,
    }


def test_top_level_package_exposes_the_constructs_lazily() -> None:
    import lattice_cdk.cdk as layer

    for name in ("BackupManager", "LatticeBucket", "LatticeDatabase", "LatticeTable"):
        assert name in lattice_cdk.__all__
        assert getattr(lattice_cdk, name) is getattr(layer, name)
    for name in layer.__all__:
        assert hasattr(layer, name), name


def test_custom_environments_come_from_the_project_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lattice.toml").write_text('environments = { uat = "prod" }\n')
    monkeypatch.chdir(tmp_path)
    bucket = LatticeBucket(new_stack(), "Data", name="d", environment="uat")
    assert (bucket.statefulness_policy.environment, bucket.statefulness_policy.tier.value) == (
        "uat",
        "prod",
    )


def test_an_unknown_name_stays_unknown_with_a_config_that_lacks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lattice.toml").write_text('environments = { uat = "prod" }\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnknownEnvironmentError, match=r"'qa'"):
        resolve_construct_environment(new_stack(), "qa")


@pytest.mark.parametrize(
    "override",
    [
        {"force_retain": True},
        {"backup_retention_days": 40},
        {"removal_policy": cdk.RemovalPolicy.RETAIN},
        {"versioned": False},
    ],
)
def test_overrides_beside_a_ready_policy_are_refused(override: dict[str, object]) -> None:
    policy = lattice_cdk.create_statefulness_policy(environment="staging")
    with pytest.raises(StatefulnessError, match=r"policy=") as info:
        LatticeBucket(new_stack(), "Data", name="d", policy=policy, **override)  # type: ignore[arg-type]
    assert info.value.code == "contradictory-overrides"
