"""Botkyrka's editor and the public must not change Lidingö's records (pages).

Each case posts a realistic payload (the owner's own form with one field changed) to a
Lidingö (0186) record: as ``botkyrka`` the answer must be 403 (or 404 when the record is
hidden), as anonymous a redirect to the login page (or 403/404/405), and the record must
be unchanged. A positive control then posts the same payload as ``lidingo`` (or the county
admin) and checks that it *does* change the record, so the refusal is not an accident of
bad data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from .forms import edit_form, with_marker

MARK = "Säkerhetstest-ändring"
LOGIN = "/konto/logga-in/"


def snapshot(model: Any, pk: int) -> dict[str, Any] | None:
    obj = model.objects.filter(pk=pk).first()
    return None if obj is None else model_to_dict(obj)


def refused_for_others(
    as_user: Callable[[str | None], Client],
    url: str,
    data: dict[str, Any],
    state: Callable[[], Any],
    *,
    owner: str | None = "lidingo",
    stranger: str = "botkyrka",
) -> None:
    """Anonymous and ``stranger`` are refused and change nothing; ``owner`` succeeds."""
    before = state()
    anonymous = as_user(None).post(url, data)
    assert anonymous.status_code in (302, 403, 404, 405), (url, anonymous.status_code)
    if anonymous.status_code == 302:
        assert anonymous["Location"].startswith(LOGIN), (url, anonymous["Location"])
    assert state() == before, f"anonymous POST to {url} changed the record"
    for who in (stranger, "viewer"):  # another kommun's editor; the county's read-only role
        other = as_user(who).post(url, data)
        assert other.status_code in (403, 404), (url, who, other.status_code)
        assert state() == before, f"{who}'s POST to {url} changed the record"
    if owner:
        done = as_user(owner).post(url, data)
        assert done.status_code in (200, 302), (url, owner, done.status_code)
        assert state() != before, f"positive control: {owner}'s POST to {url} changed nothing"


def form_of(as_user: Callable[[str | None], Client], url: str, user: str = "lidingo") -> dict:
    page = as_user(user).get(url)
    assert page.status_code == 200, (url, user, page.status_code)
    return edit_form(page.content.decode())


# --- actors -----------------------------------------------------------------------------


@pytest.fixture
def lidingo_actor(demo) -> Any:  # noqa: ANN001
    from jamlik.actors.models import Actor

    return Actor.objects.filter(area__code="0186").order_by("pk").first()


@pytest.fixture
def lidingo_activity(demo) -> Any:  # noqa: ANN001
    from jamlik.actors.models import Activity

    return Activity.objects.filter(area__code="0186").order_by("pk").first()


def test_actor_edit_refused(as_user, lidingo_actor) -> None:  # noqa: ANN001
    from jamlik.actors.models import Actor

    url = f"/aktorer/aktor/{lidingo_actor.pk}/andra/"
    form = form_of(as_user, url)
    data = with_marker(form, MARK, "name")
    refused_for_others(as_user, url, data, lambda: snapshot(Actor, lidingo_actor.pk))


def test_activity_edit_refused(as_user, lidingo_activity) -> None:  # noqa: ANN001
    from jamlik.actors.models import Activity

    url = f"/aktorer/insats/{lidingo_activity.pk}/andra/"
    data = with_marker(form_of(as_user, url), MARK, "title")
    refused_for_others(as_user, url, data, lambda: snapshot(Activity, lidingo_activity.pk))


@pytest.mark.parametrize("kind", ["aktor", "insats"])
def test_actor_records_delete_refused(as_user, lidingo_actor, lidingo_activity, kind) -> None:  # noqa: ANN001
    from jamlik.actors.models import Activity, Actor

    model, obj = (Actor, lidingo_actor) if kind == "aktor" else (Activity, lidingo_activity)
    url = f"/aktorer/{kind}/{obj.pk}/ta-bort/"
    refused_for_others(as_user, url, {}, lambda: model.objects.filter(pk=obj.pk).exists())


def test_actor_relation_add_refused(as_user, lidingo_actor) -> None:  # noqa: ANN001
    from jamlik.actors.models import Actor, ActorRelation

    target = Actor.objects.filter(area__code="0127").order_by("pk").first()
    url = f"/aktorer/aktor/{lidingo_actor.pk}/relation/"
    data = {"kind": "collaborates", "target": target.pk}
    refused_for_others(
        as_user, url, data, lambda: ActorRelation.objects.filter(source=lidingo_actor).count()
    )


def test_actor_create_cannot_target_another_kommun(as_user, demo) -> None:  # noqa: ANN001
    """Botkyrka's own create form, with the responsible area switched to Lidingö."""
    from jamlik.actors.models import Actor
    from jamlik.geo.models import Area

    form = form_of(as_user, "/aktorer/aktor/ny/", "botkyrka")
    data = with_marker(form, MARK, "name")
    data["area"] = [str(Area.objects.get(code="0186").pk)]
    response = as_user("botkyrka").post("/aktorer/aktor/ny/", data)
    assert response.status_code in (200, 403)
    assert not Actor.objects.filter(name=MARK).exists()


# --- prevention plans -------------------------------------------------------------------


@pytest.fixture
def lidingo_plan(demo) -> Any:  # noqa: ANN001
    from jamlik.prevention.models import Plan

    return Plan.objects.get(municipality__code="0186")


def test_plan_edit_refused(as_user, lidingo_plan) -> None:  # noqa: ANN001
    from jamlik.prevention.models import Plan

    url = f"/prevention/planer/{lidingo_plan.pk}/andra/"
    data = with_marker(form_of(as_user, url), MARK, "title")
    refused_for_others(as_user, url, data, lambda: snapshot(Plan, lidingo_plan.pk))


def test_plan_step_edit_refused(as_user, lidingo_plan) -> None:  # noqa: ANN001
    from jamlik.prevention.models import PlanStep

    url = f"/prevention/planer/{lidingo_plan.pk}/steg/1/"
    form = form_of(as_user, url)
    data = with_marker(form, MARK)
    step = PlanStep.objects.get(plan=lidingo_plan, number=1)

    def state() -> Any:
        s = PlanStep.objects.get(pk=step.pk)
        ticks = sorted(s.ticks.values_list("item_key", "done", "note"))
        notes = sorted(s.perspectives.values_list("perspective_key", "considered", "note"))
        return model_to_dict(s), ticks, notes

    refused_for_others(as_user, url, data, state)


def test_plan_create_for_another_kommun_refused(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.prevention.models import Plan

    url = "/prevention/planer/ny/0186/"
    data = with_marker(form_of(as_user, url), MARK, "title")
    # No positive control: a new plan needs choices the blank form leaves open.
    refused_for_others(
        as_user, url, data, lambda: Plan.objects.filter(title=MARK).count(), owner=None
    )


def test_plan_target_delete_refused(as_user, lidingo_plan) -> None:  # noqa: ANN001
    from jamlik.prevention.models import IndicatorTarget

    target = IndicatorTarget.objects.filter(plan=lidingo_plan).first()
    assert target is not None, "the demo Lidingö plan has indicator targets"
    url = f"/prevention/mal/{target.pk}/ta-bort/"
    refused_for_others(
        as_user, url, {}, lambda: IndicatorTarget.objects.filter(pk=target.pk).exists()
    )


# --- prerequisites survey ---------------------------------------------------------------


@pytest.fixture
def lidingo_draft_response(demo) -> Any:  # noqa: ANN001
    """Lidingö's answers in the open 2023 round, put back to draft so its owner may edit."""
    from jamlik.prerequisites.models import Response, ResponseStatus

    response = Response.objects.get(municipality__code="0186", round__year=2023)
    assert response.round.is_open
    response.status = ResponseStatus.DRAFT
    response.save()
    return response


def test_survey_answers_refused(as_user, lidingo_draft_response) -> None:  # noqa: ANN001
    from jamlik.prerequisites.models import Response

    url = "/forutsattningar/kommun/0186/enkat/2023/"
    form = form_of(as_user, url)
    data = with_marker(form, MARK, "coordination_description")
    refused_for_others(as_user, url, data, lambda: snapshot(Response, lidingo_draft_response.pk))


# --- economics scenarios ----------------------------------------------------------------


@pytest.fixture
def lidingo_scenario(demo) -> Any:  # noqa: ANN001
    """An unpublished Lidingö scenario (the demo has none), copied from Botkyrka's."""
    from jamlik.economics.models import Scenario
    from jamlik.geo.models import Area

    source = Scenario.objects.get(area__code="0127")
    copy = Scenario.objects.get(pk=source.pk)
    copy.pk = None
    copy.area = Area.objects.get(code="0186")
    copy.name = "Lidingö opublicerat scenario XQZ-hemligt"
    copy.published = False
    copy.save()
    return copy


def test_scenario_edit_refused(as_user, lidingo_scenario) -> None:  # noqa: ANN001
    from jamlik.economics.models import Scenario

    url = f"/ekonomi/scenario/{lidingo_scenario.pk}/redigera/"
    data = with_marker(form_of(as_user, url), MARK, "name")
    refused_for_others(as_user, url, data, lambda: snapshot(Scenario, lidingo_scenario.pk))


def test_scenario_delete_refused(as_user, lidingo_scenario) -> None:  # noqa: ANN001
    from jamlik.economics.models import Scenario

    url = f"/ekonomi/scenario/{lidingo_scenario.pk}/ta-bort/"
    refused_for_others(
        as_user, url, {}, lambda: Scenario.objects.filter(pk=lidingo_scenario.pk).exists()
    )


def test_scenario_create_for_another_kommun_refused(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.economics.models import Scenario

    url = "/ekonomi/kommun/0186/nytt-scenario/"
    data = with_marker(form_of(as_user, url), MARK, "name")
    refused_for_others(
        as_user, url, data, lambda: Scenario.objects.filter(name=MARK).count(), owner=None
    )


# --- districts and indicator uploads ----------------------------------------------------


def test_district_add_refused(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area

    url = "/omrade/0186/nytt-delomrade/"
    data = with_marker(form_of(as_user, url, "lan01"), MARK, "name")
    data["code"] = ["0186S99"]
    refused_for_others(
        as_user,
        url,
        data,
        lambda: Area.objects.filter(parent__code="0186").count(),
        owner="lan01",
        stranger="lidingo",  # not even the kommun's own editor: districts are the county's
    )
    assert as_user("botkyrka").post(url, data).status_code == 403


@pytest.mark.parametrize("area", ["0186", "01", "00"])
def test_indicator_upload_outside_own_kommun_writes_nothing(as_user, demo, area) -> None:  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamlik.indicators.models import ImportRun, Observation

    obs = Observation.objects.filter(area__code=area, breakdown="total").order_by("pk").first()
    assert obs is not None
    text = f"indikator;område;period;värde\n{obs.indicator.code};{area};{obs.period};99999\n"

    def state() -> Any:
        return snapshot(Observation, obs.pk), ImportRun.objects.count()

    before = state()
    for user in (None, "botkyrka"):
        upload = SimpleUploadedFile("x.csv", text.encode("cp1252"), content_type="text/csv")
        response = as_user(user).post("/lagesbild/import/", {"file": upload})
        assert response.status_code in (200, 302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith(LOGIN)
        assert state() == before, (user, area)


# --- support agreements (county business) -----------------------------------------------


def test_agreement_edit_refused_for_kommun_editors(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.support.models import Agreement

    agreement = Agreement.objects.get(municipality__code="0186")
    url = f"/stod/overenskommelser/{agreement.pk}/andra/"
    data = with_marker(form_of(as_user, url, "lan01"), MARK, "title")
    refused_for_others(as_user, url, data, lambda: snapshot(Agreement, agreement.pk), owner="lan01")


# --- prerequisites documents and interviews ---------------------------------------------


def test_document_upload_for_another_kommun_refused(as_user, demo) -> None:  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamlik.prerequisites.models import Document

    url = "/forutsattningar/kommun/0186/dokument/"
    text = "Mål och budget. Folkhälsa och trygghet för alla barn och unga.\n" * 20

    def data() -> dict:
        upload = SimpleUploadedFile("mal.txt", text.encode(), content_type="text/plain")
        return {"year": "2023", "title": MARK, "file": upload}

    before = Document.objects.filter(municipality__code="0186").count()
    anonymous = as_user(None).post(url, data())
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(LOGIN)
    for user in ("botkyrka", "viewer"):
        assert as_user(user).post(url, data()).status_code == 403, user
    assert Document.objects.filter(municipality__code="0186").count() == before
    done = as_user("lidingo").post(url, data())
    assert done.status_code == 302, "positive control: Lidingö may upload its own document"
    assert Document.objects.filter(municipality__code="0186").count() == before + 1


def test_interview_excerpt_for_another_kommun_refused(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.prerequisites.models import InterviewExcerpt

    url = "/forutsattningar/kommun/0186/intervjuer/"
    form = form_of(as_user, url, "lan01")
    data = with_marker(form, MARK, "text")
    data["year"] = ["2021"]
    refused_for_others(
        as_user,
        url,
        data,
        lambda: InterviewExcerpt.objects.filter(municipality__code="0186").count(),
        owner="lan01",
        stranger="lidingo",  # quotes are the county's: not even the kommun's editor adds them
    )


def test_actor_import_cannot_take_over_another_kommuns_actor(as_user, lidingo_actor) -> None:  # noqa: ANN001
    """A file row reusing a Lidingö actor's ref (but naming Botkyrka as its area) must not
    update, rename or move Lidingö's record."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamlik.actors.models import Actor

    text = (
        "ref;name;type;level;area;areas_served\n"
        f"{lidingo_actor.ref};{MARK};civilsamhälle;lokal;0127;0127\n"
    )
    before = snapshot(Actor, lidingo_actor.pk), Actor.objects.count()
    upload = SimpleUploadedFile("actors.csv", text.encode("cp1252"), content_type="text/csv")
    response = as_user("botkyrka").post(
        "/aktorer/import/?county=01", {"file": upload, "sheet": "actors"}
    )
    assert response.status_code in (200, 403)
    assert (snapshot(Actor, lidingo_actor.pk), Actor.objects.count()) == before
    assert not Actor.objects.filter(name=MARK).exists()


@pytest.mark.parametrize("action", ["confirm", "close"])
def test_inventory_round_actions_for_others_refused(as_user, demo, action) -> None:  # noqa: ANN001
    """Botkyrka's editor may confirm Botkyrka in the county's round — not Lidingö, and may
    not close the round."""
    from jamlik.actors.models import InventoryRound, RoundConfirmation

    round_ = InventoryRound.objects.order_by("pk").first()

    def state() -> Any:
        return (
            snapshot(InventoryRound, round_.pk),
            sorted(RoundConfirmation.objects.values_list("round_id", "area__code")),
        )

    before = state()
    data = {"action": action, "kommun": "0186"}
    response = as_user("botkyrka").post(f"/aktorer/inventering/{round_.pk}/", data)
    assert response.status_code in (200, 302, 403)
    assert state() == before, f"botkyrka could {action} for Lidingö"
    anonymous = as_user(None).post(f"/aktorer/inventering/{round_.pk}/", data)
    assert anonymous.status_code in (302, 403)
    assert state() == before
    if action == "confirm":
        as_user("lidingo").post(f"/aktorer/inventering/{round_.pk}/", data)
        assert state() != before, "positive control: Lidingö confirms itself"
