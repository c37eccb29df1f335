"""``jamlik demo`` can be run again after users have worked in the demo installation.

The README's first command seeds the demo and serves it; a second run must neither fail
(a user's survey round uses the demo instrument, which the seeder used to delete:
ProtectedError) nor touch what users made: their rows, and the demo rows those rows
point at, stay as they were.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from jamlik.actors.models import Activity, Actor
from jamlik.economics.models import Scenario
from jamlik.geo.models import Area
from jamlik.prerequisites import services as prerequisites
from jamlik.prerequisites.models import InterviewExcerpt, InterviewTheme, Response, Round
from jamlik.prevention import services as prevention
from jamlik.prevention.models import IndicatorTarget, Plan
from jamlik.setup import seed_demo
from jamlik.support.models import Agreement, ParticipantRole, SupportActivity
from jamlik.support.services import ParticipationInput
from jamlik.support.services import save_activity as save_support_activity


def _quiet(_message: str) -> None:
    pass


def _user_data() -> dict[str, object]:
    """One piece of user data per app, each pointing at demo rows where it can."""
    user = get_user_model().objects.get(username="botkyrka")
    county = Area.objects.get(code="01")
    botkyrka = Area.objects.get(code="0127")

    # A survey round of the user's own (it uses the demo instrument) with answers, and an
    # answer in the demo's open round.
    own_round = prerequisites.create_round(county, 2025)
    own_response = prerequisites.response_for(own_round, botkyrka)
    prerequisites.save_answers(own_response, {"coordinator": "dedicated"}, user)
    demo_round = Round.objects.get(county=county, year=2023, is_demo=True)
    kommun_without_answer = (
        Area.objects.municipalities("01")
        .exclude(pk__in=demo_round.responses.values("municipality"))
        .first()
    )
    answer_in_demo_round = prerequisites.response_for(demo_round, kommun_without_answer)
    prerequisites.save_answers(answer_in_demo_round, {"coordinator": "part"}, user)
    demo_theme = InterviewTheme.objects.filter(county=county, is_demo=True).first()
    excerpt = prerequisites.add_excerpt(
        botkyrka, 2024, demo_theme, "strategist", "Ett citat som en användare har kodat.", user
    )

    # An activity of the user's, run by a demo actor.
    demo_actor = Actor.objects.filter(county=county, is_demo=True, area=botkyrka).first()
    activity = Activity.objects.create(
        title="Användarens insats",
        orientation="prevention",
        area=botkyrka,
        county=county,
        status="ongoing",
    )
    activity.actors.add(demo_actor)

    # A plan with a target, and a scenario made from the demo's.
    plan = prevention.create_plan(
        botkyrka, title="Användarens plan", start=dt.date(2026, 1, 1), user=user
    )
    IndicatorTarget.objects.create(
        plan=plan,
        indicator_code="N00001",
        label="Användarens mål",
        baseline_value=78.9,
        baseline_period="2024",
        target_value=70,
        target_period="2028",
    )
    demo_scenario = Scenario.objects.filter(is_demo=True, area=botkyrka).first()
    scenario = Scenario.objects.create(
        area=botkyrka,
        name=f"{demo_scenario.name} (kopia)",
        inputs={**demo_scenario.inputs, "notes": "Användarens kopia"},
        created_by=user,
    )

    # A support activity delivered under a demo agreement.
    demo_agreement = Agreement.objects.filter(county=county, is_demo=True).first()
    support = save_support_activity(
        county,
        {
            "kind": "workshop",
            "title": "Användarens workshop",
            "date": dt.date(2026, 3, 1),
            "agreement": demo_agreement,
        },
        [ParticipationInput(demo_agreement.municipality, ParticipantRole.OFFICIAL, 3)],
        user=user,
    )
    return {
        "own_round": own_round.pk,
        "own_response": own_response.pk,
        "demo_round": demo_round.pk,
        "answer_in_demo_round": answer_in_demo_round.pk,
        "excerpt": excerpt.pk,
        "demo_theme": demo_theme.pk,
        "activity": activity.pk,
        "demo_actor": demo_actor.pk,
        "plan": plan.pk,
        "scenario": scenario.pk,
        "support": support.pk,
        "demo_agreement": demo_agreement.pk,
    }


@pytest.mark.django_db
def test_demo_reseeds_around_user_data():
    seed_demo(_quiet)
    made = _user_data()
    seed_demo(_quiet)
    seed_demo(_quiet)

    own_round = Round.objects.get(pk=made["own_round"])
    assert not own_round.is_demo
    assert Response.objects.get(pk=made["own_response"]).answers == {"coordinator": "dedicated"}
    assert Response.objects.get(pk=made["answer_in_demo_round"]).round_id == made["demo_round"]
    assert InterviewExcerpt.objects.get(pk=made["excerpt"]).theme_id == made["demo_theme"]
    assert list(Activity.objects.get(pk=made["activity"]).actors.values_list("pk", flat=True)) == [
        made["demo_actor"]
    ]
    plan = Plan.objects.get(pk=made["plan"])
    assert not plan.is_demo and plan.targets.get().label == "Användarens mål"
    scenario = Scenario.objects.get(pk=made["scenario"])
    assert not scenario.is_demo and scenario.inputs["notes"] == "Användarens kopia"
    support = SupportActivity.objects.get(pk=made["support"])
    assert not support.is_demo and support.agreement_id == made["demo_agreement"]

    # The demo is still complete: one demo round per demo year, demo scenarios and plans.
    county = Area.objects.get(code="01")
    years = sorted(Round.objects.filter(county=county).values_list("year", flat=True))
    assert years == [2019, 2021, 2023, 2025]
    assert Scenario.objects.filter(is_demo=True).count() == 2
    assert Plan.objects.filter(is_demo=True).exists()
    assert SupportActivity.objects.filter(is_demo=True).exists()
