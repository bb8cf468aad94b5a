"""The guard's synth-time judgement: the checker, on the templates the guard covered.

A CDK policy-validation plugin named ``lattice`` (like :class:`LatticeValidationPlugin`,
so one CDK acknowledgement, ``lattice::LAT1001``, answers both). CDK calls it after
writing the cloud assembly; it loads the stacks the guard visited and runs the same
engine as ``lattice check`` (``lattice_cdk.checker.check``) in the guard's environment,
then keeps the findings of the rules the guard enforces that nothing acknowledges.
There is no second copy of a rule here: what "deletion protection on" or "a current
acknowledgement" means is the checker's.

What the guard adds is the environment mismatch: a Lattice construct built for another
environment (``LatticeBucket(..., environment="dev")`` under a prod guard) is reported
as that, not as the DESTROY the construct chose for its own environment.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Final

import jsii
from aws_cdk import (
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
)

from .._config import load_config
from .._environments import EnvironmentRegistry
from .._errors import UnknownEnvironmentError
from .._findings import Finding, Severity
from .._policy import StatefulnessPolicy
from .._records import replace
from .._version import __version__
from ..cfn._model import Assembly
from ..checker.rules import CANNOT_EVALUATE
from ._plugin import PLUGIN_NAME, assembly_for, violation
from ._tags import LATTICE_METADATA_KEY

__all__ = ["GUARDED_RULES", "GuardCheck", "guard_findings"]

#: The rules a guarded synth fails on.
GUARDED_RULES: Final = ("LAT1001", "LAT1002", "LAT1101", "LAT1403")


@jsii.implements(IPolicyValidationPlugin)
class GuardCheck:
    """CDK policy-validation plugin: the guard's rules on the templates it covered.

    :param policy: the guard's policy (its environment is every guarded stack's).
    :param template_files: the template file names of the stacks the guard visited,
        filled in by its pass before CDK validates.
    """

    def __init__(self, policy: StatefulnessPolicy, template_files: set[str]) -> None:
        self._policy = policy
        self._template_files = template_files

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def version(self) -> str:
        return __version__

    @property
    def rule_ids(self) -> list[str]:
        return list(GUARDED_RULES)

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        templates = sorted(_guarded_templates(context.template_paths, self._template_files))
        if not templates:
            return PolicyValidationPluginReport(success=True, violations=[])
        assembly = assembly_for(templates)
        guarded = Assembly(
            source=assembly.source,
            stacks=tuple(
                s
                for s in assembly.stacks
                if os.path.basename(s.template_path) in self._template_files
            ),
            is_cloud_assembly=True,
        )
        findings = guard_findings(guarded, self._policy)
        violations = [violation(f) for f in findings]
        # A guarded rule that cannot be evaluated (a DeletionPolicy only deploy time
        # knows) is reported with the checker's severity; only errors fail the synth.
        failed = any(f.severity is Severity.ERROR for f in findings)
        return PolicyValidationPluginReport(success=not failed, violations=violations)


def guard_findings(assembly: Assembly, policy: StatefulnessPolicy) -> list[Finding]:
    """What a guarded synth reports: ``lattice check`` in the guard's environment,
    restricted to :data:`GUARDED_RULES` (and the checker's "cannot evaluate" findings
    for them), acknowledged findings left out."""
    from ..checker import check

    config = load_config()
    registry = EnvironmentRegistry()
    registry.register_all(config.environments)
    try:
        registry.resolve(policy.environment)
    except UnknownEnvironmentError:
        registry.register(policy.environment, tier=policy.tier)
    result = check(assembly, environment=policy.environment, config=config, registry=registry)
    stacks = {s.label: s for s in assembly.stacks}
    return [
        _named_mismatch(f, stacks.get(f.stack), policy.environment)
        for f in result.findings
        if f.acknowledged is None and _guarded(f)
    ]


def _guarded(finding: Finding) -> bool:
    if finding.rule_id in GUARDED_RULES:
        return True
    # The engine reports a rule it cannot evaluate as LAT2901, its message starting
    # with the rule's id in brackets.
    return finding.rule_id == CANNOT_EVALUATE.rule_id and any(
        finding.message.startswith(f"[{rule_id}]") for rule_id in GUARDED_RULES
    )


def _named_mismatch(finding: Finding, stack: object, environment: str) -> Finding:
    """``finding`` saying so when its resource is a Lattice construct built for another
    environment: that, not the construct's own choices, is what to fix."""
    resources = getattr(stack, "resources", None)
    resource = resources.get(finding.logical_id) if resources and finding.logical_id else None
    view = resource.metadata.get(LATTICE_METADATA_KEY) if resource is not None else None
    built_for = view.get("environment") if isinstance(view, Mapping) else None
    if not isinstance(built_for, str) or built_for == environment:
        return finding
    where = finding.construct_path or finding.logical_id
    return replace(
        finding,
        message=(
            f"environment mismatch: {where} is a Lattice construct built for environment "
            f"{built_for!r}, under a StatefulnessGuard for {environment!r}, so it carries "
            f"the protection of {built_for!r} ({finding.message})"
        ),
        fix=(
            f"build it for {environment!r} (environment={environment!r}, or leave "
            "environment unset to follow CDK context lattice:environment), or guard the "
            f"stacks of environment {built_for!r} with their own StatefulnessGuard."
        ),
    )


def _guarded_templates(paths: Iterable[str], guarded: set[str]) -> Iterable[str]:
    """The guarded template files among ``paths``, and the nested stacks next to them."""
    for path in paths:
        name = os.path.basename(path)
        if name not in guarded:
            continue
        folder = os.path.dirname(path)
        yield os.path.abspath(path)
        for nested in guarded:
            full = os.path.join(folder, nested)
            if nested.endswith(".nested.template.json") and os.path.isfile(full):
                yield os.path.abspath(full)
