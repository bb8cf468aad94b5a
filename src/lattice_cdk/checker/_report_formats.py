"""The protection inventory as text, JSON, Markdown or one self-contained HTML page
(:mod:`._report_html`).

Every value from a template is data: text shows control characters as escapes,
Markdown escapes its markup and HTML (and stays under a comment's 65,536 characters),
HTML escapes everything (:mod:`lattice_cdk._text`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from .._findings import Finding
from .._text import cap_markdown, md_code, md_text, printable, render_table
from .._version import __version__
from ._report import VERDICTS, InventoryRow, assumed_environment_note
from ._report_vaults import VAULT_COLUMNS, VaultRow

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["REPORT_FORMATS", "render_report"]

REPORT_FORMATS = ("text", "json", "markdown", "html")

_COLUMNS = (
    ("stack", "stack"),
    ("resource", "construct_path"),
    ("type", "type"),
    ("env", "environment"),
    ("deletion", "deletion_policy"),
    ("replace", "update_replace_policy"),
    ("del. prot.", "deletion_protection"),
    ("backup", "backup"),
    ("tiers", "backup_tiers"),
    ("x-region", "cross_region"),
    ("restore test", "restore_test"),
    ("copies to", "copies_to"),
    ("PITR", "point_in_time_recovery"),
    ("versioning", "versioning"),
    ("verdict", "verdict"),
)


def render_report(
    rows: Sequence[InventoryRow],
    totals: dict[str, dict[str, int]],
    *,
    fmt: str,
    source: str,
    stacks: Sequence[dict[str, Any]],
    vaults: Sequence[VaultRow] = (),
    findings: Iterable[Finding] = (),
    not_checked: Sequence[Finding] = (),
) -> str:
    """Render the inventory; ``stacks`` lists each stack's environment and its source,
    ``vaults`` each backup vault and its lock, ``findings`` (the checker's) give HTML
    each row's messages and fixes, ``not_checked`` what the inventory leaves out because
    it was not read or not evaluated (:func:`~lattice_cdk.checker._engine.not_checked`),
    listed in every format."""
    if fmt == "json":
        head = json.dumps(
            {
                "lattice_version": __version__,
                "command": "report",
                "source": source,
                "totals": totals,
                "stacks": list(stacks),
                "vaults": [v.to_dict() for v in vaults],
                "not_checked": [_not_checked_dict(f) for f in not_checked],
            },
            indent=2,
        )
        # One resource per line: readable, and json's C encoder (indent= makes it use
        # the pure-Python one, several times slower on a big inventory).
        body = ",\n".join("    " + json.dumps(r.to_dict()) for r in rows)
        return head[:-2] + ',\n  "resources": [\n' + body + ("\n" if body else "") + "  ]\n}"
    note = assumed_environment_note(stacks)
    if fmt == "markdown":
        vault_lines = _markdown_vaults(vaults)
        return _markdown(
            rows, totals, source, note, [*_markdown_not_checked(not_checked), *vault_lines]
        )
    if fmt == "html":
        from ._report_html import render_html

        return render_html(rows, totals, source, stacks, note, findings, vaults, not_checked)
    if fmt == "text":
        return (
            _text(rows, totals, source, note)
            + _text_not_checked(not_checked)
            + _text_vaults(vaults)
        )
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(REPORT_FORMATS)}")


def _worst_first(rows: Sequence[InventoryRow]) -> list[InventoryRow]:
    """People read from the top: what is at risk first, then by stack and path."""
    order = {v: i for i, v in enumerate(VERDICTS)}
    return sorted(rows, key=lambda r: (order[r.verdict], r.stack, r.construct_path or r.logical_id))


def _cell(row: InventoryRow, attr: str) -> str:
    value = getattr(row, attr)
    if attr == "construct_path":
        value = value or row.logical_id
    elif attr == "environment" and row.environment_assumed:
        value = f"{value} (assumed)"
    elif isinstance(value, tuple):
        value = ",".join(value) or "-"
    # Lone surrogates too: HTML and Markdown are written as UTF-8.
    return printable(str(value))


def _totals_lines(totals: dict[str, dict[str, int]]) -> list[str]:
    lines = []
    for env, counts in totals.items():
        parts = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v])
        lines.append(f"{printable(env)}: {counts['resources']} stateful resources ({parts})")
    return lines


def _text(
    rows: Sequence[InventoryRow],
    totals: dict[str, dict[str, int]],
    source: str,
    note: str | None = None,
) -> str:
    headers = [h for h, _ in _COLUMNS]
    table = render_table(headers, [[_cell(r, a) for _, a in _COLUMNS] for r in _worst_first(rows)])
    lines = [f"lattice report: {printable(source)}", "", table, "", *_totals_lines(totals)]
    if not rows:
        lines.insert(2, "No stateful resources.")
    if note:
        lines.append(printable(note))
    return "\n".join(lines)


def _markdown(
    rows: Sequence[InventoryRow],
    totals: dict[str, dict[str, int]],
    source: str,
    note: str | None = None,
    vault_lines: Sequence[str] = (),
) -> str:
    lines = [f"### Lattice protection report: {md_code(source)}", ""]
    lines += [f"- {md_text(line)}" for line in _totals_lines(totals)]
    if note:
        lines.append(f"- **{md_text(note)}**")
    lines += ["", "| " + " | ".join(h for h, _ in _COLUMNS) + " |"]
    lines.append("|" + "---|" * len(_COLUMNS))
    for row in _worst_first(rows):
        cells = [md_text(_cell(row, a)) for _, a in _COLUMNS]
        cells[1] = md_code(_cell(row, "construct_path"))
        lines.append("| " + " | ".join(cells) + " |")
    lines += vault_lines
    return cap_markdown(
        "\n".join(lines) + "\n", more="Run `lattice report --format json` for every resource."
    )


# -- what the inventory leaves out: inputs not read, entries not evaluated -----------------

NOT_CHECKED_TITLE = "Not checked (not read, or left to deploy time; lattice check warns of each)"


def not_checked_line(finding: Finding) -> str:
    """One line per entry: where, what, and the fix."""
    # An input not read names its path in the message; an entry, its key.
    where = "" if finding.logical_id is None else f"{finding.stack}: "
    return f"{finding.rule_id} {where}{finding.message} Fix: {finding.fix}"


def _not_checked_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule_id": finding.rule_id,
        "stack": finding.stack,
        "template_path": finding.template_path,
        "logical_id": finding.logical_id,
        "message": finding.message,
        "fix": finding.fix,
    }


def _text_not_checked(not_checked: Sequence[Finding]) -> str:
    if not not_checked:
        return ""
    lines = [printable(not_checked_line(f)) for f in not_checked]
    return f"\n\n{NOT_CHECKED_TITLE}:\n\n" + "\n".join(f"  {line}" for line in lines)


def _markdown_not_checked(not_checked: Sequence[Finding]) -> list[str]:
    if not not_checked:
        return []
    lines = ["", f"#### {md_text(NOT_CHECKED_TITLE)}", ""]
    return lines + [f"- {md_text(not_checked_line(f))}" for f in not_checked]


# -- backup vaults: which are locked, and how ----------------------------------------------


def vault_cells(vault: VaultRow) -> list[str]:
    values = [getattr(vault, attr) for _, attr in VAULT_COLUMNS]
    cells = ["-" if value is None else str(value) for value in values]
    cells[1] = vault.construct_path or vault.logical_id
    return [printable(cell) for cell in cells]


def _text_vaults(vaults: Sequence[VaultRow]) -> str:
    if not vaults:
        return ""
    table = render_table([h for h, _ in VAULT_COLUMNS], [vault_cells(v) for v in vaults])
    return "\n\nBackup vaults:\n\n" + table


def _markdown_vaults(vaults: Sequence[VaultRow]) -> list[str]:
    if not vaults:
        return []
    lines = ["", "#### Backup vaults", ""]
    lines.append("| " + " | ".join(h for h, _ in VAULT_COLUMNS) + " |")
    lines.append("|" + "---|" * len(VAULT_COLUMNS))
    for vault in vaults:
        text = vault_cells(vault)
        cells = [md_text(cell) for cell in text]
        cells[1] = md_code(text[1])
        lines.append("| " + " | ".join(cells) + " |")
    return lines
