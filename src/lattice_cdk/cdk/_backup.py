"""BackupManager: the AWS Backup vault, plan, selections and audit framework of a stack.

One manager per stack by default (:meth:`BackupManager.of`), shared by every Lattice
construct in it and usable on its own for other resources. What it builds is read from
the :class:`~lattice_cdk.StatefulnessPolicy`; in an environment with backups off
(``dev``) it builds nothing and its ``add_*`` methods record nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jsii
from aws_cdk import (
    Annotations,
    ArnFormat,
    CfnResource,
    Duration,
    Fn,
    Names,
    RemovalPolicy,
    Stack,
    Token,
)
from aws_cdk import aws_backup as backup
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct, IConstruct, IValidation

from .._errors import StatefulnessError
from .._policy import (
    CONTINUOUS_BACKUP_MAX_DAYS,
    Removal,
    StatefulnessPolicy,
    create_statefulness_policy,
)
from ._context import policy_for
from ._tags import ENVIRONMENT_TAG, protect_stack, record_lattice_view, tag_lattice

__all__ = [
    "BackupManager",
    "BackupRules",
    "DisasterRecoveryVault",
    "default_dr_vault_name",
    "manager_for",
]

#: Construct id of the manager :meth:`BackupManager.of` creates in a stack.
DEFAULT_MANAGER_ID = "LatticeBackup"
#: AWS requires at least 3 days between creating a compliance-mode lock and it setting.
MIN_LOCK_COOLING_OFF_DAYS = 3

_BACKUP_POLICY = "service-role/AWSBackupServiceRolePolicyForBackup"
_RESTORE_POLICY = "service-role/AWSBackupServiceRolePolicyForRestores"
# S3 needs its own managed policies (aws/aws-cdk#21968): they live at the policy root.
_S3_BACKUP_POLICY = "AWSBackupServiceRolePolicyForS3Backup"
_S3_RESTORE_POLICY = "AWSBackupServiceRolePolicyForS3Restore"
_SELECTION_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_ATTR = "_lattice_backup_manager"


class BackupRules:
    """Named plan rules, like aws-cdk-lib's ``BackupPlanRule.daily()`` presets.

    Every rule runs at 05:00 UTC; when rules coincide AWS Backup keeps the one with the
    longest retention.
    """

    @staticmethod
    def daily(days: int, *, copy_to: backup.IBackupVault | None = None) -> backup.BackupPlanRule:
        """Every day, kept ``days`` days (copied to ``copy_to`` with the same lifecycle)."""
        return BackupRules._rule("Daily", events.Schedule.cron(hour="5", minute="0"), days, copy_to)

    @staticmethod
    def weekly(
        days: int = 365, *, copy_to: backup.IBackupVault | None = None
    ) -> backup.BackupPlanRule:
        """Every Saturday, kept ``days`` days (default 365)."""
        schedule = events.Schedule.cron(week_day="SAT", hour="5", minute="0")
        return BackupRules._rule("Weekly", schedule, days, copy_to)

    @staticmethod
    def monthly(
        days: int = 2555,
        *,
        cold_after_days: int | None = 90,
        copy_to: backup.IBackupVault | None = None,
    ) -> backup.BackupPlanRule:
        """On the 1st of each month, kept ``days`` (default 2555, 7 years), cold after 90."""
        schedule = events.Schedule.cron(day="1", hour="5", minute="0")
        return BackupRules._rule("Monthly", schedule, days, copy_to, cold_after_days)

    @staticmethod
    def continuous(days: int = CONTINUOUS_BACKUP_MAX_DAYS) -> backup.BackupPlanRule:
        """Continuous backup (point-in-time restore) for resources that support it.

        ``days`` is capped by AWS at 35 (default 35); unsupported resources get a daily
        snapshot under the same rule.
        """
        if not 1 <= days <= CONTINUOUS_BACKUP_MAX_DAYS:
            raise StatefulnessError(
                "is outside what continuous backup allows.",
                field="days",
                value=days,
                allowed=f"1 to {CONTINUOUS_BACKUP_MAX_DAYS}",
                fix="keep longer history with the daily, weekly and monthly rules.",
                code="invalid-retention",
            )
        return backup.BackupPlanRule(
            rule_name="Continuous",
            enable_continuous_backup=True,
            schedule_expression=events.Schedule.cron(hour="5", minute="0"),
            delete_after=Duration.days(days),
        )

    @staticmethod
    def _rule(
        name: str,
        schedule: events.Schedule,
        days: int,
        copy_to: backup.IBackupVault | None,
        cold_after_days: int | None = None,
    ) -> backup.BackupPlanRule:
        cold = Duration.days(cold_after_days) if cold_after_days else None
        copies = (
            [
                backup.BackupPlanCopyActionProps(
                    destination_backup_vault=copy_to,
                    delete_after=Duration.days(days),
                    move_to_cold_storage_after=cold,
                )
            ]
            if copy_to is not None
            else None
        )
        return backup.BackupPlanRule(
            rule_name=name,
            schedule_expression=schedule,
            delete_after=Duration.days(days),
            move_to_cold_storage_after=cold,
            copy_actions=copies,
        )


class BackupManager(Construct):
    """The AWS Backup set-up of one stack, built from the statefulness policy.

    Where the policy has backups on it creates a customer-managed KMS key and a vault
    (both retained), a vault policy denying recovery-point deletes (prod, staging), a
    compliance-mode Vault Lock (prod), a plan (daily; weekly, monthly and continuous in
    prod; a cross-region copy in prod when a DR target is given), selections for what
    is added, and in prod an AWS Backup Audit Manager framework with report plans.

    Example::

        manager = BackupManager(stack, "Backup", environment="prod",
                                dr_vault_arn="arn:aws:backup:us-west-2:111122223333:backup-vault:dr")
        manager.add_resource(efs_file_system)
        manager.add_bucket(plain_bucket)       # S3 by ARN, with S3's backup policies
        manager.add_tag_selection("lattice:backup", "prod")

    Lattice constructs find the manager through :meth:`of`; create it yourself first
    (any id) to give it options such as a DR target.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        environment: str | None = None,
        policy: StatefulnessPolicy | None = None,
        backup_retention_days: int | None = None,
        dr_vault: backup.IBackupVault | None = None,
        dr_vault_arn: str | None = None,
        dr_region: str | None = None,
        dr_vault_name: str | None = None,
        vault_lock_cooling_off_days: int = MIN_LOCK_COOLING_OFF_DAYS,
        compliance_reporting: bool | None = None,
        report_bucket: s3.IBucket | None = None,
    ) -> None:
        """Create the manager.

        :param environment: the environment; default: CDK context ``lattice:environment``.
        :param policy: a ready policy instead of ``environment``. Default: built from
            the environment.
        :param backup_retention_days: days the daily backups are kept. Default: the
            policy's (30 in prod, 14 in staging).
        :param dr_vault: a disaster-recovery vault in another region, e.g. a
            :class:`DisasterRecoveryVault` in a stack with ``cross_region_references``.
        :param dr_vault_arn: the DR vault by ARN. Default: none.
        :param dr_region: the DR region; the vault is then ``dr_vault_name`` in this
            account in that region (deploy it with :class:`DisasterRecoveryVault`).
        :param dr_vault_name: name of the DR vault with ``dr_region``. Default:
            ``lattice-dr-<environment>``.
        :param vault_lock_cooling_off_days: days the prod Vault Lock can still be
            removed before it becomes immutable. Default: 3 (AWS's minimum).
        :param compliance_reporting: the Audit Manager framework and report plans.
            Default: the policy's (on in prod only).
        :param report_bucket: where compliance reports go. Default: a retained,
            versioned, encrypted bucket created here.
        """
        super().__init__(scope, id)
        overrides: dict[str, Any] = {}
        if backup_retention_days is not None:
            overrides["backup_retention_days"] = backup_retention_days
        if compliance_reporting is not None:
            overrides["compliance_reporting"] = compliance_reporting
        if policy is not None and overrides:
            raise StatefulnessError(
                "cannot be combined with policy=: the policy already decides it.",
                field=next(iter(overrides)),
                value=next(iter(overrides.values())),
                allowed="None when policy= is given",
                fix="build the policy with the override instead.",
                code="contradictory-overrides",
            )
        self.policy: StatefulnessPolicy = policy_for(
            self, environment=environment, policy=policy, **overrides
        )
        if not isinstance(vault_lock_cooling_off_days, int) or vault_lock_cooling_off_days < (
            MIN_LOCK_COOLING_OFF_DAYS
        ):
            raise StatefulnessError(
                "is shorter than AWS allows for a compliance-mode Vault Lock.",
                field="vault_lock_cooling_off_days",
                value=vault_lock_cooling_off_days,
                allowed=f"a whole number of days, at least {MIN_LOCK_COOLING_OFF_DAYS}",
                fix=f"pass {MIN_LOCK_COOLING_OFF_DAYS} or more.",
                code="invalid-value",
            )
        if sum(x is not None for x in (dr_vault, dr_vault_arn, dr_region)) > 1:
            raise StatefulnessError(
                "more than one disaster-recovery target was given.",
                field="dr_vault",
                value={"dr_vault": dr_vault, "dr_vault_arn": dr_vault_arn, "dr_region": dr_region},
                allowed="one of dr_vault, dr_vault_arn or dr_region",
                fix="pick one way to name the DR vault.",
                code="contradictory-overrides",
            )
        self._stack = Stack.of(self)
        self._selections: dict[str, backup.BackupSelection] = {}
        self._plans: dict[int, backup.BackupPlan] = {}
        self._s3_policies_added = False
        self._dr_region: str | None = None
        self.key: kms.Key | None = None
        self.vault: backup.BackupVault | None = None
        self.plan: backup.BackupPlan | None = None
        self.role: iam.Role | None = None
        self.dr_vault: backup.IBackupVault | None = None
        self.framework: backup.CfnFramework | None = None
        self.report_bucket: s3.IBucket | None = None
        self._lock_days = vault_lock_cooling_off_days

        first: BackupManager | None = getattr(self._stack, _ATTR, None)
        if first is None:
            # The first manager in a stack is the one BackupManager.of returns.
            setattr(self._stack, _ATTR, self)
        else:
            Annotations.of(self).add_warning_v2(
                "lattice:second-backup-manager",
                f"this stack already has a BackupManager at {first.node.path}; Lattice "
                "constructs without backup_manager= use that one, not this. Fix: create "
                "your BackupManager before the Lattice constructs, or pass backup_manager=.",
            )

        if not self.enabled:
            return
        tag_lattice(self, self.policy)
        protect_stack(self, self.policy)
        self._build_vault()
        self.dr_vault = self._resolve_dr_target(dr_vault, dr_vault_arn, dr_region, dr_vault_name)
        if self.policy.cross_region_copy and self.dr_vault is None:
            Annotations.of(self).add_warning_v2(
                "lattice:LAT2303",
                f"[LAT2303] environment {self.policy.environment!r} expects a cross-region "
                "copy of every backup, but no disaster-recovery vault was given. Fix: pass "
                "dr_vault_arn=..., dr_region=... or dr_vault=... to BackupManager.",
            )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
            description="AWS Backup role for Lattice backups and restores",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(_BACKUP_POLICY),
                iam.ManagedPolicy.from_aws_managed_policy_name(_RESTORE_POLICY),
            ],
        )
        self.plan = self._plan_for(self.policy.backup_retention_days)
        if self.policy.compliance_reporting:
            self._build_compliance(report_bucket)

    # -- presets -----------------------------------------------------------------------

    @classmethod
    def production(
        cls,
        scope: Construct,
        id: str = DEFAULT_MANAGER_ID,
        *,
        dr_vault_arn: str | None = None,
        dr_region: str | None = None,
        **options: Any,
    ) -> BackupManager:
        """The ``prod`` manager: daily (30 d), weekly (365 d), monthly (7 y, cold after
        90 d) and continuous backups, a locked vault, compliance reporting, and a
        cross-region copy to ``dr_vault_arn`` or ``dr_region``.
        """
        return cls(
            scope, id, environment="prod", dr_vault_arn=dr_vault_arn, dr_region=dr_region, **options
        )

    @classmethod
    def staging(
        cls, scope: Construct, id: str = DEFAULT_MANAGER_ID, **options: Any
    ) -> BackupManager:
        """The ``staging`` manager: daily backups kept 14 days in a vault denying deletes."""
        return cls(scope, id, environment="staging", **options)

    # -- access ------------------------------------------------------------------------

    @classmethod
    def of(
        cls,
        scope: IConstruct,
        *,
        environment: str | None = None,
        policy: StatefulnessPolicy | None = None,
    ) -> BackupManager:
        """The shared manager of ``Stack.of(scope)``, created (id ``LatticeBackup``) on first use.

        Raises :class:`~lattice_cdk.StatefulnessError` when the stack's manager belongs
        to another environment than the one asked for.
        """
        stack = Stack.of(scope)
        existing: BackupManager | None = getattr(stack, _ATTR, None)
        if existing is None:
            found = stack.node.try_find_child(DEFAULT_MANAGER_ID)
            existing = found if isinstance(found, BackupManager) else None
        if existing is None:
            return cls(stack, DEFAULT_MANAGER_ID, environment=environment, policy=policy)
        wanted = policy.environment if policy is not None else None
        if wanted is None and environment is not None:
            wanted = policy_for(existing, environment=environment).environment
        if wanted is not None and wanted != existing.policy.environment:
            raise StatefulnessError(
                f"differs from the environment {existing.policy.environment!r} of the "
                f"stack's BackupManager at {existing.node.path}.",
                field="environment",
                value=wanted,
                allowed=repr(existing.policy.environment),
                fix="keep one environment per stack, or give the construct its own "
                "backup_manager=.",
                code="environment-mismatch",
            )
        return existing

    @property
    def enabled(self) -> bool:
        """True when the policy has backups on (False in ``dev``: nothing is created)."""
        return self.policy.enable_backups

    @property
    def selection_names(self) -> list[str]:
        """Names of the selections added so far (empty when disabled)."""
        return sorted(self._selections)

    # -- selections --------------------------------------------------------------------

    def add_resource(
        self,
        resource: Construct | str,
        *,
        name: str | None = None,
        retention_days: int | None = None,
    ) -> backup.BackupSelection | None:
        """Back up a construct (``BackupResource.from_construct``) or an ARN string.

        An ``s3.Bucket`` goes through :meth:`add_bucket` (S3 needs its own care).

        :param name: the selection's name. Default: from the construct path or ARN.
        :param retention_days: days its daily backups are kept, when it differs from
            the manager's (a second plan is created). Default: the manager's.
        Returns the selection, or ``None`` when backups are off.
        """
        if not self.enabled:
            return None
        if isinstance(resource, s3.Bucket):
            # from_construct finds nothing in a bucket (aws/aws-cdk#21968): S3 needs add_bucket.
            return self.add_bucket(resource, name=name, retention_days=retention_days)
        if isinstance(resource, str):
            selected = backup.BackupResource.from_arn(resource)
            label = name or (resource if not Token.is_unresolved(resource) else "Arn")
        else:
            selected = backup.BackupResource.from_construct(resource)
            label = name or resource.node.path
        selection = self._select(label, [selected], retention_days)
        if not isinstance(resource, str):
            selection.node.add_validation(_SelectsSomething(selection, resource.node.path))
        return selection

    def add_bucket(
        self, bucket: s3.IBucket, *, name: str | None = None, retention_days: int | None = None
    ) -> backup.BackupSelection | None:
        """Back up an S3 bucket the way AWS Backup needs (aws/aws-cdk#21968).

        Selects the bucket by ARN, gives the backup role AWS's managed policies
        ``AWSBackupServiceRolePolicyForS3Backup`` and ``...ForS3Restore``, and fails
        synth (rule LAT1402) when the bucket is not versioned. Returns ``None`` when
        backups are off.
        """
        if not self.enabled:
            return None
        self._allow_s3()
        cfn = bucket.node.default_child
        if isinstance(cfn, s3.CfnBucket):
            bucket.node.add_validation(_RequireVersioning(cfn))
        else:
            Annotations.of(bucket).add_warning_v2(
                "lattice:LAT2902",
                "[LAT2902] Lattice cannot see whether this imported bucket is versioned; "
                "AWS Backup for S3 needs versioning. Fix: enable versioning on the bucket.",
            )
        selected = backup.BackupResource.from_arn(bucket.bucket_arn)
        return self._select(name or bucket.node.path, [selected], retention_days)

    def add_tag_selection(self, key: str, value: str) -> backup.BackupSelection | None:
        """Back up every resource tagged ``key=value`` (StringEquals). Idempotent.

        A tag selection can pick up S3 buckets, so the backup role also gets AWS's S3
        backup and restore policies. Returns ``None`` when backups are off.
        """
        if not self.enabled:
            return None
        self._allow_s3()
        label = f"tag-{key}-{value}"
        existing = self._selections.get(_selection_name(label))
        if existing is not None:
            return existing
        return self._select(label, [backup.BackupResource.from_tag(key, value)], None)

    def _allow_s3(self) -> None:
        """AWS Backup for S3 needs its own managed policies on the role (aws/aws-cdk#21968)."""
        assert self.role is not None
        if not self._s3_policies_added:
            for policy_name in (_S3_BACKUP_POLICY, _S3_RESTORE_POLICY):
                self.role.add_managed_policy(
                    iam.ManagedPolicy.from_aws_managed_policy_name(policy_name)
                )
            self._s3_policies_added = True

    # -- building ----------------------------------------------------------------------

    def _select(
        self, label: str, resources: list[backup.BackupResource], retention_days: int | None
    ) -> backup.BackupSelection:
        assert self.role is not None
        name = _selection_name(label)
        if name in self._selections:
            base, n = name[:46], 2
            while f"{base}-{n}" in self._selections:
                n += 1
            name = f"{base}-{n}"
        plan = self._plan_for(retention_days or self.policy.backup_retention_days)
        selection = plan.add_selection(
            f"Selection{len(self._selections) + 1}",
            resources=resources,
            role=self.role,
            backup_selection_name=name,
            disable_default_backup_policy=True,
        )
        self._selections[name] = selection
        return selection

    def _plan_for(self, daily_days: int) -> backup.BackupPlan:
        plan = self._plans.get(daily_days)
        if plan is not None:
            return plan
        if daily_days < self.policy.min_backup_retention_days:
            raise StatefulnessError(
                f"is below the {self.policy.min_backup_retention_days}-day floor of "
                f"environment {self.policy.environment!r}.",
                field="retention_days",
                value=daily_days,
                allowed=f"at least {self.policy.min_backup_retention_days}",
                fix="keep backups longer, or leave it unset.",
                code="retention-below-floor",
            )
        p = self.policy
        rules = [BackupRules.daily(daily_days, copy_to=self.dr_vault)]
        if p.weekly_backups:
            rules.append(BackupRules.weekly(p.weekly_retention_days, copy_to=self.dr_vault))
        if p.monthly_backups:
            rules.append(
                BackupRules.monthly(
                    p.monthly_retention_days,
                    cold_after_days=p.monthly_cold_storage_after_days,
                    copy_to=self.dr_vault,
                )
            )
        if p.continuous_backup:
            rules.append(BackupRules.continuous(min(daily_days, CONTINUOUS_BACKUP_MAX_DAYS)))
        plan_id = "Plan" if not self._plans else f"Plan{daily_days}Days"
        # aws-cdk-lib names a plan after its construct id, which collides across stacks
        # in one account and region (aws/aws-cdk#38318): name it after its path.
        base = Names.unique_resource_name(
            self, max_length=50 - len(plan_id) - 1, allowed_special_characters="-_."
        )
        plan = backup.BackupPlan(
            self,
            plan_id,
            backup_plan_name=f"{base}-{plan_id}",
            backup_vault=self.vault,
            backup_plan_rules=rules,
        )
        self._plans[daily_days] = plan
        return plan

    def _build_vault(self) -> None:
        p = self.policy
        self.key = kms.Key(
            self,
            "Key",
            description=f"Encrypts Lattice backups ({p.environment})",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        lock = (
            backup.LockConfiguration(
                min_retention=Duration.days(p.min_backup_retention_days),
                changeable_for=Duration.days(self._lock_days),
            )
            if p.vault_lock
            else None
        )
        self.vault = backup.BackupVault(
            self,
            "Vault",
            encryption_key=self.key,
            removal_policy=RemovalPolicy.RETAIN,
            block_recovery_point_deletion=p.vault_deny_delete or None,
            lock_configuration=lock,
        )

    def _resolve_dr_target(
        self,
        vault: backup.IBackupVault | None,
        arn: str | None,
        region: str | None,
        name: str | None,
    ) -> backup.IBackupVault | None:
        if vault is not None:
            self._dr_region = Stack.of(vault).region
            return vault
        if region is not None:
            if not Token.is_unresolved(region) and region == self._stack.region:
                raise StatefulnessError(
                    "is the stack's own region: a disaster-recovery copy must leave it.",
                    field="dr_region",
                    value=region,
                    allowed="another AWS region",
                    fix="pass a region other than the stack's.",
                    code="invalid-value",
                )
            arn = self._stack.format_arn(
                service="backup",
                region=region,
                resource="backup-vault",
                resource_name=name or default_dr_vault_name(self.policy.environment),
                arn_format=ArnFormat.COLON_RESOURCE_NAME,
            )
            self._dr_region = region
        if arn is None:
            return None
        if not Token.is_unresolved(arn):
            parts = arn.split(":")
            if len(parts) < 7 or parts[2] != "backup" or parts[5] != "backup-vault":
                raise StatefulnessError(
                    "is not a backup vault ARN.",
                    field="dr_vault_arn",
                    value=arn,
                    allowed="arn:<partition>:backup:<region>:<account>:backup-vault:<name>",
                    fix="copy the ARN from the DR vault (aws backup describe-backup-vault).",
                    code="invalid-value",
                )
            self._dr_region = self._dr_region or parts[3]
        return backup.BackupVault.from_backup_vault_arn(self, "DisasterRecoveryVault", arn)

    def _build_compliance(self, report_bucket: s3.IBucket | None) -> None:
        p = self.policy
        scope = {"Tags": [{"Key": ENVIRONMENT_TAG, "Value": p.environment}]}

        def control(name: str, **params: Any) -> backup.CfnFramework.FrameworkControlProperty:
            return backup.CfnFramework.FrameworkControlProperty(
                control_name=name,
                control_input_parameters=[
                    backup.CfnFramework.ControlInputParameterProperty(
                        parameter_name=k, parameter_value=str(v)
                    )
                    for k, v in params.items()
                ]
                or None,
                control_scope=scope,
            )

        floor = p.min_backup_retention_days
        controls = [
            control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN"),
            control(
                "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
                requiredFrequencyUnit="hours",
                requiredFrequencyValue=24,
                requiredRetentionDays=floor,
            ),
            control("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", requiredRetentionDays=floor),
            control("BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED"),
            control("BACKUP_RECOVERY_POINT_ENCRYPTED"),
        ]
        if self.dr_vault is not None and self._dr_region is not None:
            region = (
                self._dr_region
                if not Token.is_unresolved(self._dr_region)
                else Fn.select(3, Fn.split(":", self.dr_vault.backup_vault_arn))
            )
            controls.append(
                control("BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", crossRegionList=region)
            )
        if p.vault_lock:
            controls.append(
                control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", minRetentionDays=floor)
            )
        self.framework = backup.CfnFramework(
            self,
            "Framework",
            framework_controls=controls,
            framework_description=(
                f"Lattice {p.environment}: resources tagged {ENVIRONMENT_TAG}={p.environment} "
                "are backed up daily, kept at least the floor, encrypted, undeletable."
            ),
        )
        bucket = report_bucket or self._build_report_bucket()
        self.report_bucket = bucket
        for template, rid in (
            ("RESOURCE_COMPLIANCE_REPORT", "ResourceComplianceReport"),
            ("CONTROL_COMPLIANCE_REPORT", "ControlComplianceReport"),
        ):
            backup.CfnReportPlan(
                self,
                rid,
                report_delivery_channel={
                    "S3BucketName": bucket.bucket_name,
                    "S3KeyPrefix": f"lattice/{p.environment}",
                    "Formats": ["CSV", "JSON"],
                },
                report_setting={
                    "ReportTemplate": template,
                    "FrameworkArns": [self.framework.attr_framework_arn],
                },
            )

    def _build_report_bucket(self) -> s3.Bucket:
        p = self.policy
        bucket = s3.Bucket(
            self,
            "Reports",
            versioned=True,
            encryption=s3.BucketEncryption.KMS_MANAGED,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="lattice-noncurrent-expiry",
                    noncurrent_version_expiration=Duration.days(p.backup_retention_days),
                )
            ],
        )
        # Backup Audit Manager writes reports as its service-linked role.
        reports_role = self._stack.format_arn(
            service="iam",
            region="",
            resource="role",
            resource_name="aws-service-role/reports.backup.amazonaws.com/"
            "AWSServiceRoleForBackupReports",
        )
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ArnPrincipal(reports_role)],
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects("*")],
                conditions={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
            )
        )
        record_lattice_view(
            bucket.node.default_child,  # type: ignore[arg-type]
            p,
            name="lattice-compliance-reports",
            removal="RETAIN",
        )
        self.add_bucket(bucket, name="lattice-compliance-reports")
        return bucket


class DisasterRecoveryVault(Construct):
    """A backup vault to copy recovery points into, for a stack in the DR region.

    Its name is fixed (default ``lattice-dr-<environment>``) so a
    :class:`BackupManager` in another region can name it with ``dr_region=`` alone; or
    pass ``dr_vault=this.vault`` when both stacks set ``cross_region_references=True``.
    Key and vault are retained, recovery-point deletes are denied in prod and staging,
    and the vault is locked (compliance mode) in prod.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        environment: str | None = None,
        policy: StatefulnessPolicy | None = None,
        vault_name: str | None = None,
        vault_lock_cooling_off_days: int = MIN_LOCK_COOLING_OFF_DAYS,
    ) -> None:
        """:param vault_name: default ``lattice-dr-<environment>``."""
        super().__init__(scope, id)
        self.policy = policy_for(self, environment=environment, policy=policy)
        p = self.policy
        tag_lattice(self, p)
        self.key = kms.Key(
            self,
            "Key",
            description=f"Encrypts Lattice disaster-recovery copies ({p.environment})",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.vault = backup.BackupVault(
            self,
            "Vault",
            backup_vault_name=vault_name or default_dr_vault_name(p.environment),
            encryption_key=self.key,
            removal_policy=RemovalPolicy.RETAIN,
            block_recovery_point_deletion=p.vault_deny_delete or None,
            lock_configuration=(
                backup.LockConfiguration(
                    min_retention=Duration.days(p.min_backup_retention_days),
                    changeable_for=Duration.days(vault_lock_cooling_off_days),
                )
                if p.vault_lock
                else None
            ),
        )


def manager_for(
    scope: IConstruct, policy: StatefulnessPolicy, manager: BackupManager | None
) -> BackupManager | None:
    """The manager a Lattice construct backs up through, or ``None`` when backups are off.

    ``manager`` as given, else the stack's shared one, created for the environment alone
    (a construct's own overrides, such as force_retain, stay with the construct).
    """
    if not policy.enable_backups:
        return None
    if manager is None:
        shared = create_statefulness_policy(environment=policy.environment)
        return BackupManager.of(scope, policy=shared)
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
    resource: CfnResource,
    policy: StatefulnessPolicy,
    name: str,
    removal: Removal,
    backup_manager: BackupManager | None,
    own_retention: bool,
    enrol: Callable[[BackupManager, int | None], object],
) -> BackupManager | None:
    """What every Lattice construct does once its resource exists: tag it, protect the
    stack, record Lattice's view in the resource's Metadata, and enrol it in backups
    (``enrol(manager, retention_days)``; the retention only when the construct has its
    own). Returns the manager, or ``None`` when backups are off."""
    tag_lattice(construct, policy, name=name)
    protect_stack(construct, policy)
    record_lattice_view(resource, policy, name=name, removal=removal.value)
    manager = manager_for(construct, policy, backup_manager)
    if manager is not None:
        enrol(manager, policy.backup_retention_days if own_retention else None)
    return manager


def default_dr_vault_name(environment: str) -> str:
    """The DR vault name :class:`DisasterRecoveryVault` and ``dr_region=`` agree on."""
    return f"lattice-dr-{environment}"


def _selection_name(label: str) -> str:
    # AWS: 1-50 of letters, digits, '-', '_' and '.'.
    cleaned = _SELECTION_NAME.sub("-", label).strip("-") or "selection"
    return cleaned[-50:].lstrip("-_.") or "selection"


@jsii.implements(IValidation)
class _RequireVersioning:
    """Synth-time check: a bucket backed up by AWS Backup must be versioned (LAT1402)."""

    def __init__(self, bucket: s3.CfnBucket) -> None:
        self._bucket = bucket

    def validate(self) -> list[str]:
        config = self._bucket.versioning_configuration
        if config is None:
            status: object = None
        elif isinstance(config, s3.CfnBucket.VersioningConfigurationProperty):
            status = config.status
        else:
            return []  # a token, decided at deploy time: the checker reports it, not us
        if status == "Enabled" or (isinstance(status, str) and Token.is_unresolved(status)):
            return []
        return [
            "[LAT1402] AWS Backup backs up S3 buckets only when they are versioned, and "
            f"this bucket's versioning is {status or 'off'}. Fix: pass versioned=True."
        ]


@jsii.implements(IValidation)
class _SelectsSomething:
    """Synth-time check: a selection by construct found a resource AWS Backup supports.

    ``BackupResource.from_construct`` silently selects nothing for other constructs,
    and CloudFormation then refuses the empty selection at deploy time.
    """

    def __init__(self, selection: backup.BackupSelection, path: str) -> None:
        self._selection = selection
        self._path = path

    def validate(self) -> list[str]:
        cfn = self._selection.node.default_child
        assert isinstance(cfn, backup.CfnBackupSelection)
        spec = Stack.of(self._selection).resolve(cfn.backup_selection)
        if spec.get("resources") or spec.get("listOfTags") or spec.get("conditions"):
            return []
        return [
            f"[LAT1201] nothing under {self._path} is a resource AWS Backup can back up "
            "through BackupResource.from_construct, so this selection is empty. Fix: pass "
            "the resource itself, its ARN, or an s3.Bucket (which add_bucket handles)."
        ]
