"""A CDK cloud assembly (``cdk.out``): the stacks its manifest lists, their nested
stacks, and the nested assemblies of its Stages.

Every path the manifest or a nested stack names is resolved and must stay inside the
assembly; nested stacks may nest ``MAX_NESTED_STACK_DEPTH`` levels and never include
themselves. Each refusal is an :class:`~lattice_cdk.InputError`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

from .._errors import InputError
from .._records import replace
from ._limits import MAX_NESTED_STACK_DEPTH
from ._model import Assembly, Stack, Unevaluated
from ._read import expect_bytes, read_json
from ._template import load_template_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MANIFEST", "assembly_stacks", "is_assembly_manifest", "load_assembly"]

MANIFEST = "manifest.json"
_STACK_ARTIFACT = "aws:cloudformation:stack"
_NESTED_ASSEMBLY = "cdk:cloud-assembly"
_ASSET_PATH = "aws:asset:path"
_ACKNOWLEDGED_RULES = "aws:cdk:acknowledged-rules"
_LOGICAL_ID = "aws:cdk:logicalId"
_ASSET_MANIFEST = "cdk:asset-manifest"
_NESTED_STACK = "AWS::CloudFormation::Stack"
_ASSET_KEY = r"/([0-9a-f]{64})\.json"
_NESTED_FIX = (
    "run Lattice on the nested stack's own template as well (the file its TemplateURL names)."
)


def _plain_name(relative: str) -> bool:
    """Whether ``relative`` names an entry of its folder itself (no separator, not
    ``.`` or ``..``)."""
    return (
        bool(relative)
        and relative not in (".", "..")
        and os.sep not in relative
        and (os.altsep is None or os.altsep not in relative)
    )


def is_assembly_manifest(data: object) -> bool:
    """Whether parsed ``manifest.json`` content is a cloud assembly's (not, say, a web
    app's manifest)."""
    return isinstance(data, dict) and isinstance(data.get("artifacts"), dict)


def load_assembly(root: Path, *, manifest: object = None) -> Assembly:
    """The cloud assembly at ``root`` (``manifest``: its parsed ``manifest.json``, when
    the caller has read it)."""
    stacks = list(assembly_stacks(root, manifest=manifest))
    if not stacks:
        raise InputError(
            "is a cloud assembly with no stacks.",
            location=str(root / MANIFEST),
            fix="check that the CDK app adds at least one Stack before app.synth().",
            code="empty-input",
        )
    return Assembly(source=str(root), stacks=tuple(stacks), is_cloud_assembly=True)


def assembly_stacks(root: Path, *, manifest: object = None) -> Iterator[Stack]:
    """Every stack of the assembly at ``root`` and of its nested assemblies
    (``manifest`` is the parsed ``manifest.json`` when the caller has read it)."""
    yield from _Reader(os.path.realpath(root)).stacks(root, manifest=manifest)


class _Reader:
    """Reads one assembly; ``base`` is its real path, which every file must be under."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.seen: set[Path] = set()
        #: Folders of this assembly known to resolve inside it.
        self._inside: set[Path] = set()

    def inside(self, folder: Path, relative: str, *, what: str, where: Path) -> Path:
        """``folder / relative``, refused unless it resolves inside the assembly."""
        path = folder / relative
        # The usual case, cheaply: a plain name in a folder already found inside, which
        # is not a symbolic link (resolving the whole path stats every folder on it).
        if folder in self._inside and _plain_name(relative):
            try:
                if not stat.S_ISLNK(os.lstat(path).st_mode):
                    return path
            except OSError:
                pass  # resolved below; reading it reports what is wrong
        real = os.path.realpath(path)
        if real != self.base and not real.startswith(self.base + os.sep):
            raise InputError(
                f"{what} {relative!r} resolves to {real}, outside the cloud assembly {self.base}.",
                location=str(where),
                fix="point at an assembly written by 'cdk synth'; its paths are relative.",
                code="outside-input",
            )
        return path

    def stacks(self, root: Path, *, manifest: object = None) -> Iterator[Stack]:
        manifest_path = root / MANIFEST
        real = Path(os.path.realpath(manifest_path))
        if real in self.seen:
            return
        self.seen.add(real)
        real_root = os.path.realpath(root)
        if real_root == self.base or real_root.startswith(self.base + os.sep):
            self._inside.add(root)
        if manifest is None:
            manifest = read_json(manifest_path)
        if not is_assembly_manifest(manifest):
            raise InputError(
                "is not a cloud assembly manifest (no 'artifacts' mapping).",
                location=str(manifest_path),
                code="not-a-template",
            )
        assert isinstance(manifest, dict)
        artifacts: dict[str, Any] = manifest["artifacts"]
        self.expect_templates(root, artifacts)
        assets: dict[str, str] | None = None
        for artifact_id, artifact in artifacts.items():
            if not isinstance(artifact, dict):
                continue
            kind = artifact.get("type")
            props = _field(artifact, "properties", dict, artifact_id, manifest_path) or {}
            if kind == _STACK_ARTIFACT:
                stack, logical_paths = self.stack(root, artifact_id, artifact, props)
                if _NESTED_STACK not in stack.resources_by_type():
                    yield stack
                    continue
                if assets is None:
                    assets = self.asset_sources(root, artifacts)
                nested, missing = self.nested(root, stack, assets, logical_paths, (), 1)
                yield replace(stack, unevaluated={**stack.unevaluated, **missing})
                yield from nested
            elif kind == _NESTED_ASSEMBLY:
                directory = _field(props, "directoryName", str, artifact_id, manifest_path)
                if directory is not None:
                    folder = self.inside(
                        root, directory, what="nested assembly", where=manifest_path
                    )
                    yield from self.stacks(folder)

    def stack(
        self, root: Path, artifact_id: str, artifact: dict[str, Any], props: dict[str, Any]
    ) -> tuple[Stack, list[tuple[str, str]]]:
        where = root / MANIFEST
        template_file = _field(props, "templateFile", str, artifact_id, where)
        if template_file is None:
            raise InputError(
                f"stack artifact {artifact_id!r} names no templateFile.",
                location=str(where),
                code="malformed-template",
            )
        path = self.inside(root, template_file, what="templateFile", where=where)
        tags = props.get("tags")
        account, region = _environment(artifact.get("environment"))
        metadata = self.artifact_metadata(root, artifact)
        display_name = _field(artifact, "displayName", str, artifact_id, where) or artifact_id
        logical_paths = _logical_paths(metadata)
        stack = load_template_file(
            path,
            name=_field(props, "stackName", str, artifact_id, where) or artifact_id,
            construct_paths=_own_paths(logical_paths, "/" + display_name),
            in_assembly=True,
            display_name=display_name,
            termination_protection=bool(props.get("terminationProtection", False)),
            tags={str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {},
            artifact_id=artifact_id,
            account=account,
            region=region,
            cdk_acknowledgements=_acknowledgements(metadata),
        )
        return stack, logical_paths

    def nested(
        self,
        root: Path,
        parent: Stack,
        assets: dict[str, str],
        logical_paths: list[tuple[str, str]],
        chain: tuple[Path, ...],
        depth: int,
    ) -> tuple[list[Stack], dict[str, Unevaluated]]:
        """The nested stacks of ``parent`` (depth first), and its nested-stack resources
        whose template the assembly does not hold (logical id -> why, fix)."""
        stacks: list[Stack] = []
        missing: dict[str, Unevaluated] = {}
        chain = (*chain, Path(os.path.realpath(parent.template_path)))
        for logical_id in parent.resources_by_type().get(_NESTED_STACK, ()):
            resource = parent.resources[logical_id]
            asset = resource.metadata.get(_ASSET_PATH)
            if not isinstance(asset, str):
                # Without asset metadata (plain app.synth()), follow the template URL's
                # object key to the file the asset manifest says it came from.
                url = json.dumps(resource.properties.get("TemplateURL"))
                match = re.search(_ASSET_KEY, url)
                asset = assets.get(match.group(1)) if match else None
            if not isinstance(asset, str):
                missing[logical_id] = Unevaluated(
                    "a nested stack whose template is not in the cloud assembly (it is "
                    "read from its TemplateURL at deploy time)",
                    _NESTED_FIX,
                    _NESTED_STACK,
                )
                continue
            where = Path(parent.template_path)
            path = self.inside(root, asset, what="nested stack template", where=where)
            real = Path(os.path.realpath(path))
            if real in chain:
                cycle = " -> ".join(p.name for p in (*chain, real))
                raise InputError(
                    f"nested stack {logical_id!r} includes a template that includes it ({cycle}).",
                    location=str(where),
                    code="nested-stack-cycle",
                )
            if depth > MAX_NESTED_STACK_DEPTH:
                raise InputError(
                    f"nested stack {logical_id!r} is more than {MAX_NESTED_STACK_DEPTH} "
                    "levels below its top-level stack.",
                    location=str(where),
                    code="input-too-large",
                )
            construct_path = resource.construct_path
            # ".../Tables.NestedStack/Tables.NestedStackResource" -> ".../Tables"
            prefix = None
            if construct_path and construct_path.endswith(".NestedStackResource"):
                prefix = "/" + construct_path.rsplit("/", 1)[0].removesuffix(".NestedStack")
            child = load_template_file(
                path,
                name=f"{parent.name}/{logical_id}",
                construct_paths=_own_paths(logical_paths, prefix) if prefix else None,
                in_assembly=True,
                display_name=(prefix or "").lstrip("/") or f"{parent.label}/{logical_id}",
                tags=parent.tags,
                account=parent.account,
                region=parent.region,
                cdk_acknowledgements=parent.cdk_acknowledgements,
                parent=parent.name,
                parent_logical_id=logical_id,
            )
            below, child_missing = self.nested(root, child, assets, logical_paths, chain, depth + 1)
            if child_missing:
                child = replace(child, unevaluated={**child.unevaluated, **child_missing})
            stacks.append(child)
            stacks.extend(below)
        return stacks, missing

    def artifact_metadata(self, root: Path, artifact: Mapping[str, Any]) -> dict[str, Any]:
        """A stack's construct metadata: inline in the manifest, or (newer CDK) in the
        file ``additionalMetadataFile`` names."""
        metadata: dict[str, Any] = {}
        inline = artifact.get("metadata")
        if isinstance(inline, dict):
            metadata.update(inline)
        extra = artifact.get("additionalMetadataFile")
        if isinstance(extra, str):
            path = self.inside(root, extra, what="metadata file", where=root / MANIFEST)
            if os.path.lexists(path):
                data = read_json(path)
                if isinstance(data, dict):
                    metadata.update(data)
        return metadata

    def asset_sources(self, root: Path, artifacts: Mapping[str, Any]) -> dict[str, str]:
        """Asset object key (``<hash>``) -> source file, from the asset manifests."""
        sources: dict[str, str] = {}
        for artifact in artifacts.values():
            if not isinstance(artifact, dict) or artifact.get("type") != _ASSET_MANIFEST:
                continue
            props = artifact.get("properties")
            file = props.get("file") if isinstance(props, dict) else None
            if not isinstance(file, str):
                continue
            path = self.inside(root, file, what="asset manifest", where=root / MANIFEST)
            if not os.path.lexists(path):
                continue
            data = read_json(path)
            files = data.get("files") if isinstance(data, dict) else None
            for key, entry in (files if isinstance(files, dict) else {}).items():
                source = entry.get("source") if isinstance(entry, dict) else None
                path_ = source.get("path") if isinstance(source, dict) else None
                if isinstance(path_, str):
                    sources[key] = path_
        return sources

    def expect_templates(self, root: Path, artifacts: Mapping[str, Any]) -> None:
        """Count the bytes of the stack templates ``artifacts`` lists (see
        ``ORJSON_FROM_BYTES``); a missing file counts nothing here and fails when read."""
        total = 0
        for artifact in artifacts.values():
            if not isinstance(artifact, dict) or artifact.get("type") != _STACK_ARTIFACT:
                continue
            props = artifact.get("properties")
            template_file = props.get("templateFile") if isinstance(props, dict) else None
            if isinstance(template_file, str):
                with contextlib.suppress(OSError, ValueError):
                    total += os.stat(root / template_file).st_size
        expect_bytes(total)


def _field(mapping: Mapping[str, Any], key: str, kind: type, artifact_id: str, where: Path) -> Any:
    """``mapping[key]`` when it is a ``kind``, ``None`` when absent; anything else is a
    manifest CDK did not write."""
    value = mapping.get(key)
    if value is None or isinstance(value, kind):
        return value
    raise InputError(
        f"artifact {artifact_id!r} has {key!r} {value!r}, which is not a "
        f"{'string' if kind is str else 'mapping'}.",
        location=str(where),
        fix="regenerate the assembly with 'cdk synth'.",
        code="malformed-template",
    )


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
    return [(str(p), d) for p, d in _metadata_entries(metadata, _LOGICAL_ID, str)]


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
        found.setdefault(str(path), {}).update({str(k): str(v) for k, v in data.items()})
    return found
