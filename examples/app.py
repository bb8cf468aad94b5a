"""The Lattice example app: one data stack per environment, dev to prod.

Run it as a CDK app (``python app.py`` or ``npx aws-cdk synth``) or import
:func:`build_app` (the demo and the end-to-end tests do).

Each Stage (``Dev``, ``Staging``, ``Prod``) holds a ``Network`` stack (the VPC) and a
``Data`` stack with:

* ``Critical``   a LatticeBucket: retained and backed up in prod;
* ``Compliance`` a LatticeBucket with ``force_retain`` and 7-year backups: retained
  in every environment, dev included;
* ``Orders``     a LatticeDatabase (RDS PostgreSQL): SNAPSHOT, deletion protection;
* ``Sessions``   a LatticeTable (DynamoDB): RETAIN, PITR, deletion protection;
* ``Uploads``    a plain ``s3.Bucket`` that no Lattice construct wraps: the
  StatefulnessGuard protects it and enrols it in backups by tag.

Prod's backup manager also restore-tests the database, the buckets and the table every
month and copies the daily and monthly backups to an air-gapped vault
(docs/recovery.md). Prod also gets a ``DisasterRecovery`` stack in a second region
holding the vault that prod's backups are copied to.

Context ``demo:refactor=true`` moves prod's critical bucket under a new ``Storage``
construct: the kind of refactor that changes a logical id, which ``lattice diff``
catches (see ``make demo``).
"""

from __future__ import annotations

import os
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from constructs import Construct

from lattice_cdk import (
    BackupManager,
    DisasterRecoveryVault,
    LatticeBucket,
    LatticeDatabase,
    LatticeTable,
    StatefulnessGuard,
    create_statefulness_policy,
)

PRIMARY_REGION = "us-east-1"
DR_REGION = "us-west-2"
ENVIRONMENTS = (("Dev", "dev"), ("Staging", "staging"), ("Prod", "prod"))


class DataStack(cdk.Stack):
    """The stateful heart of the example: buckets, a database and a table."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        environment: str,
        vpc: ec2.IVpc,
        refactored: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        policy = create_statefulness_policy(environment=environment)
        if policy.cross_region_copy:
            # Prod copies every recovery point to the DR region's vault (DisasterRecovery).
            # The stack's one manager is configured before the first Lattice construct.
            BackupManager.of(self, environment=environment).configure(dr_region=DR_REGION)

        # The refactor the demo stages: moving the bucket under a new construct changes
        # its logical id, which CloudFormation would treat as delete + create.
        home: Construct = Construct(self, "Storage") if refactored else self
        self.critical = LatticeBucket(
            home, "Critical", name="critical-data", environment=environment
        )
        self.compliance = LatticeBucket(
            self,
            "Compliance",
            name="compliance-archive",
            environment=environment,
            force_retain=True,
            backup_retention_days=2555,
        )
        self.orders = LatticeDatabase(
            self,
            "Orders",
            name="orders",
            vpc=vpc,
            environment=environment,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
        )
        tests = BackupManager.of(self).restore_testing if policy.restore_testing else None
        subnets = self.orders.node.try_find_child("SubnetGroup")
        if tests is not None and isinstance(subnets, rds.SubnetGroup):
            # Prod restore-tests every month (docs/recovery.md); a restored database goes
            # into the database's own subnet group, not a default VPC the account lacks.
            tests.override("RDS", "dbsubnetgroupname", subnets.subnet_group_name)
        self.sessions = LatticeTable(
            self,
            "Sessions",
            name="sessions",
            environment=environment,
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
        )
        # Plain aws-cdk-lib, as most real apps are: the guard makes it safe.
        self.uploads = s3.Bucket(
            self,
            "Uploads",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=policy.versioning,
        )


class NetworkStack(cdk.Stack):
    """The VPC the database lives in, kept apart from the data (it holds none)."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
                )
            ],
        )


class EnvironmentStage(cdk.Stage):
    """One environment: its data stack (and, where DR is expected, the DR vault)."""

    def __init__(
        self, scope: Construct, id: str, *, environment: str, refactored: bool = False
    ) -> None:
        super().__init__(scope, id)
        policy = create_statefulness_policy(environment=environment)
        primary = cdk.Environment(region=PRIMARY_REGION)
        self.network = NetworkStack(self, "Network", env=primary, synthesizer=_synthesizer())
        self.data = DataStack(
            self,
            "Data",
            environment=environment,
            vpc=self.network.vpc,
            refactored=refactored,
            env=primary,
            synthesizer=_synthesizer(),
            termination_protection=policy.termination_protection,
        )
        if policy.cross_region_copy:
            dr = cdk.Stack(
                self,
                "DisasterRecovery",
                env=cdk.Environment(region=DR_REGION),
                synthesizer=_synthesizer(),
                termination_protection=policy.termination_protection,
            )
            DisasterRecoveryVault(dr, "Vault", environment=environment)
        StatefulnessGuard.apply(self, environment=environment, enrol_backups=True)


def _synthesizer() -> cdk.DefaultStackSynthesizer:
    # No bootstrap-version rule: the templates also deploy to a local CloudFormation
    # engine (moto) in the end-to-end tests, which has no bootstrap parameter.
    return cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False)


def build_app(*, outdir: str | None = None, context: dict[str, Any] | None = None) -> cdk.App:
    """The example app, with every environment's stage."""
    app = cdk.App(outdir=outdir, context=context)
    refactored = str(app.node.try_get_context("demo:refactor")).lower() == "true"
    for stage_id, environment in ENVIRONMENTS:
        EnvironmentStage(
            app,
            stage_id,
            environment=environment,
            refactored=refactored and environment == "prod",
        )
    return app


if __name__ == "__main__":
    build_app(outdir=os.environ.get("CDK_OUTDIR", "cdk.out")).synth()
