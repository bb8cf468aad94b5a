"""``lattice destroy-plan``: what deleting each stack would do to its stateful data.

lattice destroy-plan PATH              the stacks of a template, folder or cdk.out
lattice destroy-plan --deployed PATH   the same stacks as deployed (by stack name), with
                                       termination protection and physical ids
"""

from __future__ import annotations

from .._errors import InputError
from ._common import write_output

_FORMATS = ("text", "json", "markdown")

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any

    from ..cfn import InputProblem
    from ..changes._destroy import StackPlan

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "destroy-plan",
        help="list what deleting each stack would do to its stateful resources",
        description="For every stateful resource of every stack in PATH: deleted with its "
        "data, a final snapshot taken, retained (left behind, with the command that deletes "
        "it later), or blocked (termination protection, deletion protection, a bucket that "
        "is not empty, a backup vault with recovery points or a lock). With --deployed the "
        "stacks are read from CloudFormation by name.",
        epilog="Exit codes: 0 plan written, 1 unusable input, 70 internal error (a bug).",
    )
    parser.add_argument("path", metavar="PATH", help="a template, a folder or a cdk.out")
    parser.add_argument(
        "--deployed", action="store_true", help="plan the deployed stacks of the same names"
    )
    parser.add_argument("--region", help="AWS region (default: AWS_REGION or the profile's)")
    parser.add_argument("--profile", help="AWS profile (default: AWS_PROFILE)")
    parser.add_argument(
        "--endpoint-url", help="CloudFormation endpoint (default: AWS_ENDPOINT_URL)"
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=_FORMATS,
        help="default: what --output's suffix names (.json, .md), else text",
    )
    parser.add_argument("--output", "-o", help="write to this file instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..cfn import load
    from ..changes._destroy import destroy_plan

    assembly = load(args.path)
    stacks = [s for s in assembly.stacks if s.parent is None]
    physical: dict[str, dict[str, str]] = {}
    source = assembly.source
    if args.deployed:
        from .._records import replace
        from ..changes._deployed import cloudformation_client, deployed_assembly, stack_details

        client = cloudformation_client(
            region=args.region, profile=args.profile, endpoint_url=args.endpoint_url
        )
        deployed, missing = deployed_assembly(client, [s.name for s in stacks])
        if missing:
            raise InputError(
                f"not deployed: {', '.join(missing)}.",
                location="cloudformation",
                fix="check the stack names, --region and --profile, or plan PATH without "
                "--deployed.",
                code="not-deployed",
            )
        stacks = []
        for stack in deployed.stacks:
            protection, ids = stack_details(client, stack.name)
            stacks.append(replace(stack, termination_protection=protection))
            physical[stack.name] = ids
        source = f"deployed ({', '.join(s.name for s in stacks)})"
    plans = destroy_plan(stacks, physical_ids=physical)
    from ._suffix import format_for

    fmt = format_for(args.format, args.output, _FORMATS)
    render = {"text": _text, "json": _json, "markdown": _markdown}[fmt]
    # A stack in a file a folder run could not read is in no plan: each is listed.
    write_output(render(plans, source, assembly.problems), args.output)
    return 0


_NOT_READ = "Not read, so not planned (lattice check warns of each)"


def _text(plans: list[StackPlan], source: str, problems: Sequence[InputProblem]) -> str:
    lines = [f"Destroy plan: {source}"]
    if problems:
        lines += ["", f"{_NOT_READ}:"]
        lines += [f"  {p.path}: [{p.code}] {p.reason}" for p in problems]
    for plan in plans:
        lines.append("")
        lines.append(plan.summary())
        for item in plan.items:
            physical = f" ({item.physical_id})" if item.physical_id else ""
            lines.append(f"  {item.fate:<8}  {item.type} {item.logical_id}{physical}")
            lines.append(f"            {item.detail}")
            if item.cleanup:
                lines.append(f"            later: {item.cleanup}")
    return "\n".join(lines) + "\n"


def _json(plans: list[StackPlan], source: str, problems: Sequence[InputProblem]) -> str:
    import json

    data = {
        "source": source,
        "not_read": [{"path": p.path, "reason": p.reason, "code": p.code} for p in problems],
        "stacks": [
            {
                "stack": plan.stack,
                "summary": plan.summary(),
                "termination_protection": plan.termination_protection,
                "counts": plan.counts(),
                "resources": [
                    {
                        "logical_id": i.logical_id,
                        "type": i.type,
                        "fate": i.fate,
                        "detail": i.detail,
                        "cleanup": i.cleanup,
                        "physical_id": i.physical_id,
                        "construct_path": i.construct_path,
                    }
                    for i in plan.items
                ],
            }
            for plan in plans
        ],
    }
    return json.dumps(data, indent=2) + "\n"


def _markdown(plans: list[StackPlan], source: str, problems: Sequence[InputProblem]) -> str:
    lines = [f"# Destroy plan: {source}"]
    if problems:
        lines += ["", f"**{_NOT_READ}:**", ""]
        lines += [f"- `{p.path}`: [{p.code}] {p.reason}" for p in problems]
    for plan in plans:
        lines += ["", f"## {plan.stack}", "", f"**{plan.summary()}**", ""]
        if not plan.items:
            continue
        lines += [
            "| Fate | Resource | Type | What happens | Clean up later |",
            "|---|---|---|---|---|",
        ]
        for i in plan.items:
            cleanup = f"`{i.cleanup}`" if i.cleanup else ""
            detail = i.detail.replace("|", "\\|")
            lines.append(f"| {i.fate} | {i.logical_id} | {i.type} | {detail} | {cleanup} |")
    return "\n".join(lines) + "\n"
