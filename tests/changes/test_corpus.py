"""The before/after corpus: each case's findings are exactly its expected.json.

Cases named ``safe_*`` are changes that must stay silent (false alarms teach people to
ignore the tool); every other case must report something. Regenerate expectations
with ``python tests/changes/regen_expected.py`` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .regen_expected import CORPUS, observed

CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_case_reports_exactly_its_expected_findings(case: str) -> None:
    expected = json.loads((CORPUS / case / "expected.json").read_text(encoding="utf-8"))
    assert observed(CORPUS / case) == expected


@pytest.mark.parametrize("case", CASES)
def test_safe_cases_are_silent_and_others_are_not(case: str) -> None:
    expected = json.loads((CORPUS / case / "expected.json").read_text(encoding="utf-8"))
    if case.startswith("safe_"):
        assert expected == []
    else:
        assert expected, f"{case} is a destructive case and must report a finding"


def test_corpus_covers_every_diff_rule() -> None:
    from lattice_cdk.changes import RULES

    fired = {
        row["rule_id"]
        for case in CASES
        for row in json.loads((CORPUS / case / "expected.json").read_text(encoding="utf-8"))
    }
    diff_rules = {r.rule_id for r in RULES if r.rule_id[4] == "6"}
    assert diff_rules <= fired, sorted(diff_rules - fired)


def test_corpus_inputs_are_what_the_author_script_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The JSON inputs are committed; the script that wrote them must still agree, so a
    # reviewer can read the cases in Python.
    from . import make_corpus_inputs as author

    monkeypatch.setattr(author, "ROOT", tmp_path)
    author.main()
    for written in tmp_path.rglob("*.json"):
        committed = CORPUS / written.relative_to(tmp_path)
        assert json.loads(committed.read_text()) == json.loads(written.read_text()), committed
