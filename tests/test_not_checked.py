"""What a run could not check is reported by every door, never passed.

A template entry Lattice cannot evaluate (a resource a transform such as SAM makes, a
``Fn::ForEach`` loop over a deploy-time collection, a nested stack whose template is not
in the assembly) and a file a folder run could not read: ``check`` has always reported
both (LAT2901, LAT2904). Here ``report``, ``destroy-plan``, ``diff``, ``lock``,
``lock --verify`` and ``stack-policy`` do too, each in its own way, all from the same
facts (``Assembly.unevaluated``, ``Assembly.problems``, ``checker._engine.not_checked``).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from lattice_cdk.cfn import load
from lattice_cdk.checker import check
from lattice_cdk.checker._engine import not_checked

from .helpers import run_lattice

# A SAM template: the SimpleTable is a DynamoDB table once the transform has run.
SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Sessions:
    Type: AWS::Serverless::SimpleTable
  Data:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
"""
PROCESSED = "--template-stage Processed"


def lattice(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_lattice(*args, timeout=60)


def _sam(folder: Path, text: str = SAM) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "app.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _folder(tmp_path: Path) -> Path:
    """A folder run's input: the SAM template and a template that cannot be parsed."""
    folder = tmp_path / "repo"
    _sam(folder)
    (folder / "broken.json").write_text('{"Resources": {"T": ', encoding="utf-8")
    return folder


def test_not_checked_is_what_check_reports_as_cannot_evaluate_and_not_read(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path)
    assembly = load(folder)
    assert not assembly.complete
    listed = {(f.rule_id, f.logical_id, f.message, f.fix) for f in not_checked(assembly)}
    checked = {
        (f.rule_id, f.logical_id, f.message, f.fix)
        for f in check(load(folder), environment="prod").findings
        if f.rule_id == "LAT2904" or (f.rule_id == "LAT2901" and f.logical_id == "Sessions")
    }
    assert listed == checked
    assert {rule for rule, *_ in listed} == {"LAT2901", "LAT2904"}
    # Two assemblies that share an entry list it once.
    assert len(not_checked(assembly, load(folder))) == len(listed)
    assert load(_sam(tmp_path / "plain", "Resources: {}\n")).complete


def test_report_lists_what_it_left_out_in_every_format(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    text = lattice("report", folder, "-e", "prod")
    assert text.returncode == 0, text.stderr
    section = text.stdout.split("Not checked", 1)[1]
    assert "LAT2901 app: Sessions: AWS::Serverless::SimpleTable is expanded" in section
    assert PROCESSED in section
    assert "LAT2904 [malformed-template]" in section
    assert "broken.json" in section
    data = json.loads(lattice("report", folder, "-e", "prod", "-f", "json").stdout)
    entries = {(e["rule_id"], e["logical_id"]) for e in data["not_checked"]}
    assert entries == {("LAT2901", "Sessions"), ("LAT2904", None)}
    markdown = lattice("report", folder, "-e", "prod", "-f", "markdown").stdout
    assert "#### Not checked" in markdown
    assert "Sessions" in markdown
    html = lattice("report", folder, "-e", "prod", "-f", "html").stdout
    assert 'id="not-checked"' in html
    assert "AWS::Serverless::SimpleTable" in html
    clean = _sam(tmp_path / "clean", "Resources: {}\n")
    assert json.loads(lattice("report", clean, "-f", "json").stdout)["not_checked"] == []
    assert "Not checked" not in lattice("report", clean).stdout


def test_destroy_plan_lists_the_unknown_entries_and_the_files_not_read(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = lattice("destroy-plan", folder, "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [Path(p["path"]).name for p in data["not_read"]] == ["broken.json"]
    [stack] = data["stacks"]
    fates = {r["logical_id"]: (r["fate"], r["type"]) for r in stack["resources"]}
    assert fates["Sessions"] == ("unknown", "AWS::Serverless::SimpleTable")
    assert fates["Data"][0] == "retained"
    [sessions] = [r for r in stack["resources"] if r["logical_id"] == "Sessions"]
    assert PROCESSED in sessions["detail"]
    text = lattice("destroy-plan", folder).stdout
    assert "Not read, so not planned" in text
    assert "broken.json" in text
    assert "unknown   AWS::Serverless::SimpleTable Sessions" in text


def test_diff_reports_an_entry_of_either_side_it_cannot_see(tmp_path: Path) -> None:
    # The new template drops the SimpleTable: without the transform Lattice cannot see
    # that a table goes, so the diff says what it could not evaluate instead of passing.
    old = _sam(tmp_path / "old")
    new = _sam(
        tmp_path / "new", SAM.replace("  Sessions:\n    Type: AWS::Serverless::SimpleTable\n", "")
    )
    result = lattice("diff", old, new, "--format", "json")
    assert result.returncode & 4, result.stdout + result.stderr  # warnings
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule_id"], f["logical_id"]) for f in findings] == [("LAT2901", "Sessions")]
    assert PROCESSED in findings[0]["fix"]
    sarif = json.loads(lattice("diff", old, new, "--format", "sarif").stdout)
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "LAT2901" in rules
    # Both sides hold the entry: one finding, not two.
    both = json.loads(lattice("diff", old, old, "--format", "json").stdout)["findings"]
    assert [(f["rule_id"], f["logical_id"]) for f in both] == [("LAT2901", "Sessions")]


def test_lock_refuses_what_it_cannot_evaluate_and_verify_reports_it(tmp_path: Path) -> None:
    template = _sam(tmp_path / "app")
    lock_file = tmp_path / "lattice.lock.json"
    result = lattice("lock", template, "--lock-file", lock_file)
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "[cannot-evaluate]" in line
    assert "'Sessions'" in line
    assert PROCESSED in line
    assert not lock_file.exists()
    # Acknowledged (here in lattice.toml: the entry is not in Resources, so it has no
    # Metadata), the entry is left out of the lock, as the acknowledgement says.
    config = tmp_path / "lattice.toml"
    config.write_text(
        '[[acknowledgements]]\nrule_id = "LAT2901"\nresource = "Sessions"\n'
        'reason = "locked from the processed template"\n',
        encoding="utf-8",
    )
    assert lattice("lock", template, "--lock-file", lock_file, "--config", config).returncode == 0
    locked = json.loads(lock_file.read_text())["resources"]
    assert [entry["logical_id"] for entry in locked] == ["Data"]
    lock_file.unlink()
    # A lock taken from the processed template, verified against the source: the entry
    # the source leaves to deploy time is reported, not passed.
    plain = tmp_path / "plain" / "app.yaml"
    _sam(
        plain.parent,
        SAM.replace("Transform: AWS::Serverless-2016-10-31\n", "").replace(
            "AWS::Serverless::SimpleTable", "AWS::DynamoDB::Table"
        ),
    )
    assert lattice("lock", plain, "--lock-file", lock_file).returncode == 0
    verify = lattice("lock", template, "--verify", "--lock-file", lock_file, "--format", "json")
    rules = {(f["rule_id"], f["logical_id"]) for f in json.loads(verify.stdout)["findings"]}
    assert ("LAT2901", "Sessions") in rules
    assert verify.returncode & 4


def test_stack_policy_reports_each_entry_and_fails(tmp_path: Path) -> None:
    result = lattice("stack-policy", _sam(tmp_path / "app"))
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = [line for line in result.stderr.splitlines() if "[cannot-evaluate]" in line]
    assert "'Sessions'" in line
    assert PROCESSED in line


def test_guard_rules_names_each_file_it_could_not_read_and_fails(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "app.json").write_text(
        json.dumps({"Resources": {"T": {"Type": "AWS::DynamoDB::Table"}}}), encoding="utf-8"
    )
    lock_file = tmp_path / "lattice.lock.json"
    assert lattice("lock", folder, "--lock-file", lock_file).returncode == 0
    (folder / "broken.json").write_text('{"Resources": {"T": ', encoding="utf-8")
    out = tmp_path / "rules"
    result = lattice("guard-rules", folder, "--output-dir", out, "--lock-file", lock_file)
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "[malformed-template]" in line
    assert "broken.json" in line
    assert (out / "app.guard").is_file()  # what was read is still guarded
