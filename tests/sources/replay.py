"""A local replay server: a real HTTP server on 127.0.0.1 answering from recorded-shape files.

Connector tests must not use the network, but mocking httpx skips everything
between the client and the wire (connection errors, redirects, headers such
as ``Retry-After``, caching).  This server listens on a free port in a thread
and answers each request from a route chosen by method, path and, when the
route names them, query parameters and the JSON body.

Routes come from code (:meth:`ReplayServer.add`) or from a *case* folder
``tests/sources/fixtures/replay/<case>/routes.json`` (:meth:`ReplayServer.load`)::

    [{"method": "GET", "path": "/v3/kpi/N00957", "file": "kpi.json"},
     {"method": "GET", "path": "/v3/data/kpi/N00957/year/2023",
      "query": {"page": "2"}, "file": "data_page2.json"},
     {"method": "POST", "path": "/api/v2/tables/TAB1/data",
      "body": {"selection": []}, "status": 500},
     {"method": "GET", "path": "/api/v2/config",
      "shared": "reference/recorded/scb_v2_config.json"}]

``file`` is relative to the case folder, ``shared`` to ``../shared`` beside the
repository (the real recorded answers), ``json`` is an inline answer.  Optional
``status`` (200) and ``headers``.  The text ``{base}`` in an answer is replaced
by the server's URL, so paging links (Kolada's ``next_url``) point back here.
A route's JSON ``body`` object matches a request body that has those top-level
keys with those values (other keys may differ).  Several routes with the same match are answered in turn, the last one
repeating: a 500 route then a 200 route serves 500 once, then 200.

Every request is recorded in :attr:`ReplayServer.requests`; a request no route
matches gets a 404 Problem JSON and is also listed in :attr:`ReplayServer.unmatched`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

CASES = Path(__file__).resolve().parent / "fixtures" / "replay"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@dataclass(frozen=True, slots=True)
class Answer:
    """One response: status, headers and the body's bytes (``{base}`` not yet replaced)."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Route:
    """Which requests a route answers and the answers it gives, in turn."""

    method: str
    path: str
    query: dict[str, str] | None = None
    body: Any = None
    answers: list[Answer] = field(default_factory=list)
    hits: int = 0

    def matches(self, method: str, path: str, query: dict[str, str], body: Any) -> bool:
        if method != self.method or path != self.path:
            return False
        if self.query is not None and any(query.get(k) != v for k, v in self.query.items()):
            return False
        if isinstance(self.body, dict) and isinstance(body, dict):
            return all(body.get(k) == v for k, v in self.body.items())
        return self.body is None or self.body == body

    @property
    def specificity(self) -> int:
        return len(self.query or {}) + (self.body is not None)

    def next_answer(self) -> Answer:
        answer = self.answers[min(self.hits, len(self.answers) - 1)]
        self.hits += 1
        return answer


@dataclass(frozen=True, slots=True)
class Seen:
    """A request the server received."""

    method: str
    path: str
    query: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class ReplayServer:
    """Serve recorded answers on ``http://127.0.0.1:<free port>`` from a thread."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[Seen] = []
        self.unmatched: list[Seen] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The server's base URL, without a trailing slash."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- routes -------------------------------------------------------------
    def add(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,  # noqa: A002 - mirrors httpx
        file: Path | str | None = None,
        text: str | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
        body: Any = None,
    ) -> Route:
        """Answer ``method path`` (and ``query``/``body`` if given) with one more answer."""
        content_type = "application/json; charset=utf-8"
        if file is not None:
            data = Path(file).read_bytes()
            if not str(file).endswith(".json"):
                content_type = "text/plain; charset=utf-8"
        elif text is not None:
            data, content_type = text.encode("utf-8"), "text/plain; charset=utf-8"
        elif json is not None:
            data = _json_bytes(json)
        else:
            data = b""
        all_headers = {"Content-Type": content_type, **(headers or {})} if data else headers or {}
        answer = Answer(status, data, tuple(all_headers.items()))
        method = method.upper()
        with self._lock:
            for route in self.routes:
                if (route.method, route.path, route.query, route.body) == (
                    method,
                    path,
                    query,
                    body,
                ):
                    route.answers.append(answer)
                    return route
            route = Route(method, path, query, body, [answer])
            self.routes.append(route)
            return route

    def load(self, case: str) -> ReplayServer:
        """Add the routes of ``tests/sources/fixtures/replay/<case>/routes.json``."""
        folder = CASES / case
        for spec in json.loads((folder / "routes.json").read_text(encoding="utf-8")):
            file = None
            if "file" in spec:
                file = folder / spec["file"]
            elif "shared" in spec:
                file = SHARED / spec["shared"]
            self.add(
                spec["method"],
                spec["path"],
                json=spec.get("json"),
                file=file,
                status=int(spec.get("status", 200)),
                headers=spec.get("headers"),
                query=spec.get("query"),
                body=spec.get("body"),
            )
        return self

    # -- what was asked ------------------------------------------------------
    def count(self, method: str | None = None, path: str = "") -> int:
        """How many requests came (of ``method``, on paths starting with ``path``)."""
        return sum(
            1
            for seen in self.requests
            if (method is None or seen.method == method.upper()) and seen.path.startswith(path)
        )

    def _answer(self, seen: Seen) -> Answer:
        try:
            parsed = seen.json()
        except ValueError:
            parsed = seen.body
        with self._lock:
            self.requests.append(seen)
            candidates = [
                r for r in self.routes if r.matches(seen.method, seen.path, seen.query, parsed)
            ]
            if not candidates:
                self.unmatched.append(seen)
                problem = {
                    "type": "about:blank",
                    "title": "No replay route",
                    "status": 404,
                    "detail": f"{seen.method} {seen.path} {seen.query} has no route",
                }
                return Answer(
                    404, _json_bytes(problem), (("Content-Type", "application/problem+json"),)
                )
            return max(candidates, key=lambda r: r.specificity).next_answer()


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _handler_for(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            answer = server._answer(Seen(self.command, parts.path, query, body))
            data = answer.body.replace(b"{base}", server.url.encode("ascii"))
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_HEAD = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep test output quiet

    return Handler


@contextmanager
def serving() -> Iterator[ReplayServer]:
    """A running :class:`ReplayServer`, stopped on leaving the block."""
    server = ReplayServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """A running :class:`ReplayServer`, stopped after the test."""
    with serving() as server:
        yield server


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (for offline tests)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
