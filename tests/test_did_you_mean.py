"""``did_you_mean``: the one guess every "not a known name" error makes."""

from __future__ import annotations

import pytest

from lattice_cdk import LatticeError
from lattice_cdk._errors import did_you_mean
from lattice_cdk.cfn import load
from lattice_cdk.checker import check
from tests.checker._snapshots import FIXTURES

RULES = ["LAT1001", "LAT1002", "LAT1101", "LAT1401", "LAT1402", "LAT1403"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("LAT1010", "LAT1001"),  # two digits swapped
        ("LAT10001", "LAT1001"),  # one too many
        ("LAT110", "LAT1101"),  # one dropped
        ("lat1002", "LAT1002"),  # case
        ("LAT1404", None),  # one typo from three rules: no guess
        ("LAT9999", None),
    ],
)
def test_one_guess_or_none(typed: str, meant: str | None) -> None:
    assert did_you_mean(typed, RULES) == meant


def test_spellings_of_one_name_are_one_guess() -> None:
    # 'pord' is one typo from 'prod' and from 'prd', both spellings of prod.
    spellings = {"prod": "prod", "prd": "prod", "dev": "dev"}
    assert did_you_mean("pord", spellings) == "prod"
    assert did_you_mean("pord", list(spellings)) is None


def test_an_unknown_rule_id_names_the_rule_it_resembles() -> None:
    assembly = load(FIXTURES / "LAT1001" / "pass.json")
    with pytest.raises(LatticeError, match=r"LAT1010\. Did you mean LAT1001\?") as caught:
        check(assembly, rules=["LAT1010"])
    assert caught.value.code == "unknown-rule"
