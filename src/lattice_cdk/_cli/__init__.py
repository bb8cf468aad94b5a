"""The ``lattice`` command.

Exit codes (bit flags, like cfn-lint's, so CI can choose what fails):

    0   nothing to report
    1   unusable input or arguments (the message says what and where)
    2   error findings      4   warning findings      8   info findings

Each verb lives in its own module with ``add_parser(subparsers)`` and ``run(args)``;
modules import anything heavy inside ``run`` so ``lattice --version`` stays fast. The
plain command lines of ``check``, ``report`` and ``diff`` skip argparse (``_fast``).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

from .._errors import InputError, LatticeError
from ._common import EXIT_USAGE

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, NoReturn

__all__ = ["main"]

# The verbs, in the order ``lattice --help`` lists them.
COMMANDS: tuple[str, ...] = (
    "policy",
    "check",
    "report",
    "diff",
    "lock",
    "stack-policy",
    "destroy-plan",
    "guard-rules",
    "org-backup-policy",
)


def build_parser() -> argparse.ArgumentParser:
    import argparse
    import importlib

    from .._version import __version__

    class _Parser(argparse.ArgumentParser):
        """An argument parser whose errors are one line and exit 1, not 2.

        Exit 2 means "error findings"; a usage mistake is unusable input.
        """

        def error(self, message: str) -> NoReturn:
            self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")

    parser = _Parser(
        prog="lattice",
        description="Keep stateful AWS infrastructure from losing data.",
        epilog="Exit codes: 0 clean, 1 unusable input, 2 errors, 4 warnings, 8 info "
        "(added together).",
    )
    parser.add_argument("--version", action="version", version=f"lattice {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"{__name__}._{name.replace('-', '_')}_cmd")
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from ._fast import parse

    args: Any = parse(sys.argv[1:] if argv is None else argv)
    if args is None:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
    # A run builds hundreds of thousands of acyclic records (parsed templates, resources,
    # findings) that live until it ends; the cyclic collector would only re-scan them
    # (3x the run time of a diff at 50,000 resources, and one full pass over the parsed
    # templates between loading and checking). Pause it for the run.
    enabled = gc.isenabled()
    gc.disable()
    try:
        code: int = args.run(args)
    except LatticeError as exc:
        print(f"lattice: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("lattice: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``lattice report | head``): not our error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the CLI never shows a traceback unless asked
        if os.environ.get("LATTICE_DEBUG"):
            raise
        if isinstance(exc, OSError) and exc.filename is not None:
            # A path the system refused (``--output`` into a missing folder, a file
            # without read permission): the user's to fix, said as any input error.
            problem = InputError(
                f"cannot be read or written: {exc.strerror or exc}.",
                location=str(exc.filename),
                fix="check that the path and its folder exist and that you may use them.",
                code="io-error",
            )
            print(f"lattice: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
        print(
            f"lattice: internal error: {type(exc).__name__}: {exc} "
            "(set LATTICE_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    finally:
        if enabled:
            gc.enable()
    return code


def run() -> NoReturn:
    """Console-script entry point."""
    code = main()
    # Exit without tearing the interpreter down (as mypy does): freeing every parsed
    # template one object at a time costs 8-10 ms at 10,000 resources, and nothing of
    # Lattice's needs atexit handlers. Output is flushed first; if that fails, the
    # ordinary exit reports it as it always did.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        sys.exit(code)
    os._exit(code)
