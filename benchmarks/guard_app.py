"""A plain aws-cdk-lib app of about 1,500 resources, for benchmarking the guard.

Nothing in it uses Lattice constructs: buckets, queues, tables, KMS keys, log groups,
topics, roles, parameters and per stack a VPC, an EFS file system and an RDS instance,
about half of the resources stateful. Run as ``python benchmarks/guard_app.py``.

Environment variables:

* ``LATTICE_BENCH_RESOURCES``: resources to aim for. Default: 1500.
* ``LATTICE_BENCH_GUARD``: ``1`` applies ``StatefulnessGuard`` (prod, with backup
  enrolment) and the Lattice validation plugin. Default: ``0``.
* ``LATTICE_BENCH_BACKUP``: ``1`` creates the prod ``BackupManager`` (vault, plans, DR
  copy) in the first stack even without the guard, so that a baseline holds the backup
  resources the guarded app must add. Default: ``0``.
* ``LATTICE_BENCH_OUTDIR``: where to write the cloud assembly. Default: a temp dir.
* ``CDK_VALIDATION``: aws-cdk-lib's built-in validator; set it the same way in the
  runs you compare (``bench_guard.py`` does).
"""

from __future__ import annotations

import os
import tempfile

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm

#: Resources one "unit" below creates (5 of them stateful).
UNIT_RESOURCES = 10
#: Units per stack: about 150 resources a stack plus its VPC, EFS and RDS (~25).
UNITS_PER_STACK = 15


def add_unit(stack: cdk.Stack, n: int) -> None:
    """Ten resources: five stateful, five not."""
    s3.Bucket(stack, f"Bucket{n}")
    sqs.Queue(stack, f"Queue{n}")
    dynamodb.Table(
        stack,
        f"Table{n}",
        partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
    )
    kms.Key(stack, f"Key{n}")
    logs.LogGroup(stack, f"Logs{n}")
    sns.Topic(stack, f"Topic{n}")
    role = iam.Role(stack, f"Role{n}", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["sns:Publish"], resources=["*"]))
    ssm.StringParameter(stack, f"Param{n}", string_value=f"value-{n}")
    ssm.StringParameter(stack, f"Param{n}b", string_value=f"other-{n}")


def add_data_tier(stack: cdk.Stack) -> None:
    """A VPC with isolated subnets, an EFS file system and a PostgreSQL instance."""
    isolated = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
    )
    efs.FileSystem(stack, "Files", vpc=vpc, vpc_subnets=isolated)
    rds.DatabaseInstance(
        stack,
        "Database",
        engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16),
        vpc=vpc,
        vpc_subnets=isolated,
    )


def build(resources: int) -> cdk.App:
    """The app, with about ``resources`` resources."""
    outdir = os.environ.get("LATTICE_BENCH_OUTDIR") or tempfile.mkdtemp(prefix="guard-bench-")
    app = cdk.App(outdir=outdir)
    units = max(1, resources // UNIT_RESOURCES)
    stack: cdk.Stack | None = None
    for n in range(units):
        if n % UNITS_PER_STACK == 0:
            stack = cdk.Stack(app, f"Service{n // UNITS_PER_STACK}")
            add_data_tier(stack)
        assert stack is not None
        add_unit(stack, n)
    return app


def add_backup(app: cdk.App) -> None:
    """The prod BackupManager the guard enrols into, in the first stack.

    Prod expects a cross-region copy: the manager gets a DR region, as a real prod app's
    would.
    """
    from lattice_cdk.cdk import BackupManager

    first = next(c for c in app.node.children if isinstance(c, cdk.Stack))
    BackupManager(first, "LatticeBackup", environment="prod", dr_region="us-west-2")


def protect(app: cdk.App, *, backup: bool = True) -> None:
    """The guard (with backup enrolment) and the Lattice validation plugin.

    :param backup: also add the BackupManager (:func:`add_backup`).
    """
    from lattice_cdk.cdk._guard import StatefulnessGuard
    from lattice_cdk.cdk._plugin import LatticeValidationPlugin

    if backup:
        add_backup(app)
    # The plugin judges every rule, the guard's four included, so the guard's own
    # template check is left off (docs/guard.md recommends this pairing).
    StatefulnessGuard.apply(app, environment="prod", enrol_backups=True, fail_synth=False)
    cdk.Validations.of(app).add_plugins(LatticeValidationPlugin(environment="prod"))


def main() -> None:
    app = build(int(os.environ.get("LATTICE_BENCH_RESOURCES", "1500")))
    backup = os.environ.get("LATTICE_BENCH_BACKUP") == "1"
    if backup:
        add_backup(app)
    if os.environ.get("LATTICE_BENCH_GUARD") == "1":
        protect(app, backup=not backup)
    app.synth()


if __name__ == "__main__":
    main()
