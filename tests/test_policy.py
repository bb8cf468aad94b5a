"""The statefulness policy: the environment table, overrides, and refusals."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lattice_cdk import (
    ProtectionLevel,
    Removal,
    StatefulnessError,
    StatefulnessPolicy,
    Tier,
    create_statefulness_policy,
)

# The environment table of the README, field by field.
TABLE: dict[str, dict[str, Any]] = {
    "prod": {
        "tier": Tier.PROD,
        "protection_level": ProtectionLevel.MAXIMUM,
        "removal_policy": Removal.RETAIN,
        "snapshot_removal_policy": Removal.SNAPSHOT,
        "deletion_protection": True,
        "termination_protection": True,
        "versioning": True,
        "point_in_time_recovery": True,
        "enable_backups": True,
        "backup_retention_days": 30,
        "min_backup_retention_days": 30,
        "weekly_backups": True,
        "weekly_retention_days": 365,
        "monthly_backups": True,
        "monthly_retention_days": 2555,
        "monthly_cold_storage_after_days": 90,
        "continuous_backup": True,
        "cross_region_copy": True,
        "vault_lock": True,
        "vault_deny_delete": True,
        "compliance_reporting": True,
        "allow_auto_delete_objects": False,
    },
    "staging": {
        "tier": Tier.STAGING,
        "protection_level": ProtectionLevel.MODERATE,
        "removal_policy": Removal.RETAIN,
        "snapshot_removal_policy": Removal.SNAPSHOT,
        "deletion_protection": False,
        "termination_protection": False,
        "versioning": True,
        "point_in_time_recovery": True,
        "enable_backups": True,
        "backup_retention_days": 14,
        "min_backup_retention_days": 7,
        "weekly_backups": False,
        "monthly_backups": False,
        "continuous_backup": False,
        "cross_region_copy": False,
        "vault_lock": False,
        "vault_deny_delete": True,
        "compliance_reporting": False,
        "allow_auto_delete_objects": False,
    },
    "dev": {
        "tier": Tier.DEV,
        "protection_level": ProtectionLevel.MINIMAL,
        "removal_policy": Removal.DESTROY,
        "snapshot_removal_policy": Removal.DESTROY,
        "deletion_protection": False,
        "termination_protection": False,
        "versioning": False,
        "point_in_time_recovery": False,
        "enable_backups": False,
        "backup_retention_days": 7,
        "weekly_backups": False,
        "monthly_backups": False,
        "continuous_backup": False,
        "cross_region_copy": False,
        "vault_lock": False,
        "vault_deny_delete": False,
        "compliance_reporting": False,
        "allow_auto_delete_objects": True,
    },
}


@pytest.mark.parametrize(
    ("environment", "field", "expected"),
    [(env, f, v) for env, row in TABLE.items() for f, v in row.items()],
)
def test_environment_table(environment: str, field: str, expected: object) -> None:
    policy = create_statefulness_policy(environment=environment)
    assert getattr(policy, field) == expected


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("production", "prod"),
        ("PRD", "prod"),
        (" Prod ", "prod"),
        ("stage", "staging"),
        ("STG", "staging"),
        ("preprod", "staging"),
        ("development", "dev"),
        ("Dev", "dev"),
    ],
)
def test_aliases_are_case_insensitive(alias: str, canonical: str) -> None:
    assert create_statefulness_policy(environment=alias).environment == canonical


def test_named_factories_match_create() -> None:
    assert StatefulnessPolicy.production() == create_statefulness_policy(environment="prod")
    assert StatefulnessPolicy.staging() == create_statefulness_policy(environment="staging")
    assert StatefulnessPolicy.development(enable_backups=True).enable_backups is True


def test_policy_is_immutable() -> None:
    policy = create_statefulness_policy(environment="prod")
    with pytest.raises(AttributeError):
        policy.enable_backups = False  # type: ignore[misc]


def test_prod_with_backups_disabled_is_refused() -> None:
    with pytest.raises(StatefulnessError) as caught:
        create_statefulness_policy(environment="prod", enable_backups=False)
    error = caught.value
    assert error.field == "enable_backups"
    assert error.code == "backups-required"
    assert "enable_backups=False" in str(error)
    assert "Fix:" in str(error)
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        (
            {"environment": "prod", "backup_retention_days": 29},
            "backup_retention_days",
            "retention-below-floor",
        ),
        (
            {"environment": "staging", "backup_retention_days": 6},
            "backup_retention_days",
            "retention-below-floor",
        ),
        (
            {"environment": "dev", "backup_retention_days": 0},
            "backup_retention_days",
            "invalid-retention",
        ),
        (
            {"environment": "dev", "backup_retention_days": -5},
            "backup_retention_days",
            "invalid-retention",
        ),
        (
            {"environment": "prod", "backup_retention_days": 36_501},
            "backup_retention_days",
            "invalid-retention",
        ),
        (
            {"environment": "prod", "backup_retention_days": 30.0},
            "backup_retention_days",
            "invalid-retention",
        ),
        (
            {"environment": "prod", "backup_retention_days": True},
            "backup_retention_days",
            "invalid-retention",
        ),
        (
            {"environment": "prod", "removal_policy": "DESTROY"},
            "removal_policy",
            "destroy-not-allowed",
        ),
        (
            {"environment": "staging", "removal_policy": Removal.DESTROY},
            "removal_policy",
            "destroy-not-allowed",
        ),
        (
            {"environment": "prod", "auto_delete_objects": True},
            "auto_delete_objects",
            "auto-delete-not-allowed",
        ),
        (
            {"environment": "staging", "auto_delete_objects": True},
            "auto_delete_objects",
            "auto-delete-not-allowed",
        ),
        (
            {"environment": "prod", "deletion_protection": False},
            "deletion_protection",
            "protection-required",
        ),
        (
            {"environment": "prod", "point_in_time_recovery": False},
            "point_in_time_recovery",
            "protection-required",
        ),
        ({"environment": "prod", "versioning": False}, "versioning", "protection-required"),
        (
            {"environment": "dev", "force_retain": True, "removal_policy": "DESTROY"},
            "removal_policy",
            "contradictory-overrides",
        ),
        (
            {"environment": "dev", "force_retain": True, "auto_delete_objects": True},
            "auto_delete_objects",
            "contradictory-overrides",
        ),
        (
            {"environment": "dev", "removal_policy": "RETAIN", "auto_delete_objects": True},
            "auto_delete_objects",
            "contradictory-overrides",
        ),
        (
            {"environment": "dev", "enable_backups": False, "backup_retention_days": 10},
            "backup_retention_days",
            "contradictory-overrides",
        ),
        ({"environment": "dev", "removal_policy": "KEEP"}, "removal_policy", "invalid-value"),
        ({"environment": "dev", "enable_backups": "yes"}, "enable_backups", "invalid-value"),
        ({"environment": "dev", "force_retain": None}, "force_retain", "invalid-value"),
    ],
)
def test_unsafe_or_invalid_configuration_is_refused(
    kwargs: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(StatefulnessError) as caught:
        create_statefulness_policy(**kwargs)
    assert caught.value.field == field
    assert caught.value.code == code
    message = str(caught.value)
    assert field in message
    assert "Allowed:" in message
    assert "Fix:" in message


def test_retention_floor_message_names_the_floor() -> None:
    with pytest.raises(StatefulnessError, match=r"30-day floor.*Allowed: 30 to 36500"):
        create_statefulness_policy(environment="prod", backup_retention_days=14)


def test_force_retain_retains_everywhere_and_never_auto_deletes() -> None:
    policy = create_statefulness_policy(environment="dev", force_retain=True)
    assert policy.removal_policy is Removal.RETAIN
    assert policy.snapshot_removal_policy is Removal.RETAIN
    assert policy.allow_auto_delete_objects is False
    assert policy.removal_for(supports_snapshot=True) is Removal.RETAIN


def test_removal_for_picks_snapshot_only_for_capable_types() -> None:
    policy = create_statefulness_policy(environment="prod")
    assert policy.removal_for(supports_snapshot=True) is Removal.SNAPSHOT
    assert policy.removal_for(supports_snapshot=False) is Removal.RETAIN


def test_snapshot_override_retains_what_cannot_snapshot() -> None:
    policy = create_statefulness_policy(environment="dev", removal_policy="snapshot")
    assert policy.snapshot_removal_policy is Removal.SNAPSHOT
    assert policy.removal_policy is Removal.RETAIN
    assert policy.allow_auto_delete_objects is False


def test_longer_retention_is_accepted_and_caps_continuous_backup() -> None:
    policy = create_statefulness_policy(environment="prod", backup_retention_days=90)
    assert policy.backup_retention_days == 90
    assert policy.continuous_backup_retention_days == 35


def test_dev_can_opt_into_backups_and_deletion_protection() -> None:
    policy = create_statefulness_policy(
        environment="dev", enable_backups=True, deletion_protection=True
    )
    assert policy.enable_backups is True
    assert policy.backup_retention_days == 7
    assert policy.deletion_protection is True
    assert policy.weekly_backups is False


def test_staging_without_backups_drops_every_backup_feature() -> None:
    policy = create_statefulness_policy(environment="staging", enable_backups=False)
    assert policy.enable_backups is False
    assert policy.vault_deny_delete is False
    assert policy.removal_policy is Removal.RETAIN


def test_to_dict_is_json_ready() -> None:
    data = create_statefulness_policy(environment="prod").to_dict()
    assert data["removal_policy"] == "RETAIN"
    assert data["tier"] == "prod"
    assert all(isinstance(v, str | int | bool) for v in data.values())


def test_error_message_shape() -> None:
    with pytest.raises(StatefulnessError) as caught:
        create_statefulness_policy(environment="prod", backup_retention_days=7)
    assert re.match(r"^\[retention-below-floor\] backup_retention_days=7: ", str(caught.value))


# -- properties over every combination -------------------------------------------------

_maybe_bool = st.one_of(st.none(), st.booleans())


@settings(max_examples=300, deadline=None)  # CI machines are shared: no timing
@given(
    environment=st.sampled_from(["prod", "production", "staging", "stg", "dev", "development"]),
    enable_backups=_maybe_bool,
    backup_retention_days=st.one_of(st.none(), st.integers(min_value=-10, max_value=40_000)),
    force_retain=st.booleans(),
    removal_policy=st.one_of(st.none(), st.sampled_from(list(Removal))),
    deletion_protection=_maybe_bool,
    point_in_time_recovery=_maybe_bool,
    versioning=_maybe_bool,
    auto_delete_objects=_maybe_bool,
    cross_region_copy=_maybe_bool,
)
def test_any_combination_raises_or_holds_the_invariants(**kwargs: Any) -> None:
    try:
        policy = create_statefulness_policy(**kwargs)
    except StatefulnessError as error:
        assert error.field in kwargs or error.field == "environment"
        assert "Fix:" in str(error)
        return
    if policy.tier in (Tier.PROD, Tier.STAGING):
        assert policy.removal_policy is not Removal.DESTROY
        assert policy.snapshot_removal_policy is not Removal.DESTROY
        assert not policy.allow_auto_delete_objects
    if policy.tier is Tier.PROD:
        assert policy.enable_backups
        assert policy.backup_retention_days >= 30
        assert policy.deletion_protection
        assert policy.point_in_time_recovery
    if kwargs["force_retain"]:
        assert policy.removal_policy is Removal.RETAIN
        assert policy.snapshot_removal_policy is Removal.RETAIN
        assert not policy.allow_auto_delete_objects
    if policy.tier is Tier.DEV and kwargs["deletion_protection"] is not True:
        assert not policy.deletion_protection
    if policy.allow_auto_delete_objects:
        assert policy.removal_policy is Removal.DESTROY
    assert 1 <= policy.backup_retention_days <= 36_500
    assert policy.continuous_backup_retention_days <= 35
