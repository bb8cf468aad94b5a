"""YAML templates with CloudFormation's short tags (``!Ref``, ``!GetAtt``, ``!Sub``...).

Imported only when a template is YAML: PyYAML is not free to import. Read within
bounds: aliases may not refer to themselves nor expand past ``MAX_EXPANDED_VALUES`` values,
nesting stops at ``MAX_DEPTH``, integers at ``MAX_INT_DIGITS`` digits, and every mapping
key is a string (CloudFormation ids are: ``1:``, ``~:`` or ``2024-01-01:`` must be
quoted).
"""

from __future__ import annotations

import yaml

from .._errors import InputError
from ._limits import MAX_DEPTH, MAX_EXPANDED_VALUES, MAX_INT_DIGITS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

__all__ = ["load_yaml"]

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT_TAG = "tag:yaml.org,2002:int"
_KEY_KINDS = {
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
    "NoneType": "null",
    "date": "a date",
    "datetime": "a timestamp",
    "list": "a list",
    "dict": "a mapping",
}


class _Refused(Exception):
    """A document the loader will not build; carries the sentence and the node."""

    def __init__(self, message: str, node: yaml.Node | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


class _CfnLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader that turns ``!Fn`` short tags into their long JSON forms and
    refuses keys that are not strings and integers past ``MAX_INT_DIGITS``."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != (
                "tag:yaml.org,2002:str"
            ):
                key = self.construct_object(key_node)
                if not isinstance(key, str):
                    kind = _KEY_KINDS.get(type(key).__name__, type(key).__name__)
                    raise _Refused(
                        f"has the key {key_node.value!r}, which YAML reads as {kind}, where "
                        "CloudFormation needs a string (quote it)",
                        key_node,
                    )
        return mapping


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(node.value)
    if len(text) > MAX_INT_DIGITS:
        raise _Refused(
            f"holds an integer of {len(text)} digits; Lattice reads at most {MAX_INT_DIGITS}",
            node,
        )
    return loader.construct_yaml_int(node)  # type: ignore[arg-type]


def _construct(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    name = tag_suffix
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if name == "Ref":
        return {"Ref": value}
    if name == "Condition":
        return {"Condition": value}
    if name == "GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        return {"Fn::GetAtt": [resource, attribute]}
    return {f"Fn::{name}": value}


_CfnLoader.add_multi_constructor("!", _construct)
_CfnLoader.add_constructor(_INT_TAG, _construct_int)


def load_yaml(text: str, *, location: str) -> Any:
    try:
        data = yaml.load(text, Loader=_CfnLoader)
        _expect_bounded(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        _refuse(f"is not valid YAML{where}: {problem}.", location)
    except _Refused as exc:
        mark = exc.node.start_mark if exc.node is not None else None
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        _refuse(f"{exc.message}{where}.", location)
    except RecursionError:
        _refuse(f"nests mappings and lists more than {MAX_DEPTH} levels deep.", location)
    return data


def _refuse(message: str, location: str) -> NoReturn:
    raise InputError(message, location=location, code="malformed-template")


def _expect_bounded(data: Any) -> None:
    """Raise :class:`_Refused` when ``data`` refers to itself (a recursive alias), nests
    past ``MAX_DEPTH`` or stands for more than ``MAX_EXPANDED_VALUES`` values once aliases are
    expanded (each alias is a reference to one shared value, so the document is walked
    as a graph: each value once, its expanded size summed)."""
    if not isinstance(data, (dict, list)):
        return
    # id -> (expanded size, height) of a finished container.
    done_ids: dict[int, tuple[int, int]] = {}
    open_ids: set[int] = set()  # containers on the current path: a cycle if met again
    todo: list[tuple[Any, int, bool]] = [(data, 1, False)]
    while todo:
        node, depth, finished = todo.pop()
        key = id(node)
        if key in done_ids and not finished:
            if depth + done_ids[key][1] - 1 > MAX_DEPTH:
                raise _Refused(f"nests mappings and lists more than {MAX_DEPTH} levels deep")
            continue
        children = list(node.values() if isinstance(node, dict) else node)
        containers = [c for c in children if isinstance(c, (dict, list))]
        if finished:
            open_ids.discard(key)
            inner = [done_ids[id(c)] for c in containers]
            size = 1 + len(children) + sum(s - 1 for s, _ in inner)
            if size > MAX_EXPANDED_VALUES:
                raise _Refused(
                    f"stands for more than {MAX_EXPANDED_VALUES:,} values once its aliases are "
                    "expanded (an alias bomb?)"
                )
            done_ids[key] = (size, 1 + max((h for _, h in inner), default=0))
            continue
        if depth > MAX_DEPTH:
            raise _Refused(f"nests mappings and lists more than {MAX_DEPTH} levels deep")
        open_ids.add(key)
        todo.append((node, depth, True))
        for child in containers:
            if id(child) in open_ids:
                raise _Refused("holds an alias that refers to itself")
            todo.append((child, depth + 1, False))
