"""AirGappedVault: a logically air-gapped backup vault that copies can land in.

aws-cdk-lib has only the L1 ``CfnLogicallyAirGappedBackupVault``. AWS locks such a
vault in compliance mode and accepts only recovery points kept between its
``MinRetentionDays`` and ``MaxRetentionDays``: the bounds are computed from the copies
sent to it by :func:`lattice_cdk._recovery.air_gapped_bounds`, the arithmetic LAT1308
checks with, so a vault Lattice builds accepts every copy its plan makes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from constructs import Construct

from .._errors import StatefulnessError
from .._policy import StatefulnessPolicy
from .._recovery import air_gapped_bounds, copy_fits

if TYPE_CHECKING:
    # Loaded by share_with only: most vaults are not shared (aws_ram costs ~4 ms).
    from aws_cdk import aws_ram as ram

__all__ = ["AirGappedVault"]

_VAULT_NAME = re.compile(r"^[A-Za-z0-9_-]{2,50}$")
_ACCOUNT = re.compile(r"^\d{12}$")
_ORG_ARN = re.compile(r"^arn:aws[a-z-]*:organizations::\d{12}:(organization|ou)/.+$")


class AirGappedVault(Construct):
    """A logically air-gapped vault whose retention bounds fit every copy sent to it.

    Build it with :meth:`for_policy` to take the copies of the policy's daily and
    monthly rules, or give ``copy_retention_days`` yourself. Put it in the stack of the
    region it should live in (the backup stack's, or the DR region's); copy to it with
    :meth:`copy_action`.

    :param copy_retention_days: DeleteAfterDays of every copy that will land here.
    :param vault_name: @default ``lattice-<environment>-air-gapped``
    :param recovery_accounts: account ids (or AWS Organizations organization / OU ARNs)
        to share the vault with through AWS RAM, so a clean recovery account can restore
        from it. @default not shared
    :param access_policy: the vault's access policy. @default none
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        policy: StatefulnessPolicy,
        copy_retention_days: Iterable[int | None],
        vault_name: str | None = None,
        recovery_accounts: Sequence[str] = (),
        access_policy: iam.PolicyDocument | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        name = vault_name or f"lattice-{policy.environment}-air-gapped"
        if not _VAULT_NAME.match(name):
            raise StatefulnessError(
                "is not a backup vault name.",
                field="vault_name",
                value=name,
                allowed="2 to 50 letters, digits, '-' or '_'",
                fix="pass a name such as 'lattice-prod-air-gapped'.",
                code="invalid-value",
            )
        _check_accounts(recovery_accounts)
        self.min_retention_days, self.max_retention_days = air_gapped_bounds(copy_retention_days)
        self.resource = backup.CfnLogicallyAirGappedBackupVault(
            self,
            "Resource",
            backup_vault_name=name,
            min_retention_days=self.min_retention_days,
            max_retention_days=self.max_retention_days,
            access_policy=access_policy.to_json() if access_policy else None,
        )
        # The vault holds the only copy an attacker cannot delete: never delete it with
        # the stack (AWS refuses to delete a vault with recovery points anyway).
        self.resource.apply_removal_policy(RemovalPolicy.RETAIN)
        self.vault_name = name
        self.vault_arn = self.resource.attr_backup_vault_arn
        #: The vault as an ``IBackupVault``, for copy actions.
        self.vault = backup.BackupVault.from_backup_vault_arn(self, "Vault", self.vault_arn)
        self.share: ram.CfnResourceShare | None = None
        self._accounts: list[str] = []
        if recovery_accounts:
            self.share_with(recovery_accounts)

    @classmethod
    def for_policy(
        cls,
        scope: Construct,
        construct_id: str,
        *,
        policy: StatefulnessPolicy,
        vault_name: str | None = None,
        recovery_accounts: Sequence[str] = (),
    ) -> AirGappedVault:
        """A vault for copies of the policy's daily and (when kept) monthly backups."""
        if not policy.air_gapped_copy:
            raise StatefulnessError(
                f"environment {policy.environment!r} does not ask for an air-gapped copy.",
                field="air_gapped_copy",
                value=False,
                allowed="a policy with air_gapped_copy=True (maximum protection by default)",
                fix="build the policy with air_gapped_copy=True, or leave the vault out.",
                code="invalid-value",
            )
        return cls(
            scope,
            construct_id,
            policy=policy,
            copy_retention_days=copy_retention_days(policy),
            vault_name=vault_name,
            recovery_accounts=recovery_accounts,
        )

    def share_with(self, recovery_accounts: Sequence[str]) -> ram.CfnResourceShare:
        """Share the vault through AWS RAM with recovery accounts (12-digit ids, or an
        AWS Organizations organization or OU ARN), so a clean account can restore from
        it; accounts given again are added to the one share."""
        from aws_cdk import aws_ram as ram

        _check_accounts(recovery_accounts)
        if self.share is None:
            self.share = ram.CfnResourceShare(
                self, "Share", name=f"{self.vault_name}-recovery", resource_arns=[self.vault_arn]
            )
        self._accounts.extend(a for a in recovery_accounts if a not in self._accounts)
        self.share.principals = list(self._accounts)
        # Accounts outside the organization need an external share.
        self.share.allow_external_principals = not all(_ORG_ARN.match(a) for a in self._accounts)
        return self.share

    def copy_action(self, delete_after_days: int) -> backup.BackupPlanCopyActionProps:
        """A copy to this vault kept ``delete_after_days``; raises when AWS would refuse
        it (outside the vault's bounds)."""
        if not copy_fits(delete_after_days, self.min_retention_days, self.max_retention_days):
            raise StatefulnessError(
                "is outside the air-gapped vault's retention bounds; AWS would reject the copy.",
                field="delete_after_days",
                value=delete_after_days,
                allowed=f"{self.min_retention_days} to {self.max_retention_days}",
                fix="add this lifecycle to the vault's copy_retention_days.",
                code="invalid-retention",
            )
        return backup.BackupPlanCopyActionProps(
            destination_backup_vault=self.vault, delete_after=Duration.days(delete_after_days)
        )


def _check_accounts(accounts: Sequence[str]) -> None:
    for account in accounts:
        if not (isinstance(account, str) and (_ACCOUNT.match(account) or _ORG_ARN.match(account))):
            raise StatefulnessError(
                "is not an account id or an organization/OU ARN.",
                field="recovery_accounts",
                value=account,
                allowed="12 digits, or arn:aws:organizations::<id>:organization/... or ou/...",
                fix="pass the recovery account's 12-digit id.",
                code="invalid-value",
            )


def copy_retention_days(policy: StatefulnessPolicy) -> list[int]:
    """DeleteAfterDays of the copies the policy's daily and monthly rules make. The
    environment's floor is among them: a plan whose resources keep their own, longer
    daily retention (a second plan of the manager) copies within the same bounds."""
    days = [policy.min_backup_retention_days, policy.backup_retention_days]
    if policy.monthly_backups:
        days.append(policy.monthly_retention_days)
    return days
