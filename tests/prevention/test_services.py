"""Plans, the interventions registry and selection against the database."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik import frameworks
from jamlik.indicators.publication import rebuild
from jamlik.prevention import services
from jamlik.prevention.models import IndicatorTarget, Intervention, PlanStatus

pytestmark = pytest.mark.django_db


def test_shipped_interventions_installed_and_consistent() -> None:
    rows = services.read_shipped_interventions()
    assert len(rows) >= 12
    assert Intervention.objects.filter(county__isnull=True).count() == len(rows)
    assert all(r["evidence_source"] for r in rows)
    assert services.install_shipped_interventions() == len(rows)  # idempotent
    assert Intervention.objects.filter(county__isnull=True).count() == len(rows)


def test_bad_interventions_file_refused(tmp_path) -> None:  # noqa: ANN001
    text = services.SHIPPED_INTERVENTIONS.read_text(encoding="utf-8").replace(
        '"bullying_victimisation", "school_connectedness"]',
        '"bullying_victimisation", "astrology"]',
        1,
    )
    path = tmp_path / "interventions.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(services.InterventionDataError, match="unknown factor 'astrology'"):
        services.read_shipped_interventions(path)


def test_create_plan_has_eight_steps_checklists_and_perspectives(botkyrka) -> None:  # noqa: ANN001
    plan = services.create_plan(
        botkyrka,
        title="Plan",
        start=date(2026, 1, 1),
        prioritised=["family_conflict", "academic_failure"],
    )
    model = frameworks.load("kvalitetsmodell")
    steps = services.plan_steps(plan)
    assert [s.step.number for s in steps] == list(range(1, 9))
    for view, fw_step in zip(steps, model.steps, strict=True):
        assert [t.item_key for _i, t in view.ticks] == list(fw_step.checklist.keys())
        assert all(item is not None for item, _t in view.ticks)
        assert [n.perspective_key for _p, n in view.perspectives] == list(model.perspectives.keys())
    assert services.plan_progress(plan) == {"done": 0, "in_progress": 0, "total": 8, "current": 1}


def test_plan_refuses_unknown_factor_and_bad_dates(botkyrka, county) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="unknown factor"):
        services.create_plan(botkyrka, title="x", start=date(2026, 1, 1), prioritised=["astrology"])
    with pytest.raises(ValueError, match="before it starts"):
        services.create_plan(botkyrka, title="x", start=date(2026, 1, 1), end=date(2025, 1, 1))
    with pytest.raises(ValueError, match="municipality"):
        services.create_plan(county, title="x", start=date(2026, 1, 1))


def test_update_step_ticks_and_perspectives(botkyrka) -> None:  # noqa: ANN001
    plan = services.create_plan(botkyrka, title="Plan", start=date(2026, 1, 1))
    step = services.plan_steps(plan)[0]
    first_key = step.ticks[0][1].item_key
    services.update_step(
        step.step,
        status="done",
        start=date(2026, 1, 1),
        due=date(2026, 3, 1),
        notes="n",
        evidence="e",
        ticked=[first_key],
        perspective_notes={"ethics": (True, "samtycke")},
    )
    again = services.plan_steps(plan)[0]
    assert [t.done for _i, t in again.ticks][0] is True and again.done_count == 1
    ethics = next(n for p, n in again.perspectives if n.perspective_key == "ethics")
    assert ethics.considered and ethics.note == "samtycke"
    assert services.plan_progress(plan)["done"] == 1
    with pytest.raises(ValueError, match="unknown step status"):
        services.update_step(
            step.step,
            status="x",
            start=None,
            due=None,
            notes="",
            evidence="",
            ticked=[],
            perspective_notes={},
        )


def test_prioritised_factors_from_active_plans_only(botkyrka) -> None:  # noqa: ANN001
    services.create_plan(
        botkyrka,
        title="A",
        start=date(2026, 1, 1),
        prioritised=["family_conflict"],
        status=PlanStatus.ACTIVE,
    )
    services.create_plan(
        botkyrka,
        title="B",
        start=date(2026, 1, 1),
        prioritised=["gang_involvement"],
        status=PlanStatus.COMPLETED,
    )
    assert services.prioritised_factors(botkyrka) == ["family_conflict"]


def test_selection_ranks_the_registry(county) -> None:  # noqa: ANN001
    result = services.select_interventions(county, ["family_conflict", "family_management"])
    assert result.problem_areas  # derived from the factors
    top = result.ranked[0]
    assert set(top.matched_factors) == {"family_conflict", "family_management"}
    assert all(len(r.matched_factors) >= 1 for r in result.ranked)
    keys = [r.candidate.key for r in result.ranked]
    assert "komet" in keys and "kiva" not in keys


def test_county_copy_replaces_shipped_entry(county, geography) -> None:  # noqa: ANN001
    shipped = services.intervention_for(county, "komet")
    values = {
        f.name: getattr(shipped, f.name)
        for f in Intervention._meta.fields
        if f.name not in ("id", "county", "key", "updated_at")
    }
    values["availability_sv"] = "Erbjuds av alla kommuner i länet (påhittat i test)."
    services.save_intervention(county, "komet", values)
    assert services.intervention_for(county, "komet").county == county
    assert (
        Intervention.objects.get(county__isnull=True, key="komet").availability_sv
        == shipped.availability_sv
    )
    other = geography.get(code="14")
    assert services.intervention_for(other, "komet").county is None
    registry = services.interventions_for(county)
    assert [i.key for i in registry].count("komet") == 1


def test_target_progress_from_catalogue_or_by_hand(botkyrka) -> None:  # noqa: ANN001
    from jamlik.indicators.models import Indicator, Observation

    plan = services.create_plan(botkyrka, title="P", start=date(2026, 1, 1))
    manual = IndicatorTarget.objects.create(
        plan=plan,
        indicator_code="X9",
        label="X",
        baseline_value=20,
        baseline_period="2022",
        target_value=10,
        target_period="2028",
        current_value=15,
        current_period="2025",
    )
    progress = services.target_progress(manual)
    assert progress.share_of_way == 0.5 and not progress.from_catalogue
    indicator = Indicator.objects.create(
        code="N1", name_sv="N1", name_en="N1", value_type="proportion", polarity="low"
    )
    Observation.objects.create(
        indicator=indicator,
        area=botkyrka,
        period="2025",
        period_start=2025,
        period_end=2025,
        value=12.0,
    )
    rebuild([indicator])  # the public table, which is all other apps read
    linked = IndicatorTarget.objects.create(
        plan=plan,
        indicator_code="N1",
        label="N1",
        baseline_value=20,
        baseline_period="2022",
        target_value=10,
        target_period="2028",
    )
    progress = services.target_progress(linked)
    assert progress.from_catalogue and progress.latest == 12.0 and progress.share_of_way == 0.8
    assert services.progress_towards(5, 5, 7) is None
