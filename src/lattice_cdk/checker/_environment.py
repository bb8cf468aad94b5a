"""Which environment each stack belongs to, and where that came from.

In order: the ``--environment`` flag; the stack's ``lattice:environment`` tag in the
assembly manifest; the template's ``lattice:environment`` metadata; the
``lattice:environment`` tags (or ``lattice`` resource metadata) Lattice constructs put on
resources; a nested stack's parent; the project configuration. A stack none of them
names is checked as prod (the strictest) and reported (LAT2902): an unknown environment
never passes quietly.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._environments import EnvironmentRegistry, ResolvedEnvironment, Tier
from .._errors import UnknownEnvironmentError
from .._records import Record, replace
from ..cfn._model import Assembly, Stack

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._config import LatticeConfig

__all__ = ["ENVIRONMENT_KEY", "StackEnvironment", "environments_of", "resolve_environments"]

ENVIRONMENT_KEY = "lattice:environment"
#: Resource Metadata key where Lattice constructs record their view of a resource.
CONSTRUCT_METADATA_KEY = "lattice"
_STRICTNESS = {Tier.PROD: 0, Tier.STAGING: 1, Tier.DEV: 2}


class StackEnvironment(Record):
    """A stack's environment and the source that named it.

    ``determined`` is False when nothing named it (or named an unknown environment):
    the stack is then checked as ``prod`` and ``problem`` says why.
    """

    stack: str
    environment: ResolvedEnvironment
    source: str
    determined: bool = True
    problem: str | None = None
    #: Where the stack deploys (:attr:`~lattice_cdk.cfn.Stack.identity`).
    identity: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "stack": self.stack,
            "identity": self.identity,
            "environment": self.environment.name,
            "tier": self.environment.tier.value,
            "source": self.source,
            "determined": self.determined,
        }


def resolve_environments(
    assembly: Assembly,
    *,
    flag: str | None,
    config_environment: str | None,
    config_path: str | None,
    registry: EnvironmentRegistry,
) -> dict[str, StackEnvironment]:
    """The environment of every stack of ``assembly``, by :attr:`Stack.identity`
    (two stacks of one name in two regions are two stacks, each with its own)."""
    if flag is not None:
        # A wrong --environment is unusable input: raise (the CLI prints one line).
        resolved = registry.resolve(flag)
        return {
            s.identity: StackEnvironment(s.label, resolved, "--environment", identity=s.identity)
            for s in assembly.stacks
        }
    found: dict[str, StackEnvironment] = {}
    # A nested stack names its parent by stack name; the parent deploys where it does.
    by_place: dict[tuple[str, str | None, str | None], StackEnvironment] = {}
    for stack in assembly.stacks:
        env = replace(
            _one(
                stack,
                by_place,
                registry,
                config_environment=config_environment,
                config_path=config_path,
            ),
            identity=stack.identity,
        )
        found[stack.identity] = by_place[(stack.name, stack.account, stack.region)] = env
    return found


def _one(
    stack: Stack,
    resolved_so_far: Mapping[tuple[str, str | None, str | None], StackEnvironment],
    registry: EnvironmentRegistry,
    *,
    config_environment: str | None,
    config_path: str | None,
) -> StackEnvironment:
    candidates: list[tuple[str, object]] = []
    if stack.tags.get(ENVIRONMENT_KEY) is not None:
        candidates.append(("manifest stack tags", stack.tags[ENVIRONMENT_KEY]))
    if stack.metadata.get(ENVIRONMENT_KEY) is not None:
        candidates.append(("template metadata", stack.metadata[ENVIRONMENT_KEY]))
    for source, value in candidates:
        try:
            return StackEnvironment(stack.label, registry.resolve(value), source)
        except UnknownEnvironmentError:
            return _undetermined(
                stack, f"{source} name {value!r}, which is not a known environment"
            )
    tagged = _resource_tag_environments(stack, registry)
    if tagged is not None:
        return tagged
    parent = None
    if stack.parent is not None:
        parent = resolved_so_far.get((stack.parent, stack.account, stack.region))
    if parent is not None and parent.determined:
        return StackEnvironment(stack.label, parent.environment, f"parent stack ({parent.source})")
    if config_environment is not None:
        source = f"config {config_path}" if config_path else "config"
        try:
            return StackEnvironment(stack.label, registry.resolve(config_environment), source)
        except UnknownEnvironmentError:
            return _undetermined(
                stack, f"{source} names {config_environment!r}, which is not a known environment"
            )
    return _undetermined(stack, "nothing names its environment")


def _resource_tag_environments(
    stack: Stack, registry: EnvironmentRegistry
) -> StackEnvironment | None:
    values: set[str] = set()
    kinds: set[str] = set()
    for resource in stack.resources.values():
        value = resource.tag(ENVIRONMENT_KEY)
        kind = "tags"
        if not isinstance(value, str):
            # Lattice constructs also record their view in resource Metadata "lattice".
            view = resource.metadata.get(CONSTRUCT_METADATA_KEY)
            value = view.get("environment") if isinstance(view, dict) else None
            kind = "metadata"
        if isinstance(value, str):
            values.add(value)
            kinds.add(kind)
    if not values:
        return None
    resolved: list[ResolvedEnvironment] = []
    for value in sorted(values):
        try:
            resolved.append(registry.resolve(value))
        except UnknownEnvironmentError:
            return _undetermined(
                stack, f"resource tags or metadata name {value!r}, not a known environment"
            )
    # Mixed tags: hold the stack to the strictest of them.
    strictest = min(resolved, key=lambda r: _STRICTNESS[r.tier])
    source = "resource " + " and ".join(sorted(kinds))
    if len({r.name for r in resolved}) > 1:
        source += " (mixed: " + ", ".join(sorted({r.name for r in resolved})) + "; the strictest)"
    return StackEnvironment(stack.label, strictest, source)


def _undetermined(stack: Stack, why: str) -> StackEnvironment:
    return StackEnvironment(
        stack.label,
        ResolvedEnvironment(Tier.PROD.value, Tier.PROD),
        "undetermined (checked as prod)",
        determined=False,
        problem=why,
    )


def environments_of(
    assembly: Assembly,
    *,
    environment: str | None,
    config: LatticeConfig | None,
    registry: EnvironmentRegistry | None,
) -> tuple[LatticeConfig, EnvironmentRegistry, dict[str, StackEnvironment]]:
    """Every stack's environment as ``check`` and ``guard-rules`` resolve it: ``environment``
    (``-e``) wins, else the stack's own tags and metadata, else the configuration's; the
    registry holds the configuration's environments when none is given."""
    from .._config import LatticeConfig

    config = config or LatticeConfig()
    if registry is None:
        registry = EnvironmentRegistry()
        registry.register_all(config.environments)
    environments = resolve_environments(
        assembly,
        flag=environment,
        config_environment=config.environment,
        config_path=str(config.path) if config.path else None,
        registry=registry,
    )
    return config, registry, environments
