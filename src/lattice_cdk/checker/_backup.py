"""Backup plans, vaults and selections across a whole assembly, and which stateful
resources they cover.

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

import re
from collections.abc import Mapping
from fnmatch import fnmatchcase
from functools import cache

from .._records import Record
from ..cfn._knowledge import StatefulType
from ..cfn._model import Assembly, Resource, Stack
from ._values import ABSENT, UNKNOWN, get_path, is_intrinsic, references

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BackupIndex", "Coverage", "Plan", "PlanRule", "Selection", "cadence"]

_TAG_PREFIX = "aws:ResourceTag/"
_PSEUDO_WILDCARDS = {"AWS::Partition", "AWS::Region", "AWS::AccountId", "AWS::URLSuffix"}
# Cadences from most to least frequent.
CADENCES = ("hourly", "daily", "weekly", "monthly", "yearly")


class PlanRule(Record):
    """One rule of a backup plan, as far as the template says."""

    name: str
    #: ``hourly``/``daily``/``weekly``/``monthly``/``yearly``, or None if unreadable.
    cadence: str | None
    schedule: Any
    #: Days kept; ``None`` means kept forever, ``UNKNOWN`` an intrinsic.
    retention: Any
    continuous: bool
    #: One entry per copy action: True when it copies to another region, None unknown.
    copies: tuple[bool | None, ...]


class Plan(Record):
    stack: Stack
    logical_id: str
    name: str
    rules: tuple[PlanRule, ...]
    #: Set when the plan's rules are not readable (an intrinsic stands for them).
    unreadable: str | None = None
    #: Cadences its rules run at, most frequent first, plus ``continuous``.
    tiers: tuple[str, ...] = ()
    #: Whether a rule copies to another region (None: a destination is unknown).
    cross_region: bool | None = False


def _plan(
    stack: Stack,
    logical_id: str,
    name: str,
    rules: tuple[PlanRule, ...],
    unreadable: str | None = None,
) -> Plan:
    found = {r.cadence for r in rules if r.cadence}
    tiers = [c for c in CADENCES if c in found]
    if any(r.continuous for r in rules):
        tiers.append("continuous")
    copies = [c for r in rules for c in r.copies]
    cross = True if True in copies else None if None in copies else False
    return Plan(stack, logical_id, name, rules, unreadable, tuple(tiers), cross)


class _Target(Record):
    #: "ref" (stack, logical id), "pattern" (an ARN or pattern) or "unknown".
    kind: str
    value: str
    stack: str | None = None


class Selection(Record):
    stack: Stack
    logical_id: str
    name: str
    plan: Plan | None
    resources: tuple[_Target, ...]
    list_of_tags: tuple[tuple[str, Any], ...]
    #: (operator, tag key, value) triples, all of which must hold.
    conditions: tuple[tuple[str, str, Any], ...]
    not_resources: tuple[_Target, ...]
    #: Why part of this selection cannot be read (an intrinsic in its body).
    unreadable: str | None = None


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


class Coverage:
    """Whether a resource is in some backup selection: True, False or None (unknown).

    Tag selections are often one per stack, each selecting every tagged resource of the
    account; a coverage keeps the groups of plans rather than listing them, so checking
    stays linear in resources and only the report pays for the names.
    """

    __slots__ = ("_sources", "covered", "undecided")

    def __init__(
        self,
        covered: bool | None,
        sources: tuple[_PlanSet, ...] = (),
        undecided: tuple[Selection, ...] = (),
    ) -> None:
        self.covered = covered
        self._sources = sources
        #: Selections that may or may not select it (what made ``covered`` None).
        self.undecided = undecided

    @property
    def plans(self) -> tuple[Plan, ...]:
        unique = {id(p): p for source in self._sources for p in source.plans}
        return tuple(unique.values())

    @property
    def tiers(self) -> list[str]:
        found = frozenset().union(*(source.tiers for source in self._sources))
        return [t for t in (*CADENCES, "continuous") if t in found]

    @property
    def cross_region(self) -> bool | None:
        flags = [source.cross_region for source in self._sources]
        if True in flags:
            return True
        return None if None in flags else False


class BackupIndex:
    """Every backup plan, vault and selection in an assembly, with lookups."""

    def __init__(self) -> None:
        self.plans: dict[tuple[str, str], Plan] = {}
        self.selections: list[Selection] = []
        self.exports: dict[str, tuple[str, Any]] = {}
        self._by_ref: dict[tuple[str, str], list[Selection]] = {}
        self._groups: dict[tuple[Any, ...], _Group] | None = None
        self._coverage: dict[tuple[str, str], Coverage] = {}
        self._singles: dict[int, _PlanSet] = {}
        # Group verdicts by (tags known, tags), when groups select by tags alone.
        self._by_tags_only = False
        self._by_tags: dict[
            tuple[bool, tuple[tuple[str, Any], ...]],
            tuple[tuple[_PlanSet, ...], tuple[Selection, ...]],
        ] = {}

    @classmethod
    def build(cls, assembly: Assembly) -> BackupIndex:
        index = cls()
        for stack in assembly.stacks:
            for output in _outputs(stack).values():
                export = output.get("Export") if isinstance(output, dict) else None
                export_name = export.get("Name") if isinstance(export, dict) else None
                if isinstance(export_name, str):
                    index.exports[export_name] = (stack.name, output.get("Value"))
        found: list[tuple[Stack, str]] = []
        for stack in assembly.stacks:
            by_type = stack.resources_by_type()
            for logical_id in by_type.get("AWS::Backup::BackupPlan", ()):
                index.plans[(stack.name, logical_id)] = _read_plan(
                    stack, stack.resources[logical_id]
                )
            for logical_id in by_type.get("AWS::Backup::BackupSelection", ()):
                found.append((stack, logical_id))
        # Selections after every plan: a selection names its plan by reference.
        for stack, logical_id in found:
            index.selections.append(index._read_selection(stack, stack.resources[logical_id]))
        return index

    def plan(self, stack: Stack, logical_id: str) -> Plan | None:
        return self.plans.get((stack.name, logical_id))

    def coverage(self, stack: Stack, resource: Resource, knowledge: StatefulType) -> Coverage:
        """Which plans select ``resource``; None-valued when a selection is undecided.

        Remembered per resource: the rule and the report ask the same question.
        """
        key = (stack.name, resource.logical_id)
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
        tags, tags_known = resource_tags(stack, resource, knowledge)
        sources: list[_PlanSet] = []
        undecided: list[Selection] = []
        for selection in self._by_ref.get((stack.name, resource.logical_id), ()):
            selected = _selects(selection, stack, resource, knowledge, tags, tags_known)
            if selected is True and selection.plan is not None:
                sources.append(self._single(selection.plan))
            elif selected is not False:
                undecided.append(selection)
        # When every group selects by tags alone, its verdicts depend on the tags only:
        # resources tagged alike (most of them) are judged once.
        key = (tags_known, tuple(tags.items())) if self._by_tags_only else None
        try:
            found = self._by_tags.get(key) if key is not None else None
        except TypeError:  # a tag value that cannot be hashed (an odd manifest)
            key = found = None
        if found is None:
            found = self._judge_groups(stack, resource, knowledge, tags, tags_known)
            if key is not None:
                self._by_tags[key] = found
        sources.extend(found[0])
        undecided.extend(found[1])
        if sources:
            return Coverage(True, tuple(sources))
        return Coverage(None if undecided else False, (), tuple(undecided))

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
            selected = _selects(group.first, stack, resource, knowledge, tags, tags_known)
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
        plan = next(
            (self.plans[(stack.name, r)] for r in plan_ref if (stack.name, r) in self.plans), None
        )
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
                tags.append((_tag_key(item["ConditionKey"]), _literal(item.get("ConditionValue"))))
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
                            _tag_key(item["ConditionKey"]),
                            _literal(item.get("ConditionValue")),
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
    ) -> tuple[_Target, ...]:
        if value is None:
            return ()
        if is_intrinsic(value) or not isinstance(value, list):
            unreadable.append(f"{what} is not a list of ARNs")
            return (_Target("unknown", f"{what} is {_short(value)}"),)
        return tuple(self._target(stack, item) for item in value)

    def _target(self, stack: Stack, item: Any) -> _Target:
        if isinstance(item, str):
            return _Target("pattern", item)
        imported = _import_value(item)
        if imported is not None:
            found = self.exports.get(imported)
            if found is None:
                return _Target("unknown", f"Fn::ImportValue {imported!r} (no such export here)")
            owner, value = found
            refs = [r for r in references(value) if r]
            if refs:
                return _Target("ref", refs[0], stack=owner)
            flat = _flatten(value)
            return _Target("pattern", flat) if flat else _Target("unknown", _short(value))
        refs = [r for r in references(item) if r in stack.resources]
        if refs:
            return _Target("ref", refs[0], stack=stack.name)
        flat = _flatten(item)
        if flat is not None:
            return _Target("pattern", flat)
        return _Target("unknown", _short(item))


def _selects(
    selection: Selection,
    stack: Stack,
    resource: Resource,
    knowledge: StatefulType,
    tags: Mapping[str, Any],
    tags_known: bool,
) -> bool | None:
    # Plain loops rather than _or(*generator): this runs for every backup-capable
    # resource against every group of selections, and most answers are False early.
    base: bool | None
    if not selection.resources and not selection.list_of_tags:
        base = None if selection.unreadable else True
    else:
        base = False
        for target in selection.resources:
            matched = _target_matches(target, stack, resource, knowledge)
            if matched is True:
                base = True
                break
            if matched is None:
                base = None
        if base is not True:
            for key, value in selection.list_of_tags:
                matched = _tag_equals(tags, tags_known, key, value)
                if matched is True:
                    base = True
                    break
                if matched is None:
                    base = None
    if base is False:
        return False
    conditions: bool | None = True
    for operator, key, value in selection.conditions:
        holds = _condition(operator, tags, tags_known, key, value)
        if holds is False:
            return False
        if holds is None:
            conditions = None
    # NOT any NotResources target: one that matches excludes it, an unknown one leaves
    # it undecided.
    excluded: bool | None = False
    for target in selection.not_resources:
        matched = _target_matches(target, stack, resource, knowledge)
        if matched is True:
            return False
        if matched is None:
            excluded = None
    if base is True and conditions is True and excluded is False:
        return None if selection.unreadable else True
    return None


def resource_tags(
    stack: Stack, resource: Resource, knowledge: StatefulType | None
) -> tuple[dict[str, Any], bool]:
    """The tags a resource will carry (its own, over the stack's), and whether all of
    them are known (an intrinsic tag list makes the set unknown)."""
    tags: dict[str, Any] = dict(stack.tags)
    prop = knowledge.tags_property if knowledge else "Tags"
    if prop == _REPLICA_TAGS:
        raw, known = _replica_tags(stack, resource.properties.get("Replicas"))
    else:
        raw, known = resource.properties.get(prop), True
    if isinstance(raw, list):  # the usual form (a list is never an intrinsic)
        for item in raw:
            key = item.get("Key") if isinstance(item, dict) else None
            if isinstance(key, str):
                value = item.get("Value")
                tags[key] = value if type(value) is str else _literal(value)
            else:
                known = False
    elif is_intrinsic(raw):
        return tags, False
    elif isinstance(raw, dict):
        for key, value in raw.items():
            tags[key] = _literal(value)
    return tags, known


#: A global table's tags: each replica carries its own.
_REPLICA_TAGS = "Replicas.*.Tags"
_STACK_REGION = {"Ref": "AWS::Region"}


def _replica_tags(stack: Stack, replicas: Any) -> tuple[Any, bool]:
    """The tags list of the replica a backup plan in ``stack``'s region sees, and whether
    that replica is known. AWS Backup selects the table in its own region: the replica
    whose ``Region`` is the stack's (a literal equal to the manifest's region, or
    ``Ref AWS::Region``; a lone replica is it, as CloudFormation requires the stack's
    region among the replicas). When no replica can be told to be that one, only the tags
    every replica carries are certain, and the set is marked incomplete (a condition on
    any other tag cannot be evaluated)."""
    if is_intrinsic(replicas):
        return replicas, False
    if not isinstance(replicas, list):
        return None, True
    entries = [replica for replica in replicas if isinstance(replica, dict)]
    if len(replicas) == 1 and entries:  # CloudFormation requires the stack's region
        return entries[0].get("Tags"), True
    for replica in entries:
        region = replica.get("Region")
        if region == _STACK_REGION or (stack.region is not None and region == stack.region):
            return replica.get("Tags"), True
    common: list[Any] | None = None
    for replica in entries:
        raw = replica.get("Tags")
        items = raw if isinstance(raw, list) else []
        common = items if common is None else [item for item in common if item in items]
    return common or [], False


def _tag_key(key: str) -> str:
    return key[len(_TAG_PREFIX) :] if key.startswith(_TAG_PREFIX) else key


def _literal(value: Any) -> Any:
    if type(value) is str:  # the common case, and what str(value) would give
        return value
    return UNKNOWN if is_intrinsic(value) or not isinstance(value, str | int | bool) else str(value)


def _tag_equals(tags: Mapping[str, Any], known: bool, key: str, value: Any) -> bool | None:
    return _condition("StringEquals", tags, known, key, value)


@cache
def _like(pattern: str) -> re.Pattern[str]:
    # AWS Backup's StringLike knows only "*" (any run of characters).
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


def _condition(
    operator: str, tags: Mapping[str, Any], known: bool, key: str, value: Any
) -> bool | None:
    if value is UNKNOWN:
        return None
    if key not in tags:
        if not known:
            return None
        return operator in ("StringNotEquals", "StringNotLike")
    actual = tags[key]
    if actual is UNKNOWN:
        return None
    if operator == "StringEquals":
        return bool(actual == value)
    if operator == "StringNotEquals":
        return bool(actual != value)
    if operator == "StringLike":
        return _like(str(value)).fullmatch(str(actual)) is not None
    if operator == "StringNotLike":
        return _like(str(value)).fullmatch(str(actual)) is None
    return None  # an operator AWS Backup does not document: do not guess


def _target_matches(
    target: _Target, stack: Stack, resource: Resource, knowledge: StatefulType
) -> bool | None:
    if target.kind == "ref":
        return target.stack == stack.name and target.value == resource.logical_id
    if target.kind == "unknown":
        return None
    return arn_matches(target.value, stack, resource, knowledge)


def arn_matches(
    pattern: str, stack: Stack, resource: Resource, knowledge: StatefulType
) -> bool | None:
    """Whether ARN ``pattern`` (``*`` wildcards) selects ``resource``.

    Partition, region and account are taken as the stack's own (a selection works in
    its own account and region). A physical name CloudFormation generates, or gives as
    an intrinsic, matches only a pattern that is a wildcard there; otherwise the answer
    is None.
    """
    if pattern == "*":
        return True
    parts = pattern.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or knowledge.arn is None:
        return None  # not an ARN shape Lattice can compare: do not guess
    service, template = knowledge.arn.split("|", 1)
    if not fnmatchcase(service, parts[2]):
        return False
    wanted = parts[5]
    names = re.findall(r"\{(\w*)\}", template)
    values = {n: get_path(resource.properties, n) if n else ABSENT for n in names}
    if all(isinstance(v, str) for v in values.values()):
        filled = template
        for n, v in values.items():
            filled = filled.replace("{" + n + "}", str(v))
        return fnmatchcase(filled, wanted)
    # Some part of the name is not known: only a wildcard there can be sure.
    marker = re.sub(r"\{\w*\}", "\x00", template)
    if fnmatchcase(marker, wanted):
        return True
    prefix = template.split("{", 1)[0]
    literal = re.split(r"[*?\[]", wanted, maxsplit=1)[0]
    if not (literal.startswith(prefix) or prefix.startswith(literal)):
        return False
    return None


def _import_value(item: Any) -> str | None:
    if isinstance(item, dict) and len(item) == 1 and "Fn::ImportValue" in item:
        name = item["Fn::ImportValue"]
        return name if isinstance(name, str) else None
    return None


def _flatten(value: Any) -> str | None:
    """A Join/Sub of literals and pseudo parameters as a pattern (pseudo -> ``*``)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        return None
    key, inner = next(iter(value.items()))
    if key == "Ref" and inner in _PSEUDO_WILDCARDS:
        return "*"
    if key == "Fn::Join" and isinstance(inner, list) and len(inner) == 2:
        sep, items = inner
        if not isinstance(sep, str) or not isinstance(items, list):
            return None
        parts = [_flatten(i) for i in items]
        return None if None in parts else sep.join(p for p in parts if p is not None)
    if key == "Fn::Sub" and isinstance(inner, str):
        text = inner
        for pseudo in _PSEUDO_WILDCARDS:
            text = text.replace("${" + pseudo + "}", "*")
        return None if "${" in text else text
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _outputs(stack: Stack) -> Mapping[str, Any]:
    outputs = stack.template.get("Outputs")
    return outputs if isinstance(outputs, dict) else {}


# -- plans ------------------------------------------------------------------------------


def _read_plan(stack: Stack, resource: Resource) -> Plan:
    body = resource.properties.get("BackupPlan")
    if not isinstance(body, dict):
        return _plan(
            stack, resource.logical_id, resource.logical_id, (), "BackupPlan is unreadable"
        )
    name = body.get("BackupPlanName")
    raw_rules = body.get("BackupPlanRule")
    if not isinstance(raw_rules, list):
        return _plan(
            stack,
            resource.logical_id,
            name if isinstance(name, str) else resource.logical_id,
            (),
            "BackupPlanRule is not a list",
        )
    rules = tuple(_read_rule(stack, r, i) for i, r in enumerate(raw_rules))
    return _plan(
        stack, resource.logical_id, name if isinstance(name, str) else resource.logical_id, rules
    )


def _read_rule(stack: Stack, raw: Any, position: int) -> PlanRule:
    if not isinstance(raw, dict):
        return PlanRule(f"rule {position + 1}", None, UNKNOWN, UNKNOWN, False, ())
    name = raw.get("RuleName")
    schedule = raw.get("ScheduleExpression", ABSENT)
    retention = get_path(raw, "Lifecycle.DeleteAfterDays")
    if retention is ABSENT:
        retention = None  # kept until deleted by hand
    elif not isinstance(retention, int) or isinstance(retention, bool):
        retention = _int_or_unknown(retention)
    continuous = raw.get("EnableContinuousBackup") in (True, "true", "True")
    copies = raw.get("CopyActions")
    copy_flags: tuple[bool | None, ...] = ()
    if isinstance(copies, list):
        copy_flags = tuple(
            _cross_region(
                stack, c.get("DestinationBackupVaultArn") if isinstance(c, dict) else None
            )
            for c in copies
        )
    elif copies is not None:
        copy_flags = (None,)
    return PlanRule(
        name=name if isinstance(name, str) else f"rule {position + 1}",
        cadence=cadence(schedule),
        schedule=schedule,
        retention=retention,
        continuous=continuous,
        copies=copy_flags,
    )


def _int_or_unknown(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return UNKNOWN


def _cross_region(stack: Stack, destination: Any) -> bool | None:
    """Whether a copy goes to another region: a literal region that is not the stack's."""
    if destination is None:
        return None
    if isinstance(destination, dict) and len(destination) == 1:
        key = next(iter(destination))
        if key in ("Ref", "Fn::GetAtt") and any(
            r in stack.resources for r in references(destination)
        ):
            return False  # a vault of this stack: same region
    flat = _flatten(destination)
    if flat is None:
        return None
    parts = flat.split(":")
    if len(parts) < 4 or parts[0] != "arn":
        return None
    region = parts[3]
    if region == "*" or not region:
        return False if region == "*" else None  # ${AWS::Region}: the stack's own region
    return region != stack.region


_CRON = re.compile(r"^\s*cron\((.*)\)\s*$")
_RATE = re.compile(r"^\s*rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)\s*$")


def cadence(schedule: Any) -> str | None:
    """How often a schedule expression runs: hourly, daily, weekly, monthly or yearly.

    An absent expression is AWS Backup's default (daily); an intrinsic is None.
    """
    if schedule is ABSENT:
        return "daily"
    if not isinstance(schedule, str):
        return None
    return _cadence_of(schedule)


@cache  # plans repeat a handful of schedule expressions
def _cadence_of(schedule: str) -> str | None:
    rate = _RATE.match(schedule)
    if rate:
        number, unit = int(rate.group(1)), rate.group(2)
        if unit.startswith(("minute", "hour")):
            return "hourly" if number < 24 * (60 if unit.startswith("minute") else 1) else "daily"
        if number < 7:
            return "daily"
        return "weekly" if number < 28 else "monthly" if number < 365 else "yearly"
    cron = _CRON.match(schedule)
    if not cron:
        return None
    fields = cron.group(1).split()
    if len(fields) != 6:
        return None
    _minute, hour, day_of_month, month, day_of_week, _year = fields
    if any(c in hour for c in "*/,-"):
        return "hourly"
    if day_of_month not in ("*", "?") and not any(c in day_of_month for c in "/,-"):
        return "monthly" if month in ("*", "?") or "/" in month or "," in month else "yearly"
    if day_of_week not in ("*", "?") and not any(c in day_of_week for c in ",-"):
        return "weekly"
    return "daily"
