"""The finding a destructive change produces: one constructor for every diff rule."""

from __future__ import annotations

from .._findings import Finding, RuleInfo
from ..cfn import Resource, Stack

__all__ = ["change_finding"]


def change_finding(
    rule: RuleInfo,
    stack: Stack,
    resource: Resource,
    message: str,
    *,
    fix: str | None = None,
    template_path: str | None = None,
    label: str | None = None,
) -> Finding:
    """A finding of ``rule`` on ``resource`` of ``stack`` (``label`` names the stack in
    the report when it differs, as for a resource reported from the old template)."""
    return Finding(
        rule_id=rule.rule_id,
        severity=rule.severity,
        title=rule.title,
        message=message,
        fix=fix or rule.fix,
        stack=label or stack.label,
        template_path=template_path or stack.template_path,
        logical_id=resource.logical_id,
        resource_type=resource.type,
        construct_path=resource.construct_path,
    )
