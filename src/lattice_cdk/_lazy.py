"""Public names a package loads on first access (PEP 562 ``__getattr__``).

A package lists ``name -> module`` (absolute, or relative to the package) and defines::

    def __getattr__(name: str) -> Any:
        return load_lazy(__name__, _LAZY, globals(), name)

so that ``import lattice_cdk`` stays pure Python and fast while ``from lattice_cdk
import LatticeBucket`` still works.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = ["load_lazy"]


def load_lazy(package: str, table: Mapping[str, str], namespace: dict[str, Any], name: str) -> Any:
    """Import ``name`` from the module ``table`` names for it, and keep it in
    ``namespace`` (the package's globals) so the next access is a plain lookup."""
    module = table.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, package), name)
    namespace[name] = value
    return value
