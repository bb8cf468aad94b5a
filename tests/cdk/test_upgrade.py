"""Upgrading an app built on the earlier constructs replaces nothing.

``upgrade/base/`` holds the templates the constructs of commit ``upgrade/base/COMMIT``
(an inner ``Default`` child in a wrapper construct) synthesized from ``upgrade/app.py``;
``upgrade/make_fixture.py`` regenerates them. Today's constructs must give every
resource of those templates the same logical id, so ``lattice diff`` reports nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "upgrade"
LATTICE = Path(sys.executable).with_name("lattice")


@pytest.fixture(scope="module")
def new_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(HERE))
    try:
        import app as upgrade_app
    finally:
        sys.path.remove(str(HERE))
    out = tmp_path_factory.mktemp("upgrade") / "cdk.out"
    upgrade_app.build_app(str(out)).synth()
    return out


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_every_old_data_resource_keeps_its_logical_id(new_out: Path, environment: str) -> None:
    # GIVEN the old and the new template of one environment
    name = f"Upgrade-{environment}.template.json"
    old = json.loads((HERE / "base" / name).read_text())["Resources"]
    new = json.loads((new_out / name).read_text())["Resources"]
    # THEN every bucket, table, database, cluster, secret, key and subnet group is still there
    kept_types = {
        "AWS::S3::Bucket",
        "AWS::DynamoDB::Table",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::RDS::DBSubnetGroup",
        "AWS::SecretsManager::Secret",
        "AWS::KMS::Key",
        "AWS::Backup::BackupVault",
    }
    for logical_id, resource in old.items():
        if resource["Type"] in kept_types:
            assert logical_id in new, f"{resource['Type']} {logical_id} would be replaced"
            assert new[logical_id]["Type"] == resource["Type"]


def test_lattice_diff_of_the_upgrade_is_empty(new_out: Path) -> None:
    # WHEN lattice diff compares the old templates with the new ones
    result = subprocess.run(
        [str(LATTICE), "diff", str(HERE / "base"), str(new_out), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    # THEN nothing is removed, renamed, replaced or weakened
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["findings"] == [], report["findings"]
