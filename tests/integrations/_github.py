"""A local HTTP peer that answers like GitHub's issue-comments REST API.

It serves the calls the Action's comment script makes (list with ``Link`` pagination,
create, update), keeps the comments in memory, refuses a request without the expected
``Authorization`` header (401) and a body over GitHub's 65,536-character limit (422),
and can be told to answer one method with an error. The script under test talks to it
over loopback HTTP exactly as it talks to api.github.com.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "ghs_local-test-token"
REPOSITORY = "acme/orders"
GITHUB_LIMIT = 65_536

_LIST = re.compile(r"^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$")
_ONE = re.compile(r"^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$")


class FakeGitHub:
    """State of the local peer: comments by issue, the requests seen, forced errors."""

    def __init__(self) -> None:
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail: dict[str, tuple[int, str]] = {}
        self.next_id = 1000
        self.url = ""

    def add(self, issue: int, body: str) -> dict[str, Any]:
        comment = {
            "id": self.next_id,
            "body": body,
            "html_url": f"https://github.test/{REPOSITORY}/pull/{issue}#issuecomment-{self.next_id}",
        }
        self.next_id += 1
        self.comments.setdefault(issue, []).append(comment)
        return comment


def _handler(state: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _answer(self, status: int, payload: object, link: str = "") -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if link:
                self.send_header("Link", link)
            self.end_headers()
            self.wfile.write(data)

        def _guard(self, method: str) -> bool:
            state.requests.append((method, self.path))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._answer(401, {"message": "Bad credentials"})
                return False
            if method in state.fail:
                status, message = state.fail[method]
                self._answer(status, {"message": message})
                return False
            return True

        def _body(self) -> str | None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length)).get("body")
            if not isinstance(body, str) or len(body) > GITHUB_LIMIT:
                self._answer(422, {"message": "Validation Failed: body is too long"})
                return None
            return body

        def do_GET(self) -> None:
            if not self._guard("GET"):
                return
            parts = urlsplit(self.path)
            found = _LIST.match(parts.path)
            if not found or found.group(1) != REPOSITORY:
                self._answer(404, {"message": "Not Found"})
                return
            query = parse_qs(parts.query)
            per_page = int(query.get("per_page", ["30"])[0])
            page = int(query.get("page", ["1"])[0])
            comments = state.comments.get(int(found.group(2)), [])
            link = ""
            if page * per_page < len(comments):
                link = f'<{state.url}{parts.path}?per_page={per_page}&page={page + 1}>; rel="next"'
            self._answer(200, comments[(page - 1) * per_page : page * per_page], link)

        def do_POST(self) -> None:
            if not self._guard("POST"):
                return
            found = _LIST.match(self.path)
            if not found or found.group(1) != REPOSITORY:
                self._answer(404, {"message": "Not Found"})
                return
            body = self._body()
            if body is not None:
                self._answer(201, state.add(int(found.group(2)), body))

        def do_PATCH(self) -> None:
            if not self._guard("PATCH"):
                return
            found = _ONE.match(self.path)
            comment = None
            if found and found.group(1) == REPOSITORY:
                wanted = int(found.group(2))
                every = (c for cs in state.comments.values() for c in cs)
                comment = next((c for c in every if c["id"] == wanted), None)
            if comment is None:
                self._answer(404, {"message": "Not Found"})
                return
            body = self._body()
            if body is not None:
                comment["body"] = body
                self._answer(200, comment)

    return Handler


@contextmanager
def fake_github() -> Iterator[FakeGitHub]:
    """A running local peer on a free loopback port; ``state.url`` is its API URL."""
    state = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
