"""Sharing a plan as an example: who may share, who reads what, search and filters (issue 18)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.prevention.sharing_fixtures import (  # noqa: F401 - fixtures
    SECRET_SUMMARY,
    people,
    shared_plans,
)

from jamlik.core.versioning import VersionConflict
from jamlik.prevention import sharing
from jamlik.prevention.models import Plan, SharedPart, Sharing

pytestmark = pytest.mark.django_db
ALL_PARTS = [p.value for p in SharedPart]


def _titles(user, **kwargs) -> set[str]:  # noqa: ANN001
    return {v.plan.title for v in sharing.visible_shared_plans(user, **kwargs)}


# ---- sharing -----------------------------------------------------------------------------


def test_share_sets_and_clears_shared_at(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    start = plan.version
    sharing.share_plan(plan, Sharing.COUNTY, ["results", "summary"], people["botkyrka"])
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.sharing == Sharing.COUNTY
    assert stored.shared_parts == ["summary", "results"]  # fixed order, each once
    assert stored.shared_at is not None and stored.version == start + 1
    since = stored.shared_at
    # Widening the audience keeps "shared since".
    sharing.share_plan(stored, Sharing.ALL, ["summary"], people["lan01"])
    assert Plan.objects.get(pk=plan.pk).shared_at == since
    sharing.share_plan(stored, Sharing.PRIVATE, ["summary"], people["botkyrka"])
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.sharing == Sharing.PRIVATE and stored.shared_at is None
    assert stored.shared_parts == ["summary"]  # remembered for the next time


def test_only_editors_of_the_kommun_and_the_county_admin_share(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    for name in ("lidingo", "viewer", "lan03", "partner", "nobody"):
        with pytest.raises(PermissionDenied):
            sharing.share_plan(plan, Sharing.ALL, ALL_PARTS, people[name])
    with pytest.raises(PermissionDenied):
        sharing.share_plan(plan, Sharing.ALL, ALL_PARTS, AnonymousUser())
    assert Plan.objects.get(pk=plan.pk).sharing == Sharing.PRIVATE
    assert sharing.can_share(people["lan01"], plan) and sharing.can_share(people["admin"], plan)
    sharing.share_plan(plan, Sharing.COUNTY, ["steps"], people["lan01"])
    assert Plan.objects.get(pk=plan.pk).sharing == Sharing.COUNTY


def test_bad_input_is_refused_with_what_was_expected(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    with pytest.raises(sharing.SharingError, match="Unknown sharing 'world'"):
        sharing.share_plan(plan, "world", ["summary"], people["botkyrka"])
    with pytest.raises(sharing.SharingError, match="Unknown shared part.*budget.*expected"):
        sharing.share_plan(plan, Sharing.ALL, ["summary", "budget"], people["botkyrka"])
    with pytest.raises(sharing.SharingError, match="at least one part"):
        sharing.share_plan(plan, Sharing.ALL, [], people["botkyrka"])
    assert Plan.objects.get(pk=plan.pk).sharing == Sharing.PRIVATE


def test_a_stale_version_is_refused(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    loaded = plan.version
    sharing.share_plan(plan, Sharing.COUNTY, ["summary"], people["botkyrka"], version=loaded)
    other = Plan.objects.get(pk=plan.pk)
    with pytest.raises(VersionConflict):
        sharing.share_plan(other, Sharing.ALL, ALL_PARTS, people["lan01"], version=loaded)
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.sharing == Sharing.COUNTY and stored.shared_parts == ["summary"]


@given(st.lists(st.sampled_from(ALL_PARTS)))
def test_clean_parts_keeps_each_known_part_once_in_order(parts: list[str]) -> None:
    cleaned = sharing.clean_parts(parts)
    assert set(cleaned) == set(parts)
    assert cleaned == sorted(set(parts), key=ALL_PARTS.index)


@given(
    st.lists(st.sampled_from(ALL_PARTS)), st.text(min_size=1).filter(lambda s: s not in ALL_PARTS)
)
def test_clean_parts_refuses_any_unknown_key(parts: list[str], unknown: str) -> None:
    with pytest.raises(sharing.SharingError):
        sharing.clean_parts([*parts, unknown])


ACTIONS = st.lists(
    st.tuples(st.sampled_from(Sharing.values), st.sets(st.sampled_from(ALL_PARTS), min_size=1)),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_shared_at_follows_the_sharing_through_any_sequence(people, shared_plans, actions) -> None:  # noqa: ANN001, F811
    """shared_at is set exactly while shared, kept while shared, and the version rises by one
    per saved change and not at all for a save that changes nothing."""
    plan = Plan.objects.get(pk=shared_plans["botkyrka"].pk)
    sharing.share_plan(plan, Sharing.PRIVATE, ["summary"], people["botkyrka"])
    for level, parts in actions:
        before = Plan.objects.get(pk=plan.pk)
        sharing.share_plan(Plan.objects.get(pk=plan.pk), level, parts, people["botkyrka"])
        after = Plan.objects.get(pk=plan.pk)
        assert (after.shared_at is None) == (level == Sharing.PRIVATE)
        if level != Sharing.PRIVATE and before.shared_at is not None:
            assert after.shared_at == before.shared_at
        changed = (before.sharing, before.shared_parts) != (level, sharing.clean_parts(parts))
        assert after.version == before.version + (1 if changed else 0)
        plan = after


# ---- who reads which shared plan -------------------------------------------------------------


def test_county_shared_plan_reaches_the_county_board_and_its_partners_only(
    people,  # noqa: ANN001, F811
    shared_plans,  # noqa: ANN001, F811
) -> None:
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.COUNTY, ALL_PARTS, people["botkyrka"])
    title = plan.title
    for name in ("lan01", "viewer", "partner", "admin", "botkyrka"):
        assert title in _titles(people[name]), name
    # Another county's admin and partner, another kommun's editor, a user with no role.
    for name in ("lan03", "partner03", "lidingo", "nobody"):
        assert title not in _titles(people[name]), name
        assert sharing.shared_plan_for(people[name], plan.pk) is None
    assert sharing.visible_shared_plans(AnonymousUser()) == []
    assert sharing.shared_plan_for(AnonymousUser(), plan.pk) is None


def test_plan_shared_with_all_reaches_every_role_holder(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.ALL, ["summary"], people["botkyrka"])
    for name in ("lan01", "lan03", "partner", "partner03", "lidingo", "viewer", "admin"):
        assert plan.title in _titles(people[name]), name
    assert plan.title not in _titles(people["nobody"])
    assert sharing.visible_shared_plans(AnonymousUser()) == []


def test_private_plans_are_never_listed(people, shared_plans) -> None:  # noqa: ANN001, F811
    for name in ("lan01", "admin", "botkyrka"):
        assert shared_plans["botkyrka"].title not in _titles(people[name])


# ---- what a reader sees ------------------------------------------------------------------------


def test_view_leaves_out_every_unshared_part(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.ALL, ["results"], people["botkyrka"])
    view = sharing.shared_view(Plan.objects.get(pk=plan.pk), detail=True)
    assert view.summary == "" and view.factor_keys == [] and view.factor_names == []
    assert view.steps is None and view.progress is None and view.interventions is None
    assert [r.name for r in view.results] == ["Andel elever med behörighet (påhittad)"]
    result = view.results[0]
    assert result.progress.latest == 21.0 and not result.progress.from_catalogue
    assert result.met and view.targets_met == 1


def test_view_with_every_part(people, shared_plans) -> None:  # noqa: ANN001, F811
    plan = shared_plans["botkyrka"]
    sharing.share_plan(plan, Sharing.COUNTY, ALL_PARTS, people["botkyrka"])
    view = sharing.shared_view(Plan.objects.get(pk=plan.pk), detail=True)
    assert view.summary == SECRET_SUMMARY
    assert view.factor_keys == ["family_conflict", "school_connectedness"]
    assert view.progress == {"done": 1, "total": 8} and len(view.steps) == 8
    assert [row.name for row in view.interventions] == ["Lokala läxhjälpen Kvarnbacken"]


@settings(
    max_examples=16, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.sets(st.sampled_from(ALL_PARTS), min_size=1))
def test_search_never_matches_an_unshared_summary(people, shared_plans, parts) -> None:  # noqa: ANN001, F811
    plan = Plan.objects.get(pk=shared_plans["botkyrka"].pk)
    sharing.share_plan(plan, Sharing.COUNTY, parts, people["botkyrka"])
    found = _titles(people["lan01"], q="tornparken")
    assert (plan.title in found) == (SharedPart.SUMMARY in parts)
    by_factor = _titles(people["lan01"], factor="family_conflict")
    assert (plan.title in by_factor) == (SharedPart.SUMMARY in parts)


def test_search_and_filters(people, shared_plans) -> None:  # noqa: ANN001, F811
    b, lid = shared_plans["botkyrka"], shared_plans["lidingo"]
    sharing.share_plan(b, Sharing.COUNTY, ALL_PARTS, people["botkyrka"])
    sharing.share_plan(lid, Sharing.ALL, ["summary"], people["lidingo"])
    lan01 = people["lan01"]
    assert b.title in _titles(lan01, q="BOTKYRKA") and lid.title not in _titles(lan01, q="botkyrka")
    assert _titles(lan01, q="H5 delningsplan") >= {b.title, lid.title}  # every word, any order
    assert b.title in _titles(lan01, q="konflikter familjen")  # a factor's Swedish name
    assert b.title in _titles(lan01, q="family conflict")  # and its English one
    assert b.title not in _titles(lan01, q="nothing-like-this")
    assert _titles(lan01, county="01") >= {b.title, lid.title}
    assert not _titles(lan01, county="03") & {b.title, lid.title}
    assert b.title in _titles(lan01, status="active") and lid.title not in _titles(
        lan01, status="active"
    )
    with_results = _titles(lan01, has_results=True)
    assert b.title in with_results and lid.title not in with_results
    # Results that exist but are not shared do not count as results.
    sharing.share_plan(b, Sharing.COUNTY, ["summary"], people["botkyrka"])
    assert b.title not in _titles(lan01, has_results=True)


def test_demo_shares_two_plans_and_runs_again(db) -> None:  # noqa: ANN001
    from jamlik.prevention import demo, demo_sharing

    demo.seed(lambda _m: None)
    demo_sharing.seed(lambda _m: None)
    demo_sharing.seed(lambda _m: None)
    shared = {
        p.municipality.code: (p.sharing, p.shared_parts)
        for p in Plan.objects.filter(is_demo=True).exclude(sharing=Sharing.PRIVATE)
    }
    assert shared == {
        "0127": (Sharing.COUNTY, ALL_PARTS),
        "0188": (Sharing.ALL, ["summary", "results"]),
    }
    assert all(
        p.shared_at is not None
        for p in Plan.objects.filter(is_demo=True).exclude(sharing=Sharing.PRIVATE)
    )


def test_plan_dates_do_not_matter_to_sharing(people, geography) -> None:  # noqa: ANN001, F811
    from jamlik.prevention import services

    plan = services.create_plan(
        geography.get(code="0127"), title="H5 utan mål", start=date(2020, 1, 1)
    )
    sharing.share_plan(plan, Sharing.ALL, ["results"], people["botkyrka"])
    view = sharing.shared_view(plan)
    assert view.results == [] and not view.has_results and view.targets_met == 0
