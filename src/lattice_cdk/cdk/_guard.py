"""StatefulnessGuard: one line that protects every stateful resource of an app.

Real apps are mostly plain aws-cdk-lib. ``StatefulnessGuard.apply(app, environment=...)``
gives every CloudFormation resource of a stateful type under an app, stage or stack
what its environment requires where nothing was set, respects explicit choices, and
fails the synth for the dangerous ones (explicit DESTROY, deletion protection off,
``auto_delete_objects`` in prod) unless they are acknowledged with a reason.

Example::

    app = cdk.App()
    ...                                        # plain aws-cdk-lib stacks
    StatefulnessGuard.apply(app, environment="prod", enrol_backups=True)
    app.synth()

Why it is built the way it is (speed). Every aspect visit from Python is a jsii
callback and every property read another round trip: a Python aspect that merely
counts the nodes of a 1,600-resource app adds ~20 % to the whole ``python app.py``.
So the guard splits its work three ways:

* what can be decided by resource *type* runs inside Node, in aws-cdk-lib's own
  aspects: ``MissingRemovalPolicies`` (removal policy where none is set),
  ``RemovalPolicies`` (types whose L2 defaults to DESTROY) and ``Tags`` (backup
  enrolment). No Python callback per node.
* what needs a property read (deletion protection, point-in-time recovery, S3
  versioning), the stacks (termination protection, environment metadata) and the
  resources to enrol run in *one* Python callback per guarded scope and synth, which
  makes *one* jsii call: the pass itself runs in Node (``_node/index.js``, loaded by
  ``_node_pass``), so it costs no round trip per node, read or write. Python decides
  what the pass does (per type: the paths to fill and their values) and hands it over
  as data; it then adds the BackupManager selection for the stacks the pass reports.
* what can only be judged on the result (an explicit Delete, deletion protection
  off, the auto-delete custom resource) is checked on the synthesized templates by a
  policy-validation plugin, in pure Python: the synth fails with the construct path,
  the rule id and the fix, and CDK's report says how to acknowledge it.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final

import jsii
from aws_cdk import (
    Aspects,
    CfnResource,
    IAspect,
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    MissingRemovalPolicies,
    PolicyValidationPluginReport,
    PolicyViolatingResource,
    PolicyViolation,
    RemovalPolicies,
    RemovalPolicy,
    Stack,
    Stage,
    Tags,
    Validations,
)
from constructs import Construct, IConstruct, IValidation

from .._environments import Tier
from .._errors import StatefulnessError
from .._findings import ACKNOWLEDGEMENTS_METADATA_KEY, severity_of
from .._policy import StatefulnessPolicy, create_statefulness_policy
from .._version import __version__
from ..cfn._knowledge import PropertyCheck, StatefulType, stateful_type, stateful_types
from ._context import ENVIRONMENT_CONTEXT_KEY, policy_for
from ._node_pass import GuardPass
from ._removal import to_removal_policy
from ._tags import BACKUP_TAG

__all__ = ["AUTO_DELETE_OBJECTS_TYPE", "GUARD_PRIORITY", "StatefulnessGuard"]

#: Aspect priority of the guard's aspects: after aws-cdk-lib's mutating (200) and
#: default (500) aspects, so it sees what they set, before read-only ones (1000).
GUARD_PRIORITY: Final = 800
#: The custom resource ``s3.Bucket(auto_delete_objects=True)`` adds to empty the bucket.
AUTO_DELETE_OBJECTS_TYPE: Final = "Custom::S3AutoDeleteObjects"
#: Shortest acknowledgement reason accepted (the shared acknowledgement contract).
MIN_REASON_LENGTH: Final = 10
#: Name of the guard's validation plugin: the checker's, so that one CDK
#: acknowledgement (``lattice::LAT1001``) answers both.
PLUGIN_NAME: Final = "lattice"
#: Construct id of the (resource-less) construct whose one aspect visit runs the pass.
MARKER_ID: Final = "LatticeStatefulnessGuard"

# Types whose aws-cdk-lib L2 construct applies DESTROY by default (sqs.Queue,
# secretsmanager.Secret and the secret rds.DatabaseInstance generates). A Delete on
# them is CDK's default rather than a choice (the two look the same from Python), so
# in prod/staging the guard raises it to RETAIN instead of failing the synth.
_CDK_DEFAULT_DESTROY: Final = ("AWS::SQS::Queue", "AWS::SecretsManager::Secret")
_PROTECTED_TIERS: Final = (Tier.PROD, Tier.STAGING)
# Guards by the jsii reference of each scope (and Stage) they are installed on.
_INSTALLED: dict[str, StatefulnessGuard] = {}


def _ref(node: object) -> str:
    return str(node.__jsii_ref__.ref)  # type: ignore[attr-defined]


class StatefulnessGuard:
    """Gives every stateful resource under a scope its environment's protection.

    Use :meth:`apply`; it installs the guard on the scope and on every Stage under it
    (aws-cdk-lib does not carry an app's aspects into its Stages).

    What it does, per environment (the :class:`~lattice_cdk.StatefulnessPolicy`):

    * **removal policy**: where a resource has neither DeletionPolicy nor
      UpdateReplacePolicy (aws-cdk-lib's own rule for "not set", as in
      ``MissingRemovalPolicies``), SNAPSHOT for snapshot-capable types and RETAIN for
      the rest in prod/staging, DESTROY in dev. An L2's default (RETAIN on
      ``s3.Bucket``, SNAPSHOT on ``rds.DatabaseInstance``) counts as set: the guard
      never weakens a policy it finds. In prod/staging a Delete is an explicit
      DESTROY and fails the synth (LAT1001, LAT1002), except on types whose L2
      defaults to DESTROY (SQS queues, Secrets Manager secrets), which are raised to
      RETAIN. Instances of a DB cluster and nested stacks hold no data of their own
      and are left as CDK made them.
    * **deletion protection** (prod), **point-in-time recovery** and **S3
      versioning** (prod, staging): set where the property is absent, at the path the
      stateful-type table names. Deletion protection explicitly off in prod fails the
      synth (LAT1101); explicitly disabled PITR or versioning is left to the checker
      (LAT1401, LAT1402). Tokens are never judged.
    * ``auto_delete_objects=True`` on a bucket in prod/staging fails the synth (LAT1403).
    * **stacks**: termination protection on prod root stacks, and template Metadata
      ``lattice:environment`` (what the checker reads) on every stack.
    * with ``enrol_backups=True`` where backups are on (prod, staging): every resource
      AWS Backup supports is tagged ``lattice:backup=<environment>``, and the
      :meth:`BackupManager.of <lattice_cdk.cdk.BackupManager.of>` of the first stack of
      each account/region selects that tag (a tag selection covers the whole account
      and region: one per stack would back every resource up once per stack).

    A failure is acknowledged per resource with :meth:`acknowledge` (a reason in the
    template's Metadata) or with CDK's ``Validations.of(x).acknowledge`` (rule
    ``lattice::LAT1001``...).
    """

    #: Rule ids a synth can fail with.
    RULE_IDS: ClassVar[tuple[str, ...]] = ("LAT1001", "LAT1002", "LAT1101", "LAT1403")

    def __init__(
        self,
        policy: StatefulnessPolicy,
        *,
        enrol_backups: bool = False,
        termination_protection: bool | None = None,
        fail_synth: bool = True,
    ) -> None:
        """Create a guard; :meth:`apply` creates and installs one.

        :param policy: what the environment requires.
        :param enrol_backups: tag and select resources for AWS Backup. Default: False.
        :param termination_protection: set termination protection on the root stacks
            it guards. Default: the policy's (on in prod only).
        :param fail_synth: check the synthesized templates and fail the synth on
            LAT1001/LAT1002/LAT1101/LAT1403. Default: True.
        """
        self.policy: Final = policy
        self.enrol_backups: Final = enrol_backups
        self.termination_protection: Final = (
            policy.termination_protection
            if termination_protection is None
            else termination_protection
        )
        self.fail_synth: Final = fail_synth
        self._protected = policy.tier in _PROTECTED_TIERS
        self._node: GuardPass | None = None
        self._selected: set[str] = set()
        #: Template file names of the stacks guarded, for the template check.
        self.template_files: set[str] = set()

    # -- the public door ---------------------------------------------------------------

    @classmethod
    def apply(
        cls,
        scope: Construct,
        *,
        environment: str | None = None,
        policy: StatefulnessPolicy | None = None,
        enrol_backups: bool = False,
        termination_protection: bool | None = None,
        fail_synth: bool = True,
    ) -> StatefulnessGuard:
        """Guard every stateful resource under ``scope`` (an app, a stage or a stack).

        :param environment: the environment. Default: CDK context
            ``lattice:environment``; neither given is an error (Lattice never guesses).
        :param policy: a ready policy instead of ``environment``. Default: the
            environment's policy.
        :param enrol_backups: tag every resource AWS Backup supports
            ``lattice:backup=<environment>`` and select that tag in the ``BackupManager`` of the
            first stack of each account/region. Default: False.
        :param termination_protection: termination protection on the root stacks it
            guards. Default: the policy's (on in prod, off elsewhere).
        :param fail_synth: fail the synth on an explicit DESTROY, deletion protection
            off or auto-delete-objects where the environment forbids them. Default:
            True.

        Applying again to a scope already guarded (or under a guarded scope) with the
        same environment returns that guard; another environment raises
        :class:`~lattice_cdk.StatefulnessError`. Stages under ``scope`` that exist now
        are guarded too; one created after this call fails the synth, saying so.
        """
        wanted = policy_for(scope, environment=environment, policy=policy)
        # Not find_all(): listing every construct costs Node ~30 µs each; Stages and
        # stacks sit near the top of the tree.
        nodes = [scope, *_stages_and_stacks(scope)]
        above: list[IConstruct] = []
        for ancestor in reversed(scope.node.scopes[:-1]):
            above.append(ancestor)
            if isinstance(ancestor, Stage):
                break  # aspects stop at a Stage: a guard above it does not reach here
        for node in (*above, *nodes):
            existing = _INSTALLED.get(_ref(node))
            if existing is None:
                continue
            if existing.policy.environment != wanted.environment:
                raise StatefulnessError(
                    f"differs from the environment {existing.policy.environment!r} of the "
                    f"StatefulnessGuard already applied at {node.node.path or '<app>'!r}.",
                    field="environment",
                    value=wanted.environment,
                    allowed=repr(existing.policy.environment),
                    fix="apply one guard per app, or give each stage its own guard.",
                    code="environment-mismatch",
                )
            if node is scope or node in above:
                return existing
        guard = cls(
            wanted,
            enrol_backups=enrol_backups,
            termination_protection=termination_protection,
            fail_synth=fail_synth,
        )
        guard._install(scope)
        for node in nodes:
            if node is not scope and isinstance(node, Stage) and _ref(node) not in _INSTALLED:
                guard._install(node)
        scope.node.add_validation(_StagesCovered(scope))
        if fail_synth:
            Validations.of(scope.node.root).add_plugins(_TemplateCheck(guard))
        return guard

    @staticmethod
    def acknowledge(
        construct: IConstruct, rule_id: str, reason: str, *, expires: str | None = None
    ) -> None:
        """Accept one Lattice rule on one resource, with a reason, in its template Metadata.

        Writes ``{"rule_id", "reason"[, "expires"]}`` to the resource Metadata key
        ``lattice:acknowledgements``, which the guard, the checker and ``lattice report``
        honour. ``construct`` is a CloudFormation resource, an L2 construct (its default
        child is used), or a Stack for stack-level rules such as LAT2501 (termination
        protection), written to the template's Metadata.

        :param rule_id: ``LAT`` + four digits, e.g. ``"LAT1001"``.
        :param reason: why it is acceptable; at least 10 characters.
        :param expires: ``YYYY-MM-DD`` after which it no longer counts. Default: never.
        """
        try:
            severity_of(rule_id)
        except ValueError:
            raise StatefulnessError(
                "is not a Lattice rule id.",
                field="rule_id",
                value=rule_id,
                allowed="'LAT' followed by four digits, e.g. 'LAT1001'",
                fix="copy the rule id from the synth error or `lattice check` output.",
                code="invalid-value",
            ) from None
        if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON_LENGTH:
            raise StatefulnessError(
                "is too short to explain an exception to a data-protection rule.",
                field="reason",
                value=reason,
                allowed=f"a sentence of at least {MIN_REASON_LENGTH} characters",
                fix="say why losing this resource's data is acceptable.",
                code="invalid-value",
            )
        entry: dict[str, str] = {"rule_id": rule_id, "reason": reason.strip()}
        if expires is not None:
            try:
                _dt.date.fromisoformat(expires)
            except (TypeError, ValueError):
                raise StatefulnessError(
                    "is not a date.",
                    field="expires",
                    value=expires,
                    allowed="YYYY-MM-DD, or None for no expiry",
                    fix="pass expires='2027-06-30'.",
                    code="invalid-value",
                ) from None
            entry["expires"] = expires
        if isinstance(construct, Stack):
            options = construct.template_options
            metadata = dict(options.metadata or {})
            metadata[ACKNOWLEDGEMENTS_METADATA_KEY] = _merged(
                metadata.get(ACKNOWLEDGEMENTS_METADATA_KEY), entry
            )
            options.metadata = metadata
            return
        resource = _resource_of(construct)
        current = resource.get_metadata(ACKNOWLEDGEMENTS_METADATA_KEY)
        resource.add_metadata(ACKNOWLEDGEMENTS_METADATA_KEY, _merged(current, entry))

    # -- installing --------------------------------------------------------------------

    def _install(self, scope: IConstruct) -> None:
        """Register the type-based aspects (run in Node) and the one Python pass."""
        _INSTALLED[_ref(scope)] = self
        policy = self.policy
        holding = [t for t in stateful_types().values() if t.holds_data]
        for removal in dict.fromkeys(
            policy.removal_for(supports_snapshot=s) for s in (True, False)
        ):
            types = [
                t.type
                for t in holding
                if policy.removal_for(supports_snapshot=t.snapshot) is removal
                # A cluster's instances get CDK's own policy (DESTROY unless retained).
                and t.cluster_member_property is None
            ]
            MissingRemovalPolicies.of(scope).apply(
                to_removal_policy(removal), apply_to_resource_types=types, priority=GUARD_PRIORITY
            )
        if self._protected:
            RemovalPolicies.of(scope).apply(
                RemovalPolicy.RETAIN,
                apply_to_resource_types=list(_CDK_DEFAULT_DESTROY),
                priority=GUARD_PRIORITY,
            )
        if self.enrol_backups and policy.enable_backups:
            Tags.of(scope).add(
                BACKUP_TAG,
                policy.environment,
                # Cluster members are tagged by the pass, only when stand-alone.
                include_resource_types=[
                    t.type for t in holding if t.aws_backup and t.cluster_member_property is None
                ],
                priority=GUARD_PRIORITY,
            )
        marker = Construct(scope, MARKER_ID) if isinstance(scope, Construct) else None
        if marker is not None:
            Aspects.of(marker).add(_Pass(self, scope), priority=GUARD_PRIORITY)

    # -- the pass (one Python callback per guarded scope and synth) ---------------------

    def run(self, scope: IConstruct) -> None:
        """Protect the stacks and stateful resources under ``scope``.

        Called once per synth by the guard's aspect; safe to call again. The work is
        done in Node (``_node/index.js``), in one jsii call; what to do is decided here.
        """
        if self._node is None:
            self._node = GuardPass(self._spec())
        template_files, enrol = self._node.protect(scope)
        self.template_files.update(template_files)
        for root in enrol:
            self._select(root)

    def _spec(self) -> dict[str, Any]:
        """What the node-side pass applies, per stateful type (see ``_node/index.js``)."""
        policy = self.policy
        enrol = self.enrol_backups and policy.enable_backups
        types: dict[str, Any] = {}
        for known in stateful_types().values():
            if not known.holds_data:
                continue
            checks = self._checks_for(known)
            enrolled = enrol and known.aws_backup
            if not checks and not enrolled and known.cluster_member_property is None:
                continue
            types[known.type] = {
                "checks": [{"path": c.path, "value": _on_value(c)} for c in checks],
                "memberProperty": known.cluster_member_property,
                "enrol": enrolled,
            }
        return {
            "types": types,
            # In dev nothing needs a property read: the pass then only visits stacks.
            "reads": any(t["checks"] or t["enrol"] for t in types.values()),
            "environment": policy.environment,
            "terminationProtection": self.termination_protection,
            "backupTag": {"key": BACKUP_TAG, "value": policy.environment} if enrol else None,
            "environmentKey": ENVIRONMENT_CONTEXT_KEY,
            "acknowledgementsKey": ACKNOWLEDGEMENTS_METADATA_KEY,
            "minReason": MIN_REASON_LENGTH,
        }

    def _checks_for(self, known: StatefulType) -> tuple[PropertyCheck, ...]:
        wanted = (
            (known.deletion_protection, self.policy.deletion_protection),
            (known.point_in_time_recovery, self.policy.point_in_time_recovery),
            (known.versioning, self.policy.versioning),
        )
        # A check CloudFormation's default satisfies (RDS keeps a day of automated
        # backups) never needs filling, so it is not even read.
        return tuple(
            check
            for check, required in wanted
            if required and check is not None and not _is_on(check.default, check)
        )

    def _select(self, stack: Stack) -> None:
        # A tag selection covers every tagged resource of its account and region, so
        # one per account/region (in the first stack that needs it), not one per stack:
        # several would back every resource up several times.
        key = f"{stack.account}/{stack.region}"
        if key in self._selected:
            return
        self._selected.add(key)
        # Imported here: only apps that enrol pay for loading the backup module.
        from ._backup import BackupManager

        shared = create_statefulness_policy(environment=self.policy.environment)
        # The tag's value is the environment, so that prod's plan never picks up the
        # staging resources of a shared account (into prod's vault, for seven years).
        BackupManager.of(stack, policy=shared).add_tag_selection(
            BACKUP_TAG, self.policy.environment
        )


@jsii.implements(IAspect)
class _Pass:
    """The guard's one Python aspect, on a construct with no children: one visit."""

    def __init__(self, guard: StatefulnessGuard, scope: IConstruct) -> None:
        self._guard = guard
        self._scope = scope

    def visit(self, node: IConstruct) -> None:
        self._guard.run(self._scope)


def _stages_and_stacks(scope: IConstruct) -> list[IConstruct]:
    """Every Stage and Stack below ``scope``, without walking into stacks."""
    found: list[IConstruct] = []
    if isinstance(scope, Stack):
        return found
    for child in scope.node.children:
        if isinstance(child, Stage | Stack):
            found.append(child)
        if not isinstance(child, Stack):
            found.extend(_stages_and_stacks(child))
    return found


def _merged(current: object, entry: dict[str, str]) -> list[dict[str, Any]]:
    """``current`` acknowledgements with ``entry`` replacing one for the same rule."""
    kept = [
        dict(item)
        for item in (current if isinstance(current, list) else [])
        if isinstance(item, Mapping) and item.get("rule_id") != entry["rule_id"]
    ]
    return [*kept, entry]


def _resource_of(construct: IConstruct) -> CfnResource:
    if isinstance(construct, CfnResource):
        return construct
    child = construct.node.default_child
    if isinstance(child, CfnResource):
        return child
    raise StatefulnessError(
        "has no CloudFormation resource to carry the acknowledgement.",
        field="construct",
        value=construct.node.path,
        allowed="a CfnResource, an L2 construct whose default child is one, or a Stack",
        fix="acknowledge the resource itself, e.g. construct.node.default_child.",
        code="invalid-value",
    )


def _is_on(value: Any, check: PropertyCheck) -> bool:
    if check.min is not None:
        return isinstance(value, int | float) and not isinstance(value, bool) and value >= check.min
    return value is not None and value == check.on


def _on_value(check: PropertyCheck) -> Any:
    return check.on if check.on is not None else check.min


@jsii.implements(IValidation)
class _StagesCovered:
    """Fails the synth when a Stage under a guarded scope escaped the guard."""

    def __init__(self, scope: IConstruct) -> None:
        self._scope = scope

    def validate(self) -> list[str]:
        missed = [
            node.node.path
            for node in _stages_and_stacks(self._scope)
            if isinstance(node, Stage) and _ref(node) not in _INSTALLED
        ]
        if not missed:
            return []
        return [
            f"[LAT1001] Stage(s) {', '.join(missed)} were created after "
            "StatefulnessGuard.apply(), and aws-cdk-lib does not carry an app's aspects "
            "into its Stages, so their stateful resources were not guarded. Fix: call "
            "StatefulnessGuard.apply() after creating the stages, or on each stage."
        ]


# -- the template check (pure Python, on what CDK wrote) ----------------------------------


@dataclass(frozen=True, slots=True)
class _Problem:
    rule_id: str
    logical_id: str
    location: str
    message: str
    fix: str


@jsii.implements(IPolicyValidationPlugin)
class _TemplateCheck:
    """CDK policy-validation plugin: the guard's synth-time failures, on the templates."""

    def __init__(self, guard: StatefulnessGuard) -> None:
        self._guard = guard

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def version(self) -> str:
        return __version__

    @property
    def rule_ids(self) -> list[str]:
        return list(StatefulnessGuard.RULE_IDS)

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        by_rule: dict[str, list[tuple[_Problem, str]]] = {}
        seen: set[str] = set()
        for path in context.template_paths:
            folder = os.path.dirname(path)
            for name in _guarded_templates(path, self._guard.template_files):
                full = os.path.join(folder, name)
                if full in seen or not os.path.isfile(full):
                    continue
                seen.add(full)
                with open(full, encoding="utf-8") as handle:
                    template = json.load(handle)
                for problem in check_template(template, self._guard.policy):
                    by_rule.setdefault(problem.rule_id, []).append((problem, full))
        violations = [
            PolicyViolation(
                rule_name=rule_id,
                description=problems[0][0].message,
                fix=problems[0][0].fix,
                violating_resources=[
                    PolicyViolatingResource(
                        resource_logical_id=p.logical_id, template_path=full, locations=[p.location]
                    )
                    for p, full in problems
                ],
            )
            for rule_id, problems in sorted(by_rule.items())
        ]
        return PolicyValidationPluginReport(success=not violations, violations=violations)


def _guarded_templates(path: str, guarded: set[str]) -> Iterable[str]:
    """The guarded template files next to ``path``: itself and its nested stacks."""
    name = os.path.basename(path)
    if name not in guarded:
        return ()
    return [name, *sorted(g for g in guarded if g.endswith(".nested.template.json"))]


def check_template(template: Mapping[str, Any], policy: StatefulnessPolicy) -> list[_Problem]:
    """The guard's failures in one synthesized template, acknowledged ones left out."""
    resources: Mapping[str, Any] = template.get("Resources") or {}
    protected = policy.tier in _PROTECTED_TIERS
    env = policy.environment
    problems: list[_Problem] = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, Mapping):
            continue
        cfn_type = resource.get("Type")
        props = resource.get("Properties") or {}
        if cfn_type == AUTO_DELETE_OBJECTS_TYPE:
            if not protected:
                continue
            bucket = props.get("BucketName")
            ref = bucket.get("Ref") if isinstance(bucket, Mapping) else None
            target = ref if isinstance(ref, str) else None
            owner = resources.get(target) if target is not None else None
            owners = [r for r in (owner, resource) if isinstance(r, Mapping)]
            if any(_acknowledged_in(r, "LAT1403") for r in owners):
                continue
            problems.append(
                _Problem(
                    "LAT1403",
                    target if target is not None and target in resources else logical_id,
                    "Properties",
                    f"auto_delete_objects=True adds {AUTO_DELETE_OBJECTS_TYPE}, which empties "
                    f"the bucket when it leaves the stack, in environment {env!r}.",
                    "remove auto_delete_objects=True, or StatefulnessGuard.acknowledge("
                    "bucket, 'LAT1403', reason).",
                )
            )
            continue
        known = stateful_type(cfn_type) if isinstance(cfn_type, str) else None
        if known is None or not known.holds_data:
            continue
        if known.cluster_member_property and props.get(known.cluster_member_property):
            continue
        found: list[_Problem] = []
        if protected and resource.get("DeletionPolicy") == "Delete":
            found.append(
                _Problem(
                    "LAT1001",
                    logical_id,
                    "DeletionPolicy",
                    f"{cfn_type} has DeletionPolicy Delete (RemovalPolicy.DESTROY) in "
                    f"environment {env!r}: deleting the stack, or removing the resource "
                    "from it, deletes its data.",
                    "remove removal_policy=DESTROY (the guard then retains it), or "
                    "StatefulnessGuard.acknowledge(construct, 'LAT1001', reason) (and "
                    "'LAT1002' for its UpdateReplacePolicy).",
                )
            )
        if protected and resource.get("UpdateReplacePolicy") == "Delete":
            found.append(
                _Problem(
                    "LAT1002",
                    logical_id,
                    "UpdateReplacePolicy",
                    f"{cfn_type} has UpdateReplacePolicy Delete in environment {env!r}: a "
                    "change that replaces it deletes the old resource's data.",
                    "remove removal_policy=DESTROY or the UpdateReplacePolicy Delete, or "
                    "StatefulnessGuard.acknowledge(construct, 'LAT1002', reason).",
                )
            )
        check = known.deletion_protection
        if policy.deletion_protection and check is not None:
            off = [
                v
                for v in _template_values(props, check.path.split("."))
                if v is not None and not isinstance(v, Mapping | list) and not _is_on(v, check)
            ]
            if off:
                found.append(
                    _Problem(
                        "LAT1101",
                        logical_id,
                        f"Properties.{check.path}",
                        f"{cfn_type} has deletion protection off ({check.path}="
                        f"{json.dumps(off[0])}) in environment {env!r}, which requires it.",
                        "remove the setting that turns it off (the guard then sets "
                        f"{check.path}={json.dumps(_on_value(check))}), or "
                        "StatefulnessGuard.acknowledge(construct, 'LAT1101', reason).",
                    )
                )
        problems.extend(p for p in found if not _acknowledged_in(resource, p.rule_id))
    return problems


def _template_values(value: Any, parts: list[str]) -> list[Any]:
    """The values at a dotted path in template properties; ``*`` walks a list."""
    if not parts:
        return [value]
    part, rest = parts[0], parts[1:]
    if part == "*":
        items = value if isinstance(value, list) else []
        return [v for item in items for v in _template_values(item, rest)]
    if not isinstance(value, Mapping):
        return []
    return _template_values(value.get(part), rest)


def _acknowledged_in(resource: Mapping[str, Any], rule_id: str) -> bool:
    metadata = resource.get("Metadata")
    entries = metadata.get(ACKNOWLEDGEMENTS_METADATA_KEY) if isinstance(metadata, Mapping) else None
    return isinstance(entries, list) and any(_current(e, rule_id) for e in entries)


def _current(entry: object, rule_id: str) -> bool:
    """A well-formed, unexpired acknowledgement of ``rule_id``."""
    if not isinstance(entry, Mapping) or entry.get("rule_id") != rule_id:
        return False
    reason, expires = entry.get("reason"), entry.get("expires")
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON_LENGTH:
        return False
    if expires is None:
        return True
    try:
        return _dt.date.fromisoformat(str(expires)) >= _dt.date.today()
    except ValueError:
        return False
