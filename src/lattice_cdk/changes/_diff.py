"""``lattice diff``: what a change from one template (or assembly) to another does to
stateful data.

For every stateful resource: removed, renamed (a removed and an added resource of the
same type whose properties match), replaced (a create-only property changed, read from
the resource schemas), or weakened (a policy or protection made weaker); and whole
stacks removed. Safe changes (tags, added resources, updatable properties, stateless
resources) produce nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from .._config import ConfigAcknowledgement
from .._findings import Finding
from .._records import Record, set_field
from ..cfn import Assembly, Resource, Stack, stateful_type, stateful_types
from ..cfn._knowledge import StatefulType
from ..checker.judge import BackupIndex, policy_strength
from . import _replacement_rules as RR
from . import _rules as R
from ._change_finding import change_finding as _finding
from ._removed import removed as _removed
from ._removed import renamed as _renamed
from ._removed import stack_removed as _stack_removed
from ._renames import rename_candidates, stack_renames
from ._replacement import ReplacementJudgement, judge_replacement
from ._schemas import (
    get_path,
    replacement_info,
    show,
)
from ._stacks import StackPair, match_stacks
from ._weakened import coverage_lost
from ._weakened import weakened_policies as _weakened_policies
from ._weakened import weakened_protections as _weakened_protections
from ._weakened import weakened_retention as _weakened_retention
from ._weakened import weakened_vault as _weakened_vault

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

_BACKUP_PLAN = "AWS::Backup::BackupPlan"
_BACKUP_VAULT = "AWS::Backup::BackupVault"


def diff_assemblies(
    old: Assembly,
    new: Assembly,
    *,
    acknowledgements: Sequence[ConfigAcknowledgement] = (),
) -> list[Finding]:
    """Every destructive change from ``old`` to ``new``, stack by stack, and what of
    either was not checked: an input that was not read (LAT2904), an entry of a template
    that could not be evaluated (LAT2901, once for both sides).

    Findings are acknowledged as ``lattice check`` acknowledges them: by the
    ``lattice:acknowledgements`` Metadata of the resource in ``new``, by CDK's
    ``Validations.of(x).acknowledge(...)``, or by ``acknowledgements`` from
    ``lattice.toml`` / ``[tool.lattice]`` (default: none).
    """
    from ..checker._acks import apply_acknowledgements

    pairs, removed = match_stacks(old, new)
    backups = _Backups(BackupIndex.build(old), BackupIndex.build(new))
    findings: list[Finding] = []
    for pair in pairs:
        findings.extend(_diff_stacks(pair.old, pair.new, backups))
    for stack in removed:
        findings.extend(_stack_removed(stack))
    if not (old.complete and new.complete):
        from ..checker._engine import not_checked  # the engine only when needed

        findings.extend(not_checked(old, new))
    return apply_acknowledgements(findings, new, config=acknowledgements)


class _Backups(Record):
    """The backup selections of the old and the new assembly, indexed once, and whether
    any old selection changed or went (then every resource's coverage can differ)."""

    before: BackupIndex
    after: BackupIndex
    #: Computed from the two indexes (whatever is passed).
    changed: bool = False

    def __post_init__(self) -> None:
        new_bodies = {
            (s.stack.name, s.logical_id): _body(s.stack, s.logical_id)
            for s in self.after.selections
        }
        changed = any(
            new_bodies.get((s.stack.name, s.logical_id)) != _body(s.stack, s.logical_id)
            for s in self.before.selections
        )
        set_field(self, "changed", changed)


def _body(stack: Stack, logical_id: str) -> Any:
    return _bodies(stack).get(logical_id)


def diff_stacks(old: Stack, new: Stack) -> list[Finding]:
    """Every destructive change from the ``old`` template to the ``new`` one, without
    acknowledgements applied (:func:`diff_assemblies` applies them)."""
    backups = _Backups(
        BackupIndex.build(Assembly(old.template_path, (old,))),
        BackupIndex.build(Assembly(new.template_path, (new,))),
    )
    return list(_diff_stacks(old, new, backups))


def _diff_stacks(old: Stack, new: Stack, backups: _Backups) -> Iterator[Finding]:
    # Work on the raw template bodies and touch Resource records only for what changed:
    # in a typical diff almost every resource is untouched, and one dict comparison
    # settles it.
    old_bodies = _bodies(old)
    new_bodies = _bodies(new)
    changed_params = _changed_parameters(old, new)
    removed: list[Resource] = []
    touched: list[Resource] = []
    # Logical ids this change replaces (any type), and stateful ones already reported.
    replaced: set[str] = set()
    flagged: set[str] = set()
    kept: list[str] = []  # stateful logical ids in both templates
    stateful = stateful_types()  # one lookup table for the hot loop below
    for logical_id, body in old_bodies.items():
        kind = body["Type"]  # the loader guarantees a "Type" string
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
        renames = {before.logical_id: after for before, after in stack_renames(old, new)}
        for resource in removed:
            target = renames.get(resource.logical_id)
            if target is not None:
                yield _renamed(old, new, resource, target)
            else:
                yield _removed(old, resource, label=new.label)
    if backups.before.selections:
        scope = None if backups.changed else _coverage_scope(touched)
        if scope is None or scope:
            yield from coverage_lost(old, new, scope, backups.before, backups.after)


def _type(body: Any) -> str:
    # The loader guarantees a dict with a "Type" string for every resource.
    kind: str = body["Type"]
    return kind


def _coverage_scope(touched: list[Resource]) -> set[str]:
    """The resources whose backup coverage can shrink when no old backup selection
    changed: the changed ones a selection could cover (their tags or names changed).
    Coverage of an unchanged resource under unchanged selections cannot shrink; a
    selection that is only added can only widen it."""
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
    a snapshot, 2 keeps the resource; ``None`` when it is an intrinsic (the judgement
    core's :func:`~lattice_cdk.checker.judge.policy_strength`)."""
    return policy_strength(policy, info)


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


# -- findings --------------------------------------------------------------------------


def _plural(word: str, items: list[str]) -> str:
    return word if len(items) == 1 else word.replace("y", "ies")
