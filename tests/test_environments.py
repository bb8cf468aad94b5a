"""Environment names: aliases, custom environments, and refusing to guess."""

from __future__ import annotations

import pytest

from lattice_cdk import (
    EnvironmentRegistry,
    ProtectionLevel,
    StatefulnessError,
    Tier,
    UnknownEnvironmentError,
    create_statefulness_policy,
    register_environment,
    resolve_environment,
)


@pytest.mark.parametrize("missing", [None, "", "   "])
def test_missing_environment_is_an_error_not_dev(missing: object) -> None:
    with pytest.raises(UnknownEnvironmentError) as caught:
        create_statefulness_policy(environment=missing)  # type: ignore[arg-type]
    assert caught.value.code == "missing-environment"
    assert "lattice:environment" in str(caught.value)


def test_unknown_environment_lists_the_valid_names() -> None:
    with pytest.raises(UnknownEnvironmentError) as caught:
        create_statefulness_policy(environment="qa")
    message = str(caught.value)
    assert "environment='qa'" in message
    for name in ("'prod'", "'staging'", "'dev'", "'production'"):
        assert name in message
    assert "register_environment('qa', tier='staging')" in message
    assert isinstance(caught.value, StatefulnessError)
    assert isinstance(caught.value, ValueError)


def test_non_string_environment_is_refused() -> None:
    with pytest.raises(UnknownEnvironmentError, match="must be a string"):
        create_statefulness_policy(environment=3)  # type: ignore[arg-type]


def test_registered_environment_keeps_its_name_and_takes_its_tier() -> None:
    register_environment("QA", tier="staging")
    policy = create_statefulness_policy(environment="qa")
    assert policy.environment == "qa"
    assert policy.tier is Tier.STAGING
    assert policy.protection_level is ProtectionLevel.MODERATE
    assert policy.backup_retention_days == 14


def test_registered_environment_can_use_a_tier_alias() -> None:
    register_environment("perf", tier="production")
    assert resolve_environment("PERF").tier is Tier.PROD
    with pytest.raises(StatefulnessError, match="backups cannot be disabled"):
        create_statefulness_policy(environment="perf", enable_backups=False)


def test_registering_twice_on_the_same_tier_is_idempotent() -> None:
    register_environment("sandbox", tier=Tier.DEV)
    register_environment("sandbox", tier="dev")
    assert resolve_environment("sandbox").tier is Tier.DEV


@pytest.mark.parametrize(
    ("name", "tier", "code"),
    [
        ("uat", "qa", "unknown-environment"),
        ("prod", "dev", "environment-already-defined"),
        ("stage", "dev", "environment-already-defined"),
        ("1qa", "dev", "invalid-environment-name"),
        ("q a", "dev", "invalid-environment-name"),
    ],
)
def test_bad_registrations_are_refused(name: str, tier: str, code: str) -> None:
    with pytest.raises(UnknownEnvironmentError) as caught:
        register_environment(name, tier=tier)
    assert caught.value.code == code


def test_registering_on_another_tier_is_refused() -> None:
    register_environment("uat", tier="staging")
    with pytest.raises(UnknownEnvironmentError, match="already registered on tier 'staging'"):
        register_environment("uat", tier="prod")


def test_custom_environment_cannot_be_registered_on_a_custom_one() -> None:
    registry = EnvironmentRegistry()
    registry.register("qa", tier="staging")
    with pytest.raises(UnknownEnvironmentError) as caught:
        registry.register("qa2", tier="qa")
    assert caught.value.code == "invalid-environment-tier"


def test_separate_registries_do_not_share_names() -> None:
    registry = EnvironmentRegistry()
    registry.register_all({"qa": "staging", "sandbox": "dev"})
    assert create_statefulness_policy(environment="qa", registry=registry).tier is Tier.STAGING
    with pytest.raises(UnknownEnvironmentError):
        create_statefulness_policy(environment="qa")
    assert [e.name for e in registry.environments()] == ["prod", "staging", "dev", "qa", "sandbox"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("prodd", "prod"), ("prodution", "prod"), ("stagin", "staging"), ("dve", "dev")],
)
def test_a_misspelt_environment_gets_did_you_mean(typed: str, meant: str) -> None:
    with pytest.raises(UnknownEnvironmentError) as caught:
        create_statefulness_policy(environment=typed)
    assert f"did you mean {meant!r}?" in str(caught.value)


def test_an_unlike_environment_gets_no_guess_and_the_config_file_first() -> None:
    with pytest.raises(UnknownEnvironmentError) as caught:
        create_statefulness_policy(environment="qa")
    message = str(caught.value)
    assert "did you mean" not in message
    config = message.index('environments = { qa = "staging" } under [tool.lattice]')
    assert "pyproject.toml" in message
    assert "lattice.toml" in message
    assert config < message.index("register_environment('qa'")


def test_a_registered_environment_is_suggested_by_its_own_name() -> None:
    registry = EnvironmentRegistry()
    registry.register("sandbox", tier="dev")
    assert registry.suggest("sandbx") == "sandbox"
    assert registry.suggest("zzz") is None
