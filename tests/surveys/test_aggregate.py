"""Aggregation: levels, breakdowns as compose_breakdown names them, unknown groups in totals only."""

from __future__ import annotations

import pandas as pd
import pytest

from jamlik.stats.proportions import proportion
from jamlik.surveys.aggregate import aggregate
from jamlik.surveys.microdata import Respondents
from jamlik.surveys.scales import load_scale_set, shipped_scale_text
from jamlik.surveys.scoring import Scored

SCALES = load_scale_set(shipped_scale_text())

ROWS = [
    # kommun, district, school_year, sex, weight, flag
    ("0127", "Alby", "ak9", "female", 2.0, 1.0),
    ("0127", "Alby", "ak9", "male", 2.0, 0.0),
    ("0127", "Tumba", "gy2", "female", 1.0, 1.0),
    ("0127", "Tumba", "gy2", "", 1.0, 0.0),
    ("0186", "", "ak9", "female", 4.0, 0.0),
    ("0186", "", "", "male", 4.0, float("nan")),
]


def data(weighted: bool) -> tuple[Respondents, Scored]:
    frame = pd.DataFrame(ROWS, columns=["kommun", "district", "school_year", "sex", "weight", "f"])
    frame["year"] = 2024
    flags = pd.DataFrame({"bullied": frame.pop("f")})
    if not weighted:
        frame["weight"] = 1.0
    return Respondents(frame, len(frame), weighted, "t.csv", "csv"), Scored(flags, {}, {})


def cells_by_key(weighted: bool = False):
    respondents, scored = data(weighted)
    cells = aggregate(respondents, scored, SCALES)
    return {(c.level, c.kommun, c.district, c.breakdown, c.category): c for c in cells}


def test_levels_and_breakdowns():
    cells = cells_by_key()
    assert {c.measure for c in cells.values()} == {"bullied"}
    county = cells[("county", "", "", "total", "total")]
    assert (county.x, county.n, county.year) == (2, 5, 2024)
    assert (cells[("municipality", "0127", "", "total", "total")].x,
            cells[("municipality", "0127", "", "total", "total")].n) == (2, 4)  # fmt: skip
    alby = cells[("district", "0127", "Alby", "total", "total")]
    assert (alby.x, alby.n) == (1, 2)
    assert ("district", "0186", "", "total", "total") not in cells
    both = cells[("municipality", "0127", "", "school_year*sex", "ak9*female")]
    assert (both.x, both.n) == (1, 1)


def test_unknown_sex_and_school_year_count_only_in_totals():
    cells = cells_by_key()
    tumba_sex = [k for k in cells if k[:3] == ("district", "0127", "Tumba") and k[3] == "sex"]
    assert tumba_sex == [("district", "0127", "Tumba", "sex", "female")]
    school = cells[("county", "", "", "school_year", "ak9")]
    assert school.n == 3  # the kommun 0186 respondent without school year had no answer anyway
    categories = {k[4] for k in cells if k[3] == "sex"}
    assert categories == {"female", "male"}


def test_unweighted_cells_are_the_wilson_proportion():
    county = cells_by_key()[("county", "", "", "total", "total")]
    reference = proportion([2], [5], multiplier=100).iloc[0]
    assert county.value == pytest.approx(reference["value"], abs=1e-12)
    assert county.lower == pytest.approx(reference["lower"], abs=1e-12)
    assert county.upper == pytest.approx(reference["upper"], abs=1e-12)


def test_weighted_cells_use_the_weights():
    county = cells_by_key(weighted=True)[("county", "", "", "total", "total")]
    # weights of the answered: 2, 2, 1, 1, 4; flagged 2 + 1 = 3 of 10
    assert county.value == pytest.approx(30.0)
    assert county.n_eff == pytest.approx(100 / 26)
    assert (county.x, county.n) == (2, 5)


def test_no_respondents_no_cells():
    respondents, scored = data(False)
    empty = Respondents(respondents.frame.iloc[:0], 0, False, "t.csv", "csv")
    assert aggregate(empty, Scored(scored.flags.iloc[:0], {}, {}), SCALES) == []
