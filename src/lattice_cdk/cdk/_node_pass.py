"""The guard's pass, run inside the jsii runtime's Node process.

From Python, each property read and each ``addPropertyOverride`` on a CDK resource is a
jsii round trip (0.1-0.2 ms); a 1,500-resource prod app needs about 1,400 of them.
``_node/index.js`` does the same pass inside Node, where it costs a few milliseconds,
and Python calls it once per guarded scope and synth.

The folder ``_node`` is a tiny npm package (``index.js``, ``package.json``) plus its
jsii type description (``assembly.jsii.json``, written by hand: one class,
``GuardPass``, with a constructor taking JSON and one method). :func:`guard_pass`
packs it as the tarball the jsii runtime loads (the way every jsii library ships, see
``aws_cdk/_jsii``), once per process, into the runtime that already runs aws-cdk-lib.
What the pass does is decided here in Python and handed over as data.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any, Final

import jsii
from aws_cdk import Stack
from constructs import IConstruct

__all__ = ["GuardPass", "load_assembly"]

#: The npm package name and version in ``_node/package.json`` and ``assembly.jsii.json``.
ASSEMBLY_NAME: Final = "lattice-cdk-guard"
ASSEMBLY_VERSION: Final = "1.0.0"
# Files of the package, and the name each has in the tarball.
_FILES: Final = {
    "package.json": "package/package.json",
    "index.js": "package/index.js",
    "assembly.jsii.json": "package/.jsii",
}

_loaded = False


def _tarball() -> bytes:
    """The package as an npm-style tarball, byte-for-byte the same for the same files."""
    folder = resources.files(__package__).joinpath("_node")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for source, name in _FILES.items():
            data = folder.joinpath(source).read_bytes()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), mtime=0)


def load_assembly() -> None:
    """Load the package into the jsii runtime (once per process)."""
    global _loaded
    if _loaded:
        return
    # The runtime reads a tarball from a path (and keeps its own extraction cache, keyed
    # by content). A private directory, not a shared name in /tmp that another user
    # could have written first; the runtime is done with the file once load returns.
    from jsii._runtime import kernel  # the kernel aws_cdk's own assemblies load into

    with tempfile.TemporaryDirectory(prefix="lattice-") as folder:
        path = Path(folder) / f"{ASSEMBLY_NAME}-{ASSEMBLY_VERSION}.tgz"
        path.write_bytes(_tarball())
        # Not JSIIAssembly.load: it wants the tarball inside an importable package,
        # which would mean shipping a built binary instead of the readable files.
        kernel.load(ASSEMBLY_NAME, ASSEMBLY_VERSION, str(path))
    _loaded = True


class GuardPass(metaclass=jsii.JSIIMeta, jsii_type=f"{ASSEMBLY_NAME}.GuardPass"):
    """Proxy of ``GuardPass`` in ``_node/index.js`` (see its comment for the spec)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        load_assembly()
        jsii.create(self.__class__, self, [spec])

    def protect(self, scope: IConstruct) -> tuple[list[str], list[Stack]]:
        """Run the pass under ``scope``: the template files visited, the root stacks to enrol."""
        result = jsii.invoke(self, "protect", [scope])
        return list(result["templateFiles"]), list(result["enrol"])
