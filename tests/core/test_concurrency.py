"""Many people at once: concurrent writers, logins and readers against a real server.

A county's editors save at the same moment. On the default database (SQLite) that used
to answer 500 "database is locked" to about half of the saves. Here ``jamlik serve`` runs
in its own process(es) on a file database set up like a real installation (``jamlik
init`` and the demo users, in a temporary ``JAMLIK_DATA_DIR``; on PostgreSQL runs a
database of its own), and threads act as people: editors saving *different* actors
through the API and through the edit form, people logging in (and mistyping), and the
public reading pages, all released at once. Nothing may answer 5xx, and every save must
be stored.

The module also holds the small helpers for driving a server process over HTTP, which the
proxy test (``tests/e2e/test_proxy.py``) reuses.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import httpx
import pytest
from tests.security.forms import edit_form, with_marker

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "jamlik-demo"

# Set up an installation as `jamlik init` does, plus the demo users (not the demo data).
SEED_SCRIPT = """
from jamlik.cli import setup_django
setup_django()
from jamlik.setup import initialise
from jamlik.accounts.demo import seed
initialise(lambda _m: None)
seed(lambda _m: None)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_database_url(suffix: str) -> str | None:
    """On PostgreSQL runs, a fresh database of the server's own (``<name>_<suffix>``)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    parts = urlparse(url)
    # Per xdist worker too: two workers' servers must not drop each other's database.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = parts.path.lstrip("/") + "_" + suffix + (f"_{worker}" if worker else "")
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parts._replace(path="/" + name))


def installation(data_dir: Path, db_suffix: str, **extra: str) -> dict[str, str]:
    """The environment of a fresh installation in ``data_dir``, set up and with demo users."""
    env = {**os.environ, "JAMLIK_DATA_DIR": str(data_dir), "JAMLIK_MODE": "demo", **extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    db_url = server_database_url(db_suffix)
    if db_url:
        env["DATABASE_URL"] = db_url
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", SEED_SCRIPT], env=env, check=True, cwd=ROOT, timeout=300)
    return env


@contextmanager
def running(args: list[str], env: dict[str, str], log_path: Path, url: str) -> Iterator[str]:
    """Run ``python -m jamlik ARGS`` until the block ends; yields ``url`` once it answers."""
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jamlik", *args],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_answering(url, process, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_until_answering(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            httpx.get(url + "/", timeout=5, verify=False)
            return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"{url} never answered:\n{log_path.read_text(encoding='utf-8')}"
                ) from None
            time.sleep(0.3)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def login(client: httpx.Client, username: str, password: str = DEMO_PASSWORD) -> httpx.Response:
    """Log in through the real form (GET it for the CSRF token, POST the credentials)."""
    form = client.get("/konto/logga-in/")
    if form.status_code >= 500:
        return form
    return client.post(
        "/konto/logga-in/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": csrf_from(form.text),
        },
        headers={"Referer": str(form.url)},
    )


# ---------------------------------------------------------------------------------------
# The burst


WRITERS = 4
SAVES_PER_WRITER = 10
LOGINS_PER_THREAD = 4
READS_PER_THREAD = 40
PUBLIC_PAGES = ("/", "/lagesbild/", "/api/v1/areas/0127", "/aktorer/")


@dataclass
class Outcome:
    kind: str
    status: int
    seconds: float
    detail: str = ""


@dataclass
class Burst:
    outcomes: list[Outcome] = field(default_factory=list)
    expected_names: dict[int, str] = field(default_factory=dict)
    wall_seconds: float = 0.0

    def record(
        self, kind: str, response: httpx.Response | None, started: float, err: str = ""
    ) -> None:
        status = response.status_code if response is not None else 599
        detail = err or (response.text[:300] if response is not None and status >= 500 else "")
        self.outcomes.append(Outcome(kind, status, time.monotonic() - started, detail))

    def of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == kind]

    def summary(self) -> str:
        kinds = sorted({o.kind for o in self.outcomes})
        parts = []
        for kind in kinds:
            rows = self.of(kind)
            bad = sum(o.status >= 500 for o in rows)
            slowest = max(o.seconds for o in rows)
            parts.append(f"{kind}: {len(rows)} requests, {bad} 5xx, slowest {slowest:.2f}s")
        return f"wall {self.wall_seconds:.2f}s; " + "; ".join(parts)


def _actor_body(name: str, area: str) -> dict:
    return {
        "name": name,
        "type": "civil_society",
        "level": "local",
        "area": area,
        "areas_served": [area],
    }


def _api_headers(client: httpx.Client, url: str) -> dict[str, str]:
    headers = {"X-CSRFToken": client.cookies["csrftoken"], "Referer": url}
    etag = client.get(url).headers.get("ETag")
    if etag:  # optimistic locking, where the API offers it
        headers["If-Match"] = etag
    return headers


def make_actors(base_url: str, username: str, area: str, count: int) -> list[int]:
    """``count`` actors in ``area``, added through the API by ``username``."""
    with httpx.Client(base_url=base_url, timeout=60, verify=False) as client:
        assert login(client, username).status_code == 302
        ids = []
        for i in range(count):
            response = client.post(
                "/api/v1/actors",
                json=_actor_body(f"Förening {username} {i}", area),
                headers={"X-CSRFToken": client.cookies["csrftoken"], "Referer": base_url + "/"},
            )
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        return ids


def run_burst(base_url: str, actors: dict[str, tuple[str, list[int]]]) -> Burst:
    """Writers, logins and readers at once. ``actors``: username -> (area, actor ids); each
    editor gets two writers (one through the API, one through the form), each with
    SAVES_PER_WRITER actors of its own."""
    burst = Burst()
    clients: list[httpx.Client] = []
    jobs: list[Callable[[], None]] = []

    def client() -> httpx.Client:
        c = httpx.Client(base_url=base_url, timeout=120, verify=False)
        clients.append(c)
        return c

    def api_writer(c: httpx.Client, area: str, ids: list[int], tag: str) -> None:
        for i, pk in enumerate(ids):
            name = f"Sparad {tag} {i}"
            started = time.monotonic()
            try:
                url = f"{base_url}/api/v1/actors/{pk}"
                response = c.put(url, json=_actor_body(name, area), headers=_api_headers(c, url))
            except httpx.TransportError as exc:
                burst.record("api save", None, started, repr(exc))
                continue
            burst.record("api save", response, started)
            if response.status_code == 200:
                burst.expected_names[pk] = name

    def form_writer(c: httpx.Client, ids: list[int], tag: str) -> None:
        for i, pk in enumerate(ids):
            name = f"Sparad {tag} {i}"
            started = time.monotonic()
            try:
                page = c.get(f"/aktorer/aktor/{pk}/andra/")
                if page.status_code != 200:
                    burst.record("form save", page, started)
                    continue
                form = edit_form(page.text)
                data = with_marker(form, name, field="name")
                # The form filler picks the first choice of an empty select; "part of" is
                # optional, and two writers' actors made units of each other is a cycle.
                data["part_of"] = [""]
                data["csrfmiddlewaretoken"] = [csrf_from(page.text)]
                response = c.post(
                    form["action"] or str(page.url), data=data, headers={"Referer": str(page.url)}
                )
            except httpx.TransportError as exc:
                burst.record("form save", None, started, repr(exc))
                continue
            burst.record("form save", response, started)
            if response.status_code == 302:
                burst.expected_names[pk] = name

    def logins(username: str, password: str, kind: str) -> None:
        for _ in range(LOGINS_PER_THREAD):
            started = time.monotonic()
            with httpx.Client(base_url=base_url, timeout=120, verify=False) as c:
                try:
                    burst.record(kind, login(c, username, password), started)
                except httpx.TransportError as exc:
                    burst.record(kind, None, started, repr(exc))

    def reader(c: httpx.Client, offset: int) -> None:
        for i in range(READS_PER_THREAD):
            started = time.monotonic()
            try:
                response = c.get(PUBLIC_PAGES[(i + offset) % len(PUBLIC_PAGES)])
            except httpx.TransportError as exc:
                burst.record("public read", None, started, repr(exc))
                continue
            burst.record("public read", response, started)

    for username, (area, ids) in actors.items():
        api_client, form_client = client(), client()
        assert login(api_client, username).status_code == 302
        assert login(form_client, username).status_code == 302
        half = len(ids) // 2
        jobs.append(lambda c=api_client, a=area, i=ids[:half], u=username: api_writer(c, a, i, u))
        jobs.append(lambda c=form_client, i=ids[half:], u=username: form_writer(c, i, u))
    jobs.append(lambda: logins("lan01", DEMO_PASSWORD, "login"))
    jobs.append(lambda: logins("viewer", DEMO_PASSWORD, "login"))
    jobs.append(lambda: logins("admin", "not-the-password", "failed login"))
    jobs.append(lambda: reader(client(), 0))
    jobs.append(lambda: reader(client(), 2))

    barrier = threading.Barrier(len(jobs))

    def start(job: Callable[[], None]) -> None:
        barrier.wait()
        job()

    threads = [threading.Thread(target=start, args=(job,)) for job in jobs]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    burst.wall_seconds = time.monotonic() - started
    assert not any(t.is_alive() for t in threads), "the burst did not finish in 10 minutes"
    for c in clients:
        c.close()
    return burst


# ---------------------------------------------------------------------------------------
# The test


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One installation, set up once; each server below runs on a copy of its folder."""
    data_dir = tmp_path_factory.mktemp("concurrency-template")
    return data_dir, installation(data_dir, "concurrency")


SERVERS = {
    # Several worker processes (the default on Linux) and the portable one-process server.
    "gunicorn": ["--server", "gunicorn", "--workers", "3"],
    "waitress": ["--server", "waitress"],
}


@pytest.mark.slow
@pytest.mark.parametrize("server", list(SERVERS))
def test_concurrent_writers_logins_and_readers_get_no_500_and_every_save_is_kept(
    server: str, seeded: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    template, env = seeded
    data_dir = tmp_path / "data"
    shutil.copytree(template, data_dir)
    env = {**env, "JAMLIK_DATA_DIR": str(data_dir)}
    port = free_port()
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), *SERVERS[server]]
    with running(args, env, tmp_path / "server.log", f"http://127.0.0.1:{port}") as base_url:
        half = WRITERS // 2 * SAVES_PER_WRITER
        actors = {
            "botkyrka": ("0127", make_actors(base_url, "botkyrka", "0127", half)),
            "lidingo": ("0186", make_actors(base_url, "lidingo", "0186", half)),
        }
        burst = run_burst(base_url, actors)
        print(f"\n[{server}] {burst.summary()}")

        failures = [o for o in burst.outcomes if o.status >= 500]
        assert not failures, f"{len(failures)} answers of 5xx: {failures[:3]}"
        saves = burst.of("api save") + burst.of("form save")
        assert len(saves) == WRITERS * SAVES_PER_WRITER
        assert [o.status for o in burst.of("api save")] == [200] * len(burst.of("api save"))
        assert [o.status for o in burst.of("form save")] == [302] * len(burst.of("form save"))
        # A login is let in (302), or told the server is busy hashing (429), never a 500.
        logins = {o.status for o in burst.of("login")}
        assert 302 in logins and logins <= {302, 429}, logins
        assert {o.status for o in burst.of("failed login")} <= {200, 429}
        assert {o.status for o in burst.of("public read")} == {200}

        # Every save is stored: read each actor back.
        with httpx.Client(base_url=base_url, timeout=60) as reader:
            assert login(reader, "lan01").status_code == 302
            stored = {
                pk: reader.get(f"/api/v1/actors/{pk}").json()["name"] for pk in burst.expected_names
            }
        assert stored == burst.expected_names
        assert len(stored) == WRITERS * SAVES_PER_WRITER


# A long import holding the write lock: public readers must not wait for it.
HOLD_WRITE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=20, isolation_level=None)
conn.execute("PRAGMA cache_size=1")  # spill to the file at once, as a large import does
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE import_staging (row BLOB)")
conn.execute(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
    "INSERT INTO import_staging SELECT randomblob(200) FROM n"
)
print("HELD", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print(time.time(), flush=True)
"""


@pytest.mark.slow
def test_public_reads_do_not_wait_for_a_long_write(
    seeded: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """The finding: during a large import, public reads waited 20 s and then failed."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("SQLite's locking; PostgreSQL readers never wait for writers")
    template, env = seeded
    data_dir = tmp_path / "data"
    shutil.copytree(template, data_dir)
    env = {**env, "JAMLIK_DATA_DIR": str(data_dir)}
    port = free_port()
    args = ["serve", "--port", str(port), "--workers", "2"]
    url = f"http://127.0.0.1:{port}"
    with (
        running(args, env, tmp_path / "server.log", url),
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        assert client.get("/lagesbild/").status_code == 200  # the workers are up
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_WRITE_LOCK, str(data_dir / "jamlik.sqlite3"), "8"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "HELD"
        statuses = [client.get(page).status_code for page in PUBLIC_PAGES]
        read_done = time.time()
        committed = float(holder.stdout.readline())
        holder.stdout.close()
        assert holder.wait(timeout=30) == 0
    assert statuses == [200] * len(PUBLIC_PAGES)
    assert read_done < committed, "the public pages waited for the writer to commit"
