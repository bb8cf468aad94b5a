"""CloudFormation stack policies that refuse to replace or delete stateful resources.

aws-cdk-lib cannot set a stack policy (aws/aws-cdk#1697). A stack policy is a second
guard that holds even when someone deploys without Lattice: CloudFormation refuses any
update that would replace or delete a protected resource, until the policy is
overridden for that one update (``--stack-policy-during-update-body``).
"""

from __future__ import annotations

import json
import re
import shlex
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._errors import InputError
from .._records import Record
from ..cfn import Assembly, Stack, stateful_type

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient

__all__ = [
    "MAX_POLICY_BYTES",
    "ApplyResult",
    "apply_command",
    "apply_stack_policies",
    "build_stack_policy",
    "policy_file_names",
    "redact",
    "stack_policies",
]

#: CloudFormation's limit on a stack policy body.
MAX_POLICY_BYTES = 16_384
_DENIED = ["Update:Replace", "Update:Delete"]
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)[^/\s@]*@")


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


def stack_policies(assembly: Assembly) -> dict[str, tuple[Stack, dict[str, Any]]]:
    """A policy per top-level stack, by :attr:`Stack.identity` (one stack name deployed
    to two regions is two stacks, with a policy each).

    Nested stacks are left out: they are deployed under generated names, and their
    parent's policy already refuses to replace or delete the nested stack itself.
    """
    return {s.identity: (s, build_stack_policy(s)) for s in assembly.stacks if s.parent is None}


def policy_file_names(stacks: Iterable[Stack]) -> dict[str, str]:
    """A file name per stack identity, ``<name>.stack-policy.json``, unique even where
    names differ only in characters a file name cannot hold (``x y`` and ``x_y``) or a
    stack name is deployed to two regions."""
    stacks = list(stacks)
    shared = Counter(s.name for s in stacks)
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for stack in stacks:
        base = stack.name
        if shared[stack.name] > 1 and stack.identity != stack.name:
            # account/region/name -> name.account.region; an artifact id as it is.
            where = stack.identity.removesuffix("/" + stack.name).replace("/", ".")
            base = f"{stack.name}.{where}"
        base = _SAFE.sub("_", base)
        name = f"{base}.stack-policy.json"
        n = 2
        while name.lower() in taken:  # case-insensitive file systems collide too
            name = f"{base}-{n}.stack-policy.json"
            n += 1
        taken.add(name.lower())
        chosen[stack.identity] = name
    return chosen


def apply_command(stack: Stack, policy_file: str) -> str:
    """The AWS CLI command that applies a policy written to ``policy_file`` (quoted for
    a POSIX shell)."""
    region = f" --region {shlex.quote(stack.region)}" if stack.region else ""
    return (
        f"aws cloudformation set-stack-policy --stack-name {shlex.quote(stack.name)}{region} "
        f"--stack-policy-body {shlex.quote('file://' + policy_file)}"
    )


class ApplyResult(Record):
    """What ``--apply`` did for one stack: set, or the one-line error it met."""

    identity: str
    error: str | None = None

    @property
    def applied(self) -> bool:
        return self.error is None


def apply_stack_policies(
    client_for: Callable[[Stack], CloudFormationClient],
    policies: Mapping[str, tuple[Stack, Mapping[str, Any]]],
) -> list[ApplyResult]:
    """Set each policy on its deployed stack, through ``client_for(stack)`` (a client in
    the stack's region). Every stack is tried: one that fails (not deployed, no
    permission, no network) is reported in its result and the next is tried."""
    import botocore.exceptions

    failures = (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, OSError)
    results: list[ApplyResult] = []
    for identity, (stack, policy) in policies.items():
        try:
            client = client_for(stack)
            client.set_stack_policy(StackName=stack.name, StackPolicyBody=json.dumps(policy))
        except InputError as exc:
            results.append(ApplyResult(identity, redact(str(exc))))
        except failures as exc:
            results.append(ApplyResult(identity, _aws_error(stack, exc)))
        else:
            results.append(ApplyResult(identity))
    return results


def _aws_error(stack: Stack, exc: Exception) -> str:
    """The one-line ``[aws-error] ...`` for a failed call, with any password redacted."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        message = response.get("Error", {}).get("Message") or str(exc)
        text = f"cannot set the stack policy: {message}"
        fix = (
            "deploy the stack first, or check the region and the credentials (the call "
            "needs cloudformation:SetStackPolicy)."
        )
    else:
        text = f"cannot set the stack policy: cannot reach CloudFormation: {exc}"
        fix = "check the network, the region, the endpoint URL and the credentials."
    error = InputError(text, location=f"cloudformation:{stack.identity}", fix=fix, code="aws-error")
    return redact(str(error))


def redact(text: str) -> str:
    """``text`` with the password of any ``scheme://user:password@host`` URL hidden."""
    return _URL_PASSWORD.sub(r"\1***@", text)
