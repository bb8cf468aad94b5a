"""RestoreTesting: an AWS Backup restore testing plan, its selections and role.

aws-cdk-lib has only the L1 classes (``CfnRestoreTestingPlan``,
``CfnRestoreTestingSelection``). What to test and how often comes from the
:class:`~lattice_cdk.StatefulnessPolicy` (``restore_testing``,
``restore_testing_schedule``); which CloudFormation types restore testing supports, and
the metadata each may override, is :data:`lattice_cdk._recovery.RESTORE_TESTABLE`, the
table the checker's LAT1306 reads too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from aws_cdk import Names
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from constructs import Construct

from .._errors import StatefulnessError
from .._policy import StatefulnessPolicy
from .._recovery import RESTORE_TESTABLE
from ._tags import BACKUP_TAG

__all__ = ["RestoreTesting"]

#: AWS managed policies a restore (and restore testing's clean-up) needs; S3 restores
#: need their own (aws/aws-cdk#21968), kept at the policy root.
_RESTORE_POLICY = "service-role/AWSBackupServiceRolePolicyForRestores"
_S3_RESTORE_POLICY = "AWSBackupServiceRolePolicyForS3Restore"
#: AWS Backup accepts a validation window of 0 to 168 hours.
MAX_VALIDATION_WINDOW_HOURS = 168
_NAME = re.compile(r"[^A-Za-z0-9_]")


class RestoreTesting(Construct):
    """Restore-test every enrolled resource type on the policy's schedule.

    One ``RestoreTestingSelection`` per ``ProtectedResourceType`` (one for RDS, one for
    DynamoDB...), each picking every resource tagged ``lattice:backup=<environment>``,
    the tag Lattice enrols backups with. Add the types the stack holds with
    :meth:`add_resource_type` (a type with no resource would test nothing: LAT1307).

    :param policy: the environment's policy; it must ask for restore testing
        (``restore_testing``: prod by default, staging when opted in, never dev).
    :param resource_types: CloudFormation types to test (``AWS::RDS::DBInstance``...).
        @default none yet; add them with :meth:`add_resource_type`.
    :param validation_window_hours: hours a restored resource is kept for validation;
        AWS Backup deletes it when the window ends. @default 1
    :param selection_window_days: how far back to pick the recovery point to restore
        (the latest within the window). @default 31, a month of daily backups
    :param start_window_hours: hours after the scheduled time a test may start. @default 8
    :param subnet_group_name: DB subnet group restored databases go into (RDS, Aurora,
        DocumentDB, Neptune); without it AWS uses the default VPC, which an account may
        not have. @default AWS's inference
    :param instance_class: DB instance class of a restored RDS instance (a smaller one
        costs less). @default the backed-up instance's class
    :param metadata_overrides: further ``RestoreMetadataOverrides`` by protected type,
        e.g. ``{"DynamoDB": {"encryptiontype": "KMS"}}``; keys are checked against
        what AWS lets each type override. @default none
    :param role: the role AWS Backup restores with. @default a new role with AWS's
        restore policies (and the S3 restore policy once S3 is tested)
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        policy: StatefulnessPolicy,
        resource_types: Iterable[str] = (),
        validation_window_hours: int = 1,
        selection_window_days: int = 31,
        start_window_hours: int = 8,
        subnet_group_name: str | None = None,
        instance_class: str | None = None,
        metadata_overrides: Mapping[str, Mapping[str, str]] | None = None,
        role: iam.IRole | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if not policy.restore_testing:
            raise StatefulnessError(
                f"environment {policy.environment!r} does not ask for restore testing.",
                field="restore_testing",
                value=False,
                allowed="a policy with restore_testing=True (prod, or staging opted in)",
                fix="build the policy with restore_testing=True, or leave RestoreTesting out.",
                code="invalid-value",
            )
        _check_range("validation_window_hours", validation_window_hours, 0, 168)
        _check_range("selection_window_days", selection_window_days, 1, 365)
        _check_range("start_window_hours", start_window_hours, 1, 168)
        self.policy = policy
        self._validation_window_hours = validation_window_hours
        self._overrides = _overrides(subnet_group_name, instance_class, metadata_overrides)
        prefix = _NAME.sub("_", f"lattice_{policy.environment}_")
        self.plan_name = prefix + Names.unique_resource_name(self, max_length=50 - len(prefix))
        self.plan = backup.CfnRestoreTestingPlan(
            self,
            "Resource",
            restore_testing_plan_name=self.plan_name,
            schedule_expression=policy.restore_testing_schedule,
            start_window_hours=start_window_hours,
            recovery_point_selection=backup.CfnRestoreTestingPlan.RestoreTestingRecoveryPointSelectionProperty(
                algorithm="LATEST_WITHIN_WINDOW",
                include_vaults=["*"],
                recovery_point_types=["SNAPSHOT"],
                selection_window_days=selection_window_days,
            ),
        )
        self._own_role = role is None
        self.role: iam.IRole = role or iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
            description="AWS Backup role for Lattice restore tests",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(_RESTORE_POLICY)],
        )
        self.selections: dict[str, backup.CfnRestoreTestingSelection] = {}
        for resource_type in resource_types:
            self.add_resource_type(resource_type)

    def add_resource_type(self, resource_type: str) -> backup.CfnRestoreTestingSelection | None:
        """Test resources of CloudFormation type ``resource_type`` (one selection per
        protected type, made once). Returns the selection, or ``None`` for a type restore
        testing does not support."""
        testable = RESTORE_TESTABLE.get(resource_type)
        if testable is None:
            return None
        kind = testable.protected_type
        found = self.selections.get(kind)
        if found is not None:
            return found
        if kind == "S3" and self._own_role and isinstance(self.role, iam.Role):
            self.role.add_managed_policy(
                iam.ManagedPolicy.from_aws_managed_policy_name(_S3_RESTORE_POLICY)
            )
        overrides = {
            key: value
            for key, value in self._overrides.get(kind, {}).items()
            if key in testable.overrides
        }
        selection = backup.CfnRestoreTestingSelection(
            self,
            f"{kind}Selection",
            restore_testing_plan_name=self.plan_name,
            restore_testing_selection_name=f"{kind}_{self.policy.environment}"[:50].replace(
                "-", "_"
            ),
            protected_resource_type=kind,
            iam_role_arn=self.role.role_arn,
            protected_resource_arns=["*"],
            protected_resource_conditions=backup.CfnRestoreTestingSelection.ProtectedResourceConditionsProperty(
                string_equals=[
                    backup.CfnRestoreTestingSelection.KeyValueProperty(
                        key=f"aws:ResourceTag/{BACKUP_TAG}", value=self.policy.environment
                    )
                ]
            ),
            restore_metadata_overrides=overrides or None,
            validation_window_hours=self._validation_window_hours,
        )
        selection.node.add_dependency(self.plan)
        self.selections[kind] = selection
        return selection

    def override(self, protected_type: str, key: str, value: str) -> None:
        """Set restore metadata ``key`` of ``protected_type``'s restores, for its
        selection made already or later, e.g. ``override("RDS", "dbsubnetgroupname",
        subnet_group.subnet_group_name)``. Raises for a key AWS does not let it override."""
        checked = _overrides(None, None, {protected_type: {key: value}})
        self._overrides.setdefault(protected_type, {}).update(checked[protected_type])
        selection = self.selections.get(protected_type)
        if selection is not None:
            selection.restore_metadata_overrides = dict(self._overrides[protected_type])


def _check_range(field: str, value: object, low: int, high: int) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return
    raise StatefulnessError(
        "is outside what AWS Backup restore testing accepts.",
        field=field,
        value=value,
        allowed=f"a whole number from {low} to {high}",
        fix=f"pass {field} between {low} and {high}.",
        code="invalid-value",
    )


def _overrides(
    subnet_group_name: str | None,
    instance_class: str | None,
    extra: Mapping[str, Mapping[str, str]] | None,
) -> dict[str, dict[str, str]]:
    """RestoreMetadataOverrides by protected type, each key checked against the table."""
    by_kind: dict[str, dict[str, str]] = {}
    allowed = {t.protected_type: t.overrides for t in RESTORE_TESTABLE.values()}
    if subnet_group_name is not None:
        for kind in ("RDS", "Aurora", "DocumentDB", "Neptune"):
            by_kind.setdefault(kind, {})["dbsubnetgroupname"] = subnet_group_name
    if instance_class is not None:
        by_kind.setdefault("RDS", {})["dbinstanceclass"] = instance_class
    for kind, values in (extra or {}).items():
        for key, value in values.items():
            if key.lower() not in allowed.get(kind, ()):
                raise StatefulnessError(
                    f"is not a restore metadata key restore testing lets {kind} override.",
                    field="metadata_overrides",
                    value={kind: {key: value}},
                    allowed=f"{kind}: {', '.join(allowed.get(kind, ())) or 'no override'}"
                    if kind in allowed
                    else f"a protected type: {', '.join(sorted(allowed))}",
                    fix="see 'Restore testing inferred metadata' in the AWS Backup guide.",
                    code="invalid-value",
                )
            by_kind.setdefault(kind, {})[key.lower()] = value
    return by_kind
