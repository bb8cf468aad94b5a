"""``lattice lock PATH``: write, update or verify ``lattice.lock.json``.

lattice lock cdk.out                                   create the lock
lattice lock cdk.out --verify                          report what breaks it
lattice lock cdk.out --update --reason "why"           re-take it on purpose
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .._text import printable
from ._common import EXIT_OK, read_paths, with_not_checked_rules, write_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..cfn import Assembly

__all__ = ["add_parser", "run"]


_FORMATS = ("text", "json", "markdown", "sarif")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lock",
        help="lock stateful resources against removal, renaming and replacement",
        description="Write lattice.lock.json: every stateful resource (stack, logical id, "
        "type) and the values of its replacement-forcing properties. Commit it; 'lattice "
        "lock --verify' (and 'lattice check --lock') then fail when a locked resource would "
        "be removed, renamed or replaced, until the lock is updated on purpose with "
        "--update --reason.",
    )
    parser.add_argument("path", help="a template, folder of templates or cdk.out")
    parser.add_argument(
        "--lock-file", type=Path, default=None, help="the lock file (default: ./lattice.lock.json)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="re-take an existing lock")
    mode.add_argument("--verify", action="store_true", help="report what breaks the lock")
    parser.add_argument("--reason", help="why the lock changes (with --update; >= 10 chars)")
    parser.add_argument(
        "--by", help="who updates the lock (default: git user.name, else the login name)"
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        help="report format for --verify; default: what --output's suffix names "
        "(.json, .md, .sarif), else text",
    )
    parser.add_argument("--output", "-o", help="write the report to this file")
    parser.add_argument(
        "--config",
        type=Path,
        help="configuration file with acknowledgements (default: the nearest lattice.toml "
        "or pyproject.toml [tool.lattice])",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ._suffix import format_for

    args.format = format_for(args.format, args.output, _FORMATS)
    from .._errors import ErrorCode, InputError
    from .._files import exclusive, refuse_inputs, remove_leftovers
    from ..cfn import load
    from ..changes._lock import LOCK_FILE

    lock_file: Path = args.lock_file or Path(LOCK_FILE)
    if args.reason is not None and not args.update:
        raise InputError(
            "--reason only goes with --update.",
            location="arguments",
            fix="add --update, or leave --reason out.",
            code=ErrorCode.USAGE,
        )
    if args.update and not args.reason:
        raise InputError(
            "--update needs --reason: the lock records why locked resources may change.",
            location="arguments",
            fix="lattice lock PATH --update --reason 'move the table to the data stack'.",
            code=ErrorCode.LOCK_REASON,
        )
    assembly = load(args.path)
    inputs = read_paths(args.path, args.config, lock_file, assembly=assembly)
    if args.output not in (None, "-"):
        refuse_inputs(args.output, inputs)  # before the lock is written, not after
    if args.verify:
        return _verify(args, assembly, lock_file, inputs)
    # A lock taken from a folder with unread files would lock too little; so would one
    # that leaves out what a template defers to deploy time, unless that is acknowledged.
    assembly.expect_complete()
    if not assembly.complete:
        _expect_evaluated(args, assembly)
    # Read, compare and write under one lock: a concurrent update waits, then sees
    # this one's result, so neither history entry is lost.
    with exclusive(lock_file):
        remove_leftovers(lock_file)  # of an update killed half-way: never the lock itself
        message = _write(args, assembly, lock_file)
    write_output(printable(message), args.output, inputs=inputs)
    return EXIT_OK


def _expect_evaluated(args: argparse.Namespace, assembly: Assembly) -> None:
    """Raise for the first template entry Lattice cannot evaluate whose LAT2901 is not
    acknowledged (the lock leaves an acknowledged one out, as the acknowledgement says)."""
    from .._config import load_config
    from .._errors import InputError
    from ..checker._acks import apply_acknowledgements
    from ..checker._engine import not_checked

    config = load_config(path=args.config)
    found = apply_acknowledgements(not_checked(assembly), assembly, config=config.acknowledgements)
    open_entries = [f for f in found if f.rule_id == "LAT2901" and f.acknowledged is None]
    if open_entries:
        first, more = open_entries[0], len(open_entries) - 1
        raise InputError(
            f"{first.stack}: cannot lock {first.logical_id!r}: "
            + first.message.removeprefix(f"{first.logical_id}: ").removesuffix(".")
            + (f" (and {more} more entr{'ies' if more > 1 else 'y'})." if more else "."),
            location=first.template_path,
            fix=f"{first.fix} Or acknowledge LAT2901 on it with a reason; the lock then "
            "leaves it out.",
            code="cannot-evaluate",
        )


def _verify(
    args: argparse.Namespace, assembly: Assembly, lock_file: Path, inputs: list[str | Path]
) -> int:
    from .._config import load_config
    from .._formats import exit_code, render_findings
    from ..changes import RULES_BY_ID
    from ..changes._lock import lock_findings, read_lock

    config = load_config(path=args.config)
    findings = lock_findings(
        assembly, read_lock(lock_file), acknowledgements=config.acknowledgements
    )
    text = render_findings(
        findings,
        fmt=args.format,
        rules=with_not_checked_rules(RULES_BY_ID, findings),
        command="lock --verify",
        source=f"{assembly.source} against {lock_file}",
    )
    write_output(text, args.output, inputs=inputs)
    return exit_code(findings)


def _write(args: argparse.Namespace, assembly: Assembly, lock_file: Path) -> str:
    """Create or update the lock; what happened, for the user."""
    from .._errors import ErrorCode, InputError
    from ..changes._lock import (
        build_lock,
        lock_changes,
        read_lock,
        rekey_lock,
        update_lock,
        write_lock,
    )

    fresh = build_lock(assembly)
    # A link out of the working tree (a dangling one too) is never written through.
    here = Path.cwd()
    if args.update:
        old = rekey_lock(read_lock(lock_file), assembly)
        if not any(lock_changes(old, fresh)):
            # Nothing to accept: a history entry would only be noise in review.
            return f"{lock_file} is up to date; nothing recorded."
        new = update_lock(old, assembly, reason=args.reason, by=args.by or _who())
        write_lock(new, lock_file, confine_to=here)
        last = new.history[-1]
        return (
            f"updated {lock_file}: {len(new.entries)} stateful resource(s) locked; "
            f"{len(last.added)} added, {len(last.removed)} removed, {len(last.changed)} "
            f"changed; by {last.by}: {last.reason}"
        )
    if lock_file.exists():
        old = rekey_lock(read_lock(lock_file), assembly)
        added, removed, changed = lock_changes(old, fresh)
        if not (added or removed or changed):
            return f"{lock_file} is up to date ({len(fresh.entries)} locked)."
        raise InputError(
            f"already exists and differs from {assembly.source} ({len(added)} added, "
            f"{len(removed)} removed, {len(changed)} changed).",
            location=str(lock_file),
            fix="review with 'lattice lock PATH --verify'; to accept the change, run "
            "'lattice lock PATH --update --reason \"...\"'.",
            code=ErrorCode.LOCK_EXISTS,
        )
    write_lock(fresh, lock_file, confine_to=here)
    stacks = len({e.stack for e in fresh.entries})
    return (
        f"wrote {lock_file}: {len(fresh.entries)} stateful resource(s) locked in {stacks} "
        "stack(s). Commit it."
    )


def _who() -> str:
    # Imported here: every verb's module loads when the parser is built, and the other
    # verbs (check, diff) would pay for subprocess and getpass at every start.
    import getpass
    import subprocess

    try:
        result = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        )
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return os.environ.get("LATTICE_USER") or getpass.getuser()
