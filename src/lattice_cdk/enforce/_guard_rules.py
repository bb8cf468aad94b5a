"""Guard rules from the app: what CloudFormation itself must refuse to deploy.

For each stack of an assembly, :func:`guard_rules` writes CloudFormation Guard rules
that a Guard Hook runs server-side on every stack and change-set operation:

* per locked stateful resource (``lattice.lock.json``): its logical id still exists
  (LAT1701, removed or renamed), with the same type and its locked replacement-forcing
  values (LAT1703; LAT2704 for conditional ones), and, where the environment keeps
  data, a DeletionPolicy/UpdateReplacePolicy that keeps it (LAT1001/LAT1002);
* per environment: every stateful type carries what the environment's policy requires
  (removal policies, deletion protection, point-in-time recovery, versioning): the
  checker's rules, with their ``when`` and their types, over the one knowledge table.

A finding acknowledged in resource metadata, CDK acknowledgements or the config (the
checker's :func:`~lattice_cdk.checker._acks.apply_acknowledgements`) leaves its
resource out of that rule.

The Guard Hook's input for stack and change-set operations is the proposed template,
with ``HookContext`` beside it; each file applies only where ``HookContext.StackId``
names its stack (or where there is no ``HookContext``: ``cfn-guard validate`` on the
template file), so one bundle of every stack's file can serve every stack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from .._config import LatticeConfig
from .._environments import EnvironmentRegistry
from .._findings import Finding, RuleInfo
from .._policy import StatefulnessPolicy, create_statefulness_policy
from .._records import Record
from ..cfn._knowledge import StatefulType, stateful_types
from ..cfn._model import Assembly, Stack
from ..changes._lock import Lock, LockEntry
from ..changes._rules import LOCK_MAY_REPLACE, LOCK_REMOVED, LOCK_REPLACED
from ..changes._schemas import replacement_info
from ..checker._acks import apply_acknowledgements
from ..checker._environment import StackEnvironment, environments_of
from ..checker._rule import ResourceRule, applies_to
from ..checker.judge import Strength, policy_strength
from ..checker.rules import RULES
from ._guard_dsl import identifier, literal, message, property_query, protection_clause

__all__ = ["TRANSLATED_RULES", "StackRules", "guard_rules"]

_POLICIES = ("Delete", "Retain", "RetainExceptOnCreate", "Snapshot")


class StackRules(Record):
    """The Guard rules of one stack."""

    #: The stack's key, as ``lattice diff`` keys stacks (``Stack.identity``).
    identity: str
    #: CloudFormation's stack name (what the hook's stack filters match).
    stack_name: str
    label: str
    environment: str
    text: str
    #: How many rules the text holds.
    rule_count: int


def _keeps_data(policy: str, kind: StatefulType) -> bool:
    # The checker's judgement of a removal policy (Snapshot keeps data only where honoured).
    strength = policy_strength(policy, kind)
    return strength is not None and strength > Strength.DELETE


def _removal(attribute: str, default: Callable[[StatefulType], str]) -> _Clauses:
    def clauses(kind: StatefulType) -> list[str] | None:
        keep = [p for p in _POLICIES if _keeps_data(p, kind)]
        allowed = f"{attribute} in [{', '.join(literal(p) for p in keep)}]"
        if _keeps_data(default(kind), kind):
            return [f"{attribute} not exists or {allowed}"]
        return [f"{attribute} exists", allowed]

    return clauses


def _protection(field: str) -> _Clauses:
    def clauses(kind: StatefulType) -> list[str] | None:
        check = getattr(kind, field)
        return None if check is None else [protection_clause(check)]

    return clauses


_Clauses = Callable[[StatefulType], "list[str] | None"]

#: The checker's rules the hook enforces, and the Guard clauses that say "protected"
#: for a type. The rest judge backups or stacks, not one resource's template.
TRANSLATED_RULES: dict[str, _Clauses] = {
    "LAT1001": _removal("DeletionPolicy", lambda kind: kind.default_deletion_policy),
    "LAT1002": _removal("UpdateReplacePolicy", lambda kind: "Delete"),
    "LAT1101": _protection("deletion_protection"),
    "LAT1401": _protection("point_in_time_recovery"),
    "LAT1402": _protection("versioning"),
}


def guard_rules(
    assembly: Assembly,
    *,
    lock: Lock | None = None,
    config: LatticeConfig | None = None,
    environment: str | None = None,
    registry: EnvironmentRegistry | None = None,
) -> tuple[StackRules, ...]:
    """The Guard rules of every stack of ``assembly`` (in assembly order).

    ``environment`` overrides every stack's environment, as ``lattice check -e`` does;
    a stack whose environment nothing names is held to prod, the strictest.
    """
    config, registry, environments = environments_of(
        assembly, environment=environment, config=config, registry=registry
    )
    policies: dict[str, StatefulnessPolicy] = {}
    out: list[StackRules] = []
    for stack in assembly.stacks:
        env = environments[stack.identity]
        name = env.environment.name
        if name not in policies:
            policies[name] = create_statefulness_policy(environment=name, registry=registry)
        entries = [] if lock is None else _entries_of(stack, lock)
        acked = _acknowledged(assembly, stack, entries, config)
        writer = _StackWriter(stack, env, policies[name], acked)
        text = writer.render(entries)
        out.append(
            StackRules(
                identity=stack.identity,
                stack_name=stack.name,
                label=stack.label,
                environment=name,
                text=text,
                rule_count=writer.count,
            )
        )
    return tuple(out)


def _entries_of(stack: Stack, lock: Lock) -> list[LockEntry]:
    keys = {stack.name, stack.identity}
    return [e for e in lock.entries if e.stack in keys]


def _acknowledged(
    assembly: Assembly, stack: Stack, entries: Sequence[LockEntry], config: LatticeConfig
) -> set[tuple[str, str]]:
    """``(rule id, logical id)`` pairs an acknowledgement covers, judged by the checker's
    own function on one would-be finding per pair."""
    infos = {r.info.rule_id: r.info for r in RULES if r.info.rule_id in TRANSLATED_RULES}
    candidates: list[Finding] = []
    for resource in stack.resources.values():
        if resource.type in stateful_types():
            for info in infos.values():
                candidates.append(_probe(info, stack, resource.logical_id, resource.type))
    for entry in entries:
        for info in (LOCK_REMOVED, LOCK_REPLACED, LOCK_MAY_REPLACE):
            candidates.append(_probe(info, stack, entry.logical_id, entry.type))
    judged = apply_acknowledgements(candidates, assembly, config=config.acknowledgements)
    return {(f.rule_id, f.logical_id or "") for f in judged if f.acknowledged is not None}


def _probe(info: RuleInfo, stack: Stack, logical_id: str, resource_type: str) -> Finding:
    return Finding(
        rule_id=info.rule_id,
        severity=info.severity,
        title=info.title,
        message="",
        fix=info.fix,
        stack=stack.label,
        template_path=stack.template_path,
        logical_id=logical_id,
        resource_type=resource_type,
    )


class _StackWriter:
    """Builds one stack's Guard text, block by block."""

    def __init__(
        self,
        stack: Stack,
        env: StackEnvironment,
        policy: StatefulnessPolicy,
        acknowledged: set[tuple[str, str]],
    ) -> None:
        self.stack = stack
        self.env = env
        self.policy = policy
        self.acknowledged = acknowledged
        self.slug = identifier(stack.name)
        self.count = 0
        self.gate = self._gate()

    def render(self, entries: Sequence[LockEntry]) -> str:
        env = self.env.environment.name
        lines = [
            f"# Lattice Guard rules for stack {self.stack.label} ({self.stack.identity}),",
            f"# environment {env} ({self.env.source}). Generated by 'lattice guard-rules';",
            "# regenerate, do not edit. Each rule is named after the Lattice rule it enforces",
            f"# and applies to stack {self.stack.name} only (or to a bare template).",
            "",
        ]
        for entry in entries:
            lines.extend(self._lock_rules(entry))
        for rule_id in TRANSLATED_RULES:
            lines.extend(self._environment_rule(rule_id))
        return "\n".join(lines) + "\n"

    def _gate(self) -> str:
        """The ``when`` condition every rule of the file carries: no HookContext (a bare
        template given to ``cfn-guard validate``), or a HookContext naming this stack
        (a named rule would itself fail on other stacks and fail the whole bundle)."""
        stack = self.stack
        where = stack.identity.split("/")
        region, account = ("[^:]+", "[^:]*")
        if len(where) == 3 and where[2] == stack.name:
            account, region = where[0], where[1]
        pattern = f"^arn:[^:]+:cloudformation:{region}:{account}:stack.{stack.name}.".replace(
            "/", "."
        )
        return f"HookContext not exists or HookContext.StackId == /{pattern}/"

    def _rule(self, rule_id: str, logical_id: str, body: list[str]) -> list[str]:
        self.count += 1
        name = identifier(rule_id, self.slug, logical_id)
        return [f"rule {name} when {self.gate} {{", *body, "}", ""]

    def _lock_rules(self, entry: LockEntry) -> Iterator[str]:
        rid = entry.logical_id
        res = f"Resources.{property_query(rid, root='')}"
        what = f"locked {entry.type} {rid}" + (
            f" ({entry.construct_path})" if entry.construct_path else ""
        )
        where = f"in stack {self.stack.label}"
        if ("LAT1701", rid) not in self.acknowledged:
            text = (
                f"[LAT1701] {what} is no longer {where}: removed, or renamed (LAT1702); "
                f"CloudFormation deletes or orphans its data. Fix: {LOCK_REMOVED.fix}"
            )
            yield from self._rule("LAT1701", rid, [f"    {res} exists {message(text)}"])
        body: dict[str, list[str]] = {"LAT1703": [], "LAT2704": []}
        body["LAT1703"].append(
            f"        {res}.Type == {literal(entry.type)} "
            + message(
                f"[LAT1703] {what} changes type {where}: CloudFormation replaces it. "
                f"Fix: {LOCK_REPLACED.fix}"
            )
        )
        info = replacement_info(entry.type)
        create_only = {"/".join(p) for p in info.create_only} if info is not None else set()
        for path, value in sorted(entry.properties.items()):
            rule_id = "LAT1703" if path in create_only else "LAT2704"
            query = f"{res}.{property_query(path.replace('/', '.'))}"
            if "*" in path.split("/") and isinstance(value, list):
                clause = f"{query} in {literal(value)}"
            else:
                clause = f"{query} == {literal(value)}"
            verb = "replaces it" if rule_id == "LAT1703" else "may replace it"
            text = (
                f"[{rule_id}] {what} {where}: {path} differs from the locked value "
                f"{literal(value)[:80]}; CloudFormation {verb}. Fix: {LOCK_REPLACED.fix}"
            )
            body[rule_id].append(f"        {clause} {message(text)}")
        for rule_id, clauses in body.items():
            if clauses and (rule_id, rid) not in self.acknowledged:
                yield from self._rule(
                    rule_id, rid, [f"    when {res} exists {{", *clauses, "    }"]
                )
        if not self.policy.retains_data:
            return
        kind = stateful_types().get(entry.type)
        if kind is None or not kind.holds_data:
            return  # its data lives elsewhere (a nested stack's, a cluster's)
        for rule_id in ("LAT1001", "LAT1002"):
            removal = TRANSLATED_RULES[rule_id](kind)
            if not removal or (rule_id, rid) in self.acknowledged:
                continue
            text = self._environment_message(rule_id, what + f" {where}")
            inner = [f"{c} {message(text)}" for c in removal]
            if kind.cluster_member_property is not None:
                # A cluster member keeps no data of its own (the checker skips it too).
                member = property_query(kind.cluster_member_property)
                inner = [f"when {member} not exists {{", *_indent(inner), "}"]
            block = [f"when {res} exists {{", f"    {res} {{", *_indent(inner, 2), "    }", "}"]
            yield from self._rule(rule_id, rid, _indent(block))

    def _environment_rule(self, rule_id: str) -> list[str]:
        rule = next(r for r in RULES if r.info.rule_id == rule_id)
        assert isinstance(rule, ResourceRule)
        if rule.when is not None and not rule.when(self.policy):
            return []
        blocks: list[str] = []
        for name, kind in stateful_types().items():
            if not applies_to(rule, name, kind):
                continue
            clauses = TRANSLATED_RULES[rule_id](kind)
            if not clauses:
                continue
            if rule.data_holders_only and not kind.holds_data:
                continue
            text = self._environment_message(rule_id, f"every {name} in stack {self.stack.label}")
            inner = [f"{c} {message(text)}" for c in clauses]
            member = kind.cluster_member_property if rule.data_holders_only else None
            if member is not None:
                # A cluster member's data is the cluster's (the checker skips it too).
                inner = [f"when {property_query(member)} not exists {{", *_indent(inner), "}"]
            blocks.extend([f"when Type == {literal(name)} {{", *_indent(inner), "}"])
        if not blocks:
            return []
        excluded = sorted(lid for (rid, lid) in self.acknowledged if rid == rule_id)
        query = f"Resources[ keys not in {literal(excluded)} ]" if excluded else "Resources.*"
        variable = identifier("lattice", rule_id.lower(), "resources")
        body = [
            f"    let {variable} = {query}",
            f"    %{variable} {{",
            *_indent(blocks, 2),
            "    }",
        ]
        return self._rule(rule_id, "environment", body)

    def _environment_message(self, rule_id: str, subject: str) -> str:
        info = _INFOS[rule_id]
        env = self.env.environment.name
        return f"[{rule_id}] {info.title}: {subject} (environment {env}). Fix: {info.fix}"


def _indent(lines: Sequence[str], depth: int = 1) -> list[str]:
    pad = "    " * depth
    return [pad + line for line in lines]


_INFOS: dict[str, RuleInfo] = {r.info.rule_id: r.info for r in RULES}
