"""The protection inventory as text, JSON, Markdown or one self-contained HTML page.

Every value from a template is data: text shows control characters as escapes,
Markdown escapes its markup and HTML (and stays under a comment's 65,536 characters),
HTML escapes everything (:mod:`lattice_cdk._text`).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

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
) -> str:
    """Render the inventory; ``stacks`` lists each stack's environment and its source,
    ``vaults`` each backup vault and its lock."""
    if fmt == "json":
        head = json.dumps(
            {
                "lattice_version": __version__,
                "command": "report",
                "source": source,
                "totals": totals,
                "stacks": list(stacks),
                "vaults": [v.to_dict() for v in vaults],
            },
            indent=2,
        )
        # One resource per line: readable, and json's C encoder (indent= makes it use
        # the pure-Python one, several times slower on a big inventory).
        body = ",\n".join("    " + json.dumps(r.to_dict()) for r in rows)
        return head[:-2] + ',\n  "resources": [\n' + body + ("\n" if body else "") + "  ]\n}"
    note = assumed_environment_note(stacks)
    if fmt == "markdown":
        return _markdown(rows, totals, source, note, _markdown_vaults(vaults))
    if fmt == "html":
        return _html(rows, totals, source, stacks, note, _html_vaults(vaults))
    if fmt == "text":
        return _text(rows, totals, source, note) + _text_vaults(vaults)
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


_CSS = """
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--muted:#57606a;--line:#d0d7de}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1f2328}
h1{font-size:22px;margin:0 0 4px}
.src{color:var(--muted);margin-bottom:18px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:18px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:180px}
.card h2{font-size:15px;margin:0 0 6px;text-transform:uppercase;letter-spacing:.04em}
.card .n{font-size:26px;font-weight:600}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;margin-top:8px;background:#eee}
.bar span{display:block}
.controls{margin:10px 0;display:flex;gap:10px;align-items:center}
input[type=search]{padding:6px 8px;border:1px solid var(--line);border-radius:6px;width:280px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0;cursor:pointer;white-space:nowrap}
td.path{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.v{font-weight:600;border-radius:10px;padding:1px 8px;white-space:nowrap}
.v-at-risk{background:#ffebe9;color:var(--bad)}
.v-unknown,.v-review{background:#fff8c5;color:var(--warn)}
.v-acknowledged{background:#ddf4ff;color:#0969da}
.v-compliant{background:#dafbe1;color:var(--ok)}
.off{color:var(--bad)} .on{color:var(--ok)} .unk{color:var(--warn)}
.rules{color:var(--muted);font-size:12px}
"""

_JS = """
const q=document.getElementById('q'),f=document.getElementById('verdict');
function apply(){const t=q.value.toLowerCase(),v=f.value;let n=0;
for(const r of document.querySelectorAll('tbody tr')){
const ok=(!t||r.textContent.toLowerCase().includes(t))&&(!v||r.dataset.verdict===v);
r.style.display=ok?'':'none';if(ok)n++}
document.getElementById('count').textContent=n+' shown'}
q.addEventListener('input',apply);f.addEventListener('change',apply);
document.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{
const tb=document.querySelector('tbody'),rows=[...tb.rows],d=th.dataset.dir==='a'?-1:1;
th.dataset.dir=d===1?'a':'d';
rows.sort((a,b)=>a.cells[i].textContent.localeCompare(b.cells[i].textContent)*d);
rows.forEach(r=>tb.appendChild(r))}));apply();
"""

_COLOURS = {
    "at risk": "#cf222e",
    "unknown": "#bf8700",
    "review": "#d4a72c",
    "acknowledged": "#0969da",
    "compliant": "#1a7f37",
}


_STATE_CLASSES = {
    "off": "off",
    "none": "off",
    "Delete": "off",
    "Delete (default)": "off",
    "on": "on",
    "covered": "on",
    "yes": "on",
    "Retain": "on",
    "RetainExceptOnCreate": "on",
    "Snapshot": "on",
    "Snapshot (default)": "on",
    "unknown": "unk",
    "intrinsic": "unk",
}


def _state_class(value: str) -> str:
    return _STATE_CLASSES.get(value, "")


def _h(text: str) -> str:
    """HTML-escaped, quotes too (attributes), with control characters and lone
    surrogates shown as escapes."""
    return html.escape(printable(text))


def _html(
    rows: Sequence[InventoryRow],
    totals: dict[str, dict[str, int]],
    source: str,
    stacks: Sequence[dict[str, Any]],
    note: str | None = None,
    vault_section: str = "",
) -> str:
    e = _h
    cards = []
    for env, counts in totals.items():
        total = max(counts["resources"], 1)
        bar = "".join(
            f'<span style="width:{100 * counts[v] / total:.1f}%;background:{_COLOURS[v]}" '
            f'title="{counts[v]} {v}"></span>'
            for v in VERDICTS
            if counts[v]
        )
        detail = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v])
        cards.append(
            f'<div class="card"><h2>{e(env)}</h2><div class="n">{counts["resources"]}</div>'
            f"<div>stateful resources</div><div>{e(detail)}</div>"
            f'<div class="bar">{bar}</div></div>'
        )
    body_rows = []
    # The verdict leads, so it stays in view on a narrow screen.
    columns = [c for c in _COLUMNS if c[1] == "verdict"] + [
        c for c in _COLUMNS if c[1] != "verdict"
    ]
    for row in _worst_first(rows):
        cells = []
        for _, attr in columns:
            text = _cell(row, attr)
            if attr == "verdict":
                cls = "v v-" + row.verdict.replace(" ", "-")
                rules = (
                    f'<div class="rules">{e(", ".join(row.findings))}</div>' if row.findings else ""
                ) + "".join(
                    f'<div class="rules" title="{e(reason)}">{e(rule_id)} acknowledged: '
                    f"{e(reason)}</div>"
                    for rule_id, reason in row.acknowledgements
                )
                cells.append(f'<td><span class="{cls}">{e(text)}</span>{rules}</td>')
            elif attr == "construct_path":
                cells.append(f'<td class="path" title="{e(row.logical_id)}">{e(text)}</td>')
            else:
                cls = _state_class(text)
                cells.append(f'<td class="{cls}">{e(text)}</td>' if cls else f"<td>{e(text)}</td>")
        body_rows.append(f'<tr data-verdict="{e(row.verdict)}">' + "".join(cells) + "</tr>")
    sources = sorted({f"{s['environment']} ({s['source']})" for s in stacks})
    options = "".join(f'<option value="{e(v)}">{e(v)}</option>' for v in VERDICTS)
    head = "".join(f"<th>{e(h)}</th>" for h, _ in columns)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Lattice protection report</title><style>{_CSS}</style></head>
<body>
<h1>Lattice protection report</h1>
<div class="src">{e(source)} &middot; {len(stacks)} stack(s) &middot; environments from:
{e("; ".join(sources))} &middot; lattice {e(__version__)}</div>
{f'<p class="unk">{e(note)}</p>' if note else ""}
<div class="cards">{"".join(cards) or "<p>No stateful resources.</p>"}</div>
<div class="controls"><input id="q" type="search" placeholder="filter: stack, path, type...">
<select id="verdict"><option value="">every verdict</option>{options}</select>
<span id="count"></span></div>
<table><thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body_rows)}
</tbody></table>
{vault_section}
<script>{_JS}</script>
</body></html>
"""


# -- backup vaults: which are locked, and how ----------------------------------------------


def _vault_cells(vault: VaultRow) -> list[str]:
    values = [getattr(vault, attr) for _, attr in VAULT_COLUMNS]
    cells = ["-" if value is None else str(value) for value in values]
    cells[1] = vault.construct_path or vault.logical_id
    return [printable(cell) for cell in cells]


def _text_vaults(vaults: Sequence[VaultRow]) -> str:
    if not vaults:
        return ""
    table = render_table([h for h, _ in VAULT_COLUMNS], [_vault_cells(v) for v in vaults])
    return "\n\nBackup vaults:\n\n" + table


def _markdown_vaults(vaults: Sequence[VaultRow]) -> list[str]:
    if not vaults:
        return []
    lines = ["", "#### Backup vaults", ""]
    lines.append("| " + " | ".join(h for h, _ in VAULT_COLUMNS) + " |")
    lines.append("|" + "---|" * len(VAULT_COLUMNS))
    for vault in vaults:
        text = _vault_cells(vault)
        cells = [md_text(cell) for cell in text]
        cells[1] = md_code(text[1])
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _html_vaults(vaults: Sequence[VaultRow]) -> str:
    if not vaults:
        return ""
    head = "".join(f"<th>{_h(h)}</th>" for h, _ in VAULT_COLUMNS)
    body = "\n".join(
        "<tr>"
        + "".join(
            f'<td class="path">{_h(c)}</td>' if i == 1 else f"<td>{_h(c)}</td>"
            for i, c in enumerate(_vault_cells(vault))
        )
        + "</tr>"
        for vault in vaults
    )
    return (
        f'<h2 id="vaults">Backup vaults</h2>\n<table class="vaults"><thead><tr>{head}</tr>'
        f"</thead>\n<tbody>\n{body}\n</tbody></table>"
    )
