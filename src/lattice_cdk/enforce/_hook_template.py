"""The Guard Hook that runs Lattice's rules, as data: one hook per environment.

:func:`hook_specs` says what each hook is (alias, the stacks it filters to, targets,
failure mode); :func:`hook_template` turns that into a plain CloudFormation template
for a service-managed StackSet (the rules bundle read from a bucket named by
parameters), and ``LatticeGuardHook`` turns the same specs into CDK resources.

Targets: stack and change-set operations (the hook sees the whole proposed template,
which the rules are written for), on create and update. A stack delete is left to
termination protection and the retained removal policies the rules require.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from .._errors import InputError
from .._records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "HOOK_ACTIONS",
    "HOOK_SERVICE_PRINCIPAL",
    "HOOK_TARGET_OPERATIONS",
    "HookSpec",
    "hook_properties",
    "hook_specs",
    "hook_template",
    "hook_template_text",
]

#: The service principal a Guard Hook's execution role trusts.
HOOK_SERVICE_PRINCIPAL = "hooks.cloudformation.amazonaws.com"
HOOK_TARGET_OPERATIONS = ("STACK", "CHANGE_SET")
HOOK_ACTIONS = ("CREATE", "UPDATE")
#: CloudFormation's limit on names in one hook's StackFilters.StackNames.Include.
_MAX_STACK_NAMES = 50
_ALNUM = re.compile(r"[^A-Za-z0-9]+")


class HookSpec(Record):
    """One Guard Hook: the environment it guards and the stacks it filters to."""

    environment: str
    #: ``Lattice::Guard::<Environment>`` (a hook alias may not start with "AWS").
    alias: str
    #: A CloudFormation logical id / construct id part (letters and digits).
    id_suffix: str
    stack_names: tuple[str, ...]


def hook_specs(index: Mapping[str, Any], *, alias_prefix: str = "Lattice::Guard") -> list[HookSpec]:
    """A hook per environment named in a guard-rules index (``lattice-guard.json``)."""
    by_env: dict[str, list[str]] = {}
    for stack in index["stacks"]:
        names = by_env.setdefault(str(stack["environment"]), [])
        if stack["stack"] not in names:
            names.append(str(stack["stack"]))
    specs = []
    for environment, names in sorted(by_env.items()):
        suffix = "".join(part.capitalize() for part in _ALNUM.split(environment) if part)
        suffix = suffix if len(suffix) >= 2 else f"Env{suffix}"
        if len(names) > _MAX_STACK_NAMES:
            raise InputError(
                f"environment {environment!r} has {len(names)} stacks; a Guard Hook's stack "
                f"filter holds at most {_MAX_STACK_NAMES}.",
                location="lattice-guard.json",
                fix="split the environment's stacks across apps, or name them with a common "
                "prefix and filter on a wildcard.",
                code="too-many-stacks",
            )
        specs.append(
            HookSpec(
                environment=environment,
                alias=f"{alias_prefix}::{suffix}",
                id_suffix=suffix,
                stack_names=tuple(sorted(names)),
            )
        )
    return specs


def hook_properties(spec: HookSpec, *, rule_uri: Any, role_arn: Any) -> dict[str, Any]:
    """The ``AWS::CloudFormation::GuardHook`` properties of ``spec``, in template form."""
    return {
        "Alias": spec.alias,
        "ExecutionRole": role_arn,
        "FailureMode": "FAIL",
        "HookStatus": "ENABLED",
        "RuleLocation": {"Uri": rule_uri},
        "TargetOperations": list(HOOK_TARGET_OPERATIONS),
        "TargetFilters": {"Actions": list(HOOK_ACTIONS)},
        "StackFilters": {
            "FilteringCriteria": "ALL",
            "StackNames": {"Include": list(spec.stack_names)},
        },
    }


def hook_template(index: Mapping[str, Any], *, description: str | None = None) -> dict[str, Any]:
    """A CloudFormation template that activates the hooks in one account and region,
    reading the rules bundle from ``s3://RulesBucket/RulesKey`` (parameters)."""
    specs = hook_specs(index)
    object_arn = {"Fn::Sub": "arn:${AWS::Partition}:s3:::${RulesBucket}/${RulesKey}"}
    bucket_arn = {"Fn::Sub": "arn:${AWS::Partition}:s3:::${RulesBucket}"}
    resources: dict[str, Any] = {
        "GuardHookRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Description": "Lets Lattice's Guard Hooks read their rules.",
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": HOOK_SERVICE_PRINCIPAL},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "ReadGuardRules",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                                    "Resource": object_arn,
                                },
                                {
                                    "Effect": "Allow",
                                    "Action": "s3:ListBucket",
                                    "Resource": bucket_arn,
                                },
                            ],
                        },
                    }
                ],
            },
        }
    }
    for spec in specs:
        resources[f"GuardHook{spec.id_suffix}"] = {
            "Type": "AWS::CloudFormation::GuardHook",
            "Properties": hook_properties(
                spec,
                rule_uri={"Fn::Sub": "s3://${RulesBucket}/${RulesKey}"},
                role_arn={"Fn::GetAtt": ["GuardHookRole", "Arn"]},
            ),
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": description
        or "Lattice Guard Hooks: CloudFormation refuses deployments that would lose data "
        "(generated by 'lattice guard-rules --hook-template').",
        "Parameters": {
            "RulesBucket": {
                "Type": "String",
                "Description": "Bucket holding the rules bundle (versioned, retained; for an "
                "organization, readable by its accounts).",
                "AllowedPattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
            },
            "RulesKey": {
                "Type": "String",
                "Description": "Key of the bundle: a .zip (or .tar.gz) of the guard-rules "
                "output folder, or one .guard file.",
                "Default": "lattice/guard-rules.zip",
                "AllowedPattern": "^.+\\.(guard|zip|tar\\.gz)$",
            },
        },
        "Resources": resources,
        "Outputs": {
            spec.id_suffix + "HookArn": {
                "Description": f"The Guard Hook of environment {spec.environment}.",
                "Value": {"Ref": f"GuardHook{spec.id_suffix}"},
            }
            for spec in specs
        },
    }


def hook_template_text(index: Mapping[str, Any]) -> str:
    return json.dumps(hook_template(index), indent=2) + "\n"
