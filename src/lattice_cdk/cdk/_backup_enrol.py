"""What every Lattice construct does once its resource exists: tag, record, enrol."""

from __future__ import annotations

from aws_cdk import CfnResource, Stack
from aws_cdk.aws_s3 import CfnBucket
from constructs import Construct, IConstruct

from .._errors import StatefulnessError
from .._policy import Removal, StatefulnessPolicy, create_statefulness_policy
from ._backup import BackupManager, stack_manager
from ._backup_recovery import add_restore_test
from ._tags import lattice_tags, protect_stack, record_lattice_view, tag_lattice, tag_resource

__all__ = ["finish_construct", "manager_for"]


def manager_for(
    scope: IConstruct, policy: StatefulnessPolicy, manager: BackupManager | None
) -> BackupManager | None:
    """The manager a Lattice construct backs up through, or ``None`` when backups are off.

    ``manager`` as given, else the stack's, created for the environment alone (a
    construct's own overrides, such as force_retain, stay with the construct).
    """
    if not policy.enable_backups:
        return None
    if manager is None:
        stack = scope if isinstance(scope, Stack) else Stack.of(scope)
        if stack_manager(stack) is not None:
            # of() compares the environments only: no policy to build per construct.
            return BackupManager.of(stack, policy=policy)
        shared = create_statefulness_policy(environment=policy.environment)
        return BackupManager.of(stack, policy=shared)
    if manager.policy.environment != policy.environment:
        raise StatefulnessError(
            f"belongs to environment {manager.policy.environment!r}, not {policy.environment!r}.",
            field="backup_manager",
            value=manager.node.path,
            allowed=f"a BackupManager of environment {policy.environment!r}",
            fix="pass a manager of the same environment, or leave backup_manager unset.",
            code="environment-mismatch",
        )
    return manager


def finish_construct(
    construct: Construct,
    *,
    scope: Construct,
    resource: CfnResource,
    policy: StatefulnessPolicy,
    name: str,
    removal: Removal,
    backup_manager: BackupManager | None,
    own_retention: bool,
    tag_children: bool = False,
    tag_target: IConstruct | None = None,
) -> BackupManager | None:
    """``scope`` is the construct's (a stack, usually: no need to look it up).

    Tag the resource (environment, protection, name; with ``tag_children`` every
    taggable resource of the construct, e.g. a database's secret), protect the stack,
    record Lattice's view in ``resource``'s Metadata (the guard and the checker read its
    ``environment``), and enrol ``resource`` in the stack's backups by tag (with the
    construct's own retention only when it has one); ``tag_target`` takes the tags
    instead of ``resource`` (an L2 that renders its own, as ``TableV2``). Returns the
    manager, or ``None`` when backups are off."""
    tags: dict[str, str] = {}
    if tag_children:
        tag_lattice(construct, policy, name=name)
    else:
        tags.update(lattice_tags(policy, name=name))
    stack = scope if isinstance(scope, Stack) else Stack.of(construct)
    record_lattice_view(resource, policy, name=name, removal=removal.value)
    manager = manager_for(stack, policy, backup_manager)
    if manager is None or manager.stack is not stack:
        protect_stack(stack, policy)  # else the manager, which protects its stack, did
    if manager is not None:
        days = policy.backup_retention_days if own_retention else None
        tags.update(
            manager.enrolment_tags(retention_days=days, bucket=isinstance(resource, CfnBucket))
        )
        add_restore_test(manager.restore_testing, resource)
    tag_resource(tag_target or resource, tags)
    return manager
