"""Pages of the exchange of experience: the shared plans' list, the example page, sharing."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.prevention.sharing_fixtures import (  # noqa: F401 - fixtures
    SECRET_INTERVENTION,
    SECRET_NOTES,
    SECRET_SUMMARY,
    TARGET_LABEL,
    people,
    shared_plans,
)

from jamlik.prevention import sharing
from jamlik.prevention.models import Plan, SharedPart, Sharing

pytestmark = pytest.mark.django_db
ALL_PARTS = [p.value for p in SharedPart]
LIST = "/prevention/delade-planer/"


def _client(user) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _example(pk: int) -> str:
    return f"/prevention/delade-planer/{pk}/"


def test_anonymous_is_sent_to_log_in_and_sees_nothing(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.ALL, ALL_PARTS, people["botkyrka"])
    anonymous = Client()
    for url in (LIST, _example(plan.pk), _example(999999)):
        answer = anonymous.get(url)
        assert answer.status_code == 302 and "/konto/logga-in/" in answer["Location"]
    answer = anonymous.post(f"/prevention/planer/{plan.pk}/dela/", {"sharing": "private"})
    assert answer.status_code == 302 and "/konto/logga-in/" in answer["Location"]
    assert Plan.objects.get(pk=plan.pk).sharing == Sharing.ALL


def test_county_shared_plan_is_invisible_to_another_county(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.COUNTY, ALL_PARTS, people["botkyrka"])
    lan01 = _client(people["lan01"])
    page = lan01.get(LIST)
    assert page.status_code == 200 and plan.title in page.content.decode()
    assert lan01.get(_example(plan.pk)).status_code == 200
    for name in ("lan03", "partner03", "lidingo", "nobody"):
        other = _client(people[name])
        assert plan.title not in other.get(LIST).content.decode(), name
        # 404, as for a plan number that does not exist: existence does not leak.
        assert other.get(_example(plan.pk)).status_code == 404, name
    assert _client(people["lan03"]).get(_example(999999)).status_code == 404


def test_partner_sees_the_county_shared_plan(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.COUNTY, ALL_PARTS, people["botkyrka"])
    partner = _client(people["partner"])
    html = partner.get(LIST).content.decode()
    assert plan.title in html and f'data-shared-plan="{plan.pk}"' in html
    page = partner.get(_example(plan.pk))
    assert page.status_code == 200 and SECRET_SUMMARY in page.content.decode()
    # ... but not the plan itself, which stays the kommun's and the county's.
    assert partner.get(f"/prevention/planer/{plan.pk}/").status_code == 403
    # The example is the partner's way to the dialogue on each step.
    dialogue = f"/prevention/planer/{plan.pk}/steg/3/dialog/"
    assert f'href="{dialogue}"' in page.content.decode()
    assert partner.get(dialogue).status_code == 200


def test_no_dialogue_link_for_a_reader_outside_the_dialogue(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.ALL, ALL_PARTS, people["botkyrka"])
    page = _client(people["lan03"]).get(_example(plan.pk)).content.decode()
    assert SECRET_NOTES in page and "/dialog/" not in page


def test_a_private_plan_answers_404_even_to_the_county(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    assert _client(people["lan01"]).get(_example(plan.pk)).status_code == 404


@pytest.mark.parametrize("part", ALL_PARTS)
def test_unshared_parts_never_appear_in_the_html(people, shared_plans, part) -> None:  # noqa: ANN001, F811
    """With one part shared, the example page and the list hold that part's text only."""
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.ALL, [part], people["botkyrka"])
    texts = {
        SharedPart.SUMMARY: [SECRET_SUMMARY, "Konflikter i familjen"],
        SharedPart.STEPS: [SECRET_NOTES],
        SharedPart.INTERVENTIONS: [SECRET_INTERVENTION],
        SharedPart.RESULTS: [TARGET_LABEL],
    }
    reader = _client(people["lan03"])
    page = reader.get(_example(plan.pk)).content.decode()
    listed = reader.get(LIST).content.decode()
    listed = listed[listed.index('data-shared-count="') :]  # the cards, not the filter form
    for key, words in texts.items():
        for word in words:
            assert (word in page) == (key == part), (part, word)
            if key != part:
                assert word not in listed, (part, word)
    assert f'data-shared-part="{part}"' in page
    assert page.count("data-shared-part=") == 1


def test_list_search_filters_counts_and_empty_state(people, shared_plans) -> None:  # noqa: ANN001, F811
    b, lid = shared_plans["botkyrka"], shared_plans["lidingo"]
    sharing.share_plan(b, Sharing.COUNTY, ALL_PARTS, people["botkyrka"])
    sharing.share_plan(lid, Sharing.ALL, ["summary"], people["lidingo"])
    lan01 = _client(people["lan01"])
    html = lan01.get(LIST, {"q": "Botkyrka"}).content.decode()
    assert b.title in html and lid.title not in html
    html = lan01.get(LIST, {"results": "on"}).content.decode()
    assert b.title in html and lid.title not in html
    html = lan01.get(LIST, {"status": "draft", "lan": "01"}).content.decode()
    assert lid.title in html and b.title not in html
    html = lan01.get(LIST, {"q": "ingenting-sådant"}).content.decode()
    assert 'data-shared-count="0"' in html and 'data-empty="search"' in html
    # A bad filter value is a form error, not a 500: the list is shown unfiltered.
    bad = lan01.get(LIST, {"lan": "99", "status": "nonsense"})
    assert bad.status_code == 200 and "data-filter-errors" in bad.content.decode()
    nobody = _client(people["nobody"]).get(LIST).content.decode()
    assert 'data-shared-count="0"' in nobody and 'data-empty="none"' in nobody


def test_list_shows_progress_and_targets_met(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.COUNTY, ALL_PARTS, people["botkyrka"])
    html = _client(people["lan01"]).get(LIST).content.decode()
    card = html[html.index(f'data-shared-plan="{plan.pk}"') :]
    assert 'data-steps="1/8"' in card and 'data-targets-met="1/1"' in card


def test_editor_shares_from_the_plan_page(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    editor = _client(people["botkyrka"])
    page = editor.get(f"/prevention/planer/{plan.pk}/").content.decode()
    assert f'action="/prevention/planer/{plan.pk}/dela/"' in page
    answer = editor.post(
        f"/prevention/planer/{plan.pk}/dela/",
        {"sharing": "county", "parts": ["summary", "results"], "version": plan.version},
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#sharing")
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.sharing == Sharing.COUNTY and stored.shared_parts == ["summary", "results"]
    # The county board's viewer reads the line, not the form.
    viewer_page = _client(people["viewer"]).get(f"/prevention/planer/{plan.pk}/").content.decode()
    assert 'data-sharing-state="county"' in viewer_page and "/dela/" not in viewer_page


def test_editor_of_another_kommun_cannot_share(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    for name in ("lidingo", "viewer", "partner", "lan03"):
        answer = _client(people[name]).post(
            f"/prevention/planer/{plan.pk}/dela/", {"sharing": "all", "parts": ALL_PARTS}
        )
        assert answer.status_code == 403, name
    assert Plan.objects.get(pk=plan.pk).sharing == Sharing.PRIVATE
    assert _client(people["lidingo"]).get(f"/prevention/planer/{plan.pk}/dela/").status_code == 405


def test_bad_posts_change_nothing_and_say_why(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    editor = _client(people["botkyrka"])
    for data in (
        {"sharing": "world", "parts": ["summary"]},
        {"sharing": "all", "parts": ["budget"]},
        {"sharing": "all"},
    ):
        answer = editor.post(f"/prevention/planer/{plan.pk}/dela/", data, follow=True)
        assert answer.status_code == 200
        html = answer.content.decode()
        assert "The sharing was not changed" in html or "Delningen ändrades inte" in html
    assert Plan.objects.get(pk=plan.pk).sharing == Sharing.PRIVATE


def test_a_stale_sharing_form_answers_409_and_keeps_the_other_change(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    loaded = plan.version
    sharing.share_plan(plan, Sharing.COUNTY, ["summary"], people["lan01"])
    answer = _client(people["botkyrka"]).post(
        f"/prevention/planer/{plan.pk}/dela/",
        {"sharing": "all", "parts": ALL_PARTS, "version": loaded},
    )
    assert answer.status_code == 409
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.sharing == Sharing.COUNTY and stored.shared_parts == ["summary"]


def test_nav_links_to_the_shared_plans(people) -> None:  # noqa: ANN001, F811
    html = _client(people["viewer"]).get("/prevention/").content.decode()
    assert 'href="/prevention/delade-planer/"' in html
    assert 'href="/prevention/delade-planer/"' not in Client().get("/prevention/").content.decode()
