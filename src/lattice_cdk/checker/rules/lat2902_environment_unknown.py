"""LAT2902: the environment of a stack cannot be determined."""

from __future__ import annotations

from ..._findings import RuleInfo

INFO = RuleInfo(
    rule_id="LAT2902",
    title="Cannot determine the environment",
    rationale="Every rule depends on the environment (prod, staging, dev). When neither "
    "--environment, the lattice:environment stack tags or metadata, nor the project "
    "configuration names it, Lattice checks the stack as prod, the strictest, and says so.",
    fix="Pass --environment, tag the stack lattice:environment=<env> (Lattice constructs "
    "do), or set environment in lattice.toml / [tool.lattice].",
    severity_reason="A warning: the stack is still checked, as prod, the strictest; say which "
    "environment it is to get the right rules.",
)
