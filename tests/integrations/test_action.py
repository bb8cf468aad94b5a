"""The GitHub Action (action.yml): its steps, run in order as a runner runs them.

``_runner.run_action`` executes the composite action's bash steps with the inputs and
GitHub's step files, against the example app's assembly; the comment goes to a local
GitHub-like HTTP peer. The code-scanning upload is a ``uses:`` step a laptop cannot run:
the test validates the SARIF file that step is given.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

from ._github import REPOSITORY, TOKEN, FakeGitHub, fake_github
from ._runner import Job, run_action

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = ROOT / "tests" / "checker" / "sarif-schema-2.1.0.json"
MARKER = "<!-- lattice:diff -->"
PR = 7


def _run(
    tmp_path: Path,
    github: FakeGitHub,
    workspace: Path,
    base_sha: str = "",
    **inputs: str,
) -> Job:
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    event = temp / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": PR, "base": {"sha": base_sha}}}))
    context: dict[str, Any] = {
        "token": TOKEN,
        "event": json.loads(event.read_text()),
    }
    env = {
        # lattice is already installed in this test's venv (install: skip); the install
        # line itself runs in tests/integrations/test_install.py.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "GITHUB_API_URL": github.url,
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
    }
    return run_action(
        ROOT,
        workspace=workspace,
        runner_temp=temp,
        inputs={"install": "skip", **inputs},
        github=context,
        env=env,
    )


def _valid_sarif(job: Job) -> dict[str, Any]:
    upload = job.step("Upload to code scanning")
    assert upload.uses.startswith("github/codeql-action/upload-sarif@")
    assert upload.with_["category"] == "lattice"
    assert upload.with_["sarif_file"] == job.outputs["sarif-file"]
    sarif: dict[str, Any] = json.loads(Path(upload.with_["sarif_file"]).read_text())
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    return sarif


def _marked(github: FakeGitHub) -> list[dict[str, Any]]:
    return [c for c in github.comments.get(PR, []) if MARKER in c["body"]]


def test_the_action_checks_uploads_sarif_and_keeps_one_diff_comment(
    tmp_path: Path, example_out: Path, refactored_out: Path
) -> None:
    workspace = tmp_path / "repo"
    workspace.mkdir()
    shutil.copytree(example_out, workspace / "cdk.out")
    shutil.copytree(example_out, workspace / "base.out")
    inputs = {"synth-command": "", "base-cdk-out": "base.out"}
    with fake_github() as github:
        # GIVEN a pull request that changes nothing stateful
        clean = _run(tmp_path, github, workspace, **inputs)
        # THEN every step passes, the SARIF is valid and one comment says so
        assert clean.failed is None, clean.failed
        assert clean.outputs["check-status"] == "0"
        assert clean.outputs["diff-status"] == "0"
        assert _valid_sarif(clean)["runs"][0]["results"] == []
        assert "No findings." in clean.step("lattice check").output
        [comment] = _marked(github)
        assert "Lattice diff" in comment["body"]
        assert "**0 error(s), 0 warning(s)" in comment["body"]

        # WHEN the next push renames a prod bucket's logical id
        shutil.rmtree(workspace / "cdk.out")
        shutil.copytree(refactored_out, workspace / "cdk.out")
        renamed = _run(tmp_path, github, workspace, **inputs)

        # THEN the same comment now shows the finding, and the job fails on it
        assert _marked(github) == [comment]
        rows = [line for line in comment["body"].splitlines() if "LAT1603" in line]
        assert rows, comment["body"]
        assert "| error |" in rows[0], rows[0]
        assert "Prod/Data/Critical/" in rows[0], rows[0]
        assert renamed.outputs["diff-status"] == "2"
        _valid_sarif(renamed)
        failed = renamed.failed
        assert failed is not None
        assert failed.name == "Decide"
        assert "lattice: check exited 0, diff 2" in failed.output
        assert [m for m, _ in github.requests].count("POST") == 1


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def test_the_action_synthesizes_the_base_branch_in_a_worktree(
    tmp_path: Path, example_out: Path, refactored_out: Path
) -> None:
    # GIVEN a repository whose app (infra/) "synthesizes" by copying its assembly, and a
    # pull request whose head renames a prod bucket
    repo = tmp_path / "repo"
    app = repo / "infra"
    app.mkdir(parents=True)
    shutil.copytree(example_out, app / "assembly")
    _git(repo, "init", "--quiet", "--initial-branch=main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "base")
    base = _git(repo, "rev-parse", "HEAD")
    shutil.rmtree(app / "assembly")
    shutil.copytree(refactored_out, app / "assembly")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-am", "head")
    inputs = {
        "working-directory": "infra",
        "synth-command": 'cp -R assembly "$LATTICE_CDK_OUT"',
        "fail-on": "never",
    }
    with fake_github() as github:
        # WHEN the action runs with base-ref left to its default (the PR's base sha),
        # twice on the same runner (the second finds the first one's worktree)
        _run(tmp_path, github, repo, base_sha=base, **inputs)
        shutil.rmtree(app / "cdk.out")
        job = _run(tmp_path, github, repo, base_sha=base, **inputs)
        [comment] = _marked(github)
    # THEN the base was synthesized from the base commit, and the diff found the rename
    assert job.failed is None, job.failed
    assert (tmp_path / "runner-temp" / "lattice-base" / "infra" / "assembly").is_dir()
    assert job.outputs["diff-status"] == "2"
    assert "LAT1603" in comment["body"]
    assert "lattice: check exited 0, diff 2; fail-on: never." in job.step("Decide").output


def test_a_missing_assembly_stops_the_job_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    with fake_github() as github:
        job = _run(tmp_path, github, tmp_path / "repo", **{"synth-command": ""})
        assert github.requests == []
    failed = job.failed
    assert failed is not None
    assert failed.name == "Synthesize"
    assert "::error::[no-cdk-out] cdk.out does not exist. Fix: set synth-command" in failed.output
