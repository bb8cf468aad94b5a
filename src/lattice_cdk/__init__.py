"""Lattice: stateful AWS CDK infrastructure that is safe by default.

``import lattice_cdk`` is pure Python and never loads ``aws_cdk`` or ``jsii``; the
CDK constructs (``LatticeBucket``...) load on first use, so the policy and the
``lattice`` command start fast.
"""

from __future__ import annotations

from ._errors import InputError, LatticeError, StatefulnessError, UnknownEnvironmentError
from ._lazy import load_lazy
from ._version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._environments import EnvironmentRegistry as EnvironmentRegistry
    from ._environments import ResolvedEnvironment as ResolvedEnvironment
    from ._environments import Tier as Tier
    from ._environments import register_environment as register_environment
    from ._environments import resolve_environment as resolve_environment
    from ._findings import Finding as Finding
    from ._findings import RuleInfo as RuleInfo
    from ._findings import Severity as Severity
    from ._policy import ProtectionLevel as ProtectionLevel
    from ._policy import Removal as Removal
    from ._policy import StatefulnessPolicy as StatefulnessPolicy
    from ._policy import create_statefulness_policy as create_statefulness_policy
    from .cdk import AirGappedVault as AirGappedVault
    from .cdk import BackupManager as BackupManager
    from .cdk import BackupRules as BackupRules
    from .cdk import DisasterRecoveryVault as DisasterRecoveryVault
    from .cdk import LatticeBucket as LatticeBucket
    from .cdk import LatticeDatabase as LatticeDatabase
    from .cdk import LatticeDatabaseCluster as LatticeDatabaseCluster
    from .cdk import LatticeTable as LatticeTable
    from .cdk import LatticeTableV2 as LatticeTableV2
    from .cdk import RestoreTesting as RestoreTesting
    from .cdk._guard import StatefulnessGuard as StatefulnessGuard
    from .cdk._hook import LatticeGuardHook as LatticeGuardHook
    from .cdk._plugin import LatticeValidationPlugin as LatticeValidationPlugin
    from .checker import CheckResult as CheckResult
    from .checker import check as check

# Public names loaded on first access: name -> module. The CDK layer loads aws_cdk;
# the policy and the environments are not needed by every verb (``lattice diff``,
# ``lattice --version``), and their dataclasses cost milliseconds to build at start.
_LAZY: dict[str, str] = {
    "Finding": "lattice_cdk._findings",
    "RuleInfo": "lattice_cdk._findings",
    "Severity": "lattice_cdk._findings",
    "CheckResult": "lattice_cdk.checker",
    "check": "lattice_cdk.checker",
    "EnvironmentRegistry": "lattice_cdk._environments",
    "ResolvedEnvironment": "lattice_cdk._environments",
    "Tier": "lattice_cdk._environments",
    "register_environment": "lattice_cdk._environments",
    "resolve_environment": "lattice_cdk._environments",
    "ProtectionLevel": "lattice_cdk._policy",
    "Removal": "lattice_cdk._policy",
    "StatefulnessPolicy": "lattice_cdk._policy",
    "create_statefulness_policy": "lattice_cdk._policy",
    "AirGappedVault": "lattice_cdk.cdk",
    "BackupManager": "lattice_cdk.cdk",
    "BackupRules": "lattice_cdk.cdk",
    "DisasterRecoveryVault": "lattice_cdk.cdk",
    "LatticeBucket": "lattice_cdk.cdk",
    "LatticeDatabase": "lattice_cdk.cdk",
    "LatticeDatabaseCluster": "lattice_cdk.cdk",
    "LatticeTable": "lattice_cdk.cdk",
    "LatticeTableV2": "lattice_cdk.cdk",
    "RestoreTesting": "lattice_cdk.cdk",
    "LatticeValidationPlugin": "lattice_cdk.cdk._plugin",
    "LatticeGuardHook": "lattice_cdk.cdk._hook",
    "StatefulnessGuard": "lattice_cdk.cdk._guard",
}

__all__ = [
    "InputError",
    "LatticeError",
    "StatefulnessError",
    "UnknownEnvironmentError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    return load_lazy(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return sorted(__all__)
