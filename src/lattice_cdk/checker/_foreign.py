"""Other tools' acknowledgements: a suppression in cdk-nag, checkov, cfn-lint or cfn-guard
metadata of a rule that states the same fact as a Lattice rule.

Which foreign rule states which Lattice fact is data
(``checker/data/foreign_acknowledgements.json``, loaded once, rendered in
``docs/checker.md``). Each tool's metadata is read in the shape that tool reads it:

- cdk-nag: ``Metadata.cdk_nag.rules_to_suppress: [{id, reason, applies_to?}]`` on the
  resource, or on the template (cdk-nag v2's stack suppressions, for every resource);
  cdk-nag v3 records ``Validations.of(x).acknowledge(...)`` in the assembly manifest,
  read with Lattice's own CDK acknowledgements (:func:`cdk_keys`);
- checkov: ``Metadata.checkov.skip`` (or ``bridgecrew.skip``): ``[{id, comment}]``;
- cfn-lint: ``Metadata.cfn-lint.config.ignore_checks: [ids]`` (resource or template);
- cfn-guard: ``Metadata.guard.SuppressedRules: [names]``.

A suppression counts only with a reason, and its validity is
:func:`~lattice_cdk._findings.parse_acknowledgement`'s, as for every other source.
cfn-lint and cfn-guard have no reason field: their suppressions never count, and the
finding says it saw them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from .._records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ForeignRule",
    "ForeignSuppression",
    "cdk_keys",
    "foreign_rules",
    "foreign_suppressions",
    "may_suppress",
]

DATA = Path(__file__).with_name("data") / "foreign_acknowledgements.json"

#: The tools that read suppressions in the template's own Metadata too (for every
#: resource): cdk-nag v2's stack suppressions, cfn-lint's template configuration.
_TEMPLATE_WIDE = frozenset({"cdk-nag", "cfn-lint"})
#: The Metadata keys the tools read: a resource without any costs no data load.
_TOOL_KEYS = ("cdk_nag", "checkov", "bridgecrew", "cfn-lint", "guard")
_TOOL_KEY_SET = frozenset(_TOOL_KEYS)
#: The prefixes CDK has put before an acknowledged id without a plugin namespace
#: (``Annotation::`` since aws-cdk-lib 2.262.1, ``annotation::`` before), as cdk-nag v3
#: strips them.
_CDK_PREFIXES = ("Annotation::", "annotation::", "")


class ForeignRule(Record):
    """A rule of another tool that states the same fact as some Lattice rules."""

    tool: str
    rule_id: str
    lattice: tuple[str, ...]
    #: Resource types it applies to; empty for every type.
    types: tuple[str, ...]
    fact: str
    #: Where the foreign rule's meaning was read (its file in that tool's source).
    citation: str

    @property
    def source(self) -> str:
        """``cdk-nag:AwsSolutions-DDB3``: how an acknowledgement through it is recorded."""
        return f"{self.tool}:{self.rule_id}"

    def covers(self, rule_id: str, resource_type: str | None) -> bool:
        return rule_id in self.lattice and (
            not self.types or (resource_type is not None and resource_type in self.types)
        )


class ForeignSuppression(Record):
    """A suppression found in a tool's metadata: the rule and its reason (``None`` when
    the tool has no reason field or the record gives none)."""

    rule: ForeignRule
    reason: Any

    @property
    def source(self) -> str:
        return self.rule.source


@cache
def foreign_rules() -> dict[tuple[str, str], ForeignRule]:
    """Every mapped foreign rule, by ``(tool, rule id)``."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rules: dict[tuple[str, str], ForeignRule] = {}
    for entry in data["rules"]:
        for rule_id in entry["ids"]:
            rules[(entry["tool"], rule_id)] = ForeignRule(
                entry["tool"],
                rule_id,
                tuple(entry["lattice"]),
                tuple(entry["types"]),
                entry["fact"],
                entry["source"],
            )
    return rules


@cache
def _by_lattice_rule() -> dict[str, frozenset[str]]:
    """Lattice rule id -> the tools that map some rule to it: a finding of another rule
    costs one lookup."""
    found: dict[str, set[str]] = {}
    for rule in foreign_rules().values():
        for rule_id in rule.lattice:
            found.setdefault(rule_id, set()).add(rule.tool)
    return {k: frozenset(v) for k, v in found.items()}


def may_suppress(metadata: Mapping[str, Any]) -> bool:
    """Whether ``metadata`` holds some other tool's suppressions (a cheap first look)."""
    return bool(metadata) and not _TOOL_KEY_SET.isdisjoint(metadata)


def foreign_suppressions(
    metadata: Mapping[str, Any],
    rule_id: str,
    resource_type: str | None,
    *,
    template: bool = False,
) -> Iterator[ForeignSuppression]:
    """The suppressions in ``metadata`` (a resource's, or with ``template`` the
    template's, read only for the tools that read it) of foreign rules that state the
    fact of Lattice rule ``rule_id`` for a resource of ``resource_type``."""
    if not may_suppress(metadata):
        return
    tools = _by_lattice_rule().get(rule_id)
    if tools and template:
        tools = tools & _TEMPLATE_WIDE
    if not tools:
        return
    rules = foreign_rules()
    for tool, foreign_id, reason in _entries(metadata, tools):
        rule = rules.get((tool, foreign_id))
        if rule is not None and rule.covers(rule_id, resource_type):
            yield ForeignSuppression(rule, reason)


def _entries(metadata: Mapping[str, Any], tools: frozenset[str]) -> Iterator[tuple[str, str, Any]]:
    """``(tool, rule id, reason)`` of each suppression in ``metadata``, for ``tools``."""
    if "cdk-nag" in tools:
        for item in _list(_get(metadata, "cdk_nag", "rules_to_suppress")):
            # ``applies_to`` narrows a suppression to some granular findings of the rule,
            # never the whole rule: it does not acknowledge the fact.
            if (
                isinstance(item, dict)
                and isinstance(item.get("id"), str)
                and not item.get("applies_to")
            ):
                yield "cdk-nag", item["id"], item.get("reason")
    if "checkov" in tools:
        for key in ("checkov", "bridgecrew"):
            for item in _list(_get(metadata, key, "skip")):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    yield "checkov", item["id"], item.get("comment")
    if "cfn-lint" in tools:
        for item in _list(_get(metadata, "cfn-lint", "config", "ignore_checks")):
            if isinstance(item, str):
                yield "cfn-lint", item, None
    if "cfn-guard" in tools:
        for item in _list(_get(metadata, "guard", "SuppressedRules")):
            if isinstance(item, str):
                yield "cfn-guard", item, None


def cdk_keys(rule_id: str, resource_type: str | None) -> dict[str, ForeignRule]:
    """The keys under which a CDK acknowledgement (cdk-nag v3's
    ``Validations.of(x).acknowledge({id: "AwsSolutions-DDB3", ...})``) of a cdk-nag rule
    stating Lattice rule ``rule_id``'s fact is recorded in the manifest."""
    if "cdk-nag" not in _by_lattice_rule().get(rule_id, ()):
        return {}
    return {
        prefix + rule.rule_id: rule
        for (tool, _), rule in foreign_rules().items()
        if tool == "cdk-nag" and rule.covers(rule_id, resource_type)
        for prefix in _CDK_PREFIXES
    }


def _get(metadata: Mapping[str, Any], *path: str) -> Any:
    value: Any = metadata
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
