"""LatticeBucket: what each environment synthesizes to, and what it refuses."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template
from constructs import Construct

from lattice_cdk import StatefulnessError, UnknownEnvironmentError
from lattice_cdk.cdk import LatticeBucket

from .stacks import covering_selection, new_stack, only, resources_of, tags_of

AUTO_DELETE = "Custom::S3AutoDeleteObjects"


def bucket_template(environment: str | None, **props: Any) -> Template:
    stack = new_stack()
    LatticeBucket(stack, "Data", name="app-data", environment=environment, **props)
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def prod() -> Template:
    return bucket_template("prod")


@pytest.fixture(scope="module")
def staging() -> Template:
    return bucket_template("staging")


@pytest.fixture(scope="module")
def dev() -> Template:
    return bucket_template("dev")


# -- prod ------------------------------------------------------------------------------


def test_prod_bucket_is_retained_on_delete_and_replacement(prod: Template) -> None:
    found = {k: v for k, v in resources_of(prod, "AWS::S3::Bucket").items() if k.startswith("Data")}
    assert len(found) == 1
    (resource,) = found.values()
    assert resource["DeletionPolicy"] == "Retain"
    assert resource["UpdateReplacePolicy"] == "Retain"


def test_prod_bucket_is_versioned_encrypted_private_and_expires_old_versions(
    prod: Template,
) -> None:
    prod.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {
                        "BucketKeyEnabled": True,
                        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"},
                    }
                ]
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "LifecycleConfiguration": {
                "Rules": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Id": "lattice-noncurrent-expiry",
                                "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                                "Status": "Enabled",
                            }
                        )
                    ]
                )
            },
            "Tags": Match.array_with(
                [
                    {"Key": "lattice:environment", "Value": "prod"},
                    {"Key": "lattice:name", "Value": "app-data"},
                    {"Key": "lattice:protection", "Value": "maximum"},
                ]
            ),
        },
    )


def test_prod_bucket_enforces_ssl(prod: Template) -> None:
    prod.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": Match.string_like_regexp("^Data")},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            },
        },
    )


def test_prod_bucket_never_auto_deletes(prod: Template) -> None:
    prod.resource_count_is(AUTO_DELETE, 0)


def test_prod_bucket_records_lattice_view_in_metadata(prod: Template) -> None:
    prod.has_resource(
        "AWS::S3::Bucket",
        {
            "Metadata": {
                "lattice": {
                    "name": "app-data",
                    "environment": "prod",
                    "protection": "maximum",
                    "removal": "RETAIN",
                    "backups": True,
                    "force_retain": False,
                }
            }
        },
    )


def test_prod_bucket_is_selected_by_tag_with_s3_backup_policies(prod: Template) -> None:
    bucket_id = next(k for k in resources_of(prod, "AWS::S3::Bucket") if k.startswith("Data"))
    selection = covering_selection(prod, bucket_id)
    assert selection is not None
    assert selection["Resources"] == ["*"]  # narrowed by tag conditions, not an ARN
    assert tags_of(prod.to_json()["Resources"][bucket_id])["lattice:backup"] == "prod"
    _, role = only(prod, "AWS::IAM::Role")
    policies = str(role["Properties"]["ManagedPolicyArns"])
    for name in (
        "AWSBackupServiceRolePolicyForS3Backup",
        "AWSBackupServiceRolePolicyForS3Restore",
        "service-role/AWSBackupServiceRolePolicyForBackup",
    ):
        assert name in policies


# -- staging and dev -------------------------------------------------------------------


def test_staging_bucket_is_retained_versioned_and_backed_up(staging: Template) -> None:
    staging.has_resource(
        "AWS::S3::Bucket",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "LifecycleConfiguration": {
                        "Rules": Match.array_with(
                            [
                                Match.object_like(
                                    {"NoncurrentVersionExpiration": {"NoncurrentDays": 14}}
                                )
                            ]
                        )
                    },
                }
            ),
        },
    )
    (bucket_id,) = (k for k in resources_of(staging, "AWS::S3::Bucket") if k.startswith("Data"))
    assert covering_selection(staging, bucket_id) is not None
    staging.resource_count_is(AUTO_DELETE, 0)


def test_dev_bucket_is_destroyed_and_emptied_with_no_backups(dev: Template) -> None:
    _, bucket = only(dev, "AWS::S3::Bucket")
    assert bucket["DeletionPolicy"] == "Delete"
    assert bucket["UpdateReplacePolicy"] == "Delete"
    assert "VersioningConfiguration" not in bucket["Properties"]
    dev.resource_count_is(AUTO_DELETE, 1)
    assert not [
        t for t in dev.to_json()["Resources"].values() if t["Type"].startswith("AWS::Backup::")
    ]
    assert {"Key": "lattice:protection", "Value": "minimal"} in bucket["Properties"]["Tags"]


def test_force_retain_keeps_a_dev_bucket_and_never_empties_it() -> None:
    template = bucket_template("dev", force_retain=True)
    _, bucket = only(template, "AWS::S3::Bucket")
    assert (bucket["DeletionPolicy"], bucket["UpdateReplacePolicy"]) == ("Retain", "Retain")
    template.resource_count_is(AUTO_DELETE, 0)
    assert bucket["Metadata"]["lattice"]["force_retain"] is True


def test_force_retain_in_prod_changes_nothing_unsafe(prod: Template) -> None:
    template = bucket_template("prod", force_retain=True)

    def data(t: Template) -> dict[str, Any]:
        return {k: v for k, v in resources_of(t, "AWS::S3::Bucket").items() if k.startswith("Data")}

    expected = {
        k: {**v, "Metadata": {"lattice": {**v["Metadata"]["lattice"], "force_retain": True}}}
        for k, v in data(prod).items()
    }
    assert data(template) == expected


def test_retention_sets_noncurrent_expiry_and_a_plan_of_that_length() -> None:
    template = bucket_template("prod", backup_retention_days=45)
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LifecycleConfiguration": {
                "Rules": Match.array_with(
                    [Match.object_like({"NoncurrentVersionExpiration": {"NoncurrentDays": 45}})]
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::Backup::BackupPlan",
        {
            "BackupPlan": Match.object_like(
                {
                    "BackupPlanRule": Match.array_with(
                        [
                            Match.object_like(
                                {"RuleName": "Daily", "Lifecycle": {"DeleteAfterDays": 45}}
                            )
                        ]
                    )
                }
            )
        },
    )


def test_user_props_pass_through_and_lifecycle_rules_are_kept() -> None:
    stack = new_stack()
    key = kms.Key(stack, "UserKey")
    LatticeBucket(
        stack,
        "Data",
        name="app-data",
        environment="staging",
        encryption_key=key,
        lifecycle_rules=[
            s3.LifecycleRule(id="tmp", prefix="tmp/", expiration=cdk.Duration.days(3))
        ],
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    Match.object_like(
                        {
                            "ServerSideEncryptionByDefault": {
                                "SSEAlgorithm": "aws:kms",
                                "KMSMasterKeyID": Match.any_value(),
                            }
                        }
                    )
                ]
            },
            "LifecycleConfiguration": {
                "Rules": [
                    Match.object_like({"Id": "tmp", "ExpirationInDays": 3}),
                    Match.object_like({"Id": "lattice-noncurrent-expiry"}),
                ]
            },
        },
    )


def test_explicit_retain_in_dev_is_respected_and_not_emptied() -> None:
    template = bucket_template("dev", removal_policy=cdk.RemovalPolicy.RETAIN)
    _, bucket = only(template, "AWS::S3::Bucket")
    assert bucket["DeletionPolicy"] == "Retain"
    template.resource_count_is(AUTO_DELETE, 0)


def test_environment_comes_from_cdk_context_and_aliases_are_canonical() -> None:
    stack = new_stack(context={"lattice:environment": "production"})
    bucket = LatticeBucket(stack, "Data", name="app-data")
    assert bucket.statefulness_policy.environment == "prod"
    template = Template.from_stack(stack)
    template.has_resource(
        "AWS::S3::Bucket",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {"Tags": Match.array_with([{"Key": "lattice:environment", "Value": "prod"}])}
            ),
        },
    )


# -- the logical-id guarantee ----------------------------------------------------------


@pytest.mark.parametrize("environment", ["prod", "dev"])
def test_adopting_lattice_keeps_the_buckets_logical_id(environment: str) -> None:
    plain = new_stack()
    s3.Bucket(plain, "Data")
    wrapped = new_stack()
    LatticeBucket(wrapped, "Data", name="app-data", environment=environment)
    (plain_id,) = Template.from_stack(plain).find_resources("AWS::S3::Bucket")
    ids = set(Template.from_stack(wrapped).find_resources("AWS::S3::Bucket"))
    assert plain_id in ids
    assert plain_id.startswith("Data")


def test_logical_id_is_kept_inside_a_nested_construct() -> None:
    plain = new_stack()
    s3.Bucket(_group(plain), "Data")
    wrapped = new_stack()
    LatticeBucket(_group(wrapped), "Data", name="app-data", environment="dev")
    (plain_id,) = Template.from_stack(plain).find_resources("AWS::S3::Bucket")
    (wrapped_id,) = Template.from_stack(wrapped).find_resources("AWS::S3::Bucket")
    assert plain_id == wrapped_id


def _group(stack: cdk.Stack) -> Construct:
    return Construct(stack, "Storage")


# -- refused configurations ------------------------------------------------------------


@pytest.mark.parametrize("environment", ["prod", "staging"])
def test_auto_delete_objects_is_refused_where_data_is_kept(environment: str) -> None:
    with pytest.raises(StatefulnessError, match=r"auto_delete_objects=True.*Fix:") as info:
        LatticeBucket(
            new_stack(), "Data", name="d", environment=environment, auto_delete_objects=True
        )
    assert info.value.code == "auto-delete-not-allowed"


@pytest.mark.parametrize("environment", ["prod", "staging"])
def test_destroy_removal_policy_is_refused_where_data_is_kept(environment: str) -> None:
    with pytest.raises(StatefulnessError, match=r"removal_policy='DESTROY'") as info:
        LatticeBucket(
            new_stack(),
            "Data",
            name="d",
            environment=environment,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
    assert info.value.code == "destroy-not-allowed"


def test_unversioned_bucket_is_refused_in_prod() -> None:
    with pytest.raises(StatefulnessError, match=r"versioning=False") as info:
        LatticeBucket(new_stack(), "Data", name="d", environment="prod", versioned=False)
    assert info.value.code == "protection-required"


def test_unversioned_bucket_is_refused_where_aws_backup_needs_it() -> None:
    with pytest.raises(StatefulnessError, match=r"versioned=False.*AWS Backup needs") as info:
        LatticeBucket(new_stack(), "Data", name="d", environment="staging", versioned=False)
    assert info.value.code == "versioning-required"


def test_force_retain_with_auto_delete_is_contradictory() -> None:
    with pytest.raises(StatefulnessError) as info:
        LatticeBucket(
            new_stack(),
            "Data",
            name="d",
            environment="dev",
            force_retain=True,
            auto_delete_objects=True,
        )
    assert info.value.code == "contradictory-overrides"


def test_retention_below_the_floor_is_refused() -> None:
    with pytest.raises(StatefulnessError, match=r"30-day floor") as info:
        LatticeBucket(new_stack(), "Data", name="d", environment="prod", backup_retention_days=7)
    assert info.value.code == "retention-below-floor"


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_logical_name_is_required(name: object) -> None:
    with pytest.raises(StatefulnessError, match=r"name=") as info:
        LatticeBucket(new_stack(), "Data", name=name, environment="dev")  # type: ignore[arg-type]
    assert info.value.code == "invalid-value"


def test_missing_environment_is_an_error_never_dev() -> None:
    with pytest.raises(UnknownEnvironmentError, match=r"lattice:environment") as info:
        LatticeBucket(new_stack(), "Data", name="d")
    assert info.value.code == "missing-environment"


def test_no_physical_name_is_derived_from_the_logical_name(prod: Template) -> None:
    for resource in resources_of(prod, "AWS::S3::Bucket").values():
        assert "BucketName" not in resource["Properties"]
