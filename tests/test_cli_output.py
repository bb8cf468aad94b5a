"""What a template says cannot act on the terminal or the pull request: every verb's
text, Markdown and HTML output, run as a user runs it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from .helpers import run_lattice

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
CLEAR = "\x1b[2J\x1b[3J\x1b[H"
HOSTILE_PATH = (
    "App/<img src=x onerror=alert(1)></details>\n### injected\n@octocat [x](https://e.example)"
    " `a|b` \u202eevil\ud800"
)


def _template(folder: Path, resources: dict[str, Any], name: str = "App") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.template.json"
    # ensure_ascii (the default) writes the lone surrogate as an escape, as a generator
    # of hostile templates would.
    path.write_text(json.dumps({"Resources": resources}), encoding="utf-8")
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return _template(
        tmp_path / "in",
        {
            f"Bucket{CLEAR}": {
                "Type": "AWS::S3::Bucket",
                "Metadata": {"aws:cdk:path": HOSTILE_PATH},
            }
        },
    )


VERBS = [
    ("check", "-f", "text"),
    ("check", "-f", "markdown"),
    ("report", "-f", "text"),
    ("report", "-f", "markdown"),
    ("report", "-f", "html"),
]


@pytest.mark.parametrize("verb", VERBS, ids=["-".join(v) for v in VERBS])
def test_no_raw_control_character_or_markup_reaches_the_reader(
    hostile: Path, verb: tuple[str, ...]
) -> None:
    result = run_lattice(*verb, str(hostile), "-e", "prod")
    assert result.returncode in (0, 2, 10, 14), result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert RAW_CONTROL.search(out) is None
    assert "x0a" in out  # the newline in the path is shown, not obeyed
    if verb[-1] in ("markdown", "html"):
        assert "<img" not in out
        assert "</details>" not in out
        assert not any(line.startswith("### injected") for line in out.splitlines())
    if verb[-1] == "markdown":
        assert "@octocat" not in out
        assert "[x](" not in out


def test_report_markdown_newline_in_an_id_cannot_start_a_heading(tmp_path: Path) -> None:
    path = _template(
        tmp_path,
        {"T": {"Type": "AWS::DynamoDB::Table", "Metadata": {"aws:cdk:path": "A\n# Owned"}}},
    )
    result = run_lattice("report", str(path), "-e", "dev", "-f", "markdown")
    assert result.returncode == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("#")]
    assert headings == [headings[0]]
    assert "protection report" in headings[0]


@pytest.mark.parametrize("verb", ["check", "report"])
def test_markdown_fits_a_pull_request_comment(tmp_path: Path, verb: str) -> None:
    resources = {
        f"Bucket{i}": {
            "Type": "AWS::S3::Bucket",
            "Metadata": {"aws:cdk:path": f"App/{'Long' * 300}/Bucket{i}"},
        }
        for i in range(150)
    }
    path = _template(tmp_path, resources)
    result = run_lattice(verb, str(path), "-e", "prod", "-f", "markdown")
    assert result.returncode in (0, 10, 14), result.stderr
    assert len(result.stdout.encode("utf-16-le")) // 2 <= 65_536
    assert "Truncated to fit a 65,536-character comment." in result.stdout
    assert f"lattice {verb} --format json" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_a_lone_surrogate_is_shown_in_every_check_format(tmp_path: Path, fmt: str) -> None:
    path = _template(tmp_path, {"B\ud800": {"Type": "AWS::S3::Bucket"}})
    result = run_lattice("check", str(path), "-e", "prod", "-f", fmt)
    assert result.returncode & 2, result.stderr
    assert "\\ud800" in result.stdout
    if fmt in ("json", "sarif"):
        json.loads(result.stdout)


def test_error_messages_are_one_escaped_line(tmp_path: Path) -> None:
    missing = tmp_path / f"no{CLEAR}such"
    result = run_lattice("check", str(missing))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("lattice: error: [missing-input] ")
    assert RAW_CONTROL.search(result.stderr) is None
