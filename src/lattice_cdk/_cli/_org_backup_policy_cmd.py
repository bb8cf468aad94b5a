"""``lattice org-backup-policy --environment prod``: the AWS Organizations backup
policy equal to the environment's Lattice backup plan, as JSON."""

from __future__ import annotations

from ._common import EXIT_OK, write_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    from pathlib import Path

    parser = subparsers.add_parser(
        "org-backup-policy",
        help="print the AWS Organizations backup policy of an environment's plan",
        description="Print an AWS Organizations BACKUP_POLICY equal to the environment's "
        "Lattice backup plan (rules, retention, cold storage, copies), selecting resources "
        "tagged lattice:backup=<environment> in every member account. Exit codes: 0 "
        "printed, 1 unusable input.",
    )
    parser.add_argument("--environment", "-e", required=True, help="prod, staging, ...")
    parser.add_argument(
        "--region",
        action="append",
        dest="regions",
        required=True,
        help="a region the plan runs in (repeat for more)",
    )
    parser.add_argument("--dr-region", help="the disaster-recovery region copies go to")
    parser.add_argument(
        "--vault-name", default="Default", help="vault in each account (default: Default)"
    )
    parser.add_argument("--dr-vault-name", help="DR vault name (default: lattice-dr-<environment>)")
    parser.add_argument(
        "--role-name",
        default="service-role/AWSBackupDefaultServiceRole",
        help="IAM role AWS Backup assumes in each account",
    )
    parser.add_argument("--format", "-f", choices=("json",), default="json")
    parser.add_argument("--output", "-o", help="write to this file instead of stdout")
    parser.add_argument(
        "--config", type=Path, help="lattice.toml or pyproject.toml (default: nearest one)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    from .._config import load_config
    from .._environments import EnvironmentRegistry
    from .._policy import create_statefulness_policy
    from ..enforce import org_backup_policy

    config = load_config(path=args.config)
    registry = EnvironmentRegistry()
    registry.register_all(config.environments)
    policy = create_statefulness_policy(environment=args.environment, registry=registry)
    document = org_backup_policy(
        policy,
        regions=args.regions,
        dr_region=args.dr_region,
        vault_name=args.vault_name,
        dr_vault_name=args.dr_vault_name,
        role_name=args.role_name,
    )
    text = json.dumps(document, indent=2)
    if args.output not in (None, "-"):
        from pathlib import Path

        from ..enforce._write import write_atomically

        write_atomically(Path(args.output), text + "\n")
        return EXIT_OK
    write_output(text, None)
    return EXIT_OK
