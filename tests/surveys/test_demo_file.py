"""The invented demo microdata, end to end: read -> score -> aggregate equals truth.json."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from jamlik.surveys.aggregate import aggregate
from jamlik.surveys.microdata import read_microdata
from jamlik.surveys.scales import load_scale_set, shipped_scale_text
from jamlik.surveys.scoring import score

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src/jamlik/surveys/data/demo"
CSV = DEMO / "ungdomsenkat_2024_demo.csv"
SCRIPT = ROOT / "scripts/make_demo_youth_survey.py"


def _script():
    spec = importlib.util.spec_from_file_location("make_demo_youth_survey", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pipeline():
    scales = load_scale_set(shipped_scale_text())
    respondents = read_microdata(CSV.name, CSV.read_bytes(), scales)
    scored = score(respondents, scales)
    cells = aggregate(respondents, scored, scales)
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    return respondents, scored, cells, truth


def test_the_demo_is_labelled_invented_and_modest():
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "INVENTED" in readme and "make_demo_youth_survey.py" in readme
    assert "INVENTED" in json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["note"]
    assert CSV.stat().st_size < 3_000_000


def test_pipeline_reproduces_the_truth_exactly(pipeline):
    respondents, scored, cells, truth = pipeline
    assert respondents.rows_read == truth["rows"]
    assert respondents.weighted
    assert scored.excluded == truth["excluded"]
    index = {(c.measure, c.level, c.kommun, c.district, c.breakdown, c.category): c for c in cells}
    assert len(truth["cells"]) > 2000
    for expected in truth["cells"]:
        key = tuple(
            expected[k] for k in ("measure", "level", "kommun", "district", "breakdown", "category")
        )
        cell = index[key]
        assert (cell.x, cell.n) == (expected["x"], expected["n"]), key
        assert cell.value == pytest.approx(expected["value"], abs=1e-9), key
        assert cell.lower < cell.value < cell.upper or cell.x in (0, cell.n)


def test_design_weights_are_constant_within_kommun_and_school_year(pipeline):
    respondents, _scored, _cells, truth = pipeline
    frame = respondents.frame
    spread = frame.groupby(["kommun", "school_year"])["weight"].nunique()
    assert (spread == 1).all()
    for key, weight in truth["weights"].items():
        kommun, grade = key.split(":")
        assert (
            frame.loc[(frame.kommun == kommun) & (frame.school_year == grade), "weight"].iloc[0]
            == weight
        )


def test_every_kommun_of_the_county_and_the_demo_districts(pipeline):
    from jamlik.indicators.demo import DISTRICTS

    respondents, *_ = pipeline
    frame = respondents.frame
    assert frame["kommun"].nunique() == 26
    assert set(frame["school_year"]) == {"ak9", "gy2"}
    assert set(frame["year"]) == {2024}
    for code, districts in DISTRICTS.items():
        names = {name for _code, name, _score, _population in districts}
        assert set(frame.loc[frame.kommun == code, "district"]) == names
    assert set(frame.loc[~frame.kommun.isin(list(DISTRICTS)), "district"]) == {""}
    script = _script()
    assert {k: tuple(n for n, _s, _p in v) for k, v in script.DISTRICTS.items()} == {
        k: tuple(name for _c, name, _s, _p in v) for k, v in DISTRICTS.items()
    }


@pytest.mark.parametrize(
    ("measure", "direction"),
    [
        ("low_school_commitment", "above"),
        ("family_conflict", "above"),
        ("early_initiation", "above"),
        ("availability_substances", "above"),
        ("school_connectedness", "below"),
        ("prosocial_involvement", "below"),
    ],
)
def test_botkyrka_differs_clearly_from_the_county(pipeline, measure, direction):
    """The rule of /metoder/#ungdomsenkat: the kommun's interval lies wholly beyond the county's value."""
    _respondents, _scored, cells, _truth = pipeline
    total = {
        (c.level, c.kommun): c for c in cells if c.measure == measure and c.breakdown == "total"
    }
    county, botkyrka = total[("county", "")], total[("municipality", "0127")]
    if direction == "above":
        assert botkyrka.lower > county.value
    else:
        assert botkyrka.upper < county.value


@pytest.mark.slow
def test_the_generator_is_deterministic(tmp_path):
    csv_path, truth_path = _script().write(tmp_path)
    assert csv_path.read_bytes() == CSV.read_bytes()
    assert truth_path.read_bytes() == (DEMO / "truth.json").read_bytes()
