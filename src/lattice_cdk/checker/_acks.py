"""Acknowledgements: findings a team accepts, each with a reason and maybe an expiry.

Four sources, most specific first: the resource's ``lattice:acknowledgements``
metadata (or the template's, for stack-level findings); another tool's suppression, in
the resource's (or template's) metadata, of a rule stating the same fact
(:mod:`._foreign`: cdk-nag, checkov, cfn-lint, cfn-guard); CDK's
``Validations.of(x).acknowledge(...)`` records in the assembly manifest, which apply
to ``x`` and everything under it (Lattice's ids, and cdk-nag v3's); and
``[tool.lattice]`` / ``lattice.toml``. A reason shorter than 10 characters or a bad
date makes an acknowledgement invalid (LAT2903, ignored), whatever its source; after its
expiry date the finding returns, saying so. Validity is
:func:`~lattice_cdk._findings.parse_acknowledgement`, the one rule for every source and
door. A finding acknowledged by another tool says so: its reason ends with ``(via
cdk-nag AwsSolutions-DDB3)`` and ``acknowledged_by`` is ``cdk-nag:AwsSolutions-DDB3``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase

from .._config import ConfigAcknowledgement
from .._findings import (
    ACKNOWLEDGEMENTS_METADATA_KEY,
    Acknowledgement,
    Finding,
    parse_acknowledgement,
)
from .._records import replace
from ..cfn._model import Assembly, Resource, Stack
from ._foreign import foreign_suppressions, may_suppress
from .rules import INVALID_ACKNOWLEDGEMENT

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

    from ._foreign import ForeignRule, ForeignSuppression

__all__ = ["CDK_NAMESPACE", "apply_acknowledgements"]

#: The namespace CDK gives our plugin's rules: ``lattice::LAT1001``.
CDK_NAMESPACE = "lattice"


def apply_acknowledgements(
    findings: Sequence[Finding],
    assembly: Assembly,
    *,
    config: Sequence[ConfigAcknowledgement] = (),
    today: dt.date | None = None,
) -> list[Finding]:
    """``findings`` with acknowledged ones marked, plus LAT2903 for invalid records."""
    stacks = {s.label: s for s in assembly.stacks}
    problems: _Problems = {}
    out: list[Finding] = []
    for finding in findings:
        if finding.rule_id == INVALID_ACKNOWLEDGEMENT.rule_id:
            out.append(finding)
            continue
        stack = stacks.get(finding.stack)
        result = _from_metadata(finding, stack, today, problems)
        unreasoned: list[ForeignSuppression] = []
        if result is None and stack is not None:
            result = _from_foreign(finding, stack, problems, unreasoned)
        if result is None and stack is not None:
            result = _from_cdk(finding, stack, problems)
        if result is None:
            result = _from_config(finding, stack, config, today)
        if result is None and unreasoned:
            result = _unreasoned_note(finding, unreasoned)
        out.append(finding if result is None else result)
    out.extend(problems.values())
    return out


#: Invalid acknowledgement records, each reported once: by (stack, logical id, which).
_Problems = dict[tuple[str, str | None, int | str], Finding]


def _expired_note(finding: Finding, reason: str, expires: dt.date) -> Finding:
    return replace(
        finding,
        message=f"{finding.message} (acknowledgement expired on {expires.isoformat()}: {reason})",
    )


def _from_metadata(
    finding: Finding,
    stack: Stack | None,
    today: dt.date | None,
    problems: _Problems,
) -> Finding | None:
    if stack is None:
        return None
    if finding.logical_id is not None:
        resource = stack.resources.get(finding.logical_id)
        records = resource.metadata.get(ACKNOWLEDGEMENTS_METADATA_KEY) if resource else None
    else:
        records = stack.metadata.get(ACKNOWLEDGEMENTS_METADATA_KEY)
    if records is None:
        return None
    if not isinstance(records, list):
        records = [records]
    for index, record in enumerate(records):
        parsed = parse_acknowledgement(record)
        if isinstance(parsed, str):
            key = (stack.label, finding.logical_id, index)
            if key not in problems:
                problems[key] = _problem(finding, stack, parsed)
            continue
        if parsed.rule_id == finding.rule_id:
            return _honour(finding, parsed, today)
    return None


def _honour(finding: Finding, ack: Acknowledgement, today: dt.date | None) -> Finding:
    """``finding`` acknowledged by ``ack``, or with a note when ``ack`` has expired."""
    if ack.expires is not None and ack.expired(today):
        return _expired_note(finding, ack.reason, ack.expires)
    return finding.acknowledge(ack.reason, ack.source)


def _resource(finding: Finding, stack: Stack) -> Resource | None:
    return stack.resources.get(finding.logical_id) if finding.logical_id else None


def _from_foreign(
    finding: Finding,
    stack: Stack,
    problems: _Problems,
    unreasoned: list[ForeignSuppression],
) -> Finding | None:
    """``finding`` acknowledged by another tool's suppression with a reason, in the
    resource's metadata or (for the tools that read it) the template's; suppressions
    without a reason go to ``unreasoned``."""
    resource = _resource(finding, stack)
    if resource is None or not (may_suppress(resource.metadata) or may_suppress(stack.metadata)):
        return None
    for metadata, where in ((resource.metadata, "resource"), (stack.metadata, "template")):
        for found in foreign_suppressions(
            metadata, finding.rule_id, finding.resource_type, template=where == "template"
        ):
            if found.reason is None:
                unreasoned.append(found)
                continue
            record = {"rule_id": finding.rule_id, "reason": found.reason}
            parsed = parse_acknowledgement(record, source=found.source)
            if isinstance(parsed, str):
                key = (stack.label, finding.logical_id, found.source)
                problems.setdefault(
                    key,
                    _problem(
                        finding,
                        stack,
                        f"{parsed} (a {found.rule.tool} suppression of {found.rule.rule_id} "
                        f"in the {where}'s metadata)",
                    ),
                )
                continue
            return _foreign_ack(finding, found.rule, parsed.reason)
    return None


def _foreign_ack(finding: Finding, rule: ForeignRule, reason: str) -> Finding:
    """``finding`` acknowledged by ``rule``'s suppression, saying so in its reason."""
    return finding.acknowledge(f"{reason} (via {rule.tool} {rule.rule_id})", rule.source)


def _unreasoned_note(finding: Finding, unreasoned: list[ForeignSuppression]) -> Finding:
    """``finding`` saying which suppressions of other tools it saw that give no reason
    (cfn-lint and cfn-guard have no reason field), so do not acknowledge it."""
    names = ", ".join(sorted({f"{s.rule.tool} {s.rule.rule_id}" for s in unreasoned}))
    return replace(
        finding,
        message=f"{finding.message} (Suppressed here without a reason by {names}: not a "
        "Lattice acknowledgement; acknowledge it with a reason.)",
    )


def _problem(finding: Finding, stack: Stack, why: str) -> Finding:
    info = INVALID_ACKNOWLEDGEMENT
    return Finding(
        rule_id=info.rule_id,
        severity=info.severity,
        title=info.title,
        message=f"{why}; it is ignored.",
        fix=info.fix,
        stack=stack.label,
        template_path=stack.template_path,
        logical_id=finding.logical_id,
        resource_type=finding.resource_type,
        construct_path=finding.construct_path,
    )


def _from_cdk(finding: Finding, stack: Stack, problems: _Problems) -> Finding | None:
    if not stack.cdk_acknowledgements or not finding.construct_path:
        return None
    path = "/" + finding.construct_path.lstrip("/")
    ids = (f"{CDK_NAMESPACE}::{finding.rule_id}", finding.rule_id)
    from ._foreign import cdk_keys

    # cdk-nag v3 acknowledges its rules through CDK too.
    foreign = cdk_keys(finding.rule_id, finding.resource_type)
    # The closest acknowledgement up the construct tree wins, as in CDK itself.
    while path:
        for key in (path, path.lstrip("/")):
            records = stack.cdk_acknowledgements.get(key)
            if not records:
                continue
            for rule_id in (*ids, *foreign):
                if rule_id not in records:
                    continue
                rule = foreign.get(rule_id)
                source = "cdk" if rule is None else rule.source
                record = {"rule_id": finding.rule_id, "reason": records[rule_id]}
                parsed = parse_acknowledgement(record, source=source)
                if isinstance(parsed, str):
                    where = "in CDK" if rule is None else f"in CDK as {rule_id}"
                    problems.setdefault(
                        (stack.label, finding.logical_id, -1),
                        _problem(finding, stack, f"{parsed} ({where}, at {key})"),
                    )
                    return None
                if rule is None:
                    return finding.acknowledge(parsed.reason, source)
                return _foreign_ack(finding, rule, parsed.reason)
        path = path.rsplit("/", 1)[0]
    return None


def _from_config(
    finding: Finding,
    stack: Stack | None,
    config: Iterable[ConfigAcknowledgement],
    today: dt.date | None,
) -> Finding | None:
    if not config:
        return None
    names = [n for n in (finding.construct_path, finding.logical_id) if n]
    if finding.logical_id:
        names.append(f"{finding.stack}/{finding.logical_id}")
    # A stack pattern may name the stack as users see it (its label), by its stack name,
    # or by where it deploys (``123456789012/eu-west-1/data``: one region of two).
    stack_names = [finding.stack]
    if stack is not None:
        stack_names += [stack.name, stack.identity]
    for ack in config:
        if ack.rule_id != finding.rule_id or not any(
            fnmatchcase(n, ack.stack) for n in stack_names
        ):
            continue
        if ack.resource != "*" and not any(fnmatchcase(n, ack.resource) for n in names):
            continue
        return _honour(
            finding, Acknowledgement(ack.rule_id, ack.reason, ack.expires, "config"), today
        )
    return None
