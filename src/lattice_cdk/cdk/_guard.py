"""StatefulnessGuard: one line that protects every stateful resource of an app.

Real apps are mostly plain aws-cdk-lib. The guard is an aspect that visits every
CloudFormation resource under an app, stage or stack, decides from the resource *type*
alone (no round trip to Node) whether it holds data, and only for those that do:

* fills in what the environment requires where nothing was set (removal policy,
  deletion protection, point-in-time recovery, S3 versioning), and sets termination
  protection on prod stacks;
* respects explicit choices, like ``aws_cdk.RemovalPolicies``, but fails the synth
  (``node.add_validation``: construct path, rule id, fix) for an explicit DESTROY in
  prod/staging (LAT1001/LAT1002), deletion protection turned off in prod (LAT1101) and
  ``auto_delete_objects`` in prod/staging (LAT1403), unless acknowledged with a reason;
* optionally enrols every resource AWS Backup supports into the stack's
  :class:`~lattice_cdk.cdk.BackupManager` by tag (``lattice:backup=true``).

Example::

    app = cdk.App()
    ...                                        # plain aws-cdk-lib stacks
    StatefulnessGuard.apply(app, environment="prod", enrol_backups=True)
    app.synth()

Each aspect visit from Python is a jsii callback and each property read another round
trip, so the guard classifies a node by its Python class (cached per class) and reads
properties only on stateful resources.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Final

import jsii
from aws_cdk import (
    Aspects,
    CfnDeletionPolicy,
    CfnResource,
    IAspect,
    NestedStack,
    Stack,
    Stage,
    TagManager,
    Validations,
)
from constructs import Construct, IConstruct, IValidation

from .._environments import Tier
from .._errors import StatefulnessError
from .._findings import ACKNOWLEDGEMENTS_METADATA_KEY, severity_of
from .._policy import Removal, StatefulnessPolicy, create_statefulness_policy
from ..cfn._knowledge import PropertyCheck, StatefulType, stateful_type
from ._context import policy_for
from ._removal import to_removal_policy
from ._tags import BACKUP_TAG

__all__ = ["AUTO_DELETE_OBJECTS_TYPE", "GUARD_PRIORITY", "StatefulnessGuard"]

#: Aspect priority of the guard: after aws-cdk-lib's mutating (200) and default (500)
#: aspects, so it judges what they left, and before read-only ones (1000, cdk-nag).
GUARD_PRIORITY: Final = 800
#: The custom resource ``s3.Bucket(auto_delete_objects=True)`` adds to empty the bucket.
AUTO_DELETE_OBJECTS_TYPE: Final = "Custom::S3AutoDeleteObjects"
#: Shortest acknowledgement reason accepted (the shared acknowledgement contract).
MIN_REASON_LENGTH: Final = 10

# Types whose aws-cdk-lib L2 construct applies DESTROY by default (sqs.Queue,
# secretsmanager.Secret, and the secret rds.DatabaseInstance generates). A Delete on
# them is CDK's default rather than a user's choice (the two look the same from
# Python), so the guard raises it to the environment's policy instead of failing.
_CDK_DEFAULT_DESTROY: Final = frozenset({"AWS::SQS::Queue", "AWS::SecretsManager::Secret"})
_TO_CFN: Final = {
    Removal.RETAIN: CfnDeletionPolicy.RETAIN,
    Removal.SNAPSHOT: CfnDeletionPolicy.SNAPSHOT,
    Removal.DESTROY: CfnDeletionPolicy.DELETE,
}
_PROTECTED_TIERS: Final = (Tier.PROD, Tier.STAGING)
# jsii encodes a number token as a huge negative double (-1.888e+289).
_NUMBER_TOKEN_BELOW: Final = -1e280
_SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_UNKNOWN: Final = object()

# Per Python class: what a node of that class is to the guard. jsii gives every
# CloudFormation resource the Python class of its L1 (CfnBucket...), whose
# CFN_RESOURCE_TYPE_NAME we read once per class: afterwards deciding costs no round trip.
_IGNORE, _STACK, _RESOURCE = 0, 1, 2
_KIND: dict[type, int] = {}
_CLASS_TYPE: dict[type, str | None] = {}
# jsii references of resources some guard has already handled: two guards whose scopes
# overlap (an app and one of its stacks) handle each resource once.
_HANDLED: set[str] = set()


def _kind_of(cls: type) -> int:
    kind = _KIND.get(cls)
    if kind is None:
        if issubclass(cls, CfnResource):
            kind = _RESOURCE
            # A generic CfnResource (custom resources) has no class-level type name.
            _CLASS_TYPE[cls] = (
                None if cls is CfnResource else getattr(cls, "CFN_RESOURCE_TYPE_NAME", None)
            )
        elif issubclass(cls, Stack):
            kind = _STACK
        else:
            kind = _IGNORE
        _KIND[cls] = kind
    return kind


def _snake(name: str) -> str:
    """``PointInTimeRecoverySpecification`` -> ``point_in_time_recovery_specification``."""
    return _SNAKE.sub("_", name).lower()


def _ref(node: object) -> str:
    return str(node.__jsii_ref__.ref)  # type: ignore[attr-defined]


@jsii.implements(IAspect)
class StatefulnessGuard:
    """An aspect that gives every stateful resource under a scope its environment's protection.

    Build it with :meth:`apply` (not the constructor) so that the guard reaches Stages
    too: aws-cdk-lib does not carry an app's aspects into its Stages.

    What it does, per environment (the :class:`~lattice_cdk.StatefulnessPolicy`):

    * **removal policy**: where a resource has neither DeletionPolicy nor
      UpdateReplacePolicy (aws-cdk-lib's own rule for "not set", as in
      ``RemovalPolicies.of(scope).apply(...)`` without overwrite), it applies SNAPSHOT
      to snapshot-capable types and RETAIN to the rest in prod/staging, DESTROY in
      dev. An L2's default (RETAIN on ``s3.Bucket``) counts as set: the guard never
      weakens a policy it finds. Where only one of the two is set in prod/staging, it
      fills the other. A Delete in prod/staging is an explicit DESTROY and fails the
      synth (LAT1001 / LAT1002), except on types whose L2 defaults to DESTROY (SQS
      queues, Secrets Manager secrets, nested stacks): there it is raised to the
      environment's policy.
    * **deletion protection** (prod), **point-in-time recovery** and **S3 versioning**
      (prod, staging): set where the property is absent, at the property path the
      stateful-type table names. Deletion protection explicitly off in prod fails the
      synth (LAT1101). Explicitly disabled PITR or versioning is left to the checker
      (LAT1401, LAT1402). Values that are tokens are never judged here.
    * ``auto_delete_objects=True`` on a bucket in prod/staging fails the synth (LAT1403).
    * **termination protection** on every prod stack (not nested stacks).
    * with ``enrol_backups=True`` and backups on (prod, staging): tags every resource
      AWS Backup supports ``lattice:backup=true`` and adds that tag selection to the
      root stack's :meth:`BackupManager.of <lattice_cdk.cdk.BackupManager.of>`.

    Failures are acknowledged per resource with :meth:`acknowledge` (or CDK's
    ``Validations.of(x).acknowledge``), which leaves the reason in the template.
    """

    #: Rule ids a synth can fail with.
    RULE_IDS: ClassVar[tuple[str, ...]] = ("LAT1001", "LAT1002", "LAT1101", "LAT1403")

    def __init__(
        self,
        policy: StatefulnessPolicy,
        *,
        enrol_backups: bool = False,
        termination_protection: bool | None = None,
    ) -> None:
        """Create the aspect; prefer :meth:`apply`, which also registers it.

        :param policy: what the environment requires.
        :param enrol_backups: tag and select resources for AWS Backup. Default: False.
        :param termination_protection: set termination protection on the stacks it
            visits. Default: the policy's (on in prod only).
        """
        self.policy: Final = policy
        self.enrol_backups: Final = enrol_backups
        self.termination_protection: Final = (
            policy.termination_protection
            if termination_protection is None
            else termination_protection
        )
        self._protected = policy.tier in _PROTECTED_TIERS
        self._selections: set[str] = set()
        # Property checks to fill, by stateful type (decided once per type).
        self._fills: dict[str, tuple[tuple[str, PropertyCheck], ...]] = {}

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
    ) -> StatefulnessGuard:
        """Guard every stateful resource under ``scope`` (an app, a stage or a stack).

        :param environment: the environment. Default: CDK context
            ``lattice:environment``; neither given is an error (Lattice never guesses).
        :param policy: a ready policy instead of ``environment``. Default: the
            environment's policy.
        :param enrol_backups: tag every resource AWS Backup supports
            ``lattice:backup=true`` and select that tag in each root stack's
            ``BackupManager``. Default: False.
        :param termination_protection: override termination protection on the stacks
            it visits. Default: the policy's (on in prod, off elsewhere).

        Applying again to the same scope with the same environment returns the guard
        already there; another environment raises :class:`~lattice_cdk.StatefulnessError`.
        Stages under ``scope`` that exist now are guarded too; one created after this
        call fails the synth with a message saying so.
        """
        wanted = policy_for(scope, environment=environment, policy=policy)
        nodes = scope.node.find_all()
        # Guards already above (up to the enclosing Stage, where aspects stop) or below.
        above: list[IConstruct] = []
        for ancestor in reversed(scope.node.scopes[:-1]):
            above.append(ancestor)
            if isinstance(ancestor, Stage):
                break
        for node in [*above, *nodes]:
            if node is not scope and not isinstance(node, Stage | Stack) and node not in above:
                continue
            existing = _guard_on(node)
            if existing is None:
                continue
            if existing.policy.environment != wanted.environment:
                raise StatefulnessError(
                    f"differs from the environment {existing.policy.environment!r} of the "
                    f"StatefulnessGuard already applied at {node.node.path or '<app>'!r}.",
                    field="environment",
                    value=wanted.environment,
                    allowed=repr(existing.policy.environment),
                    fix="apply one guard per app, or guard each stage with its own environment.",
                    code="environment-mismatch",
                )
            if node is scope or node in above:
                return existing
        guard = cls(
            wanted, enrol_backups=enrol_backups, termination_protection=termination_protection
        )
        guard._register(scope)
        for node in nodes:
            # aws-cdk-lib synthesizes each Stage on its own and does not carry the app's
            # aspects into it: register on every Stage that exists now.
            if node is not scope and isinstance(node, Stage) and _guard_on(node) is None:
                guard._register(node)
        scope.node.add_validation(_StagesCovered(scope, guard))
        return guard

    @staticmethod
    def acknowledge(
        construct: IConstruct, rule_id: str, reason: str, *, expires: str | None = None
    ) -> None:
        """Accept one Lattice rule on one resource, with a reason, in its template Metadata.

        Writes ``{"rule_id", "reason"[, "expires"]}`` to the resource Metadata key
        ``lattice:acknowledgements``, which the guard, the checker and ``lattice report``
        honour. ``construct`` is a CloudFormation resource or an L2 construct (its
        default child is used), or a Stack for stack-level rules such as LAT2501
        (termination protection), written to the template's Metadata.

        :param rule_id: ``LAT`` + four digits, e.g. ``"LAT1001"``.
        :param reason: why it is acceptable; at least 10 characters.
        :param expires: ``YYYY-MM-DD`` after which the acknowledgement no longer
            counts. Default: never.
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
            # Stack-level rules (LAT2501) are acknowledged in the template's Metadata.
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

    # -- the aspect --------------------------------------------------------------------

    def visit(self, node: IConstruct) -> None:
        """Called by aws-cdk-lib for every construct under the guarded scope."""
        kind = _kind_of(type(node))
        if kind == _IGNORE:
            return
        if kind == _STACK:
            self._visit_stack(node)  # type: ignore[arg-type]
            return
        cfn_type = _CLASS_TYPE[type(node)]
        resource: CfnResource = node  # type: ignore[assignment]
        if cfn_type is None:
            cfn_type = resource.cfn_resource_type
            if cfn_type == AUTO_DELETE_OBJECTS_TYPE:
                self._visit_auto_delete(resource)
                return
        known = stateful_type(cfn_type)
        if known is None:
            return
        ref = _ref(resource)
        if ref in _HANDLED:
            return
        _HANDLED.add(ref)
        if not known.holds_data:
            return  # a nested stack, a cluster's instance: the data is elsewhere
        member = known.cluster_member_property
        if member is not None and getattr(resource, _snake(member), None) is not None:
            return  # an instance of a DB cluster: CDK gives it DESTROY on purpose
        self._protect_removal(resource, known)
        self._protect_properties(resource, known)
        if self.enrol_backups and known.aws_backup and self.policy.enable_backups:
            self._enrol(resource)

    # -- what it does ------------------------------------------------------------------

    def _register(self, scope: IConstruct) -> None:
        Aspects.of(scope).add(self, priority=GUARD_PRIORITY)

    def _visit_stack(self, stack: Stack) -> None:
        if isinstance(stack, NestedStack):
            return  # termination protection belongs to the root stack
        if not self.termination_protection or stack.termination_protection:
            return
        metadata = stack.template_options.metadata or {}
        entries = metadata.get(ACKNOWLEDGEMENTS_METADATA_KEY)
        if isinstance(entries, list) and any(_current(e, "LAT2501") for e in entries):
            return
        stack.termination_protection = True

    def _protect_removal(self, resource: CfnResource, known: StatefulType) -> None:
        options = resource.cfn_options
        deletion = options.deletion_policy
        replace = options.update_replace_policy
        wanted = self.policy.removal_for(supports_snapshot=known.snapshot)
        if deletion is None and replace is None:
            resource.apply_removal_policy(to_removal_policy(wanted))
            return
        if not self._protected:
            return  # dev: whatever was set stays; the guard never weakens a policy
        delete = CfnDeletionPolicy.DELETE
        if known.type in _CDK_DEFAULT_DESTROY and delete in (deletion, replace):
            resource.apply_removal_policy(to_removal_policy(wanted))
            return
        env = self.policy.environment
        if deletion == delete:
            self._fail(
                resource,
                "LAT1001",
                f"{known.type} has DeletionPolicy Delete (RemovalPolicy.DESTROY) in "
                f"environment {env!r}: deleting the stack, or removing the resource from "
                "it, deletes its data.",
                "remove removal_policy=DESTROY (the guard then retains it), or "
                "StatefulnessGuard.acknowledge(construct, 'LAT1001', reason) (and "
                "'LAT1002' for its UpdateReplacePolicy).",
            )
        elif deletion is None:
            options.deletion_policy = _TO_CFN[wanted]
        if replace == delete:
            self._fail(
                resource,
                "LAT1002",
                f"{known.type} has UpdateReplacePolicy Delete in environment {env!r}: a "
                "change that replaces it deletes the old resource's data.",
                "remove removal_policy=DESTROY or the UpdateReplacePolicy Delete (the guard "
                f"then sets {_TO_CFN[wanted].value}), or StatefulnessGuard.acknowledge("
                "construct, 'LAT1002', reason).",
            )
        elif replace is None:
            options.update_replace_policy = _TO_CFN[wanted]

    def _protect_properties(self, resource: CfnResource, known: StatefulType) -> None:
        fills = self._fills.get(known.type)
        if fills is None:
            fills = self._fills[known.type] = self._fills_for(known)
        for field, check in fills:
            value = _read(resource, check.path)
            if value is _UNKNOWN:
                continue
            if value is None:
                if not _is_on(check.default, check):
                    resource.add_property_override(check.path, _on_value(check))
                continue
            if field == "deletion_protection" and not _is_on(value, check):
                self._fail(
                    resource,
                    "LAT1101",
                    f"{known.type} has deletion protection off ({check.path}={value!r}) in "
                    f"environment {self.policy.environment!r}, which requires it.",
                    f"remove the setting that turns it off (the guard sets {check.path}="
                    f"{_on_value(check)!r}), or StatefulnessGuard.acknowledge(construct, "
                    "'LAT1101', reason).",
                )

    def _fills_for(self, known: StatefulType) -> tuple[tuple[str, PropertyCheck], ...]:
        required = (
            ("deletion_protection", known.deletion_protection, self.policy.deletion_protection),
            (
                "point_in_time_recovery",
                known.point_in_time_recovery,
                self.policy.point_in_time_recovery,
            ),
            ("versioning", known.versioning, self.policy.versioning),
        )
        # Paths through lists (GlobalTable replicas) cannot be filled in blindly: the
        # checker judges those.
        return tuple(
            (field, check)
            for field, check, wanted in required
            if wanted and check is not None and "*" not in check.path
        )

    def _visit_auto_delete(self, custom: CfnResource) -> None:
        if not self._protected:
            return
        ref = _ref(custom)
        if ref in _HANDLED:
            return
        _HANDLED.add(ref)
        self._fail(
            custom,
            "LAT1403",
            "the bucket's auto_delete_objects=True custom resource empties it when the stack "
            f"deletes it, in environment {self.policy.environment!r}.",
            "remove auto_delete_objects=True, or StatefulnessGuard.acknowledge(bucket, "
            "'LAT1403', reason).",
            also=_bucket_of(custom),
        )

    def _enrol(self, resource: CfnResource) -> None:
        tags = getattr(resource, "tags", None)
        if not isinstance(tags, TagManager):
            tags = getattr(resource, "cdk_tag_manager", None)
        if not isinstance(tags, TagManager):
            return  # not taggable: the checker reports it as not covered (LAT1201)
        tags.set_tag(BACKUP_TAG, "true")
        stack = Stack.of(resource)
        while stack.nested_stack_parent is not None:
            stack = stack.nested_stack_parent
        key = _ref(stack)
        if key in self._selections:
            return
        self._selections.add(key)
        # Imported lazily: only apps that enrol pay for loading the backup module.
        from ._backup import BackupManager

        shared = create_statefulness_policy(environment=self.policy.environment)
        BackupManager.of(stack, policy=shared).add_tag_selection(BACKUP_TAG, "true")

    def _fail(
        self,
        resource: CfnResource,
        rule_id: str,
        message: str,
        fix: str,
        *,
        also: CfnResource | None = None,
    ) -> None:
        targets = [resource] if also is None else [resource, also]
        resource.node.add_validation(_Violation(targets, rule_id, message, fix))


def _guard_on(scope: IConstruct) -> StatefulnessGuard | None:
    for aspect in Aspects.of(scope).all:
        if isinstance(aspect, StatefulnessGuard):
            return aspect
    return None


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
        allowed="a CfnResource, or an L2 construct whose default child is one",
        fix="acknowledge the resource itself, e.g. bucket.node.default_child.",
        code="invalid-value",
    )


def _bucket_of(custom: CfnResource) -> CfnResource | None:
    # s3.Bucket puts its auto-delete custom resource at
    # Bucket/AutoDeleteObjectsCustomResource/Default, beside the CfnBucket "Resource".
    provider = custom.node.scope
    owner = provider.node.scope if provider is not None else None
    child = owner.node.default_child if owner is not None else None
    return child if isinstance(child, CfnResource) else None


def _read(resource: CfnResource, path: str) -> Any:
    """The value at a dotted property path: None when absent, _UNKNOWN when unreadable."""
    first, *rest = path.split(".")
    value = getattr(resource, _snake(first), _UNKNOWN)
    for part in rest:
        if value is None or value is _UNKNOWN:
            return value
        if isinstance(value, Mapping):
            value = value.get(part, value.get(part[:1].lower() + part[1:], value.get(_snake(part))))
        else:
            value = getattr(value, _snake(part), _UNKNOWN)
    if isinstance(value, str) and "${Token[" in value:
        return _UNKNOWN
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _UNKNOWN if value < _NUMBER_TOKEN_BELOW else value
    if value is None or isinstance(value, bool | str):
        return value
    return _UNKNOWN  # an IResolvable, decided at deploy time


def _is_on(value: Any, check: PropertyCheck) -> bool:
    if check.min is not None:
        return isinstance(value, int | float) and value >= check.min
    return value is not None and value == check.on


def _on_value(check: PropertyCheck) -> Any:
    return check.on if check.on is not None else check.min


@jsii.implements(IValidation)
class _Violation:
    """A synth-time failure on one resource, unless the rule is acknowledged there."""

    def __init__(
        self, targets: Sequence[CfnResource], rule_id: str, message: str, fix: str
    ) -> None:
        self._targets = targets
        self._rule_id = rule_id
        self._text = f"[{rule_id}] {message} Fix: {fix}"

    def validate(self) -> list[str]:
        if any(_acknowledged(target, self._rule_id) for target in self._targets):
            return []
        return [self._text]


@jsii.implements(IValidation)
class _StagesCovered:
    """Fails the synth when a Stage under the guarded scope escaped the guard."""

    def __init__(self, scope: IConstruct, guard: StatefulnessGuard) -> None:
        self._scope = scope
        self._guard = guard

    def validate(self) -> list[str]:
        missed = [
            node.node.path
            for node in self._scope.node.find_all()
            if node is not self._scope and isinstance(node, Stage) and _guard_on(node) is None
        ]
        if not missed:
            return []
        return [
            f"[LAT1001] Stage(s) {', '.join(missed)} were created after "
            "StatefulnessGuard.apply(), and aws-cdk-lib does not carry an app's aspects "
            "into its Stages, so their stateful resources were not guarded. Fix: call "
            "StatefulnessGuard.apply() after creating the stages, or on each stage."
        ]


def _acknowledged(resource: CfnResource, rule_id: str) -> bool:
    entries = resource.get_metadata(ACKNOWLEDGEMENTS_METADATA_KEY)
    if isinstance(entries, list) and any(_current(entry, rule_id) for entry in entries):
        return True
    return _cdk_acknowledged(resource, rule_id)


def _current(entry: object, rule_id: str) -> bool:
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


def _cdk_acknowledged(resource: CfnResource, rule_id: str) -> bool:
    """CDK's ``Validations.of(x).acknowledge(Acknowledgment("lattice::LAT1001", ...))``
    on the resource or any construct above it."""
    key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    for scope in _lineage(resource):
        for entry in scope.node.metadata:
            if entry.type != key or not isinstance(entry.data, Mapping):
                continue
            if any(_names_rule(str(name), rule_id) for name in entry.data):
                return True
    return False


def _lineage(resource: CfnResource) -> Iterable[IConstruct]:
    return reversed(resource.node.scopes)


def _names_rule(name: str, rule_id: str) -> bool:
    return name == rule_id or name.endswith(f"::{rule_id}")
