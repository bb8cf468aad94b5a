"""Does this property change replace the resource? One judgement over two sets of
properties, from the vendored update behaviour (:mod:`._schemas`).

"Replaces" only where the User Guide (or the registry's ``createOnlyProperties``) says
Replacement; "may replace" only where the guide states a condition (named in the
message) or a value cannot be known before deploy; nothing for a property that updates
with or without interruption. Two traps the property table cannot show get their own
verdicts: a database restored from a snapshot that loses (or changes) its snapshot
identifier, and a replacement-forcing literal that becomes a parameter or an import.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._records import Record
from ._schemas import Comparison, contains_intrinsic, get_path, replacement_info, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SNAPSHOT_PROPERTIES", "ReplacementJudgement", "judge_replacement", "refs_parameter"]

#: The property a database restored from a snapshot must keep (User Guide,
#: AWS::RDS::DBInstance "Updating DB instances"; the same holds for clusters).
SNAPSHOT_PROPERTIES: Mapping[str, str] = {
    "AWS::RDS::DBInstance": "DBSnapshotIdentifier",
    "AWS::RDS::DBCluster": "SnapshotIdentifier",
}


class ReplacementJudgement(Record):
    """What a change of one resource's properties does, as descriptions per verdict."""

    #: Properties whose change replaces the resource.
    replaced: tuple[str, ...] = ()
    #: Changes that replace it under a condition (named), or cannot be evaluated.
    maybe: tuple[str, ...] = ()
    #: Replacement-forcing literals that became a ``Ref`` or an ``Fn::ImportValue``.
    parameterised: tuple[str, ...] = ()
    #: The snapshot-identifier trap: the database is re-created and the original deleted.
    snapshot: str | None = None

    @property
    def replaces(self) -> bool:
        """True when the resource is certainly replaced."""
        return bool(self.replaced) or self.snapshot is not None

    @property
    def any(self) -> bool:
        """True when there is anything to report."""
        return self.replaces or bool(self.maybe or self.parameterised)


def judge_replacement(
    resource_type: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    changed_parameters: frozenset[str] = frozenset(),
) -> ReplacementJudgement:
    """What changing ``before`` to ``after`` (the ``Properties`` of one resource of
    ``resource_type``) does; ``changed_parameters`` names template parameters whose
    definition changed (a ``Ref`` to one may carry a new value)."""
    info = replacement_info(resource_type)
    if info is None:
        return ReplacementJudgement()
    snapshot_prop = SNAPSHOT_PROPERTIES.get(resource_type)
    snapshot = _snapshot_trap(snapshot_prop, before, after) if snapshot_prop else None
    replaced: list[str] = []
    maybe: list[str] = []
    parameterised: list[str] = []
    for path in info.paths:
        name = "/".join(path)
        if snapshot is not None and path == (snapshot_prop,):
            continue
        a = get_path(before, path)
        b = get_path(after, path)
        result = info.compare(path, a, b)
        if result is Comparison.SAME:
            if changed_parameters and refs_parameter(b, changed_parameters):
                maybe.append(f"{name} refers to a parameter that changed ({show(b)})")
            continue
        change = f"{name}: {show(a)} -> {show(b)}"
        if result is Comparison.UNKNOWN:
            if a is not None and not contains_intrinsic(a) and _from_outside(b):
                parameterised.append(change)
            else:
                maybe.append(f"{change} (cannot be evaluated before deploy)")
        elif path in info.conditions:
            maybe.append(f"{change} (replaces when: {info.conditions[path]})")
        else:
            replaced.append(change)
    return ReplacementJudgement(
        replaced=tuple(replaced),
        maybe=tuple(maybe),
        parameterised=tuple(parameterised),
        snapshot=snapshot,
    )


def _snapshot_trap(prop: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    a = before.get(prop)
    b = after.get(prop)
    if a == b:
        return None
    if a is not None and b is None:
        return (
            f"{prop} {show(a)} is removed: CloudFormation creates a new, empty database "
            "and deletes the original"
        )
    if contains_intrinsic(a) or contains_intrinsic(b):
        return (
            f"{prop}: {show(a)} -> {show(b)} cannot be evaluated before deploy; if the value "
            "differs, CloudFormation restores a new database from it and deletes the original"
        )
    return (
        f"{prop}: {show(a)} -> {show(b)}: CloudFormation restores a new database from "
        f"{show(b)} and deletes the original"
    )


def _from_outside(value: Any) -> bool:
    """A value set at deploy time from outside the template: a parameter or an import."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    return "Ref" in value or "Fn::ImportValue" in value


def refs_parameter(value: Any, names: frozenset[str]) -> bool:
    """True when ``value`` refers (``Ref`` or ``${...}``) to one of ``names``."""
    if isinstance(value, Mapping):
        ref = value.get("Ref")
        if isinstance(ref, str) and ref in names:
            return True
        return any(refs_parameter(v, names) for v in value.values())
    if isinstance(value, list):
        return any(refs_parameter(v, names) for v in value)
    if isinstance(value, str) and "${" in value:
        return any("${" + n + "}" in value for n in names)
    return False
