"""LAT1305: a backup plan or selection exceeds AWS Backup's quotas."""

from __future__ import annotations

from collections.abc import Iterable

from ..._backup_plan import MAX_ARNS, MAX_SELECTIONS_PER_PLAN, MAX_WILDCARD_ARNS
from ..._findings import RuleInfo
from ...cfn._knowledge import StatefulType
from ...cfn._model import Resource
from .._rule import Hit, ResourceRule, StackContext
from .._values import is_intrinsic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


INFO = RuleInfo(
    rule_id="LAT1305",
    title="Backup plan or selection over AWS Backup's quotas",
    rationale="AWS Backup allows 100 selections per backup plan (not adjustable) and 500 "
    "ARNs per selection, 30 when one has a wildcard. A template over them synthesizes "
    "and fails at deploy, leaving the data it meant to back up without backups.",
    fix="Select by tag instead of by ARN (one ListOfTags/Conditions selection covers any "
    "number of resources; Lattice constructs do this), or split the ARNs over more "
    "selections and plans.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/aws-backup-limits.html",
    severity_reason="An error: the quota is not adjustable and the deploy fails, so the "
    "resources the plan was meant to back up are not backed up.",
)

_PLAN = "AWS::Backup::BackupPlan"
_SELECTION = "AWS::Backup::BackupSelection"


def _plan_of(selection: Resource) -> str | None:
    """The logical id of the plan a selection's ``BackupPlanId`` points at, if in the stack."""
    ref: Any = selection.properties.get("BackupPlanId")
    if isinstance(ref, dict) and len(ref) == 1:
        if isinstance(ref.get("Ref"), str):
            return str(ref["Ref"])
        target = ref.get("Fn::GetAtt")
        if isinstance(target, list) and target and isinstance(target[0], str):
            return target[0]
        if isinstance(target, str):
            return target.split(".", 1)[0]
    return None


def _check_plan(resource: Resource, ctx: StackContext) -> Iterable[Hit]:
    stack = ctx.stack
    count = sum(
        1
        for logical_id in stack.resources_by_type().get(_SELECTION, ())
        if _plan_of(stack.resources[logical_id]) == resource.logical_id
    )
    if count <= MAX_SELECTIONS_PER_PLAN:
        return ()
    return (
        Hit(
            f"backup plan {resource.logical_id} has {count} selections; AWS Backup allows "
            f"{MAX_SELECTIONS_PER_PLAN} per plan, so the deploy fails."
        ),
    )


def _check_selection(resource: Resource) -> Iterable[Hit]:
    body = resource.properties.get("BackupSelection")
    if not isinstance(body, dict) or is_intrinsic(body):
        return ()  # LAT1201 reports a selection it cannot read
    found: list[Hit] = []
    for key in ("Resources", "NotResources"):
        arns = body.get(key)
        if arns is None:
            continue
        if is_intrinsic(arns) or not isinstance(arns, list):
            found.append(
                Hit(
                    f"backup selection {resource.logical_id}: {key} is not a list; cannot "
                    "count its ARNs against AWS Backup's quota.",
                    cannot_evaluate=True,
                )
            )
            continue
        wildcard = any(isinstance(arn, str) and "*" in arn for arn in arns)
        limit = MAX_WILDCARD_ARNS if wildcard else MAX_ARNS
        if len(arns) > limit:
            kind = "with a wildcard" if wildcard else "without wildcards"
            found.append(
                Hit(
                    f"backup selection {resource.logical_id} lists {len(arns)} ARNs in {key}; "
                    f"AWS Backup allows {limit} {kind}, so the deploy fails."
                )
            )
    return found


def check(resource: Resource, knowledge: StatefulType | None, ctx: StackContext) -> Iterable[Hit]:
    if resource.type == _PLAN:
        return _check_plan(resource, ctx)
    return _check_selection(resource)


RULE = ResourceRule(
    info=INFO,
    check=check,
    types=frozenset({_PLAN, _SELECTION}),
    data_holders_only=False,
)
