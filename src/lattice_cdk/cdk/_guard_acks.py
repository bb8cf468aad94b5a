"""Acknowledging a Lattice rule on a resource or a stack, in its template Metadata.

What makes an acknowledgement current (reason, expiry) is judged by the checker; this
module only writes well-formed ones, and refuses bad input at once.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from aws_cdk import CfnResource, Stack
from constructs import IConstruct

from .._config import MIN_REASON_LENGTH
from .._errors import StatefulnessError
from .._findings import ACKNOWLEDGEMENTS_METADATA_KEY, severity_of

__all__ = ["acknowledge"]


def acknowledge(
    construct: IConstruct, rule_id: str, reason: str, *, expires: str | None = None
) -> None:
    """Write ``{"rule_id", "reason"[, "expires"]}`` to ``construct``'s Metadata key
    ``lattice:acknowledgements`` (see :meth:`StatefulnessGuard.acknowledge`)."""
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
