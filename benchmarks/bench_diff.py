"""Benchmark ``lattice diff``: two N-resource cloud assemblies against the json-load floor.

The floor is what any tool must pay: ``json.loads`` of every template of both
assemblies. The diff is the whole job minus process start: load both assemblies with
Lattice's loader (which includes the JSON parse) and compare them. Target: within 2x
the floor at 10,000 resources, and linear in size (1k / 10k / 50k).

NEW is OLD with about 1% of resources changed: tags edited (safe), a create-only name
changed, one stateful resource removed per ten stacks, so the diff has real work.

    .venv/bin/python benchmarks/bench_diff.py            # 1k, 10k, 50k
    .venv/bin/python benchmarks/bench_diff.py --sizes 10000 --repeat 7
    .venv/bin/python benchmarks/bench_diff.py --fresh --repeat 7   # fresh processes

``--fresh`` times what CI pays instead: ``lattice diff OLD NEW`` as a fresh process
(compiled bytecode, as installed) against a floor process that ``json.load`` s every
template of both assemblies and loops over the resources, interleaved.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_assembly import generate_assembly

from lattice_cdk.cfn import load
from lattice_cdk.changes import diff_assemblies

PER_STACK = 100


def _mutate(old: Path, new: Path) -> int:
    """Copy ``old`` to ``new`` and change about 1% of the resources; return how many."""
    shutil.copytree(old, new)
    changed = 0
    for i, path in enumerate(sorted(new.glob("*.template.json"))):
        template: dict[str, Any] = json.loads(path.read_text())
        resources = template["Resources"]
        ids = sorted(resources)
        for lid in ids[:: max(1, len(ids) // 1)][:1]:  # one tag edit per stack (safe)
            body = resources[lid]
            body.setdefault("Properties", {})["Tags"] = [{"Key": "bench", "Value": str(i)}]
            changed += 1
        buckets = [lid for lid in ids if resources[lid]["Type"] == "AWS::S3::Bucket"]
        if buckets:
            resources[buckets[0]].setdefault("Properties", {})["BucketName"] = f"renamed-{i}"
            changed += 1
        if i % 10 == 0:
            tables = [lid for lid in ids if resources[lid]["Type"] == "AWS::DynamoDB::Table"]
            if tables:
                del resources[tables[0]]
                changed += 1
        path.write_text(json.dumps(template, indent=1))
    return changed


def _floor(*roots: Path) -> float:
    start = time.perf_counter()
    for root in roots:
        for path in root.glob("*.json"):
            json.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def _diff(old: Path, new: Path, *, pause_gc: bool = True) -> tuple[float, int]:
    # ``lattice diff`` pauses the cyclic garbage collector while it loads and compares
    # (the records it builds are acyclic and live until exit); measure it the same way.
    if pause_gc:
        gc.disable()
    try:
        start = time.perf_counter()
        findings = diff_assemblies(load(old), load(new))
        return time.perf_counter() - start, len(findings)
    finally:
        gc.enable()


def run(size: int, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        old = generate_assembly(
            Path(tmp) / "old", stacks=max(1, size // PER_STACK), resources_per_stack=PER_STACK
        )
        new = Path(tmp) / "new"
        changed = _mutate(old, new)
        _diff(old, new)  # warm: schema files for the changed types, imports
        # Floor and diff alternate, so both see the same machine load; the ratio is the
        # median of the per-round ratios.
        floors: list[float] = []
        diffs: list[tuple[float, int]] = []
        for _ in range(repeat):
            floors.append(_floor(old, new))
            diffs.append(_diff(old, new))
        with_gc = statistics.median(_diff(old, new, pause_gc=False)[0] for _ in range(repeat))
        loads = []
        for _ in range(repeat):
            gc.disable()
            start = time.perf_counter()
            load(old), load(new)
            loads.append(time.perf_counter() - start)
            gc.enable()
        floor = statistics.median(floors)
        diff = statistics.median(t for t, _ in diffs)
        ratio = statistics.median(t / f for (t, _), f in zip(diffs, floors, strict=True))
        return {
            "resources": size,
            "changed": changed,
            "findings": diffs[0][1],
            "json_floor_s": round(floor, 4),
            "diff_s": round(diff, 4),
            "ratio": round(ratio, 2),
            "of_which_load_s": round(statistics.median(loads), 4),
            "diff_gc_on_s": round(with_gc, 4),
            "us_per_resource": round(diff / size * 1e6, 2),
        }


FLOOR = r"""
import json, sys
from pathlib import Path
count = 0
for root in map(Path, sys.argv[1:]):
    manifest = json.loads((root / "manifest.json").read_text())
    for artifact in manifest["artifacts"].values():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template = json.loads((root / artifact["properties"]["templateFile"]).read_text())
        for logical_id, resource in template["Resources"].items():
            count += 1
print(count)
"""


NO_ORJSON = (
    "import runpy, sys; sys.modules['orjson'] = None; "
    "runpy.run_module('lattice_cdk', run_name='__main__', alter_sys=True)"
)


def run_fresh(size: int, repeat: int, work: Path, *, no_orjson: bool = False) -> dict[str, Any]:
    old, new = work / f"diff-old-{size}", work / f"diff-new-{size}"
    if not (new / "manifest.json").is_file():
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(new, ignore_errors=True)
        generate_assembly(old, stacks=max(1, size // PER_STACK), resources_per_stack=PER_STACK)
        _mutate(old, new)
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    env.pop("CI", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode, as an installed package has it
    commands = {
        "floor": [sys.executable, "-c", FLOOR, str(old), str(new)],
        "diff": [sys.executable, "-m", "lattice_cdk", "diff", str(old), str(new), "-o", os.devnull],
    }
    if no_orjson:  # as if orjson were not installed
        commands["diff"][1:3] = ["-c", NO_ORJSON]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm: bytecode, page cache
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
    for _ in range(repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - start)
    return {
        "resources": size,
        "floor_min_s": round(min(times["floor"]), 4),
        "floor_median_s": round(statistics.median(times["floor"]), 4),
        "diff_min_s": round(min(times["diff"]), 4),
        "diff_median_s": round(statistics.median(times["diff"]), 4),
        "ratio_of_mins": round(min(times["diff"]) / min(times["floor"]), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="time fresh processes")
    parser.add_argument("--work", type=Path, default=Path("/tmp/lattice-bench"))
    parser.add_argument(
        "--no-orjson", action="store_true", help="with --fresh: lattice without orjson"
    )
    args = parser.parse_args()
    if args.fresh:
        args.work.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            row = run_fresh(size, args.repeat, args.work, no_orjson=args.no_orjson)
            print(json.dumps(row), flush=True)
        return
    rows = [run(size, args.repeat) for size in args.sizes]
    for row in rows:
        print(json.dumps(row))
    ten = next((r for r in rows if r["resources"] == 10_000), None)
    if ten is not None:
        verdict = "PASS" if ten["ratio"] <= 2.0 else "FAIL"
        print(f"10k resources: diff {ten['ratio']}x the json-load floor (target <= 2x): {verdict}")


if __name__ == "__main__":
    main()
