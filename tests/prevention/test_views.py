"""Prevention pages: public knowledge, protected plans, county-admin registry."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.prevention import services
from jamlik.prevention.models import Intervention, Plan, PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(geography):  # noqa: ANN001
    botkyrka = services.create_plan(
        geography.get(code="0127"),
        title="Botkyrkas plan",
        start=date(2026, 1, 1),
        prioritised=["family_conflict"],
        status=PlanStatus.ACTIVE,
    )
    lidingo = services.create_plan(
        geography.get(code="0186"), title="Lidingös plan", start=date(2026, 1, 1)
    )
    return {"botkyrka": botkyrka, "lidingo": lidingo}


def test_star_and_registry_are_public(client) -> None:  # noqa: ANN001
    page = client.get("/prevention/?factor=family_conflict")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="img"' in html and "factor-highlighted" in html and "<table" in html
    assert client.get("/prevention/insatser/").status_code == 200
    assert client.get("/prevention/insatser/komet/").status_code == 200
    assert client.get("/prevention/insatser/nothing/").status_code == 404
    ranked = client.get("/prevention/urval/?factor=family_conflict&factor=family_management")
    assert "Komet" in ranked.content.decode()


def test_kommun_priorities_only_for_roles(client, client_for, plans) -> None:  # noqa: ANN001
    assert client.get("/prevention/?kommun=0127").status_code == 403
    assert client_for("lidingo").get("/prevention/?kommun=0127").status_code == 403
    page = client_for("botkyrka").get("/prevention/?kommun=0127")
    assert page.status_code == 200 and 'data-factor="family_conflict"' in page.content.decode()
    assert "factor-highlighted" in page.content.decode()


def test_plans_refusals(client, client_for, plans) -> None:  # noqa: ANN001
    b, lid = plans["botkyrka"], plans["lidingo"]
    assert client.get(f"/prevention/planer/{b.pk}/").status_code == 302
    editor = client_for("botkyrka")
    assert editor.get(f"/prevention/planer/{b.pk}/").status_code == 200
    assert editor.get(f"/prevention/planer/{lid.pk}/").status_code == 403
    assert editor.get(f"/prevention/planer/{lid.pk}/steg/1/").status_code == 403
    assert editor.post(f"/prevention/planer/{lid.pk}/andra/", {"title": "Kapad"}).status_code == 403
    assert Plan.objects.get(pk=lid.pk).title == "Lidingös plan"
    assert editor.get("/prevention/planer/ny/0186/").status_code == 403
    assert client_for("viewer").get(f"/prevention/planer/{b.pk}/steg/1/").status_code == 403


def test_editor_edits_own_step(client_for, plans) -> None:  # noqa: ANN001
    plan = plans["botkyrka"]
    view = services.plan_steps(plan)[0]
    key = view.ticks[0][1].item_key
    response = client_for("botkyrka").post(
        f"/prevention/planer/{plan.pk}/steg/1/",
        {
            "status": "in_progress",
            "start": "2026-01-10",
            "due": "",
            "notes": "Vi har börjat",
            "evidence": "",
            f"item_{key}": "on",
            "pc_ethics": "on",
            "pn_ethics": "Frivilligt deltagande",
        },
    )
    assert response.status_code == 302
    again = services.plan_steps(plan)[0]
    assert (
        again.step.status == "in_progress"
        and again.step.notes == "Vi har börjat"
        and again.done_count == 1
    )


def test_editor_creates_plan_for_own_kommun(client_for) -> None:  # noqa: ANN001
    response = client_for("botkyrka").post(
        "/prevention/planer/ny/0127/",
        {
            "title": "Ny plan",
            "summary": "",
            "start": "2026-02-01",
            "end": "",
            "status": "draft",
            "prioritised_factors": ["academic_failure"],
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(title="Ny plan")
    assert plan.municipality.code == "0127" and plan.steps.count() == 8


def test_county_plan_view(client_for, client, plans) -> None:  # noqa: ANN001
    assert client.get("/prevention/planer/?lan=01").status_code == 302
    page = client_for("viewer").get("/prevention/planer/?lan=01")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Botkyrkas plan" in html and "Lidingös plan" in html
    # An editor without a county role is taken to their own kommun's plans.
    redirect = client_for("botkyrka").get("/prevention/planer/?lan=01")
    assert redirect.status_code == 302 and "kommun=0127" in redirect["Location"]


def test_intervention_edit_only_by_county_admin(client_for) -> None:  # noqa: ANN001
    shipped = Intervention.objects.get(county__isnull=True, key="komet")
    data = {
        "lan": "01",
        "name": shipped.name,
        "description_sv": "Ändrad beskrivning",
        "description_en": "Changed",
        "target_group_sv": "a",
        "target_group_en": "a",
        "age_min": "3",
        "age_max": "11",
        "settings": ["family"],
        "factors": ["family_conflict"],
        "problem_areas": ["crime"],
        "evidence": "promising",
        "evidence_source": shipped.evidence_source,
        "availability_sv": "x",
        "availability_en": "x",
        "cost_level": "low",
        "url": "",
    }
    assert (
        client_for("botkyrka").post("/prevention/insatser/komet/andra/?lan=01", data).status_code
        == 403
    )
    assert not Intervention.objects.filter(county__code="01", key="komet").exists()
    response = client_for("lan01").post("/prevention/insatser/komet/andra/?lan=01", data)
    assert response.status_code == 302
    assert (
        Intervention.objects.get(county__code="01", key="komet").description_sv
        == "Ändrad beskrivning"
    )
    assert (
        Intervention.objects.get(county__isnull=True, key="komet").description_sv
        != "Ändrad beskrivning"
    )


def test_new_intervention_gets_a_free_key(client_for) -> None:  # noqa: ANN001
    shipped = Intervention.objects.get(county__isnull=True, key="komet")
    data = {
        "lan": "01",
        "name": "Komet",
        "description_sv": "Länets egen variant",
        "description_en": "Own variant",
        "target_group_sv": "a",
        "target_group_en": "a",
        "age_min": "",
        "age_max": "",
        "factors": ["family_conflict"],
        "problem_areas": ["crime"],
        "evidence": "insufficient",
        "evidence_source": "Ingen utvärdering.",
        "availability_sv": "x",
        "availability_en": "x",
        "cost_level": "low",
        "url": "",
    }
    response = client_for("lan01").post("/prevention/insatser/ny/?lan=01", data)
    assert response.status_code == 302
    own = Intervention.objects.get(county__code="01", description_sv="Länets egen variant")
    assert own.key == "komet-2"
    assert Intervention.objects.get(pk=shipped.pk).description_sv == shipped.description_sv


def test_area_sections_on_county_and_kommun_pages(client, client_for, plans) -> None:  # noqa: ANN001
    county_page = client_for("lan01").get("/omrade/01/").content.decode()
    assert "/prevention/planer/?lan=01" in county_page and "/stod/?lan=01" in county_page
    public = client.get("/omrade/01/").content.decode()
    assert "/prevention/planer/?lan=01" not in public and "/stod/?lan=01" not in public
    kommun = client_for("botkyrka").get("/omrade/0127/").content.decode()
    assert "Botkyrkas plan" in kommun
    assert "Botkyrkas plan" not in client_for("lidingo").get("/omrade/0127/").content.decode()
