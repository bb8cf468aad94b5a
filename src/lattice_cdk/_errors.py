"""Lattice's exceptions.

Every error Lattice raises derives from :class:`LatticeError`, carries a stable
``code`` and says how to fix the problem::

    LatticeError                      base: catch this to catch everything Lattice raises
    ├── StatefulnessError (ValueError)   a policy or construct configuration would risk data
    │   └── UnknownEnvironmentError      the environment name is missing or not known
    └── InputError                       a template, assembly or config file cannot be used

Construct-time errors raise in the constructor; findings that can only be judged at
synth time are reported through CDK validation, not raised.

Every ``code`` is a member of :class:`ErrorCode`, documented in ``docs/limits.md``
(a test holds the source, the enum and the page to the same list).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

__all__ = [
    "ErrorCode",
    "InputError",
    "LatticeError",
    "StatefulnessError",
    "UnknownEnvironmentError",
    "did_you_mean",
]


class ErrorCode(StrEnum):
    """The stable codes of Lattice's errors (``[code] message``); scripts may match them."""

    # Bad input: a file or argument that cannot be used.
    UNUSABLE_INPUT = "unusable-input"
    MISSING_INPUT = "missing-input"
    EMPTY_INPUT = "empty-input"
    NOT_A_TEMPLATE = "not-a-template"
    MALFORMED_TEMPLATE = "malformed-template"
    UNKNOWN_RESOURCE_TYPE = "unknown-resource-type"
    USAGE = "usage"
    IO_ERROR = "io-error"
    OUTPUT_IS_INPUT = "output-is-input"
    UNSAFE_PATH = "unsafe-path"
    NOT_A_FILE = "not-a-file"
    OUTSIDE_INPUT = "outside-input"
    INPUT_TOO_LARGE = "input-too-large"
    NESTED_STACK_CYCLE = "nested-stack-cycle"
    CANNOT_EVALUATE = "cannot-evaluate"
    UNKNOWN_RULE = "unknown-rule"
    # Change sets (lattice diff --change-set).
    MALFORMED_CHANGE_SET = "malformed-change-set"
    # Constructs (one BackupManager per stack).
    SECOND_BACKUP_MANAGER = "second-backup-manager"
    MANAGER_ALREADY_BUILT = "manager-already-built"
    # Guard rules, the hook and the organization backup policy.
    MALFORMED_GUARD_INDEX = "malformed-guard-index"
    TOO_MANY_STACKS = "too-many-stacks"
    NO_BACKUPS = "no-backups"
    MISSING_REGION = "missing-region"
    MISSING_DR_REGION = "missing-dr-region"
    # The lock file.
    MALFORMED_LOCK = "malformed-lock"
    LOCK_EXISTS = "lock-exists"
    LOCK_REASON = "lock-reason"
    UNLOCKABLE_VALUE = "unlockable-value"
    # Deployed stacks (lattice diff --deployed).
    AWS_CONFIG = "aws-config"
    AWS_ERROR = "aws-error"
    NOT_DEPLOYED = "not-deployed"
    # Environments and the policy.
    UNKNOWN_ENVIRONMENT = "unknown-environment"
    MISSING_ENVIRONMENT = "missing-environment"
    ENVIRONMENT_MISMATCH = "environment-mismatch"
    ENVIRONMENT_ALREADY_DEFINED = "environment-already-defined"
    INVALID_ENVIRONMENT_NAME = "invalid-environment-name"
    INVALID_ENVIRONMENT_TIER = "invalid-environment-tier"
    INVALID_VALUE = "invalid-value"
    INVALID_RETENTION = "invalid-retention"
    RETENTION_BELOW_FLOOR = "retention-below-floor"
    CONTRADICTORY_OVERRIDES = "contradictory-overrides"
    # Configurations that would put data at risk.
    UNSAFE_CONFIGURATION = "unsafe-configuration"
    AUTO_DELETE_NOT_ALLOWED = "auto-delete-not-allowed"
    DESTROY_NOT_ALLOWED = "destroy-not-allowed"
    BACKUPS_REQUIRED = "backups-required"
    PROTECTION_REQUIRED = "protection-required"
    VERSIONING_REQUIRED = "versioning-required"
    # Not the user's: a bug in Lattice (exit code 70).
    INTERNAL_ERROR = "internal-error"
    LATTICE_ERROR = "lattice-error"


class LatticeError(Exception):
    """Base class of every error Lattice raises.

    ``code`` is stable across releases (scripts may match on it); ``fix`` says what to
    do instead.
    """

    code: str = ErrorCode.LATTICE_ERROR

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

    code = ErrorCode.UNSAFE_CONFIGURATION

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

    code = ErrorCode.UNKNOWN_ENVIRONMENT


class InputError(LatticeError):
    """A template, cloud assembly or configuration file that cannot be used.

    ``location`` names the file (and, where known, the place in it).
    """

    code = ErrorCode.UNUSABLE_INPUT

    def __init__(
        self, message: str, *, location: str, fix: str | None = None, code: str | None = None
    ) -> None:
        self.location = location
        super().__init__(f"{location}: {message}", code=code, fix=fix)


def did_you_mean(word: str, choices: Iterable[str] | Mapping[str, str]) -> str | None:
    """The one of ``choices`` that ``word`` most likely misspells (``prodd``: ``prod``,
    ``LAT1010``: ``LAT1001``), case ignored; None when none is close, or when two are
    equally close (a wrong guess misleads more than none). Every "not a known name"
    error asks this, so each names its guess the same way. ``choices`` may map each
    spelling to the name to suggest (``production``: ``prod``).

    One typo (a letter added, dropped, changed, or two swapped) wins; otherwise the
    closest by :class:`difflib.SequenceMatcher`, if at least 75% alike.
    """
    from difflib import SequenceMatcher

    meant = choices if isinstance(choices, Mapping) else {c: c for c in choices}
    options = {spelling.lower(): name for spelling, name in meant.items()}
    typed = word.strip().lower()
    if typed in options:
        return options[typed]
    typos = {name for key, name in options.items() if _one_typo(typed, key)}
    if typos:
        return typos.pop() if len(typos) == 1 else None
    matcher = SequenceMatcher(b=typed)
    scored: dict[float, set[str]] = {}
    for key, name in options.items():
        matcher.set_seq1(key)
        if (score := matcher.ratio()) >= 0.75:
            scored.setdefault(score, set()).add(name)
    best = scored[max(scored)] if scored else set()
    return best.pop() if len(best) == 1 else None


def _one_typo(typed: str, known: str) -> bool:
    """Whether one added, dropped, changed or swapped letter turns ``typed`` into
    ``known`` (not when they are equal)."""
    if typed == known or abs(len(typed) - len(known)) > 1:
        return False
    start = 0
    while start < min(len(typed), len(known)) and typed[start] == known[start]:
        start += 1
    a, b = typed[start:], known[start:]
    if len(a) == len(b):
        return a[1:] == b[1:] or (len(a) > 1 and a[0] == b[1] and a[1] == b[0] and a[2:] == b[2:])
    return a[1:] == b if len(a) > len(b) else a == b[1:]
