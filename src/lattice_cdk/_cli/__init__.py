"""The ``lattice`` command.

Exit codes (bit flags, like cfn-lint's, so CI can choose what fails):

    0   nothing to report
    1   unusable input or arguments (one line: ``[code] message Fix: ...``)
    2   error findings      4   warning findings      8   info findings
    70  internal error: a bug in Lattice (rerun with LATTICE_DEBUG=1, and report it)
    130 interrupted

Every code is in ``docs/limits.md``.

Each verb lives in its own module with ``add_parser(subparsers)`` and ``run(args)``;
modules import anything heavy inside ``run`` so ``lattice --version`` stays fast. The
plain command lines of ``check``, ``report`` and ``diff`` skip argparse (``_fast``).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

from .._errors import ErrorCode, InputError, LatticeError
from .._text import printable
from ._common import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE

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
            self.exit(
                EXIT_USAGE,
                f"lattice: error: [{ErrorCode.USAGE}] {printable(message)}. "
                f"Fix: see '{self.prog} --help'.\n",
            )

    parser = _Parser(
        prog="lattice",
        description="Keep stateful AWS infrastructure from losing data.",
        epilog="Exit codes: 0 clean, 1 unusable input (in a folder run also beside findings: "
        "LAT2904, a file not read), 2 errors, 4 warnings, 8 info (added together); 70 "
        "internal error (a bug: please report it).",
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
    # One JSON budget for the run: lattice diff loads two assemblies and picks its
    # parser for both (see cfn._read.ORJSON_FROM_BYTES).
    from ..cfn._read import close_budget, parse_budget

    budget = parse_budget()
    try:
        code: int = args.run(args)
    except LatticeError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("lattice: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``lattice report | head``): not our error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the CLI never shows a traceback unless asked
        if os.environ.get("LATTICE_DEBUG"):
            raise
        problem = _outside_error(exc)
        if problem is not None:
            _error(str(problem))
            return EXIT_USAGE
        _error(
            f"[{ErrorCode.INTERNAL_ERROR}] {type(exc).__name__}: {exc}. This is a bug in "
            "Lattice, not in your input. Fix: rerun with LATTICE_DEBUG=1 for the traceback "
            "and report it.",
            internal=True,
        )
        return EXIT_INTERNAL
    finally:
        close_budget(budget)
        if enabled:
            gc.enable()
    return code


def _error(text: str, *, internal: bool = False) -> None:
    """One line on standard error, with nothing from the input able to act on the
    terminal."""
    line = f"lattice: {'internal error' if internal else 'error'}: {printable(text)}\n"
    stream = getattr(sys.stderr, "buffer", None)
    if stream is None:
        sys.stderr.write(line)
        return
    sys.stderr.flush()
    stream.write(line.encode("utf-8", "backslashreplace"))
    stream.flush()


def _outside_error(exc: Exception) -> InputError | None:
    """The error as the user's to fix, when it is: a path the system refused, or
    settings the AWS SDK rejected (a malformed ``--region`` or ``--endpoint-url``)."""
    if isinstance(exc, OSError) and exc.filename is not None:
        # ``--output`` into a missing folder, a file without read permission.
        return InputError(
            f"cannot be read or written: {exc.strerror or exc}.",
            location=str(exc.filename),
            fix="check that the path and its folder exist and that you may use them.",
            code=ErrorCode.IO_ERROR,
        )
    trace = exc.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    origin = trace.tb_frame.f_code.co_filename if trace is not None else ""
    if f"{os.sep}botocore{os.sep}" in origin or f"{os.sep}boto3{os.sep}" in origin:
        return InputError(
            f"the AWS SDK refused the settings: {exc}.",
            location="AWS settings",
            fix="check --region, --profile, --endpoint-url and the AWS configuration.",
            code=ErrorCode.AWS_CONFIG,
        )
    return None


def run() -> NoReturn:
    """Console-script entry point."""
    # The process ends right after main(), which pauses the cyclic collector for the run
    # and then restores the state it found: paused here, it stays paused to the end.
    # Turned back on, its first pass would scan every object the run built (as young
    # objects, all of them), 5-10 ms on a big assembly, just before exiting.
    gc.disable()
    # The run's parse budget (main() keeps an open one), holding every template parsed
    # (and what check and report build from them, see cfn._read.hold) until the exit:
    # freed when a verb returns, a 10,000-resource assembly costs 5-10 ms of
    # deallocation one object at a time.
    from ..cfn._read import parse_budget

    parse_budget(keep=True)
    code = main()
    # Exit without tearing the interpreter down (as mypy does): nothing of Lattice's
    # needs atexit handlers, and the teardown would free all the above after all.
    # Output is flushed first; if that fails, the ordinary exit reports it as it always
    # did.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        sys.exit(code)
    os._exit(code)
