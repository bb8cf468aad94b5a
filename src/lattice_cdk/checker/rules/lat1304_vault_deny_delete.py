"""LAT1304: a backup vault neither denies deleting recovery points nor is locked."""

from __future__ import annotations

from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from ..judge import vault_protected
from ._common import env_label

INFO = RuleInfo(
    rule_id="LAT1304",
    title="Lattice policy: backup vault without deny-delete policy or lock",
    rationale="Whoever can delete recovery points can destroy data and its backups in one "
    "go (ransomware does exactly this). A vault access policy that denies "
    "backup:DeleteRecoveryPoint, or a Vault Lock, keeps backups until they expire.",
    fix="Add an AccessPolicy statement with Effect Deny on backup:DeleteRecoveryPoint for "
    "every principal, or a LockConfiguration (CDK: BackupVault(lock_configuration=...)).",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html",
    severity_reason="An error because Lattice's policy requires it where backups are required: "
    "whoever can delete the data can otherwise delete its backups too.",
)


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if not (ctx.policy.vault_deny_delete or ctx.policy.vault_lock):
        return ()
    state = vault_protected(resource)
    if state is True:
        return ()
    if state is None:
        return (
            Hit(
                f"backup vault {resource.logical_id}: its AccessPolicy cannot be read "
                "(an intrinsic or not JSON); cannot tell whether it denies deletes.",
                cannot_evaluate=True,
            ),
        )
    return (
        Hit(
            f"backup vault {resource.logical_id}: nothing stops deleting its recovery "
            f"points (no Deny of backup:DeleteRecoveryPoint, no Vault Lock), and "
            f"{env_label(ctx)} requires it.",
        ),
    )


RULE = ResourceRule(info=INFO, check=check, types=frozenset({"AWS::Backup::BackupVault"}))
