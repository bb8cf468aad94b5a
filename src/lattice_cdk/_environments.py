"""Environment names, their aliases, and the tier each one is protected as.

Three tiers are built in (``prod``, ``staging``, ``dev``). Teams register their own
environments (``qa``, ``uat``, ``sandbox``...) on one of those tiers: in the config file
(``environments = { qa = "staging" }`` under ``[tool.lattice]`` in ``pyproject.toml``, or
in ``lattice.toml``), through CDK context ``lattice:environments``, or in Python with
:func:`register_environment`.
"""

from __future__ import annotations

import _thread  # threading's lock, without importing threading at start-up
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum

from ._errors import UnknownEnvironmentError, did_you_mean
from ._records import Record

__all__ = [
    "BUILTIN_ALIASES",
    "EnvironmentRegistry",
    "ResolvedEnvironment",
    "Tier",
    "default_registry",
    "register_environment",
    "resolve_environment",
]


class Tier(StrEnum):
    """The protection tier an environment is held to."""

    PROD = "prod"
    STAGING = "staging"
    DEV = "dev"


#: Every built-in spelling, lower case, and the tier it names.
BUILTIN_ALIASES: Mapping[str, Tier] = {
    "prod": Tier.PROD,
    "production": Tier.PROD,
    "prd": Tier.PROD,
    "staging": Tier.STAGING,
    "stage": Tier.STAGING,
    "stg": Tier.STAGING,
    "preprod": Tier.STAGING,
    "pre-prod": Tier.STAGING,
    "dev": Tier.DEV,
    "development": Tier.DEV,
    "develop": Tier.DEV,
    "devel": Tier.DEV,
}

_NAME = r"^[a-z][a-z0-9_-]{0,31}$"


class ResolvedEnvironment(Record):
    """An environment name resolved to its canonical spelling and tier."""

    name: str
    tier: Tier


class EnvironmentRegistry:
    """Built-in environments plus the custom ones a team registers.

    Custom environments keep their own name (tags and reports say ``qa``) and take
    their protection from the tier they are registered on.
    """

    def __init__(self) -> None:
        self._custom: dict[str, Tier] = {}
        self._lock = _thread.allocate_lock()

    def register(self, name: str, *, tier: str | Tier) -> ResolvedEnvironment:
        """Register ``name`` as an environment protected like ``tier``.

        Registering the same name on the same tier again is a no-op; on another tier it
        is an error, as is a name that is already a built-in spelling.
        """
        key = _normalise(name, field="name")
        if not re.match(_NAME, key):
            raise UnknownEnvironmentError(
                "is not a usable environment name.",
                field="name",
                value=name,
                allowed="a lower-case letter followed by up to 31 letters, digits, '-' or '_'",
                fix="choose a short name such as 'qa' or 'uat'.",
                code="invalid-environment-name",
            )
        target = self.resolve(tier.value if isinstance(tier, Tier) else tier, field="tier")
        if target.name not in (t.value for t in Tier):
            raise UnknownEnvironmentError(
                "a custom environment must be registered on a built-in tier.",
                field="tier",
                value=tier,
                allowed="'prod', 'staging' or 'dev' (or one of their aliases)",
                fix="register on the tier whose protection the environment needs.",
                code="invalid-environment-tier",
            )
        if key in BUILTIN_ALIASES:
            raise UnknownEnvironmentError(
                "is already a built-in environment name.",
                field="name",
                value=name,
                allowed="a name that is not one of " + _quoted(BUILTIN_ALIASES),
                fix=f"use the built-in {key!r} directly, or register another name.",
                code="environment-already-defined",
            )
        with self._lock:
            existing = self._custom.get(key)
            if existing is not None and existing is not target.tier:
                raise UnknownEnvironmentError(
                    f"is already registered on tier {existing.value!r}.",
                    field="tier",
                    value=tier,
                    allowed=repr(existing.value),
                    fix="register each environment once, on one tier.",
                    code="environment-already-defined",
                )
            self._custom[key] = target.tier
        return ResolvedEnvironment(key, target.tier)

    def register_all(self, environments: Mapping[str, str]) -> None:
        """Register several environments from a ``{name: tier}`` mapping (CDK context)."""
        for name, tier in environments.items():
            self.register(name, tier=tier)

    def resolve(self, name: object, *, field: str = "environment") -> ResolvedEnvironment:
        """Return the canonical name and tier of ``name``; raise if it is unknown."""
        if name is None or (isinstance(name, str) and not name.strip()):
            raise UnknownEnvironmentError(
                "no environment was given, and Lattice never guesses one.",
                field=field,
                value=name,
                allowed=_quoted(self.names()),
                fix=(
                    "pass environment='prod' (or staging, dev), or set CDK context "
                    "'lattice:environment' (cdk synth -c lattice:environment=prod)."
                ),
                code="missing-environment",
            )
        key = _normalise(name, field=field)
        tier = BUILTIN_ALIASES.get(key)
        if tier is not None:
            return ResolvedEnvironment(tier.value, tier)
        with self._lock:
            custom = self._custom.get(key)
        if custom is not None:
            return ResolvedEnvironment(key, custom)
        guess = self.suggest(key)
        raise UnknownEnvironmentError(
            f"is not a known environment{f'; did you mean {guess!r}?' if guess else '.'}",
            field=field,
            value=name,
            allowed=_quoted(self.names()),
            fix=(
                "use one of those names, or register it on a tier: "
                f'environments = {{ {key} = "staging" }} under [tool.lattice] in '
                "pyproject.toml (or at the top of lattice.toml), or in Python "
                f"register_environment({key!r}, tier='staging')."
                if re.match(_NAME, key)
                else "use one of those names."
            ),
        )

    def suggest(self, name: str) -> str | None:
        """The canonical environment ``name`` was most likely meant to be (``prodd``,
        ``prodution``: ``prod``), or None when nothing is close."""
        with self._lock:
            custom = {name: name for name in self._custom}
        return did_you_mean(name, {**{k: t.value for k, t in BUILTIN_ALIASES.items()}, **custom})

    def names(self) -> list[str]:
        """Every accepted spelling: built-in aliases, then registered names."""
        with self._lock:
            return [*BUILTIN_ALIASES, *sorted(self._custom)]

    def environments(self) -> list[ResolvedEnvironment]:
        """The canonical environments: the three tiers, then registered ones."""
        with self._lock:
            custom = sorted(self._custom.items())
        return [ResolvedEnvironment(t.value, t) for t in Tier] + [
            ResolvedEnvironment(name, tier) for name, tier in custom
        ]

    def clear(self) -> None:
        """Forget every registered environment (tests use this)."""
        with self._lock:
            self._custom.clear()


def _normalise(name: object, *, field: str) -> str:
    if not isinstance(name, str):
        raise UnknownEnvironmentError(
            f"must be a string, not {type(name).__name__}.",
            field=field,
            value=name,
            allowed="an environment name such as 'prod'",
            fix="pass the environment's name as a string.",
        )
    return name.strip().lower()


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(repr(n) for n in names)


default_registry = EnvironmentRegistry()


def register_environment(name: str, *, tier: str | Tier) -> ResolvedEnvironment:
    """Register a custom environment (``qa``, ``uat``...) protected like ``tier``.

    Example::

        register_environment("qa", tier="staging")
        create_statefulness_policy(environment="qa")  # staging's protection, named qa

    The same from CDK: ``cdk synth -c 'lattice:environments={"qa": "staging"}'``.
    """
    return default_registry.register(name, tier=tier)


def resolve_environment(name: object) -> ResolvedEnvironment:
    """Resolve an environment name (any alias, any case) on the default registry."""
    return default_registry.resolve(name)
