"""``jamlik geo`` commands."""

from __future__ import annotations

from pathlib import Path

import typer

from jamlik.cli.console import console

geo_app = typer.Typer(help="Geography: boundaries and districts.", no_args_is_help=True)


@geo_app.command("import-boundaries")
def import_boundaries(
    file: Path = typer.Argument(
        ...,
        help="A GeoJSON FeatureCollection with an area code per feature, in WGS84 or "
        "SWEREF 99 TM (or any coordinate system named in its 'crs' member).",
    ),
) -> None:
    """Store real boundaries; maps then draw real shapes instead of tiles."""
    from jamlik.cli import setup_django

    setup_django()
    from jamlik.geo.services import BoundaryError
    from jamlik.geo.services import import_boundaries as run

    try:
        result = run(file)
    except BoundaryError as exc:
        console.print(f"[red]Nothing was stored.[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]Stored boundaries for {result.stored} areas[/green] "
        f"(read as {result.crs}, converted to WGS84 and simplified for maps)."
    )
    if result.repaired:
        console.print(
            "Repaired invalid shapes (self-intersections): " + ", ".join(result.repaired) + "."
        )


def register(app: typer.Typer) -> None:
    app.add_typer(geo_app, name="geo")
