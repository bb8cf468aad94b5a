"""A plan of the :class:`BackupManager`: its rules, from the policy, its selections,
and the role AWS Backup runs them as."""

from __future__ import annotations

from aws_cdk import Names
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from constructs import Construct

from .._errors import StatefulnessError
from .._policy import StatefulnessPolicy
from ._air_gapped import AirGappedVault
from ._backup_rules import BackupRules
from ._backup_selection import ArnBatches

__all__ = ["ManagedPlan", "allow_s3", "build_plan", "build_role"]

_BACKUP_POLICY = "service-role/AWSBackupServiceRolePolicyForBackup"
_RESTORE_POLICY = "service-role/AWSBackupServiceRolePolicyForRestores"
# S3 needs its own managed policies (aws/aws-cdk#21968): they live at the policy root.
_S3_POLICIES = ("AWSBackupServiceRolePolicyForS3Backup", "AWSBackupServiceRolePolicyForS3Restore")


def build_role(scope: Construct) -> iam.Role:
    """The role (id ``Role``) AWS Backup assumes, with its backup and restore policies."""
    return iam.Role(
        scope,
        "Role",
        assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
        description="AWS Backup role for Lattice backups and restores",
        managed_policies=[
            iam.ManagedPolicy.from_aws_managed_policy_name(_BACKUP_POLICY),
            iam.ManagedPolicy.from_aws_managed_policy_name(_RESTORE_POLICY),
        ],
    )


def allow_s3(role: iam.Role) -> None:
    """Give ``role`` what AWS Backup for S3 needs on top (aws/aws-cdk#21968); once."""
    for name in _S3_POLICIES:
        role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name(name))


class ManagedPlan:
    """One plan, its name (the ``lattice:backup-plan`` tag value) and its selections."""

    __slots__ = ("arns", "name", "plan", "tagged")

    def __init__(self, plan: backup.BackupPlan, name: str, role_arn: str) -> None:
        self.plan = plan
        self.name = name
        self.tagged: backup.CfnBackupSelection | None = None
        self.arns = ArnBatches(plan, plan_name=name, role_arn=role_arn)


def build_plan(
    scope: Construct,
    policy: StatefulnessPolicy,
    *,
    daily_days: int,
    first: bool,
    vault: backup.IBackupVault,
    dr_vault: backup.IBackupVault | None,
    role_arn: str,
    air_gapped: AirGappedVault | None = None,
) -> ManagedPlan:
    """The plan keeping daily backups ``daily_days`` (id ``Plan`` for the first, else
    ``Plan<days>Days``), with the policy's weekly, monthly and continuous rules, each
    copied to ``dr_vault`` when given."""
    if daily_days < policy.min_backup_retention_days:
        raise StatefulnessError(
            f"is below the {policy.min_backup_retention_days}-day floor of "
            f"environment {policy.environment!r}.",
            field="retention_days",
            value=daily_days,
            allowed=f"at least {policy.min_backup_retention_days}",
            fix="keep backups longer, or leave it unset.",
            code="retention-below-floor",
        )
    rules = BackupRules.for_policy(
        policy, daily_days=daily_days, copy_to=dr_vault, air_gapped=air_gapped
    )
    plan_id = "Plan" if first else f"Plan{daily_days}Days"
    # aws-cdk-lib names a plan after its construct id, which collides across stacks
    # in one account and region (aws/aws-cdk#38318): name it after its path.
    base = Names.unique_resource_name(
        scope, max_length=50 - len(plan_id) - 1, allowed_special_characters="-_."
    )
    name = f"{base}-{plan_id}"
    plan = backup.BackupPlan(
        scope, plan_id, backup_plan_name=name, backup_vault=vault, backup_plan_rules=rules
    )
    return ManagedPlan(plan, name, role_arn)
