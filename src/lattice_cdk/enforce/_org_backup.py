"""An AWS Organizations backup policy equal to an environment's Lattice backup plan.

:func:`~lattice_cdk._backup_plan.plan_rules` is the plan (daily; weekly, monthly with
cold storage and continuous where the policy has them; a copy of each snapshot rule to
the disaster-recovery region), the one ``BackupManager`` synthesizes too, and
:func:`org_backup_policy` writes it in the
``BACKUP_POLICY`` syntax: ``plans`` -> name -> ``regions``, ``rules``, ``selections``,
every leaf an ``@@assign``. The selection is the tag ``lattice:backup=<environment>``
that the StatefulnessGuard puts on what it enrols, so resources created outside CDK in
member accounts are backed up too when they carry it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._backup_plan import PlanRuleSpec, plan_rules
from .._backup_plan import dr_vault_name as default_dr_vault_name
from .._errors import InputError
from .._policy import StatefulnessPolicy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BACKUP_TAG", "PlanRuleSpec", "org_backup_policy", "plan_rules"]

#: The tag key the backup selection matches; its value is the environment's name.
BACKUP_TAG = "lattice:backup"
_DEFAULT_ROLE = "service-role/AWSBackupDefaultServiceRole"


def org_backup_policy(
    policy: StatefulnessPolicy,
    *,
    regions: Sequence[str],
    dr_region: str | None = None,
    vault_name: str = "Default",
    dr_vault_name: str | None = None,
    role_name: str = _DEFAULT_ROLE,
    partition: str = "aws",
) -> dict[str, Any]:
    """The ``BACKUP_POLICY`` document for ``policy``'s environment.

    ``regions`` are where the plan runs in every member account; ``dr_region`` (needed
    when the environment copies across regions) holds the ``dr_vault_name`` vault
    (default ``lattice-dr-<environment>``, the name ``DisasterRecoveryVault`` uses).
    ``vault_name`` (default ``Default``) and the IAM role ``role_name`` (default AWS
    Backup's default service role) must exist in each account: deploy them with a
    StackSet. ``$account`` is the policy language's variable for the member account.
    """
    env = policy.environment
    if not policy.enable_backups:
        raise InputError(
            f"environment {env!r} keeps no backups, so it has no backup policy.",
            location="--environment",
            fix="choose an environment whose policy has backups (prod, staging).",
            code="no-backups",
        )
    if not regions:
        raise InputError(
            "no region to back up.",
            location="--region",
            fix="name each region the plan runs in: --region us-east-1 [--region ...].",
            code="missing-region",
        )
    if policy.cross_region_copy and not dr_region:
        raise InputError(
            f"environment {env!r} copies every recovery point to another region.",
            location="--dr-region",
            fix="name the disaster-recovery region: --dr-region us-west-2.",
            code="missing-dr-region",
        )
    dr_vault = dr_vault_name or default_dr_vault_name(env)
    dr_arn = f"arn:{partition}:backup:{dr_region}:$account:backup-vault:{dr_vault}"
    rules: dict[str, Any] = {}
    for rule in plan_rules(policy):
        lifecycle = _lifecycle(rule)
        body: dict[str, Any] = {
            "schedule_expression": _assign(rule.schedule),
            "target_backup_vault_name": _assign(vault_name),
            "lifecycle": lifecycle,
        }
        if rule.continuous:
            body["enable_continuous_backup"] = _assign(True)
        if rule.copied:
            body["copy_actions"] = {
                dr_arn: {"target_backup_vault_arn": _assign(dr_arn), "lifecycle": lifecycle}
            }
        rules[rule.name] = body
    return {
        "plans": {
            f"lattice-{env}": {
                "regions": _assign(sorted(set(regions))),
                "rules": rules,
                "selections": {
                    "tags": {
                        f"lattice-backup-{env}": {
                            "iam_role_arn": _assign(
                                f"arn:{partition}:iam::$account:role/{role_name}"
                            ),
                            "tag_key": _assign(BACKUP_TAG),
                            "tag_value": _assign([env]),
                        }
                    }
                },
                "backup_plan_tags": {
                    "lattice_environment": {
                        "tag_key": _assign("lattice:environment"),
                        "tag_value": _assign(env),
                    }
                },
            }
        }
    }


def _lifecycle(rule: PlanRuleSpec) -> dict[str, Any]:
    # The policy language writes numbers as strings.
    lifecycle = {"delete_after_days": _assign(str(rule.delete_after_days))}
    if rule.cold_after_days is not None:
        lifecycle["move_to_cold_storage_after_days"] = _assign(str(rule.cold_after_days))
    return lifecycle


def _assign(value: Any) -> dict[str, Any]:
    return {"@@assign": value}
