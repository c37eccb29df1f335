"""``jamlik disclosure`` commands: audit and rebuild the protected public tables."""

from __future__ import annotations

from typing import Any

import typer

from jamlik.cli.console import console

disclosure_app = typer.Typer(
    help="Disclosure control: audit what the public sees, rebuild the protected tables.",
    no_args_is_help=True,
)


def _indicators(codes: list[str] | None) -> list[Any]:
    from jamlik.indicators.models import Indicator

    if not codes:
        return list(Indicator.objects.all())
    found = list(Indicator.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {i.code for i in found})
    if unknown:
        console.print(f"[red]Unknown indicator(s):[/red] {', '.join(unknown)}")
        raise typer.Exit(2)
    return found


@disclosure_app.command("audit")
def audit(
    county: str | None = typer.Option(None, help="Report only this län (code, e.g. 01)."),
    indicator: list[str] | None = typer.Option(None, help="Only these indicator ids."),
) -> None:
    """Check every hidden count against everything published; exit 1 if any is at risk.

    For each count the public table hides, the interval it could lie in given
    every published number and the sums that tie the cells together is found by
    linear programming. A small count must be able to lie anywhere from 0 to its
    threshold; a complementary one in an interval at least the threshold wide.
    """
    import time

    from jamlik.cli import setup_django

    setup_django()
    from jamlik.geo.models import Area, AreaLevel
    from jamlik.indicators.publication import audit_published

    if county and not Area.objects.filter(code=county, level=AreaLevel.COUNTY).exists():
        console.print(f"[red]No län with code {county!r}.[/red]")
        raise typer.Exit(2)
    started = time.perf_counter()
    reports = audit_published(_indicators(indicator), county=county)
    seconds = time.perf_counter() - started
    risky = [cell for r in reports for cell in r.at_risk]
    for cell in risky:
        console.print(
            f"[red]at risk[/red] {cell['indicator']} {cell['area']} {cell['period']} "
            f"{cell['breakdown']}={cell['category']} {cell['column']}: "
            f"could only lie in {cell['lower']:g}–{cell['upper']:g}"
        )
    audited = sum(r.audited for r in reports)
    programmes = sum(r.programmes for r in reports)
    console.print(
        f"{len(reports)} indicators, {sum(r.cells for r in reports)} cells, "
        f"{audited} hidden counts audited ({programmes} linear programmes) in {seconds:.1f} s: "
        + ("[green]none at risk[/green]." if not risky else f"[red]{len(risky)} at risk[/red].")
    )
    if risky:
        raise typer.Exit(1)


@disclosure_app.command("rebuild")
def rebuild_command(
    indicator: list[str] | None = typer.Option(None, help="Only these indicator ids."),
) -> None:
    """Rebuild the protected public tables from the approved data (e.g. after changing
    an indicator's thresholds). Refused, with nothing changed, if any count would be at
    risk."""
    from jamlik.cli import setup_django

    setup_django()
    from jamlik.indicators.publication import DisclosureRiskError, rebuild

    try:
        reports = rebuild(_indicators(indicator))
    except DisclosureRiskError as exc:
        console.print(f"[red]Nothing was changed.[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]Rebuilt[/green] {len(reports)} indicators: "
        f"{sum(r.cells for r in reports)} cells, {sum(r.suppressed for r in reports)} suppressed."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(disclosure_app, name="disclosure")
