"""Lattice's CDK layer: constructs that protect stateful resources by environment.

The only part of Lattice that imports ``aws_cdk``, ``constructs`` and ``jsii``; the
top-level ``lattice_cdk`` package loads it on first use of one of these names. Each
name is loaded on first access too, so an app of buckets and tables never imports
``aws_rds`` and ``aws_ec2`` (most of a second).
"""

from __future__ import annotations

from typing import Any

from .._lazy import load_lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._air_gapped import AirGappedVault as AirGappedVault
    from ._backup import BackupManager as BackupManager
    from ._backup_rules import BackupRules as BackupRules
    from ._backup_vault import DisasterRecoveryVault as DisasterRecoveryVault
    from ._bucket import LatticeBucket as LatticeBucket
    from ._context import ENVIRONMENT_CONTEXT_KEY as ENVIRONMENT_CONTEXT_KEY
    from ._context import ENVIRONMENTS_CONTEXT_KEY as ENVIRONMENTS_CONTEXT_KEY
    from ._context import policy_for as policy_for
    from ._context import register_context_environments as register_context_environments
    from ._context import resolve_construct_environment as resolve_construct_environment
    from ._database import LatticeDatabase as LatticeDatabase
    from ._database import LatticeDatabaseCluster as LatticeDatabaseCluster
    from ._guard import StatefulnessGuard as StatefulnessGuard
    from ._removal import to_removal_policy as to_removal_policy
    from ._restore_testing import RestoreTesting as RestoreTesting
    from ._table import LatticeTable as LatticeTable
    from ._table import LatticeTableV2 as LatticeTableV2
    from ._tags import BACKUP_TAG as BACKUP_TAG
    from ._tags import ENVIRONMENT_TAG as ENVIRONMENT_TAG
    from ._tags import LATTICE_METADATA_KEY as LATTICE_METADATA_KEY
    from ._tags import NAME_TAG as NAME_TAG
    from ._tags import PLAN_TAG as PLAN_TAG
    from ._tags import PROTECTION_TAG as PROTECTION_TAG

_LAZY: dict[str, str] = {
    "BACKUP_TAG": "._tags",
    "ENVIRONMENTS_CONTEXT_KEY": "._context",
    "ENVIRONMENT_CONTEXT_KEY": "._context",
    "ENVIRONMENT_TAG": "._tags",
    "LATTICE_METADATA_KEY": "._tags",
    "NAME_TAG": "._tags",
    "PLAN_TAG": "._tags",
    "PROTECTION_TAG": "._tags",
    "AirGappedVault": "._air_gapped",
    "BackupManager": "._backup",
    "BackupRules": "._backup_rules",
    "DisasterRecoveryVault": "._backup_vault",
    "LatticeBucket": "._bucket",
    "LatticeDatabase": "._database",
    "LatticeDatabaseCluster": "._database",
    "LatticeTable": "._table",
    "LatticeTableV2": "._table",
    "RestoreTesting": "._restore_testing",
    "StatefulnessGuard": "._guard",
    "policy_for": "._context",
    "register_context_environments": "._context",
    "resolve_construct_environment": "._context",
    "to_removal_policy": "._removal",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    return load_lazy(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return sorted(__all__)
