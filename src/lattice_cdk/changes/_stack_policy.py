"""CloudFormation stack policies that refuse to replace or delete stateful resources.

aws-cdk-lib cannot set a stack policy (aws/aws-cdk#1697). A stack policy is a second
guard that holds even when someone deploys without Lattice: CloudFormation refuses any
update that would replace or delete a protected resource, until the policy is
overridden for that one update (``--stack-policy-during-update-body``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._errors import InputError
from ..cfn import Assembly, Stack, stateful_type

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient

__all__ = [
    "MAX_POLICY_BYTES",
    "apply_command",
    "apply_stack_policies",
    "build_stack_policy",
    "stack_policies",
]

#: CloudFormation's limit on a stack policy body.
MAX_POLICY_BYTES = 16_384
_DENIED = ["Update:Replace", "Update:Delete"]


def build_stack_policy(stack: Stack) -> dict[str, Any]:
    """The policy for ``stack``: allow every update, deny ``Update:Replace`` and
    ``Update:Delete`` on each stateful resource (by logical id).

    When listing the logical ids would pass CloudFormation's 16 KB limit, the deny
    names the stateful resource types instead (which also guards resources added
    later).
    """
    stateful = sorted(
        (r.logical_id, r.type)
        for r in stack.resources.values()
        if stateful_type(r.type) is not None
    )
    statements: list[dict[str, Any]] = [
        {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}
    ]
    if stateful:
        statements.append(
            {
                "Effect": "Deny",
                "Action": list(_DENIED),
                "Principal": "*",
                "Resource": [f"LogicalResourceId/{lid}" for lid, _ in stateful],
            }
        )
    policy: dict[str, Any] = {"Statement": statements}
    if len(json.dumps(policy)) > MAX_POLICY_BYTES:
        statements[1] = {
            "Effect": "Deny",
            "Action": list(_DENIED),
            "Principal": "*",
            "Resource": "*",
            "Condition": {"StringEquals": {"ResourceType": sorted({t for _, t in stateful})}},
        }
    return policy


def stack_policies(assembly: Assembly) -> dict[str, dict[str, Any]]:
    """A policy per top-level stack, by stack name.

    Nested stacks are left out: they are deployed under generated names, and their
    parent's policy already refuses to replace or delete the nested stack itself.
    """
    return {s.name: build_stack_policy(s) for s in assembly.stacks if s.parent is None}


def apply_command(stack_name: str, policy_file: str) -> str:
    """The AWS CLI command that applies a policy written to ``policy_file``."""
    return (
        f"aws cloudformation set-stack-policy --stack-name {stack_name} "
        f"--stack-policy-body file://{policy_file}"
    )


def apply_stack_policies(
    client: CloudFormationClient, policies: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Set each policy on its deployed stack; return the names set. A stack that is not
    deployed raises :class:`~lattice_cdk.InputError` before any later stack is touched."""
    import botocore.exceptions

    applied: list[str] = []
    for name, policy in policies.items():
        try:
            client.set_stack_policy(StackName=name, StackPolicyBody=json.dumps(policy))
        except botocore.exceptions.ClientError as exc:
            message = exc.response.get("Error", {}).get("Message", str(exc))
            raise InputError(
                f"cannot set the stack policy: {message} (already set: "
                f"{', '.join(applied) or 'none'}).",
                location=f"cloudformation:{name}",
                fix="deploy the stack first, or check the region and the credentials (the "
                "call needs cloudformation:SetStackPolicy).",
                code="aws-error",
            ) from None
        except (botocore.exceptions.BotoCoreError, OSError) as exc:
            raise InputError(
                f"cannot reach CloudFormation: {exc}",
                location=f"cloudformation:{name}",
                fix="check the network, the region, the endpoint URL and the credentials.",
                code="aws-error",
            ) from None
        applied.append(name)
    return applied
