"""Backup and restore: one archive holding the database and the data folder's own files.

An archive is a gzip-compressed tar file. Its first member, ``manifest.json``, says what
it is (``"format": "jamlik-backup"``), which Jämlik version and database vendor made it,
when, how many rows every table held, the applied migrations, and the SHA-256 of every
other member. The members are the database (``database/jamlik.sqlite3``, a consistent
copy made with SQLite's online backup API, or ``database/jamlik.pgdump``, made by
``pg_dump --format=custom``) and the files of the data folder that cannot be rebuilt:
``files/media/…`` (uploads) and ``files/frameworks/{county}/{name}.toml`` (county
framework overrides).

Not included: the generated ``secret_key``. An archive travels (off-site copies, mail to
a colleague); the key signs sessions and password-reset links, so a copy in every
archive would let anyone holding an old archive forge them. A restored installation
keeps (or generates, or is given) its own key; users log in again, and password hashes
do not depend on it. ``static/`` is rebuilt from the package and is left out too.

Restore checks everything before it changes anything: the manifest, the vendor, that the
schema is not newer than this code's, every checksum and row count, and that it would
not overwrite data without ``force``. The database is then replaced in one transaction:
for SQLite the verified copy (a temporary file) is swapped in with the backup API, which
is atomic and coherent with WAL and with a running server's open connections (a file
rename is neither: a server would go on writing to the unlinked file, and the old
``-wal`` file would be replayed onto the new one); for PostgreSQL ``pg_restore
--single-transaction``. Migrations run afterwards when the backup is from an older schema.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any

Progress = Callable[[str], None]

FORMAT = "jamlik-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database/jamlik.sqlite3", "postgresql": "database/jamlik.pgdump"}
# Folders of the data folder that are backed up, by their name in the archive.
FILE_FOLDERS = ("media", "frameworks")
# Rows a freshly migrated database holds: Django's bookkeeping and the reference rows
# migrations load themselves. A database with rows only here counts as empty.
MIGRATION_ROWS = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "sqlite_sequence",
        "prevention_intervention",
    }
)
_CHUNK = 1 << 20


class BackupError(RuntimeError):
    """A backup could not be made or an archive cannot be restored; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    size: int
    seconds: float

    @property
    def rows(self) -> int:
        return sum(self.manifest["database"]["tables"].values())

    @property
    def files(self) -> int:
        return len(self.manifest["files"]) - 1


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    manifest: dict[str, Any]
    migrations_applied: int
    seconds: float


def jamlik_version() -> str:
    try:
        return version("jamlik")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _noop(_message: str) -> None:
    pass


# --- the data folder ------------------------------------------------------------------


def folder_roots() -> dict[str, Path]:
    """Where each backed-up folder lives: uploads and county framework overrides."""
    from django.conf import settings

    return {
        "media": Path(settings.MEDIA_ROOT),
        "frameworks": Path(settings.DATA_DIR) / "frameworks",
    }


def _folder_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _copy_hashing(source: Path, target: Path) -> dict[str, Any]:
    """Copy ``source`` to ``target``; the checksum is of the bytes copied."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _hash(path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as src:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_path() -> Path:
    from django.db import connection

    return Path(connection.settings_dict["NAME"])


def _sqlite_tables(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    return {n: db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _applied_migrations(db: sqlite3.Connection) -> list[list[str]]:
    try:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    except sqlite3.OperationalError:
        return []
    return [list(r) for r in rows]


def _sqlite_dump(target: Path) -> dict[str, Any]:
    source = _sqlite_path()
    if not source.is_file():
        raise BackupError(f"there is no database at {source}; run `jamlik init` first.")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        # One step (pages=-1): a snapshot of one moment. In WAL mode writers go on
        # meanwhile; in rollback mode they wait for the copy, which takes seconds.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # the copy stands alone, no -wal file
        if (check := dst.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
            raise BackupError(f"the database at {source} failed SQLite's check: {check}")
        return {"tables": _sqlite_tables(dst), "migrations": _applied_migrations(dst)}
    finally:
        dst.close()
        src.close()


def _sqlite_restore(staged: Path, manifest: dict[str, Any]) -> None:
    from django.db import connections

    target = _sqlite_path()
    src = sqlite3.connect(staged)
    try:
        if (check := src.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
            raise BackupError(f"the database in the archive failed SQLite's check: {check}")
        _check_counts(_sqlite_tables(src), manifest)
        connections.close_all()
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target, timeout=60)
        try:
            dst_wal = dst.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            page = dst.execute("PRAGMA page_size").fetchone()[0]
            if dst_wal and src.execute("PRAGMA page_size").fetchone()[0] != page:
                # The backup API cannot change a WAL database's page size.
                src.execute(f"PRAGMA page_size = {int(page)}")
                src.execute("VACUUM")
            src.backup(dst)  # one write transaction: all of it or none of it
        finally:
            dst.close()
    finally:
        src.close()


# --- PostgreSQL -----------------------------------------------------------------------

PG_LIB = Path("/usr/lib/postgresql")  # Debian's versioned client tools
_PG_ENV = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
_PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def _pg_binary(name: str, purpose: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    # Debian keeps each version's tools in /usr/lib/postgresql/N/bin; take the newest.
    versions = sorted(
        PG_LIB.glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    raise BackupError(
        f"{name} was not found on PATH (nor in /usr/lib/postgresql/*/bin); it is needed to "
        f"{purpose} a PostgreSQL database. Install the PostgreSQL client tools of the "
        "server's major version or newer (Debian: apt-get install postgresql-client) or "
        "add their bin folder to PATH."
    )


def _pg_env() -> dict[str, str]:
    """libpq's variables for the configured database: the password never goes in argv."""
    from django.db import connection

    settings = connection.settings_dict
    env = dict(os.environ)
    for key, var in _PG_ENV.items():
        if settings.get(key):
            env[var] = str(settings[key])
    for key, var in _PG_OPTION_ENV.items():
        if (settings.get("OPTIONS") or {}).get(key):
            env[var] = str(settings["OPTIONS"][key])
    return env


def _pg_run(args: list[str]) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(args[0]).name
        raise BackupError(f"{tool} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


def _pg_raw_connection() -> Any:
    from django.db import connection

    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = False
    return raw


_PG_TABLES = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid)
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY c.relname
"""


def _pg_counts(cursor: Any) -> dict[str, int]:
    cursor.execute(_PG_TABLES)
    tables = [r[0] for r in cursor.fetchall()]
    counts = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT count(*) FROM {quoted}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_table_counts() -> dict[str, int]:
    raw = _pg_raw_connection()
    try:
        with raw.cursor() as cursor:
            return _pg_counts(cursor)
    finally:
        raw.rollback()
        raw.close()


def _pg_dump(target: Path) -> dict[str, Any]:
    """pg_dump of one snapshot; the row counts are taken in that same snapshot."""
    from django.db import connection

    exe = _pg_binary("pg_dump", "back up")
    raw = _pg_raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _pg_counts(cursor)
            migrations: list[list[str]] = []
            if "django_migrations" in tables:
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
                migrations = [list(r) for r in cursor.fetchall()]
            _pg_run(
                [
                    exe,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    f"--dbname={connection.settings_dict['NAME']}",
                ]
            )
    finally:
        raw.rollback()
        raw.close()
    return {"tables": tables, "migrations": migrations}


def _pg_check_restorable(path: Path, manifest: dict[str, Any]) -> None:
    """pg_restore --clean drops only the backup's own tables: refuse to leave others."""
    extra = sorted(set(_database_contents()) - set(manifest["database"]["tables"]))
    if extra:
        raise BackupError(
            f"Not restoring {path}: the database has tables the backup does not "
            f"({', '.join(extra[:5])}{' …' if len(extra) > 5 else ''}), which restoring "
            "would leave behind (a newer schema, or another application's). Expected a "
            "database holding the backup's tables or none: restore into a new, empty "
            "database (createdb) or drop those tables first."
        )


def _pg_restore(staged: Path) -> None:
    from django.db import connection, connections

    exe = _pg_binary("pg_restore", "restore")
    name = connection.settings_dict["NAME"]
    connections.close_all()
    _pg_run(
        [
            exe,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",  # all of it or none of it
            "--exit-on-error",
            "--no-password",
            f"--dbname={name}",
            str(staged),
        ]
    )


# --- checks shared by both vendors ----------------------------------------------------


def _check_counts(found: dict[str, int], manifest: dict[str, Any]) -> None:
    expected = manifest["database"]["tables"]
    wrong = {t: (n, found.get(t)) for t, n in expected.items() if found.get(t) != n}
    if wrong:
        t, (n, got) = sorted(wrong.items())[0]
        raise BackupError(
            f"the database in the archive does not hold the rows its manifest lists "
            f"({len(wrong)} tables differ; {t}: expected {n} rows, found {got})."
        )


def _database_contents() -> dict[str, bool]:
    """Each table of the configured database and whether it holds a row."""
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        found = {}
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            found[table] = cursor.fetchone() is not None
    return found


def _refuse_overwrite(path: Path, manifest: dict[str, Any]) -> None:
    """Refuse unless the database and the backed-up folders are empty."""
    from django.db import connection

    if connection.vendor == "sqlite" and not _sqlite_path().exists():
        full: list[str] = []
    else:
        full = sorted(
            t for t, has in _database_contents().items() if has and t not in MIGRATION_ROWS
        )
    files = sum(len(_folder_files(root)) for root in folder_roots().values())
    if not full and not files:
        return
    held = []
    if full:
        shown = ", ".join(full[:5]) + (f" and {len(full) - 5} more" if len(full) > 5 else "")
        held.append(f"the database holds data ({shown})")
    if files:
        held.append(f"the data folder holds {files} uploaded or override files")
    raise BackupError(
        f"Not restoring {path}: {' and '.join(held)}, and restoring replaces all of it. "
        "Expected an empty database (new, or only migrated). Pass --force to replace it."
    )


def _check_schema(path: Path, manifest: dict[str, Any]) -> None:
    """Refuse a backup whose migrations this code does not know (a newer Jämlik)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    # Rows of apps no longer installed are leftovers Django keeps too, not a newer schema.
    applied = {tuple(m) for m in manifest["database"]["migrations"]}
    unknown = sorted(m for m in applied - known if m[0] in loader.migrated_apps)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"Not restoring {path}: it is from a newer Jämlik "
            f"({manifest.get('jamlik_version')}, schema with {len(unknown)} migrations this "
            f"version {jamlik_version()} does not have, e.g. {app}.{name}). "
            "Expected a backup from this version or an older one: upgrade Jämlik first."
        )


def _migrate_if_older(progress: Progress) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        progress(f"migrating the restored database ({len(plan)} migrations)")
        call_command("migrate", interactive=False, verbosity=0)
    return len(plan)


# --- the archive ----------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of archive ``path``; BackupError if it is not a Jämlik backup."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Not restoring {path}: there is no such file.")
    try:
        with tarfile.open(path, "r:*") as tar:
            return _manifest_of(tar, path)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise _not_a_backup(path, f"it cannot be read as a tar archive ({exc})") from exc


def _not_a_backup(path: Path, why: str) -> BackupError:
    return BackupError(
        f"Not restoring {path}: it is not a Jämlik backup — {why}. Expected a file made by "
        f"`jamlik backup`: a tar archive whose first member is {MANIFEST} with "
        f'"format": "{FORMAT}".'
    )


def _manifest_of(tar: tarfile.TarFile, path: Path) -> dict[str, Any]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise _not_a_backup(path, f"its first member is not {MANIFEST}")
    reader = tar.extractfile(first)
    try:
        manifest = json.loads(reader.read() if reader else b"")
    except ValueError as exc:
        raise _not_a_backup(path, f"{MANIFEST} is not JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_backup(path, f'{MANIFEST} does not say "format": "{FORMAT}"')
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Not restoring {path}: it is backup format {manifest.get('format_version')!r}; "
            f"this Jämlik reads format {FORMAT_VERSION}."
        )
    try:
        vendor = manifest["database"]["vendor"]
        manifest["database"]["tables"], manifest["database"]["migrations"]  # noqa: B018
        files = manifest["files"]
        files[DATABASE_MEMBER[vendor]]  # noqa: B018
    except (KeyError, TypeError) as exc:
        raise _not_a_backup(path, f"{MANIFEST} lacks {exc}") from exc
    return manifest


def _member_target(name: str, staging: Path) -> Path:
    """Where member ``name`` is staged; only the database and the known folders."""
    parts = PurePosixPath(name).parts
    allowed = name in DATABASE_MEMBER.values() or (
        len(parts) >= 3 and parts[0] == "files" and parts[1] in FILE_FOLDERS
    )
    if not allowed or ".." in parts or PurePosixPath(name).is_absolute():
        raise BackupError(
            f"the archive holds member {name!r}; expected only {', '.join(DATABASE_MEMBER.values())}"
            f" and files under {', '.join(f'files/{f}/' for f in FILE_FOLDERS)}."
        )
    return staging.joinpath(*parts)


def _stage(tar: tarfile.TarFile, path: Path, manifest: dict[str, Any], staging: Path) -> None:
    """Extract every member into ``staging``, checking each against the manifest."""
    expected = dict(manifest["files"])
    for member in tar:  # from the first member again: the manifest is read already
        if member.isdir() or member.name == MANIFEST:
            continue
        if not member.isfile():
            raise BackupError(f"Not restoring {path}: member {member.name!r} is not a file.")
        if member.name not in expected:
            raise BackupError(
                f"Not restoring {path}: member {member.name!r} is not listed in its manifest."
            )
        try:
            target = _member_target(member.name, staging)
        except BackupError as exc:
            raise BackupError(f"Not restoring {path}: {exc}") from None
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with tar.extractfile(member) as src, target.open("wb") as dst:  # type: ignore[union-attr]
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                dst.write(chunk)
        want = expected.pop(member.name)
        if digest.hexdigest() != want["sha256"] or size != want["size"]:
            raise BackupError(
                f"Not restoring {path}: {member.name} fails its checksum (expected SHA-256 "
                f"{want['sha256'][:12]}…, {want['size']} bytes; found {digest.hexdigest()[:12]}…, "
                f"{size} bytes). The archive is damaged or was changed."
            )
    if expected:
        raise BackupError(
            f"Not restoring {path}: it lacks {len(expected)} members its manifest lists, "
            f"e.g. {sorted(expected)[0]}. The archive is truncated or was changed."
        )


def create_backup(path: Path, progress: Progress = _noop) -> BackupResult:
    """Write one archive of the database and the data folder's files to ``path``."""
    from django.db import connection

    started = time.perf_counter()
    path = Path(path).resolve()
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"cannot back up a {vendor} database; expected SQLite or PostgreSQL.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".jamlik-backup-") as tmp:
        staging = Path(tmp)
        db_member = DATABASE_MEMBER[vendor]
        db_file = staging / db_member
        db_file.parent.mkdir(parents=True)
        progress("database")
        database = _sqlite_dump(db_file) if vendor == "sqlite" else _pg_dump(db_file)
        files = {db_member: _hash(db_file)}
        progress("files")
        for folder, root in folder_roots().items():
            for source in _folder_files(root):
                name = "/".join(("files", folder, *source.relative_to(root).parts))
                files[name] = _copy_hashing(source, staging / name)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "jamlik_version": jamlik_version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "member": db_member, **database},
            "files": files,
            "not_included": ["secret_key (see docs/backup.md)", "static (rebuilt)"],
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        progress("archive")
        partial = staging / "archive.partial"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            for name in (MANIFEST, *files):
                tar.add(staging / name, arcname=name, recursive=False)
        # Only a complete archive ever carries the name asked for (cron may read it).
        os.replace(partial, path)
    return BackupResult(path, manifest, path.stat().st_size, time.perf_counter() - started)


def restore_backup(path: Path, *, force: bool = False, progress: Progress = _noop) -> RestoreResult:
    """Replace the database and the backed-up folders with archive ``path``'s contents."""
    from django.conf import settings
    from django.db import connection

    started = time.perf_counter()
    path = Path(path)
    manifest = read_manifest(path)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"Not restoring {path}: it holds a {vendor} database, and this installation "
            f"uses {connection.vendor} (DATABASE_URL). Expected a {connection.vendor} backup; "
            "moving between vendors is not supported by backup/restore."
        )
    _check_schema(path, manifest)
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".jamlik-restore-") as tmp:
        staging = Path(tmp)
        progress("checking the archive")
        try:
            with tarfile.open(path, "r:*") as tar:
                _manifest_of(tar, path)
                _stage(tar, path, manifest, staging)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(f"Not restoring {path}: the archive is damaged ({exc}).") from exc
        if not force:
            _refuse_overwrite(path, manifest)
        if vendor == "postgresql":
            _pg_check_restorable(path, manifest)
        progress("database")
        staged_db = staging / manifest["database"]["member"]
        if vendor == "sqlite":
            _sqlite_restore(staged_db, manifest)
        else:
            _pg_restore(staged_db)
            _check_counts(_pg_table_counts(), manifest)
        progress("files")
        _swap_folders(staging / "files", data_dir)
    migrated = _migrate_if_older(progress)
    return RestoreResult(path, manifest, migrated, time.perf_counter() - started)


def _swap_folders(staged: Path, data_dir: Path) -> None:
    """Put each staged folder in place of the live one (a rename each)."""
    for folder, root in folder_roots().items():
        new = staged / folder
        old = None
        if root.exists():
            old = root.with_name(f".{root.name}.replaced-{os.getpid()}")
            os.replace(root, old)
        if new.is_dir():
            root.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(new, root)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
