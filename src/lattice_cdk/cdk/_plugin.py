"""The synth-time door: the checker as a CDK policy-validation plugin.

::

    app = cdk.App(context={"lattice:environment": "prod"})
    cdk.Validations.of(app).add_plugins(LatticeValidationPlugin())
    ...
    app.synth()   # raises "ValidationFailed" naming the resource, the rule and the fix

It implements ``IPolicyValidationPlugin`` (the current interface; it works from Python
through jsii, so the deprecated Beta1 one is not needed). CDK calls ``validate`` after
writing the cloud assembly; the plugin loads that assembly (manifest tags, termination
protection, nested stacks, acknowledgement records) and runs the same engine as
``lattice check``. A finding is acknowledged in CDK with
``Validations.of(scope).acknowledge(Acknowledgment(id="lattice::LAT1001", reason=...))``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii

from .._config import LatticeConfig, load_config
from .._environments import EnvironmentRegistry
from .._findings import Finding, Severity
from .._version import __version__
from ..cfn import load
from ..cfn._model import Assembly
from ..checker import all_rule_infos, check

__all__ = ["PLUGIN_NAME", "LatticeValidationPlugin", "assembly_for", "violation"]

#: The plugin's name; CDK namespaces its rule ids with it (``lattice::LAT1001``).
PLUGIN_NAME = "lattice"

_ENVIRONMENT_CONTEXT = "lattice:environment"
_ENVIRONMENTS_CONTEXT = "lattice:environments"


@jsii.implements(cdk.IPolicyValidationPlugin)
class LatticeValidationPlugin:
    """Run Lattice's checker on every template CDK synthesizes.

    :param environment: the environment of every stack. Default: CDK context
        ``lattice:environment``, else each stack's ``lattice:environment`` tags or
        metadata, else the project configuration; a stack none of them names is checked
        as prod and reported (LAT2902).
    :param config: the project configuration. Default: the nearest ``lattice.toml`` or
        ``[tool.lattice]`` above the working directory.
    :param extra_checks: further finding sources run on the same assembly (for example
        the stateful lock). Default: none.
    :param fail_on: the severities that fail the synth. Default: errors only; warnings
        and info are reported without failing.
    :param lock: a stateful lock (``lattice.lock.json``, written by ``lattice lock``):
        the synth then fails when a locked resource would be removed, renamed or
        replaced (LAT1701-LAT1703), until the lock is updated on purpose. Read at each
        validation. Default: no lock.
    """

    def __init__(
        self,
        *,
        environment: str | None = None,
        config: LatticeConfig | None = None,
        extra_checks: Sequence[Callable[[Assembly], Iterable[Finding]]] = (),
        fail_on: Sequence[Severity | str] = (Severity.ERROR,),
        lock: str | Path | None = None,
    ) -> None:
        self._lock = None if lock is None else Path(lock)
        self._environment = environment
        self._config = config
        self._extra_checks = tuple(extra_checks)
        self._fail_on = frozenset(Severity(s) for s in fail_on)

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def version(self) -> str:
        return __version__

    @property
    def rule_ids(self) -> list[str]:
        ids = list(all_rule_infos())
        if self._lock is not None:
            from ..changes import RULES_BY_ID

            ids += [rule_id for rule_id in RULES_BY_ID if rule_id[4] == "7"]  # area 7: lock
        return ids

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        templates = [str(Path(p).resolve()) for p in context.template_paths]
        if not templates:
            return cdk.PolicyValidationPluginReport(success=True, violations=[])
        app = context.app_construct
        assembly = assembly_for(templates)
        config = self._config if self._config is not None else load_config()
        registry = EnvironmentRegistry()
        registry.register_all(config.environments)
        registry.register_all(
            _context_environments(app.node.try_get_context(_ENVIRONMENTS_CONTEXT))
        )
        environment = self._environment or app.node.try_get_context(_ENVIRONMENT_CONTEXT)
        result = check(
            assembly,
            environment=environment if isinstance(environment, str) else None,
            config=config,
            registry=registry,
            extra_checks=self._extra_checks + self._lock_checks(),
        )
        active = [f for f in result.findings if f.acknowledged is None]
        violations = [violation(f) for f in active]
        success = not any(f.severity in self._fail_on for f in active)
        return cdk.PolicyValidationPluginReport(success=success, violations=violations)

    def _lock_checks(self) -> tuple[Callable[[Assembly], Iterable[Finding]], ...]:
        if self._lock is None:
            return ()
        from ..changes import lock_check, read_lock

        return (lock_check(read_lock(self._lock)),)


def assembly_for(templates: Sequence[str]) -> Assembly:
    """The cloud assembly CDK just wrote, narrowed to the stacks being validated (and
    the nested stacks under them)."""
    root = Path(os.path.commonpath([str(Path(t).parent) for t in templates]))
    while not (root / "manifest.json").is_file() and root != root.parent:
        root = root.parent
    assembly = load(root)
    wanted = set(templates)
    kept_names: set[str] = set()
    stacks = []
    for stack in assembly.stacks:
        path = str(Path(stack.template_path).resolve())
        if path in wanted or (stack.parent is not None and stack.parent in kept_names):
            stacks.append(stack)
            kept_names.add(stack.name)
    return Assembly(source=str(root), stacks=tuple(stacks), is_cloud_assembly=True)


def _context_environments(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {}


def violation(finding: Finding) -> cdk.PolicyViolation:
    """``finding`` as CDK reports it. The description names the rule and the construct
    path itself: where CDK puts its report into the exception ``app.synth()`` raises
    (in-memory mode: tests, ``CDK_APP_MODE=inmemory``) that text is what a test or a
    user matches on, and CDK's own "Acknowledge with" line is not a rule id."""
    logical_id = finding.logical_id or f"(stack {finding.stack})"
    where = finding.construct_path or (
        f"{finding.stack}/{finding.logical_id}" if finding.logical_id else f"stack {finding.stack}"
    )
    return cdk.PolicyViolation(
        rule_name=finding.rule_id,
        description=f"[{finding.rule_id}] {where}: {finding.title}: {finding.message}",
        fix=finding.fix,
        severity=finding.severity.value,
        violating_resources=[
            cdk.PolicyViolatingResource(
                resource_logical_id=logical_id,
                template_path=finding.template_path,
                locations=[_location(finding)],
            )
        ],
    )


def _location(finding: Finding) -> str:
    """The template place the rule looked at, for CDK's report."""
    if finding.logical_id is None:
        return "Stack"
    return {
        "LAT1001": "DeletionPolicy",
        "LAT1002": "UpdateReplacePolicy",
        "LAT2003": "DeletionPolicy",
    }.get(finding.rule_id, "Properties")
