"""Lattice: stateful AWS CDK infrastructure that is safe by default.

``import lattice_cdk`` is pure Python and never loads ``aws_cdk`` or ``jsii``; the
CDK constructs (``LatticeBucket``...) load on first use, so the policy and the
``lattice`` command start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._environments import (
    EnvironmentRegistry,
    ResolvedEnvironment,
    Tier,
    register_environment,
    resolve_environment,
)
from ._errors import InputError, LatticeError, StatefulnessError, UnknownEnvironmentError
from ._policy import (
    ProtectionLevel,
    Removal,
    StatefulnessPolicy,
    create_statefulness_policy,
)
from ._version import __version__

if TYPE_CHECKING:
    from .cdk import BackupManager as BackupManager
    from .cdk import BackupRules as BackupRules
    from .cdk import DisasterRecoveryVault as DisasterRecoveryVault
    from .cdk import LatticeBucket as LatticeBucket
    from .cdk import LatticeDatabase as LatticeDatabase
    from .cdk import LatticeTable as LatticeTable

# Public names of the CDK layer, loaded on first access: name -> module.
_LAZY: dict[str, str] = {
    "BackupManager": "lattice_cdk.cdk",
    "BackupRules": "lattice_cdk.cdk",
    "DisasterRecoveryVault": "lattice_cdk.cdk",
    "LatticeBucket": "lattice_cdk.cdk",
    "LatticeDatabase": "lattice_cdk.cdk",
    "LatticeTable": "lattice_cdk.cdk",
    "LatticeValidationPlugin": "lattice_cdk.cdk._plugin",
    "StatefulnessGuard": "lattice_cdk.cdk._guard",
}

__all__ = [
    "EnvironmentRegistry",
    "InputError",
    "LatticeError",
    "ProtectionLevel",
    "Removal",
    "ResolvedEnvironment",
    "StatefulnessError",
    "StatefulnessPolicy",
    "Tier",
    "UnknownEnvironmentError",
    "__version__",
    "create_statefulness_policy",
    "register_environment",
    "resolve_environment",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lattice_cdk' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
