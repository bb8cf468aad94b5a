"""BackupRules: the named plan rules a :class:`BackupManager` builds its plans from.

The rules themselves (names, schedules, lifecycles, cold storage, copies) are defined
once, in pure Python, by :func:`lattice_cdk._backup_plan.plan_rules`; this module only
turns each :class:`~lattice_cdk._backup_plan.PlanRuleSpec` into an aws-cdk-lib
``BackupPlanRule``. ``lattice org-backup-policy`` writes the same specs.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_backup as backup
from aws_cdk import aws_events as events

from .._backup_plan import DAILY, MONTHLY, WEEKLY, PlanRuleSpec, plan_rules
from .._errors import StatefulnessError
from .._policy import CONTINUOUS_BACKUP_MAX_DAYS, StatefulnessPolicy
from ._air_gapped import AirGappedVault

__all__ = ["BackupRules"]


class BackupRules:
    """Named plan rules, like aws-cdk-lib's ``BackupPlanRule.daily()`` presets.

    Every rule runs at 05:00 UTC; when rules coincide AWS Backup keeps the one with the
    longest retention.
    """

    @staticmethod
    def daily(days: int, *, copy_to: backup.IBackupVault | None = None) -> backup.BackupPlanRule:
        """Every day, kept ``days`` days (copied to ``copy_to`` with the same lifecycle)."""
        return BackupRules.from_spec(PlanRuleSpec("Daily", DAILY, days), copy_to=copy_to)

    @staticmethod
    def weekly(
        days: int = 365, *, copy_to: backup.IBackupVault | None = None
    ) -> backup.BackupPlanRule:
        """Every Saturday, kept ``days`` days (default 365)."""
        return BackupRules.from_spec(PlanRuleSpec("Weekly", WEEKLY, days), copy_to=copy_to)

    @staticmethod
    def monthly(
        days: int = 2555,
        *,
        cold_after_days: int | None = 90,
        copy_to: backup.IBackupVault | None = None,
    ) -> backup.BackupPlanRule:
        """On the 1st of each month, kept ``days`` (default 2555, 7 years), cold after 90."""
        spec = PlanRuleSpec("Monthly", MONTHLY, days, cold_after_days or None)
        return BackupRules.from_spec(spec, copy_to=copy_to)

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
        return BackupRules.from_spec(PlanRuleSpec("Continuous", DAILY, days, continuous=True))

    @staticmethod
    def for_policy(
        policy: StatefulnessPolicy,
        *,
        daily_days: int | None = None,
        copy_to: backup.IBackupVault | None = None,
        air_gapped: AirGappedVault | None = None,
    ) -> list[backup.BackupPlanRule]:
        """The rules of ``policy``'s plan (:func:`~lattice_cdk._backup_plan.plan_rules`),
        the daily one kept ``daily_days`` (default: the policy's), the snapshot rules
        copied to ``copy_to`` when given, the daily and monthly ones also to the
        ``air_gapped`` vault (docs/recovery.md)."""
        specs = plan_rules(policy, daily_days=daily_days, copy=copy_to is not None)
        return [
            BackupRules.from_spec(
                spec,
                copy_to=copy_to,
                also_copy=[air_gapped.copy_action(spec.delete_after_days)]
                if air_gapped is not None
                and not spec.continuous
                and spec.schedule in (DAILY, MONTHLY)
                else (),
            )
            for spec in specs
        ]

    @staticmethod
    def from_spec(
        spec: PlanRuleSpec,
        *,
        copy_to: backup.IBackupVault | None = None,
        also_copy: Sequence[backup.BackupPlanCopyActionProps] = (),
    ) -> backup.BackupPlanRule:
        """The aws-cdk-lib rule for ``spec``; copied to ``copy_to`` (same lifecycle) when
        given, unless ``spec`` is continuous (AWS copies snapshots, not the log), and by
        the copy actions ``also_copy`` (an air-gapped vault's)."""
        if spec.continuous:
            return backup.BackupPlanRule(
                rule_name=spec.name,
                enable_continuous_backup=True,
                schedule_expression=events.Schedule.expression(spec.schedule),
                delete_after=Duration.days(spec.delete_after_days),
            )
        keep = Duration.days(spec.delete_after_days)
        cold = Duration.days(spec.cold_after_days) if spec.cold_after_days else None
        copies = (
            [
                backup.BackupPlanCopyActionProps(
                    destination_backup_vault=copy_to,
                    delete_after=keep,
                    move_to_cold_storage_after=cold,
                )
            ]
            if copy_to is not None
            else []
        )
        copies.extend(also_copy)
        return backup.BackupPlanRule(
            rule_name=spec.name,
            schedule_expression=events.Schedule.expression(spec.schedule),
            delete_after=keep,
            move_to_cold_storage_after=cold,
            copy_actions=copies or None,
        )
