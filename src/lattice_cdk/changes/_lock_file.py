"""The lock file's records and format: ``lattice.lock.json``.

The file is sorted and indented, so a lock update reads well in a code review. What it
holds is one canonical JSON form of each value (:func:`lock_value`), used both when a
lock is written and when a template is compared with it: a YAML timestamp is its ISO
text, a ``!!set`` a sorted list, ``!!binary`` its base64 text, a non-finite number its
name. Lone surrogates, control characters and bidi overrides are written as ``\\u``
escapes, so the file is valid UTF-8 that reads back to the same values. It is written
atomically (:func:`lattice_cdk._files.write_atomic`): a crash leaves the old lock or
the new one.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from .._errors import ErrorCode, InputError
from .._reading import read_bytes
from .._records import Record, set_field
from ..cfn._limits import MAX_FILE_BYTES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "LOCK_FILE",
    "LOCK_VERSION",
    "Lock",
    "LockEntry",
    "LockUpdate",
    "lock_text",
    "lock_value",
    "read_lock",
    "write_lock",
]

#: The lock's default file name.
LOCK_FILE = "lattice.lock.json"
#: The file format's version (``lattice_lock`` in the file).
LOCK_VERSION = 1

_NO_PROPERTIES: Mapping[str, Any] = MappingProxyType({})


class LockEntry(Record):
    """One locked stateful resource. ``stack`` is the stack's identity
    (:attr:`lattice_cdk.cfn.Stack.identity`); locks written before identities held the
    stack name, which still matches."""

    stack: str
    logical_id: str
    type: str
    #: Replacement-forcing property values present in the template, by path
    #: (``"EncryptionConfiguration/KmsKey"``), in :func:`lock_value` form.
    properties: Mapping[str, Any] = _NO_PROPERTIES
    construct_path: str | None = None

    def __post_init__(self) -> None:
        if self.properties is None:  # accepted, as before fields were declared once
            set_field(self, "properties", _NO_PROPERTIES)

    @property
    def key(self) -> tuple[str, str]:
        return (self.stack, self.logical_id)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "stack": self.stack,
            "logical_id": self.logical_id,
            "type": self.type,
            "properties": dict(sorted(self.properties.items())),
        }
        if self.construct_path:
            data["construct_path"] = self.construct_path
        return data


class LockUpdate(Record):
    """One deliberate lock update: who, why, when, and what changed."""

    at: str
    by: str
    reason: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "by": self.by,
            "reason": self.reason,
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": list(self.changed),
        }


class Lock(Record):
    """The whole lock file: entries sorted by stack and logical id, and the history of
    deliberate updates (oldest first)."""

    entries: tuple[LockEntry, ...]
    history: tuple[LockUpdate, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "lattice_lock": LOCK_VERSION,
            "$comment": "Stateful resources that must not be removed, renamed or replaced "
            "without a deliberate update: lattice lock PATH --update --reason '...'. "
            "Commit this file.",
            "resources": [e.to_dict() for e in self.entries],
            "history": [h.to_dict() for h in self.history],
        }


def lock_value(value: Any) -> Any:
    """``value`` (from a JSON or YAML template) in the one JSON form the lock holds and
    compares: YAML timestamps as ISO 8601 text, sets as sorted lists, bytes as base64,
    ``NaN``/``Infinity`` as those words, keys as text."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, Mapping):
        return {_key(k): lock_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [lock_value(v) for v in value]
    if isinstance(value, set | frozenset):
        items = [lock_value(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, _dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        import base64

        return base64.b64encode(value).decode("ascii")
    return str(value)


def _key(key: Any) -> str:
    value = lock_value(key)
    return value if isinstance(value, str) else json.dumps(value)


# Valid in JSON strings, but not safe to show or to encode: written as \u escapes.
_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def lock_text(lock: Lock) -> str:
    """The file's text: sorted, indented, readable non-ASCII, ending in a newline."""
    try:
        text = json.dumps(lock.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:  # a value not built by lock_value
        raise InputError(
            f"cannot be written as JSON ({exc}).",
            location="lock",
            fix="build lock entries from templates (lattice lock PATH).",
            code=ErrorCode.UNLOCKABLE_VALUE,
        ) from None
    # These characters can only be inside JSON strings, where \uXXXX means them.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def write_lock(lock: Lock, path: str | Path, *, confine_to: Path | None = None) -> None:
    """Write ``lock`` to ``path`` atomically. ``confine_to`` (a folder) refuses a
    symbolic link at ``path`` that points outside it."""
    from .._files import write_atomic

    write_atomic(path, lock_text(lock), confine_to=confine_to)


def read_lock(path: str | Path) -> Lock:
    """Read a lock file; any problem raises :class:`~lattice_cdk.InputError`."""
    where = str(path)
    # Checked first for its own message; read_bytes refuses a FIFO or device.
    if not os.path.lexists(Path(path)):
        raise InputError(
            "no such lock file.",
            location=where,
            fix="create it with 'lattice lock PATH' (PATH: the cdk.out or template).",
            code=ErrorCode.MISSING_INPUT,
        )
    try:
        # A bare NaN or Infinity (older files) reads as its name: the canonical form.
        text = read_bytes(path, limit=MAX_FILE_BYTES).decode("utf-8")
        data = json.loads(text, parse_constant=str)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(
            f"is not a readable JSON lock file ({exc}).",
            location=where,
            fix="restore it from version control, or regenerate it with 'lattice lock PATH'.",
            code=ErrorCode.MALFORMED_LOCK,
        ) from None
    if not isinstance(data, dict) or data.get("lattice_lock") != LOCK_VERSION:
        raise InputError(
            f'is not a Lattice lock file of version {LOCK_VERSION} (no "lattice_lock": '
            f"{LOCK_VERSION}).",
            location=where,
            fix="regenerate it with 'lattice lock PATH'.",
            code=ErrorCode.MALFORMED_LOCK,
        )
    reader = _Reader(where)
    entries = tuple(reader.entry(i, item) for i, item in enumerate(reader.items(data, "resources")))
    history = tuple(reader.update(i, item) for i, item in enumerate(reader.items(data, "history")))
    return Lock(entries=entries, history=history)


class _Reader(Record):
    """Reads the lock's fields, each of the type it must have, or says which is not."""

    #: The lock file, for the error.
    where: str

    def fail(self, field: str, problem: str) -> InputError:
        return InputError(
            f"{field} {problem}.",
            location=self.where,
            fix="restore it from version control, or regenerate it with 'lattice lock PATH "
            "--update --reason ...'.",
            code=ErrorCode.MALFORMED_LOCK,
        )

    def items(self, data: dict[str, Any], name: str) -> list[dict[str, Any]]:
        value = data.get(name, [])
        if not isinstance(value, list):
            raise self.fail(name, "is not a list")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{name}[{i}]", "is not an object")
        return value

    def text(self, item: dict[str, Any], field: str, where: str, *, optional: bool = False) -> Any:
        value = item.get(field)
        if isinstance(value, str) or (optional and value is None):
            return value
        raise self.fail(f"{where}.{field}", "is missing" if value is None else "is not text")

    def texts(self, item: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
        value = item.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}.{field}", "is not a list of text")
        return tuple(value)

    def entry(self, i: int, item: dict[str, Any]) -> LockEntry:
        stack, logical_id, type_ = item.get("stack"), item.get("logical_id"), item.get("type")
        properties, path = item.get("properties") or {}, item.get("construct_path")
        if (
            type(stack) is str
            and type(logical_id) is str
            and type(type_) is str
            and type(properties) is dict
            and (path is None or type(path) is str)
        ):
            return LockEntry(stack, logical_id, type_, properties, path)
        where = f"resources[{i}]"  # say which field is wrong
        for field in ("stack", "logical_id", "type"):
            self.text(item, field, where)
        self.text(item, "construct_path", where, optional=True)
        raise self.fail(f"{where}.properties", "is not an object")

    def update(self, i: int, item: dict[str, Any]) -> LockUpdate:
        where = f"history[{i}]"
        return LockUpdate(
            at=self.text(item, "at", where),
            by=self.text(item, "by", where),
            reason=self.text(item, "reason", where),
            added=self.texts(item, "added", where),
            removed=self.texts(item, "removed", where),
            changed=self.texts(item, "changed", where),
        )
