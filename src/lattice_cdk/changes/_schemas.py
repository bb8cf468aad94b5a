"""Replacement knowledge, read from the CloudFormation resource schemas cfn-lint ships.

A resource schema lists ``createOnlyProperties`` (changing one replaces the resource) and
``conditionalCreateOnlyProperties`` (changing one may replace it, depending on the
values). The schemas also give each property's JSON type, which tells us what
CloudFormation treats as equal (``"20"`` and ``20`` for an integer), and
``propertyTransform`` entries of the form ``$lowercase(X)`` that make a comparison
case-insensitive.

The JSON files are read directly (``cfnlint`` is never imported: it is slow), once per
type, and only for the types that changed.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import json
import re
from collections.abc import Mapping
from enum import Enum
from functools import cache
from pathlib import Path

from .._records import Record, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "Comparison",
    "PropertyPath",
    "ReplacementInfo",
    "compare_values",
    "construct_id",
    "contains_intrinsic",
    "get_path",
    "replacement_info",
    "show",
]

#: A property path below ``Properties``: ``("EncryptionConfiguration", "KmsKey")``;
#: ``"*"`` stands for every item of a list.
PropertyPath = tuple[str, ...]

# Schemas are the same across regions for replacement purposes; us-east-1 has them all.
_REGION = "us-east-1"
_CASE_TRANSFORM = re.compile(r"^\$(lowercase|uppercase)\(([A-Za-z0-9_.]+)\)$")
_SCALAR_KINDS = frozenset({"integer", "number", "boolean"})


class Comparison(Enum):
    """How two property values compare, as CloudFormation would see them."""

    SAME = "same"
    CHANGED = "changed"
    #: At least one side is an intrinsic function whose value is not known here.
    UNKNOWN = "unknown"


class ReplacementInfo(Record):
    """What forces replacement of one resource type, from its schema."""

    __slots__ = ("type", "create_only", "conditional", "schemas", "case_insensitive", "root")  # noqa: RUF023 (field order)
    type: str
    #: Changing any of these replaces the resource (``createOnlyProperties``).
    create_only: tuple[PropertyPath, ...]
    #: Changing any of these may replace it (``conditionalCreateOnlyProperties``).
    conditional: tuple[PropertyPath, ...]
    #: The resolved JSON schema of each property above (``$ref`` followed), used to
    #: normalise values before comparing them.
    schemas: Mapping[PropertyPath, Mapping[str, Any]]
    #: Paths whose values CloudFormation compares case-insensitively.
    case_insensitive: frozenset[PropertyPath]
    #: The whole schema (its ``definitions`` resolve nested ``$ref``).
    root: Mapping[str, Any]

    def __init__(
        self,
        type: str,
        create_only: tuple[PropertyPath, ...],
        conditional: tuple[PropertyPath, ...],
        schemas: Mapping[PropertyPath, Mapping[str, Any]],
        case_insensitive: frozenset[PropertyPath],
        root: Mapping[str, Any],
    ) -> None:
        set_field(self, "type", type)
        set_field(self, "create_only", create_only)
        set_field(self, "conditional", conditional)
        set_field(self, "schemas", schemas)
        set_field(self, "case_insensitive", case_insensitive)
        set_field(self, "root", root)

    @property
    def paths(self) -> tuple[PropertyPath, ...]:
        """Every replacement-forcing path, create-only first."""
        return self.create_only + self.conditional

    def compare(self, path: PropertyPath, old: Any, new: Any) -> Comparison:
        """Compare the values at ``path`` as CloudFormation would (see
        :func:`compare_values`)."""
        return compare_values(
            old,
            new,
            schema=self.schemas.get(path),
            root=self.root,
            case_insensitive=path in self.case_insensitive,
        )


def cfn_lint_data_dir() -> Path:
    """The ``data`` folder of the installed cfn-lint (found, not imported).

    Moved here from ``cfn/_knowledge.py``, which now reads only vendored data; this
    module is its last user until the replacement knowledge is vendored too.
    """
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cfn-lint is not installed; Lattice reads its CloudFormation data")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def _providers() -> Mapping[str, str]:
    path = cfn_lint_data_dir() / "schemas" / "providers" / f"{_REGION}.json"
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def _schema(resource_type: str) -> Mapping[str, Any] | None:
    digest = _providers().get(resource_type)
    if digest is None:
        return None
    path = cfn_lint_data_dir() / "schemas" / "resources" / f"{digest}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def replacement_info(resource_type: str) -> ReplacementInfo | None:
    """The replacement knowledge for ``resource_type``, or ``None`` for a type the
    schemas do not know (a custom resource, a third-party type).

    Cached per type: the first call for a type reads one schema file (~1 ms).
    """
    schema = _schema(resource_type)
    if schema is None:
        return None
    create_only = _paths(schema.get("createOnlyProperties"))
    conditional = tuple(
        p for p in _paths(schema.get("conditionalCreateOnlyProperties")) if p not in create_only
    )
    schemas = {p: _resolve_path(schema, p) for p in (*create_only, *conditional)}
    case_insensitive = set()
    for pointer, expression in (schema.get("propertyTransform") or {}).items():
        path = _pointer(pointer)
        # Only a case change of the property itself: "$lowercase(Engine)" on
        # /properties/Engine, or "$lowercase(DBName) $OR $uppercase(DBName)".
        matches = [_CASE_TRANSFORM.match(p.strip()) for p in str(expression).split("$OR")]
        if path and all(m and m.group(2).split(".")[-1] == path[-1] for m in matches):
            case_insensitive.add(path)
    return ReplacementInfo(
        type=resource_type,
        create_only=create_only,
        conditional=conditional,
        schemas=schemas,
        case_insensitive=frozenset(case_insensitive),
        root=schema,
    )


def _paths(pointers: object) -> tuple[PropertyPath, ...]:
    if not isinstance(pointers, list):
        return ()
    paths = [p for p in (_pointer(x) for x in pointers if isinstance(x, str)) if p]
    # A parent path already covers its children (ECR's EncryptionConfiguration and
    # EncryptionConfiguration/KmsKey): keep the parent only, so one change is one finding.
    return tuple(
        p for p in dict.fromkeys(paths) if not any(q != p and p[: len(q)] == q for q in paths)
    )


def _pointer(pointer: str) -> PropertyPath:
    parts = pointer.strip("/").split("/")
    if len(parts) < 2 or parts[0] != "properties":
        return ()
    return tuple(parts[1:])


def _resolve_path(schema: Mapping[str, Any], path: PropertyPath) -> Mapping[str, Any]:
    node: Mapping[str, Any] = {"type": "object", "properties": schema.get("properties", {})}
    for part in path:
        node = _deref(schema, node)
        if part == "*":
            node = node.get("items") or {}
        else:
            node = (node.get("properties") or {}).get(part) or {}
    return _deref(schema, node)


def _deref(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    seen = 0
    while isinstance(node.get("$ref"), str) and seen < 16:
        ref: str = node["$ref"]
        target: Any = root
        for part in ref.lstrip("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        node = target if isinstance(target, Mapping) else {}
        seen += 1
    return node


def get_path(properties: Mapping[str, Any], path: PropertyPath) -> Any:
    """The value at ``path`` in ``properties``; ``None`` when absent.

    A ``"*"`` step collects the values of every item of a list (a list results).
    """
    value: Any = properties
    for i, part in enumerate(path):
        if part == "*":
            if not isinstance(value, list):
                return None
            rest = path[i + 1 :]
            return [get_path(item, rest) if rest else item for item in value]
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
        if value is None:
            return None
    return value


def contains_intrinsic(value: Any) -> bool:
    """True when ``value`` holds a ``Ref`` or ``Fn::*`` anywhere."""
    if isinstance(value, Mapping):
        if len(value) == 1:
            (key,) = value
            if key == "Ref" or key.startswith("Fn::") or key == "Condition":
                return True
        return any(contains_intrinsic(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_intrinsic(v) for v in value)
    return False


def compare_values(
    old: Any,
    new: Any,
    *,
    schema: Mapping[str, Any] | None = None,
    root: Mapping[str, Any] | None = None,
    case_insensitive: bool = False,
) -> Comparison:
    """Compare two property values as CloudFormation would.

    Scalars are normalised by the schema's type (``"20"`` equals ``20`` for an integer,
    ``"true"`` equals ``true`` for a boolean; numbers and strings written either way
    compare as CloudFormation's string form). Intrinsic functions compare structurally:
    different intrinsics give :attr:`Comparison.UNKNOWN`, never :attr:`Comparison.SAME`.
    """
    if old == new:
        return Comparison.SAME
    a = _normalise(old, schema or {}, root or {}, case_insensitive)
    b = _normalise(new, schema or {}, root or {}, case_insensitive)
    if a == b:
        return Comparison.SAME
    if contains_intrinsic(old) or contains_intrinsic(new):
        return Comparison.UNKNOWN
    return Comparison.CHANGED


def _normalise(value: Any, node: Mapping[str, Any], root: Mapping[str, Any], fold: bool) -> Any:
    node = _deref(root, node)
    if isinstance(value, Mapping):
        if contains_intrinsic(value) and len(value) == 1:
            return value
        props = node.get("properties") or {}
        return {k: _normalise(v, props.get(k) or {}, root, fold) for k, v in value.items()}
    if isinstance(value, list):
        items = node.get("items") or {}
        return [_normalise(v, items, root, fold) for v in value]
    return _scalar(value, node.get("type"), fold)


def _scalar(value: Any, kind: Any, fold: bool) -> Any:
    # CloudFormation passes scalars to providers as strings: 20, "20" and 20.0 are one
    # value for a number; true and "true" for a boolean.
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, _dt.date):  # YAML reads an unquoted 2024-01-31 as a date
        text = value.isoformat()
    elif isinstance(value, int | float):
        text = str(int(value)) if float(value).is_integer() else repr(float(value))
    elif isinstance(value, str):
        text = value
        kinds = set(kind) if isinstance(kind, list) else {kind}
        if kinds & _SCALAR_KINDS:
            lowered = value.strip().lower()
            if "boolean" in kinds and lowered in ("true", "false"):
                text = lowered
            elif kinds & {"integer", "number"}:
                try:
                    number = float(lowered)
                except ValueError:
                    pass
                else:
                    text = str(int(number)) if number.is_integer() else repr(number)
    else:
        return value
    return text.lower() if fold else text


def construct_id(path: str | None) -> str | None:
    """The last construct id of a CDK path, skipping ``Resource`` and ``Default``
    (``App/Storage/Data/Resource`` gives ``Data``)."""
    if not path:
        return None
    parts = [p for p in path.split("/") if p not in ("Resource", "Default")]
    return parts[-1] if parts else None


def show(value: Any, limit: int = 80) -> str:
    """A value for a message: compact JSON, ``absent`` for ``None``, cut at ``limit``."""
    text = json.dumps(value, sort_keys=True, default=str) if value is not None else "absent"
    return text if len(text) <= limit else text[: limit - 3] + "..."
