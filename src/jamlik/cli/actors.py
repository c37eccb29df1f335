"""``jamlik actors`` commands: import and export actor maps, import county packages."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from jamlik.cli.console import console

actors_app = typer.Typer(help="Actor map: import, export, county packages.", no_args_is_help=True)


def _setup() -> None:
    from jamlik.cli import setup_django

    setup_django()


def _user(username: str):  # noqa: ANN202 - a Django user
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        console.print(f"[red]No user named {username!r}.[/red]")
        raise typer.Exit(2)
    return user


def _county(code: str):  # noqa: ANN202 - an Area
    from jamlik.geo.models import Area, AreaLevel

    county = Area.objects.filter(code=code, level=AreaLevel.COUNTY).first()
    if county is None:
        console.print(f"[red]{code!r} is not a län code (01–25).[/red]")
        raise typer.Exit(2)
    return county


@actors_app.command("export")
def export(
    county: str = typer.Option(..., "--county", help="Län code, e.g. 01."),
    out: Path = typer.Option(..., "--out", help="File to write: .json (package) or .xlsx."),
) -> None:
    """Write a county's actor map: a versioned JSON package or an XLSX workbook."""
    _setup()
    from jamlik.actors.models import Actor
    from jamlik.actors.rows import county_rows
    from jamlik.actors.services import export_package
    from jamlik.actors.tabular import write_xlsx

    area = _county(county)
    demo = Actor.objects.filter(county=area, is_demo=True).exists()
    if out.suffix.lower() == ".json":
        package = export_package(area, demo=demo)
        out.write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"[green]Wrote package {package['version']}[/green] to {out}")
    elif out.suffix.lower() == ".xlsx":
        out.write_bytes(write_xlsx(county_rows(area.code), demo=demo))
        console.print(f"[green]Wrote[/green] {out}")
    else:
        console.print("[red]--out must end in .json or .xlsx[/red]")
        raise typer.Exit(2)


@actors_app.command("import")
def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".xlsx, .csv or .json"),
    county: str = typer.Option(..., "--county", help="Län code the rows belong to."),
    user: str = typer.Option(..., "--user", help="Import as this user (their rights apply)."),
    sheet: str = typer.Option("activities", help="For a CSV file: which sheet it holds."),
) -> None:
    """Import actors, activities, networks and relations; nothing is stored if any row is wrong."""
    _setup()
    from jamlik.actors.services import import_sheets
    from jamlik.actors.tabular import FormatError, ImportRejected, read_any

    try:
        sheets = read_any(file.name, file.read_bytes(), sheet=sheet)
        result = import_sheets(_user(user), _county(county), sheets)
    except FormatError as exc:
        console.print(f"[red]Nothing was imported:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    except ImportRejected as exc:
        console.print(
            f"[red]Nothing was imported:[/red] {len(exc.errors)} problem(s) in {file.name}"
        )
        for error in exc.errors[:200]:
            console.print(f"  • {error}", markup=False, highlight=False)
        raise typer.Exit(1) from exc
    console.print(f"[green]Imported[/green] {result.summary()}")


@actors_app.command("import-package")
def import_package(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="County packages"),
    user: str = typer.Option(..., "--user", help="A national administrator."),
) -> None:
    """Import county packages into the national picture, merging actors across counties."""
    _setup()
    from django.core.exceptions import PermissionDenied

    from jamlik.actors.services import import_county_package
    from jamlik.actors.tabular import FormatError, ImportRejected

    account = _user(user)
    for file in files:
        try:
            result = import_county_package(account, file.read_bytes())
        except PermissionDenied as exc:
            console.print(f"[red]Refused:[/red] {exc}")
            raise typer.Exit(1) from exc
        except (FormatError, ImportRejected) as exc:
            console.print(f"[red]{file.name} was not imported:[/red] {exc}", highlight=False)
            raise typer.Exit(1) from exc
        console.print(
            f"[green]{result.package.county.name}[/green] {result.package.version}: "
            f"{result.merged} actors merged, {result.review} to review, {result.new} new"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(actors_app, name="actors")
