"""``lattice policy [ENVIRONMENT]``: what each environment requires."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .._version import __version__
from ._common import EXIT_OK, read_paths, render_table, write_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._policy import StatefulnessPolicy

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "policy",
        help="show what each environment requires",
        description="Show the statefulness policy of every environment (built-in and "
        "registered in lattice.toml / [tool.lattice]), or of one.",
    )
    parser.add_argument("environment", nargs="?", help="one environment (any alias)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--config", type=Path, help="configuration file to read")
    parser.add_argument("--output", "-o", help="write to this file instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the parser loads every verb's module, and other verbs (diff) do
    # not need the policy.
    from .._config import load_config
    from .._environments import EnvironmentRegistry
    from .._policy import create_statefulness_policy

    config = load_config(path=args.config)
    registry = EnvironmentRegistry()
    registry.register_all(config.environments)
    if args.environment is not None:
        names = [registry.resolve(args.environment).name]
    else:
        names = [env.name for env in registry.environments()]
    policies = [create_statefulness_policy(environment=n, registry=registry) for n in names]
    if args.format == "json":
        text = json.dumps(
            {"lattice_version": __version__, "environments": [p.to_dict() for p in policies]},
            indent=2,
        )
    else:
        text = _text(policies)
    write_output(text, args.output, inputs=read_paths(args.config, config.path))
    return EXIT_OK


def _text(policies: list[StatefulnessPolicy]) -> str:
    fields = [f for f in policies[0].to_dict() if f != "environment"]
    rows = [[f] + [_cell(p.to_dict()[f]) for p in policies] for f in fields]
    return render_table(["field", *(p.environment for p in policies)], rows)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
