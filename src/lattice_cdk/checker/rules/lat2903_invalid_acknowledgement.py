"""LAT2903: an acknowledgement that cannot be honoured."""

from __future__ import annotations

from ..._findings import RuleInfo

INFO = RuleInfo(
    rule_id="LAT2903",
    title="Invalid acknowledgement",
    rationale="An acknowledgement is an audit record: it needs a rule id, a reason of at "
    "least 10 characters and, if it has one, a valid expiry date. One without them is "
    "ignored (the finding stays) and reported.",
    fix='Write {"rule_id": "LAT1001", "reason": "why this is safe", "expires": '
    '"YYYY-MM-DD"} in the resource\'s lattice:acknowledgements metadata.',
    severity_reason="A warning: the acknowledgement is ignored, so the finding it meant to accept "
    "is still reported at its own severity.",
)
