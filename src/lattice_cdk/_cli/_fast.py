"""A fast path for the plain command lines CI runs (``lattice check cdk.out -f json``).

Building the argparse parser imports every verb's module, argparse's help formatter
and gettext's locale lookup: 5-7 ms before any work, a third of what ``lattice check``
spends on a small assembly. :func:`parse` reads the common shapes of ``check``,
``report`` and ``diff`` and returns what argparse would; anything else (``--help``, an
abbreviation, an unknown option, a bad choice, a value that starts with ``-``, too many
or too few paths) returns ``None`` and argparse parses it, with its own help and errors.
``tests/test_cli_fast.py`` holds the two to the same answers and the same options.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import SimpleNamespace

from .._records import Record

__all__ = ["VERBS", "parse"]


class Option(Record):
    """One option of a verb."""

    dest: str
    choices: tuple[str, ...] | None = None
    #: The option's ``default`` (what argparse sets when it is absent).
    default: object = None
    #: Whether the value becomes a ``pathlib.Path`` (``type=Path``).
    path: bool = False
    #: ``store_true``: a flag that takes no value.
    flag: bool = False


class Verb(Record):
    #: The positional's dest; ``many`` means ``nargs="+"`` (else exactly one).
    positional: str
    many: bool
    options: dict[str, Option]
    #: Dests that argparse keeps mutually exclusive.
    exclusive: frozenset[str] = frozenset()


def _check_options(formats: tuple[str, ...]) -> dict[str, Option]:
    environment = Option("environment")
    fmt = Option("format", choices=formats)
    output = Option("output")
    return {
        "--environment": environment,
        "-e": environment,
        "--format": fmt,
        "-f": fmt,
        "--output": output,
        "-o": output,
        "--config": Option("config", path=True),
    }


_OUTPUT = Option("output")

#: What each verb's ``add_parser`` declares, for the verbs CI runs.
VERBS: dict[str, Verb] = {
    "check": Verb(
        "path",
        many=False,
        options={
            **_check_options(("text", "json", "sarif", "markdown")),
            "--lock": Option("lock", path=True),
        },
    ),
    "report": Verb(
        "path", many=False, options=_check_options(("text", "json", "markdown", "html"))
    ),
    "diff": Verb(
        "paths",
        many=True,
        options={
            "--deployed": Option("deployed"),
            "--deployed-all": Option("deployed_all", default=False, flag=True),
            "--region": Option("region"),
            "--profile": Option("profile"),
            "--endpoint-url": Option("endpoint_url"),
            "--format": Option("format", choices=("text", "json", "markdown", "sarif", "refactor")),
            "--output": _OUTPUT,
            "-o": _OUTPUT,
            "--config": Option("config", path=True),
            # change sets (the paths are the files, or with --stack the name) and the
            # refactor mapping's account.
            "--change-set": Option("change_set", default=False, flag=True),
            "--stack": Option("stack"),
            "--lock": Option("lock", path=True),
            "--account": Option("account"),
        },
        exclusive=frozenset({"deployed", "deployed_all", "change_set"}),
    ),
}


def parse(argv: Sequence[str]) -> SimpleNamespace | None:
    """The namespace argparse would return for ``argv``, or ``None`` to let it parse."""
    if not argv or argv[0] not in VERBS:
        return None
    verb = VERBS[argv[0]]
    values: dict[str, object] = {}
    given: set[str] = set()
    positionals: list[str] = []
    run_ended = False  # a nargs="+" positional is one run of arguments
    i = 1
    while i < len(argv):
        arg = argv[i]
        i += 1
        if not arg:
            return None
        if arg[0] != "-":
            if verb.many and positionals and run_ended:
                return None
            positionals.append(arg)
            continue
        if positionals:
            run_ended = True
        name, equals, value = arg.partition("=")
        option = verb.options.get(name)
        if option is None or (equals and not name.startswith("--")):
            return None
        if option.flag:
            if equals:
                return None
            values[option.dest] = True
        else:
            if not equals:
                if i >= len(argv):
                    return None
                value = argv[i]
                i += 1
            if not value or value[0] == "-":
                return None
            if option.choices is not None and value not in option.choices:
                return None
            if option.path:
                from pathlib import Path

                values[option.dest] = Path(value)
            else:
                values[option.dest] = value
        given.add(option.dest)
    if not positionals or (len(positionals) > 1 and not verb.many):
        return None
    if len(verb.exclusive & given) > 1:
        return None
    namespace = SimpleNamespace(command=argv[0])
    for option in verb.options.values():
        setattr(namespace, option.dest, values.get(option.dest, option.default))
    setattr(namespace, verb.positional, positionals if verb.many else positionals[0])
    module = importlib.import_module(f"{__package__}._{argv[0]}_cmd")
    namespace.run = module.run
    return namespace
