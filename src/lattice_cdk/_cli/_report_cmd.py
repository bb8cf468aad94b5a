"""``lattice report PATH``: the protection inventory of every stateful resource."""

from __future__ import annotations

from ._common import EXIT_OK, write_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["add_parser", "run"]

_FORMATS = ("text", "json", "markdown", "html")


def add_parser(subparsers: Any) -> None:
    from pathlib import Path

    parser = subparsers.add_parser(
        "report",
        help="inventory every stateful resource and how it is protected",
        description="List every stateful resource with its stack, construct path, type, "
        "DeletionPolicy, UpdateReplacePolicy, deletion protection, backup plans and tiers, "
        "cross-region copy, point-in-time recovery, versioning and a verdict, with totals "
        "per environment. Exits 0 (use 'lattice check' to gate CI), 1 on unusable input.",
    )
    parser.add_argument("path", help="template file, folder, or cdk.out")
    parser.add_argument("--environment", "-e", help="environment of every stack")
    parser.add_argument(
        "--format",
        "-f",
        choices=_FORMATS,
        help="default: what --output's suffix names (.json, .md, ...), else text",
    )
    parser.add_argument("--output", "-o", help="write to this file instead of stdout")
    parser.add_argument(
        "--config", type=Path, help="lattice.toml or pyproject.toml (default: nearest one)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..checker import build_inventory, inventory_totals
    from ..checker._engine import not_checked
    from ..checker._report_formats import render_report
    from ..checker._report_vaults import build_vaults
    from ._check_cmd import run_check, run_inputs
    from ._suffix import format_for

    args.format = format_for(args.format, args.output, _FORMATS)
    result = run_check(args)
    rows = build_inventory(result)
    text = render_report(
        rows,
        inventory_totals(rows),
        fmt=args.format,
        source=result.assembly.source,
        stacks=[e.to_dict() for e in result.environments.values()],
        vaults=build_vaults(result),
        findings=result.findings,
        not_checked=not_checked(result.assembly),
    )
    write_output(text, args.output, inputs=run_inputs(args, result))
    return EXIT_OK
