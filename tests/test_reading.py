"""Reading input files within bounds: whole, and never past the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from lattice_cdk import InputError
from lattice_cdk._reading import read_bytes


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 1 << 20, (1 << 20) + 3])
def test_a_file_is_read_whole(tmp_path: Path, size: int) -> None:
    data = bytes(i % 251 for i in range(size))
    path = tmp_path / "t.json"
    path.write_bytes(data)
    assert read_bytes(path, limit=2 << 20) == data


def test_a_file_at_the_limit_is_read_and_one_byte_over_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(b"x" * 100)
    assert read_bytes(path, limit=100) == b"x" * 100
    with pytest.raises(InputError, match=r"\[input-too-large\]"):
        read_bytes(path, limit=99)


def test_a_run_that_keeps_its_templates_holds_what_it_built_too() -> None:
    from lattice_cdk.cfn._read import _JSON_BUDGET, close_budget, hold, parse_budget

    built = object()
    token = parse_budget(keep=True)
    try:
        hold(built)
        budget = _JSON_BUDGET.get()
        assert budget is not None
        assert budget.kept == [built]
    finally:
        close_budget(token)
    token = parse_budget()  # a library call's budget keeps nothing
    try:
        hold(built)
        budget = _JSON_BUDGET.get()
        assert budget is not None
        assert budget.kept is None
    finally:
        close_budget(token)
