"""The destructive-change guard: ``lattice diff``, the stateful lock and stack policies.

Pure Python (no aws_cdk, no jsii); boto3 is imported only by the functions that talk to
AWS (:func:`fetch_deployed`, :func:`apply_stack_policies`).
"""

from ._diff import StackPair, diff_assemblies, diff_stacks, match_stacks
from ._rules import RULES, RULES_BY_ID
from ._schemas import Comparison, ReplacementInfo, compare_values, replacement_info

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "Comparison",
    "ReplacementInfo",
    "StackPair",
    "compare_values",
    "diff_assemblies",
    "diff_stacks",
    "match_stacks",
    "replacement_info",
]
