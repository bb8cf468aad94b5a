"""Project configuration: ``lattice.toml`` or ``[tool.lattice]`` in ``pyproject.toml``.

Looked up from the working directory upwards; the first file found wins. A
``pyproject.toml`` whose text cannot hold a ``tool.lattice`` key is not parsed (most
projects have one, and parsing TOML costs the command a fifth of its start-up); a
syntax error in such a file is left to the tools it configures. Example::

    [tool.lattice]
    environment = "prod"                      # default when nothing else says
    environments = { qa = "staging", sandbox = "dev" }

    [[tool.lattice.acknowledgements]]         # a finding the team accepts, with why
    rule_id = "LAT1201"
    resource = "Prod/Data/Cache*"             # construct path, Stack/LogicalId or logical id
    reason = "the cache is rebuilt from the source tables"
    expires = 2027-01-31                      # optional: the finding returns after it
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from ._errors import InputError
from ._findings import MIN_REASON_LENGTH, parse_acknowledgement
from ._reading import read_bytes
from ._records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt
    from typing import Any

__all__ = [
    "MIN_REASON_LENGTH",
    "ConfigAcknowledgement",
    "LatticeConfig",
    "find_config",
    "load_config",
]

#: Bytes of a configuration file (real ones are a few KB).
MAX_CONFIG_BYTES = 1 << 20
#: An empty mapping no one can change: the default of a record's mapping field.
_EMPTY: Mapping[str, Any] = MappingProxyType({})
# Every way TOML can spell the key ``tool.lattice``: a table header or dotted key
# (``[tool.lattice]``, ``[[tool.lattice.acknowledgements]]``, ``tool . "lattice" = {}``),
# a ``[tool]`` table, an inline ``tool = {...}``. False alarms only cost a parse; a
# ``\u`` escape could spell the key in a quoted key, so it counts too. Compiled on first
# use (``re``'s cache): a run that finds no pyproject.toml never pays for it.
_TOOL_LATTICE = rb"""["']?tool["']?[ \t]*(?:\.[ \t]*["']?lattice["']?[ \t]*[.=\]]|=|\])|\\[uU]"""


class ConfigAcknowledgement(Record):
    """A finding accepted in the configuration file.

    ``resource`` and ``stack`` are glob patterns (``*`` by default: any) matched against
    the finding's construct path, ``Stack/LogicalId`` or logical id, and its stack's
    label, name or identity (``account/region/name``).
    After ``expires`` (a date, default never) the finding returns.
    """

    rule_id: str
    reason: str
    resource: str = "*"
    stack: str = "*"
    expires: dt.date | None = None


class LatticeConfig(Record):
    """What a project's configuration file says (empty when there is none)."""

    path: Path | None = None
    environment: str | None = None
    environments: Mapping[str, str] = _EMPTY
    acknowledgements: tuple[ConfigAcknowledgement, ...] = ()
    raw: Mapping[str, Any] = _EMPTY


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest ``lattice.toml`` or ``pyproject.toml`` with ``[tool.lattice]``."""
    for folder in (start, *start.parents):
        own = folder / "lattice.toml"
        if own.is_file():
            return own, _read(own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _may_configure_lattice(pyproject):
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
    acknowledgements = _acknowledgements(table.get("acknowledgements", []), where)
    return LatticeConfig(
        path=where,
        environment=environment,
        environments=environments,
        acknowledgements=acknowledgements,
        raw=table,
    )


def _acknowledgements(value: object, where: Path) -> tuple[ConfigAcknowledgement, ...]:
    fix = (
        'write [[tool.lattice.acknowledgements]] tables with rule_id = "LAT1001", '
        f'reason = "at least {MIN_REASON_LENGTH} characters", and optional resource, stack, '
        "expires = 2027-01-31."
    )
    if not isinstance(value, list):
        raise InputError(
            "'acknowledgements' must be a list of tables.", location=str(where), fix=fix
        )
    found = []
    for i, item in enumerate(value, start=1):
        here = f"{where} (acknowledgement {i})"
        if not isinstance(item, dict):
            raise InputError("is not a table.", location=here, fix=fix)
        unknown = set(item) - {"rule_id", "reason", "resource", "stack", "expires"}
        if unknown:
            raise InputError(f"unknown key(s) {sorted(unknown)}.", location=here, fix=fix)
        parsed = parse_acknowledgement(item, source="config")
        if isinstance(parsed, str):
            raise InputError(f"{parsed}.", location=here, fix=fix)
        patterns = {k: item.get(k, "*") for k in ("resource", "stack")}
        for key, pattern in patterns.items():
            if not isinstance(pattern, str) or not pattern:
                raise InputError(f"{key} must be a non-empty string.", location=here, fix=fix)
        found.append(
            ConfigAcknowledgement(
                rule_id=parsed.rule_id,
                reason=parsed.reason,
                resource=patterns["resource"],
                stack=patterns["stack"],
                expires=parsed.expires,
            )
        )
    return tuple(found)


def _may_configure_lattice(pyproject: Path) -> bool:
    """Whether ``pyproject``'s text could hold ``[tool.lattice]`` (unreadable: yes, so
    that reading it reports why)."""
    try:
        data = read_bytes(pyproject, limit=MAX_CONFIG_BYTES)
    except InputError:
        return True
    return re.search(_TOOL_LATTICE, data) is not None


def _read(path: Path) -> Mapping[str, Any]:
    import tomllib  # only when a configuration file exists

    # Bounded and never blocking: a FIFO or /dev/zero given as --config is refused.
    data = read_bytes(path, limit=MAX_CONFIG_BYTES)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read TOML ({exc}).", location=str(path)) from None
