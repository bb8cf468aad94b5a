"""The example app, synthesized once per test session: as written and refactored."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..example_app import synth_example


@pytest.fixture(scope="session")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example app's cloud assembly (clean: lattice check finds nothing)."""
    return synth_example(tmp_path_factory.mktemp("example") / "cdk.out")


@pytest.fixture(scope="session")
def refactored_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example after a refactor that renames a prod bucket's logical id."""
    return synth_example(tmp_path_factory.mktemp("refactored") / "cdk.out", refactored=True)
