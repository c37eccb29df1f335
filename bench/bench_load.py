"""Benchmark: 50 concurrent clients against public pages and API lists, on loopback only.

Serves a copy of the national data set (:func:`national.national_database`:
702 000 published values) with ``jamlik serve --workers N`` (gunicorn, as
deployed: production mode, the clients saying ``X-Forwarded-Proto: https`` as
the TLS-terminating proxy in front would) on 127.0.0.1 and a free port, in a
temporary data folder.  Then ``--clients`` simulated visitors (locust, used as
a library) each request one URL of the mix after another for ``--duration``
seconds, with a think time between requests (``--wait``, seconds, ``lo-hi``;
``0`` for none: every client asks again the moment it has its answer).

It reports, per URL and over all: requests, errors (a failed connection or an
answer of 400 or more), requests per second and the p50/p95/p99 latency, from
every request recorded (:mod:`load_stats`), against a baseline in the same run:
the same clients fetching one static file from the same server (the floor: what
serving costs without any page work).  ``--one-worker`` adds the same mix against
a single worker process.  Each URL is fetched a few times before the clock
starts, so the figures are for warm workers (``cold_ms`` gives the first fetch).

The load runs in a child process (gevent patches the whole process it runs in;
the benchmarks in ``bench/run.py`` share one), and so does the server.  Nothing
listens beyond loopback.  Needs the ``bench`` extra: ``pip install -e ".[bench]"``.

Run: ``.venv/bin/python bench/bench_load.py [--duration 60] [--clients 50] [--workers N]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, data_folder, write_results  # noqa: E402 - beside this file
from load_stats import OVERALL, Sample, summarise, table  # noqa: E402

TEN_INDICATORS = "N00923,N00925,N00938,N00956,N00957,N00997,N01451,N01452,N01454,U01405"
PAGES = [
    "/",
    "/lagesbild/lan/01/",
    "/lagesbild/riket/",
    "/lagesbild/kommun/0127/",
    "/lagesbild/indikator/U01405/",
    "/aktorer/luckor/",
    "/api/v1/areas",
    "/api/v1/indicators",
    "/api/v1/observations?indicator=U01405&area=0127",
    f"/api/v1/observations?indicator={TEN_INDICATORS}",
    f"/api/v1/observations?indicator={TEN_INDICATORS}&offset=100000",
]
FLOOR = ["/static/jamlik/site.css"]
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "sv"}
WARM_UP_ROUNDS = 3


# ---- the server --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_data(data_dir: Path) -> None:
    """The national database in ``data_dir`` (in a child process: this one stays free of
    Django, whatever other benchmark ran in it before)."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from national import national_database;"
        "print(national_database(Path(sys.argv[2])), flush=True)"
    )
    subprocess.run([sys.executable, "-c", code, str(HERE), str(data_dir)], check=True)


class Server:
    """``jamlik serve`` on loopback in its own process group, stopped by its id."""

    def __init__(self, data_dir: Path, workers: int) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        jamlik = Path(sys.executable).with_name("jamlik")
        env = {
            **os.environ,
            "JAMLIK_DATA_DIR": str(data_dir),
            "JAMLIK_MODE": "production",
            "SECRET_KEY": "bench-load-not-a-secret-" + "x" * 40,
            "JAMLIK_ALLOWED_HOSTS": "127.0.0.1",
            "JAMLIK_TRUSTED_PROXIES": "127.0.0.1",
        }
        env.pop("DATABASE_URL", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.log = (data_dir / f"server-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [str(jamlik), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
            + ["--workers", str(workers), "--server", "gunicorn"],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped (exit {self.process.returncode})")
            try:
                fetch(self.base + FLOOR[0])
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the server did not answer in time")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server's processes have used so far (Linux
        ``/proc``; the master and its workers). Unlike latency, this does not depend on
        what else the machine is running at the time."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def fetch(url: str) -> float:
    """Seconds for one GET (raises on a connection error or an error status)."""
    request = urllib.request.Request(url, headers=HEADERS)
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def warm_up(base: str, paths: list[str], workers: int) -> dict[str, float]:
    """Fetch every URL a few times per worker before the clock starts; the first fetch's
    time (a cold worker, an empty cache) is returned per URL."""
    from concurrent.futures import ThreadPoolExecutor

    cold = {path: fetch(base + path) * 1000 for path in paths}
    with ThreadPoolExecutor(max_workers=max(2, workers)) as pool:
        list(pool.map(lambda p: fetch(base + p), paths * workers * WARM_UP_ROUNDS))
    return cold


# ---- the load (in a child process) -------------------------------------------------


def run_load(
    base: str, paths: list[str], clients: int, seconds: float, wait: tuple[float, float]
) -> list[list[Any]]:
    """``clients`` locust users fetching ``paths`` for ``seconds``; every request as
    ``[path, seconds, ok]``. No request starts after the time is up; those under way then
    are waited for (up to the server's own timeout) so that none is left uncounted."""
    import gevent
    from locust import FastHttpUser, between, constant, task
    from locust.env import Environment

    samples: list[list[Any]] = []
    end = time.monotonic() + seconds
    busy = 0

    class Visitor(FastHttpUser):
        host = base
        wait_time = between(*wait) if wait[1] > 0 else constant(0)
        network_timeout = 120.0
        connection_timeout = 120.0

        @task
        def visit(self) -> None:
            nonlocal busy
            if time.monotonic() >= end:
                return  # time is up: no new request; the runner stops the users
            path = random.choice(paths)
            busy += 1
            try:
                self.client.get(path, name=path, headers=HEADERS)
            finally:
                busy -= 1

    def record(name: str, response_time: float, exception: Any = None, **_: Any) -> None:
        samples.append([name, response_time / 1000, exception is None])

    env = Environment(user_classes=[Visitor])
    env.events.request.add_listener(record)
    runner = env.create_local_runner()
    runner.start(clients, spawn_rate=clients)
    gevent.sleep(seconds)
    grace = time.monotonic() + 130
    while busy and time.monotonic() < grace:
        gevent.sleep(0.1)
    runner.quit()
    return samples


def _client_main(args: argparse.Namespace) -> None:
    lo, _, hi = args.wait.partition("-")
    wait = (float(lo), float(hi or lo))
    samples = run_load(args.base, args.paths.split("|"), args.clients, args.duration, wait)
    Path(args.out).write_text(json.dumps(samples), encoding="utf-8")


def measure(
    base: str, paths: list[str], clients: int, seconds: float, wait: str, out: Path
) -> dict[str, Any]:
    """Run the load in a child process and summarise what it recorded."""
    subprocess.run(
        [sys.executable, __file__, "--client", "--base", base, "--paths", "|".join(paths)]
        + ["--clients", str(clients), "--duration", str(seconds), "--wait", wait]
        + ["--out", str(out)],
        check=True,
    )
    samples = [Sample(name, secs, ok) for name, secs, ok in json.loads(out.read_text())]
    return summarise(samples, seconds)


# ---- the benchmark -----------------------------------------------------------------


def _report(title: str, summaries: dict[str, Any]) -> dict[str, Any]:
    print(f"\n{title}", flush=True)
    for line in table(summaries):
        print("  " + line, flush=True)
    return {name: s.as_dict() for name, s in summaries.items()}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    from jamlik.core.serving import default_workers

    parser = Options(__doc__)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--floor-duration", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--wait", default="0.5-1.5", help="think time, seconds: lo-hi or 0")
    parser.add_argument("--one-worker", action="store_true", help="also the mix on 1 worker")
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out URLs containing this (repeatable)"
    )
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.read(argv)
    if args.client:
        _client_main(args)
        return {}
    if importlib.util.find_spec("locust") is None:
        print('bench_load needs locust: pip install -e ".[bench]"', flush=True)
        return {}
    results: dict[str, Any] = {
        "clients": args.clients,
        "duration_s": args.duration,
        "wait_s": args.wait,
        "workers": args.workers,
        "skipped": args.skip,
    }
    with data_folder("load") as data_dir:
        started = time.perf_counter()
        prepare_data(data_dir)
        print(f"national database: {time.perf_counter() - started:.1f} s", flush=True)
        pages = [p for p in PAGES if not any(part in p for part in args.skip)]
        runs = [("pages", args.workers, pages, args.duration)]
        runs.append(("floor", args.workers, FLOOR, args.floor_duration))
        if args.one_worker:
            runs.append(("pages_one_worker", 1, pages, args.duration))
        for name, workers, paths, seconds in runs:
            server = Server(data_dir, workers)
            try:
                server.wait_ready()
                cold = warm_up(server.base, paths, workers)
                load_average = os.getloadavg()[0]
                cpu_before = server.cpu_seconds()
                summaries = measure(
                    server.base, paths, args.clients, seconds, args.wait, data_dir / "s.json"
                )
                cpu = server.cpu_seconds() - cpu_before
            finally:
                server.stop()
            title = (
                f"{name}: {args.clients} clients, {workers} worker(s), {seconds:.0f} s, "
                f"think time {args.wait} s; machine load average {load_average:.1f} at start"
            )
            results[name] = _report(title, summaries)
            requests = summaries[OVERALL].requests
            results[f"{name}_server"] = {
                "cpu_s": cpu,
                "cpu_ms_per_request": cpu * 1000 / max(requests, 1),
                "cores_busy": cpu / seconds,
                "load_average_at_start": load_average,
                "cpu_count": os.cpu_count(),
            }
            print(
                f"  server CPU: {cpu:.1f} s, {cpu * 1000 / max(requests, 1):.1f} ms per "
                f"request, {cpu / seconds:.2f} of {os.cpu_count()} cores busy",
                flush=True,
            )
            results[f"{name}_cold_ms"] = cold
    pages, floor = results["pages"][OVERALL], results["floor"][OVERALL]
    results["p95_ratio_to_floor"] = pages["p95_ms"] / floor["p95_ms"]
    results["rate_ratio_to_floor"] = floor["per_second"] / pages["per_second"]
    print(
        f"\nall pages: {pages['per_second']:.1f} req/s, {pages['errors']} errors, p50 "
        f"{pages['p50_ms']:.0f} ms, p95 {pages['p95_ms']:.0f} ms, p99 {pages['p99_ms']:.0f} ms "
        f"(p95 {results['p95_ratio_to_floor']:.1f}x the static-file floor's "
        f"{floor['p95_ms']:.0f} ms); target: 0 errors, p95 < 1000 ms",
        flush=True,
    )
    write_results("bench_load", results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
