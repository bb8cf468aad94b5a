"""The policy, the checker and the command are pure Python: they never load jsii."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import lattice_cdk

TESTS = Path(__file__).parent

PROBE = """
import json, sys
import lattice_cdk
from lattice_cdk._cli import main
main(["policy", "--format", "json", "--output", "/dev/null"])
heavy = {"jsii", "aws_cdk", "constructs"}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def test_import_and_cli_never_load_jsii() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


# ``lattice check`` (also with ``--lock``), ``report`` and ``diff`` as CI runs them, in
# one fresh interpreter. The verbs must not import ``typing`` (2.5 ms at every start,
# plus ~1 ms per few NamedTuple classes) nor ``dataclasses`` (which pulls in
# ``inspect``): names only annotations use go under ``if TYPE_CHECKING:``, and records
# are ``lattice_cdk._records.Record`` s.
# (A ``lattice.toml`` brings ``tomllib``, which imports ``typing``: none here.)
LEAN_PROBE = """
import json, sys
from lattice_cdk._cli import main
template, assembly, old, new, lock = sys.argv[1:]
for fmt in ("text", "json", "sarif", "markdown"):
    main(["check", template, "-f", fmt, "-o", "/dev/null"])
main(["check", assembly, "-o", "/dev/null"])
main(["lock", assembly, "--lock-file", lock])
main(["check", assembly, "--lock", lock, "-o", "/dev/null"])
main(["report", assembly, "-f", "json", "-o", "/dev/null"])
main(["diff", old, new, "-o", "/dev/null"])
print(json.dumps(sorted(m for m in ("typing", "dataclasses") if m in sys.modules)))
"""


def test_check_report_and_diff_never_import_typing_or_dataclasses(tmp_path: Path) -> None:
    corpus = TESTS / "changes" / "corpus" / "removed_retained"
    paths = [
        TESTS / "checker" / "fixtures" / "LAT1201" / "fail.json",  # findings, backup plans
        TESTS / "checker" / "fixtures" / "LAT2501" / "pass",  # a cloud assembly
        corpus / "old.json",
        corpus / "new.json",
        tmp_path / "lattice.lock.json",
    ]
    result = subprocess.run(
        [sys.executable, "-c", LEAN_PROBE, *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd="/",  # no configuration file above
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_public_namespace_is_explicit() -> None:
    assert sorted(lattice_cdk.__all__) == sorted(set(lattice_cdk.__all__))
    for name in lattice_cdk.__all__:
        if name not in lattice_cdk._LAZY:
            assert hasattr(lattice_cdk, name), name
    assert dir(lattice_cdk) == sorted(lattice_cdk.__all__)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        lattice_cdk.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize("module", ["lattice_cdk.changes", "lattice_cdk.checker"])
def test_lazy_subpackage_names_all_resolve(module: str) -> None:
    import importlib

    package = importlib.import_module(module)
    for name in package.__all__:
        assert getattr(package, name) is not None, name
    with pytest.raises(AttributeError, match="NoSuchThing"):
        package.NoSuchThing  # noqa: B018
