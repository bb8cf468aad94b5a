"""Benchmark ``lattice check`` / ``lattice report`` against the json-load floor and
other CloudFormation checkers, on generated cloud assemblies.

Each tool runs as a fresh process (what CI pays), several times, interleaved with the
others; the table shows the minimum and the median wall time, and each as a multiple of
the floor: a process that only ``json.load`` s every template and loops over the
resources (with the standard library's json).

    python benchmarks/bench_check.py                       # lattice + floor, 1k/10k/50k
    python benchmarks/bench_check.py --cfn-guard PATH --checkov PATH --cfn-lint PATH

Not run in CI. Figures from this machine are in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_assembly import generate_assembly

GENERATOR_HASH = hashlib.sha256(
    (Path(__file__).parent / "gen_assembly.py").read_bytes()
).hexdigest()

FLOOR = r"""
import json, sys
from pathlib import Path
root = Path(sys.argv[1])
manifest = json.loads((root / "manifest.json").read_text())
count = 0
types = {}
for artifact in manifest["artifacts"].values():
    if artifact.get("type") != "aws:cloudformation:stack":
        continue
    template = json.loads((root / artifact["properties"]["templateFile"]).read_text())
    for logical_id, resource in template["Resources"].items():
        types[resource["Type"]] = types.get(resource["Type"], 0) + 1
        count += 1
print(count)
"""

# The same work, but keeping every parsed template alive until the end (with the cyclic
# GC off and no interpreter teardown, as lattice runs): what holding a whole assembly in
# memory costs by itself, which any cross-stack check pays. Reported, not the reference.
FLOOR_KEEPING = r"""
import gc, json, os, sys
from pathlib import Path
gc.disable()
root = Path(sys.argv[1])
manifest = json.loads((root / "manifest.json").read_text())
count = 0
types = {}
kept = []
for artifact in manifest["artifacts"].values():
    if artifact.get("type") != "aws:cloudformation:stack":
        continue
    template = json.loads((root / artifact["properties"]["templateFile"]).read_text())
    kept.append(template)
    for logical_id, resource in template["Resources"].items():
        types[resource["Type"]] = types.get(resource["Type"], 0) + 1
        count += 1
print(count)
sys.stdout.flush()
os._exit(0)
"""

NO_ORJSON = (
    "import runpy, sys; sys.modules['orjson'] = None; "
    "runpy.run_module('lattice_cdk', run_name='__main__', alter_sys=True)"
)

# cfn-guard has no built-in data-loss rules: this file asks what LAT1001/LAT1002/LAT1101/
# LAT1401/LAT1402 ask, so guard does comparable work.
GUARD_RULES = """
let stateful = Resources.*[ Type in [ 'AWS::S3::Bucket', 'AWS::DynamoDB::Table',
  'AWS::RDS::DBInstance', 'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::KMS::Key',
  'AWS::EFS::FileSystem', 'AWS::Backup::BackupVault' ] ]
rule retained when %stateful !empty {
  %stateful.DeletionPolicy in ['Retain', 'RetainExceptOnCreate', 'Snapshot']
  %stateful.UpdateReplacePolicy in ['Retain', 'RetainExceptOnCreate', 'Snapshot']
}
let tables = Resources.*[ Type == 'AWS::DynamoDB::Table' ]
rule table_protected when %tables !empty {
  %tables.Properties.DeletionProtectionEnabled == true
  %tables.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled == true
}
let buckets = Resources.*[ Type == 'AWS::S3::Bucket' ]
rule bucket_versioned when %buckets !empty {
  %buckets.Properties.VersioningConfiguration.Status == 'Enabled'
}
let databases = Resources.*[ Type == 'AWS::RDS::DBInstance' ]
rule database_protected when %databases !empty {
  %databases.Properties.DeletionProtection == true
}
"""


def _time(command: Sequence[str], *, reps: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False
        )
        times.append(time.perf_counter() - start)
    return times


def _instructions(command: Sequence[str], *, env: dict[str, str]) -> int:
    """The instructions one run of ``command`` executes, as valgrind's callgrind counts
    them (a deterministic stand-in for time; memory stalls are not in it)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        check=False,
    )
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1])
    raise SystemExit(f"valgrind gave no count for {command[0]}:\n{done.stderr[-2000:]}")


def _templates(root: Path) -> list[str]:
    return sorted(str(p) for p in root.glob("*.template.json"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/lattice-bench"))
    parser.add_argument("--sizes", default="10x100,100x100,500x100", help="STACKSxRESOURCES,...")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--slow-reps", type=int, default=3, help="reps for checkov/cfn-lint")
    parser.add_argument(
        "--slow-max", type=int, default=10_000, help="largest size (resources) for slow tools"
    )
    parser.add_argument("--cfn-guard", help="path to the cfn-guard binary")
    parser.add_argument("--checkov", help="path to the checkov command")
    parser.add_argument("--cfn-lint", help="path to the cfn-lint command")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--unprotected-share",
        type=float,
        default=0.05,
        help="share of stateful resources left unprotected (0.05: a few findings per "
        "stack; 0 none; 0.72 about 3,100 findings on 100x100)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions each fast tool runs, once, under valgrind "
        "(callgrind): the same on a busy machine, where wall times are not",
    )
    parser.add_argument(
        "--no-orjson",
        action="store_true",
        help="run lattice as if orjson were not installed (the standard library parses)",
    )
    args = parser.parse_args()

    python = sys.executable
    lattice = [python, "-m", "lattice_cdk"]
    if args.no_orjson:  # ``python -m lattice_cdk``, with ``import orjson`` failing
        lattice = [python, "-c", NO_ORJSON]
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    env.pop("CI", None)
    # Measure what an installed package runs: compiled bytecode (this sandbox sets
    # PYTHONDONTWRITEBYTECODE, which would make every run recompile every module).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([*lattice, "--version"], env=env, check=True, capture_output=True)
    args.work.mkdir(parents=True, exist_ok=True)
    guard_rules = args.work / "lattice-equivalent.guard"
    guard_rules.write_text(GUARD_RULES)

    rows: list[dict[str, object]] = []
    warm = args.work / "warm"
    if not (warm / "manifest.json").is_file():
        generate_assembly(warm, stacks=2, resources_per_stack=20)
    for verb in ("check", "report"):  # writes the bytecode of every module both load
        subprocess.run([*lattice, verb, str(warm), "-o", "/dev/null"], env=env, check=False)
    version = _time([*lattice, "--version"], reps=args.reps, env=env)
    rows.append({"size": 0, "tool": "lattice --version", "times": version})
    for size in args.sizes.split(","):
        stacks, per_stack = (int(n) for n in size.split("x"))
        total = stacks * per_stack
        share = args.unprotected_share
        root = (
            args.work / f"assembly-{stacks}x{per_stack}"
            if share == 0.05
            else (args.work / f"assembly-{stacks}x{per_stack}-unprotected{share}")
        )
        # An assembly kept from an earlier run is used only when the generator has not
        # changed since (a stale one can hold findings the "clean" run must not have).
        stamp = root / "generator.sha256"
        if root.exists() and not (stamp.is_file() and stamp.read_text() == GENERATOR_HASH):
            shutil.rmtree(root)
        if not (root / "manifest.json").is_file():
            generate_assembly(
                root, stacks=stacks, resources_per_stack=per_stack, unprotected_share=share
            )
            stamp.write_text(GENERATOR_HASH)
        tools: list[tuple[str, list[str], int]] = [
            ("floor (json.load + loop)", [python, "-c", FLOOR, str(root)], args.reps),
            ("floor keeping the templates", [python, "-c", FLOOR_KEEPING, str(root)], args.reps),
            ("lattice check", [*lattice, "check", str(root), "-o", "/dev/null"], args.reps),
            (
                "lattice report --format json",
                [*lattice, "report", str(root), "-f", "json", "-o", "/dev/null"],
                args.reps,
            ),
        ]
        templates = _templates(root)
        if args.cfn_guard:
            guard = [args.cfn_guard, "validate", "-r", str(guard_rules), "-S", "none"]
            guard += [arg for t in templates for arg in ("-d", t)]
            tools.append(("cfn-guard 3 (equivalent rules)", guard, args.reps))
        if args.checkov and total <= args.slow_max:
            checkov = [args.checkov, "-d", str(root), "--framework", "cloudformation"]
            checkov += ["--skip-download", "--quiet", "--compact", "-o", "json"]
            tools.append(("checkov", checkov, args.slow_reps))
        if args.cfn_lint and total <= args.slow_max:
            tools.append(("cfn-lint", [args.cfn_lint, *templates], args.slow_reps))
        # Tools with the full count of repetitions run interleaved (floor, lattice,
        # lattice, floor, ...), so that all of them see the same machine load; the slow
        # ones run after.
        interleaved = [(name, command) for name, command, reps in tools if reps == args.reps]
        measured: dict[str, list[float]] = {name: [] for name, _ in interleaved}
        for _ in range(args.reps):
            for name, command in interleaved:
                measured[name] += _time(command, reps=1, env=env)
        if args.instructions:
            counts = {name: _instructions(command, env=env) for name, command in interleaved}
            floor_count = counts["floor (json.load + loop)"]
            for name, count in counts.items():
                print(
                    f"{total:>6} {name:<32} {count / 1e6:9.1f} M instructions  "
                    f"{count / floor_count:.2f}x the floor",
                    flush=True,
                )
        for name, command, reps in tools:
            times = measured.get(name) or _time(command, reps=reps, env=env)
            rows.append({"size": total, "tool": name, "times": times})
            print(
                f"{total:>6} {name:<32} min {min(times):7.3f}s  median "
                f"{statistics.median(times):7.3f}s  (n={len(times)})",
                flush=True,
            )

    floors = {r["size"]: min(r["times"]) for r in rows if str(r["tool"]).startswith("floor (")}  # type: ignore[arg-type]
    print()
    print("| resources | tool | min (s) | median (s) | min / floor |")
    print("|---:|---|---:|---:|---:|")
    for row in rows:
        times = row["times"]
        assert isinstance(times, list)
        floor = floors.get(row["size"])  # type: ignore[call-overload]
        ratio = f"{min(times) / floor:.1f}x" if floor else "-"
        print(
            f"| {row['size'] or '-'} | {row['tool']} | {min(times):.3f} | "
            f"{statistics.median(times):.3f} | {ratio} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
