"""Every verb of the ``lattice`` command over one input, with what each run must hold.

Shared by the Hypothesis suite (in-process, many small templates) and the hostile
fixtures (one subprocess under time and memory limits). Each run must exit with a
documented code, show no internal error, write no raw control byte in text output,
and leave any lock file it touched valid JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from lattice_cdk._cli import main

#: Exit codes docs/limits.md documents: bit flags, 1 (unusable input: a one-line error,
#: or in a folder run a file it could not read, LAT2904, beside the other findings) and
#: the findings bits 2, 4 and 8.
DOCUMENTED = set(range(16))
#: What a terminal or a reader would act on (newline is the output's own).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
#: The longest one verb may take on a fuzzed input (they take milliseconds).
SECONDS = 20.0
#: Formats read as text by people (JSON and SARIF are parsed instead).
TEXT_FORMATS = ("text", "markdown", "html")


def runs(folder: Path, old: Path, work: Path) -> Iterator[tuple[str, list[str]]]:
    """``(output format, argv)`` for every verb on ``folder`` (``old``: a second input
    for ``diff``; ``work``: where locks and outputs go)."""
    lock = str(work / "lattice.lock.json")
    path = str(folder)
    for fmt in ("text", "json", "sarif", "markdown"):
        yield fmt, ["check", path, "-e", "prod", "-f", fmt]
        yield fmt, ["diff", str(old), path, "--format", fmt]
    for fmt in ("text", "json", "markdown", "html"):
        yield fmt, ["report", path, "-e", "prod", "-f", fmt]
    yield "text", ["lock", path, "--lock-file", lock]
    yield "text", ["lock", str(old), "--lock-file", lock]
    for fmt in ("text", "json"):
        yield fmt, ["lock", path, "--verify", "--lock-file", lock, "--format", fmt]
    yield "text", ["lock", path, "--update", "--reason", "fuzzing the lock", "--lock-file", lock]
    yield "json", ["check", path, "-e", "dev", "--lock", lock, "-f", "json"]
    yield "text", ["stack-policy", path]
    yield "json", ["stack-policy", path, "--format", "json", "--output-dir", str(work / "sp")]
    yield "text", ["policy"]
    yield "json", ["policy", "prod", "--format", "json"]


def run_verb(fmt: str, argv: list[str], work: Path) -> tuple[int, str, str]:
    """Run one verb in this process; ``(exit code, standard output, standard error)``.

    Standard output is read as bytes: what reaches a terminal must be valid UTF-8.
    """
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    started = time.monotonic()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS, f"{' '.join(argv)} took {elapsed:.1f} s"
    stdout.flush()
    stderr.flush()
    out: bytes = stdout.buffer.getvalue()  # type: ignore[attr-defined]
    err: bytes = stderr.buffer.getvalue()  # type: ignore[attr-defined]
    return code, out.decode("utf-8"), err.decode("utf-8")


def assert_sound(fmt: str, argv: list[str], code: int, output: str, stderr: str) -> None:
    """What every run must hold, whatever its input."""
    where = " ".join(argv)
    assert code in DOCUMENTED, f"{where}: exit {code}\n{stderr}"
    assert "internal error" not in stderr, f"{where}: {stderr}"
    assert RAW_CONTROL.search(stderr) is None, f"{where}: raw control in {stderr!r}"
    if code == 1 and not output:
        assert stderr.startswith("lattice: error: ["), f"{where}: {stderr!r}"
        assert len(stderr.splitlines()) == 1, f"{where}: {stderr!r}"
    if not output:
        return
    if fmt in TEXT_FORMATS:
        assert RAW_CONTROL.search(output) is None, f"{where}: raw control in output"
    else:
        json.loads(output)


def assert_lock_valid(work: Path) -> None:
    lock = work / "lattice.lock.json"
    if lock.exists():
        data = json.loads(lock.read_bytes().decode("utf-8"))
        assert data["lattice_lock"] == 1


def main_for_fixtures(fixtures: Path, work: Path) -> None:
    """Every verb over every fixture (``python -m tests.fuzz.verbs`` under limits)."""
    baseline = work / "baseline"
    baseline.mkdir(parents=True, exist_ok=True)
    (baseline / "App.template.json").write_text('{"Resources": {}}', encoding="utf-8")
    for fixture in sorted(fixtures.iterdir()):
        folder = work / fixture.stem / "in"
        folder.mkdir(parents=True, exist_ok=True)
        # A .bin fixture is a JSON template that is not UTF-8 (kept out of the tests'
        # JSON files, which another test parses).
        suffix = ".json" if fixture.suffix == ".bin" else fixture.suffix
        (folder / f"App.template{suffix}").write_bytes(fixture.read_bytes())
        for fmt, argv in runs(folder, baseline, folder.parent):
            code, output, stderr = run_verb(fmt, argv, folder.parent)
            assert_sound(fmt, [fixture.name, *argv], code, output, stderr)
            assert_lock_valid(folder.parent)
    print("ok")


if __name__ == "__main__":
    main_for_fixtures(Path(sys.argv[1]), Path(sys.argv[2]))
