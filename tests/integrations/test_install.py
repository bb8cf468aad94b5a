"""The README's install line works: run it in a fresh venv, from a checkout.

The line is read from README.md between ``<!-- install -->`` and ``<!-- /install -->``:
the block clones the repository, then installs it with pip. Here the checkout is a copy
of this repository's tracked files and the pip line runs in it, as written, with the new
venv first on PATH. It installs every dependency (aws-cdk-lib is large), so it takes
minutes: 350 s on a 2-core machine under load (2026-11-26).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
_BLOCK = re.compile(r"<!-- install -->\s*```sh\n(.*?)```\s*<!-- /install -->", re.S)


def install_line() -> str:
    """The one ``pip install`` command in the README's marked install block."""
    found = _BLOCK.search(README.read_text(encoding="utf-8"))
    assert found, "README.md has no ```sh block between <!-- install --> and <!-- /install -->"
    lines = [line.split("#")[0].strip() for line in found.group(1).splitlines()]
    [line] = [line for line in lines if re.search(r"\bpip install\b", line)]
    return line


def _checkout(destination: Path) -> Path:
    """A checkout of this repository: its tracked files, as a clone would have them."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def test_the_readme_install_line_installs_lattice_in_a_fresh_venv(tmp_path: Path) -> None:
    line = install_line()
    checkout = _checkout(tmp_path / "lattice")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {**os.environ, "PATH": os.pathsep.join([str(venv / "bin"), os.environ["PATH"]])}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    installed = subprocess.run(
        ["bash", "-ec", line],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]

    # The lattice command is there and works on a template.
    template = tmp_path / "orders.json"
    template.write_text(
        json.dumps(
            {
                "Metadata": {"lattice:environment": "prod"},
                "Resources": {"Orders": {"Type": "AWS::S3::Bucket"}},
            }
        )
    )
    lattice = venv / "bin" / "lattice"
    checked = subprocess.run(
        [str(lattice), "check", str(template)], capture_output=True, text=True, env=env, check=False
    )
    assert checked.returncode & 2, checked.stdout + checked.stderr
    assert "LAT1001 error   orders/Orders" in checked.stdout
    # The constructs and their dependencies came too: a first app synthesizes and checks.
    app = tmp_path / "first-app"
    code = (
        "import sys, aws_cdk as cdk\n"
        "from lattice_cdk import LatticeBucket\n"
        "app = cdk.App(outdir=sys.argv[1])\n"
        "LatticeBucket(cdk.Stack(app, 'First'), 'Data', name='first-data', environment='dev')\n"
        "app.synth()\n"
    )
    synth = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code, str(app)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert synth.returncode == 0, synth.stderr[-3000:]
    first = subprocess.run(
        [str(lattice), "check", str(app)], capture_output=True, text=True, env=env, check=False
    )
    assert first.returncode == 0, first.stdout + first.stderr
    assert "No findings." in first.stdout
