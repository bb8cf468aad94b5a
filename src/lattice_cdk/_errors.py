"""Lattice's exceptions.

Every error Lattice raises derives from :class:`LatticeError`, carries a stable
``code`` and says how to fix the problem::

    LatticeError                      base: catch this to catch everything Lattice raises
    ├── StatefulnessError (ValueError)   a policy or construct configuration would risk data
    │   └── UnknownEnvironmentError      the environment name is missing or not known
    └── InputError                       a template, assembly or config file cannot be used

Construct-time errors raise in the constructor; findings that can only be judged at
synth time are reported through CDK validation, not raised.
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "LatticeError",
    "StatefulnessError",
    "UnknownEnvironmentError",
]


class LatticeError(Exception):
    """Base class of every error Lattice raises.

    ``code`` is stable across releases (scripts may match on it); ``fix`` says what to
    do instead.
    """

    code: str = "lattice-error"

    def __init__(self, message: str, *, code: str | None = None, fix: str | None = None) -> None:
        if code is not None:
            self.code = code
        self.fix = fix
        self.message = message
        text = f"[{self.code}] {message}"
        if fix:
            text += f" Fix: {fix}"
        super().__init__(text)


class StatefulnessError(LatticeError, ValueError):
    """A configuration that would put stateful data at risk, or cannot be honoured.

    ``field`` names the argument, ``value`` is what was given and ``allowed`` says what
    would have been accepted.
    """

    code = "unsafe-configuration"

    def __init__(
        self,
        message: str,
        *,
        field: str,
        value: object,
        allowed: str,
        fix: str,
        code: str | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}={value!r}: {message} Allowed: {allowed}.", code=code, fix=fix)


class UnknownEnvironmentError(StatefulnessError):
    """The environment name is missing, or is neither built in nor registered.

    Lattice never falls back to a default environment: guessing ``dev`` for a
    production app would destroy its data.
    """

    code = "unknown-environment"


class InputError(LatticeError):
    """A template, cloud assembly or configuration file that cannot be used.

    ``location`` names the file (and, where known, the place in it).
    """

    code = "unusable-input"

    def __init__(
        self, message: str, *, location: str, fix: str | None = None, code: str | None = None
    ) -> None:
        self.location = location
        super().__init__(f"{location}: {message}", code=code, fix=fix)
