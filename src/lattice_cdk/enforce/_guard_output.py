"""Writing Guard rules to a folder: one ``<stack>.guard`` per stack and an index.

File names come from ``Stack.identity`` (``account/region/name`` where CDK resolved
them, else the artifact id, else the name), made safe for a file system; two stacks
whose safe names collide get a short hash each. ``lattice-guard.json`` lists every
file with its stack name and environment (what ``LatticeGuardHook`` and the hook
template read), and files an earlier run listed but this one did not write are
removed, so a deleted stack's rules do not linger in the bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from .._errors import InputError
from .._reading import read_bytes
from ..cfn._limits import MAX_FILE_BYTES
from ._guard_rules import StackRules
from ._write import write_atomically

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["INDEX_FILE", "INDEX_VERSION", "read_index", "rule_file_names", "write_guard_rules"]

INDEX_FILE = "lattice-guard.json"
INDEX_VERSION = 1
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def rule_file_names(rules: Sequence[StackRules]) -> list[str]:
    """A safe, distinct ``.guard`` file name per stack, in order."""
    safe = [_UNSAFE.sub("_", r.identity).strip("._") or "stack" for r in rules]
    counts = Counter(s.lower() for s in safe)
    names = []
    for base, item in zip(safe, rules, strict=True):
        if counts[base.lower()] > 1:
            base += "-" + hashlib.sha256(item.identity.encode()).hexdigest()[:8]
        names.append(base + ".guard")
    return names


def write_guard_rules(rules: Sequence[StackRules], output_dir: Path) -> list[Path]:
    """Write each stack's rules and the index into ``output_dir`` (created if needed)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    previous = _previous_files(output_dir)
    names = rule_file_names(rules)
    written = []
    for name, item in zip(names, rules, strict=True):
        path = output_dir / name
        write_atomically(path, item.text)
        written.append(path)
    index = {
        "lattice_guard_rules": INDEX_VERSION,
        "$comment": "Written by 'lattice guard-rules'; regenerate, do not edit.",
        "stacks": [
            {
                "file": name,
                "stack": item.stack_name,
                "label": item.label,
                "identity": item.identity,
                "environment": item.environment,
                "rules": item.rule_count,
            }
            for name, item in zip(names, rules, strict=True)
        ],
    }
    write_atomically(output_dir / INDEX_FILE, json.dumps(index, indent=2) + "\n")
    for stale in previous - set(names):
        (output_dir / stale).unlink(missing_ok=True)
    return written


def _previous_files(output_dir: Path) -> set[str]:
    path = output_dir / INDEX_FILE
    if not path.exists():
        return set()
    try:
        stacks: list[dict[str, Any]] = read_index(output_dir)["stacks"]
        return {str(s["file"]) for s in stacks}
    except InputError:
        return set()  # an unreadable old index: leave its files alone


def read_index(rules_dir: Path) -> dict[str, Any]:
    """The index ``lattice guard-rules`` wrote in ``rules_dir``; raises
    :class:`~lattice_cdk.InputError` when it is missing or not one."""
    path = rules_dir / INDEX_FILE
    # Checked first for its own message; read_bytes refuses a FIFO or device.
    if not os.path.lexists(path):
        raise InputError(
            f"has no {INDEX_FILE}.",
            location=str(rules_dir),
            fix="write the rules first: lattice guard-rules cdk.out --output-dir DIR.",
            code="missing-input",
        )
    try:
        data = json.loads(read_bytes(path, limit=MAX_FILE_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"is not readable JSON ({exc}).", location=str(path), code="malformed-guard-index"
        ) from None
    stacks = data.get("stacks") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("lattice_guard_rules") != INDEX_VERSION
        or not isinstance(stacks, list)
        or not all(
            isinstance(s, dict) and {"file", "stack", "environment"} <= set(s) for s in stacks
        )
        or any("/" in str(s["file"]) or "\\" in str(s["file"]) for s in stacks)
    ):
        raise InputError(
            f"is not a Lattice guard-rules index of version {INDEX_VERSION}.",
            location=str(path),
            fix="regenerate it: lattice guard-rules cdk.out --output-dir DIR.",
            code="malformed-guard-index",
        )
    return data
