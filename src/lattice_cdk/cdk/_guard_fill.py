"""The guard's fill pass: what a stateful resource's environment requires, where unset.

Public aws-cdk-lib and jsii surface only. A property is filled through the L1's own
property setter (``CfnTable.deletion_protection_enabled = True``), never with
``add_property_override``: CloudFormation output merges the user's overrides *after*
the properties, so an override the user wrote (``add_property_override``,
``add_override``, ``add_deletion_override``) still wins, although no public API lets
the guard see it. Where the value is a list or a partly set struct (a ``TableV2``'s
lazily rendered replicas, a ``PointInTimeRecoverySpecification`` without its
``PointInTimeRecoveryEnabled``), the property is wrapped in an :class:`IResolvable`
that fills the absent leaves when CDK resolves the template, again before the
overrides are merged. A value only deploy time knows (a parameter, ``Fn::If``) is never
filled.

Speed: one ``node.find_all()`` per root stack, the CloudFormation type read from the
proxy's class (no round trip), and one property read (plus one write where absent) per
check on stateful resources only.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any, Final

import jsii
from aws_cdk import (
    CfnResource,
    ConstructSelector,
    IResolvable,
    IResolveContext,
    NestedStack,
    Stack,
    Stage,
    TagManager,
)
from constructs import IConstruct

from .._policy import StatefulnessPolicy
from .._records import Record
from ..cfn import Resource
from ..cfn._knowledge import PropertyCheck, StatefulType, stateful_types
from ..checker.judge import protection_state
from ._cfn_type import l1_type
from ._context import ENVIRONMENT_CONTEXT_KEY
from ._guard_acks import TERMINATION_PROTECTION_RULE, stack_acknowledges

__all__ = ["FillPlan", "Filled", "fill", "plan_for", "stages_and_stacks"]

# Python attribute names each L1 class has, read once per class.
_ATTRIBUTES: dict[type, frozenset[str]] = {}
#: The resource a nested stack is in its parent.
NESTED_STACK_TYPE: Final = "AWS::CloudFormation::Stack"
_CAPS: Final = re.compile(r"^[A-Z]+(?=[A-Z][a-z0-9]|$)")
_SNAKE: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class _Check(Record):
    """One property to fill: the L1 property (its jsii name and Python attribute), the
    rest of its path split on dots, and the value that turns it on."""

    name: str
    attribute: str
    rest: tuple[str, ...]
    value: Any


class _TypePlan(Record):
    """What the pass does to one stateful type."""

    checks: tuple[_Check, ...]
    #: The L1 property that, when set, makes the resource a cluster member.
    member: str | None
    enrol: bool


class FillPlan(Record):
    """What the pass does, decided once per guard from its policy."""

    types: dict[str, _TypePlan]
    environment: str
    termination_protection: bool
    backup_tag: tuple[str, str] | None

    @property
    def reads(self) -> bool:
        """Whether any resource needs visiting (in dev only the stacks do)."""
        return any(t.checks or t.enrol for t in self.types.values())


def plan_for(
    policy: StatefulnessPolicy, *, enrol: bool, termination_protection: bool, backup_tag: str
) -> FillPlan:
    """The plan for ``policy``: per stateful type, the checks it requires and enrolment."""
    types: dict[str, _TypePlan] = {}
    for known in stateful_types().values():
        if not known.holds_data:
            continue
        checks = _checks_for(known, policy)
        enrolled = enrol and known.aws_backup
        if not checks and not enrolled and known.cluster_member_property is None:
            continue
        member = known.cluster_member_property
        types[known.type] = _TypePlan(
            checks=tuple(_check(c) for c in checks),
            member=None if member is None else _camel(member),
            enrol=enrolled,
        )
    return FillPlan(
        types=types,
        environment=policy.environment,
        termination_protection=termination_protection,
        backup_tag=(backup_tag, policy.environment) if enrol else None,
    )


def _checks_for(known: StatefulType, policy: StatefulnessPolicy) -> tuple[PropertyCheck, ...]:
    wanted = (
        (known.deletion_protection, policy.deletion_protection),
        (known.point_in_time_recovery, policy.point_in_time_recovery),
        (known.versioning, policy.versioning),
    )
    # A check CloudFormation's default satisfies (RDS keeps a day of automated backups)
    # never needs filling, so it is not even read: the checker's judgement of "absent".
    return tuple(
        check
        for check, required in wanted
        if required
        and check is not None
        and protection_state(Resource("", known.type, {}), check) is not True
    )


def _check(check: PropertyCheck) -> _Check:
    head, *rest = check.path.split(".")
    name = _camel(head)
    value = check.on if check.on is not None else check.min
    return _Check(name=name, attribute=_snake(name), rest=tuple(rest), value=value)


def fill(scope: IConstruct, plan: FillPlan) -> tuple[list[str], dict[Stack, set[str]]]:
    """Fill what ``plan`` asks under ``scope``: the template files of the stacks visited,
    and the root stacks holding a resource to enrol (in order), with the types enrolled."""
    template_files: list[str] = []
    enrol: dict[Stack, set[str]] = {}
    units: list[tuple[Stack, Sequence[IConstruct]]] = []
    # Only the resources of the planned types (and nested stacks), selected in Node: a
    # few hundred proxies instead of every construct of the app.
    selector = ConstructSelector.resources_of_type(*plan.types, NESTED_STACK_TYPE)
    if isinstance(scope, Stage | Stack):
        for stack in _stacks_under(scope):
            _fill_stack(stack, plan, template_files)
            if not plan.reads:
                continue  # nested stacks: their parent's metadata
            selected = selector.select(stack)  # a root stack's include its nested stacks'
            if any(_type_of(type(node)) == NESTED_STACK_TYPE for node in selected):
                for node in stack.node.find_all():
                    if isinstance(node, Stack) and node is not stack:
                        _fill_stack(node, plan, template_files)
            units.append((stack, selected))
    elif plan.reads:
        units.append((_root_stack(Stack.of(scope)), selector.select(scope)))
    for root, nodes in units:
        for node in nodes:
            if not isinstance(node, CfnResource):
                continue
            rtype = _type_of(type(node))
            known = plan.types.get(rtype) if rtype is not None else None
            if rtype is not None and known is not None and _fill_resource(node, known, plan):
                enrol.setdefault(root, set()).add(rtype)
    return template_files, enrol


def _type_of(cls: type) -> str | None:
    """The CloudFormation type of an L1 class (:func:`~._cfn_type.l1_type`), noting the
    class's attributes the first time."""
    if cls not in _ATTRIBUTES:
        _ATTRIBUTES[cls] = frozenset(dir(cls))
    return l1_type(cls)


def _fill_resource(resource: CfnResource, known: _TypePlan, plan: FillPlan) -> bool:
    """Fill one stateful resource; True when it is enrolled."""
    attributes = _ATTRIBUTES[type(resource)]
    member = known.member
    if (
        member is not None
        and _snake(member) in attributes
        and jsii.get(resource, member) is not None
    ):
        return False  # an instance of a DB cluster: the cluster holds the data
    for check in known.checks:
        _fill_property(resource, attributes, check)
    if not known.enrol:
        return False
    if known.member is not None and plan.backup_tag is not None:
        # Not covered by the type-based Tags aspect (a cluster's members must not be).
        key, value = plan.backup_tag
        manager = TagManager.of(resource)  # either kind of taggable, in one round trip
        if manager is not None:
            manager.set_tag(key, value)
    return True


def _fill_property(resource: CfnResource, attributes: frozenset[str], check: _Check) -> None:
    name, rest = check.name, check.rest
    if check.attribute not in attributes:
        return  # this aws-cdk-lib's L1 has no such property: never filled
    # jsii's get/set: what the L1's typed property does, less its Python type check.
    current = jsii.get(resource, name)
    if current is None:
        if rest and rest[0] == "*":
            return  # no list, nothing to fill item by item
        jsii.set(resource, name, _nested(rest, check.value))
        return
    if not rest:
        return  # set (a value or a token)
    if isinstance(current, Filled):
        current.add(rest, check.value)  # a second check on the same property
        return
    if len(rest) == 1 and rest[0] != "*":
        part = rest[0]
        if isinstance(current, dict):
            leaf = current.get(_camel(part), current.get(part))
        else:  # a struct (a token has no such attribute)
            leaf = getattr(current, _snake(_camel(part)), None)
        if leaf is not None:
            return  # a struct that sets it
    filled = Filled(current)
    filled.add(rest, check.value)
    jsii.set(resource, name, filled)


def _nested(parts: Sequence[str], value: Any) -> Any:
    """``value`` under ``parts`` as the L1 takes it (camelCase keys)."""
    for part in reversed(parts):
        value = {_camel(part): value}
    return value


@jsii.implements(IResolvable)
class Filled:
    """A property value whose absent leaves are filled when CDK resolves it.

    Each fill is a path (``*`` walks a list) and a value. What the user set stays; an
    intrinsic or a value that is not a mapping is left alone.
    """

    def __init__(self, original: Any) -> None:
        self._original = original
        self._fills: list[tuple[tuple[str, ...], Any]] = []

    def add(self, parts: Sequence[str], value: Any) -> None:
        """Fill ``value`` at ``parts`` too (once: a second synth adds nothing)."""
        fill = (tuple(parts), value)
        if fill not in self._fills:
            self._fills.append(fill)

    @property
    def creation_stack(self) -> list[str]:
        return []

    def resolve(self, context: IResolveContext) -> Any:
        resolved = context.resolve(self._original)
        for parts, value in self._fills:
            _fill_absent(resolved, parts, value)
        return resolved

    def to_string(self) -> str:
        return "<lattice filled property>"


def _fill_absent(value: Any, parts: Sequence[str], fill_value: Any) -> None:
    if not parts:
        return
    part, rest = parts[0], parts[1:]
    if part == "*":
        for item in value if isinstance(value, list) else ():
            _fill_absent(item, rest, fill_value)
        return
    if not isinstance(value, dict) or any(k == "Ref" or k.startswith("Fn::") for k in value):
        return
    key = _camel(part)
    current = value.get(key, value.get(part))
    if current is None:
        value[key] = _nested(rest, fill_value)
    elif rest:
        _fill_absent(current, rest, fill_value)


def _fill_stack(stack: Stack, plan: FillPlan, template_files: list[str]) -> None:
    """The environment in the stack's template Metadata (what the checker reads), and
    termination protection on a root stack that needs it."""
    template_files.append(stack.template_file)
    options = stack.template_options
    # jsii.get/set on the options object: through its dynamic proxy, reading
    # ``.metadata`` costs two round trips and setting it three.
    metadata = dict(jsii.get(options, "metadata") or {})
    if ENVIRONMENT_CONTEXT_KEY in metadata:
        pass  # the app named it
    elif _includes_a_template(stack):
        # CfnInclude renders its template's Metadata itself, and CDK refuses to merge a
        # key the stack sets too (SectionAlreadyContains): an included template that
        # names its environment would fail the synth. The manifest's stack tag tells
        # the checker instead (and it wins over the template's Metadata).
        stack.tags.set_tag(ENVIRONMENT_CONTEXT_KEY, plan.environment)
    else:
        metadata[ENVIRONMENT_CONTEXT_KEY] = plan.environment
        jsii.set(options, "metadata", metadata)
    if isinstance(stack, NestedStack) or not plan.termination_protection:
        return  # termination protection belongs to the root stack
    if stack.termination_protection:
        return
    if stack_acknowledges(metadata, TERMINATION_PROTECTION_RULE):
        return
    stack.termination_protection = True


#: The child every ``CfnInclude`` keeps its template's mappings under: selecting it by id
#: finds the includes in Node, without a proxy for every construct of the stack.
_INCLUDE_CHILD = "$Mappings"
_INCLUDE_MODULE = "aws_cdk.cloudformation_include"


def _includes_a_template(stack: Stack) -> bool:
    """Whether ``stack`` holds a ``CfnInclude`` (directly, not in a nested stack)."""
    if _INCLUDE_MODULE not in sys.modules:
        # A Python app makes a CfnInclude only through that module: no import, no include,
        # and no search through every stack in Node (a tenth of the guard's time).
        return False
    from aws_cdk.cloudformation_include import CfnInclude

    return any(
        isinstance(child.node.scope, CfnInclude) and Stack.of(child) is stack
        for child in ConstructSelector.by_id(_INCLUDE_CHILD).select(stack)
    )


def _stacks_under(scope: IConstruct) -> list[Stack]:
    """The stacks directly under ``scope`` (through plain constructs, not into Stages)."""
    if isinstance(scope, Stack):
        return [scope]
    found: list[Stack] = []
    for child in scope.node.children:
        if isinstance(child, Stack):
            found.append(child)
        elif not isinstance(child, Stage):
            found.extend(_stacks_under(child))
    return found


def stages_and_stacks(scope: IConstruct) -> list[IConstruct]:
    """Every Stage and Stack below ``scope``, without walking into stacks."""
    found: list[IConstruct] = []
    if isinstance(scope, Stack):
        return found
    for child in scope.node.children:
        if isinstance(child, Stage | Stack):
            found.append(child)
        if not isinstance(child, Stack):
            found.extend(stages_and_stacks(child))
    return found


def _root_stack(stack: Stack) -> Stack:
    while isinstance(stack, NestedStack) and stack.nested_stack_parent is not None:
        stack = stack.nested_stack_parent
    return stack


def _camel(name: str) -> str:
    """CloudFormation name -> the L1's (jsii) name: ``DBClusterIdentifier`` ->
    ``dbClusterIdentifier``, ``PointInTimeRecoverySpecification`` ->
    ``pointInTimeRecoverySpecification``."""
    caps = _CAPS.match(name)
    if caps:
        return caps.group(0).lower() + name[caps.end() :]
    return name[:1].lower() + name[1:]


def _snake(name: str) -> str:
    """jsii name -> the Python attribute: ``dbClusterIdentifier`` -> ``db_cluster_identifier``."""
    return _SNAKE.sub("_", name).lower()
