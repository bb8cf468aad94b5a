"""``lattice check PATH``: findings for a template, a folder or a cloud assembly."""

from __future__ import annotations

from collections import Counter

from ._common import read_paths, write_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from typing import Any

    from ..checker import CheckResult

__all__ = ["add_parser", "check_extra", "run", "run_check", "run_inputs"]

_FORMATS = ("text", "json", "sarif", "markdown")


def add_parser(subparsers: Any) -> None:
    from pathlib import Path

    parser = subparsers.add_parser(
        "check",
        help="find what can lose data in CloudFormation or a CDK cloud assembly",
        description="Check a CloudFormation template (JSON or YAML), a folder of templates "
        "or a CDK cloud assembly (cdk.out) for stateful resources that can lose data. "
        "Exit codes (added together): 0 clean, 1 unusable input, 2 errors, 4 warnings, "
        "8 info; acknowledged findings do not count; 70 internal error (docs/limits.md).",
    )
    parser.add_argument("path", help="template file, folder, or cdk.out")
    parser.add_argument(
        "--environment",
        "-e",
        help="environment of every stack (default: each stack's lattice:environment tags "
        "or metadata, else the config's environment)",
    )
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
    parser.add_argument(
        "--lock",
        type=Path,
        metavar="LOCKFILE",
        help="also fail when a resource locked in LOCKFILE (lattice.lock.json, from "
        "'lattice lock') would be removed, renamed or replaced",
    )
    parser.set_defaults(run=run)


def run_check(args: argparse.Namespace) -> CheckResult:
    """Load the input and the config, and run the checker (shared with ``report``);
    progress on a long run when a person watches (:mod:`._progress`)."""
    from .._config import load_config
    from ..cfn import load
    from ..cfn._read import hold
    from ..checker import check
    from ._ack_ids import require_known_rule_ids
    from ._progress import Progress, show_progress

    config = load_config(path=args.config)
    require_known_rule_ids(config)
    assembly = load(args.path)
    extra_checks = []
    lock = getattr(args, "lock", None)
    if lock is not None:
        from ..changes import lock_check, read_lock

        extra_checks.append(lock_check(read_lock(lock)))
    progress = Progress() if show_progress() else None
    try:
        result = check(
            assembly,
            environment=args.environment,
            config=config,
            extra_checks=extra_checks,
            progress=progress,
        )
    finally:
        if progress is not None:
            progress.clear()
    hold(result)
    return result


def run(args: argparse.Namespace) -> int:
    from .._formats import exit_code, render_findings
    from ._suffix import format_for

    args.format = format_for(args.format, args.output, _FORMATS)
    result = run_check(args)
    rules = result.rules
    if args.lock is not None:
        from ..changes import RULES_BY_ID

        rules = {**rules, **RULES_BY_ID}
    text = render_findings(
        result.findings,
        fmt=args.format,
        rules=rules,
        command="check",
        source=result.assembly.source,
        extra=check_extra(result, args.format),
    )
    write_output(text, args.output, inputs=run_inputs(args, result))
    return exit_code(result.findings)


def run_inputs(args: argparse.Namespace, result: CheckResult) -> list[str | Path]:
    """Every file ``check`` and ``report`` read (an output may not overwrite one)."""
    return read_paths(args.path, args.config, getattr(args, "lock", None), assembly=result.assembly)


def environment_summary(result: CheckResult) -> str:
    """``prod: 3 stacks (manifest stack tags), dev: 1 stack (--environment)``."""
    counts = Counter((e.environment.name, e.source) for e in result.environments.values())
    return "; ".join(
        f"{env}: {n} stack{'s' if n != 1 else ''} ({source})"
        for (env, source), n in sorted(counts.items())
    )


def check_extra(result: CheckResult, fmt: str) -> dict[str, Any]:
    """What ``check`` adds to the findings: each stack's environment and its source."""
    extra: dict[str, Any] = {"environments": environment_summary(result)}
    if fmt == "json":
        extra["stacks"] = [e.to_dict() for e in result.environments.values()]
        extra["resources"] = result.assembly.resource_count
    return extra
