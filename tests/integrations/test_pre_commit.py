"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the real pre-commit.

``pre-commit try-repo`` clones this repository as a hook repository, as a user's
``.pre-commit-config.yaml`` would, and runs one hook on a temporary git repository
holding the example app's templates, its cdk.out and a lattice.lock.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

UNPROTECTED_PROD_TABLE = {
    "Metadata": {"lattice:environment": "prod"},
    "Resources": {
        "Orders": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        }
    },
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        capture_output=True,
        check=True,
        timeout=60,
    )


def _repo(tmp_path: Path, assembly: Path) -> Path:
    """A git repository with the example's templates, its cdk.out and a lock taken on it."""
    repo = tmp_path / "app"
    (repo / "templates").mkdir(parents=True)
    for template in sorted(assembly.glob("assembly-*/*.template.json")):
        shutil.copy(template, repo / "templates" / template.name)
    shutil.copytree(assembly, repo / "cdk.out")
    (repo / ".gitignore").write_text("cdk.out/\n")
    (repo / "package.json").write_text('{"name": "app"}\n')  # not a template: excluded
    _git(repo, "init", "--quiet")
    _lattice(repo, "lock", "cdk.out")
    _git(repo, "add", ".")
    return repo


def _lattice(repo: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "lattice_cdk", *args], cwd=repo, check=True, timeout=120)


def _hook(repo: Path, hook: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo <this repository> HOOK --all-files`` in ``repo``."""
    env = {
        **os.environ,
        # The script hooks use the lattice of the environment pre-commit runs in.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_hooks_pass_on_the_clean_example(tmp_path: Path, example_out: Path) -> None:
    repo = _repo(tmp_path, example_out)
    for hook in ("lattice-check", "lattice-check-cdk-out", "lattice-lock-verify"):
        result = _hook(repo, hook)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Passed" in result.stdout, hook


def test_lattice_check_fails_on_an_unprotected_prod_table(
    tmp_path: Path, example_out: Path
) -> None:
    repo = _repo(tmp_path, example_out)
    (repo / "templates" / "orders.json").write_text(json.dumps(UNPROTECTED_PROD_TABLE))
    _git(repo, "add", "templates/orders.json")
    result = _hook(repo, "lattice-check")
    assert result.returncode == 1
    assert "Failed" in result.stdout
    assert "lattice check: templates/orders.json" in result.stdout
    assert "LAT1001 error   orders/Orders" in result.stdout
    assert "package.json" not in result.stdout


def test_lattice_lock_verify_fails_when_a_locked_bucket_is_renamed(
    tmp_path: Path, example_out: Path, refactored_out: Path
) -> None:
    repo = _repo(tmp_path, example_out)
    shutil.rmtree(repo / "cdk.out")
    shutil.copytree(refactored_out, repo / "cdk.out")
    result = _hook(repo, "lattice-lock-verify")
    assert result.returncode == 1
    assert re.search(r"LAT1702 error +Prod/Data/Critical/\S* \(Critical6684A27F\)", result.stdout)
    # lattice check on the same cdk.out has nothing against it: only the lock sees it.
    assert _hook(repo, "lattice-check-cdk-out").returncode == 0
