"""``jamlik fetch-kpi``: carry the price index (SCB's KPI, 1980=100) to the latest published year."""

from __future__ import annotations

from pathlib import Path

import typer

from jamlik.cli.console import console


def register(app: typer.Typer) -> None:
    app.command("fetch-kpi")(fetch_kpi)


def fetch_kpi(
    url: str = typer.Option(
        "",
        "--url",
        help="PxWeb table with SCB's KPI annual averages, 1980=100 (v1 table URL or v2 "
        "…/tables/TAB…); default: PR0101L/KPIFastAmed on api.scb.se (see "
        "jamlik.economics.kpi_update: the default is not confirmed from the reference).",
    ),
    contents_code: str = typer.Option(
        "",
        "--contents-code",
        help="ContentsCode of the 1980=100 annual average, when the table holds several.",
    ),
) -> None:
    """Fetch SCB's KPI annual averages and extend the shipped price index in the data folder.

    The answer is checked first (whole years, positive levels, no year backwards, the
    years Jämlik already ships must agree to 2 decimals); on any problem nothing is
    written. Scenario editors and evidence calculations then offer the later years.
    """
    from jamlik.cli import setup_django

    setup_django()
    from django.conf import settings

    from jamlik.economics import kpi_update
    from jamlik.economics.price_index import KPI_FILE, read_levels, scb_kpi

    shipped = read_levels(KPI_FILE)
    http = kpi_update.client()
    try:
        with console.status("Fetching KPI from SCB…"):
            update = kpi_update.fetch(
                http, shipped, url=url or kpi_update.DEFAULT_URL, contents_code=contents_code
            )
    except kpi_update.KpiUpdateError as exc:
        console.print(f"[red]The price index was not updated.[/red] {exc}")
        raise typer.Exit(1) from exc
    finally:
        http.close()
    target = kpi_update.write(update, Path(settings.DATA_DIR), shipped)
    scb_kpi.cache_clear()
    last = max(update.values)
    if update.new_years:
        years = ", ".join(map(str, update.new_years))
        console.print(f"[green]KPI extended with {years}[/green] (now to {last}); wrote {target}.")
    else:
        console.print(f"SCB has no year after {last} yet; wrote {target}.")
