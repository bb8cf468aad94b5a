"""LatticeDatabase and LatticeDatabaseCluster: RDS protected as its environment requires."""

from __future__ import annotations

from typing import Any

import jsii
from aws_cdk import Duration, IStableStringProducer, Lazy, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from .._environments import Tier
from .._errors import StatefulnessError
from .._findings import ACKNOWLEDGEMENTS_METADATA_KEY
from .._policy import CONTINUOUS_BACKUP_MAX_DAYS, StatefulnessPolicy
from ._backup import BackupManager
from ._backup_enrol import finish_construct
from ._bucket import check_name
from ._context import policy_for
from ._removal import to_removal_policy

__all__ = ["LatticeDatabase", "LatticeDatabaseCluster"]


class _Setup:
    """What both database flavours compute before calling the aws-cdk-lib constructor."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        environment: str | None,
        force_retain: bool,
        backup_retention_days: int | None,
        policy: StatefulnessPolicy | None,
        props: dict[str, Any],
    ) -> None:
        check_name(name)
        self.name = name
        self.own_retention = backup_retention_days is not None
        p = self.policy = policy_for(
            scope,
            environment=environment,
            policy=policy,
            force_retain=force_retain,
            backup_retention_days=backup_retention_days,
            removal_policy=props.pop("removal_policy", None),
            deletion_protection=props.pop("deletion_protection", None),
        )
        _refuse_false(p, props, "storage_encrypted", "storage encryption")
        _refuse_false(p, props, "delete_automated_backups", None, refuse_true=True)
        if p.tier is Tier.PROD:
            _refuse_false(p, props, "multi_az", "Multi-AZ")
        self.native_days = min(p.backup_retention_days, CONTINUOUS_BACKUP_MAX_DAYS)
        self.common: dict[str, Any] = {
            "removal_policy": to_removal_policy(p.snapshot_removal_policy),
            "deletion_protection": p.deletion_protection,
            "storage_encrypted": True,
            "delete_automated_backups": not p.retains_data,
            "copy_tags_to_snapshot": True,
        }
        # The credentials get a customer-managed key (adding KmsKeyId later updates the
        # secret in place without regenerating the password). The key is the
        # database's child "SecretKey", created once the database exists: until then
        # the secret names it by a lazy ARN.
        self._key_arn = _Later()
        self.key_ref: kms.IKey | None = None
        if p.retains_data and "credentials" not in props:
            self.key_ref = kms.Key.from_key_arn(
                scope, f"{id}SecretKeyRef", Lazy.string(self._key_arn)
            )

    def credentials(self, props: dict[str, Any], engine: Any) -> None:
        if self.key_ref is None:
            return
        username = getattr(engine, "default_username", None) or "admin"
        # from_username keeps the secret's logical id of CDK's default credentials
        # (from_generated_secret would rename, so replace, an adopted secret).
        props["credentials"] = rds.Credentials.from_username(username, encryption_key=self.key_ref)

    def finish(self, database: rds.DatabaseInstance | rds.DatabaseCluster) -> kms.Key | None:
        """Create the secret's key, retain the secret with the data, tag and enrol."""
        p = self.policy
        key = None
        if self.key_ref is not None:
            key = kms.Key(
                database,
                "SecretKey",
                description=f"Encrypts the credentials of Lattice database {self.name}",
                enable_key_rotation=True,
                removal_policy=RemovalPolicy.RETAIN,
            )
            self._key_arn.value = key.key_arn
        generated = database.node.try_find_child("Secret")
        if isinstance(generated, secretsmanager.Secret):
            # A snapshot is only restorable with its credentials: keep them with the data.
            generated.apply_removal_policy(to_removal_policy(p.removal_policy))
        return key


class LatticeDatabase(rds.DatabaseInstance):
    """An RDS database instance protected by environment; with ``cluster=True``, a
    :class:`LatticeDatabaseCluster` (Aurora) instead.

    It *is* an ``rds.DatabaseInstance``: ``grant_connect``, metrics, ``connections``,
    ``secret`` and every other L2 member work, and ``LatticeDatabase(self, "Db", ...)``
    has the logical ids of ``rds.DatabaseInstance(self, "Db", ...)`` and its secret and
    subnet group (and of the earlier Lattice database, which wrapped an inner
    ``Default``), so adopting or upgrading Lattice never replaces the database.

    - prod: ``Snapshot`` on delete and replacement, deletion protection, Multi-AZ,
      storage encrypted, automated backups kept after delete, native backup retention
      from the policy (capped at RDS's 35 days), backed up by tag (with continuous
      backup) through the stack's :class:`BackupManager`, and the credentials secret
      retained and encrypted with a customer-managed KMS key (``.secret_key``).
    - staging: as prod, but without deletion protection or Multi-AZ (``Snapshot``
      still keeps the data) and with daily backups only.
    - dev: ``Delete``, no deletion protection, no backups, unless ``force_retain=True``
      (then ``Retain`` on the database and its secret).
    """

    def __new__(cls, *args: Any, cluster: bool = False, **kwargs: Any) -> Any:
        if cluster and cls is LatticeDatabase:
            return LatticeDatabaseCluster(*args, **kwargs)
        return super().__new__(cls)

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        vpc: ec2.IVpc,
        environment: str | None = None,
        engine: rds.IInstanceEngine | None = None,
        cluster: bool = False,
        force_retain: bool = False,
        backup_retention_days: int | None = None,
        backup_manager: BackupManager | None = None,
        policy: StatefulnessPolicy | None = None,
        **props: Any,
    ) -> None:
        """Create the database.

        :param name: the logical name (tags, Lattice metadata); not an identifier.
        :param vpc: the VPC to place it in.
        :param environment: default: CDK context ``lattice:environment``.
        :param engine: default: PostgreSQL 18.
        :param cluster: build a :class:`LatticeDatabaseCluster` instead. Default: False.
        :param force_retain: retain in every environment. Default: False.
        :param backup_retention_days: days backups are kept (RDS's native retention is
            capped at 35). Default: the policy's.
        :param backup_manager: default: :meth:`BackupManager.of` the stack.
        :param policy: a ready policy instead of ``environment`` and the overrides.
        :param props: any other ``DatabaseInstance`` props.
        """
        del cluster  # handled by __new__
        setup = _Setup(
            scope,
            id,
            name=name,
            environment=environment,
            force_retain=force_retain,
            backup_retention_days=backup_retention_days,
            policy=policy,
            props=props,
        )
        p = setup.policy
        engine = engine or rds.DatabaseInstanceEngine.postgres(
            version=rds.PostgresEngineVersion.VER_18
        )
        setup.credentials(props, engine)
        # The instance type stays aws-cdk-lib's default, so adopting Lattice does not
        # resize an existing database.
        defaults: dict[str, Any] = {"multi_az": p.tier is Tier.PROD}
        if p.retains_data:
            defaults["backup_retention"] = Duration.days(setup.native_days)
        super().__init__(scope, id, vpc=vpc, engine=engine, **{**setup.common, **defaults, **props})
        self.name = name
        self.statefulness_policy: StatefulnessPolicy = p
        self.policy: StatefulnessPolicy = p
        self.secret_key = setup.finish(self)
        self.backup_manager = finish_construct(
            self,
            scope=scope,
            resource=self.node.default_child,  # type: ignore[arg-type]
            policy=p,
            name=name,
            removal=p.snapshot_removal_policy,
            backup_manager=backup_manager,
            own_retention=setup.own_retention,
            tag_children=True,
        )

    @property
    def instance(self) -> rds.DatabaseInstance:
        """The instance itself (kept from when it wrapped one)."""
        return self

    @property
    def cluster(self) -> None:
        """Always None: a cluster is a :class:`LatticeDatabaseCluster`."""
        return None

    @property
    def resource(self) -> rds.DatabaseInstance:
        """The database itself (kept from when it wrapped one)."""
        return self


class LatticeDatabaseCluster(rds.DatabaseCluster):
    """An Aurora ``rds.DatabaseCluster`` protected by environment, like
    :class:`LatticeDatabase` (which builds one with ``cluster=True``).

    Prod gets a serverless v2 reader in a second AZ; cluster members are acknowledged
    to the checker (the data lives in the cluster). Logical ids are those of
    ``rds.DatabaseCluster(self, id, ...)`` and of the earlier wrapped cluster.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        vpc: ec2.IVpc,
        environment: str | None = None,
        engine: rds.IClusterEngine | None = None,
        force_retain: bool = False,
        backup_retention_days: int | None = None,
        backup_manager: BackupManager | None = None,
        policy: StatefulnessPolicy | None = None,
        **props: Any,
    ) -> None:
        """Create the cluster: parameters as :class:`LatticeDatabase`'s; ``engine``
        defaults to Aurora PostgreSQL 17.6; ``props`` are ``DatabaseCluster`` props."""
        setup = _Setup(
            scope,
            id,
            name=name,
            environment=environment,
            force_retain=force_retain,
            backup_retention_days=backup_retention_days,
            policy=policy,
            props=props,
        )
        p = setup.policy
        engine = engine or rds.DatabaseClusterEngine.aurora_postgres(
            version=rds.AuroraPostgresEngineVersion.VER_17_6
        )
        setup.credentials(props, engine)
        readers = (
            [rds.ClusterInstance.serverless_v2("Reader", scale_with_writer=True)]
            if p.tier is Tier.PROD
            else None
        )
        super().__init__(
            scope,
            id,
            vpc=vpc,
            engine=engine,
            writer=props.pop("writer", None) or rds.ClusterInstance.serverless_v2("Writer"),
            readers=props.pop("readers", None) or readers,
            backup=props.pop("backup", None)
            or (
                rds.BackupProps(retention=Duration.days(setup.native_days))
                if p.retains_data
                else None
            ),
            **{**setup.common, **props},
        )
        _acknowledge_cluster_members(self)
        self.name = name
        self.statefulness_policy: StatefulnessPolicy = p
        self.policy: StatefulnessPolicy = p
        self.secret_key = setup.finish(self)
        self.backup_manager = finish_construct(
            self,
            scope=scope,
            resource=self.node.default_child,  # type: ignore[arg-type]
            policy=p,
            name=name,
            removal=p.snapshot_removal_policy,
            backup_manager=backup_manager,
            own_retention=setup.own_retention,
            tag_children=True,
        )

    @property
    def instance(self) -> None:
        """Always None: an instance is a :class:`LatticeDatabase`."""
        return None

    @property
    def cluster(self) -> rds.DatabaseCluster:
        """The cluster itself (kept from when it wrapped one)."""
        return self

    @property
    def resource(self) -> rds.DatabaseCluster:
        """The database itself (kept from when it wrapped one)."""
        return self


@jsii.implements(IStableStringProducer)
class _Later:
    """A value known only once the database exists (the ARN of its secret's key)."""

    def __init__(self) -> None:
        self.value: str | None = None

    def produce(self) -> str | None:
        return self.value


def _acknowledge_cluster_members(cluster: rds.DatabaseCluster) -> None:
    """Aurora members hold no data of their own: say so to the checker, with a reason."""
    reason = (
        "Aurora cluster member: the data lives in the cluster, which Lattice snapshots, "
        "protects and backs up."
    )
    acks = [
        {"rule_id": rule, "reason": reason}
        for rule in ("LAT1001", "LAT1002", "LAT1101", "LAT1201", "LAT1401")
    ]
    for child in cluster.node.children:
        cfn = child.node.default_child
        if isinstance(cfn, rds.CfnDBInstance):
            cfn.add_metadata(ACKNOWLEDGEMENTS_METADATA_KEY, acks)


def _refuse_false(
    policy: StatefulnessPolicy,
    props: dict[str, Any],
    field: str,
    what: str | None,
    *,
    refuse_true: bool = False,
) -> None:
    """Refuse a prop that would weaken what the policy requires of a retained database."""
    if not policy.retains_data or field not in props:
        return
    value = props[field]
    bad = value is True if refuse_true else value is False
    if not bad:
        return
    env = policy.environment
    message = (
        f"would delete the automated backups with the database in environment {env!r}."
        if refuse_true
        else f"{what} cannot be turned off in environment {env!r}."
    )
    raise StatefulnessError(
        message,
        field=field,
        value=value,
        allowed=f"{not value} (or leave it unset)",
        fix=f"remove {field}={value}.",
        code="protection-required",
    )
