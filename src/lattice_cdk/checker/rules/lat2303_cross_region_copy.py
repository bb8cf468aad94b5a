"""LAT2303: a prod backup plan copies nothing to another region."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT2303",
    title="Lattice policy: no cross-region backup copy in prod",
    rationale="Backups in the same region as the data share its fate in a regional outage "
    "or an account-wide incident. Production copies recovery points to a vault in "
    "another region.",
    fix="Copy every backup to a vault in another region: with Lattice, call "
    "BackupManager.of(stack, environment='<env>').configure(dr_region='<region>') before "
    "the stack's first Lattice construct, and deploy a DisasterRecoveryVault in that region; "
    "in plain CloudFormation or CDK, add a CopyActions entry whose DestinationBackupVaultArn "
    "is a vault in another region (BackupPlanRule(copy_actions=[BackupPlanCopyActionProps("
    "...)])).",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html",
    severity_reason="A warning: Lattice's recommended prod plan. Backups exist in the region; the "
    "copy covers a regional or account-wide incident.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if not ctx.policy.cross_region_copy:
        return ()
    plan = ctx.backups.plan(ctx.stack, resource.logical_id)
    if plan is None or plan.unreadable:
        return ()
    cross = plan.cross_region
    if cross is True:
        return ()
    if cross is None:
        return (
            Hit(
                f"backup plan {plan.name}: a copy action's destination vault is not a "
                "literal ARN; cannot tell whether it is in another region.",
                cannot_evaluate=True,
            ),
        )
    return (
        Hit(
            f"backup plan {plan.name}: no rule copies recovery points to another region, "
            f"which {env_label(ctx)} requires.",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, types=frozenset({"AWS::Backup::BackupPlan"}))
