"""Reading a file Lattice is given, within bounds: regular files only, never blocking.

Every file the CLI reads (templates and manifests through :mod:`lattice_cdk.cfn`, the
configuration, the lock, change sets, the guard-rules index) goes through
:func:`read_bytes`: a FIFO, socket or device is refused instead of hanging or streaming
forever, and a file larger than its limit is refused before it is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ._errors import ErrorCode, InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["read_bytes"]

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


def read_bytes(path: str | Path, *, limit: int, too_large_fix: str | None = None) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Anything else (a FIFO, socket, device, a file that grows past the limit while read)
    raises :class:`~lattice_cdk.InputError` naming the file (``too_large_fix``: the fix a
    file over ``limit`` gets); reading never blocks and never runs away.
    """
    location = str(path)
    try:
        before = os.stat(path)
        _expect_regular(before, location, limit, too_large_fix)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError("no such file.", location=location, code=ErrorCode.MISSING_INPUT) from None
    except OSError as exc:
        raise InputError(
            f"cannot be read ({exc.strerror}).", location=location, code=ErrorCode.MISSING_INPUT
        ) from None
    try:
        # Checked again on what was opened: the path may have been swapped in between.
        opened = os.fstat(fd)
        _expect_regular(opened, location, limit, too_large_fix)
        # One read takes a regular file whole: asked for one byte more than its size,
        # it gives exactly its size. The loop runs only for a file that grew (or a
        # read cut short), until the end.
        chunks = [os.read(fd, min(opened.st_size, limit) + 1)]
        size = len(chunks[0])
        while size != opened.st_size and size <= limit and chunks[-1]:
            chunks.append(os.read(fd, min(1 << 20, limit + 1 - size)))
            size += len(chunks[-1])
    except OSError as exc:
        raise InputError(
            f"cannot be read ({exc.strerror}).", location=location, code=ErrorCode.MISSING_INPUT
        ) from None
    finally:
        os.close(fd)
    if size > limit:
        _too_large(location, limit, too_large_fix)
    return chunks[0] if len(chunks) == 1 or not chunks[1] else b"".join(chunks)


def _expect_regular(
    info: os.stat_result, location: str, limit: int, too_large_fix: str | None
) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise InputError(
            f"is {kind}, not a file; Lattice reads regular files only.",
            location=location,
            fix="point at the file itself.",
            code=ErrorCode.NOT_A_FILE,
        )
    if info.st_size > limit:
        _too_large(location, limit, too_large_fix)


def _too_large(location: str, limit: int, fix: str | None) -> NoReturn:
    size = f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit} bytes"
    raise InputError(
        f"is larger than {size}, the most Lattice reads from one file.",
        location=location,
        fix=fix,
        code=ErrorCode.INPUT_TOO_LARGE,
    )
