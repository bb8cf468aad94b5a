"""The package's dependency floor is what the suite runs on."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions, requires, version
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _floor() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [spec] = [d for d in project["project"]["dependencies"] if d.startswith("aws-cdk-lib")]
    match = re.search(r">=\s*([0-9.]+)", spec)
    assert match, spec
    return match.group(1)


def test_the_suite_runs_on_the_lowest_aws_cdk_lib_the_package_allows() -> None:
    pinned = re.search(
        r"^aws-cdk-lib==([0-9.]+)$",
        (ROOT / "constraints" / "lowest.txt").read_text(encoding="utf-8"),
        re.M,
    )
    assert pinned, "constraints/lowest.txt pins aws-cdk-lib"
    assert pinned.group(1) == _floor(), "pyproject's floor and constraints/lowest.txt differ"
    assert version("aws-cdk-lib") == _floor(), "make test installs the floor"


def _run_time_imports() -> set[str]:
    """The top-level third-party modules ``src/lattice_cdk`` imports, leaving out what
    only ``if TYPE_CHECKING:`` blocks import (type stubs)."""
    modules: set[str] = set()
    for path in (ROOT / "src" / "lattice_cdk").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If)
            and isinstance(block.test, ast.Name)
            and block.test.id == "TYPE_CHECKING"
            for statement in block.body
            for node in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            modules.update(
                top
                for top in (name.split(".")[0] for name in names)
                if top not in sys.stdlib_module_names and top != "lattice_cdk"
            )
    return modules


def _requirement_name(spec: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", spec, maxsplit=1)[0].lower().replace("_", "-")


def test_run_time_dependencies_are_exactly_what_the_code_imports() -> None:
    # Each run-time dependency is imported by the package, and each module the package
    # imports comes from one, or from what one of them requires (jsii comes with
    # aws-cdk-lib, botocore with boto3). cfn-lint, whose data the knowledge scripts
    # read, is a test dependency only: nothing reads it at run time.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {_requirement_name(d) for d in project["project"]["dependencies"]}
    closure, pending = set(declared), list(declared)
    while pending:
        for spec in requires(pending.pop()) or ():
            requirement = Requirement(spec)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue  # an extra's, or another Python's
            name = _requirement_name(requirement.name)
            if name not in closure:
                closure.add(name)
                pending.append(name)
    distributions = packages_distributions()
    imported = _run_time_imports()
    providers = {
        module: {_requirement_name(d) for d in distributions.get(module, [])} for module in imported
    }
    assert {m for m, names in providers.items() if not names & closure} == set()
    direct = {name for names in providers.values() for name in names}
    assert declared - direct == set(), "declared but never imported"
    assert "cfn-lint" not in declared
