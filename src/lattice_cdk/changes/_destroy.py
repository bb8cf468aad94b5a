"""A destroy plan: what deleting each stack would do to each stateful resource.

Each stateful resource gets one fate:

    deleted    CloudFormation deletes it and its data
    snapshot   a final snapshot is taken, then it is deleted
    retained   it is left behind, unmanaged (with the command that deletes it later)
    blocked    the delete fails: stack termination protection, deletion protection, a
               bucket that is not empty, a backup vault holding recovery points or locked
    unknown    it cannot be judged before deploy: its DeletionPolicy is an intrinsic, or
               it is a template entry Lattice cannot evaluate (a resource a transform
               makes, a loop over a deploy-time collection, a nested stack whose
               template is not in the assembly), listed with its fix

Facts come from the stateful-type table (``snapshot``, ``delete_requires_empty``,
``deletion_protection``, ``default_deletion_policy``) and the stack's termination
protection from the model; nothing here talks to AWS (``--deployed`` reads the stacks
first, in the CLI).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .._records import Record
from ..cfn import Resource, Stack, stateful_type
from ..checker.judge import Fate, deletion_fate, deletion_policy, protection_state
from ._schemas import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..cfn._knowledge import StatefulType

__all__ = ["FATES", "DestroyItem", "StackPlan", "destroy_plan", "stack_plan"]

#: Every fate, in the order plans list them.
FATES = ("deleted", "blocked", "unknown", "snapshot", "retained")
_VAULT = "AWS::Backup::BackupVault"
#: The property that holds a type's physical name, where the template may set it.
_NAME_PROPERTY = {
    "AWS::S3::Bucket": "BucketName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::RDS::DBInstance": "DBInstanceIdentifier",
    "AWS::RDS::DBCluster": "DBClusterIdentifier",
    "AWS::Backup::BackupVault": "BackupVaultName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::EFS::FileSystem": "FileSystemId",
}


class DestroyItem(Record):
    """What deleting its stack does to one stateful resource."""

    stack: str
    logical_id: str
    type: str
    #: One of :data:`FATES`.
    fate: str
    #: Why, in a sentence.
    detail: str
    #: For a retained resource: the command that deletes it once it is not needed.
    cleanup: str | None = None
    physical_id: str | None = None
    construct_path: str | None = None


class StackPlan(Record):
    """The destroy plan of one stack."""

    stack: str
    termination_protection: bool | None
    items: tuple[DestroyItem, ...]

    def counts(self) -> dict[str, int]:
        """How many resources meet each fate (fates with none left out)."""
        out = dict.fromkeys(FATES, 0)
        for item in self.items:
            out[item.fate] += 1
        return {k: v for k, v in out.items() if v}

    def summary(self) -> str:
        """One line: ``prod-data: 2 deleted, 1 retained (termination protection off)``."""
        counts = ", ".join(f"{n} {fate}" for fate, n in self.counts().items()) or (
            "no stateful resources"
        )
        protection = {True: "on", False: "off", None: "unknown"}[self.termination_protection]
        return f"{self.stack}: {counts} (termination protection {protection})"


def destroy_plan(
    stacks: Iterable[Stack], *, physical_ids: Mapping[str, Mapping[str, str]] | None = None
) -> list[StackPlan]:
    """The plan of every stack; ``physical_ids`` maps stack name -> logical id ->
    physical id when the stacks are deployed (``--deployed``)."""
    ids = physical_ids or {}
    return [stack_plan(s, physical_ids=ids.get(s.name, {})) for s in stacks]


def stack_plan(stack: Stack, *, physical_ids: Mapping[str, str] | None = None) -> StackPlan:
    """What deleting ``stack`` does to each of its stateful resources."""
    items = []
    for resource in stack.resources.values():
        info = stateful_type(resource.type)
        if info is None or not info.holds_data:
            continue
        physical = (physical_ids or {}).get(resource.logical_id) or _literal_name(resource)
        fate, detail = _fate(stack, resource, info)
        cleanup = _cleanup(resource, physical) if fate == "retained" else None
        items.append(
            DestroyItem(
                stack=stack.name,
                logical_id=resource.logical_id,
                type=resource.type,
                fate=fate,
                detail=detail,
                cleanup=cleanup,
                physical_id=physical,
                construct_path=resource.construct_path,
            )
        )
    for key, entry in stack.unevaluated.items():
        items.append(
            DestroyItem(
                stack=stack.name,
                logical_id=key,
                type=entry.type or "Fn::ForEach",
                fate="unknown",
                detail=f"{entry.reason}: what a delete does to it is not known here. "
                f"Fix: {entry.fix}",
            )
        )
    items.sort(key=lambda i: (FATES.index(i.fate), i.logical_id))
    return StackPlan(
        stack=stack.name, termination_protection=stack.termination_protection, items=tuple(items)
    )


def _fate(stack: Stack, resource: Resource, info: StatefulType) -> tuple[str, str]:
    """The fate of ``resource`` when ``stack`` is deleted, and why."""
    fate, detail = _resource_fate(stack, resource, info)
    if stack.termination_protection:
        return "blocked", (
            "stack termination protection is on: the stack delete is refused (once it is "
            f"off: {fate}, {detail})"
        )
    return fate, detail


def _resource_fate(stack: Stack, resource: Resource, info: StatefulType) -> tuple[str, str]:
    # The checker's judgement of the data's fate (one place); this adds only what blocks
    # the delete itself and the words a plan needs.
    policy = deletion_policy(resource, info)
    if not isinstance(policy, str):
        return "unknown", f"DeletionPolicy {show(policy)} is only known at deploy time"
    if resource.deletion_policy is None:
        source = f"DeletionPolicy absent: {policy}, the type's default"
    else:
        source = f"DeletionPolicy {policy}"
    fate = deletion_fate(stack, resource, info)
    if fate is Fate.KEPT:
        return "retained", f"{source}: left behind, unmanaged, with its data"
    blocked = _blockers(resource, info, fate)
    if blocked:
        return "blocked", f"{source}, but {blocked}"
    if fate is Fate.SNAPSHOT:
        return "snapshot", f"{source}: a final snapshot is taken, then it is deleted"
    if fate is Fate.UNKNOWN:
        return "unknown", f"{source}: what it keeps is only known at deploy time"
    if policy not in ("Delete", "Snapshot"):
        return "unknown", f"DeletionPolicy {show(policy)} is not one CloudFormation knows"
    why = " (this type takes no snapshots)" if policy == "Snapshot" else ""
    emptied = " (auto-delete-objects empties it first)" if fate is Fate.EMPTIED else ""
    return "deleted", f"{source}{why}: deleted with its data{emptied}"


def _blockers(resource: Resource, info: StatefulType, fate: Fate) -> str:
    reasons: list[str] = []
    if info.deletion_protection is not None:
        state = protection_state(resource, info.deletion_protection)
        path = info.deletion_protection.path
        if state is True:
            reasons.append(f"deletion protection is on ({path}): the delete fails")
        elif state is None:
            reasons.append(f"deletion protection ({path}) is only known at deploy time")
    if resource.type == _VAULT:
        if resource.properties.get("LockConfiguration"):
            reasons.append("the vault is locked (LockConfiguration): it cannot be deleted")
        else:
            reasons.append("the delete fails while the vault holds recovery points")
    elif fate is Fate.LOCKED:
        reasons.append(
            "S3 Object Lock keeps its objects, so it cannot be emptied: the delete fails"
        )
    elif fate is Fate.FAILS_IF_NOT_EMPTY:
        reasons.append("the delete fails unless it is empty")
    return "; ".join(reasons)


def _literal_name(resource: Resource) -> str | None:
    name: Any = resource.properties.get(_NAME_PROPERTY.get(resource.type, ""))
    return name if isinstance(name, str) else None


def _cleanup(resource: Resource, physical: str | None) -> str:
    # Cloud Control deletes any type by its primary identifier, one command for all.
    # Without a physical id (not --deployed), say where to read it before the delete.
    identifier = (
        physical or f"<physical id of {resource.logical_id}: lattice destroy-plan --deployed>"
    )
    return (
        f"aws cloudcontrol delete-resource --type-name {resource.type} --identifier '{identifier}'"
    )
