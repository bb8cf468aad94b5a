"""Helpers the rules share: reading removal policies and naming the environment."""

from __future__ import annotations

from collections.abc import Iterable

from ...cfn._knowledge import PropertyCheck, StatefulType
from ...cfn._model import Resource
from .._rule import Hit, StackContext
from .._values import check_property, describe, get_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "KEEPS_DATA",
    "env_label",
    "policy_name",
    "property_protection_hits",
    "removal_keeps_data",
]

#: Removal policies that leave the data behind (Snapshot only on types that honour it).
KEEPS_DATA = frozenset({"Retain", "RetainExceptOnCreate"})


def env_label(ctx: StackContext) -> str:
    env = ctx.environment
    tier = f" (tier {env.tier.value})" if env.name != env.tier.value else ""
    return f"environment '{env.name}'{tier}"


def policy_name(value: Any) -> str:
    return "not set" if value is None else str(value)


def removal_keeps_data(value: Any, knowledge: StatefulType) -> bool | None:
    """Whether a DeletionPolicy/UpdateReplacePolicy value keeps the data; None when it
    is an intrinsic (``Fn::If`` on a parameter) and only deploy time knows."""
    if value is not None and not isinstance(value, str):
        return None  # an intrinsic (Fn::If on a parameter), or not a policy at all
    if value in KEEPS_DATA:
        return True
    return value == "Snapshot" and knowledge.snapshot


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
    state = check_property(resource.properties, prop)
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
