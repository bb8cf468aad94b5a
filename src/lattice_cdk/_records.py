"""Frozen value objects that declare each field once, without the dataclasses module.

``lattice check`` builds its findings, model, policy and configuration from about a
dozen frozen records. As dataclasses they cost 12 ms at every start (importing
``dataclasses`` pulls in ``inspect``, and each ``@dataclass`` compiles its methods),
a third of a small check. A :class:`Record` behaves as a frozen, slotted dataclass
does, and mypy reads it as one (``dataclass_transform``)::

    class Point(Record):
        x: int
        y: int = 0

The annotations are the fields, in order; ``__slots__`` and an ``__init__`` taking
them positionally or by keyword are made from them. A ``__post_init__`` method, when
present, runs last (normalise a field there with :func:`set_field`). Names listed in
``__memo_slots__`` get slots but are not fields: a value derived from the fields, worked
out once on first use (equality, hashing, ``repr`` and pickling ignore them). Equality,
hashing, ``repr``, immutability and pickling come from the fields; :func:`replace` is
``dataclasses.replace``.
"""

from __future__ import annotations

from types import CodeType, FunctionType

__all__ = ["Record", "init_of", "replace", "set_field"]

# ``typing`` only for the type checker: importing it costs 2-3 ms at every start (and a
# bound TypeVar most of a millisecond more to build).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeVar, dataclass_transform

    _R = TypeVar("_R", bound="Record")
else:

    def dataclass_transform(**_kwargs: object) -> object:
        return lambda cls: cls


#: Sets a field in ``__init__`` or ``__post_init__`` (the record's ``__setattr__`` refuses).
set_field = object.__setattr__

_MISSING = object()


def _is_field(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return not (text.startswith(("ClassVar", "typing.ClassVar", "Final", "typing.Final")))


# Compiled __init__ bodies by (number of fields, whether __post_init__ runs), with
# placeholder names: compiling costs about as much as a thousand record instances, so a
# record class gets its __init__ from one of these, renamed (CodeType.replace).
_TEMPLATES: dict[tuple[int, bool], CodeType] = {}


def _template(arity: int, post: bool) -> CodeType:
    code = _TEMPLATES.get((arity, post))
    if code is None:
        lines = [f"    __set(self, '_{i}', _{i})" for i in range(arity)]
        lines.append("    self.__post_init__()" if post else "    return None")
        params = "".join(f", _{i}" for i in range(arity))
        namespace: dict[str, Any] = {}
        exec(f"def __init__(self{params}):\n" + "\n".join(lines) + "\n", namespace)
        code = _TEMPLATES[(arity, post)] = namespace["__init__"].__code__
    return code


def _make_init(name: str, fields: tuple[str, ...], defaults: dict[str, Any], *, post: bool) -> Any:
    """``__init__(self, <fields>)`` setting each field (``defaults`` for the last ones),
    then calling ``__post_init__`` when ``post``."""
    code = _template(len(fields), post)
    placeholders = {f"_{i}": field for i, field in enumerate(fields)}
    code = code.replace(
        co_varnames=("self", *fields, *code.co_varnames[len(fields) + 1 :]),
        co_consts=tuple(
            placeholders.get(c, c) if isinstance(c, str) else c for c in code.co_consts
        ),
        co_qualname=f"{name}.__init__",
    )
    init = FunctionType(
        code,
        {"__set": set_field},
        "__init__",
        tuple(defaults[field] for field in fields if field in defaults) or None,
    )
    return init  # its __qualname__ is the code's co_qualname


def _first_init(cls: type, name: str, fields: tuple[str, ...], defaults: dict[str, Any]) -> Any:
    """An ``__init__`` that makes the real one (:func:`_make_init`), puts it on ``cls``
    and runs it: a record class that is never instantiated never compiles one."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        make_init()(self, *args, **kwargs)

    def make_init() -> Any:
        init = cls.__dict__["__init__"]
        if getattr(init, "_lattice_first", False):
            init = _make_init(name, fields, defaults, post=hasattr(cls, "__post_init__"))
            type.__setattr__(cls, "__init__", init)
        return init

    __init__._lattice_first = True  # type: ignore[attr-defined]
    __init__._lattice_make = make_init  # type: ignore[attr-defined]
    __init__.__qualname__ = f"{name}.__init__"
    return __init__


def init_of(cls: type[Record]) -> Any:
    """The ``__init__`` of record class ``cls``, made now if it was not yet."""
    init = cls.__dict__.get("__init__")
    make = getattr(init, "_lattice_make", None)
    return make() if make is not None else init


class _RecordMeta(type):
    """Turns a Record subclass's annotations into ``__slots__`` and an ``__init__``."""

    def __new__(
        mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> _RecordMeta:
        if "__slots__" in namespace or not bases:
            # The base class, or a record that writes its own slots and __init__.
            cls = super().__new__(mcls, name, bases, namespace, **kwargs)
            cls._fields = tuple(namespace.get("__slots__", ()))  # type: ignore[attr-defined]
            return cls
        inherited: tuple[str, ...] = ()
        defaults: dict[str, Any] = {}
        for base in bases:
            inherited += getattr(base, "_fields", ())
            defaults.update(getattr(base, "_defaults", {}))
        own = tuple(
            field
            for field, annotation in namespace.get("__annotations__", {}).items()
            if _is_field(annotation) and field not in inherited
        )
        for field in own:
            value = namespace.pop(field, _MISSING)
            if value is not _MISSING:
                defaults[field] = value
            elif defaults and field not in defaults:
                raise TypeError(f"{name}.{field}: a field without a default follows one with")
        fields = inherited + own
        namespace["__slots__"] = own + tuple(namespace.pop("__memo_slots__", ()))
        own_init = "__init__" in namespace
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        if not own_init:
            # Made on first use: a process builds only the records it uses, and most
            # runs use a few of the records their modules define.
            cls.__init__ = _first_init(cls, name, fields, defaults)  # type: ignore[misc]
        cls._fields = fields  # type: ignore[attr-defined]
        cls._defaults = defaults  # type: ignore[attr-defined]
        return cls


@dataclass_transform(frozen_default=True, eq_default=True)
class Record(metaclass=_RecordMeta):
    """Base of Lattice's frozen records: annotate the fields (see the module docstring)."""

    __slots__ = ()
    #: Field names, in order.
    _fields: ClassVar[tuple[str, ...]] = ()
    #: Defaults of the fields that have one.
    _defaults: ClassVar[dict[str, Any]] = {}

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
