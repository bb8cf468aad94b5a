"""BackupManager: the one AWS Backup set-up of a stack (vault, plans, selections, reports).

Each stack has at most one manager, reached with :meth:`BackupManager.of` (construct id
``LatticeBackup``) and configured without an id::

    BackupManager.of(stack).configure(dr_region="us-west-2")

What it builds is read from the :class:`~lattice_cdk.StatefulnessPolicy`; in an
environment with backups off (``dev``) it builds nothing and its ``add_*`` methods
record nothing. It builds on first use (the first resource enrolled), so
``configure`` must come before the stack's first Lattice construct.

The parts live beside it: rules (``_backup_rules``), vaults and Vault Lock
(``_backup_vault``), selections (``_backup_selection``) and compliance reports
(``_backup_reports``).
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Annotations, CfnResource, Stack
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct, IConstruct

from .._errors import LatticeError, StatefulnessError
from .._policy import StatefulnessPolicy
from ._backup_options import OPTION_NAMES, checked_options, resolve_dr_target, warn_no_dr_target
from ._backup_plan import ManagedPlan, allow_s3, build_plan, build_role
from ._backup_recovery import AirGappedVault, RestoreTesting, add_restore_test, build_recovery
from ._backup_reports import (
    REPORT_BUCKET_NAME,
    build_framework,
    build_report_bucket,
    build_report_plans,
)
from ._backup_selection import (
    RequireVersioning,
    SelectsSomething,
    selection_name,
    tag_selection,
)
from ._backup_vault import MIN_LOCK_COOLING_OFF_DAYS, VaultLockMode, build_vault
from ._context import check_policy_argument, policy_for
from ._tags import BACKUP_TAG, PLAN_TAG, protect_stack, tag_lattice, tag_resource

__all__ = ["DEFAULT_MANAGER_ID", "BackupManager", "stack_manager"]

#: Construct id of a stack's manager (:meth:`BackupManager.of`); deployed vaults keep it.
DEFAULT_MANAGER_ID = "LatticeBackup"

_ATTR = "_lattice_backup_manager"


def stack_manager(stack: Stack) -> BackupManager | None:
    """``stack``'s manager, or ``None`` when it has none yet (nothing is created)."""
    found: BackupManager | None = getattr(stack, _ATTR, None)
    return found


class BackupManager(Construct):
    """The AWS Backup set-up of one stack, built from the statefulness policy.

    Where the policy has backups on it creates a customer-managed KMS key and a vault
    (both retained), a vault policy denying recovery-point deletes (prod, staging), a
    Vault Lock in governance mode (prod; compliance mode, which can never be undone,
    only with ``vault_lock_mode="compliance"``), a plan (daily; weekly, monthly and
    continuous in prod; a cross-region copy when a DR target is configured), one
    tag-condition selection per plan for every resource enrolled, and in prod an AWS
    Backup Audit Manager framework with report plans.

    Example::

        manager = BackupManager.of(stack, environment="prod").configure(dr_region="us-west-2")
        manager.add_resource(efs_file_system)     # tagged into the plan's selection
        manager.add_resource("arn:aws:...")       # by ARN, batched within the quotas

    A second manager in a stack is an error: configure the one :meth:`of` returns.
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
        vault_lock_mode: VaultLockMode = "governance",
        vault_lock_cooling_off_days: int = MIN_LOCK_COOLING_OFF_DAYS,
        compliance_reporting: bool | None = None,
        report_bucket: s3.IBucket | None = None,
    ) -> None:
        """Create the stack's manager. Prefer ``BackupManager.of(stack).configure(...)``.

        :param environment: the environment; default: CDK context ``lattice:environment``.
        :param policy: a ready policy instead of ``environment``. Default: built from
            the environment.
        :param backup_retention_days: see :meth:`configure`; so are the other options.

        Raises :class:`~lattice_cdk.LatticeError` (``second-backup-manager``) when the
        stack already has a manager.
        """
        args = locals()
        stack = Stack.of(scope)
        first = stack_manager(stack)
        if first is not None:
            raise LatticeError(
                f"stack {stack.node.path!r} already has a BackupManager at "
                f"{first.node.path}; a second one would back its resources up twice.",
                code="second-backup-manager",
                fix="configure the stack's one manager: "
                "BackupManager.of(stack).configure(dr_region=..., ...).",
            )
        check_policy_argument(policy)
        super().__init__(scope, id)
        setattr(stack, _ATTR, self)
        self._stack = stack
        self._base_policy = policy
        self._plans: dict[int, ManagedPlan] = {}
        self._tag_selections: dict[str, backup.BackupSelection] = {}
        self._s3_policies_added = False
        self._dr_region: str | None = None
        self._built = False
        self.key: kms.Key | None = None
        self.vault: backup.BackupVault | None = None
        self.plan: backup.BackupPlan | None = None
        self.role: iam.Role | None = None
        self.dr_vault: backup.IBackupVault | None = None
        self.framework: backup.CfnFramework | None = None
        self.report_bucket: s3.IBucket | None = None
        self.restore_testing: RestoreTesting | None = None  # docs/recovery.md
        self.air_gapped_vault: AirGappedVault | None = None
        self.policy: StatefulnessPolicy = policy_for(self, environment=environment, policy=policy)
        self._options: dict[str, Any] = {}
        self.configure(**{name: args[name] for name in OPTION_NAMES})
        lock = ("vault_lock_mode", "vault_lock_cooling_off_days")
        if id != DEFAULT_MANAGER_ID or any(
            args[name] is not None for name in OPTION_NAMES if name not in lock
        ):
            # Built at once, as explicit managers always were (of() builds on first use).
            self._build()

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
        """The manager of ``Stack.of(scope)``, created (id ``LatticeBackup``) on first use.

        Raises :class:`~lattice_cdk.StatefulnessError` when the stack's manager belongs
        to another environment than the one asked for.
        """
        stack = scope if isinstance(scope, Stack) else Stack.of(scope)
        existing = stack_manager(stack)
        if existing is None:
            return cls(stack, DEFAULT_MANAGER_ID, environment=environment, policy=policy)
        check_policy_argument(policy)
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

    def configure(
        self,
        *,
        backup_retention_days: int | None = None,
        dr_vault: backup.IBackupVault | None = None,
        dr_vault_arn: str | None = None,
        dr_region: str | None = None,
        dr_vault_name: str | None = None,
        vault_lock_mode: VaultLockMode | None = None,
        vault_lock_cooling_off_days: int | None = None,
        compliance_reporting: bool | None = None,
        report_bucket: s3.IBucket | None = None,
    ) -> BackupManager:
        """Set the manager's options; call it before the stack's first Lattice construct.

        Options not given keep their value. Returns the manager.

        :param backup_retention_days: days the daily backups are kept. Default: the
            policy's (30 in prod, 14 in staging).
        :param dr_region: copy every backup to the vault ``dr_vault_name`` of this
            account in that region (deploy it with :class:`DisasterRecoveryVault`).
        :param dr_vault_name: the DR vault's name with ``dr_region``. Default:
            ``lattice-dr-<environment>``.
        :param dr_vault: the DR vault as a construct, e.g. a
            :class:`DisasterRecoveryVault`'s in a stack with ``cross_region_references``.
        :param dr_vault_arn: the DR vault by ARN. One of ``dr_region``, ``dr_vault``
            and ``dr_vault_arn`` at most. Default: none (prod then warns LAT2303).
        :param vault_lock_mode: ``"governance"`` (default): recovery points cannot be
            deleted early, and a principal allowed
            ``backup:DeleteBackupVaultLockConfiguration`` can still remove the lock.
            ``"compliance"``: after the cooling-off period **the lock can never be
            removed, by anyone, and the vault cannot be deleted** while it holds
            recovery points (7-year monthly backups in prod). Only in prod, where the
            policy locks the vault.
        :param vault_lock_cooling_off_days: compliance mode: days the lock can still be
            removed before it becomes permanent. Default: 3 (AWS's minimum).
        :param compliance_reporting: the Audit Manager framework and report plans.
            Default: the policy's (on in prod only).
        :param report_bucket: where compliance reports go. Default: a retained,
            versioned, encrypted bucket created here.

        Raises :class:`~lattice_cdk.LatticeError` (``manager-already-built``) once the
        manager has built its vault and plan.
        """
        args = locals()
        given = {name: args[name] for name in OPTION_NAMES}
        if self._built and any(v is not None for v in given.values()):
            raise LatticeError(
                f"the BackupManager at {self.node.path} has already built its vault and "
                "plan (a resource was enrolled), so it can no longer be configured.",
                code="manager-already-built",
                fix="call BackupManager.of(stack).configure(...) before creating the "
                "stack's Lattice constructs.",
            )
        options = checked_options(self._options, given, self._stack)
        overrides = {
            k: options[k] for k in ("backup_retention_days", "compliance_reporting") if k in options
        }
        if overrides:
            if self._base_policy is not None:
                raise StatefulnessError(
                    "cannot be combined with policy=: the policy already decides it.",
                    field=next(iter(overrides)),
                    value=next(iter(overrides.values())),
                    allowed="None when policy= is given",
                    fix="build the policy with the override instead.",
                    code="contradictory-overrides",
                )
            self.policy = policy_for(self, environment=self.policy.environment, **overrides)
        self._options = options
        return self

    @property
    def stack(self) -> Stack:
        """The stack this manager backs up."""
        return self._stack

    @property
    def enabled(self) -> bool:
        """True when the policy has backups on (False in ``dev``: nothing is created)."""
        return self.policy.enable_backups

    @property
    def vault_lock_mode(self) -> VaultLockMode | None:
        """How the vault is locked: ``governance``, ``compliance``, or None (no lock)."""
        if not (self.enabled and self.policy.vault_lock):
            return None
        mode: VaultLockMode = self._options.get("vault_lock_mode", "governance")
        return mode

    @property
    def selection_names(self) -> list[str]:
        """Names of the selections built so far (empty when disabled)."""
        names = []
        for entry in self._plans.values():
            for child in entry.plan.node.find_all():
                if isinstance(child, backup.CfnBackupSelection):
                    spec = self._stack.resolve(child.backup_selection)
                    names.append(spec["selectionName"])
        return sorted(names)

    # -- enrolment ---------------------------------------------------------------------

    def enrol(
        self, resource: IConstruct, *, retention_days: int | None = None
    ) -> backup.CfnBackupSelection | None:
        """Back ``resource`` up by tag: its L1 (or every taggable L1 under it) is tagged
        ``lattice:backup=<environment>`` and ``lattice:backup-plan=<plan>``, which the
        plan's one tag-condition selection matches. No ARN, so no quota to reach.

        :param retention_days: days its daily backups are kept, when it differs from
            the manager's (the resource moves to a plan of its own). Default: the
            manager's. Returns the plan's selection, or ``None`` when backups are off.
        """
        if not self.enabled:
            return None
        nodes = [resource] if isinstance(resource, CfnResource) else resource.node.find_all()
        buckets = any(isinstance(node, s3.CfnBucket) for node in nodes)
        tags = self.enrolment_tags(retention_days=retention_days, bucket=buckets)
        for node in nodes:
            if isinstance(node, CfnResource):
                tag_resource(node, tags)
                add_restore_test(self.restore_testing, node)
        return self._plan_for(retention_days or self.policy.backup_retention_days).tagged

    def enrolment_tags(
        self, *, retention_days: int | None = None, bucket: bool = False
    ) -> dict[str, str]:
        """The tags that put a resource in the plan for ``retention_days`` (default: the
        manager's), whose selection is created on first use. ``bucket``: the resource is a
        bucket (the role then gets AWS Backup's S3 policies). Empty when backups are off."""
        if not self.enabled:
            return {}
        entry = self._plan_for(retention_days or self.policy.backup_retention_days)
        if bucket:
            self._allow_s3()
        if entry.tagged is None:
            assert self.role is not None
            entry.tagged = tag_selection(
                entry.plan,
                environment=self.policy.environment,
                plan_name=entry.name,
                role_arn=self.role.role_arn,
            )
        return {BACKUP_TAG: self.policy.environment, PLAN_TAG: entry.name}

    def add_resource(
        self,
        resource: Construct | str,
        *,
        name: str | None = None,
        retention_days: int | None = None,
    ) -> backup.CfnBackupSelection | None:
        """Back up a construct (by tag, see :meth:`enrol`) or an ARN string (by ARN).

        An ``s3.IBucket`` goes through :meth:`add_bucket` (S3 needs its own care). ARNs
        share selections of up to 500 (30 with a wildcard), within AWS Backup's quotas.

        :param name: kept for compatibility; selections are shared and named by plan.
        :param retention_days: days its daily backups are kept, when it differs from
            the manager's (a second plan is created). Default: the manager's.
        Returns the selection, or ``None`` when backups are off.
        """
        del name  # selections are shared now: one per plan, and batches of ARNs
        if not self.enabled:
            return None
        if isinstance(resource, s3.Bucket):
            return self.add_bucket(resource, retention_days=retention_days)
        if isinstance(resource, str):
            entry = self._plan_for(retention_days or self.policy.backup_retention_days)
            return entry.arns.add(resource)
        resource.node.add_validation(SelectsSomething(resource))
        return self.enrol(resource, retention_days=retention_days)

    def add_bucket(
        self, bucket: s3.IBucket, *, name: str | None = None, retention_days: int | None = None
    ) -> backup.CfnBackupSelection | None:
        """Back up an S3 bucket the way AWS Backup needs (aws/aws-cdk#21968).

        Gives the backup role AWS's managed policies ``AWSBackupServiceRolePolicyForS3Backup``
        and ``...ForS3Restore``. A bucket of this app is enrolled by tag and fails synth
        (rule LAT1402) when not versioned; an imported one is selected by ARN, with a
        warning that its versioning cannot be seen. Returns ``None`` when backups are off.
        """
        del name
        if not self.enabled:
            return None
        self._build()
        self._allow_s3()
        cfn = bucket.node.default_child
        if isinstance(cfn, s3.CfnBucket):
            bucket.node.add_validation(RequireVersioning(cfn))
            return self.enrol(cfn, retention_days=retention_days)
        Annotations.of(bucket).add_warning_v2(
            "lattice:LAT2902",
            "[LAT2902] Lattice cannot see whether this imported bucket is versioned; "
            "AWS Backup for S3 needs versioning. Fix: enable versioning on the bucket.",
        )
        entry = self._plan_for(retention_days or self.policy.backup_retention_days)
        return entry.arns.add(bucket.bucket_arn)

    def add_tag_selection(self, key: str, value: str) -> backup.BackupSelection | None:
        """Back up every resource tagged ``key=value`` (StringEquals). Idempotent.

        Such a selection covers the whole account and region, not just this stack.
        A tag selection can pick up S3 buckets, so the backup role also gets AWS's S3
        backup and restore policies. Returns ``None`` when backups are off.
        """
        if not self.enabled:
            return None
        self._build()
        self._allow_s3()
        assert self.plan is not None
        assert self.role is not None
        label = selection_name(f"tag-{key}-{value}")
        existing = self._tag_selections.get(label)
        if existing is None:
            existing = self._tag_selections[label] = self.plan.add_selection(
                label,
                resources=[backup.BackupResource.from_tag(key, value)],
                role=self.role,
                backup_selection_name=label,
                disable_default_backup_policy=True,
            )
        return existing

    def _allow_s3(self) -> None:
        assert self.role is not None
        if not self._s3_policies_added:
            allow_s3(self.role)
            self._s3_policies_added = True

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        """Build the vault, role, default plan and reports, once, from the options."""
        if self._built or not self.enabled:
            return
        self._built = True
        p = self.policy
        o = self._options
        tag_lattice(self, p)
        protect_stack(self._stack, p)  # its stack, known: no Stack.of round trip
        self.key, self.vault = build_vault(
            self,
            p,
            description=f"Encrypts Lattice backups ({p.environment})",
            lock_mode=o.get("vault_lock_mode", "governance"),
            cooling_off_days=o.get("vault_lock_cooling_off_days", MIN_LOCK_COOLING_OFF_DAYS),
        )
        self.dr_vault, self._dr_region = resolve_dr_target(self, p.environment, o)
        if p.cross_region_copy and self.dr_vault is None:
            warn_no_dr_target(self, p.environment)
        self.role = build_role(self)
        self.restore_testing, self.air_gapped_vault = build_recovery(self, p, self.role)
        self.plan = self._plan_for(p.backup_retention_days).plan
        if p.compliance_reporting:
            self.framework = build_framework(
                self, p, dr_vault=self.dr_vault, dr_region=self._dr_region
            )
            bucket = o.get("report_bucket")
            if bucket is None:
                bucket = build_report_bucket(self, p)
                self.add_bucket(bucket, name=REPORT_BUCKET_NAME)
            self.report_bucket = bucket
            build_report_plans(self, p, self.framework, bucket)

    def _plan_for(self, daily_days: int) -> ManagedPlan:
        self._build()
        entry = self._plans.get(daily_days)
        if entry is None:
            assert self.vault is not None
            assert self.role is not None
            entry = self._plans[daily_days] = build_plan(
                self,
                self.policy,
                daily_days=daily_days,
                first=not self._plans,
                vault=self.vault,
                dr_vault=self.dr_vault,
                role_arn=self.role.role_arn,
                air_gapped=self.air_gapped_vault,
            )
        return entry
