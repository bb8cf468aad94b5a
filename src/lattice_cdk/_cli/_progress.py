"""Progress on long runs (a folder of many templates, every deployed stack), for people.

``checked 40/100 stacks`` on one line of standard error, redrawn in place and erased
at the end, only when standard error is a terminal and ``CI`` is not set: logs and
pipes stay quiet, and standard output only ever carries the result.
"""

from __future__ import annotations

import os
import sys

__all__ = ["Progress", "show_progress"]

#: Runs shorter than this many steps finish before progress would help.
LONG_RUN = 20


def show_progress() -> bool:
    """Whether a person is watching: standard error is a terminal, and not in CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class Progress:
    """A ``progress(done, total)`` callback that draws ``{verb} {done}/{total} {noun}``
    every tenth step of a long run; :meth:`clear` erases it."""

    def __init__(self, verb: str = "checked", noun: str = "stacks") -> None:
        self.verb = verb
        self.noun = noun
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < LONG_RUN or (done % 10 and done != total):
            return
        sys.stderr.write(f"\rlattice: {self.verb} {done}/{total} {self.noun}")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
