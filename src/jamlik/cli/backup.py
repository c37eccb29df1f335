"""``jamlik backup`` and ``jamlik restore``: one archive of the database and data files."""

from __future__ import annotations

from pathlib import Path

import typer

from jamlik.cli.console import console


def backup(
    file: Path = typer.Argument(
        ..., help="Archive to write (a .tar.gz); replaced if it exists.", dir_okay=False
    ),
) -> None:
    """Back up the database, uploads and county framework overrides; safe while serving."""
    from jamlik.cli import setup_django

    setup_django()
    from jamlik.core.backup import BackupError, create_backup

    try:
        result = create_backup(file, progress=lambda _m: None)
    except BackupError as exc:
        console.print(f"[red]No backup was made.[/red] {exc}")
        raise typer.Exit(1) from exc
    tables = result.manifest["database"]["tables"]
    console.print(
        f"[green]Backed up[/green] {result.rows} rows in {len(tables)} tables and "
        f"{result.files} files to {result.path} ({_size(result.size)}, "
        f"{result.seconds:.1f} s)."
    )


def restore(
    file: Path = typer.Argument(..., help="Archive made by `jamlik backup`.", dir_okay=False),
    force: bool = typer.Option(
        False, "--force", help="Replace a database (and data files) that already hold data."
    ),
) -> None:
    """Replace the database, uploads and overrides with a backup's; all or nothing."""
    from jamlik.cli import setup_django

    setup_django()
    from jamlik.core.backup import BackupError, restore_backup

    try:
        result = restore_backup(file, force=force, progress=lambda _m: None)
    except BackupError as exc:
        console.print(f"[red]Nothing was restored.[/red] {exc}")
        raise typer.Exit(1) from exc
    manifest = result.manifest
    console.print(
        f"[green]Restored[/green] {file}: {sum(manifest['database']['tables'].values())} rows, "
        f"{len(manifest['files']) - 1} files, backed up {manifest['created_at']} by Jämlik "
        f"{manifest['jamlik_version']} ({result.seconds:.1f} s)."
    )
    if result.migrations_applied:
        console.print(
            f"The backup was from an older schema: {result.migrations_applied} migrations applied."
        )


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"  # pragma: no cover


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
