"""The drift test, plugin half: every single-template checker fixture, rebuilt in a real
CDK app and judged by the validation plugin at ``app.synth()``, gets the same verdict
for its rule as ``lattice check`` gives the file itself.

Each resource becomes a ``CfnResource`` with the fixture's logical id, properties and
attributes as written (``CfnInclude`` would refuse the fixtures that are deliberately
incomplete); parameters become ``CfnParameter`` s. A fixture's ``Conditions`` section is
not rebuilt: no verdict reads it (a policy under ``Fn::If`` cannot be evaluated either
way). One app per environment (and per backup-coverage fixture), one stack per fixture.
Left out: fixtures of the rules about what only a bare template lacks or a manifest
records (LAT2501, LAT3501: termination protection) or how the environment is found
(LAT2902): in a CDK app those facts differ by design.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

cdk = pytest.importorskip("aws_cdk")

from lattice_cdk import LatticeValidationPlugin, check  # noqa: E402
from lattice_cdk.cfn import load  # noqa: E402
from tests.checker._snapshots import TODAY, fixture_cases  # noqa: E402

_DIFFERENT_BY_DESIGN = {"LAT2501", "LAT3501", "LAT2902"}

Verdict = set[tuple[str, str | None]]


def _cases() -> list[Path]:
    return [c for c in fixture_cases() if c.is_file() and c.parent.name not in _DIFFERENT_BY_DESIGN]


def _environment(case: Path) -> str:
    result = check(load(case), today=TODAY)
    (env,) = result.environments.values()
    return env.environment.name


def _by_check(case: Path, environment: str) -> Verdict:
    rule_id = case.parent.name
    result = check(load(case), environment=environment, today=TODAY)
    return {
        (f.rule_id, f.logical_id)
        for f in result.findings
        if f.acknowledged is None and (f.rule_id == rule_id or f.message.startswith(f"[{rule_id}]"))
    }


def _by_plugin(cases: list[Path], environment: str, outdir: Path) -> dict[Path, Verdict]:
    app = cdk.App(
        outdir=str(outdir),
        analytics_reporting=False,
        context={
            "lattice:environment": environment,
            "@aws-cdk/core:validationReportJson": True,
        },
    )
    cdk.Validations.of(app).add_plugins(LatticeValidationPlugin(fail_on=()))
    stacks: dict[str, Path] = {}
    for index, case in enumerate(cases):
        name = f"Fixture{index}"
        stack = cdk.Stack(
            app,
            name,
            synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False),
        )
        _rebuild(stack, case)
        stacks[f"{name}.template.json"] = case
    app.synth()
    report = json.loads((outdir / "policy-validation-report.json").read_text(encoding="utf-8"))
    found: dict[Path, Verdict] = {case: set() for case in cases}
    for plugin in report["pluginReports"]:
        for violation in plugin["violations"]:
            rule = violation["ruleName"]
            for place in violation["violatingResources"]:
                case = stacks[Path(place["templatePath"]).name]
                rule_id = case.parent.name
                if rule == rule_id or (
                    rule == "LAT2901" and f"[{rule_id}]" in violation["description"]
                ):
                    logical_id = place["resourceLogicalId"]
                    found[case].add((rule, None if logical_id.startswith("(") else logical_id))
    return found


_ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy", "Metadata", "Condition", "DependsOn")


def _rebuild(stack: Any, case: Path) -> None:
    (source,) = load(case).stacks
    template = source.template
    metadata = template.get("Metadata")
    if isinstance(metadata, dict):
        for key, value in metadata.items():
            stack.template_options.metadata = {
                **(stack.template_options.metadata or {}),
                key: value,
            }
    for name, parameter in (template.get("Parameters") or {}).items():
        cdk.CfnParameter(stack, name, type=parameter.get("Type", "String"))
    for logical_id, body in template["Resources"].items():
        resource = cdk.CfnResource(
            stack, logical_id, type=body["Type"], properties=body.get("Properties") or {}
        )
        resource.override_logical_id(logical_id)
        for attribute in _ATTRIBUTES:
            if attribute in body:
                resource.add_override(attribute, body[attribute])


#: Rules whose selections (backup, restore testing) reach across the whole assembly.
_ALONE = ("LAT1201", "LAT1306", "LAT1307")


@pytest.fixture(scope="module")
def plugin_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Verdict]:
    # Backup selections select across the whole assembly: each coverage fixture gets an
    # app of its own, or another fixture's tag selection would cover its resources.
    groups: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for case in _cases():
        alone = f"{case.parent.name}/{case.name}" if case.parent.name in _ALONE else ""
        groups[(_environment(case), alone)].append(case)
    verdicts: dict[Path, Verdict] = {}
    for (environment, _alone), cases in sorted(groups.items()):
        outdir = tmp_path_factory.mktemp(environment) / "cdk.out"
        verdicts.update(_by_plugin(cases, environment, outdir))
    return verdicts


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c.parent.name}/{c.name}")
def test_the_plugin_at_synth_judges_each_fixture_as_check_does(
    case: Path, plugin_verdicts: dict[Path, Verdict]
) -> None:
    assert plugin_verdicts[case] == _by_check(case, _environment(case))
