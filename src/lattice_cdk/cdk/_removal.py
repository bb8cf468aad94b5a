"""Translate Lattice's :class:`~lattice_cdk.Removal` to ``aws_cdk.RemovalPolicy``."""

from __future__ import annotations

from aws_cdk import RemovalPolicy

from .._policy import Removal

__all__ = ["to_removal_policy"]

_TO_CDK = {
    Removal.RETAIN: RemovalPolicy.RETAIN,
    Removal.SNAPSHOT: RemovalPolicy.SNAPSHOT,
    Removal.DESTROY: RemovalPolicy.DESTROY,
}


def to_removal_policy(removal: Removal) -> RemovalPolicy:
    """The ``aws_cdk.RemovalPolicy`` of the same name."""
    return _TO_CDK[removal]
