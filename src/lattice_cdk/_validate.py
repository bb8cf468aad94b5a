"""Checks of library arguments that raise at once, in the ``LatticeError`` family.

A construct or a CLI option given the wrong kind of value fails with
:class:`~lattice_cdk.StatefulnessError` naming the argument, what it got, what it
accepts and the fix (``LatticeBucket(policy="prod")`` used to end in an
``AttributeError`` deep inside; ``dr_region="not a region"`` was accepted). An
unresolved CDK token (``${Token[...]}``) is passed through: it can only be judged at
synth time.
"""

from __future__ import annotations

import re

from ._errors import ErrorCode, StatefulnessError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._policy import StatefulnessPolicy

__all__ = ["is_token", "require_bool", "require_policy", "require_region", "require_url"]

# us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, us-isob-east-1,
# eu-isoe-west-1, ap-southeast-7, mx-central-1.
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9][0-9]?$")
_URL = re.compile(r"^https?://[^\s/?#]+(:[0-9]{1,5})?(/[^\s]*)?$")


def is_token(value: object) -> bool:
    """Whether ``value`` is a CDK token's string form (resolved only at synth)."""
    return isinstance(value, str) and "${Token[" in value


def require_bool(value: object, *, field: str) -> bool:
    """``value`` when it is ``True`` or ``False`` (not ``"false"``, not ``0``)."""
    if isinstance(value, bool):
        return value
    raise StatefulnessError(
        "must be True or False.",
        field=field,
        value=value,
        allowed="True, False",
        fix=f"pass {field}=True or {field}=False.",
        code=ErrorCode.INVALID_VALUE,
    )


def require_region(value: object, *, field: str) -> str:
    """``value`` when it is an AWS region name (``eu-west-1``) or a CDK token."""
    if isinstance(value, str) and (_REGION.match(value) or is_token(value)):
        return value
    raise StatefulnessError(
        "is not an AWS region name.",
        field=field,
        value=value,
        allowed="a region such as 'us-east-1' or 'eu-central-1'",
        fix=f"pass {field}='eu-west-1' (the region's code, as 'aws ec2 describe-regions' "
        "lists it).",
        code=ErrorCode.INVALID_VALUE,
    )


def require_url(value: object, *, field: str) -> str:
    """``value`` when it is an ``http://`` or ``https://`` URL (an endpoint)."""
    if isinstance(value, str) and _URL.match(value):
        return value
    raise StatefulnessError(
        "is not an http(s) URL.",
        field=field,
        value=value,
        allowed="a URL such as 'http://localhost:5000'",
        fix=f"pass {field}='https://host:port'.",
        code=ErrorCode.INVALID_VALUE,
    )


def require_policy(value: object, *, field: str = "policy") -> StatefulnessPolicy:
    """``value`` when it is a :class:`~lattice_cdk.StatefulnessPolicy`; an environment
    name in its place gets a fix that says how to make one."""
    from ._policy import StatefulnessPolicy

    if isinstance(value, StatefulnessPolicy):
        return value
    fix = "pass policy=create_statefulness_policy(environment='prod'), or leave it out"
    if isinstance(value, str):
        fix += f" and pass environment={value!r}"
    raise StatefulnessError(
        "is not a StatefulnessPolicy.",
        field=field,
        value=value,
        allowed="a StatefulnessPolicy (create_statefulness_policy(...), "
        "StatefulnessPolicy.production())",
        fix=fix + ".",
        code=ErrorCode.INVALID_VALUE,
    )
