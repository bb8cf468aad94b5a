"""Writing the files Lattice owns so that none is ever lost or half-written.

:func:`write_atomic` writes to a temporary file in the target's folder, flushes and
fsyncs it, renames it over the target and fsyncs the folder: a reader (or a crash, a
full disk, ``kill -9``) sees the old file or the new one, never a mix. It refuses to
overwrite an input of the same run, and, when asked, to follow a symbolic link out of
the working tree. :func:`exclusive` serialises read-modify-write cycles (``lattice lock
--update``) between processes with an advisory ``flock`` on the target's folder: the
folder outlives every rename of the file in it, and no lock file is left behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ._errors import ErrorCode, InputError

__all__ = ["exclusive", "refuse_inputs", "remove_leftovers", "same_file", "write_atomic"]


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name one file (through links and ``..``)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def refuse_inputs(path: str | Path, inputs: Iterable[str | Path]) -> None:
    """Raise ``[output-is-input]`` when ``path`` is one of ``inputs`` (call it before
    the work, when a verb writes more than one file).

    A device, pipe or socket (``/dev/null``, ``/dev/stdout``) is never an input:
    Lattice reads regular files only, so such a target is not compared with each one.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and (
        stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
    ):
        return
    for source in inputs:
        if same_file(path, source):
            raise InputError(
                f"is also an input of this run ({source}); writing it would destroy it.",
                location=str(path),
                fix="write the output to another file.",
                code=ErrorCode.OUTPUT_IS_INPUT,
            )


def _target(path: Path, inputs: Iterable[str | Path], confine_to: Path | None) -> Path:
    refuse_inputs(path, inputs)
    if not path.is_symlink():
        return path
    resolved = path.resolve()
    if confine_to is not None and not resolved.is_relative_to(confine_to.resolve()):
        raise InputError(
            f"is a symbolic link to {resolved}, outside {confine_to.resolve()}; Lattice "
            "does not write through it.",
            location=str(path),
            fix="replace the link with the file itself, or pass the real path.",
            code=ErrorCode.UNSAFE_PATH,
        )
    return resolved


def write_atomic(
    path: str | Path,
    text: str | bytes,
    *,
    inputs: Iterable[str | Path] = (),
    confine_to: Path | None = None,
) -> None:
    """Replace ``path`` with ``text`` (UTF-8, or bytes as they are) all at once.

    ``inputs`` are the files this run read: writing over one raises ``[output-is-input]``.
    ``confine_to`` (a folder) refuses a symbolic link that points outside it
    (``[unsafe-path]``); a link inside it is written through. A target that is not a
    regular file (``/dev/stdout``, a pipe) is written in place: it cannot be renamed
    over. Text that cannot be encoded raises :class:`UnicodeEncodeError` before the
    target is touched.
    """
    target = _target(Path(path), inputs, confine_to)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target.exists() and not target.is_file():
        with open(target, "wb") as stream:
            stream.write(data)
            stream.flush()
        return
    folder = target.parent
    handle, temporary = _temporary(target)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):
            # Keep the mode of the file being replaced (a group-writable lock stays so).
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(folder)


def remove_leftovers(path: str | Path) -> int:
    """Delete the temporary files a killed writer of ``path`` left beside it; how many.

    Call it only while holding :func:`exclusive` for ``path``: then no writer of it is
    running, and every such file is stale.
    """
    target = Path(path)
    removed = 0
    import glob

    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed += 1
    return removed


def _temporary(target: Path) -> tuple[int, str]:
    # O_EXCL on a fresh random name; mode 0666 so the kernel applies the user's umask,
    # as it would to any new file (mkstemp makes 0600, and reading the umask means
    # changing it).
    while True:
        name = str(target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), name
        except FileExistsError:
            continue


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk.
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(handle)
    finally:
        os.close(handle)


@contextlib.contextmanager
def exclusive(path: str | Path) -> Iterator[None]:
    """Hold an exclusive advisory lock for a read-modify-write of ``path``.

    Other Lattice processes updating any file in the same folder wait until it is
    released (when the block ends, or the process dies).
    """
    import fcntl

    folder = Path(path).parent
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock
