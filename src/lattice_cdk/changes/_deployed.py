"""Fetch what is deployed: a stack's current template, read with boto3.

Honours the usual AWS settings (``AWS_PROFILE``, ``AWS_REGION`` /
``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_CLOUDFORMATION``,
shared config and credentials files), each overridable by an explicit argument.
boto3 is imported here only, when a command asks for the deployed state.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .._errors import InputError
from ..cfn import Assembly, Resource, Stack
from ..cfn._loader import parse_template

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient

__all__ = [
    "cloudformation_client",
    "deployed_assembly",
    "fetch_deployed",
    "location",
    "stack_details",
]


def cloudformation_client(
    *, region: str | None = None, profile: str | None = None, endpoint_url: str | None = None
) -> CloudFormationClient:
    """A CloudFormation client; ``None`` arguments fall back to the environment and the
    AWS config files, as the AWS CLI does."""
    import boto3
    import botocore.exceptions

    # botocore reads AWS_DEFAULT_REGION only; the AWS CLI and SDKs also honour AWS_REGION.
    region = region or os.environ.get("AWS_REGION") or None
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
        if session.region_name is None:
            raise InputError(
                "no AWS region is configured.",
                location="aws",
                fix="pass --region, or set AWS_REGION (or a region in the AWS profile).",
                code="aws-config",
            )
        # endpoint_url=None lets botocore read AWS_ENDPOINT_URL(_CLOUDFORMATION) itself.
        return session.client("cloudformation", endpoint_url=endpoint_url)
    except botocore.exceptions.ProfileNotFound as exc:
        raise InputError(
            f"{exc}.",
            location="aws",
            fix="pass an existing --profile, or fix AWS_PROFILE.",
            code="aws-config",
        ) from None


def location(stack_name: str) -> str:
    """How findings name a deployed template."""
    return f"cloudformation:{stack_name}"


def fetch_deployed(client: CloudFormationClient, stack_name: str) -> Stack | None:
    """The template deployed as ``stack_name`` (as submitted, before transforms), or
    ``None`` when no such stack exists."""
    import botocore.exceptions

    where = location(stack_name)
    try:
        response = client.get_template(StackName=stack_name, TemplateStage="Original")
    except botocore.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        message = str(error.get("Message", exc))
        if error.get("Code") == "ValidationError" and "does not exist" in message:
            return None
        raise InputError(
            f"cannot read the deployed template: {message}",
            location=where,
            fix="check the stack name, the region and the credentials (the call needs "
            "cloudformation:GetTemplate).",
            code="aws-error",
        ) from None
    except (botocore.exceptions.BotoCoreError, OSError) as exc:
        raise InputError(
            f"cannot reach CloudFormation: {exc}",
            location=where,
            fix="check the network, the region, the endpoint URL and the credentials.",
            code="aws-error",
        ) from None
    body: Any = response.get("TemplateBody")
    # botocore hands back JSON bodies already parsed, YAML ones as text.
    text = body if isinstance(body, str) else json.dumps(body)
    template = parse_template(text, location=where)
    resources = {
        logical_id: Resource(
            logical_id=logical_id,
            type=body["Type"],
            properties=body.get("Properties") or {},
            deletion_policy=body.get("DeletionPolicy"),
            update_replace_policy=body.get("UpdateReplacePolicy"),
            condition=body.get("Condition"),
            metadata=body.get("Metadata") or {},
        )
        for logical_id, body in template["Resources"].items()
    }
    return Stack(name=stack_name, template_path=where, template=template, resources=resources)


def deployed_assembly(
    client: CloudFormationClient,
    stack_names: Iterable[str],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Assembly, list[str]]:
    """The deployed templates of ``stack_names``, and the names that are not deployed;
    ``progress(done, total)`` is called after each stack is read."""
    stacks: list[Stack] = []
    missing: list[str] = []
    names = list(stack_names)
    for done, name in enumerate(names, start=1):
        if progress is not None:
            progress(done - 1, len(names))
        stack = fetch_deployed(client, name)
        if stack is None:
            missing.append(name)
        else:
            stacks.append(stack)
    return Assembly(source="cloudformation", stacks=tuple(stacks)), missing


def stack_details(
    client: CloudFormationClient, stack_name: str
) -> tuple[bool | None, dict[str, str]]:
    """A deployed stack's termination protection and its resources' physical ids (by
    logical id), every page read."""
    import botocore.exceptions

    where = location(stack_name)
    try:
        stacks = client.describe_stacks(StackName=stack_name).get("Stacks") or []
        protection = stacks[0].get("EnableTerminationProtection") if stacks else None
        physical: dict[str, str] = {}
        for page in client.get_paginator("list_stack_resources").paginate(StackName=stack_name):
            for summary in page.get("StackResourceSummaries") or []:
                if summary.get("PhysicalResourceId"):
                    physical[summary["LogicalResourceId"]] = summary["PhysicalResourceId"]
    except botocore.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        raise InputError(
            f"cannot describe the deployed stack: {error.get('Message', exc)}",
            location=where,
            fix="check the stack name, the region and the credentials (the calls need "
            "cloudformation:DescribeStacks and cloudformation:ListStackResources).",
            code="aws-error",
        ) from None
    return protection, physical
