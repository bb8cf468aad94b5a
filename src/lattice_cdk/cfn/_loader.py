"""Load CloudFormation: a template file (JSON or YAML with short tags), a folder of
templates, or a CDK cloud assembly (``cdk.out``) with its nested stacks and the nested
assemblies of its Stages.

A template file or a cloud assembly that cannot be used raises
:class:`~lattice_cdk.InputError` naming the file. A folder run reads every file it can:
each file or folder it cannot read (or does not follow: a symbolic link to a folder) is
an :class:`InputProblem` in :attr:`Assembly.problems`, and the rest is loaded. Files in
a folder that are not templates (``package.json``, a web app's ``manifest.json``) are
not inputs and are passed over; so are the folders in ``SKIPPED_FOLDERS``.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from .._errors import InputError
from .._records import replace
from ._assembly import MANIFEST, assembly_stacks, is_assembly_manifest, load_assembly
from ._model import Assembly, InputProblem, Stack
from ._read import (
    close_budget,
    decode,
    expect_input,
    parse,
    parse_budget,
    read_bytes,
    read_json,
)
from ._template import TEMPLATE_SUFFIXES, load_template_file, parse_template, template_stack

__all__ = [
    "SKIPPED_FOLDERS",
    "expect_input",
    "load",
    "load_template_file",
    "parse_template",
]

#: Folders a scan never enters: dependencies and tool state, not templates.
SKIPPED_FOLDERS = frozenset({"node_modules", ".git", ".venv", "venv", ".tox", "__pycache__"})


def load(path: str | Path) -> Assembly:
    """Load every stack at ``path``: a template file, a folder, or a cloud assembly.

    The process's garbage collector is left alone (the ``lattice`` command pauses it for
    its own run); the JSON parser is picked for this load, or for the CLI's whole run."""
    token = parse_budget()
    try:
        return _load(Path(path))
    finally:
        close_budget(token)


def _load(root: Path) -> Assembly:
    if not os.path.lexists(root):
        raise InputError(
            "no such file or folder.",
            location=str(root),
            fix="pass a template file, a folder of templates, or a cdk.out folder.",
            code="missing-input",
        )
    if not root.is_dir():
        if root.name == MANIFEST:
            return _qualified(load_assembly(root.parent))
        return Assembly(source=str(root), stacks=(load_template_file(root),))
    if (root / MANIFEST).is_file():
        manifest = read_json(root / MANIFEST)
        # A web app's manifest.json does not make its folder a cloud assembly.
        if is_assembly_manifest(manifest):
            return _qualified(load_assembly(root, manifest=manifest))
    assembly = _load_folder(root)
    if not assembly.stacks and not assembly.problems:
        raise InputError(
            "holds no CloudFormation template (no manifest.json, and no .json/.yaml file "
            "with a Resources section).",
            location=str(root),
            fix="run 'cdk synth' first, or point at the template itself.",
            code="empty-input",
        )
    return _qualified(assembly)


def _load_folder(root: Path) -> Assembly:
    files, problems = _scan(root)
    # A cloud assembly inside the folder (a project's cdk.out) is read as an assembly,
    # with its manifest, not as loose files; a manifest.json of anything else is a file.
    manifests: dict[Path, object] = {}
    for path in files:
        if path.name != MANIFEST:
            continue
        try:
            data = parse(read_bytes(path), location=str(path))
        except InputError as exc:
            problems.append(_problem(exc, path))
            continue
        if is_assembly_manifest(data):
            manifests[path.parent] = data
    assemblies = [a for a in manifests if not any(o in a.parents for o in manifests)]
    stacks: list[Stack] = []
    for folder in assemblies:
        try:
            stacks.extend(assembly_stacks(folder, manifest=manifests[folder]))
        except InputError as exc:
            problems.append(_problem(exc, folder / MANIFEST))
    for path in files:
        if path.suffix not in TEMPLATE_SUFFIXES or any(a in path.parents for a in assemblies):
            continue
        if path.name == MANIFEST and path.parent in manifests:
            continue
        try:
            stack = _folder_template(path)
        except InputError as exc:
            problems.append(_problem(exc, path))
            continue
        if stack is not None:
            stacks.append(stack)
    problems.sort(key=lambda p: p.path)
    return Assembly(source=str(root), stacks=tuple(stacks), problems=tuple(problems))


def _scan(root: Path) -> tuple[list[Path], list[InputProblem]]:
    """The files under ``root`` (sorted), and the folders that could not be listed or
    were not followed."""
    problems: list[InputProblem] = []
    files: list[Path] = []

    def unreadable(error: OSError) -> None:
        if Path(error.filename or root) == root:
            raise InputError(
                f"cannot be read ({error.strerror}).", location=str(root), code="missing-input"
            )
        problems.append(
            InputProblem(
                str(error.filename), f"cannot be read ({error.strerror}).", "missing-input"
            )
        )

    for folder, dirs, names in os.walk(root, onerror=unreadable):
        here = Path(folder)
        kept = []
        for name in sorted(dirs):
            if name in SKIPPED_FOLDERS:
                continue
            if os.path.islink(here / name):
                problems.append(
                    InputProblem(
                        str(here / name),
                        "is a symbolic link to a folder, which a folder scan does not follow "
                        "(pass its target to read it).",
                        "not-followed",
                    )
                )
                continue
            kept.append(name)
        dirs[:] = kept
        files.extend(here / name for name in names)
    files.sort()
    return files, problems


def _folder_template(path: Path) -> Stack | None:
    """The template at ``path`` in a folder, or ``None`` when it is not a template."""
    raw = read_bytes(path)
    decode(raw, location=str(path))  # unreadable text is a problem, template or not
    # A folder may hold other JSON/YAML (package.json, configs): only templates count.
    if b"Resources" not in raw:
        return None
    data = parse(raw, location=str(path))
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        return None
    return template_stack(data, path=path, source=raw)


def _problem(error: InputError, path: Path) -> InputProblem:
    location = error.location or str(path)
    message = error.message.removeprefix(f"{location}: ")
    if error.fix:
        message += f" Fix: {error.fix}"
    return InputProblem(location, message, error.code)


def _qualified(assembly: Assembly) -> Assembly:
    """``assembly`` with a qualifier on each stack whose label another stack shares (so
    every label a user reads names one stack)."""
    groups: dict[str, list[Stack]] = defaultdict(list)
    for stack in assembly.stacks:
        groups[stack.label].append(stack)
    if all(len(group) == 1 for group in groups.values()):
        return assembly
    qualifiers: dict[int, str] = {}
    for group in groups.values():
        if len(group) > 1:
            for stack, qualifier in zip(group, _qualifiers(group, assembly.source), strict=True):
                qualifiers[id(stack)] = qualifier
    stacks = tuple(
        replace(s, qualifier=qualifiers[id(s)]) if id(s) in qualifiers else s
        for s in assembly.stacks
    )
    return replace(assembly, stacks=stacks)


def _qualifiers(group: Iterable[Stack], source: str) -> list[str]:
    """What tells the stacks of ``group`` apart: their regions, else their accounts and
    regions, else their template files (relative to ``source``)."""
    stacks = list(group)
    for parts in (
        lambda s: s.region,
        lambda s: f"{s.account}/{s.region}" if s.account and s.region else None,
    ):
        values = [parts(s) for s in stacks]
        if None not in values and len(set(values)) == len(values):
            return [str(v) for v in values]
    return [os.path.relpath(s.template_path, source) for s in stacks]
