"""The checker: one rule engine over CloudFormation, for any template or cloud assembly.

Pure Python (never imports aws_cdk or jsii). Its doors: ``lattice check``, ``lattice
report``, the CDK validation plugin (:mod:`lattice_cdk.cdk._plugin`) and the synth-time
guard (``check(..., rules=..., policy=...)``). Each fact about protection the rules
judge is one function of :mod:`lattice_cdk.checker.judge`, which ``lattice diff`` asks
too::

    from lattice_cdk.cfn import load
    from lattice_cdk.checker import check

    result = check(load("cdk.out"), environment="prod")
    for finding in result.findings:
        print(finding.rule_id, finding.message)
"""

from __future__ import annotations

from .._lazy import load_lazy
from .rules import ENGINE_RULES, RULES, all_rule_infos

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._engine import CheckResult, ExtraCheck, check
    from ._environment import StackEnvironment
    from ._report import InventoryRow, build_inventory, inventory_totals

__all__ = [
    "ENGINE_RULES",
    "RULES",
    "CheckResult",
    "ExtraCheck",
    "InventoryRow",
    "StackEnvironment",
    "all_rule_infos",
    "build_inventory",
    "check",
    "inventory_totals",
]

# Loaded on first access: name -> module. ``lattice diff`` imports this package for
# the acknowledgement logic (``_acks``) and should not pay for the engine; ``lattice
# check`` should not pay for the report's inventory.
_LAZY: dict[str, str] = {
    "CheckResult": "._engine",
    "ExtraCheck": "._engine",
    "check": "._engine",
    "StackEnvironment": "._environment",
    "InventoryRow": "._report",
    "build_inventory": "._report",
    "inventory_totals": "._report",
}


def __getattr__(name: str) -> Any:
    return load_lazy(__name__, _LAZY, globals(), name)
