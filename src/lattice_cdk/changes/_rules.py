"""The destructive-change rules: what ``lattice diff`` (area 6) and the stateful lock
(area 7) report.

Severity follows one line: an error when this deployment destroys or replaces data, a
warning when it may, or when it removes a safeguard that protects data later, and info
for what needs no action now.
"""

from __future__ import annotations

from .._findings import RuleInfo

__all__ = [
    "LOCK_MAY_REPLACE",
    "LOCK_REMOVED",
    "LOCK_RENAMED",
    "LOCK_REPLACED",
    "LOCK_UNLOCKED",
    "MAY_BE_REMOVED",
    "MAY_REPLACE",
    "REMOVED_DELETED",
    "REMOVED_KEPT",
    "RENAMED",
    "REPLACED",
    "RULES",
    "RULES_BY_ID",
    "STACK_REMOVED_DELETED",
    "STACK_REMOVED_KEPT",
    "WEAKENED_BACKUP_SELECTION",
    "WEAKENED_DELETION_POLICY",
    "WEAKENED_DELETION_PROTECTION",
    "WEAKENED_PITR",
    "WEAKENED_RETENTION",
    "WEAKENED_UPDATE_REPLACE_POLICY",
    "WEAKENED_VAULT",
    "WEAKENED_VERSIONING",
]

_REFACTOR_FIX = (
    "keep the old logical id: call override_logical_id('{old}') on the new resource "
    "(CfnResource), give a wrapper construct's inner resource the id 'Default', or move "
    "the resource with 'cdk refactor' (preview) before deploying."
)
_CFN_REPLACE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html"
_CFN_DELETION = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html"

REMOVED_DELETED = RuleInfo(
    rule_id="LAT1601",
    title="Stateful resource removed: its data is deleted",
    rationale="A stateful resource that leaves the template is deleted by CloudFormation "
    "when its DeletionPolicy is Delete (the default for most types).",
    fix="put the resource back; if it must go, set DeletionPolicy Retain and deploy that "
    "first, then remove it (the data stays, unmanaged).",
    source=_CFN_DELETION,
    severity_reason="An error: a data-loss fact. Deploying this change destroys data (or replaces "
    "it with an empty resource), with no undo.",
)
REMOVED_KEPT = RuleInfo(
    rule_id="LAT2602",
    title="Stateful resource removed: orphaned or snapshotted",
    rationale="With DeletionPolicy Retain the resource is left behind, unmanaged; with "
    "Snapshot it is deleted after a final snapshot. The data survives, but the "
    "application loses it until someone restores or re-imports it.",
    fix="put the resource back, or confirm the removal is intended and record where the "
    "data now lives.",
    source=_CFN_DELETION,
    severity_reason="A warning: the data survives, orphaned or as a snapshot, but the application "
    "loses it until someone restores or re-imports it.",
)
RENAMED = RuleInfo(
    rule_id="LAT1603",
    title="Stateful resource renamed: its logical id changed",
    rationale="CloudFormation knows resources by logical id. A refactor that moves a "
    "construct (a new parent, a new id) removes the old resource and creates an empty new "
    "one: the old data is deleted (or orphaned with Retain).",
    fix=_REFACTOR_FIX.format(old="<old logical id>"),
    source="https://github.com/aws/aws-cdk/issues/1424",
    severity_reason="An error: a data-loss fact. Deploying this change destroys data (or replaces "
    "it with an empty resource), with no undo.",
)
REPLACED = RuleInfo(
    rule_id="LAT1604",
    title="Stateful resource replaced: a create-only property changed",
    rationale="Changing a create-only property (createOnlyProperties in the resource "
    "schema), or the resource type, makes CloudFormation create a new resource and delete "
    "the old one with its data (UpdateReplacePolicy Delete) or orphan it (Retain).",
    fix="revert the property change; to change it on purpose, create a new resource "
    "beside the old one and migrate the data.",
    source=_CFN_REPLACE,
    severity_reason="An error: a data-loss fact. Deploying this change destroys data (or replaces "
    "it with an empty resource), with no undo.",
)
MAY_REPLACE = RuleInfo(
    rule_id="LAT2605",
    title="Stateful resource may be replaced",
    rationale="A conditional create-only property changed (it replaces the resource for "
    "some values), or a create-only property's new value is an intrinsic function whose "
    "value cannot be known before deploy.",
    fix="check the property's update behaviour in the CloudFormation documentation, or "
    "run a change set and look for Replacement: True/Conditional.",
    source=_CFN_REPLACE,
    severity_reason="A warning: this change may destroy data, depending on values known only at "
    "deploy time; check before deploying.",
)
STACK_REMOVED_DELETED = RuleInfo(
    rule_id="LAT1606",
    title="Stack removed: its stateful resources are deleted",
    rationale="A stack that disappears from the app is no longer deployed; deleting it "
    "deletes every resource whose DeletionPolicy is Delete.",
    fix="keep the stack in the app; if it must go, set DeletionPolicy Retain on its "
    "stateful resources and deploy that first.",
    source=_CFN_DELETION,
    severity_reason="An error: a data-loss fact. Deploying this change destroys data (or replaces "
    "it with an empty resource), with no undo.",
)
STACK_REMOVED_KEPT = RuleInfo(
    rule_id="LAT2607",
    title="Stack removed: its stateful resources are orphaned or snapshotted",
    rationale="The stack's stateful resources are retained (or snapshotted) when it is "
    "deleted: the data survives, unmanaged.",
    fix="keep the stack in the app, or confirm the removal is intended.",
    source=_CFN_DELETION,
    severity_reason="A warning: the data survives, orphaned or as a snapshot, but the application "
    "loses it until someone restores or re-imports it.",
)
MAY_BE_REMOVED = RuleInfo(
    rule_id="LAT2608",
    title="Stateful resource became conditional",
    rationale="A resource that gains a Condition (or changes it) is deleted when the "
    "condition is false.",
    fix="drop the Condition from the stateful resource, or make sure it stays true in "
    "every environment where the resource exists.",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html",
    severity_reason="A warning: this change may destroy data, depending on values known only at "
    "deploy time; check before deploying.",
)
WEAKENED_DELETION_POLICY = RuleInfo(
    rule_id="LAT2610",
    title="DeletionPolicy weakened",
    rationale="A weaker DeletionPolicy (Retain to Snapshot or Delete, Snapshot to Delete) "
    "means the next stack delete or removal destroys the data.",
    fix="keep DeletionPolicy Retain (RemovalPolicy.RETAIN) on stateful resources.",
    source=_CFN_DELETION,
    severity_reason="A warning: nothing is lost by this deployment; a safeguard that protects the "
    "data later is removed. `lattice check` reports it as an error where the "
    "environment requires the safeguard.",
)
WEAKENED_UPDATE_REPLACE_POLICY = RuleInfo(
    rule_id="LAT2611",
    title="UpdateReplacePolicy weakened",
    rationale="A weaker UpdateReplacePolicy means a future replacement deletes the old "
    "resource and its data.",
    fix="keep UpdateReplacePolicy Retain (RemovalPolicy.RETAIN sets both policies).",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html",
    severity_reason="A warning: nothing is lost by this deployment; a safeguard that protects the "
    "data later is removed. `lattice check` reports it as an error where the "
    "environment requires the safeguard.",
)
WEAKENED_DELETION_PROTECTION = RuleInfo(
    rule_id="LAT2612",
    title="Deletion protection turned off",
    rationale="Deletion protection stops a delete (by a stack, a script or a person) "
    "before it reaches the data.",
    fix="keep deletion protection on; turn it off only in the change that deletes the "
    "resource on purpose.",
    severity_reason="A warning: nothing is lost by this deployment; a safeguard that protects the "
    "data later is removed. `lattice check` reports it as an error where the "
    "environment requires the safeguard.",
)
WEAKENED_PITR = RuleInfo(
    rule_id="LAT2613",
    title="Point-in-time recovery turned off",
    rationale="Turning point-in-time recovery off discards the continuous backups "
    "already taken: no restore to a moment before a bad write.",
    fix="keep point-in-time recovery on (DynamoDB PointInTimeRecoverySpecification, RDS "
    "BackupRetentionPeriod >= 1).",
    severity_reason="A warning: nothing is lost by this deployment; a safeguard that protects the "
    "data later is removed. `lattice check` reports it as an error where the "
    "environment requires the safeguard.",
)
WEAKENED_VERSIONING = RuleInfo(
    rule_id="LAT2614",
    title="S3 versioning suspended",
    rationale="Without versioning an overwrite or a delete of an object is final.",
    fix="keep VersioningConfiguration Status Enabled.",
    source="https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
    severity_reason="A warning: nothing is lost by this deployment; a safeguard that protects the "
    "data later is removed. `lattice check` reports it as an error where the "
    "environment requires the safeguard.",
)
WEAKENED_BACKUP_SELECTION = RuleInfo(
    rule_id="LAT2615",
    title="Stateful resource removed from backups",
    rationale="A resource no AWS Backup selection covers any more gets no new recovery points.",
    fix="keep the resource in a backup selection (its ARN, or the lattice:backup=<environment> "
    "tag the selection matches).",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html",
    severity_reason="A warning: nothing is lost by this deployment; a safeguard that protects the "
    "data later is removed. `lattice check` reports it as an error where the "
    "environment requires the safeguard.",
)
WEAKENED_RETENTION = RuleInfo(
    rule_id="LAT2616",
    title="Backup retention lowered",
    rationale="Lowering a backup rule's DeleteAfterDays expires recovery points sooner, "
    "including ones already taken.",
    fix="keep the retention; if it must drop, check it still meets the environment's "
    "floor ('lattice policy').",
    severity_reason="A warning: nothing is lost by this deployment; backups will be kept for less "
    "time. `lattice check` reports an error only below the environment's floor "
    "(LAT1301).",
)
WEAKENED_VAULT = RuleInfo(
    rule_id="LAT2617",
    title="Backup vault lock or deny-delete policy removed",
    rationale="A vault lock or an access policy that denies backup:DeleteRecoveryPoint "
    "is what keeps recovery points from being deleted by mistake or by an attacker.",
    fix="keep the vault's LockConfiguration and its deny-delete AccessPolicy.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html",
    severity_reason="A warning: nothing is lost by this deployment; a safeguard that protects the "
    "data later is removed. `lattice check` reports it as an error where the "
    "environment requires the safeguard.",
)

_LOCK_FIX = (
    "revert the change; to make it on purpose, run 'lattice lock PATH --update --reason "
    '"..."\' and commit lattice.lock.json with it.'
)
LOCK_REMOVED = RuleInfo(
    rule_id="LAT1701",
    title="Locked stateful resource removed",
    rationale="lattice.lock.json records the stateful resources that must not be removed, "
    "renamed or replaced without a deliberate lock update.",
    fix=_LOCK_FIX,
    severity_reason="An error: the lock records that this resource must not be removed, renamed "
    "or replaced without updating the lock on purpose.",
)
LOCK_RENAMED = RuleInfo(
    rule_id="LAT1702",
    title="Locked stateful resource renamed",
    rationale="The locked logical id is gone and a resource of the same type appeared: a "
    "refactor changed the logical id, which replaces the resource.",
    fix=_REFACTOR_FIX.format(old="<locked logical id>"),
    severity_reason="An error: the lock records that this resource must not be removed, renamed "
    "or replaced without updating the lock on purpose.",
)
LOCK_REPLACED = RuleInfo(
    rule_id="LAT1703",
    title="Locked stateful resource would be replaced",
    rationale="A replacement-forcing property (or the type) differs from the value in "
    "lattice.lock.json.",
    fix=_LOCK_FIX,
    severity_reason="An error: the lock records that this resource must not be removed, renamed "
    "or replaced without updating the lock on purpose.",
)
LOCK_MAY_REPLACE = RuleInfo(
    rule_id="LAT2704",
    title="Locked stateful resource may be replaced",
    rationale="A conditional create-only property differs from the lock, or a value "
    "cannot be evaluated before deploy.",
    fix=_LOCK_FIX,
    severity_reason="A warning: the locked resource may be replaced, depending on values known "
    "only at deploy time.",
)
LOCK_UNLOCKED = RuleInfo(
    rule_id="LAT3705",
    title="Stateful resource not in the lock",
    rationale="A stateful resource the lock does not list is not guarded yet.",
    fix="run 'lattice lock PATH --update --reason \"...\"' to add it.",
    severity_reason="Info: nothing is at risk; the lock is out of date and should be refreshed "
    "with lattice lock.",
)

#: Every rule of the destructive-change guard, in documentation order.
RULES: tuple[RuleInfo, ...] = (
    REMOVED_DELETED,
    REMOVED_KEPT,
    RENAMED,
    REPLACED,
    MAY_REPLACE,
    STACK_REMOVED_DELETED,
    STACK_REMOVED_KEPT,
    MAY_BE_REMOVED,
    WEAKENED_DELETION_POLICY,
    WEAKENED_UPDATE_REPLACE_POLICY,
    WEAKENED_DELETION_PROTECTION,
    WEAKENED_PITR,
    WEAKENED_VERSIONING,
    WEAKENED_BACKUP_SELECTION,
    WEAKENED_RETENTION,
    WEAKENED_VAULT,
    LOCK_REMOVED,
    LOCK_RENAMED,
    LOCK_REPLACED,
    LOCK_MAY_REPLACE,
    LOCK_UNLOCKED,
)

RULES_BY_ID = {rule.rule_id: rule for rule in RULES}
