"""The Action's comment script (action/pr_comment.py) against a local GitHub-like peer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ._github import GITHUB_LIMIT, REPOSITORY, TOKEN, FakeGitHub, fake_github

SCRIPT = Path(__file__).resolve().parents[2] / "action" / "pr_comment.py"
MARKER = "<!-- lattice:diff -->"
PR = 42


def _comment(
    github: FakeGitHub, tmp_path: Path, body: str, *, token: str = TOKEN, pr: int | None = PR
) -> subprocess.CompletedProcess[str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": pr}} if pr else {"ref": "main"}))
    report = tmp_path / "diff.md"
    report.write_text(body, encoding="utf-8")
    env = {
        "PATH": os.environ["PATH"],
        "GITHUB_API_URL": github.url,
        "GITHUB_TOKEN": token,
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_EVENT_PATH": str(event),
    }
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(report)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def _marked(github: FakeGitHub) -> list[dict[str, object]]:
    return [c for c in github.comments.get(PR, []) if MARKER in str(c["body"])]


def test_first_run_creates_one_comment_and_the_next_updates_it_in_place(
    tmp_path: Path,
) -> None:
    with fake_github() as github:
        # 130 other comments: the marked one lands on the second page of 100.
        for n in range(130):
            github.add(PR, f"review comment {n}")
        first = _comment(github, tmp_path, "## Lattice diff\n\n2 resources replaced\n")
        assert first.returncode == 0, first.stderr
        assert "created the comment on pull request #42" in first.stdout
        [created] = _marked(github)
        assert created["body"] == f"{MARKER}\n## Lattice diff\n\n2 resources replaced\n"

        second = _comment(github, tmp_path, "## Lattice diff\n\nNo stateful changes.\n")
        assert second.returncode == 0, second.stderr
        assert "updated the comment on pull request #42" in second.stdout
        assert _marked(github) == [created]  # the same comment, edited
        assert created["body"] == f"{MARKER}\n## Lattice diff\n\nNo stateful changes.\n"
        assert len(github.comments[PR]) == 131
        # It paged to find the comment, then patched it rather than posting again.
        methods = [method for method, _ in github.requests]
        assert methods.count("POST") == 1
        assert methods.count("PATCH") == 1
        assert any("page=2" in path for _, path in github.requests)


def test_a_body_over_githubs_limit_is_cut_at_a_line_with_a_note(tmp_path: Path) -> None:
    rows = "".join(f"| `Orders/Table{n}` | replaced | LAT2001 |\n" for n in range(3000))
    report = "## Lattice diff\n\n```text\nsummary\n" + rows + "```\n"
    assert len(report) > GITHUB_LIMIT
    with fake_github() as github:
        result = _comment(github, tmp_path, report)
        assert result.returncode == 0, result.stderr  # the peer refuses > 65,536 with 422
        [posted] = _marked(github)
    body = str(posted["body"])
    assert len(body.encode("utf-8")) <= GITHUB_LIMIT
    kept, note = body.split("\n\n> **Truncated**")
    total = len(MARKER) + 1 + len(report)
    assert note.startswith(f": this comment shows {len(kept):,} of {total:,} characters")
    assert kept.endswith("| replaced | LAT2001 |\n```")  # whole rows; the code block closed
    assert kept.count("```") % 2 == 0


def test_an_http_error_is_one_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    with fake_github() as github:
        github.fail["POST"] = (403, "Resource not accessible by integration")
        result = _comment(github, tmp_path, "## Lattice diff\n")
        assert github.comments.get(PR) is None
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("[comment-http] GitHub answered POST ")
    assert "403 Forbidden: Resource not accessible by integration." in line
    assert "Fix: give the job 'permissions: pull-requests: write'" in line


def test_a_wrong_token_is_refused_and_reported(tmp_path: Path) -> None:
    with fake_github() as github:
        result = _comment(github, tmp_path, "## Lattice diff\n", token="ghs_wrong")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "401 Unauthorized: Bad credentials." in line


def test_an_event_that_is_not_a_pull_request_fails_closed(tmp_path: Path) -> None:
    with fake_github() as github:
        result = _comment(github, tmp_path, "## Lattice diff\n", pr=None)
        assert github.requests == []
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("[comment-not-a-pull-request] ")


def test_an_unreachable_api_fails_closed(tmp_path: Path) -> None:
    with fake_github() as github:
        pass  # stopped: nothing listens on its port any more
    result = _comment(github, tmp_path, "## Lattice diff\n")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("[comment-unreachable] GET ")
