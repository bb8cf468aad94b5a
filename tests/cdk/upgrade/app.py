"""The upgrade app: every Lattice construct, written with the API both the old
(``Default``-child wrapper) constructs and today's subclasses accept.

``make_fixture.py`` synthesizes it with the constructs of a past commit into ``base/``;
``tests/cdk/test_upgrade.py`` synthesizes it with today's and runs ``lattice diff``.
"""

from __future__ import annotations

import sys

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2

from lattice_cdk import LatticeBucket, LatticeDatabase, LatticeTable

ENVIRONMENTS = ("dev", "staging", "prod")


def build_app(outdir: str) -> cdk.App:
    """One stack per environment holding a bucket, a table, an instance and a cluster."""
    app = cdk.App(outdir=outdir)
    for environment in ENVIRONMENTS:
        stack = cdk.Stack(
            app,
            f"Upgrade-{environment}",
            env=cdk.Environment(account="111122223333", region="us-east-1"),
            synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False),
        )
        vpc = ec2.Vpc(
            stack,
            "Vpc",
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
            ],
        )
        isolated = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        LatticeBucket(stack, "Data", name="app-data", environment=environment)
        LatticeBucket(
            stack,
            "Archive",
            name="archive",
            environment=environment,
            force_retain=True,
            backup_retention_days=365,
        )
        LatticeTable(
            stack,
            "Orders",
            name="orders",
            environment=environment,
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
        )
        LatticeDatabase(
            stack, "Db", name="app-db", environment=environment, vpc=vpc, vpc_subnets=isolated
        )
        LatticeDatabase(
            stack,
            "Aurora",
            name="aurora",
            environment=environment,
            vpc=vpc,
            vpc_subnets=isolated,
            cluster=True,
        )
    return app


if __name__ == "__main__":
    build_app(sys.argv[1]).synth()
