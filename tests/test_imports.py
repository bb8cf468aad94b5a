"""The policy, the checker and the command are pure Python: they never load jsii."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import lattice_cdk

PROBE = """
import json, sys
import lattice_cdk
from lattice_cdk._cli import main
main(["policy", "--format", "json", "--output", "/dev/null"])
heavy = {"jsii", "aws_cdk", "constructs"}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def test_import_and_cli_never_load_jsii() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_public_namespace_is_explicit() -> None:
    assert sorted(lattice_cdk.__all__) == sorted(set(lattice_cdk.__all__))
    for name in lattice_cdk.__all__:
        if name not in lattice_cdk._LAZY:
            assert hasattr(lattice_cdk, name), name
    assert dir(lattice_cdk) == sorted(lattice_cdk.__all__)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        lattice_cdk.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize("module", ["lattice_cdk.changes", "lattice_cdk.checker"])
def test_lazy_subpackage_names_all_resolve(module: str) -> None:
    import importlib

    package = importlib.import_module(module)
    for name in package.__all__:
        assert getattr(package, name) is not None, name
    with pytest.raises(AttributeError, match="NoSuchThing"):
        package.NoSuchThing  # noqa: B018
