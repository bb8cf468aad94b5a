"""The report's backup vaults: which vaults are locked, and how.

A vault's lock is the judgement core's :func:`~lattice_cdk.checker.judge.vault_lock`;
this module only lays it out, one row per vault, for every report format.
"""

from __future__ import annotations

from .._records import Record
from ._engine import CheckResult
from ._values import UNKNOWN
from .judge import VaultLock, vault_denies_delete, vault_lock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["VAULT_COLUMNS", "VAULT_TYPES", "VaultRow", "build_vaults"]

#: The vault types the report lists (a logically air-gapped vault is always locked).
VAULT_TYPES = ("AWS::Backup::BackupVault", "AWS::Backup::LogicallyAirGappedBackupVault")

#: Column heading and attribute of each vault column, in order.
VAULT_COLUMNS = (
    ("stack", "stack"),
    ("vault", "construct_path"),
    ("env", "environment"),
    ("lock", "lock"),
    ("min days", "min_retention_days"),
    ("max days", "max_retention_days"),
    ("changeable for", "changeable_for_days"),
    ("policy denies delete", "policy_denies_delete"),
)


class VaultRow(Record):
    stack: str
    environment: str
    logical_id: str
    construct_path: str | None
    type: str
    #: ``none``, ``governance``, ``compliance`` or ``unknown`` (an intrinsic decides).
    lock: str
    #: Days as the template gives them: None when unset, ``"intrinsic"`` for an intrinsic.
    min_retention_days: int | str | None
    max_retention_days: int | str | None
    changeable_for_days: int | str | None
    #: Whether the vault's access policy denies deleting recovery points: yes, no, unknown.
    policy_denies_delete: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "environment": self.environment,
            "logical_id": self.logical_id,
            "construct_path": self.construct_path,
            "type": self.type,
            "lock": self.lock,
            "min_retention_days": self.min_retention_days,
            "max_retention_days": self.max_retention_days,
            "changeable_for_days": self.changeable_for_days,
            "policy_denies_delete": self.policy_denies_delete,
        }


def _days(value: Any) -> int | str | None:
    if value is UNKNOWN:
        return "intrinsic"
    return value if value is None or isinstance(value, int) else str(value)


def build_vaults(result: CheckResult) -> list[VaultRow]:
    """One row per backup vault, by stack, then type, then template order."""
    rows: list[VaultRow] = []
    for stack in result.assembly.stacks:
        env = result.environments[stack.identity].environment.name
        by_type = stack.resources_by_type()
        for rtype, logical_id in [(t, i) for t in VAULT_TYPES for i in by_type.get(t, ())]:
            resource = stack.resources[logical_id]
            lock: VaultLock = vault_lock(resource)
            denies = vault_denies_delete(resource.properties.get("AccessPolicy"))
            rows.append(
                VaultRow(
                    stack=stack.label,
                    environment=env,
                    logical_id=logical_id,
                    construct_path=resource.construct_path,
                    type=rtype,
                    lock=lock.mode.value,
                    min_retention_days=_days(lock.min_retention_days),
                    max_retention_days=_days(lock.max_retention_days),
                    changeable_for_days=_days(lock.changeable_for_days),
                    policy_denies_delete={True: "yes", False: "no", None: "unknown"}[denies],
                )
            )
    return rows
