"""Findings as text, JSON, SARIF 2.1.0 or Markdown, for any command that reports them.

Generic over :class:`~lattice_cdk._findings.Finding` and
:class:`~lattice_cdk._findings.RuleInfo`: ``lattice check``, ``lattice diff`` and the
lock all render through :func:`render_findings`, and compute their exit code with
:func:`exit_code`. Acknowledged findings are shown (an audit trail) but never counted.

Text and Markdown show what a template says as data (:mod:`lattice_cdk._text`): no
control character reaches the terminal, no markup reaches the pull request. JSON and
SARIF escape it as JSON does.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ._findings import Finding, RuleInfo, Severity, severity_of
from ._text import cap_markdown, md_code, md_text, printable
from ._version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FORMATS", "count_findings", "exit_code", "render_findings"]

#: The formats :func:`render_findings` knows.
FORMATS: tuple[str, ...] = ("text", "json", "sarif", "markdown")

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/lattice-cdk/lattice"

#: The most findings a Markdown report lists (it must fit a pull-request comment).
MARKDOWN_MAX_ROWS = 100

_EXIT_BITS = {Severity.ERROR: 2, Severity.WARNING: 4, Severity.INFO: 8}
#: Findings about input that was not read (LAT2904) also set bit 1, unusable input.
_INPUT_NOT_READ = "LAT2904"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def exit_code(findings: Iterable[Finding]) -> int:
    """The bit-flag exit code: 2 for errors, 4 for warnings, 8 for info, added together,
    and 1 when some input was not read (LAT2904).

    Acknowledged findings do not count.
    """
    code = 0
    for finding in findings:
        if finding.acknowledged is None:
            code |= _EXIT_BITS[finding.severity]
            if finding.rule_id == _INPUT_NOT_READ:
                code |= 1
    return code


def count_findings(findings: Iterable[Finding]) -> dict[str, int]:
    """``{"error": n, "warning": n, "info": n, "acknowledged": n}``."""
    counts = {"error": 0, "warning": 0, "info": 0, "acknowledged": 0}
    for finding in findings:
        if finding.acknowledged is not None:
            counts["acknowledged"] += 1
        else:
            counts[finding.severity] += 1  # a StrEnum: equal to its value, and as fast
    return counts


def render_findings(
    findings: Sequence[Finding],
    *,
    fmt: str,
    rules: Mapping[str, RuleInfo] | Iterable[RuleInfo],
    command: str,
    source: str | None = None,
    extra: Mapping[str, Any] | None = None,
    base_dir: Path | None = None,
) -> str:
    """Render ``findings`` as ``fmt`` (one of :data:`FORMATS`).

    ``rules`` describes every rule that could fire (SARIF lists them all; other formats
    use them for titles). ``command`` names the verb (``check``, ``diff``); ``source``
    is what was read. ``extra`` adds top-level keys to JSON (e.g. each stack's
    environment and where it came from) and lines to the text and Markdown headers.
    ``base_dir`` (default: the working directory) makes SARIF paths relative, as code
    scanning wants them.
    """
    table = rules if isinstance(rules, Mapping) else {r.rule_id: r for r in rules}
    ordered = sorted(findings, key=_sort_key)
    if fmt == "json":
        return _json(ordered, command=command, source=source, extra=extra)
    if fmt == "sarif":
        return _sarif(ordered, table, command=command, base_dir=base_dir or Path.cwd())
    if fmt == "markdown":
        return _markdown(ordered, command=command, source=source, extra=extra)
    if fmt == "text":
        return _text(ordered, command=command, source=source, extra=extra)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _sort_key(f: Finding) -> tuple[int, int, str, str, str]:
    return (
        f.acknowledged is not None,
        _ORDER[f.severity],
        f.stack,
        f.logical_id or "",
        f.rule_id,
    )


def _where(f: Finding) -> str:
    if f.construct_path:
        return f.construct_path
    if f.logical_id:
        return f"{f.stack}/{f.logical_id}"
    return f.stack


def _summary_line(counts: Mapping[str, int]) -> str:
    return (
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info, "
        f"{counts['acknowledged']} acknowledged"
    )


def _extra_lines(extra: Mapping[str, Any] | None) -> list[str]:
    lines = []
    for key, value in (extra or {}).items():
        if isinstance(value, str):
            lines.append(f"{key}: {printable(value)}")
    return lines


# -- text -------------------------------------------------------------------------------


def _text(
    findings: Sequence[Finding],
    *,
    command: str,
    source: str | None,
    extra: Mapping[str, Any] | None,
) -> str:
    lines = []
    if source:
        lines.append(f"lattice {command}: {printable(source)}")
    lines.extend(_extra_lines(extra))
    if lines:
        lines.append("")
    for f in findings:
        what = f"{f.rule_id} {f.severity:<7} {printable(_where(f))}"
        if f.logical_id and f.construct_path:
            what += f" ({printable(f.logical_id)})"
        lines.append(what)
        lines.append(f"    {printable(f.message)}")
        lines.append(f"    fix: {printable(f.fix)}")
        if f.acknowledged is not None:
            lines.append(f"    acknowledged: {printable(f.acknowledged)}")
    if findings:
        lines.append("")
    lines.append(_summary_line(count_findings(findings)) if findings else "No findings.")
    return "\n".join(lines)


# -- JSON -------------------------------------------------------------------------------


def _json(
    findings: Sequence[Finding],
    *,
    command: str,
    source: str | None,
    extra: Mapping[str, Any] | None,
) -> str:
    document: dict[str, Any] = {
        "lattice_version": __version__,
        "command": command,
        "source": source,
        **(extra or {}),
        "summary": {**count_findings(findings), "exit_code": exit_code(findings)},
        "findings": [f.to_dict() for f in findings],
    }
    return json.dumps(document, indent=2, sort_keys=False)


# -- Markdown (a pull-request comment) --------------------------------------------------


def _markdown(
    findings: Sequence[Finding],
    *,
    command: str,
    source: str | None,
    extra: Mapping[str, Any] | None,
) -> str:
    counts = count_findings(findings)
    if counts["error"]:
        badge = "❌"
    elif counts["warning"] or counts["info"]:
        badge = "⚠️"
    else:
        badge = "✅"
    lines = [f"### {badge} Lattice {command}" + (f": {md_code(source)}" if source else ""), ""]
    extra_lines = [
        f"- {md_text(key)}: {md_text(value)}"
        for key, value in (extra or {}).items()
        if isinstance(value, str)
    ]
    if extra_lines:
        lines += [*extra_lines, ""]
    lines.append(f"**{_summary_line(counts)}**")
    lines.append("")
    active = [f for f in findings if f.acknowledged is None]
    acked = [f for f in findings if f.acknowledged is not None]
    if active:
        lines += ["| rule | severity | resource | problem | fix |", "|---|---|---|---|---|"]
        for f in active[:MARKDOWN_MAX_ROWS]:
            lines.append(
                f"| `{f.rule_id}` | {f.severity.value} | {md_code(_where(f))} "
                f"| {md_text(f.message)} | {md_text(f.fix)} |"
            )
        lines.append("")
        if len(active) > MARKDOWN_MAX_ROWS:
            lines += [
                f"...and {len(active) - MARKDOWN_MAX_ROWS} more (errors first); run "
                f"`lattice {command} --format json` for all.",
                "",
            ]
    if acked:
        lines += [
            f"<details><summary>{len(acked)} acknowledged finding(s)</summary>",
            "",
            "| rule | resource | reason |",
            "|---|---|---|",
        ]
        for f in acked:
            lines.append(
                f"| `{f.rule_id}` | {md_code(_where(f))} | {md_text(f.acknowledged or '')} |"
            )
        lines += ["", "</details>", ""]
    # A pull-request comment holds 65,536 characters; the rest is in JSON/SARIF.
    return cap_markdown(
        "\n".join(lines).rstrip() + "\n",
        more=f"Run `lattice {command} --format json` for every finding.",
    )


# -- SARIF 2.1.0 ------------------------------------------------------------------------


def _sarif(
    findings: Sequence[Finding],
    rules: Mapping[str, RuleInfo],
    *,
    command: str,
    base_dir: Path,
) -> str:
    rule_ids = sorted({*rules, *(f.rule_id for f in findings)})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    lines_cache: dict[str, list[str] | None] = {}
    results = [_sarif_result(f, index[f.rule_id], base_dir, lines_cache) for f in findings]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lattice",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_sarif_rule(r, rules.get(r)) for r in rule_ids],
                    }
                },
                "automationDetails": {"id": f"lattice/{command}/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2)


def _sarif_rule(rule_id: str, info: RuleInfo | None) -> dict[str, Any]:
    level = _SARIF_LEVEL[severity_of(rule_id)]
    if info is None:
        return {"id": rule_id, "defaultConfiguration": {"level": level}}
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(w.capitalize() for w in info.title.replace("-", " ").split()[:8]),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.rationale},
        "help": {
            "text": f"{info.rationale}\n\nFix: {info.fix}",
            "markdown": f"{info.rationale}\n\n**Fix:** {info.fix}",
        },
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["data-loss", "cloudformation"]},
    }
    if info.source:
        rule["helpUri"] = info.source
    return rule


def _sarif_result(
    f: Finding, rule_index: int, base_dir: Path, lines_cache: dict[str, list[str] | None]
) -> dict[str, Any]:
    uri = _relative_uri(f.template_path, base_dir)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    line = _line_of(f.template_path, f.logical_id, lines_cache)
    # Code scanning needs a region; a stack-level finding points at the file's first line.
    physical["region"] = {"startLine": line or 1}
    location: dict[str, Any] = {"physicalLocation": physical}
    logical = f.construct_path or (f"{f.stack}/{f.logical_id}" if f.logical_id else f.stack)
    location["logicalLocations"] = [
        {"fullyQualifiedName": logical, "kind": "resource" if f.logical_id else "module"}
    ]
    import hashlib  # only SARIF needs it; keep the CLI's start lean

    fingerprint = hashlib.sha256(
        f"{f.rule_id}|{f.stack}|{f.logical_id or ''}".encode("utf-8", "surrogatepass")
    ).hexdigest()[:32]
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f"{f.message} Fix: {f.fix}"},
        "locations": [location],
        "partialFingerprints": {"latticeFinding/v1": fingerprint},
        "properties": {
            "stack": f.stack,
            "logicalId": f.logical_id,
            "resourceType": f.resource_type,
            "constructPath": f.construct_path,
        },
    }
    if f.acknowledged is not None:
        result["suppressions"] = [
            {"kind": "inSource", "status": "accepted", "justification": f.acknowledged}
        ]
    return result


def _relative_uri(path: str, base_dir: Path) -> str:
    p = Path(path)
    with contextlib.suppress(ValueError, OSError):
        p = p.resolve().relative_to(base_dir.resolve())
    return p.as_posix()


def _line_of(path: str, logical_id: str | None, cache: dict[str, list[str] | None]) -> int | None:
    """The 1-based line where ``logical_id`` is declared in the template, when found."""
    if not logical_id:
        return None
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            cache[path] = None
    lines = cache[path]
    if lines is None:
        return None
    json_key, yaml_key = f'"{logical_id}":', f"{logical_id}:"
    for number, text in enumerate(lines, start=1):
        stripped = text.lstrip()
        if stripped.startswith(json_key) or stripped.startswith(yaml_key):
            return number
    return None
