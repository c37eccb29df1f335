"""The toolbox: tag checks against the frameworks, ranking on a plan step, search and facets."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamlik.prevention import services as plans
from jamlik.prevention.models import PlanIntervention
from jamlik.support import demo_toolbox, toolbox
from jamlik.support.models import ToolboxItem, ToolKind

STEPS = ["needs_assessment", "resource_assessment", "delivery", "evaluation"]
FACTORS = ["family_conflict", "academic_failure", "gang_involvement", "self_control", "x"]


@dataclass
class Item:
    """A stand-in for a ToolboxItem: the ranking reads only these attributes."""

    pk: int
    title: str
    quality_steps: list[str] = field(default_factory=list)
    factors: list[str] = field(default_factory=list)


items_strategy = st.lists(
    st.builds(
        Item,
        pk=st.integers(1, 10_000),
        title=st.sampled_from(["Guide", "guide", "Checklista", "Åtgärd", "Öppen", "Film"]),
        quality_steps=st.lists(st.sampled_from(STEPS), unique=True, max_size=3),
        factors=st.lists(st.sampled_from(FACTORS), unique=True, max_size=4),
    ),
    max_size=25,
    unique_by=lambda i: i.pk,
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    items=items_strategy,
    step=st.sampled_from(STEPS),
    plan_factors=st.lists(st.sampled_from(FACTORS), max_size=6),
    seed=st.integers(0, 1000),
)
def test_ranking_is_total_stable_and_only_for_the_step(items, step, plan_factors, seed) -> None:  # noqa: ANN001
    ranked = toolbox.rank_for_step(items, step, plan_factors)
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    again = toolbox.rank_for_step(shuffled, step, plan_factors)
    # The order does not depend on the order the items arrived in (total order).
    assert [m.item.pk for m in ranked] == [m.item.pk for m in again]
    # Exactly the items tagged with the step, each once.
    assert sorted(m.item.pk for m in ranked) == sorted(
        i.pk for i in items if step in i.quality_steps
    )
    # Most shared factors first; the shared factors are the plan's, counted once.
    counts = [len(m.shared) for m in ranked]
    assert counts == sorted(counts, reverse=True)
    for m in ranked:
        assert set(m.shared) == set(plan_factors) & set(m.item.factors)
        assert len(m.shared) == len(set(m.shared))


def test_ranking_ties_by_title_then_id() -> None:
    items = [Item(3, "b", ["delivery"]), Item(2, "B", ["delivery"]), Item(1, "a", ["delivery"])]
    assert [m.item.pk for m in toolbox.rank_for_step(items, "delivery", [])] == [1, 2, 3]


def test_an_item_without_steps_is_offered_nowhere() -> None:
    stepless = Item(1, "Ordlista", [], FACTORS)
    for step in STEPS:
        assert toolbox.rank_for_step([stepless], step, FACTORS) == []


def test_search_filters_and_counts_facets() -> None:
    a = ToolboxItem(
        pk=1,
        title="Checklista för ÖVERSIKT",
        kind=ToolKind.CHECKLIST,
        description="",
        publisher="SKR",
        target_areas=["education"],
        quality_steps=["delivery"],
        factors=["academic_failure"],
    )
    b = ToolboxItem(
        pk=2,
        title="Film",
        kind=ToolKind.FILM,
        description="översikt av metoder",
        publisher="Folkhälsomyndigheten",
        target_areas=["lifestyle"],
        quality_steps=["delivery", "evaluation"],
        factors=[],
    )
    c = ToolboxItem(
        pk=3,
        title="Guide",
        kind=ToolKind.DOCUMENT,
        description="",
        publisher="Brå",
        target_areas=[],
        quality_steps=[],
        factors=[],
    )
    items = [a, b, c]
    # Free text is case-folded (Ö finds ö) and every word must occur.
    assert toolbox.search(items, toolbox.Query(text="översikt")).items == [a, b]
    assert toolbox.search(items, toolbox.Query(text="översikt skr")).items == [a]
    assert toolbox.search(items, toolbox.Query(text="brå")).items == [c]
    result = toolbox.search(items, toolbox.Query(step="delivery", kind="film"))
    assert result.items == [b] and result.total == 3
    # A facet counts what its values would give with the other filters kept.
    assert result.counts["kind"] == {"checklist": 1, "film": 1}
    assert result.counts["step"]["delivery"] == 1 and result.counts["step"]["evaluation"] == 1
    assert toolbox.search(items, toolbox.Query(factor="nope")).items == []


def test_links_must_be_web_links() -> None:
    assert toolbox.is_web_link("https://www.folkhalsomyndigheten.se/")
    assert toolbox.is_web_link("http://example.se/a")
    for bad in ("javascript:alert(1)", "ftp://example.se/x", "file:///etc/passwd", "https://"):
        assert not toolbox.is_web_link(bad)


@pytest.mark.django_db
class TestWithDatabase:
    def test_unknown_tags_are_named(self, county) -> None:  # noqa: ANN001
        values = {
            "title": "T",
            "kind": "document",
            "target_areas": ["nope_area"],
            "quality_steps": ["delivery", "step_x"],
            "factors": ["family_conflict", "factor_y"],
        }
        with pytest.raises(ValueError) as err:
            toolbox.save_item(county, values)
        message = str(err.value)
        assert "nope_area" in message and "step_x" in message and "factor_y" in message
        assert "delivery" not in message

    def test_film_needs_a_web_link(self, county) -> None:  # noqa: ANN001
        with pytest.raises(ValueError, match="film"):
            toolbox.save_item(county, {"title": "F", "kind": "film", "url": ""})
        with pytest.raises(ValueError, match="http"):
            toolbox.save_item(county, {"title": "F", "kind": "film", "url": "ftp://x.se/f"})

    def test_items_for_step_ranks_by_the_plans_factors(self, geography, county) -> None:  # noqa: ANN001
        botkyrka = geography.get(code="0127")
        plan = plans.create_plan(
            botkyrka, title="Toolbox plan", start=date(2026, 1, 1), prioritised=["family_conflict"]
        )
        PlanIntervention.objects.create(plan=plan, local_name="Lokal", factors=["academic_failure"])
        step = plan.steps.get(key="delivery")
        other = geography.get(code="12", level="county")
        make = lambda title, c, steps, factors: toolbox.save_item(  # noqa: E731
            c, {"title": title, "kind": "method", "quality_steps": steps, "factors": factors}
        )
        both = make("TB Zeta both", county, ["delivery"], ["family_conflict", "academic_failure"])
        one = make("TB Alpha one", None, ["delivery"], ["academic_failure"])
        none = make("TB Beta none", county, ["delivery"], [])
        make("TB other step", county, ["evaluation"], ["family_conflict"])
        make("TB no step", county, [], ["family_conflict"])
        make("TB other county", other, ["delivery"], ["family_conflict"])
        ranked = [m for m in toolbox.items_for_step(plan, step) if m.item.title.startswith("TB ")]
        assert [m.item for m in ranked] == [both, one, none]
        assert ranked[0].shared == ("family_conflict", "academic_failure")

    def test_demo_is_idempotent_and_valid(self) -> None:
        demo_toolbox.seed(lambda _m: None)
        first = ToolboxItem.objects.filter(is_demo=True).count()
        demo_toolbox.seed(lambda _m: None)
        items = list(ToolboxItem.objects.filter(is_demo=True))
        assert len(items) == first == len(demo_toolbox.ITEMS)
        steps = {s for i in items for s in i.quality_steps}
        assert len(steps) == 8
        for item in items:
            assert "(demo)" in item.title
            # Only organisations' home pages: no invented deep links.
            assert item.url == "" or item.url.count("/") == 3 and item.url.endswith("/")
