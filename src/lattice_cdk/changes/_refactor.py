"""Rename fixes: the mapping file ``cdk refactor --override-file`` takes, and the
one-line ``override_logical_id`` that keeps a stateful resource's old logical id.

``cdk refactor`` moves resources to new logical ids without replacing them, but only
pure moves: a resource whose properties also changed is refused. So each rename is
classed as a pure move (its body, references to other renamed resources rewritten, is
the same apart from Metadata) or a rename mixed with other edits.

The override file's shape is the one the CDK CLI documents (aws-cdk README, "cdk
refactor", ``--override-file``)::

    {"mappings": [{"account": "123456789012", "region": "us-east-1",
                   "resources": {"Stack.OldId": "Stack.NewId"}}]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._errors import InputError
from .._records import Record
from ..cfn import Assembly, Stack
from ._renames import stack_renames
from ._stacks import match_stacks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Move", "assembly_moves", "override_file", "override_line", "stack_moves"]


class Move(Record):
    """One stateful resource whose logical id changed within a stack."""

    stack: str
    old_id: str
    new_id: str
    resource_type: str
    #: True when nothing but the logical id changed (what ``cdk refactor`` accepts).
    pure: bool
    account: str | None = None
    region: str | None = None
    construct_path: str | None = None


def stack_moves(old: Stack, new: Stack) -> list[Move]:
    """The renamed stateful resources from ``old`` to ``new`` (the same stack)."""
    pairs = stack_renames(old, new)
    renamed = {before.logical_id: after.logical_id for before, after in pairs}
    old_bodies = old.template.get("Resources") or {}
    new_bodies = new.template.get("Resources") or {}
    moves = []
    for before, after in pairs:
        was = _rewrite(_without_metadata(old_bodies.get(before.logical_id)), renamed)
        pure = was == _without_metadata(new_bodies.get(after.logical_id))
        moves.append(
            Move(
                stack=new.name,
                old_id=before.logical_id,
                new_id=after.logical_id,
                resource_type=after.type,
                pure=pure,
                account=new.account or old.account,
                region=new.region or old.region,
                construct_path=after.construct_path,
            )
        )
    return sorted(moves, key=lambda m: (m.stack, m.old_id))


def assembly_moves(old: Assembly, new: Assembly) -> list[Move]:
    """:func:`stack_moves` over every pair of stacks matched by name."""
    pairs, _removed = match_stacks(old, new)
    return [m for pair in pairs for m in stack_moves(pair.old, pair.new)]


def override_file(
    moves: Sequence[Move], *, account: str | None = None, region: str | None = None
) -> dict[str, Any]:
    """The ``--override-file`` content for the pure moves, grouped by environment;
    ``account`` and ``region`` stand in for stacks that are environment-agnostic."""
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for move in moves:
        if not move.pure:
            continue
        env_account = move.account or account
        env_region = move.region or region
        if not env_account or not env_region:
            raise InputError(
                f"stack {move.stack} is environment-agnostic: the override file needs its "
                "account and region.",
                location=move.stack,
                fix="pass --account and --region (the environment the stack is deployed to).",
                code="usage",
            )
        resources = groups.setdefault((env_account, env_region), {})
        resources[f"{move.stack}.{move.old_id}"] = f"{move.stack}.{move.new_id}"
    return {
        "mappings": [
            {"account": a, "region": r, "resources": dict(sorted(resources.items()))}
            for (a, r), resources in sorted(groups.items())
        ]
    }


def override_line(move: Move) -> str:
    """The CDK line that keeps the old logical id on the new resource."""
    where = move.construct_path or f"{move.stack}/{move.new_id}"
    return f"{where}: (resource.node.default_child).override_logical_id({move.old_id!r})"


def _without_metadata(body: Any) -> Any:
    if not isinstance(body, Mapping):
        return body
    return {k: v for k, v in body.items() if k != "Metadata"}


def _rewrite(value: Any, renamed: Mapping[str, str]) -> Any:
    """``value`` with references (Ref, Fn::GetAtt, DependsOn) to renamed ids rewritten."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                out[key] = renamed.get(item, item)
            elif key == "Fn::GetAtt" and isinstance(item, list) and item:
                out[key] = [renamed.get(item[0], item[0]), *item[1:]]
            elif key == "Fn::Sub" and isinstance(item, str):
                for old_id, new_id in renamed.items():
                    item = item.replace("${" + old_id + "}", "${" + new_id + "}")
                    item = item.replace("${" + old_id + ".", "${" + new_id + ".")
                out[key] = item
            elif key == "DependsOn":
                items = item if isinstance(item, list) else [item]
                rewritten = [renamed.get(i, i) if isinstance(i, str) else i for i in items]
                out[key] = rewritten if isinstance(item, list) else rewritten[0]
            else:
                out[key] = _rewrite(item, renamed)
        return out
    if isinstance(value, list):
        return [_rewrite(item, renamed) for item in value]
    return value
