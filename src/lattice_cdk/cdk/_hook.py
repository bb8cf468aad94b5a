"""``LatticeGuardHook``: the Guard Hooks that run ``lattice guard-rules`` output
server-side, on every stack and change-set operation of the environments' stacks.

The rules go into a versioned, retained, encrypted, SSL-only bucket (uploaded at
deploy time by a ``BucketDeployment``, zipped as one bundle); an execution role that
trusts ``hooks.cloudformation.amazonaws.com`` reads them; one
``AWS::CloudFormation::GuardHook`` per environment filters to that environment's
stacks and fails the operation (``FailureMode: FAIL``) when a rule fails. The hooks'
properties come from :func:`lattice_cdk.enforce.hook_properties`, the same as
``lattice guard-rules --hook-template`` writes.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Fn, RemovalPolicy
from aws_cdk import aws_cloudformation as cloudformation
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3_deployment
from constructs import Construct

from ..enforce import HOOK_SERVICE_PRINCIPAL, hook_properties, hook_specs, read_index

__all__ = ["LatticeGuardHook"]

#: Where the bundle lands in the bucket.
RULES_PREFIX = "lattice/guard-rules/"


class LatticeGuardHook(Construct):
    """Guard Hooks enforcing the rules ``lattice guard-rules`` wrote into ``rules_dir``.

    Example::

        # lattice guard-rules cdk.out --output-dir guard-rules   (then synth again)
        LatticeGuardHook(hooks_stack, "Guard", rules_dir="guard-rules")

    Deploy it in each account and region whose stacks it guards (or use
    ``lattice guard-rules --hook-template`` with a StackSet for an organization).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        rules_dir: str | Path,
        alias_prefix: str = "Lattice::Guard",
    ) -> None:
        """Create the bucket, the upload, the execution role and the hooks.

        :param rules_dir: the folder ``lattice guard-rules --output-dir`` wrote (its
            ``lattice-guard.json`` names the stacks and environments).
        :param alias_prefix: the hooks' type-name alias before the environment.
            Default: ``Lattice::Guard`` (``Lattice::Guard::Prod``...).
        :raises lattice_cdk.InputError: when ``rules_dir`` holds no guard-rules index.
        """
        super().__init__(scope, id)
        folder = Path(rules_dir)
        index = read_index(folder)
        self.specs = hook_specs(index, alias_prefix=alias_prefix)
        #: The rules bucket: versioned and retained, so a rule set is never lost and the
        #: hook's execution role can always read what it ran.
        self.bucket = s3.Bucket(
            self,
            "Rules",
            versioned=True,
            removal_policy=RemovalPolicy.RETAIN,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        )
        self.upload = s3_deployment.BucketDeployment(
            self,
            "Upload",
            sources=[s3_deployment.Source.asset(str(folder), exclude=["*", "!*.guard"])],
            destination_bucket=self.bucket,
            destination_key_prefix=RULES_PREFIX,
            extract=False,
            prune=False,  # earlier bundles stay: a running hook may still read one
            retain_on_delete=True,
        )
        key = Fn.select(0, self.upload.object_keys)
        # An inline policy (not grant_read's separate Policy resource): the hooks'
        # GetAtt on the role then orders them after their permissions too.
        self.role = iam.Role(
            self,
            "ExecutionRole",
            assumed_by=iam.ServicePrincipal(HOOK_SERVICE_PRINCIPAL),
            description="Lets Lattice's Guard Hooks read their rules.",
            inline_policies={
                "ReadGuardRules": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(
                            actions=["s3:GetObject", "s3:GetObjectVersion"],
                            resources=[self.bucket.arn_for_objects(f"{RULES_PREFIX}*")],
                        ),
                        iam.PolicyStatement(
                            actions=["s3:ListBucket"], resources=[self.bucket.bucket_arn]
                        ),
                    ]
                )
            },
        )
        self.hooks: dict[str, cloudformation.CfnGuardHook] = {}
        for spec in self.specs:
            props = hook_properties(
                spec,
                rule_uri=f"s3://{self.bucket.bucket_name}/{RULES_PREFIX}{key}",
                role_arn=self.role.role_arn,
            )
            hook = cloudformation.CfnGuardHook(
                self,
                f"Hook{spec.id_suffix}",
                alias=props["Alias"],
                execution_role=props["ExecutionRole"],
                failure_mode=props["FailureMode"],
                hook_status=props["HookStatus"],
                rule_location=cloudformation.CfnGuardHook.S3LocationProperty(
                    uri=props["RuleLocation"]["Uri"]
                ),
                target_operations=props["TargetOperations"],
            )
            # The filters as the plain template writes them (one definition for both).
            hook.add_property_override("TargetFilters", props["TargetFilters"])
            hook.add_property_override("StackFilters", props["StackFilters"])
            self.hooks[spec.environment] = hook
