"""What Lattice knows about stateful resource types, as data.

The set of stateful types starts from cfn-lint's ``StatefulResources.json`` (read from
the installed cfn-lint's data folder, without importing cfn-lint, which is slow) plus
the types it misses; per-type attributes come from ``data/stateful_types.json``.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from .._records import Record, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "PropertyCheck",
    "StatefulType",
    "cfn_lint_data_dir",
    "is_known_resource_type",
    "is_stateful",
    "known_resource_types",
    "stateful_type",
    "stateful_types",
]

_DATA = Path(__file__).with_name("data") / "stateful_types.json"


class PropertyCheck(Record):
    """Where a protection lives in a resource's properties, and what turns it on.

    ``path`` is dotted (``*`` walks a list); the protection is on when the value equals
    ``on``, or (for a number) is at least ``min``. ``default`` is the value
    CloudFormation assumes when the property is absent.
    """

    __slots__ = ("path", "on", "min", "default")  # noqa: RUF023 (field order)
    path: str
    on: Any
    min: int | None
    default: Any

    def __init__(
        self, path: str, on: Any = None, min: int | None = None, default: Any = None
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "on", on)
        set_field(self, "min", min)
        set_field(self, "default", default)


class StatefulType(Record):
    """One stateful resource type and how it is protected."""

    __slots__ = (  # noqa: RUF023 (field order)
        "type",
        "snapshot",
        "aws_backup",
        "continuous_backup",
        "delete_requires_empty",
        "deletion_protection",
        "point_in_time_recovery",
        "versioning",
        "arn",
        "tags_property",
        "holds_data",
        "cluster_member_property",
        "default_deletion_policy",
    )
    type: str
    #: The DeletionPolicy/UpdateReplacePolicy ``Snapshot`` is honoured.
    snapshot: bool
    #: AWS Backup can back it up (so a backup selection should cover it).
    aws_backup: bool
    #: AWS Backup continuous backup (point-in-time restore) is supported.
    continuous_backup: bool
    #: CloudFormation cannot delete it while it holds data (S3 objects, ECR images).
    delete_requires_empty: bool
    deletion_protection: PropertyCheck | None
    point_in_time_recovery: PropertyCheck | None
    versioning: PropertyCheck | None
    #: ``service|resource-part`` of its ARN with ``{Property}`` placeholders for the
    #: physical name (``{}`` when CloudFormation always generates it); ``None`` when
    #: Lattice does not match it by ARN.
    arn: str | None
    #: The property holding its tags (``Tags`` for most; EFS says ``FileSystemTags``; a
    #: global table's ``Replicas.*.Tags`` are per replica, the stack region's counts).
    tags_property: str
    #: False when its data lives in other resources (a nested stack's, a cluster's).
    holds_data: bool
    #: When this property is set, the resource is a cluster member whose data is the
    #: cluster's (an RDS instance in an Aurora cluster).
    cluster_member_property: str | None
    #: The DeletionPolicy CloudFormation applies when the template sets none
    #: (``Snapshot`` for RDS clusters and stand-alone RDS instances, else ``Delete``).
    default_deletion_policy: str

    def __init__(
        self,
        type: str,
        snapshot: bool,
        aws_backup: bool,
        continuous_backup: bool,
        delete_requires_empty: bool,
        deletion_protection: PropertyCheck | None,
        point_in_time_recovery: PropertyCheck | None,
        versioning: PropertyCheck | None,
        arn: str | None = None,
        tags_property: str = "Tags",
        holds_data: bool = True,
        cluster_member_property: str | None = None,
        default_deletion_policy: str = "Delete",
    ) -> None:
        set_field(self, "type", type)
        set_field(self, "snapshot", snapshot)
        set_field(self, "aws_backup", aws_backup)
        set_field(self, "continuous_backup", continuous_backup)
        set_field(self, "delete_requires_empty", delete_requires_empty)
        set_field(self, "deletion_protection", deletion_protection)
        set_field(self, "point_in_time_recovery", point_in_time_recovery)
        set_field(self, "versioning", versioning)
        set_field(self, "arn", arn)
        set_field(self, "tags_property", tags_property)
        set_field(self, "holds_data", holds_data)
        set_field(self, "cluster_member_property", cluster_member_property)
        set_field(self, "default_deletion_policy", default_deletion_policy)


def cfn_lint_data_dir() -> Path:
    """The ``data`` folder of the installed cfn-lint (found, not imported)."""
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cfn-lint is not installed; Lattice reads its CloudFormation data")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def stateful_types() -> Mapping[str, StatefulType]:
    """Every stateful type Lattice knows, by CloudFormation type name."""
    ours = json.loads(_DATA.read_text(encoding="utf-8"))
    spec_path = cfn_lint_data_dir() / "AdditionalSpecs" / "StatefulResources.json"
    cfn_lint: dict[str, dict[str, Any]] = json.loads(spec_path.read_text(encoding="utf-8"))[
        "ResourceTypes"
    ]
    names = sorted({*cfn_lint, *ours["extra_types"]})
    table: dict[str, StatefulType] = {}
    for name in names:
        attrs = {**ours["defaults"], **ours["types"].get(name, {})}
        table[name] = StatefulType(
            type=name,
            snapshot=bool(attrs["snapshot"]),
            aws_backup=bool(attrs["aws_backup"]),
            continuous_backup=bool(attrs["continuous_backup"]),
            delete_requires_empty=bool(
                cfn_lint.get(name, {}).get("DeleteRequiresEmptyResource")
                or attrs.get("delete_requires_empty", False)
            ),
            deletion_protection=_check(attrs["deletion_protection"]),
            point_in_time_recovery=_check(attrs["point_in_time_recovery"]),
            versioning=_check(attrs["versioning"]),
            arn=attrs["arn"],
            tags_property=attrs["tags"],
            holds_data=bool(attrs["holds_data"]),
            cluster_member_property=attrs["cluster_member_property"],
            default_deletion_policy=attrs["default_deletion_policy"],
        )
    return table


def stateful_type(resource_type: str) -> StatefulType | None:
    """The knowledge for ``resource_type``, or ``None`` when it holds no data."""
    return stateful_types().get(resource_type)


def is_stateful(resource_type: str) -> bool:
    return resource_type in stateful_types()


@cache
def known_resource_types() -> frozenset[str]:
    """Every ``AWS::`` resource type CloudFormation has a schema for (cfn-lint's
    us-east-1 provider list), plus Lattice's own stateful table."""
    path = cfn_lint_data_dir() / "schemas" / "providers" / "us-east-1.json"
    names: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(names) | frozenset(stateful_types())


def is_known_resource_type(resource_type: str) -> bool:
    """True unless ``resource_type`` claims the ``AWS::`` namespace and CloudFormation
    has no such type. Custom resources (``Custom::X``) and third-party or module types
    (``Org::Service::Thing``) are accepted: CloudFormation registers them per account.
    """
    if not resource_type.startswith("AWS::") or resource_type.startswith("AWS::Serverless::"):
        return True  # SAM's types exist only before its transform, so no schema lists them
    return resource_type in known_resource_types()


def _check(value: Mapping[str, Any] | None) -> PropertyCheck | None:
    return None if value is None else PropertyCheck(**value)
