"""The plan dialogue's rules and services: who reads and writes, validation, threads,
agreements and the e-mail to the other side (Django's locmem outbox)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
BASE = "https://jamlik.example.se/"


def test_who_reads_and_writes(users, plan, partner, other_county_admin) -> None:  # noqa: ANN001, F811
    assert dialogue.can_comment(users["admin"], plan)
    assert dialogue.can_comment(users["lan01"], plan)
    assert dialogue.can_comment(users["botkyrka"], plan)
    assert dialogue.can_read_dialogue(users["viewer"], plan)
    assert not dialogue.can_comment(users["viewer"], plan)
    assert not dialogue.can_read_dialogue(users["lidingo"], plan)
    assert not dialogue.can_read_dialogue(other_county_admin, plan)
    assert not dialogue.can_read_dialogue(AnonymousUser(), plan)
    # a partner joins only when the kommun opens its plan
    assert plan.sharing == Sharing.PRIVATE
    assert not dialogue.can_read_dialogue(partner, plan)
    for opened in (Sharing.COUNTY, Sharing.ALL):
        plan.sharing = opened
        assert dialogue.can_read_dialogue(partner, plan) and dialogue.can_comment(partner, plan)
    assert not dialogue.can_mark_agreement(partner, plan)
    assert dialogue.can_mark_agreement(users["lan01"], plan)
    assert dialogue.can_mark_agreement(users["botkyrka"], plan)


def test_author_organisation_is_copied(users, plan, step3, partner) -> None:  # noqa: ANN001, F811
    county = dialogue.post_comment(users["lan01"], step3, "Hur går kartläggningen?").comment
    assert county.author_org == "Länsstyrelsen i Stockholms län"
    assert county.author_name == "lan01"
    kommun = dialogue.post_comment(users["botkyrka"], step3, "Bra.", parent=county).comment
    assert kommun.author_org == "Botkyrka"
    plan.sharing = Sharing.COUNTY
    plan.save()
    step3.plan = plan
    users["region"].first_name, users["region"].last_name = "Rut", "Regionsson"
    users["region"].save()
    by_partner = dialogue.post_comment(users["region"], step3, "Vi kan bidra.").comment
    assert by_partner.author_org == "Regionens testenhet"
    assert by_partner.author_name == "Rut Regionsson"


def test_validation(users, plan, step3, other_plan) -> None:  # noqa: ANN001, F811
    before = StepComment.objects.count()
    with pytest.raises(dialogue.DialogueError):
        dialogue.post_comment(users["lan01"], step3, "   ")
    with pytest.raises(dialogue.DialogueError, match="5000"):
        dialogue.post_comment(users["lan01"], step3, "x" * 5001)
    elsewhere = dialogue.post_comment(
        users["lidingo"], other_plan.steps.get(number=3), "På Lidingö"
    ).comment
    with pytest.raises(dialogue.DialogueError):
        dialogue.post_comment(users["lan01"], step3, "Svar", parent=elsewhere)
    with pytest.raises(PermissionDenied):
        dialogue.post_comment(users["viewer"], step3, "Får jag?")
    with pytest.raises(PermissionDenied):
        dialogue.post_comment(users["lidingo"], step3, "Får jag?")
    assert StepComment.objects.count() == before + 1  # only Lidingö's own message
    assert dialogue.post_comment(users["lan01"], step3, "x" * 5000).comment.pk


def test_partner_cannot_record_an_agreement(users, plan, step3, partner) -> None:  # noqa: ANN001, F811
    plan.sharing = Sharing.ALL
    plan.save()
    step3.plan = plan
    with pytest.raises(dialogue.DialogueError):
        dialogue.post_comment(partner, step3, "Vi är överens", is_agreement=True)
    assert not step3.comments.exists()


def test_threads_reply_to_reply_attaches_to_first(users, step3) -> None:  # noqa: ANN001, F811
    first = dialogue.post_comment(users["lan01"], step3, "Första").comment
    reply = dialogue.post_comment(users["botkyrka"], step3, "Svar", parent=first).comment
    deeper = dialogue.post_comment(users["lan01"], step3, "Svar på svar", parent=reply).comment
    assert deeper.parent_id == first.pk
    second = dialogue.post_comment(users["botkyrka"], step3, "Ny tråd").comment
    found = dialogue.threads(step3)
    assert [t.first.pk for t in found] == [first.pk, second.pk]
    assert [r.pk for r in found[0].replies] == [reply.pk, deeper.pk]
    assert found[1].replies == []


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parents=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=12))
def test_threads_hold_every_message_once(users, step3, parents) -> None:  # noqa: ANN001, F811
    """Whatever replies to whatever, every message shows exactly once, one level deep."""
    StepComment.objects.filter(step=step3).delete()
    written: list[StepComment] = []
    for i, choice in enumerate(parents):
        parent = written[choice % len(written)] if written and choice % 3 else None
        author = users["lan01"] if i % 2 else users["botkyrka"]
        written.append(dialogue.post_comment(author, step3, f"m{i}", parent=parent).comment)
    found = dialogue.threads(step3)
    shown = [t.first.pk for t in found] + [r.pk for t in found for r in t.replies]
    assert sorted(shown) == sorted(c.pk for c in written)
    assert all(t.first.parent_id is None for t in found)
    assert all(r.parent_id == t.first.pk for t in found for r in t.replies)


def test_agreement_recorded_and_withdrawn(users, step3) -> None:  # noqa: ANN001, F811
    agreed = dialogue.post_comment(
        users["lan01"], step3, "Vi enades om en kartläggning före juni.", is_agreement=True
    ).comment
    dialogue.post_comment(users["botkyrka"], step3, "Tack.")
    assert dialogue.agreements(step3) == [agreed]
    with pytest.raises(PermissionDenied):
        dialogue.withdraw_agreement(users["botkyrka"], agreed)
    assert StepComment.objects.get(pk=agreed.pk).is_agreement
    dialogue.withdraw_agreement(users["lan01"], agreed)
    assert dialogue.agreements(step3) == []
    assert StepComment.objects.filter(pk=agreed.pk).exists()  # the message stays


def test_county_message_mails_the_kommun_editors(users, plan, step3) -> None:  # noqa: ANN001, F811
    mail.outbox.clear()
    posted = dialogue.post_comment(users["lan01"], step3, "Hur går det?", base_url=BASE)
    assert posted.recipients == ["botkyrka@example.se"] and not posted.failed
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["botkyrka@example.se"]
    assert "Botkyrka" in sent.subject and plan.title in sent.subject
    assert "3 (Utformning av utvecklingsarbete)" in sent.subject
    assert "Hur går det?" in sent.body
    assert f"https://jamlik.example.se/prevention/planer/{plan.pk}/steg/3/dialog/" in sent.body


def test_kommun_message_mails_county_admins_and_thread(users, plan, step3, partner) -> None:  # noqa: ANN001, F811
    plan.sharing = Sharing.COUNTY
    plan.save()
    step3.plan = plan
    first = dialogue.post_comment(partner, step3, "Fråga från regionen").comment
    mail.outbox.clear()
    posted = dialogue.post_comment(users["botkyrka"], step3, "Svar", parent=first, base_url=BASE)
    assert posted.recipients == ["lan01@example.se", "region@example.se"]
    assert sorted(a for m in mail.outbox for a in m.to) == posted.recipients
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees another's address


def test_never_the_author_nor_without_address(users, plan, step3) -> None:  # noqa: ANN001, F811
    editor = users["botkyrka"]
    editor.email = ""
    editor.save()
    mail.outbox.clear()
    first = dialogue.post_comment(users["lan01"], step3, "Till kommunen").comment
    assert mail.outbox == []  # the only editor has no address
    posted = dialogue.post_comment(users["lan01"], step3, "Igen", parent=first)
    assert "lan01@example.se" not in posted.recipients


def test_participant_who_lost_access_is_not_mailed(users, plan, step3, partner) -> None:  # noqa: ANN001, F811
    plan.sharing = Sharing.COUNTY
    plan.save()
    step3.plan = plan
    first = dialogue.post_comment(partner, step3, "Från regionen").comment
    plan.sharing = Sharing.PRIVATE
    plan.save()
    posted = dialogue.post_comment(users["botkyrka"], step3, "Svar", parent=first)
    assert "region@example.se" not in posted.recipients


def test_sending_failure_keeps_the_comment(users, step3, monkeypatch) -> None:  # noqa: ANN001, F811
    class Refusing:
        def send_messages(self, messages):  # noqa: ANN001, ANN201
            raise OSError("connection refused")

    monkeypatch.setattr(dialogue, "get_connection", lambda **_kw: Refusing())
    posted = dialogue.post_comment(users["lan01"], step3, "Sparas ändå")
    assert posted.failed
    assert StepComment.objects.filter(pk=posted.comment.pk, text="Sparas ändå").exists()


def test_demo_is_idempotent_and_partner_only_when_shared(plan, partner) -> None:  # noqa: ANN001, F811
    from jamlik.prevention import demo_dialogue
    from jamlik.prevention.models import Plan

    plan.is_demo = True
    plan.save()
    target = Plan.objects.filter(is_demo=True, municipality__code="0127").order_by("pk").first()
    demo_dialogue.seed(lambda _m: None)
    demo_dialogue.seed(lambda _m: None)
    mine = StepComment.objects.filter(step__plan=target, is_demo=True)
    assert mine.count() == 5
    assert mine.filter(is_agreement=True).count() == 1
    assert not mine.filter(author_org="Regionens testenhet").exists()
    assert {c.step.number for c in mine} == {2, 3}
    assert all(c.created_at.year >= 2020 for c in mine)
    target.sharing = Sharing.COUNTY
    target.save()
    demo_dialogue.seed(lambda _m: None)
    mine = StepComment.objects.filter(step__plan=target, is_demo=True)  # not the cached one
    assert mine.count() == 6 and mine.filter(author_org="Regionens testenhet").exists()
