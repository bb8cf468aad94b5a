"""Acknowledging a Lattice rule on a resource or a stack, in its template Metadata,
and honouring a stack's acknowledgement of LAT2501 (no termination protection).

What makes an acknowledgement current (reason, expiry) is judged by the checker; this
module only writes well-formed ones, and refuses bad input at once.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import jsii
from aws_cdk import Aspects, CfnResource, IAspect, Stack
from constructs import Construct, IConstruct

from .._config import MIN_REASON_LENGTH
from .._errors import StatefulnessError
from .._findings import ACKNOWLEDGEMENTS_METADATA_KEY, severity_of

__all__ = ["acknowledge", "protect_stack_unless_acknowledged", "stack_acknowledges"]

#: Termination protection's rule: a stack that acknowledges it keeps protection off.
TERMINATION_PROTECTION_RULE = "LAT2501"
_PROTECTION_MARKER = "LatticeTerminationProtection"


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


def stack_acknowledges(metadata: Mapping[str, Any] | None, rule_id: str) -> bool:
    """Whether a stack's template ``metadata`` holds a current acknowledgement of
    ``rule_id``: the checker's own judgement (``apply_acknowledgements``), on a
    one-finding assembly."""
    if not metadata or ACKNOWLEDGEMENTS_METADATA_KEY not in metadata:
        return False
    from .._findings import Finding, Severity
    from ..cfn._model import Assembly
    from ..cfn._model import Stack as TemplateStack
    from ..checker._acks import apply_acknowledgements

    stack = TemplateStack("guard", "", {"Metadata": dict(metadata)}, {})
    finding = Finding(
        rule_id=rule_id,
        severity=Severity.ERROR,
        title="",
        message="",
        fix="",
        stack=stack.label,
        template_path="",
    )
    assembly = Assembly(source="", stacks=(stack,), is_cloud_assembly=False)
    judged = apply_acknowledgements([finding], assembly)
    return any(f.rule_id == rule_id and f.acknowledged is not None for f in judged)


def protect_stack_unless_acknowledged(stack: Stack) -> None:
    """Turn ``stack``'s termination protection on, unless the stack acknowledges LAT2501.

    The acknowledgement is judged now and again at synth, so one written after this
    call (``StatefulnessGuard.acknowledge(stack, "LAT2501", ...)`` after the first
    Lattice construct) still turns off what Lattice turned on. A stack the app already
    protects is left alone, and a later ``stack.termination_protection = False`` by the
    app still wins (the checker then reports LAT2501).
    """
    if stack.termination_protection:
        return
    if stack_acknowledges(stack.template_options.metadata, TERMINATION_PROTECTION_RULE):
        return
    stack.termination_protection = True
    if stack.node.try_find_child(_PROTECTION_MARKER) is None:
        # One visit: the aspect sits on a construct with no children.
        Aspects.of(Construct(stack, _PROTECTION_MARKER)).add(_HonourAcknowledgement(stack))


@jsii.implements(IAspect)
class _HonourAcknowledgement:
    """At synth: a stack that now acknowledges LAT2501 keeps protection off."""

    def __init__(self, stack: Stack) -> None:
        self._stack = stack

    def visit(self, node: IConstruct) -> None:
        stack = self._stack
        if stack.termination_protection and stack_acknowledges(
            stack.template_options.metadata, TERMINATION_PROTECTION_RULE
        ):
            stack.termination_protection = False
