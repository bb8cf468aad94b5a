"""An acknowledgement in the config file must name a rule Lattice has.

``rule_id = "LAT1010"`` for ``LAT1001`` is well formed, matches no finding, and would
leave the finding it meant to accept failing with no word why; a retired id would
silently accept nothing. The config file is refused instead, with the id it resembles.
"""

from __future__ import annotations

from .._config import LatticeConfig
from .._errors import ErrorCode, InputError, did_you_mean

__all__ = ["require_known_rule_ids"]


def require_known_rule_ids(config: LatticeConfig) -> None:
    """Raise ``[unknown-rule]`` for the first config acknowledgement whose rule id no
    checker or diff rule has."""
    if not config.acknowledgements:
        return
    # Imported only when there are acknowledgements: the rule tables are not free.
    from ..changes import RULES_BY_ID
    from ..checker.rules import all_rule_infos

    known = sorted({*all_rule_infos(), *RULES_BY_ID})
    for i, ack in enumerate(config.acknowledgements, start=1):
        if ack.rule_id in known:
            continue
        guess = did_you_mean(ack.rule_id, known)
        raise InputError(
            f"no Lattice rule has the id {ack.rule_id!r}"
            + (f"; did you mean {guess!r}?" if guess else "."),
            location=f"{config.path} (acknowledgement {i})",
            fix="use the rule id a finding reports ('lattice check' prints it; every rule "
            "is in docs/rules.md).",
            code=ErrorCode.UNKNOWN_RULE,
        )
