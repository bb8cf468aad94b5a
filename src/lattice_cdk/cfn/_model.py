"""Plain, immutable records of what a template or cloud assembly holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Assembly", "Resource", "Stack"]

CDK_PATH_KEY = "aws:cdk:path"


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource of a template, as CloudFormation sees it."""

    logical_id: str
    type: str
    properties: Mapping[str, Any]
    deletion_policy: Any = None
    update_replace_policy: Any = None
    condition: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    #: The construct path from the assembly's metadata, for templates synthesized
    #: without ``aws:cdk:path`` (plain ``app.synth()`` leaves it out).
    cdk_path: str | None = None

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


@dataclass(frozen=True, slots=True)
class Stack:
    """One CloudFormation template: a CDK stack, a nested stack, or a template file.

    ``name`` is the stack name (for a plain template, the file's stem); ``display_name``
    is CDK's hierarchical name (``Prod/Data``) where an assembly gives one.
    """

    name: str
    template_path: str
    template: Mapping[str, Any]
    resources: Mapping[str, Resource]
    display_name: str | None = None
    #: Stack termination protection from the assembly manifest; ``None`` for a template.
    termination_protection: bool | None = None
    #: Stack-level tags from the assembly manifest.
    tags: Mapping[str, str] = field(default_factory=dict)
    #: For a nested stack, the name of its parent stack and the logical id there.
    parent: str | None = None
    parent_logical_id: str | None = None
    #: The artifact id in the manifest (CDK's id for ``cdk deploy``).
    artifact_id: str | None = None
    #: Account and region from the manifest's ``aws://account/region`` (``None`` when
    #: CDK left them environment-agnostic, and for a plain template).
    account: str | None = None
    region: str | None = None
    #: CDK ``Validations.of(x).acknowledge(...)`` records from the manifest: construct
    #: path -> {qualified rule id (``lattice::LAT1001``): reason}.
    cdk_acknowledgements: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.display_name or self.name

    @property
    def metadata(self) -> Mapping[str, Any]:
        meta = self.template.get("Metadata")
        return meta if isinstance(meta, dict) else {}


@dataclass(frozen=True, slots=True)
class Assembly:
    """Every stack found at a path (a template, a folder, or a CDK ``cdk.out``)."""

    source: str
    stacks: tuple[Stack, ...]
    #: True when the source was a CDK cloud assembly (``manifest.json``).
    is_cloud_assembly: bool = False

    def stack(self, name: str) -> Stack | None:
        for stack in self.stacks:
            if name in (stack.name, stack.display_name, stack.artifact_id):
                return stack
        return None

    @property
    def resource_count(self) -> int:
        return sum(len(s.resources) for s in self.stacks)
