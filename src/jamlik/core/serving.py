"""Serving Jämlik over HTTP: which server, how many processes, and what address to give.

Where gunicorn runs (Linux and other POSIX systems) ``jamlik serve`` starts several worker
processes, so one slow page or report does not hold up everyone else; the number defaults
to 2 × cores + 1, capped at ``MAX_WORKERS``. Elsewhere (Windows) waitress serves in one
process with threads, the portable fallback.

What to print matters: production mode sends plain http to https, so the address the
process listens on is only for the TLS-terminating proxy in front of it, and the address
that works is the proxy's. Demo and dev modes serve plain http directly.
(Forwarding headers from the proxy are handled by :mod:`jamlik.core.proxies`.)
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SERVERS = ("auto", "gunicorn", "waitress")
MAX_WORKERS = 8
GUNICORN_THREADS = 4  # per worker process: a page waiting on the database frees the CPU
WAITRESS_THREADS = 8
REQUEST_TIMEOUT = 120  # seconds a gunicorn worker may spend on one request (PDFs, imports)


class ServeError(RuntimeError):
    """The requested way of serving is not possible here."""


def default_workers(cpu_count: int | None = None) -> int:
    """2 × cores + 1 (gunicorn's rule of thumb), at most ``MAX_WORKERS``: every worker holds
    its own copy of the application, and SQLite has one writer at a time anyway."""
    cores = cpu_count or os.cpu_count() or 1
    return max(1, min(2 * cores + 1, MAX_WORKERS))


def gunicorn_available() -> bool:
    return os.name == "posix" and importlib.util.find_spec("gunicorn") is not None


def choose_server(requested: str = "auto") -> str:
    if requested not in SERVERS:
        raise ServeError(f"--server must be one of {', '.join(SERVERS)}; got {requested!r}.")
    if requested == "auto":
        return "gunicorn" if gunicorn_available() else "waitress"
    if requested == "gunicorn" and not gunicorn_available():
        raise ServeError(
            "gunicorn is not available here (it needs a POSIX system); use --server waitress."
        )
    return requested


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


@dataclass(frozen=True)
class ServePlan:
    """How this process will serve, and what to tell the person who started it."""

    server: str
    host: str
    port: int
    workers: int
    mode: str
    allowed_hosts: tuple[str, ...]
    trusted_proxies: tuple[str, ...]

    @property
    def production(self) -> bool:
        return self.mode == "production"

    @property
    def listen_url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}/"

    @property
    def public_url(self) -> str:
        """The address that works: the proxy's https address in production mode."""
        if not self.production:
            return self.listen_url
        names = [h for h in self.allowed_hosts if h and h != "*" and not h.startswith(".")]
        return f"https://{names[0] if names else 'localhost'}/"

    @property
    def processes(self) -> str:
        if self.server == "gunicorn":
            return f"gunicorn, {self.workers} worker process{'es' if self.workers != 1 else ''}"
        return f"waitress, one process with {WAITRESS_THREADS} threads"

    def banner(self) -> list[str]:
        """Lines (rich markup) that say where Jämlik is and how to reach it."""
        if not self.production:
            return [
                f"Jämlik is running on [bold]{self.listen_url}[/bold] "
                f"({self.mode} mode, plain http; {self.processes}). Ctrl+C stops it."
            ]
        lines = [
            f"Jämlik is running in production mode; open [bold]{self.public_url}[/bold] "
            f"through the TLS-terminating proxy in front of it.",
            f"It listens on {self.listen_url} for that proxy only: production mode redirects "
            f"plain http to https, so this address alone leads nowhere "
            f"(docs/deployment.md; for a local try, run `jamlik demo`). "
            f"{self.processes.capitalize()}. Ctrl+C stops it.",
        ]
        if self.trusted_proxies:
            lines.append(f"Trusted proxies: {', '.join(self.trusted_proxies)}.")
        else:
            lines.append(
                "[yellow]JAMLIK_TRUSTED_PROXIES is empty:[/yellow] X-Forwarded-Proto is "
                "ignored, so requests through a proxy are redirected to https again and again."
            )
        return lines


def plan(
    *,
    host: str,
    port: int,
    workers: int | None,
    server: str,
    mode: str,
    allowed_hosts: tuple[str, ...],
    trusted_proxies: tuple[str, ...],
) -> ServePlan:
    chosen = choose_server(server)
    if workers is not None and workers < 1:
        raise ServeError(f"--workers must be at least 1; got {workers}.")
    count = workers if workers is not None else default_workers()
    return ServePlan(
        server=chosen,
        host=host,
        port=port,
        workers=count if chosen == "gunicorn" else 1,
        mode=mode,
        allowed_hosts=allowed_hosts,
        trusted_proxies=trusted_proxies,
    )


def gunicorn_options(serve: ServePlan) -> dict[str, Any]:
    """gunicorn settings for ``serve`` (also what the tests check)."""
    return {
        "bind": f"{'[' + serve.host + ']' if ':' in serve.host else serve.host}:{serve.port}",
        "workers": serve.workers,
        "worker_class": "gthread",
        "threads": GUNICORN_THREADS,
        "timeout": REQUEST_TIMEOUT,
        "graceful_timeout": 30,
        "keepalive": 5,
        "preload_app": True,  # load Django once; workers share the memory pages
        # gunicorn's own idea of the scheme agrees with jamlik.core.proxies.
        "forwarded_allow_ips": ",".join(serve.trusted_proxies),
        "proc_name": "jamlik",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "control_socket_disable": True,  # gunicorn ≥ 24 would share one socket in $HOME
    }


def run(serve: ServePlan, application: Callable[..., Any]) -> None:
    """Serve ``application`` until stopped."""
    if serve.server == "gunicorn":
        _run_gunicorn(serve, application)
    else:
        from waitress import serve as waitress_serve

        waitress_serve(
            application, host=serve.host, port=serve.port, threads=WAITRESS_THREADS, ident="jamlik"
        )


def _run_gunicorn(serve: ServePlan, application: Callable[..., Any]) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(serve)

    class JamlikApplication(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # older gunicorn lacks some settings
                    self.cfg.set(key, value)

        def load(self) -> Callable[..., Any]:
            return application

    connections.close_all()  # never hand a database connection to forked workers
    JamlikApplication().run()
