"""The recovery facts: air-gapped vault bounds, copy fit, and the policy's recovery fields."""

from __future__ import annotations

import pytest

from lattice_cdk import StatefulnessError, create_statefulness_policy
from lattice_cdk._recovery import (
    AIR_GAPPED_MIN_RETENTION_DAYS,
    DEFAULT_RESTORE_TESTING_SCHEDULE,
    air_gapped_bounds,
    copy_fits,
)


def test_bounds_fit_every_copy() -> None:
    low, high = air_gapped_bounds([30, 2555])
    assert (low, high) == (30, 2555)
    assert all(copy_fits(days, low, high) for days in (30, 2555))


@pytest.mark.parametrize("days", [None, AIR_GAPPED_MIN_RETENTION_DAYS - 1, 36_501, True])
def test_bounds_refuse_a_copy_no_vault_accepts(days: object) -> None:
    with pytest.raises(StatefulnessError, match=r"copy_retention_days"):
        air_gapped_bounds([30, days])  # type: ignore[list-item]


def test_bounds_need_a_copy() -> None:
    with pytest.raises(StatefulnessError, match=r"no copy goes"):
        air_gapped_bounds([])


@pytest.mark.parametrize(
    ("retention", "low", "high", "fits"),
    [
        (30, 30, 2555, True),
        (29, 30, 2555, False),
        (2556, 30, 2555, False),
        (None, 30, 2555, False),
        ({"Ref": "Days"}, 30, 2555, None),
        (30, {"Ref": "Min"}, 2555, None),
    ],
)
def test_copy_fits(retention: object, low: object, high: object, fits: bool | None) -> None:
    assert copy_fits(retention, low, high) is fits


def test_policy_defaults_by_tier() -> None:
    prod = create_statefulness_policy(environment="prod")
    staging = create_statefulness_policy(environment="staging")
    dev = create_statefulness_policy(environment="dev")
    assert (prod.restore_testing, prod.air_gapped_copy) == (True, True)
    assert prod.restore_testing_schedule == DEFAULT_RESTORE_TESTING_SCHEDULE
    assert (staging.restore_testing, staging.air_gapped_copy) == (False, False)
    assert (dev.restore_testing, dev.air_gapped_copy) == (False, False)


def test_staging_may_opt_in_and_prod_may_reschedule() -> None:
    staging = create_statefulness_policy(environment="staging", restore_testing=True)
    assert staging.restore_testing
    weekly = "cron(0 7 ? * MON *)"
    prod = create_statefulness_policy(environment="prod", restore_testing_schedule=weekly)
    assert prod.restore_testing_schedule == weekly


@pytest.mark.parametrize(
    ("environment", "overrides", "field"),
    [
        ("dev", {"restore_testing": True}, "restore_testing"),
        ("prod", {"restore_testing": False}, "restore_testing"),
        ("prod", {"restore_testing_schedule": "monthly"}, "restore_testing_schedule"),
        ("prod", {"air_gapped_copy": "yes"}, "air_gapped_copy"),
    ],
)
def test_bad_recovery_overrides_raise(
    environment: str, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(StatefulnessError, match=field):
        create_statefulness_policy(environment=environment, **overrides)  # type: ignore[arg-type]


def test_no_backups_means_no_recovery_extras() -> None:
    staging = create_statefulness_policy(
        environment="staging", enable_backups=False, air_gapped_copy=True
    )
    assert not staging.air_gapped_copy
    assert not staging.restore_testing
