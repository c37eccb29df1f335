"""HTTP with the manners public statistics APIs expect: retries, back-off, throttling, caching.

Kolada and PxWeb are free public services that answer HTTP 429 when called
too often and occasionally 5xx under load.  Both are retried by tenacity
with exponential back-off, honouring ``Retry-After`` (RFC 9110 §10.2.3:
seconds or an HTTP date); other 4xx answers are not retried, they will not
get better.  When the service cannot be reached at all (connection refused,
no DNS) a few quick attempts are made and then :class:`SourceOfflineError`
says which address failed and which setting points elsewhere, instead of
backing off for half a minute.

PxWeb's published call limit is respected up front by :class:`Throttle`
(a sliding window; no maintained rate-limiting library is among the
project's dependencies and this is a dozen lines).

Metadata (Kolada's KPI and area lists, PxWeb's ``/config`` and table
metadata) is cached on disk with hishel's httpx transport, so a second run
does not ask again; values are always fetched fresh.  ``sleep`` and
``clock`` are injectable so tests run instantly.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type

from jamlik.sources.errors import SourceError, SourceOfflineError

Sleep = Callable[[float], None]
Clock = Callable[[], float]

USER_AGENT = "jamlik (public-health platform; https://github.com/) httpx"
#: How long cached metadata is served without asking the service again.
METADATA_TTL = 24 * 3600.0
#: Connection errors that mean "cannot reach the service at all".
OFFLINE_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry.

    Retryable answers (429, 5xx) and broken transfers get ``attempts`` tries,
    waiting ``backoff * 2**n`` seconds (capped at ``max_delay``) unless the
    server sent ``Retry-After``.  An unreachable service gets only
    ``offline_attempts`` tries, ``offline_backoff * 2**n`` apart: by default
    three attempts within a second.
    """

    attempts: int = 5
    backoff: float = 1.0
    max_delay: float = 60.0
    offline_attempts: int = 3
    offline_backoff: float = 0.25

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1`` (0-based ``attempt``)."""
        if retry_after is not None:
            seconds = parse_retry_after(retry_after)
            if seconds is not None:
                return min(seconds, self.max_delay)
        return min(self.backoff * (2**attempt), self.max_delay)


def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` value (delta-seconds or an HTTP date), or None."""
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


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


class _RetryableStatus(Exception):
    """An answer worth asking again (429, 5xx); carries the response for the last word."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


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


def metadata_client(cache_dir: Path, *, timeout: httpx.Timeout, ttl: float = METADATA_TTL):  # noqa: ANN201
    """An httpx client whose successful GETs are kept ``ttl`` seconds in ``cache_dir``.

    hishel 2's default (non-RFC) mode caches GET/HEAD by method and URL and
    ignores the services' own cache headers (Kolada and PxWeb send none that
    help), which is what metadata needs; only 2xx answers are stored.
    """
    from hishel import SqliteStorage
    from hishel.httpx import CacheClient

    cache_dir.mkdir(parents=True, exist_ok=True)
    storage = SqliteStorage(database_path=cache_dir / "http-cache.sqlite3", default_ttl=ttl)
    return CacheClient(
        storage=storage,
        timeout=timeout,
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
    )


class JsonHttp:
    """Send requests and decode JSON, retrying transient failures.

    ``service`` is a human name ("Kolada", "SCB PxWeb") and ``setting`` how a
    user points Jämlik elsewhere ("--base-url or JAMLIK_KOLADA_URL"), both used
    in error messages so a user knows which service failed and what to change.
    With ``cache_dir`` set, :meth:`metadata` answers are cached there.
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
        cache_dir: Path | None = None,
        setting: str = "",
    ) -> None:
        self.service = service
        self.setting = setting
        limits = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self.client = client or httpx.Client(
            timeout=limits, headers={"User-Agent": USER_AGENT}, follow_redirects=True
        )
        self.cached = metadata_client(cache_dir, timeout=limits) if cache_dir else None
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.throttle = throttle
        self.calls = 0

    # -- tenacity's hooks ------------------------------------------------------
    def _stop(self, state: RetryCallState) -> bool:
        error = state.outcome.exception() if state.outcome else None
        limit = (
            self.retry.offline_attempts
            if isinstance(error, OFFLINE_ERRORS)
            else self.retry.attempts
        )
        return state.attempt_number >= limit

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        attempt = state.attempt_number - 1
        if isinstance(error, OFFLINE_ERRORS):
            return min(self.retry.offline_backoff * (2**attempt), self.retry.max_delay)
        retry_after = (
            error.response.headers.get("Retry-After")
            if isinstance(error, _RetryableStatus)
            else None
        )
        return self.retry.delay(attempt, retry_after)

    def _send(
        self, client: httpx.Client, method: str, url: str, params: Any, json: Any
    ) -> httpx.Response:
        if self.throttle is not None:
            self.throttle.wait()
        self.calls += 1
        response = client.request(method, url, params=params, json=json)
        if _is_retryable(response.status_code):
            response.read()
            raise _RetryableStatus(response)
        return response

    # -- requests --------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        cache: bool = False,
    ) -> Any:
        """Return the decoded JSON body; raise SourceError/SourceOfflineError when it fails."""
        client = self.cached if cache and self.cached is not None else self.client
        retrying = Retrying(
            stop=self._stop,
            wait=self._wait,
            sleep=self.sleep,
            retry=retry_if_exception_type((_RetryableStatus, httpx.TransportError, OSError)),
            reraise=True,
        )
        try:
            response = retrying(self._send, client, method, url, params, json)
        except _RetryableStatus as exc:
            response = exc.response
        except OFFLINE_ERRORS as exc:
            raise SourceOfflineError(self._offline_message(url, exc, retrying)) from exc
        except (httpx.TransportError, OSError) as exc:
            raise SourceError(
                f"{self.service}: the connection to {url} broke off "
                f"({type(exc).__name__}: {exc}); nothing was fetched"
            ) from exc
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

    def _offline_message(self, url: str, exc: Exception, retrying: Retrying) -> str:
        parts = urlsplit(url)
        where = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else url
        attempts = retrying.statistics.get("attempt_number", self.retry.offline_attempts)
        change = f", or point Jämlik at another address with {self.setting}" if self.setting else ""
        return (
            f"Could not reach {self.service} at {parts.netloc or url} ({where}) after "
            f"{attempts} attempts ({type(exc).__name__}: {exc}). Check the network "
            f"connection or proxy settings{change}; nothing was fetched."
        )

    def get(self, url: str, params: dict[str, str] | None = None) -> Any:
        """GET ``url`` and return its JSON (never from the cache: values must be fresh)."""
        return self.request("GET", url, params=params)

    def metadata(self, url: str, params: dict[str, str] | None = None) -> Any:
        """GET metadata at ``url``, from the on-disk cache when there is one."""
        return self.request("GET", url, params=params, cache=True)

    def post(self, url: str, body: Any, params: dict[str, str] | None = None) -> Any:
        """POST a JSON ``body`` to ``url`` and return the JSON answer (never cached)."""
        return self.request("POST", url, params=params, json=body)

    def close(self) -> None:
        """Close the connections and the cache."""
        self.client.close()
        if self.cached is not None:
            self.cached.close()

    def __enter__(self) -> JsonHttp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
