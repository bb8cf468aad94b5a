"""Compliance reporting: the AWS Backup Audit Manager framework and its report plans."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, Fn, RemovalPolicy, Stack, Token
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from .._policy import StatefulnessPolicy
from ._tags import ENVIRONMENT_TAG, record_lattice_view

__all__ = ["REPORT_BUCKET_NAME", "build_framework", "build_report_bucket", "build_report_plans"]

#: The ``name`` Lattice gives the report bucket it creates.
REPORT_BUCKET_NAME = "lattice-compliance-reports"


#: The restore-time target of the Audit Manager control, in minutes (AWS's default, 12 h).
MAX_RESTORE_MINUTES = 720


def build_framework(
    scope: Construct,
    policy: StatefulnessPolicy,
    *,
    dr_vault: backup.IBackupVault | None,
    dr_region: str | None,
) -> backup.CfnFramework:
    """The Audit Manager framework (id ``Framework``) whose controls mirror the policy."""
    p = policy
    tag_scope = {"Tags": [{"Key": ENVIRONMENT_TAG, "Value": p.environment}]}

    def control(name: str, **params: Any) -> backup.CfnFramework.FrameworkControlProperty:
        return backup.CfnFramework.FrameworkControlProperty(
            control_name=name,
            control_input_parameters=[
                backup.CfnFramework.ControlInputParameterProperty(
                    parameter_name=k, parameter_value=str(v)
                )
                for k, v in params.items()
            ]
            or None,
            control_scope=tag_scope,
        )

    floor = p.min_backup_retention_days
    controls = [
        control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN"),
        control(
            "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
            requiredFrequencyUnit="hours",
            requiredFrequencyValue=24,
            requiredRetentionDays=floor,
        ),
        control("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", requiredRetentionDays=floor),
        control("BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED"),
        control("BACKUP_RECOVERY_POINT_ENCRYPTED"),
    ]
    if dr_vault is not None and dr_region is not None:
        region = (
            dr_region
            if not Token.is_unresolved(dr_region)
            else Fn.select(3, Fn.split(":", dr_vault.backup_vault_arn))
        )
        controls.append(
            control("BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", crossRegionList=region)
        )
    if p.vault_lock:
        controls.append(
            control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", minRetentionDays=floor)
        )
    if p.restore_testing:
        # Restore tests report how long each restore took: the control checks the target.
        controls.append(
            control("RESTORE_TIME_FOR_RESOURCES_MEET_TARGET", maxRestoreTime=MAX_RESTORE_MINUTES)
        )
    return backup.CfnFramework(
        scope,
        "Framework",
        framework_controls=controls,
        framework_description=(
            f"Lattice {p.environment}: resources tagged {ENVIRONMENT_TAG}={p.environment} "
            "are backed up daily, kept at least the floor, encrypted, undeletable."
        ),
    )


def build_report_plans(
    scope: Construct,
    policy: StatefulnessPolicy,
    framework: backup.CfnFramework,
    bucket: s3.IBucket,
) -> None:
    """The resource and control compliance reports, delivered to ``bucket``."""
    bucket_name, framework_arn = bucket.bucket_name, framework.attr_framework_arn  # read once
    for template, rid in (
        ("RESOURCE_COMPLIANCE_REPORT", "ResourceComplianceReport"),
        ("CONTROL_COMPLIANCE_REPORT", "ControlComplianceReport"),
    ):
        backup.CfnReportPlan(
            scope,
            rid,
            report_delivery_channel={
                "S3BucketName": bucket_name,
                "S3KeyPrefix": f"lattice/{policy.environment}",
                "Formats": ["CSV", "JSON"],
            },
            report_setting={"ReportTemplate": template, "FrameworkArns": [framework_arn]},
        )


def build_report_bucket(scope: Construct, policy: StatefulnessPolicy) -> s3.Bucket:
    """A retained, versioned, encrypted bucket (id ``Reports``) Audit Manager may write to."""
    bucket = s3.Bucket(
        scope,
        "Reports",
        versioned=True,
        encryption=s3.BucketEncryption.KMS_MANAGED,
        bucket_key_enabled=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        removal_policy=RemovalPolicy.RETAIN,
        lifecycle_rules=[
            s3.LifecycleRule(
                id="lattice-noncurrent-expiry",
                noncurrent_version_expiration=Duration.days(policy.backup_retention_days),
            )
        ],
    )
    # Backup Audit Manager writes reports as its service-linked role.
    reports_role = Stack.of(scope).format_arn(
        service="iam",
        region="",
        resource="role",
        resource_name="aws-service-role/reports.backup.amazonaws.com/"
        "AWSServiceRoleForBackupReports",
    )
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ArnPrincipal(reports_role)],
            actions=["s3:PutObject"],
            resources=[bucket.arn_for_objects("*")],
            conditions={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
        )
    )
    record_lattice_view(
        bucket.node.default_child,  # type: ignore[arg-type]
        policy,
        name=REPORT_BUCKET_NAME,
        removal="RETAIN",
    )
    return bucket
