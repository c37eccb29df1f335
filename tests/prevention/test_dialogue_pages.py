"""The plan dialogue pages: reading, posting (PRG, CSRF), replies, agreements, the step
page's panel, the plan page's step rows, and the refusals."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from tests.prevention.dialogue_fixtures import (  # noqa: F401 - fixtures
    other_county_admin,
    other_plan,
    partner,
    plan,
    step3,
)

from jamlik.prevention import dialogue
from jamlik.prevention.models import Sharing, StepComment

pytestmark = pytest.mark.django_db


def url(the_plan, number: int = 3, tail: str = "") -> str:  # noqa: ANN001
    return f"/prevention/planer/{the_plan.pk}/steg/{number}/dialog/{tail}"


def as_user(user) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_county_writes_and_kommun_reads(client_for, plan, step3) -> None:  # noqa: ANN001, F811
    mail.outbox.clear()
    county = client_for("lan01")
    response = county.post(url(plan), {"text": "Hur går kartläggningen i steg 3?"})
    comment = StepComment.objects.get(step=step3)
    assert response.status_code == 302
    assert response["Location"].endswith(f"{url(plan)}#comment-{comment.pk}")
    assert [m.to for m in mail.outbox] == [["botkyrka@example.se"]]
    assert f"http://testserver{url(plan)}" in mail.outbox[0].body
    page = client_for("botkyrka").get(url(plan))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hur går kartläggningen i steg 3?" in html
    assert "Länsstyrelsen i Stockholms län" in html
    assert f'<article class="dialogue-message" id="comment-{comment.pk}"' in html
    assert '<time datetime="' in html
    assert 'for="reply-' in html and 'for="id_text"' in html


def test_reply_and_agreement(client_for, plan, step3) -> None:  # noqa: ANN001, F811
    first = dialogue.post_comment(_user("lan01"), step3, "Förslag").comment
    editor = client_for("botkyrka")
    response = editor.post(
        url(plan, tail="svar/"),
        {"parent": first.pk, "text": "Vi är överens om förslaget.", "is_agreement": "on"},
    )
    assert response.status_code == 302
    reply = StepComment.objects.get(step=step3, parent=first)
    assert reply.is_agreement and reply.author_org == "Botkyrka"
    html = editor.get(url(plan)).content.decode()
    agreed_at = html.index('id="agreed-heading"')
    assert html.index("Vi är överens om förslaget.") > agreed_at
    # the author withdraws the mark; another user may not
    assert client_for("lan01").post(url(plan, tail=f"{reply.pk}/ta-tillbaka/")).status_code == 403
    assert StepComment.objects.get(pk=reply.pk).is_agreement
    assert editor.post(url(plan, tail=f"{reply.pk}/ta-tillbaka/")).status_code == 302
    assert not StepComment.objects.get(pk=reply.pk).is_agreement


def _user(name: str):  # noqa: ANN001, ANN202
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def test_invalid_posts_show_errors_and_store_nothing(client_for, plan, step3, other_plan) -> None:  # noqa: ANN001, F811
    county = client_for("lan01")
    empty = county.post(url(plan), {"text": "   "})
    assert empty.status_code == 400 and 'aria-invalid="true"' in empty.content.decode()
    too_long = county.post(url(plan), {"text": "x" * 5001})
    assert too_long.status_code == 400
    elsewhere = dialogue.post_comment(
        _user("lidingo"), other_plan.steps.get(number=3), "Lidingö"
    ).comment
    wrong = county.post(url(plan, tail="svar/"), {"parent": elsewhere.pk, "text": "Hej"})
    assert wrong.status_code == 400 and 'id="reply-errors"' in wrong.content.decode()
    assert not StepComment.objects.filter(step=step3).exists()


def test_partner_only_on_a_shared_plan(plan, step3, partner) -> None:  # noqa: ANN001, F811
    client = as_user(partner)
    assert client.get(url(plan)).status_code == 403
    assert client.post(url(plan), {"text": "Hej"}).status_code == 403
    plan.sharing = Sharing.COUNTY
    plan.save()
    page = client.get(url(plan))
    assert page.status_code == 200
    assert "This records what we agreed" not in page.content.decode()
    assert client.post(url(plan), {"text": "Regionen kan bidra"}).status_code == 302
    # the agreement flag from a partner is refused, nothing stored
    assert client.post(url(plan), {"text": "Överens", "is_agreement": "on"}).status_code == 302
    assert not StepComment.objects.filter(step=step3, is_agreement=True).exists()


def test_refusals(client, client_for, plan, step3, other_county_admin) -> None:  # noqa: ANN001, F811
    assert client.get(url(plan)).status_code == 302  # anonymous: to the login page
    assert client.post(url(plan), {"text": "Hej"}).status_code == 302
    other_admin = as_user(other_county_admin)
    assert other_admin.get(url(plan)).status_code == 403
    assert other_admin.post(url(plan), {"text": "Hej"}).status_code == 403
    lidingo = client_for("lidingo")
    assert lidingo.get(url(plan)).status_code == 403
    assert lidingo.post(url(plan), {"text": "Hej"}).status_code == 403
    viewer = client_for("viewer")
    page = viewer.get(url(plan))
    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    assert viewer.post(url(plan), {"text": "Hej"}).status_code == 403
    first = dialogue.post_comment(_user("lan01"), step3, "Hej").comment
    assert (
        viewer.post(url(plan, tail="svar/"), {"parent": first.pk, "text": "Nej"}).status_code == 403
    )
    assert viewer.get(url(plan, tail="svar/")).status_code == 405
    assert client_for("lan01").get(url(plan, number=99)).status_code == 404
    assert StepComment.objects.filter(step=step3).count() == 1


def test_csrf_is_required(users, plan) -> None:  # noqa: ANN001, F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["lan01"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(url(plan), {"text": "Utan token"}).status_code == 403
    assert not StepComment.objects.filter(step__plan=plan).exists()


def test_mail_failure_is_said_on_the_page(client_for, plan, step3, monkeypatch) -> None:  # noqa: ANN001, F811
    class Refusing:
        def send_messages(self, messages):  # noqa: ANN001, ANN201
            raise OSError("refused")

    monkeypatch.setattr(dialogue, "get_connection", lambda **_kw: Refusing())
    response = client_for("lan01").post(url(plan), {"text": "Sparas"}, follow=True)
    assert "could not be sent" in response.content.decode() or "kunde inte skickas" in (
        response.content.decode()
    )
    assert StepComment.objects.filter(step=step3, text="Sparas").exists()


def test_step_page_panel_and_plan_rows(client_for, plan, step3) -> None:  # noqa: ANN001, F811
    dialogue.post_comment(_user("lan01"), step3, "Fråga")
    dialogue.post_comment(_user("botkyrka"), step3, "Överenskommet: juni", is_agreement=True)
    editor = client_for("botkyrka")
    step_page = editor.get(f"/prevention/planer/{plan.pk}/steg/3/").content.decode()
    assert url(plan) in step_page and "Överenskommet: juni" in step_page
    detail = editor.get(f"/prevention/planer/{plan.pk}/").content.decode()
    assert url(plan) in detail and url(plan, number=1) in detail
    viewer_detail = client_for("viewer").get(f"/prevention/planer/{plan.pk}/").content.decode()
    assert url(plan) in viewer_detail
