"""Post a report as ONE pull-request comment, updated in place on every run.

Usage: ``python3 pr_comment.py BODY_FILE [--marker MARKER]``

The comment carries a hidden marker (``<!-- lattice:diff -->`` by default). The script
lists the pull request's comments through GitHub's REST API, PATCHes the first one that
carries the marker, or POSTs a new one. A body longer than GitHub's limit (65,536
characters) is cut at a line and ends with a note saying so.

Environment (set by GitHub Actions): ``GITHUB_TOKEN``, ``GITHUB_REPOSITORY``
(``owner/name``), ``GITHUB_EVENT_PATH`` (the event JSON, which names the pull request)
and ``GITHUB_API_URL`` (default ``https://api.github.com``).

Standard library only: the Action runs it before anything else is installed. It fails
closed: any problem is one line ``[code] message Fix: ...`` on stderr and exit code 1;
exit 0 means the comment on GitHub now holds the body.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

MARKER = "<!-- lattice:diff -->"
#: GitHub refuses a comment body longer than this. We count UTF-8 bytes, never fewer
#: than the characters GitHub counts, so a cut body is always accepted.
MAX_BODY = 65_536
TIMEOUT_SECONDS = 30
_NEXT_LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


class CommentError(Exception):
    """A problem that stops the comment, as one line with a fix."""

    def __init__(self, code: str, message: str, fix: str) -> None:
        super().__init__(f"[{code}] {message} Fix: {fix}")


def truncate(body: str, limit: int = MAX_BODY) -> str:
    """``body`` if it fits in ``limit`` UTF-8 bytes, else its first lines and a note."""
    if len(body.encode("utf-8")) <= limit:
        return body
    total = len(body)

    def note(shown: int) -> str:
        return (
            f"\n\n> **Truncated**: this comment shows {shown:,} of {total:,} characters "
            "(GitHub's limit is 65,536). The full report is in the job's log.\n"
        )

    room = limit - len(note(total).encode("utf-8")) - len("\n```")
    kept = body.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    if "\n" in kept:
        kept = kept[: kept.rindex("\n")]
    if kept.count("```") % 2:
        kept += "\n```"  # close a code block the cut left open
    return kept + note(len(kept))


def pull_request_number(event_path: str) -> int:
    """The pull request's number from the event JSON GitHub wrote to ``event_path``."""
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommentError(
            "comment-event",
            f"cannot read the event file {event_path!r}: {error}.",
            "run the step in a GitHub Actions job (GITHUB_EVENT_PATH names the event JSON).",
        ) from None
    pull = event.get("pull_request") if isinstance(event, dict) else None
    number = pull.get("number") if isinstance(pull, dict) else None
    if not isinstance(number, int):
        raise CommentError(
            "comment-not-a-pull-request",
            f"the event in {event_path} is not a pull request (no pull_request.number).",
            "run the comment step only on 'pull_request' events, or set 'comment: false'.",
        )
    return number


class GitHub:
    """The few issue-comment calls of GitHub's REST API this script needs."""

    def __init__(self, api_url: str, token: str, repository: str) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.repository = repository

    def request(self, method: str, url: str, payload: object = None) -> tuple[Any, str]:
        """JSON of the answer to ``method url`` and its ``Link`` header."""
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        request.add_header("User-Agent", "lattice-action")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                return json.loads(answer.read() or b"null"), answer.headers.get("Link", "")
        except urllib.error.HTTPError as error:
            raise CommentError(
                "comment-http",
                f"GitHub answered {method} {url} with {error.code} {error.reason}: "
                f"{_api_message(error)}.",
                "give the job 'permissions: pull-requests: write' and the Action its token "
                "(a pull request from a fork gets a read-only token: set 'comment: false').",
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise CommentError(
                "comment-unreachable",
                f"{method} {url} failed: {reason}.",
                "check GITHUB_API_URL and the runner's network, then re-run the job.",
            ) from None

    def find(self, number: int, marker: str) -> int | None:
        """The id of the first comment on pull request ``number`` carrying ``marker``."""
        url: str | None = (
            f"{self.api_url}/repos/{self.repository}/issues/{number}/comments?per_page=100"
        )
        while url:
            comments, link = self.request("GET", url)
            for comment in comments if isinstance(comments, list) else ():
                if marker in str(comment.get("body") or ""):
                    return int(comment["id"])
            found = _NEXT_LINK.search(link)
            url = found.group(1) if found else None
        return None

    def upsert(self, number: int, body: str, marker: str) -> tuple[str, str]:
        """Update the marked comment, or create it: ``(created|updated, its html_url)``."""
        existing = self.find(number, marker)
        base = f"{self.api_url}/repos/{self.repository}/issues"
        if existing is None:
            answer, _ = self.request("POST", f"{base}/{number}/comments", {"body": body})
            action = "created"
        else:
            answer, _ = self.request("PATCH", f"{base}/comments/{existing}", {"body": body})
            action = "updated"
        return action, str(answer.get("html_url", "")) if isinstance(answer, dict) else ""


def _api_message(error: urllib.error.HTTPError) -> str:
    try:
        message = json.loads(error.read()).get("message", "")
    except (OSError, ValueError, AttributeError):
        message = ""
    return " ".join(str(message).split()) or "no message"


def _environment(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise CommentError(
            "comment-environment",
            f"{name} is not set.",
            f"run the step in a GitHub Actions job, or set {name}.",
        )
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("body_file", help="the Markdown to post")
    parser.add_argument("--marker", default=MARKER, help=f"hidden marker (default {MARKER})")
    args = parser.parse_args(argv)
    try:
        try:
            report = Path(args.body_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommentError(
                "comment-body",
                f"cannot read {args.body_file!r}: {error}.",
                "pass the report file the previous step wrote.",
            ) from None
        github = GitHub(
            os.environ.get("GITHUB_API_URL") or "https://api.github.com",
            _environment("GITHUB_TOKEN"),
            _environment("GITHUB_REPOSITORY"),
        )
        number = pull_request_number(_environment("GITHUB_EVENT_PATH"))
        body = truncate(f"{args.marker}\n{report}")
        action, url = github.upsert(number, body, args.marker)
    except CommentError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"lattice: {action} the comment on pull request #{number} {url}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
