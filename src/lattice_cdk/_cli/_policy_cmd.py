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
    parser.add_argument(
        "--format",
        "-f",
        choices=("text", "json"),
        help="default: json when --output ends in .json, else text",
    )
    parser.add_argument("--config", type=Path, help="configuration file to read")
    parser.add_argument("--output", "-o", help="write to this file instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the parser loads every verb's module, and other verbs (diff) do
    # not need the policy.
    from .._config import load_config
    from .._environments import EnvironmentRegistry
    from .._policy import create_statefulness_policy
    from ._suffix import format_for

    config = load_config(path=args.config)
    registry = EnvironmentRegistry()
    registry.register_all(config.environments)
    if args.environment is not None:
        names = [registry.resolve(args.environment).name]
    else:
        names = [env.name for env in registry.environments()]
    policies = [create_statefulness_policy(environment=n, registry=registry) for n in names]
    fmt = format_for(args.format, args.output, ("text", "json"))
    if fmt == "json":
        # Every field stays (scripts index them); "inactive" names those that take no
        # effect because their tier is off.
        environments = [{**p.to_dict(), "inactive": list(p.inactive_fields())} for p in policies]
        text = json.dumps({"lattice_version": __version__, "environments": environments}, indent=2)
    else:
        text = _text(policies)
    write_output(text, args.output, inputs=read_paths(args.config, config.path))
    return EXIT_OK


def _text(policies: list[StatefulnessPolicy]) -> str:
    """A field per row, an environment per column; a tier that is off shows ``-``, and
    a row that is off everywhere is left out."""
    values = [p.to_dict() for p in policies]
    inactive = [set(p.inactive_fields()) for p in policies]
    rows = [
        [f] + [("-" if f in off else _cell(v[f])) for v, off in zip(values, inactive, strict=True)]
        for f in values[0]
        if f != "environment" and not all(f in off for off in inactive)
    ]
    return render_table(["field", *(p.environment for p in policies)], rows)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
