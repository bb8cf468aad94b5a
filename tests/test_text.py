"""Text from templates is shown as data: terminal escapes, Markdown, HTML, the cap."""

from __future__ import annotations

import re

import pytest

from lattice_cdk._text import MARKDOWN_LIMIT, cap_markdown, md_code, md_text, printable

# Anything a terminal acts on: C0/C1 controls, DEL, lone surrogates, bidi overrides.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J\x1b[3J\x1b[H", "\\x1b[2J\\x1b[3J\\x1b[H"),
        ("a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd"),
        ("\x9b31m", "\\x9b31m"),
        ("x\ud800y", "x\\ud800y"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("caf\u00e9 \u6771\u4eac \U0001f600", "caf\u00e9 \u6771\u4eac \U0001f600"),
    ],
)
def test_printable_escapes_what_a_terminal_would_act_on(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    assert printable(shown) == shown  # escaping twice changes nothing
    printable(raw).encode("utf-8")  # and it always encodes


def test_every_character_printable_escapes_is_one_isprintable_rejects() -> None:
    # printable() passes text str.isprintable() accepts without looking further.
    from lattice_cdk._text import _UNSAFE

    unsafe = re.compile(_UNSAFE)
    escaped = [chr(c) for c in range(0x110000) if unsafe.fullmatch(chr(c))]
    assert len(escaped) == 32 + 33 + 2048 + 5 + 4
    assert not any(c.isprintable() for c in escaped)
    for c in escaped:
        assert printable(f"a{c}b") != f"a{c}b"


def test_md_text_keeps_html_links_mentions_and_code_spans_out() -> None:
    hostile = "<img src=x onerror=alert(1)></details> [x](https://e.example) @octocat `a|b`"
    text = md_text(hostile)
    assert "<" not in text
    assert ">" not in text
    assert "&lt;img" in text
    assert "&lt;/details&gt;" in text
    assert "\\[x\\]" in text
    assert "@octocat" not in text
    assert "@&#8203;octocat" in text
    assert "https://" not in text
    assert "\\`a\\|b\\`" in text


@pytest.mark.parametrize("start", ["### heading", "- item", "+ item", "1. item", "==="])
def test_md_text_cannot_open_a_block(start: str) -> None:
    text = md_text(start)
    assert text != start
    assert "\\" in text


def test_md_code_is_an_escaped_html_code_element() -> None:
    assert md_code("a`b|c<d>") == "<code>a\\`b\\|c&lt;d&gt;</code>"


def test_cap_markdown_cuts_at_a_line_closes_details_and_says_so() -> None:
    rows = "\n".join(f"| row {i} | {'x' * 50} |" for i in range(3000))
    text = f"### title\n\n<details><summary>s</summary>\n\n{rows}\n\n</details>\n"
    capped = cap_markdown(text, more="Run it with --format json.")
    assert len(capped.encode("utf-16-le")) // 2 <= MARKDOWN_LIMIT
    assert capped.count("<details>") == capped.count("</details>") == 1
    assert "Truncated to fit a 65,536-character comment." in capped
    assert capped.rstrip().endswith("Run it with --format json.")
    assert "| row 0 |" in capped
    assert "| row 2999 |" not in capped


def test_cap_markdown_counts_utf16_units_as_github_does() -> None:
    emoji = "\U0001f600" * 40_000  # 40,000 code points, 80,000 UTF-16 units
    capped = cap_markdown("\n".join([emoji[:100]] * 400))
    assert len(capped.encode("utf-16-le")) // 2 <= MARKDOWN_LIMIT


def test_short_markdown_is_left_alone() -> None:
    assert cap_markdown("### ok\n") == "### ok\n"
