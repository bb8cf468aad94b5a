"""Project configuration: ``lattice.toml`` or ``[tool.lattice]`` in ``pyproject.toml``.

Looked up from the working directory upwards; the first file found wins. Example::

    [tool.lattice]
    environment = "prod"                      # default when nothing else says
    environments = { qa = "staging", sandbox = "dev" }
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import InputError

__all__ = ["LatticeConfig", "find_config", "load_config"]


@dataclass(frozen=True, kw_only=True)
class LatticeConfig:
    """What a project's configuration file says (empty when there is none)."""

    path: Path | None = None
    environment: str | None = None
    environments: Mapping[str, str] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict)


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest ``lattice.toml`` or ``pyproject.toml`` with ``[tool.lattice]``."""
    for folder in (start, *start.parents):
        own = folder / "lattice.toml"
        if own.is_file():
            return own, _read(own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read(pyproject).get("tool", {}).get("lattice")
            if isinstance(table, dict):
                return pyproject, table
    return None


def load_config(start: Path | None = None, *, path: Path | None = None) -> LatticeConfig:
    """Load the configuration from ``path``, or the nearest one above ``start``."""
    if path is not None:
        data: Mapping[str, Any] = _read(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("lattice", {})
        found: tuple[Path, Mapping[str, Any]] | None = (path, data)
    else:
        found = find_config(start or Path.cwd())
    if found is None:
        return LatticeConfig()
    where, table = found
    environment = table.get("environment")
    if environment is not None and not isinstance(environment, str):
        raise InputError(
            f"'environment' must be a string, not {environment!r}.",
            location=str(where),
            fix='write environment = "prod".',
        )
    environments = table.get("environments", {})
    if not isinstance(environments, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in environments.items()
    ):
        raise InputError(
            "'environments' must map names to tiers.",
            location=str(where),
            fix='write environments = { qa = "staging" }.',
        )
    return LatticeConfig(path=where, environment=environment, environments=environments, raw=table)


def _read(path: Path) -> Mapping[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InputError("no such file.", location=str(path)) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read TOML ({exc}).", location=str(path)) from None
