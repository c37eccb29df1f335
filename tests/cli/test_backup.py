"""``jamlik backup`` and ``jamlik restore``: a lossless round trip of the demo data, and
every refusal.

The commands run in subprocesses against a site of their own: a temporary data folder
and its SQLite file, or — when the suite runs on PostgreSQL (DATABASE_URL) — a database
of its own on the same server. The suite's test database is never touched. The full demo
is seeded once for the module (about 40 s); every test leaves the site holding exactly
what the archive holds.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

SUITE_DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_DATABASE_URL.startswith(("postgres://", "postgresql://"))
VENDOR = "postgresql" if ON_POSTGRES else "sqlite"
OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}[VENDOR]
DB_MEMBER = {"sqlite": "database/jamlik.sqlite3", "postgresql": "database/jamlik.pgdump"}

# Every row of every table read with plain SQL (values exactly as stored, timestamps
# included), every model's rows through the ORM, and PostgreSQL's sequence positions.
SNAPSHOT = r"""
import pickle, sys
import django
django.setup()
from django.apps import apps
from django.db import connection

out = {"tables": {}, "models": {}, "sequences": {}}
with connection.cursor() as cursor:
    for table in connection.introspection.table_names(cursor):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in cursor.fetchall()
        ]
        out["tables"][table] = sorted(rows, key=repr)
    if connection.vendor == "postgresql":
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences")
        out["sequences"] = dict(cursor.fetchall())
for model in apps.get_models(include_auto_created=True):
    out["models"][model._meta.label] = list(model.objects.order_by("pk").values_list())
with open(sys.argv[1], "wb") as f:
    pickle.dump(out, f)
"""

# A few uploads and a county's framework override, with names that are not plain ASCII.
FILES = {
    "media/uploads/2024/rapport.pdf": os.urandom(200_000),
    "media/import/kommunenkät åäö.xlsx": os.urandom(5_000),
    "media/empty.txt": b"",
}


class Site:
    """One installation: a data folder and its own database, driven by the CLI."""

    def __init__(self, data_dir: Path, postgres: bool = ON_POSTGRES) -> None:
        self.data_dir = data_dir
        skip = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
        self.env = {k: v for k, v in os.environ.items() if k not in skip}
        self.env.update(JAMLIK_MODE="dev", JAMLIK_DATA_DIR=str(data_dir))
        self.pg_name = ""
        if postgres:
            self.pg_name = f"jamlik_backup_{uuid.uuid4().hex[:10]}"
            base = SUITE_DATABASE_URL.rsplit("/", 1)[0]
            self.env["DATABASE_URL"] = f"{base}/{self.pg_name}"
            self._pg_admin(f'CREATE DATABASE "{self.pg_name}"')

    def _pg_admin(self, sql: str) -> None:
        import dj_database_url
        import psycopg

        db = dj_database_url.parse(SUITE_DATABASE_URL)
        with psycopg.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            autocommit=True,
        ) as conn:
            conn.execute(sql)

    def jamlik(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "jamlik", *args],
            env={**self.env, "COLUMNS": "400"},  # rich: one line per message
            capture_output=True,
            text=True,
            timeout=600,
        )
        if ok:
            assert done.returncode == 0, f"jamlik {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done

    def snapshot(self, tmp: Path) -> dict[str, Any]:
        out = tmp / f"snapshot-{uuid.uuid4().hex}.pickle"
        done = subprocess.run(
            [sys.executable, "-c", SNAPSHOT, str(out)],
            env={**self.env, "DJANGO_SETTINGS_MODULE": "jamlik.settings"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        with out.open("rb") as f:
            return pickle.load(f)

    def files(self) -> dict[str, bytes]:
        found = {}
        for folder in ("media", "frameworks"):
            root = self.data_dir / folder
            if root.is_dir():
                for p in root.rglob("*"):
                    if p.is_file():
                        found[p.relative_to(self.data_dir).as_posix()] = p.read_bytes()
        return found

    def wipe(self) -> None:
        """Lose everything a backup holds (the database and the files), keep the key."""
        if ON_POSTGRES:
            self._pg_admin(f'DROP DATABASE "{self.pg_name}" WITH (FORCE)')
            self._pg_admin(f'CREATE DATABASE "{self.pg_name}"')
        else:
            for suffix in ("", "-wal", "-shm"):
                (self.data_dir / f"jamlik.sqlite3{suffix}").unlink(missing_ok=True)
        for folder in ("media", "frameworks"):
            shutil.rmtree(self.data_dir / folder, ignore_errors=True)

    def close(self) -> None:
        if self.pg_name:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The full demo, seeded once, plus uploads and a county framework override."""
    site = Site(tmp_path_factory.mktemp("site"))
    try:
        site.jamlik("demo", "--no-serve")
        for name, content in FILES.items():
            path = site.data_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        shipped = Path(__file__).resolve().parents[2] / "src/jamlik/frameworks/data/stodtrappa.toml"
        override = site.data_dir / "frameworks/01/stodtrappa.toml"
        override.parent.mkdir(parents=True)
        override.write_bytes(shipped.read_bytes() + "\n# Stockholms läns egen version\n".encode())
        yield site
    finally:
        site.close()


@pytest.fixture(scope="module")
def archive(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backups") / "jamlik.tar.gz"
    done = site.jamlik("backup", str(path))
    assert "Backed up" in done.stdout
    return path


@pytest.fixture(scope="module")
def backed_up(site: Site, archive: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What the site held when the archive was made: rows and files."""
    return {"rows": site.snapshot(tmp_path_factory.mktemp("snap")), "files": site.files()}


def assert_same_rows(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert sorted(after["tables"]) == sorted(before["tables"]), "the same tables"
    differ = [t for t in before["tables"] if after["tables"][t] != before["tables"][t]]
    assert not differ, f"rows differ in {differ}"
    differ = [m for m in before["models"] if after["models"].get(m) != before["models"][m]]
    assert not differ, f"models' rows differ in {differ}"
    assert after["sequences"] == before["sequences"], "sequences continue where they were"


def rewrite(
    source: Path,
    target: Path,
    manifest: Callable[[dict], None] = lambda m: None,
    member: Callable[[str, bytes], tuple[str, bytes]] = lambda n, b: (n, b),
) -> Path:
    """A copy of an archive with its manifest and members edited (checksums left as they were)."""
    with tarfile.open(source, "r:*") as old, tarfile.open(target, "w:gz") as new:
        for info in old:
            data = old.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == "manifest.json":
                edited = json.loads(data)
                manifest(edited)
                name, data = info.name, json.dumps(edited).encode()
            else:
                name, data = member(info.name, data)
            fresh = tarfile.TarInfo(name)
            fresh.size = len(data)
            new.addfile(fresh, io.BytesIO(data))
    return target


# --- the round trip -------------------------------------------------------------------


def test_round_trip_of_the_demo_data_is_lossless(site, archive, backed_up, tmp_path):
    before = backed_up["rows"]
    assert sum(len(rows) for rows in before["tables"].values()) > 100_000, "the full demo"
    stamps = [
        v
        for rows in before["tables"].values()
        for row in rows
        for v in row
        if isinstance(v, datetime) and v.microsecond
    ]
    assert stamps, "timestamps with microseconds, so 'exact' means something"

    site.wipe()
    assert site.files() == {}
    done = site.jamlik("restore", str(archive))

    assert "Restored" in done.stdout
    assert_same_rows(before, site.snapshot(tmp_path))
    assert site.files() == backed_up["files"], "uploads and overrides byte for byte"
    assert set(site.files()) == {*FILES, "frameworks/01/stodtrappa.toml"}


def test_the_manifest_lists_vendor_rows_and_checksums(archive, backed_up):
    with tarfile.open(archive, "r:*") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert names[0] == "manifest.json", "the manifest comes first"
    assert manifest["format"] == "jamlik-backup"
    assert manifest["database"]["vendor"] == VENDOR
    assert manifest["jamlik_version"] and manifest["created_at"]
    tables = backed_up["rows"]["tables"]
    counted = manifest["database"]["tables"]
    assert {t: counted[t] for t in tables} == {t: len(rows) for t, rows in tables.items()}
    assert set(manifest["files"]) == set(names[1:])
    assert DB_MEMBER[VENDOR] in names
    assert not [n for n in names if "secret_key" in n or n.startswith("files/static")]


def test_restore_over_data_needs_force_and_then_replaces_everything(
    site, archive, backed_up, tmp_path
):
    (site.data_dir / "media/uploads/later.txt").write_text("after the backup", encoding="utf-8")
    site.jamlik(
        "manage",
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.filter(username='viewer').delete()",
    )

    _refused(
        site,
        archive,
        "the database holds data (accounts_",
        "the data folder holds 5 uploaded or override files",
        "Pass --force",
        force=False,
    )

    assert (site.data_dir / "media/uploads/later.txt").exists(), "nothing changed"

    site.jamlik("restore", "--force", str(archive))

    assert_same_rows(backed_up["rows"], site.snapshot(tmp_path))
    assert site.files() == backed_up["files"], "later uploads are gone, as in the backup"


def test_a_freshly_migrated_database_counts_as_empty(site, archive, backed_up, tmp_path):
    site.wipe()
    site.jamlik("manage", "migrate", "-v", "0")

    site.jamlik("restore", str(archive))

    assert_same_rows(backed_up["rows"], site.snapshot(tmp_path))


# --- refusals -------------------------------------------------------------------------


def _refused(site: Site, path: Path, *expected: str, force: bool = True) -> str:
    """Restore ``path`` and check it is refused with ``expected`` in the message."""
    done = site.jamlik("restore", *(["--force"] if force else []), str(path), ok=False)
    out = " ".join(done.stdout.split())
    assert done.returncode == 1, out
    assert "Nothing was restored" in out and str(path) in out, out
    for words in expected:
        assert words in out, out
    return out


def _not_tar(path: Path) -> None:
    path.write_text("name,value\nBotkyrka,1\n", encoding="utf-8")


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("manifest.json", '{"format": "jamlik-backup"}')


def _tar_without_manifest(path: Path) -> None:
    with tarfile.open(path, "w:gz") as tar:
        data = b"SQLite format 3\x00"
        info = tarfile.TarInfo("database/jamlik.sqlite3")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def _other_format(path: Path) -> None:
    with tarfile.open(path, "w") as tar:
        data = json.dumps({"format": "something-else"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize(
    "make", [_not_tar, _zip, _tar_without_manifest, _other_format], ids=lambda f: f.__name__
)
def test_restore_refuses_a_file_that_is_not_a_jamlik_backup(site, tmp_path, make):
    path = tmp_path / "export.tar.gz"
    make(path)
    _refused(site, path, "is not a Jämlik backup", "Expected a file made by `jamlik backup`")


def test_restore_refuses_a_missing_file(site, tmp_path):
    _refused(site, tmp_path / "nowhere.tar.gz", "there is no such file")


def test_restore_refuses_a_backup_of_another_database_vendor(site, archive, tmp_path):
    def vendor(m: dict) -> None:
        m["database"]["vendor"] = OTHER_VENDOR
        m["files"][DB_MEMBER[OTHER_VENDOR]] = m["files"].pop(DB_MEMBER[VENDOR])

    def rename(name: str, data: bytes) -> tuple[str, bytes]:
        return (DB_MEMBER[OTHER_VENDOR] if name == DB_MEMBER[VENDOR] else name), data

    other = rewrite(archive, tmp_path / "other.tar.gz", vendor, rename)
    _refused(site, other, f"holds a {OTHER_VENDOR} database", f"Expected a {VENDOR} backup")


def _flip_upload(name: str, data: bytes) -> tuple[str, bytes]:
    if name == "files/media/uploads/2024/rapport.pdf":
        data = data[:1000] + bytes([data[1000] ^ 1]) + data[1001:]
    return name, data


def _flip_database(name: str, data: bytes) -> tuple[str, bytes]:
    if name.startswith("database/"):
        data = data[:-1] + bytes([data[-1] ^ 1])
    return name, data


@pytest.mark.parametrize(
    ("edit", "member"),
    [(_flip_upload, "rapport.pdf"), (_flip_database, DB_MEMBER[VENDOR])],
    ids=["an upload", "the database"],
)
def test_restore_refuses_an_archive_that_fails_its_checksums(
    site, archive, backed_up, tmp_path, edit, member
):
    damaged = rewrite(archive, tmp_path / "damaged.tar.gz", member=edit)

    _refused(site, damaged, "fails its checksum", member)

    assert site.files() == backed_up["files"], "nothing changed"


def test_restore_refuses_a_truncated_archive(site, archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _refused(site, cut, "damaged")


def test_restore_refuses_a_backup_from_a_newer_schema(site, archive, tmp_path):
    def newer(m: dict) -> None:
        m["database"]["migrations"].append(["core", "9999_from_the_future"])

    future = rewrite(archive, tmp_path / "future.tar.gz", newer)
    _refused(site, future, "from a newer Jämlik", "core.9999_from_the_future", "upgrade")


def test_missing_postgresql_tools_are_named(monkeypatch, tmp_path):
    from jamlik.core import backup

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(backup, "PG_LIB", tmp_path / "no-postgresql")
    with pytest.raises(backup.BackupError, match="pg_dump was not found on PATH") as error:
        backup._pg_binary("pg_dump", "back up")
    assert "postgresql-client" in str(error.value)


def test_restore_migrates_a_backup_from_an_older_schema(site, archive, backed_up, tmp_path):
    """An archive made before the economics app's migrations is brought up to date."""
    site.jamlik("manage", "migrate", "economics", "zero", "-v", "0")
    older = tmp_path / "older.tar.gz"
    site.jamlik("backup", str(older))

    done = site.jamlik("restore", "--force", str(older))

    assert "The backup was from an older schema" in done.stdout
    assert "migrations applied" in done.stdout
    site.jamlik("manage", "migrate", "--check")  # exits 1 if any migration is unapplied
    site.jamlik("restore", "--force", str(archive))  # as the other tests expect to find it
    assert site.files() == backed_up["files"]


# --- while the server writes ------------------------------------------------------------

WRITER = r"""
import sqlite3, sys, time, pathlib
db = sqlite3.connect(sys.argv[1], timeout=30)
stop = pathlib.Path(sys.argv[2])
while not stop.exists():
    with db:
        db.execute("INSERT INTO observation_log (value, note) VALUES (?, ?)", (time.time(), "x" * 200))
"""


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's online backup; pg_dump reads one snapshot")
@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_backup_while_another_process_writes_is_consistent(tmp_path, journal):
    data_dir = tmp_path / "live"
    data_dir.mkdir()
    db_path = data_dir / "jamlik.sqlite3"
    db = sqlite3.connect(db_path)
    db.execute(f"PRAGMA journal_mode = {journal}")
    db.execute("CREATE TABLE observation_log (id INTEGER PRIMARY KEY, value REAL, note TEXT)")
    with db:
        db.executemany(
            "INSERT INTO observation_log (value, note) VALUES (?, ?)",
            ((float(i), "y" * 200) for i in range(100_000)),
        )
    db.close()
    site = Site(data_dir, postgres=False)
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), str(stop)])
    try:
        first = sqlite3.connect(db_path, timeout=30).execute("SELECT count(*) FROM observation_log")
        assert first.fetchone()[0] >= 100_000
        archive = tmp_path / "live.tar.gz"
        site.jamlik("backup", str(archive))
    finally:
        stop.touch()
        writer.wait(timeout=30)
    final = sqlite3.connect(db_path).execute("SELECT count(*) FROM observation_log").fetchone()[0]

    with tarfile.open(archive, "r:*") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        tar.extract("database/jamlik.sqlite3", tmp_path / "out", filter="data")
    copy = sqlite3.connect(tmp_path / "out/database/jamlik.sqlite3")
    assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "stands alone"
    rows = copy.execute("SELECT count(*) FROM observation_log").fetchone()[0]
    assert rows == manifest["database"]["tables"]["observation_log"], "counts of the copy"
    assert 100_000 <= rows <= final, "one moment during the writes"
    assert writer.returncode == 0, "the writer was never refused"


@pytest.mark.parametrize(
    "name", ["files/media/../../secret_key", "/etc/passwd", "secret_key", "files/static/x.css"]
)
def test_restore_stages_only_the_database_and_the_known_folders(tmp_path, name):
    from jamlik.core import backup

    with pytest.raises(backup.BackupError, match="expected only database/jamlik.sqlite3"):
        backup._member_target(name, tmp_path)
    assert (
        backup._member_target("files/media/a/b.pdf", tmp_path) == tmp_path / "files/media/a/b.pdf"
    )
