"""The dialogue on a kommun's plan: who may read and write, posting, threads, agreements,
and the e-mail that tells the other side (issue 18, "the county as a dialogue partner in
every phase of the quality model").

One place decides who takes part, so the pages, the step-page tag and the plan page
agree:

* the national administrator, the plan's county administrators and the kommun's
  editors read and write;
* viewers with ``view_area_unpublished`` on the kommun read only;
* a partner organisation (a partner role on the plan's län) reads and writes only when
  the kommun has opened its plan (``Plan.sharing`` is ``county`` or ``all``): the kommun
  decides whether partners join its dialogue;
* nobody else.

Notification reuses the reminder machinery's address lookup
(:func:`jamlik.accounts.reminders.role_addresses`) and Django's mail backend
(``JAMLIK_EMAIL_URL``). The comment is stored before any mail is sent, and a refused
sending is logged and reported back, never a lost comment.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from jamlik.accounts.models import Role, RoleKind
from jamlik.accounts.reminders import role_addresses
from jamlik.accounts.rules import is_county_admin_of, is_editor_of, is_national, is_partner_in
from jamlik.geo.models import Area
from jamlik.prevention.models import Plan, PlanStep, Sharing, StepComment
from jamlik.prevention.services import quality_model_for

logger = logging.getLogger(__name__)

MAX_LENGTH = 5000
VIEW = "jamlik.view_area_unpublished"
OPEN_TO_PARTNERS = (Sharing.COUNTY, Sharing.ALL)


class DialogueError(ValueError):
    """A message that cannot be stored as written (shown on the form)."""


# ---- who takes part ---------------------------------------------------------------------


def _county(plan: Plan) -> Area:
    return plan.municipality.parent


def _partner_may_join(user: Any, plan: Plan) -> bool:
    return plan.sharing in OPEN_TO_PARTNERS and is_partner_in(user, _county(plan))


def side_of(user: Any, plan: Plan) -> str | None:
    """The side ``user`` writes for on ``plan``: "county", "kommun", "partner", "national",
    or None for readers and outsiders. A county administrator who also edits the kommun
    writes as the county (the role the county's dialogue is for)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_county_admin_of(user, plan.municipality):
        return "county"
    if is_editor_of(user, plan.municipality):
        return "kommun"
    if _partner_may_join(user, plan):
        return "partner"
    if is_national(user):
        return "national"
    return None


def can_comment(user: Any, plan: Plan) -> bool:
    return side_of(user, plan) is not None


def can_read_dialogue(user: Any, plan: Plan) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return can_comment(user, plan) or user.has_perm(VIEW, plan.municipality)


def can_mark_agreement(user: Any, plan: Plan) -> bool:
    """Only the two parties of the plan (the county and the kommun) record agreements."""
    return side_of(user, plan) in ("county", "kommun")


def author_org(user: Any, plan: Plan) -> str:
    """The organisation the user writes for, as stored with the comment."""
    side = side_of(user, plan)
    if side == "county":
        name = _county(plan).name
        return f"Länsstyrelsen i {name if name.endswith('län') else f'{name} län'}"
    if side == "kommun":
        return plan.municipality.name
    if side == "partner":
        role = (
            Role.objects.filter(user=user, kind=RoleKind.PARTNER, area=_county(plan))
            .select_related("actor")
            .order_by("pk")
            .first()
        )
        return role.actor.name if role and role.actor else ""
    return ""


def author_name(user: Any) -> str:
    return (user.get_full_name() or "").strip() or user.get_username()


# ---- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Thread:
    first: StepComment
    replies: list[StepComment]


def threads(step: PlanStep) -> list[Thread]:
    """The step's threads, oldest first (a conversation reads top to bottom; the newest
    thread is last, just above the form for a new message). A reply whose parent is itself
    a reply is shown under the thread's first message."""
    comments = list(step.comments.all().order_by("created_at", "pk"))
    by_pk = {c.pk: c for c in comments}

    def root(comment: StepComment) -> StepComment:
        seen = set()
        while comment.parent_id is not None and comment.parent_id in by_pk:
            if comment.pk in seen:  # a cycle cannot be written through post_comment
                break
            seen.add(comment.pk)
            comment = by_pk[comment.parent_id]
        return comment

    grouped: dict[int, Thread] = {}
    for comment in comments:
        first = root(comment)
        thread = grouped.setdefault(first.pk, Thread(first=first, replies=[]))
        if comment is not first:
            thread.replies.append(comment)
    return list(grouped.values())


def agreements(step: PlanStep) -> list[StepComment]:
    """What the parties recorded as agreed on the step, oldest first."""
    return list(step.comments.filter(is_agreement=True).order_by("created_at", "pk"))


def message_counts(plan: Plan) -> dict[int, int]:
    """Number of messages per step id of ``plan`` (steps without messages are absent)."""
    rows = (
        StepComment.objects.filter(step__plan=plan)
        .values("step_id")
        .annotate(n=Count("pk"))
        .values_list("step_id", "n")
    )
    return dict(rows)


def step_name(step: PlanStep, lang: str = "sv") -> str:
    """The step's name in the county's quality model (its key when the model lacks it)."""
    model = quality_model_for(step.plan.municipality)
    found = next((s for s in model.steps if s.key == step.key), None)
    return found.name(lang) if found else step.key


def dialogue_path(step: PlanStep) -> str:
    return reverse("prevention:plan-dialogue", args=[step.plan_id, step.number])


# ---- writing -----------------------------------------------------------------------------


@dataclass
class Posted:
    """A stored comment and what became of its notification."""

    comment: StepComment
    recipients: list[str] = field(default_factory=list)
    failed: bool = False


def post_comment(
    user: Any,
    step: PlanStep,
    text: str,
    parent: StepComment | None = None,
    is_agreement: bool = False,
    *,
    base_url: str = "",
) -> Posted:
    """Store a message on ``step`` and e-mail the other side; see the module docstring.

    Raises PermissionDenied for users who may not write, DialogueError for an empty or
    over-long text, a parent on another step, or an agreement from someone who may not
    record one.
    """
    plan = step.plan
    if not can_comment(user, plan):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise DialogueError(_("Write a message before sending."))
    if len(text) > MAX_LENGTH:
        raise DialogueError(
            _("The message is %(n)s characters long; at most %(max)s are allowed.")
            % {"n": len(text), "max": MAX_LENGTH}
        )
    if is_agreement and not can_mark_agreement(user, plan):
        raise DialogueError(
            _("Only the county board and the kommun record what was agreed on a plan.")
        )
    if parent is not None:
        if parent.step_id != step.pk:
            raise DialogueError(_("The message replied to belongs to another step."))
        while parent.parent_id is not None:
            parent = parent.parent
    comment = StepComment.objects.create(
        step=step,
        parent=parent,
        author=user,
        author_name=author_name(user)[:150],
        author_org=author_org(user, plan)[:200],
        text=text,
        is_agreement=is_agreement,
    )
    return notify(comment, base_url=base_url)


def withdraw_agreement(user: Any, comment: StepComment) -> StepComment:
    """The author takes back an agreement mark; the message itself stays in the thread."""
    if not getattr(user, "is_authenticated", False) or comment.author_id != user.pk:
        raise PermissionDenied
    if comment.is_agreement:
        comment.is_agreement = False
        comment.save(update_fields=["is_agreement"])
    return comment


# ---- notification ------------------------------------------------------------------------


def recipients(comment: StepComment) -> list[str]:
    """Addresses to tell about ``comment``: the other side, the thread's earlier
    participants who may still read it; never the author, nobody without an address."""
    step = comment.step
    plan = step.plan
    author = comment.author
    side = side_of(author, plan) if author is not None else None
    if side == "kommun":
        addresses = set(role_addresses(_county(plan), RoleKind.COUNTY_ADMIN))
    else:
        addresses = set(role_addresses(plan.municipality, RoleKind.EDITOR))
    root_pk = comment.parent_id or comment.pk
    earlier = StepComment.objects.filter(
        Q(pk=root_pk) | Q(parent_id=root_pk), step=step, author__is_active=True
    ).select_related("author")
    for other in {c.author for c in earlier if c.pk != comment.pk}:
        if other.email and other.email.strip() and can_read_dialogue(other, plan):
            addresses.add(other.email.strip())
    if author is not None and author.email:
        addresses.discard(author.email.strip())
    return sorted(a for a in addresses if a)


def _message(comment: StepComment, base_url: str) -> tuple[str, str]:
    step = comment.step
    plan = step.plan
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(kommun)s, %(plan)s, step %(n)s: new message from %(author)s") % {
            "kommun": plan.municipality.name,
            "plan": plan.title,
            "n": f"{step.number} ({step_name(step, settings.LANGUAGE_CODE)})",
            "author": comment.author_org or comment.author_name,
        }
        kind = _("Recorded as agreed.") if comment.is_agreement else ""
        body = "\n\n".join(
            part
            for part in (
                _("%(name)s (%(org)s) wrote on step %(n)s of %(plan)s in %(kommun)s:")
                % {
                    "name": comment.author_name,
                    "org": comment.author_org or "–",
                    "n": step.number,
                    "plan": plan.title,
                    "kommun": plan.municipality.name,
                },
                comment.text,
                kind,
                _("Read and answer in the dialogue:")
                + f"\n{base_url.rstrip('/')}{dialogue_path(step)}",
            )
            if part
        )
    return subject[:200].replace("\n", " "), body + "\n"


def notify(comment: StepComment, *, base_url: str = "") -> Posted:
    """E-mail one message per recipient (nobody sees another's address). A refusal by
    the mail server is logged and reported in ``failed``; the comment stays stored."""
    posted = Posted(comment=comment, recipients=recipients(comment))
    if not posted.recipients:
        return posted
    subject, body = _message(comment, base_url)
    messages = [
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[a])
        for a in posted.recipients
    ]
    try:
        get_connection(fail_silently=False).send_messages(messages)
    except Exception:  # any backend failure (SMTP, socket, TLS): report, keep the comment
        logger.exception("dialogue notification for comment %s was not sent", comment.pk)
        posted.failed = True
    return posted
