"""``jamlik remind``: e-mail the editors of kommuner that have not finished a county task.

Meant for a scheduler (cron, systemd timer): it reminds about the county's open actor-map
inventory round and its open prerequisites survey rounds, and says which kommuner have no
editor with an e-mail address; and, while the national level's reporting template is
open and the county has not submitted, it reminds the county's administrators.
"""

from __future__ import annotations

import typer

from jamlik.cli.console import console


def register(app: typer.Typer) -> None:
    app.command()(remind)


def remind(
    county: str = typer.Option(..., "--county", help="Län code, e.g. 01."),
    base_url: str = typer.Option(
        "",
        "--base-url",
        help="Address of this Jämlik for the links in the messages, e.g. "
        "https://jamlik.example.se (default: the first JAMLIK_CSRF_TRUSTED_ORIGINS entry).",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list who would be reminded."),
) -> None:
    """Remind kommuner about the open inventory round and open survey rounds of a län."""
    from jamlik.cli import setup_django

    setup_django()
    from django.conf import settings

    from jamlik.accounts.reminders import send_reminders
    from jamlik.actors.choices import RoundStatus
    from jamlik.actors.models import InventoryRound
    from jamlik.actors.services import inventory_reminders
    from jamlik.geo.models import Area, AreaLevel
    from jamlik.prerequisites.models import Round
    from jamlik.prerequisites.services import survey_reminders
    from jamlik.reports.upward import open_template, upward_reminders

    area = Area.objects.filter(code=county, level=AreaLevel.COUNTY).first()
    if area is None:
        console.print(f"[red]{county!r} is not a län code (01–25).[/red]")
        raise typer.Exit(2)
    url = base_url or next(iter(settings.CSRF_TRUSTED_ORIGINS), "")
    if not url.startswith(("http://", "https://")):
        console.print(
            "[red]Give --base-url (e.g. https://jamlik.example.se) so the messages can link "
            "to the pages, or set JAMLIK_CSRF_TRUSTED_ORIGINS.[/red]"
        )
        raise typer.Exit(2)
    tasks = [
        (f"Inventory round {r.name}", inventory_reminders(r))
        for r in InventoryRound.objects.filter(county=area, status=RoundStatus.OPEN)
    ] + [
        (f"Prerequisites survey {r.year}", survey_reminders(r))
        for r in Round.objects.filter(county=area, is_open=True).select_related("county")
    ]
    # Reporting upward: the county's administrators, while its report is not submitted.
    template = open_template()
    if template is not None:
        tasks.append(
            (f"County reporting {template.year}", upward_reminders(template, counties=[area]))
        )
    if not tasks:
        console.print(f"No open rounds in {area.name}; nothing to remind about.")
        return
    for label, reminders in tasks:
        outcome = send_reminders(reminders, base_url=url, dry_run=dry_run)
        verb = "would remind" if dry_run else "reminded"
        counties = label.startswith("County reporting")
        console.print(
            f"[bold]{label}[/bold]: {verb} {len(outcome.sent)} "
            f"{'counties' if counties else 'kommuner'} ({outcome.addresses} addresses)."
        )
        for kommun, addresses in outcome.sent:
            console.print(f"  {kommun.name}: {', '.join(addresses)}")
        if outcome.without_address:
            names = ", ".join(k.name for k in outcome.without_address)
            who = "county administrator" if counties else "editor"
            console.print(f"  [yellow]No {who} e-mail address:[/yellow] {names}")
