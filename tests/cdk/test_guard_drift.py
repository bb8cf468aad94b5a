"""One judgement, three doors: every checker fixture of the rules the guard enforces is
judged the same by ``lattice check``, by the validation plugin at synth and by the guard.

Each fixture template is embedded in a real CDK app with ``CfnInclude`` (its resources
become the L1 classes the guard fills) and synthesized:

* with the plugin alone, the plugin's verdict equals ``lattice check`` on the fixture
  itself (the template is unchanged, apart from CDK's own additions);
* with the guard, the guard's verdict equals ``lattice check`` on what was synthesized
  (the guard fills what the environment requires first, so a fixture that fails only
  for an absent protection passes after it);
* with the guard filling and the plugin judging, the plugin agrees with both.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import cloudformation_include as cfn_include

from lattice_cdk import LatticeValidationPlugin, StatefulnessGuard
from lattice_cdk.cdk._guard_judge import GUARDED_RULES
from lattice_cdk.cfn import load
from lattice_cdk.checker import check

FIXTURES = Path(__file__).parents[1] / "checker" / "fixtures"
CASES = sorted(p for rule in GUARDED_RULES for p in (FIXTURES / rule).iterdir() if p.is_file())

Verdict = set[tuple[str, str]]


def _judged(findings: Any) -> Verdict:
    """(rule id, logical id) of the unacknowledged findings of the guarded rules (a
    "cannot evaluate" finding counts under the rule it names)."""
    verdict: Verdict = set()
    for finding in findings:
        if finding.acknowledged is not None:
            continue
        rule_id = finding.rule_id
        if rule_id == "LAT2901":
            rule_id = finding.message[1:8]
        if rule_id in GUARDED_RULES:
            verdict.add((finding.rule_id, finding.logical_id))
    return verdict


def _reported(app: cdk.App) -> Verdict:
    """What the synth's validation report names, as ``_judged`` counts it."""
    path = Path(app.outdir) / "validation-report.json"
    if not path.is_file():
        return set()
    report = json.loads(path.read_text(encoding="utf-8"))
    verdict: Verdict = set()
    for plugin in report["pluginReports"]:
        for violation in plugin["violations"]:
            rule_id = violation["ruleName"]
            # "[LAT2901] <path>: Cannot evaluate: [LAT1001] ...": the rule it could not.
            named = re.findall(r"\[(LAT\d{4})\]", violation["description"])[-1]
            if named not in GUARDED_RULES:
                continue
            for resource in violation["violatingConstructs"]:
                verdict.add((rule_id, resource["cloudFormationResource"]["logicalId"]))
    return verdict


def _includable(case: Path, folder: Path) -> Path:
    """The fixture as JSON CfnInclude takes, the resources judged unchanged: without its
    template Metadata (the environment is given to each door instead; CDK refuses a
    Metadata key that both the included template and the stack set), and with a
    stateless stand-in for any resource it references but leaves out (CfnInclude
    refuses a GetAtt to a missing resource)."""
    template = dict(load(case).stacks[0].template)
    template.pop("Metadata", None)
    resources = dict(template["Resources"])
    missing = {t for t in _targets(resources) if t not in resources}
    missing -= set(template.get("Parameters", {})) | {"AWS::StackName", "AWS::Region"}
    for name in missing:
        resources[name] = {"Type": "AWS::CloudFormation::WaitConditionHandle"}
    template["Resources"] = resources
    copy = folder / f"{case.stem}.json"
    copy.write_text(json.dumps(template), encoding="utf-8")
    return copy


def _targets(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        if isinstance(value.get("Ref"), str):
            found.add(value["Ref"])
        attribute = value.get("Fn::GetAtt")
        if isinstance(attribute, list) and attribute:
            found.add(attribute[0])
        for item in value.values():
            found |= _targets(item)
    elif isinstance(value, list):
        for item in value:
            found |= _targets(item)
    return found


def _synth(case: Path, tmp: Path, name: str, *, guard: bool, plugin: bool) -> cdk.App:
    environment = load(case).stacks[0].metadata["lattice:environment"]
    app = cdk.App(outdir=str(tmp / name))
    stack = cdk.Stack(app, "Fixture")
    cfn_include.CfnInclude(stack, "Template", template_file=str(_includable(case, tmp)))
    if guard:
        StatefulnessGuard.apply(
            app, environment=environment, enrol_backups=False, fail_synth=not plugin
        )
    if plugin:
        cdk.Validations.of(app).add_plugins(LatticeValidationPlugin(environment=environment))
    try:
        app.synth()
    except RuntimeError as error:
        assert "ValidationFailed" in str(error)
    return app


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_check_the_plugin_and_the_guard_judge_each_fixture_alike(
    case: Path, tmp_path: Path
) -> None:
    expected = _judged(check(load(case)).findings)
    outcome = case.name.split("-")[0].split(".")[0]
    assert (outcome == "fail") == any(r == case.parent.name for r, _ in expected)

    plugin_only = _synth(case, tmp_path, "plugin", guard=False, plugin=True)
    assert _reported(plugin_only) == expected

    guarded = _synth(case, tmp_path, "guard", guard=True, plugin=False)
    synthesized = _judged(check(load(guarded.outdir)).findings)
    assert _reported(guarded) == synthesized

    both = _synth(case, tmp_path, "both", guard=True, plugin=True)
    assert _reported(both) == _judged(check(load(both.outdir)).findings) == synthesized
