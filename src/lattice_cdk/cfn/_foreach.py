"""``Fn::ForEach`` (the ``AWS::LanguageExtensions`` transform) expanded as
CloudFormation expands it, so that the resources a loop makes are checked like any
other.

A loop is a key ``Fn::ForEach::Name`` whose value is ``[Identifier, Collection,
{OutputKey: OutputValue}]``. For each item of the collection, the fragment is copied
with ``${Identifier}`` (the item) and ``&{Identifier}`` (the item without its
non-alphanumeric characters) replaced in keys and strings, and ``{"Ref": Identifier}``
replaced by the item; loops nest. The collection is a literal list, or a ``Ref`` to a
parameter whose ``Default`` is known; any other collection cannot be evaluated, and the
loop is reported as such instead of guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .._errors import InputError
from ._limits import MAX_EXPANDED_VALUES, MAX_FOREACH_ITEMS
from ._model import Unevaluated

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

__all__ = ["FOREACH", "PROCESSED_TEMPLATE", "expand_foreach"]

FOREACH = "Fn::ForEach::"
#: How to get the template CloudFormation deploys, after its transforms (the fixes of
#: what Lattice cannot expand itself).
PROCESSED_TEMPLATE = (
    "aws cloudformation get-template --stack-name <stack> --template-stage Processed "
    "--query TemplateBody > processed.json"
)
_LOOP_FIX = (
    "make the collection a literal list, or a parameter with a Default, so that Lattice "
    f"can expand the loop; or run Lattice on the processed template ({PROCESSED_TEMPLATE}, "
    "once deployed)."
)
_NOT_ALPHANUMERIC = r"[^A-Za-z0-9]"


class _Unknown(Exception):
    """A loop whose collection cannot be evaluated here (the reason is the message)."""


def expand_foreach(
    template: Mapping[str, Any], *, location: str
) -> tuple[dict[str, Any], dict[str, Unevaluated]]:
    """``template`` with every ``Fn::ForEach`` of its ``Resources`` and ``Outputs``
    expanded, and the resources that could not be (loop key or logical id -> why, fix).

    Raises :class:`~lattice_cdk.InputError` for a loop CloudFormation would refuse (not
    ``[Identifier, Collection, Fragment]``, a key generated twice) and for one that
    generates more than ``MAX_FOREACH_ITEMS`` entries.
    """
    expander = _Expander(template.get("Parameters"), location)
    unevaluated: dict[str, Unevaluated] = {}
    result = dict(template)
    for section in ("Resources", "Outputs"):
        entries = template.get(section)
        if isinstance(entries, dict):
            skipped = unevaluated if section == "Resources" else {}
            result[section] = expander.section(entries, skipped)
    return result, unevaluated


class _Expander:
    def __init__(self, parameters: object, location: str) -> None:
        self.parameters = parameters if isinstance(parameters, dict) else {}
        self.location = location
        self.generated = 0
        self.copied = 0

    def section(
        self, entries: Mapping[str, Any], unevaluated: dict[str, Unevaluated]
    ) -> dict[str, Any]:
        """A ``Resources`` or ``Outputs`` mapping expanded; an entry whose loops cannot
        be evaluated goes to ``unevaluated`` instead."""
        out: dict[str, Any] = {}
        for key, value in entries.items():
            try:
                if isinstance(key, str) and key.startswith(FOREACH):
                    items = self.loop(key, value, {})
                else:
                    items = [(key, self.value(value, {}))]
            except _Unknown as exc:
                # The reason names the loop that failed: an inner one, or this one. A
                # resource with a loop inside keeps its own type.
                reason = str(exc).removeprefix(f"{key}: ")
                kind = value.get("Type") if isinstance(value, dict) else None
                unevaluated[str(key)] = Unevaluated(
                    reason, _LOOP_FIX, kind if isinstance(kind, str) else None
                )
                continue
            for name, body in items:
                if name in out:
                    self.refuse(f"{key!r} generates {name!r}, which is already defined")
                out[name] = body
        return out

    def loop(self, key: str, value: Any, bound: dict[str, str]) -> list[tuple[str, Any]]:
        """The ``(key, value)`` pairs loop ``key`` generates, with ``bound`` identifiers
        of enclosing loops already substituted."""
        if (
            not isinstance(value, list)
            or len(value) != 3
            or not isinstance(value[0], str)
            or not isinstance(value[2], dict)
        ):
            self.refuse(f"{key!r} is not [Identifier, Collection, {{OutputKey: OutputValue}}]")
        identifier, collection, fragment = value
        out: list[tuple[str, Any]] = []
        for item in self.collection(key, _substitute(collection, bound)):
            inner = {**bound, identifier: item}
            for out_key, out_value in fragment.items():
                if isinstance(out_key, str) and out_key.startswith(FOREACH):
                    out.extend(self.loop(out_key, out_value, inner))
                    continue
                self.generated += 1
                if self.generated > MAX_FOREACH_ITEMS:
                    self.refuse(
                        f"Fn::ForEach loops generate more than {MAX_FOREACH_ITEMS:,} entries"
                    )
                out.append((_substitute(out_key, inner), self.value(out_value, inner)))
        return out

    def value(self, value: Any, bound: dict[str, str]) -> Any:
        """``value`` with ``bound`` substituted and any loops inside it expanded."""
        self.copied += 1
        if self.copied > MAX_EXPANDED_VALUES:
            self.refuse(f"Fn::ForEach loops expand to more than {MAX_EXPANDED_VALUES:,} values")
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, item in value.items():
                if isinstance(key, str) and key.startswith(FOREACH):
                    out.update(self.loop(key, item, bound))
                else:
                    out[_substitute(key, bound)] = self.value(item, bound)
            ref = out.get("Ref") if len(out) == 1 else None
            if isinstance(ref, str) and ref in bound:
                return bound[ref]
            return out
        if isinstance(value, list):
            return [self.value(item, bound) for item in value]
        return _substitute(value, bound)

    def collection(self, key: str, collection: Any) -> list[str]:
        if isinstance(collection, list):
            if all(isinstance(item, str) for item in collection):
                return collection
            raise _Unknown(f"{key}: its collection holds values that are not strings")
        if isinstance(collection, dict) and list(collection) == ["Ref"]:
            name = collection["Ref"]
            parameter = self.parameters.get(name)
            if not isinstance(parameter, dict):
                raise _Unknown(f"{key}: its collection refers to {name!r}, not a parameter")
            default = parameter.get("Default")
            if isinstance(default, str):
                return [item.strip() for item in default.split(",")]
            if isinstance(default, list) and all(isinstance(i, str) for i in default):
                return default
            raise _Unknown(
                f"{key}: its collection is parameter {name!r}, which has no default (its "
                "value is known only at deploy time)"
            )
        raise _Unknown(f"{key}: its collection is computed at deploy time")

    def refuse(self, message: str) -> NoReturn:
        raise InputError(f"{message}.", location=self.location, code="malformed-template")


def _substitute(value: Any, bound: Mapping[str, str]) -> Any:
    """``${Identifier}`` and ``&{Identifier}`` of ``bound`` replaced in a string."""
    if not bound or not isinstance(value, str) or ("{" not in value):
        return value
    for identifier, item in bound.items():
        value = value.replace("${" + identifier + "}", item)
        value = value.replace("&{" + identifier + "}", re.sub(_NOT_ALPHANUMERIC, "", item))
    return value
