"""The ``jamlik`` command: set up, seed, serve and administer the platform.

Commands are thin: they parse options and call one service. Other apps add commands by
placing a module in this package that defines ``register(app: typer.Typer)``; they are
discovered at start-up.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import typer

from jamlik.cli.console import console

app = typer.Typer(
    name="jamlik",
    help="Jämlik — regional work on good and equitable health.",
    no_args_is_help=True,
    add_completion=False,
)


def setup_django(mode: str | None = None) -> None:
    """Configure Django; ``mode`` sets JAMLIK_MODE unless the environment already does."""
    if mode:
        os.environ.setdefault("JAMLIK_MODE", mode)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamlik.settings")
    import django

    from jamlik.config import ConfigError

    try:
        django.setup()
    except ConfigError as exc:
        console.print(f"[red]Configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _discover() -> None:
    package = sys.modules[__name__]
    for info in pkgutil.iter_modules(package.__path__):
        if info.name in {"console"}:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_discover()


def main() -> None:
    app()
