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


def _cache_dir(no_cache: bool) -> Path | None:
    """Where fetched metadata is cached (``http-cache`` in the data folder), unless refused."""
    from django.conf import settings

    return None if no_cache else Path(settings.DATA_DIR) / "http-cache"


NO_CACHE_HELP = (
    "Ask the service for its metadata (catalogue, limits, table variables) again instead of "
    "using the copy kept for a day in the data folder. Values are always fetched fresh."
)


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
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        help="Root of the Kolada API (a mirror or a test server); "
        "default: the JAMLIK_KOLADA_URL setting, https://api.kolada.se/v3.",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help=NO_CACHE_HELP),
) -> None:
    """Fetch KPI values from Kolada (API v3) and store them in one transaction.

    The KPI ids and area codes are checked against Kolada's own lists first
    (cached for a day in the data folder), so a typo is named instead of
    fetching nothing.
    """
    from jamlik.cli import setup_django

    setup_django()
    from django.conf import settings

    from jamlik.indicators.services import expand_area_codes, fetch_kolada, sync_catalogue
    from jamlik.sources import ImportValidationError, KoladaClient, SourceError, expand_years

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
    client = KoladaClient(
        base_url=base_url or settings.JAMLIK_KOLADA_URL, cache_dir=_cache_dir(no_cache)
    )
    try:
        with console.status("Fetching from Kolada…"):
            titles = client.check_kpis(kpis)
            client.check_areas(expand_area_codes(areas))
            for kpi_id, title in titles.items():
                console.print(f"{kpi_id} {title}")
            run = fetch_kolada(kpis, areas, year_list, client=client, user=_user(user))
    except (ImportValidationError, SourceError) as exc:
        console.print(f"[red]Nothing was stored.[/red] {exc}")
        raise typer.Exit(1) from exc
    finally:
        client.http.close()
    console.print(
        f"[green]Stored {run.rows} observations[/green] ({run.created} new, {run.updated} replaced); import run {run.pk}."
    )


@fetch_app.command("pxweb")
def pxweb(
    url: str = typer.Argument(
        "",
        help="Table URL (PxWeb v1 …/table.px or v2 …/tables/TAB1234), or a path such as "
        "tables/TAB1234 under the base URL; default: 'url' in the query file.",
    ),
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
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        help="Send this fetch to another server: a table path is resolved against it and an "
        "absolute table URL keeps its path but goes to this scheme and host. Default: the "
        "JAMLIK_PXWEB_URL setting, which resolves table paths only.",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help=NO_CACHE_HELP),
) -> None:
    """Fetch a PxWeb table described by a query file and store it in one transaction."""
    from jamlik.cli import setup_django

    setup_django()
    from django.conf import settings

    from jamlik.indicators.services import fetch_pxweb, sync_catalogue
    from jamlik.sources import ImportValidationError, PxWebClient, SourceError

    sync_catalogue(update_existing=False)
    client = PxWebClient(
        base_url=base_url or settings.JAMLIK_PXWEB_URL,
        redirect=bool(base_url),
        cache_dir=_cache_dir(no_cache),
    )
    try:
        with console.status("Fetching from PxWeb…"):
            run, warnings = fetch_pxweb(url, query, client=client, user=_user(user))
    except (ImportValidationError, SourceError) as exc:
        console.print(f"[red]Nothing was stored.[/red] {exc}")
        raise typer.Exit(1) from exc
    finally:
        client.http.close()
    for warning in warnings:
        console.print(f"[yellow]Note:[/yellow] {warning}")
    console.print(
        f"[green]Stored {run.rows} observations[/green] ({run.created} new, {run.updated} replaced); import run {run.pk}."
    )
