"""What StatefulnessGuard plus the Lattice validation plugin add to ``python app.py``.

Runs ``benchmarks/guard_app.py`` (a plain aws-cdk-lib app of ~1,500 resources) as a
whole process, without and with the guard + plugin, alternating the two so that
machine noise hits both alike, and reports min and median wall time of each and the
overhead. aws-cdk-lib's built-in validation (``CDK_VALIDATION``) is set the same way in
both runs. The target is at most +15 %.

The guarded app is not the same app plus a guard: in prod with backup enrolment it also
holds the BackupManager (vault, plans, DR copy) the guard enrols into, which the plain
baseline lacks. ``--backup-in-baseline`` gives the baseline that manager too, so that
the difference is the guard and the plugin alone; report both.

    python benchmarks/bench_guard.py                 # 5 runs each, CDK_VALIDATION=false
    python benchmarks/bench_guard.py --runs 9 --cdk-validation true --json out.json
    python benchmarks/bench_guard.py --runs 9 --backup-in-baseline
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

APP = Path(__file__).with_name("guard_app.py")
TARGET_PERCENT = 15.0


def run_once(
    *, guarded: bool, resources: int, cdk_validation: str, backup_in_baseline: bool = False
) -> tuple[float, float, int]:
    """Wall and CPU seconds (Python and Node) of one ``python guard_app.py`` process,
    and the resources it wrote. CPU time is the steadier figure on a busy machine."""
    with tempfile.TemporaryDirectory(prefix="guard-bench-") as outdir:
        env = {
            **os.environ,
            "CDK_VALIDATION": cdk_validation,
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            "LATTICE_BENCH_GUARD": "1" if guarded else "0",
            "LATTICE_BENCH_BACKUP": "1" if backup_in_baseline else "0",
            "LATTICE_BENCH_RESOURCES": str(resources),
            "LATTICE_BENCH_OUTDIR": outdir,
        }
        # Measure what an installed package runs: compiled bytecode. This sandbox sets
        # PYTHONDONTWRITEBYTECODE, which makes every run recompile each module edited
        # since its .pyc was written (Lattice's, in the guarded run only).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(APP)], env=env, capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"guard_app.py failed (guarded={guarded}):\n{done.stderr[-3000:]}")
        count = sum(
            len(json.loads(p.read_text(encoding="utf-8")).get("Resources", {}))
            for p in Path(outdir).rglob("*.template.json")
        )
    return elapsed, cpu, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each variant (default 5)")
    parser.add_argument("--resources", type=int, default=1500, help="app size (default 1500)")
    parser.add_argument(
        "--cdk-validation",
        choices=("true", "false"),
        default="false",
        help="CDK_VALIDATION for both variants (default false)",
    )
    parser.add_argument(
        "--backup-in-baseline",
        action="store_true",
        help="give the baseline the prod BackupManager too, so that the difference is "
        "the guard and the plugin alone (default: the baseline is the plain app)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    times: dict[str, list[float]] = {"baseline": [], "guarded": []}
    cpu: dict[str, list[float]] = {"baseline": [], "guarded": []}
    counts: dict[str, int] = {}
    # One unmeasured run warms the file cache (Node's jsii bundle, Python bytecode).
    run_once(
        guarded=False,
        resources=args.resources,
        cdk_validation=args.cdk_validation,
        backup_in_baseline=args.backup_in_baseline,
    )
    for i in range(args.runs):
        # Alternate which variant goes first, so drift in machine load hits both alike.
        order = (False, True) if i % 2 == 0 else (True, False)
        for guarded in order:
            name = "guarded" if guarded else "baseline"
            seconds, cpu_seconds, count = run_once(
                guarded=guarded,
                resources=args.resources,
                cdk_validation=args.cdk_validation,
                backup_in_baseline=args.backup_in_baseline,
            )
            times[name].append(seconds)
            cpu[name].append(cpu_seconds)
            counts[name] = count
    figures: dict[str, dict[str, Any]] = {
        name: {
            "min": min(values),
            "median": statistics.median(values),
            "runs": values,
            "cpu_min": min(cpu[name]),
            "cpu_median": statistics.median(cpu[name]),
        }
        for name, values in times.items()
    }
    overhead_min = 100 * (figures["guarded"]["min"] / figures["baseline"]["min"] - 1)
    overhead_median = 100 * (figures["guarded"]["median"] / figures["baseline"]["median"] - 1)
    print(
        f"python guard_app.py, {counts['baseline']} resources (guarded: {counts['guarded']}), "
        f"CDK_VALIDATION={args.cdk_validation}, {args.runs} runs each"
        + (", BackupManager in both" if args.backup_in_baseline else "")
    )
    for name in ("baseline", "guarded"):
        f = figures[name]
        print(
            f"  {name:9} min {f['min']:.2f} s   median {f['median']:.2f} s   "
            f"(cpu min {f['cpu_min']:.2f} s, median {f['cpu_median']:.2f} s)"
        )
    cpu_overhead = 100 * (figures["guarded"]["cpu_min"] / figures["baseline"]["cpu_min"] - 1)
    print(
        f"  overhead  min {overhead_min:+.1f} %   median {overhead_median:+.1f} %   "
        f"(target <= +{TARGET_PERCENT:.0f} %)"
    )
    print(f"  cpu overhead  min {cpu_overhead:+.1f} %")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "resources": counts,
                    "cdk_validation": args.cdk_validation,
                    "backup_in_baseline": args.backup_in_baseline,
                    "figures": figures,
                    "overhead_percent": {
                        "min": overhead_min,
                        "median": overhead_median,
                        "cpu_min": cpu_overhead,
                    },
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0 if overhead_min <= TARGET_PERCENT else 1


if __name__ == "__main__":
    sys.exit(main())
