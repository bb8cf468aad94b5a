"""``make demo``: Lattice in five minutes, with no AWS account.

1. synthesize the example app (dev, staging and prod stages);
2. ``lattice report``: the protection inventory, in the terminal and as HTML;
3. ``lattice check``: the example is clean;
4. the policy refuses prod with backups off (the error is shown, caught);
5. a refactor that renames a prod bucket's logical id, caught by ``lattice diff``;
6. ``lattice destroy-plan``: what deleting each stack would do to each stateful resource.

Everything is written under ``out/demo/`` (or the folder given as the first argument).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# Run as ``python examples/demo.py``: its folder is on sys.path, so ``app`` imports.
from app import build_app

from lattice_cdk import StatefulnessError, create_statefulness_policy

BOLD, DIM, RESET = ("\033[1m", "\033[2m", "\033[0m") if sys.stdout.isatty() else ("", "", "")


def step(number: int, title: str) -> None:
    print(f"\n{BOLD}== {number}. {title}{RESET}\n", flush=True)


def lattice(*args: str) -> int:
    print(f"{DIM}$ lattice {' '.join(args)}{RESET}", flush=True)
    return subprocess.run([sys.executable, "-m", "lattice_cdk", *args], check=False).returncode


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "out/demo").resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

    step(1, "Synthesize the example app: Dev, Staging and Prod stages")
    assembly = out / "cdk.out"
    build_app(outdir=str(assembly)).synth()
    print(f"cloud assembly written to {assembly}")

    step(2, "The protection report: every stateful resource and its verdict")
    if lattice("report", str(assembly)) != 0:
        return 1
    html = out / "report.html"
    if lattice("report", str(assembly), "--format", "html", "--output", str(html)) != 0:
        return 1
    print(f"\nHTML report: {html}")

    step(3, "The checker: what could lose data? (the example is clean)")
    checked = lattice("check", str(assembly))
    if checked != 0:
        print(f"expected a clean check, got exit code {checked}")
        return 1

    step(4, "Unsafe production configuration is refused")
    print('>>> create_statefulness_policy(environment="prod", enable_backups=False)')
    try:
        create_statefulness_policy(environment="prod", enable_backups=False)
    except StatefulnessError as error:
        print(f"StatefulnessError: {error}")
    else:
        print("expected a StatefulnessError")
        return 1

    step(5, "A refactor moves the prod bucket under a new construct: its logical id changes")
    refactored = out / "cdk.out.refactored"
    build_app(outdir=str(refactored), context={"demo:refactor": "true"}).synth()
    diff_md = out / "diff.md"
    caught = lattice("diff", str(assembly), str(refactored))
    markdown = ("--format", "markdown", "--output", str(diff_md))
    lattice("diff", str(assembly), str(refactored), *markdown)
    if caught == 0:
        print("expected lattice diff to flag the renamed bucket")
        return 1
    print(f"\nlattice diff exited {caught}: a CI job running it would stop this deploy.")

    step(6, "The destroy plan: what deleting each stack would do to its data")
    if lattice("destroy-plan", str(assembly)) != 0:
        return 1
    destroy_md = out / "destroy-plan.md"
    markdown = ("--format", "markdown", "--output", str(destroy_md))
    if lattice("destroy-plan", str(assembly), *markdown) != 0:
        return 1

    print(f"\n{BOLD}== Summary{RESET}\n")
    print("- the example app synthesized for dev, staging and prod without an AWS account;")
    print("- every stateful resource is protected as its environment requires (report);")
    print("- the checker found nothing to fix in the example;")
    print("- prod with backups disabled was refused, naming the field and the fix;")
    print("- the logical-id refactor was caught before deploy, with the fix;")
    print("- the destroy plan says what a stack delete keeps, snapshots, deletes or blocks.")
    print(f"\nFiles: {assembly}\n       {html}\n       {diff_md}\n       {destroy_md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
