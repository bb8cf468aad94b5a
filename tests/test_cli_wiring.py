"""The fail-closed pieces wired through every verb: inputs a folder run could not read
(LAT2904) in ``diff`` and ``lock``, every file the CLI reads held to regular files, and
outputs that never overwrite an input or leave their folder."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .helpers import run_lattice

TIMEOUT = 60
TEMPLATE: dict[str, Any] = {
    "Resources": {
        "Data": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": "app-data"},
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        }
    }
}
CHANGE_SET: dict[str, Any] = {
    "ChangeSetName": "cs",
    "StackName": "App",
    "Status": "CREATE_COMPLETE",
    "ExecutionStatus": "AVAILABLE",
    "Changes": [],
}


def lattice(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess; a run that blocks on its input fails the test."""
    return run_lattice(*args, cwd=cwd, timeout=TIMEOUT)


def _one_line_error(result: subprocess.CompletedProcess[str], code: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"[{code}]" in lines[0], lines[0]
    return lines[0]


def _template(folder: Path, name: str = "App") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.template.json"
    path.write_text(json.dumps(TEMPLATE), encoding="utf-8")
    return path


def _incomplete(folder: Path) -> Path:
    """A folder with one good template and two files that cannot be read."""
    _template(folder)
    (folder / "Broken.template.json").write_bytes(b'{"Resources": \xff}')
    os.mkfifo(folder / "Pipe.template.json")
    return folder


# --- 1. diff and lock handle what a folder run could not read ------------------------


def _not_read(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    findings = json.loads(result.stdout)["findings"]
    return {
        Path(f["template_path"]).name: f["message"] for f in findings if f["rule_id"] == "LAT2904"
    }


def test_diff_reports_each_input_it_could_not_read(tmp_path: Path) -> None:
    _template(tmp_path / "old")
    new = _incomplete(tmp_path / "new")
    result = lattice("diff", tmp_path / "old", new, "--format", "json")
    assert result.returncode & 1, result.stderr
    not_read = _not_read(result)
    assert set(not_read) == {"Broken.template.json", "Pipe.template.json"}
    assert "is a FIFO" in not_read["Pipe.template.json"]


def test_diff_reports_what_the_old_side_could_not_read_too(tmp_path: Path) -> None:
    old = _incomplete(tmp_path / "old")
    result = lattice("diff", old, _template(tmp_path / "new").parent, "--format", "json")
    assert result.returncode & 1
    assert set(_not_read(result)) == {"Broken.template.json", "Pipe.template.json"}


def test_diff_sarif_describes_the_input_not_read_rule(tmp_path: Path) -> None:
    _template(tmp_path / "old")
    result = lattice("diff", tmp_path / "old", _incomplete(tmp_path / "new"), "--format", "sarif")
    rules = {r["id"]: r for r in json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["LAT2904"]["shortDescription"]["text"] == "Input not read"


def test_a_complete_diff_sets_no_bit_1(tmp_path: Path) -> None:
    _template(tmp_path / "old")
    _template(tmp_path / "new")
    result = lattice("diff", tmp_path / "old", tmp_path / "new")
    assert result.returncode == 0, result.stdout + result.stderr


def test_lock_verify_reports_each_input_it_could_not_read(tmp_path: Path) -> None:
    _template(tmp_path / "app")
    lock_file = tmp_path / "lattice.lock.json"
    assert lattice("lock", tmp_path / "app", "--lock-file", lock_file).returncode == 0
    _incomplete(tmp_path / "app")
    result = lattice(
        "lock", tmp_path / "app", "--verify", "--lock-file", lock_file, "--format", "json"
    )
    assert result.returncode & 1
    assert set(_not_read(result)) == {"Broken.template.json", "Pipe.template.json"}


@pytest.mark.parametrize("update", [False, True])
def test_lock_refuses_to_lock_an_incomplete_folder(tmp_path: Path, update: bool) -> None:
    lock_file = tmp_path / "lattice.lock.json"
    if update:
        _template(tmp_path / "app")
        assert lattice("lock", tmp_path / "app", "--lock-file", lock_file).returncode == 0
        _template(tmp_path / "app", "Other")  # a change the update would record
    before = lock_file.read_bytes() if update else None
    _incomplete(tmp_path / "app")
    more = ("--update", "--reason", "take the new stack in") if update else ()
    result = lattice("lock", tmp_path / "app", "--lock-file", lock_file, *more)
    line = _one_line_error(result, "malformed-template")
    assert "Broken.template.json" in line
    assert "1 more input not read" in line
    assert (lock_file.read_bytes() if update else lock_file.exists()) == (before or False)


# --- 2. every file the CLI reads: regular files only, never a hang -------------------


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _options(tmp_path: Path, special: Path) -> list[tuple[str, list[str | Path]]]:
    app = _template(tmp_path / "app")
    change_set = tmp_path / "cs.json"
    change_set.write_text(json.dumps(CHANGE_SET), encoding="utf-8")
    return [
        ("check --config", ["check", app, "--config", special]),
        ("diff --config", ["diff", app, app, "--config", special]),
        ("lock --config", ["lock", app, "--verify", "--config", special]),
        ("lock --lock-file", ["lock", app, "--verify", "--lock-file", special]),
        (
            "lock --update",
            ["lock", app, "--update", "--reason", "a test run", "--lock-file", special],
        ),
        ("diff --change-set FILE", ["diff", "--change-set", special]),
        ("diff --lock", ["diff", "--change-set", change_set, "--lock", special]),
    ]


@pytest.mark.parametrize(
    ("special", "says"),
    [("fifo", "is a FIFO (named pipe)"), ("/dev/zero", "is a character device")],
)
@pytest.mark.parametrize("option", range(7))
def test_a_fifo_or_device_given_to_an_option_is_one_line_quickly(
    tmp_path: Path, special: str, says: str, option: int
) -> None:
    path = _fifo(tmp_path / "special") if special == "fifo" else Path(special)
    name, args = _options(tmp_path, path)[option]
    line = _one_line_error(lattice(*args), "not-a-file")
    assert says in line, name


def test_a_fifo_in_place_of_the_guard_index_does_not_hang(tmp_path: Path) -> None:
    app = _template(tmp_path / "app")
    lock_file = tmp_path / "lattice.lock.json"
    assert lattice("lock", app, "--lock-file", lock_file).returncode == 0
    rules = tmp_path / "rules"
    rules.mkdir()
    _fifo(rules / "lattice-guard.json")
    result = lattice("guard-rules", app, "--output-dir", rules, "--lock-file", lock_file)
    assert result.returncode == 0, result.stderr
    assert json.loads((rules / "lattice-guard.json").read_text())["stacks"]


# --- 3. outputs never overwrite an input, nor leave their folder ---------------------


def test_diff_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    old, new = _template(tmp_path / "old"), _template(tmp_path / "new")
    before = new.read_bytes()
    _one_line_error(lattice("diff", old, new, "-o", new), "output-is-input")
    assert new.read_bytes() == before


def test_diff_refuses_to_write_over_a_template_of_a_folder(tmp_path: Path) -> None:
    _template(tmp_path / "old")
    new = _template(tmp_path / "new")
    before = new.read_bytes()
    result = lattice("diff", tmp_path / "old", tmp_path / "new", "-o", new)
    _one_line_error(result, "output-is-input")
    assert new.read_bytes() == before


def test_diff_of_change_sets_refuses_to_write_over_one(tmp_path: Path) -> None:
    change_set = tmp_path / "cs.json"
    change_set.write_text(json.dumps(CHANGE_SET), encoding="utf-8")
    _one_line_error(
        lattice("diff", "--change-set", change_set, "-o", change_set), "output-is-input"
    )
    assert json.loads(change_set.read_text()) == CHANGE_SET


def test_stack_policy_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    app = _template(tmp_path / "app")
    before = app.read_bytes()
    _one_line_error(lattice("stack-policy", app, "-o", app), "output-is-input")
    assert app.read_bytes() == before


def _cloud_assembly(folder: Path, stack_name: str, template_file: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / template_file).write_text(json.dumps(TEMPLATE), encoding="utf-8")
    manifest = {
        "version": "36.0.0",
        "artifacts": {
            "App": {
                "type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/unknown-region",
                "properties": {"templateFile": template_file, "stackName": stack_name},
            }
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_stack_policy_files_never_overwrite_a_template(tmp_path: Path) -> None:
    # The policy file name of stack "App" is the template file name of this assembly.
    out = _cloud_assembly(tmp_path / "cdk.out", "App", "App.stack-policy.json")
    before = (out / "App.stack-policy.json").read_bytes()
    result = lattice("stack-policy", out, "--output-dir", out)
    _one_line_error(result, "output-is-input")
    assert (out / "App.stack-policy.json").read_bytes() == before


@pytest.mark.parametrize("stack_name", ["../../escaped", "..", "a/../../b"])
def test_stack_policy_files_stay_in_the_output_folder(tmp_path: Path, stack_name: str) -> None:
    app = _cloud_assembly(tmp_path / "cdk.out", stack_name, "App.template.json")
    out = tmp_path / "deep" / "er" / "policies"
    result = lattice("stack-policy", app, "--output-dir", out)
    assert result.returncode == 0, result.stderr
    written = list(tmp_path.rglob("*.stack-policy.json"))
    assert len(written) == 1
    assert written[0].parent == out


def test_stack_policy_does_not_write_through_a_link_out_of_its_folder(tmp_path: Path) -> None:
    app = _template(tmp_path / "app")
    out = tmp_path / "policies"
    out.mkdir()
    target = tmp_path / "elsewhere.json"
    target.write_text("keep", encoding="utf-8")
    (out / "App.stack-policy.json").symlink_to(target)
    result = lattice("stack-policy", app, "--output-dir", out)
    _one_line_error(result, "unsafe-path")
    assert target.read_text(encoding="utf-8") == "keep"


# --- AWS options are checked before any AWS call -------------------------------------


@pytest.mark.parametrize(
    ("verb", "option", "value"),
    [
        ("diff --deployed-all", "--region", "not a region"),
        ("diff --deployed-all", "--endpoint-url", "ftp:// x"),
        ("stack-policy --apply", "--region", "eu-west-1; rm -rf /"),
        ("stack-policy --apply", "--endpoint-url", "localhost"),
    ],
)
def test_a_bad_region_or_endpoint_is_refused_up_front(
    tmp_path: Path, verb: str, option: str, value: str
) -> None:
    command, flag = verb.split()
    app = _template(tmp_path / "app")
    line = _one_line_error(lattice(command, flag, app, option, value), "invalid-value")
    assert option in line
