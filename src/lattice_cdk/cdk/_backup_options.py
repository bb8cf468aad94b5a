"""The options of a :class:`BackupManager`: checked when given, the DR target resolved.

``BackupManager.of(stack).configure(...)`` and the constructor both land here, so a bad
value raises at once, naming the option, the value and the fix.
"""

from __future__ import annotations

import re
from typing import Any

from aws_cdk import Annotations, ArnFormat, Stack, Token
from aws_cdk import aws_backup as backup
from constructs import Construct

from .._errors import StatefulnessError
from ._backup_vault import MIN_LOCK_COOLING_OFF_DAYS, check_lock_options, default_dr_vault_name

__all__ = ["OPTION_NAMES", "checked_options", "resolve_dr_target", "warn_no_dr_target"]

#: Every option ``configure`` takes, in its documented order.
OPTION_NAMES = (
    "backup_retention_days",
    "dr_vault",
    "dr_vault_arn",
    "dr_region",
    "dr_vault_name",
    "vault_lock_mode",
    "vault_lock_cooling_off_days",
    "compliance_reporting",
    "report_bucket",
)
_DR_TARGETS = ("dr_vault", "dr_vault_arn", "dr_region")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


def checked_options(current: dict[str, Any], given: dict[str, Any], stack: Stack) -> dict[str, Any]:
    """``current`` updated with ``given`` (options left at None are not given), checked."""
    options = {**current, **{k: v for k, v in given.items() if v is not None}}
    check_lock_options(
        options.get("vault_lock_mode", "governance"),
        options.get("vault_lock_cooling_off_days", MIN_LOCK_COOLING_OFF_DAYS),
    )
    targets = [k for k in _DR_TARGETS if k in options]
    if len(targets) > 1:
        raise StatefulnessError(
            "more than one disaster-recovery target was given.",
            field="dr_vault",
            value={k: options[k] for k in targets},
            allowed="one of dr_vault, dr_vault_arn or dr_region",
            fix="pick one way to name the DR vault.",
            code="contradictory-overrides",
        )
    if "dr_region" in options:
        _check_region(options["dr_region"], stack)
    if "dr_vault_arn" in options:
        _check_vault_arn(options["dr_vault_arn"])
    return options


def resolve_dr_target(
    scope: Construct, environment: str, options: dict[str, Any]
) -> tuple[backup.IBackupVault | None, str | None]:
    """The DR vault the plans copy to (imported as ``DisasterRecoveryVault`` under
    ``scope`` when named by ARN or region) and its region, or ``(None, None)``."""
    vault: backup.IBackupVault | None = options.get("dr_vault")
    if vault is not None:
        return vault, Stack.of(vault).region
    arn: str | None = options.get("dr_vault_arn")
    region: str | None = options.get("dr_region")
    if region is not None:
        arn = Stack.of(scope).format_arn(
            service="backup",
            region=region,
            resource="backup-vault",
            resource_name=options.get("dr_vault_name") or default_dr_vault_name(environment),
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
    if arn is None:
        return None, None
    if region is None and not Token.is_unresolved(arn):
        region = arn.split(":")[3]
    imported = backup.BackupVault.from_backup_vault_arn(scope, "DisasterRecoveryVault", arn)
    return imported, region


def warn_no_dr_target(scope: Construct, environment: str) -> None:
    """LAT2303 at synth: the environment expects cross-region copies and no DR vault was
    given (the fix is the checker rule's, word for word)."""
    # The checker is loaded only when the warning is due.
    from ..checker.rules.lat2303_cross_region_copy import INFO

    Annotations.of(scope).add_warning_v2(
        "lattice:LAT2303",
        f"[LAT2303] environment {environment!r} expects a cross-region copy of every "
        f"backup, but no disaster-recovery vault was given. Fix: {INFO.fix}",
    )


def _check_region(region: object, stack: Stack) -> None:
    if isinstance(region, str) and Token.is_unresolved(region):
        return
    if not isinstance(region, str) or not _REGION.match(region):
        raise StatefulnessError(
            "is not an AWS region name.",
            field="dr_region",
            value=region,
            allowed="a region such as 'us-west-2' or 'eu-central-1'",
            fix="pass the region of the DisasterRecoveryVault's stack.",
            code="invalid-value",
        )
    if region == stack.region:
        raise StatefulnessError(
            "is the stack's own region: a disaster-recovery copy must leave it.",
            field="dr_region",
            value=region,
            allowed="another AWS region",
            fix="pass a region other than the stack's.",
            code="invalid-value",
        )


def _check_vault_arn(arn: object) -> None:
    if isinstance(arn, str) and Token.is_unresolved(arn):
        return
    parts = arn.split(":") if isinstance(arn, str) else []
    if len(parts) < 7 or parts[2] != "backup" or parts[5] != "backup-vault":
        raise StatefulnessError(
            "is not a backup vault ARN.",
            field="dr_vault_arn",
            value=arn,
            allowed="arn:<partition>:backup:<region>:<account>:backup-vault:<name>",
            fix="copy the ARN from the DR vault (aws backup describe-backup-vault).",
            code="invalid-value",
        )
