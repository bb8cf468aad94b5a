"""The command line's fast path answers what argparse answers, or leaves it to argparse."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from lattice_cdk._cli import build_parser
from lattice_cdk._cli._fast import VERBS, parse


def _subparser(verb: str) -> argparse.ArgumentParser:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices[verb]
            return found
    raise AssertionError("no subparsers")


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_fast_spec_matches_the_parser(verb: str) -> None:
    spec = VERBS[verb]
    parser = _subparser(verb)
    options = {}
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:
            assert action.dest == spec.positional
            assert (action.nargs == "+") == spec.many
            assert action.nargs in ("+", None)
            continue
        for option_string in action.option_strings:
            options[option_string] = action
    assert set(options) == set(spec.options)
    for option_string, action in options.items():
        fast = spec.options[option_string]
        assert fast.dest == action.dest, option_string
        assert fast.default == action.default, option_string
        assert fast.choices == (tuple(action.choices) if action.choices else None)
        assert fast.path == (action.type is Path), option_string
        assert fast.flag == isinstance(action, argparse._StoreTrueAction), option_string
    exclusive = {a.dest for g in parser._mutually_exclusive_groups for a in g._group_actions}
    assert exclusive == set(spec.exclusive)


SAME = [
    ["check", "cdk.out"],
    ["check", "cdk.out", "-o", "/dev/null"],
    ["check", "-f", "json", "cdk.out", "--output", "out.json"],
    ["check", "cdk.out", "--format=sarif", "--environment", "prod", "--lock", "l.json"],
    ["check", "cdk.out", "-e", "dev", "--config", "lattice.toml", "-f", "markdown"],
    ["check", "cdk.out", "-f", "json", "-f", "text"],
    ["report", "cdk.out", "-f", "html", "-o", "r.html"],
    ["report", "--format", "json", "t.yaml", "--config=pyproject.toml"],
    ["diff", "old", "new"],
    ["diff", "--format", "json", "old", "new", "-o", "d.json"],
    ["diff", "old", "new", "--config", "c.toml", "--format=markdown"],
    ["diff", "--deployed", "Prod", "new", "--region", "eu-west-1", "--profile", "p"],
    ["diff", "--deployed-all", "new", "--endpoint-url", "http://127.0.0.1:5000"],
    ["diff", "only-new"],
    ["diff", "a", "b", "c"],
    ["check", "a=b"],
]


@pytest.mark.parametrize("argv", SAME, ids=" ".join)
def test_fast_path_gives_what_argparse_gives(argv: list[str]) -> None:
    fast = parse(argv)
    assert fast is not None
    assert vars(fast) == vars(build_parser().parse_args(argv))


LEFT_TO_ARGPARSE = [
    [],
    ["--version"],
    ["policy"],
    ["lock", "cdk.out"],
    ["check"],
    ["check", "--help"],
    ["check", "cdk.out", "-h"],
    ["check", "a", "b"],
    ["check", "cdk.out", "--form", "json"],  # an abbreviation
    ["check", "cdk.out", "-fjson"],
    ["check", "cdk.out", "-f=json"],
    ["check", "cdk.out", "--format", "xml"],
    ["check", "cdk.out", "--format"],
    ["check", "cdk.out", "--format="],
    ["check", "cdk.out", "-o", "-"],
    ["check", "cdk.out", "--"],
    ["check", ""],
    ["check", "-"],
    ["check", "cdk.out", "--unknown"],
    ["report", "cdk.out", "--lock", "l.json"],
    ["report", "cdk.out", "-f", "sarif"],
    ["diff"],
    ["diff", "old", "-o", "x", "new"],
    ["diff", "--deployed", "S", "--deployed-all", "new"],
    ["diff", "--deployed-all=yes", "new"],
    ["diff", "old", "new", "-f", "json"],
]


@pytest.mark.parametrize("argv", LEFT_TO_ARGPARSE, ids=lambda a: " ".join(a) or "(none)")
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert parse(argv) is None
