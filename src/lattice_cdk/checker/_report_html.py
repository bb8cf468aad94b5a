"""The protection inventory as one self-contained HTML page people read.

What is at risk comes first, each finding with its message and fix, the logical id and
construct path in plain sight, a chart of protection per environment and per stack
(inline SVG), and nothing fetched from elsewhere. The page fits a 1,366-pixel laptop
screen: long paths wrap. Colours follow the verdict, never the environment: a dev
bucket that is deleted with its stack is compliant, and is not painted red.

Every value from a template is escaped (:func:`_h`): HTML markup is shown, control
characters and lone surrogates become escapes.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .._findings import Finding, Severity
from .._text import printable
from .._version import __version__
from ._report import VERDICTS, InventoryRow
from ._report_formats import _worst_first, vault_cells
from ._report_vaults import VAULT_COLUMNS, VaultRow

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["render_html"]

#: One colour per verdict (GitHub's palette, readable on white and for most colour
#: vision deficiencies thanks to the text beside each).
COLOURS = {
    "at risk": "#cf222e",
    "unknown": "#bf8700",
    "review": "#d4a72c",
    "acknowledged": "#0969da",
    "compliant": "#1a7f37",
}

#: Verdicts that ask for action: only their rows mark what is off.
_NEEDS_ACTION = frozenset({"at risk", "unknown", "review"})
#: Values that, in a row needing action, show what is missing.
_OFF = frozenset({"off", "none", "Delete", "Delete (default)"})
_UNSURE = frozenset({"unknown", "intrinsic"})
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
#: The most stacks the chart draws (the worst first); the table has every one.
_CHART_STACKS = 15

_CSS = """
:root{--bad:#cf222e;--warn:#9a6700;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:20px 24px;
color:#1f2328;overflow-wrap:anywhere}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:15px;margin:0 0 8px}
.src{color:var(--muted);margin-bottom:14px}
.summary{font-size:16px;margin:0 0 14px}
.summary b{color:var(--bad)}
.note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px}
.charts{display:flex;flex-wrap:wrap;gap:16px 32px;margin:6px 0 18px}
.chart{flex:1 1 520px;min-width:0;max-width:680px}
.chart svg{display:block;width:100%;height:auto}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:0 0 10px;color:var(--muted)}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;
vertical-align:-1px}
.controls{margin:10px 0;display:flex;flex-wrap:wrap;gap:10px;align-items:center}
input[type=search]{padding:6px 8px;border:1px solid var(--line);border-radius:6px;
width:300px;max-width:100%}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);position:sticky;top:0;cursor:pointer;white-space:nowrap;
overflow:hidden;text-overflow:ellipsis}
tr{border-left:4px solid transparent}
col.c-verdict{width:10%}col.c-resource{width:24%}col.c-env{width:6%}col.c-keep{width:12%}
col.c-backup{width:12%}col.c-recovery{width:9%}col.c-findings{width:27%}
code,.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.path{display:block;font-weight:600}
.meta{color:var(--muted);font-size:12px}
.v{display:inline-block;font-weight:600;border-radius:10px;padding:1px 8px;color:#fff;
white-space:nowrap}
.bad{color:var(--bad);font-weight:600}.unsure{color:var(--warn);font-weight:600}
.finding{margin:0 0 6px}.finding:last-child{margin:0}
.fix{color:var(--muted)}
.ack{color:#0969da;font-size:12px}
ul.kv{list-style:none;margin:0;padding:0}
"""

_JS = """
const q=document.getElementById('q'),f=document.getElementById('verdict');
function apply(){const t=q.value.toLowerCase(),v=f.value;let n=0;
for(const r of document.querySelectorAll('tbody tr')){
const ok=(!t||r.textContent.toLowerCase().includes(t))&&(!v||r.dataset.verdict===v);
r.style.display=ok?'':'none';if(ok)n++}
document.getElementById('count').textContent=n+' shown'}
q.addEventListener('input',apply);f.addEventListener('change',apply);
const key=c=>c.dataset.key||c.textContent;
document.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{
const tb=document.querySelector('tbody'),rows=[...tb.rows],d=th.dataset.dir==='a'?-1:1;
th.dataset.dir=d===1?'a':'d';
rows.sort((a,b)=>key(a.cells[i]).localeCompare(key(b.cells[i]),undefined,{numeric:true})*d);
rows.forEach(r=>tb.appendChild(r))}));apply();
"""

_HEADERS = (
    ("verdict", "c-verdict"),
    ("resource", "c-resource"),
    ("env", "c-env"),
    ("delete / replace", "c-keep"),
    ("backup", "c-backup"),
    ("recovery", "c-recovery"),
    ("findings and fixes", "c-findings"),
)


def _h(text: object) -> str:
    """HTML-escaped, quotes too (attributes), with control characters and lone
    surrogates shown as escapes."""
    return html.escape(printable(str(text)))


def render_html(
    rows: Sequence[InventoryRow],
    totals: dict[str, dict[str, int]],
    source: str,
    stacks: Sequence[Mapping[str, Any]],
    note: str | None,
    findings: Iterable[Finding] = (),
    vaults: Sequence[VaultRow] = (),
    not_checked: Sequence[Finding] = (),
) -> str:
    """The page; ``findings`` (the checker's) give each row its messages and fixes,
    ``vaults`` list each backup vault and how it is locked, ``not_checked`` what the
    inventory leaves out."""
    by_place: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.logical_id is not None and finding.acknowledged is None:
            by_place[(finding.stack, finding.logical_id)].append(finding)
    body = "\n".join(_row(r, by_place.get((r.stack, r.logical_id), [])) for r in _worst_first(rows))
    sources = sorted({f"{s['environment']} ({s['source']})" for s in stacks})
    options = "".join(f'<option value="{_h(v)}">{_h(v)}</option>' for v in VERDICTS)
    cols = "".join(f'<col class="{cls}">' for _, cls in _HEADERS)
    head = "".join(f"<th>{_h(h)}</th>" for h, _ in _HEADERS)
    table = (
        f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{body}\n</tbody></table>"
        if rows
        else "<p>No stateful resources.</p>"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Lattice protection report</title><style>{_CSS}</style></head>
<body>
<h1>Lattice protection report</h1>
<div class="src">{_h(source)} &middot; {len(stacks)} stack(s) &middot; environments from:
{_h("; ".join(sources))} &middot; lattice {_h(__version__)}</div>
<p class="summary">{_summary(totals)}</p>
{f'<p class="note">{_h(note)}</p>' if note else ""}
{_charts(rows, totals)}
<div class="controls"><input id="q" type="search" placeholder="filter: stack, path, rule...">
<select id="verdict"><option value="">every verdict</option>{options}</select>
<span id="count"></span></div>
{table}
{_html_not_checked(not_checked)}
{_html_vaults(vaults)}
<script>{_JS}</script>
</body></html>
"""


def _summary(totals: Mapping[str, Mapping[str, int]]) -> str:
    resources = sum(c["resources"] for c in totals.values())
    at_risk = sum(c["at risk"] for c in totals.values())
    if not resources:
        return "No stateful resources."
    where = ", ".join(f"{c['at risk']} in {_h(env)}" for env, c in totals.items() if c["at risk"])
    risk = f"<b>{at_risk} at risk</b> ({where})" if at_risk else "none at risk"
    return f"{resources} stateful resource{'s' if resources != 1 else ''}: {risk}."


# -- the chart -------------------------------------------------------------------------


def _charts(rows: Sequence[InventoryRow], totals: Mapping[str, Mapping[str, int]]) -> str:
    if not rows:
        return ""
    per_stack: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = per_stack.setdefault(row.stack, {"resources": 0, **dict.fromkeys(VERDICTS, 0)})
        counts["resources"] += 1
        counts[row.verdict] += 1
    worst = sorted(
        per_stack.items(), key=lambda item: (*(-item[1][v] for v in VERDICTS[:3]), item[0])
    )
    shown = worst[:_CHART_STACKS]
    more = len(worst) - len(shown)
    legend = "".join(
        f'<span><i style="background:{COLOURS[v]}"></i>{_h(v)}</span>' for v in VERDICTS
    )
    stack_title = "Protection per stack" + (
        f" (the {len(shown)} with most at risk; {more} more in the table)" if more else ""
    )
    return (
        f'<div class="legend">{legend}</div><div class="charts">'
        f'<div class="chart"><h2>Protection per environment</h2>{_bars(totals.items())}</div>'
        f'<div class="chart"><h2>{_h(stack_title)}</h2>{_bars(shown)}</div></div>'
    )


def _bars(items: Iterable[tuple[str, Mapping[str, int]]]) -> str:
    """Horizontal stacked bars, one per item, lengths to one scale, counts beside."""
    entries = list(items)
    label_w, bar_w, count_w, row_h = 170, 330, 120, 24
    biggest = max((c["resources"] for _, c in entries), default=1) or 1
    width = label_w + bar_w + count_w
    height = row_h * len(entries) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-size="12" '
        'font-family="system-ui,sans-serif">'
    ]
    for i, (name, counts) in enumerate(entries):
        y = i * row_h + 2
        label = printable(name)
        short = label if len(label) <= 26 else label[:25] + "\u2026"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{html.escape(label)}</title>{html.escape(short)}</text>"
        )
        x = float(label_w)
        for verdict in VERDICTS:
            n = counts[verdict]
            if not n:
                continue
            w = bar_w * n / biggest
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                f'fill="{COLOURS[verdict]}"><title>{html.escape(label)}: {n} {verdict}'
                "</title></rect>"
            )
            x += w
        at_risk = f", {counts['at risk']} at risk" if counts["at risk"] else ""
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 15}" fill="#59636e">'
            f"{counts['resources']}{at_risk}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


# -- the table -------------------------------------------------------------------------


def _row(row: InventoryRow, findings: Sequence[Finding]) -> str:
    colour = COLOURS[row.verdict]
    verdict = (
        f'<td data-key="{VERDICTS.index(row.verdict)}">'
        f'<span class="v" style="background:{colour}">{_h(row.verdict)}</span></td>'
    )
    path = row.construct_path or row.logical_id
    resource = (
        f'<td><span class="path">{_h(path)}</span>'
        f'<span class="meta">logical id <code>{_h(row.logical_id)}</code> &middot; '
        f"{_h(row.type)} &middot; stack {_h(row.stack)}</span></td>"
    )
    assumed = ' <span class="meta">(assumed)</span>' if row.environment_assumed else ""
    keep = _facts(
        row,
        (
            ("delete", row.deletion_policy),
            ("replace", row.update_replace_policy),
            ("protection", row.deletion_protection),
        ),
    )
    backup = _facts(
        row,
        (
            ("backup", row.backup),
            ("tiers", ", ".join(row.backup_tiers)),
            ("plans", ", ".join(row.backup_plans)),
            ("x-region", row.cross_region),
        ),
    )
    recovery = _facts(
        row,
        (("PITR", row.point_in_time_recovery), ("versioning", row.versioning)),
    )
    return (
        f'<tr data-verdict="{_h(row.verdict)}" style="border-left-color:{colour}">'
        f"{verdict}{resource}<td>{_h(row.environment)}{assumed}</td><td>{keep}</td><td>{backup}</td>"
        f"<td>{recovery}</td><td>{_findings(row, findings)}</td></tr>"
    )


def _facts(row: InventoryRow, facts: Iterable[tuple[str, str]]) -> str:
    """``name: value`` lines, without the ones that do not apply; in a row that needs
    action, what is off is marked (a compliant row's ``Delete`` is not)."""
    act = row.verdict in _NEEDS_ACTION
    items = []
    for name, value in facts:
        if value in ("", "n/a", "-"):
            continue
        cls = ""
        if act and value in _OFF:
            cls = ' class="bad"'
        elif act and value in _UNSURE:
            cls = ' class="unsure"'
        items.append(f'<li><span class="meta">{_h(name)}</span> <span{cls}>{_h(value)}</span></li>')
    return f'<ul class="kv">{"".join(items)}</ul>' if items else '<span class="meta">n/a</span>'


def _findings(row: InventoryRow, findings: Sequence[Finding]) -> str:
    parts = []
    described = set()
    for f in sorted(findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.rule_id)):
        described.add(f.rule_id)
        parts.append(
            f'<div class="finding"><code>{_h(f.rule_id)}</code> {_h(f.message)} '
            f'<span class="fix">Fix: {_h(f.fix)}</span></div>'
        )
    # A rule the row names but whose finding was not passed in: its id, at least.
    parts += [
        f'<div class="finding"><code>{_h(rule_id)}</code></div>'
        for rule_id in row.findings
        if rule_id not in described
    ]
    parts += [
        f'<div class="ack"><code>{_h(rule_id)}</code> acknowledged: {_h(reason)}</div>'
        for rule_id, reason in row.acknowledgements
    ]
    return "".join(parts) or '<span class="meta">none</span>'


def _html_not_checked(not_checked: Sequence[Finding]) -> str:
    if not not_checked:
        return ""
    from ._report_formats import NOT_CHECKED_TITLE, not_checked_line

    items = "".join(f"<li>{_h(not_checked_line(f))}</li>" for f in not_checked)
    return (
        f'<h2 id="not-checked">{_h(NOT_CHECKED_TITLE)}</h2>\n<ul class="not-checked">{items}</ul>'
    )


def _html_vaults(vaults: Sequence[VaultRow]) -> str:
    if not vaults:
        return ""
    head = "".join(f"<th>{_h(h)}</th>" for h, _ in VAULT_COLUMNS)
    body = "\n".join(
        "<tr>"
        + "".join(
            f'<td class="path">{_h(c)}</td>' if i == 1 else f"<td>{_h(c)}</td>"
            for i, c in enumerate(vault_cells(vault))
        )
        + "</tr>"
        for vault in vaults
    )
    return (
        f'<h2 id="vaults">Backup vaults</h2>\n<table class="vaults"><thead><tr>{head}</tr>'
        f"</thead>\n<tbody>\n{body}\n</tbody></table>"
    )
