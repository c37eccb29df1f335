"""``jamlik fetch kolada|pxweb``: load indicator values from public statistics APIs."""

from __future__ import annotations

from pathlib import Path

import typer

from jamlik.cli.console import console

fetch_app = typer.Typer(
    help="Fetch indicator values from Kolada or a PxWeb service (SCB, Folkhälsodata).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(fetch_app, name="fetch")


def _user(username: str | None):  # noqa: ANN202 - a Django user or None
    if not username:
        return None
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        console.print(f"[red]No user named {username!r}.[/red]")
        raise typer.Exit(2) from None


@fetch_app.command("kolada")
def kolada(
    kpi: str = typer.Option(..., help="KPI ids, comma-separated, e.g. N00957,U01405."),
    area: str = typer.Option(
        ..., help="Area codes, comma-separated; a län code (01) brings its kommuner along."
    ),
    years: str = typer.Option(..., help="Years, e.g. 2015-2024 or 2019,2021."),
    user: str | None = typer.Option(
        None, "--user", help="Record the import run under this Jämlik user."
    ),
) -> None:
    """Fetch KPI values from Kolada (API v3) and store them in one transaction."""
    from jamlik.cli import setup_django

    setup_django()
    from jamlik.indicators.services import fetch_kolada, sync_catalogue
    from jamlik.sources import ImportValidationError, SourceError, expand_years

    try:
        year_list = expand_years(years)
    except ValueError as exc:
        console.print(f"[red]--years:[/red] {exc}")
        raise typer.Exit(2) from exc
    kpis = [k.strip() for k in kpi.split(",") if k.strip()]
    areas = [a.strip() for a in area.split(",") if a.strip()]
    sync_catalogue(
        update_existing=False
    )  # the shipped catalogue must exist before values can refer to it
    try:
        with console.status("Fetching from Kolada…"):
            run = fetch_kolada(kpis, areas, year_list, user=_user(user))
    except ImportValidationError as exc:
        console.print(f"[red]Nothing was stored.[/red] {exc}")
        raise typer.Exit(1) from exc
    except SourceError as exc:
        console.print(f"[red]Nothing was stored.[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]Stored {run.rows} observations[/green] ({run.created} new, {run.updated} replaced); import run {run.pk}."
    )


@fetch_app.command("pxweb")
def pxweb(
    url: str = typer.Argument(..., help="Table URL (PxWeb v1 …/table.px or v2 …/tables/TAB1234)."),
    query: Path = typer.Option(
        ...,
        "--query",
        exists=True,
        dir_okay=False,
        help="Query file (TOML or JSON); see docs/pxweb-query.md.",
    ),
    user: str | None = typer.Option(
        None, "--user", help="Record the import run under this Jämlik user."
    ),
) -> None:
    """Fetch a PxWeb table described by a query file and store it in one transaction."""
    from jamlik.cli import setup_django

    setup_django()
    from jamlik.indicators.services import fetch_pxweb, sync_catalogue
    from jamlik.sources import ImportValidationError, SourceError

    sync_catalogue(update_existing=False)
    try:
        with console.status("Fetching from PxWeb…"):
            run, warnings = fetch_pxweb(url, query, user=_user(user))
    except (ImportValidationError, SourceError) as exc:
        console.print(f"[red]Nothing was stored.[/red] {exc}")
        raise typer.Exit(1) from exc
    for warning in warnings:
        console.print(f"[yellow]Note:[/yellow] {warning}")
    console.print(
        f"[green]Stored {run.rows} observations[/green] ({run.created} new, {run.updated} replaced); import run {run.pk}."
    )
