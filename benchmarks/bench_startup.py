"""Benchmark what ``lattice check`` costs on a one-resource template over a bare
interpreter (issue 12: at most 30 ms over ``python -c pass``).

Both run as fresh processes, interleaved (so a busy machine slows both alike), many
times; the table shows the minimum wall and CPU time of each and the difference. The
modules are byte-compiled first, as an installed package is (a checkout run with
``PYTHONDONTWRITEBYTECODE`` set would otherwise compile every module on every start).

    python benchmarks/bench_startup.py                 # 60 runs of each
    python benchmarks/bench_startup.py --runs 200
    python benchmarks/bench_startup.py --src /tmp/old/src   # another tree's lattice_cdk

Not run in CI.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_RESOURCE = {
    "Metadata": {"lattice:environment": "prod"},
    "Resources": {
        "Queue": {
            "Type": "AWS::SQS::Queue",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        }
    },
}
#: What the ``lattice`` console script runs.
ENTRY = "from lattice_cdk._cli import run; run()"


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 4, 8, 12):
        raise SystemExit(f"{' '.join(command)} failed (status {status})")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=60, help="runs of each (default 60)")
    parser.add_argument("--python", default=sys.executable, help="interpreter (default: this)")
    parser.add_argument("--src", type=Path, help="a src/ folder to import lattice_cdk from")
    args = parser.parse_args()

    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.src is not None:
        env["PYTHONPATH"] = str(args.src.resolve())
        compileall.compile_dir(str(args.src / "lattice_cdk"), quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "one.json"
        template.write_text(json.dumps(ONE_RESOURCE), encoding="utf-8")
        commands = {
            "bare": [args.python, "-c", "pass"],
            "lattice check": [args.python, "-c", ENTRY, "check", str(template)],
        }
        # Warm up: writes the byte code, fills the page cache.
        for command in commands.values():
            for _ in range(3):
                _run(command, env)
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                w, c = _run(command, env)
                wall[name].append(w)
                cpu[name].append(c)

    print(f"{args.runs} runs each, minimum (median)")
    for name in commands:
        w, c = sorted(wall[name]), sorted(cpu[name])
        print(
            f"  {name:14s} wall {1000 * w[0]:6.1f} ms ({1000 * w[len(w) // 2]:6.1f})"
            f"   cpu {1000 * c[0]:6.1f} ms ({1000 * c[len(c) // 2]:6.1f})"
        )
    over_wall = min(wall["lattice check"]) - min(wall["bare"])
    over_cpu = min(cpu["lattice check"]) - min(cpu["bare"])
    ratio = min(wall["lattice check"]) / min(wall["bare"])
    print(
        f"  over bare: wall {1000 * over_wall:.1f} ms, cpu {1000 * over_cpu:.1f} ms "
        f"({ratio:.1f}x the bare wall time)"
    )


if __name__ == "__main__":
    main()
