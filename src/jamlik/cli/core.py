"""Core commands: init, demo, serve, createadmin, manage."""

from __future__ import annotations

import getpass
import os

import typer

from jamlik.cli.console import console

WORKERS_HELP = "Worker processes (gunicorn). Default: 2 × cores + 1, at most 8. waitress uses one."


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
    workers: int | None = typer.Option(None, help=WORKERS_HELP),
) -> None:
    """Set up, seed the invented demo county (Stockholms län) and serve it (plain http)."""
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
        _serve(host, port, workers, "auto")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int | None = typer.Option(None, help=WORKERS_HELP),
    server: str = typer.Option(
        "auto",
        help="gunicorn (several processes; Linux, macOS), waitress (one process; "
        "anywhere) or auto: gunicorn where it runs.",
    ),
) -> None:
    """Serve Jämlik: behind a TLS-terminating proxy in production mode (docs/deployment.md),
    plain http in demo and dev mode."""
    _setup()
    _serve(host, port, workers, server)


def _serve(host: str, port: int, workers: int | None, server: str) -> None:
    from django.conf import settings

    from jamlik.core import serving

    config = settings.CONFIG
    try:
        chosen = serving.plan(
            host=host,
            port=port,
            workers=workers,
            server=server,
            mode=config.mode,
            allowed_hosts=config.allowed_hosts,
            trusted_proxies=config.trusted_proxies,
        )
    except serving.ServeError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    for line in chosen.banner():
        console.print(line)
    if chosen.production and _holds_demo_data():
        console.print(
            "[yellow]This database holds the invented demo data.[/yellow] To look at it "
            "without a proxy, serve it in demo mode over plain http: `jamlik demo` "
            "(or JAMLIK_MODE=demo jamlik serve)."
        )
    if workers and workers > 1 and chosen.server == "waitress":
        console.print("waitress serves in one process; --workers is ignored.")
    from jamlik.wsgi import application

    serving.run(chosen, application)


def _holds_demo_data() -> bool:
    from django.db import DatabaseError

    from jamlik.core.models import SiteState

    try:
        return SiteState.objects.filter(pk=1, demo_loaded=True).exists()
    except DatabaseError:  # not set up yet: the pages will say so
        return False


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
