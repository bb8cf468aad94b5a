"""Plain, immutable records of what a template or cloud assembly holds."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .._records import Record, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Assembly", "LazyResources", "Resource", "Stack"]

CDK_PATH_KEY = "aws:cdk:path"


class Resource(Record):
    """One resource of a template, as CloudFormation sees it."""

    __slots__ = (  # noqa: RUF023 (field order)
        "logical_id",
        "type",
        "properties",
        "deletion_policy",
        "update_replace_policy",
        "condition",
        "metadata",
        "cdk_path",
    )
    logical_id: str
    type: str
    properties: Mapping[str, Any]
    deletion_policy: Any
    update_replace_policy: Any
    condition: str | None
    metadata: Mapping[str, Any]
    #: The construct path from the assembly's metadata, for templates synthesized
    #: without ``aws:cdk:path`` (plain ``app.synth()`` leaves it out).
    cdk_path: str | None

    def __init__(
        self,
        logical_id: str,
        type: str,
        properties: Mapping[str, Any],
        deletion_policy: Any = None,
        update_replace_policy: Any = None,
        condition: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        cdk_path: str | None = None,
    ) -> None:
        set_field(self, "logical_id", logical_id)
        set_field(self, "type", type)
        set_field(self, "properties", properties)
        set_field(self, "deletion_policy", deletion_policy)
        set_field(self, "update_replace_policy", update_replace_policy)
        set_field(self, "condition", condition)
        set_field(self, "metadata", {} if metadata is None else metadata)
        set_field(self, "cdk_path", cdk_path)

    @property
    def construct_path(self) -> str | None:
        """The CDK construct path (``aws:cdk:path`` metadata, else the assembly's
        metadata), when CDK recorded one."""
        path = self.metadata.get(CDK_PATH_KEY)
        return path if isinstance(path, str) else self.cdk_path

    def tag(self, key: str) -> Any:
        """The value of tag ``key`` in the ``Tags`` property (list or map form)."""
        tags = self.properties.get("Tags")
        if isinstance(tags, list):
            for item in tags:
                if isinstance(item, dict) and item.get("Key") == key:
                    return item.get("Value")
        elif isinstance(tags, dict):
            return tags.get(key)
        return None


# Slot setters of Resource, for LazyResources to fill a record without calling its
# __init__ (every field is set, as __init__ would; a test holds the two equal).
_new = object.__new__
_set_logical_id = Resource.__dict__["logical_id"].__set__
_set_type = Resource.__dict__["type"].__set__
_set_properties = Resource.__dict__["properties"].__set__
_set_deletion_policy = Resource.__dict__["deletion_policy"].__set__
_set_update_replace_policy = Resource.__dict__["update_replace_policy"].__set__
_set_condition = Resource.__dict__["condition"].__set__
_set_metadata = Resource.__dict__["metadata"].__set__
_set_cdk_path = Resource.__dict__["cdk_path"].__set__


class LazyResources(Mapping[str, Resource]):
    """A template's resources, each turned into a :class:`Resource` on first access.

    A check touches only the resources some rule applies to; building a record for
    every IAM policy and Lambda function of a big assembly would cost more than
    reading it. :meth:`types` walks logical ids and types without building any.
    """

    __slots__ = ("_built", "_by_type", "_paths", "_raw")

    def __init__(
        self,
        raw: Mapping[str, Any],
        paths: Mapping[str, str],
        *,
        by_type: dict[str, list[str]] | None = None,
    ) -> None:
        self._raw = raw
        self._paths = paths
        self._built: dict[str, Resource] = {}
        # The loader builds this index while it checks the template's shape.
        self._by_type = by_type

    def __getitem__(self, logical_id: str) -> Resource:
        resource = self._built.get(logical_id)
        if resource is None:
            body = self._raw[logical_id]
            get = body.get
            # Resource's __init__ (keyword arguments, object.__setattr__ per field) costs
            # twice this; a big check builds tens of thousands of records.
            resource = _new(Resource)
            _set_logical_id(resource, logical_id)
            _set_type(resource, body["Type"])
            _set_properties(resource, get("Properties") or {})
            _set_deletion_policy(resource, get("DeletionPolicy"))
            _set_update_replace_policy(resource, get("UpdateReplacePolicy"))
            _set_condition(resource, get("Condition"))
            _set_metadata(resource, get("Metadata") or {})
            _set_cdk_path(resource, self._paths.get(logical_id))
            self._built[logical_id] = resource
        return resource

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, logical_id: object) -> bool:
        return logical_id in self._raw

    def types(self) -> Iterator[tuple[str, str]]:
        """``(logical id, type)`` for every resource, building nothing."""
        for logical_id, body in self._raw.items():
            yield logical_id, body["Type"]

    def by_type(self) -> Mapping[str, list[str]]:
        """Logical ids by resource type, in template order (built once, on first use)."""
        if self._by_type is None:
            index: dict[str, list[str]] = {}
            for logical_id, body in self._raw.items():
                ids = index.get(body["Type"])
                if ids is None:
                    index[body["Type"]] = [logical_id]
                else:
                    ids.append(logical_id)
            self._by_type = index
        return self._by_type


class Stack(Record):
    """One CloudFormation template: a CDK stack, a nested stack, or a template file.

    ``name`` is the stack name (for a plain template, the file's stem); ``display_name``
    is CDK's hierarchical name (``Prod/Data``) where an assembly gives one.
    """

    __slots__ = (  # noqa: RUF023 (field order)
        "name",
        "template_path",
        "template",
        "resources",
        "display_name",
        "termination_protection",
        "tags",
        "parent",
        "parent_logical_id",
        "artifact_id",
        "account",
        "region",
        "cdk_acknowledgements",
    )
    name: str
    template_path: str
    template: Mapping[str, Any]
    resources: Mapping[str, Resource]
    display_name: str | None
    #: Stack termination protection from the assembly manifest; ``None`` for a template.
    termination_protection: bool | None
    #: Stack-level tags from the assembly manifest.
    tags: Mapping[str, str]
    #: For a nested stack, the name of its parent stack and the logical id there.
    parent: str | None
    parent_logical_id: str | None
    #: The artifact id in the manifest (CDK's id for ``cdk deploy``).
    artifact_id: str | None
    #: Account and region from the manifest's ``aws://account/region`` (``None`` when
    #: CDK left them environment-agnostic, and for a plain template).
    account: str | None
    region: str | None
    #: CDK ``Validations.of(x).acknowledge(...)`` records from the manifest: construct
    #: path -> {qualified rule id (``lattice::LAT1001``): reason}.
    cdk_acknowledgements: Mapping[str, Mapping[str, str]]

    def __init__(
        self,
        name: str,
        template_path: str,
        template: Mapping[str, Any],
        resources: Mapping[str, Resource],
        display_name: str | None = None,
        termination_protection: bool | None = None,
        tags: Mapping[str, str] | None = None,
        parent: str | None = None,
        parent_logical_id: str | None = None,
        artifact_id: str | None = None,
        account: str | None = None,
        region: str | None = None,
        cdk_acknowledgements: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "template_path", template_path)
        set_field(self, "template", template)
        set_field(self, "resources", resources)
        set_field(self, "display_name", display_name)
        set_field(self, "termination_protection", termination_protection)
        set_field(self, "tags", {} if tags is None else tags)
        set_field(self, "parent", parent)
        set_field(self, "parent_logical_id", parent_logical_id)
        set_field(self, "artifact_id", artifact_id)
        set_field(self, "account", account)
        set_field(self, "region", region)
        set_field(
            self,
            "cdk_acknowledgements",
            {} if cdk_acknowledgements is None else cdk_acknowledgements,
        )

    @property
    def label(self) -> str:
        return self.display_name or self.name

    @property
    def identity(self) -> str:
        """Where the stack is deployed: ``account/region/name`` when both are known
        (not ``unknown-account``/``unknown-region`` or a token), else the assembly's
        artifact id, else the stack name. Two stacks of one name in two regions are two
        stacks; diff, lock, stack-policy, report and check key stacks by this."""
        account, region = self.account, self.region
        if _resolved(account) and _resolved(region):
            return f"{account}/{region}/{self.name}"
        return self.artifact_id or self.name

    def resource_types(self) -> Iterator[tuple[str, str]]:
        """``(logical id, type)`` of every resource, cheaply (no records built)."""
        if isinstance(self.resources, LazyResources):
            return self.resources.types()
        return ((r.logical_id, r.type) for r in self.resources.values())

    def resources_by_type(self) -> Mapping[str, list[str]]:
        """Logical ids grouped by type, cheaply: a check visits only the types it needs."""
        if isinstance(self.resources, LazyResources):
            return self.resources.by_type()
        index: dict[str, list[str]] = {}
        for resource in self.resources.values():
            index.setdefault(resource.type, []).append(resource.logical_id)
        return index

    @property
    def metadata(self) -> Mapping[str, Any]:
        meta = self.template.get("Metadata")
        return meta if isinstance(meta, dict) else {}


def _resolved(value: str | None) -> bool:
    return bool(value) and not str(value).startswith("unknown-") and "${" not in str(value)


class Assembly(Record):
    """Every stack found at a path (a template, a folder, or a CDK ``cdk.out``)."""

    __slots__ = ("source", "stacks", "is_cloud_assembly")  # noqa: RUF023 (field order)
    source: str
    stacks: tuple[Stack, ...]
    #: True when the source was a CDK cloud assembly (``manifest.json``).
    is_cloud_assembly: bool

    def __init__(
        self, source: str, stacks: tuple[Stack, ...], is_cloud_assembly: bool = False
    ) -> None:
        set_field(self, "source", source)
        set_field(self, "stacks", stacks)
        set_field(self, "is_cloud_assembly", is_cloud_assembly)

    def stack(self, name: str) -> Stack | None:
        for stack in self.stacks:
            if name in (stack.name, stack.display_name, stack.artifact_id):
                return stack
        return None

    @property
    def resource_count(self) -> int:
        return sum(len(s.resources) for s in self.stacks)
