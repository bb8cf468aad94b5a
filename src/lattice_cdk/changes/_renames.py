"""Renamed resources: a removed and an added resource of the same type that are alike."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping

from ..cfn import Resource
from ._schemas import construct_id, contains_intrinsic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["RENAME_THRESHOLD", "rename_candidates", "similarity"]

#: Two resources with at least this property similarity (0..1) are one resource whose
#: logical id changed.
RENAME_THRESHOLD = 0.5


def rename_candidates(
    removed: Iterable[Resource], added: Iterable[Resource]
) -> Iterator[tuple[str, Resource]]:
    """Pair each removed resource with the added resource of the same type it most
    likely became (property similarity at least :data:`RENAME_THRESHOLD`); yields
    ``(old logical id, new resource)``. Each added resource is used at most once.
    """
    by_type: dict[str, list[Resource]] = {}
    for resource in added:
        by_type.setdefault(resource.type, []).append(resource)
    scored: list[tuple[float, str, str, Resource]] = []
    for before in removed:
        for after in by_type.get(before.type, ()):
            score = similarity(before, after)
            if score >= RENAME_THRESHOLD:
                scored.append((score, before.logical_id, after.logical_id, after))
    # Best pairs first; ties broken by ids so the result does not depend on dict order.
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    used_old: set[str] = set()
    used_new: set[str] = set()
    for _score, old_id, new_id, after in scored:
        if old_id in used_old or new_id in used_new:
            continue
        used_old.add(old_id)
        used_new.add(new_id)
        yield old_id, after


def similarity(before: Resource, after: Resource) -> float:
    """How alike two resources' properties are: the share of (path, value) leaves they
    have in common (1.0 when both have none), plus a bonus when their construct ids
    (the last part of the CDK path) agree."""
    a = set(_leaves(before.properties, ""))
    b = set(_leaves(after.properties, ""))
    score = 1.0 if not a and not b else len(a & b) / len(a | b)
    before_id = construct_id(before.construct_path)
    if before_id is not None and before_id == construct_id(after.construct_path):
        score = min(1.0, score + 0.25)
    return score


def _leaves(value: Any, prefix: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping) and not (len(value) == 1 and contains_intrinsic(value)):
        for key, item in value.items():
            yield from _leaves(item, f"{prefix}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{prefix}/{i}")
    else:
        yield prefix, json.dumps(value, sort_keys=True, default=str)
