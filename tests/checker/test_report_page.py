"""``lattice report -f html`` as people see it: read in a real browser (Debian's
Chromium, headless), on a laptop screen and a desktop one.

Chromium comes from ``make browser`` (part of ``make test``). Without it these tests
fail, never skip: a report nobody looked at is not checked.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.checker._report_page import LONG, write_report_inputs
from tests.helpers import run_lattice

SCREENS = [(1366, 768), (1600, 900)]
#: Written into the page's body by the probe script the layout test adds.
PROBE = (
    "<script>document.body.setAttribute('data-layout',"
    "[document.documentElement.scrollWidth,innerWidth].join(' '))</script>"
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("report-page")
    inputs = write_report_inputs(work / "templates")
    out = work / "report.html"
    result = run_lattice("report", str(inputs), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(
            "Chromium is not installed, so the HTML report cannot be looked at. "
            "Fix: run 'make browser' (apt-get install -y --no-install-recommends chromium)."
        )
    return found


def _browse(tmp_path: Path, size: tuple[int, int], *args: str) -> str:
    result = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={size[0]},{size[1]}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize("size", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_the_report_renders_to_a_screenshot_of_the_window(
    page: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    png = tmp_path / "report.png"
    _browse(tmp_path, size, f"--screenshot={png}", page.as_uri())
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == size


@pytest.mark.parametrize("size", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_the_report_fits_the_window_without_scrolling_sideways(
    page: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    # GIVEN the report with a probe that writes the page's width into it
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text().replace("</body>", PROBE + "</body>"))
    # WHEN Chromium lays it out in a window of that size
    dom = _browse(tmp_path, size, "--virtual-time-budget=2000", "--dump-dom", probed.as_uri())
    # THEN nothing is wider than the window, the longest construct path included
    found = re.search(r'data-layout="(\d+) (\d+)"', dom)
    assert found is not None, dom[-2000:]
    scroll_width, inner_width = int(found[1]), int(found[2])
    assert inner_width == size[0]
    assert scroll_width <= inner_width
    assert LONG in dom


def _rows(page: Path) -> list[str]:
    return re.findall(r"<tr data-verdict=.*?</tr>", page.read_text(), flags=re.DOTALL)


def test_each_finding_shows_its_message_and_fix(page: Path) -> None:
    (sessions,) = [r for r in _rows(page) if "Identity-Prod/Sessions/Resource" in r]
    message = "AWS::DynamoDB::Table Sessions: DeletionPolicy is Delete"
    assert f"<code>LAT1001</code> {message}" in sessions
    assert "Fix: Set DeletionPolicy: Retain" in sessions
    assert "<code>LAT1101</code>" in sessions


def test_logical_id_and_construct_path_are_in_plain_sight(page: Path) -> None:
    (ledger,) = [r for r in _rows(page) if "Payments-Prod/LedgerService/Ledger/" in r]
    assert '<span class="path">Payments-Prod/LedgerService/Ledger/Resource</span>' in ledger
    assert "logical id <code>Ledger</code>" in ledger
    assert "title=" not in ledger


def test_resources_at_risk_come_first(page: Path) -> None:
    verdicts = re.findall(r'<tr data-verdict="([^"]+)"', page.read_text())
    assert verdicts == sorted(
        verdicts, key=["at risk", "unknown", "review", "acknowledged", "compliant"].index
    )
    assert verdicts[0] == "at risk"
    assert "acknowledged" in verdicts


def test_a_compliant_dev_row_is_not_painted_red(page: Path) -> None:
    # The dev scratch bucket is deleted with its stack: that is dev's policy.
    (scratch,) = [r for r in _rows(page) if "Sandbox-Dev/Scratch/Resource" in r]
    assert 'data-verdict="compliant"' in scratch
    assert "Delete" in scratch
    assert 'class="bad"' not in scratch
    assert "#cf222e" not in scratch
    (archive,) = [r for r in _rows(page) if LONG in r]
    assert '<span class="bad">Delete</span>' in archive


def test_the_chart_draws_protection_per_environment_and_stack(page: Path) -> None:
    text = page.read_text()
    assert "Protection per environment" in text
    assert "Protection per stack" in text
    charts = re.findall(r"<svg .*?</svg>", text, flags=re.DOTALL)
    assert len(charts) == 2
    environments, stacks = charts
    assert "<title>prod: 3 at risk</title>" in environments
    assert "<title>prod: 1 acknowledged</title>" in environments
    assert "<title>dev: 3 compliant</title>" in environments
    # The stack with most at risk is drawn first.
    assert stacks.index(">Payments-Prod<") < stacks.index(">Sandbox-Dev<")
    assert "<title>Payments-Prod: 2 at risk</title>" in stacks


def test_the_page_is_self_contained(page: Path) -> None:
    text = page.read_text()
    assert "src=" not in text
    assert "href=" not in text
    assert "url(" not in text
    assert "@import" not in text
