"""LatticeBucket: an S3 bucket protected as its environment requires."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_s3 as s3
from constructs import Construct

from .._errors import StatefulnessError
from .._policy import StatefulnessPolicy
from ._backup import BackupManager
from ._backup_enrol import finish_construct
from ._context import policy_for
from ._removal import to_removal_policy

__all__ = ["LatticeBucket", "check_name"]

#: Props Lattice decides; passing them through ``bucket_props`` goes through the policy.
_POLICY_PROPS = ("removal_policy", "auto_delete_objects", "versioned")


class LatticeBucket(s3.Bucket):
    """An ``s3.Bucket`` whose protection follows the environment.

    It *is* an ``s3.Bucket``: grants (``grant_read``...), metrics, ``IBucket`` and every
    other L2 method work, and ``LatticeBucket(self, "Data", ...)`` has the logical id of
    ``s3.Bucket(self, "Data")`` (and of the earlier Lattice bucket, which wrapped an
    inner ``Default`` bucket), so adopting or upgrading Lattice never replaces a bucket.

    - prod/staging: DeletionPolicy and UpdateReplacePolicy ``Retain``, versioning,
      KMS encryption (``aws/s3`` key with an S3 bucket key), public access blocked,
      SSL enforced, noncurrent versions expired after the backup retention, and backed
      up by tag through the stack's :class:`BackupManager` (daily; weekly, monthly and
      continuous in prod).
    - dev: ``Delete`` with ``auto_delete_objects`` so ``cdk destroy`` works; no backups.
    - ``force_retain=True``: ``Retain`` in every environment, never auto-delete.

    ``.policy`` is the bucket policy, as on any ``s3.Bucket``; Lattice's policy is
    ``.statefulness_policy``. No physical name is derived from ``name``.

    Raises :class:`~lattice_cdk.StatefulnessError` for ``removal_policy=DESTROY`` or
    ``auto_delete_objects=True`` in prod/staging, and ``versioned=False`` where
    backups are on.
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
        **bucket_props: Any,
    ) -> None:
        """Create the bucket.

        :param name: the logical name (tags, Lattice metadata); not the bucket's name.
        :param environment: default: CDK context ``lattice:environment``.
        :param force_retain: retain in every environment. Default: False.
        :param backup_retention_days: days backups and noncurrent versions are kept.
            Default: the policy's (30 prod, 14 staging, 7 dev).
        :param backup_manager: default: :meth:`BackupManager.of` the stack.
        :param policy: a ready policy instead of ``environment`` and the overrides.
        :param bucket_props: any other ``s3.Bucket`` props. They override Lattice's
            defaults (encryption, public access, SSL), except what would lose data:
            ``removal_policy``, ``auto_delete_objects`` and ``versioned`` go through the
            policy, which refuses unsafe values.
        """
        check_name(name)
        overrides = {k: bucket_props.pop(k) for k in _POLICY_PROPS if k in bucket_props}
        p = policy_for(
            scope,
            environment=environment,
            policy=policy,
            force_retain=force_retain,
            backup_retention_days=backup_retention_days,
            removal_policy=overrides.get("removal_policy"),
            auto_delete_objects=overrides.get("auto_delete_objects"),
            versioning=overrides.get("versioned"),
        )
        if p.enable_backups and not p.versioning:
            raise StatefulnessError(
                f"AWS Backup needs S3 versioning, and environment {p.environment!r} backs "
                "this bucket up.",
                field="versioned",
                value=False,
                allowed="True (or leave it unset)",
                fix="remove versioned=False.",
                code="versioning-required",
            )
        shared = _Shared.of(scope)
        lifecycle = list(bucket_props.pop("lifecycle_rules", None) or [])
        if p.versioning:
            lifecycle.append(shared.expiry(p.backup_retention_days))
        defaults: dict[str, Any] = {
            "encryption": s3.BucketEncryption.KMS_MANAGED,
            "bucket_key_enabled": True,
            "block_public_access": shared.block_all,
            "enforce_ssl": True,
        }
        if bucket_props.get("encryption_key") is not None:
            defaults["encryption"] = s3.BucketEncryption.KMS
        super().__init__(
            scope,
            id,
            versioned=p.versioning,
            removal_policy=to_removal_policy(p.removal_policy),
            auto_delete_objects=p.allow_auto_delete_objects,
            lifecycle_rules=lifecycle or None,
            **{**defaults, **bucket_props},
        )
        self.name = name
        self.statefulness_policy: StatefulnessPolicy = p
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
    def bucket(self) -> s3.Bucket:
        """The bucket itself (kept from when it wrapped one)."""
        return self


class _Shared:
    """What every LatticeBucket of one scope passes alike, made once per scope: each
    ``Duration`` and ``BlockPublicAccess.BLOCK_ALL`` is a jsii object, a round trip to
    Node to make or read. Kept on the scope, as the context is (``_context``)."""

    _ATTR = "_lattice_bucket_shared"

    def __init__(self) -> None:
        self.block_all = s3.BlockPublicAccess.BLOCK_ALL
        self._expiry: dict[int, s3.LifecycleRule] = {}

    @classmethod
    def of(cls, scope: Construct) -> _Shared:
        shared: _Shared | None = getattr(scope, cls._ATTR, None)
        if shared is None:
            shared = cls()
            setattr(scope, cls._ATTR, shared)
        return shared

    def expiry(self, days: int) -> s3.LifecycleRule:
        """Lattice's lifecycle rule: noncurrent versions expire after ``days``,
        incomplete multipart uploads after 7."""
        rule = self._expiry.get(days)
        if rule is None:
            rule = self._expiry[days] = s3.LifecycleRule(
                id="lattice-noncurrent-expiry",
                noncurrent_version_expiration=Duration.days(days),
                abort_incomplete_multipart_upload_after=Duration.days(7),
            )
        return rule


def check_name(name: object) -> None:
    if not isinstance(name, str) or not name.strip():
        raise StatefulnessError(
            "is not a usable logical name.",
            field="name",
            value=name,
            allowed="a non-empty string such as 'app-data'",
            fix="pass name='<what this data is>'.",
            code="invalid-value",
        )
