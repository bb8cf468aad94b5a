"""``lattice diff``: what a change from one template (or assembly) to another does to
stateful data.

For every stateful resource: removed, renamed (a removed and an added resource of the
same type whose properties match), replaced (a create-only property changed, read from
the resource schemas), or weakened (a policy or protection made weaker); and whole
stacks removed. Safe changes (tags, added resources, updatable properties, stateless
resources) produce nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence

from .._config import ConfigAcknowledgement
from .._findings import Finding, RuleInfo
from .._records import Record, set_field
from ..cfn import Assembly, Resource, Stack, stateful_type, stateful_types
from ..cfn._knowledge import PropertyCheck, StatefulType
from . import _replacement_rules as RR
from . import _rules as R
from ._renames import rename_candidates
from ._replacement import ReplacementJudgement, judge_replacement
from ._schemas import (
    contains_intrinsic,
    get_path,
    replacement_info,
    show,
)
from ._stacks import StackPair, match_stacks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "StackPair",
    "diff_assemblies",
    "diff_stacks",
    "match_stacks",
    "rename_candidates",
    "replacement_changes",
]

_BACKUP_SELECTION = "AWS::Backup::BackupSelection"
_BACKUP_PLAN = "AWS::Backup::BackupPlan"
_BACKUP_VAULT = "AWS::Backup::BackupVault"
_DELETE_ACTIONS = frozenset({"backup:deleterecoverypoint", "backup:*", "*"})


def diff_assemblies(
    old: Assembly,
    new: Assembly,
    *,
    acknowledgements: Sequence[ConfigAcknowledgement] = (),
) -> list[Finding]:
    """Every destructive change from ``old`` to ``new``, stack by stack.

    Findings are acknowledged as ``lattice check`` acknowledges them: by the
    ``lattice:acknowledgements`` Metadata of the resource in ``new``, by CDK's
    ``Validations.of(x).acknowledge(...)``, or by ``acknowledgements`` from
    ``lattice.toml`` / ``[tool.lattice]`` (default: none).
    """
    from ..checker._acks import apply_acknowledgements

    pairs, removed = match_stacks(old, new)
    findings: list[Finding] = []
    for pair in pairs:
        findings.extend(diff_stacks(pair.old, pair.new))
    for stack in removed:
        findings.extend(_stack_removed(stack))
    return apply_acknowledgements(findings, new, config=acknowledgements)


def diff_stacks(old: Stack, new: Stack) -> list[Finding]:
    """Every destructive change from the ``old`` template to the ``new`` one, without
    acknowledgements applied (:func:`diff_assemblies` applies them)."""
    return list(_diff_stacks(old, new))


def _diff_stacks(old: Stack, new: Stack) -> Iterator[Finding]:
    # Work on the raw template bodies and touch Resource records only for what changed:
    # in a typical diff almost every resource is untouched, and one dict comparison
    # settles it.
    old_bodies = _bodies(old)
    new_bodies = _bodies(new)
    changed_params = _changed_parameters(old, new)
    removed: list[Resource] = []
    touched: list[Resource] = []
    selections: list[str] = []
    # Logical ids this change replaces (any type), and stateful ones already reported.
    replaced: set[str] = set()
    flagged: set[str] = set()
    kept: list[str] = []  # stateful logical ids in both templates
    stateful = stateful_types()  # one lookup table for the hot loop below
    for logical_id, body in old_bodies.items():
        kind = body["Type"]  # the loader guarantees a "Type" string
        if kind == _BACKUP_SELECTION:
            selections.append(logical_id)
        other = new_bodies.get(logical_id)
        is_stateful = kind in stateful
        if other is None:
            if is_stateful:
                removed.append(old.resources[logical_id])
            continue
        if is_stateful:
            kept.append(logical_id)
        if body == other and (not changed_params or not is_stateful):
            continue
        after = new.resources[logical_id]
        touched.append(after)
        yield from _changed(
            new, old.resources[logical_id], after, changed_params, replaced, flagged
        )
    if replaced:
        yield from _references_to_replaced(new, new_bodies, kept, replaced, flagged)
    if removed:
        removed_types = {r.type for r in removed}
        candidates = [
            new.resources[lid]
            for lid, body in new_bodies.items()
            if lid not in old_bodies and body["Type"] in removed_types
        ]
        renames = dict(rename_candidates(removed, candidates))
        for resource in removed:
            target = renames.get(resource.logical_id)
            if target is not None:
                yield _renamed(old, new, resource, target)
            else:
                yield _removed(old, resource, label=new.label)
    scope = _coverage_scope(selections, old_bodies, new_bodies, touched)
    if scope is None or scope:
        yield from _backup_coverage(old, new, scope, selections)


def _type(body: Any) -> str:
    # The loader guarantees a dict with a "Type" string for every resource.
    kind: str = body["Type"]
    return kind


def _coverage_scope(
    selections: list[str],
    old_bodies: Mapping[str, Any],
    new_bodies: Mapping[str, Any],
    touched: list[Resource],
) -> set[str] | None:
    """Which resources' backup coverage can differ: ``None`` for all of them (an old
    backup selection changed or went), else the changed resources a selection could
    cover. Coverage of an unchanged resource under unchanged selections cannot shrink;
    a selection that is only added can only widen it."""
    if not selections:
        return set()
    if any(old_bodies[k] != new_bodies.get(k) for k in selections):
        return None
    return {
        r.logical_id
        for r in touched
        if (info := stateful_type(r.type)) is not None and info.aws_backup
    }


def _bodies(stack: Stack) -> Mapping[str, Any]:
    resources = stack.template.get("Resources")
    return resources if isinstance(resources, dict) else {}


def _changed_parameters(old: Stack, new: Stack) -> frozenset[str]:
    before = old.template.get("Parameters") or {}
    after = new.template.get("Parameters") or {}
    if before == after or not isinstance(before, dict) or not isinstance(after, dict):
        return frozenset()
    return frozenset(k for k in {*before, *after} if before.get(k) != after.get(k))


# -- removed, renamed, stack removed ---------------------------------------------------


def _strength(policy: Any, info: StatefulType | None) -> int | None:
    """How well a DeletionPolicy/UpdateReplacePolicy keeps data: 0 deletes it, 1 keeps
    a snapshot, 2 keeps the resource; ``None`` when it is an intrinsic."""
    if policy is None or policy == "Delete":
        return 0
    if policy == "Snapshot":
        return 1 if info is not None and info.snapshot else 0
    if policy in ("Retain", "RetainExceptOnCreate"):
        return 2
    return None


def _removed(stack: Stack, resource: Resource, *, label: str | None = None) -> Finding:
    strength = _strength(resource.deletion_policy, stateful_type(resource.type))
    if strength == 0:
        return _finding(
            R.REMOVED_DELETED,
            stack,
            resource,
            f"{resource.type} {resource.logical_id} is no longer in the template and its "
            f"DeletionPolicy is {resource.deletion_policy or 'Delete (the default)'}: "
            "CloudFormation will delete it and its data.",
            label=label,
        )
    what = (
        "deleted after a final snapshot"
        if strength == 1
        else "left behind, unmanaged (orphaned)"
        if strength == 2
        else f"handled by an unevaluated DeletionPolicy {show(resource.deletion_policy)}"
    )
    return _finding(
        R.REMOVED_KEPT,
        stack,
        resource,
        f"{resource.type} {resource.logical_id} is no longer in the template: it will be {what}.",
        label=label,
    )


def _renamed(old: Stack, new: Stack, before: Resource, after: Resource) -> Finding:
    kept = _strength(before.deletion_policy, stateful_type(before.type))
    fate = (
        "is deleted with its data"
        if kept == 0
        else "is orphaned (DeletionPolicy Retain)"
        if kept == 2
        else "is deleted after a final snapshot"
    )
    return _finding(
        R.RENAMED,
        old,
        before,
        f"{before.type} {before.logical_id} is gone and {after.logical_id} of the same type "
        f"appeared with matching properties{_path_note(before, after)}: the logical id "
        f"changed. CloudFormation creates {after.logical_id} empty and the old resource "
        f"{fate}.",
        fix=(
            f"keep the old logical id: in CDK call "
            f"(resource.node.default_child).override_logical_id({before.logical_id!r}), give a "
            "wrapper construct's inner resource the construct id 'Default', or move it with "
            "'cdk refactor' (preview) before deploying."
        ),
        template_path=old.template_path,
        label=new.label,
    )


def _path_note(before: Resource, after: Resource) -> str:
    if before.construct_path and after.construct_path:
        return f" (construct path {before.construct_path} -> {after.construct_path})"
    return ""


def _stack_removed(stack: Stack) -> Iterator[Finding]:
    for resource in stack.resources.values():
        info = stateful_type(resource.type)
        if info is None:
            continue
        strength = _strength(resource.deletion_policy, info)
        rule = R.STACK_REMOVED_DELETED if strength == 0 else R.STACK_REMOVED_KEPT
        fate = (
            "deletes it and its data"
            if strength == 0
            else "keeps a final snapshot"
            if strength == 1
            else "leaves it behind, unmanaged"
        )
        yield _finding(
            rule,
            stack,
            resource,
            f"stack {stack.label} is no longer in the new assembly; deleting it {fate} "
            f"({resource.type} {resource.logical_id}, DeletionPolicy "
            f"{show(resource.deletion_policy) if resource.deletion_policy else 'Delete'}).",
        )


# -- changed in place ------------------------------------------------------------------


def replacement_changes(
    resource_type: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    changed_parameters: frozenset[str] = frozenset(),
) -> tuple[list[str], list[str]]:
    """The replacement-forcing property changes from ``before`` to ``after`` properties,
    as ``(replaced, maybe)`` descriptions (see :func:`._replacement.judge_replacement`,
    which also names the traps)."""
    judged = judge_replacement(resource_type, before, after, changed_parameters=changed_parameters)
    replaced = list(judged.replaced) + ([judged.snapshot] if judged.snapshot else [])
    return replaced, [*judged.maybe, *judged.parameterised]


def _changed(
    new: Stack,
    before: Resource,
    after: Resource,
    changed_params: frozenset[str],
    replaced_ids: set[str],
    flagged: set[str],
) -> Iterator[Finding]:
    info = stateful_type(before.type)
    if after.type != before.type:
        replaced_ids.add(after.logical_id)
        if info is not None or stateful_type(after.type) is not None:
            flagged.add(after.logical_id)
            yield _finding(
                R.REPLACED,
                new,
                after,
                f"{before.logical_id} changes type from {before.type} to {after.type}: "
                f"CloudFormation replaces it. {_replace_fate(before)}",
            )
        return
    judged = judge_replacement(
        before.type, before.properties, after.properties, changed_parameters=changed_params
    )
    if judged.replaces:
        # Even a stateless resource matters here: a stateful one that refers to it in a
        # replacement-forcing property (a DB subnet group, a KMS key) is replaced with it.
        replaced_ids.add(after.logical_id)
    if info is not None:
        if judged.any:
            flagged.add(after.logical_id)
        yield from _replacement_findings(new, before, after, judged)
        if after.condition is not None and after.condition != before.condition:
            yield _finding(
                R.MAY_BE_REMOVED,
                new,
                after,
                f"{after.type} {after.logical_id} now has Condition {after.condition!r}: "
                "when it is false, CloudFormation deletes the resource.",
            )
        yield from _weakened_policies(new, before, after, info)
        yield from _weakened_protections(new, before, after, info)
    if before.type == _BACKUP_VAULT:
        yield from _weakened_vault(new, before, after)
    elif before.type == _BACKUP_PLAN:
        yield from _weakened_retention(new, before, after)


def _references_to_replaced(
    new: Stack,
    new_bodies: Mapping[str, Any],
    kept: list[str],
    replaced_ids: set[str],
    flagged: set[str],
) -> Iterator[Finding]:
    """Stateful resources (of ``kept``, in both templates) whose create-only properties
    refer (Ref, Fn::GetAtt, Fn::Sub) to a resource this change replaces: the referenced
    value changes, so they may be replaced too, though their own text did not change."""
    for logical_id in kept:
        if logical_id in flagged:
            continue
        body = new_bodies[logical_id]
        kind = _type(body)
        info = replacement_info(kind)
        if info is None:
            continue
        props = body.get("Properties") or {}
        hits: list[str] = []
        for path in info.paths:
            value = props.get(path[0]) if len(path) == 1 else get_path(props, path)
            if not isinstance(value, dict | list):
                continue  # a literal refers to nothing
            targets = set(_referenced_ids(value)) & replaced_ids
            if targets:
                hits.append(f"{'/'.join(path)} refers to {', '.join(sorted(targets))}")
        if hits:
            resource = new.resources[logical_id]
            yield _finding(
                RR.REFERS_TO_REPLACED,
                new,
                resource,
                f"{kind} {logical_id} may be replaced: {'; '.join(hits)}, which this change "
                f"replaces, so the value changes. {_replace_fate(resource)}",
            )


def _replacement_findings(
    new: Stack, before: Resource, after: Resource, judged: ReplacementJudgement
) -> Iterator[Finding]:
    fate = _replace_fate(before)
    head = f"{after.type} {after.logical_id}"
    if judged.snapshot is not None:
        yield _finding(RR.SNAPSHOT_RESTORE, new, after, f"{head}: {judged.snapshot}. {fate}")
    if judged.replaced:
        yield _finding(
            R.REPLACED,
            new,
            after,
            f"{head} is replaced: {_plural('property', list(judged.replaced))} whose change "
            f"requires replacement changed ({'; '.join(judged.replaced)}). {fate}",
        )
        return
    if judged.parameterised:
        yield _finding(
            RR.PARAMETERISED,
            new,
            after,
            f"{head} may be replaced: {'; '.join(judged.parameterised)} (set at deploy "
            f"time; a value other than the literal replaces it). {fate}",
        )
    if judged.maybe and judged.snapshot is None:
        yield _finding(
            R.MAY_REPLACE, new, after, f"{head} may be replaced: {'; '.join(judged.maybe)}. {fate}"
        )


def _replace_fate(before: Resource) -> str:
    strength = _strength(before.update_replace_policy, stateful_type(before.type))
    if strength == 0:
        return (
            f"The old resource is deleted with its data (UpdateReplacePolicy "
            f"{before.update_replace_policy or 'Delete, the default'})."
        )
    if strength == 1:
        return "The old resource is deleted after a final snapshot."
    if strength == 2:
        return "The old resource is orphaned (UpdateReplacePolicy Retain); the new one is empty."
    return f"UpdateReplacePolicy {show(before.update_replace_policy)} cannot be evaluated."


def _weakened_policies(
    stack: Stack, before: Resource, after: Resource, info: StatefulType
) -> Iterator[Finding]:
    for rule, attr, name in (
        (R.WEAKENED_DELETION_POLICY, "deletion_policy", "DeletionPolicy"),
        (R.WEAKENED_UPDATE_REPLACE_POLICY, "update_replace_policy", "UpdateReplacePolicy"),
    ):
        a = getattr(before, attr)
        b = getattr(after, attr)
        if a == b:
            continue
        sa, sb = _strength(a, info), _strength(b, info)
        if sa is not None and sb is not None and sb >= sa:
            continue
        why = "" if sb is not None and sa is not None else " (cannot be evaluated)"
        yield _finding(
            rule,
            stack,
            after,
            f"{after.type} {after.logical_id}: {name} {a or 'Delete (default)'} -> "
            f"{show(b) if b else 'Delete (default)'}{why}.",
        )


def _weakened_protections(
    stack: Stack, before: Resource, after: Resource, info: StatefulType
) -> Iterator[Finding]:
    for rule, check, what in (
        (R.WEAKENED_DELETION_PROTECTION, info.deletion_protection, "deletion protection"),
        (R.WEAKENED_PITR, info.point_in_time_recovery, "point-in-time recovery"),
        (R.WEAKENED_VERSIONING, info.versioning, "versioning"),
    ):
        if check is None:
            continue
        was = _protection(before, check)
        now = _protection(after, check)
        if was is True and now is not True:
            state = "off" if now is False else "not evaluable"
            path = check.path.replace(".", "/")
            yield _finding(
                rule,
                stack,
                after,
                f"{after.type} {after.logical_id}: {what} goes from on to {state} "
                f"({path}: {show(_value(before, check))} -> {show(_value(after, check))}).",
            )


def _value(resource: Resource, check: PropertyCheck) -> Any:
    value = get_path(resource.properties, tuple(check.path.split(".")))
    return check.default if value is None else value


def _protection(resource: Resource, check: PropertyCheck) -> bool | None:
    """Whether the protection is on (``None``: it cannot be evaluated)."""
    value = _value(resource, check)
    values = value if isinstance(value, list) else [value]
    if not values:
        return False
    states = [_on(v, check) for v in values]
    if any(s is False for s in states):
        return False
    return None if any(s is None for s in states) else True


def _on(value: Any, check: PropertyCheck) -> bool | None:
    if value is None:
        return False
    if contains_intrinsic(value):
        return None
    if check.min is not None:
        try:
            return float(value) >= check.min
        except (TypeError, ValueError):
            return None
    if isinstance(check.on, bool):
        return str(value).lower() == str(check.on).lower()
    return bool(value == check.on)


# -- AWS Backup ------------------------------------------------------------------------


def _weakened_vault(stack: Stack, before: Resource, after: Resource) -> Iterator[Finding]:
    lost: list[str] = []
    lock_before = before.properties.get("LockConfiguration")
    lock_after = after.properties.get("LockConfiguration")
    if lock_before and not lock_after:
        lost.append("its LockConfiguration (vault lock) is removed")
    if _denies_delete(before.properties.get("AccessPolicy")) and not _denies_delete(
        after.properties.get("AccessPolicy")
    ):
        lost.append("its AccessPolicy no longer denies backup:DeleteRecoveryPoint")
    if lost:
        yield _finding(
            R.WEAKENED_VAULT,
            stack,
            after,
            f"backup vault {after.logical_id}: {' and '.join(lost)}.",
        )


def _denies_delete(policy: Any) -> bool:
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return False
    if not isinstance(policy, Mapping):
        return False
    statements = policy.get("Statement")
    if isinstance(statements, Mapping):
        statements = [statements]
    for statement in statements if isinstance(statements, list) else []:
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Deny":
            continue
        actions = statement.get("Action")
        actions = [actions] if isinstance(actions, str) else actions or []
        if any(isinstance(a, str) and a.lower() in _DELETE_ACTIONS for a in actions):
            return True
    return False


def _weakened_retention(stack: Stack, before: Resource, after: Resource) -> Iterator[Finding]:
    old_rules = _plan_rules(before)
    new_rules = _plan_rules(after)
    lowered: list[str] = []
    for name, days in old_rules.items():
        if name not in new_rules:
            lowered.append(f"rule {name} ({_days(days)}) removed")
        elif _lower(new_rules[name], days):
            lowered.append(f"rule {name}: {_days(days)} -> {_days(new_rules[name])}")
    if lowered:
        yield _finding(
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


class _Selection(Record):
    """What one backup selection covers: referenced logical ids, a wildcard ARN, tags."""

    __slots__ = ("refs", "wildcard", "tags")  # noqa: RUF023 (field order)
    refs: frozenset[str]
    wildcard: bool
    tags: tuple[tuple[str, Any], ...]

    def __init__(
        self, refs: frozenset[str], wildcard: bool, tags: tuple[tuple[str, Any], ...]
    ) -> None:
        set_field(self, "refs", refs)
        set_field(self, "wildcard", wildcard)
        set_field(self, "tags", tags)


def _selections(stack: Stack, ids: list[str]) -> list[_Selection]:
    out: list[_Selection] = []
    for selection_id in ids:
        selection = stack.resources.get(selection_id)
        body = selection.properties.get("BackupSelection") if selection is not None else None
        if not isinstance(body, dict):
            continue
        resources = body.get("Resources") or []
        out.append(
            _Selection(
                refs=frozenset(_referenced_ids(resources)),
                wildcard=any("*" in x for x in _strings(resources)),
                tags=tuple(_selection_tags(body)),
            )
        )
    return out


def _backup_coverage(
    old: Stack, new: Stack, scope: set[str] | None, selection_ids: list[str]
) -> Iterator[Finding]:
    old_selections = _selections(old, selection_ids)
    before = _covered(old, scope, old_selections)
    if not before:
        return
    if scope is None:  # the selections changed: read the new ones
        new_ids = [k for k, v in _bodies(new).items() if _type(v) == _BACKUP_SELECTION]
        new_selections = _selections(new, new_ids)
    else:  # unchanged selections: the old reading stands
        new_selections = old_selections
    after = _covered(new, scope, new_selections)
    for logical_id in sorted(before - after):
        resource = new.resources.get(logical_id)
        if resource is None:
            continue  # removed: reported as removed or renamed
        yield _finding(
            R.WEAKENED_BACKUP_SELECTION,
            new,
            resource,
            f"{resource.type} {logical_id} was covered by an AWS Backup selection in the "
            "old template and is covered by none in the new one.",
        )


def _covered(stack: Stack, scope: set[str] | None, selections: list[_Selection]) -> set[str]:
    """The logical ids of backup-capable resources (all, or those in ``scope``) that one
    of ``selections`` covers: by reference, by tag, or by a wildcard resource ARN."""
    ids = stack.resources.keys() if scope is None else scope & stack.resources.keys()
    candidates = {
        lid: r
        for lid in ids
        if (info := stateful_type((r := stack.resources[lid]).type)) is not None and info.aws_backup
    }
    covered: set[str] = set()
    for selection in selections:
        if selection.wildcard:
            return set(candidates)
        covered.update(selection.refs & candidates.keys())
        for lid, resource in candidates.items():
            if any(resource.tag(k) == v for k, v in selection.tags):
                covered.add(lid)
    return covered


def _selection_tags(body: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    for item in body.get("ListOfTags") or []:
        if isinstance(item, Mapping):
            yield str(item.get("ConditionKey")), item.get("ConditionValue")
    conditions = body.get("Conditions")
    if isinstance(conditions, Mapping):
        for item in conditions.get("StringEquals") or []:
            if isinstance(item, Mapping):
                key = str(item.get("ConditionKey", ""))
                yield key.removeprefix("aws:ResourceTag/"), item.get("ConditionValue")


def _referenced_ids(value: Any) -> Iterator[str]:
    # Templates are plain JSON: dict and list checks are much cheaper than ABC ones.
    if isinstance(value, dict):
        ref = value.get("Ref")
        if isinstance(ref, str):
            yield ref
        att = value.get("Fn::GetAtt")
        if isinstance(att, list) and att and isinstance(att[0], str):
            yield att[0]
        sub = value.get("Fn::Sub")
        text = sub[0] if isinstance(sub, list) and sub else sub
        if isinstance(text, str):
            for part in text.split("${")[1:]:
                yield part.split("}")[0].split(".")[0]
        for item in value.values():
            if isinstance(item, dict | list):
                yield from _referenced_ids(item)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                yield from _referenced_ids(item)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# -- findings --------------------------------------------------------------------------


def _finding(
    rule: RuleInfo,
    stack: Stack,
    resource: Resource,
    message: str,
    *,
    fix: str | None = None,
    template_path: str | None = None,
    label: str | None = None,
) -> Finding:
    return Finding(
        rule_id=rule.rule_id,
        severity=rule.severity,
        title=rule.title,
        message=message,
        fix=fix or rule.fix,
        stack=label or stack.label,
        template_path=template_path or stack.template_path,
        logical_id=resource.logical_id,
        resource_type=resource.type,
        construct_path=resource.construct_path,
    )


def _plural(word: str, items: list[str]) -> str:
    return word if len(items) == 1 else word.replace("y", "ies")
