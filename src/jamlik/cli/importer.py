"""``jamlik import FILE``: load a CSV/XLSX file in the import template (docs/import-template.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from jamlik.cli.console import console


def register(app: typer.Typer) -> None:
    app.command(name="import")(import_file)


def import_file(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="A .csv or .xlsx file in the import template."
    ),
    user: str | None = typer.Option(
        None, "--user", help="Record the import run under this Jämlik user."
    ),
) -> None:
    """Validate a file and store all of its rows, or none of them if anything is wrong."""
    from jamlik.cli import setup_django

    setup_django()
    from jamlik.cli.fetch import _user
    from jamlik.indicators.services import import_file as run_import
    from jamlik.indicators.services import sync_catalogue
    from jamlik.sources import ImportValidationError

    sync_catalogue(
        update_existing=False
    )  # the shipped catalogue must exist before values can refer to it
    try:
        run = run_import(file, user=_user(user))
    except ImportValidationError as exc:
        console.print(
            f"[red]Nothing was imported:[/red] {len(exc.problems)} problem(s) in {file.name}"
        )
        for problem in exc.problems[:200]:
            console.print(f"  • {problem}", markup=False, highlight=False)
        if len(exc.problems) > 200:
            console.print(f"  … and {len(exc.problems) - 200} more")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]Imported {run.rows} rows[/green] from {file.name} ({run.created} new, {run.updated} replaced); import run {run.pk}."
    )
