"""The output format a file name asks for: ``-o report.html`` writes HTML."""

from __future__ import annotations

__all__ = ["format_for"]

#: File suffixes and the format each one names.
SUFFIX_FORMATS: dict[str, str] = {
    ".json": "json",
    ".sarif": "sarif",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


def format_for(fmt: str | None, output: str | None, formats: tuple[str, ...]) -> str:
    """``fmt`` when given; else the format ``output``'s suffix names, when the verb has
    it; else ``text``."""
    if fmt is not None:
        return fmt
    if output:
        dot = output.rfind(".")
        named = SUFFIX_FORMATS.get(output[dot:].lower()) if dot > 0 else None
        if named in formats:
            return named
    return "text"
