"""The stateful lock: ``lattice.lock.json``, committed with the code.

The lock records, for each stateful resource, its stack, logical id, type and the
values of its replacement-forcing properties (from the resource schemas).
:func:`lock_findings` then reports a locked resource that a new synth would remove,
rename or replace, until the lock is updated on purpose (:func:`update_lock`, which
records who, why and when in the file's ``history``).

The file is sorted and indented, so a lock update reads well in a code review.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from .._config import ConfigAcknowledgement
from .._errors import InputError
from .._findings import Finding, RuleInfo
from .._records import Record, set_field
from ..cfn import Assembly, Resource, Stack, stateful_type
from . import _rules as R
from ._schemas import Comparison, construct_id, get_path, replacement_info, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "LOCK_FILE",
    "LOCK_VERSION",
    "Lock",
    "LockEntry",
    "LockUpdate",
    "build_lock",
    "lock_changes",
    "lock_check",
    "lock_findings",
    "read_lock",
    "update_lock",
    "write_lock",
]

#: The lock's default file name.
LOCK_FILE = "lattice.lock.json"
#: The file format's version (``lattice_lock`` in the file).
LOCK_VERSION = 1
_MIN_REASON = 10


class LockEntry(Record):
    """One locked stateful resource."""

    __slots__ = ("stack", "logical_id", "type", "properties", "construct_path")  # noqa: RUF023
    stack: str
    logical_id: str
    type: str
    #: Replacement-forcing property values present in the template, by path
    #: (``"EncryptionConfiguration/KmsKey"``).
    properties: Mapping[str, Any]
    construct_path: str | None

    def __init__(
        self,
        *,
        stack: str,
        logical_id: str,
        type: str,
        properties: Mapping[str, Any] | None = None,
        construct_path: str | None = None,
    ) -> None:
        set_field(self, "stack", stack)
        set_field(self, "logical_id", logical_id)
        set_field(self, "type", type)
        set_field(self, "properties", {} if properties is None else properties)
        set_field(self, "construct_path", construct_path)

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

    __slots__ = ("at", "by", "reason", "added", "removed", "changed")  # noqa: RUF023
    at: str
    by: str
    reason: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    def __init__(
        self,
        *,
        at: str,
        by: str,
        reason: str,
        added: tuple[str, ...] = (),
        removed: tuple[str, ...] = (),
        changed: tuple[str, ...] = (),
    ) -> None:
        set_field(self, "at", at)
        set_field(self, "by", by)
        set_field(self, "reason", reason)
        set_field(self, "added", added)
        set_field(self, "removed", removed)
        set_field(self, "changed", changed)

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

    __slots__ = ("entries", "history")
    entries: tuple[LockEntry, ...]
    history: tuple[LockUpdate, ...]

    def __init__(
        self, *, entries: tuple[LockEntry, ...], history: tuple[LockUpdate, ...] = ()
    ) -> None:
        set_field(self, "entries", entries)
        set_field(self, "history", history)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lattice_lock": LOCK_VERSION,
            "$comment": "Stateful resources that must not be removed, renamed or replaced "
            "without a deliberate update: lattice lock PATH --update --reason '...'. "
            "Commit this file.",
            "resources": [e.to_dict() for e in self.entries],
            "history": [h.to_dict() for h in self.history],
        }


def _entry(stack: Stack, resource: Resource) -> LockEntry:
    info = replacement_info(resource.type)
    values: dict[str, Any] = {}
    for path in info.paths if info is not None else ():
        value = get_path(resource.properties, path)
        if value is not None:
            values["/".join(path)] = value
    return LockEntry(
        stack=stack.name,
        logical_id=resource.logical_id,
        type=resource.type,
        properties=values,
        construct_path=resource.construct_path,
    )


def build_lock(assembly: Assembly, *, history: Sequence[LockUpdate] = ()) -> Lock:
    """A lock of every stateful resource in ``assembly``."""
    entries = [
        _entry(stack, resource)
        for stack in assembly.stacks
        for resource in stack.resources.values()
        if stateful_type(resource.type) is not None
    ]
    entries.sort(key=lambda e: e.key)
    return Lock(entries=tuple(entries), history=tuple(history))


def lock_changes(old: Lock, new: Lock) -> tuple[list[str], list[str], list[str]]:
    """``(added, removed, changed)`` as ``stack/logical_id`` names, from ``old`` to
    ``new``."""
    before = {e.key: e for e in old.entries}
    after = {e.key: e for e in new.entries}
    added = [f"{s}/{i}" for (s, i) in sorted(after.keys() - before.keys())]
    removed = [f"{s}/{i}" for (s, i) in sorted(before.keys() - after.keys())]
    changed = [
        f"{s}/{i}"
        for (s, i) in sorted(before.keys() & after.keys())
        if before[(s, i)].to_dict() != after[(s, i)].to_dict()
    ]
    return added, removed, changed


def update_lock(
    old: Lock,
    assembly: Assembly,
    *,
    reason: str,
    by: str,
    at: _dt.datetime | None = None,
) -> Lock:
    """The lock re-taken from ``assembly``, with an entry in ``history`` saying who
    changed it, why and what changed. ``reason`` needs at least 10 characters."""
    if len(reason.strip()) < _MIN_REASON:
        raise InputError(
            f"the reason {reason!r} is too short (at least {_MIN_REASON} characters).",
            location="--reason",
            fix="say why the locked resources may change, e.g. --reason 'move table to "
            "the new data stack, JIRA-123'.",
            code="lock-reason",
        )
    fresh = build_lock(assembly)
    added, removed, changed = lock_changes(old, fresh)
    when = (at or _dt.datetime.now(_dt.UTC)).replace(microsecond=0)
    update = LockUpdate(
        at=when.isoformat().replace("+00:00", "Z"),
        by=by,
        reason=reason.strip(),
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
    )
    return Lock(entries=fresh.entries, history=(*old.history, update))


def write_lock(lock: Lock, path: str | Path) -> None:
    """Write ``lock`` to ``path`` (sorted, indented, ending in a newline)."""
    # default=str: a YAML template may hold dates; they are compared as ISO text.
    text = json.dumps(lock.to_dict(), indent=2, ensure_ascii=False, default=str)
    Path(path).write_text(text + "\n", encoding="utf-8")


def read_lock(path: str | Path) -> Lock:
    """Read a lock file; any problem raises :class:`~lattice_cdk.InputError`."""
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            "no such lock file.",
            location=where,
            fix="create it with 'lattice lock PATH' (PATH: the cdk.out or template).",
            code="missing-input",
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"is not a readable JSON lock file ({exc}).", location=where, code="malformed-lock"
        ) from None
    if not isinstance(data, dict) or data.get("lattice_lock") != LOCK_VERSION:
        raise InputError(
            f'is not a Lattice lock file of version {LOCK_VERSION} (no "lattice_lock": '
            f"{LOCK_VERSION}).",
            location=where,
            fix="regenerate it with 'lattice lock PATH'.",
            code="malformed-lock",
        )
    try:
        entries = tuple(
            LockEntry(
                stack=str(item["stack"]),
                logical_id=str(item["logical_id"]),
                type=str(item["type"]),
                properties=dict(item.get("properties") or {}),
                construct_path=item.get("construct_path"),
            )
            for item in data.get("resources", [])
        )
        history = tuple(
            LockUpdate(
                at=str(item["at"]),
                by=str(item["by"]),
                reason=str(item["reason"]),
                added=tuple(item.get("added", ())),
                removed=tuple(item.get("removed", ())),
                changed=tuple(item.get("changed", ())),
            )
            for item in data.get("history", [])
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            f"has a malformed entry (missing or wrong {exc}).",
            location=where,
            fix="regenerate it with 'lattice lock PATH --update --reason ...'.",
            code="malformed-lock",
        ) from None
    return Lock(entries=entries, history=history)


def lock_findings(
    assembly: Assembly,
    lock: Lock,
    *,
    report_unlocked: bool = True,
    acknowledgements: Sequence[ConfigAcknowledgement] = (),
) -> list[Finding]:
    """What in ``assembly`` breaks ``lock``: a locked stateful resource removed
    (LAT1701), renamed (LAT1702), replaced (LAT1703) or possibly replaced (LAT2704);
    with ``report_unlocked`` (default ``True``), stateful resources not in the lock
    (LAT3705, info).

    A locked stack missing from ``assembly`` counts as removed: the lock fails closed.
    Findings are acknowledged as ``lattice check`` acknowledges them (resource Metadata,
    CDK acknowledgements, ``acknowledgements`` from the config; default: none). Inside
    ``lattice check``, which acknowledges every finding itself, use :func:`lock_check`.
    """
    from ..checker._acks import apply_acknowledgements

    findings = list(_lock_findings(assembly, lock, report_unlocked=report_unlocked))
    return apply_acknowledgements(findings, assembly, config=acknowledgements)


def lock_check(
    lock: Lock, *, report_unlocked: bool = True
) -> Callable[[Assembly], Iterable[Finding]]:
    """The lock as an extra check for the checker's engine
    (``check(assembly, extra_checks=[lock_check(read_lock(path))])``): the same
    findings as :func:`lock_findings`, not yet acknowledged, since the engine
    acknowledges every finding once."""

    def run(assembly: Assembly) -> Iterable[Finding]:
        return _lock_findings(assembly, lock, report_unlocked=report_unlocked)

    return run


def _lock_findings(assembly: Assembly, lock: Lock, *, report_unlocked: bool) -> Iterator[Finding]:
    stacks = {s.name: s for s in assembly.stacks}
    locked = {e.key for e in lock.entries}
    by_stack: dict[str, list[LockEntry]] = {}
    for entry in lock.entries:
        by_stack.setdefault(entry.stack, []).append(entry)
    for stack_name, entries in by_stack.items():
        stack = stacks.get(stack_name)
        if stack is None:
            for entry in entries:
                yield _finding(
                    R.LOCK_REMOVED,
                    entry,
                    stack_name,
                    assembly.source,
                    f"stack {stack_name} is not in {assembly.source}, so locked "
                    f"{entry.type} {entry.logical_id} would be deleted with it or orphaned.",
                )
            continue
        unlocked = [
            r
            for r in stack.resources.values()
            if (stack.name, r.logical_id) not in locked and stateful_type(r.type) is not None
        ]
        taken: set[str] = set()
        for entry in entries:
            resource = stack.resources.get(entry.logical_id)
            if resource is None:
                target = _likely_rename(entry, [r for r in unlocked if r.logical_id not in taken])
                if target is not None:
                    taken.add(target.logical_id)
                    yield _finding(
                        R.LOCK_RENAMED,
                        entry,
                        stack.label,
                        stack.template_path,
                        f"locked {entry.type} {entry.logical_id} is gone and {target.logical_id} "
                        "of the same type appeared: the logical id changed, which replaces "
                        "the resource (the old one is deleted or orphaned, the new one empty).",
                        fix=(
                            f"keep the old logical id: call override_logical_id("
                            f"{entry.logical_id!r}) on {target.logical_id}'s CfnResource, give "
                            "a wrapper's inner resource the id 'Default', or use 'cdk "
                            "refactor'; if intended, run 'lattice lock PATH --update --reason "
                            "...'."
                        ),
                    )
                else:
                    yield _finding(
                        R.LOCK_REMOVED,
                        entry,
                        stack.label,
                        stack.template_path,
                        f"locked {entry.type} {entry.logical_id} is no longer in stack "
                        f"{stack.label}.",
                    )
                continue
            yield from _compare(entry, resource, stack)
        if report_unlocked:
            for resource in unlocked:
                if resource.logical_id in taken:
                    continue
                yield _finding(
                    R.LOCK_UNLOCKED,
                    resource,
                    stack.label,
                    stack.template_path,
                    f"{resource.type} {resource.logical_id} is stateful and not in the lock.",
                )
    if report_unlocked:
        for stack in assembly.stacks:
            if stack.name in by_stack:
                continue
            for resource in stack.resources.values():
                if stateful_type(resource.type) is not None:
                    yield _finding(
                        R.LOCK_UNLOCKED,
                        resource,
                        stack.label,
                        stack.template_path,
                        f"{resource.type} {resource.logical_id} is stateful and not in the "
                        "lock (its stack is new to the lock).",
                    )


def _compare(entry: LockEntry, resource: Resource, stack: Stack) -> Iterator[Finding]:
    if resource.type != entry.type:
        yield _finding(
            R.LOCK_REPLACED,
            resource,
            stack.label,
            stack.template_path,
            f"locked {entry.logical_id} changes type from {entry.type} to {resource.type}: "
            "CloudFormation replaces it.",
        )
        return
    info = replacement_info(entry.type)
    if info is None:
        return
    replaced: list[str] = []
    maybe: list[str] = []
    for path in info.paths:
        name = "/".join(path)
        a = entry.properties.get(name)
        b = get_path(resource.properties, path)
        result = info.compare(path, a, b)
        if result is Comparison.SAME:
            continue
        change = f"{name}: {show(a)} (locked) -> {show(b)}"
        if result is Comparison.CHANGED and path in info.create_only:
            replaced.append(change)
        else:
            maybe.append(change)
    if replaced:
        yield _finding(
            R.LOCK_REPLACED,
            resource,
            stack.label,
            stack.template_path,
            f"locked {entry.type} {entry.logical_id} would be replaced: {'; '.join(replaced)}.",
        )
    elif maybe:
        yield _finding(
            R.LOCK_MAY_REPLACE,
            resource,
            stack.label,
            stack.template_path,
            f"locked {entry.type} {entry.logical_id} may be replaced: {'; '.join(maybe)}.",
        )


def _likely_rename(entry: LockEntry, candidates: Sequence[Resource]) -> Resource | None:
    """The unlocked resource of the entry's type that most likely took its place: the
    share of locked replacement values it repeats, plus one when its construct id (the
    last part of the CDK path) is the locked one. Ties go to the first in the template."""
    info = replacement_info(entry.type)
    locked_id = construct_id(entry.construct_path)
    best_score = -1.0
    chosen: Resource | None = None
    for resource in candidates:
        if resource.type != entry.type:
            continue
        score = 1.0
        if info is not None and info.paths:
            same = sum(
                info.compare(p, entry.properties.get("/".join(p)), get_path(resource.properties, p))
                is Comparison.SAME
                for p in info.paths
            )
            score = same / len(info.paths)
        if locked_id is not None and locked_id == construct_id(resource.construct_path):
            score += 1.0
        if score > best_score:
            best_score, chosen = score, resource
    return chosen


def _finding(
    rule: RuleInfo,
    subject: LockEntry | Resource,
    stack: str,
    template_path: str,
    message: str,
    *,
    fix: str | None = None,
) -> Finding:
    return Finding(
        rule_id=rule.rule_id,
        severity=rule.severity,
        title=rule.title,
        message=message,
        fix=fix or rule.fix,
        stack=stack,
        template_path=template_path,
        logical_id=subject.logical_id,
        resource_type=subject.type,
        construct_path=subject.construct_path,
    )
