"""Recovery you can prove: restore testing and air-gapped copies, as pure facts.

Pure Python, shared by the constructs (``cdk/_restore_testing.py``,
``cdk/_air_gapped.py``) and the checker (LAT1306-LAT1309), so each fact is written once:

- which CloudFormation types AWS Backup can restore-test, under which
  ``ProtectedResourceType``, and which restore metadata keys a selection may override
  (AWS Backup developer guide, "Restore testing inferred metadata");
- the retention bounds of a logically air-gapped vault that fit every copy sent to it
  (AWS rejects a copy whose retention falls outside the vault's min/max);
- what each tier asks for by default (prod tests restores and keeps an air-gapped copy,
  staging may test, dev never does).
"""

from __future__ import annotations

from collections.abc import Iterable

from ._environments import Tier
from ._errors import StatefulnessError
from ._records import Record

__all__ = [
    "AIR_GAPPED_MIN_RETENTION_DAYS",
    "DEFAULT_RESTORE_TESTING_SCHEDULE",
    "RESTORE_TESTABLE",
    "RestoreTestable",
    "air_gapped_bounds",
    "copy_fits",
    "recovery_fields",
]

#: AWS refuses a logically air-gapped vault whose minimum retention is under 7 days.
AIR_GAPPED_MIN_RETENTION_DAYS = 7
#: AWS Backup keeps a recovery point at most 100 years.
AIR_GAPPED_MAX_RETENTION_DAYS = 36_500
#: Monthly: 07:00 UTC on the 2nd, the day after the monthly backup rule (1st, 05:00).
DEFAULT_RESTORE_TESTING_SCHEDULE = "cron(0 7 2 * ? *)"


class RestoreTestable(Record):
    """One CloudFormation type restore testing supports."""

    #: ``ProtectedResourceType`` of a ``RestoreTestingSelection``.
    protected_type: str
    #: Restore metadata keys the selection may set (lower case; AWS ignores case):
    #: ``dbsubnetgroupname`` keeps a database restore out of the default VPC, which an
    #: account may not have; ``dbinstanceclass`` picks a cheaper class for the test.
    overrides: tuple[str, ...] = ()


_DB_CLUSTER = ("dbsubnetgroupname", "vpcsecuritygroupids")

#: CloudFormation type -> how restore testing knows it. EC2 instances and FSx are left
#: out: Lattice constructs none, and FSx restores need metadata AWS cannot infer.
RESTORE_TESTABLE: dict[str, RestoreTestable] = {
    "AWS::RDS::DBInstance": RestoreTestable(
        "RDS", ("dbsubnetgroupname", "dbinstanceclass", "vpcsecuritygroupids")
    ),
    "AWS::RDS::DBCluster": RestoreTestable("Aurora", _DB_CLUSTER),
    "AWS::DocDB::DBCluster": RestoreTestable("DocumentDB", _DB_CLUSTER),
    "AWS::Neptune::DBCluster": RestoreTestable("Neptune", _DB_CLUSTER),
    "AWS::DynamoDB::Table": RestoreTestable("DynamoDB", ("encryptiontype", "kmsmasterkeyarn")),
    "AWS::DynamoDB::GlobalTable": RestoreTestable(
        "DynamoDB", ("encryptiontype", "kmsmasterkeyarn")
    ),
    "AWS::EC2::Volume": RestoreTestable("EBS", ("availabilityzone", "kmskeyid")),
    "AWS::EFS::FileSystem": RestoreTestable("EFS", ("kmskeyid",)),
    "AWS::S3::Bucket": RestoreTestable("S3", ("encryptiontype", "kmskey")),
}


def air_gapped_bounds(retentions: Iterable[int | None]) -> tuple[int, int]:
    """``(MinRetentionDays, MaxRetentionDays)`` of an air-gapped vault that accepts a
    copy kept each of ``retentions`` days (``None``: kept forever, which no air-gapped
    vault accepts).

    Raises :class:`StatefulnessError` when no bounds fit them all.
    """
    days = list(retentions)
    if not days:
        raise StatefulnessError(
            "no copy goes to the air-gapped vault.",
            field="copy_retention_days",
            value=days,
            allowed="at least one copy lifecycle",
            fix="copy at least one backup rule to the vault.",
            code="invalid-retention",
        )
    for value in days:
        if (
            value is None
            or isinstance(value, bool)
            or not AIR_GAPPED_MIN_RETENTION_DAYS <= value <= AIR_GAPPED_MAX_RETENTION_DAYS
        ):
            raise StatefulnessError(
                "is a copy lifecycle no air-gapped vault accepts.",
                field="copy_retention_days",
                value=value,
                allowed=f"{AIR_GAPPED_MIN_RETENTION_DAYS} to {AIR_GAPPED_MAX_RETENTION_DAYS} days",
                fix="give every copy to the air-gapped vault a DeleteAfterDays in that range.",
                code="invalid-retention",
            )
    whole = [d for d in days if d is not None]
    return min(whole), max(whole)


def copy_fits(retention: object, min_days: object, max_days: object) -> bool | None:
    """Whether a copy kept ``retention`` days fits a vault's ``[min_days, max_days]``.

    ``retention`` ``None`` means kept forever (never fits); any value that is not a whole
    number (an intrinsic) gives ``None``: cannot tell before deploy.
    """
    if retention is None:
        return False
    days = [v for v in (retention, min_days, max_days) if type(v) is int]
    if len(days) != 3:
        return None
    return days[1] <= days[0] <= days[2]


# (restore testing, restore testing allowed, air-gapped copy) per tier.
_TIER_DEFAULTS: dict[Tier, tuple[bool, bool, bool]] = {
    Tier.PROD: (True, True, True),
    Tier.STAGING: (False, True, False),
    Tier.DEV: (False, False, False),
}


def recovery_fields(
    tier: Tier,
    env_label: str,
    *,
    backups: bool,
    restore_testing: bool | None,
    restore_testing_schedule: str | None,
    air_gapped_copy: bool | None,
) -> tuple[bool, str, bool]:
    """The policy's ``(restore_testing, restore_testing_schedule, air_gapped_copy)``
    for ``tier`` with the given overrides, checked."""
    default_testing, testing_allowed, default_air_gapped = _TIER_DEFAULTS[tier]
    for name, value in (("restore_testing", restore_testing), ("air_gapped_copy", air_gapped_copy)):
        if value is not None and not isinstance(value, bool):
            raise StatefulnessError(
                f"must be a bool, not {type(value).__name__}.",
                field=name,
                value=value,
                allowed="True, False or None",
                fix=f"pass {name}=True or {name}=False.",
                code="invalid-value",
            )
    if restore_testing and not testing_allowed:
        raise StatefulnessError(
            f"restore testing is never run in {env_label}: it restores data nobody keeps.",
            field="restore_testing",
            value=True,
            allowed="False (or leave it unset)",
            fix="remove restore_testing=True, or test restores in staging or prod.",
            code="invalid-value",
        )
    if restore_testing is False and tier is Tier.PROD:
        raise StatefulnessError(
            f"cannot be turned off in {env_label}: a backup never restored is a hope.",
            field="restore_testing",
            value=False,
            allowed="True (or leave it unset)",
            fix="remove restore_testing=False; set restore_testing_schedule to test less often.",
            code="protection-required",
        )
    schedule = restore_testing_schedule or DEFAULT_RESTORE_TESTING_SCHEDULE
    if not isinstance(schedule, str) or not schedule.startswith(("cron(", "rate(")):
        raise StatefulnessError(
            "is not a schedule expression.",
            field="restore_testing_schedule",
            value=restore_testing_schedule,
            allowed="cron(...) or rate(...), as AWS Backup takes them",
            fix=f"pass e.g. {DEFAULT_RESTORE_TESTING_SCHEDULE!r} (monthly, the default).",
            code="invalid-value",
        )
    testing = (default_testing if restore_testing is None else restore_testing) and backups
    air_gapped = (default_air_gapped if air_gapped_copy is None else air_gapped_copy) and backups
    return testing, schedule, air_gapped
