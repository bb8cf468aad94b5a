"""Library arguments of the wrong kind raise at once, in the LatticeError family."""

from __future__ import annotations

import pytest

from lattice_cdk import StatefulnessError, create_statefulness_policy
from lattice_cdk._validate import require_bool, require_policy, require_region, require_url


@pytest.mark.parametrize(
    "region", ["us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1", "us-isob-east-1"]
)
def test_region_names_are_accepted(region: str) -> None:
    assert require_region(region, field="dr_region") == region


def test_an_unresolved_token_is_left_for_synth() -> None:
    token = "${Token[AWS.Region.12]}"
    assert require_region(token, field="dr_region") == token


@pytest.mark.parametrize("region", ["not a region", "US-EAST-1", "us-east", "", 5, None])
def test_anything_else_is_not_a_region(region: object) -> None:
    with pytest.raises(StatefulnessError, match=r"^\[invalid-value\] dr_region=") as caught:
        require_region(region, field="dr_region")
    assert caught.value.field == "dr_region"
    assert caught.value.fix is not None
    assert "eu-west-1" in caught.value.fix


def test_a_policy_name_in_place_of_a_policy_says_how_to_make_one() -> None:
    with pytest.raises(StatefulnessError, match=r"\[invalid-value\] policy='prod'") as caught:
        require_policy("prod")
    assert "environment='prod'" in str(caught.value)
    policy = create_statefulness_policy(environment="prod")
    assert require_policy(policy) is policy


@pytest.mark.parametrize("value", ["false", 0, 1, None])
def test_only_true_or_false_is_a_bool(value: object) -> None:
    with pytest.raises(StatefulnessError, match=r"\[invalid-value\] versioned="):
        require_bool(value, field="versioned")
    assert require_bool(False, field="versioned") is False


@pytest.mark.parametrize("url", ["http://localhost:5000", "https://cloudformation.example.com/"])
def test_endpoint_urls(url: str) -> None:
    assert require_url(url, field="--endpoint-url") == url


@pytest.mark.parametrize("url", ["::bad", "localhost:5000", "ftp://x", "http://", "http://a b"])
def test_bad_endpoint_urls(url: str) -> None:
    with pytest.raises(StatefulnessError, match=r"\[invalid-value\]"):
        require_url(url, field="--endpoint-url")
