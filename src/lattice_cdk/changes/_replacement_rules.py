"""The rules for replacement traps (area 6), beside ``_rules.py``.

A trap is a change that replaces a resource although no property is marked
"Replacement": a database restored from a snapshot that loses its snapshot identifier,
a replacement-forcing value that becomes a parameter or an import, a resource that
refers to one this change replaces. Change-set rules judge what CloudFormation itself
says it will do.
"""

from __future__ import annotations

from .._findings import RuleInfo

__all__ = [
    "PARAMETERISED",
    "REFERS_TO_REPLACED",
    "REPLACEMENT_RULES",
    "SNAPSHOT_RESTORE",
]

_CFN_UPDATE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html"

SNAPSHOT_RESTORE = RuleInfo(
    rule_id="LAT1620",
    title="Database restored from a snapshot loses or changes its snapshot identifier",
    rationale="An RDS DB instance or cluster created from a snapshot must keep the same "
    "DBSnapshotIdentifier / SnapshotIdentifier in every later update. Without it "
    "CloudFormation creates an empty database and deletes the original; with another "
    "value it restores a new one from that snapshot and deletes the original (User Guide, "
    "AWS::RDS::DBInstance).",
    fix="keep the snapshot identifier the database was restored from in the template for "
    "as long as the database lives.",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html",
    severity_reason="An error: the database is re-created empty from no snapshot (or "
    "another one) and "
    "the original, with its data, is deleted.",
)
PARAMETERISED = RuleInfo(
    rule_id="LAT2621",
    title="Replacement-forcing property now comes from a parameter or an import",
    rationale="A property whose change replaces the resource turned from a literal into "
    "a Ref or an Fn::ImportValue: its value is only known at deploy time, and if it "
    "differs from the literal the resource is replaced.",
    fix="keep the literal, or make sure the parameter's (or export's) value equals it "
    "before deploying; a change set shows the outcome.",
    source=_CFN_UPDATE,
    severity_reason="A warning: whether it replaces depends on a value only known at deploy time; "
    "nothing is known to be wrong yet.",
)
REFERS_TO_REPLACED = RuleInfo(
    rule_id="LAT2622",
    title="Stateful resource refers to a resource this change replaces",
    rationale="A replacement-forcing property refers (Ref, Fn::GetAtt, Fn::Sub) to a "
    "resource this change replaces (a subnet group, a KMS key): its value changes, so the "
    "stateful resource is replaced with it, though its own text did not change.",
    fix="avoid replacing the referenced resource, or migrate the data first.",
    source=_CFN_UPDATE,
    severity_reason="A warning: the referenced value changes, so the resource may be replaced; the "
    "schema cannot say for sure before deploy.",
)
#: The rules of this module, in documentation order.
REPLACEMENT_RULES: tuple[RuleInfo, ...] = (
    SNAPSHOT_RESTORE,
    PARAMETERISED,
    REFERS_TO_REPLACED,
)
