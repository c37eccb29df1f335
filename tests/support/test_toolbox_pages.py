"""Toolbox pages: who reads and who changes the library (refusals tested), the form's
checks, and the offer on a plan step."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.accounts.models import RoleKind
from jamlik.accounts.services import grant_role
from jamlik.actors.models import Actor
from jamlik.prevention import services as plans
from jamlik.support import toolbox
from jamlik.support.models import ToolboxItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(county, geography):  # noqa: ANN001
    other = geography.get(code="12", level="county")
    own = toolbox.save_item(
        county,
        {
            "title": "TBP Checklista för skolan",
            "kind": "checklist",
            "publisher": "Länsstyrelsen",
            "description": "Översikt för skolans trygghetsarbete",
            "target_areas": ["education"],
            "quality_steps": ["delivery"],
            "factors": ["bullying_victimisation"],
            "url": "https://www.lansstyrelsen.se/",
        },
    )
    shared = toolbox.save_item(
        None,
        {
            "title": "TBP Delad guide",
            "kind": "document",
            "publisher": "Folkhälsomyndigheten",
            "quality_steps": ["needs_assessment"],
            "factors": ["family_conflict"],
        },
    )
    skane = toolbox.save_item(
        other, {"title": "TBP Skånes film", "kind": "film", "url": "https://skr.se/"}
    )
    return {"own": own, "shared": shared, "skane": skane, "other_county": other}


@pytest.fixture
def partner(users, county):  # noqa: ANN001
    actor = Actor.objects.create(
        name="TBP Regionens enhet", area=county, county=county, actor_type="region"
    )
    user = users["region"]
    grant_role(user, RoleKind.PARTNER, county, actor=actor)
    return user


@pytest.fixture
def other_admin(users, items):  # noqa: ANN001
    from jamlik.accounts.services import create_user

    user = create_user("tbp-admin12", "x-password-12")
    grant_role(user, RoleKind.COUNTY_ADMIN, items["other_county"])
    return user


def test_anonymous_is_sent_to_login(client, items) -> None:  # noqa: ANN001
    for url in (
        "/stod/verktygslada/",
        f"/stod/verktygslada/{items['own'].pk}/",
        "/stod/verktygslada/ny/?lan=01",
        f"/stod/verktygslada/{items['own'].pk}/andra/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"], url
    response = client.post(f"/stod/verktygslada/{items['own'].pk}/ta-bort/")
    assert response.status_code == 302 and ToolboxItem.objects.filter(pk=items["own"].pk).exists()


def test_a_user_without_any_role_is_refused(client, items) -> None:  # noqa: ANN001
    from jamlik.accounts.services import create_user

    client.force_login(create_user("tbp-norole", "x-password-0"))
    assert client.get("/stod/verktygslada/").status_code == 403


@pytest.mark.parametrize("username", ["viewer", "botkyrka", "lan01", "admin"])
def test_every_role_reads_the_county_and_shared_items(client_for, items, username) -> None:  # noqa: ANN001
    page = client_for(username).get("/stod/verktygslada/?lan=01")
    assert page.status_code == 200
    text = page.content.decode()
    assert "TBP Checklista för skolan" in text and "TBP Delad guide" in text
    assert "TBP Skånes film" not in text


def test_partner_reads_the_library(client, partner, items) -> None:  # noqa: ANN001
    client.force_login(partner)
    assert client.get("/stod/verktygslada/?lan=01").status_code == 200
    assert client.get(f"/stod/verktygslada/{items['own'].pk}/").status_code == 200
    assert client.get("/stod/verktygslada/ny/?lan=01").status_code == 403


def test_search_filters_and_empty_state(client_for, items) -> None:  # noqa: ANN001
    viewer = client_for("viewer")
    text = viewer.get("/stod/verktygslada/?lan=01&q=%C3%96VERSIKT").content.decode()
    assert "TBP Checklista för skolan" in text and "TBP Delad guide" not in text
    text = viewer.get("/stod/verktygslada/?lan=01&steg=needs_assessment").content.decode()
    assert "TBP Delad guide" in text and "TBP Checklista för skolan" not in text
    text = viewer.get("/stod/verktygslada/?lan=01&faktor=bullying_victimisation&typ=checklist")
    assert "TBP Checklista för skolan" in text.content.decode()
    empty = viewer.get("/stod/verktygslada/?lan=01&q=zzzqqqnothing").content.decode()
    assert "TBP" not in empty
    assert "No material matches" in empty or "Inget material matchar" in empty


def _form(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "TBP Ny metod",
        "kind": "method",
        "url": "https://www.socialstyrelsen.se/",
        "publisher": "Socialstyrelsen",
        "description": "",
        "language": "sv",
        "quality_steps": ["delivery", "evaluation"],
        "factors": ["family_conflict"],
        "target_areas": ["early_life"],
    }
    data.update(extra)
    return data


def test_county_admin_adds_edits_and_removes_own_items(client_for, items) -> None:  # noqa: ANN001
    admin = client_for("lan01")
    response = admin.post("/stod/verktygslada/ny/?lan=01", _form(lan="01"))
    assert response.status_code == 302
    item = ToolboxItem.objects.get(title="TBP Ny metod")
    assert item.county.code == "01" and item.quality_steps == ["delivery", "evaluation"]
    edit = admin.get(f"/stod/verktygslada/{item.pk}/andra/").content.decode()
    assert "Genomförande och kvalitetssäkring" in edit or "Delivery" in edit
    response = admin.post(
        f"/stod/verktygslada/{item.pk}/andra/", _form(title="TBP Ändrad", version=item.version)
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "TBP Ändrad" and item.version == 2
    # A stale save gets the conflict page and changes nothing.
    stale = admin.post(f"/stod/verktygslada/{item.pk}/andra/", _form(title="TBP Gammal", version=1))
    assert stale.status_code == 409
    item.refresh_from_db()
    assert item.title == "TBP Ändrad"
    assert admin.post(f"/stod/verktygslada/{item.pk}/ta-bort/").status_code == 302
    assert not ToolboxItem.objects.filter(pk=item.pk).exists()


def test_refusals_for_editing(client_for, client, other_admin, items, partner) -> None:  # noqa: ANN001
    own = items["own"]
    client.force_login(other_admin)
    refused = {"other county's admin": client}
    for name in ("botkyrka", "viewer"):
        refused[name] = client_for(name)
    from django.test import Client

    partner_client = Client()
    partner_client.force_login(partner)
    refused["partner"] = partner_client
    for who, c in refused.items():
        assert c.get(f"/stod/verktygslada/{own.pk}/andra/").status_code == 403, who
        assert c.post(f"/stod/verktygslada/{own.pk}/andra/", _form()).status_code == 403, who
        assert c.post(f"/stod/verktygslada/{own.pk}/ta-bort/").status_code == 403, who
        assert c.post("/stod/verktygslada/ny/?lan=01", _form(lan="01")).status_code == 403, who
    own.refresh_from_db()
    assert own.title == "TBP Checklista för skolan"
    # The other county's admin keeps its own items, not the shared ones.
    assert client.get(f"/stod/verktygslada/{items['skane'].pk}/andra/").status_code == 200
    assert client.get(f"/stod/verktygslada/{items['shared'].pk}/andra/").status_code == 403


def test_shared_items_are_for_national_admins(client_for, items) -> None:  # noqa: ANN001
    shared = items["shared"]
    assert client_for("lan01").get(f"/stod/verktygslada/{shared.pk}/andra/").status_code == 403
    assert (
        client_for("lan01").post("/stod/verktygslada/ny/?delad=1", _form(delad="1")).status_code
        == 403
    )
    national = client_for("admin")
    response = national.post(
        "/stod/verktygslada/ny/?delad=1", _form(delad="1", title="TBP Nationell")
    )
    assert response.status_code == 302
    assert ToolboxItem.objects.get(title="TBP Nationell").county is None


def test_form_names_bad_input(client_for, items) -> None:  # noqa: ANN001
    admin = client_for("lan01")
    before = ToolboxItem.objects.count()
    bad_link = admin.post(
        "/stod/verktygslada/ny/?lan=01", _form(lan="01", url="javascript:alert(1)")
    )
    assert bad_link.status_code == 200 and "url" in bad_link.context["form"].errors
    film = admin.post("/stod/verktygslada/ny/?lan=01", _form(lan="01", kind="film", url=""))
    assert "url" in film.context["form"].errors
    unknown = admin.post(
        "/stod/verktygslada/ny/?lan=01", _form(lan="01", factors=["no_such_factor"])
    )
    assert "no_such_factor" in unknown.content.decode()
    assert ToolboxItem.objects.count() == before


def test_step_page_offers_ranked_material(client_for, items, geography) -> None:  # noqa: ANN001
    plan = plans.create_plan(
        geography.get(code="0127"),
        title="TBP plan",
        start=date(2026, 1, 1),
        prioritised=["bullying_victimisation"],
    )
    editor = client_for("botkyrka")
    delivery = plan.steps.get(key="delivery").number
    page = editor.get(f"/prevention/planer/{plan.pk}/steg/{delivery}/").content.decode()
    assert 'id="toolbox-step-heading"' in page
    assert "TBP Checklista för skolan" in page and "https://www.lansstyrelsen.se/" in page
    assert "Skånes" not in page
    # A step with nothing tagged shows only the link to the library.
    empty_step = plan.steps.get(key="improvement").number
    page = editor.get(f"/prevention/planer/{plan.pk}/steg/{empty_step}/").content.decode()
    assert "steg=improvement" in page
    assert "TBP Checklista" not in page and "TBP Delad" not in page
