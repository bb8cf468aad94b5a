"""Change sets: what CloudFormation itself says a deployment will do to stateful data.

A change set (``aws cloudformation describe-change-set --include-property-values``)
states, per resource, the ``Action``, whether it is replaced (``Replacement`` True,
Conditional or False, with the ``Details`` that require recreation) and what happens
to the old resource (``PolicyAction``). This module reads one from a file or live with
boto3 and judges each change of a stateful (or locked) resource:

    Remove + Delete, Modify + Replacement True + ReplaceAndDelete   LAT1801 (error)
    Replacement Conditional or Action Dynamic (data not kept)        LAT2802 (warning)
    Retain, Snapshot, ReplaceAndRetain, ReplaceAndSnapshot           LAT3803 (info)
    an Action, Replacement or PolicyAction not known                 LAT1804 (error)

A locked resource (``lattice.lock.json``) removed or replaced also gets the lock's own
finding, whatever the policy keeps.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from .._errors import InputError
from .._findings import Finding, RuleInfo
from .._reading import read_bytes
from .._records import Record
from ..cfn import stateful_type
from ..cfn._limits import MAX_FILE_BYTES
from . import _deploy_rules as D
from . import _rules as R
from ._schemas import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mypy_boto3_cloudformation import CloudFormationClient

    from ..cfn._knowledge import StatefulType
    from ._lock import Lock

__all__ = [
    "ChangeSet",
    "fetch_change_set",
    "judge_change_set",
    "judge_change_sets",
    "read_change_set",
]

_KEEPS = {"Retain": "left behind, unmanaged", "Snapshot": "deleted after a final snapshot"}
_REPLACE_KEEPS = {
    "ReplaceAndRetain": "the old one is left behind, unmanaged",
    "ReplaceAndSnapshot": "the old one is deleted after a final snapshot",
}
_NOTHING = frozenset({"Add", "Import", "SyncWithActual"})
_PENDING = frozenset({"CREATE_PENDING", "CREATE_IN_PROGRESS"})


class ChangeSet(Record):
    """One stack's change set: where it was read and its resource changes."""

    stack: str
    name: str
    #: The file it was read from, or ``cloudformation:STACK/NAME``.
    source: str
    #: The ``Changes`` list, as the API returns it (all pages).
    changes: tuple[Mapping[str, Any], ...]


def read_change_set(path: str | Path) -> ChangeSet:
    """A change set from the JSON that ``describe-change-set`` printed; any problem
    raises :class:`~lattice_cdk.InputError`."""
    where = str(path)
    # Checked first for its own message; read_bytes refuses a FIFO or device.
    if not os.path.lexists(Path(path)):
        raise InputError(
            "no such change-set file.",
            location=where,
            fix="write it with 'aws cloudformation describe-change-set --change-set-name "
            "NAME --stack-name STACK --include-property-values > FILE'.",
            code="missing-input",
        )
    try:
        data = json.loads(read_bytes(path, limit=MAX_FILE_BYTES).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"is not JSON ({exc}).",
            location=where,
            fix="pass the JSON output of 'aws cloudformation describe-change-set "
            "--include-property-values' (not --output text or yaml).",
            code="malformed-change-set",
        ) from None
    return _change_set(data, where)


def fetch_change_set(client: CloudFormationClient, name: str, stack: str) -> ChangeSet:
    """The change set ``name`` of ``stack``, read live (every page of ``Changes``, with
    property values)."""
    import botocore.exceptions

    changes: list[Any] = []
    page: Mapping[str, Any] = {}
    token: str | None = None
    where = f"cloudformation:{stack}/{name}"
    while True:
        kwargs: dict[str, Any] = {
            "ChangeSetName": name,
            "StackName": stack,
            "IncludePropertyValues": True,
        }
        if token:
            kwargs["NextToken"] = token
        try:
            page = client.describe_change_set(**kwargs)
        except botocore.exceptions.ClientError as exc:
            error = exc.response.get("Error", {})
            raise InputError(
                f"cannot be read: {error.get('Code', 'error')}: {error.get('Message', exc)}.",
                location=where,
                fix="check the change-set name, --stack, --region and --profile.",
                code="not-deployed",
            ) from None
        changes.extend(page.get("Changes") or [])
        token = page.get("NextToken")
        if not token:
            break
    return _change_set({**page, "Changes": changes, "NextToken": None}, where)


def _change_set(data: Any, where: str) -> ChangeSet:
    if not isinstance(data, dict) or not isinstance(data.get("Changes", []), list):
        raise InputError(
            "is not a describe-change-set response (no Changes list).",
            location=where,
            fix="pass the JSON output of 'aws cloudformation describe-change-set'.",
            code="malformed-change-set",
        )
    if data.get("NextToken"):
        raise InputError(
            "holds one page of the change set only (it has a NextToken).",
            location=where,
            fix="read it live with 'lattice diff --change-set NAME --stack STACK', or "
            "save every page's Changes in one file.",
            code="malformed-change-set",
        )
    if data.get("Status") in _PENDING:
        raise InputError(
            f"is not complete yet (Status {data['Status']}).",
            location=where,
            fix="wait for CREATE_COMPLETE ('aws cloudformation wait change-set-create-complete').",
            code="malformed-change-set",
        )
    return ChangeSet(
        stack=str(data.get("StackName") or "?"),
        name=str(data.get("ChangeSetName") or "?"),
        source=where,
        changes=tuple(data.get("Changes") or ()),
    )


def judge_change_set(change_set: ChangeSet, *, lock: Lock | None = None) -> list[Finding]:
    """Every change of ``change_set`` that deletes, replaces or leaves behind a stateful
    resource (or touches one ``lock`` lists)."""
    locked = {e.logical_id for e in lock.entries if e.stack == change_set.stack} if lock else set()
    return list(_judge(change_set, locked))


def _judge(change_set: ChangeSet, locked: set[str]) -> Iterator[Finding]:
    for i, change in enumerate(change_set.changes):
        rc = change.get("ResourceChange") if isinstance(change, Mapping) else None
        if isinstance(change, Mapping) and change.get("Type") not in (None, "Resource"):
            continue  # not a resource change (a hook invocation count, say)
        if not isinstance(rc, Mapping) or not isinstance(rc.get("LogicalResourceId"), str):
            yield _finding(
                D.CHANGE_SET_UNJUDGED,
                change_set,
                {"LogicalResourceId": f"Changes[{i}]", "ResourceType": "?"},
                f"change {i} has no ResourceChange with a LogicalResourceId.",
            )
            continue
        info = stateful_type(str(rc.get("ResourceType")))
        is_locked = rc["LogicalResourceId"] in locked
        if info is None and not is_locked:
            continue
        yield from _judge_one(change_set, rc, info, is_locked)


def _judge_one(
    cs: ChangeSet, rc: Mapping[str, Any], info: StatefulType | None, is_locked: bool
) -> Iterator[Finding]:
    action = rc.get("Action")
    policy = rc.get("PolicyAction")
    head = f"{rc.get('ResourceType')} {rc['LogicalResourceId']}{_physical(rc)}"
    snapshots = info is not None and info.snapshot
    if action in _NOTHING:
        return
    if action == "Remove":
        if is_locked:
            yield _finding(R.LOCK_REMOVED, cs, rc, f"locked {head} is removed by the change set.")
        if policy is None and info is not None and info.default_deletion_policy == "Snapshot":
            policy = "Snapshot"  # the type's own default when DeletionPolicy is absent
        if policy in (None, "Delete") or (policy == "Snapshot" and not snapshots):
            what = f"PolicyAction {policy}" if policy else "no PolicyAction (Delete is the default)"
            if policy == "Snapshot":
                what += ", which this type cannot honour"
            yield _finding(
                D.CHANGE_SET_DELETES,
                cs,
                rc,
                f"{head} is removed with {what}: CloudFormation deletes it and its data.",
            )
        elif policy in _KEEPS:
            yield _finding(
                D.CHANGE_SET_KEEPS,
                cs,
                rc,
                f"{head} is removed from the stack and {_KEEPS[policy]} (PolicyAction {policy}).",
            )
        else:
            yield _unjudged(cs, rc, f"Action Remove with PolicyAction {show(policy)}")
        return
    if action == "Dynamic":
        if is_locked:
            yield _finding(R.LOCK_MAY_REPLACE, cs, rc, f"locked {head} may be replaced.")
        yield _finding(
            D.CHANGE_SET_MAY_REPLACE,
            cs,
            rc,
            f"{head}: Action Dynamic, CloudFormation decides the change during the update; "
            "it may replace the resource.",
        )
        return
    if action != "Modify":
        yield _unjudged(cs, rc, f"Action {show(action)}")
        return
    replacement = rc.get("Replacement")
    if replacement == "False":
        return
    causes = _causes(rc)
    if replacement == "True":
        if is_locked:
            yield _finding(R.LOCK_REPLACED, cs, rc, f"locked {head} is replaced{causes}.")
        if policy in (None, "ReplaceAndDelete") or (
            policy == "ReplaceAndSnapshot" and not snapshots
        ):
            yield _finding(
                D.CHANGE_SET_DELETES,
                cs,
                rc,
                f"{head} is replaced{causes}: the new one starts empty and the old one is "
                f"deleted with its data (PolicyAction {policy or 'absent: ReplaceAndDelete'}).",
            )
        elif policy in _REPLACE_KEEPS:
            yield _finding(
                D.CHANGE_SET_KEEPS,
                cs,
                rc,
                f"{head} is replaced{causes}: the new one starts empty and "
                f"{_REPLACE_KEEPS[policy]} (PolicyAction {policy}).",
            )
        else:
            yield _unjudged(cs, rc, f"Replacement True with PolicyAction {show(policy)}")
        return
    if replacement == "Conditional":
        if is_locked:
            yield _finding(R.LOCK_MAY_REPLACE, cs, rc, f"locked {head} may be replaced{causes}.")
        if policy in _REPLACE_KEEPS:
            yield _finding(
                D.CHANGE_SET_KEEPS,
                cs,
                rc,
                f"{head} may be replaced{causes}; if so {_REPLACE_KEEPS[policy]} "
                f"(PolicyAction {policy}).",
            )
        elif policy in (None, "ReplaceAndDelete", "ReplaceAndSnapshot"):
            yield _finding(
                D.CHANGE_SET_MAY_REPLACE,
                cs,
                rc,
                f"{head} may be replaced{causes}; if so the old one is deleted "
                f"(PolicyAction {policy or 'absent: ReplaceAndDelete'}).",
            )
        else:
            yield _unjudged(cs, rc, f"Replacement Conditional with PolicyAction {show(policy)}")
        return
    yield _unjudged(cs, rc, f"Action Modify with Replacement {show(replacement)}")


def _causes(rc: Mapping[str, Any]) -> str:
    """The details that require recreation: ``KmsKeyId (Always: "a" -> "b")``."""
    parts: list[str] = []
    for detail in rc.get("Details") or ():
        target = detail.get("Target") if isinstance(detail, Mapping) else None
        if not isinstance(target, Mapping):
            continue
        when = target.get("RequiresRecreation")
        if when not in ("Always", "Conditionally"):
            continue
        name = target.get("Name") or target.get("Path") or target.get("Attribute")
        values = ""
        if "BeforeValue" in target or "AfterValue" in target:
            values = f": {show(target.get('BeforeValue'))} -> {show(target.get('AfterValue'))}"
        source = detail.get("ChangeSource")
        via = (
            f", via {detail.get('CausingEntity') or source}"
            if source
            not in (
                None,
                "DirectModification",
            )
            else ""
        )
        parts.append(f"{name} ({when}{values}{via})")
    return f" by {'; '.join(dict.fromkeys(parts))}" if parts else ""


def _physical(rc: Mapping[str, Any]) -> str:
    physical = rc.get("PhysicalResourceId")
    return f" ({physical})" if isinstance(physical, str) and physical else ""


def _unjudged(cs: ChangeSet, rc: Mapping[str, Any], what: str) -> Finding:
    return _finding(
        D.CHANGE_SET_UNJUDGED,
        cs,
        rc,
        f"{rc.get('ResourceType')} {rc['LogicalResourceId']}: {what} is not a change "
        "Lattice knows how to judge.",
    )


def _finding(rule: RuleInfo, cs: ChangeSet, rc: Mapping[str, Any], message: str) -> Finding:
    return Finding(
        rule_id=rule.rule_id,
        severity=rule.severity,
        title=rule.title,
        message=message,
        fix=rule.fix,
        stack=cs.stack,
        template_path=cs.source,
        logical_id=str(rc.get("LogicalResourceId")),
        resource_type=str(rc.get("ResourceType")),
        construct_path=None,
    )


def judge_change_sets(
    change_sets: Sequence[ChangeSet], *, lock: Lock | None = None
) -> list[Finding]:
    """:func:`judge_change_set` over several stacks' change sets."""
    return [f for cs in change_sets for f in judge_change_set(cs, lock=lock)]
