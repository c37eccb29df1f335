"""Editing survey instruments: parsing of the option and scale fields, the question
editor, freezing once answered, new versions, and who may do it."""

from __future__ import annotations

import pytest
from django.utils import translation

from jamlik.prerequisites import services
from jamlik.prerequisites.item_text import (
    ItemTextError,
    kind_problems,
    options_text,
    parse_options,
    parse_scale,
    scale_text,
)
from jamlik.prerequisites.models import Instrument, Item, ResponseStatus
from jamlik.prerequisites.scoring import item_points
from jamlik.prerequisites.specs import item_spec

# ---- the text fields (pure) ------------------------------------------------------------


def test_options_parse_with_decimal_comma_and_round_trip() -> None:
    text = "yes; Ja; Yes; 1\npartly; Delvis; Partly; 0,5\n\nno;Nej;No;0"
    options = parse_options(text)
    assert options == [
        {"key": "yes", "sv": "Ja", "en": "Yes", "points": 1.0},
        {"key": "partly", "sv": "Delvis", "en": "Partly", "points": 0.5},
        {"key": "no", "sv": "Nej", "en": "No", "points": 0.0},
    ]
    assert parse_options(options_text(options)) == options


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yes; Ja; Yes", "line 1: expected key; Swedish; English; points"),
        ("Yes!; Ja; Yes; 1", "line 1: the key “Yes!”"),
        ("yes; Ja; Yes; 1\nno; Nej; No; lite", "line 2: points must be a number"),
        ("yes; Ja; Yes; -1", "line 1: points must not be negative"),
        ("yes; ; Yes; 1", "line 1: both a Swedish and an English label"),
        ("a; A; A; 1\na; B; B; 0", "keys used more than once: a"),
    ],
)
def test_option_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ItemTextError, match=message):
        parse_options(text)


def test_scale_is_sorted_and_checked() -> None:
    scale = parse_scale("3; Ofta; Often\n1; Aldrig; Never\n2; Ibland; Sometimes")
    assert [level[0] for level in scale] == ["1", "2", "3"]
    assert parse_scale(scale_text(scale)) == scale
    with pytest.raises(ItemTextError, match="line 1: the value must be a whole number"):
        parse_scale("1,5; Halv; Half")
    with pytest.raises(ItemTextError, match="only once"):
        parse_scale("1; A; A\n1; B; B")


def test_kind_problems_match_what_scoring_needs() -> None:
    two = parse_options("yes; Ja; Yes; 1\nno; Nej; No; 0")
    assert kind_problems("single_choice", two, [], None, ["yes"]) == {}
    assert "options" in kind_problems("single_choice", two[:1], [], None, [])
    assert "options" in kind_problems(
        "single_choice", [dict(o, points=0) for o in two], [], None, []
    )
    assert "options" in kind_problems("scale", two, parse_scale("1;a;a\n2;b;b"), None, [])
    assert "scale" in kind_problems("scale", [], parse_scale("1;a;a"), None, [])
    assert "full_at" in kind_problems("number", [], [], None, [])
    assert "full_at" in kind_problems("number", [], [], 0, [])
    assert kind_problems("number", [], [], 10, []) == {}
    assert "summary_options" in kind_problems("single_choice", two, [], None, ["maybe"])
    assert kind_problems("text", [], [], None, []) == {}


# ---- pages and services ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english_for_pure_tests(request):  # noqa: ANN001, ANN202
    """The parsing tests read English messages; page tests read the Swedish site."""
    if "django_db" in request.keywords:
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture
def fresh(county) -> Instrument:  # noqa: ANN001
    """An instrument version no kommun has answered."""
    return services.ensure_default_instrument(county)


def _url(instrument: Instrument, tail: str = "") -> str:
    return f"/forutsattningar/lan/01/instrument/{instrument.pk}/{tail}"


def _post(**extra: str) -> dict[str, str]:
    return {
        "key": "school_cooperation",
        "order": "30",
        "kind": "single_choice",
        "prerequisite": "shared_ownership",
        "dimensions": ["cross_sector_collaboration", "conditions_growing_up"],
        "weight": "1,5",
        "text_sv": "Samverkar kommunen med skolorna om elevernas hälsa?",
        "text_en": "Does the municipality work with the schools on pupils' health?",
        "options": "yes; Ja; Yes; 1\npartly; Delvis; Partly; 0,5\nno; Nej; No; 0",
        "summary_options": "yes, partly",
        "summary_sv": "samverkar med skolorna om elevernas hälsa",
        "summary_en": "work with schools on pupils' health",
    } | extra


@pytest.mark.django_db
def test_admin_adds_a_question_that_scores(fresh, client_for) -> None:  # noqa: ANN001
    client = client_for("lan01")
    page = client.get(_url(fresh, "ny-fraga/"))
    assert page.status_code == 200 and "Ny fråga" in page.content.decode()
    response = client.post(_url(fresh, "ny-fraga/"), _post())
    assert response.status_code == 302, response.content.decode()[-3000:]
    item = Item.objects.get(instrument=fresh, key="school_cooperation")
    assert item.weight == 1.5 and item.order == 30
    assert item.dimensions == ["cross_sector_collaboration", "conditions_growing_up"]
    assert item.summary == {
        "options": ["yes", "partly"],
        "sv": "samverkar med skolorna om elevernas hälsa",
        "en": "work with schools on pupils' health",
    }
    assert item_points(item_spec(item), "partly") == 0.5
    listing = client.get(_url(fresh)).content.decode()
    assert "Samverkar kommunen med skolorna" in listing


@pytest.mark.django_db
def test_editor_shows_field_errors_and_saves_nothing(fresh, client_for) -> None:  # noqa: ANN001
    client = client_for("lan01")
    before = fresh.items.count()
    bad_options = client.post(_url(fresh, "ny-fraga/"), _post(options="yes; Ja; Yes"))
    html = bad_options.content.decode()
    assert bad_options.status_code == 200 and "rad 1" in html
    one_option = client.post(_url(fresh, "ny-fraga/"), _post(options="yes; Ja; Yes; 1"))
    assert "minst två svarsalternativ" in one_option.content.decode()
    bad_summary = client.post(_url(fresh, "ny-fraga/"), _post(summary_options="maybe"))
    assert "maybe" in bad_summary.content.decode()
    taken = client.post(_url(fresh, "ny-fraga/"), _post(key="coordinator"))
    assert "coordinator" in taken.content.decode()
    number = client.post(
        _url(fresh, "ny-fraga/"), _post(kind="number", options="", summary_options="")
    )
    assert 'aria-invalid="true"' in number.content.decode()
    assert fresh.items.count() == before


@pytest.mark.django_db
def test_admin_changes_and_removes_a_question(fresh, client_for) -> None:  # noqa: ANN001
    client = client_for("lan01")
    item = fresh.items.get(key="coordinator_time")
    page = client.get(_url(fresh, f"fraga/{item.pk}/")).content.decode()
    assert 'name="key"' not in page  # the key cannot change
    post = _post(kind="number", options="", summary_options="", full_at="50", unit_sv="%")
    post.pop("key")
    assert client.post(_url(fresh, f"fraga/{item.pk}/"), post).status_code == 302
    item.refresh_from_db()
    assert item.key == "coordinator_time" and item.full_at == 50 and item.unit_sv == "%"
    assert item_points(item_spec(item), 25) == 0.5
    assert client.post(_url(fresh, f"fraga/{item.pk}/ta-bort/")).status_code == 302
    assert not fresh.items.filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_answered_version_is_frozen_and_copied(open_round, client_for) -> None:  # noqa: ANN001
    instrument = open_round.instrument
    assert open_round.responses.exclude(status=ResponseStatus.DRAFT).exists()
    assert services.is_frozen(instrument)
    client = client_for("lan01")
    item = instrument.items.first()
    before = (item.text_sv, instrument.items.count())
    post = _post()
    post.pop("key")
    client.post(_url(instrument, f"fraga/{item.pk}/"), post)
    client.post(_url(instrument, "ny-fraga/"), _post())
    response = client.post(_url(instrument, f"fraga/{item.pk}/ta-bort/"), follow=True)
    assert "ny version" in response.content.decode()
    item.refresh_from_db()
    assert (item.text_sv, instrument.items.count()) == before
    with pytest.raises(services.WorkflowError):
        services.save_item(instrument, {**_post(), "options": [], "kind": "text"})
    copied = client.post(_url(instrument), {"version": "2025"})
    new = Instrument.objects.get(county=open_round.county, version="2025")
    assert copied["Location"] == _url(new)
    assert not services.is_frozen(new) and new.items.count() == instrument.items.count()
    assert client.post(_url(instrument), {"version": "2025"}).status_code == 200  # taken


@pytest.mark.django_db
def test_an_opened_but_empty_form_does_not_freeze(fresh, county, botkyrka) -> None:  # noqa: ANN001
    round_ = services.create_round(county, 2030, fresh)
    services.response_for(round_, botkyrka)  # what opening the form does
    assert not services.is_frozen(fresh)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["botkyrka", "viewer"])
def test_only_county_admins_edit_instruments(fresh, client_for, who) -> None:  # noqa: ANN001
    client = client_for(who)
    item = fresh.items.first()
    for url in (_url(fresh), _url(fresh, "ny-fraga/"), _url(fresh, f"fraga/{item.pk}/")):
        assert client.get(url).status_code == 403
    assert client.post(_url(fresh, "ny-fraga/"), _post()).status_code == 403
    assert client.post(_url(fresh, f"fraga/{item.pk}/ta-bort/")).status_code == 403
    assert client.post(_url(fresh), {"version": "x"}).status_code == 403
    assert fresh.items.filter(pk=item.pk).exists()
    assert not fresh.items.filter(key="school_cooperation").exists()
    assert Instrument.objects.filter(county=fresh.county).count() == 1


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_and_other_county_is_404(fresh, client, client_for) -> None:  # noqa: ANN001
    response = client.get(_url(fresh))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    wrong_county = f"/forutsattningar/lan/03/instrument/{fresh.pk}/"
    assert client_for("admin").get(wrong_county).status_code == 404
