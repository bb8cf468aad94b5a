"""``lattice stack-policy PATH``: stack policies that refuse to replace or delete
stateful resources, written out and optionally applied."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .._files import refuse_inputs, write_atomic
from ._common import EXIT_OK, EXIT_USAGE, check_aws_options, read_paths, write_output

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..cfn import Assembly, Stack

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stack-policy",
        help="write (and apply) stack policies that protect stateful resources",
        description="Build, per top-level stack, a CloudFormation stack policy that allows "
        "every update except Update:Replace and Update:Delete on stateful resources. "
        "Prints the policies and the commands to apply them; --output-dir writes one file "
        "per stack; --apply sets them on the deployed stacks through the AWS API, in each "
        "stack's own region where the assembly names it. --apply tries every stack and "
        "reports each; exit code 1 when any stack could not be set.",
    )
    parser.add_argument("path", help="a template, folder of templates or cdk.out")
    parser.add_argument(
        "--stack",
        action="append",
        help="only this stack (repeatable): its display name (Prod/Data), stack name "
        "(Prod-Data), artifact id or account/region/name",
    )
    parser.add_argument("--output-dir", type=Path, help="write <stack>.stack-policy.json here")
    parser.add_argument("--apply", action="store_true", help="set the policies on AWS")
    parser.add_argument("--region", help="AWS region (default: AWS_REGION or the profile's)")
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE)")
    parser.add_argument("--endpoint-url", help="CloudFormation endpoint (AWS_ENDPOINT_URL)")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        help="default: json when --output ends in .json, else text",
    )
    parser.add_argument("--output", "-o", help="write the report to this file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..cfn import load
    from ..changes._stack_policy import policy_file_names, stack_policies

    check_aws_options(args)
    assembly = load(args.path)
    for problem in assembly.problems:  # a folder run: what was not read, the run fails
        sys.stderr.write(f"lattice: [{problem.code}] {problem.path}: {problem.reason}\n")
    # What a template leaves to deploy time has no policy statement here: the run fails.
    unevaluated = list(assembly.unevaluated())
    for stack, key, entry in unevaluated:
        sys.stderr.write(
            f"lattice: [cannot-evaluate] {stack.template_path}: cannot evaluate {key!r}: "
            f"{entry.reason}. Fix: {entry.fix}\n"
        )
    policies = stack_policies(assembly)
    if args.stack:
        chosen = _chosen(assembly, args.stack, policies)
        policies = {k: v for k, v in policies.items() if k in chosen}
    stacks = [stack for stack, _ in policies.values()]
    inputs = read_paths(args.path, assembly=assembly)
    if args.output not in (None, "-"):
        refuse_inputs(args.output, inputs)  # before any policy file is written
    files: dict[str, str] = {}
    if args.output_dir is not None:
        args.output_dir.mkdir(parents=True, exist_ok=True)
        for identity, name in policy_file_names(stacks).items():
            path = _inside(args.output_dir, name)
            write_atomic(
                path,
                json.dumps(policies[identity][1], indent=2) + "\n",
                inputs=inputs,
                confine_to=args.output_dir,
            )
            files[identity] = str(path)
    errors: dict[str, str] = {}
    applied: set[str] = set()
    if args.apply:
        for result in _apply(args, policies):
            if result.error is None:
                applied.add(result.identity)
            else:
                errors[result.identity] = result.error
                sys.stderr.write(f"lattice: {result.error}\n")
    fmt = args.format or ("json" if (args.output or "").endswith(".json") else "text")
    if fmt == "json":
        text = json.dumps(
            {
                "stacks": [
                    {
                        "stack": stack.label,
                        "stack_name": stack.name,
                        "identity": identity,
                        "region": stack.region,
                        "policy": policy,
                        "file": files.get(identity),
                        "applied": identity in applied,
                        "error": errors.get(identity),
                    }
                    for identity, (stack, policy) in policies.items()
                ]
            },
            indent=2,
        )
    else:
        text = _text(policies, files=files, applied=applied, errors=errors)
    write_output(text, args.output, inputs=inputs)
    return EXIT_USAGE if errors or assembly.problems or unevaluated else EXIT_OK


def _chosen(
    assembly: Assembly, names: list[str], policies: dict[str, tuple[Stack, Any]]
) -> set[str]:
    """The identities ``--stack`` names pick (each name may pick one stack per region)."""
    from .._errors import InputError

    chosen: set[str] = set()
    unknown: list[str] = []
    for name in names:
        found = [s.identity for s in assembly.find(name) if s.identity in policies]
        if not found:
            unknown.append(name)
        chosen.update(found)
    if unknown:
        from ._common import stack_guess

        raise InputError(
            f"holds no top-level stack named {', '.join(unknown)} (it has "
            f"{', '.join(stack.label for stack, _ in policies.values())})."
            + stack_guess(assembly, unknown),
            location=assembly.source,
            code="usage",
        )
    return chosen


def _apply(args: argparse.Namespace, policies: dict[str, tuple[Stack, Any]]) -> list[Any]:
    """Set every policy, each stack through a client in its own region."""
    from .._errors import InputError
    from ..changes._deployed import cloudformation_client
    from ..changes._stack_policy import apply_stack_policies, redact

    clients: dict[str | None, Any] = {}

    def client_for(stack: Stack) -> Any:
        region = stack.region or args.region
        if region not in clients:
            try:
                clients[region] = cloudformation_client(
                    region=region, profile=args.profile, endpoint_url=args.endpoint_url
                )
            except ValueError as exc:  # botocore: an endpoint URL it cannot use
                raise InputError(
                    redact(f"cannot use the endpoint URL: {exc}"),
                    location="aws",
                    fix="pass a URL such as http://localhost:4566 to --endpoint-url.",
                    code="aws-config",
                ) from None
        return clients[region]

    return apply_stack_policies(client_for, policies)


def _text(
    policies: dict[str, tuple[Stack, Any]],
    *,
    files: dict[str, str],
    applied: set[str],
    errors: dict[str, str],
) -> str:
    from ..changes._stack_policy import apply_command

    lines: list[str] = []
    for identity, (stack, policy) in policies.items():
        denied = len(policy["Statement"]) - 1
        lines.append(
            f"# {stack.label}: "
            + ("protects its stateful resources" if denied else "no stateful resources")
        )
        if identity in applied:
            lines.append("applied with cloudformation:SetStackPolicy")
        elif identity in errors:
            lines.append(f"NOT applied: {errors[identity]}")
        elif identity in files:
            lines.append(apply_command(stack, files[identity]))
        else:
            lines.append(json.dumps(policy, indent=2))
            lines.append(f"apply: {apply_command(stack, 'POLICY.json')}  (or rerun with --apply)")
        lines.append("")
    if errors:
        lines.append(f"{len(errors)} of {len(policies)} stack policies could not be set.")
    lines.append(
        "To update a protected resource on purpose, deploy once with "
        "--stack-policy-during-update-body (aws cloudformation update-stack) or lift the "
        "policy, then set it again."
    )
    return "\n".join(lines)


def _inside(folder: Path, name: str) -> Path:
    """``folder / name``, refused unless it stays in ``folder``: a file name comes from
    a stack name, which the input chooses."""
    from .._errors import ErrorCode, InputError

    path = folder / name
    if Path(name).name != name or not path.resolve().is_relative_to(folder.resolve()):
        raise InputError(
            f"the policy file name {name!r} would leave the output folder.",
            location=str(folder),
            fix="rename the stack so that its name is a plain file name.",
            code=ErrorCode.UNSAFE_PATH,
        )
    return path
