"""The examples in docs/constructs.md run as written."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "constructs.md"
BLOCKS = [
    block
    for block in re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    if "self" not in block  # fragments of a user's construct, not whole programs
]


def test_the_doc_has_runnable_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("block", BLOCKS, ids=[f"example{i}" for i in range(len(BLOCKS))])
def test_example_runs(block: str) -> None:
    source = textwrap.dedent(block)  # examples inside list items are indented
    namespace: dict[str, object] = {}
    exec(compile(source, str(DOC), "exec"), namespace)
    app = namespace["app"]
    assembly = app.synth()  # type: ignore[attr-defined]
    assert assembly.stacks
