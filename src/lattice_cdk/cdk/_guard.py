"""StatefulnessGuard: one line that protects every stateful resource of an app.

Real apps are mostly plain aws-cdk-lib. ``StatefulnessGuard.apply(app, environment=...)``
gives every CloudFormation resource of a stateful type under an app, stage or stack
what its environment requires where nothing was set, respects explicit choices, and
fails the synth for the dangerous ones (explicit DESTROY, deletion protection off,
``auto_delete_objects`` in prod) unless they are acknowledged with a reason.

Example::

    app = cdk.App()
    ...                                        # plain aws-cdk-lib stacks
    StatefulnessGuard.apply(app, environment="prod")
    app.synth()

The work is split three ways, each in its own module:

* what can be decided by resource *type* runs inside Node, in aws-cdk-lib's own
  aspects: ``MissingRemovalPolicies`` (removal policy where none is set),
  ``RemovalPolicies`` (types whose L2 defaults to DESTROY) and ``Tags`` (backup
  enrolment). No Python callback per node (here, :meth:`StatefulnessGuard._install`).
* what needs a property read (deletion protection, point-in-time recovery, S3
  versioning), the stacks (termination protection, environment metadata) and the
  resources to enrol: one Python aspect visit per guarded scope and synth, on public
  aws-cdk-lib API (:mod:`._guard_fill`).
* what can only be judged on the result: the checker's rules LAT1001/1002/1101/1403
  on the synthesized templates, as a policy-validation plugin (:mod:`._guard_judge`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Final

import jsii
from aws_cdk import (
    Aspects,
    IAspect,
    MissingRemovalPolicies,
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
from .._policy import StatefulnessPolicy, create_statefulness_policy
from ..cfn._knowledge import stateful_types
from ._context import policy_for
from ._guard_acks import acknowledge
from ._guard_fill import FillPlan, fill, plan_for, stages_and_stacks
from ._guard_judge import GUARDED_RULES, GuardCheck
from ._removal import to_removal_policy
from ._tags import BACKUP_TAG

if TYPE_CHECKING:
    from ._backup import BackupManager

__all__ = ["AUTO_DELETE_OBJECTS_TYPE", "GUARD_PRIORITY", "StatefulnessGuard"]

#: Aspect priority of the guard's aspects: after aws-cdk-lib's mutating (200) and
#: default (500) aspects, so it sees what they set, before read-only ones (1000).
GUARD_PRIORITY: Final = 800
#: The custom resource ``s3.Bucket(auto_delete_objects=True)`` adds to empty the bucket.
AUTO_DELETE_OBJECTS_TYPE: Final = "Custom::S3AutoDeleteObjects"
#: Construct id of the (resource-less) construct whose one aspect visit runs the pass.
MARKER_ID: Final = "LatticeStatefulnessGuard"

# Types whose aws-cdk-lib L2 construct applies DESTROY by default (sqs.Queue,
# secretsmanager.Secret and the secret rds.DatabaseInstance generates). A Delete on
# them is CDK's default rather than a choice (the two look the same from Python), so
# in prod/staging the guard raises it to RETAIN instead of failing the synth.
_CDK_DEFAULT_DESTROY: Final = ("AWS::SQS::Queue", "AWS::SecretsManager::Secret")
_PROTECTED_TIERS: Final = (Tier.PROD, Tier.STAGING)


class _Marker(Construct):
    """The resource-less construct a guard adds under each scope it is installed on: it
    carries the guard (so a second ``apply`` finds it in the tree) and its one aspect
    visit runs the pass."""

    def __init__(self, scope: Construct, guard: StatefulnessGuard) -> None:
        super().__init__(scope, MARKER_ID)
        self.guard = guard


def _installed(node: IConstruct) -> StatefulnessGuard | None:
    """The guard installed on ``node`` itself, if any."""
    marker = node.node.try_find_child(MARKER_ID)
    return marker.guard if isinstance(marker, _Marker) else None


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
      (LAT1401, LAT1402). A value only deploy time knows is never filled. What counts
      as "on" (``"true"`` as well as ``true``) is the checker's judgement.
    * ``auto_delete_objects=True`` on a bucket in prod/staging fails the synth (LAT1403).
    * **stacks**: termination protection on prod root stacks, and template Metadata
      ``lattice:environment`` (what the checker reads) on every stack.
    * **backups** (``enrol_backups``, on by default) where the environment's policy has
      backups (prod, staging): every resource
      AWS Backup supports is tagged ``lattice:backup=<environment>``, and the
      :meth:`BackupManager.of <lattice_cdk.cdk.BackupManager.of>` of the first stack of
      each account/region selects that tag (a tag selection covers the whole account
      and region: one per stack would back every resource up once per stack).

    A failure is acknowledged per resource with :meth:`acknowledge` (a reason in the
    template's Metadata) or with CDK's ``Validations.of(x).acknowledge`` (rule
    ``lattice::LAT1001``...).
    """

    #: Rule ids a synth can fail with.
    RULE_IDS: ClassVar[tuple[str, ...]] = GUARDED_RULES

    def __init__(
        self,
        policy: StatefulnessPolicy,
        *,
        enrol_backups: bool = True,
        termination_protection: bool | None = None,
        fail_synth: bool = True,
    ) -> None:
        """Create a guard; :meth:`apply` creates and installs one.

        :param policy: what the environment requires.
        :param enrol_backups: tag and select resources for AWS Backup where the policy
            has backups. Default: True.
        :param termination_protection: set termination protection on the root stacks
            it guards. Default: the policy's (on in prod only).
        :param fail_synth: check the synthesized templates and fail the synth on
            LAT1001/LAT1002/LAT1101/LAT1403. Default: True.
        """
        _check_arguments(
            policy=policy,
            enrol_backups=enrol_backups,
            termination_protection=termination_protection,
            fail_synth=fail_synth,
        )
        self.policy: Final = policy
        self.enrol_backups: Final = enrol_backups
        self.termination_protection: Final = (
            policy.termination_protection
            if termination_protection is None
            else termination_protection
        )
        self.fail_synth: Final = fail_synth
        self._protected = policy.tier in _PROTECTED_TIERS
        self._plan: FillPlan | None = None
        self._selected: dict[str, BackupManager] = {}
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
        enrol_backups: bool = True,
        termination_protection: bool | None = None,
        fail_synth: bool = True,
    ) -> StatefulnessGuard:
        """Guard every stateful resource under ``scope`` (an app, a stage or a stack).

        :param environment: the environment. Default: CDK context
            ``lattice:environment``; neither given is an error (Lattice never guesses).
        :param policy: a ready policy instead of ``environment``. Default: the
            environment's policy.
        :param enrol_backups: where the environment's policy has backups (prod,
            staging), tag every resource AWS Backup supports
            ``lattice:backup=<environment>`` and select that tag in the ``BackupManager``
            of the first stack of each account/region. Default: True, so that a guarded
            app passes ``lattice check`` (LAT1201 wants every data resource backed up).
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
        _check_scope(scope)
        _check_arguments(
            environment=environment,
            policy=policy,
            enrol_backups=enrol_backups,
            termination_protection=termination_protection,
            fail_synth=fail_synth,
        )
        wanted = policy_for(scope, environment=environment, policy=policy)
        # Not find_all(): listing every construct costs Node ~30 µs each; Stages and
        # stacks sit near the top of the tree.
        nodes = [scope, *stages_and_stacks(scope)]
        above: list[IConstruct] = []
        for ancestor in reversed(scope.node.scopes[:-1]):
            above.append(ancestor)
            if isinstance(ancestor, Stage):
                break  # aspects stop at a Stage: a guard above it does not reach here
        for node in (*above, *nodes):
            existing = _installed(node)
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
            if node is not scope and isinstance(node, Stage) and _installed(node) is None:
                guard._install(node)
        scope.node.add_validation(_StagesCovered(scope))
        if fail_synth:
            Validations.of(scope.node.root).add_plugins(
                GuardCheck(guard.policy, guard.template_files)
            )
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
        acknowledge(construct, rule_id, reason, expires=expires)

    # -- installing --------------------------------------------------------------------

    def _install(self, scope: IConstruct) -> None:
        """Register the type-based aspects (run in Node) and the one Python pass."""
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
        if isinstance(scope, Construct):
            Aspects.of(_Marker(scope, self)).add(_Pass(self, scope), priority=GUARD_PRIORITY)

    # -- the pass (one Python callback per guarded scope and synth) ---------------------

    def run(self, scope: IConstruct) -> None:
        """Protect the stacks and stateful resources under ``scope``.

        Called once per synth by the guard's aspect; safe to call again (what is set
        stays set, so nothing is filled twice).
        """
        if self._plan is None:
            self._plan = plan_for(
                self.policy,
                enrol=self.enrol_backups and self.policy.enable_backups,
                termination_protection=self.termination_protection,
                backup_tag=BACKUP_TAG,
            )
        template_files, enrol = fill(scope, self._plan)
        self.template_files.update(template_files)
        for root, types in enrol.items():
            self._select(root, types)

    def _select(self, stack: Stack, types: set[str]) -> None:
        # A tag selection covers every tagged resource of its account and region, so
        # one per account/region (in the first stack that needs it), not one per stack:
        # several would back every resource up several times. Restore tests select by
        # the same tag, one selection per type enrolled.
        key = f"{stack.account}/{stack.region}"
        manager = self._selected.get(key)
        if manager is None:
            # Imported here: only apps that enrol pay for loading the backup module.
            from ._backup import BackupManager

            shared = create_statefulness_policy(environment=self.policy.environment)
            # The tag's value is the environment, so that prod's plan never picks up the
            # staging resources of a shared account (into prod's vault, for seven years).
            manager = self._selected[key] = BackupManager.of(stack, policy=shared)
            manager.add_tag_selection(BACKUP_TAG, self.policy.environment)
        for resource_type in sorted(types):
            if manager.restore_testing is not None:
                manager.restore_testing.add_resource_type(resource_type)


@jsii.implements(IAspect)
class _Pass:
    """The guard's one Python aspect, on a construct with no children: one visit."""

    def __init__(self, guard: StatefulnessGuard, scope: IConstruct) -> None:
        self._guard = guard
        self._scope = scope

    def visit(self, node: IConstruct) -> None:
        self._guard.run(self._scope)


@jsii.implements(IValidation)
class _StagesCovered:
    """Fails the synth when a Stage under a guarded scope escaped the guard."""

    def __init__(self, scope: IConstruct) -> None:
        self._scope = scope

    def validate(self) -> list[str]:
        missed = [
            node.node.path
            for node in stages_and_stacks(self._scope)
            if isinstance(node, Stage) and _installed(node) is None
        ]
        if not missed:
            return []
        return [
            f"[LAT1001] Stage(s) {', '.join(missed)} were created after "
            "StatefulnessGuard.apply(), and aws-cdk-lib does not carry an app's aspects "
            "into its Stages, so their stateful resources were not guarded. Fix: call "
            "StatefulnessGuard.apply() after creating the stages, or on each stage."
        ]


def _check_scope(scope: object) -> None:
    if not isinstance(scope, Construct):
        raise StatefulnessError(
            "is not a construct to guard.",
            field="scope",
            value=scope,
            allowed="a cdk.App, a cdk.Stage or a cdk.Stack",
            fix="pass the app: StatefulnessGuard.apply(app, environment='prod').",
            code="invalid-value",
        )


def _check_arguments(**arguments: object) -> None:
    """Refuse arguments of the wrong type at once, naming the argument and the fix."""
    for field, value in arguments.items():
        if field == "environment":
            ok, allowed = value is None or isinstance(value, str), "an environment name or None"
        elif field == "policy":
            ok = value is None or isinstance(value, StatefulnessPolicy)
            allowed = "a StatefulnessPolicy or None"
        elif field == "termination_protection":
            ok, allowed = value is None or isinstance(value, bool), "True, False or None"
        else:
            ok, allowed = isinstance(value, bool), "True or False"
        if not ok:
            raise StatefulnessError(
                f"is a {type(value).__name__}.",
                field=field,
                value=value,
                allowed=allowed,
                fix=f"pass {field}={allowed.split(' or ')[0].split(', ')[0]}, not a "
                f"{type(value).__name__}.",
                code="invalid-value",
            )
