"""The README's quickstart runs as written, so it cannot rot."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .helpers import run_lattice

README = Path(__file__).resolve().parents[1] / "README.md"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def test_quickstart_python_blocks_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", _section("Quickstart"), re.S)
    assert blocks, "the quickstart has no python code"
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__quickstart__"}
    for block in blocks:
        # jsii's Node process keeps the working directory it started in, so a relative
        # outdir would land there: point the app at this test's folder instead.
        block = block.replace('outdir="cdk.out"', f'outdir="{tmp_path / "cdk.out"}"')
        exec(compile(block, str(README), "exec"), namespace)
    # The quickstart app is what the README says: lattice finds nothing to fix in it.
    checked = run_lattice("check", str(tmp_path / "cdk.out"), "--format", "json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout)["findings"] == []
