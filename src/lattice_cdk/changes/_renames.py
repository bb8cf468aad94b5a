"""Renamed resources: a removed and an added resource of the same type that are alike.

Pairing compares only pairs that can reach the threshold. Similarity is the Jaccard
share of (path, value) leaves; two leaf sets with a share of at least ``t`` must have a
leaf in common among the first ``n - ceil(t * n) + 1`` leaves of each (``n`` its size),
with leaves ordered rarest first (the prefix filter of set-similarity joins). So each
removed resource is compared with the added ones that share a rare leaf, or its
construct id (which earns a bonus), not with every added resource: 2,000 renamed
buckets take well under a second instead of minutes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping

from .._records import Record
from ..cfn import Resource, Stack, stateful_types
from ..cfn._model import LazyResources
from ._schemas import construct_id, contains_intrinsic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["RENAME_THRESHOLD", "rename_candidates", "similarity", "stack_renames"]

#: Two resources with at least this property similarity (0..1) are one resource whose
#: logical id changed.
RENAME_THRESHOLD = 0.5
#: What agreeing construct ids (the last part of the CDK path) add to the similarity.
_ID_BONUS = 0.25

_Leaf = tuple[str, str]


def rename_candidates(
    removed: Iterable[Resource], added: Iterable[Resource]
) -> Iterator[tuple[str, Resource]]:
    """Pair each removed resource with the added resource of the same type it most
    likely became (similarity at least :data:`RENAME_THRESHOLD`); yields
    ``(old logical id, new resource)``. Each added resource is used at most once; the
    best pairs go first, ties broken by logical ids.
    """
    by_type: dict[str, list[Resource]] = {}
    for resource in added:
        by_type.setdefault(resource.type, []).append(resource)
    olds_by_type: dict[str, list[Resource]] = {}
    for resource in removed:
        if resource.type in by_type:
            olds_by_type.setdefault(resource.type, []).append(resource)
    pairs: list[tuple[float, str, str, Resource]] = []
    for kind, olds in olds_by_type.items():
        pairs.extend(_pair(olds, by_type[kind]))
    # Types are paired independently; this is the order one global greedy pass gives.
    pairs.sort(key=lambda item: (-item[0], item[1], item[2]))
    for _score, old_id, _new_id, after in pairs:
        yield old_id, after


class _Side(Record):
    """One side of a pairing: resources, their leaf sets and construct ids."""

    resources: list[Resource]
    leaves: list[frozenset[_Leaf]]
    ids: list[str | None]


def _side(resources: list[Resource]) -> _Side:
    return _Side(
        resources=resources,
        leaves=[frozenset(_leaves(r.properties, "")) for r in resources],
        ids=[construct_id(r.construct_path) for r in resources],
    )


def _pair(olds: list[Resource], news: list[Resource]) -> list[tuple[float, str, str, Resource]]:
    """Greedy best-first pairing, as if every pair were scored and sorted by (-score,
    old id, new id). Perfect pairs (score 1.0: the same leaves, or a construct id that
    agrees and a share of at least 0.75) go first; only what is left is joined."""
    old, new = _side(olds), _side(news)
    used_old: set[int] = set()
    used_new: set[int] = set()
    out: list[tuple[float, str, str, Resource]] = []

    def take(pairs: Iterable[tuple[float, int, int]]) -> None:
        for score, i, j in pairs:
            if i not in used_old and j not in used_new:
                used_old.add(i)
                used_new.add(j)
                out.append((score, olds[i].logical_id, news[j].logical_id, news[j]))

    take((1.0, i, j) for i, j in _perfect_pairs(old, new))
    rest_old = [i for i in range(len(olds)) if i not in used_old]
    rest_new = [j for j in range(len(news)) if j not in used_new]
    if rest_old and rest_new:
        scored = sorted(
            (-score, olds[i].logical_id, news[j].logical_id, i, j)
            for score, i, j in _joined(old, new, rest_old, rest_new)
        )
        take((-neg, i, j) for neg, _, _, i, j in scored)
    return out


def _perfect_pairs(old: _Side, new: _Side) -> list[tuple[int, int]]:
    by_leaves: dict[frozenset[_Leaf], list[int]] = {}
    by_id: dict[str, list[int]] = {}
    for j, leaves in enumerate(new.leaves):
        by_leaves.setdefault(leaves, []).append(j)
        if (cid := new.ids[j]) is not None:
            by_id.setdefault(cid, []).append(j)
    groups: dict[frozenset[_Leaf], list[int]] = {}
    bonus: list[tuple[int, int]] = []
    for i, leaves in enumerate(old.leaves):
        if leaves in by_leaves:
            groups.setdefault(leaves, []).append(i)
        cid = old.ids[i]
        for j in by_id.get(cid, ()) if cid is not None else ():
            if new.leaves[j] != leaves and _jaccard(leaves, new.leaves[j]) + _ID_BONUS >= 1.0:
                bonus.append((i, j))
    pairs: list[tuple[int, int]] = []
    touched = {i for i, _ in bonus} | {j for _, j in bonus}
    for leaves, old_group in groups.items():
        new_group = by_leaves[leaves]
        if touched.isdisjoint(old_group) and len(old_group) * len(new_group) > 64:
            # A block of identical resources with nothing else at 1.0: the greedy order
            # pairs them by sorted logical ids; no need to list every pair.
            key_old = sorted(old_group, key=lambda i: old.resources[i].logical_id)
            key_new = sorted(new_group, key=lambda j: new.resources[j].logical_id)
            pairs.extend(zip(key_old, key_new, strict=False))
        else:
            pairs.extend((i, j) for i in old_group for j in new_group)
    pairs.extend(bonus)
    # Zipped blocks are already in greedy order among themselves; sorting all of them
    # by ids keeps the global order (a block's pairs never compete with another's).
    pairs.sort(key=lambda p: (old.resources[p[0]].logical_id, new.resources[p[1]].logical_id))
    return pairs


def _joined(
    old: _Side, new: _Side, rest_old: list[int], rest_new: list[int]
) -> Iterator[tuple[float, int, int]]:
    """Every (score, i, j) at or above the threshold among the remaining resources."""
    # Rarest leaves first; ties by the leaf itself, so the order is deterministic.
    counts: dict[_Leaf, int] = {}
    for leaves in (*(old.leaves[i] for i in rest_old), *(new.leaves[j] for j in rest_new)):
        for leaf in leaves:
            counts[leaf] = counts.get(leaf, 0) + 1
    index: dict[_Leaf, list[int]] = {}
    empty: list[int] = []
    by_id: dict[str, list[int]] = {}
    for j in rest_new:
        leaves = new.leaves[j]
        if not leaves:
            empty.append(j)
        for leaf in _prefix(leaves, counts):
            index.setdefault(leaf, []).append(j)
        if (cid := new.ids[j]) is not None:
            by_id.setdefault(cid, []).append(j)
    for i in rest_old:
        leaves = old.leaves[i]
        cid = old.ids[i]
        candidates: set[int] = set(empty) if not leaves else set()
        for leaf in _prefix(leaves, counts):
            candidates.update(index.get(leaf, ()))
        if cid is not None:
            candidates.update(by_id.get(cid, ()))
        for j in candidates:
            score = _jaccard(leaves, new.leaves[j])
            if cid is not None and cid == new.ids[j]:
                score = min(1.0, score + _ID_BONUS)
            if score >= RENAME_THRESHOLD:
                yield score, i, j


def _prefix(leaves: frozenset[_Leaf], counts: Mapping[_Leaf, int]) -> list[_Leaf]:
    if not leaves:
        return []
    size = len(leaves)
    length = size - math.ceil(RENAME_THRESHOLD * size) + 1
    return sorted(leaves, key=lambda leaf: (counts[leaf], leaf))[:length]


def _jaccard(a: frozenset[_Leaf], b: frozenset[_Leaf]) -> float:
    if not a and not b:
        return 1.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def similarity(before: Resource, after: Resource) -> float:
    """How alike two resources' properties are: the share of (path, value) leaves they
    have in common (1.0 when both have none), plus a bonus when their construct ids
    (the last part of the CDK path) agree."""
    score = _jaccard(
        frozenset(_leaves(before.properties, "")), frozenset(_leaves(after.properties, ""))
    )
    before_id = construct_id(before.construct_path)
    if before_id is not None and before_id == construct_id(after.construct_path):
        score = min(1.0, score + _ID_BONUS)
    return score


def _leaves(value: Any, prefix: str) -> Iterator[_Leaf]:
    if isinstance(value, Mapping) and not (len(value) == 1 and contains_intrinsic(value)):
        for key, item in value.items():
            yield from _leaves(item, f"{prefix}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{prefix}/{i}")
    else:
        yield prefix, json.dumps(value, sort_keys=True, default=str)


def stack_renames(old: Stack, new: Stack) -> list[tuple[Resource, Resource]]:
    """The stateful resources of ``old`` whose logical id changed in ``new``: each
    removed stateful resource paired with the added resource (same type) it became.
    ``lattice diff`` and ``--format refactor`` both ask this; only the resources
    removed or added are built."""
    stateful = stateful_types()
    removed = [
        old.resources[lid]
        for lid, kind in _types(old)
        if kind in stateful and lid not in new.resources
    ]
    if not removed:
        return []
    kinds = {r.type for r in removed}
    added = [
        new.resources[lid]
        for lid, kind in _types(new)
        if kind in kinds and lid not in old.resources
    ]
    by_id = {r.logical_id: r for r in removed}
    return [(by_id[old_id], after) for old_id, after in rename_candidates(removed, added)]


def _types(stack: Stack) -> Iterator[tuple[str, str]]:
    """``(logical id, type)`` of each resource, building no record where the stack's
    resources are built lazily."""
    resources = stack.resources
    if isinstance(resources, LazyResources):
        return resources.types()
    return ((lid, r.type) for lid, r in resources.items())
