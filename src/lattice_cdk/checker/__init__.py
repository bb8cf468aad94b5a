"""The checker: one rule engine over CloudFormation, for any template or cloud assembly.

Pure Python (never imports aws_cdk or jsii). Three doors use it: ``lattice check``,
``lattice report`` and the CDK validation plugin (:mod:`lattice_cdk.cdk._plugin`)::

    from lattice_cdk.cfn import load
    from lattice_cdk.checker import check

    result = check(load("cdk.out"), environment="prod")
    for finding in result.findings:
        print(finding.rule_id, finding.message)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._engine import CheckResult, ExtraCheck, check
from ._environment import StackEnvironment
from .rules import ENGINE_RULES, RULES, all_rule_infos

if TYPE_CHECKING:
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


_REPORT_NAMES = frozenset({"InventoryRow", "build_inventory", "inventory_totals"})


def __getattr__(name: str) -> Any:
    # The inventory is only for ``lattice report``; ``lattice check`` never loads it.
    if name in _REPORT_NAMES:
        from . import _report

        return getattr(_report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
