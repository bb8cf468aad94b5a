"""Other tools' acknowledgements (issue 18) through every door: ``lattice check`` in each
format, ``lattice report``, and the synth-time plugin on a real CDK app; and the mapping
data against the tools it names."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb

from lattice_cdk import LatticeValidationPlugin
from lattice_cdk.cfn._knowledge import stateful_types
from lattice_cdk.checker import RULES
from lattice_cdk.checker._foreign import DATA, foreign_rules
from lattice_cdk.checker.docs import render_foreign_acknowledgements
from tests.checker._snapshots import FIXTURES
from tests.helpers import run_lattice

REPO = Path(__file__).parents[2]
CDK_NAG = FIXTURES / "LAT1401" / "pass-ack-cdk-nag.json"
CHECKOV = FIXTURES / "LAT1401" / "pass-ack-checkov.json"
SHOWN = "(via cdk-nag AwsSolutions-DDB3)"
REASON = "Orders are rebuilt from the event log within the hour."


def _pitr(findings: list[dict[str, Any]]) -> dict[str, Any]:
    (finding,) = [f for f in findings if f["rule_id"] == "LAT1401"]
    return finding


# -- lattice check, every format ----------------------------------------------------------


def test_check_json_records_the_acknowledgement_and_its_source() -> None:
    result = run_lattice("check", str(CDK_NAG), "-f", "json")
    finding = _pitr(json.loads(result.stdout)["findings"])
    assert finding["acknowledged"] == f"{REASON} {SHOWN}"
    assert finding["acknowledged_by"] == "cdk-nag:AwsSolutions-DDB3"


def test_check_text_markdown_and_sarif_show_the_source() -> None:
    assert SHOWN in run_lattice("check", str(CDK_NAG)).stdout
    assert SHOWN in run_lattice("check", str(CDK_NAG), "-f", "markdown").stdout
    sarif = json.loads(run_lattice("check", str(CDK_NAG), "-f", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    (pitr,) = [r for r in results if r["ruleId"] == "LAT1401"]
    assert pitr["suppressions"][0]["justification"] == f"{REASON} {SHOWN}"


def test_an_acknowledged_finding_no_longer_fails_the_run() -> None:
    # The fixture's only other error is the missing backup (LAT1201): acknowledging
    # PITR through checkov leaves the same exit code as through Lattice's own metadata,
    # and the finding is counted as acknowledged.
    result = run_lattice("check", str(CHECKOV), "-f", "json")
    payload = json.loads(result.stdout)
    assert _pitr(payload["findings"])["acknowledged_by"] == "checkov:CKV_AWS_28"
    assert payload["summary"]["acknowledged"] == 1


def test_a_suppression_without_reason_is_named_and_not_honoured() -> None:
    result = run_lattice("check", str(FIXTURES / "LAT1401" / "fail-ack-cfn-guard.json"))
    assert result.returncode & 2
    assert "without a reason by cfn-guard DYNAMODB_PITR_ENABLED" in result.stdout
    assert "0 acknowledged" in result.stdout


def test_a_short_reason_is_an_invalid_acknowledgement() -> None:
    case = FIXTURES / "LAT1401" / "fail-ack-cdk-nag-short-reason.json"
    findings = json.loads(run_lattice("check", str(case), "-f", "json").stdout)["findings"]
    assert _pitr(findings)["acknowledged"] is None
    (invalid,) = [f for f in findings if f["rule_id"] == "LAT2903"]
    assert "cdk-nag suppression of AwsSolutions-DDB3" in invalid["message"]


# -- lattice report ------------------------------------------------------------------------


def test_report_lists_the_acknowledgement_with_its_source() -> None:
    result = run_lattice("report", str(CDK_NAG), "-f", "json")
    (row,) = json.loads(result.stdout)["resources"]
    assert {"rule_id": "LAT1401", "reason": f"{REASON} {SHOWN}"} in row["acknowledgements"]
    assert "LAT1401" not in row["findings"]
    assert SHOWN in run_lattice("report", str(CDK_NAG), "-f", "html").stdout


# -- the synth-time plugin -----------------------------------------------------------------


def _violations(tmp_path: Path, acknowledge: Any) -> set[str]:
    """The rule ids the plugin reports for a prod table without PITR that ``acknowledge``
    (given the table) acknowledges in some tool's way."""
    app = cdk.App(
        outdir=str(tmp_path),
        context={
            "lattice:environment": "prod",
            "@aws-cdk/core:validationReportJson": True,
        },
    )
    cdk.Validations.of(app).add_plugins(LatticeValidationPlugin(fail_on=()))
    stack = cdk.Stack(app, "Data")
    table = dynamodb.CfnTable(
        stack,
        "Orders",
        key_schema=[dynamodb.CfnTable.KeySchemaProperty(attribute_name="pk", key_type="HASH")],
        attribute_definitions=[
            dynamodb.CfnTable.AttributeDefinitionProperty(attribute_name="pk", attribute_type="S")
        ],
        billing_mode="PAY_PER_REQUEST",
        deletion_protection_enabled=True,
    )
    table.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
    acknowledge(table)
    app.synth()
    report = json.loads((tmp_path / "policy-validation-report.json").read_text(encoding="utf-8"))
    return {v["ruleName"] for p in report["pluginReports"] for v in p["violations"]}


@pytest.mark.parametrize(
    "acknowledge",
    [
        lambda t: t.add_metadata(
            "cdk_nag", {"rules_to_suppress": [{"id": "AwsSolutions-DDB3", "reason": REASON}]}
        ),
        lambda t: t.add_metadata("checkov", {"skip": [{"id": "CKV_AWS_28", "comment": REASON}]}),
        # cdk-nag v3 acknowledges through CDK itself.
        lambda t: cdk.Validations.of(t).acknowledge(
            cdk.Acknowledgment(id="AwsSolutions-DDB3", reason=REASON)
        ),
    ],
    ids=["cdk-nag-metadata", "checkov", "cdk-nag-v3"],
)
def test_plugin_honours_other_tools_acknowledgements(tmp_path: Path, acknowledge: Any) -> None:
    assert "LAT1401" in _violations(tmp_path / "bare", lambda t: None)
    assert "LAT1401" not in _violations(tmp_path / "acked", acknowledge)


@pytest.mark.parametrize(
    "acknowledge",
    [
        lambda t: t.add_metadata("guard", {"SuppressedRules": ["DYNAMODB_PITR_ENABLED"]}),
        lambda t: t.add_metadata("cdk_nag", {"rules_to_suppress": [{"id": "AwsSolutions-DDB3"}]}),
        lambda t: cdk.Validations.of(t).acknowledge(
            cdk.Acknowledgment(id="AwsSolutions-DDB3", reason="cache")
        ),
    ],
    ids=["cfn-guard", "cdk-nag-no-reason", "cdk-nag-v3-short-reason"],
)
def test_plugin_ignores_suppressions_without_a_reason(tmp_path: Path, acknowledge: Any) -> None:
    assert "LAT1401" in _violations(tmp_path, acknowledge)


# -- the mapping data ----------------------------------------------------------------------


def test_every_mapping_names_lattice_rules_that_apply_to_its_types() -> None:
    by_id = {r.info.rule_id: r for r in RULES}
    known = stateful_types()
    for rule in foreign_rules().values():
        assert rule.citation, rule
        assert rule.fact, rule
        for lattice_id in rule.lattice:
            lattice_rule = by_id[lattice_id]
            for resource_type in rule.types:
                kind = known[resource_type]
                stateful = getattr(lattice_rule, "stateful", None)
                assert stateful is not None, lattice_id
                assert stateful(kind), (rule.rule_id, resource_type)


def _cdk_nag_rule_ids() -> set[str]:
    """Every rule id the installed cdk-nag's packs can report (``<pack>-<rule>``)."""
    import re

    import cdk_nag

    bundle = next((Path(cdk_nag.__file__).parent / "_jsii").glob("*.tgz"))
    ids: set[str] = set()
    with tarfile.open(bundle) as archive:
        for member in archive.getmembers():
            if not re.fullmatch(r"package/lib/packs/[\w-]+\.js", member.name):
                continue
            source = archive.extractfile(member)
            assert source is not None
            text = source.read().decode().split("//# sourceMappingURL")[0]
            (pack,) = re.findall(r"this\.packName = '([^']+)'", text)
            for block in re.findall(r"this\.applyRule\(\{(.*?)\}\);", text, re.S):
                suffix = re.search(r"ruleSuffixOverride: '([^']+)'", block)
                rule = re.search(r"rule: [\w]+\.(\w+)", block)
                name = suffix.group(1) if suffix else rule.group(1) if rule else None
                if name:
                    ids.add(f"{pack}-{name}")
    return ids


def test_cdk_nag_ids_exist_in_the_installed_cdk_nag() -> None:
    installed = _cdk_nag_rule_ids()
    mapped = {r.rule_id for r in foreign_rules().values() if r.tool == "cdk-nag"}
    assert mapped <= installed, sorted(mapped - installed)


def test_docs_table_is_the_data() -> None:
    committed = (REPO / "docs" / "checker.md").read_text(encoding="utf-8")
    assert render_foreign_acknowledgements() in committed, (
        "docs/checker.md is stale: python -m lattice_cdk.checker.docs --write-checker "
        "docs/checker.md"
    )
    assert DATA.is_file()
