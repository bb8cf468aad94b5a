"""Frozen value objects without the dataclasses module.

``lattice check`` builds its findings, model, policy and configuration from about a
dozen frozen records. As dataclasses they cost 12 ms at every start (importing
``dataclasses`` pulls in ``inspect``, and each ``@dataclass`` compiles its methods),
a third of a small check. A :class:`Record` behaves as a frozen, slotted dataclass
does: fields are its ``__slots__`` in order, each class writes its ``__init__``
(assigning through ``object.__setattr__``), and equality, hashing, ``repr``,
immutability and pickling come from the fields. :func:`replace` is
``dataclasses.replace``.
"""

from __future__ import annotations

__all__ = ["Record", "replace"]

# ``typing`` only for the type checker: importing it costs 2-3 ms at every start (and a
# bound TypeVar most of a millisecond more to build).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeVar

    _R = TypeVar("_R", bound="Record")
#: Sets a field in ``__init__`` (the class's own ``__setattr__`` refuses).
set_field = object.__setattr__


class Record:
    """Base of Lattice's frozen records; a subclass lists its fields in ``__slots__``."""

    __slots__ = ()
    #: Field names, in order (the subclass's ``__slots__``).
    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._fields = tuple(cls.__dict__.get("__slots__", ()))

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self) -> tuple[Any, ...]:
        return self._values()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self._fields, state, strict=True):
            set_field(self, name, value)


def replace(record: _R, /, **changes: Any) -> _R:
    """A copy of ``record`` with ``changes`` (built through its ``__init__``)."""
    unknown = set(changes) - set(record._fields)
    if unknown:
        raise TypeError(f"{type(record).__qualname__} has no field(s) {sorted(unknown)}")
    values = dict(zip(record._fields, record._values(), strict=True))
    values.update(changes)
    return type(record)(**values)
