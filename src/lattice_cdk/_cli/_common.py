"""Small helpers shared by the verbs: exit codes, writing output."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from .._text import render_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path
    from typing import Any

    from .._findings import Finding, RuleInfo
    from ..cfn import Assembly

__all__ = [
    "EXIT_ERROR",
    "EXIT_INFO",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_WARNING",
    "check_aws_options",
    "read_paths",
    "render_table",
    "stack_guess",
    "with_not_checked_rules",
    "write_output",
]

EXIT_OK = 0
#: Unusable input or arguments: the one-line ``[code] message`` says what and the fix.
EXIT_USAGE = 1
EXIT_ERROR = 2
EXIT_WARNING = 4
EXIT_INFO = 8
#: A bug in Lattice, not in the input (``EX_SOFTWARE`` of BSD's sysexits).
EXIT_INTERNAL = 70
#: Stopped by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130


def write_output(text: str, output: str | None, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write ``text`` to ``output`` (a path, written atomically) or to standard output.

    ``inputs`` are the files the run read; an ``output`` that is one of them is refused
    (``[output-is-input]``). A path that cannot be written is ``[io-error]``.
    """
    if not text.endswith("\n"):
        text += "\n"
    # The renderers escape what they show; this only keeps a stray lone surrogate from
    # ending the run half-way through its output.
    data = text.encode("utf-8", "backslashreplace")
    if output is None or output == "-":
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # replaced by a text-only stream (a test's capture)
            sys.stdout.write(data.decode("utf-8"))
            return
        sys.stdout.flush()
        stream.write(data)
        stream.flush()
        return
    from .._errors import ErrorCode, InputError
    from .._files import write_atomic

    try:
        write_atomic(output, data, inputs=inputs)
    except OSError as exc:
        raise InputError(
            f"cannot be written: {exc.strerror or exc}.",
            location=output,
            fix="check that the folder exists, that you may write there and that the disk "
            "has room.",
            code=ErrorCode.IO_ERROR,
        ) from None


def check_aws_options(args: Any) -> None:
    """Refuse a ``--region`` or ``--endpoint-url`` that cannot be one, before any AWS call
    (``[invalid-value]``, exit 1), rather than leaving it to the SDK."""
    from .._validate import require_region, require_url

    if getattr(args, "region", None) is not None:
        require_region(args.region, field="--region")
    if getattr(args, "endpoint_url", None) is not None:
        require_url(args.endpoint_url, field="--endpoint-url")


def read_paths(*paths: str | Path | None, assembly: Assembly | None = None) -> list[str | Path]:
    """What a run read, for :func:`write_output`'s ``inputs``: the given paths (``None``
    skipped) and every template of ``assembly``."""
    found: list[str | Path] = [p for p in paths if p is not None]
    if assembly is not None:
        found.extend(stack.template_path for stack in assembly.stacks)
    return found


def with_not_checked_rules(
    rules: Mapping[str, RuleInfo], findings: Sequence[Finding]
) -> Mapping[str, RuleInfo]:
    """``rules`` and, when ``findings`` hold one, LAT2904 "input not read" and LAT2901
    "cannot evaluate" (checker rules that ``diff`` and ``lock --verify`` report too), so
    that SARIF describes them."""
    found = {f.rule_id for f in findings} & {"LAT2901", "LAT2904"}
    if not found:
        return rules
    from ..checker.rules import CANNOT_EVALUATE, INPUT_NOT_READ

    return {
        **rules,
        **{i.rule_id: i for i in (CANNOT_EVALUATE, INPUT_NOT_READ) if i.rule_id in found},
    }


def stack_guess(assembly: Assembly, names: Iterable[str]) -> str:
    """A guess for the first of ``names`` that misspells a stack of ``assembly`` (by any
    name the verbs print: display name, stack name, artifact id, identity), as the
    sentence `` Did you mean 'Prod/Data'?``; "" when none is close. One guess, made the
    way every "unknown name" error makes it."""
    from .._errors import did_you_mean

    spellings: dict[str, str] = {}
    for stack in assembly.stacks:
        for spelling in (stack.identity, stack.name, stack.artifact_id, stack.display_name):
            if spelling:
                spellings[spelling] = stack.label
    for name in names:
        guess = did_you_mean(name, spellings)
        if guess is not None:
            return f" Did you mean {guess!r}?"
    return ""
