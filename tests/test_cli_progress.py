"""Progress on long runs: drawn on a terminal, never in CI, a pipe or a log.

The command runs in a subprocess whose standard error is a pseudo-terminal, as when a
person runs it.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

STACKS = 25


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of many small templates: a long run."""
    here = tmp_path_factory.mktemp("many")
    for i in range(STACKS):
        template = {
            "Metadata": {"lattice:environment": "dev"},
            "Resources": {f"Queue{i}": {"Type": "AWS::SQS::Queue"}},
        }
        (here / f"stack{i:02}.json").write_text(json.dumps(template), encoding="utf-8")
    return here


def _run(args: list[str], *, terminal: bool, ci: bool) -> tuple[str, str, int]:
    """``(stdout, stderr, exit code)`` of ``lattice ARGS``; standard error is a
    pseudo-terminal when ``terminal``."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "LATTICE_DEBUG")}
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "lattice_cdk", *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        return done.stdout, done.stderr, done.returncode
    leader, follower = pty.openpty()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=follower, env=env, stdin=subprocess.DEVNULL
    ) as child:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        out = child.stdout.read() if child.stdout else b""
        code = child.wait(timeout=120)
    os.close(leader)
    return out.decode(), seen.decode(), code


@pytest.mark.parametrize("verb", ["check", "report"])
def test_a_long_run_shows_progress_on_a_terminal(folder: Path, verb: str) -> None:
    out, err, code = _run([verb, str(folder), "-f", "json"], terminal=True, ci=False)
    assert code == 0, err
    assert f"lattice: checked 20/{STACKS} stacks" in err
    assert f"lattice: checked {STACKS}/{STACKS} stacks" in err
    assert err.endswith("\r\033[K")  # erased before the result
    assert "lattice: checked" not in out  # the progress line stays on the terminal
    json.loads(out)


@pytest.mark.parametrize(("terminal", "ci"), [(True, True), (False, False)], ids=["ci", "pipe"])
def test_progress_stays_quiet_in_ci_and_pipes(folder: Path, terminal: bool, ci: bool) -> None:
    out, err, code = _run(["check", str(folder)], terminal=terminal, ci=ci)
    assert code == 0, err
    assert err == ""
    assert "lattice: checked" not in out  # the progress line stays on the terminal


def test_a_short_run_shows_no_progress(folder: Path) -> None:
    _, err, code = _run(["check", str(folder / "stack00.json")], terminal=True, ci=False)
    assert code == 0
    assert err == ""
