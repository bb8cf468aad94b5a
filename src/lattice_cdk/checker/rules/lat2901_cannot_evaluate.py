"""LAT2901: a value the engine cannot resolve (an intrinsic, a condition)."""

from __future__ import annotations

from ..._findings import RuleInfo

INFO = RuleInfo(
    rule_id="LAT2901",
    title="Cannot evaluate",
    rationale="A protection that depends on a parameter, a condition or another intrinsic "
    "is decided at deploy time. Lattice never counts what it could not evaluate as a "
    "pass: each such value is reported, naming the rule that met it.",
    fix="Use literal values for protection settings, or acknowledge the finding with a "
    "reason once the deployed value has been checked.",
    severity_reason="A warning: nothing is known to be wrong, but what cannot be "
    "evaluated is never passed; check the deployed value, then acknowledge.",
)
