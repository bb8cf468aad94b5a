"""An environment's backup plan, defined once.

:func:`plan_rules` says which rules a policy's plan has (names, schedules, how long each
keeps its recovery points, when the monthly ones go to cold storage, which are copied
to the disaster-recovery vault) and :func:`dr_vault_name` names that vault; AWS
Backup's quotas on plans and selections (``MAX_ARNS``...) are the ones the constructs
fill selections within and the checker's LAT1305 judges templates by. Every door
builds from it: ``BackupManager`` and ``BackupRules`` synthesize it with aws-cdk-lib
(``cdk/_backup_rules.py``), ``lattice org-backup-policy`` writes it as an AWS
Organizations backup policy (``enforce/_org_backup.py``). Pure Python.
"""

from __future__ import annotations

from ._policy import CONTINUOUS_BACKUP_MAX_DAYS
from ._records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._policy import StatefulnessPolicy

__all__ = [
    "DAILY",
    "MAX_ARNS",
    "MAX_SELECTIONS_PER_PLAN",
    "MAX_WILDCARD_ARNS",
    "MONTHLY",
    "WEEKLY",
    "PlanRuleSpec",
    "dr_vault_name",
    "plan_rules",
]

#: Every rule starts at 05:00 UTC; when rules coincide AWS Backup keeps the one with
#: the longest retention.
DAILY = "cron(0 5 * * ? *)"
#: Saturdays.
WEEKLY = "cron(0 5 ? * SAT *)"
#: The 1st of each month.
MONTHLY = "cron(0 5 1 * ? *)"

#: AWS Backup's quotas. Selections (resource assignments) per backup plan; not adjustable.
MAX_SELECTIONS_PER_PLAN = 100
#: ARNs in one selection's ``Resources`` (or ``NotResources``) without wildcards...
MAX_ARNS = 500
#: ...and when one of them has a wildcard.
MAX_WILDCARD_ARNS = 30


class PlanRuleSpec(Record):
    """One rule of an environment's backup plan."""

    name: str
    schedule: str
    delete_after_days: int
    cold_after_days: int | None = None
    continuous: bool = False
    #: Copied to the disaster-recovery vault with the same lifecycle.
    copied: bool = False


def plan_rules(
    policy: StatefulnessPolicy,
    *,
    daily_days: int | None = None,
    copy: bool | None = None,
) -> tuple[PlanRuleSpec, ...]:
    """The rules of ``policy``'s backup plan (empty when it keeps no backups).

    ``daily_days`` (default: the policy's ``backup_retention_days``) is how long the
    daily rule keeps its points; continuous backup keeps as long, at most 35 days.
    ``copy`` (default: where the policy asks for cross-region copies) copies the
    snapshot rules to the DR vault.
    """
    if not policy.enable_backups:
        return ()
    copied = policy.cross_region_copy if copy is None else copy
    daily = policy.backup_retention_days if daily_days is None else daily_days
    rules = [PlanRuleSpec("Daily", DAILY, daily, copied=copied)]
    if policy.weekly_backups:
        rules.append(PlanRuleSpec("Weekly", WEEKLY, policy.weekly_retention_days, copied=copied))
    if policy.monthly_backups:
        cold = policy.monthly_cold_storage_after_days or None
        rules.append(
            PlanRuleSpec("Monthly", MONTHLY, policy.monthly_retention_days, cold, copied=copied)
        )
    if policy.continuous_backup:
        days = min(daily, CONTINUOUS_BACKUP_MAX_DAYS)
        rules.append(PlanRuleSpec("Continuous", DAILY, days, continuous=True))
    return tuple(rules)


def dr_vault_name(environment: str) -> str:
    """The disaster-recovery vault's name in the DR region: ``lattice-dr-<environment>``,
    what ``DisasterRecoveryVault``, ``configure(dr_region=...)`` and the organization
    backup policy agree on."""
    return f"lattice-dr-{environment}"
