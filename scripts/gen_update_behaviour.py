"""Generate Lattice's update-behaviour data: what changing each property of a
CloudFormation resource does (replaces it, interrupts it, or neither).

Two steps, both deterministic:

``extract GUIDE``
    Reads the ``*Update requires*:`` line of every top-level property of every resource
    type in the CloudFormation User Guide's source (``doc_source/aws-*.md``, the pages
    titled with a type name, in
    ``awsdocs/aws-cloudformation-user-guide``, archived in 2023) and writes them, raw, to
    ``src/lattice_cdk/changes/data/guide_update_requires.json`` with the guide's commit.
    GUIDE is a checkout (a directory holding ``doc_source/``) or a git directory (bare or
    not); for a git directory the newest commit that still has ``doc_source/`` is read.
    To get it::

        git clone --bare https://github.com/awsdocs/aws-cloudformation-user-guide guide.git
        python scripts/gen_update_behaviour.py extract guide.git

``build`` (the default; ``make update-behaviour``)
    Combines that extract with the registry schemas of the installed cfn-lint
    (``createOnlyProperties``, ``conditionalCreateOnlyProperties``, property types and
    ``propertyTransform``) and writes ``src/lattice_cdk/changes/data/update_behaviour.jsonl``.
    ``build --check`` exits 1 when the committed file differs (the drift test runs the
    same function).

How the two sources combine, per property (a path below ``Properties``):

- a registry ``createOnlyProperties`` entry is a replacement (exact by definition);
- otherwise the guide decides: ``Replacement``, ``Some interruptions``, ``No
  interruption``, ``Updates are not supported``, or anything else (a sentence such as
  "Replacement if you edit an existing AttributeDefinition") is conditional, with that
  sentence kept as the condition;
- a property the guide does not describe (newer than 2023) that the registry lists in
  ``conditionalCreateOnlyProperties`` is conditional ("the registry schema marks it
  conditionally create-only"); any other is updatable (interruption not stated).

The registry's ``conditionalCreateOnlyProperties`` is never used where the guide speaks:
it lists every property some value of which *might* replace (RDS ``BackupRetentionPeriod``
among them), far wider than what really replaces.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "lattice_cdk" / "changes" / "data"
EXTRACT = DATA / "guide_update_requires.json"
OUTPUT = DATA / "update_behaviour.jsonl"
GUIDE_REPOSITORY = "awsdocs/aws-cloudformation-user-guide"
_REGION = "us-east-1"

_TITLE = re.compile(r"^# (\S+::\S+::\S+?)\s*<a name=", re.M)
_PROPERTY = re.compile(r"^`([A-Za-z0-9_]+)`\s+<a name=", re.M)
_REQUIRES = re.compile(r"Update requires\*?:?\*?:?\s*(.*)$", re.M | re.I)
_SENTENCE = re.compile(r"^\s*Update requires (replacement .*)$", re.M | re.I)
_LINK = re.compile(r"\[\s*([^\]]+?)\s*\]\([^)]*\)")
_CASE_TRANSFORM = re.compile(r"^\$(lowercase|uppercase)\(([A-Za-z0-9_.]+)\)$")

REPLACEMENT = "replacement"
CONDITIONAL = "conditional"
SOME_INTERRUPTIONS = "some-interruptions"
NO_INTERRUPTION = "no-interruption"
UNSUPPORTED = "unsupported"
UPDATABLE = "updatable"
SCHEMA_CONDITION = (
    "the registry schema marks it conditionally create-only; the User Guide does not describe it"
)


# -- step 1: extract the guide's lines -------------------------------------------------


def extract(guide: Path) -> dict[str, Any]:
    """The raw ``Update requires`` text of each top-level property, by type."""
    commit, files = _guide_files(guide)
    types: dict[str, dict[str, str]] = {}
    for text in files:
        title = _TITLE.search(text)
        if title is None:
            continue
        section = text.split("## Properties", 1)
        if len(section) < 2:
            continue
        body = re.split(r"^## ", section[1], maxsplit=1, flags=re.M)[0]
        props: dict[str, str] = {}
        starts = list(_PROPERTY.finditer(body))
        for i, match in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
            line = _requires(body[match.end() : end])
            if line is not None:
                props[match.group(1)] = line
        if props:
            types[title.group(1)] = dict(sorted(props.items()))
    return {
        "$comment": "The '*Update requires*:' text of each top-level property in the "
        "CloudFormation User Guide's resource reference (links and escapes removed), "
        "extracted by scripts/gen_update_behaviour.py extract. Input to update_behaviour.jsonl.",
        "guide": {"repository": GUIDE_REPOSITORY, "commit": commit},
        "types": dict(sorted(types.items())),
    }


def _requires(block: str) -> str | None:
    match = _REQUIRES.search(block)
    sentence = _SENTENCE.search(block)
    if match is None and sentence is None:
        return None
    raw = match.group(1) if match is not None else sentence.group(1)  # type: ignore[union-attr]
    text = _LINK.sub(r"\1", raw).replace("\\", "").strip()
    return re.sub(r"\s+", " ", text)


def _guide_files(guide: Path) -> tuple[str, Iterator[str]]:
    if (guide / "doc_source").is_dir():
        commit = _git(guide, "rev-parse", "HEAD") or "unknown"
        paths = sorted((guide / "doc_source").glob("aws-*.md"))
        return commit, (p.read_text(encoding="utf-8") for p in paths)
    # The repository was archived with its content deleted: read the newest commit
    # that still has it.
    commit = next(
        (
            c
            for c in _git(guide, "rev-list", "--first-parent", "HEAD").split()
            if _git(guide, "ls-tree", c, "doc_source/aws-resource-rds-dbinstance.md")
        ),
        "",
    )
    if not commit:
        raise SystemExit(f"{guide}: neither a checkout with doc_source/ nor a git directory")
    archive = subprocess.run(
        ["git", "--git-dir", str(_git_dir(guide)), "archive", commit, "doc_source"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = sorted(
            (m for m in tar.getmembers() if Path(m.name).name.startswith("aws-")),
            key=lambda m: m.name,
        )
        texts = [tar.extractfile(m).read().decode("utf-8") for m in members]  # type: ignore[union-attr]
    return commit, iter(texts)


def _git_dir(path: Path) -> Path:
    return path / ".git" if (path / ".git").exists() else path


def _git(path: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "--git-dir", str(_git_dir(path)), *args], capture_output=True, text=True
    )
    return result.stdout.strip() if result.returncode == 0 else ""


# -- step 2: combine with the registry schemas -----------------------------------------


def classify(text: str) -> tuple[str, str | None]:
    """A guide line as ``(behaviour, condition)``."""
    plain = text.rstrip(" .").strip()
    key = plain.lower()
    if key == "replacement":
        return REPLACEMENT, None
    if key == "some interruptions":
        return SOME_INTERRUPTIONS, None
    if key == "no interruption":
        return NO_INTERRUPTION, None
    if key == "updates are not supported":
        return UNSUPPORTED, None
    return CONDITIONAL, text


def build(extract_data: Mapping[str, Any] | None = None) -> str:
    """The text of ``update_behaviour.jsonl`` from the extract and cfn-lint's schemas."""
    if extract_data is None:
        extract_data = json.loads(EXTRACT.read_text(encoding="utf-8"))
    guide: Mapping[str, Mapping[str, str]] = extract_data["types"]
    schemas_dir = _cfn_lint_data() / "schemas"
    providers: dict[str, str] = json.loads(
        (schemas_dir / "providers" / f"{_REGION}.json").read_text(encoding="utf-8")
    )
    types: dict[str, Any] = {}
    for name in sorted({*providers, *guide}):
        schema: Mapping[str, Any] = {}
        if name in providers:
            path = schemas_dir / "resources" / f"{providers[name]}.json"
            schema = json.loads(path.read_text(encoding="utf-8"))
        entry = _type_entry(schema, guide.get(name, {}))
        if entry:
            types[name] = entry
    import cfnlint.version

    header = {
        "$comment": "Generated by scripts/gen_update_behaviour.py from the CloudFormation "
        "User Guide (guide_update_requires.json) and cfn-lint's registry schemas: do not "
        "edit. One JSON object a line: this header, then one line per type, its name first "
        "(Lattice reads only the lines of the types a diff touches). Per type: "
        "'replacement' and 'conditional' (path -> condition) list the "
        "property paths ('/'-joined, '*' for every list item) whose change replaces the "
        "resource, always or on the stated condition; 'some-interruptions', "
        "'no-interruption', 'unsupported' and 'updatable' (interruption not stated) name the "
        "other top-level properties; 'schemas' gives each replacement path's JSON type for "
        "comparing values; 'case_insensitive' the paths compared without case.",
        "guide": extract_data["guide"],
        "cfn_lint": cfnlint.version.__version__,
        "types": len(types),
    }
    lines = [json.dumps(header, sort_keys=True)]
    for name, entry in types.items():  # sorted by name above
        body = json.dumps(entry, sort_keys=True)
        lines.append(f'{{"type": {json.dumps(name)}, {body[1:]}')
    return "\n".join(lines) + "\n"


def _type_entry(schema: Mapping[str, Any], guide: Mapping[str, str]) -> dict[str, Any]:
    create_only = _paths(schema.get("createOnlyProperties"))
    schema_conditional = [
        p for p in _paths(schema.get("conditionalCreateOnlyProperties")) if p not in create_only
    ]
    groups: dict[str, list[str]] = {
        SOME_INTERRUPTIONS: [],
        NO_INTERRUPTION: [],
        UNSUPPORTED: [],
        UPDATABLE: [],
    }
    replacement: set[tuple[str, ...]] = set(create_only)
    conditional: dict[tuple[str, ...], str] = {}
    top_create_only = {p[0] for p in create_only if len(p) == 1}
    for prop in sorted({*(schema.get("properties") or {}), *guide}):
        if prop in top_create_only:
            continue
        if prop in guide:
            behaviour, condition = classify(guide[prop])
        elif (prop,) in schema_conditional:
            behaviour, condition = CONDITIONAL, SCHEMA_CONDITION
        else:
            behaviour, condition = UPDATABLE, None
        if behaviour == REPLACEMENT:
            replacement.add((prop,))
        elif behaviour == CONDITIONAL:
            conditional[(prop,)] = condition or ""
        else:
            groups[behaviour].append(prop)
    # Nested conditional paths count only where the guide is silent on their property.
    for path in schema_conditional:
        if len(path) > 1 and path[0] not in guide and (path[0],) not in replacement:
            conditional.setdefault(path, SCHEMA_CONDITION)
    replacement = _outermost(replacement)
    conditional = {
        p: c
        for p, c in conditional.items()
        if not any(p[: len(q)] == q for q in replacement) and p in _outermost(set(conditional))
    }
    if not replacement and not conditional and not any(groups.values()):
        return {}
    entry: dict[str, Any] = {"source": _source(schema, guide)}
    if replacement:
        entry[REPLACEMENT] = sorted("/".join(p) for p in replacement)
    if conditional:
        entry[CONDITIONAL] = {"/".join(p): c for p, c in sorted(conditional.items())}
    for behaviour, names in groups.items():
        if names:
            entry[behaviour] = names
    types = {
        "/".join(p): trimmed
        for p in sorted({*replacement, *conditional})
        if (trimmed := _trim(schema, _resolve_path(schema, p), 0))
    }
    if types:
        entry["schemas"] = types
    folded = sorted("/".join(p) for p in _case_insensitive(schema) & {*replacement, *conditional})
    if folded:
        entry["case_insensitive"] = folded
    return entry


def _source(schema: Mapping[str, Any], guide: Mapping[str, str]) -> str:
    if schema and guide:
        return "guide+schema"
    return "guide" if guide else "schema"


def _outermost(paths: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    # A parent path covers its children (ECR's EncryptionConfiguration and
    # EncryptionConfiguration/KmsKey): one change is one finding.
    return {p for p in paths if not any(q != p and p[: len(q)] == q for q in paths)}


def _paths(pointers: object) -> list[tuple[str, ...]]:
    if not isinstance(pointers, list):
        return []
    out: list[tuple[str, ...]] = []
    for pointer in pointers:
        parts = str(pointer).strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "properties":
            out.append(tuple(parts[1:]))
    return list(dict.fromkeys(out))


def _case_insensitive(schema: Mapping[str, Any]) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for pointer, expression in (schema.get("propertyTransform") or {}).items():
        path = tuple(str(pointer).strip("/").split("/")[1:])
        # Only a case change of the property itself: "$lowercase(Engine)" on
        # /properties/Engine, or "$lowercase(DBName) $OR $uppercase(DBName)".
        matches = [_CASE_TRANSFORM.match(p.strip()) for p in str(expression).split("$OR")]
        if path and all(m and m.group(2).split(".")[-1] == path[-1] for m in matches):
            out.add(path)
    return out


def _resolve_path(schema: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any]:
    node: Mapping[str, Any] = {"type": "object", "properties": schema.get("properties", {})}
    for part in path:
        node = _deref(schema, node)
        if part == "*":
            node = node.get("items") or {}
        else:
            node = (node.get("properties") or {}).get(part) or {}
    return _deref(schema, node)


def _deref(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    seen = 0
    while isinstance(node.get("$ref"), str) and seen < 16:
        target: Any = root
        for part in str(node["$ref"]).lstrip("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        node = target if isinstance(target, Mapping) else {}
        seen += 1
    return node


def _trim(root: Mapping[str, Any], node: Mapping[str, Any], depth: int) -> dict[str, Any]:
    """Only what comparing values needs (``type``, ``properties``, ``items``), with every
    ``$ref`` followed; string-only leaves are dropped (a string compares as itself)."""
    node = _deref(root, node)
    if depth > 6:
        return {}
    out: dict[str, Any] = {}
    kind = node.get("type")
    if kind is not None and kind != "string" and kind != ["string"]:
        out["type"] = kind
    props = {
        k: t
        for k, v in sorted((node.get("properties") or {}).items())
        if isinstance(v, Mapping) and (t := _trim(root, v, depth + 1))
    }
    if props:
        out["properties"] = props
    items = node.get("items")
    if isinstance(items, Mapping) and (t := _trim(root, items, depth + 1)):
        out["items"] = t
    if set(out) == {"type"} and out["type"] in ("object", "array"):
        return {}
    return out


def _cfn_lint_data() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cfn-lint is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step")
    ex = sub.add_parser("extract", help="re-read the guide's Update requires lines")
    ex.add_argument("guide", type=Path, help="a guide checkout or git directory")
    bd = sub.add_parser("build", help="write update_behaviour.jsonl (the default)")
    bd.add_argument("--check", action="store_true", help="exit 1 if the file would change")
    args = parser.parse_args(argv)
    if args.step == "extract":
        data = extract(args.guide)
        _write(EXTRACT, json.dumps(data, indent=1, sort_keys=True) + "\n")
        print(f"{EXTRACT.relative_to(ROOT)}: {len(data['types'])} types")
        return 0
    text = build()
    if getattr(args, "check", False):
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print(f"{OUTPUT.relative_to(ROOT)} is {'current' if same else 'out of date'}")
        return 0 if same else 1
    _write(OUTPUT, text)
    print(f"{OUTPUT.relative_to(ROOT)}: {json.loads(text.split(chr(10))[0])['types']} types")
    return 0


if __name__ == "__main__":
    sys.exit(main())
