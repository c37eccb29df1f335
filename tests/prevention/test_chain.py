"""The linked chain through a registry intervention: the pure rules, the queries with
their visibility, the registry page's section and the kommun profile's gap links."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamlik.prevention import chain, services
from jamlik.prevention.models import PlanIntervention

# ---- pure rules -------------------------------------------------------------------------------


def test_registry_keys_in_inputs_reads_new_and_tolerates_old_rows() -> None:
    new = {"interventions": [{"name": "A", "registry_key": "komet"}, {"name": "B"}]}
    assert chain.registry_keys_in_inputs(new) == ["komet"]
    old = {"intervention": {"name": "Komet", "participants_per_year": {}}}
    assert chain.registry_keys_in_inputs(old) == []
    assert chain.registry_keys_in_inputs({"intervention": {"registry_key": " kiva "}}) == ["kiva"]
    for broken in (None, [], "x", {"interventions": "x"}, {"interventions": [1, None, {}]}):
        assert chain.registry_keys_in_inputs(broken) == []
    twice = {"interventions": [{"registry_key": "kiva"}, {"registry_key": "kiva"}]}
    assert chain.registry_keys_in_inputs(twice) == ["kiva"]
    assert chain.registry_keys_in_inputs({"interventions": [{"registry_key": 3}]}) == []


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.sampled_from("abcdefg"), max_size=10),
    st.sets(st.sampled_from("abcdefgh")),
)
def test_prefill_keeps_the_registry_order_within_the_star(registry, star) -> None:  # noqa: ANN001
    result = chain.prefill_factors(registry, star)
    assert set(result) <= star and set(result) == set(registry) & star
    assert len(result) == len(set(result))
    assert result == [f for f in dict.fromkeys(registry) if f in star]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("IJKL"), st.sampled_from("abc")), max_size=12),
    st.lists(st.tuples(st.sampled_from("MN"), st.lists(st.sampled_from("abcd"))), max_size=3),
)
def test_factors_to_indicators_is_the_union_of_both_sources(links, own) -> None:  # noqa: ANN001
    shipped = chain.indicator_factor_map(SimpleNamespace(indicator=i, factor=f) for i, f in links)
    factors = ["a", "b", "d"]
    result = chain.factors_to_indicators(factors, shipped, own)
    assert list(result) == factors
    for factor in factors:
        expected = {i for i, f in links if f == factor} | {c for c, fs in own if factor in fs}
        assert set(result[factor]) == expected and len(result[factor]) == len(expected)


def test_shipped_mapping_matches_the_toml() -> None:
    mapping = chain.shipped_indicator_factors()
    assert "academic_failure" in mapping["N15428"]
    assert "economic_deprivation" in mapping["U31803"]
    assert chain.shipped_indicator_factors() is mapping, "read once"


# ---- queries and pages -------------------------------------------------------------------------


@pytest.fixture
def linked(geography, users):  # noqa: ANN001
    """A plan in Botkyrka and one in Uppsala choosing KiVa, two scenarios, two activities."""
    from jamlik.actors.models import Activity, Actor
    from jamlik.economics.models import Scenario

    services.install_shipped_interventions()
    botkyrka, lidingo = geography.get(code="0127"), geography.get(code="0186")
    county = geography.get(code="01")
    uppsala = geography.municipalities("03").first()
    plan = services.create_plan(botkyrka, title="Kedjan i Botkyrka", start=date(2026, 1, 1))
    far = services.create_plan(uppsala, title="Kedjan i Uppsala län", start=date(2026, 1, 1))
    PlanIntervention.objects.create(plan=plan, intervention_key="kiva", participants_per_year=90)
    PlanIntervention.objects.create(plan=far, intervention_key="kiva")
    inputs = {"interventions": [{"name": "KiVa i Botkyrka", "registry_key": "kiva"}]}
    published = Scenario.objects.create(
        area=botkyrka, name="Kedjekalkyl publicerad", inputs=inputs, published=True, plan=plan
    )
    hidden = Scenario.objects.create(area=botkyrka, name="Kedjekalkyl utkast", inputs=inputs)
    old = Scenario.objects.create(
        area=botkyrka, name="Kedjekalkyl gammal", inputs={"intervention": {"name": "KiVa"}}
    )
    actor = Actor.objects.create(
        name="Kedjeskolan", area=botkyrka, county=county, actor_type="municipal"
    )
    here = Activity.objects.create(
        title="KiVa i Botkyrkas skolor",
        area=botkyrka,
        county=county,
        orientation="prevention",
        intervention_key="kiva",
    )
    here.actors.add(actor)
    wide = Activity.objects.create(
        title="KiVa i länet", area=county, county=county, orientation="prevention",
        intervention_key="kiva",
    )  # fmt: skip
    there = Activity.objects.create(
        title="KiVa på Lidingö", area=lidingo, county=county, orientation="prevention",
        intervention_key="kiva",
    )  # fmt: skip
    return SimpleNamespace(
        plan=plan, far=far, published=published, hidden=hidden, old=old,
        here=here, wide=wide, there=there, actor=actor, county=county, botkyrka=botkyrka,
    )  # fmt: skip


@pytest.mark.django_db
def test_chain_respects_who_may_see_plans_and_scenarios(linked, users) -> None:  # noqa: ANN001
    from django.contrib.auth.models import AnonymousUser

    kiva = services.intervention_for(linked.county, "kiva")
    editor = chain.intervention_chain(kiva, county=linked.county, user=users["botkyrka"])
    assert [c.plan for c in editor.plans] == [linked.plan], "not Uppsala's plan"
    names = {s.name for s in editor.scenarios}
    assert {"Kedjekalkyl publicerad", "Kedjekalkyl utkast"} <= names
    assert "Kedjekalkyl gammal" not in names, "an old row without a key is tolerated, not matched"
    assert {a.pk for a in editor.activities} >= {linked.here.pk, linked.wide.pk, linked.there.pk}
    other = chain.intervention_chain(kiva, county=linked.county, user=users["lidingo"])
    assert other.plans == []
    assert "Kedjekalkyl utkast" not in {s.name for s in other.scenarios}
    assert "Kedjekalkyl publicerad" in {s.name for s in other.scenarios}
    anonymous = chain.intervention_chain(kiva, county=linked.county, user=AnonymousUser())
    assert anonymous.plans == [] and "Kedjekalkyl utkast" not in {
        s.name for s in anonymous.scenarios
    }
    assert [f.key for f in editor.factors] == [
        f for f in kiva.factors if f in services.star_for(linked.county).factors
    ]
    bullying = next(f for f in editor.factors if f.key == "bullying_victimisation")
    assert all(isinstance(code, str) for code, _name in bullying.indicators)


@pytest.mark.django_db
def test_deliverers_in_a_kommun_are_its_own_and_county_wide(linked) -> None:  # noqa: ANN001
    found = chain.deliverers_by_key(linked.botkyrka, ["kiva", "komet"])
    pks = {a.pk for a in found["kiva"]}
    assert {linked.here.pk, linked.wide.pk} <= pks and linked.there.pk not in pks
    assert "komet" not in found or all(a.intervention_key == "komet" for a in found["komet"])
    assert chain.deliverers_by_key(linked.botkyrka, []) == {}


@pytest.mark.django_db
def test_own_indicator_factors_join_the_chain(linked, geography) -> None:  # noqa: ANN001
    from jamlik.indicators.models import Indicator

    Indicator.objects.create(
        code="CHAIN_OWN_1",
        name_sv="Utsatt för mobbning (länets egen)",
        name_en="Bullied (the county's own)",
        value_type="proportion",
        polarity="low",
        owner=linked.county,
        factors=["bullying_victimisation"],
    )
    found = chain.factor_chain(["bullying_victimisation"], linked.county)
    assert "CHAIN_OWN_1" in [code for code, _n in found[0].indicators]
    assert chain.factors_for_indicator("CHAIN_OWN_1", linked.county) == ["bullying_victimisation"]
    assert chain.factors_for_indicator("CHAIN_OWN_1", None) == []


@pytest.mark.django_db
def test_registry_page_shows_the_chain(linked, client_for) -> None:  # noqa: ANN001
    editor = client_for("botkyrka")
    html = editor.get("/prevention/insatser/kiva/?lan=01").content.decode()
    assert 'id="chain-h"' in html and 'data-chain="kiva"' in html
    assert "Kedjan i Botkyrka" in html and "Kedjan i Uppsala län" not in html
    assert "Kedjekalkyl publicerad" in html and "Kedjekalkyl utkast" in html
    assert f"/aktorer/insats/{linked.here.pk}/" in html and "Kedjeskolan" in html
    choose = 'action="/prevention/planer/valj-insats/"'
    assert choose in html and f'value="{linked.plan.pk}"' in html, "Botkyrka's plan offered"
    viewer = client_for("viewer").get("/prevention/insatser/kiva/?lan=01").content.decode()
    assert choose not in viewer, "a viewer may edit no plan"
    public = Client().get("/prevention/insatser/kiva/?lan=01").content.decode()
    assert choose not in public
    assert "Kedjan i Botkyrka" not in public and "Kedjekalkyl utkast" not in public
    assert "Kedjekalkyl publicerad" in public and "KiVa i Botkyrkas skolor" in public


@pytest.mark.django_db
def test_plan_page_shows_choices_deliverers_and_visible_scenarios(linked, client_for) -> None:  # noqa: ANN001
    from jamlik.economics.models import Scenario

    Scenario.objects.filter(pk=linked.hidden.pk).update(plan=linked.plan)
    html = client_for("botkyrka").get(f"/prevention/planer/{linked.plan.pk}/").content.decode()
    assert 'data-chosen="kiva"' in html and "/prevention/insatser/kiva/?lan=01" in html
    assert "KiVa i Botkyrkas skolor" in html and "KiVa i länet" in html
    assert "KiVa på Lidingö" not in html
    assert "Kedjekalkyl publicerad" in html and "Kedjekalkyl utkast" in html
    viewer = client_for("viewer").get(f"/prevention/planer/{linked.plan.pk}/").content.decode()
    assert "Kedjekalkyl publicerad" in viewer


@pytest.mark.django_db
def test_profile_gap_links_go_to_the_selection_with_the_factors(geography) -> None:  # noqa: ANN001
    from jamlik.prevention.templatetags.prevention_chain import factor_selection_url

    botkyrka = geography.get(code="0127")
    url = factor_selection_url("N15428", botkyrka)
    assert url.startswith("/prevention/urval/?lan=01&suggest=0127&indikator=N15428")
    assert "factor=academic_failure" in url
    assert factor_selection_url("NOT_LINKED", botkyrka) == ""
    assert factor_selection_url("N15428", geography.get(code="01")) == ""
    assert factor_selection_url("N15428", None) == ""
    page = Client().get(url.split("#")[0])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-from-indicator="N15428"' in html and 'data-factor="academic_failure"' in html


@pytest.mark.django_db
def test_factor_selection_url_makes_no_query(geography, django_assert_num_queries) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.prevention.templatetags.prevention_chain import factor_selection_url

    chain.shipped_indicator_factors()
    botkyrka = Area.objects.get(code="0127")
    with django_assert_num_queries(0):
        for code in ("N15428", "U31803", "N17461", "NOT_LINKED"):
            factor_selection_url(code, botkyrka)


@pytest.mark.django_db
def test_a_key_the_registry_no_longer_holds_shows_as_text(linked, client_for) -> None:  # noqa: ANN001
    PlanIntervention.objects.create(plan=linked.plan, intervention_key="gone-programme")
    editor = client_for("botkyrka")
    html = editor.get(f"/prevention/planer/{linked.plan.pk}/").content.decode()
    assert 'data-chosen="gone-programme"' in html
    assert "/prevention/insatser/gone-programme/" not in html
    chosen = PlanIntervention.objects.get(plan=linked.plan, intervention_key="gone-programme")
    form = editor.get(f"/prevention/planer/{linked.plan.pk}/insatser/{chosen.pk}/andra/")
    assert form.status_code == 200 and 'value="gone-programme" selected' in form.content.decode()
