"""What a rule is: its description (a :class:`RuleInfo`), where it applies, and one
small pure function that returns hits.

A resource rule sees one resource of a type it applies to, in a stack whose policy it
applies to (``when``); a stack rule sees a whole stack once. Rules never build
:class:`Finding` records themselves: they return :class:`Hit` s and the engine adds the
rule id, severity, place and acknowledgements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .._findings import RuleInfo
from .._records import Record
from ..cfn._knowledge import StatefulType
from ..cfn._model import Resource, Stack

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._environments import ResolvedEnvironment
    from .._policy import StatefulnessPolicy
    from ._backup import BackupIndex

__all__ = ["Hit", "ResourceRule", "StackContext", "StackRule"]


class Hit(Record):
    """One problem a rule found.

    ``cannot_evaluate`` turns it into a LAT2901 finding: the rule met a value it could
    not resolve, which is reported and never passed. ``logical_id`` overrides the
    resource the finding points at (a custom resource reported on its bucket).

    Built positionally or by keyword, as ``Hit(message, fix=None, cannot_evaluate=False,
    logical_id=None)``. This and the other rule records are :class:`Record` s, not
    ``typing.NamedTuple`` s: importing ``typing`` and building the classes cost
    ``lattice check`` 3 ms at every start.
    """

    message: str
    fix: str | None = None
    cannot_evaluate: bool = False
    logical_id: str | None = None


class StackContext(Record):
    """What every rule may read about the stack being checked."""

    stack: Stack
    policy: StatefulnessPolicy
    environment: ResolvedEnvironment
    backups: BackupIndex


ResourceCheck = Callable[[Resource, StatefulType | None, StackContext], Iterable[Hit]]
StackCheck = Callable[[StackContext], Iterable[Hit]]


class ResourceRule(Record):
    """A rule run on each resource of the types it applies to.

    ``types`` names types explicitly; ``stateful`` selects stateful types whose
    knowledge passes it (``lambda t: t.deletion_protection is not None``). ``when``
    selects the policies it applies to (``lambda p: p.deletion_protection``): in a
    stack whose policy fails it, the engine does not call ``check`` (nor build the
    resources only such rules would read). Resources whose data lives elsewhere
    (``holds_data`` false, cluster members) are skipped unless ``data_holders_only``
    is False.
    """

    info: RuleInfo
    check: ResourceCheck
    types: frozenset[str] = frozenset()
    stateful: Callable[[StatefulType], bool] | None = None
    data_holders_only: bool = True
    when: Callable[[StatefulnessPolicy], bool] | None = None


class StackRule(Record):
    """A rule run once per stack (stack-level protection)."""

    info: RuleInfo
    check: StackCheck


def applies_to(rule: ResourceRule, resource_type: str, knowledge: StatefulType | None) -> bool:
    if resource_type in rule.types:
        return True
    return knowledge is not None and rule.stateful is not None and rule.stateful(knowledge)


def hits(*items: Hit | None) -> Iterable[Hit]:
    """Drop ``None`` s: lets a rule ``return hits(maybe_hit)``."""
    return [item for item in items if item is not None]
