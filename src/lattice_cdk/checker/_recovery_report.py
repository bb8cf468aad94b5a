"""The recovery columns of ``lattice report``: whether a resource is restore-tested, and
where the copies of its backups go. Read from the same :class:`._recovery.RecoveryIndex`
the rules LAT1306-LAT1309 judge with."""

from __future__ import annotations

from .._recovery import RESTORE_TESTABLE
from ..cfn._knowledge import StatefulType
from ..cfn._model import Resource, Stack
from ._backup import BackupIndex, Plan

__all__ = ["recovery_columns"]

_TESTED = {True: "tested", False: "none", None: "unknown"}


def recovery_columns(
    backups: BackupIndex,
    stack: Stack,
    resource: Resource,
    kind: StatefulType,
    plans: tuple[Plan, ...],
) -> tuple[str, tuple[str, ...]]:
    """``(restore_test, copies_to)`` of a resource backed up by ``plans``.

    ``restore_test``: ``tested``, ``none``, ``unknown`` or ``n/a`` (a type restore testing
    does not support). ``copies_to``: each copy destination of its plans, air-gapped
    vaults marked ``(air-gapped)``.
    """
    recovery = backups.recovery
    if resource.type in RESTORE_TESTABLE:
        covered, _ = recovery.restore_coverage(stack, resource, kind)
        tested = _TESTED[covered]
    else:
        tested = "n/a"
    return tested, recovery.copies_to(plans)
