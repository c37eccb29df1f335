"""HTTP with the manners public statistics APIs expect: retries, back-off, throttling.

Kolada and PxWeb are free public services that answer HTTP 429 when called
too often and occasionally 5xx under load.  Both are retried with
exponential back-off (honouring ``Retry-After``), and PxWeb's published
call limit is respected up front by :class:`Throttle`.  ``sleep`` and
``clock`` are injectable so tests run instantly.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from jamlik.sources.errors import SourceError, SourceOfflineError

Sleep = Callable[[float], None]
Clock = Callable[[], float]

USER_AGENT = "jamlik (public-health platform; https://github.com/) httpx"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry: delays ``backoff * 2**n`` capped at ``max_delay``."""

    attempts: int = 5
    backoff: float = 1.0
    max_delay: float = 60.0

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1`` (0-based ``attempt``)."""
        if retry_after is not None:
            try:
                return min(max(float(retry_after), 0.0), self.max_delay)
            except ValueError:
                pass  # an HTTP date; fall back to our own schedule
        return min(self.backoff * (2**attempt), self.max_delay)


@dataclass(slots=True)
class Throttle:
    """Allow at most ``max_calls`` calls per ``window`` seconds (sliding window)."""

    max_calls: int
    window: float
    sleep: Sleep = time.sleep
    clock: Clock = time.monotonic
    _calls: deque[float] = field(default_factory=deque)

    def wait(self) -> None:
        """Block until one more call is allowed, then record it."""
        if self.max_calls <= 0 or self.window <= 0:
            return
        now = self.clock()
        while self._calls and now - self._calls[0] >= self.window:
            self._calls.popleft()
        if len(self._calls) >= self.max_calls:
            pause = self.window - (now - self._calls[0])
            if pause > 0:
                self.sleep(pause)
            now = self.clock()
            self._calls.popleft()
        self._calls.append(now)


def _is_retryable(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


def _problem_text(response: httpx.Response) -> str:
    """The most useful short text of an error response (Problem JSON or body)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300].strip()
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("title", "detail", "message") if body.get(k)]
        if parts:
            return "; ".join(parts)
    return str(body)[:300]


class JsonHttp:
    """Send requests and decode JSON, retrying transient failures.

    ``service`` is a human name ("Kolada", "SCB PxWeb") used in error messages
    so a user knows which service failed.
    """

    def __init__(
        self,
        service: str,
        client: httpx.Client | None = None,
        *,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        throttle: Throttle | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.service = service
        self.client = client or httpx.Client(
            timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True
        )
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.throttle = throttle
        self.calls = 0

    def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
    ) -> Any:
        """Return the decoded JSON body; raise SourceError/SourceOfflineError when it fails."""
        last_error = ""
        for attempt in range(self.retry.attempts):
            if self.throttle is not None:
                self.throttle.wait()
            self.calls += 1
            try:
                response = self.client.request(method, url, params=params, json=json)
            except (httpx.TransportError, OSError) as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                if attempt + 1 < self.retry.attempts:
                    self.sleep(self.retry.delay(attempt))
                    continue
                host = urlsplit(url).netloc or url
                raise SourceOfflineError(
                    f"Could not reach {self.service} at {host} after {self.retry.attempts} "
                    f"attempts ({last_error}). Check the network connection or proxy "
                    "settings and try again; nothing was fetched."
                ) from exc
            if _is_retryable(response.status_code) and attempt + 1 < self.retry.attempts:
                last_error = f"HTTP {response.status_code}"
                self.sleep(self.retry.delay(attempt, response.headers.get("Retry-After")))
                continue
            if response.status_code >= 400:
                raise SourceError(
                    f"{self.service} answered HTTP {response.status_code} for {method} "
                    f"{response.request.url}: {_problem_text(response)}"
                )
            try:
                return response.json()
            except ValueError as exc:
                raise SourceError(
                    f"{self.service} sent a response that is not JSON for {response.request.url}"
                ) from exc
        raise SourceError(f"{self.service}: giving up on {url} ({last_error})")  # pragma: no cover

    def get(self, url: str, params: dict[str, str] | None = None) -> Any:
        """GET ``url`` and return its JSON."""
        return self.request("GET", url, params=params)

    def post(self, url: str, body: Any, params: dict[str, str] | None = None) -> Any:
        """POST a JSON ``body`` to ``url`` and return the JSON answer."""
        return self.request("POST", url, params=params, json=body)
