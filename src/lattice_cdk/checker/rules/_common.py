"""Helpers the rules share: reading removal policies and naming the environment."""

from __future__ import annotations

from typing import Any

from ...cfn._knowledge import StatefulType
from .._rule import StackContext
from .._values import is_intrinsic

__all__ = ["KEEPS_DATA", "env_label", "policy_name", "removal_keeps_data"]

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
    if is_intrinsic(value) or not (value is None or isinstance(value, str)):
        return None
    if value in KEEPS_DATA:
        return True
    return value == "Snapshot" and knowledge.snapshot
