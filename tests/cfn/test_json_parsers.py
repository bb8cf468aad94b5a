"""Templates read the same with orjson (big inputs) and with the standard library.

The loader uses orjson once a process has ``ORJSON_FROM_BYTES`` of JSON to parse; these
tests force each parser and hold them to the same results and the same errors.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from lattice_cdk import InputError
from lattice_cdk.cfn import _read, load
from lattice_cdk.checker import check

TESTS = Path(__file__).resolve().parents[1]


def _use(monkeypatch: pytest.MonkeyPatch, parser: str) -> None:
    if parser == "orjson":
        monkeypatch.setattr(_read, "ORJSON_FROM_BYTES", 0)
        monkeypatch.setattr(_read, "_orjson_loads", None)
    else:
        monkeypatch.setattr(_read, "_orjson_loads", False)  # as when it is not installed


def _parse_with(monkeypatch: pytest.MonkeyPatch, parser: str, data: bytes) -> object:
    _use(monkeypatch, parser)
    return _read.parse(data, location="t.json")


def test_every_json_file_of_the_tests_parses_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # Files built to be refused are tested where they live.
    hostile = (TESTS / "hostile", TESTS / "fuzz" / "fixtures")
    files = sorted(
        p
        for p in TESTS.rglob("*.json")
        if p.stat().st_size < 2_000_000 and not any(h in p.parents for h in hostile)
    )
    assert len(files) > 100
    for path in files:
        data = path.read_bytes()
        expected = json.loads(data.decode("utf-8"))
        fast = _parse_with(monkeypatch, "orjson", data)
        assert fast == expected, path
        assert json.dumps(fast) == json.dumps(expected), path  # same types (1 vs 1.0)


@pytest.mark.parametrize(
    "text",
    [
        '{"Resources": {}, "Big": 123456789012345678901234567890}',
        '{"Resources": {}, "Neg": -9223372036854775809}',
        '{"Resources": {}, "Max": 18446744073709551615, "Min": -9223372036854775808}',
        '{"Resources": {}, "Float": 1.0000000000000002, "Tiny": 5e-324, "Int": 7}',
        '{"Resources": {}, "Surrogate": "\\ud800", "Nul": "a\\u0000b"}',
        '{"Resources": {}, "Dup": 1, "Dup": 2}',
        '\r\n  {"Resources": {}}\r\n',
    ],
)
def test_values_are_read_as_the_standard_library_reads_them(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    expected = json.loads(text)
    for parser in ("stdlib", "orjson"):
        parsed = _parse_with(monkeypatch, parser, text.encode())
        assert repr(parsed) == repr(expected), parser


def test_a_byte_order_mark_is_read_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'\xef\xbb\xbf{"Resources": {}}'  # not JSON text: YAML reads it
    assert _parse_with(monkeypatch, "orjson", data) == _parse_with(monkeypatch, "stdlib", data)


def test_nan_and_infinity_are_accepted_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _parse_with(monkeypatch, "orjson", b'{"Resources": {}, "A": NaN, "B": 1e400}')
    assert isinstance(parsed, dict)
    assert math.isnan(parsed["A"])
    assert parsed["B"] == math.inf


@pytest.mark.parametrize(
    "data",
    [
        b'{"Resources": {',
        b'{\r\n"Resources":\r{\r\n}\r,,}',
        b'{"Resources": {}}\n{"again": 1}',
        b"\xff\xfe\x00{",
        b'{"Resources": {"\xff": 1}}',
        b"  \n",
    ],
)
def test_errors_are_worded_the_same(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    messages = []
    for parser in ("stdlib", "orjson"):
        _use(monkeypatch, parser)
        with pytest.raises(InputError) as caught:
            _read.parse(data, location="t.json")
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_without_orjson_the_standard_library_parses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _use(monkeypatch, "orjson")
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson raises ImportError
    path = tmp_path / "t.json"
    path.write_text('{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')
    assert load(path).stacks[0].resources["T"].type == "AWS::SNS::Topic"
    assert _read._orjson_loads is False


def test_small_inputs_do_not_import_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_read, "_orjson_loads", None)
    _read.parse(b'{"Resources": {}}', location="t.json")
    assert _read._orjson_loads is None


def test_a_load_leaves_no_parser_choice_behind(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # GIVEN a small threshold that a first, big load reaches
    monkeypatch.setattr(_read, "ORJSON_FROM_BYTES", 1000)
    monkeypatch.setattr(_read, "_orjson_loads", None)
    big = tmp_path / "big.json"
    topics = {f"T{i}": {"Type": "AWS::SNS::Topic"} for i in range(100)}
    big.write_text(json.dumps({"Resources": topics}))
    load(big)
    assert callable(_read._orjson_loads)
    # WHEN a second, small load runs, THEN it counts its own bytes only: stdlib again
    calls: list[int] = []
    monkeypatch.setattr(_read, "_orjson_loads", lambda data: calls.append(len(data)))
    small = tmp_path / "small.json"
    small.write_text('{"Resources": {}}')
    load(small)
    assert calls == []
    assert _read._JSON_BUDGET.get() is None  # no budget is left open


def test_load_leaves_the_garbage_collector_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A library call must not change process-wide state (the CLI pauses the GC itself).
    import gc

    calls: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: calls.append("disable"))
    monkeypatch.setattr(gc, "enable", lambda: calls.append("enable"))
    path = tmp_path / "t.json"
    path.write_text('{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')
    load(path)
    check(load(path))
    assert calls == []


def test_a_generated_assembly_checks_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sys.path.insert(0, str(TESTS.parent / "benchmarks"))
    try:
        from gen_assembly import generate_assembly
    finally:
        sys.path.pop(0)
    root = generate_assembly(tmp_path, stacks=6, resources_per_stack=40, seed=3)
    results = []
    for parser in ("stdlib", "orjson"):
        _use(monkeypatch, parser)
        assembly = load(root)
        results.append(
            (
                [s.template for s in assembly.stacks],
                [f.to_dict() for f in check(assembly).findings],
            )
        )
    assert callable(_read._orjson_loads)
    assert results[0] == results[1]
    assert results[0][1]  # the assembly has findings to compare


def test_a_big_assembly_uses_orjson_from_its_first_template(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sys.path.insert(0, str(TESTS.parent / "benchmarks"))
    try:
        from gen_assembly import generate_assembly
    finally:
        sys.path.pop(0)
    root = generate_assembly(tmp_path, stacks=4, resources_per_stack=20, seed=1)
    templates = sorted(root.glob("*.template.json"))
    import orjson

    parsed: list[int] = []

    def counting(data: bytes) -> object:
        parsed.append(len(data))
        return orjson.loads(data)

    monkeypatch.setattr(_read, "_orjson_loads", counting)
    # More than all templates but the last: only the manifest's sizes reach it early.
    monkeypatch.setattr(_read, "ORJSON_FROM_BYTES", sum(p.stat().st_size for p in templates))
    assert len(load(root).stacks) == len(templates)
    sizes = [p.stat().st_size for p in templates]
    assert all(size in parsed for size in sizes)  # every template went through orjson


def test_expecting_two_inputs_counts_both(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "folder"
    first.write_text('{"Resources": {}}')
    second.mkdir()
    (second / "t.template.json").write_text('{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')
    (second / "notes.txt").write_text("not counted")
    token = _read.parse_budget()
    try:
        _read.expect_input(first, second, tmp_path / "missing")
        budget = _read._JSON_BUDGET.get()
        assert budget is not None
        expected = first.stat().st_size + (second / "t.template.json").stat().st_size
        assert budget.expected == expected
    finally:
        _read.close_budget(token)
    assert _read._JSON_BUDGET.get() is None


@pytest.mark.parametrize("length", [19, 101])
def test_the_digit_run_guard_finds_every_run(length: int) -> None:
    import random
    import re

    run = re.compile(b"[0-9]{%d}" % length)
    rng = random.Random(7)
    alphabet = b'0123456789a" :,.-'
    for _ in range(20_000):
        size = rng.randint(0, 6 * length)
        digit_share = rng.random() ** 0.3  # mostly digits: runs near the length
        data = bytes(
            rng.choice(b"0123456789") if rng.random() < digit_share else rng.choice(alphabet)
            for _ in range(size)
        )
        found = _read._has_long_digit_run(data, length)
        assert found == (run.search(data) is not None), data
    # Many near-misses (18 digits) exhaust the budget: the full scan answers.
    near = b",".join([b"123456789012345678"] * 5000)
    assert not _read._has_long_digit_run(near)
    assert _read._has_long_digit_run(near + b",1234567890123456789")
