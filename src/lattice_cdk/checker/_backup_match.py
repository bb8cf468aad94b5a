"""Whether one backup selection selects one resource, as AWS Backup evaluates it.

AWS Backup selects a resource when (any ``Resources`` ARN OR any ``ListOfTags``
condition) AND every ``Conditions`` condition, AND NOT any ``NotResources`` ARN; with
neither ``Resources`` nor ``ListOfTags`` it starts from every resource. Tag conditions
are case sensitive; ``StringNotEquals``/``StringNotLike`` match a resource without the
tag (IAM semantics). Every answer is three-valued: True, False, or None when the
template leaves it to deploy time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fnmatch import fnmatchcase
from functools import cache

from .._records import Record
from ..cfn._knowledge import StatefulType
from ..cfn._model import Resource, Stack
from ._values import ABSENT, UNKNOWN, get_path, is_intrinsic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._backup_plans import Plan

__all__ = [
    "ResourceTags",
    "Selection",
    "Target",
    "arn_matches",
    "flatten",
    "import_value",
    "literal",
    "resource_tags",
    "same_place",
    "selects",
    "short",
    "tag_key",
]

_TAG_PREFIX = "aws:ResourceTag/"
_PSEUDO_WILDCARDS = {"AWS::Partition", "AWS::Region", "AWS::AccountId", "AWS::URLSuffix"}


class Target(Record):
    #: "ref" (stack, logical id), "pattern" (an ARN or pattern) or "unknown".
    kind: str
    value: str
    #: For a "ref": the :attr:`~lattice_cdk.cfn.Stack.identity` of the stack it names.
    stack: str | None = None


class Selection(Record):
    stack: Stack
    logical_id: str
    name: str
    plan: Plan | None
    resources: tuple[Target, ...]
    list_of_tags: tuple[tuple[str, Any], ...]
    #: (operator, tag key, value) triples, all of which must hold.
    conditions: tuple[tuple[str, str, Any], ...]
    not_resources: tuple[Target, ...]
    #: Why part of this selection cannot be read (an intrinsic in its body).
    unreadable: str | None = None


def same_place(a: Stack, b: Stack) -> bool:
    """Whether two stacks may deploy to one account and region: False only when both
    say where and they differ (a template that does not say is taken as deployed
    beside the other, as a folder of plain templates usually is)."""
    here, there = a.place, b.place
    return here is None or there is None or here == there


def selects(
    selection: Selection,
    stack: Stack,
    resource: Resource,
    knowledge: StatefulType,
    tags: Mapping[str, Any],
    tags_known: bool,
) -> bool | None:
    # A selection works in its own account and region: one in us-east-1 never selects
    # a table in eu-west-1, whatever its tags.
    if selection.stack is not stack and not same_place(selection.stack, stack):
        return False
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
                tags[key] = value if type(value) is str else literal(value)
            else:
                known = False
    elif is_intrinsic(raw):
        return tags, False
    elif isinstance(raw, dict):
        for key, value in raw.items():
            tags[key] = literal(value)
    return tags, known


class ResourceTags:
    """:func:`resource_tags`, worked out once per resource for one check: backup
    coverage and restore-test coverage both ask for the same resources' tags."""

    __slots__ = ("_known",)

    def __init__(self) -> None:
        # id(resource) -> (resource, tags, known); the resource is kept so that its id
        # is never reused while the entry lives.
        self._known: dict[int, tuple[Resource, dict[str, Any], bool]] = {}

    def __call__(
        self, stack: Stack, resource: Resource, knowledge: StatefulType | None
    ) -> tuple[dict[str, Any], bool]:
        found = self._known.get(id(resource))
        if found is None or found[0] is not resource:
            tags, known = resource_tags(stack, resource, knowledge)
            found = self._known[id(resource)] = (resource, tags, known)
        return found[1], found[2]


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


def tag_key(key: str) -> str:
    return key[len(_TAG_PREFIX) :] if key.startswith(_TAG_PREFIX) else key


def literal(value: Any) -> Any:
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
    target: Target, stack: Stack, resource: Resource, knowledge: StatefulType
) -> bool | None:
    if target.kind == "ref":
        return target.stack == stack.identity and target.value == resource.logical_id
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


def import_value(item: Any) -> str | None:
    if isinstance(item, dict) and len(item) == 1 and "Fn::ImportValue" in item:
        name = item["Fn::ImportValue"]
        return name if isinstance(name, str) else None
    return None


def flatten(value: Any) -> str | None:
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
        parts = [flatten(i) for i in items]
        return None if None in parts else sep.join(p for p in parts if p is not None)
    if key == "Fn::Sub" and isinstance(inner, str):
        text = inner
        for pseudo in _PSEUDO_WILDCARDS:
            text = text.replace("${" + pseudo + "}", "*")
        return None if "${" in text else text
    return None


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
