"""The node-side half of the guard: its package is consistent and loads into jsii."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from importlib import resources

from lattice_cdk.cdk import _node_pass


def _node_file(name: str) -> bytes:
    return resources.files("lattice_cdk.cdk").joinpath("_node", name).read_bytes()


def test_package_and_jsii_description_agree_with_the_proxy() -> None:
    package = json.loads(_node_file("package.json"))
    assembly = json.loads(_node_file("assembly.jsii.json"))
    assert package["name"] == assembly["name"] == _node_pass.ASSEMBLY_NAME
    assert package["version"] == assembly["version"] == _node_pass.ASSEMBLY_VERSION
    fqn = _node_pass.GuardPass.__jsii_type__  # type: ignore[attr-defined]
    declared = assembly["types"][fqn]
    assert declared["kind"] == "class"
    assert [m["name"] for m in declared["methods"]] == ["protect"]
    # index.js exports the class the description names.
    assert f"module.exports = {{ {declared['name']} }};" in _node_file("index.js").decode()


def test_tarball_is_an_npm_package_and_reproducible() -> None:
    data = _node_pass._tarball()
    assert data == _node_pass._tarball()  # same bytes: the runtime's cache can hit
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data))) as tar:
        names = tar.getnames()
        spec = tar.extractfile("package/.jsii")
        assert spec is not None
        assert json.load(spec)["name"] == _node_pass.ASSEMBLY_NAME
    assert sorted(names) == ["package/.jsii", "package/index.js", "package/package.json"]


def test_loads_into_the_runtime_once() -> None:
    _node_pass.load_assembly()
    _node_pass.load_assembly()  # a second call is a no-op, not a second load
    spec = {
        "types": {},
        "reads": False,
        "environment": "dev",
        "terminationProtection": False,
        "backupTag": None,
        "environmentKey": "lattice:environment",
        "acknowledgementsKey": "lattice:acknowledgements",
        "minReason": 10,
    }
    import aws_cdk as cdk

    app = cdk.App()
    stack = cdk.Stack(app, "Empty")
    files, enrol = _node_pass.GuardPass(spec).protect(app)
    assert files == ["Empty.template.json"]
    assert enrol == []
    assert stack.template_options.metadata == {"lattice:environment": "dev"}
