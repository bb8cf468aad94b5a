"""``lattice diff`` as a user runs it: formats, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..helpers import run_lattice

CORPUS = Path(__file__).with_name("corpus")


def _case(name: str) -> tuple[str, str]:
    case = CORPUS / name
    old, new = case / "old", case / "new"
    if not old.is_dir():
        old, new = case / "old.json", case / "new.json"
    return str(old), str(new)


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("safe_updatable_properties", 0),
        ("replaced_bucket_name", 2),
        ("weakened_versioning", 4),
        ("renamed_by_refactor", 2),
        ("stack_removed", 6),
        ("acknowledged_replacement", 0),
    ],
)
def test_exit_code_says_whether_data_is_at_risk(case: str, code: int) -> None:
    result = run_lattice("diff", *_case(case))
    assert result.returncode == code, result.stdout + result.stderr


def test_json_lists_findings_with_id_type_rule_and_severity() -> None:
    result = run_lattice("diff", *_case("renamed_by_refactor"), "--format", "json")
    report = json.loads(result.stdout)
    (finding,) = report["findings"]
    assert finding["logical_id"] == "DataBucketE3889A50"
    assert finding["resource_type"] == "AWS::S3::Bucket"
    assert finding["rule_id"] == "LAT1603"
    assert finding["severity"] == "error"
    assert "StorageDataBucket9F3A21C4" in finding["message"]
    assert "override_logical_id('DataBucketE3889A50')" in finding["fix"]
    assert report["command"] == "diff"


def test_text_says_what_why_and_fix() -> None:
    result = run_lattice("diff", *_case("replaced_bucket_name"))
    assert "LAT1604" in result.stdout
    assert 'BucketName: "data-2025" -> "data-2026"' in result.stdout
    assert "fix:" in result.stdout


def test_markdown_is_a_pull_request_comment(tmp_path: Path) -> None:
    out = tmp_path / "comment.md"
    result = run_lattice("diff", *_case("stack_removed"), "--format", "markdown", "-o", str(out))
    assert result.returncode == 6
    text = out.read_text()
    assert "- stacks: 1 compared, 1 removed, 0 added" in text
    assert text.startswith("### ❌ Lattice diff")
    assert "| `LAT1606` | error |" in text


def test_sarif_names_every_rule_that_fired() -> None:
    result = run_lattice("diff", *_case("weakened_policies"), "--format", "sarif")
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} <= rule_ids
    assert {"LAT2610", "LAT2611"} <= {r["ruleId"] for r in run["results"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["only-one.json"], "expected OLD and NEW"),
        (["/no/such/old.json", "/no/such/new.json"], "no such file"),
        (["--deployed", "S", "a.json", "b.json"], "expected NEW"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(args: list[str], message: str) -> None:
    result = run_lattice("diff", *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


PROBE = """
import json, sys
from lattice_cdk._cli import main
code = main(["diff", {old!r}, {new!r}, "--output", "/dev/null"])
heavy = {{"jsii", "aws_cdk", "constructs", "boto3", "botocore", "cfnlint", "yaml"}}
print(json.dumps([code, sorted({{m.split(".")[0] for m in sys.modules}} & heavy)]))
"""


def test_diff_loads_nothing_heavy() -> None:
    old, new = _case("replaced_bucket_name")
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(old=old, new=new)],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [2, []]


def test_a_configured_acknowledgement_is_shown_and_does_not_fail(tmp_path: Path) -> None:
    (tmp_path / "lattice.toml").write_text(
        "[[acknowledgements]]\n"
        'rule_id = "LAT1601"\n'
        'resource = "Queue"\n'
        'reason = "the audit queue is drained and retired"\n'
    )
    result = run_lattice("diff", *_case("removed_default_policy"), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["acknowledged"] == "the audit queue is drained and retired"


def test_a_misspelt_deployed_stack_gets_a_guess_before_any_aws_call(tmp_path: Path) -> None:
    for name in ("Data", "Api"):
        (tmp_path / f"{name}.template.json").write_text(
            json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}})
        )
    result = run_lattice("diff", "--deployed", "Dat", str(tmp_path), "--region", "us-east-1")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "holds no stack named 'Dat'" in result.stderr
    assert "Did you mean 'Data'?" in result.stderr
