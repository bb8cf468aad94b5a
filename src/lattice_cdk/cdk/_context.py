"""Which environment a construct belongs to: its argument, else CDK context.

Custom environments come from CDK context ``lattice:environments`` (a mapping or a JSON
string such as ``'{"qa": "staging"}'``) and are registered before the name is resolved,
so ``cdk synth -c lattice:environment=qa -c 'lattice:environments={"qa":"staging"}'``
works with no Python change. A name still unknown is looked up in the project's
``lattice.toml`` / ``[tool.lattice]`` ``environments`` (what ``lattice check`` reads).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from constructs import Construct

from .._config import load_config
from .._environments import default_registry
from .._errors import StatefulnessError, UnknownEnvironmentError
from .._policy import StatefulnessPolicy, create_statefulness_policy

__all__ = [
    "ENVIRONMENTS_CONTEXT_KEY",
    "ENVIRONMENT_CONTEXT_KEY",
    "check_policy_argument",
    "policy_for",
    "register_context_environments",
    "resolve_construct_environment",
]

#: CDK context key naming the environment (``cdk synth -c lattice:environment=prod``).
ENVIRONMENT_CONTEXT_KEY = "lattice:environment"
#: CDK context key registering custom environments: ``{"qa": "staging"}``.
ENVIRONMENTS_CONTEXT_KEY = "lattice:environments"
_CONTEXT_CACHE = "_lattice_context"


def context_value(scope: Construct, key: str) -> Any:
    """``scope.node.try_get_context(key)``, read once per scope.

    Context is fixed once a scope has children (CDK refuses ``set_context`` then), and
    a Lattice construct is a child: so every later construct in the same scope reads
    the same value, which is kept on the scope instead of asked of jsii again.
    """
    cache: dict[str, Any] | None = getattr(scope, _CONTEXT_CACHE, None)
    if cache is None:
        cache = {}
        setattr(scope, _CONTEXT_CACHE, cache)
    if key not in cache:
        cache[key] = scope.node.try_get_context(key)
    return cache[key]


def register_context_environments(scope: Construct) -> None:
    """Register the custom environments named in context ``lattice:environments``.

    Accepts a mapping or a JSON object string (what ``-c`` on the command line gives).
    Registering the same name on the same tier twice is a no-op.
    """
    raw: Any = context_value(scope, ENVIRONMENTS_CONTEXT_KEY)
    if raw is None:
        return
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _bad_environments(raw, f"is not valid JSON ({exc.msg}).") from None
    if not isinstance(raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise _bad_environments(raw, "must map environment names to tiers.")
    default_registry.register_all(raw)


def resolve_construct_environment(scope: Construct, environment: str | None) -> str:
    """The canonical environment name for ``scope``.

    ``environment`` wins; else CDK context ``lattice:environment``; else
    :class:`~lattice_cdk.UnknownEnvironmentError` (Lattice never guesses ``dev``).
    """
    register_context_environments(scope)
    name: Any = environment
    if name is None:
        name = context_value(scope, ENVIRONMENT_CONTEXT_KEY)
    try:
        return default_registry.resolve(name).name
    except UnknownEnvironmentError as error:
        if error.code != "unknown-environment" or not _register_config_environments():
            raise
    return default_registry.resolve(name).name


def _register_config_environments() -> bool:
    """Register the custom environments of ``lattice.toml`` / ``[tool.lattice]``.

    Read only when a name is unknown, so the usual path never touches the file system;
    ``lattice check`` reads the same file, so both agree on what ``qa`` means.
    Returns whether any environment was registered.
    """
    config = load_config()
    default_registry.register_all(config.environments)
    return bool(config.environments)


def check_policy_argument(policy: object) -> None:
    """Refuse a ``policy=`` that is not a :class:`~lattice_cdk.StatefulnessPolicy`.

    ``policy="prod"`` is the usual slip: the environment goes in ``environment=``.
    """
    if policy is None or isinstance(policy, StatefulnessPolicy):
        return
    raise StatefulnessError(
        "is not a StatefulnessPolicy.",
        field="policy",
        value=policy,
        allowed="a policy from create_statefulness_policy(...), or None",
        fix=f"pass environment={policy!r} instead"
        if isinstance(policy, str)
        else "pass policy=create_statefulness_policy(environment=...).",
        code="invalid-value",
    )


def policy_for(
    scope: Construct,
    *,
    environment: str | None,
    policy: StatefulnessPolicy | None = None,
    **overrides: Any,
) -> StatefulnessPolicy:
    """The policy a construct applies: ``policy`` as given, else one built for its environment.

    ``overrides`` go to :func:`~lattice_cdk.create_statefulness_policy`, which refuses
    unsafe combinations with a :class:`~lattice_cdk.StatefulnessError`. With ``policy``,
    an override that is set, or an ``environment`` naming another environment, is an
    error (``contradictory-overrides``): the policy already decides.
    """
    check_policy_argument(policy)
    if policy is not None:
        given = {
            k: v
            for k, v in overrides.items()
            if v is not None and not (k == "force_retain" and v is False)
        }
        if given:
            field, value = next(iter(given.items()))
            raise StatefulnessError(
                "cannot be combined with policy=: the policy already decides it.",
                field=field,
                value=value,
                allowed="unset when policy= is given",
                fix="build the policy with this override instead "
                "(create_statefulness_policy(..., " + f"{field}=...)).",
                code="contradictory-overrides",
            )
        if environment is not None:
            wanted = resolve_construct_environment(scope, environment)
            if wanted != policy.environment:
                raise StatefulnessError(
                    f"contradicts the policy's environment {policy.environment!r}.",
                    field="environment",
                    value=environment,
                    allowed=f"{policy.environment!r} or None when policy= is given",
                    fix="pass either environment= or policy=, not both.",
                    code="contradictory-overrides",
                )
        return policy
    name = resolve_construct_environment(scope, environment)
    return create_statefulness_policy(environment=name, **overrides)


def _bad_environments(value: object, message: str) -> StatefulnessError:
    return StatefulnessError(
        message,
        field=f"context {ENVIRONMENTS_CONTEXT_KEY!r}",
        value=value,
        allowed='a mapping or JSON object of names to tiers, e.g. {"qa": "staging"}',
        fix=f"""pass -c '{ENVIRONMENTS_CONTEXT_KEY}={{"qa": "staging"}}' or set it in cdk.json.""",
        code="invalid-value",
    )
