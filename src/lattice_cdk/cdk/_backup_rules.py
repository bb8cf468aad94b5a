"""BackupRules: the named plan rules a :class:`BackupManager` builds its plans from."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_backup as backup
from aws_cdk import aws_events as events

from .._errors import StatefulnessError
from .._policy import CONTINUOUS_BACKUP_MAX_DAYS

__all__ = ["BackupRules"]


class BackupRules:
    """Named plan rules, like aws-cdk-lib's ``BackupPlanRule.daily()`` presets.

    Every rule runs at 05:00 UTC; when rules coincide AWS Backup keeps the one with the
    longest retention.
    """

    @staticmethod
    def daily(
        days: int,
        *,
        copy_to: backup.IBackupVault | None = None,
        also_copy: Sequence[backup.BackupPlanCopyActionProps] = (),
    ) -> backup.BackupPlanRule:
        """Every day, kept ``days`` days (copied to ``copy_to`` with the same lifecycle,
        and by the copy actions ``also_copy``, e.g. to an air-gapped vault)."""
        schedule = events.Schedule.cron(hour="5", minute="0")
        return BackupRules._rule("Daily", schedule, days, copy_to, also_copy=also_copy)

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
        also_copy: Sequence[backup.BackupPlanCopyActionProps] = (),
    ) -> backup.BackupPlanRule:
        """On the 1st of each month, kept ``days`` (default 2555, 7 years), cold after 90."""
        schedule = events.Schedule.cron(day="1", hour="5", minute="0")
        return BackupRules._rule("Monthly", schedule, days, copy_to, cold_after_days, also_copy)

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
        also_copy: Sequence[backup.BackupPlanCopyActionProps] = (),
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
            else []
        )
        copies.extend(also_copy)
        return backup.BackupPlanRule(
            rule_name=name,
            schedule_expression=schedule,
            delete_after=Duration.days(days),
            move_to_cold_storage_after=cold,
            copy_actions=copies or None,
        )
