"""A plan's chosen interventions: who may add, edit and remove them, the prefilled factors,
the lost-update refusal and the plan and step pages that show them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from tests.security.forms import edit_form

from jamlik.prevention import services
from jamlik.prevention.models import Intervention, Plan, PlanIntervention

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(geography) -> dict[str, Plan]:  # noqa: ANN001
    services.install_shipped_interventions()
    return {
        "botkyrka": services.create_plan(
            geography.get(code="0127"), title="Kedjeplan Botkyrka", start=date(2026, 1, 1)
        ),
        "lidingo": services.create_plan(
            geography.get(code="0186"), title="Kedjeplan Lidingö", start=date(2026, 1, 1)
        ),
    }


@pytest.fixture
def other_county_admin(geography) -> Client:  # noqa: ANN001
    from django.contrib.auth import get_user_model

    from jamlik.accounts.models import Role, RoleKind

    user = get_user_model().objects.create_user("chain-lan03", password="x")
    Role.objects.create(user=user, kind=RoleKind.COUNTY_ADMIN, area=geography.get(code="03"))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _choice(plan: Plan, **values: Any) -> PlanIntervention:
    return PlanIntervention.objects.create(plan=plan, **values)


def _form_data(**values: Any) -> dict[str, Any]:
    data = {
        "intervention_key": "",
        "local_name": "",
        "target_group": "",
        "setting": "",
        "participants_per_year": "",
        "reach_note": "",
        "factors": [],
        "start": "",
        "end": "",
        "notes": "",
    }
    return data | values


def test_add_prefills_the_registry_factors_and_saves(client_for, plans) -> None:  # noqa: ANN001
    plan = plans["botkyrka"]
    editor = client_for("botkyrka")
    url = f"/prevention/planer/{plan.pk}/insatser/ny/"
    page = editor.get(f"{url}?insats=komet")
    assert page.status_code == 200
    form = edit_form(page.content.decode())["data"]
    komet = Intervention.objects.get(county__isnull=True, key="komet")
    assert form["intervention_key"] == ["komet"]
    assert sorted(form["factors"]) == sorted(komet.factors)
    # The user changes the prefilled factors: one kept.
    response = editor.post(
        url,
        _form_data(
            intervention_key="komet",
            target_group="Föräldrar",
            setting="family",
            participants_per_year="1 200",
            factors=["family_conflict"],
            start="2026-03-01",
        ),
    )
    assert response.status_code == 302 and response["Location"].endswith("#chosen")
    chosen = PlanIntervention.objects.get(plan=plan)
    assert (chosen.intervention_key, chosen.participants_per_year, chosen.factors) == (
        "komet",
        1200,
        ["family_conflict"],
    )
    html = editor.get(f"/prevention/planer/{plan.pk}/").content.decode()
    assert 'data-chosen="komet"' in html and "/prevention/insatser/komet/?lan=01" in html


def test_a_county_copy_replaces_the_shipped_entry_in_the_choices(client_for, plans, county) -> None:  # noqa: ANN001
    shipped = Intervention.objects.get(county__isnull=True, key="komet")
    values = {
        f.name: getattr(shipped, f.name)
        for f in Intervention._meta.concrete_fields
        if f.name not in ("id", "county", "key", "updated_at", "version")
    }
    services.save_intervention(county, "komet", values | {"name": "Komet (länets version)"})
    page = client_for("botkyrka").get(f"/prevention/planer/{plans['botkyrka'].pk}/insatser/ny/")
    html = page.content.decode()
    assert "Komet (länets version)" in html and ">Komet<" not in html


def test_local_intervention_and_the_form_refusals(client_for, plans) -> None:  # noqa: ANN001
    plan = plans["botkyrka"]
    editor = client_for("botkyrka")
    url = f"/prevention/planer/{plan.pk}/insatser/ny/"
    nothing = editor.post(url, _form_data())
    said = nothing.content.decode()
    assert nothing.status_code == 200
    assert "Choose an intervention from the registry" in said or "Välj en insats ur" in said
    both = editor.post(url, _form_data(intervention_key="komet", local_name="Egen"))
    assert both.status_code == 200
    unknown = editor.post(url, _form_data(intervention_key="no-such-programme"))
    assert unknown.status_code == 200
    bad_factor = editor.post(url, _form_data(local_name="Egen", factors=["not_a_factor"]))
    assert bad_factor.status_code == 200
    backwards = editor.post(
        url, _form_data(local_name="Egen", start="2026-05-01", end="2026-01-01")
    )
    assert backwards.status_code == 200
    assert not PlanIntervention.objects.filter(plan=plan).exists()
    ok = editor.post(url, _form_data(local_name="Läxhjälp i Fittja", factors=["academic_failure"]))
    assert ok.status_code == 302
    html = editor.get(f"/prevention/planer/{plan.pk}/").content.decode()
    assert "Läxhjälp i Fittja" in html and ("lokal insats" in html or "local intervention" in html)


@pytest.mark.parametrize("who", ["botkyrka", "lan01", "admin"])
def test_those_who_may_edit_the_plan_may_edit_its_choices(client_for, plans, who) -> None:  # noqa: ANN001
    plan = plans["botkyrka"]
    chosen = _choice(plan, intervention_key="kiva")
    client = client_for(who)
    url = f"/prevention/planer/{plan.pk}/insatser/{chosen.pk}/andra/"
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(intervention_key="kiva", target_group=who))
    assert response.status_code == 302
    assert PlanIntervention.objects.get(pk=chosen.pk).target_group == who


def test_refusals(client, client_for, plans, other_county_admin) -> None:  # noqa: ANN001
    plan, other = plans["botkyrka"], plans["lidingo"]
    chosen = _choice(plan, intervention_key="kiva", target_group="Elever")
    theirs = _choice(other, intervention_key="olweus", target_group="Lidingös elever")
    add = f"/prevention/planer/{plan.pk}/insatser/ny/"
    edit = f"/prevention/planer/{plan.pk}/insatser/{chosen.pk}/andra/"
    delete = f"/prevention/planer/{plan.pk}/insatser/{chosen.pk}/ta-bort/"
    posted = _form_data(intervention_key="komet", target_group="Kapad")
    # Anonymous: to the login page, nothing written.
    for url in (add, edit):
        assert client.get(url).status_code == 302
        assert client.post(url, posted).status_code == 302
    assert client.post(delete).status_code == 302
    # Another kommun's editor, a viewer and another county's admin: 403.
    for refused in (client_for("lidingo"), client_for("viewer"), other_county_admin):
        for url in (add, edit):
            assert refused.get(url).status_code == 403
            assert refused.post(url, posted).status_code == 403
        assert refused.post(delete).status_code == 403
    # Lidingö's editor posts for Botkyrka's choice through their own plan's path: 404.
    lidingo = client_for("lidingo")
    crafted = f"/prevention/planer/{other.pk}/insatser/{chosen.pk}/andra/"
    assert lidingo.post(crafted, posted).status_code == 404
    assert (
        lidingo.post(f"/prevention/planer/{other.pk}/insatser/{chosen.pk}/ta-bort/").status_code
        == 404
    )
    # Botkyrka's editor through their own plan's path at Lidingö's choice: 404 too.
    botkyrka = client_for("botkyrka")
    crafted = f"/prevention/planer/{plan.pk}/insatser/{theirs.pk}/andra/"
    assert botkyrka.post(crafted, posted).status_code == 404
    assert (
        botkyrka.post(f"/prevention/planer/{plan.pk}/insatser/{theirs.pk}/ta-bort/").status_code
        == 404
    )
    assert PlanIntervention.objects.get(pk=chosen.pk).target_group == "Elever"
    assert PlanIntervention.objects.get(pk=theirs.pk).target_group == "Lidingös elever"
    assert PlanIntervention.objects.filter(plan__in=[plan, other]).count() == 2
    # A delete is a POST.
    assert botkyrka.get(delete).status_code == 405


def test_delete(client_for, plans) -> None:  # noqa: ANN001
    plan = plans["botkyrka"]
    chosen = _choice(plan, local_name="Fritidsgård")
    response = client_for("botkyrka").post(
        f"/prevention/planer/{plan.pk}/insatser/{chosen.pk}/ta-bort/"
    )
    assert response.status_code == 302
    assert not PlanIntervention.objects.filter(pk=chosen.pk).exists()


def test_a_stale_removal_is_refused_and_removes_nothing(client_for, plans) -> None:  # noqa: ANN001
    """The removal names the version the page showed; a later save by someone else wins."""
    plan = plans["botkyrka"]
    chosen = _choice(plan, local_name="Fritidsgård")
    shown = chosen.version
    PlanIntervention.objects.filter(pk=chosen.pk).update(
        notes="Utökad till två skolor", version=shown + 1
    )
    url = f"/prevention/planer/{plan.pk}/insatser/{chosen.pk}/ta-bort/"
    botkyrka = client_for("botkyrka")
    response = botkyrka.post(url, {"version": shown})
    assert response.status_code == 409
    assert "Utökad till två skolor" in response.content.decode()
    assert PlanIntervention.objects.filter(pk=chosen.pk).exists()
    # removing again from what is stored now succeeds
    assert botkyrka.post(url, {"version": shown + 1}).status_code == 302
    assert not PlanIntervention.objects.filter(pk=chosen.pk).exists()


def test_second_save_is_refused_with_409_and_what_changed(client_for, plans) -> None:  # noqa: ANN001
    plan = plans["botkyrka"]
    chosen = _choice(plan, intervention_key="kiva", target_group="Elever")
    url = f"/prevention/planer/{plan.pk}/insatser/{chosen.pk}/andra/"
    first, second = client_for("botkyrka"), client_for("lan01")

    def open_form(client: Client) -> dict[str, Any]:
        data = edit_form(client.get(url).content.decode())["data"]
        assert "version" in data and "loaded" in data
        return {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}

    mine, theirs = open_form(first), open_form(second)
    assert first.post(url, mine | {"participants_per_year": ["300"]}).status_code == 302
    refused = second.post(url, theirs | {"notes": ["Andra redaktörens anteckning"]})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'data-field="participants_per_year"' in html and "Andra redaktörens anteckning" in html
    stored = PlanIntervention.objects.get(pk=chosen.pk)
    assert (stored.participants_per_year, stored.notes, stored.version) == (300, "", 2)
    # Saving again from the 409 page (now at the stored version) is a deliberate choice.
    again = edit_form(html)["data"]
    again = {k: v for k, v in again.items() if k != "csrfmiddlewaretoken"}
    assert second.post(url, again).status_code == 302
    assert PlanIntervention.objects.get(pk=chosen.pk).notes == "Andra redaktörens anteckning"


def test_step_page_of_choosing_shows_the_list(client_for, plans) -> None:  # noqa: ANN001
    plan = plans["botkyrka"]
    _choice(plan, intervention_key="kiva", participants_per_year=250)
    model = services.quality_model_for(plan.municipality)
    number = next(s.number for s in model.steps if s.key == "intervention_design")
    editor = client_for("botkyrka")
    html = editor.get(f"/prevention/planer/{plan.pk}/steg/{number}/").content.decode()
    assert 'id="chosen-step-h"' in html and "KiVa" in html
    assert f"/prevention/planer/{plan.pk}/#chosen" in html
    other = editor.get(f"/prevention/planer/{plan.pk}/steg/1/").content.decode()
    assert 'id="chosen-step-h"' not in other
    page = editor.get(f"/prevention/planer/{plan.pk}/").content.decode()
    assert f'href="#step-{number}"' in page and 'id="chosen-h"' in page


def test_selection_offers_choose_for_plan(client, client_for, plans) -> None:  # noqa: ANN001
    plan = plans["botkyrka"]
    url = "/prevention/urval/?lan=01&suggest=0127&factor=bullying_victimisation"
    html = client_for("botkyrka").get(url).content.decode()
    assert 'data-factor="bullying_victimisation"' in html and 'data-intervention="kiva"' in html
    assert f'name="plan" value="{plan.pk}"' in html
    # Lidingö's editor has no plan in Botkyrka to add it to; the public page works too.
    assert f'value="{plan.pk}"' not in client_for("lidingo").get(url).content.decode()
    public = client.get(url)
    assert public.status_code == 200 and 'data-intervention="kiva"' in public.content.decode()
    chosen = client_for("botkyrka").get(
        f"/prevention/planer/valj-insats/?plan={plan.pk}&insats=kiva"
    )
    assert chosen.status_code == 302
    assert chosen["Location"] == f"/prevention/planer/{plan.pk}/insatser/ny/?insats=kiva"
    assert client_for("lidingo").get(chosen["Location"]).status_code == 403
    assert client_for("botkyrka").get("/prevention/planer/valj-insats/?plan=x").status_code == 404


def test_a_registry_intervention_is_chosen_once_per_plan(client_for, plans) -> None:  # noqa: ANN001
    plan = plans["botkyrka"]
    first = _choice(plan, intervention_key="kiva")
    editor = client_for("botkyrka")
    again = editor.post(
        f"/prevention/planer/{plan.pk}/insatser/ny/", _form_data(intervention_key="kiva")
    )
    assert again.status_code == 200
    assert PlanIntervention.objects.filter(plan=plan, intervention_key="kiva").count() == 1
    # Editing the one choice is not a duplicate of itself; another plan may choose it too.
    url = f"/prevention/planer/{plan.pk}/insatser/{first.pk}/andra/"
    assert editor.post(url, _form_data(intervention_key="kiva", notes="x")).status_code == 302
    lidingo = client_for("lidingo").post(
        f"/prevention/planer/{plans['lidingo'].pk}/insatser/ny/",
        _form_data(intervention_key="kiva"),
    )
    assert lidingo.status_code == 302


def test_selection_lists_the_suggested_factors_after_the_chosen(client, plans) -> None:  # noqa: ANN001
    from jamlik.prevention.chain_pages import factor_interventions

    county = plans["botkyrka"].municipality.parent
    rows = factor_interventions(
        ["kiva-not-a-factor", "family_conflict", "family_conflict"], county, "sv"
    )
    assert [key for key, _n, _i in rows] == ["family_conflict"]
    ratings = [i.evidence for i in rows[0][2]]
    order = ["well_supported", "promising", "mixed", "insufficient"]
    assert ratings == sorted(ratings, key=order.index), "strongest evidence first"


def test_demo_plans_choose_registry_interventions(geography) -> None:  # noqa: ANN001
    from jamlik.actors.demo import DELIVERS
    from jamlik.prevention import demo

    demo.seed(lambda _message: None)
    registry = {i.key for i in services.interventions_for(geography.get(code="01"))}
    plans = list(Plan.objects.filter(is_demo=True).prefetch_related("interventions"))
    assert len(plans) == len(demo.PLANS)
    for plan in plans:
        chosen = list(plan.interventions.all())
        assert 1 <= len(chosen) <= 3, plan.title
        assert all(c.intervention_key in registry for c in chosen)
        star = services.star_for(plan.municipality)
        assert all(f in star.factors for c in chosen for f in c.factors)
    assert {key for _m, key, _codes in DELIVERS} <= registry
