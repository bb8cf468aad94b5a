"""Lattice's frozen records behave as the frozen dataclasses they replaced."""

from __future__ import annotations

import copy
import importlib
import inspect
import pickle
from dataclasses import dataclass

import pytest

from lattice_cdk._findings import Finding, RuleInfo, Severity
from lattice_cdk._records import Record, init_of, replace

MODULES = [
    "lattice_cdk._config",
    "lattice_cdk._environments",
    "lattice_cdk._findings",
    "lattice_cdk._policy",
    "lattice_cdk.cfn._knowledge",
    "lattice_cdk.cfn._model",
    "lattice_cdk.changes._diff",
    "lattice_cdk.changes._schemas",
    "lattice_cdk.checker._backup",
    "lattice_cdk.checker._engine",
    "lattice_cdk.checker._report",
]


def _records() -> list[type[Record]]:
    for module in MODULES:
        importlib.import_module(module)
    return sorted(Record.__subclasses__(), key=lambda c: c.__qualname__)


@pytest.mark.parametrize("cls", _records(), ids=lambda c: c.__qualname__)
def test_init_takes_every_field_in_order(cls: type[Record]) -> None:
    params = list(inspect.signature(init_of(cls)).parameters)[1:]
    assert params == list(cls._fields)
    assert cls._fields, "a record has fields"


def _finding(**changes: object) -> Finding:
    fields: dict[str, object] = {
        "rule_id": "LAT1001",
        "severity": Severity.ERROR,
        "title": "t",
        "message": "m",
        "fix": "f",
        "stack": "S",
        "template_path": "S.json",
    }
    fields.update(changes)
    return Finding(**fields)  # type: ignore[arg-type]


@dataclass(frozen=True, kw_only=True, slots=True)
class _AsDataclass:
    rule_id: str
    title: str
    rationale: str
    fix: str
    source: str | None = None
    severity_reason: str = ""


def test_repr_equality_and_hash_are_a_dataclasses() -> None:
    info = RuleInfo(rule_id="LAT1001", title="t", rationale="r", fix="f")
    twin = _AsDataclass(rule_id="LAT1001", title="t", rationale="r", fix="f")
    assert repr(info) == repr(twin).replace("_AsDataclass", "RuleInfo")
    assert info == RuleInfo(rule_id="LAT1001", title="t", rationale="r", fix="f")
    assert info != RuleInfo(rule_id="LAT1002", title="t", rationale="r", fix="f")
    assert info != twin  # another class is never equal
    assert hash(info) == hash(RuleInfo(rule_id="LAT1001", title="t", rationale="r", fix="f"))
    assert len({_finding(), _finding(), _finding(message="other")}) == 2


def test_records_are_frozen() -> None:
    finding = _finding()
    with pytest.raises(AttributeError, match="cannot assign to field 'message'"):
        finding.message = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="cannot delete field 'message'"):
        del finding.message  # type: ignore[misc]


def test_replace_copy_and_pickle() -> None:
    finding = _finding(logical_id="Bucket")
    acknowledged = finding.acknowledge("because it is a cache")
    assert acknowledged.acknowledged == "because it is a cache"
    assert acknowledged.logical_id == "Bucket"
    assert finding.acknowledged is None
    assert replace(finding, message="x") == _finding(logical_id="Bucket", message="x")
    with pytest.raises(TypeError, match="no field"):
        replace(finding, nope=1)
    assert copy.copy(finding) == finding
    assert copy.deepcopy(finding) == finding
    assert pickle.loads(pickle.dumps(finding)) == finding
    with pytest.raises(TypeError):
        Finding(rule_id="LAT1001")  # type: ignore[call-arg]


def test_init_is_made_on_first_use_for_each_class() -> None:
    class Base(Record):
        x: int

    class Child(Base):
        y: int = 2

    assert getattr(Base.__dict__["__init__"], "_lattice_first", False)
    assert Child(1).y == 2  # the child's own __init__, made now
    assert not getattr(Child.__dict__["__init__"], "_lattice_first", False)
    assert getattr(Base.__dict__["__init__"], "_lattice_first", False)  # not the base's
    assert Base(x=3).x == 3
    assert not getattr(Base.__dict__["__init__"], "_lattice_first", False)
    with pytest.raises(TypeError):
        Base(1, 2)  # type: ignore[call-arg]
