"""LatticeTable: a DynamoDB table protected as its environment requires."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from .._policy import CONTINUOUS_BACKUP_MAX_DAYS, StatefulnessPolicy
from ._backup import BackupManager
from ._backup_enrol import finish_construct
from ._bucket import check_name
from ._context import policy_for
from ._removal import to_removal_policy

__all__ = ["LatticeTable", "LatticeTableV2"]


class LatticeTable(dynamodb.Table):
    """A ``dynamodb.Table`` whose protection follows the environment.

    It *is* a ``dynamodb.Table``: ``grant_read_data``, metrics, ``ITable`` and every
    other L2 method work, and ``LatticeTable(self, "Orders", ...)`` has the logical id
    of ``dynamodb.Table(self, "Orders")`` (and of the earlier Lattice table, which
    wrapped an inner ``Default`` table). Built on ``dynamodb.Table``
    (``AWS::DynamoDB::Table``), not ``TableV2`` (``AWS::DynamoDB::GlobalTable``):
    moving between the two resource types replaces the table.

    - prod/staging: ``Retain`` (deletion and replacement), point-in-time recovery
      (``PointInTimeRecoverySpecification``, 35 days), AWS-managed KMS encryption,
      backed up by tag through the stack's :class:`BackupManager`; deletion
      protection in prod.
    - dev: ``Delete``, no PITR, no deletion protection, no backups, unless
      ``force_retain=True`` (then ``Retain``).
    - Billing defaults to on-demand (``PAY_PER_REQUEST``).

    Lattice's policy is ``.statefulness_policy`` (also ``.policy``).

    Raises :class:`~lattice_cdk.StatefulnessError` for ``removal_policy=DESTROY`` in
    prod/staging, and for turning deletion protection or PITR off in prod.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        environment: str | None = None,
        force_retain: bool = False,
        backup_retention_days: int | None = None,
        backup_manager: BackupManager | None = None,
        policy: StatefulnessPolicy | None = None,
        **table_props: Any,
    ) -> None:
        """Create the table.

        :param name: the logical name (tags, Lattice metadata); not the table's name.
        :param environment: default: CDK context ``lattice:environment``.
        :param force_retain: retain in every environment. Default: False.
        :param backup_retention_days: days AWS Backup keeps daily backups. Default:
            the policy's.
        :param backup_manager: default: :meth:`BackupManager.of` the stack.
        :param policy: a ready policy instead of ``environment`` and the overrides.
        :param table_props: any other ``dynamodb.Table`` props (``partition_key`` is
            required by DynamoDB).
        """
        check_name(name)
        pitr_given = _pitr_override(table_props)
        p = policy_for(
            scope,
            environment=environment,
            policy=policy,
            force_retain=force_retain,
            backup_retention_days=backup_retention_days,
            removal_policy=table_props.pop("removal_policy", None),
            deletion_protection=table_props.pop("deletion_protection", None),
            point_in_time_recovery=pitr_given,
        )
        pitr = _pitr(p, table_props)
        defaults: dict[str, Any] = {"billing_mode": dynamodb.BillingMode.PAY_PER_REQUEST}
        if p.retains_data:
            defaults["encryption"] = dynamodb.TableEncryption.AWS_MANAGED
        if table_props.get("encryption_key") is not None:
            defaults["encryption"] = dynamodb.TableEncryption.CUSTOMER_MANAGED
        super().__init__(
            scope,
            id,
            removal_policy=to_removal_policy(p.removal_policy),
            deletion_protection=p.deletion_protection,
            point_in_time_recovery_specification=pitr,
            **{**defaults, **table_props},
        )
        self.name = name
        self.statefulness_policy: StatefulnessPolicy = p
        self.policy: StatefulnessPolicy = p
        self.backup_manager = finish_construct(
            self,
            scope=scope,
            resource=self.node.default_child,  # type: ignore[arg-type]
            policy=p,
            name=name,
            removal=p.removal_policy,
            backup_manager=backup_manager,
            own_retention=backup_retention_days is not None,
        )

    @property
    def table(self) -> dynamodb.Table:
        """The table itself (kept from when it wrapped one)."""
        return self


class LatticeTableV2(dynamodb.TableV2):
    """A ``dynamodb.TableV2`` (``AWS::DynamoDB::GlobalTable``) protected like
    :class:`LatticeTable`: for apps on ``TableV2``, with its logical id.

    Protections and tags are set on the table and each replica as ``TableV2`` renders
    them (``Replicas[].DeletionProtectionEnabled``, ``PointInTimeRecoverySpecification``,
    ``Tags``); billing is ``TableV2``'s on-demand default; AWS-managed KMS encryption
    where data is retained. Parameters as :class:`LatticeTable`'s; ``table_props`` are
    ``TableV2`` props.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        environment: str | None = None,
        force_retain: bool = False,
        backup_retention_days: int | None = None,
        backup_manager: BackupManager | None = None,
        policy: StatefulnessPolicy | None = None,
        **table_props: Any,
    ) -> None:
        check_name(name)
        p = policy_for(
            scope,
            environment=environment,
            policy=policy,
            force_retain=force_retain,
            backup_retention_days=backup_retention_days,
            removal_policy=table_props.pop("removal_policy", None),
            deletion_protection=table_props.pop("deletion_protection", None),
            point_in_time_recovery=_pitr_override(table_props),
        )
        defaults: dict[str, Any] = {}
        if p.retains_data:
            defaults["encryption"] = dynamodb.TableEncryptionV2.aws_managed_key()
        super().__init__(
            scope,
            id,
            removal_policy=to_removal_policy(p.removal_policy),
            deletion_protection=p.deletion_protection,
            point_in_time_recovery_specification=_pitr(p, table_props),
            **{**defaults, **table_props},
        )
        self.name = name
        self.statefulness_policy: StatefulnessPolicy = p
        self.policy: StatefulnessPolicy = p
        self.backup_manager = finish_construct(
            self,
            scope=scope,
            resource=self.node.default_child,  # type: ignore[arg-type]
            policy=p,
            name=name,
            removal=p.removal_policy,
            backup_manager=backup_manager,
            own_retention=backup_retention_days is not None,
            tag_target=self,  # TableV2 renders its tags into each replica
        )


def _pitr(
    policy: StatefulnessPolicy, props: dict[str, Any]
) -> dynamodb.PointInTimeRecoverySpecification:
    """PITR as the policy requires, keeping a given ``recovery_period_in_days``."""
    given = props.pop("point_in_time_recovery_specification", None)
    days = (
        given.get("recovery_period_in_days")
        if isinstance(given, dict)
        else getattr(given, "recovery_period_in_days", None)
    )
    return dynamodb.PointInTimeRecoverySpecification(
        point_in_time_recovery_enabled=policy.point_in_time_recovery,
        recovery_period_in_days=(days or CONTINUOUS_BACKUP_MAX_DAYS)
        if policy.point_in_time_recovery
        else None,
    )


def _pitr_override(props: dict[str, Any]) -> bool | None:
    """What the caller asked for PITR, from either of ``Table``'s two props."""
    legacy = props.pop("point_in_time_recovery", None)
    spec = props.get("point_in_time_recovery_specification")
    enabled = getattr(spec, "point_in_time_recovery_enabled", None)
    if enabled is None and isinstance(spec, dict):
        enabled = spec.get("point_in_time_recovery_enabled")
    if enabled is False or legacy is False:
        return False
    if enabled or legacy:
        return True
    return None
