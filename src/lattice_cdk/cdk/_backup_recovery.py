"""The recovery parts of a :class:`BackupManager`: restore testing and the air-gapped
copy, built from the policy (``restore_testing``, ``air_gapped_copy``).

The constructs are :class:`~._restore_testing.RestoreTesting` and
:class:`~._air_gapped.AirGappedVault`; this module only decides, per policy, whether the
manager builds them, and adds each enrolled resource's type to the restore tests.
"""

from __future__ import annotations

from aws_cdk import CfnResource
from aws_cdk import aws_iam as iam
from constructs import Construct, IConstruct

from .._policy import StatefulnessPolicy
from ._air_gapped import AirGappedVault
from ._cfn_type import cfn_type
from ._restore_testing import RestoreTesting

__all__ = ["AirGappedVault", "RestoreTesting", "add_restore_test", "build_recovery"]


def build_recovery(
    scope: Construct, policy: StatefulnessPolicy, role: iam.IRole
) -> tuple[RestoreTesting | None, AirGappedVault | None]:
    """The restore tests (id ``RestoreTesting``, restoring as ``role``) and the
    air-gapped vault (id ``AirGappedVault``) the policy asks for, each ``None`` when not."""
    tests = (
        RestoreTesting(scope, "RestoreTesting", policy=policy, role=role)
        if policy.restore_testing
        else None
    )
    vault = (
        AirGappedVault.for_policy(scope, "AirGappedVault", policy=policy)
        if policy.air_gapped_copy
        else None
    )
    return tests, vault


def add_restore_test(tests: RestoreTesting | None, node: IConstruct) -> None:
    """Restore-test ``node``'s type when it is an L1 of a type restore testing supports."""
    if tests is not None and isinstance(node, CfnResource):
        tests.add_resource_type(cfn_type(node))
