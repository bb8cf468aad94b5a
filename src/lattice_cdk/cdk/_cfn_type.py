"""The CloudFormation type of an L1, read from its Python class instead of asked of jsii.

``resource.cfn_resource_type`` is a round trip to Node per resource; the L1 class carries
the same string as its ``CFN_RESOURCE_TYPE_NAME`` constant (itself a static jsii read), so
it is read once per class.
"""

from __future__ import annotations

from aws_cdk import CfnResource

__all__ = ["cfn_type", "l1_type"]

# CloudFormation type of each L1 proxy class, read once per class (a class constant).
_TYPES: dict[type, str | None] = {}


def l1_type(cls: type) -> str | None:
    """The CloudFormation type of an L1 class; ``None`` for the generic ``CfnResource``
    (custom resources, types written by hand: no L1 properties to read)."""
    if cls not in _TYPES:
        name = getattr(cls, "CFN_RESOURCE_TYPE_NAME", None) if cls is not CfnResource else None
        _TYPES[cls] = name if isinstance(name, str) else None
    return _TYPES[cls]


def cfn_type(resource: CfnResource) -> str:
    """``resource.cfn_resource_type``, from its class where it is an L1 (no round trip)."""
    return l1_type(type(resource)) or resource.cfn_resource_type
