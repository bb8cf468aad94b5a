"""Rename pairing: the prefix-filtered join finds exactly the pairs a full comparison
finds, and stays near-linear in the number of renamed resources."""

from __future__ import annotations

import time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lattice_cdk.cfn import Resource
from lattice_cdk.changes._renames import RENAME_THRESHOLD, rename_candidates, similarity


def _resource(logical_id: str, props: dict[str, Any], path: str | None = None) -> Resource:
    return Resource(logical_id=logical_id, type="AWS::S3::Bucket", properties=props, cdk_path=path)


def _brute_force(removed: list[Resource], added: list[Resource]) -> list[tuple[str, str]]:
    scored = sorted(
        (
            (-similarity(a, b), a.logical_id, b.logical_id)
            for a in removed
            for b in added
            if similarity(a, b) >= RENAME_THRESHOLD
        ),
    )
    used_old: set[str] = set()
    used_new: set[str] = set()
    out = []
    for _score, old, new in scored:
        if old not in used_old and new not in used_new:
            used_old.add(old)
            used_new.add(new)
            out.append((old, new))
    return out


PROPS = st.dictionaries(st.sampled_from(["A", "B", "C", "D", "E"]), st.integers(0, 3), max_size=5)
PATHS = st.one_of(st.none(), st.sampled_from(["App/S/Data/Resource", "App/T/Logs/Resource"]))


@settings(max_examples=200, deadline=None)
@given(
    old=st.lists(st.tuples(PROPS, PATHS), max_size=6),
    new=st.lists(st.tuples(PROPS, PATHS), max_size=6),
)
def test_the_join_finds_what_a_full_comparison_finds(
    old: list[tuple[dict[str, Any], str | None]], new: list[tuple[dict[str, Any], str | None]]
) -> None:
    removed = [_resource(f"Old{i}", p, c) for i, (p, c) in enumerate(old)]
    added = [_resource(f"New{i}", p, c) for i, (p, c) in enumerate(new)]
    pairs = [(o, n.logical_id) for o, n in rename_candidates(removed, added)]
    assert pairs == _brute_force(removed, added)


# CPU time, not wall time: the test machines are shared, and this measures our work.


def test_two_thousand_renamed_buckets_pair_in_seconds() -> None:
    def props(i: int) -> dict[str, Any]:
        return {
            "BucketName": f"data-{i}",
            "VersioningConfiguration": {"Status": "Enabled"},
            "Tags": [{"Key": "team", "Value": f"t{i % 7}"}],
        }

    removed = [_resource(f"Bucket{i}", props(i), f"App/Old/B{i}/Resource") for i in range(2000)]
    added = [_resource(f"Moved{i}", props(i), f"App/New/B{i}/Resource") for i in range(2000)]
    start = time.process_time()
    pairs = dict(rename_candidates(removed, added))
    elapsed = time.process_time() - start
    assert {old: new.logical_id for old, new in pairs.items()} == {
        f"Bucket{i}": f"Moved{i}" for i in range(2000)
    }
    assert elapsed < 5.0, f"{elapsed:.1f} s"


def test_blocks_of_identical_resources_pair_as_the_full_comparison_does() -> None:
    removed = [_resource(f"Old{i:02}", {"A": i % 2}) for i in range(12)]
    added = [_resource(f"New{i:02}", {"A": i % 2}) for i in range(12, 0, -1)]
    pairs = [(o, n.logical_id) for o, n in rename_candidates(removed, added)]
    assert pairs == _brute_force(removed, added)
    # A construct id shared across the block still follows the full comparison.
    removed.append(_resource("Old99", {"A": 0, "B": 1, "C": 1, "D": 1}, "App/X/Data/Resource"))
    added.append(_resource("New99", {"A": 0, "B": 1, "C": 1}, "App/Y/Data/Resource"))
    pairs = [(o, n.logical_id) for o, n in rename_candidates(removed, added)]
    assert pairs == _brute_force(removed, added)


def test_two_thousand_edited_or_identical_renames_pair_in_seconds() -> None:
    # Renamed and edited (no perfect pair: the join does the work) ...
    removed = [
        _resource(f"B{i}", {"BucketName": f"d-{i}", "V": "on", "T": i % 7}) for i in range(2000)
    ]
    added = [
        _resource(f"M{i}", {"BucketName": f"d-{i}", "V": "on", "T": i % 7, "X": 1})
        for i in range(2000)
    ]
    start = time.process_time()
    assert len(dict(rename_candidates(removed, added))) == 2000
    # ... and 2,000 buckets with no properties at all.
    empty = [_resource(f"E{i}", {}) for i in range(2000)]
    moved = [_resource(f"F{i}", {}) for i in range(2000)]
    assert len(dict(rename_candidates(empty, moved))) == 2000
    elapsed = time.process_time() - start
    assert elapsed < 5.0, f"{elapsed:.1f} s"
