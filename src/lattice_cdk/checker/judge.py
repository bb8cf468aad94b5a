"""The judgement core: each fact about protection, as one function over the CloudFormation
model.

Every door asks here and nowhere else: ``lattice check``'s rules, ``lattice report``'s
inventory, ``lattice diff``'s weakened-protection rules, the stateful lock, the CDK
validation plugin (through :func:`~lattice_cdk.checker.check`) and the synth-time guard
(through ``check(..., rules=...)``). A door that needs a variant passes a parameter.

Every answer is three-valued: ``True``, ``False``, or ``None`` when the template leaves
it to deploy time (an intrinsic, a condition). ``None`` is reported as "cannot
evaluate", never passed.

The facts:

- values: :func:`as_bool`, :func:`as_number` (CloudFormation's coercions: ``"true"``,
  ``"False"``, ``"30"``; defined with the other value readers in :mod:`._values`);
- a protection property is on: :func:`protection_state`;
- what a removal policy keeps: :func:`policy_strength`, :func:`deletion_policy`,
  :func:`replace_policy`;
- what happens to the data when the resource leaves the stack or is replaced:
  :func:`deletion_fate`, :func:`replacement_fate`, :func:`survives` (Object Lock, a
  bucket that must be empty to be deleted, the auto-delete custom resource);
- a backup vault keeps its recovery points: :func:`vault_denies_delete`,
  :func:`vault_protected`; how it is locked: :func:`vault_lock`;
- backup coverage: :class:`BackupIndex` (``index.coverage(stack, resource, kind)``);
- acknowledgements: :func:`~lattice_cdk._findings.parse_acknowledgement`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import IntEnum, StrEnum

from .._findings import Acknowledgement, parse_acknowledgement
from .._records import Record
from ..cfn._knowledge import PropertyCheck, StatefulType
from ..cfn._model import Resource, Stack
from ._backup import BackupIndex, Coverage
from ._values import ABSENT, UNKNOWN, as_bool, as_number, get_path, is_intrinsic, references

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "AUTO_DELETE_OBJECTS",
    "Acknowledgement",
    "BackupIndex",
    "Coverage",
    "Fate",
    "Strength",
    "VaultLock",
    "VaultLockMode",
    "as_bool",
    "as_number",
    "auto_delete_resource",
    "deletion_fate",
    "deletion_policy",
    "object_lock",
    "parse_acknowledgement",
    "policy_strength",
    "protection_state",
    "replace_policy",
    "replacement_fate",
    "survives",
    "vault_denies_delete",
    "vault_lock",
    "vault_protected",
]

#: CDK's ``auto_delete_objects=True`` custom resource: empties its bucket on delete.
AUTO_DELETE_OBJECTS = "Custom::S3AutoDeleteObjects"

# -- protection properties -------------------------------------------------------------


def protection_state(resource: Resource, check: PropertyCheck) -> bool | None:
    """Whether the protection ``check`` locates (deletion protection, point-in-time
    recovery, versioning) is on: True, False, or None (cannot evaluate).

    An absent property takes CloudFormation's default. With a ``*`` path every item
    must be on (a global table's every replica).
    """
    value = get_path(resource.properties, check.path)
    if isinstance(value, list) and "*" in check.path:
        if not value:
            return _is_on(ABSENT, check)
        results = [_is_on(item, check) for item in value]
        if False in results:
            return False
        return None if None in results else True
    return _is_on(value, check)


def _is_on(value: Any, check: PropertyCheck) -> bool | None:
    if value is UNKNOWN or is_intrinsic(value):
        return None
    if value is ABSENT:
        value = check.default
        if value is None:
            return False
    if check.min is not None:
        number = as_number(value)
        return None if number is None else number >= check.min
    if isinstance(check.on, bool):
        state = as_bool(value)
        return None if state is None else state is check.on
    return bool(value == check.on)


# -- removal policies ------------------------------------------------------------------


class Strength(IntEnum):
    """How much of the data a DeletionPolicy/UpdateReplacePolicy keeps."""

    DELETE = 0
    SNAPSHOT = 1
    RETAIN = 2


def policy_strength(value: Any, knowledge: StatefulType | None) -> Strength | None:
    """What a DeletionPolicy or UpdateReplacePolicy value keeps; ``None`` for an
    intrinsic (``Fn::If`` on a parameter) or a value CloudFormation does not have.

    ``Snapshot`` keeps a snapshot only on types that honour it; elsewhere it deletes.
    ``value`` ``None`` (not set) is Delete: pass :func:`deletion_policy` for the type's
    own default.
    """
    if value is None or value == "Delete":
        return Strength.DELETE
    if value == "Snapshot":
        return (
            Strength.SNAPSHOT if knowledge is not None and knowledge.snapshot else Strength.DELETE
        )
    if value == "Retain" or value == "RetainExceptOnCreate":
        return Strength.RETAIN
    return None


def deletion_policy(resource: Resource, knowledge: StatefulType | None) -> Any:
    """The DeletionPolicy in force: the template's, else the type's default."""
    if resource.deletion_policy is not None:
        return resource.deletion_policy
    return knowledge.default_deletion_policy if knowledge is not None else "Delete"


def replace_policy(resource: Resource) -> Any:
    """The UpdateReplacePolicy in force (CloudFormation's default is Delete for all)."""
    return (
        resource.update_replace_policy if resource.update_replace_policy is not None else "Delete"
    )


# -- what happens to the data ----------------------------------------------------------


class Fate(StrEnum):
    """What CloudFormation does to a resource's data when it deletes the resource
    (a stack delete, a removal from the template, the old copy after a replacement)."""

    #: Retain: the resource is left behind, unmanaged.
    KEPT = "kept"
    #: Snapshot on a type that honours it: deleted after a final snapshot.
    SNAPSHOT = "snapshot"
    #: S3 Object Lock with a default retention: no one can delete the locked objects,
    #: so the bucket cannot be emptied nor deleted.
    LOCKED = "locked"
    #: Delete on a type that must be empty (S3): the delete fails while it holds data
    #: (the bucket is left behind), and deletes it once someone empties it.
    FAILS_IF_NOT_EMPTY = "fails-if-not-empty"
    #: Delete with the auto-delete custom resource: every object is deleted first.
    EMPTIED = "emptied"
    #: Delete: the data goes with the resource.
    DELETED = "deleted"
    #: The policy or the lock is an intrinsic: decided at deploy time.
    UNKNOWN = "unknown"


def survives(fate: Fate) -> bool | None:
    """Whether the data outlives the delete (None: decided at deploy time).

    A bucket whose delete fails while it holds objects does not count as surviving: it
    survives only until someone (or a lifecycle rule) empties it, and the stack is
    left in DELETE_FAILED."""
    if fate is Fate.UNKNOWN:
        return None
    return fate in (Fate.KEPT, Fate.SNAPSHOT, Fate.LOCKED)


def deletion_fate(stack: Stack, resource: Resource, knowledge: StatefulType) -> Fate:
    """What a stack delete (or removing the resource from the template) does to the
    data, by its DeletionPolicy (or the type's default)."""
    return _fate(stack, resource, knowledge, deletion_policy(resource, knowledge))


def replacement_fate(stack: Stack, resource: Resource, knowledge: StatefulType) -> Fate:
    """What a replacement does to the old resource's data, by its UpdateReplacePolicy."""
    return _fate(stack, resource, knowledge, replace_policy(resource))


def _fate(stack: Stack, resource: Resource, knowledge: StatefulType, policy: Any) -> Fate:
    strength = policy_strength(policy, knowledge)
    if strength is Strength.RETAIN:
        return Fate.KEPT
    if strength is Strength.SNAPSHOT:
        return Fate.SNAPSHOT
    if not knowledge.delete_requires_empty:
        return Fate.UNKNOWN if strength is None else Fate.DELETED
    locked = object_lock(resource)
    if locked is True:
        return Fate.LOCKED
    if strength is None or locked is None:
        return Fate.UNKNOWN
    if auto_delete_resource(stack, resource.logical_id) is not None:
        return Fate.EMPTIED
    return Fate.FAILS_IF_NOT_EMPTY


def object_lock(resource: Resource) -> bool | None:
    """Whether S3 Object Lock keeps every new object from deletion: Object Lock enabled
    with a default retention in COMPLIANCE mode, or in GOVERNANCE mode with a retention
    period. False for other types and other buckets; None when an intrinsic decides."""
    if resource.type != "AWS::S3::Bucket":
        return False
    props = resource.properties
    enabled = props.get("ObjectLockEnabled")
    config = props.get("ObjectLockConfiguration")
    if enabled is None and config is None:
        return False
    state = as_bool(enabled) if enabled is not None else None
    if enabled is not None and state is None:
        return None  # an intrinsic
    if state is False:
        return False
    if is_intrinsic(config):
        return None
    if not isinstance(config, dict):
        return False
    if config.get("ObjectLockEnabled", "Enabled") != "Enabled":
        return None if is_intrinsic(config.get("ObjectLockEnabled")) else False
    mode = get_path(config, "Rule.DefaultRetention.Mode")
    if mode is UNKNOWN:
        return None
    if mode == "COMPLIANCE":
        return True
    if mode != "GOVERNANCE":
        return False
    days = get_path(config, "Rule.DefaultRetention.Days")
    years = get_path(config, "Rule.DefaultRetention.Years")
    if days is UNKNOWN or years is UNKNOWN:
        return None
    return any((as_number(v) or 0) > 0 for v in (days, years) if v is not ABSENT)


def auto_delete_resource(stack: Stack, bucket: str) -> str | None:
    """The logical id of the auto-delete-objects custom resource that empties bucket
    ``bucket`` of ``stack``, if there is one."""
    for logical_id in stack.resources_by_type().get(AUTO_DELETE_OBJECTS, ()):
        target = stack.resources[logical_id].properties.get("BucketName")
        if bucket in references(target):
            return logical_id
    return None


# -- backup vaults ---------------------------------------------------------------------

_DELETE_ACTIONS = frozenset({"backup:deleterecoverypoint", "backup:*", "*"})


def vault_denies_delete(policy: Any) -> bool | None:
    """Whether a vault AccessPolicy (a JSON string or mapping) denies deleting recovery
    points; None when it cannot be read (an intrinsic, not JSON)."""
    if policy is None:
        return False
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return None
    if not isinstance(policy, dict) or is_intrinsic(policy):
        return None
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return None
    undecided = False
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Deny":
            continue
        actions = statement.get("Action")
        if is_intrinsic(actions):
            undecided = True
            continue
        names = [actions] if isinstance(actions, str) else actions
        if isinstance(names, list) and any(
            isinstance(a, str) and a.lower() in _DELETE_ACTIONS for a in names
        ):
            return True
    return None if undecided else False


def vault_protected(resource: Resource) -> bool | None:
    """Whether a backup vault keeps its recovery points until they expire: a Vault Lock
    (``LockConfiguration``) or an access policy denying deletes."""
    if vault_lock(resource).mode is not VaultLockMode.NONE:
        return True
    return vault_denies_delete(resource.properties.get("AccessPolicy"))


class VaultLockMode(StrEnum):
    """How AWS Backup Vault Lock holds a vault's recovery points."""

    #: No lock: the vault's policy alone decides who may delete.
    NONE = "none"
    #: ``LockConfiguration`` without ``ChangeableForDays``: retention is enforced, but a
    #: principal allowed ``backup:DeleteBackupVaultLockConfiguration`` can remove the lock.
    GOVERNANCE = "governance"
    #: ``ChangeableForDays`` set: after that grace time no one, AWS included, can remove
    #: the lock or shorten retention (a logically air-gapped vault is always so).
    COMPLIANCE = "compliance"
    #: An intrinsic decides at deploy time.
    UNKNOWN = "unknown"


class VaultLock(Record):
    """A vault's lock: its mode and the retention bounds it enforces. The day counts are
    the template's values (``None`` when unset, :data:`UNKNOWN` for an intrinsic)."""

    mode: VaultLockMode
    min_retention_days: Any = None
    max_retention_days: Any = None
    changeable_for_days: Any = None


_AIR_GAPPED = "AWS::Backup::LogicallyAirGappedBackupVault"


def vault_lock(resource: Resource) -> VaultLock:
    """How ``resource`` (a backup vault) is locked: governance or compliance mode and
    its ``MinRetentionDays``/``MaxRetentionDays``/``ChangeableForDays``."""
    props = resource.properties
    if resource.type == _AIR_GAPPED:
        return VaultLock(
            VaultLockMode.COMPLIANCE,
            _day_count(props, "MinRetentionDays"),
            _day_count(props, "MaxRetentionDays"),
        )
    config = props.get("LockConfiguration")
    if config is None or config == {}:
        return VaultLock(VaultLockMode.NONE)
    if not isinstance(config, dict) or is_intrinsic(config):
        return VaultLock(VaultLockMode.UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)
    changeable = _day_count(config, "ChangeableForDays")
    mode = (
        VaultLockMode.GOVERNANCE
        if changeable is None
        else VaultLockMode.UNKNOWN
        if changeable is UNKNOWN
        else VaultLockMode.COMPLIANCE
    )
    return VaultLock(
        mode,
        _day_count(config, "MinRetentionDays"),
        _day_count(config, "MaxRetentionDays"),
        changeable,
    )


def _day_count(mapping: Mapping[str, Any], key: str) -> Any:
    value = get_path(mapping, key)
    if value is ABSENT:
        return None
    if value is UNKNOWN:
        return UNKNOWN
    number = as_number(value)
    return value if number is None else int(number)
