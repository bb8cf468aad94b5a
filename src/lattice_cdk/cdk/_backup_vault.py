"""Backup vaults: the stack's own (key, vault, Vault Lock) and the disaster-recovery one.

Vault Lock comes in two modes (AWS Backup developer guide, "AWS Backup Vault Lock"):

- ``governance`` (Lattice's default in prod): ``MinRetentionDays`` without
  ``ChangeableForDays``. Recovery points cannot be deleted early, but a principal with
  ``backup:DeleteBackupVaultLockConfiguration`` can remove the lock.
- ``compliance`` (only when asked): ``ChangeableForDays`` as well. Once that cooling-off
  period ends, **nobody, not AWS, not the root user, can remove the lock, shorten the
  retention or delete the vault before its recovery points expire.** It can never be
  undone.
"""

from __future__ import annotations

from typing import Literal

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_backup as backup
from aws_cdk import aws_kms as kms
from constructs import Construct

from .._backup_plan import dr_vault_name
from .._errors import StatefulnessError
from .._policy import StatefulnessPolicy
from ._context import policy_for
from ._tags import tag_lattice

__all__ = [
    "MIN_LOCK_COOLING_OFF_DAYS",
    "VAULT_LOCK_MODES",
    "DisasterRecoveryVault",
    "VaultLockMode",
    "build_vault",
    "check_lock_options",
    "default_dr_vault_name",
]

#: AWS requires at least 3 days between creating a compliance-mode lock and it setting.
MIN_LOCK_COOLING_OFF_DAYS = 3
VaultLockMode = Literal["governance", "compliance"]
VAULT_LOCK_MODES: tuple[VaultLockMode, ...] = ("governance", "compliance")


def check_lock_options(mode: object, cooling_off_days: object) -> None:
    """Refuse a lock mode or cooling-off period AWS Backup would not accept."""
    if mode not in VAULT_LOCK_MODES:
        raise StatefulnessError(
            "is not a Vault Lock mode.",
            field="vault_lock_mode",
            value=mode,
            allowed="'governance' (default) or 'compliance' (permanent after the cooling-off)",
            fix="pass vault_lock_mode='governance', or leave it unset.",
            code="invalid-value",
        )
    if (
        isinstance(cooling_off_days, bool)
        or not isinstance(cooling_off_days, int)
        or cooling_off_days < MIN_LOCK_COOLING_OFF_DAYS
    ):
        raise StatefulnessError(
            "is shorter than AWS allows for a compliance-mode Vault Lock.",
            field="vault_lock_cooling_off_days",
            value=cooling_off_days,
            allowed=f"a whole number of days, at least {MIN_LOCK_COOLING_OFF_DAYS}",
            fix=f"pass {MIN_LOCK_COOLING_OFF_DAYS} or more.",
            code="invalid-value",
        )


def lock_configuration(
    policy: StatefulnessPolicy, mode: VaultLockMode, cooling_off_days: int
) -> backup.LockConfiguration | None:
    """The vault's lock: none, governance (no ``ChangeableForDays``) or compliance."""
    if not policy.vault_lock:
        return None
    return backup.LockConfiguration(
        min_retention=Duration.days(policy.min_backup_retention_days),
        changeable_for=Duration.days(cooling_off_days) if mode == "compliance" else None,
    )


def build_vault(
    scope: Construct,
    policy: StatefulnessPolicy,
    *,
    description: str,
    lock_mode: VaultLockMode,
    cooling_off_days: int,
    vault_name: str | None = None,
) -> tuple[kms.Key, backup.BackupVault]:
    """A retained, rotating KMS key and a retained vault it encrypts (ids ``Key``, ``Vault``).

    Recovery-point deletes are denied where the policy asks (prod, staging), and the
    vault is locked in ``lock_mode`` where it asks for a lock (prod).
    """
    key = kms.Key(
        scope,
        "Key",
        description=description,
        enable_key_rotation=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
    vault = backup.BackupVault(
        scope,
        "Vault",
        backup_vault_name=vault_name,
        encryption_key=key,
        removal_policy=RemovalPolicy.RETAIN,
        block_recovery_point_deletion=policy.vault_deny_delete or None,
        lock_configuration=lock_configuration(policy, lock_mode, cooling_off_days),
    )
    return key, vault


def default_dr_vault_name(environment: str) -> str:
    """The DR vault name :class:`DisasterRecoveryVault` and ``dr_region=`` agree on."""
    return dr_vault_name(environment)


class DisasterRecoveryVault(Construct):
    """A backup vault to copy recovery points into, for a stack in the DR region.

    Its name is fixed (default ``lattice-dr-<environment>``) so the stack's
    :class:`BackupManager` in another region can name it with
    ``configure(dr_region=...)`` alone; or pass ``dr_vault=this.vault`` when both stacks
    set ``cross_region_references=True``. Key and vault are retained, recovery-point
    deletes are denied in prod and staging, and the vault is locked in prod: governance
    mode by default, compliance mode (permanent) only with
    ``vault_lock_mode="compliance"``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        environment: str | None = None,
        policy: StatefulnessPolicy | None = None,
        vault_name: str | None = None,
        vault_lock_mode: VaultLockMode = "governance",
        vault_lock_cooling_off_days: int = MIN_LOCK_COOLING_OFF_DAYS,
    ) -> None:
        """:param vault_name: default ``lattice-dr-<environment>``.
        :param vault_lock_mode: ``"governance"`` (default) or ``"compliance"``, which can
            never be undone once the cooling-off period ends.
        :param vault_lock_cooling_off_days: compliance mode only: days the lock can
            still be removed. Default: 3 (AWS's minimum).
        """
        super().__init__(scope, id)
        check_lock_options(vault_lock_mode, vault_lock_cooling_off_days)
        self.policy = policy_for(self, environment=environment, policy=policy)
        p = self.policy
        tag_lattice(self, p)
        self.key, self.vault = build_vault(
            self,
            p,
            description=f"Encrypts Lattice disaster-recovery copies ({p.environment})",
            lock_mode=vault_lock_mode,
            cooling_off_days=vault_lock_cooling_off_days,
            vault_name=vault_name or default_dr_vault_name(p.environment),
        )
