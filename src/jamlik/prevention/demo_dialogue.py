"""Demo dialogue on Botkyrka's demo plan (invented exchange): the county (lan01) and the
kommun (botkyrka) on steps 2 and 3, one message recorded as agreed, and one message from
the region's partner user when the plan is shared with the county (the sharing demo
decides; otherwise the partner has no access and writes nothing).

Runs after the plans exist. Idempotent: the dialogue's own demo messages are deleted first.
No e-mail is sent for demo messages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from jamlik.prevention import dialogue
from jamlik.prevention.models import Plan, StepComment

KOMMUN = "0127"

# step number, key of the message, author, key of the thread's first message or None,
# days after the step's start, is_agreement, text (invented)
EXCHANGE: list[tuple[int, str, str, str | None, int, bool, str]] = [
    (
        2,
        "s2-county",
        "lan01",
        None,
        6,
        False,
        "Påhittat: Vi har sett er aktörskarta. Finns fritidsgårdarna och föreningarna i "
        "Fittja och Alby med i resursbedömningen?",
    ),
    (
        2,
        "s2-kommun",
        "botkyrka",
        "s2-county",
        9,
        False,
        "Påhittat: Fritidsgårdarna finns med, föreningarna inte ännu. Vi lägger till dem "
        "före nästa avstämning.",
    ),
    (
        3,
        "s3-kommun",
        "botkyrka",
        None,
        4,
        False,
        "Påhittat: Vi föreslår att utvecklingsarbetet börjar i två skolor och följs upp "
        "med elevenkäten efter ett år.",
    ),
    (
        3,
        "s3-county",
        "lan01",
        "s3-kommun",
        8,
        False,
        "Påhittat: Bra upplägg. Länsstyrelsen kan stödja med processtöd vid två "
        "workshoppar under hösten.",
    ),
    (
        3,
        "s3-agreed",
        "botkyrka",
        "s3-kommun",
        12,
        True,
        "Påhittat: Överenskommet vid mötet: start i två skolor, två workshoppar med "
        "Länsstyrelsen under hösten, uppföljning med elevenkäten nästa år.",
    ),
]
PARTNER_TEXT = (
    "Påhittat: Regionens folkhälsoenhet kan bidra med data om barns hälsa från "
    "elevhälsan till uppföljningen."
)


def seed(progress: Callable[[str], None]) -> None:
    StepComment.objects.filter(is_demo=True).delete()
    plan = (
        Plan.objects.filter(is_demo=True, municipality__code=KOMMUN)
        .select_related("municipality__parent")
        .order_by("pk")
        .first()
    )
    if plan is None:
        progress("prevention: no demo plan for Botkyrka, no demo dialogue")
        return
    progress("prevention: demo dialogue on Botkyrka's plan")
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["lan01", "botkyrka", "region"])
    }
    steps = {s.number: s for s in plan.steps.filter(number__in=[2, 3])}
    written: dict[str, StepComment] = {}
    for number, key, username, parent_key, days, agreed, text in EXCHANGE:
        user, step = users.get(username), steps.get(number)
        if user is None or step is None:
            continue
        step.plan = plan
        comment = _write(user, plan, step, text, written.get(parent_key or ""), agreed, days)
        written[key] = comment
    region = users.get("region")
    if region is not None and 3 in steps and dialogue.side_of(region, plan) == "partner":
        _write(region, plan, steps[3], PARTNER_TEXT, written.get("s3-kommun"), False, 10)


def _write(
    user: object,
    plan: Plan,
    step: object,
    text: str,
    parent: StepComment | None,
    agreed: bool,
    days: int,
) -> StepComment:
    comment = StepComment.objects.create(
        step=step,
        parent=parent,
        author=user,
        author_name=dialogue.author_name(user),
        author_org=dialogue.author_org(user, plan),
        text=text,
        is_agreement=agreed,
        is_demo=True,
    )
    start = step.start or plan.start
    when = timezone.make_aware(datetime.combine(start + timedelta(days=days), time(10, 30)))
    StepComment.objects.filter(pk=comment.pk).update(created_at=when)
    return comment
