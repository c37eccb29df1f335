"""The actor map's need side (:mod:`jamlik.actors.need`) read for a whole county at once
gives, area by area, what ``comparisons_for_area`` gives (here for the indicators' demo
data, which has districts with values)."""

from __future__ import annotations

from jamlik.actors.need import county_comparisons
from jamlik.geo.models import Area
from jamlik.indicators.services import comparisons_for_area


def test_one_read_for_the_county_equals_one_read_per_area(demo, django_assert_num_queries) -> None:  # noqa: ANN001
    county = Area.objects.get(code="01")
    areas = list(Area.objects.filter(parent=county) | Area.objects.filter(parent__parent=county))
    assert any(a.level == "district" for a in areas)
    with django_assert_num_queries(2):
        batched = county_comparisons(county, [a.pk for a in areas])
    judged = 0
    for area in areas:
        expected = {
            indicator.pk: (comparison.value, period)
            for indicator, comparison, period in comparisons_for_area(area)
        }
        found = {pk: batched[area.pk].get(pk, ("not_compared", "")) for pk in expected}
        assert found == expected, area.code
        judged += sum(c not in ("not_compared", "higher", "lower") for c, _p in found.values())
    assert judged > 100
