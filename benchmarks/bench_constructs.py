"""Lattice's constructs against plain aws-cdk-lib L2s with the same protections.

Runs one prod stack of N buckets and N tables (default 60 + 60) as a whole
``python app.py`` process in three flavours, alternating them so machine noise hits
all alike:

- ``empty``: the same imports and an empty stack (the fixed cost of a CDK process);
- ``plain``: ``s3.Bucket`` / ``dynamodb.Table`` given by hand what Lattice gives in prod
  (retain, versioning, KMS, public access blocked, SSL, lifecycle, PITR 35 days,
  deletion protection, tags), plus a vault, plan and one tag selection;
- ``lattice``: ``LatticeBucket`` / ``LatticeTable`` in prod.

It reports min and median wall and CPU time, the whole-process ratio lattice / plain,
the per-resource ratio (lattice - empty) / (plain - empty), and each template's
resource count and size. The target is at most 1.3x per resource.

    python benchmarks/bench_constructs.py              # 5 runs each, N=60
    python benchmarks/bench_constructs.py --runs 9 --count 100 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_RATIO = 1.3
FLAVOURS = ("empty", "plain", "lattice")

APP = """
import os, sys
import aws_cdk as cdk
from aws_cdk import Duration, RemovalPolicy, Tags
from aws_cdk import aws_backup as backup, aws_dynamodb as dynamodb, aws_kms as kms
from aws_cdk import aws_s3 as s3

FLAVOUR, COUNT, OUTDIR = sys.argv[1], int(sys.argv[2]), sys.argv[3]
app = cdk.App(outdir=OUTDIR)
stack = cdk.Stack(app, "Bench")
KEY = dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING)

if FLAVOUR == "plain":
    vault = backup.BackupVault(stack, "Vault", encryption_key=kms.Key(stack, "Key",
        enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN),
        removal_policy=RemovalPolicy.RETAIN, block_recovery_point_deletion=True,
        lock_configuration=backup.LockConfiguration(min_retention=Duration.days(30)))
    plan = backup.BackupPlan(stack, "Plan", backup_vault=vault, backup_plan_rules=[
        backup.BackupPlanRule.daily(), backup.BackupPlanRule.weekly(),
        backup.BackupPlanRule.monthly7_year()])
    tagged = backup.BackupResource.from_tag("lattice:backup", "prod")
    plan.add_selection("Tagged", resources=[tagged])
    for i in range(COUNT):
        bucket = s3.Bucket(stack, f"Bucket{i}", versioned=True,
            encryption=s3.BucketEncryption.KMS_MANAGED, bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL, enforce_ssl=True,
            removal_policy=RemovalPolicy.RETAIN, lifecycle_rules=[s3.LifecycleRule(
                noncurrent_version_expiration=Duration.days(30),
                abort_incomplete_multipart_upload_after=Duration.days(7))])
        table = dynamodb.Table(stack, f"Table{i}", partition_key=KEY,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED, deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True, recovery_period_in_days=35))
        for resource in (bucket, table):
            Tags.of(resource).add("lattice:environment", "prod")
            Tags.of(resource).add("lattice:backup", "prod")
elif FLAVOUR == "lattice":
    from lattice_cdk import LatticeBucket, LatticeTable
    for i in range(COUNT):
        LatticeBucket(stack, f"Bucket{i}", name=f"bucket-{i}", environment="prod")
        LatticeTable(stack, f"Table{i}", name=f"table-{i}", environment="prod", partition_key=KEY)
app.synth()
"""


def run_once(flavour: str, count: int, app: Path) -> tuple[float, float, int, int]:
    """Wall and CPU seconds of one process, and its template's resources and bytes."""
    with tempfile.TemporaryDirectory(prefix="constructs-bench-") as outdir:
        env = {
            **os.environ,
            "CDK_VALIDATION": "false",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure compiled bytecode, as installed
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(app), flavour, str(count), outdir],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{flavour} app failed:\n{done.stderr[-2000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        template = Path(outdir) / "Bench.template.json"
        text = template.read_text()
        return wall, cpu, len(json.loads(text).get("Resources", {})), len(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=60, help="buckets, and as many tables")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    samples: dict[str, list[tuple[float, float, int, int]]] = {f: [] for f in FLAVOURS}
    with tempfile.TemporaryDirectory(prefix="constructs-app-") as folder:
        app = Path(folder) / "app.py"
        app.write_text(APP)
        for _ in range(args.runs):
            for flavour in FLAVOURS:
                samples[flavour].append(run_once(flavour, args.count, app))
    figures: dict[str, Any] = {"runs": args.runs, "count": args.count}
    for flavour, rows in samples.items():
        walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
        figures[flavour] = {
            "wall_min": min(walls),
            "wall_median": statistics.median(walls),
            "cpu_min": min(cpus),
            "cpu_median": statistics.median(cpus),
            "resources": rows[0][2],
            "template_bytes": rows[0][3],
        }
    empty, plain, lattice = (figures[f] for f in FLAVOURS)
    for key in ("wall_min", "wall_median", "cpu_min", "cpu_median"):
        figures[f"ratio_process_{key}"] = lattice[key] / plain[key]
        figures[f"ratio_per_resource_{key}"] = (lattice[key] - empty[key]) / (
            plain[key] - empty[key]
        )
    figures["ratio_template_bytes"] = lattice["template_bytes"] / plain["template_bytes"]
    figures["ratio_resources"] = lattice["resources"] / plain["resources"]
    for flavour in FLAVOURS:
        f = figures[flavour]
        print(
            f"{flavour:8} wall min {f['wall_min']:.2f}s median {f['wall_median']:.2f}s  "
            f"cpu median {f['cpu_median']:.2f}s  {f['resources']} resources, "
            f"{f['template_bytes']:,} bytes"
        )
    per_resource = figures["ratio_per_resource_cpu_median"]
    print(
        f"per resource, min of runs: {figures['ratio_per_resource_wall_min']:.2f}x wall, "
        f"{figures['ratio_per_resource_cpu_min']:.2f}x cpu"
    )
    print(
        f"lattice / plain: whole process {figures['ratio_process_wall_median']:.2f}x wall, "
        f"{figures['ratio_process_cpu_median']:.2f}x cpu; per resource "
        f"{figures['ratio_per_resource_wall_median']:.2f}x wall, {per_resource:.2f}x cpu "
        f"(target <= {TARGET_RATIO}x); template {figures['ratio_template_bytes']:.2f}x bytes, "
        f"{figures['ratio_resources']:.2f}x resources"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
