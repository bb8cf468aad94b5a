"""The statefulness policy: one environment name turned into concrete protection.

Pure Python: constructs, the guard and the checker all read these fields, so what an
environment means is decided here and only here.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from types import SimpleNamespace

from ._environments import EnvironmentRegistry, Tier, default_registry
from ._errors import StatefulnessError
from ._records import Record
from ._recovery import DEFAULT_RESTORE_TESTING_SCHEDULE, recovery_fields

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "AWS_BACKUP_MAX_RETENTION_DAYS",
    "CONTINUOUS_BACKUP_MAX_DAYS",
    "ProtectionLevel",
    "Removal",
    "StatefulnessPolicy",
    "create_statefulness_policy",
]

#: AWS Backup refuses a lifecycle longer than 100 years.
AWS_BACKUP_MAX_RETENTION_DAYS = 36_500
#: Continuous backup (point-in-time recovery) keeps at most 35 days.
CONTINUOUS_BACKUP_MAX_DAYS = 35
WEEKLY_RETENTION_DAYS = 365
MONTHLY_RETENTION_DAYS = 2_555
MONTHLY_COLD_STORAGE_AFTER_DAYS = 90


class ProtectionLevel(StrEnum):
    """How hard an environment protects its data."""

    MAXIMUM = "maximum"
    MODERATE = "moderate"
    MINIMAL = "minimal"


class Removal(StrEnum):
    """What happens to a resource's data when CloudFormation deletes or replaces it.

    The names match ``aws_cdk.RemovalPolicy`` so the CDK layer can translate by name.
    """

    RETAIN = "RETAIN"
    SNAPSHOT = "SNAPSHOT"
    DESTROY = "DESTROY"


class StatefulnessPolicy(Record):
    """What one environment requires of every stateful resource.

    Build it with :func:`create_statefulness_policy` (or the named factories
    :meth:`production`, :meth:`staging`, :meth:`development`); it validates on
    creation and cannot be changed afterwards.
    """

    #: Canonical environment name (``prod``, ``staging``, ``dev`` or a registered name).
    environment: str
    #: The built-in tier the environment is protected as.
    tier: Tier
    protection_level: ProtectionLevel
    #: Removal policy for resources that cannot snapshot (S3, DynamoDB, KMS...).
    removal_policy: Removal
    #: Removal policy for snapshot-capable resources (RDS, Aurora, EBS, ElastiCache...).
    snapshot_removal_policy: Removal
    #: RETAIN in every environment, never auto-delete ("RETAIN even if environment changes").
    force_retain: bool
    #: Deletion protection on databases and tables that have it.
    deletion_protection: bool
    #: CloudFormation stack termination protection.
    termination_protection: bool
    #: S3 object versioning.
    versioning: bool
    #: Native point-in-time recovery (DynamoDB PITR, RDS automated backups).
    point_in_time_recovery: bool
    #: AWS Backup plan with a daily rule.
    enable_backups: bool
    #: Days the daily backups are kept.
    backup_retention_days: int
    #: The fewest days this environment accepts for ``backup_retention_days``.
    min_backup_retention_days: int
    #: A weekly rule kept ``weekly_retention_days``.
    weekly_backups: bool
    weekly_retention_days: int
    #: A monthly rule kept ``monthly_retention_days``, cold storage after
    #: ``monthly_cold_storage_after_days``.
    monthly_backups: bool
    monthly_retention_days: int
    monthly_cold_storage_after_days: int
    #: AWS Backup continuous backup (point-in-time restore) where the resource supports it.
    continuous_backup: bool
    #: Days continuous backups are kept (AWS allows at most 35).
    continuous_backup_retention_days: int
    #: A copy of every recovery point in a disaster-recovery vault in another region.
    cross_region_copy: bool
    #: Backup Vault Lock in compliance mode, minimum retention = the floor.
    vault_lock: bool
    #: A vault access policy that denies deleting recovery points.
    vault_deny_delete: bool
    #: AWS Backup Audit Manager framework and report plan.
    compliance_reporting: bool
    #: Whether a bucket may empty itself on delete (``auto_delete_objects``).
    allow_auto_delete_objects: bool
    #: AWS Backup restore testing of every restore-testable protected type (docs/recovery.md).
    restore_testing: bool = False
    #: When restore tests run (default monthly, the 2nd at 07:00 UTC).
    restore_testing_schedule: str = DEFAULT_RESTORE_TESTING_SCHEDULE
    #: Copies of the daily and monthly backups in a logically air-gapped vault.
    air_gapped_copy: bool = False

    # -- named factories -------------------------------------------------------------

    @classmethod
    def production(cls, **overrides: Any) -> StatefulnessPolicy:
        """The ``prod`` policy (maximum protection), with optional overrides."""
        return create_statefulness_policy(environment="prod", **overrides)

    @classmethod
    def staging(cls, **overrides: Any) -> StatefulnessPolicy:
        """The ``staging`` policy (moderate protection), with optional overrides."""
        return create_statefulness_policy(environment="staging", **overrides)

    @classmethod
    def development(cls, **overrides: Any) -> StatefulnessPolicy:
        """The ``dev`` policy (minimal protection), with optional overrides."""
        return create_statefulness_policy(environment="dev", **overrides)

    def inactive_fields(self) -> tuple[str, ...]:
        """The fields that take no effect because the switch they belong to is off
        (``weekly_retention_days`` without ``weekly_backups``): displays leave them out."""
        return tuple(
            name
            for switch, names in _SWITCHED_FIELDS.items()
            if not getattr(self, switch)
            for name in names
        )

    # -- questions constructs ask ----------------------------------------------------

    def removal_for(self, *, supports_snapshot: bool) -> Removal:
        """The removal policy for a resource, by whether its type honours SNAPSHOT."""
        return self.snapshot_removal_policy if supports_snapshot else self.removal_policy

    @property
    def retains_data(self) -> bool:
        """True when deleting the stack keeps the data (RETAIN or SNAPSHOT)."""
        return self.removal_policy is not Removal.DESTROY

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready values."""
        return {
            key: value.value if isinstance(value, Enum) else value
            for key, value in zip(self._fields, self._values(), strict=True)
        }


#: The fields each backup-tier switch governs, for :meth:`StatefulnessPolicy.inactive_fields`.
_SWITCHED_FIELDS: dict[str, tuple[str, ...]] = {
    "weekly_backups": ("weekly_retention_days",),
    "monthly_backups": ("monthly_retention_days", "monthly_cold_storage_after_days"),
    "continuous_backup": ("continuous_backup_retention_days",),
}


class _TierDefaults(SimpleNamespace):
    """What a built-in tier protects by default (a row of the environment table; three
    module constants, built by keyword, read by attribute)."""

    protection_level: ProtectionLevel
    removal_policy: Removal
    snapshot_removal_policy: Removal
    deletion_protection: bool
    termination_protection: bool
    versioning: bool
    point_in_time_recovery: bool
    enable_backups: bool
    backup_retention_days: int
    min_backup_retention_days: int
    long_term_tiers: bool
    continuous_backup: bool
    cross_region_copy: bool
    vault_lock: bool
    vault_deny_delete: bool
    compliance_reporting: bool
    allow_auto_delete_objects: bool


# The environment table (README, docs/statefulness.md). Staging is "moderate": data
# survives a stack delete and is backed up daily, but staging stays easy to tear down
# (no deletion or termination protection) and carries no long-term or DR cost.
_DEFAULTS: dict[Tier, _TierDefaults] = {
    Tier.PROD: _TierDefaults(
        protection_level=ProtectionLevel.MAXIMUM,
        removal_policy=Removal.RETAIN,
        snapshot_removal_policy=Removal.SNAPSHOT,
        deletion_protection=True,
        termination_protection=True,
        versioning=True,
        point_in_time_recovery=True,
        enable_backups=True,
        backup_retention_days=30,
        min_backup_retention_days=30,
        long_term_tiers=True,
        continuous_backup=True,
        cross_region_copy=True,
        vault_lock=True,
        vault_deny_delete=True,
        compliance_reporting=True,
        allow_auto_delete_objects=False,
    ),
    Tier.STAGING: _TierDefaults(
        protection_level=ProtectionLevel.MODERATE,
        removal_policy=Removal.RETAIN,
        snapshot_removal_policy=Removal.SNAPSHOT,
        deletion_protection=False,
        termination_protection=False,
        versioning=True,
        point_in_time_recovery=True,
        enable_backups=True,
        backup_retention_days=14,
        min_backup_retention_days=7,
        long_term_tiers=False,
        continuous_backup=False,
        cross_region_copy=False,
        vault_lock=False,
        vault_deny_delete=True,
        compliance_reporting=False,
        allow_auto_delete_objects=False,
    ),
    Tier.DEV: _TierDefaults(
        protection_level=ProtectionLevel.MINIMAL,
        removal_policy=Removal.DESTROY,
        snapshot_removal_policy=Removal.DESTROY,
        deletion_protection=False,
        termination_protection=False,
        versioning=False,
        point_in_time_recovery=False,
        enable_backups=False,
        backup_retention_days=7,
        min_backup_retention_days=1,
        long_term_tiers=False,
        continuous_backup=False,
        cross_region_copy=False,
        vault_lock=False,
        vault_deny_delete=False,
        compliance_reporting=False,
        allow_auto_delete_objects=True,
    ),
}

_PROTECTED = (Tier.PROD, Tier.STAGING)


def create_statefulness_policy(
    *,
    environment: str,
    enable_backups: bool | None = None,
    backup_retention_days: int | None = None,
    force_retain: bool = False,
    removal_policy: Removal | str | None = None,
    deletion_protection: bool | None = None,
    point_in_time_recovery: bool | None = None,
    versioning: bool | None = None,
    auto_delete_objects: bool | None = None,
    cross_region_copy: bool | None = None,
    compliance_reporting: bool | None = None,
    restore_testing: bool | None = None,
    restore_testing_schedule: str | None = None,
    air_gapped_copy: bool | None = None,
    registry: EnvironmentRegistry | None = None,
) -> StatefulnessPolicy:
    """Build the policy for ``environment``; ``None`` means "the environment's default".

    Raises :class:`StatefulnessError` (naming the field, the value, what is allowed and
    the fix) for any combination that would put data at risk, e.g.::

        create_statefulness_policy(environment="prod", enable_backups=False)  # raises
    """
    resolved = (registry or default_registry).resolve(environment)
    tier = resolved.tier
    d = _DEFAULTS[tier]
    env_label = f"environment {resolved.name!r}" + (
        f" (tier {tier.value!r})" if resolved.name != tier.value else ""
    )

    _check_bool("enable_backups", enable_backups)
    _check_bool("force_retain", force_retain, optional=False)
    _check_bool("deletion_protection", deletion_protection)
    _check_bool("point_in_time_recovery", point_in_time_recovery)
    _check_bool("versioning", versioning)
    _check_bool("auto_delete_objects", auto_delete_objects)
    _check_bool("cross_region_copy", cross_region_copy)
    _check_bool("compliance_reporting", compliance_reporting)
    removal = _check_removal(removal_policy)

    if tier is Tier.PROD and enable_backups is False:
        raise StatefulnessError(
            f"backups cannot be disabled in {env_label}: production data must be recoverable.",
            field="enable_backups",
            value=False,
            allowed="True (or leave it unset)",
            fix="remove enable_backups=False; for a disposable environment use environment='dev'.",
            code="backups-required",
        )
    if enable_backups is False and backup_retention_days is not None:
        raise StatefulnessError(
            "a backup retention was given but backups are disabled.",
            field="backup_retention_days",
            value=backup_retention_days,
            allowed="None when enable_backups=False",
            fix="drop backup_retention_days, or enable backups.",
            code="contradictory-overrides",
        )

    retention = d.backup_retention_days
    if backup_retention_days is not None:
        retention = _check_retention(backup_retention_days)
        if retention < d.min_backup_retention_days:
            raise StatefulnessError(
                f"is below the {d.min_backup_retention_days}-day floor of {env_label}.",
                field="backup_retention_days",
                value=backup_retention_days,
                allowed=f"{d.min_backup_retention_days} to {AWS_BACKUP_MAX_RETENTION_DAYS}",
                fix=f"keep backups at least {d.min_backup_retention_days} days, or leave "
                f"it unset for the default of {d.backup_retention_days}.",
                code="retention-below-floor",
            )

    if tier in _PROTECTED:
        if removal is Removal.DESTROY:
            raise StatefulnessError(
                f"DESTROY would delete data with the stack in {env_label}.",
                field="removal_policy",
                value="DESTROY",
                allowed="RETAIN or SNAPSHOT (or leave it unset)",
                fix="remove removal_policy=DESTROY; Lattice retains or snapshots here.",
                code="destroy-not-allowed",
            )
        if auto_delete_objects:
            raise StatefulnessError(
                f"auto-deleting objects would empty buckets on delete in {env_label}.",
                field="auto_delete_objects",
                value=True,
                allowed="False (or leave it unset)",
                fix="remove auto_delete_objects=True.",
                code="auto-delete-not-allowed",
            )
    if tier is Tier.PROD:
        for name, value in (
            ("deletion_protection", deletion_protection),
            ("point_in_time_recovery", point_in_time_recovery),
            ("versioning", versioning),
        ):
            if value is False:
                raise StatefulnessError(
                    f"cannot be turned off in {env_label}: maximum protection needs it.",
                    field=name,
                    value=False,
                    allowed="True (or leave it unset)",
                    fix=f"remove {name}=False.",
                    code="protection-required",
                )
    if force_retain and removal is Removal.DESTROY:
        raise StatefulnessError(
            "contradicts force_retain=True.",
            field="removal_policy",
            value="DESTROY",
            allowed="RETAIN, SNAPSHOT or unset when force_retain=True",
            fix="drop one of the two: force_retain=True keeps the resource.",
            code="contradictory-overrides",
        )
    if auto_delete_objects and (force_retain or removal in (Removal.RETAIN, Removal.SNAPSHOT)):
        raise StatefulnessError(
            "contradicts a policy that retains the bucket "
            + ("(force_retain=True)." if force_retain else f"(removal_policy={removal})."),
            field="auto_delete_objects",
            value=True,
            allowed="False or unset when the bucket is retained",
            fix="drop auto_delete_objects=True, or the retention.",
            code="contradictory-overrides",
        )

    backups = d.enable_backups if enable_backups is None else enable_backups
    if removal is None:
        other, snap = d.removal_policy, d.snapshot_removal_policy
    elif removal is Removal.SNAPSHOT:
        # SNAPSHOT only means something to snapshot-capable types; the rest retain.
        other, snap = Removal.RETAIN, Removal.SNAPSHOT
    else:
        other, snap = removal, removal
    if force_retain:
        other, snap = Removal.RETAIN, Removal.RETAIN
    long_term = d.long_term_tiers and backups
    testing, schedule, air_gapped = recovery_fields(
        tier,
        env_label,
        backups=backups,
        restore_testing=restore_testing,
        restore_testing_schedule=restore_testing_schedule,
        air_gapped_copy=air_gapped_copy,
    )

    return StatefulnessPolicy(
        environment=resolved.name,
        tier=tier,
        protection_level=d.protection_level,
        removal_policy=other,
        snapshot_removal_policy=snap,
        force_retain=force_retain,
        deletion_protection=_pick(deletion_protection, d.deletion_protection),
        termination_protection=d.termination_protection,
        versioning=_pick(versioning, d.versioning),
        point_in_time_recovery=_pick(point_in_time_recovery, d.point_in_time_recovery),
        enable_backups=backups,
        backup_retention_days=retention,
        min_backup_retention_days=d.min_backup_retention_days,
        weekly_backups=long_term,
        weekly_retention_days=WEEKLY_RETENTION_DAYS,
        monthly_backups=long_term,
        monthly_retention_days=MONTHLY_RETENTION_DAYS,
        monthly_cold_storage_after_days=MONTHLY_COLD_STORAGE_AFTER_DAYS,
        continuous_backup=d.continuous_backup and backups,
        continuous_backup_retention_days=min(retention, CONTINUOUS_BACKUP_MAX_DAYS),
        cross_region_copy=_pick(cross_region_copy, d.cross_region_copy) and backups,
        vault_lock=d.vault_lock and backups,
        vault_deny_delete=d.vault_deny_delete and backups,
        compliance_reporting=_pick(compliance_reporting, d.compliance_reporting) and backups,
        allow_auto_delete_objects=(
            not force_retain and other is Removal.DESTROY and auto_delete_objects is not False
        ),
        restore_testing=testing,
        restore_testing_schedule=schedule,
        air_gapped_copy=air_gapped,
    )


def _pick(value: bool | None, default: bool) -> bool:
    return default if value is None else value


def _check_bool(field: str, value: object, *, optional: bool = True) -> None:
    if (value is None and optional) or isinstance(value, bool):
        return
    raise StatefulnessError(
        f"must be a bool, not {type(value).__name__}.",
        field=field,
        value=value,
        allowed="True or False" + (" or None" if optional else ""),
        fix=f"pass {field}=True or {field}=False.",
        code="invalid-value",
    )


def _check_removal(value: Removal | str | None) -> Removal | None:
    if value is None or isinstance(value, Removal):
        return value
    # Accept aws_cdk.RemovalPolicy members too, without importing aws_cdk.
    name = getattr(value, "name", value)
    if isinstance(name, str) and name.upper() in Removal.__members__:
        return Removal[name.upper()]
    raise StatefulnessError(
        "is not a removal policy.",
        field="removal_policy",
        value=value,
        allowed="'RETAIN', 'SNAPSHOT' or 'DESTROY'",
        fix="pass Removal.RETAIN (or aws_cdk.RemovalPolicy.RETAIN).",
        code="invalid-value",
    )


def _check_retention(value: object) -> int:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 1 <= value <= AWS_BACKUP_MAX_RETENTION_DAYS
    ):
        raise StatefulnessError(
            "is not a usable retention in days.",
            field="backup_retention_days",
            value=value,
            allowed=f"a whole number of days from 1 to {AWS_BACKUP_MAX_RETENTION_DAYS} "
            "(AWS Backup's limit)",
            fix="pass an int such as 30.",
            code="invalid-retention",
        )
    return value
