"""Reading input files within bounds, and parsing them: JSON (orjson on big inputs,
else the standard library) or YAML with CloudFormation's short tags.

A file is stat'ed before it is opened and opened without blocking, so a FIFO, socket
or device is refused instead of hanging or streaming forever; size, nesting depth and
integer length are held to :mod:`._limits`. Every refusal is an
:class:`~lattice_cdk.InputError` naming the file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from contextvars import ContextVar, Token
from pathlib import Path

from .._errors import InputError
from .._reading import read_bytes as _read_regular
from ._limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_INT_DIGITS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

__all__ = [
    "NOT_PARSED",
    "ParseBudget",
    "close_budget",
    "decode",
    "expect_bytes",
    "expect_input",
    "fast_json",
    "hold",
    "parse",
    "parse_budget",
    "parse_text",
    "read_bytes",
    "read_json",
]

# JSON parsing is most of a big load. orjson (when installed) parses in about half the
# time of the standard library, but importing it costs about 8 ms (it loads dataclasses,
# uuid, datetime), which pays off from about 6 MB of JSON. So a process uses it once it
# has this many bytes to parse: what it has read, plus the templates a cloud assembly's
# manifest lists (counted up front, so a big assembly uses it from its first template).
# The count belongs to one run (a ``ParseBudget`` that ``load()`` or the CLI opens), not
# to the process: a library call leaves nothing behind that changes the next one.
ORJSON_FROM_BYTES = 8 << 20
#: orjson's ``loads`` once imported, ``False`` when it is not installed (a fact of the
#: installation, not a choice: the choice is the run's budget).
_orjson_loads: Callable[[bytes], Any] | bool | None = None
_JSON_BUDGET: ContextVar[ParseBudget | None] = ContextVar("lattice_json_budget", default=None)


class ParseBudget:
    """The JSON one run parses and expects to parse; it picks the parser (see
    ``ORJSON_FROM_BYTES``). Open one around a run with :func:`parse_budget`.

    ``keep``: the budget also holds every template the run parses, until the budget
    goes. The CLI's process opens such a budget and exits without closing it, so that
    nothing of a big assembly is freed one object at a time before the exit.
    """

    __slots__ = ("expected", "kept", "parsed")

    def __init__(self, *, keep: bool = False) -> None:
        self.parsed = 0
        self.expected = 0
        self.kept: list[Any] | None = [] if keep else None


def parse_budget(*, keep: bool = False) -> Token[ParseBudget | None] | None:
    """Open a budget for this run unless one is open: returns the token to pass to
    :func:`close_budget` (``None`` when an outer run's budget is kept)."""
    if _JSON_BUDGET.get() is not None:
        return None
    return _JSON_BUDGET.set(ParseBudget(keep=keep))


def hold(value: object) -> None:
    """Let the run's budget hold ``value`` too, when it holds what the run parses (the
    CLI's process, to its exit): what a run builds from its templates (the checked
    assembly, the findings) is then not freed one object at a time before the exit
    either."""
    budget = _JSON_BUDGET.get()
    if budget is not None and budget.kept is not None:
        budget.kept.append(value)


def close_budget(token: Token[ParseBudget | None] | None) -> None:
    """Close the budget :func:`parse_budget` opened (nothing when it kept an outer one)."""
    if token is not None:
        _JSON_BUDGET.reset(token)


_JSON_START = rb"[ \t\r\n]*[{\[]"
# Digit runs (see _has_long_digit_run) decide two things: orjson reads an integer beyond
# 64 bits as a float, where the standard library keeps it exact (such a number has at
# least 19 digits); and only a document with a run past MAX_INT_DIGITS needs its integers
# read one by one (json's parse_int). Digits are mapped to "0" so that find() spots runs;
# a long digit run inside a string only costs the slower parse.
_DIGITS = bytes.maketrans(b"123456789", b"000000000")
# For _expect_depth: an escape sequence, what is not a quote or a bracket, a string.
_ESCAPE = rb"(?s)\\."
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_NOT_SKELETON = bytes(b for b in range(256) if b not in b'"[]{}\\')
_STRING = rb'"[^"]*"'
_TOO_LARGE_FIX = (
    "check that this is a CloudFormation template (CloudFormation itself takes at most 1 MB)."
)


def read_bytes(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them (see
    :func:`lattice_cdk._reading.read_bytes`): a FIFO, socket or device is refused."""
    return _read_regular(path, limit=limit, too_large_fix=_TOO_LARGE_FIX)


def parse(data: bytes, *, location: str) -> Any:
    """Parse a file's bytes: JSON (with orjson on big inputs), else YAML."""
    parsed = fast_json(data)
    if parsed is not NOT_PARSED:
        _expect_depth(data, location)
    else:
        parsed = parse_text(decode(data, location=location), location=location, data=data)
    budget = _JSON_BUDGET.get()
    if budget is not None and budget.kept is not None:
        budget.kept.append(parsed)
    return parsed


NOT_PARSED = object()


def fast_json(data: bytes) -> Any:
    """``data`` parsed by orjson, or ``NOT_PARSED`` when the standard library must.

    Whatever orjson accepts, it reads as ``json.loads`` would (the digit-run guard
    covers the one difference: big integers). What it rejects (NaN, lone surrogates,
    invalid UTF-8, a syntax error, nesting past its limit) goes to the standard
    library, which accepts it as before or words the error as before.
    """
    global _orjson_loads
    budget = _JSON_BUDGET.get()
    if budget is None:
        parsed, expected = len(data), 0
    else:
        budget.parsed += len(data)
        parsed, expected = budget.parsed, budget.expected
    if _orjson_loads is False or max(parsed, expected) < ORJSON_FROM_BYTES:
        return NOT_PARSED
    if _orjson_loads is None:
        try:
            import orjson
        except ImportError:
            _orjson_loads = False
            return NOT_PARSED
        _orjson_loads = orjson.loads
    assert callable(_orjson_loads)
    if not re.match(_JSON_START, data) or _has_long_digit_run(data):
        return NOT_PARSED
    try:
        return _orjson_loads(data)
    except ValueError:  # orjson.JSONDecodeError
        return NOT_PARSED


def _has_long_digit_run(data: bytes, length: int = 19) -> bool:
    """Whether ``data`` holds ``length`` digits in a row, looking at a sample first.

    Any ``length`` positions in a row include two multiples of ``stride`` (half of it)
    in a row, so a run shows as two digits in a row in ``data[::stride]``; only around
    such a sample is ``data`` searched. When samples like that abound, one full scan is
    cheaper.
    """
    stride = (length - 1) // 2
    sampled = data[::stride].translate(_DIGITS)
    budget = len(data) >> 10
    at = sampled.find(b"00")
    if at < 0:
        return False
    run = re.compile(b"[0-9]{%d}" % length)
    while at >= 0:
        if budget <= 0:
            return run.search(data) is not None
        budget -= 1
        # Digits at stride*a and stride*(a+1): a run through them of ``length`` digits
        # has ``length`` in a row within ``length - 1`` bytes either side of the first.
        middle = stride * at
        if run.search(data, max(0, middle - length + 1), middle + length):
            return True
        at = sampled.find(b"00", at + 1)
    return False


def parse_text(text: str, *, location: str, data: bytes | None = None) -> Any:
    """Parse template text: JSON when it starts with ``{`` or ``[``, else YAML
    (``data``: the bytes ``text`` was decoded from, when the caller has them)."""
    stripped = text.lstrip()
    if not stripped:
        raise InputError("is empty.", location=location, code="malformed-template")
    if stripped[0] in "{[":
        # An integer past the limit needs a run of that many digits; where the bytes
        # have none, no integer is looked at one by one.
        raw = text.encode() if data is None else data
        bounded = _has_long_digit_run(raw, MAX_INT_DIGITS + 1)
        try:
            parsed = json.loads(text, parse_int=_bounded_int) if bounded else json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
                location=location,
                code="malformed-template",
            ) from None
        except RecursionError:
            _too_deep(location)
        except _IntTooLong as exc:
            raise InputError(
                f"holds an integer of {exc.args[0]} digits; Lattice reads at most "
                f"{MAX_INT_DIGITS}.",
                location=location,
                code="input-too-large",
            ) from None
        _expect_depth(raw, location)
        return parsed
    from ._yaml import load_yaml  # YAML costs an import; JSON templates never pay it

    return load_yaml(text, location=location)


class _IntTooLong(ValueError):
    pass


def _bounded_int(digits: str) -> int:
    # Python's own limit (4300 digits) is process-wide state and quadratic below it.
    if len(digits) > MAX_INT_DIGITS:
        raise _IntTooLong(len(digits))
    return int(digits)


def _expect_depth(data: bytes, location: str) -> None:
    """Raise when the JSON document ``data`` nests deeper than ``MAX_DEPTH``: code that
    walks a template recursively must never meet a RecursionError.

    Measured on the bytes, not by walking the parsed tree (which costs most of what
    parsing does). One translation keeps only quotes, brackets and backslashes: the
    document's skeleton. A backslash before a quote there may be an escaped quote (or an
    escape such as ``\\n`` just before a closing quote): only then are the escapes taken
    out of the document itself (searching the whole document for an escaped quote costs
    as much as the rest, so its escapes are looked at one by one); otherwise the
    backslashes go. Then strings go (after escapes, any two adjacent quotes can go
    without moving a string boundary; what is left between quotes is a string's
    brackets), so that what remains is the document's brackets. Each pass then removes
    the innermost pairs, one level: once what is left after k passes is at most
    ``MAX_DEPTH - k`` pairs, the document is shallow enough; one that ``MAX_DEPTH``
    passes do not empty is too deep.
    """
    skeleton = data.translate(_BRACKETS, _NOT_SKELETON)
    if b"\\" in skeleton:
        if b'\\"' in skeleton and _has_escaped_quote(data):
            skeleton = re.sub(_ESCAPE, b"", data).translate(_BRACKETS, _NOT_STRUCTURE)
        else:
            skeleton = skeleton.translate(None, b"\\")
    brackets = skeleton.replace(b'""', b"")
    if b'"' in brackets:
        brackets = re.sub(_STRING, b"", brackets)
    for done in range(MAX_DEPTH):
        # What is left nests MAX_DEPTH - done deep at most when it is that many pairs.
        if len(brackets) <= 2 * (MAX_DEPTH - done):
            return
        brackets = brackets.replace(b"[]", b"")
    if brackets:
        _too_deep(location)


def _has_escaped_quote(data: bytes) -> bool:
    """Whether ``data`` holds an escaped quote (``\\"``, also after escaped backslashes),
    looking at each escape in turn: templates hold few (``\\n`` in inline code). One
    with many is searched whole."""
    budget = (len(data) >> 10) + 64
    at = data.find(b"\\")
    while at >= 0:
        budget -= 1
        if budget < 0:
            return data.find(b'\\"') >= 0
        if data[at + 1 : at + 2] == b'"':
            return True
        at = data.find(b"\\", at + 2)  # the escaped character is never an escape
    return False


def _too_deep(location: str) -> NoReturn:
    raise InputError(
        f"nests mappings and lists more than {MAX_DEPTH} levels deep.",
        location=location,
        fix="check that this is a CloudFormation template (real ones nest under 20).",
        code="input-too-large",
    )


def decode(data: bytes, *, location: str) -> str:
    """The text ``Path.read_text`` gives: UTF-8, with universal newlines (so that
    error positions count lines as they always did)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            "is not UTF-8 text.", location=location, code="malformed-template"
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_json(path: Path) -> Any:
    """A JSON file (a manifest, asset manifest or metadata file), read within bounds."""
    data = read_bytes(path)
    parsed = fast_json(data)
    if parsed is not NOT_PARSED:
        _expect_depth(data, str(path))
        return parsed
    text = decode(data, location=str(path))
    if not text.lstrip().startswith(("{", "[")):
        raise InputError(
            "is not valid JSON (it does not start with '{' or '[').",
            location=str(path),
            code="malformed-template",
        )
    return parse_text(text, location=str(path), data=data)


def expect_input(*paths: str | Path) -> None:
    """Tell the loader that this process will load all of ``paths`` (``lattice diff``
    loads two assemblies), so that it picks its JSON parser for the total (see
    ``ORJSON_FROM_BYTES``). Only speed depends on it. Counts a file's size, and the
    ``.json`` files directly in a folder."""
    total = 0
    for path in paths:
        try:
            if os.path.isdir(path):
                with os.scandir(path) as entries:
                    total += sum(
                        e.stat().st_size
                        for e in entries
                        if e.name.endswith(".json") and e.is_file()
                    )
            else:
                total += os.stat(path).st_size
        except OSError:
            continue  # load() reports it
    expect_bytes(total)


def expect_bytes(count: int) -> None:
    """Count ``count`` more bytes this run is about to parse (see ``ORJSON_FROM_BYTES``);
    nothing outside a run's budget."""
    budget = _JSON_BUDGET.get()
    if budget is not None:
        budget.expected = max(budget.expected, budget.parsed + count)
