"""``jamlik unlock USERNAME``: lift the login delay on a user name."""

from __future__ import annotations

import typer


def unlock(username: str = typer.Argument(..., help="The user name to unlock.")) -> None:
    """Clear the failed-login count and delay of a user name (see docs/security.md)."""
    from jamlik.cli import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("unlock", username)


def register(app: typer.Typer) -> None:
    app.command()(unlock)
