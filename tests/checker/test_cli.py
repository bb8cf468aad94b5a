"""``lattice check`` and ``lattice report`` as a user runs them (in a subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from lattice_cdk.cfn import load
from lattice_cdk.checker import check
from tests.checker._snapshots import FIXTURES
from tests.helpers import run_lattice

HERE = Path(__file__).parent
SARIF_SCHEMA = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

FAILING = FIXTURES / "LAT1201" / "fail-conditions-and.json"  # errors, warnings and info
PASSING_ASSEMBLY = FIXTURES / "LAT2501" / "pass"  # a clean prod cloud assembly


def test_exit_code_adds_the_severities() -> None:
    result = run_lattice("check", str(FAILING))
    assert result.returncode == 2 | 4 | 8, result.stderr
    assert "LAT1201 error" in result.stdout
    assert "fix:" in result.stdout
    assert "prod: 1 stack (template metadata)" in result.stdout


def test_clean_assembly_exits_zero() -> None:
    result = run_lattice("check", str(PASSING_ASSEMBLY))
    assert result.returncode == 0, result.stdout
    assert "No findings." in result.stdout


def test_environment_flag_overrides_metadata() -> None:
    result = run_lattice("check", str(FIXTURES / "LAT1001" / "fail.json"), "-e", "dev")
    assert result.returncode == 0, result.stdout
    assert "dev: 1 stack (--environment)" in result.stdout


def test_json_output_is_the_engines_findings(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = run_lattice("check", str(FAILING), "--format", "json", "--output", str(out))
    assert result.returncode == 14
    assert result.stdout == ""
    document = json.loads(out.read_text())
    expected = check(load(FAILING))
    assert sorted(f["rule_id"] for f in document["findings"]) == sorted(
        f.rule_id for f in expected.findings
    )
    # LAT1201 on the table, and prod's LAT1306 (no restore test) and LAT1309 (no air-gapped copy)
    assert document["summary"] == {
        "error": 3,
        "warning": 2,
        "info": 1,
        "acknowledged": 0,
        "exit_code": 14,
    }
    assert document["stacks"] == [
        {
            "stack": "fail-conditions-and",
            "identity": "fail-conditions-and",
            "environment": "prod",
            "tier": "prod",
            "source": "template metadata",
            "determined": True,
        }
    ]


@pytest.fixture(scope="module")
def sarif(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    # Errors, warnings, info, a stack-level finding and an acknowledged one.
    folder = tmp_path_factory.mktemp("sarif")
    for source in (FAILING, FIXTURES / "LAT2903" / "pass.json", FIXTURES / "LAT2303" / "fail.json"):
        (folder / f"{source.parent.name}-{source.name}").write_text(source.read_text())
    result = run_lattice("check", str(folder), "--format", "sarif", cwd=folder)
    assert result.returncode == 14, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_sarif_is_valid_sarif_2_1_0(sarif: dict[str, object]) -> None:
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)


def test_sarif_carries_what_code_scanning_needs(sarif: dict[str, object]) -> None:
    run = sarif["runs"][0]  # type: ignore[index]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"LAT1001", "LAT1201", "LAT2901", "LAT3501"}
    results = run["results"]
    assert results
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith("/")  # relative to the repo
        assert location["region"]["startLine"] >= 1
        assert result["partialFingerprints"]
    acknowledged = [r for r in results if "suppressions" in r]
    assert acknowledged
    assert acknowledged[0]["suppressions"][0]["justification"].startswith("rebuilt nightly")
    # The resource's own line, so the annotation lands on it.
    bucket = next(r for r in results if r["ruleId"] == "LAT1201")
    uri = bucket["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("LAT1201-fail-conditions-and.json")
    assert bucket["locations"][0]["physicalLocation"]["region"]["startLine"] > 1


def test_markdown_fits_a_pull_request_comment() -> None:
    result = run_lattice("check", str(FAILING), "--format", "markdown")
    assert result.stdout.startswith("### ❌ Lattice check")
    assert "| rule | severity | resource | problem | fix |" in result.stdout


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda d: d / "missing.json", "no such file or folder"),
        (lambda d: _write(d / "bad.json", '{"Resources": '), "is not valid JSON"),
        (lambda d: _write(d / "bad.yaml", "Resources: [\n"), "is not valid YAML"),
        (lambda d: _write(d / "package.json", '{"name": "x"}'), "is not a CloudFormation template"),
        (lambda d: _write(d / "manifest.json", '{"artifacts": {}}'), "no stacks"),
        (
            lambda d: _write(d / "t.json", '{"Resources": {"B": {"Type": "AWS::S3::Buckets"}}}'),
            "did you mean 'AWS::S3::Bucket'",
        ),
    ],
    ids=["missing", "json", "yaml", "not-template", "empty-assembly", "unknown-type"],
)
@pytest.mark.parametrize("command", ["check", "report"])
def test_bad_input_is_one_line_and_exit_1(
    tmp_path: Path, make: object, says: str, command: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    result = run_lattice(command, str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("lattice: error:")
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_environment_flag_is_unusable_input() -> None:
    result = run_lattice("check", str(FAILING), "--environment", "moon")
    assert result.returncode == 1
    assert "'moon'" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["check", "report", "diff"])
def test_an_output_path_that_cannot_be_written_is_one_line(tmp_path: Path, command: str) -> None:
    target = tmp_path / "no-such-folder" / "out.json"
    paths = [str(FAILING)] * (2 if command == "diff" else 1)
    result = run_lattice(command, *paths, "--output", str(target))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"lattice: error: [io-error] {target}:")
    assert "internal error" not in result.stderr
    assert "Fix:" in result.stderr


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path if path.name != "manifest.json" else path.parent


def test_config_acknowledgement_and_environment(tmp_path: Path) -> None:
    template = tmp_path / "t.json"
    template.write_text(
        json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Delete"}}})
    )
    (tmp_path / "lattice.toml").write_text(
        'environment = "staging"\n'
        "[[acknowledgements]]\n"
        'rule_id = "LAT1001"\nresource = "Q"\nreason = "a work queue, refilled from the source"\n'
        "[[acknowledgements]]\n"
        'rule_id = "LAT1002"\nreason = "expired long ago, so it returns"\nexpires = 2020-01-01\n'
    )
    result = run_lattice("check", "t.json", "--format", "json", cwd=tmp_path)
    document = json.loads(result.stdout)
    by_rule = {f["rule_id"]: f for f in document["findings"]}
    assert by_rule["LAT1001"]["acknowledged"] == "a work queue, refilled from the source"
    assert by_rule["LAT1002"]["acknowledged"] is None
    assert "expired on 2020-01-01" in by_rule["LAT1002"]["message"]
    assert document["stacks"][0]["source"].startswith("config ")
    assert result.returncode == 2


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "lattice.toml").write_text(
        '[[acknowledgements]]\nrule_id = "LAT1001"\nreason = "x"\n'
    )
    result = run_lattice("check", str(FAILING), cwd=tmp_path)
    assert result.returncode == 1
    assert "shorter than 10 characters" in result.stderr
    assert result.stderr.count("\n") == 1


# -- report -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_json() -> dict[str, object]:
    result = run_lattice(
        "report", str(FIXTURES / "LAT1201" / "pass-list-of-tags.json"), "-f", "json"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_report_lists_each_stateful_resource(report_json: dict[str, object]) -> None:
    # The table, and the air-gapped vault its copies land in (a stateful resource too).
    rows = {r["logical_id"]: r for r in report_json["resources"]}  # type: ignore[attr-defined]
    assert set(rows) == {"Orders", "AirGapped"}
    row = rows["Orders"]
    assert row == {
        "stack": "pass-list-of-tags",
        "environment": "prod",
        "environment_source": "template metadata",
        "environment_assumed": False,
        "logical_id": "Orders",
        "construct_path": "App/Orders/Resource",
        "type": "AWS::DynamoDB::Table",
        "deletion_policy": "Retain",
        "update_replace_policy": "Retain",
        "deletion_protection": "on",
        "backup": "covered",
        "backup_plans": ["Plan"],
        "backup_tiers": ["daily"],
        "cross_region": "no",
        "restore_test": "tested",
        "copies_to": ["AirGapped (air-gapped)"],
        "point_in_time_recovery": "on",
        "versioning": "n/a",
        # Its plan has no long-term tier (LAT2302) and no cross-region copy (LAT2303).
        "verdict": "review",
        "findings": ["LAT2302", "LAT2303"],
        "acknowledgements": [],
    }
    assert report_json["totals"] == {  # type: ignore[comparison-overlap]
        "prod": {
            "resources": 2,
            "at risk": 0,
            "unknown": 0,
            "review": 1,
            "acknowledged": 0,
            "compliant": 1,
        }
    }


def test_report_html_is_one_self_contained_page(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_lattice("report", str(FIXTURES / "LAT1201"), "-f", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    assert page.startswith("<!doctype html>")
    assert "<style>" in page
    assert "<script>" in page
    assert "src=" not in page  # no external scripts, images or styles
    assert 'rel="stylesheet"' not in page
    assert "at risk" in page
    assert "App/Orders/Resource" in page


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_report_text_formats_have_totals(fmt: str) -> None:
    result = run_lattice("report", str(FIXTURES / "LAT1001"), "-f", fmt)
    assert result.returncode == 0, result.stderr
    assert "stateful resources" in result.stdout
    assert "verdict" in result.stdout


LEAN_PROBE = """
import json, sys
from lattice_cdk._cli import main
main(["check", sys.argv[1], "--output", "/dev/null"])
main(["report", sys.argv[1], "--output", "/dev/null"])
heavy = {"jsii", "aws_cdk", "constructs", "yaml", "cfnlint", "boto3", "rich", "tomllib"}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def test_check_and_report_load_nothing_heavy_for_json_input() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", LEAN_PROBE, str(PASSING_ASSEMBLY)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd="/",
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_markdown_is_capped_for_comments() -> None:
    from lattice_cdk._findings import Finding, Severity
    from lattice_cdk._formats import MARKDOWN_MAX_ROWS, render_findings

    findings = [
        Finding(
            rule_id="LAT1001",
            severity=Severity.ERROR,
            title="t",
            message="m" * 200,
            fix="f" * 100,
            stack="S",
            template_path="t.json",
            logical_id=f"R{i}",
        )
        for i in range(MARKDOWN_MAX_ROWS + 50)
    ]
    text = render_findings(findings, fmt="markdown", rules={}, command="check")
    assert len(text) < 65_536
    assert "...and 50 more" in text
    assert "**150 error(s)" in text


def test_report_says_when_an_environment_was_assumed(tmp_path: Path) -> None:
    # GIVEN a template that names no environment
    template = tmp_path / "plain.json"
    template.write_text(
        json.dumps({"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {}}}})
    )
    # WHEN it is reported THEN every format says prod was assumed
    text = run_lattice("report", str(template)).stdout
    assert "prod (assumed)" in text
    assert "Environment assumed: 1 stack (plain) judged as prod" in text
    row = json.loads(run_lattice("report", str(template), "-f", "json").stdout)["resources"][0]
    assert row["environment_assumed"] is True
    assert "Environment assumed" in run_lattice("report", str(template), "-f", "markdown").stdout
    assert "Environment assumed" in run_lattice("report", str(template), "-f", "html").stdout
    # AND a named environment is not marked assumed
    named = run_lattice("report", str(template), "-e", "prod", "-f", "json").stdout
    assert json.loads(named)["resources"][0]["environment_assumed"] is False
    assert "Environment assumed" not in run_lattice("report", str(template), "-e", "prod").stdout


@pytest.mark.parametrize(
    ("command", "name", "starts"),
    [
        ("check", "findings.json", "{"),
        ("check", "findings.sarif", "{"),
        ("check", "findings.md", "### "),
        ("report", "report.json", "{"),
        ("report", "report.html", "<!doctype html>"),
        ("report", "report.md", "### "),
    ],
)
def test_output_suffix_chooses_the_format(
    tmp_path: Path, command: str, name: str, starts: str
) -> None:
    out = tmp_path / name
    result = run_lattice(command, str(FAILING), "-o", str(out))
    assert result.returncode in (0, 14), result.stderr
    assert out.read_text().startswith(starts)
    if name.endswith(".sarif"):
        assert json.loads(out.read_text())["version"] == "2.1.0"


def test_an_explicit_format_wins_over_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "findings.json"
    run_lattice("check", str(FAILING), "-o", str(out), "--format", "text")
    assert not out.read_text().startswith("{")


@pytest.mark.parametrize("verb", ["check", "report"])
def test_a_config_acknowledgement_of_no_rule_is_refused_with_a_guess(
    tmp_path: Path, verb: str
) -> None:
    # GIVEN a config that acknowledges LAT1010, a typo of LAT1001
    (tmp_path / "lattice.toml").write_text(
        '[[acknowledgements]]\nrule_id = "LAT1010"\nreason = "rebuilt nightly from the ledger"\n'
    )
    # WHEN a verb reads it THEN it stops, naming the file, the entry and the guess
    result = run_lattice(verb, str(FAILING), "--config", str(tmp_path / "lattice.toml"))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "[unknown-rule]" in line
    assert "lattice.toml (acknowledgement 1): no Lattice rule has the id 'LAT1010'" in line
    assert "did you mean 'LAT1001'?" in line
