"""Backup selections: one tag-condition selection per plan, ARN selections in batches.

AWS Backup allows 100 selections per plan (not adjustable) and 500 ARNs per selection
(30 when one has a wildcard); tag conditions have no limit on resources (AWS Backup
developer guide, "AWS Backup quotas"). So a Lattice resource is enrolled by tag, never
by ARN: the manager's plan has one selection,

    Resources   *
    Conditions  StringEquals aws:ResourceTag/lattice:backup = <environment>
                StringEquals aws:ResourceTag/lattice:backup-plan = <plan name>

which picks the resources that carry both tags. The plan condition keeps the selection
to the plan's own stack: a tag selection alone covers every tagged resource of the
account and region, so two stacks (or two apps) would back each other's data up twice.
Only ARNs (imported resources, ARN strings) go into ``Resources``, in batches that stay
within the quotas.
"""

from __future__ import annotations

import re

import jsii
from aws_cdk import CfnResource, IStableListProducer, Lazy, Token
from aws_cdk import aws_backup as backup
from aws_cdk import aws_s3 as s3
from constructs import Construct, IValidation

from .._backup_plan import MAX_ARNS, MAX_WILDCARD_ARNS
from ._cfn_type import cfn_type
from ._tags import BACKUP_TAG, PLAN_TAG

__all__ = [
    "ArnBatches",
    "RequireVersioning",
    "SelectsSomething",
    "selection_name",
    "tag_selection",
]

_SELECTION_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_TAG_PREFIX = "aws:ResourceTag/"


def selection_name(label: str) -> str:
    """``label`` as AWS Backup accepts it: 1-50 letters, digits, '-', '_' and '.'."""
    cleaned = _SELECTION_NAME.sub("-", label).strip("-") or "selection"
    return cleaned[-50:].lstrip("-_.") or "selection"


def tag_selection(
    plan: backup.BackupPlan, *, environment: str, plan_name: str, role_arn: str
) -> backup.CfnBackupSelection:
    """The plan's one selection: every resource tagged ``lattice:backup=<environment>``
    AND ``lattice:backup-plan=<plan name>`` (``Resources: ["*"]`` narrowed by
    ``Conditions``, which AWS Backup ANDs; ``ListOfTags`` would OR them)."""
    spec = backup.CfnBackupSelection.BackupSelectionResourceTypeProperty(
        iam_role_arn=role_arn,
        selection_name=selection_name(f"{plan_name}-tagged"),
        resources=["*"],
        # Conditions is untyped JSON in the L1: a struct would render in camelCase.
        conditions={
            "StringEquals": [
                {"ConditionKey": _TAG_PREFIX + BACKUP_TAG, "ConditionValue": environment},
                {"ConditionKey": _TAG_PREFIX + PLAN_TAG, "ConditionValue": plan_name},
            ]
        },
    )
    return backup.CfnBackupSelection(
        plan, "Tagged", backup_plan_id=plan.backup_plan_id, backup_selection=spec
    )


@jsii.implements(IStableListProducer)
class _Arns:
    def __init__(self) -> None:
        self.arns: list[str] = []
        self.selection: backup.CfnBackupSelection

    def produce(self) -> list[str] | None:
        return list(self.arns)


class ArnBatches:
    """The ARN selections of one plan, each filled up to AWS Backup's quota.

    A batch holding an ARN with a wildcard takes at most 30; any other batch 500.
    """

    def __init__(self, plan: backup.BackupPlan, *, plan_name: str, role_arn: str) -> None:
        self._plan = plan
        self._plan_name = plan_name
        self._role_arn = role_arn
        self._open: dict[bool, _Arns] = {}
        self.count = 0

    def add(self, arn: str) -> backup.CfnBackupSelection:
        """Put ``arn`` in a batch with room; returns that batch's selection."""
        wildcard = not Token.is_unresolved(arn) and "*" in arn
        limit = MAX_WILDCARD_ARNS if wildcard else MAX_ARNS
        batch = self._open.get(wildcard)
        if batch is None or len(batch.arns) >= limit:
            batch = self._open[wildcard] = self._new_batch()
        if arn not in batch.arns:
            batch.arns.append(arn)
        return batch.selection

    def _new_batch(self) -> _Arns:
        self.count += 1
        arns = _Arns()
        spec = backup.CfnBackupSelection.BackupSelectionResourceTypeProperty(
            iam_role_arn=self._role_arn,
            selection_name=selection_name(f"{self._plan_name}-arns-{self.count}"),
            resources=Lazy.list(arns),
        )
        arns.selection = backup.CfnBackupSelection(
            self._plan,
            f"Arns{self.count}",
            backup_plan_id=self._plan.backup_plan_id,
            backup_selection=spec,
        )
        return arns


@jsii.implements(IValidation)
class RequireVersioning:
    """Synth-time check: a bucket backed up by AWS Backup must be versioned (LAT1402)."""

    def __init__(self, bucket: s3.CfnBucket) -> None:
        self._bucket = bucket

    def validate(self) -> list[str]:
        config = self._bucket.versioning_configuration
        if config is None:
            status: object = None
        elif isinstance(config, s3.CfnBucket.VersioningConfigurationProperty):
            status = config.status
        else:
            return []  # a token, decided at deploy time: the checker reports it, not us
        if status == "Enabled" or (isinstance(status, str) and Token.is_unresolved(status)):
            return []
        return [
            "[LAT1402] AWS Backup backs up S3 buckets only when they are versioned, and "
            f"this bucket's versioning is {status or 'off'}. Fix: pass versioned=True."
        ]


@jsii.implements(IValidation)
class SelectsSomething:
    """Synth-time check: a construct enrolled by tag holds a type AWS Backup supports.

    Tagging anything else selects nothing, and the resource would look enrolled
    without ever being backed up.
    """

    def __init__(self, construct: Construct) -> None:
        self._construct = construct

    def validate(self) -> list[str]:
        # The knowledge table, loaded when judged: an app that never calls add_resource
        # does not load the CloudFormation model package (~5 ms).
        from ..cfn._knowledge import stateful_types

        known = stateful_types()
        for node in self._construct.node.find_all():
            if isinstance(node, CfnResource):
                found = known.get(cfn_type(node))
                if found is not None and found.aws_backup:
                    return []
        return [
            f"[LAT1201] nothing under {self._construct.node.path} is a resource AWS Backup "
            "can back up, so enrolling it selects nothing. Fix: pass the resource itself, "
            "or its ARN."
        ]
