"""LAT1304: a backup vault neither denies deleting recovery points nor is locked."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from .._values import is_intrinsic
from ._common import env_label

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

INFO = RuleInfo(
    rule_id="LAT1304",
    title="Backup vault without deny-delete policy or lock",
    rationale="Whoever can delete recovery points can destroy data and its backups in one "
    "go (ransomware does exactly this). A vault access policy that denies "
    "backup:DeleteRecoveryPoint, or a Vault Lock, keeps backups until they expire.",
    fix="Add an AccessPolicy statement with Effect Deny on backup:DeleteRecoveryPoint for "
    "every principal, or a LockConfiguration (CDK: BackupVault(lock_configuration=...)).",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html",
)

_DELETE_ACTIONS = frozenset({"backup:deleterecoverypoint", "backup:*", "*"})


def _statements(policy: Any) -> list[Any] | None:
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return None
    if not isinstance(policy, dict) or is_intrinsic(policy):
        return None
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        return [statements]
    return statements if isinstance(statements, list) else None


def denies_delete(policy: Any) -> bool | None:
    """Whether a vault access policy denies deleting recovery points (None: unreadable)."""
    statements = _statements(policy)
    if statements is None:
        return None
    undecided = False
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Deny":
            continue
        actions = statement.get("Action")
        if is_intrinsic(actions):
            undecided = True
            continue
        names = [actions] if isinstance(actions, str) else actions
        if isinstance(names, list) and any(
            isinstance(a, str) and a.lower() in _DELETE_ACTIONS for a in names
        ):
            return True
    return None if undecided else False


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if not (ctx.policy.vault_deny_delete or ctx.policy.vault_lock):
        return ()
    if resource.properties.get("LockConfiguration") not in (None, {}):
        return ()
    policy = resource.properties.get("AccessPolicy")
    state = None if is_intrinsic(policy) else denies_delete(policy) if policy else False
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
