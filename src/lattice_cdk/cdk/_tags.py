"""Tags and metadata that tell tools (the checker, AWS Backup selections) what Lattice did."""

from __future__ import annotations

from typing import Any

import jsii
from aws_cdk import CfnResource, Stack, TagManager, Tags
from constructs import Construct, IConstruct

from .._policy import StatefulnessPolicy

__all__ = [
    "BACKUP_TAG",
    "ENVIRONMENT_TAG",
    "LATTICE_METADATA_KEY",
    "NAME_TAG",
    "PLAN_TAG",
    "PROTECTION_TAG",
    "lattice_tags",
    "protect_stack",
    "record_lattice_view",
    "tag_lattice",
    "tag_resource",
]

#: Canonical environment name (the checker reads it to know a stack's environment).
ENVIRONMENT_TAG = "lattice:environment"
#: ``maximum``, ``moderate`` or ``minimal``.
PROTECTION_TAG = "lattice:protection"
#: The construct's logical ``name=``.
NAME_TAG = "lattice:name"
#: The environment, on resources enrolled in AWS Backup by tag (the selections match it).
BACKUP_TAG = "lattice:backup"
#: The name of the backup plan (of the stack's :class:`BackupManager`) a resource is in.
PLAN_TAG = "lattice:backup-plan"
#: Resource Metadata key holding Lattice's view of a resource.
LATTICE_METADATA_KEY = "lattice"
#: What ``Tags.of(...).add`` uses by default.
_TAG_PRIORITY = 100


def tag_lattice(scope: Construct, policy: StatefulnessPolicy, *, name: str | None = None) -> None:
    """Tag every taggable resource under ``scope`` with the environment and protection."""
    tags = Tags.of(scope)
    for key, value in lattice_tags(policy, name=name).items():
        tags.add(key, value)


def tag_resource(resource: IConstruct, tags: dict[str, str]) -> None:
    """Set ``tags`` on one taggable construct (an L1, or an L2 that renders its own)
    directly (no aspect: one call per tag), at the
    priority ``Tags.of(...).add`` uses, so an app's own tag of the same key still wins
    when applied closer to the resource."""
    manager = TagManager.of(resource) if tags else None
    if manager is not None:
        for key, value in tags.items():
            # TagManager.setTag through jsii's public invoke: the binding's run-time
            # type check of its four arguments costs ~20 us in Python per call (five
            # calls a resource), and Lattice's arguments are a str, a str and an int.
            jsii.invoke(manager, "setTag", [key, value, _TAG_PRIORITY])


def lattice_tags(policy: StatefulnessPolicy, *, name: str | None = None) -> dict[str, str]:
    """The environment, protection (and name) tags :func:`tag_lattice` applies."""
    tags = {ENVIRONMENT_TAG: policy.environment, PROTECTION_TAG: policy.protection_level.value}
    if name is not None:
        tags[NAME_TAG] = name
    return tags


def record_lattice_view(
    resource: CfnResource, policy: StatefulnessPolicy, *, name: str, **extra: Any
) -> None:
    """Write Lattice's view (environment, protection, removal...) into resource Metadata."""
    view: dict[str, Any] = {
        "name": name,
        "environment": policy.environment,
        "tier": policy.tier.value,
        "protection": policy.protection_level.value,
        "force_retain": policy.force_retain,
        "backups": policy.enable_backups,
    }
    view.update(extra)
    resource.add_metadata(LATTICE_METADATA_KEY, view)


def protect_stack(scope: Construct, policy: StatefulnessPolicy) -> None:
    """Turn on the stack's termination protection where the policy asks for it (prod),
    unless the stack acknowledges LAT2501 (see
    :func:`~lattice_cdk.cdk._guard_acks.protect_stack_unless_acknowledged`)."""
    if policy.termination_protection:
        from ._guard_acks import protect_stack_unless_acknowledged

        protect_stack_unless_acknowledged(scope if isinstance(scope, Stack) else Stack.of(scope))
