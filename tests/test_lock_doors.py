"""The stateful lock through its two other doors: ``lattice check --lock`` and the CDK
validation plugin. A refactor that renames a locked prod bucket fails both until the
lock is updated on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from constructs import Construct

from lattice_cdk import LatticeBucket, LatticeValidationPlugin

from .example_app import synth_example
from .helpers import run_lattice


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("lock")
    before = synth_example(root / "cdk.out")
    after = synth_example(root / "cdk.out.refactored", refactored=True)
    lock = root / "lattice.lock.json"
    taken = run_lattice("lock", str(before), "--lock-file", str(lock))
    assert taken.returncode == 0, taken.stderr
    return before, after, lock


def test_check_with_the_lock_passes_an_unchanged_app(example: tuple[Path, Path, Path]) -> None:
    before, _, lock = example
    result = run_lattice("check", str(before), "--lock", str(lock), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["findings"] == []


def test_check_with_the_lock_fails_on_the_renamed_prod_bucket(
    example: tuple[Path, Path, Path],
) -> None:
    _, after, lock = example
    result = run_lattice("check", str(after), "--lock", str(lock), "--format", "json")
    assert result.returncode & 2, result.stdout + result.stderr
    findings = json.loads(result.stdout)["findings"]
    (renamed,) = [f for f in findings if f["rule_id"] == "LAT1702"]
    assert renamed["logical_id"] == "Critical6684A27F"
    assert renamed["resource_type"] == "AWS::S3::Bucket"
    assert renamed["stack"] == "Prod/Data"  # the stack as CDK names it (display name)
    assert "StorageCritical" in renamed["message"]


def test_check_with_the_lock_in_sarif_describes_the_lock_rule(
    example: tuple[Path, Path, Path],
) -> None:
    _, after, lock = example
    result = run_lattice("check", str(after), "--lock", str(lock), "--format", "sarif")
    rules = {r["id"]: r for r in json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["LAT1702"]["shortDescription"]["text"]


def test_a_missing_lock_file_is_one_line_and_exit_1(
    example: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    before, _, _ = example
    result = run_lattice("check", str(before), "--lock", str(tmp_path / "nope.json"))
    assert result.returncode == 1
    assert "nope.json" in result.stderr
    assert "Traceback" not in result.stderr


def _app(outdir: Path, lock: Path | None, *, moved: bool) -> cdk.App:
    app = cdk.App(outdir=str(outdir))
    cdk.Validations.of(app).add_plugins(LatticeValidationPlugin(lock=lock))
    stack = cdk.Stack(app, "Store", termination_protection=True)
    scope: Construct = Construct(stack, "Moved") if moved else stack
    LatticeBucket(scope, "Data", name="data", environment="prod")
    return app


def test_plugin_with_the_lock_fails_the_synth_of_a_rename(tmp_path: Path) -> None:
    # GIVEN a lock taken from the app as deployed
    _app(tmp_path / "v1", None, moved=False).synth()
    lock = tmp_path / "lattice.lock.json"
    assert run_lattice("lock", str(tmp_path / "v1"), "--lock-file", str(lock)).returncode == 0
    # WHEN the same app synthesizes with the lock THEN nothing fails
    _app(tmp_path / "v2", lock, moved=False).synth()
    # WHEN a refactor moves the bucket THEN the synth fails with the lock's rule
    with pytest.raises(RuntimeError, match="ValidationFailed") as caught:
        _app(tmp_path / "v3", lock, moved=True).synth()
    assert "lattice::LAT1702" in str(caught.value)
