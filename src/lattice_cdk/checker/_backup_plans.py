"""Backup plans as the template states them: each rule's cadence, retention and
copies, and the plan's tiers and cross-region copy.

A schedule expression's cadence is how often it runs (hourly to yearly); an absent one
is AWS Backup's default, daily. What the template leaves to deploy time is ``None`` or
:data:`~._values.UNKNOWN`, which the rules report.
"""

from __future__ import annotations

import re
from functools import cache

from .._records import Record
from ..cfn._model import Resource, Stack
from ._backup_match import flatten
from ._values import ABSENT, UNKNOWN, as_bool, get_path, references

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CADENCES", "Plan", "PlanRule", "cadence", "make_plan", "read_plan"]

#: Cadences from most to least frequent.
CADENCES = ("hourly", "daily", "weekly", "monthly", "yearly")


class PlanRule(Record):
    """One rule of a backup plan, as far as the template says."""

    name: str
    #: ``hourly``/``daily``/``weekly``/``monthly``/``yearly``, or None if unreadable.
    cadence: str | None
    schedule: Any
    #: Days kept; ``None`` means kept forever, ``UNKNOWN`` an intrinsic.
    retention: Any
    continuous: bool
    #: One entry per copy action: True when it copies to another region, None unknown.
    copies: tuple[bool | None, ...]


class Plan(Record):
    stack: Stack
    logical_id: str
    name: str
    rules: tuple[PlanRule, ...]
    #: Set when the plan's rules are not readable (an intrinsic stands for them).
    unreadable: str | None = None
    #: Cadences its rules run at, most frequent first, plus ``continuous``.
    tiers: tuple[str, ...] = ()
    #: Whether a rule copies to another region (None: a destination is unknown).
    cross_region: bool | None = False


def make_plan(
    stack: Stack,
    logical_id: str,
    name: str,
    rules: tuple[PlanRule, ...],
    unreadable: str | None = None,
) -> Plan:
    found = {r.cadence for r in rules if r.cadence}
    tiers = [c for c in CADENCES if c in found]
    if any(r.continuous for r in rules):
        tiers.append("continuous")
    copies = [c for r in rules for c in r.copies]
    cross = True if True in copies else None if None in copies else False
    return Plan(stack, logical_id, name, rules, unreadable, tuple(tiers), cross)


def read_plan(stack: Stack, resource: Resource) -> Plan:
    body = resource.properties.get("BackupPlan")
    if not isinstance(body, dict):
        return make_plan(
            stack, resource.logical_id, resource.logical_id, (), "BackupPlan is unreadable"
        )
    name = body.get("BackupPlanName")
    raw_rules = body.get("BackupPlanRule")
    if not isinstance(raw_rules, list):
        return make_plan(
            stack,
            resource.logical_id,
            name if isinstance(name, str) else resource.logical_id,
            (),
            "BackupPlanRule is not a list",
        )
    rules = tuple(_read_rule(stack, r, i) for i, r in enumerate(raw_rules))
    return make_plan(
        stack, resource.logical_id, name if isinstance(name, str) else resource.logical_id, rules
    )


def _read_rule(stack: Stack, raw: Any, position: int) -> PlanRule:
    if not isinstance(raw, dict):
        return PlanRule(f"rule {position + 1}", None, UNKNOWN, UNKNOWN, False, ())
    name = raw.get("RuleName")
    schedule = raw.get("ScheduleExpression", ABSENT)
    retention = get_path(raw, "Lifecycle.DeleteAfterDays")
    if retention is ABSENT:
        retention = None  # kept until deleted by hand
    elif not isinstance(retention, int) or isinstance(retention, bool):
        retention = _int_or_unknown(retention)
    continuous = as_bool(raw.get("EnableContinuousBackup")) is True
    copies = raw.get("CopyActions")
    copy_flags: tuple[bool | None, ...] = ()
    if isinstance(copies, list):
        copy_flags = tuple(
            _cross_region(
                stack, c.get("DestinationBackupVaultArn") if isinstance(c, dict) else None
            )
            for c in copies
        )
    elif copies is not None:
        copy_flags = (None,)
    return PlanRule(
        name=name if isinstance(name, str) else f"rule {position + 1}",
        cadence=cadence(schedule),
        schedule=schedule,
        retention=retention,
        continuous=continuous,
        copies=copy_flags,
    )


def _int_or_unknown(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return UNKNOWN


def _cross_region(stack: Stack, destination: Any) -> bool | None:
    """Whether a copy goes to another region: a literal region that is not the stack's."""
    if destination is None:
        return None
    if isinstance(destination, dict) and len(destination) == 1:
        key = next(iter(destination))
        if key in ("Ref", "Fn::GetAtt") and any(
            r in stack.resources for r in references(destination)
        ):
            return False  # a vault of this stack: same region
    flat = flatten(destination)
    if flat is None:
        return None
    parts = flat.split(":")
    if len(parts) < 4 or parts[0] != "arn":
        return None
    region = parts[3]
    if region == "*" or not region:
        return False if region == "*" else None  # ${AWS::Region}: the stack's own region
    return region != stack.region


# Patterns, compiled on first use by ``re``'s own cache: a check without a backup plan
# never pays for them.
_CRON = r"^\s*cron\((.*)\)\s*$"
_RATE = r"^\s*rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)\s*$"


def cadence(schedule: Any) -> str | None:
    """How often a schedule expression runs: hourly, daily, weekly, monthly or yearly.

    An absent expression is AWS Backup's default (daily); an intrinsic is None.
    """
    if schedule is ABSENT:
        return "daily"
    if not isinstance(schedule, str):
        return None
    return _cadence_of(schedule)


@cache  # plans repeat a handful of schedule expressions
def _cadence_of(schedule: str) -> str | None:
    rate = re.match(_RATE, schedule)
    if rate:
        number, unit = int(rate.group(1)), rate.group(2)
        if unit.startswith(("minute", "hour")):
            return "hourly" if number < 24 * (60 if unit.startswith("minute") else 1) else "daily"
        if number < 7:
            return "daily"
        return "weekly" if number < 28 else "monthly" if number < 365 else "yearly"
    cron = re.match(_CRON, schedule)
    if not cron:
        return None
    fields = cron.group(1).split()
    if len(fields) != 6:
        return None
    _minute, hour, day_of_month, month, day_of_week, _year = fields
    if any(c in hour for c in "*/,-"):
        return "hourly"
    if day_of_month not in ("*", "?") and not any(c in day_of_month for c in "/,-"):
        return "monthly" if month in ("*", "?") or "/" in month or "," in month else "yearly"
    if day_of_week not in ("*", "?") and not any(c in day_of_week for c in ",-"):
        return "weekly"
    return "daily"
