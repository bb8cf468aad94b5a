"""Acknowledgements: findings a team accepts, each with a reason and maybe an expiry.

Three sources, most specific first: the resource's ``lattice:acknowledgements``
metadata (or the template's, for stack-level findings); CDK's
``Validations.of(x).acknowledge(...)`` records in the assembly manifest, which apply
to ``x`` and everything under it; and ``[tool.lattice]`` / ``lattice.toml``. A reason
shorter than 10 characters or a bad date makes an acknowledgement invalid (LAT2903,
ignored), whatever its source; after its expiry date the finding returns, saying so.
Validity is :func:`~lattice_cdk._findings.parse_acknowledgement`, the one rule for every
source and door.
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
from ..cfn._model import Assembly, Stack
from .rules import INVALID_ACKNOWLEDGEMENT

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

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
    problems: dict[tuple[str, str | None, int], Finding] = {}
    out: list[Finding] = []
    for finding in findings:
        if finding.rule_id == INVALID_ACKNOWLEDGEMENT.rule_id:
            out.append(finding)
            continue
        stack = stacks.get(finding.stack)
        result = _from_metadata(finding, stack, today, problems)
        if result is None and stack is not None:
            result = _from_cdk(finding, stack, problems)
        if result is None:
            result = _from_config(finding, config, today)
        out.append(finding if result is None else result)
    out.extend(problems.values())
    return out


def _expired_note(finding: Finding, reason: str, expires: dt.date) -> Finding:
    return replace(
        finding,
        message=f"{finding.message} (acknowledgement expired on {expires.isoformat()}: {reason})",
    )


def _from_metadata(
    finding: Finding,
    stack: Stack | None,
    today: dt.date | None,
    problems: dict[tuple[str, str | None, int], Finding],
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
    return finding.acknowledge(ack.reason)


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


def _from_cdk(
    finding: Finding,
    stack: Stack,
    problems: dict[tuple[str, str | None, int], Finding],
) -> Finding | None:
    if not stack.cdk_acknowledgements or not finding.construct_path:
        return None
    path = "/" + finding.construct_path.lstrip("/")
    ids = (f"{CDK_NAMESPACE}::{finding.rule_id}", finding.rule_id)
    # The closest acknowledgement up the construct tree wins, as in CDK itself.
    while path:
        for key in (path, path.lstrip("/")):
            records = stack.cdk_acknowledgements.get(key)
            if records:
                for rule_id in ids:
                    if rule_id in records:
                        record = {"rule_id": finding.rule_id, "reason": records[rule_id]}
                        parsed = parse_acknowledgement(record, source="cdk")
                        if isinstance(parsed, str):
                            problems.setdefault(
                                (stack.label, finding.logical_id, -1),
                                _problem(finding, stack, f"{parsed} (in CDK, at {key})"),
                            )
                            return None
                        return finding.acknowledge(parsed.reason)
        path = path.rsplit("/", 1)[0]
    return None


def _from_config(
    finding: Finding, config: Iterable[ConfigAcknowledgement], today: dt.date | None
) -> Finding | None:
    names = [n for n in (finding.construct_path, finding.logical_id) if n]
    if finding.logical_id:
        names.append(f"{finding.stack}/{finding.logical_id}")
    for ack in config:
        if ack.rule_id != finding.rule_id or not fnmatchcase(finding.stack, ack.stack):
            continue
        if ack.resource != "*" and not any(fnmatchcase(n, ack.resource) for n in names):
            continue
        return _honour(
            finding, Acknowledgement(ack.rule_id, ack.reason, ack.expires, "config"), today
        )
    return None
