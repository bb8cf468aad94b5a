"""Helpers the rules share: wording the judgements of :mod:`..judge` and naming the
environment. Judgements themselves live in the judge, never here."""

from __future__ import annotations

from collections.abc import Iterable

from ...cfn._knowledge import PropertyCheck, stateful_types
from ...cfn._model import Resource, Stack
from .._rule import Hit, StackContext
from .._values import describe, get_path
from ..judge import Fate, protection_state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "FATE_WORDS",
    "env_label",
    "holds_stateful_data",
    "policy_name",
    "property_protection_hits",
]


def env_label(ctx: StackContext) -> str:
    env = ctx.environment
    tier = f" (tier {env.tier.value})" if env.name != env.tier.value else ""
    return f"environment '{env.name}'{tier}"


def policy_name(value: Any) -> str:
    return "not set" if value is None else str(value)


def property_protection_hits(
    resource: Resource,
    prop: PropertyCheck,
    ctx: StackContext,
    *,
    protection: str,
    requirement: str,
    cdk_hint: str = "",
) -> Iterable[Hit]:
    """The hit for a protection the stateful-type table locates at ``prop`` (deletion
    protection, point-in-time recovery, versioning): none when it is on, "cannot
    evaluate" when the value is an intrinsic, else "off" naming the property and what
    the environment requires (``requirement``, after its label: ``requires it``)."""
    state = protection_state(resource, prop)
    if state is True:
        return ()
    value = describe(get_path(resource.properties, prop.path))
    where = f"{resource.type} {resource.logical_id}"
    if state is None:
        return (
            Hit(
                f"{where}: {prop.path} is {value}; whether {protection} is on is decided "
                "only at deploy time.",
                cannot_evaluate=True,
            ),
        )
    want = f"at least {prop.min}" if prop.min is not None else repr(prop.on)
    return (
        Hit(
            f"{where}: {protection} is off ({prop.path} is {value}), and {env_label(ctx)} "
            f"{requirement}.",
            fix=f"Set {prop.path} to {want}{cdk_hint}.",
        ),
    )


#: What happens to the data, worded for a message: "... and <words>".
FATE_WORDS: dict[Fate, str] = {
    Fate.DELETED: "CloudFormation deletes it and its data",
    Fate.EMPTIED: "the auto-delete-objects custom resource {auto} first deletes every "
    "object, then CloudFormation deletes the bucket",
    Fate.FAILS_IF_NOT_EMPTY: "CloudFormation's delete fails while the bucket holds objects "
    "(it is left behind, unmanaged) and succeeds once it is emptied",
}


def holds_stateful_data(stack: Stack) -> bool:
    """Whether ``stack`` holds a resource whose data can be lost: a stateful type that
    holds data, or a nested stack (its resources are deleted with it)."""
    known = stateful_types()
    for rtype in stack.resources_by_type():
        kind = known.get(rtype)
        if kind is not None and (kind.holds_data or rtype == "AWS::CloudFormation::Stack"):
            return True
    return False
