"""``lattice diff``: what a change does to stateful data, before it is deployed.

lattice diff OLD NEW                     two templates, folders or cdk.out
lattice diff --deployed STACK NEW        the deployed STACK against NEW
lattice diff --deployed-all NEW          every top-level stack of NEW, by stack name
lattice diff --change-set FILE...        change sets saved by describe-change-set
lattice diff --change-set NAME --stack S the change set NAME of stack S, read live
"""

from __future__ import annotations

from .._errors import InputError
from ._common import check_aws_options, read_paths, with_not_checked_rules, write_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["add_parser", "run"]


_FORMATS = ("text", "json", "markdown", "sarif", "refactor")


def add_parser(subparsers: Any) -> None:
    from pathlib import Path

    parser = subparsers.add_parser(
        "diff",
        help="find changes that delete, replace or expose stateful data",
        description="Compare OLD and NEW (templates, folders or cdk.out; stacks matched by "
        "stack name) and report every stateful resource that would be removed, renamed, "
        "replaced or have a protection weakened. With --deployed/--deployed-all the old "
        "side is what CloudFormation has deployed.",
        epilog="Exit codes: 0 safe, 1 unusable input (or a file of a folder not read, "
        "LAT2904), 2 data lost, 4 data at risk or a protection weakened, 8 info (added "
        "together); 70 internal error.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="OLD NEW",
        help="OLD and NEW, or only NEW; with --change-set the change-set files, or with "
        "--stack the change set's name",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--deployed", metavar="STACK", help="compare the deployed STACK (by name) with NEW"
    )
    where.add_argument(
        "--deployed-all",
        action="store_true",
        help="compare every top-level stack of NEW with its deployed version",
    )
    where.add_argument(
        "--change-set",
        action="store_true",
        help="judge change sets instead: the paths are JSON files written by 'aws "
        "cloudformation describe-change-set --include-property-values' (one per stack), "
        "or with --stack the change set's name, read live",
    )
    parser.add_argument("--stack", help="with --change-set NAME: the stack it belongs to")
    parser.add_argument(
        "--lock",
        type=Path,
        help="with --change-set: a lattice.lock.json whose resources must not be removed "
        "or replaced",
    )
    parser.add_argument("--region", help="AWS region (default: AWS_REGION or the profile's)")
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE)")
    parser.add_argument(
        "--endpoint-url", help="CloudFormation endpoint (default: AWS_ENDPOINT_URL)"
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        help="default: what --output's suffix names (.json, .md, .sarif), else text. "
        "refactor: the mapping file 'cdk refactor --override-file' takes, for the "
        "renamed stateful resources that are pure moves",
    )
    parser.add_argument(
        "--account",
        help="with --format refactor: the account of environment-agnostic stacks",
    )
    parser.add_argument("--output", "-o", help="write to this file instead of stdout")
    parser.add_argument(
        "--config",
        type=Path,
        help="configuration file with acknowledgements (default: the nearest lattice.toml "
        "or pyproject.toml [tool.lattice])",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ._suffix import format_for

    check_aws_options(args)
    args.format = format_for(args.format, args.output, _FORMATS)
    if args.change_set:
        return _run_change_sets(args)
    if args.stack is not None or args.lock is not None:
        raise InputError(
            "--stack and --lock go with --change-set.",
            location="arguments",
            fix="lattice diff --change-set NAME --stack STACK [--lock lattice.lock.json].",
            code="usage",
        )
    from .._formats import exit_code, render_findings
    from ..cfn import Assembly, load
    from ..cfn._loader import expect_input
    from ..changes import RULES_BY_ID, diff_assemblies, match_stacks

    deployed = args.deployed is not None or args.deployed_all
    expected = 1 if deployed else 2
    if len(args.paths) != expected:
        raise InputError(
            f"expected {'NEW' if deployed else 'OLD and NEW'}, got {len(args.paths)} path(s).",
            location="arguments",
            fix="lattice diff OLD NEW, or lattice diff --deployed STACK NEW.",
            code="usage",
        )
    extra: dict[str, Any] = {}
    if not deployed:
        expect_input(*args.paths)  # two assemblies: the parser is chosen for both
        old, new = load(args.paths[0]), load(args.paths[1])
        source = f"{old.source} -> {new.source}"
    else:
        from ..changes._deployed import cloudformation_client, deployed_assembly

        new = load(args.paths[0])
        client = cloudformation_client(
            region=args.region, profile=args.profile, endpoint_url=args.endpoint_url
        )
        if args.deployed is not None:
            stack = new.stack(args.deployed)
            if stack is None and len(new.stacks) == 1:
                stack = new.stacks[0]
            if stack is None:
                from ._common import stack_guess

                raise InputError(
                    f"holds no stack named {args.deployed!r} (it has "
                    f"{', '.join(s.name for s in new.stacks)})."
                    + stack_guess(new, [args.deployed]),
                    location=new.source,
                    fix="name a stack of NEW, or use --deployed-all.",
                    code="usage",
                )
            old, missing = deployed_assembly(client, [args.deployed])
            if missing:
                raise InputError(
                    "no such stack is deployed.",
                    location=f"cloudformation:{args.deployed}",
                    fix="check the stack name, --region and --profile.",
                    code="not-deployed",
                )
            new = Assembly(source=new.source, stacks=(stack,))
        else:
            # Nested stacks have generated names once deployed: their parent's
            # AWS::CloudFormation::Stack resource stands for them.
            top = tuple(s for s in new.stacks if s.parent is None)
            from ._progress import Progress, show_progress

            progress = Progress("read", "deployed stacks") if show_progress() else None
            try:
                old, missing = deployed_assembly(client, [s.name for s in top], progress=progress)
            finally:
                if progress is not None:
                    progress.clear()
            new = Assembly(source=new.source, stacks=tuple(s for s in top if s.name not in missing))
            if missing:
                extra["not_deployed"] = ", ".join(missing)
        source = f"deployed -> {new.source}"
    from .._config import load_config

    config = load_config(path=args.config)
    findings = diff_assemblies(old, new, acknowledgements=config.acknowledgements)
    pairs, gone = match_stacks(old, new)
    matched = {p.new.name for p in pairs}
    added = [s.name for s in new.stacks if s.name not in matched]
    extra["stacks"] = f"{len(pairs)} compared, {len(gone)} removed, {len(added)} added"
    renames = any(f.rule_id == "LAT1603" for f in findings)
    mapping = _renames(old, new, args, extra) if renames else '{\n  "mappings": []\n}\n'
    if args.format == "refactor":
        text = mapping
    else:
        text = render_findings(
            findings,
            fmt=args.format,
            rules=with_not_checked_rules(RULES_BY_ID, findings),
            command="diff",
            source=source,
            extra=extra,
        )
    read = (*args.paths, args.config) if not deployed else (args.paths[0], args.config)
    inputs = read_paths(*read, assembly=new)
    if not deployed:
        inputs += read_paths(assembly=old)
    write_output(text, args.output, inputs=inputs)
    return exit_code(findings)


def _run_change_sets(args: argparse.Namespace) -> int:
    from .._formats import exit_code, render_findings
    from ..changes import RULES
    from ..changes._changeset import (
        fetch_change_set,
        judge_change_sets,
        read_change_set,
    )

    if args.format == "refactor":
        raise InputError(
            "--format refactor maps renames between two templates, not a change set.",
            location="arguments",
            fix="lattice diff OLD NEW --format refactor.",
            code="usage",
        )
    if args.stack is not None:
        if len(args.paths) != 1:
            raise InputError(
                "--stack reads one change set by name.",
                location="arguments",
                fix="lattice diff --change-set NAME --stack STACK (once per stack).",
                code="usage",
            )
        from ..changes._deployed import cloudformation_client

        client = cloudformation_client(
            region=args.region, profile=args.profile, endpoint_url=args.endpoint_url
        )
        change_sets = [fetch_change_set(client, args.paths[0], args.stack)]
    else:
        change_sets = [read_change_set(path) for path in args.paths]
    lock = None
    if getattr(args, "lock", None) is not None:
        from ..changes import read_lock

        lock = read_lock(args.lock)
    findings = judge_change_sets(change_sets, lock=lock)
    changes = sum(len(cs.changes) for cs in change_sets)
    extra = {"change sets": f"{len(change_sets)} ({changes} changes)"}
    source = ", ".join(cs.source for cs in change_sets)
    text = render_findings(
        findings, fmt=args.format, rules=RULES, command="diff", source=source, extra=extra
    )
    inputs = read_paths(*args.paths, args.lock) if args.stack is None else read_paths(args.lock)
    write_output(text, args.output, inputs=inputs)
    return exit_code(findings)


def _renames(old: Any, new: Any, args: argparse.Namespace, extra: dict[str, Any]) -> str:
    """The refactor mapping (``--format refactor``); for the other formats, a line on
    the renames in ``extra``: which are pure moves and which are mixed with edits."""
    import json
    import sys

    from ..changes._refactor import assembly_moves, override_file, override_line

    moves = assembly_moves(old, new)
    mixed = [m for m in moves if not m.pure]
    pure = len(moves) - len(mixed)
    note = f"{pure} pure move(s) that 'cdk refactor' can apply"
    if mixed:
        note += "; mixed with other edits (cdk refactor accepts pure moves only): " + ", ".join(
            f"{m.stack}.{m.old_id} -> {m.new_id}" for m in mixed
        )
    extra["renames"] = note
    if args.format != "refactor":
        return ""
    for move in mixed:
        print(
            f"lattice: {move.stack}.{move.old_id} -> {move.new_id} is a rename mixed with "
            "other edits: not in the mapping (deploy the rename alone first, or keep the old "
            f"id: {override_line(move)})",
            file=sys.stderr,
        )
    mapping = override_file(moves, account=args.account, region=args.region)
    return json.dumps(mapping, indent=2) + "\n"
