"""Weakened protection: a change after which ``lattice check`` would newly fail.

Each rule here asks the judgement core (:mod:`lattice_cdk.checker.judge`) the same
question ``lattice check`` asks, of the resource before and after the change: a
weakening is "it was protected, and now it is not, or cannot be told". So Retain to
Snapshot on a type that snapshots, or Delete on a bucket S3 Object Lock keeps, is no
weakening: the data survives either way, and ``check`` passes both. The one exception
is backup retention (LAT2616): any lowering is reported, where ``check`` holds plans to
the environment's floor only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .._findings import Finding
from ..cfn import Resource, Stack, stateful_type
from ..cfn._knowledge import StatefulType
from ..checker.judge import (
    BackupIndex,
    deletion_fate,
    protection_state,
    replacement_fate,
    survives,
    vault_protected,
)
from . import _rules as R
from ._change_finding import change_finding
from ._schemas import get_path, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "coverage_lost",
    "weakened_policies",
    "weakened_protections",
    "weakened_retention",
    "weakened_vault",
]


def _weaker(before: bool | None, after: bool | None) -> bool:
    return before is True and after is not True


def _state(value: bool | None) -> str:
    return "off" if value is False else "not evaluable"


def weakened_policies(
    stack: Stack, before: Resource, after: Resource, info: StatefulType
) -> Iterator[Finding]:
    """DeletionPolicy / UpdateReplacePolicy changes after which the data no longer
    survives a stack delete / a replacement (LAT1001 / LAT1002 would newly fail)."""
    for rule, fate, attr, name in (
        (R.WEAKENED_DELETION_POLICY, deletion_fate, "deletion_policy", "DeletionPolicy"),
        (
            R.WEAKENED_UPDATE_REPLACE_POLICY,
            replacement_fate,
            "update_replace_policy",
            "UpdateReplacePolicy",
        ),
    ):
        was = survives(fate(stack, before, info))
        now = survives(fate(stack, after, info))
        if not _weaker(was, now):
            continue
        a, b = getattr(before, attr), getattr(after, attr)
        why = "" if now is False else " (cannot be evaluated)"
        change = (
            f"{name} {show(a) if a else 'Delete (default)'} -> "
            f"{show(b) if b else 'Delete (default)'}"
            if a != b
            else "S3 Object Lock no longer keeps its objects"
        )
        yield change_finding(
            rule,
            stack,
            after,
            f"{after.type} {after.logical_id}: {change}{why}; its data no longer survives "
            f"{'a stack delete' if attr == 'deletion_policy' else 'a replacement'}.",
        )


def weakened_protections(
    stack: Stack, before: Resource, after: Resource, info: StatefulType
) -> Iterator[Finding]:
    """Deletion protection, point-in-time recovery or versioning going from on to off
    (or to a value that cannot be evaluated)."""
    for rule, check, what in (
        (R.WEAKENED_DELETION_PROTECTION, info.deletion_protection, "deletion protection"),
        (R.WEAKENED_PITR, info.point_in_time_recovery, "point-in-time recovery"),
        (R.WEAKENED_VERSIONING, info.versioning, "versioning"),
    ):
        if check is None:
            continue
        was = protection_state(before, check)
        now = protection_state(after, check)
        if _weaker(was, now):
            path = tuple(check.path.split("."))
            yield change_finding(
                rule,
                stack,
                after,
                f"{after.type} {after.logical_id}: {what} goes from on to {_state(now)} "
                f"({'/'.join(path)}: {show(_shown(before, path, check.default))} -> "
                f"{show(_shown(after, path, check.default))}).",
            )


def _shown(resource: Resource, path: tuple[str, ...], default: Any) -> Any:
    value = get_path(resource.properties, path)
    return default if value is None else value


def weakened_vault(stack: Stack, before: Resource, after: Resource) -> Iterator[Finding]:
    """A backup vault that kept its recovery points (a lock or a deny-delete policy)
    and no longer does (LAT1304 would newly fail)."""
    was = vault_protected(before)
    now = vault_protected(after)
    if not _weaker(was, now):
        return
    lost: list[str] = []
    if before.properties.get("LockConfiguration") and not after.properties.get("LockConfiguration"):
        lost.append("its LockConfiguration (vault lock) is removed")
    if before.properties.get("AccessPolicy") != after.properties.get("AccessPolicy"):
        lost.append(
            "its AccessPolicy no longer denies backup:DeleteRecoveryPoint"
            if now is False
            else "its AccessPolicy cannot be evaluated"
        )
    yield change_finding(
        R.WEAKENED_VAULT,
        stack,
        after,
        f"backup vault {after.logical_id}: {' and '.join(lost) or 'it is no longer protected'}"
        "; nothing stops deleting its recovery points.",
    )


def weakened_retention(stack: Stack, before: Resource, after: Resource) -> Iterator[Finding]:
    """A backup plan rule removed or keeping recovery points for less time."""
    old_rules = _plan_rules(before)
    new_rules = _plan_rules(after)
    lowered: list[str] = []
    for name, days in old_rules.items():
        if name not in new_rules:
            lowered.append(f"rule {name} ({_days(days)}) removed")
        elif _lower(new_rules[name], days):
            lowered.append(f"rule {name}: {_days(days)} -> {_days(new_rules[name])}")
    if lowered:
        yield change_finding(
            R.WEAKENED_RETENTION,
            stack,
            after,
            f"backup plan {after.logical_id}: retention lowered ({'; '.join(lowered)}).",
        )


def _plan_rules(resource: Resource) -> dict[str, Any]:
    plan = resource.properties.get("BackupPlan")
    rules = plan.get("BackupPlanRule") if isinstance(plan, Mapping) else None
    out: dict[str, Any] = {}
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, Mapping):
            continue
        name = rule.get("RuleName")
        lifecycle = rule.get("Lifecycle")
        days = lifecycle.get("DeleteAfterDays") if isinstance(lifecycle, Mapping) else None
        out[name if isinstance(name, str) else f"#{i}"] = days
    return out


def _lower(new: Any, old: Any) -> bool:
    # No DeleteAfterDays keeps recovery points forever.
    if new is None:
        return False
    if old is None:
        return True
    try:
        return float(new) < float(old)
    except (TypeError, ValueError):
        return bool(new != old)  # an intrinsic: cannot be shown to be at least as long


def _days(days: Any) -> str:
    return "kept forever" if days is None else f"{show(days)} days"


def coverage_lost(
    old: Stack,
    new: Stack,
    scope: set[str] | None,
    before: BackupIndex,
    after: BackupIndex,
) -> Iterator[Finding]:
    """Backup-capable resources a selection covered before and none covers now (or it
    cannot be told): LAT1201 would newly fail. ``scope`` limits the logical ids looked
    at (``None``: all); ``before`` and ``after`` index the old and new selections, with
    the checker's one coverage model (ListOfTags OR-ed, Conditions AND-ed,
    NotResources excluded)."""
    ids = new.resources.keys() & old.resources.keys()
    if scope is not None:
        ids &= scope
    for logical_id in sorted(ids):
        resource = new.resources[logical_id]
        info = stateful_type(resource.type)
        if info is None or not info.aws_backup:
            continue
        was = before.coverage(old, old.resources[logical_id], info).covered
        if was is not True:
            continue
        now = after.coverage(new, resource, info).covered
        if now is True:
            continue
        state = "none" if now is False else "no selection that can be evaluated"
        yield change_finding(
            R.WEAKENED_BACKUP_SELECTION,
            new,
            resource,
            f"{resource.type} {logical_id} was covered by an AWS Backup selection in the "
            f"old template and is covered by {state} in the new one.",
        )
