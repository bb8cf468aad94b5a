"""How much work one input may cost: every limit the loader enforces, in one place.

Each limit ends in an :class:`~lattice_cdk.InputError` naming the file, the limit and
the fix (``docs/input-limits.md`` lists them). They are far above what a real
CloudFormation template reaches (CloudFormation itself takes at most 1 MB per template
and 500 resources per stack) and low enough that a small hostile file cannot take
gigabytes or hang.
"""

from __future__ import annotations

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPANDED_VALUES",
    "MAX_FILE_BYTES",
    "MAX_FOREACH_ITEMS",
    "MAX_INT_DIGITS",
    "MAX_NESTED_STACK_DEPTH",
]

#: Bytes of one template, manifest or metadata file (CDK's biggest templates are a few
#: MB; CloudFormation accepts 1 MB from S3).
MAX_FILE_BYTES = 50 << 20

#: Levels of nested mappings and lists in a template (CDK templates stay under 20).
MAX_DEPTH = 100

#: Digits of one integer literal (CloudFormation numbers are 64-bit at most).
MAX_INT_DIGITS = 100

#: Values a YAML document may hold once its aliases (``*name``) are expanded (a 400-byte
#: alias bomb stands for billions), and values ``Fn::ForEach`` loops may generate.
MAX_EXPANDED_VALUES = 1_000_000

#: Levels of nested stacks below a top-level stack (CloudFormation has no fixed limit;
#: real apps use two or three).
MAX_NESTED_STACK_DEPTH = 10

#: Resources (or outputs) one template's ``Fn::ForEach`` loops may generate in all.
MAX_FOREACH_ITEMS = 10_000
