"""docs/ci.md stays true to action.yml and .pre-commit-hooks.yaml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _yaml_blocks() -> list[Any]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def test_the_documented_workflow_uses_only_inputs_the_action_declares() -> None:
    declared = set(yaml.safe_load((ROOT / "action.yml").read_text())["inputs"])
    uses = [
        step
        for block in _yaml_blocks()
        for job in block.get("jobs", {}).values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("OWNER/lattice@")
    ]
    assert uses, "docs/ci.md shows no workflow that uses the Action"
    for step in uses:
        assert set(step.get("with", {})) <= declared


def test_the_documented_pre_commit_config_names_real_hooks() -> None:
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    configured = [
        hook["id"]
        for block in _yaml_blocks()
        for repo in block.get("repos", [])
        for hook in repo["hooks"]
    ]
    assert configured
    assert set(configured) <= hooks
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for hook in hooks:
        assert f"| `{hook}` |" in text, f"docs/ci.md's hook table lacks {hook}"
