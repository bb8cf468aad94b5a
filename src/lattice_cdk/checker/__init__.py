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

from ._engine import CheckResult, ExtraCheck, check
from ._environment import StackEnvironment
from ._report import InventoryRow, build_inventory, inventory_totals
from .rules import ENGINE_RULES, RULES, all_rule_infos

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
