"""Text that reaches a terminal or a pull request as data, never as commands or markup.

Resource ids, paths, tags and reasons come from templates anyone can write. Printed
raw, ``ESC[2J`` clears the screen (hiding the findings above it), a right-to-left
override reorders a line, a lone surrogate stops the output with an encoding error,
and in Markdown ``<img onerror=...>``, ``</details>``, ``[links](...)``, ``@mentions``
and stray backticks reach a pull-request comment. :func:`printable` shows every such
character as an escape (``\\x1b``, ``\\u202e``, ``\\udcff``); :func:`md_text` also
escapes Markdown and HTML; :func:`cap_markdown` keeps a comment under GitHub's
65,536 characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

__all__ = [
    "MARKDOWN_LIMIT",
    "cap_markdown",
    "md_code",
    "md_text",
    "printable",
    "render_table",
]

#: The longest comment GitHub accepts (characters, counted as UTF-16 code units).
MARKDOWN_LIMIT = 65_536

# C0 controls (newline and tab too: a field is one line), DEL and C1 controls, lone
# surrogates, and the bidirectional overrides and isolates ("trojan source").
_UNSAFE = "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"


@cache  # compiled on first use: printable() runs for every line written
def _unsafe() -> re.Pattern[str]:
    return re.compile(_UNSAFE)


# Markdown punctuation that opens an inline construct anywhere (emphasis, links, code,
# strikethrough, table cells), escaped with a backslash; ``<``, ``>`` and ``&`` become
# HTML entities.
_MARKDOWN = r"([\\`*_\[\]|~])"
# ...and what opens a block at the start of a line (headings, lists, rules, setext).
_BLOCK_START = r"^(\s*[0-9]*)([#+\-=.)])"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character, lone surrogate and bidi override shown
    as an escape; everything else (accents, CJK, emoji) as it is."""
    # Every such character is unprintable to str.isprintable() (categories Cc, Cs, Cf):
    # text it passes has none, which it tells without a regular expression.
    if text.isprintable() or _unsafe().search(text) is None:
        return text
    return _unsafe().sub(_escape, text)


def md_text(text: str) -> str:
    """``text`` for Markdown prose or a table cell: :func:`printable`, HTML escaped
    (``<``, ``>``, ``&``), Markdown punctuation backslash-escaped, ``@mentions`` and
    bare links broken with a zero-width space."""
    text = printable(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(_MARKDOWN, r"\\\1", text)
    text = re.sub(_BLOCK_START, lambda m: f"{m.group(1)}\\{m.group(2)}", text, count=1)
    # Renovate's trick: GitHub neither notifies "@&#8203;user" nor links "x:&#8203;//y".
    return text.replace("@", "@&#8203;").replace("://", ":&#8203;//")


def md_code(text: str) -> str:
    """``text`` as inline code. A backtick inside would end a Markdown code span (and
    ``|`` splits a table cell even inside one), so it is an HTML ``<code>`` element
    whose content is escaped as :func:`md_text`."""
    return f"<code>{md_text(text)}</code>"


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cap_markdown(text: str, *, limit: int = MARKDOWN_LIMIT, more: str = "") -> str:
    """``text`` cut at a line so that it, with a note saying it was cut, fits ``limit``.

    ``more`` tells where the rest is (``run 'lattice check --format json'``). An open
    ``<details>`` block is closed.
    """
    if _utf16_length(text) <= limit:
        return text
    note = f"\n\n**Truncated to fit a {limit:,}-character comment.** {more}".rstrip() + "\n"
    budget = limit - _utf16_length(note) - len("\n</details>\n")
    kept: list[str] = []
    used = 0
    for line in text.splitlines(keepends=True):
        size = _utf16_length(line)
        if used + size > budget:
            break
        kept.append(line)
        used += size
    body = "".join(kept).rstrip("\n")
    if body.count("<details>") > body.count("</details>"):
        body += "\n</details>"
    return body + note


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain aligned table with a rule under the header (no colour, pipe-safe); every
    cell is :func:`printable`."""
    headers = [printable(h) for h in headers]
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])
