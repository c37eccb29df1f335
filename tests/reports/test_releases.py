"""Releases to the national picture: what each payload holds, that a release is a
snapshot, and that only the latest release per county and domain is read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.reports.national_helpers import KEY, activity, plan, support_records

from jamlik.reports import releases
from jamlik.reports.models import CountyRelease, ReleaseDomain

pytestmark = pytest.mark.django_db


@pytest.fixture
def uppsala(geography):  # noqa: ANN001 - a county without the demo in any worker
    return geography.get(code="03")


def test_support_payload_counts_steps_activities_agreements_and_commitments(uppsala):
    made = support_records(uppsala)
    p = releases.support_payload(uppsala)
    steps = {k["code"]: k["step"] for k in p["kommuner"]}
    assert steps[made["a"].code] == 4  # the agreement in force
    assert steps[made["b"].code] == 2  # the dialogue
    assert p["activities"]["network_meeting"] == {"total": 1, "joint": 1}
    assert p["activities"]["dialogue"] == {"total": 1, "joint": 0}
    assert p["agreements"] == {"active": 1}
    assert p["commitments"] == {"done": 1, "total": 2}  # the cancelled one is not counted
    assert sum(p["step_counts"].values()) == len(p["kommuner"])


def test_plans_payload_by_status_steps_and_chosen_interventions(uppsala):
    from jamlik.geo.models import Area
    from jamlik.prevention.models import PlanIntervention

    a, b = Area.objects.municipalities("03")[:2]
    plan(a, done=3)
    second = plan(a, done=8, key="")
    PlanIntervention.objects.create(plan=second, local_name="Lokal föräldraträff")
    plan(b, done=0)
    p = releases.plans_payload(uppsala)
    assert p["plans"] == 3
    assert p["by_status"] == {"active": 3}
    assert p["by_steps_done"]["3"] == 1 and p["by_steps_done"]["8"] == 1
    assert p["by_steps_done"]["0"] == 1
    row = next(k for k in p["kommuner"] if k["code"] == a.code)
    assert row["plans"] == 2 and row["steps_done"] == 8
    assert p["interventions"] == [{"key": KEY, "name": KEY, "plans": 2, "kommuner": 2}]
    assert p["local_interventions"] == 1


def test_interventions_payload_counts_plans_and_delivering_activities(uppsala):
    from jamlik.geo.models import Area

    a = Area.objects.municipalities("03").first()
    plan(a)
    activity(a)
    activity(a)
    activity(a, key="")
    p = releases.interventions_payload(uppsala)
    row = next(i for i in p["interventions"] if i["key"] == KEY)
    assert (row["plans"], row["activities"]) == (1, 2)
    assert p["activities_with_registry"] == 2
    assert p["activities_total"] >= 3


def test_prerequisites_payload_reads_only_published_rounds(geography):  # noqa: ANN001
    from jamlik.prerequisites.demo import seed
    from jamlik.prerequisites.models import Round

    seed(lambda _m: None)
    county = geography.get(code="01")
    published = sorted(
        Round.objects.filter(county=county, published=True).values_list("year", flat=True)
    )
    assert Round.objects.filter(county=county, published=False).exists()
    p = releases.prerequisites_payload(county)
    assert p["year"] == published[-1]
    assert p["previous_year"] == published[-2]
    assert p["kommuner"] and p["is_demo"]
    row = p["kommuner"][0]
    assert set(row["scores"]) == {x["key"] for x in p["prerequisites"]}
    with_both = [k for k in p["kommuner"] if k["index_change"] is not None]
    assert with_both, "kommuner answering both rounds have a change"
    assert p["median_index"] is not None


def test_prerequisites_payload_without_a_published_round(uppsala):
    p = releases.prerequisites_payload(uppsala)
    assert p["year"] is None and p["kommuner"] == []


def test_release_is_a_snapshot_and_the_latest_one_is_read(uppsala, users):  # noqa: ANN001
    from jamlik.geo.models import Area

    a = Area.objects.municipalities("03").first()
    plan(a)
    first = releases.release(uppsala, ReleaseDomain.PLANS, users["admin"])
    assert first.payload["plans"] == 1 and first.released_by == users["admin"]
    plan(a, title="h5 unreleased")  # a change after the release
    assert releases.latest_releases(ReleaseDomain.PLANS)["03"].payload["plans"] == 1
    second = releases.release(uppsala, ReleaseDomain.PLANS)
    assert releases.latest_releases(ReleaseDomain.PLANS)["03"].pk == second.pk
    assert CountyRelease.objects.get(pk=first.pk).payload["plans"] == 1  # kept as it was
    # a report for an earlier moment reads the release made before it
    CountyRelease.objects.filter(pk=second.pk).update(
        released_at=datetime.now(UTC) + timedelta(days=400)
    )
    before = releases.latest_releases(
        ReleaseDomain.PLANS, until=datetime.now(UTC) + timedelta(days=1)
    )
    assert before["03"].pk == first.pk


def test_release_all_stores_every_domain(uppsala):
    made = releases.release_all(uppsala)
    assert [r.domain for r in made] == list(releases.DOMAINS)
    assert set(releases.latest_for_county(uppsala)) == set(releases.DOMAINS)


def test_release_refuses_a_kommun_and_an_unknown_domain(uppsala, botkyrka):  # noqa: ANN001
    with pytest.raises(releases.ReleaseError, match="not a county"):
        releases.release(botkyrka, ReleaseDomain.PLANS)
    with pytest.raises(releases.ReleaseError, match="Unknown domain"):
        releases.release(uppsala, "budget")
    assert not CountyRelease.objects.filter(county=uppsala).exists()


def test_payloads_are_json(uppsala):
    import json

    support_records(uppsala)
    for domain in releases.DOMAINS:
        json.dumps(releases.build_payload(uppsala, domain))


def test_demo_seed_releases_the_demo_county_once(county):  # noqa: ANN001
    from jamlik.reports.demo import seed

    def counts() -> dict[str, int]:
        return {
            d: CountyRelease.objects.filter(county=county, domain=d).count()
            for d in releases.DOMAINS
        }

    seed(lambda _m: None)
    after_first = counts()
    assert all(n >= 1 for n in after_first.values())
    seed(lambda _m: None)
    assert counts() == after_first  # idempotent
