"""Browser tests: a real server with the demo data, driven by Debian's Chromium.

The server runs as a subprocess (``jamlik demo --no-serve`` then ``jamlik serve``) on its
own database, so these tests see exactly what a user sees. Axe-core (bundled with
axe-playwright-python) checks WCAG 2.1 A/AA on each page; screenshots go to
``test-output/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse
from urllib.request import urlopen

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("JAMLIK_CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = "jamlik-demo"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _e2e_database_url() -> str | None:
    """A separate database for the server when the suite runs on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlparse(url)
    # One database per xdist worker: each worker runs its own server, and a worker that
    # dropped the database another worker's server is using would fail (ObjectInUse).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = parts.path.lstrip("/") + "_e2e" + (f"_{worker}" if worker else "")
    import psycopg

    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parts._replace(path="/" + name))


# Package scope: the server and Playwright's event loop end with the browser tests, so
# the database tests that run after them are not inside a running asyncio loop
# (Django refuses synchronous database calls there).
@pytest.fixture(scope="package")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("JAMLIK_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (JAMLIK_REQUIRE_BROWSER is set)")
        pytest.skip(
            f"Chromium not found at {CHROMIUM}; install Debian's chromium to run browser tests"
        )
    data_dir = tmp_path_factory.mktemp("e2e-data")
    env = {**os.environ, "JAMLIK_DATA_DIR": str(data_dir), "JAMLIK_MODE": "demo"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    db_url = _e2e_database_url()
    if db_url:
        env["DATABASE_URL"] = db_url
    else:
        env.pop("DATABASE_URL", None)
    jamlik = [sys.executable, "-m", "jamlik"]
    subprocess.run(
        [*jamlik, "demo", "--no-serve"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    port = _free_port()
    log = open(data_dir / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [*jamlik, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urlopen(url + "/", timeout=2)  # noqa: S310 - loopback only
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError((data_dir / "server.log").read_text()) from None
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="package")
def browser(base_url: str):  # noqa: ANN201
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url: str):  # noqa: ANN001, ANN201
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, locale="sv-SE"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def login() -> Callable[..., None]:
    def do_login(page, username: str, password: str = DEMO_PASSWORD) -> None:  # noqa: ANN001
        page.goto("/konto/logga-in/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("form.login-card button[type=submit]")
        page.wait_for_load_state("networkidle")

    return do_login


@pytest.fixture(scope="package")
def axe():  # noqa: ANN201
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_a11y(axe) -> Callable[..., None]:  # noqa: ANN001
    """Run axe-core (WCAG 2.1 A/AA) on the page, save a screenshot, assert no violations."""

    def check(page, name: str) -> None:  # noqa: ANN001
        page.wait_for_load_state("networkidle")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, f"axe on {name}:\n{results.generate_report()}"

    return check


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
