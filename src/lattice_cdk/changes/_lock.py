"""The stateful lock: ``lattice.lock.json``, committed with the code.

The lock records, for each stateful resource, its stack, logical id, type and the
values of its replacement-forcing properties (from the resource schemas).
:func:`lock_findings` then reports a locked resource that a new synth would remove,
rename or replace, until the lock is updated on purpose (:func:`update_lock`, which
records who, why and when in the file's ``history``).

Locked stacks are keyed by :attr:`~lattice_cdk.cfn.Stack.identity` (two stacks of one
name in two regions are two stacks); a lock written when they were keyed by name still
matches, and is re-keyed by its next update. The file's records and format are in
:mod:`._lock_file`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from .._config import ConfigAcknowledgement
from .._errors import ErrorCode, InputError
from .._findings import Finding, RuleInfo
from .._records import replace
from ..cfn import Assembly, Resource, Stack, stateful_type
from . import _rules as R
from ._lock_file import (
    LOCK_FILE,
    LOCK_VERSION,
    Lock,
    LockEntry,
    LockUpdate,
    lock_value,
    read_lock,
    write_lock,
)
from ._replacement import SNAPSHOT_PROPERTIES, judge_replacement
from ._schemas import Comparison, construct_id, get_path, replacement_info

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
    "rekey_lock",
    "update_lock",
    "write_lock",
]

_MIN_REASON = 10


def _entry(stack: Stack, resource: Resource) -> LockEntry:
    values: dict[str, Any] = {}
    for path in _lock_paths(resource.type):
        value = get_path(resource.properties, path)
        if value is not None:
            values["/".join(path)] = lock_value(value)
    return LockEntry(
        stack=stack.identity,
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


def rekey_lock(lock: Lock, assembly: Assembly) -> Lock:
    """``lock`` with each stack keyed by its identity in ``assembly``: an entry keyed by
    a stack's name (a lock from before identities) moves to that stack's identity, when
    the name is not itself an identity and belongs to one stack only."""
    identities = {s.identity for s in assembly.stacks}
    names: dict[str, list[str]] = {}
    for stack in assembly.stacks:
        names.setdefault(stack.name, []).append(stack.identity)
    moved = {
        name: ids[0]
        for name, ids in names.items()
        if len(ids) == 1 and name not in identities and ids[0] != name
    }
    if not moved or not any(e.stack in moved for e in lock.entries):
        return lock
    entries = [replace(e, stack=moved[e.stack]) if e.stack in moved else e for e in lock.entries]
    entries.sort(key=lambda e: e.key)
    return Lock(entries=tuple(entries), history=lock.history)


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
            code=ErrorCode.LOCK_REASON,
        )
    old = rekey_lock(old, assembly)
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
    (LAT3705, info); each input of a folder run that was not read (LAT2904) and each
    template entry that could not be evaluated (LAT2901).

    A locked stack missing from ``assembly`` counts as removed: the lock fails closed.
    Findings are acknowledged as ``lattice check`` acknowledges them (resource Metadata,
    CDK acknowledgements, ``acknowledgements`` from the config; default: none). Inside
    ``lattice check``, which acknowledges every finding itself, use :func:`lock_check`.
    """
    from ..checker._acks import apply_acknowledgements

    findings = list(
        _lock_findings(assembly, rekey_lock(lock, assembly), report_unlocked=report_unlocked)
    )
    if not assembly.complete:
        from ..checker._engine import not_checked  # the engine only when needed

        findings.extend(not_checked(assembly))
    return apply_acknowledgements(findings, assembly, config=acknowledgements)


def lock_check(
    lock: Lock, *, report_unlocked: bool = True
) -> Callable[[Assembly], Iterable[Finding]]:
    """The lock as an extra check for the checker's engine
    (``check(assembly, extra_checks=[lock_check(read_lock(path))])``): the same
    findings as :func:`lock_findings`, not yet acknowledged, since the engine
    acknowledges every finding once."""

    def run(assembly: Assembly) -> Iterable[Finding]:
        return _lock_findings(assembly, rekey_lock(lock, assembly), report_unlocked=report_unlocked)

    return run


def _lock_findings(assembly: Assembly, lock: Lock, *, report_unlocked: bool) -> Iterator[Finding]:
    stacks = {s.identity: s for s in assembly.stacks}
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
            if (stack.identity, r.logical_id) not in locked and stateful_type(r.type) is not None
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
            if stack.identity in by_stack:
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
    # The judgement lattice diff makes, on the locked values and the same values now.
    before = _nested(entry.properties)
    after = {
        top: lock_value(resource.properties[top])
        for top in {path[0] for path in _lock_paths(entry.type)}
        if resource.properties.get(top) is not None
    }
    judged = judge_replacement(entry.type, before, after)
    head = f"locked {entry.type} {entry.logical_id}"
    if judged.replaces:
        reasons = [*judged.replaced, *([judged.snapshot] if judged.snapshot else [])]
        yield _finding(
            R.LOCK_REPLACED,
            resource,
            stack.label,
            stack.template_path,
            f"{head} would be replaced: {'; '.join(reasons)}.",
        )
    elif judged.any:
        maybe = [*judged.parameterised, *judged.maybe]
        yield _finding(
            R.LOCK_MAY_REPLACE,
            resource,
            stack.label,
            stack.template_path,
            f"{head} may be replaced: {'; '.join(maybe)}.",
        )


def _lock_paths(resource_type: str) -> tuple[tuple[str, ...], ...]:
    """The property paths the lock holds for a type: its replacement-forcing paths and
    the snapshot identifier a restored database must keep."""
    info = replacement_info(resource_type)
    if info is None:
        return ()
    snapshot = SNAPSHOT_PROPERTIES.get(resource_type)
    if snapshot is None or (snapshot,) in info.paths:
        return info.paths
    return (*info.paths, (snapshot,))


def _nested(values: Mapping[str, Any]) -> dict[str, Any]:
    """The lock's ``"A/B": value`` entries as properties (``{"A": {"B": value}}``); a
    path inside one already held whole (``A`` and ``A/B``) adds nothing."""
    nested: dict[str, Any] = {}
    for name in sorted(values, key=lambda n: n.count("/")):
        *parents, last = name.split("/")
        node = nested
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node.setdefault(last, values[name])
    return nested


def _locked(resource: Resource, path: tuple[str, ...]) -> Any:
    """The value at ``path`` as the lock would hold it (:func:`lock_value`)."""
    value = get_path(resource.properties, path)
    return None if value is None else lock_value(value)


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
                info.compare(p, entry.properties.get("/".join(p)), _locked(resource, p))
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
