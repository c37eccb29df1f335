"""Pages of the dialogue on a plan step (thin: rules and mail in prevention.dialogue)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.prevention import dialogue
from jamlik.prevention.dialogue_forms import MessageForm, ReplyForm
from jamlik.prevention.models import Plan, PlanStep, StepComment
from jamlik.support.pages import login_redirect

EDIT = "jamlik.edit_area"
VIEW = "jamlik.view_area_unpublished"


def _step(pk: int, number: int) -> tuple[Plan, PlanStep]:
    plan = get_object_or_404(Plan.objects.select_related("municipality__parent"), pk=pk)
    step = get_object_or_404(PlanStep, plan=plan, number=number)
    step.plan = plan  # share the loaded plan and kommun
    return plan, step


def _readable(request: HttpRequest, pk: int, number: int) -> tuple[Plan, PlanStep]:
    plan, step = _step(pk, number)
    if not dialogue.can_read_dialogue(request.user, plan):
        raise PermissionDenied
    return plan, step


def _writable(request: HttpRequest, pk: int, number: int) -> tuple[Plan, PlanStep]:
    plan, step = _readable(request, pk, number)
    if not dialogue.can_comment(request.user, plan):
        raise PermissionDenied
    return plan, step


def _after_post(request: HttpRequest, posted: dialogue.Posted) -> HttpResponse:
    if posted.failed:
        messages.warning(
            request,
            _(
                "The message was saved, but the e-mail notification could not be sent. "
                "Tell the others another way."
            ),
        )
    elif posted.recipients:
        messages.success(
            request,
            _("The message was saved and %(n)s recipients were told by e-mail.")
            % {"n": len(posted.recipients)},
        )
    else:
        messages.success(request, _("The message was saved."))
    return redirect(f"{dialogue.dialogue_path(posted.comment.step)}#comment-{posted.comment.pk}")


def _page(
    request: HttpRequest,
    plan: Plan,
    step: PlanStep,
    form: MessageForm | None = None,
    reply_form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    may_write = dialogue.can_comment(user, plan)
    may_agree = dialogue.can_mark_agreement(user, plan)
    lang = getattr(request, "LANGUAGE_CODE", "sv") or "sv"
    name = dialogue.step_name(step, lang)
    if may_write and form is None:
        form = MessageForm(may_agree=may_agree)
    reply_to = str(reply_form.data.get("parent") or "") if reply_form is not None else ""
    found = dialogue.threads(step)
    # A reply's errors show under its thread; one naming no thread here shows at the top.
    orphan = reply_form is not None and reply_to not in {str(t.first.pk) for t in found}
    return render(
        request,
        "prevention/dialogue.html",
        {
            "plan": plan,
            "step": step,
            "step_name": name,
            "threads": found,
            "agreements": dialogue.agreements(step),
            "form": form if may_write else None,
            "may_write": may_write,
            "may_agree": may_agree,
            "reply_form": reply_form,
            "reply_to": reply_to,
            "reply_errors": reply_form.errors if orphan else None,
            "can_edit": user.has_perm(EDIT, plan.municipality),
            "can_view_plan": user.has_perm(VIEW, plan.municipality),
            "demo": plan.is_demo,
            "lang": lang,
        },
        status=status,
    )


def step_dialogue(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The step's dialogue; a POST writes a new thread (PRG)."""
    if (refusal := login_redirect(request)) is not None:
        return refusal
    if request.method == "POST":
        plan, step = _writable(request, pk, number)
        may_agree = dialogue.can_mark_agreement(request.user, plan)
        form = MessageForm(request.POST, may_agree=may_agree)
        if form.is_valid() and (done := _post(request, step, form)) is not None:
            return done
        return _page(request, plan, step, form=form, status=400)
    plan, step = _readable(request, pk, number)
    return _page(request, plan, step)


def _post(
    request: HttpRequest,
    step: PlanStep,
    form: MessageForm | ReplyForm,
    parent: StepComment | None = None,
) -> HttpResponse | None:
    """Store a valid form's message and redirect (PRG); None with the error on the form."""
    try:
        posted = dialogue.post_comment(
            request.user,
            step,
            form.cleaned_data["text"],
            parent=parent,
            is_agreement=form.cleaned_data.get("is_agreement", False),
            base_url=request.build_absolute_uri("/"),
        )
    except dialogue.DialogueError as exc:
        form.add_error("text", str(exc))
        return None
    return _after_post(request, posted)


@require_POST
def reply(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A reply under a thread (PRG); errors show beside the thread replied to."""
    if (refusal := login_redirect(request)) is not None:
        return refusal
    plan, step = _writable(request, pk, number)
    form = ReplyForm(request.POST, may_agree=dialogue.can_mark_agreement(request.user, plan))
    if form.is_valid():
        parent = StepComment.objects.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            form.add_error("text", _("The message replied to no longer exists."))
        elif (done := _post(request, step, form, parent)) is not None:
            return done
    return _page(request, plan, step, reply_form=form, status=400)


@require_POST
def withdraw(request: HttpRequest, pk: int, number: int, comment: int) -> HttpResponse:
    """The author takes back the "agreed" mark of one of their messages."""
    if (refusal := login_redirect(request)) is not None:
        return refusal
    plan, step = _readable(request, pk, number)
    found = StepComment.objects.filter(pk=comment, step=step).first()
    if found is None:
        raise Http404(_("No such message."))
    dialogue.withdraw_agreement(request.user, found)
    messages.success(request, _("The message is no longer recorded as agreed."))
    return redirect(f"{dialogue.dialogue_path(step)}#comment-{found.pk}")
