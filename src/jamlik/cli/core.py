"""Core commands: init, demo, serve, createadmin, manage."""

from __future__ import annotations

import getpass
import os

import typer

from jamlik.cli.console import console


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(demo)
    app.command()(serve)
    app.command()(createadmin)
    app.command(
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        help="Run a Django management command, e.g. `jamlik manage check --deploy`.",
    )(manage)


def _setup(mode: str | None = None) -> None:
    from jamlik.cli import setup_django

    setup_django(mode)


def init() -> None:
    """Create or update the database, load Sweden's geography and check the frameworks."""
    _setup()
    from jamlik.setup import initialise

    with console.status("Setting up…") as status:
        summary = initialise(progress=lambda m: status.update(f"Setting up: {m}"))
    console.print(f"[green]Ready.[/green] {summary}")


def demo(
    serve_after: bool = typer.Option(
        True, "--serve/--no-serve", help="Start the server after seeding."
    ),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Set up, seed the invented demo county (Stockholms län) and serve it."""
    _setup("demo")
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    from jamlik.accounts.demo import DEMO_PASSWORD, DEMO_USERS
    from jamlik.setup import demo_seeders, initialise, mark_demo_loaded

    seeders = demo_seeders()
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), console=console
    ) as progress:
        task = progress.add_task("Setting up the database", total=len(seeders) + 1)
        initialise(progress=lambda m: progress.update(task, description=f"Setting up: {m}"))
        progress.advance(task)
        for label, seed in seeders:
            progress.update(task, description=f"Demo data: {label}")
            seed(
                lambda m, label=label: progress.update(task, description=f"Demo data: {label}: {m}")
            )
            progress.advance(task)
        mark_demo_loaded()
    console.print("[green]Demo data loaded[/green] (invented, labelled as such on every page).")
    console.print(f"Demo logins (password for all: [bold]{DEMO_PASSWORD}[/bold]):")
    for username, description, _kind, _code in DEMO_USERS:
        console.print(f"  [bold]{username:<10}[/bold] {description}")
    if serve_after:
        _serve(host, port)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Serve Jämlik with waitress (a production WSGI server)."""
    _setup()
    _serve(host, port)


def _serve(host: str, port: int) -> None:
    from waitress import serve as waitress_serve

    from jamlik.wsgi import application

    console.print(f"Jämlik is running on [bold]http://{host}:{port}/[/bold] (Ctrl+C stops it)")
    waitress_serve(application, host=host, port=port, threads=8, ident="jamlik")


def createadmin(
    username: str = typer.Option(..., prompt=True, help="User name of the new administrator."),
    email: str = typer.Option("", help="E-mail address."),
) -> None:
    """Create a national administrator (a Django superuser). Asks for the password."""
    _setup()
    from django.contrib.auth.password_validation import ValidationError, validate_password

    from jamlik.accounts.services import create_user

    password = os.environ.get("JAMLIK_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    try:
        validate_password(password)
    except ValidationError as exc:
        console.print("[red]Password refused:[/red] " + " ".join(exc.messages))
        raise typer.Exit(2) from exc
    create_user(username, password, email=email, superuser=True)
    console.print(f"[green]Administrator {username} created.[/green]")


def manage(ctx: typer.Context) -> None:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jamlik manage", *ctx.args])
