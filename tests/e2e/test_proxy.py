"""The production recipe, end to end: nginx terminating TLS in front of ``jamlik serve``.

The nginx configuration is the one in ``docs/deployment.md`` (taken from the page, with
the ports, host name and certificate paths of this test), so what is documented is what
is tested. A certificate authority and a certificate for localhost are made here with
openssl; the client verifies against that authority. Jämlik runs in production mode
(https redirect, secure cookies, HSTS) on a fresh installation.

The finding this pins: behind a TLS proxy every request was redirected to https again,
forever, because the server did not believe the proxy's X-Forwarded-Proto.

Skipped when nginx or openssl is missing, unless ``JAMLIK_REQUIRE_PROXY`` is set (CI
sets it and installs nginx).
"""

from __future__ import annotations

import os
import re
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from tests.core.test_concurrency import (
    free_port,
    installation,
    login,
    running,
    wait_until_answering,
)

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"

pytestmark = pytest.mark.slow


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
    )
    if found:
        return found
    if os.environ.get("JAMLIK_REQUIRE_PROXY"):
        pytest.fail(f"{name} not found (JAMLIK_REQUIRE_PROXY is set)")
    pytest.skip(f"{name} not found; install Debian's nginx and openssl to run the proxy test")


def documented_nginx_config() -> str:
    """The ```nginx block of docs/deployment.md."""
    text = DEPLOYMENT_DOC.read_text(encoding="utf-8")
    match = re.search(r"```nginx\n(.*?)```", text, re.S)
    assert match, "docs/deployment.md has no ```nginx block"
    return match.group(1)


def make_certificates(folder: Path, openssl: str) -> tuple[Path, Path, Path]:
    """A throw-away certificate authority and a certificate for localhost / 127.0.0.1."""

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=folder, check=True, capture_output=True)

    run(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Jamlik test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    run(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=localhost",
    )  # fmt: skip
    (folder / "server.ext").write_text(
        "basicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
        "authorityKeyIdentifier=keyid\n",
        encoding="utf-8",
    )
    run(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-out", "server.pem", "-extfile", "server.ext",
    )  # fmt: skip
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


def nginx_config(
    folder: Path, *, app_port: int, http_port: int, https_port: int, cert: Path, key: Path
) -> str:
    """The documented server blocks on this test's loopback ports, in a minimal nginx.conf
    that keeps every file nginx writes inside ``folder``."""
    site = documented_nginx_config()
    for old, new in [
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("https://$host$request_uri", f"https://$host:{https_port}$request_uri"),
        ("server_name jamlik.example.se;", "server_name localhost 127.0.0.1;"),
        ("/etc/ssl/jamlik/fullchain.pem", str(cert)),
        ("/etc/ssl/jamlik/privkey.pem", str(key)),
        ("http://127.0.0.1:8000", f"http://127.0.0.1:{app_port}"),
    ]:
        assert old in site, f"the documented nginx configuration no longer has {old!r}"
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the temp paths
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n    access_log {folder / 'access.log'};\n{temp}\n{site}\n}}\n"
    )


@dataclass
class Site:
    https_url: str
    http_url: str
    app_url: str
    ca: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    nginx, openssl = _tool("nginx"), _tool("openssl")
    folder = tmp_path_factory.mktemp("proxy")
    ca, cert, key = make_certificates(folder, openssl)
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    env = installation(
        folder / "data",
        "proxy",
        JAMLIK_MODE="production",
        SECRET_KEY="proxy-test-" + "k" * 50,
        JAMLIK_ALLOWED_HOSTS="localhost,127.0.0.1",
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        nginx_config(
            folder,
            app_port=app_port,
            http_port=http_port,
            https_port=https_port,
            cert=cert,
            key=key,
        ),
        encoding="utf-8",
    )
    app_url = f"http://127.0.0.1:{app_port}"
    serve = ["serve", "--host", "127.0.0.1", "--port", str(app_port), "--workers", "2"]
    with running(serve, env, folder / "server.log", app_url):
        with open(folder / "nginx.out", "w", encoding="utf-8") as out:
            proxy = subprocess.Popen(
                [nginx, "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(conf),
                 "-g", "daemon off;"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                https_url = f"https://localhost:{https_port}"
                wait_until_answering(https_url, proxy, folder / "error.log")
                yield Site(https_url, f"http://127.0.0.1:{http_port}", app_url, ca)
            finally:
                proxy.terminate()
                proxy.wait(timeout=20)
        print((folder / "server.log").read_text(encoding="utf-8")[-2000:])


def _client(site: Site, **kwargs: object) -> httpx.Client:
    return httpx.Client(
        base_url=site.https_url, verify=ssl.create_default_context(cafile=str(site.ca)),
        timeout=60, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_pages_through_the_proxy_are_served_not_redirected_again(site: Site) -> None:
    with _client(site) as client:
        for path in ("/", "/lagesbild/", "/konto/logga-in/", "/api/v1/areas/0127"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.headers)
        assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_plain_http_reaches_the_page_in_one_redirect(site: Site) -> None:
    """Through the proxy's port 80 block, and straight at the app: one hop to https."""
    with _client(site, follow_redirects=True, max_redirects=3) as client:
        response = client.get(site.http_url.replace("127.0.0.1", "localhost") + "/lagesbild/")
        assert response.status_code == 200
        assert [r.status_code for r in response.history] == [301]
        assert str(response.url) == site.https_url + "/lagesbild/"
    # The app itself, asked in plain http without the proxy's header: to https.
    direct = httpx.get(site.app_url + "/lagesbild/", headers={"Host": "localhost"})
    assert direct.status_code == 301
    assert direct.headers["Location"] == "https://localhost/lagesbild/"


def test_a_peer_that_is_not_a_trusted_proxy_cannot_claim_https(site: Site) -> None:
    """127.0.0.2 is this machine too, but not in JAMLIK_TRUSTED_PROXIES (127.0.0.1, ::1)."""
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(transport=transport, timeout=30) as client:
        spoofed = client.get(
            site.app_url + "/lagesbild/",
            headers={"Host": "localhost", "X-Forwarded-Proto": "https"},
        )
    assert spoofed.status_code == 301
    assert spoofed.headers["Location"] == "https://localhost/lagesbild/"


def test_login_through_the_proxy_with_secure_cookies(site: Site) -> None:
    with _client(site) as client:
        form = client.get("/konto/logga-in/")
        assert "secure" in form.headers["set-cookie"].lower()  # the CSRF cookie
        response = login(client, "lan01")
        assert response.status_code == 302, response.text[:500]
        assert not response.headers["Location"].startswith("http:")
        cookies = [c.lower() for c in response.headers.get_list("set-cookie")]
        session = next(c for c in cookies if c.startswith("sessionid="))
        assert "secure" in session and "httponly" in session
        page = client.get("/aktorer/aktor/ny/")  # for logged-in editors only
        assert page.status_code == 200 and "lan01" in page.text


def test_a_wrong_password_through_the_proxy_is_an_ordinary_refusal(site: Site) -> None:
    with _client(site) as client:
        assert login(client, "viewer", "not-the-password").status_code == 200
