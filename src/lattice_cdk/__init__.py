"""Lattice: stateful AWS CDK infrastructure that is safe by default.

``import lattice_cdk`` is pure Python and never loads ``aws_cdk`` or ``jsii``; the
CDK constructs (``LatticeBucket``...) load on first use, so the policy and the
``lattice`` command start fast.
"""

from __future__ import annotations

import importlib
from typing import Any

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

# Public names of the CDK layer, loaded on first access: name -> module.
_LAZY: dict[str, str] = {}

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
