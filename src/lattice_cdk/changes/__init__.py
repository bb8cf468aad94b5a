"""The destructive-change guard: ``lattice diff``, the stateful lock and stack policies.

Pure Python (no aws_cdk, no jsii); boto3 is imported only inside the functions that
talk to AWS (:func:`fetch_deployed`, :func:`cloudformation_client`,
:func:`apply_stack_policies`).

    diff_assemblies(old, new)          removed / renamed / replaced / weakened (LATx6xx)
    build_lock(assembly)               the stateful lock; write_lock / read_lock
    lock_findings(assembly, lock)      what breaks the lock (LATx7xx)
    lock_check(lock)                   the same, as an extra check for lattice check
    update_lock(lock, assembly, ...)   re-take it on purpose, with who / why / when
    stack_policies(assembly)           CloudFormation stack policies per stack
"""

from __future__ import annotations

from .._lazy import load_lazy
from ._deploy_rules import DEPLOY_RULES
from ._diff import diff_assemblies, diff_stacks
from ._replacement_rules import REPLACEMENT_RULES
from ._rules import RULES as _DIFF_RULES
from ._schemas import Comparison, ReplacementInfo, compare_values, replacement_info
from ._stacks import StackPair, match_stacks

#: Every rule of the destructive-change guard (diff, lock, replacement traps, change sets).
RULES = _DIFF_RULES + REPLACEMENT_RULES + DEPLOY_RULES
RULES_BY_ID = {rule.rule_id: rule for rule in RULES}

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._deployed import cloudformation_client, deployed_assembly, fetch_deployed
    from ._lock import (
        LOCK_FILE,
        Lock,
        LockEntry,
        LockUpdate,
        build_lock,
        lock_changes,
        lock_check,
        lock_findings,
        read_lock,
        update_lock,
        write_lock,
    )
    from ._stack_policy import apply_stack_policies, build_stack_policy, stack_policies

__all__ = [
    "LOCK_FILE",
    "RULES",
    "RULES_BY_ID",
    "Comparison",
    "Lock",
    "LockEntry",
    "LockUpdate",
    "ReplacementInfo",
    "StackPair",
    "apply_stack_policies",
    "build_lock",
    "build_stack_policy",
    "cloudformation_client",
    "compare_values",
    "deployed_assembly",
    "diff_assemblies",
    "diff_stacks",
    "fetch_deployed",
    "lock_changes",
    "lock_check",
    "lock_findings",
    "match_stacks",
    "read_lock",
    "replacement_info",
    "stack_policies",
    "update_lock",
    "write_lock",
]

# Loaded on first access: name -> module. ``lattice diff OLD NEW`` needs neither the
# lock, nor stack policies, nor the AWS side.
_LAZY: dict[str, str] = {
    "cloudformation_client": "._deployed",
    "deployed_assembly": "._deployed",
    "fetch_deployed": "._deployed",
    **dict.fromkeys(
        (
            "LOCK_FILE",
            "Lock",
            "LockEntry",
            "LockUpdate",
            "build_lock",
            "lock_changes",
            "lock_check",
            "lock_findings",
            "read_lock",
            "update_lock",
            "write_lock",
        ),
        "._lock",
    ),
    "apply_stack_policies": "._stack_policy",
    "build_stack_policy": "._stack_policy",
    "stack_policies": "._stack_policy",
}


def __getattr__(name: str) -> Any:
    return load_lazy(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return sorted(__all__)
