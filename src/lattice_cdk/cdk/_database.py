"""LatticeDatabase: an RDS instance (or Aurora cluster) protected as its environment requires."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from .._environments import Tier
from .._errors import StatefulnessError
from .._findings import ACKNOWLEDGEMENTS_METADATA_KEY
from .._policy import CONTINUOUS_BACKUP_MAX_DAYS, StatefulnessPolicy
from ._backup import BackupManager, finish_construct
from ._bucket import check_name
from ._context import policy_for
from ._removal import to_removal_policy

__all__ = ["LatticeDatabase"]


class LatticeDatabase(Construct):
    """An RDS database instance, or an Aurora cluster (``cluster=True``), protected by
    environment.

    - prod: ``Snapshot`` on delete and replacement, deletion protection, Multi-AZ (an
      Aurora reader in a second AZ), storage encrypted, automated backups kept after
      delete, native backup retention from the policy (capped at RDS's 35 days), backed
      up (with continuous backup) through the stack's :class:`BackupManager`, and the
      credentials secret retained and encrypted with a customer-managed KMS key.
    - staging: as prod, but without deletion protection or Multi-AZ (staging stays easy
      to tear down; ``Snapshot`` still keeps the data) and with daily backups only.
    - dev: ``Delete``, no deletion protection, no backups, unless ``force_retain=True``
      (then ``Retain`` on the database and its secret).

    The inner database has construct id ``"Default"``: ``LatticeDatabase(self, "Db",
    ...)`` keeps the logical id of ``rds.DatabaseInstance(self, "Db", ...)`` (and of
    its generated secret), so adopting Lattice never replaces the database.

    ``.instance`` or ``.cluster`` is the CDK construct; ``.secret`` and ``.connections``
    are shortcuts to its credentials and security groups.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        vpc: ec2.IVpc,
        environment: str | None = None,
        engine: rds.IInstanceEngine | rds.IClusterEngine | None = None,
        cluster: bool = False,
        force_retain: bool = False,
        backup_retention_days: int | None = None,
        backup_manager: BackupManager | None = None,
        policy: StatefulnessPolicy | None = None,
        **props: Any,
    ) -> None:
        """Create the database.

        :param name: the logical name (tags, backup selection); not an identifier.
        :param vpc: the VPC to place it in.
        :param environment: default: CDK context ``lattice:environment``.
        :param engine: default: PostgreSQL 18 (Aurora PostgreSQL 17.6 with ``cluster``).
        :param cluster: an Aurora ``DatabaseCluster`` instead of a ``DatabaseInstance``.
            Default: False.
        :param force_retain: retain in every environment. Default: False.
        :param backup_retention_days: days backups are kept (RDS's native retention is
            capped at 35). Default: the policy's.
        :param backup_manager: default: :meth:`BackupManager.of` the stack.
        :param policy: a ready policy instead of ``environment`` and the overrides.
        :param props: any other ``DatabaseInstance`` (or ``DatabaseCluster``) props.
        """
        super().__init__(scope, id)
        check_name(name)
        self.name = name
        self.policy: StatefulnessPolicy = policy_for(
            self,
            environment=environment,
            policy=policy,
            force_retain=force_retain,
            backup_retention_days=backup_retention_days,
            removal_policy=props.pop("removal_policy", None),
            deletion_protection=props.pop("deletion_protection", None),
        )
        p = self.policy
        _refuse_false(p, props, "storage_encrypted", "storage encryption")
        _refuse_false(p, props, "delete_automated_backups", None, refuse_true=True)
        if p.tier is Tier.PROD:
            _refuse_false(p, props, "multi_az", "Multi-AZ")

        common: dict[str, Any] = {
            "vpc": vpc,
            "removal_policy": to_removal_policy(p.snapshot_removal_policy),
            "deletion_protection": p.deletion_protection,
            "storage_encrypted": True,
            "delete_automated_backups": not p.retains_data,
            "copy_tags_to_snapshot": True,
        }
        if p.retains_data and "credentials" not in props:
            # A customer-managed key for the secret; adding KmsKeyId later updates the
            # secret in place without regenerating the password.
            self.secret_key: kms.Key | None = kms.Key(
                self,
                "SecretKey",
                description=f"Encrypts the credentials of Lattice database {name}",
                enable_key_rotation=True,
                removal_policy=RemovalPolicy.RETAIN,
            )
        else:
            self.secret_key = None

        self.instance: rds.DatabaseInstance | None = None
        self.cluster: rds.DatabaseCluster | None = None
        native_days = min(p.backup_retention_days, CONTINUOUS_BACKUP_MAX_DAYS)
        if cluster:
            engine = engine or rds.DatabaseClusterEngine.aurora_postgres(
                version=rds.AuroraPostgresEngineVersion.VER_17_6
            )
            self._add_credentials(props, engine)
            readers = (
                [rds.ClusterInstance.serverless_v2("Reader", scale_with_writer=True)]
                if p.tier is Tier.PROD
                else None
            )
            self.cluster = rds.DatabaseCluster(
                self,
                "Default",
                engine=engine,  # type: ignore[arg-type]
                writer=props.pop("writer", None) or rds.ClusterInstance.serverless_v2("Writer"),
                readers=props.pop("readers", None) or readers,
                backup=props.pop("backup", None)
                or (
                    rds.BackupProps(retention=Duration.days(native_days))
                    if p.retains_data
                    else None
                ),
                **{**common, **props},
            )
            resource: rds.DatabaseInstance | rds.DatabaseCluster = self.cluster
            _acknowledge_cluster_members(self.cluster)
            cfn = self.cluster.node.default_child
        else:
            engine = engine or rds.DatabaseInstanceEngine.postgres(
                version=rds.PostgresEngineVersion.VER_18
            )
            self._add_credentials(props, engine)
            # The instance type stays aws-cdk-lib's default, so adopting Lattice does not
            # resize an existing database.
            defaults: dict[str, Any] = {"multi_az": p.tier is Tier.PROD}
            if p.retains_data:
                defaults["backup_retention"] = Duration.days(native_days)
            self.instance = rds.DatabaseInstance(
                self,
                "Default",
                engine=engine,  # type: ignore[arg-type]
                **{**common, **defaults, **props},
            )
            resource = self.instance
            cfn = self.instance.node.default_child
        self.resource = resource
        self.secret: secretsmanager.ISecret | None = resource.secret
        generated = resource.node.try_find_child("Secret")
        if isinstance(generated, secretsmanager.Secret):
            # A snapshot is only restorable with its credentials: keep them with the data.
            generated.apply_removal_policy(to_removal_policy(p.removal_policy))
        self.backup_manager = finish_construct(
            self,
            resource=cfn,  # type: ignore[arg-type]
            policy=p,
            name=name,
            removal=p.snapshot_removal_policy,
            backup_manager=backup_manager,
            own_retention=backup_retention_days is not None,
            enrol=lambda manager, days: manager.add_resource(
                resource, name=name, retention_days=days
            ),
        )

    @property
    def connections(self) -> ec2.Connections:
        """The database's security groups, to allow access from clients."""
        return self.resource.connections

    def _add_credentials(self, props: dict[str, Any], engine: Any) -> None:
        if self.secret_key is None or "credentials" in props:
            return
        username = getattr(engine, "default_username", None) or "admin"
        # from_username keeps the secret's logical id of CDK's default credentials
        # (from_generated_secret would rename, so replace, an adopted secret).
        props["credentials"] = rds.Credentials.from_username(
            username, encryption_key=self.secret_key
        )


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
