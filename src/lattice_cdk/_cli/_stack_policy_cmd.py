"""``lattice stack-policy PATH``: stack policies that refuse to replace or delete
stateful resources, written out and optionally applied."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from ._common import EXIT_OK, write_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stack-policy",
        help="write (and apply) stack policies that protect stateful resources",
        description="Build, per top-level stack, a CloudFormation stack policy that allows "
        "every update except Update:Replace and Update:Delete on stateful resources. "
        "Prints the policies and the commands to apply them; --output-dir writes one file "
        "per stack; --apply sets them on the deployed stacks through the AWS API.",
    )
    parser.add_argument("path", help="a template, folder of templates or cdk.out")
    parser.add_argument("--stack", action="append", help="only this stack (repeatable)")
    parser.add_argument("--output-dir", type=Path, help="write <stack>.stack-policy.json here")
    parser.add_argument("--apply", action="store_true", help="set the policies on AWS")
    parser.add_argument("--region", help="AWS region (default: AWS_REGION or the profile's)")
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE)")
    parser.add_argument("--endpoint-url", help="CloudFormation endpoint (AWS_ENDPOINT_URL)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--output", "-o", help="write the report to this file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .._errors import InputError
    from ..cfn import load
    from ..changes._stack_policy import apply_command, stack_policies

    assembly = load(args.path)
    policies = stack_policies(assembly)
    if args.stack:
        unknown = [s for s in args.stack if s not in policies]
        if unknown:
            raise InputError(
                f"holds no top-level stack named {', '.join(unknown)} (it has "
                f"{', '.join(policies)}).",
                location=assembly.source,
                code="usage",
            )
        policies = {k: v for k, v in policies.items() if k in args.stack}
    files: dict[str, str] = {}
    if args.output_dir is not None:
        args.output_dir.mkdir(parents=True, exist_ok=True)
        for name, policy in policies.items():
            path = args.output_dir / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.stack-policy.json"
            path.write_text(json.dumps(policy, indent=2) + "\n", encoding="utf-8")
            files[name] = str(path)
    applied: list[str] = []
    if args.apply:
        from ..changes._deployed import cloudformation_client
        from ..changes._stack_policy import apply_stack_policies

        client = cloudformation_client(
            region=args.region, profile=args.profile, endpoint_url=args.endpoint_url
        )
        applied = apply_stack_policies(client, policies)
    if args.format == "json":
        text = json.dumps(
            {
                "stacks": [
                    {
                        "stack": name,
                        "policy": policy,
                        "file": files.get(name),
                        "applied": name in applied,
                    }
                    for name, policy in policies.items()
                ]
            },
            indent=2,
        )
    else:
        lines: list[str] = []
        for name, policy in policies.items():
            denied = len(policy["Statement"]) - 1
            lines.append(
                f"# {name}: "
                + ("protects its stateful resources" if denied else "no stateful resources")
            )
            if name in applied:
                lines.append("applied with cloudformation:SetStackPolicy")
            elif name in files:
                lines.append(apply_command(name, files[name]))
            else:
                lines.append(json.dumps(policy, indent=2))
                lines.append(
                    f"apply: aws cloudformation set-stack-policy --stack-name {name} "
                    "--stack-policy-body file://POLICY.json  (or rerun with --apply)"
                )
            lines.append("")
        lines.append(
            "To update a protected resource on purpose, deploy once with "
            "--stack-policy-during-update-body (aws cloudformation update-stack) or lift the "
            "policy, then set it again."
        )
        text = "\n".join(lines)
    write_output(text, args.output)
    return EXIT_OK
