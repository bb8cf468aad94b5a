"""LAT1309: a prod backup plan copies nothing to a logically air-gapped vault."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT1309",
    title="Lattice policy: no copy to an air-gapped vault",
    rationale="Ransomware or a compromised admin in the source account can delete backups in "
    "the account's own vaults. A logically air-gapped vault is locked in compliance mode and "
    "can be shared with a recovery account; maximum protection keeps a copy there.",
    fix="Add a copy action to the daily and monthly rules whose destination is an "
    "AWS::Backup::LogicallyAirGappedBackupVault (Lattice: AirGappedVault), or acknowledge "
    "LAT1309 when the destination named by ARN is one.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html",
    severity_reason="An error because Lattice's policy requires it for maximum protection: "
    "nothing is lost today, but one stolen credential can erase every recovery point.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    copies = ctx.backups.recovery.copies(ctx.stack, resource)
    if any(c.vault is not None for c in copies):
        return ()
    unknown = [c.destination for c in copies if not c.known]
    if unknown:
        return (
            Hit(
                f"backup plan {resource.logical_id}: cannot tell whether copy destination(s) "
                f"{', '.join(unknown)} are air-gapped vaults (none is in the assembly).",
                cannot_evaluate=True,
            ),
        )
    return (
        Hit(
            f"backup plan {resource.logical_id}: no rule copies to a logically air-gapped "
            f"vault, which {env_label(ctx)} requires.",
        ),
    )


RULE = ResourceRule(
    info=INFO,
    check=check,
    types=frozenset({"AWS::Backup::BackupPlan"}),
    data_holders_only=False,
    when=lambda p: p.air_gapped_copy,
)
