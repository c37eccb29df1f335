"""The demo seeders are deterministic and idempotent; prerequisite scores feed the need."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.support import services

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple:
    from jamlik.prevention.models import ChecklistTick, Plan
    from jamlik.support.models import Agreement, Commitment, Participation, SupportActivity

    return (
        sorted(SupportActivity.objects.values_list("kind", "title", "date")),
        sorted(
            Participation.objects.values_list(
                "municipality__code", "role", "count", "activity__title"
            )
        ),
        sorted(Agreement.objects.values_list("municipality__code", "start", "end")),
        sorted(
            Commitment.objects.values_list("agreement__municipality__code", "text", "due", "status")
        ),
        sorted(Plan.objects.values_list("municipality__code", "title", "status")),
        ChecklistTick.objects.filter(done=True).count(),
    )


def test_demo_seed_twice_gives_the_same_records(geography) -> None:  # noqa: ANN001
    from jamlik.prevention.demo import seed as seed_prevention
    from jamlik.support.demo import seed as seed_support

    seed_support(lambda _m: None)
    seed_prevention(lambda _m: None)
    first = _snapshot()
    seed_support(lambda _m: None)
    seed_prevention(lambda _m: None)
    assert _snapshot() == first
    activities, _parts, agreements, _c, plans, _t = first
    assert {a[0] for a in agreements} == {"0127", "0186", "0188", "0191"}
    assert len(plans) >= 5 and len(activities) >= 40
    years = {a[2].year for a in activities}
    assert years == {2024, 2025, 2026}
    from jamlik.support.models import SupportActivity

    assert not SupportActivity.objects.filter(is_demo=False).exists()


def scores_for_test(county) -> dict[str, float]:  # noqa: ANN001
    return {"0127": 20.0, "0186": 90.0, "0182": 60.0, "0180": 40.0}


def test_prerequisite_scores_make_low_prerequisites_high_need(county, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(services, "PREREQUISITE_SCORES_HOOK", f"{__name__}.scores_for_test")
    result = services.need_against_support(county, date(2025, 1, 1), date(2026, 6, 1))
    rows = {r.code: r for r in result.rows}
    assert rows["0127"].need == 100.0  # lowest prerequisites -> most need
    assert rows["0186"].need == 0.0
    assert result.available[result.components[0].pk] == 4
