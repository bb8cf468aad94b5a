"""Load CloudFormation: a template file (JSON or YAML with short tags), a folder of
templates, or a CDK cloud assembly (``cdk.out``) with its nested stacks and the nested
assemblies of its Stages.

Every problem with the input raises :class:`~lattice_cdk.InputError` naming the file;
nothing is skipped silently except files in a plain folder that are not templates.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from .._errors import InputError
from ._model import Assembly, LazyResources, Stack

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["expect_input", "load", "load_template_file", "parse_template"]

MANIFEST = "manifest.json"
_TEMPLATE_SUFFIXES = (".json", ".yaml", ".yml", ".template")
# Folders a scan never enters: dependencies and tool state, not templates.
_SKIPPED_FOLDERS = frozenset({"node_modules", ".git", ".venv", "venv", ".tox", "__pycache__"})
_STACK_ARTIFACT = "aws:cloudformation:stack"
_NESTED_ASSEMBLY = "cdk:cloud-assembly"
_ASSET_PATH = "aws:asset:path"
_ACKNOWLEDGED_RULES = "aws:cdk:acknowledged-rules"
_LOGICAL_ID = "aws:cdk:logicalId"
_ASSET_MANIFEST = "cdk:asset-manifest"
_NESTED_STACK = "AWS::CloudFormation::Stack"
_ASSET_KEY = re.compile(r"/([0-9a-f]{64})\.json")

# JSON parsing is most of a big load. orjson (when installed) parses in about half the
# time of the standard library, but importing it costs about 8 ms (it loads dataclasses,
# uuid, datetime), which pays off from about 6 MB of JSON. So a process uses it once it
# has this many bytes to parse: what it has read, plus the templates a cloud assembly's
# manifest lists (counted up front, so a big assembly uses it from its first template).
ORJSON_FROM_BYTES = 8 << 20
_json_bytes = 0
_expected_bytes = 0
_fast_loads: Callable[[bytes], Any] | None = None
_fast_missing = False
_JSON_START = re.compile(rb"[ \t\r\n]*[{\[]")
# orjson reads an integer beyond 64 bits as a float, where the standard library keeps it
# exact; such a number has at least 19 digits. Digits are mapped to "0" so that find()
# spots runs; a long digit run inside a string only costs the slower parse.
_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * 19
_LONG_DIGIT_RUN_RE = re.compile(rb"[0-9]{19}")


def load(path: str | Path) -> Assembly:
    """Load every stack at ``path``: a template file, a folder, or a cloud assembly."""
    # Parsed templates are acyclic and all stay alive: the cyclic GC would only rescan
    # a growing heap on every allocation burst (loading got superlinear in size).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(path)
    finally:
        if enabled:
            gc.enable()


def _load(path: str | Path) -> Assembly:
    root = Path(path)
    if not root.exists():
        raise InputError(
            "no such file or folder.",
            location=str(root),
            fix="pass a template file, a folder of templates, or a cdk.out folder.",
            code="missing-input",
        )
    if root.is_file():
        if root.name == MANIFEST:
            return _load_assembly(root.parent)
        return Assembly(source=str(root), stacks=(load_template_file(root),))
    if (root / MANIFEST).is_file():
        return _load_assembly(root)
    stacks = tuple(_load_folder(root))
    if not stacks:
        raise InputError(
            "holds no CloudFormation template (no manifest.json, and no .json/.yaml file "
            "with a Resources section).",
            location=str(root),
            fix="run 'cdk synth' first, or point at the template itself.",
            code="empty-input",
        )
    return Assembly(source=str(root), stacks=stacks)


def load_template_file(
    path: Path,
    *,
    name: str | None = None,
    construct_paths: Mapping[str, str] | None = None,
    **stack_fields: Any,
) -> Stack:
    """Load one template file into a :class:`Stack` (named after the file by default).

    ``construct_paths`` (logical id -> CDK construct path, from the assembly's metadata)
    fills in paths the template's ``aws:cdk:path`` metadata does not carry.
    """
    location = str(path)
    template = _parse(_read_bytes(path), location=location)
    by_type = _check_shape(template, location=location)
    return _stack(
        template,
        by_type,
        path=path,
        name=name or _stem(path),
        paths=construct_paths or {},
        **stack_fields,
    )


def parse_template(text: str, *, location: str) -> dict[str, Any]:
    """Parse template text (JSON, else YAML with CloudFormation short tags) and check its
    shape."""
    data = _parse_text(text, location=location)
    _check_shape(data, location=location)
    return data  # type: ignore[no-any-return]


def _parse(data: bytes, *, location: str) -> Any:
    """Parse a template file's bytes: JSON (with orjson on big inputs), else YAML."""
    parsed = _fast_json(data)
    if parsed is not _NOT_PARSED:
        return parsed
    return _parse_text(_decode(data, location=location), location=location)


_NOT_PARSED = object()


def _fast_json(data: bytes) -> Any:
    """``data`` parsed by orjson, or ``_NOT_PARSED`` when the standard library must.

    Whatever orjson accepts, it reads as ``json.loads`` would (the digit-run guard
    covers the one difference: big integers). What it rejects (NaN, lone surrogates,
    invalid UTF-8, a syntax error) goes to the standard library, which accepts it as
    before or words the error as before.
    """
    global _json_bytes, _fast_loads, _fast_missing
    _json_bytes += len(data)
    if _fast_loads is None:
        if _fast_missing or max(_json_bytes, _expected_bytes) < ORJSON_FROM_BYTES:
            return _NOT_PARSED
        try:
            import orjson
        except ImportError:
            _fast_missing = True
            return _NOT_PARSED
        _fast_loads = orjson.loads
    if not _JSON_START.match(data) or _has_long_digit_run(data):
        return _NOT_PARSED
    try:
        return _fast_loads(data)
    except ValueError:  # orjson.JSONDecodeError
        return _NOT_PARSED


def _has_long_digit_run(data: bytes) -> bool:
    """Whether ``data`` holds 19 digits in a row, looking at a sixth of it first.

    Any 19 positions in a row include three multiples of 6, so a run shows as three
    digits in a row in ``data[::6]``; only around such a sample is ``data`` searched.
    When samples like that abound, one full scan is cheaper.
    """
    sampled = data[::6].translate(_DIGITS)
    budget = len(data) >> 10
    at = sampled.find(b"000")
    while at >= 0:
        if budget <= 0:
            return data.translate(_DIGITS).find(_LONG_DIGIT_RUN) >= 0
        budget -= 1
        # Digits at 6a, 6a+6 and 6a+12: a run through them has 19 digits in
        # [6a-6, 6a+18].
        if _LONG_DIGIT_RUN_RE.search(data, max(0, 6 * at - 6), 6 * at + 19):
            return True
        at = sampled.find(b"000", at + 1)
    return False


def _parse_text(text: str, *, location: str) -> Any:
    stripped = text.lstrip()
    if not stripped:
        raise InputError("is empty.", location=location, code="malformed-template")
    if stripped[0] in "{[":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
                location=location,
                code="malformed-template",
            ) from None
    from ._yaml import load_yaml  # YAML costs an import; JSON templates never pay it

    return load_yaml(text, location=location)


def _check_shape(data: object, *, location: str) -> dict[str, list[str]]:
    """Raise unless ``data`` is a template; return its logical ids by resource type.

    The index comes from the same pass as the check: on a big assembly a second walk
    over every resource (for nested stacks, for the checker's type dispatch) costs as
    much as the check itself.
    """
    if not isinstance(data, dict):
        raise InputError(
            f"is not a CloudFormation template (the top level is a {type(data).__name__}, "
            "not a mapping).",
            location=location,
            code="not-a-template",
        )
    resources = data.get("Resources")
    if not isinstance(resources, dict):
        raise InputError(
            "is not a CloudFormation template: it has no 'Resources' mapping.",
            location=location,
            fix="point at a synthesized template (cdk.out/*.template.json).",
            code="not-a-template",
        )
    # Hot on big assemblies: plain type() checks, one pass.
    by_type: dict[str, list[str]] = {}
    for logical_id, body in resources.items():
        if type(body) is not dict or type(resource_type := body.get("Type")) is not str:
            raise InputError(
                f"resource {logical_id!r} has no 'Type' string.",
                location=location,
                code="malformed-template",
            )
        props = body.get("Properties")
        meta = body.get("Metadata")
        if (props is not None and type(props) is not dict) or (
            meta is not None and type(meta) is not dict
        ):
            key = "Properties" if props is not None and type(props) is not dict else "Metadata"
            raise InputError(
                f"resource {logical_id!r} has '{key}' that is not a mapping.",
                location=location,
                code="malformed-template",
            )
        ids = by_type.get(resource_type)
        if ids is None:
            by_type[resource_type] = [logical_id]
        else:
            ids.append(logical_id)
    return by_type


def _stack(
    template: Mapping[str, Any],
    by_type: dict[str, list[str]],
    *,
    path: Path,
    name: str,
    paths: Mapping[str, str],
    **fields: Any,
) -> Stack:
    resources = LazyResources(template["Resources"], paths, by_type=by_type)
    return Stack(
        name=name, template_path=str(path), template=template, resources=resources, **fields
    )


def _load_folder(root: Path) -> Iterator[Stack]:
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not _SKIPPED_FOLDERS.intersection(p.relative_to(root).parts)
    )
    # A cloud assembly inside the folder (a project's cdk.out) is read as an assembly,
    # with its manifest, not as loose files.
    manifests = [p.parent for p in files if p.name == MANIFEST]
    assemblies = [a for a in manifests if not any(o in a.parents for o in manifests)]
    seen: set[Path] = set()
    for assembly in assemblies:
        yield from _assembly_stacks(assembly, prefix=None, seen=seen)
    for path in files:
        if path.suffix not in _TEMPLATE_SUFFIXES or any(a in path.parents for a in assemblies):
            continue
        raw = _read_bytes(path)
        _decode(raw, location=str(path))  # unreadable text is an error, template or not
        # A folder may hold other JSON/YAML (package.json, configs): only templates count.
        if b"Resources" not in raw:
            continue
        data = _parse(raw, location=str(path))
        if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
            continue
        by_type = _check_shape(data, location=str(path))
        yield _stack(data, by_type, path=path, name=_stem(path), paths={})


def _load_assembly(root: Path) -> Assembly:
    stacks = list(_assembly_stacks(root, prefix=None, seen=set()))
    if not stacks:
        raise InputError(
            "is a cloud assembly with no stacks.",
            location=str(root / MANIFEST),
            fix="check that the CDK app adds at least one Stack before app.synth().",
            code="empty-input",
        )
    return Assembly(source=str(root), stacks=tuple(stacks), is_cloud_assembly=True)


def _assembly_stacks(root: Path, *, prefix: str | None, seen: set[Path]) -> Iterator[Stack]:
    manifest_path = root / MANIFEST
    if manifest_path.resolve() in seen:
        return
    seen.add(manifest_path.resolve())
    manifest = _read_json(manifest_path)
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        raise InputError(
            "is not a cloud assembly manifest (no 'artifacts' mapping).",
            location=str(manifest_path),
            code="not-a-template",
        )
    _expect_templates(root, artifacts)
    assets: dict[str, str] | None = None
    for artifact_id, artifact in artifacts.items():
        if not isinstance(artifact, dict):
            continue
        kind = artifact.get("type")
        props = artifact.get("properties") or {}
        if kind == _STACK_ARTIFACT:
            template_file = props.get("templateFile")
            if not isinstance(template_file, str):
                raise InputError(
                    f"stack artifact {artifact_id!r} names no templateFile.",
                    location=str(manifest_path),
                    code="malformed-template",
                )
            tags = props.get("tags") or {}
            account, region = _environment(artifact.get("environment"))
            metadata = _artifact_metadata(root, artifact)
            display_name = artifact.get("displayName") or artifact_id
            logical_paths = _logical_paths(metadata)
            stack_prefix = "/" + display_name
            stack = load_template_file(
                root / template_file,
                name=props.get("stackName") or artifact_id,
                construct_paths=_own_paths(logical_paths, stack_prefix),
                display_name=display_name,
                termination_protection=bool(props.get("terminationProtection", False)),
                tags=tags if isinstance(tags, dict) else {},
                artifact_id=artifact_id,
                account=account,
                region=region,
                cdk_acknowledgements=_acknowledgements(metadata),
            )
            yield stack
            if _NESTED_STACK in stack.resources_by_type():
                if assets is None:
                    assets = _asset_sources(root, artifacts)
                yield from _nested_stacks(root, stack, assets, logical_paths)
        elif kind == _NESTED_ASSEMBLY:
            directory = props.get("directoryName")
            if isinstance(directory, str):
                yield from _assembly_stacks(root / directory, prefix=artifact_id, seen=seen)


def expect_input(*paths: str | Path) -> None:
    """Tell the loader that this process will load all of ``paths`` (``lattice diff``
    loads two assemblies), so that it picks its JSON parser for the total (see
    ``ORJSON_FROM_BYTES``). Only speed depends on it. Counts a file's size, and the
    ``.json`` files directly in a folder."""
    global _expected_bytes
    total = _json_bytes
    for path in paths:
        try:
            if os.path.isdir(path):
                with os.scandir(path) as entries:
                    total += sum(
                        e.stat().st_size
                        for e in entries
                        if e.name.endswith(".json") and e.is_file()
                    )
            else:
                total += os.stat(path).st_size
        except OSError:
            continue  # load() reports it
    _expected_bytes = max(_expected_bytes, total)


def _expect_templates(root: Path, artifacts: Mapping[str, Any]) -> None:
    """Count the bytes of the stack templates ``artifacts`` lists (see
    ``ORJSON_FROM_BYTES``); a missing file counts nothing here and fails when read."""
    global _expected_bytes
    total = _json_bytes
    for artifact in artifacts.values():
        if isinstance(artifact, dict) and artifact.get("type") == _STACK_ARTIFACT:
            template_file = (artifact.get("properties") or {}).get("templateFile")
            if isinstance(template_file, str):
                with contextlib.suppress(OSError):
                    total += os.stat(root / template_file).st_size
    _expected_bytes = max(_expected_bytes, total)


def _nested_stacks(
    root: Path,
    parent: Stack,
    assets: dict[str, str],
    logical_paths: list[tuple[str, str]],
) -> Iterator[Stack]:
    for logical_id in parent.resources_by_type().get(_NESTED_STACK, ()):
        resource = parent.resources[logical_id]
        asset = resource.metadata.get(_ASSET_PATH)
        if not isinstance(asset, str):
            # Without asset metadata (plain app.synth()), follow the template URL's
            # object key to the file the asset manifest says it came from.
            match = _ASSET_KEY.search(json.dumps(resource.properties.get("TemplateURL")))
            asset = assets.get(match.group(1)) if match else None
        if not isinstance(asset, str) or not (root / asset).is_file():
            continue  # a nested stack from a URL: its template is not in the assembly
        path = resource.construct_path
        # ".../Tables.NestedStack/Tables.NestedStackResource" -> ".../Tables"
        prefix = None
        if path and path.endswith(".NestedStackResource"):
            prefix = "/" + path.rsplit("/", 1)[0].removesuffix(".NestedStack")
        nested = load_template_file(
            root / asset,
            name=f"{parent.name}/{resource.logical_id}",
            construct_paths=_own_paths(logical_paths, prefix) if prefix else None,
            display_name=(prefix or "").lstrip("/") or f"{parent.label}/{resource.logical_id}",
            tags=parent.tags,
            account=parent.account,
            region=parent.region,
            cdk_acknowledgements=parent.cdk_acknowledgements,
            parent=parent.name,
            parent_logical_id=resource.logical_id,
        )
        yield nested
        yield from _nested_stacks(root, nested, assets, logical_paths)


def _artifact_metadata(root: Path, artifact: Mapping[str, Any]) -> dict[str, Any]:
    """A stack's construct metadata: inline in the manifest, or (newer CDK) in the file
    ``additionalMetadataFile`` names."""
    metadata: dict[str, Any] = {}
    inline = artifact.get("metadata")
    if isinstance(inline, dict):
        metadata.update(inline)
    extra = artifact.get("additionalMetadataFile")
    if isinstance(extra, str) and (root / extra).is_file():
        data = _read_json(root / extra)
        if isinstance(data, dict):
            metadata.update(data)
    return metadata


def _metadata_entries(
    metadata: Mapping[str, Any], entry_type: str, data_type: type
) -> Iterator[tuple[str, Any]]:
    """(construct path, data) of every assembly metadata entry of ``entry_type`` whose
    data is a ``data_type``."""
    for path, entries in metadata.items():
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if (
                isinstance(entry, dict)
                and entry.get("type") == entry_type
                and isinstance(entry.get("data"), data_type)
            ):
                yield path, entry["data"]


def _logical_paths(metadata: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(construct path, logical id) for every resource the metadata names."""
    return list(_metadata_entries(metadata, _LOGICAL_ID, str))


def _own_paths(logical_paths: list[tuple[str, str]], prefix: str) -> dict[str, str]:
    """Logical id -> construct path for the resources directly in the stack at
    ``prefix`` (not in its nested stacks, which have their own templates)."""
    nested = [
        "/" + p.lstrip("/").rsplit("/", 1)[0].removesuffix(".NestedStack") + "/"
        for p, _ in logical_paths
        if p.startswith(prefix + "/") and p.endswith(".NestedStackResource")
    ]
    own: dict[str, str] = {}
    for path, logical_id in logical_paths:
        if path.startswith(prefix + "/") and not any(path.startswith(n) for n in nested):
            own[logical_id] = path.lstrip("/")
    return own


def _asset_sources(root: Path, artifacts: Mapping[str, Any]) -> dict[str, str]:
    """Asset object key (``<hash>``) -> source file, from the asset manifests."""
    sources: dict[str, str] = {}
    for artifact in artifacts.values():
        if not isinstance(artifact, dict) or artifact.get("type") != _ASSET_MANIFEST:
            continue
        file = (artifact.get("properties") or {}).get("file")
        if not isinstance(file, str) or not (root / file).is_file():
            continue
        data = _read_json(root / file)
        files = data.get("files") if isinstance(data, dict) else None
        for key, entry in (files or {}).items():
            source = entry.get("source") if isinstance(entry, dict) else None
            path = source.get("path") if isinstance(source, dict) else None
            if isinstance(path, str):
                sources[key] = path
    return sources


def _environment(value: object) -> tuple[str | None, str | None]:
    """Account and region of ``aws://account/region``; ``unknown-*`` become ``None``."""
    if not isinstance(value, str) or not value.startswith("aws://"):
        return None, None
    account, _, region = value[len("aws://") :].partition("/")
    return (
        None if not account or account.startswith("unknown-") else account,
        None if not region or region.startswith("unknown-") else region,
    )


def _acknowledgements(metadata: object) -> dict[str, dict[str, str]]:
    """CDK's acknowledgement records (``aws:cdk:acknowledged-rules``) by construct path."""
    found: dict[str, dict[str, str]] = {}
    if not isinstance(metadata, dict):
        return found
    for path, data in _metadata_entries(metadata, _ACKNOWLEDGED_RULES, dict):
        found.setdefault(path, {}).update({str(k): str(v) for k, v in data.items()})
    return found


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file.", location=str(path), code="missing-input") from None
    except OSError as exc:
        raise InputError(
            f"cannot be read ({exc.strerror}).", location=str(path), code="missing-input"
        ) from None


def _decode(data: bytes, *, location: str) -> str:
    """The text ``Path.read_text`` gives: UTF-8, with universal newlines (so that
    error positions count lines as they always did)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            "is not UTF-8 text.", location=location, code="malformed-template"
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _read_json(path: Path) -> Any:
    data = _read_bytes(path)
    parsed = _fast_json(data)
    if parsed is not _NOT_PARSED:
        return parsed
    text = _decode(data, location=str(path))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
            location=str(path),
            code="malformed-template",
        ) from None


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".template.json", ".template.yaml", ".template.yml", *_TEMPLATE_SUFFIXES):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
