"""One-off author of the corpus inputs (kept for reference; the JSON files are the truth).

python tests/changes/make_corpus_inputs.py   # writes tests/changes/corpus/*/old|new
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).with_name("corpus")


def res(t: str, props: dict[str, Any] | None = None, **attrs: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"Type": t}
    if props is not None:
        body["Properties"] = props
    body.update(attrs)
    return body


def tpl(resources: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**extra, "Resources": resources}


RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
BUCKET = res("AWS::S3::Bucket", {"VersioningConfiguration": {"Status": "Enabled"}}, **RETAIN)
TABLE = res(
    "AWS::DynamoDB::Table",
    {
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "DeletionProtectionEnabled": True,
    },
    **RETAIN,
)
DB = res(
    "AWS::RDS::DBInstance",
    {
        "DBInstanceClass": "db.t3.micro",
        "Engine": "postgres",
        "AllocatedStorage": "20",
        "DBInstanceIdentifier": "orders-db",
        "DeletionProtection": True,
        "BackupRetentionPeriod": 7,
        "StorageEncrypted": True,
    },
    DeletionPolicy="Snapshot",
    UpdateReplacePolicy="Snapshot",
)
LOCK = {
    "ObjectLockEnabled": True,
    "ObjectLockConfiguration": {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 365}},
    },
}
ROLE = res(
    "AWS::IAM::Role",
    {"AssumeRolePolicyDocument": {"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow"}]}},
)


def with_props(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    out.setdefault("Properties", {}).update(changes)
    return out


def without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    out = copy.deepcopy(body)
    for k in keys:
        out.pop(k, None)
    return out


VAULT = res(
    "AWS::Backup::BackupVault",
    {
        "BackupVaultName": "app-vault",
        "LockConfiguration": {"MinRetentionDays": 30},
        "AccessPolicy": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": {"AWS": "*"},
                    "Action": ["backup:DeleteRecoveryPoint"],
                    "Resource": "*",
                }
            ],
        },
    },
    **RETAIN,
)
PLAN = res(
    "AWS::Backup::BackupPlan",
    {
        "BackupPlan": {
            "BackupPlanName": "app",
            "BackupPlanRule": [
                {
                    "RuleName": "Daily",
                    "TargetBackupVault": "app-vault",
                    "Lifecycle": {"DeleteAfterDays": 35},
                },
                {
                    "RuleName": "Monthly",
                    "TargetBackupVault": "app-vault",
                    "Lifecycle": {"DeleteAfterDays": 2555, "MoveToColdStorageAfterDays": 90},
                },
            ],
        }
    },
)


def selection(resources: list[Any] | None = None, tags: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"SelectionName": "app", "IamRoleArn": "arn:aws:iam::1:role/b"}
    if resources is not None:
        body["Resources"] = resources
    if tags:
        body["ListOfTags"] = [
            {
                "ConditionType": "STRINGEQUALS",
                "ConditionKey": "lattice:backup",
                "ConditionValue": "true",
            }
        ]
    return res(
        "AWS::Backup::BackupSelection",
        {"BackupPlanId": {"Ref": "Plan"}, "BackupSelection": body},
    )


TAGGED_TABLE = with_props(TABLE, Tags=[{"Key": "lattice:backup", "Value": "true"}])

CASES: dict[str, tuple[Any, Any]] = {
    # -- data lost or at risk -------------------------------------------------------
    "removed_default_policy": (
        tpl({"Queue": res("AWS::SQS::Queue"), "Role": ROLE}),
        tpl({"Role": ROLE}),
    ),
    "removed_retained": (tpl({"Bucket": BUCKET}), tpl({})),
    "removed_snapshot_honoured": (tpl({"Db": DB}), tpl({"Role": ROLE})),
    "removed_snapshot_ignored_by_s3": (
        tpl({"Bucket": res("AWS::S3::Bucket", DeletionPolicy="Snapshot")}),
        tpl({"Role": ROLE}),
    ),
    "renamed_by_refactor": (
        tpl(
            {
                "DataBucketE3889A50": with_props(
                    BUCKET,
                    BucketEncryption={
                        "ServerSideEncryptionConfiguration": [
                            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
                        ]
                    },
                )
                | {"Metadata": {"aws:cdk:path": "App/Data/Resource"}}
            }
        ),
        tpl(
            {
                "StorageDataBucket9F3A21C4": with_props(
                    BUCKET,
                    BucketEncryption={
                        "ServerSideEncryptionConfiguration": [
                            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
                        ]
                    },
                )
                | {"Metadata": {"aws:cdk:path": "App/Storage/Data/Resource"}}
            }
        ),
    ),
    "renamed_table_and_unrelated_add": (
        tpl({"OrdersTable": TABLE}),
        tpl(
            {
                "OrdersTableV2": TABLE,
                "Audit": res("AWS::SQS::Queue", {"QueueName": "audit", "FifoQueue": True}),
            }
        ),
    ),
    "replaced_bucket_name": (
        tpl({"Bucket": with_props(BUCKET, BucketName="data-2025")}),
        tpl({"Bucket": with_props(BUCKET, BucketName="data-2026")}),
    ),
    "replaced_name_added": (
        tpl({"Bucket": BUCKET}),
        tpl({"Bucket": with_props(BUCKET, BucketName="data")}),
    ),
    "replaced_type_change": (
        tpl({"Store": TABLE}),
        tpl(
            {
                "Store": res(
                    "AWS::DynamoDB::GlobalTable",
                    {
                        "KeySchema": TABLE["Properties"]["KeySchema"],
                        "Replicas": [{"Region": "us-east-1"}],
                    },
                )
            }
        ),
    ),
    "replaced_efs_performance_mode": (
        tpl({"Fs": res("AWS::EFS::FileSystem", {"PerformanceMode": "generalPurpose"}, **RETAIN)}),
        tpl({"Fs": res("AWS::EFS::FileSystem", {"PerformanceMode": "maxIO"}, **RETAIN)}),
    ),
    "replaced_rds_encryption": (
        tpl({"Db": DB}),
        tpl({"Db": with_props(DB, StorageEncrypted="false")}),
    ),
    "may_replace_key_schema": (
        tpl({"Table": TABLE}),
        tpl({"Table": with_props(TABLE, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])}),
    ),
    "may_replace_intrinsic_name": (
        tpl({"Bucket": with_props(BUCKET, BucketName="app-data")}),
        tpl({"Bucket": with_props(BUCKET, BucketName={"Fn::Sub": "app-data-${AWS::Region}"})}),
    ),
    "may_replace_parameter_changed": (
        tpl(
            {"Table": with_props(TABLE, TableName={"Ref": "TableName"})},
            Parameters={"TableName": {"Type": "String", "Default": "orders"}},
        ),
        tpl(
            {"Table": with_props(TABLE, TableName={"Ref": "TableName"})},
            Parameters={"TableName": {"Type": "String", "Default": "orders-v2"}},
        ),
    ),
    "may_replace_referenced_resource_replaced": (
        tpl(
            {
                "SubnetGroup": res(
                    "AWS::RDS::DBSubnetGroup",
                    {
                        "DBSubnetGroupName": "orders",
                        "DBSubnetGroupDescription": "db",
                        "SubnetIds": ["subnet-1", "subnet-2"],
                    },
                ),
                "Db": with_props(DB, DBSubnetGroupName={"Ref": "SubnetGroup"}),
            }
        ),
        tpl(
            {
                "SubnetGroup": res(
                    "AWS::RDS::DBSubnetGroup",
                    {
                        "DBSubnetGroupName": "orders-v2",
                        "DBSubnetGroupDescription": "db",
                        "SubnetIds": ["subnet-1", "subnet-2"],
                    },
                ),
                "Db": with_props(DB, DBSubnetGroupName={"Ref": "SubnetGroup"}),
            }
        ),
    ),
    "became_conditional": (
        tpl({"Bucket": BUCKET}),
        tpl(
            {"Bucket": BUCKET | {"Condition": "IsProd"}},
            Conditions={"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
            Parameters={"Env": {"Type": "String"}},
        ),
    ),
    "weakened_policies": (
        tpl({"Bucket": BUCKET, "Db": DB}),
        tpl(
            {
                "Bucket": without(BUCKET, "DeletionPolicy", "UpdateReplacePolicy"),
                "Db": DB | {"DeletionPolicy": "Delete"},
            }
        ),
    ),
    "weakened_deletion_protection": (
        tpl({"Db": DB, "Table": TABLE}),
        tpl(
            {
                "Db": with_props(DB, DeletionProtection=False),
                "Table": without(TABLE, "Properties")
                | {
                    "Properties": {
                        k: v
                        for k, v in TABLE["Properties"].items()
                        if k != "DeletionProtectionEnabled"
                    }
                },
            }
        ),
    ),
    "weakened_pitr": (
        tpl({"Table": TABLE}),
        tpl(
            {
                "Table": with_props(
                    TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": "false"}
                )
            }
        ),
    ),
    "weakened_versioning": (
        tpl({"Bucket": BUCKET}),
        tpl({"Bucket": with_props(BUCKET, VersioningConfiguration={"Status": "Suspended"})}),
    ),
    "weakened_backup_selection_by_ref": (
        tpl(
            {
                "Table": TABLE,
                "Plan": PLAN,
                "Selection": selection([{"Fn::GetAtt": ["Table", "Arn"]}]),
            }
        ),
        tpl({"Table": TABLE, "Plan": PLAN}),
    ),
    "weakened_backup_selection_by_tag": (
        tpl({"Table": TAGGED_TABLE, "Plan": PLAN, "Selection": selection(tags=True)}),
        tpl({"Table": TABLE, "Plan": PLAN, "Selection": selection(tags=True)}),
    ),
    "weakened_retention": (
        tpl({"Plan": PLAN}),
        tpl(
            {
                "Plan": {
                    "Type": "AWS::Backup::BackupPlan",
                    "Properties": {
                        "BackupPlan": {
                            "BackupPlanName": "app",
                            "BackupPlanRule": [
                                {
                                    "RuleName": "Daily",
                                    "TargetBackupVault": "app-vault",
                                    "Lifecycle": {"DeleteAfterDays": 7},
                                }
                            ],
                        }
                    },
                }
            }
        ),
    ),
    "weakened_vault": (
        tpl({"Vault": VAULT}),
        tpl({"Vault": with_props(without(VAULT, "Properties"), BackupVaultName="app-vault")}),
    ),
    "acknowledged_replacement": (
        tpl({"Bucket": with_props(BUCKET, BucketName="old-name")}),
        tpl(
            {
                "Bucket": with_props(BUCKET, BucketName="new-name")
                | {
                    "Metadata": {
                        "lattice:acknowledgements": [
                            {"rule_id": "LAT1604", "reason": "empty bucket, renamed before launch"}
                        ]
                    }
                }
            }
        ),
    ),
    # -- safe: must stay silent -----------------------------------------------------
    "safe_tags_changed": (
        tpl({"Bucket": with_props(BUCKET, Tags=[{"Key": "team", "Value": "a"}])}),
        tpl(
            {
                "Bucket": with_props(
                    BUCKET, Tags=[{"Key": "team", "Value": "b"}, {"Key": "cost", "Value": "x"}]
                )
            }
        ),
    ),
    "safe_resources_added": (
        tpl({"Bucket": BUCKET}),
        tpl({"Bucket": BUCKET, "Table": TABLE, "Queue": res("AWS::SQS::Queue"), "Role": ROLE}),
    ),
    "safe_updatable_properties": (
        tpl({"Table": TABLE, "Bucket": BUCKET, "Db": DB}),
        tpl(
            {
                "Table": with_props(
                    TABLE,
                    BillingMode="PROVISIONED",
                    ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                ),
                "Bucket": with_props(
                    BUCKET,
                    LifecycleConfiguration={
                        "Rules": [{"Status": "Enabled", "ExpirationInDays": 365}]
                    },
                ),
                "Db": with_props(DB, DBInstanceClass="db.t3.small", AllocatedStorage="50"),
            }
        ),
    ),
    "safe_stateless_changes": (
        tpl(
            {
                "Role": ROLE,
                "Fn": res("AWS::Lambda::Function", {"Runtime": "python3.12"}),
                "Bucket": BUCKET,
            }
        ),
        tpl(
            {
                "RoleRenamed": ROLE,
                "Bucket": BUCKET,
                "Topic": res("AWS::SNS::Topic", {"TopicName": "x"}),
            }
        ),
    ),
    "safe_stateless_replaced_unreferenced": (
        tpl(
            {
                "Role": with_props(ROLE, RoleName="replicator"),
                "Bucket": with_props(
                    BUCKET,
                    ReplicationConfiguration={
                        "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                        "Rules": [
                            {"Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::dr"}}
                        ],
                    },
                ),
            }
        ),
        tpl(
            {
                "Role": with_props(ROLE, RoleName="replicator-v2"),
                "Bucket": with_props(
                    BUCKET,
                    ReplicationConfiguration={
                        "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                        "Rules": [
                            {"Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::dr"}}
                        ],
                    },
                ),
            }
        ),
    ),
    "safe_same_value_other_spelling": (
        tpl(
            {
                "Cache": res(
                    "AWS::ElastiCache::CacheCluster",
                    {
                        "Engine": "redis",
                        "Port": 6379,
                        "CacheNodeType": "cache.t3.micro",
                        "NumCacheNodes": 1,
                    },
                ),
                "Db": DB,
                "Queue": res("AWS::SQS::Queue", {"FifoQueue": True, "QueueName": "q.fifo"}),
            }
        ),
        tpl(
            {
                "Cache": res(
                    "AWS::ElastiCache::CacheCluster",
                    {
                        "Engine": "redis",
                        "Port": "6379",
                        "CacheNodeType": "cache.t3.micro",
                        "NumCacheNodes": "1",
                    },
                ),
                "Db": with_props(DB, DBInstanceIdentifier="Orders-DB", StorageEncrypted="true"),
                "Queue": res("AWS::SQS::Queue", {"FifoQueue": "true", "QueueName": "q.fifo"}),
            }
        ),
    ),
    # S3 Object Lock (COMPLIANCE) keeps the objects whatever the policies: Retain to
    # Delete loses nothing, and lattice check passes both sides.
    "safe_policies_relaxed_on_a_locked_bucket": (
        tpl({"Bucket": with_props(BUCKET, **LOCK)}),
        tpl(
            {"Bucket": with_props(without(BUCKET, "DeletionPolicy", "UpdateReplacePolicy"), **LOCK)}
        ),
    ),
    # ... but removing the lock from a Delete bucket is a weakening of both policies.
    "weakened_object_lock_removed": (
        tpl(
            {"Bucket": with_props(without(BUCKET, "DeletionPolicy", "UpdateReplacePolicy"), **LOCK)}
        ),
        tpl({"Bucket": without(BUCKET, "DeletionPolicy", "UpdateReplacePolicy")}),
    ),
    # Retain to Snapshot on a type that snapshots keeps the data either way.
    "safe_retain_to_snapshot_on_a_database": (
        tpl({"Db": DB | RETAIN}),
        tpl({"Db": DB}),
    ),
    "safe_policies_strengthened": (
        tpl({"Bucket": without(BUCKET, "DeletionPolicy", "UpdateReplacePolicy"), "Db": DB}),
        tpl({"Bucket": BUCKET, "Db": DB | {"DeletionPolicy": "Retain"}}),
    ),
    "safe_retention_raised_and_selection_kept": (
        tpl(
            {
                "Table": TABLE,
                "Plan": PLAN,
                "Selection": selection([{"Fn::GetAtt": ["Table", "Arn"]}]),
            }
        ),
        tpl(
            {
                "Table": TABLE,
                "Plan": with_props(PLAN),
                "Selection": selection([{"Fn::GetAtt": ["Table", "Arn"]}], tags=True),
            }
        ),
    ),
}

FOLDER_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "stack_removed": (
        {
            "Data": tpl({"Bucket": BUCKET, "Queue": res("AWS::SQS::Queue")}),
            "Api": tpl({"Role": ROLE}),
        },
        {"Api": tpl({"Role": ROLE})},
    ),
    "safe_stack_added": (
        {"Api": tpl({"Role": ROLE})},
        {"Api": tpl({"Role": ROLE}), "Data": tpl({"Bucket": BUCKET})},
    ),
}


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    for name, (old, new) in CASES.items():
        _write(ROOT / name / "old.json", old)
        _write(ROOT / name / "new.json", new)
    for name, (old_stacks, new_stacks) in FOLDER_CASES.items():
        for side, stacks in (("old", old_stacks), ("new", new_stacks)):
            for stack, template in stacks.items():
                _write(ROOT / name / side / f"{stack}.template.json", template)


if __name__ == "__main__":
    main()
