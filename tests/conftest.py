"""Shared test set-up.

Tests synthesize with aws-cdk-lib's built-in CloudFormation validator off
(``CDK_VALIDATION=false``, ~2 s a synth). The variable is read once, by the jsii Node
process, so a test that wants that independent judge registers it on its own app
instead: ``Validations.of(app).add_plugins(CloudFormationValidatePlugin())``
(tests/cdk/test_judges.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("CDK_VALIDATION", "false")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


@pytest.fixture(autouse=True)
def _clean_environment_registry() -> Iterator[None]:
    """Custom environments registered by one test never leak into another."""
    from lattice_cdk._environments import default_registry

    yield
    default_registry.clear()
