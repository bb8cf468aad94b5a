"""Shared for the server-side enforcement tests: the example app synthesized once, its
lock, the rules ``lattice guard-rules`` writes for it, and the real cfn-guard binary."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path

import pytest

from tests.example_app import synth_example

ROOT = Path(__file__).resolve().parents[2]


def cfn_guard_binary() -> Path:
    """cfn-guard 3.1.1 from the npm package ``@cdklabs/cdk-validator-cfnguard``."""
    system = {"Linux": "ubuntu", "Darwin": "macos"}.get(platform.system(), "ubuntu")
    machine = "aarch64" if platform.machine() in ("arm64", "aarch64") else "x86_64"
    path = (
        ROOT / "node_modules/@cdklabs/cdk-validator-cfnguard/bin" / system / machine / "cfn-guard"
    )
    if not path.is_file():
        pytest.fail(
            f"cfn-guard is missing at {path}: run 'npm install' in the repository (package.json "
            "lists @cdklabs/cdk-validator-cfnguard, which ships it)."
        )
    return path


def guard_validate(rules: Path, data: Path) -> subprocess.CompletedProcess[str]:
    """``cfn-guard validate -r RULES -d DATA``: exit 0 on pass, 19 on a failed rule."""
    return subprocess.run(
        [str(cfn_guard_binary()), "validate", "-r", str(rules), "-d", str(data), "-S", "fail"],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the example's ``cdk.out``, its ``lattice.lock.json`` (written by
    ``lattice lock``) and ``rules/`` (written by ``lattice guard-rules``)."""
    from lattice_cdk._cli import main

    root = tmp_path_factory.mktemp("example")
    assembly = synth_example(root / "cdk.out")
    lock = root / "lattice.lock.json"
    assert main(["lock", str(assembly), "--lock-file", str(lock)]) == 0
    code = main(
        [
            "guard-rules",
            str(assembly),
            "--output-dir",
            str(root / "rules"),
            "--lock-file",
            str(lock),
            "--hook-template",
            str(root / "hook.json"),
        ]
    )
    assert code == 0
    return root
