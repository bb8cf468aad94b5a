"""Generate a synthetic CDK cloud assembly: N stacks x M resources, pure JSON.

The mix is what a real CDK app emits: mostly stateless resources (IAM roles and
policies, Lambda functions, alarms, topics, security groups), about a quarter stateful
ones (S3 buckets, DynamoDB tables, RDS instances, log groups, queues, KMS keys, EFS),
and per stack an AWS Backup vault, plan and two selections, one by tag
(``ListOfTags`` + ``Conditions``) and one by ARN (``Fn::GetAtt`` / ``Fn::Join`` of the
resources). Most resources are protected; a few per stack are not, so checkers have
something to find. Output is deterministic for a given seed.

Use it from Python::

    from benchmarks.gen_assembly import generate_assembly
    generate_assembly(Path("/tmp/cdk.out"), stacks=100, resources_per_stack=100)

or from a shell::

    python benchmarks/gen_assembly.py /tmp/cdk.out --stacks 100 --resources 100
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

__all__ = ["generate_assembly", "generate_template"]

_ENVIRONMENTS = ("prod", "staging", "dev")


def _stateless(kind: int, name: str, stack: str) -> dict[str, Any]:
    """One stateless resource (kind cycles through a realistic set)."""
    meta = {"aws:cdk:path": f"{stack}/{name}/Resource"}
    choices: list[dict[str, Any]] = [
        {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": [
                        {
                            "Action": "sts:AssumeRole",
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                        }
                    ],
                    "Version": "2012-10-17",
                },
                "ManagedPolicyArns": [
                    {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                {"Ref": "AWS::Partition"},
                                ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                            ],
                        ]
                    }
                ],
            },
        },
        {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Code": {"ZipFile": "def handler(event, context):\n    return event\n"},
                "Handler": "index.handler",
                "Runtime": "python3.12",
                "MemorySize": 256,
                "Timeout": 30,
                "Environment": {"Variables": {"STAGE": "x", "TABLE": name}},
            },
        },
        {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "EvaluationPeriods": 1,
                "MetricName": "Errors",
                "Namespace": "AWS/Lambda",
                "Period": 300,
                "Statistic": "Sum",
                "Threshold": 1,
            },
        },
        {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": name}},
        {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {
                "GroupDescription": f"{stack}/{name}",
                "SecurityGroupEgress": [
                    {"CidrIp": "0.0.0.0/0", "Description": "all out", "IpProtocol": "-1"}
                ],
                "VpcId": "vpc-12345678",
            },
        },
        {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "s3:GetObject"],
                            "Effect": "Allow",
                            "Resource": "*",
                        }
                    ],
                    "Version": "2012-10-17",
                },
                "PolicyName": f"{name}Policy",
                "Roles": [{"Ref": "Role0"}],
            },
        },
        {
            "Type": "AWS::Events::Rule",
            "Properties": {"ScheduleExpression": "rate(5 minutes)", "State": "ENABLED"},
        },
    ]
    body = choices[kind % len(choices)]
    body["Metadata"] = meta
    return body


def _tags(environment: str, backup: bool) -> list[dict[str, str]]:
    tags = [
        {"Key": "lattice:environment", "Value": environment},
        {"Key": "team", "Value": "payments"},
    ]
    if backup:
        tags.append({"Key": "lattice:backup", "Value": "true"})
    return tags


def _stateful(
    kind: int, name: str, stack: str, environment: str, protected: bool
) -> dict[str, Any]:
    """One stateful resource; ``protected`` decides whether it follows the policy."""
    keep = "Retain" if protected else "Delete"
    body: dict[str, Any]
    if kind == 0:
        body = {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
                    ]
                },
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "VersioningConfiguration": {"Status": "Enabled" if protected else "Suspended"},
                "Tags": _tags(environment, backup=True),
            },
        }
    elif kind == 1:
        body = {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "BillingMode": "PAY_PER_REQUEST",
                "DeletionProtectionEnabled": protected,
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": protected},
                "Tags": _tags(environment, backup=True),
            },
        }
    elif kind == 2:
        keep = "Snapshot" if protected else "Delete"
        body = {
            "Type": "AWS::RDS::DBInstance",
            "Properties": {
                "DBInstanceClass": "db.t4g.micro",
                "Engine": "postgres",
                "AllocatedStorage": "20",
                "BackupRetentionPeriod": 7 if protected else 0,
                "DeletionProtection": protected,
                "StorageEncrypted": True,
                "Tags": _tags(environment, backup=False),
            },
        }
    elif kind == 3:
        body = {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {"RetentionInDays": 731, "DeletionProtectionEnabled": protected},
        }
    elif kind == 4:
        body = {
            "Type": "AWS::SQS::Queue",
            "Properties": {"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True},
        }
    elif kind == 5:
        body = {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Statement": [
                        {
                            "Action": "kms:*",
                            "Effect": "Allow",
                            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                            "Resource": "*",
                        }
                    ],
                    "Version": "2012-10-17",
                },
            },
        }
    else:
        body = {
            "Type": "AWS::EFS::FileSystem",
            "Properties": {
                "Encrypted": True,
                "FileSystemTags": _tags(environment, backup=True),
            },
        }
    body["DeletionPolicy"] = keep
    body["UpdateReplacePolicy"] = keep
    body["Metadata"] = {"aws:cdk:path": f"{stack}/{name}/Resource"}
    return body


def _air_gapped_copy(days: int) -> dict[str, Any]:
    return {
        "DestinationBackupVaultArn": {"Fn::GetAtt": ["AirGappedVault", "BackupVaultArn"]},
        "Lifecycle": {"DeleteAfterDays": days},
    }


def _restore_selection(stack: str, environment: str, kind: str) -> dict[str, Any]:
    """A restore testing selection of one protected resource type, by environment tag."""
    return {
        "Type": "AWS::Backup::RestoreTestingSelection",
        "Properties": {
            "RestoreTestingPlanName": {"Ref": "RestoreTestingPlan"},
            "RestoreTestingSelectionName": f"{kind}Selection",
            "ProtectedResourceType": kind,
            "IamRoleArn": {"Fn::GetAtt": ["Role0", "Arn"]},
            "ProtectedResourceArns": ["*"],
            "ProtectedResourceConditions": {
                "StringEquals": [
                    {"Key": "aws:ResourceTag/lattice:environment", "Value": environment}
                ]
            },
            "ValidationWindowHours": 1,
        },
        "Metadata": {"aws:cdk:path": f"{stack}/Backup/Restores/{kind}/Resource"},
    }


#: What a restore testing selection calls each restore-testable type the stacks hold.
_RESTORE_TYPES = {
    "AWS::S3::Bucket": "S3",
    "AWS::DynamoDB::Table": "DynamoDB",
    "AWS::RDS::DBInstance": "RDS",
    "AWS::EFS::FileSystem": "EFS",
}
#: Backup resources each stack ends with, at most (vault, air-gapped vault, plan, two
#: selections, restore testing plan and one restore selection per type).
_BACKUP_RESOURCES = 6 + len(_RESTORE_TYPES)


def _backup(stack: str, environment: str, arn_targets: list[str]) -> dict[str, Any]:
    """A vault, an air-gapped vault, a plan with daily/weekly/monthly rules and copies,
    two selections (the one by ARN only when the stack has RDS instances to name) and a
    restore testing plan (its selections come with the stack's types)."""
    vault_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
                "Resource": "*",
            }
        ],
    }
    rules: list[dict[str, Any]] = [
        {
            "RuleName": "Daily",
            "ScheduleExpression": "cron(0 5 * * ? *)",
            "TargetBackupVault": {"Ref": "BackupVault"},
            "Lifecycle": {"DeleteAfterDays": 35},
            "CopyActions": [
                {
                    "DestinationBackupVaultArn": "arn:aws:backup:eu-west-1:123456789012:"
                    "backup-vault:dr",
                    "Lifecycle": {"DeleteAfterDays": 35},
                },
                _air_gapped_copy(35),
            ],
        },
        {
            "RuleName": "Weekly",
            "ScheduleExpression": "cron(0 5 ? * SAT *)",
            "TargetBackupVault": {"Ref": "BackupVault"},
            "Lifecycle": {"DeleteAfterDays": 365},
        },
        {
            "RuleName": "Monthly",
            "ScheduleExpression": "cron(0 5 1 * ? *)",
            "TargetBackupVault": {"Ref": "BackupVault"},
            "Lifecycle": {"DeleteAfterDays": 2555, "MoveToColdStorageAfterDays": 90},
            "CopyActions": [_air_gapped_copy(2555)],
        },
    ]
    resources: dict[str, Any] = {
        "BackupVault": {
            "Type": "AWS::Backup::BackupVault",
            "Properties": {"BackupVaultName": f"{stack}-vault", "AccessPolicy": vault_policy},
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Metadata": {"aws:cdk:path": f"{stack}/Backup/Vault/Resource"},
        },
        "AirGappedVault": {
            "Type": "AWS::Backup::LogicallyAirGappedBackupVault",
            "Properties": {
                "BackupVaultName": f"{stack}-air-gapped",
                "MinRetentionDays": 30,
                "MaxRetentionDays": 2555,
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Metadata": {"aws:cdk:path": f"{stack}/Backup/AirGapped/Resource"},
        },
        "RestoreTestingPlan": {
            "Type": "AWS::Backup::RestoreTestingPlan",
            "Properties": {
                "RestoreTestingPlanName": f"{stack}Restores",
                "ScheduleExpression": "cron(0 7 2 * ? *)",
                "RecoveryPointSelection": {
                    "Algorithm": "LATEST_WITHIN_WINDOW",
                    "IncludeVaults": ["*"],
                    "RecoveryPointTypes": ["SNAPSHOT"],
                    "SelectionWindowDays": 31,
                },
            },
            "Metadata": {"aws:cdk:path": f"{stack}/Backup/Restores/Resource"},
        },
        "BackupPlan": {
            "Type": "AWS::Backup::BackupPlan",
            "Properties": {
                "BackupPlan": {"BackupPlanName": f"{stack}-plan", "BackupPlanRule": rules}
            },
            "Metadata": {"aws:cdk:path": f"{stack}/Backup/Plan/Resource"},
        },
        "BackupSelectionTags": {
            "Type": "AWS::Backup::BackupSelection",
            "Properties": {
                "BackupPlanId": {"Fn::GetAtt": ["BackupPlan", "BackupPlanId"]},
                "BackupSelection": {
                    "IamRoleArn": {"Fn::GetAtt": ["Role0", "Arn"]},
                    "SelectionName": "by-tag",
                    "ListOfTags": [
                        {
                            "ConditionType": "STRINGEQUALS",
                            "ConditionKey": "lattice:backup",
                            "ConditionValue": "true",
                        }
                    ],
                    "Conditions": {
                        "StringEquals": [
                            {
                                "ConditionKey": "aws:ResourceTag/lattice:environment",
                                "ConditionValue": environment,
                            }
                        ]
                    },
                },
            },
            "Metadata": {"aws:cdk:path": f"{stack}/Backup/Plan/ByTag/Resource"},
        },
        "BackupSelectionArns": {
            "Type": "AWS::Backup::BackupSelection",
            "Properties": {
                "BackupPlanId": {"Fn::GetAtt": ["BackupPlan", "BackupPlanId"]},
                "BackupSelection": {
                    "IamRoleArn": {"Fn::GetAtt": ["Role0", "Arn"]},
                    "SelectionName": "by-arn",
                    "Resources": [
                        {
                            "Fn::Join": [
                                "",
                                [
                                    "arn:",
                                    {"Ref": "AWS::Partition"},
                                    ":rds:",
                                    {"Ref": "AWS::Region"},
                                    ":",
                                    {"Ref": "AWS::AccountId"},
                                    ":db:",
                                    {"Ref": target},
                                ],
                            ]
                        }
                        for target in arn_targets
                    ],
                },
            },
            "Metadata": {"aws:cdk:path": f"{stack}/Backup/Plan/ByArn/Resource"},
        },
    }
    if not arn_targets:
        # An empty Resources list would select every resource of the account.
        del resources["BackupSelectionArns"]
    return resources


def generate_template(
    stack: str,
    *,
    resources: int,
    environment: str,
    rng: random.Random,
    stateful_share: float = 0.25,
    unprotected_share: float = 0.05,
) -> dict[str, Any]:
    """One stack's template with exactly ``resources`` resources (at least 6)."""
    body: dict[str, dict[str, Any]] = {"Role0": _stateless(0, "Role0", stack)}
    rds: list[str] = []
    # The backup resources are added at the end, then stateless ones up to the count;
    # the role above is one more.
    for i in range(1, max(resources - _BACKUP_RESOURCES, 1)):
        if rng.random() < stateful_share:
            kind = rng.randrange(7)
            name = f"Data{i}"
            body[name] = _stateful(
                kind, name, stack, environment, protected=rng.random() >= unprotected_share
            )
            if kind == 2:
                rds.append(name)
        else:
            name = f"Res{i}"
            body[name] = _stateless(rng.randrange(7), name, stack)
    body.update(_backup(stack, environment, rds))
    kinds = sorted({_RESTORE_TYPES.get(r["Type"]) or "" for r in body.values()} - {""})
    for kind in kinds:
        body[f"Restore{kind}"] = _restore_selection(stack, environment, kind)
    i = len(body)
    while len(body) < resources:
        body[f"Res{i}"] = _stateless(rng.randrange(7), f"Res{i}", stack)
        i += 1
    return {
        "Description": f"{stack} (generated by benchmarks/gen_assembly.py)",
        "Metadata": {"lattice:environment": environment},
        "Resources": body,
        "Parameters": {
            "BootstrapVersion": {
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": "/cdk-bootstrap/hnb659fds/version",
            }
        },
    }


def generate_assembly(
    out_dir: Path,
    *,
    stacks: int = 100,
    resources_per_stack: int = 100,
    seed: int = 0,
    environments: tuple[str, ...] = _ENVIRONMENTS,
    stateful_share: float = 0.25,
    unprotected_share: float = 0.05,
) -> Path:
    """Write a cloud assembly (``manifest.json`` + one template per stack) to ``out_dir``.

    Stack ``i`` gets environment ``environments[i % len(environments)]`` as a manifest
    stack tag, template metadata and resource tags, as Lattice's constructs write them.
    Prod stacks have termination protection. Returns ``out_dir``.
    """
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    artifacts: dict[str, Any] = {}
    for i in range(stacks):
        name = f"Stack{i:04d}"
        environment = environments[i % len(environments)]
        template = generate_template(
            name,
            resources=resources_per_stack,
            environment=environment,
            rng=rng,
            stateful_share=stateful_share,
            unprotected_share=unprotected_share,
        )
        template_file = f"{name}.template.json"
        (out_dir / template_file).write_text(json.dumps(template, indent=1), encoding="utf-8")
        artifacts[name] = {
            "type": "aws:cloudformation:stack",
            "environment": "aws://123456789012/us-east-1",
            "properties": {
                "templateFile": template_file,
                "terminationProtection": environment == "prod",
                "tags": {"lattice:environment": environment},
                "stackName": name,
            },
            "displayName": name,
        }
    manifest = {"version": "48.0.0", "artifacts": artifacts}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--stacks", type=int, default=100)
    parser.add_argument("--resources", type=int, default=100, help="resources per stack")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate_assembly(
        args.out_dir, stacks=args.stacks, resources_per_stack=args.resources, seed=args.seed
    )
    print(f"{args.out_dir}: {args.stacks} stacks x {args.resources} resources")


if __name__ == "__main__":
    main()
