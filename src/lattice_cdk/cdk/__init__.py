"""Lattice's CDK layer: constructs that protect stateful resources by environment.

The only part of Lattice that imports ``aws_cdk``, ``constructs`` and ``jsii``; the
top-level ``lattice_cdk`` package loads it on first use of one of these names.
"""

from __future__ import annotations

from ._backup import BackupManager
from ._backup_rules import BackupRules
from ._backup_vault import DisasterRecoveryVault
from ._bucket import LatticeBucket
from ._context import (
    ENVIRONMENT_CONTEXT_KEY,
    ENVIRONMENTS_CONTEXT_KEY,
    policy_for,
    register_context_environments,
    resolve_construct_environment,
)
from ._database import LatticeDatabase, LatticeDatabaseCluster
from ._guard import StatefulnessGuard
from ._removal import to_removal_policy
from ._table import LatticeTable
from ._tags import (
    BACKUP_TAG,
    ENVIRONMENT_TAG,
    LATTICE_METADATA_KEY,
    NAME_TAG,
    PLAN_TAG,
    PROTECTION_TAG,
)

__all__ = [
    "BACKUP_TAG",
    "ENVIRONMENTS_CONTEXT_KEY",
    "ENVIRONMENT_CONTEXT_KEY",
    "ENVIRONMENT_TAG",
    "LATTICE_METADATA_KEY",
    "NAME_TAG",
    "PLAN_TAG",
    "PROTECTION_TAG",
    "BackupManager",
    "BackupRules",
    "DisasterRecoveryVault",
    "LatticeBucket",
    "LatticeDatabase",
    "LatticeDatabaseCluster",
    "LatticeTable",
    "StatefulnessGuard",
    "policy_for",
    "register_context_environments",
    "resolve_construct_environment",
    "to_removal_policy",
]
