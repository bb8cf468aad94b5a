"""Stateful resources that leave: removed from a template, renamed (a new logical id),
or gone with their whole stack. What happens to the data is the judgement core's
:func:`~lattice_cdk.checker.judge.policy_strength` of the DeletionPolicy."""

from __future__ import annotations

from collections.abc import Iterator

from .._findings import Finding
from ..cfn import Resource, Stack, stateful_type
from ..checker.judge import policy_strength
from . import _rules as R
from ._change_finding import change_finding
from ._schemas import show

__all__ = ["removed", "renamed", "stack_removed"]


def removed(stack: Stack, resource: Resource, *, label: str | None = None) -> Finding:
    strength = policy_strength(resource.deletion_policy, stateful_type(resource.type))
    if strength == 0:
        return change_finding(
            R.REMOVED_DELETED,
            stack,
            resource,
            f"{resource.type} {resource.logical_id} is no longer in the template and its "
            f"DeletionPolicy is {resource.deletion_policy or 'Delete (the default)'}: "
            "CloudFormation will delete it and its data.",
            label=label,
        )
    what = (
        "deleted after a final snapshot"
        if strength == 1
        else "left behind, unmanaged (orphaned)"
        if strength == 2
        else f"handled by an unevaluated DeletionPolicy {show(resource.deletion_policy)}"
    )
    return change_finding(
        R.REMOVED_KEPT,
        stack,
        resource,
        f"{resource.type} {resource.logical_id} is no longer in the template: it will be {what}.",
        label=label,
    )


def renamed(old: Stack, new: Stack, before: Resource, after: Resource) -> Finding:
    kept = policy_strength(before.deletion_policy, stateful_type(before.type))
    fate = (
        "is deleted with its data"
        if kept == 0
        else "is orphaned (DeletionPolicy Retain)"
        if kept == 2
        else "is deleted after a final snapshot"
    )
    return change_finding(
        R.RENAMED,
        old,
        before,
        f"{before.type} {before.logical_id} is gone and {after.logical_id} of the same type "
        f"appeared with matching properties{_path_note(before, after)}: the logical id "
        f"changed. CloudFormation creates {after.logical_id} empty and the old resource "
        f"{fate}.",
        fix=(
            f"keep the old logical id: in CDK call "
            f"(resource.node.default_child).override_logical_id({before.logical_id!r}), give a "
            "wrapper construct's inner resource the construct id 'Default', or move it with "
            "'cdk refactor' (preview) before deploying."
        ),
        template_path=old.template_path,
        label=new.label,
    )


def _path_note(before: Resource, after: Resource) -> str:
    if before.construct_path and after.construct_path:
        return f" (construct path {before.construct_path} -> {after.construct_path})"
    return ""


def stack_removed(stack: Stack) -> Iterator[Finding]:
    for resource in stack.resources.values():
        info = stateful_type(resource.type)
        if info is None:
            continue
        strength = policy_strength(resource.deletion_policy, info)
        rule = R.STACK_REMOVED_DELETED if strength == 0 else R.STACK_REMOVED_KEPT
        fate = (
            "deletes it and its data"
            if strength == 0
            else "keeps a final snapshot"
            if strength == 1
            else "leaves it behind, unmanaged"
        )
        yield change_finding(
            rule,
            stack,
            resource,
            f"stack {stack.label} is no longer in the new assembly; deleting it {fate} "
            f"({resource.type} {resource.logical_id}, DeletionPolicy "
            f"{show(resource.deletion_policy) if resource.deletion_policy else 'Delete'}).",
        )
