"""Writing CloudFormation Guard (cfn-guard 3) text: names, literals, messages, clauses.

Only what Lattice's rules need. Guard reads a regular expression between slashes with
no way to escape one, a custom message between ``<<`` and ``>>``, and JSON-like
literals (strings in double quotes, maps, lists).
"""

from __future__ import annotations

import json
import re

from ..cfn._knowledge import PropertyCheck

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["identifier", "literal", "message", "property_query", "protection_clause"]

_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]+")


def identifier(*parts: str) -> str:
    """A Guard rule or variable name made of ``parts`` (letters, digits, ``_``)."""
    return "_".join(_NOT_IDENTIFIER.sub("_", part).strip("_") for part in parts if part)


def literal(value: Any) -> str:
    """``value`` as a Guard literal (JSON: Guard reads maps, lists, strings, numbers)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def message(text: str) -> str:
    """A custom message block; ``>>`` inside it would end it early."""
    return "<<" + text.replace(">>", "> >").replace("\n", " ") + ">>"


def property_query(path: str, *, root: str = "Properties") -> str:
    """A query for a dotted template path; ``*`` (every item of a list) becomes ``[*]``."""
    parts = [root] if root else []
    for part in path.split("."):
        if part == "*":
            parts[-1] += "[*]"
        else:
            parts.append(part if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part) else literal(part))
    return ".".join(parts)


def protection_clause(check: PropertyCheck) -> str:
    """The Guard clause that holds when the protection ``check`` describes is on.

    Mirrors :func:`lattice_cdk.checker._values.check_property`: a boolean is on as
    ``true`` or ``"true"`` (CloudFormation accepts both); a number is on at ``min`` or
    more; an absent property is on only when CloudFormation's default is. An intrinsic
    fails the clause: the hook, like the checker, never passes what it cannot read.
    """
    query = property_query(check.path)
    if check.min is not None:
        clause = f"{query} >= {check.min}"
    elif isinstance(check.on, bool):
        text = "true" if check.on else "false"
        clause = f"{query} in [{text}, {literal(text)}]"
    else:
        clause = f"{query} == {literal(check.on)}"
    if check.default is not None and _default_is_on(check):
        return f"{query} not exists or {clause}"
    return clause


def _default_is_on(check: PropertyCheck) -> bool:
    if check.min is not None:
        return isinstance(check.default, int | float) and check.default >= check.min
    return bool(check.default == check.on)
