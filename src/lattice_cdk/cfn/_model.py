"""Plain, immutable records of what a template or cloud assembly holds."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .._records import Record, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

__all__ = ["Assembly", "InputProblem", "LazyResources", "Resource", "Stack", "Unevaluated"]

CDK_PATH_KEY = "aws:cdk:path"
# The default of mapping fields: each record gets its own empty dict in __post_init__.
_EMPTY: Mapping[str, Any] = {}


class Resource(Record):
    """One resource of a template, as CloudFormation sees it."""

    logical_id: str
    type: str
    properties: Mapping[str, Any]
    deletion_policy: Any = None
    update_replace_policy: Any = None
    condition: str | None = None
    metadata: Mapping[str, Any] = _EMPTY
    #: The construct path from the assembly's metadata, for templates synthesized
    #: without ``aws:cdk:path`` (plain ``app.synth()`` leaves it out).
    cdk_path: str | None = None

    def __post_init__(self) -> None:
        if self.metadata is _EMPTY or self.metadata is None:
            set_field(self, "metadata", {})

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


class Unevaluated(Record):
    """An entry of a template's ``Resources`` the loader could not turn into resources:
    why, and what the user can do (checked as "cannot evaluate", never as a pass)."""

    reason: str
    fix: str
    #: The entry's ``Type`` where it has one (a transform's resource, a nested stack, a
    #: resource with a loop inside); None for a ``Fn::ForEach`` loop itself.
    type: str | None = None


class Stack(Record):
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
    tags: Mapping[str, str] = _EMPTY
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
    cdk_acknowledgements: Mapping[str, Mapping[str, str]] = _EMPTY
    #: What tells this stack apart from another of the same label in one assembly (its
    #: region, account or file), set by the loader only when two labels collide.
    qualifier: str | None = None
    #: Entries of ``Resources`` the loader could not turn into resources, by key (a
    #: ``Fn::ForEach`` loop over a collection known only at deploy time, a resource a
    #: transform Lattice does not apply makes, a nested stack whose template is not in
    #: the assembly), each with why and the fix. Checked as "cannot
    #: evaluate", never as a pass.
    unevaluated: Mapping[str, Unevaluated] = _EMPTY

    __memo_slots__ = ("_identity", "_place")
    if TYPE_CHECKING:
        _identity: ClassVar[str]
        _place: ClassVar[tuple[str, str] | None]

    def __post_init__(self) -> None:
        for field in ("tags", "cdk_acknowledgements", "unevaluated"):
            value = getattr(self, field)
            if value is _EMPTY or value is None:
                set_field(self, field, {})

    @property
    def label(self) -> str:
        """The name users see: CDK's display name (else the stack name), with the
        qualifier when another stack of the assembly shows the same name."""
        label = self.display_name or self.name
        return f"{label} ({self.qualifier})" if self.qualifier else label

    @property
    def identity(self) -> str:
        """Where the stack is deployed: ``account/region/name`` when both are known
        (not ``unknown-account``/``unknown-region`` or a token), else the assembly's
        artifact id, else the stack name (either with the qualifier, when there is one).
        Two stacks of one name in two regions are two stacks; diff, lock, stack-policy,
        report and check key stacks by this."""
        try:
            return self._identity
        except AttributeError:  # worked out once: a check asks for every resource
            pass
        account, region = self.account, self.region
        if _resolved(account) and _resolved(region):
            identity = f"{account}/{region}/{self.name}"
            set_field(self, "_place", (account, region))
        else:
            # A qualifier (set only when two stacks of the input share a label) tells
            # apart, say, two cdk.out folders of one folder run that both hold "Data".
            base = self.artifact_id or self.name
            identity = f"{base} ({self.qualifier})" if self.qualifier else base
            set_field(self, "_place", None)
        set_field(self, "_identity", identity)
        return identity

    @property
    def place(self) -> tuple[str, str] | None:
        """Where the stack deploys, ``(account, region)``, when :attr:`identity` says
        (None for an environment-agnostic CDK stack or a plain template)."""
        try:
            return self._place
        except AttributeError:
            self.identity  # noqa: B018 (sets both)
            return self._place

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


class InputProblem(Record):
    """A file or folder a folder run could not read, or chose not to follow."""

    #: The file or folder.
    path: str
    #: Why, as one sentence (``cannot be read (Permission denied).``).
    reason: str
    #: The stable code the same problem raises with as an :class:`InputError`.
    code: str = "unusable-input"


class Assembly(Record):
    """Every stack found at a path (a template, a folder, or a CDK ``cdk.out``)."""

    source: str
    stacks: tuple[Stack, ...]
    #: True when the source was a CDK cloud assembly (``manifest.json``).
    is_cloud_assembly: bool = False
    #: Files and folders of a folder run that could not be read (or were not followed),
    #: each with why: the run reports them and never passes them as clean.
    problems: tuple[InputProblem, ...] = ()

    def expect_complete(self) -> None:
        """Raise :class:`~lattice_cdk.InputError` when a folder run left something unread:
        for a door that cannot report :attr:`problems` as findings (writing a lock from
        an incomplete folder would lock too little)."""
        if self.problems:
            from .._errors import InputError

            first = self.problems[0]
            more = len(self.problems) - 1
            raise InputError(
                f"{first.path}: {first.reason}"
                + (f" (and {more} more input{'s' if more > 1 else ''} not read)" if more else ""),
                location=self.source,
                fix="fix or remove what was not read ('lattice check' lists each one).",
                code=first.code,
            )

    @property
    def complete(self) -> bool:
        """Whether every input was read and every template entry evaluated (no
        :attr:`problems`, nothing :meth:`unevaluated`)."""
        return not self.problems and not any(s.unevaluated for s in self.stacks)

    def unevaluated(self) -> Iterator[tuple[Stack, str, Unevaluated]]:
        """Every entry of a template's ``Resources`` the loader could not evaluate, with
        its stack and key (each door reports them; none passes them)."""
        for stack in self.stacks:
            for key, entry in stack.unevaluated.items():
                yield stack, key, entry

    def stack(self, name: str) -> Stack | None:
        """The first stack :meth:`find` gives for ``name``."""
        found = self.find(name)
        return found[0] if found else None

    def find(self, name: str) -> tuple[Stack, ...]:
        """Every stack ``name`` names: its identity, label, CDK display name
        (``Prod/Data``), artifact id (``ProdData``) or stack name (``Prod-Data``, which
        two regions may share)."""
        return tuple(
            s
            for s in self.stacks
            if name in (s.identity, s.label, s.name, s.display_name, s.artifact_id)
        )

    @property
    def resource_count(self) -> int:
        return sum(len(s.resources) for s in self.stacks)
