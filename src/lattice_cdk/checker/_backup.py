"""Backup plans and selections across a whole assembly, and which stateful resources
they cover: the one backup-coverage model every door uses (through
:mod:`lattice_cdk.checker.judge`). How one selection matches one resource is
:mod:`._backup_match`; what a plan says is :mod:`._backup_plans`.

AWS Backup selects a resource when (any ``Resources`` ARN OR any ``ListOfTags``
condition) AND every ``Conditions`` condition, AND NOT any ``NotResources`` ARN; with
neither ``Resources`` nor ``ListOfTags`` it starts from every resource. Tag conditions
are case sensitive; ``StringNotEquals``/``StringNotLike`` match a resource without the
tag (IAM semantics). A selection may name a resource by a literal ARN or pattern, by a
reference (``Ref``/``Fn::GetAtt``/``Fn::Join``/``Fn::Sub``, ``Fn::ImportValue`` of
another stack's export), or by tags. Every answer is three-valued: True, False, or
None when the template leaves it to deploy time, which the rules report.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._records import Record, set_field
from ..cfn._knowledge import StatefulType
from ..cfn._model import Assembly, Resource, Stack
from ._backup_match import (
    ResourceTags,
    Selection,
    Target,
    flatten,
    import_value,
    literal,
    same_place,
    selects,
    short,
    tag_key,
)
from ._backup_plans import CADENCES, Plan, PlanRule, cadence, read_plan
from ._recovery import RecoveryIndex
from ._values import is_intrinsic, references

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

__all__ = ["BackupIndex", "Coverage", "Plan", "PlanRule", "Selection", "cadence"]


class _PlanSet(Record):
    """Plans that select the same resources, with their tiers and copies summed up once."""

    plans: tuple[Plan, ...]
    tiers: frozenset[str]
    cross_region: bool | None


def _plan_set(plans: tuple[Plan, ...]) -> _PlanSet:
    flags = [p.cross_region for p in plans]
    cross = True if True in flags else None if None in flags else False
    return _PlanSet(plans, frozenset(t for p in plans for t in p.tiers), cross)


class _Group(Record):
    """Selections with the same resources and conditions (one per stack, say)."""

    first: Selection
    members: tuple[Selection, ...]
    plan_set: _PlanSet
    planless: tuple[Selection, ...]


class Coverage(Record):
    """Whether a resource is in some backup selection: True, False or None (unknown).

    Tag selections are often one per stack, each selecting every tagged resource of the
    account; a coverage keeps the groups of plans (``sources``) rather than listing
    them, so checking stays linear in resources and only the report pays for the names.
    """

    covered: bool | None
    sources: tuple[_PlanSet, ...] = ()
    #: Selections that may or may not select it (what made ``covered`` None).
    undecided: tuple[Selection, ...] = ()

    # Resources tagged alike share one Coverage: the report asks each for its plans.
    __memo_slots__ = ("_plans",)
    if TYPE_CHECKING:
        _plans: ClassVar[tuple[Plan, ...]]

    @property
    def plans(self) -> tuple[Plan, ...]:
        try:
            return self._plans
        except AttributeError:
            pass
        unique = {id(p): p for source in self.sources for p in source.plans}
        plans = tuple(unique.values())
        set_field(self, "_plans", plans)
        return plans

    @property
    def tiers(self) -> list[str]:
        found = frozenset().union(*(source.tiers for source in self.sources))
        return [t for t in (*CADENCES, "continuous") if t in found]

    @property
    def cross_region(self) -> bool | None:
        flags = [source.cross_region for source in self.sources]
        if True in flags:
            return True
        return None if None in flags else False


class BackupIndex:
    """Every backup plan, vault and selection in an assembly, with lookups. Stacks are
    keyed by :attr:`~lattice_cdk.cfn.Stack.identity`: two stacks of one name in two
    regions are two stacks, and a selection covers only its own account and region."""

    def __init__(self) -> None:
        self.plans: dict[tuple[str, str], Plan] = {}
        self.selections: list[Selection] = []
        #: Export name -> every (stack, value) exporting it (exports are per account
        #: and region, so two regions may export one name).
        self.exports: dict[str, list[tuple[Stack, Any]]] = {}
        #: Restore testing and air-gapped copies (``lattice_cdk.checker._recovery``).
        #: Each resource's tags, shared with :attr:`recovery`.
        self.tags = ResourceTags()
        self.recovery = RecoveryIndex(None, self.tags)
        self._by_ref: dict[tuple[str, str], list[Selection]] = {}
        self._groups: dict[tuple[Any, ...], _Group] | None = None
        self._coverage: dict[tuple[str, str], Coverage] = {}
        self._singles: dict[int, _PlanSet] = {}
        # Group verdicts by (tags known, tags), when groups select by tags alone.
        self._by_tags_only = False
        #: Coverage by (where, tags known, tags) of resources no selection names.
        self._shared: dict[Any, Coverage] = {}
        self._by_tags: dict[
            tuple[tuple[str, str] | None, bool, tuple[tuple[str, Any], ...]],
            tuple[tuple[_PlanSet, ...], tuple[Selection, ...]],
        ] = {}

    @classmethod
    def build(cls, assembly: Assembly) -> BackupIndex:
        index = cls()
        index.recovery = RecoveryIndex(assembly, index.tags)
        for stack in assembly.stacks:
            for output in _outputs(stack).values():
                export = output.get("Export") if isinstance(output, dict) else None
                export_name = export.get("Name") if isinstance(export, dict) else None
                if isinstance(export_name, str):
                    index.exports.setdefault(export_name, []).append((stack, output.get("Value")))
        found: list[tuple[Stack, str]] = []
        for stack in assembly.stacks:
            by_type = stack.resources_by_type()
            for logical_id in by_type.get("AWS::Backup::BackupPlan", ()):
                index.plans[(stack.identity, logical_id)] = read_plan(
                    stack, stack.resources[logical_id]
                )
            for logical_id in by_type.get("AWS::Backup::BackupSelection", ()):
                found.append((stack, logical_id))
        # Selections after every plan: a selection names its plan by reference.
        for stack, logical_id in found:
            index.selections.append(index._read_selection(stack, stack.resources[logical_id]))
        return index

    def plan(self, stack: Stack, logical_id: str) -> Plan | None:
        return self.plans.get((stack.identity, logical_id))

    def coverage(self, stack: Stack, resource: Resource, knowledge: StatefulType) -> Coverage:
        """Which plans select ``resource``; None-valued when a selection is undecided.

        Remembered per resource: the rule and the report ask the same question.
        """
        key = (stack.identity, resource.logical_id)
        known = self._coverage.get(key)
        if known is not None:
            return known
        if self._groups is None:
            self._prepare()
        assert self._groups is not None
        known = self._coverage[key] = self._compute(stack, resource, knowledge)
        return known

    def _compute(self, stack: Stack, resource: Resource, knowledge: StatefulType) -> Coverage:
        assert self._groups is not None
        tags, tags_known = self.tags(stack, resource, knowledge)
        by_ref = self._by_ref.get((stack.identity, resource.logical_id))
        # When every group selects by tags alone, its verdicts depend on the tags (and
        # where the stack deploys) only: resources tagged alike are judged once, and
        # share one coverage when no selection names them.
        key = None
        if self._by_tags_only:
            key = _hashable((stack.place, tags_known, tuple(tags.items())))
        if key is not None and by_ref is None:
            known = self._shared.get(key)
            if known is not None:
                return known
        sources: list[_PlanSet] = []
        undecided: list[Selection] = []
        for selection in by_ref or ():
            selected = selects(selection, stack, resource, knowledge, tags, tags_known)
            if selected is True and selection.plan is not None:
                sources.append(self._single(selection.plan))
            elif selected is not False:
                undecided.append(selection)
        found = self._by_tags.get(key) if key is not None else None
        if found is None:
            found = self._judge_groups(stack, resource, knowledge, tags, tags_known)
            if key is not None:
                self._by_tags[key] = found
        sources.extend(found[0])
        undecided.extend(found[1])
        if sources:
            coverage = Coverage(True, tuple(sources))
        else:
            coverage = Coverage(None if undecided else False, (), tuple(undecided))
        if key is not None and by_ref is None:
            self._shared[key] = coverage
        return coverage

    def _judge_groups(
        self,
        stack: Stack,
        resource: Resource,
        knowledge: StatefulType,
        tags: Mapping[str, Any],
        tags_known: bool,
    ) -> tuple[tuple[_PlanSet, ...], tuple[Selection, ...]]:
        """The plan sets of the groups that select ``resource``, and the selections that
        leave it undecided."""
        assert self._groups is not None
        sources: list[_PlanSet] = []
        undecided: list[Selection] = []
        # Selections that differ only in their plan are judged once per group.
        for group in self._groups.values():
            selected = selects(group.first, stack, resource, knowledge, tags, tags_known)
            if selected is True and group.plan_set.plans:
                sources.append(group.plan_set)
            elif selected is True:
                undecided.extend(group.planless)
            elif selected is None:
                undecided.extend(group.members)
        return tuple(sources), tuple(undecided)

    def _single(self, plan: Plan) -> _PlanSet:
        found = self._singles.get(id(plan))
        if found is None:
            found = self._singles[id(plan)] = _plan_set((plan,))
        return found

    def _prepare(self) -> None:
        by_ref: dict[tuple[str, str], list[Selection]] = {}
        members: dict[tuple[Any, ...], list[Selection]] = {}
        for selection in self.selections:
            refs = selection.resources
            if (
                refs
                and all(t.kind == "ref" for t in refs)
                and not selection.list_of_tags
                and not selection.unreadable
            ):
                for target in refs:
                    by_ref.setdefault((target.stack or "", target.value), []).append(selection)
                continue
            signature = (
                selection.stack.place,
                selection.resources,
                selection.list_of_tags,
                selection.conditions,
                selection.not_resources,
                selection.unreadable,
            )
            members.setdefault(signature, []).append(selection)
        self._by_ref = by_ref
        self._by_tags_only = all(
            not first.resources and not first.not_resources
            for first in (group[0] for group in members.values())
        )
        self._groups = {
            signature: _Group(
                first=group[0],
                members=tuple(group),
                plan_set=_plan_set(
                    tuple({id(s.plan): s.plan for s in group if s.plan is not None}.values())
                ),
                planless=tuple(s for s in group if s.plan is None),
            )
            for signature, group in members.items()
        }

    # -- reading selections -----------------------------------------------------------

    def _read_selection(self, stack: Stack, resource: Resource) -> Selection:
        props = resource.properties
        body = props.get("BackupSelection")
        plan_ref = references(props.get("BackupPlanId"))
        plans = (self.plans.get((stack.identity, r)) for r in plan_ref)
        plan = next((p for p in plans if p is not None), None)
        if not isinstance(body, dict):
            return Selection(
                stack,
                resource.logical_id,
                resource.logical_id,
                plan,
                (),
                (),
                (),
                (),
                unreadable="its BackupSelection is not a mapping",
            )
        unreadable: list[str] = []
        name = body.get("SelectionName")
        resources = self._targets(stack, body.get("Resources"), "Resources", unreadable)
        not_resources = self._targets(stack, body.get("NotResources"), "NotResources", unreadable)
        tags: list[tuple[str, Any]] = []
        raw_tags = body.get("ListOfTags")
        if is_intrinsic(raw_tags):
            unreadable.append("ListOfTags is an intrinsic")
        elif isinstance(raw_tags, list):
            for item in raw_tags:
                if not isinstance(item, dict) or not isinstance(item.get("ConditionKey"), str):
                    unreadable.append("a ListOfTags entry has no ConditionKey string")
                    continue
                tags.append((tag_key(item["ConditionKey"]), literal(item.get("ConditionValue"))))
        conditions: list[tuple[str, str, Any]] = []
        raw_conditions = body.get("Conditions")
        if is_intrinsic(raw_conditions):
            unreadable.append("Conditions is an intrinsic")
        elif isinstance(raw_conditions, dict):
            for operator, entries in raw_conditions.items():
                if not isinstance(entries, list):
                    unreadable.append(f"Conditions.{operator} is not a list")
                    continue
                for item in entries:
                    if not isinstance(item, dict) or not isinstance(item.get("ConditionKey"), str):
                        unreadable.append(f"a Conditions.{operator} entry has no ConditionKey")
                        continue
                    conditions.append(
                        (
                            operator,
                            tag_key(item["ConditionKey"]),
                            literal(item.get("ConditionValue")),
                        )
                    )
        return Selection(
            stack=stack,
            logical_id=resource.logical_id,
            name=name if isinstance(name, str) else resource.logical_id,
            plan=plan,
            resources=resources,
            list_of_tags=tuple(tags),
            conditions=tuple(conditions),
            not_resources=not_resources,
            unreadable="; ".join(unreadable) or None,
        )

    def _targets(
        self, stack: Stack, value: Any, what: str, unreadable: list[str]
    ) -> tuple[Target, ...]:
        if value is None:
            return ()
        if is_intrinsic(value) or not isinstance(value, list):
            unreadable.append(f"{what} is not a list of ARNs")
            return (Target("unknown", f"{what} is {short(value)}"),)
        return tuple(self._target(stack, item) for item in value)

    def _target(self, stack: Stack, item: Any) -> Target:
        if isinstance(item, str):
            return Target("pattern", item)
        imported = import_value(item)
        if imported is not None:
            exporters = self.exports.get(imported, ())
            found = next((e for e in exporters if same_place(e[0], stack)), None)
            if found is None:
                return Target("unknown", f"Fn::ImportValue {imported!r} (no such export here)")
            owner, value = found
            refs = [r for r in references(value) if r]
            if refs:
                return Target("ref", refs[0], stack=owner.identity)
            flat = flatten(value)
            return Target("pattern", flat) if flat else Target("unknown", short(value))
        refs = [r for r in references(item) if r in stack.resources]
        if refs:
            return Target("ref", refs[0], stack=stack.identity)
        flat = flatten(item)
        if flat is not None:
            return Target("pattern", flat)
        return Target("unknown", short(item))


def _hashable(key: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """``key``, or None when a tag value in it cannot be hashed (an odd manifest)."""
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _outputs(stack: Stack) -> Mapping[str, Any]:
    outputs = stack.template.get("Outputs")
    return outputs if isinstance(outputs, dict) else {}
