"""Serving: trusted proxies, the https redirect behind a proxy, worker processes, the
address ``jamlik serve`` prints, and SQLite's settings for many people at once.

The whole path through a real TLS proxy is ``tests/e2e/test_proxy.py``; concurrent
writers against a real server are ``tests/core/test_concurrency.py``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from jamlik.cli import app
from jamlik.config import DEFAULT_TRUSTED_PROXIES, ConfigError, load_config
from jamlik.core import serving
from jamlik.core.proxies import apply_forwarding, client_address, networks

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


# --- JAMLIK_TRUSTED_PROXIES -----------------------------------------------------------


def test_trusted_proxies_default_to_this_machine(tmp_path: Path) -> None:
    config = load_config({"JAMLIK_DATA_DIR": str(tmp_path), "JAMLIK_MODE": "demo"})
    assert config.trusted_proxies == DEFAULT_TRUSTED_PROXIES == ("127.0.0.1", "::1")


def test_trusted_proxies_are_addresses_or_networks(tmp_path: Path) -> None:
    env = {"JAMLIK_DATA_DIR": str(tmp_path), "JAMLIK_MODE": "demo"}
    config = load_config(env | {"JAMLIK_TRUSTED_PROXIES": " 10.0.0.5, 192.168.1.9/24 ,::1"})
    assert config.trusted_proxies == ("10.0.0.5", "192.168.1.0/24", "::1")
    assert load_config(env | {"JAMLIK_TRUSTED_PROXIES": ""}).trusted_proxies == ()
    with pytest.raises(ConfigError, match="JAMLIK_TRUSTED_PROXIES .* 'proxy.example' is"):
        load_config(env | {"JAMLIK_TRUSTED_PROXIES": "127.0.0.1,proxy.example"})


# --- Forwarding headers ---------------------------------------------------------------


def _meta(peer: str, **headers: str) -> dict[str, str]:
    return {"REMOTE_ADDR": peer, **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}


def test_forwarding_headers_from_an_untrusted_peer_are_dropped() -> None:
    meta = _meta(
        "203.0.113.9",
        x_forwarded_proto="https",
        x_forwarded_for="10.1.1.1",
        x_forwarded_host="evil.example",
        forwarded="for=10.1.1.1;proto=https",
        user_agent="curl",
    )
    apply_forwarding(meta, ("127.0.0.1",))
    assert meta == {"REMOTE_ADDR": "203.0.113.9", "HTTP_USER_AGENT": "curl"}


def test_a_trusted_proxy_gives_the_scheme_and_the_client_address() -> None:
    meta = _meta("127.0.0.1", x_forwarded_proto="https", x_forwarded_for="198.51.100.7")
    apply_forwarding(meta, ("127.0.0.1", "::1"))
    assert meta["REMOTE_ADDR"] == "198.51.100.7"
    assert meta["HTTP_X_FORWARDED_PROTO"] == "https"


def test_the_client_cannot_choose_its_address_through_a_proxy() -> None:
    """The proxy appends the address it saw; what the client wrote stands further left."""
    trusted = networks(("127.0.0.1", "10.0.0.0/8"))
    assert client_address("6.6.6.6, 198.51.100.7", trusted) == "198.51.100.7"
    # Two proxies of ours in a row: the first address that is not ours.
    assert client_address("6.6.6.6, 198.51.100.7, 10.0.0.2", trusted) == "198.51.100.7"
    assert client_address("garbage, 198.51.100.7", trusted) == "198.51.100.7"
    assert client_address("198.51.100.7, garbage", trusted) is None
    assert client_address("10.0.0.2", trusted) is None


def test_an_ipv4_mapped_peer_counts_as_its_ipv4_address() -> None:
    meta = _meta("::ffff:127.0.0.1", x_forwarded_proto="https")
    apply_forwarding(meta, ("127.0.0.1",))
    assert meta["HTTP_X_FORWARDED_PROTO"] == "https"


@pytest.fixture
def production_redirects(settings):  # noqa: ANN001, ANN201 - pytest-django fixture
    """What production mode turns on for the scheme (the rest of the test settings stay)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.JAMLIK_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    return settings


def test_through_a_trusted_proxy_a_page_is_served_not_redirected_again(
    production_redirects,
    geography,  # noqa: ANN001
) -> None:
    """The finding: behind a TLS proxy every request was redirected to https, forever."""
    client = Client(REMOTE_ADDR="127.0.0.1")
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response.wsgi_request.is_secure()


def test_plain_http_and_spoofed_https_are_redirected(production_redirects, geography) -> None:  # noqa: ANN001
    plain = Client(REMOTE_ADDR="127.0.0.1").get("/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    spoofed = Client(REMOTE_ADDR="203.0.113.9").get("/", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301 and spoofed["Location"].startswith("https://")


def test_no_trusted_proxies_means_no_one_is_believed(production_redirects, geography) -> None:  # noqa: ANN001
    production_redirects.JAMLIK_TRUSTED_PROXIES = []
    response = Client(REMOTE_ADDR="127.0.0.1").get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301


def test_the_proxy_middleware_runs_first(settings) -> None:  # noqa: ANN001
    assert settings.MIDDLEWARE[0] == "jamlik.core.proxies.TrustedProxyMiddleware"


# --- Worker processes and the printed address ----------------------------------------


def test_default_workers_grow_with_the_cores_and_are_capped() -> None:
    assert serving.default_workers(1) == 3
    assert serving.default_workers(2) == 5
    assert serving.default_workers(64) == serving.MAX_WORKERS


def _plan(**changes: object) -> serving.ServePlan:
    args: dict = {
        "host": "127.0.0.1",
        "port": 8000,
        "workers": None,
        "server": "auto",
        "mode": "production",
        "allowed_hosts": ("jamlik.example.se",),
        "trusted_proxies": ("127.0.0.1", "::1"),
    }
    return serving.plan(**(args | changes))


@pytest.mark.skipif(not serving.gunicorn_available(), reason="gunicorn runs on POSIX only")
def test_gunicorn_runs_several_workers_and_trusts_the_same_proxies() -> None:
    plan = _plan(workers=3)
    assert plan.server == "gunicorn" and plan.workers == 3
    options = serving.gunicorn_options(plan)
    assert options["bind"] == "127.0.0.1:8000"
    assert options["workers"] == 3
    assert options["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert serving.gunicorn_options(_plan(host="::1"))["bind"] == "[::1]:8000"
    assert _plan().workers == serving.default_workers()


def test_waitress_is_one_process() -> None:
    plan = _plan(server="waitress", workers=4)
    assert plan.server == "waitress" and plan.workers == 1


def test_impossible_choices_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(serving.ServeError, match="--workers must be at least 1"):
        _plan(workers=0)
    with pytest.raises(serving.ServeError, match="--server must be one of"):
        _plan(server="uwsgi")
    monkeypatch.setattr(serving, "gunicorn_available", lambda: False)
    assert _plan().server == "waitress"
    with pytest.raises(serving.ServeError, match="use --server waitress"):
        _plan(server="gunicorn")


def test_production_prints_the_proxy_address_and_why() -> None:
    text = "\n".join(_plan().banner())
    assert "https://jamlik.example.se/" in text
    assert "http://127.0.0.1:8000/" in text and "proxy" in text and "redirects" in text
    empty = "\n".join(_plan(trusted_proxies=()).banner())
    assert "JAMLIK_TRUSTED_PROXIES is empty" in empty


def test_demo_mode_prints_the_plain_http_address() -> None:
    text = "\n".join(_plan(mode="demo", host="0.0.0.0").banner())
    assert "http://127.0.0.1:8000/" in text and "https" not in text


@pytest.mark.django_db
def test_serve_command_prints_what_works_and_serves(settings, monkeypatch) -> None:  # noqa: ANN001
    """A newcomer who seeded the demo and then ran `jamlik serve` in production mode is
    told where to look, instead of an http address that only redirects."""
    from jamlik.core.models import SiteState

    SiteState.objects.update_or_create(pk=1, defaults={"demo_loaded": True})
    settings.CONFIG = dataclasses.replace(
        settings.CONFIG, mode="production", allowed_hosts=("jamlik.example.se",)
    )
    served: list[serving.ServePlan] = []
    monkeypatch.setattr(serving, "run", lambda plan, application: served.append(plan))
    result = runner.invoke(app, ["serve", "--port", "8123", "--workers", "2"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "https://jamlik.example.se/" in output and "http://127.0.0.1:8123/" in output
    assert "jamlik demo" in output  # the way to look at the demo without a proxy
    assert served[0].port == 8123 and served[0].production
    assert served[0].workers == (2 if served[0].server == "gunicorn" else 1)

    refused = runner.invoke(app, ["serve", "--workers", "0"])
    assert refused.exit_code == 2 and "at least 1" in refused.output


# --- SQLite for many people at once --------------------------------------------------

PRAGMAS = """
import json
from jamlik.cli import setup_django
setup_django()
from django.db import connection
with connection.cursor() as cursor:
    found = {p: cursor.execute(f"PRAGMA {p}").fetchone()[0]
             for p in ("journal_mode", "synchronous", "busy_timeout")}
print(json.dumps({**found, "mode": connection.transaction_mode}))
"""


def test_sqlite_connections_use_wal_immediate_transactions_and_a_busy_timeout(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "JAMLIK_DATA_DIR": str(tmp_path), "JAMLIK_MODE": "dev"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", PRAGMAS], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found == {
        "journal_mode": "wal",
        "synchronous": 1,
        "busy_timeout": 20000,
        "mode": "IMMEDIATE",
    }
