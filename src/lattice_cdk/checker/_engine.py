"""The rule engine: one pass over every stack, rules dispatched by resource type.

Only types some rule applies to are looked at (a dict from type to rules, built once
from the registry), so stateless resources cost one dictionary lookup each.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import cache

from .._config import LatticeConfig
from .._environments import EnvironmentRegistry
from .._errors import InputError, LatticeError, did_you_mean
from .._findings import Finding, RuleInfo
from .._policy import StatefulnessPolicy, create_statefulness_policy
from .._records import Record
from ..cfn._knowledge import StatefulType, is_known_resource_type, stateful_types
from ..cfn._model import Assembly, Resource, Stack
from ._acks import apply_acknowledgements
from ._backup import BackupIndex
from ._environment import StackEnvironment, environments_of
from ._rule import Hit, ResourceCheck, ResourceRule, StackContext, StackRule, applies_to
from .rules import (
    CANNOT_EVALUATE,
    ENVIRONMENT_UNKNOWN,
    INPUT_NOT_READ,
    INVALID_ACKNOWLEDGEMENT,
    RULES,
    all_rule_infos,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

__all__ = [
    "CheckResult",
    "ExtraCheck",
    "check",
    "not_checked",
    "problem_findings",
    "unevaluated_findings",
]

#: A further source of findings run on the same assembly (the stateful lock, say).
ExtraCheck = Callable[[Assembly], Iterable[Finding]]


class CheckResult(Record):
    """What one check found, and what it judged it against: ``rules`` are the rules
    that ran (by id), for the formats and SARIF."""

    assembly: Assembly
    findings: tuple[Finding, ...]
    #: Each stack's environment, by :attr:`~lattice_cdk.cfn.Stack.identity`.
    environments: dict[str, StackEnvironment]
    backups: BackupIndex
    rules: dict[str, RuleInfo]

    @property
    def exit_code(self) -> int:
        from .._formats import exit_code

        return exit_code(self.findings)


_Bound = tuple[tuple[RuleInfo, ResourceCheck], ...]


class _Dispatch(Record):
    """The rules of one resource type under one policy, as (info, check) pairs: ``all``
    for a resource that holds data (or a type with no stateful knowledge),
    ``not_holding`` for one whose data lives elsewhere (a cluster member): the rules not
    limited to data holders."""

    kind: StatefulType | None
    all: _Bound
    not_holding: _Bound


@cache
def _rules_by_type() -> dict[str, tuple[ResourceRule, ...]]:
    table: dict[str, list[ResourceRule]] = {}
    resource_rules = [r for r in RULES if isinstance(r, ResourceRule)]
    known = stateful_types()
    names = set(known) | {t for r in resource_rules for t in r.types}
    for name in sorted(names):
        for rule in resource_rules:
            if applies_to(rule, name, known.get(name)):
                table.setdefault(name, []).append(rule)
    return {name: tuple(rules) for name, rules in table.items()}


def _dispatch(
    resource_type: str, policy: StatefulnessPolicy, selected: frozenset[str]
) -> _Dispatch | None:
    """The rules of ``selected`` for ``resource_type`` in a stack held to ``policy``;
    ``None`` when none apply."""
    rules = [
        r
        for r in _rules_by_type().get(resource_type, ())
        if r.info.rule_id in selected and (r.when is None or r.when(policy))
    ]
    if not rules:
        return None
    return _Dispatch(
        stateful_types().get(resource_type),
        tuple((r.info, r.check) for r in rules),
        tuple((r.info, r.check) for r in rules if not r.data_holders_only),
    )


def check(
    assembly: Assembly,
    *,
    environment: str | None = None,
    config: LatticeConfig | None = None,
    registry: EnvironmentRegistry | None = None,
    today: dt.date | None = None,
    extra_checks: Sequence[ExtraCheck] = (),
    progress: Callable[[int, int], None] | None = None,
    rules: Collection[str] | None = None,
    policy: StatefulnessPolicy | None = None,
) -> CheckResult:
    """Run the rules on ``assembly`` and apply acknowledgements.

    ``environment`` (default: per stack, from tags, metadata or ``config``) applies to
    every stack. ``registry`` defaults to one holding ``config``'s custom environments.
    ``extra_checks`` add findings from other engines (acknowledged the same way).
    ``progress(done, total)`` is called after each stack.

    ``rules`` restricts the run to these rule ids (default: every rule); what they
    cannot evaluate is still reported (LAT2901, naming the rule), and so are invalid
    acknowledgements (LAT2903). ``policy`` judges every stack against this policy
    instead of its environment's (the synth-time guard passes the policy it enforces);
    no stack is then reported for an unknown environment (LAT2902).

    Raises :class:`~lattice_cdk.InputError` for a resource type CloudFormation does not
    have, and :class:`~lattice_cdk.LatticeError` (``unknown-rule``) for a rule id in
    ``rules`` that no rule has.
    """
    selected = _selected_rules(rules)
    config, registry, environments = environments_of(
        assembly, environment=environment, config=config, registry=registry
    )
    backups = BackupIndex.build(assembly)
    stack_rules = [r for r in RULES if isinstance(r, StackRule) and r.info.rule_id in selected]
    report_environment = policy is None and ENVIRONMENT_UNKNOWN.rule_id in selected
    policies: dict[str, StatefulnessPolicy] = {}
    # Per environment: resource type -> its rules under that environment's policy.
    dispatches: dict[str, dict[str, _Dispatch | None]] = {}
    checked_types: set[str] = set()
    findings: list[Finding] = []
    total = len(assembly.stacks)
    for done, stack in enumerate(assembly.stacks, start=1):
        env = environments[stack.identity]
        key = env.environment.name
        stack_policy = policy or policies.get(key)
        if stack_policy is None:
            stack_policy = create_statefulness_policy(environment=key, registry=registry)
            policies[key] = stack_policy
        dispatch = dispatches.setdefault(key, {})
        ctx = StackContext(
            stack=stack, policy=stack_policy, environment=env.environment, backups=backups
        )
        if report_environment and not env.determined:
            findings.append(_environment_finding(stack, env))
        findings.extend(unevaluated_findings(stack))
        for stack_rule in stack_rules:
            for hit in stack_rule.check(ctx):
                findings.append(_finding(stack_rule.info, hit, stack, None))
        resources = stack.resources
        for rtype, logical_ids in stack.resources_by_type().items():
            if rtype not in checked_types:
                _check_type(rtype, stack, logical_ids[0])
                checked_types.add(rtype)
            if rtype in dispatch:
                bound_rules = dispatch[rtype]
            else:
                bound_rules = dispatch[rtype] = _dispatch(rtype, stack_policy, selected)
            if bound_rules is None:
                continue
            kind = bound_rules.kind
            # Whether a resource holds data: per type, or per resource for a type whose
            # cluster members keep their data in the cluster.
            member = None
            if kind is not None and kind.holds_data:
                member = kind.cluster_member_property
            run = bound_rules.all if kind is None or kind.holds_data else bound_rules.not_holding
            for logical_id in logical_ids:
                resource = resources[logical_id]
                if member is not None and resource.properties.get(member) is not None:
                    bound = bound_rules.not_holding
                else:
                    bound = run
                for info, rule_check in bound:
                    for hit in rule_check(resource, kind, ctx):
                        findings.append(_finding(info, hit, stack, resource))
        if progress is not None:
            progress(done, total)
    findings.extend(problem_findings(assembly))
    for extra in extra_checks:
        findings.extend(extra(assembly))
    acknowledged = apply_acknowledgements(
        findings, assembly, config=config.acknowledgements, today=today
    )
    infos = all_rule_infos()
    return CheckResult(
        assembly=assembly,
        findings=tuple(acknowledged),
        environments=environments,
        backups=backups,
        rules=infos if rules is None else {k: v for k, v in infos.items() if k in selected},
    )


def _selected_rules(rules: Collection[str] | None) -> frozenset[str]:
    """The rule ids to run: ``rules``, plus the engine's own (what cannot be evaluated,
    invalid acknowledgements); every rule when ``rules`` is None."""
    known = all_rule_infos()
    if rules is None:
        return frozenset(known)
    unknown = sorted(set(rules) - set(known))
    if unknown:
        guesses = [g for g in (did_you_mean(u, list(known)) for u in unknown) if g is not None]
        guess = f" Did you mean {', '.join(guesses)}?" if guesses else ""
        raise LatticeError(
            f"no checker rule has the id(s) {', '.join(unknown)}.{guess}",
            fix=f"choose among {', '.join(known)}.",
            code="unknown-rule",
        )
    return frozenset(rules) | {CANNOT_EVALUATE.rule_id, INVALID_ACKNOWLEDGEMENT.rule_id}


def _check_type(rtype: str, stack: Stack, logical_id: str) -> None:
    if is_known_resource_type(rtype):
        return
    import difflib

    from ..cfn._knowledge import known_resource_types

    close = difflib.get_close_matches(rtype, known_resource_types(), n=1)
    raise InputError(
        f"resource {logical_id!r} has type {rtype!r}, which CloudFormation does not have.",
        location=stack.template_path,
        fix=f"did you mean {close[0]!r}?" if close else "check the type name.",
        code="unknown-resource-type",
    )


def _finding(info: RuleInfo, hit: Hit, stack: Stack, resource: Resource | None) -> Finding:
    logical_id = hit.logical_id or (resource.logical_id if resource else None)
    target = resource
    if resource is not None and hit.logical_id and hit.logical_id != resource.logical_id:
        target = stack.resources.get(hit.logical_id)
    if hit.cannot_evaluate:
        rule = CANNOT_EVALUATE
        message = f"[{info.rule_id}] {hit.message}"
        fix = hit.fix or f"{CANNOT_EVALUATE.fix} (The rule: {info.title}.)"
    else:
        rule = info
        message = hit.message
        fix = hit.fix or info.fix
    return Finding(
        rule_id=rule.rule_id,
        severity=rule.severity,
        title=rule.title,
        message=message,
        fix=fix,
        stack=stack.label,
        template_path=stack.template_path,
        logical_id=logical_id,
        resource_type=target.type if target else None,
        construct_path=target.construct_path if target else None,
    )


def _environment_finding(stack: Stack, env: StackEnvironment) -> Finding:
    info = ENVIRONMENT_UNKNOWN
    return Finding(
        rule_id=info.rule_id,
        severity=info.severity,
        title=info.title,
        message=f"stack {stack.label}: cannot determine its environment ({env.problem}); "
        "checked as prod, the strictest.",
        fix=info.fix,
        stack=stack.label,
        template_path=stack.template_path,
    )


def unevaluated_findings(stack: Stack) -> Iterator[Finding]:
    """LAT2901 for each entry of ``Resources`` the loader could not evaluate, with the
    entry's own fix."""
    info = CANNOT_EVALUATE
    for key, entry in stack.unevaluated.items():
        yield Finding(
            rule_id=info.rule_id,
            severity=info.severity,
            title=info.title,
            message=f"{key}: {entry.reason}; the resources it makes are not checked.",
            fix=entry.fix,
            stack=stack.label,
            template_path=stack.template_path,
            logical_id=key,
        )


def problem_findings(assembly: Assembly) -> Iterator[Finding]:
    """LAT2904 for each file or folder of a folder run that was not read."""
    info = INPUT_NOT_READ
    for problem in assembly.problems:
        yield Finding(
            rule_id=info.rule_id,
            severity=info.severity,
            title=info.title,
            message=f"[{problem.code}] {problem.path}: {problem.reason}",
            fix=info.fix,
            stack="-",
            template_path=problem.path,
        )


def not_checked(*assemblies: Assembly) -> list[Finding]:
    """What of ``assemblies`` could not be checked, as :func:`check` reports it: LAT2904
    for each file or folder a folder run could not read (a stack in such a file looks
    removed), LAT2901 for each entry of a template's ``Resources`` that could not be
    evaluated (a transform's resource looks absent); a finding two assemblies share,
    once. ``diff``, ``lock --verify``, ``report`` and ``destroy-plan`` report these, so
    that no door passes what it did not see."""
    found: dict[tuple[object, ...], Finding] = {}
    for assembly in assemblies:
        for stack in assembly.stacks:
            if stack.unevaluated:
                for finding in unevaluated_findings(stack):
                    found.setdefault((finding.stack, finding.logical_id, finding.message), finding)
        for finding in problem_findings(assembly):
            found.setdefault((finding.stack, finding.template_path, finding.message), finding)
    return list(found.values())
