"""Small helpers shared by the verbs: exit codes, tables, writing output."""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = [
    "EXIT_ERROR",
    "EXIT_INFO",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_WARNING",
    "render_table",
    "write_output",
]

EXIT_OK = 0
EXIT_USAGE = 1
EXIT_ERROR = 2
EXIT_WARNING = 4
EXIT_INFO = 8


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain aligned table with a rule under the header (no colour, pipe-safe)."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def write_output(text: str, output: str | None) -> None:
    """Write ``text`` to ``output`` (a path) or to standard output."""
    if not text.endswith("\n"):
        text += "\n"
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    from pathlib import Path

    Path(output).write_text(text, encoding="utf-8")
