"""Restore testing and air-gapped copies across a whole assembly: the one model the
recovery rules (LAT1306-LAT1309) and ``lattice report`` read.

A restore testing selection picks resources of one ``ProtectedResourceType`` by ARN
(``*`` for all) narrowed by ``ProtectedResourceConditions`` (``StringEquals`` /
``StringNotEquals`` on ``aws:ResourceTag/...``), as a backup selection does: whether
it picks a resource is :func:`._backup_match.selects`, the backup coverage's own
judgement. Which types restore testing supports, and the air-gapped vault's retention
bounds, are :mod:`lattice_cdk._recovery`. Every answer is three-valued: True, False, or
None when the template leaves it to deploy time.
"""

from __future__ import annotations

from .._records import Record
from .._recovery import RESTORE_TESTABLE
from ..cfn._knowledge import StatefulType, stateful_type
from ..cfn._model import Assembly, Resource, Stack
from ._backup_match import (
    ResourceTags,
    Selection,
    Target,
    flatten,
    literal,
    selects,
    tag_key,
)
from ._values import ABSENT, get_path, is_intrinsic, references

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._backup_plans import Plan

__all__ = ["AirGappedVault", "Copy", "RecoveryIndex", "RestoreSelection"]

AIR_GAPPED_TYPE = "AWS::Backup::LogicallyAirGappedBackupVault"
SELECTION_TYPE = "AWS::Backup::RestoreTestingSelection"


class AirGappedVault(Record):
    stack: Stack
    logical_id: str
    #: The literal ``BackupVaultName``, or None.
    name: str | None
    min_days: Any
    max_days: Any


class RestoreSelection(Record):
    stack: Stack
    logical_id: str
    name: str
    #: ``ProtectedResourceType`` (``RDS``, ``DynamoDB``...), or None when not literal.
    protected_type: str | None
    #: The ARNs and tag conditions, in the shape backup selections are judged in.
    selection: Selection


class Copy(Record):
    """One copy action of a backup plan rule."""

    rule: str
    #: ``Lifecycle.DeleteAfterDays`` of the copy (None: kept forever).
    retention: Any
    #: What the destination is, for people: a vault's logical id or its ARN.
    destination: str
    #: The air-gapped vault it copies to; None when it is not one, or unknown.
    vault: AirGappedVault | None
    #: False when the template cannot tell whether the destination is air-gapped.
    known: bool


class RecoveryIndex:
    """Restore testing selections and air-gapped vaults of an assembly, read on first use."""

    def __init__(self, assembly: Assembly | None, tags: ResourceTags | None = None) -> None:
        self._assembly = assembly
        self._tags = ResourceTags() if tags is None else tags
        self._read = False
        self.vaults: dict[tuple[str, str], AirGappedVault] = {}
        self._by_name: dict[str, AirGappedVault] = {}
        self.selections: list[RestoreSelection] = []
        self._covered: dict[tuple[str, str], tuple[bool | None, tuple[RestoreSelection, ...]]] = {}
        #: Each selection's verdict (by id: a record's equality compares its stack's
        #: whole template), from one pass over the restore-testable resources.
        self._matches: dict[int, bool | None] | None = None
        #: Verdicts by (type, where, tags known, tags) when every selection picks by
        #: tags alone (``ProtectedResourceArns: ["*"]``): resources tagged alike share one.
        self._by_tags: dict[Any, tuple[bool | None, tuple[RestoreSelection, ...]]] = {}
        self._by_tags_only = False
        self._selection_at: dict[tuple[int, str], RestoreSelection] = {}
        self._copies: dict[tuple[int, str], tuple[Resource, tuple[Copy, ...]]] = {}
        self._copies_to: dict[int, tuple[tuple[Plan, ...], tuple[str, ...]]] = {}

    def _ensure(self) -> None:
        if self._read:
            return
        self._read = True
        for stack in self._assembly.stacks if self._assembly else ():
            by_type = stack.resources_by_type()
            for logical_id in by_type.get(AIR_GAPPED_TYPE, ()):
                props = stack.resources[logical_id].properties
                name = props.get("BackupVaultName")
                vault = AirGappedVault(
                    stack,
                    logical_id,
                    name if isinstance(name, str) else None,
                    literal_int(props.get("MinRetentionDays")),
                    literal_int(props.get("MaxRetentionDays")),
                )
                self.vaults[(stack.identity, logical_id)] = vault
                if vault.name is not None:
                    self._by_name[vault.name] = vault
            for logical_id in by_type.get(SELECTION_TYPE, ()):
                self.selections.append(_read_selection(stack, stack.resources[logical_id]))
        self._selection_at = {(id(s.stack), s.logical_id): s for s in self.selections}
        self._by_tags_only = all(
            s.selection.unreadable is None
            and not s.selection.not_resources
            and all(t.kind == "pattern" and t.value == "*" for t in s.selection.resources)
            for s in self.selections
        )

    # -- restore testing --------------------------------------------------------------

    def restore_coverage(
        self, stack: Stack, resource: Resource, knowledge: StatefulType
    ) -> tuple[bool | None, tuple[RestoreSelection, ...]]:
        """Whether a restore testing selection picks ``resource``, and which do (or, when
        the answer is None, which may)."""
        key = (stack.identity, resource.logical_id)
        found = self._covered.get(key)
        if found is not None:
            return found
        self._ensure()
        testable = RESTORE_TESTABLE.get(resource.type)
        picked: list[RestoreSelection] = []
        maybe: list[RestoreSelection] = []
        if testable is not None:
            tags, tags_known = self._tags(stack, resource, knowledge)
            shared: Any = None
            if self._by_tags_only:
                shared = (testable.protected_type, stack.place, tags_known, tuple(tags.items()))
                try:
                    cached = self._by_tags.get(shared)
                except TypeError:  # a tag value that cannot be hashed
                    shared = cached = None
                if cached is not None:
                    self._covered[key] = cached
                    return cached
            for item in self.selections:
                if (
                    item.protected_type is not None
                    and item.protected_type != testable.protected_type
                ):
                    continue
                verdict = selects(item.selection, stack, resource, knowledge, tags, tags_known)
                if verdict is True and item.protected_type is not None:
                    picked.append(item)
                elif verdict is not False:
                    maybe.append(item)
        found = (True, tuple(picked)) if picked else (None if maybe else False, tuple(maybe))
        self._covered[key] = found
        if testable is not None and shared is not None:
            self._by_tags[shared] = found
        return found

    def selection_matches(self, stack: Stack, logical_id: str) -> bool | None:
        """Whether the restore testing selection ``logical_id`` picks any stateful
        resource of the assembly (None: only resources it may pick)."""
        self._ensure()
        item = self._selection_at.get((id(stack), logical_id))
        if item is None:
            return None
        if self._matches is None and self._picks_at_home(item):
            return True  # the usual answer, without a pass over the whole assembly
        return self._selection_verdicts().get(id(item), False)

    def _picks_at_home(self, item: RestoreSelection) -> bool:
        """Whether ``item`` picks a resource of its own stack (as it picks any other:
        the same :func:`selects` on the same tags)."""
        stack = item.stack
        by_type = stack.resources_by_type()
        for kind in _TYPES_OF.get(item.protected_type or "", ()):
            knowledge = stateful_type(kind)
            if knowledge is None:
                continue
            for logical_id in by_type.get(kind, ()):
                resource = stack.resources[logical_id]
                tags, tags_known = self._tags(stack, resource, knowledge)
                if selects(item.selection, stack, resource, knowledge, tags, tags_known) is True:
                    return True
        return False

    def _selection_verdicts(self) -> dict[int, bool | None]:
        """True for a selection that picks some resource, None for one that may only."""
        if self._matches is None:
            matches: dict[int, bool | None] = {}
            # Resources tagged alike share one coverage answer (one object): its
            # selections are counted once, not once per resource.
            counted: set[int] = set()
            for other in self._assembly.stacks if self._assembly else ():
                by_type = other.resources_by_type()  # no records for other types
                for kind in RESTORE_TESTABLE.keys() & by_type.keys():
                    knowledge = stateful_type(kind)
                    if knowledge is None:
                        continue
                    for logical_id in by_type[kind]:
                        resource = other.resources[logical_id]
                        found = self.restore_coverage(other, resource, knowledge)
                        if id(found) in counted:
                            continue
                        counted.add(id(found))
                        covered, selections = found
                        for item in selections:
                            if covered is True:
                                matches[id(item)] = True
                            elif matches.get(id(item)) is not True:
                                matches[id(item)] = None
            self._matches = matches
        return self._matches

    def selection(self, stack: Stack, logical_id: str) -> RestoreSelection | None:
        self._ensure()
        return self._selection_at.get((id(stack), logical_id))

    # -- copies -----------------------------------------------------------------------

    def copies(self, stack: Stack, plan: Resource) -> tuple[Copy, ...]:
        """Every copy action of the backup plan ``plan``, with its destination resolved
        (worked out once per plan: the report asks for every resource a plan backs up)."""
        key = (id(stack), plan.logical_id)
        known = self._copies.get(key)
        if known is not None and known[0] is plan:
            return known[1]
        found = self._read_copies(stack, plan)
        self._copies[key] = (plan, found)
        return found

    def copies_to(self, plans: tuple[Plan, ...]) -> tuple[str, ...]:
        """Where the copies of ``plans``' backups go, sorted: air-gapped vaults by logical
        id with ``(air-gapped)``, other destinations as the template names them (worked
        out once per tuple of plans: resources tagged alike share one)."""
        known = self._copies_to.get(id(plans))
        if known is not None and known[0] is plans:
            return known[1]
        destinations: set[str] = set()
        for plan in plans:
            body = plan.stack.resources.get(plan.logical_id)
            if body is None:
                continue
            for copy in self.copies(plan.stack, body):
                label = copy.vault.logical_id if copy.vault is not None else copy.destination
                destinations.add(f"{label} (air-gapped)" if copy.vault is not None else label)
        found = tuple(sorted(destinations))
        self._copies_to[id(plans)] = (plans, found)
        return found

    def _read_copies(self, stack: Stack, plan: Resource) -> tuple[Copy, ...]:
        self._ensure()
        rules = get_path(plan.properties, "BackupPlan.BackupPlanRule")
        found: list[Copy] = []
        for position, rule in enumerate(rules if isinstance(rules, list) else ()):
            if not isinstance(rule, dict):
                continue
            name = rule.get("RuleName")
            label = name if isinstance(name, str) else f"rule {position + 1}"
            actions = rule.get("CopyActions")
            for action in actions if isinstance(actions, list) else ():
                if not isinstance(action, dict):
                    found.append(Copy(label, None, "?", None, False))
                    continue
                retention = get_path(action, "Lifecycle.DeleteAfterDays")
                days = None if retention is ABSENT else literal_int(retention)
                found.append(
                    self._copy(stack, label, days, action.get("DestinationBackupVaultArn"))
                )
        return tuple(found)

    def _copy(self, stack: Stack, rule: str, retention: Any, destination: Any) -> Copy:
        for ref in sorted(references(destination)):
            target = stack.resources.get(ref)
            if target is None:
                continue
            return Copy(rule, retention, ref, self.vaults.get((stack.identity, ref)), True)
        flat = flatten(destination)
        if flat is None:
            return Copy(rule, retention, "an intrinsic", None, False)
        name = flat.rsplit(":", 1)[-1] if ":backup-vault:" in flat else None
        vault = self._by_name.get(name) if name else None
        return Copy(rule, retention, flat, vault, vault is not None)


def _types_of() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for kind, testable in RESTORE_TESTABLE.items():
        found[testable.protected_type] = (*found.get(testable.protected_type, ()), kind)
    return found


#: Restore testing's protected resource types, each with the resource types it covers.
_TYPES_OF = _types_of()


def literal_int(value: Any) -> Any:
    """A whole number from a template value (CloudFormation also takes "30"), else the
    value itself (an intrinsic, which the rules report)."""
    if type(value) is int:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _read_selection(stack: Stack, resource: Resource) -> RestoreSelection:
    props = resource.properties
    name = props.get("RestoreTestingSelectionName")
    kind = props.get("ProtectedResourceType")
    unreadable: list[str] = []
    targets: list[Target] = []
    arns = props.get("ProtectedResourceArns")
    if isinstance(arns, list):
        for item in arns:
            refs = [r for r in references(item) if r in stack.resources]
            flat = item if isinstance(item, str) else flatten(item)
            if refs:
                targets.append(Target("ref", refs[0], stack=stack.identity))
            elif flat is not None:
                targets.append(Target("pattern", flat))
            else:
                targets.append(Target("unknown", "an intrinsic ARN"))
                unreadable.append("a ProtectedResourceArns entry is an intrinsic")
    elif arns is not None:
        unreadable.append("ProtectedResourceArns is not a list")
    conditions: list[tuple[str, str, Any]] = []
    raw = props.get("ProtectedResourceConditions")
    if is_intrinsic(raw):
        unreadable.append("ProtectedResourceConditions is an intrinsic")
    elif isinstance(raw, dict):
        for operator, entries in raw.items():
            for entry in entries if isinstance(entries, list) else [None]:
                if not isinstance(entry, dict) or not isinstance(entry.get("Key"), str):
                    unreadable.append(f"a {operator} condition has no Key")
                    continue
                conditions.append((operator, tag_key(entry["Key"]), literal(entry.get("Value"))))
    selection = Selection(
        stack=stack,
        logical_id=resource.logical_id,
        name=name if isinstance(name, str) else resource.logical_id,
        plan=None,
        resources=tuple(targets),
        list_of_tags=(),
        conditions=tuple(conditions),
        not_resources=(),
        unreadable="; ".join(unreadable) or None,
    )
    return RestoreSelection(
        stack,
        resource.logical_id,
        selection.name,
        kind if isinstance(kind, str) else None,
        selection,
    )
