"""Reading template values without guessing: a value is known, absent, or unresolvable.

CloudFormation values can be intrinsics (``Ref``, ``Fn::If``...) that only the service
resolves at deploy time. Rules must report those as "cannot evaluate", never pass them,
so every reader here returns :data:`UNKNOWN` for them. What a value means for protection
is judged in :mod:`lattice_cdk.checker.judge`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "ABSENT",
    "UNKNOWN",
    "as_bool",
    "as_number",
    "describe",
    "get_path",
    "is_intrinsic",
    "references",
]


class _Marker:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


#: The property is not in the template (CloudFormation applies its default).
ABSENT: Final = _Marker("ABSENT")
#: The value is an intrinsic function or a condition: known only at deploy time.
UNKNOWN: Final = _Marker("UNKNOWN")


def is_intrinsic(value: object) -> bool:
    """True for ``{"Ref": ...}``, ``{"Fn::...": ...}`` and ``{"Condition": ...}``."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key: str = next(iter(value))
    return key == "Ref" or key == "Condition" or key.startswith("Fn::")


def get_path(properties: Mapping[str, Any], path: str) -> Any:
    """The value at dotted ``path``; ``*`` walks a list and returns a list of values.

    Returns :data:`ABSENT` when a key is missing and :data:`UNKNOWN` when an intrinsic
    stands anywhere on the way.
    """
    current: Any = properties
    parts = _parts(path)
    for i, part in enumerate(parts):
        if isinstance(current, dict):
            if is_intrinsic(current):
                return UNKNOWN
            if part == "*" or part not in current:
                return ABSENT  # "*" walks a list, and this is a mapping
            current = current[part]
        elif part == "*" and isinstance(current, list):
            rest = ".".join(parts[i + 1 :])
            return [get_path(item, rest) if rest else item for item in current]
        else:
            return ABSENT
    return UNKNOWN if is_intrinsic(current) else current


@cache  # rules ask for a handful of paths, thousands of times
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def as_bool(value: Any) -> bool | None:
    """A boolean as CloudFormation reads it: ``true``/``false`` or the strings
    ``"true"``/``"false"`` in any case; ``None`` for an intrinsic or anything else."""
    if value is True or value is False:
        return bool(value)
    if isinstance(value, str):
        lowered = value.lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
    return None


def as_number(value: Any) -> float | None:
    """A number as CloudFormation reads it (``30`` or ``"30"``); ``None`` otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def describe(value: Any) -> str:
    """A short rendering of a template value for messages."""
    if value is ABSENT:
        return "not set"
    if value is UNKNOWN:
        return "an intrinsic"
    if is_intrinsic(value):
        key = next(iter(value))
        return f"{{{key}: ...}}"
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def references(value: Any) -> set[str]:
    """Logical ids (and parameters) a value refers to through Ref, GetAtt or Sub."""
    found: set[str] = set()
    _collect(value, found)
    return found


def _collect(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                if not inner.startswith("AWS::"):
                    found.add(inner)
            elif key == "Fn::GetAtt":
                if isinstance(inner, list) and inner and isinstance(inner[0], str):
                    found.add(inner[0])
                elif isinstance(inner, str):
                    found.add(inner.split(".", 1)[0])
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) and inner else inner
                if isinstance(text, str):
                    found.update(_sub_names(text))
                if isinstance(inner, list) and len(inner) > 1:
                    _collect(inner[1], found)
            elif isinstance(inner, (dict, list)):  # a literal refers to nothing
                _collect(inner, found)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                _collect(item, found)


def _sub_names(text: str) -> set[str]:
    names: set[str] = set()
    start = text.find("${")
    while start != -1:
        end = text.find("}", start)
        if end == -1:
            break
        name = text[start + 2 : end]
        if not name.startswith("!") and not name.startswith("AWS::"):
            names.add(name.split(".", 1)[0])
        start = text.find("${", end)
    return names
