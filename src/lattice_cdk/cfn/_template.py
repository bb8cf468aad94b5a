"""One template file into a :class:`Stack`: parsed, checked for shape, with
``Fn::ForEach`` expanded and what a transform makes at deploy time set apart."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .._errors import InputError
from ._foreach import FOREACH, PROCESSED_TEMPLATE, expand_foreach
from ._model import LazyResources, Stack, Unevaluated
from ._read import parse, parse_text, read_bytes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "TEMPLATE_SUFFIXES",
    "check_shape",
    "load_template_file",
    "parse_template",
    "stem",
    "template_stack",
]

TEMPLATE_SUFFIXES = (".json", ".yaml", ".yml", ".template")
#: The one transform Lattice applies (``Fn::ForEach``); any other leaves the resources
#: it makes unevaluated.
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
_FOREACH_BYTES = FOREACH.encode()
# SAM's types exist only before its transform.
_SERVERLESS = "AWS::Serverless::"
_TRANSFORM_FIX = (
    f"run Lattice on the template the transform produces: once deployed, {PROCESSED_TEMPLATE} "
    "(before, the same with --change-set-name of a change set), then give Lattice "
    "processed.json."
)


def load_template_file(
    path: Path,
    *,
    name: str | None = None,
    construct_paths: Mapping[str, str] | None = None,
    in_assembly: bool = False,
    **stack_fields: Any,
) -> Stack:
    """Load one template file into a :class:`Stack` (named after the file by default).

    ``construct_paths`` (logical id -> CDK construct path, from the assembly's metadata)
    fills in paths the template's ``aws:cdk:path`` metadata does not carry.
    ``in_assembly``: the file is a cloud assembly's stack template, where no
    ``Resources`` means an empty stack (see :func:`check_shape`).
    """
    data = read_bytes(path)
    return template_stack(
        parse(data, location=str(path)),
        path=path,
        source=data,
        name=name,
        construct_paths=construct_paths,
        in_assembly=in_assembly,
        **stack_fields,
    )


def template_stack(
    parsed: Any,
    *,
    path: Path,
    source: bytes | str,
    name: str | None = None,
    construct_paths: Mapping[str, str] | None = None,
    in_assembly: bool = False,
    **stack_fields: Any,
) -> Stack:
    """The :class:`Stack` of a parsed template file (``source``: the text it was parsed
    from; ``in_assembly``: as for :func:`load_template_file`)."""
    location = str(path)
    template, unevaluated = _as_deployed(parsed, location=location, source=source)
    by_type = check_shape(template, location=location, empty_stack=in_assembly)
    resources = LazyResources(template.get("Resources", {}), construct_paths or {}, by_type=by_type)
    return Stack(
        name=name or stem(path),
        template_path=location,
        template=template,
        resources=resources,
        unevaluated=unevaluated,
        **stack_fields,
    )


def parse_template(text: str, *, location: str) -> dict[str, Any]:
    """Parse template text (JSON, else YAML with CloudFormation short tags), expand its
    ``Fn::ForEach`` loops and check its shape. A loop or transformed resource that
    cannot be evaluated raises :class:`~lattice_cdk.InputError` here (there is no
    :class:`Stack` to carry it)."""
    template, unevaluated = _as_deployed(
        parse_text(text, location=location), location=location, source=text
    )
    if unevaluated:
        key, entry = next(iter(unevaluated.items()))
        raise InputError(
            f"cannot evaluate {key!r}: {entry.reason}.",
            location=location,
            fix=entry.fix,
            code="cannot-evaluate",
        )
    check_shape(template, location=location)
    result: dict[str, Any] = template
    return result


def _as_deployed(
    data: Any, *, location: str, source: bytes | str
) -> tuple[Any, dict[str, Unevaluated]]:
    """The template as CloudFormation deploys it: loops expanded, and the resources a
    transform Lattice does not apply makes (types CloudFormation does not have) moved
    out of ``Resources`` with why (``source``: the text ``data`` was parsed from)."""
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        return data, {}
    unevaluated: dict[str, Unevaluated] = {}
    transforms = data.get("Transform")
    names = [transforms] if isinstance(transforms, str) else transforms
    # CloudFormation expands loops only under the transform (without it, it refuses a
    # template that has one): only then is the text searched for one.
    if LANGUAGE_EXTENSIONS in (names or ()) and (
        FOREACH in source if isinstance(source, str) else _FOREACH_BYTES in source
    ):
        data, unevaluated = expand_foreach(data, location=location)  # Transform kept
    others = [t for t in names or () if t != LANGUAGE_EXTENSIONS]
    if others:
        from ._knowledge import is_known_resource_type

        label = ", ".join(t if isinstance(t, str) else "a macro" for t in others)
        kept: dict[str, Any] = {}
        for logical_id, body in data["Resources"].items():
            kind = body.get("Type") if isinstance(body, dict) else None
            if (
                isinstance(kind, str)
                and not kind.startswith(_SERVERLESS)
                and is_known_resource_type(kind)
            ):
                kept[logical_id] = body
            else:
                unevaluated[str(logical_id)] = Unevaluated(
                    f"{kind or 'this entry'} is expanded by the transform {label} at deploy "
                    "time, which Lattice does not apply",
                    _TRANSFORM_FIX,
                    kind if isinstance(kind, str) else None,
                )
        data = {**data, "Resources": kept}
    return data, unevaluated


def check_shape(data: object, *, location: str, empty_stack: bool = False) -> dict[str, list[str]]:
    """Raise unless ``data`` is a template; return its logical ids by resource type.

    The index comes from the same pass as the check: on a big assembly a second walk
    over every resource (for nested stacks, for the checker's type dispatch) costs as
    much as the check itself.

    ``empty_stack``: ``data`` is a cloud assembly's stack template, where CDK writes no
    ``Resources`` for a stack without resources; such a template is an empty stack. A
    loose file without ``Resources`` is not a template.
    """
    if not isinstance(data, dict):
        raise InputError(
            f"is not a CloudFormation template (the top level is a {type(data).__name__}, "
            "not a mapping).",
            location=location,
            code="not-a-template",
        )
    resources = data.get("Resources")
    if resources is None and empty_stack:
        return {}
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
            if isinstance(logical_id, str) and logical_id.startswith(FOREACH):
                raise InputError(
                    f"resource {logical_id!r} is an Fn::ForEach loop, which CloudFormation "
                    f"expands only under 'Transform: {LANGUAGE_EXTENSIONS}' (without it, "
                    "it refuses the template).",
                    location=location,
                    fix=f"declare 'Transform: {LANGUAGE_EXTENSIONS}' in the template.",
                    code="malformed-template",
                )
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


def stem(path: Path) -> str:
    name = path.name
    for suffix in (".template.json", ".template.yaml", ".template.yml", *TEMPLATE_SUFFIXES):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
