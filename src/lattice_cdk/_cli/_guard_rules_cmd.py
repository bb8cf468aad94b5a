"""``lattice guard-rules PATH --output-dir DIR``: CloudFormation Guard rules for a Guard
Hook, one ``<stack>.guard`` per stack, from the assembly, its environments and the lock.
``--hook-template FILE`` also writes the hook as a plain CloudFormation template."""

from __future__ import annotations

from ._common import EXIT_OK, EXIT_USAGE

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    from pathlib import Path

    parser = subparsers.add_parser(
        "guard-rules",
        help="write CloudFormation Guard rules that a Guard Hook enforces server-side",
        description="Write CloudFormation Guard rules, one <stack>.guard per stack, that "
        "refuse to deploy a removed, renamed, replaced or weakened locked resource, or a "
        "stateful resource without the protections its environment requires. Deploy them "
        "with LatticeGuardHook or the --hook-template template. Exit codes: 0 written, "
        "1 unusable input, or a file of a folder that could not be read (the rest is "
        "written; each file is named).",
    )
    parser.add_argument("path", help="template file, folder, or cdk.out")
    parser.add_argument(
        "--output-dir", type=Path, required=True, help="folder for the .guard files"
    )
    parser.add_argument(
        "--lock-file",
        type=Path,
        default=Path("lattice.lock.json"),
        help="the stateful lock (default: ./lattice.lock.json; it must exist)",
    )
    parser.add_argument(
        "--environment", "-e", help="environment of every stack (default: per stack)"
    )
    parser.add_argument(
        "--config", type=Path, help="lattice.toml or pyproject.toml (default: nearest one)"
    )
    parser.add_argument(
        "--hook-template",
        type=Path,
        metavar="FILE",
        help="also write the Guard Hook as a CloudFormation template (for a StackSet)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from .._config import load_config
    from ..cfn import load
    from ..changes._lock import read_lock
    from ..enforce import guard_rules, write_guard_rules

    config = load_config(path=args.config)
    lock = read_lock(args.lock_file)
    assembly = load(args.path)
    rules = guard_rules(assembly, lock=lock, config=config, environment=args.environment)
    written = write_guard_rules(rules, args.output_dir)
    _report_unguarded(assembly, lock)
    total = sum(r.rule_count for r in rules)
    print(f"wrote {len(written)} Guard rule file(s), {total} rule(s), to {args.output_dir}")
    # A stack in a file a folder run could not read has no rules: each is named, and the
    # run fails (as stack-policy's does).
    for problem in assembly.problems:
        print(
            f"lattice: [{problem.code}] {problem.path}: {problem.reason} No Guard rules "
            "guard what it holds.",
            file=sys.stderr,
        )
    if args.hook_template is not None:
        from ..enforce import hook_template_text, read_index
        from ..enforce._write import write_atomically

        write_atomically(args.hook_template, hook_template_text(read_index(args.output_dir)))
        print(f"wrote the Guard Hook template to {args.hook_template}")
    return EXIT_USAGE if assembly.problems else EXIT_OK


def _report_unguarded(assembly: Any, lock: Any) -> None:
    """Say which locked stacks have no rules: the hook cannot guard a stack the
    assembly does not hold (``lattice check --lock`` reports it as LAT1701)."""
    import sys

    known = {key for s in assembly.stacks for key in (s.name, s.identity)}
    for stack in sorted({e.stack for e in lock.entries} - known):
        print(
            f"lattice: warning: locked stack {stack} is not in {assembly.source}: no Guard "
            "rules guard it ('lattice check --lock' reports its resources as LAT1701).",
            file=sys.stderr,
        )
