"""``make demo`` runs end to end and writes every file it promises under its folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_demo_writes_the_report_the_diff_and_the_destroy_plan(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    env = {**os.environ, "CDK_VALIDATION": "false", "PYTHONWARNINGS": "error"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py"), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert {p.name for p in out.iterdir()} >= {"report.html", "diff.md", "destroy-plan.md"}
    plan = (out / "destroy-plan.md").read_text(encoding="utf-8")
    # Prod is blocked by termination protection; dev deletes what it holds
    assert "Prod-Data" in plan
    assert "blocked" in plan
    assert "Dev-Data" in plan
    assert "== 6. The destroy plan" in result.stdout
